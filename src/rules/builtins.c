/*
 * builtins.c - the builtin functions of the rule language, one row each
 * in builtin_table[] (documented in kafkaudit-rules(5)).
 *
 * Adding one: write its function here (BK_PLAIN: it gets the values of
 * its arguments; BK_KEY: the effective value of the configuration key it
 * names), add its row below, document it in man/kafkaudit-rules.5 and
 * test it in tests/unit/test_expr.c.  A null argument usually makes the
 * result null (unknown): a rule never judges what was not read.
 */
#include "model/catalog.h"
#include "model/effective.h"
#include "rules/expr.h"
#include "rules/expr_internal.h"
#include "util/buf.h"
#include "util/strutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- functions of a configuration key ---------------------------------------- */

/* true when the value is not a default: set in a file, derived from other
 * settings, or a non-default live source */
static struct val b_explicit(struct eval_ctx *c, const struct eff *eff)
{
    (void)c;
    if (eff->unread)
        return val_null(); /* live configuration not read: unknown either way */
    return val_bool(eff->set && (eff->origin == ORIG_FILE || eff->origin == ORIG_DERIVED ||
                                 (eff->origin == ORIG_LIVE && eff->live_source != LS_DEFAULT)));
}

/* true when the key is set on this very object, not inherited */
static struct val b_overridden(struct eval_ctx *c, const struct eff *eff)
{
    (void)c;
    if (eff->unread)
        return val_null();
    if (!eff->set || eff->from != eff->obj)
        return val_bool(false);
    if (eff->origin == ORIG_FILE || eff->origin == ORIG_DERIVED)
        return val_bool(true);
    if (eff->origin != ORIG_LIVE)
        return val_bool(false);
    if (eff->obj->kind == OBJ_TOPIC)
        return val_bool(eff->live_source == LS_TOPIC);
    return val_bool(eff->live_source == LS_DYNAMIC_BROKER || eff->live_source == LS_STATIC_BROKER);
}

static struct val b_origin(struct eval_ctx *c, const struct eff *eff)
{
    (void)c;
    return val_str(ev_origin_word(eff));
}

static struct val b_where(struct eval_ctx *c, const struct eff *eff)
{
    struct buf b = BUF_INIT;
    effective_origin_text(c->m, eff, &b);
    const char *s = arena_strdup(c->scratch, buf_str(&b));
    buf_release(&b);
    return val_str(s);
}

static struct val b_default(struct eval_ctx *c, const struct eff *eff)
{
    if (!eff->cat)
        return val_null();
    bool found;
    struct eff d = *eff;
    d.value = catalog_default(eff->cat, eff->version, &found);
    d.value = found ? value_normalize((struct model *)c->m, eff->cat, d.value) : NULL;
    d.sensitive = false;
    return ev_typed(&d);
}

/* ---- plain functions ----------------------------------------------------------- */

static struct val b_setting(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    if (a[0].t != VT_STR || !c->obj[e->role])
        return val_null();
    struct eff eff;
    effective_get(c->m, c->obj[e->role], a[0].s, &eff);
    return ev_typed(&eff);
}

static struct val b_len(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e, (void)c;
    if (a[0].t == VT_LIST)
        return val_int(a[0].n);
    if (a[0].t == VT_STR)
        return val_int((int64_t)strlen(a[0].s));
    return val_null();
}

static struct val b_lower(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e;
    if (a[0].t != VT_STR)
        return a[0];
    char *s = arena_strdup(c->scratch, a[0].s);
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return val_str(s);
}

/* contains, starts_with, ends_with: the two arguments as text */
static bool two_strings(struct eval_ctx *c, const struct val *a, const char **s, const char **x)
{
    if (a[0].t == VT_NULL || a[1].t == VT_NULL)
        return false;
    *s = ev_str_of(c, &a[0]);
    *x = ev_str_of(c, &a[1]);
    return true;
}

static struct val b_contains(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e;
    const char *s, *x;
    return two_strings(c, a, &s, &x) ? val_bool(strstr(s, x) != NULL) : val_null();
}

static struct val b_starts_with(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e;
    const char *s, *x;
    return two_strings(c, a, &s, &x) ? val_bool(str_starts(s, x)) : val_null();
}

static struct val b_ends_with(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e;
    const char *s, *x;
    return two_strings(c, a, &s, &x) ? val_bool(str_ends(s, x)) : val_null();
}

/* min, max: null if either is not a number */
static struct val smaller_or_larger(const struct val *a, bool larger)
{
    struct val x = ev_coerce_num(a[0]), y = ev_coerce_num(a[1]);
    if (!ev_both_num(&x, &y))
        return val_null();
    bool less = ev_num(&x) < ev_num(&y);
    return less != larger ? x : y;
}

static struct val b_min(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e, (void)c;
    return smaller_or_larger(a, false);
}

static struct val b_max(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e, (void)c;
    return smaller_or_larger(a, true);
}

