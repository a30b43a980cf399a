/*
 * audit.h - the pipeline shared by `lint` and `check`: project config ->
 * rules -> (a source fills the model) -> rules run -> suppressions ->
 * baseline -> renderers -> exit status.
 */
#ifndef KA_AUDIT_H
#define KA_AUDIT_H

#include <pthread.h>

#include "cli/cli.h"
#include "model/model.h"
#include "rules/finding.h"
#include "cli/project_config.h"
#include "report/render.h"
#include "suppress/suppress.h"
#include "rules/rule.h"

#define AUDIT_MAX_RULE_DIRS 32
#define AUDIT_MAX_OUTPUTS   8

struct audit_opts {
    const char *config_path;
    bool no_config;
    const char *rule_dirs[AUDIT_MAX_RULE_DIRS];
    int nrule_dirs;
    bool no_builtin_rules;
    const struct out_format *format;
    bool format_set;
    struct {
        const struct out_format *f;
        const char *path;
    } outs[AUDIT_MAX_OUTPUTS];
    int nouts;
    int fail_on; /* enum severity or -1 */
    enum color_mode color;
    bool show_suppressed, no_source, quiet;
    const char *baseline, *write_baseline;
    struct version kafka, java, rdk;
    unsigned jobs;  /* threads; 0: one per CPU */
    int sort;       /* enum finding_order */
    int min_sev;    /* enum severity: findings below are not shown */
    unsigned width; /* text: wrap at; 0: $COLUMNS, else 100 */
    /* lint --each: every deployment's active findings by severity */
    uint32_t total[3], ndeploy;
};

enum {
    AO_RULES = 1000,
    AO_NO_BUILTIN,
    AO_CONFIG,
    AO_NO_CONFIG,
    AO_FORMAT,
    AO_OUTPUT,
    AO_FAIL_ON,
    AO_COLOR,
    AO_NO_COLOR,
    AO_SHOW_SUPPRESSED,
    AO_BASELINE,
    AO_WRITE_BASELINE,
    AO_KAFKA_VERSION,
    AO_JAVA_VERSION,
    AO_RDK_VERSION,
    AO_NO_SOURCE,
    AO_QUIET,
    AO_MAX_FILE_SIZE,
    AO_JOBS,
    AO_SORT,
    AO_MIN_SEVERITY,
    AO_WIDTH,
    AO_JSON,
};

/* Options every auditing command accepts. */
/* clang-format off */
#define AUDIT_OPTIONS                                                                          \
    {"format", 'f', "FORMAT", AO_FORMAT, 0, "format",                                          \
     "{words} (text by default)"},                                                           \
        {"json", 0, NULL, AO_JSON, 0, NULL, "same as --format json"},                          \
        {"output", 'o', "FORMAT=FILE", AO_OUTPUT, OPT_REPEAT, "format=file",                          \
         "also write FORMAT to FILE (repeatable)"},                                            \
        {"fail-on", 0, "SEVERITY", AO_FAIL_ON, 0, "severity",                                  \
         "exit 1 on findings at or above SEVERITY (error, warning, info; default error)"},     \
        {"rules", 'r', "DIR", AO_RULES, OPT_REPEAT, "dir", "also load rules from DIR"},        \
        {"no-builtin-rules", 0, NULL, AO_NO_BUILTIN, 0, NULL, "do not load the shipped rules"}, \
        {"config", 'c', "FILE", AO_CONFIG, 0, "file",                                          \
         "project config (default: nearest .kafkaudit.yaml)"},                                 \
        {"no-config", 0, NULL, AO_NO_CONFIG, 0, NULL, "ignore .kafkaudit.yaml"},               \
        {"show-suppressed", 0, NULL, AO_SHOW_SUPPRESSED, 0, NULL,                              \
         "also list suppressed and baselined findings, with why"},                            \
        {"baseline", 0, "FILE", AO_BASELINE, 0, "file",                                        \
         "report only findings not in FILE; list fixed ones"},                                 \
        {"write-baseline", 0, "FILE", AO_WRITE_BASELINE, 0, "file",                            \
         "record today's findings in FILE"},                                                   \
        {"kafka-version", 0, "VERSION", AO_KAFKA_VERSION, 0, NULL,                             \
         "Kafka version when no input declares it (default 3.7)"},                             \
        {"java-client-version", 0, "VERSION", AO_JAVA_VERSION, 0, NULL,                        \
         "Java client version when not declared (default 3.7)"},                               \
        {"librdkafka-version", 0, "VERSION", AO_RDK_VERSION, 0, NULL,                          \
         "librdkafka version when not declared (default 2.3)"},                                \
        {"color", 0, "WHEN", AO_COLOR, 0, "color", "auto (default), always, never"},           \
        {"no-color", 0, NULL, AO_NO_COLOR, 0, NULL, "same as --color=never"},                  \
        {"no-source", 0, NULL, AO_NO_SOURCE, 0, NULL, "do not quote source lines"},            \
        {"quiet", 'q', NULL, AO_QUIET, 0, NULL, "no summary line"},                            \
        {"sort", 0, "ORDER", AO_SORT, 0, "severity|position|rule",                              \
         "order findings by severity (default: errors first), position or rule"},              \
        {"min-severity", 0, "SEVERITY", AO_MIN_SEVERITY, 0, "severity",                        \
         "show only findings at or above SEVERITY (info, warning, error; default info)"},      \
        {"width", 0, "COLUMNS", AO_WIDTH, 0, NULL,                                             \
         "text: wrap explanations at COLUMNS (default: $COLUMNS, else 100)"},                  \
        {"max-file-size", 0, "BYTES", AO_MAX_FILE_SIZE, 0, NULL,                               \
         "refuse input files larger than BYTES (default 64M)"},                            \
        {"jobs", 'j', "N", AO_JOBS, 0, NULL,                                                   \
         "threads that parse files and run rules (default: one per CPU, at most 8)"}
/* clang-format on */

void audit_opts_init(struct audit_opts *o);
/* 0: handled; 1: not an audit option; EXIT_USAGE on a bad value. */
int audit_opt(struct audit_opts *o, int id, const char *arg, const struct command *c);

struct audit {
    struct audit_opts *o;
    struct project_config pc;
    struct rule_set rs;
    struct model m;
    struct finding_list fl;
    struct baseline bl;
    bool have_bl;
    /* rules load on their own thread while the inputs are read */
    const char *rule_dirs[AUDIT_MAX_RULE_DIRS * 2];
    int nrule_dirs;
    pthread_t rules_thread;
    bool rules_loading;
    bool rules_loaded;
};

/* Project config and rules (loaded on a thread of their own: a->rs is
 * ready once audit_finish() runs); applies version defaults to a->m.
 * Returns 0, or an exit status when nothing can be audited. */
int audit_prepare(struct audit *a, struct audit_opts *o);
/* Finalize the model, run rules, apply suppressions and baseline, render
 * every output; returns the exit status. */
int audit_finish(struct audit *a, const char *command, uint32_t nfiles);
void audit_release(struct audit *a);
/* audit_release() when the process is about to exit: only joins the rules
 * thread, since the kernel takes the memory back at once and freeing a
 * 100,000-topic model object by object only costs time.  Builds under a
 * leak checker (AddressSanitizer, or -DKAFKAUDIT_FREE_AT_EXIT) free it all
 * so that leak reports keep their meaning. */
void audit_release_at_exit(struct audit *a);

/* Load rules for commands that only need the rule set (rules, effective). */
int load_rule_set(struct rule_set *rs, const char *const *dirs, int ndirs, bool builtin);

#endif
