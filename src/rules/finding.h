/*
 * finding.h - the result of a rule on a model.
 *
 * A finding is anchored on the object that owns the setting it points at
 * (rule "at:"): a topic that inherits min.insync.replicas=1 from the
 * cluster config is a finding on the cluster config line, and every topic
 * it affects is listed as related.  The fingerprint hashes (rule id,
 * anchor object, key) - never line numbers - so baselines survive edits
 * elsewhere in the files.
 */
#ifndef KA_FINDING_H
#define KA_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };
const char *severity_name(enum severity s);            /* "info", "warning", "error" */
int severity_parse(const char *s, enum severity *out); /* accepts note for info */

enum finding_status {
    FS_ACTIVE,
    FS_SUPPRESSED, /* inline comment or project config, with a reason */
    FS_BASELINE,   /* present in --baseline */
};

/* Where a suppression came from (SARIF suppressions[].kind). */
enum supp_kind {
    SK_NONE,
    SK_INLINE, /* comment in the audited file ("inSource") */
    SK_CONFIG, /* project config ("external") */
};

struct rule;

/* Another place of the same cause, merged into a finding: a repeated
 * broker setting, or a finding of a rule the owner replaces or
 * supersedes (engine_merge_causes). */
struct finding_place {
    struct loc loc;
    const struct rule *rule; /* whose finding stood there */
    const struct object *obj;
    uint64_t fingerprint; /* that finding's own fingerprint */
};

struct finding {
    const struct rule *rule;
    uint8_t severity; /* after project overrides */
    uint8_t status;
    uint8_t supp_kind; /* enum supp_kind, when status is FS_SUPPRESSED */
    struct loc loc;
    const struct object *obj;    /* primary object of the rule's scope */
    const struct object *obj2;   /* pair partner (topic of producer-topic) */
    const struct object *anchor; /* owner of the setting pointed at */
    const char *key;             /* config key or attribute pointed at */
    char *message;
    char *fix;
    char *status_reason; /* why suppressed */
    char *note;          /* e.g. "suppression expired on 2026-01-31" */
    uint64_t fingerprint;
    const struct object **related; /* other objects with the same finding */
    uint32_t nrelated, caprelated;
    char *value;  /* effective value of key at the anchor, when known */
    char *origin; /* where that value came from, as where() says it */
    /* the fix as settings on the anchor (rule "fix_set"), or none */
    struct finding_setting {
        const char *key;
        char *value; /* NULL: remove the setting */
    } * fix_set;
    uint32_t nfix_set;
    struct finding_place *also; /* other places of the same cause */
    uint32_t nalso, capalso;
};

struct finding_list {
    struct finding *v;
    uint32_t n, cap;
};

void finding_list_init(struct finding_list *l);
void finding_list_release(struct finding_list *l);
void finding_release(struct finding *f); /* what one finding owns */
struct finding *finding_add(struct finding_list *l);
/* Sort by file, line, column, rule id, object name. */
void finding_list_sort(struct finding_list *l, const struct model *m);
enum finding_order { FO_SEVERITY, FO_POSITION, FO_RULE };
/* Sort: FO_SEVERITY errors first, then by position; FO_POSITION as
 * finding_list_sort; FO_RULE by rule id, then position. */
void finding_list_order(struct finding_list *l, const struct model *m, enum finding_order o);
/* Release and remove the findings below min; returns how many active
 * ones went. */
uint32_t finding_list_drop_below(struct finding_list *l, enum severity min);
uint32_t finding_count(const struct finding_list *l, enum severity min, bool active_only);

/* "topic orders", "producer order-service -> topic orders" */
void finding_object_desc(const struct finding *f, char *out, size_t n);
/* The message without the object it starts with, when it names the
 * same object as finding_object_desc() ("topic orders: acks=1 ..." ->
 * "acks=1 ..."): for layouts that show the object on its own. */
const char *finding_message_body(const struct finding *f);
/* 16 lowercase hex digits */
void finding_fingerprint_hex(const struct finding *f, char out[17]);
uint64_t fingerprint_compute(const char *rule_id, const struct object *anchor, const char *key);

#endif
