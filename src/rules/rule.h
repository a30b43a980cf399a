/*
 * rule.h - rules as data: loading rules/<name>.yaml, running them on a model,
 * and running their own examples.
 *
 * A rule file holds a list of rules (or a mapping with a "rules:" list).
 * The format is documented in man/kafkaudit-rules.5.  Every error in a
 * rule file - a missing field, a bad severity, a typo in a condition -
 * becomes a diagnostic with file:line:col, reported like a compiler.
 */
#ifndef KA_RULE_H
#define KA_RULE_H

#include <stdbool.h>
#include <stdint.h>

#include "syntax/diag.h"
#include "model/model.h"
#include "rules/finding.h"
#include "rules/expr.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "syntax/ynode.h"

enum scope {
    SC_CLUSTER,
    SC_BROKER,
    SC_TOPIC,
    SC_PARTITION,
    SC_PRODUCER,
    SC_CONSUMER,
    SC_GROUP,
    SC_PRODUCER_TOPIC,
    SC_CONSUMER_TOPIC,
    SC_PRODUCER_CONSUMER,
    SC_GROUP_PARTITION,
    SC_CONTROLLER,
    SC__COUNT
};
const char *scope_name(enum scope s);
int scope_parse(const char *s, enum scope *out);

struct rule_example {
    const struct ynode *doc; /* a manifest fragment */
    bool expect_fire;
    struct loc loc;
};

struct rule {
    /* set by the engine when the rule's quantifiers ran out of their
     * budget (EVAL_BUDGET_STEPS) in the last run: its findings are
     * incomplete.  Written only by the thread that runs the rule. */
    bool over_budget;
    const char *id;
    const char *title;
    uint8_t severity;         /* enum severity, after project overrides */
    uint8_t default_severity; /* as written in the rule file */
    uint8_t scope;            /* enum scope */
    bool enabled;
    const char *check; /* builtin check instead of a condition */
    const char *when_src;
    struct expr *when;
    const char *at_src;
    struct expr *at;
    const char *message_src;
    struct tmpl *message;
    const char *fix_src;
    struct tmpl *fix;
    /* the fix as settings, when it is one: "set KEY=VALUE" on the object
     * that owns the setting the finding points at (the anchor); values
     * are templates like message, NULL (YAML null) to remove the setting */
    struct rule_fix_set {
        const char *key;
        const char *value_src;
        struct tmpl *value;
    } * fix_set;
    uint32_t nfix_set;
    /* why no settings fix it, when none do ("fix_manual") */
    const char *fix_manual;
    const char *rationale;
    const char **refs;
    uint32_t nrefs;
    const char **tags;
    uint32_t ntags;
    /* rule ids whose findings on an object this rule fires on, at the
     * same place (file, line and column), restate its cause: merged into this
     * rule's finding (engine_merge_causes) */
    const char **replaces;
    uint32_t nreplaces;
    /* rule ids whose findings on an object this rule fires on, at any
     * place, restate its cause: merged into this rule's finding */
    const char **supersedes;
    uint32_t nsupersedes;
    struct rule_example *examples;
    uint32_t nexamples;
    const char *file;
    struct loc loc;
};

struct rule_set {
    struct arena arena;
    struct source_set sources; /* rule files, for carets */
    struct diag_list diags;
    struct rule **rules;
    uint32_t n, cap;
    struct hmap by_id;
};

void rule_set_init(struct rule_set *rs);
void rule_set_release(struct rule_set *rs);
/* Load every *.yaml / *.yml in dir (sorted by name), or a single file.
 * Returns the number of errors added to rs->diags. */
uint32_t rule_set_load_path(struct rule_set *rs, const char *path);
/* Once every rule file is loaded: warns about "replaces"/"supersedes" naming a rule id
 * no file defines (a typo would silently replace nothing). */
void rule_set_check_refs(struct rule_set *rs);
/* Load rules from a document already in memory (tests, stdin). */
uint32_t rule_set_load_buffer(struct rule_set *rs, const char *name, const char *data, size_t len);
struct rule *rule_set_find(const struct rule_set *rs, const char *id);
/* The id nearest to a mistyped one ("KA1O8" -> "KA108", any case), or NULL. */
const char *rule_set_suggest(const struct rule_set *rs, const char *id);

/* Run every enabled rule on m (which must be finalized). */
void engine_run(const struct rule_set *rs, const struct model *m, struct finding_list *out);
/* The same on up to `jobs` threads (the caller's included); the findings
 * are the same, in the same order. */
#define ENGINE_MAX_JOBS 16
void engine_run_jobs(const struct rule_set *rs, const struct model *m, struct finding_list *out,
                     unsigned jobs);
/* One cause, one finding.  Merges into one finding, which lists the
 * others' places ("also") and objects ("related"):
 *  - the findings of one rule on one setting repeated with the same value
 *    on every broker (m may be NULL: no folding);
 *  - a finding of a rule another rule "replaces" at the same place, and of a rule it "supersedes"
 * on every object it stands for. The owner keeps its fingerprint; the merged finding is suppressed
 * or baselined when any of its parts was (run after suppressions and the baseline).  Keeps the
 * order. */
void engine_merge_causes(const struct rule_set *rs, const struct model *m, struct finding_list *fl);
/* An error in rs->diags for each rule whose last run stopped at its
 * evaluation budget. */
void engine_report_budget(struct rule_set *rs);
/* Run one rule (enabled or not). */
void engine_run_rule(const struct rule *r, const struct model *m, struct finding_list *out);

/* Run a rule's examples; returns the number of failing examples and
 * describes each failure in diags (with the example's location). */
uint32_t rule_test(const struct rule_set *rs, const struct rule *r, struct diag_list *diags,
                   uint32_t *nexamples);
/* A rule's fix is settings (fix_set) that at least one of its fail
 * examples computes - rule_test applies them - or says why no setting
 * fixes it (fix_manual); false, described in diags, otherwise. */
bool rule_test_fix(const struct rule_set *rs, const struct rule *r, struct diag_list *diags);

#endif
