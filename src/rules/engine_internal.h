/*
 * engine_internal.h - shared between the rule loader and the engine.
 */
#ifndef KA_ENGINE_INTERNAL_H
#define KA_ENGINE_INTERNAL_H

#include <stdbool.h>

#include "rules/rule.h"

bool builtin_check_known(const char *name);
/* Run builtin check r->check on m. */
void builtin_check_run(const struct rule *r, const struct model *m, struct finding_list *out);
/* The partition a committed offset is for, or NULL (attrs.c). */
const struct partition *offset_partition(const struct group_offset *o);

/* Record a finding, merging it into an existing one with the same
 * fingerprint (the new object becomes "related"). */
struct finding *engine_emit(struct finding_list *out, struct hmap *seen, const struct rule *r,
                            struct loc loc, const struct object *obj, const struct object *obj2,
                            const struct object *anchor, const char *key, const char *message,
                            const char *fix);

#endif
