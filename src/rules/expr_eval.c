/*
 * expr_eval.c - evaluation of compiled rule expressions (the builtin
 * functions are in builtins.c) and message templates.
 */
#include "model/effective.h"
#include "rules/expr.h"
#include "rules/expr_internal.h"
#include "util/strutil.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct val ev_typed(const struct eff *e)
{
    if (!e->value)
        return val_null();
    if (e->sensitive)
        return val_str("[hidden]");
    int64_t i;
    double d;
    bool b;
    uint8_t t = e->cat ? e->cat->type : CT_STRING;
    switch (t) {
    case CT_INT:
    case CT_LONG:
    case CT_SHORT:
        if (str_to_i64(e->value, &i) == 0)
            return val_int(i);
        return val_null();
    case CT_DOUBLE:
        if (str_to_i64(e->value, &i) == 0)
            return val_int(i);
        if (str_to_double(e->value, &d) == 0)
            return val_float(d);
        return val_null();
    case CT_BOOL:
        if (str_to_bool(e->value, &b) == 0)
            return val_bool(b);
        return val_null();
    default: return val_str(e->value);
    }
}

static const struct object *bound(const struct expr *e, struct eval_ctx *c)
{
    return c->obj[e->role];
}

/* Effective value of the key an EX_CFG node names, using the catalog
 * entries resolved at compile time. */
static void cfg_lookup(const struct expr *e, struct eval_ctx *c, const struct object *o,
                       struct eff *out)
{
    if (o->kind == OBJ_PARTITION)
        o = &((const struct partition *)o)->topic->o;
    uint32_t fam = object_family(o);
    const struct cat_key *k = fam ? e->cat[catalog_family_index(fam)] : NULL;
    effective_get_memo(c->m, o, e->key, k, c->memo, out);
}

struct val ev_cfg(const struct expr *e, struct eval_ctx *c, struct eff *out)
{
    const struct object *o = bound(e, c);
    if (!o)
        return val_null();
    cfg_lookup(e, c, o, out);
    return ev_typed(out);
}

bool ev_both_num(const struct val *a, const struct val *b)
{
    return (a->t == VT_INT || a->t == VT_FLOAT) && (b->t == VT_INT || b->t == VT_FLOAT);
}

double ev_num(const struct val *v) { return v->t == VT_INT ? (double)v->i : v->f; }

struct val ev_coerce_num(struct val v)
{
    int64_t i;
    double d;
    if (v.t == VT_STR) {
        if (str_to_i64(v.s, &i) == 0)
            return val_int(i);
        if (str_to_double(v.s, &d) == 0)
            return val_float(d);
    }
    return v;
}

static struct val arith(char op, struct val a, struct val b, struct eval_ctx *c)
{
    if (op == '+' && (a.t == VT_STR || b.t == VT_STR) && a.t != VT_NULL && b.t != VT_NULL) {
        /* string concatenation; of strings no setting holds, unknown (each
         * concatenation of a 60 MB value copied it twice: a gigabyte) */
        if ((a.t == VT_STR && strlen(a.s) > EXPR_MAX_STRING) ||
            (b.t == VT_STR && strlen(b.s) > EXPR_MAX_STRING))
            return val_null();
        struct buf s = BUF_INIT;
        val_format(&a, &s);
        val_format(&b, &s);
        const char *r = arena_strdup(c->scratch, buf_str(&s));
        buf_release(&s);
        return val_str(r);
    }
    a = ev_coerce_num(a);
    b = ev_coerce_num(b);
    if (!ev_both_num(&a, &b))
        return val_null();
    if (a.t == VT_INT && b.t == VT_INT) {
        int64_t r;
        switch (op) {
        case '+':
            if (__builtin_add_overflow(a.i, b.i, &r))
                return val_null();
            return val_int(r);
        case '-':
            if (__builtin_sub_overflow(a.i, b.i, &r))
                return val_null();
            return val_int(r);
        case '*':
            if (__builtin_mul_overflow(a.i, b.i, &r))
                return val_null();
            return val_int(r);
        case '/':
            if (b.i == 0 || (a.i == INT64_MIN && b.i == -1))
                return val_null();
            return val_int(a.i / b.i);
        case '%':
            if (b.i == 0 || (a.i == INT64_MIN && b.i == -1))
                return val_null();
            return val_int(a.i % b.i);
        }
    }
    double x = ev_num(&a), y = ev_num(&b);
    switch (op) {
    case '+': return val_float(x + y);
    case '-': return val_float(x - y);
    case '*': return val_float(x * y);
    case '/': return y == 0 ? val_null() : val_float(x / y);
    case '%': return y == 0 ? val_null() : val_float(fmod(x, y));
    }
    return val_null();
}

