/*
 * suppress.h - accepted risks, with a recorded reason.
 *
 * Inline, in the audited file, on the offending line, the line above it,
 * or the object's first line (properties files have no trailing comments,
 * so there it is the line above):
 *
 *   acks: 1   # kafkaudit-ignore: KA101 reason="metrics, loss is fine"
 *   # kafkaudit-ignore: KA101,KA103 reason="..." expires=2026-12-31
 *
 * or in the project config (.kafkaudit.yaml, "suppressions:").  A
 * suppression without a reason, or naming an unknown rule, is an error.
 * An expired one no longer silences: the finding comes back with a note.
 *
 * Baselines: --write-baseline records the fingerprints of today's
 * findings; --baseline marks those findings as known and reports the ones
 * that disappeared as fixed.
 */
#ifndef KA_SUPPRESS_H
#define KA_SUPPRESS_H

#include "model/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

/* One suppression of the project configuration (.kafkaudit.yaml). */
struct suppression {
    const char *rule;
    const char *object_kind; /* NULL: any object */
    const char *object_name; /* NULL: any object; may end with '*' */
    const char *reason;
    const char *expires_text; /* "2026-12-31" or NULL */
    int64_t expires_day;      /* days since 1970-01-01; -1 none */
    struct loc loc;
    uint32_t used;
};

/* The project configuration's suppressions, and where they came from. */
struct config_suppressions {
    struct suppression *v;
    uint32_t n;
    const struct source_set *sources; /* what their locations point into */
    struct diag_list *diags;          /* notes on ones that matched nothing */
};

/* Apply inline and project-config suppressions (cs may be NULL).
 * Problems (no reason, unknown rule) are added to diags as errors; stale
 * config suppressions to cs->diags as notes. */
void suppress_apply(const struct model *m, const struct rule_set *rs,
                    const struct config_suppressions *cs, struct finding_list *fl,
                    struct diag_list *diags);

struct baseline {
    char **fp; /* fingerprints, hex */
    char **desc;
    uint32_t n;
    bool *matched;
};
/* Load a baseline file.  Returns 0 or -1 after adding a diagnostic. */
/* Problems go to diags, against the file as read into ss (which must
 * outlive the diagnostics: they name the file and line). */
int baseline_load(struct baseline *b, const char *path, struct source_set *ss,
                  struct diag_list *diags);
void baseline_release(struct baseline *b);
/* Mark findings present in b; returns the number matched. */
uint32_t baseline_apply(struct baseline *b, struct finding_list *fl);
/* Write active findings (and those already baselined) as a baseline. */
int baseline_write(const char *path, const struct finding_list *fl, struct diag_list *diags);

#endif
