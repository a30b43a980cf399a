/*
 * expr_internal.h - what the builtin functions (builtins.c) use of the
 * evaluator (expr_eval.c).  Private to src/rules.
 */
#ifndef KA_EXPR_INTERNAL_H
#define KA_EXPR_INTERNAL_H

#include "model/effective.h"
#include "rules/expr.h"

/* The effective value as a typed value (by the key's catalog type); a
 * sensitive one is "[hidden]", an absent one null. */
struct val ev_typed(const struct eff *e);
/* The effective value of the key an EX_CFG node names (into *out). */
struct val ev_cfg(const struct expr *e, struct eval_ctx *c, struct eff *out);
/* Numbers: both a and b are; v as a double; a numeric string as a number. */
bool ev_both_num(const struct val *a, const struct val *b);
double ev_num(const struct val *v);
struct val ev_coerce_num(struct val v);
/* v as text (in c's scratch arena unless it is a string already). */
const char *ev_str_of(struct eval_ctx *c, const struct val *v);
/* "file", "derived", "default", "none" or the DescribeConfigs source. */
const char *ev_origin_word(const struct eff *e);

#endif