static struct val compare(char op, const struct val *a, const struct val *b, bool lit_null)
{
    if (lit_null) {
        bool eq = a->t == VT_NULL && b->t == VT_NULL;
        if (op == 'e')
            return val_bool(eq);
        if (op == 'n')
            return val_bool(!eq);
        return val_null();
    }
    int cmp;
    int rc = val_compare(a, b, &cmp);
    if (rc < 0)
        return val_null();
    switch (op) {
    case 'e': return val_bool(cmp == 0);
    case 'n': return val_bool(cmp != 0);
    }
    if (rc == 1)
        return val_null(); /* only (in)equality is meaningful */
    switch (op) {
    case '<': return val_bool(cmp < 0);
    case 'l': return val_bool(cmp <= 0);
    case '>': return val_bool(cmp > 0);
    case 'g': return val_bool(cmp >= 0);
    }
    return val_null();
}

/* --- quantifiers --- */

struct qstate {
    const struct expr *call;
    int kind;        /* 0 count, 1 any, 2 all, 3 distinct, 4 sum, 5 min_of, 6 max_of, 7 list */
    struct buf text; /* list */
    int elem_role;
    int64_t count;
    bool saw_null;
    bool result; /* any/all */
    struct val acc;
    bool has_acc;
    struct val *seen;
    uint32_t nseen, capseen;
};

static int q_step(struct eval_ctx *c, void *arg)
{
    struct qstate *q = arg;
    struct eval_budget *bu = c->budget;
    if (bu && (++bu->used > bu->limit || bu->over)) {
        bu->over = true;
        return 1; /* stop: quantify() answers null */
    }
    const struct expr *pred = q->call->nargs ? q->call->args[0] : NULL;
    struct val v = pred ? expr_eval(pred, c) : val_bool(true);
    int t;
    switch (q->kind) {
    case 0:
        if (val_truth(&v) == 1)
            q->count++;
        return 0;
    case 1:
        t = val_truth(&v);
        if (t == 1) {
            q->result = true;
            return 1;
        }
        if (t < 0)
            q->saw_null = true;
        return 0;
    case 2:
        t = val_truth(&v);
        if (t == 0) {
            q->result = false;
            return 1;
        }
        if (t < 0)
            q->saw_null = true;
        return 0;
    case 7: {
        const struct object *o = c->obj[q->elem_role];
        if (q->text.len)
            buf_puts(&q->text, ", ");
        buf_printf(&q->text, "%s=", o ? o->name : "?");
        val_format_text(&v, &q->text);
        return 0;
    }
    case 3: {
        if (v.t == VT_NULL)
            return 0;
        if (bu)
            bu->used += q->nseen;
        for (uint32_t i = 0; i < q->nseen; i++) {
            int cmp;
            if (val_compare(&q->seen[i], &v, &cmp) >= 0 && cmp == 0)
                return 0;
        }
        if (q->nseen == q->capseen) {
            uint32_t ncap = q->capseen ? q->capseen * 2 : 8;
            struct val *n = ARENA_ARRAY(c->scratch, struct val, ncap);
            if (q->nseen)
                memcpy(n, q->seen, q->nseen * sizeof *n);
            q->seen = n;
            q->capseen = ncap;
        }
        q->seen[q->nseen++] = v;
        return 0;
    }
    default: {
        v = ev_coerce_num(v);
        if (v.t != VT_INT && v.t != VT_FLOAT)
            return 0;
        if (!q->has_acc) {
            q->acc = v;
            q->has_acc = true;
        } else if (q->kind == 4) {
            q->acc = arith('+', q->acc, v, c);
        } else {
            int cmp;
            val_compare(&v, &q->acc, &cmp);
            if ((q->kind == 5 && cmp < 0) || (q->kind == 6 && cmp > 0))
                q->acc = v;
        }
        return 0;
    }
    }
}