static struct val b_int(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e, (void)c;
    struct val x = ev_coerce_num(a[0]);
    if (x.t == VT_INT)
        return x;
    if (x.t == VT_FLOAT && fabs(x.f) < 9e18)
        return val_int((int64_t)x.f);
    if (x.t == VT_BOOL)
        return val_int(x.b);
    return val_null();
}

/* if(cond, a, b): only the branch taken is evaluated */
static struct val b_if(const struct expr *e, struct eval_ctx *c, const struct val *unused)
{
    (void)unused;
    struct val cond = expr_eval(e->args[0], c);
    int t = val_truth(&cond);
    if (t < 0)
        return val_null();
    return expr_eval(e->args[t ? 1 : 2], c);
}

static struct val b_ms(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e;
    struct val x = ev_coerce_num(a[0]);
    if (x.t != VT_INT && x.t != VT_FLOAT)
        return val_null();
    char tmp[64];
    int64_t v = x.t == VT_INT ? x.i : (int64_t)x.f;
    if (v == INT64_MAX || v == 2147483647)
        snprintf(tmp, sizeof tmp, "unbounded");
    else
        fmt_ms(tmp, sizeof tmp, v);
    return val_str(arena_strdup(c->scratch, tmp));
}

static struct val b_plural(const struct expr *e, struct eval_ctx *c, const struct val *a)
{
    (void)e, (void)c;
    struct val x = ev_coerce_num(a[0]);
    if (x.t != VT_INT)
        return a[2];
    return x.i == 1 ? a[1] : a[2];
}

/* ---- the table ------------------------------------------------------------------- */

/* clang-format off */
#define KEY(name, fn, doc) {name, 1, 1, BK_KEY, doc, NULL, fn, 0}
#define PLAIN(name, lo, hi, fn, doc) {name, lo, hi, BK_PLAIN, doc, fn, NULL, 0}
#define QUANT(name, lo, hi, q, doc) {name, lo, hi, BK_QUANT, doc, NULL, NULL, q}
/* clang-format on */

const struct builtin_def builtin_table[] = {
    KEY("explicit", b_explicit,
        "true when the value is not a default: set in a file, derived from other settings, or a "
        "non-default live source"),
    KEY("overridden", b_overridden,
        "true when the key is set on this very object (a topic override, this broker's own "
        "config), not inherited"),
    KEY("origin", b_origin,
        "where the value comes from: \"file\", \"derived\", \"default\", \"none\", or the "
        "DescribeConfigs source of a live value (\"DYNAMIC_TOPIC_CONFIG\", ...)"),
    KEY("where", b_where,
        "human description of the origin: \"app.properties:3\", \"default of Kafka 3.7\""),
    KEY("default", b_default, "the default of the key for this object's Kafka or client version"),
    PLAIN("setting", 1, 1, b_setting,
          "effective value of an arbitrary key on the primary object: setting(\"x.y\")"),
    PLAIN("len", 1, 1, b_len, "length of a string or list"),
    PLAIN("lower", 1, 1, b_lower, "lower-case a string"),
    PLAIN("contains", 2, 2, b_contains, "contains(s, sub): substring test"),
    PLAIN("starts_with", 2, 2, b_starts_with, "starts_with(s, prefix)"),
    PLAIN("ends_with", 2, 2, b_ends_with, "ends_with(s, suffix)"),
    PLAIN("min", 2, 2, b_min, "smaller of two numbers (null if either is null)"),
    PLAIN("max", 2, 2, b_max, "larger of two numbers (null if either is null)"),
    PLAIN("int", 1, 1, b_int, "convert to an integer (null if not numeric)"),
    {"if", 3, 3, BK_LAZY, "if(cond, a, b)", b_if, NULL, 0},
    PLAIN("ms", 1, 1, b_ms, "format milliseconds as a duration: ms(604800000) = \"7d 00h\""),
    PLAIN("plural", 3, 3, b_plural, "plural(n, \"broker\", \"brokers\")"),
    /* quant: the quantifier in expr_eval.c's quantify() */
    QUANT("count", 1, 2, 0, "count(collection[, predicate])"),
    QUANT("any", 2, 2, 1, "any(collection, predicate)"),
    QUANT("all", 2, 2, 2, "all(collection, predicate): true for an empty collection"),
    QUANT("distinct", 2, 2, 3, "distinct(collection, expr): number of distinct non-null values"),
    QUANT("sum", 2, 2, 4, "sum(collection, expr) over non-null values"),
    QUANT("min_of", 2, 2, 5, "min_of(collection, expr): smallest non-null value"),
    QUANT("max_of", 2, 2, 6, "max_of(collection, expr): largest non-null value"),
    QUANT("list", 2, 2, 7,
          "list(collection, expr): \"name=value, ...\" for each element, e.g. per broker"),
    {NULL, 0, 0, 0, NULL, NULL, NULL, 0},
};
