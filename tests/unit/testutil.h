/*
 * testutil.h - helpers for the cmocka unit tests: build a model from an
 * inline YAML manifest, load rules from a string, count findings.
 */
#ifndef KA_TESTUTIL_H
#define KA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

/* Load yaml (a manifest, or any dialect when name says so: "x.properties")
 * into m (model_init'ed by the helper) and finalize it.  Returns the number
 * of input errors. */
uint32_t tu_model(struct model *m, const char *name, const char *text);
/* Same without model_finalize (to add more sources). */
uint32_t tu_model_add(struct model *m, const char *name, const char *text);
/* Load rules from text into rs (initialised by the helper). */
uint32_t tu_rules(struct rule_set *rs, const char *text);
/* Load the shipped rule set. */
uint32_t tu_builtin_rules(struct rule_set *rs);
/* Number of active findings of rule id (NULL: all). */
uint32_t tu_count(const struct finding_list *fl, const char *id);
const struct finding *tu_find(const struct finding_list *fl, const char *id);
/* Run all rules of rs on a manifest; returns findings in fl. */
void tu_lint(const struct rule_set *rs, const char *yaml, struct finding_list *fl, struct model *m);

#endif