static struct val quantify(const struct expr *e, struct eval_ctx *c)
{
    struct qstate q;
    memset(&q, 0, sizeof q);
    q.call = e;
    q.kind = e->fn->quant;
    q.elem_role = coll_table[e->coll].elem_role;
    q.result = q.kind == 2;
    struct eval_ctx sub = *c;
    coll_foreach(e->coll, &sub, q_step, &q);
    if (c->budget && c->budget->over) {
        buf_release(&q.text);
        return val_null(); /* not every element was visited: unknown */
    }
    switch (q.kind) {
    case 0: return val_int(q.count);
    case 1:
    case 2:
        if ((q.kind == 1 && !q.result && q.saw_null) || (q.kind == 2 && q.result && q.saw_null))
            return val_null();
        return val_bool(q.result);
    case 3: return val_int(q.nseen);
    case 7: {
        const char *r = arena_strdup(c->scratch, buf_str(&q.text));
        buf_release(&q.text);
        return val_str(r);
    }
    case 4: return q.has_acc ? q.acc : val_int(0);
    default: return q.has_acc ? q.acc : val_null();
    }
}

/* --- builtins --- */

const char *ev_origin_word(const struct eff *e)
{
    switch (e->origin) {
    case ORIG_FILE: return "file";
    case ORIG_DERIVED: return "derived";
    case ORIG_DEFAULT: return "default";
    case ORIG_LIVE: return live_source_name((enum live_source)e->live_source);
    default: return "none";
    }
}

const char *ev_str_of(struct eval_ctx *c, const struct val *v)
{
    if (v->t == VT_STR)
        return v->s;
    struct buf b = BUF_INIT;
    val_format(v, &b);
    const char *s = arena_strdup(c->scratch, buf_str(&b));
    buf_release(&b);
    return s;
}

static struct val call(const struct expr *e, struct eval_ctx *c)
{
    const struct builtin_def *fn = e->fn;
    if (fn->kind == BK_QUANT)
        return quantify(e, c);
    if (fn->kind == BK_KEY) {
        const struct expr *a = e->args[0];
        if (a->type == EX_ATTR) { /* where(attribute) */
            const char *key;
            const struct object *o;
            struct loc l = expr_loc(a, c, &key, &o);
            const char *p = source_path(&c->m->sources, l.file);
            if (!p)
                return val_str("live cluster");
            return val_str(arena_printf(c->scratch, "%s:%u", p, l.line));
        }
        struct eff eff;
        ev_cfg(a, c, &eff);
        return fn->on_key(c, &eff);
    }
    if (fn->kind == BK_LAZY)
        return fn->fn(e, c, NULL);
    struct val a[BUILTIN_MAX_ARGS];
    for (uint32_t i = 0; i < e->nargs && i < BUILTIN_MAX_ARGS; i++)
        a[i] = expr_eval(e->args[i], c);
    return fn->fn(e, c, a);
}

