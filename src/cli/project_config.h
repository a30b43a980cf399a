/*
 * project_config.h - .kafkaudit.yaml, the per-repository settings file:
 *
 *   rules:                      # per-rule overrides
 *     KA104: {severity: warning}
 *     KA207: off                # or {enabled: false}
 *   rule_dirs: [policies/]      # extra rule directories (relative to this file)
 *   defaults: {kafka_version: "3.7", java_client: "3.6", librdkafka: "2.3"}
 *   fail_on: warning
 *   suppressions:
 *     - {rule: KA301, object: "topic:clickstream", reason: "...", expires: 2026-12-31}
 *
 * Found from the current directory upwards, or given with --config.
 */
#ifndef KA_PROJECT_CONFIG_H
#define KA_PROJECT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "syntax/diag.h"
#include "model/model.h"
#include "syntax/source.h"
#include "rules/rule.h"
#include "suppress/suppress.h"

struct rule_override {
    const char *id;
    int severity; /* enum severity, or -1 */
    int enabled;  /* 0/1, or -1 */
    struct loc loc;
};

struct project_config {
    struct arena arena;
    struct source_set sources;
    struct diag_list diags;
    const char *path; /* NULL when none was found */
    const char *dir;  /* directory of path, for relative rule_dirs */
    struct rule_override *overrides;
    uint32_t noverrides;
    const char **rule_dirs;
    uint32_t nrule_dirs;
    bool has_kafka, has_java, has_rdk;
    struct version kafka, java_client, librdkafka;
    int fail_on; /* enum severity, or -1 */
    struct suppression *supp;
    uint32_t nsupp;
};

void project_config_init(struct project_config *pc);
void project_config_release(struct project_config *pc);
/* Nearest .kafkaudit.yaml from the current directory up to /; NULL if
 * none (static storage). */
const char *project_config_find(void);
/* Parse path; problems go to pc->diags.  Returns the number of errors. */
uint32_t project_config_load(struct project_config *pc, const char *path);
/* Apply rule overrides; unknown rule ids are errors in pc->diags. */
void project_config_apply(struct project_config *pc, struct rule_set *rs);

#endif