struct val expr_eval(const struct expr *e, struct eval_ctx *c)
{
    struct val a, b;
    struct eff eff;
    int ta, tb;
    switch (e->type) {
    case EX_LIT: return e->lit;
    case EX_CFG: return ev_cfg(e, c, &eff);
    case EX_ATTR:
        if (!c->obj[e->attr->role] && e->attr->role != R_OFFSET)
            return val_null();
        if (e->attr->role == R_OFFSET && !c->off)
            return val_null();
        return e->attr->get(c);
    case EX_NOT:
        a = expr_eval(e->a, c);
        ta = val_truth(&a);
        return ta < 0 ? val_null() : val_bool(!ta);
    case EX_NEG:
        a = ev_coerce_num(expr_eval(e->a, c));
        if (a.t == VT_INT && a.i != INT64_MIN)
            return val_int(-a.i);
        if (a.t == VT_FLOAT)
            return val_float(-a.f);
        return val_null();
    case EX_AND:
        a = expr_eval(e->a, c);
        ta = val_truth(&a);
        if (ta == 0)
            return val_bool(false);
        b = expr_eval(e->b, c);
        tb = val_truth(&b);
        if (tb == 0)
            return val_bool(false);
        if (ta < 0 || tb < 0)
            return val_null();
        return val_bool(true);
    case EX_OR:
        a = expr_eval(e->a, c);
        ta = val_truth(&a);
        if (ta == 1)
            return val_bool(true);
        b = expr_eval(e->b, c);
        tb = val_truth(&b);
        if (tb == 1)
            return val_bool(true);
        if (ta < 0 || tb < 0)
            return val_null();
        return val_bool(false);
    case EX_CMP: {
        bool lit_null = (e->a->type == EX_LIT && e->a->lit.t == VT_NULL) ||
                        (e->b->type == EX_LIT && e->b->lit.t == VT_NULL);
        a = expr_eval(e->a, c);
        b = expr_eval(e->b, c);
        return compare((char)e->op, &a, &b, lit_null);
    }
    case EX_ARITH:
        a = expr_eval(e->a, c);
        b = expr_eval(e->b, c);
        return arith((char)e->op, a, b, c);
    case EX_IN: {
        a = expr_eval(e->a, c);
        if (a.t == VT_NULL)
            return val_null();
        for (uint32_t i = 0; i < e->b->lit.n; i++) {
            int cmp;
            if (val_compare(&a, &e->b->lit.items[i], &cmp) >= 0 && cmp == 0)
                return val_bool(true);
        }
        return val_bool(false);
    }
    case EX_CALL: return call(e, c);
    default: return val_null();
    }
}

struct loc expr_loc(const struct expr *e, struct eval_ctx *c, const char **key,
                    const struct object **obj)
{
    *key = NULL;
    *obj = NULL;
    if (e->type == EX_CFG) {
        const struct object *o = bound(e, c);
        if (!o)
            return LOC_NONE;
        struct eff eff;
        cfg_lookup(e, c, o, &eff);
        *key = e->key;
        *obj = o;
        return eff.loc;
    }
    if (e->type == EX_ATTR) {
        const struct object *o = e->attr->role == R_OFFSET ? c->obj[R_GROUP] : bound(e, c);
        *key = e->attr->name;
        *obj = o;
        if (e->attr->loc)
            return e->attr->loc(c);
        return o ? o->loc : LOC_NONE;
    }
    return LOC_NONE;
}

unsigned tmpl_render(const struct tmpl *t, struct eval_ctx *c, struct buf *out)
{
    unsigned unknown = 0;
    for (uint32_t i = 0; i < t->n; i++) {
        if (t->parts[i].text) {
            buf_puts(out, t->parts[i].text);
            continue;
        }
        struct val v = expr_eval(t->parts[i].e, c);
        unknown += v.t == VT_NULL;
        val_format_text(&v, out);
    }
    return unknown;
}

void expr_walk_keys(const struct expr *e, void (*cb)(int role, const char *key, void *arg),
                    void *arg)
{
    if (!e)
        return;
    if (e->type == EX_CFG)
        cb(e->role, e->key, arg);
    if (e->type == EX_ATTR && e->attr->reads)
        for (const char *const *k = e->attr->reads; *k; k++)
            cb(e->attr->role, *k, arg);
    expr_walk_keys(e->a, cb, arg);
    expr_walk_keys(e->b, cb, arg);
    for (uint32_t i = 0; i < e->nargs; i++)
        expr_walk_keys(e->args[i], cb, arg);
}
