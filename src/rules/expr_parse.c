/*
 * expr_parse.c - lexer, recursive-descent parser and name resolution for
 * the rule language (grammar in expr.h).  Every token keeps its byte
 * offset so errors point at the exact character in the rule file.
 */
#include "model/catalog.h"
#include "rules/expr.h"
#include "util/strutil.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum tok { T_EOF, T_NUM, T_STR, T_NAME, T_OP, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_COMMA };

struct parser {
    struct arena *a;
    const char *src;
    size_t len, pos;
    /* current token */
    enum tok t;
    uint32_t toff, tlen;
    char op[3];
    struct val num;
    const char *str;
    uint32_t roles;
    enum role primary;
    struct expr_error *err;
    bool failed;
    int depth;
};

static const char *const role_names[R__COUNT] = {"cluster",   "broker",   "topic",
                                                 "partition", "producer", "consumer",
                                                 "group",     "offset",   "controller"};

static void perr(struct parser *p, uint32_t off, uint32_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void perr(struct parser *p, uint32_t off, uint32_t len, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    p->err->off = off;
    p->err->len = len ? len : 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
}

static bool name_start(int c) { return isalpha(c) || c == '_'; }

static bool name_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

static void next(struct parser *p)
{
    if (p->failed) {
        p->t = T_EOF;
        return;
    }
    while (p->pos < p->len && isspace((unsigned char)p->src[p->pos]))
        p->pos++;
    p->toff = (uint32_t)p->pos;
    if (p->pos >= p->len) {
        p->t = T_EOF;
        p->tlen = 0;
        return;
    }
    const char *s = p->src + p->pos;
    size_t rem = p->len - p->pos;
    int c = (unsigned char)s[0];
    if (isdigit(c)) {
        size_t i = 0;
        bool isfloat = false;
        while (i < rem && (isdigit((unsigned char)s[i]) || s[i] == '.' || s[i] == '_')) {
            if (s[i] == '.')
                isfloat = true;
            i++;
        }
        char tmp[64];
        size_t k = 0;
        for (size_t j = 0; j < i && k + 1 < sizeof tmp; j++)
            if (s[j] != '_')
                tmp[k++] = s[j];
        tmp[k] = '\0';
        if (isfloat) {
            double d;
            if (str_to_double(tmp, &d))
                perr(p, p->toff, (uint32_t)i, "malformed number");
            p->num = val_float(d);
        } else {
            int64_t v;
            if (str_to_i64(tmp, &v))
                perr(p, p->toff, (uint32_t)i, "integer out of range");
            p->num = val_int(v);
        }
        if (i < rem && name_start((unsigned char)s[i]))
            perr(p, p->toff, (uint32_t)i + 1, "malformed number");
        p->t = T_NUM;
        p->tlen = (uint32_t)i;
        p->pos += i;
        return;
    }
    if (c == '"' || c == '\'') {
        struct buf b = BUF_INIT;
        size_t i = 1;
        bool closed = false;
        while (i < rem) {
            char ch = s[i];
            if (ch == c) {
                closed = true;
                i++;
                break;
            }
            if (ch == '\\' && i + 1 < rem) {
                char e = s[i + 1];
                buf_putc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e);
                i += 2;
                continue;
            }
            if (ch == '\n')
                break;
            buf_putc(&b, ch);
            i++;
        }
        if (!closed)
            perr(p, p->toff, (uint32_t)i, "unterminated string");
        p->str = arena_strdup(p->a, buf_str(&b));
        buf_release(&b);
        p->t = T_STR;
        p->tlen = (uint32_t)i;
        p->pos += i;
        return;
    }
    if (name_start(c)) {
        size_t i = 0;
        while (i < rem && name_char((unsigned char)s[i]))
            i++;
        /* a trailing dot is not part of a name */
        while (i > 1 && s[i - 1] == '.')
            i--;
        p->t = T_NAME;
        p->tlen = (uint32_t)i;
        p->pos += i;
        return;
    }
    p->tlen = 1;
    p->pos++;
    switch (c) {
    case '(': p->t = T_LPAREN; return;
    case ')': p->t = T_RPAREN; return;
    case '[': p->t = T_LBRACK; return;
    case ']': p->t = T_RBRACK; return;
    case ',': p->t = T_COMMA; return;
    default: break;
    }
    static const char *const two[] = {"==", "!=", "<=", ">=", "&&", "||"};
    p->t = T_OP;
    for (size_t k = 0; k < sizeof two / sizeof two[0]; k++) {
        if (rem >= 2 && s[0] == two[k][0] && s[1] == two[k][1]) {
            memcpy(p->op, two[k], 3);
            p->tlen = 2;
            p->pos++;
            return;
        }
    }
    if (strchr("<>!+-*/%", c)) {
        p->op[0] = (char)c;
        p->op[1] = '\0';
        return;
    }
    if (c == '=')
        perr(p, p->toff, 1, "'=' is not an operator; use '==' to compare");
    else
        perr(p, p->toff, 1, "unexpected character '%c'", isprint(c) ? c : '?');
    p->t = T_EOF;
}

static bool is_op(struct parser *p, const char *op)
{
    return p->t == T_OP && strcmp(p->op, op) == 0;
}

static bool is_word(struct parser *p, const char *w)
{
    return p->t == T_NAME && p->tlen == strlen(w) && memcmp(p->src + p->toff, w, p->tlen) == 0;
}

static struct expr *mk(struct parser *p, enum ex_type t, uint32_t off, uint32_t end)
{
    struct expr *e = ARENA_NEW(p->a, struct expr);
    e->type = (uint8_t)t;
    e->off = off;
    e->len = end > off ? end - off : 1;
    e->height = 1;
    return e;
}

/* Give e the height of its tallest child plus one; false (and an error)
 * when that is too high. */
static bool set_height(struct parser *p, struct expr *e, const struct expr *c)
{
    if (c && c->height + 1 > e->height)
        e->height = (uint16_t)(c->height + 1 > UINT16_MAX ? UINT16_MAX : c->height + 1);
    if (e->height > EXPR_MAX_HEIGHT) {
        perr(p, e->off, e->len, "expression too deep (more than %d levels of operators)",
             EXPR_MAX_HEIGHT);
        return false;
    }
    return true;
}

/* Enter one more level of recursion; false (and an error) when too deep. */
static bool enter(struct parser *p)
{
    if (++p->depth > EXPR_MAX_NEST) {
        perr(p, p->toff, p->tlen, "expression nested too deeply (more than %d levels)",
             EXPR_MAX_NEST);
        p->depth--;
        return false;
    }
    return true;
}

static uint32_t end_of(const struct expr *e) { return e->off + e->len; }

static struct expr *parse_or(struct parser *p);

/* --- name resolution --- */

static uint32_t role_families(enum role r)
{
    switch (r) {
    case R_CLUSTER:
    case R_BROKER:
    case R_CONTROLLER: return CF_BROKER;
    case R_TOPIC:
    case R_PARTITION: return CF_TOPIC;
    case R_PRODUCER: return CF_JAVA_PRODUCER | CF_RDK_PRODUCER;
    case R_CONSUMER: return CF_JAVA_CONSUMER | CF_RDK_CONSUMER;
    default: return 0;
    }
}

static bool key_known(const char *key, uint32_t fams)
{
    for (uint32_t bit = 1; bit <= CF_RDK_CONSUMER; bit <<= 1)
        if ((fams & bit) && catalog_by_canonical(key, (enum cat_family)bit))
            return true;
    return false;
}

static const char *suggest(const char *name, enum role r)
{
    static char best[128];
    struct nearest n;
    nearest_init(&n, name, 2);
    for (const struct attr_def *a = attr_table; a->name; a++)
        if (a->role == r)
            nearest_offer(&n, a->name);
    uint32_t fams = role_families(r);
    for (uint32_t bit = 1; bit <= CF_RDK_CONSUMER; bit <<= 1)
        if (fams & bit)
            nearest_offer(&n, catalog_suggest(name, (enum cat_family)bit));
    const char *b = nearest_best(&n);
    if (!b)
        return NULL;
    snprintf(best, sizeof best, "%s", b);
    return best;
}

static struct expr *resolve_name(struct parser *p, uint32_t off, uint32_t len)
{
    const char *text = arena_strndup(p->a, p->src + off, len);
    enum role role = p->primary;
    const char *rest = text;
    const char *dot = strchr(text, '.');
    /* A leading role name selects that object, but only when the scope
     * binds it: in a consumer rule "group.id" is the consumer's setting. */
    for (int r = 0; r < R__COUNT; r++) {
        size_t rl = strlen(role_names[r]);
        if (!(p->roles & (1u << r)) || strncmp(text, role_names[r], rl) != 0)
            continue;
        if (text[rl] == '\0') {
            perr(p, off, len, "'%s' is an object, not a value; use %s.name or %s.<setting>", text,
                 text, text);
            return NULL;
        }
        if (dot && (size_t)(dot - text) == rl) {
            role = (enum role)r;
            rest = dot + 1;
            break;
        }
    }
    const struct attr_def *ad = attr_find(role, rest);
    if (ad) {
        struct expr *e = mk(p, EX_ATTR, off, off + len);
        e->role = (uint8_t)role;
        e->attr = ad;
        return e;
    }
    uint32_t fams = role_families(role);
    if (rest != text && !(fams && key_known(rest, fams)) && role == p->primary && fams &&
        key_known(text, fams)) {
        /* a setting whose name starts with the object's own role
         * (controller.quorum.voters, broker.heartbeat.interval.ms) */
        rest = text;
    }
    if (fams && key_known(rest, fams)) {
        struct expr *e = mk(p, EX_CFG, off, off + len);
        e->role = (uint8_t)role;
        e->key = rest;
        for (uint32_t bit = 1; bit <= CF_RDK_CONSUMER; bit <<= 1)
            if (fams & bit)
                e->cat[catalog_family_index(bit)] =
                    catalog_by_canonical(rest, (enum cat_family)bit);
        return e;
    }
    if (dot) {
        for (int r = 0; r < R__COUNT; r++)
            if ((size_t)(dot - text) == strlen(role_names[r]) &&
                strncmp(text, role_names[r], (size_t)(dot - text)) == 0 &&
                !(p->roles & (1u << r))) {
                perr(p, off, len, "no %s is bound in this rule's scope", role_names[r]);
                return NULL;
            }
    }
    perr(p, off, len, "unknown name '%s' for a %s", rest, role_names[role]);
    const char *s = suggest(rest, role);
    if (s)
        snprintf(p->err->hint, sizeof p->err->hint, "did you mean '%s'?", s);
    else if (!fams)
        snprintf(p->err->hint, sizeof p->err->hint,
                 "a %s has attributes only (see kafkaudit-rules(5))", role_names[role]);
    return NULL;
}

/* --- parser --- */

static struct expr *parse_call(struct parser *p, uint32_t off, uint32_t nlen)
{
    const struct builtin_def *fn = NULL;
    for (const struct builtin_def *b = builtin_table; b->name; b++)
        if (strlen(b->name) == nlen && memcmp(b->name, p->src + off, nlen) == 0)
            fn = b;
    if (!fn) {
        perr(p, off, nlen, "unknown function '%.*s'", (int)nlen, p->src + off);
        return NULL;
    }
    next(p); /* ( */
    struct expr *e = mk(p, EX_CALL, off, off + nlen);
    e->fn = fn;
    e->role = (uint8_t)p->primary;
    struct expr *args[8];
    uint32_t n = 0;
    uint32_t saved_roles = p->roles;
    enum role saved_primary = p->primary;
    if (fn->kind == BK_QUANT) {
        /* quantifier: first argument names a collection */
        if (p->t != T_NAME) {
            perr(p, p->toff, p->tlen, "%s() expects a collection name first", fn->name);
            return NULL;
        }
        char cname[64];
        snprintf(cname, sizeof cname, "%.*s", (int)p->tlen, p->src + p->toff);
        int id;
        const struct coll_def *cd = coll_find(cname, &id);
        if (!cd) {
            perr(p, p->toff, p->tlen, "unknown collection '%s'", cname);
            snprintf(p->err->hint, sizeof p->err->hint,
                     "collections: brokers, topics, partitions, producers, consumers, groups, "
                     "writers, readers, replicas, isr_brokers");
            return NULL;
        }
        e->coll = (uint8_t)id;
        next(p);
        p->roles |= 1u << cd->elem_role;
        p->primary = (enum role)cd->elem_role;
        if (p->t == T_COMMA)
            next(p);
        else if (p->t != T_RPAREN)
            perr(p, p->toff, p->tlen, "expected ',' or ')'");
    }
    while (!p->failed && p->t != T_RPAREN) {
        if (n >= 8) {
            perr(p, p->toff, p->tlen, "too many arguments");
            break;
        }
        args[n++] = parse_or(p);
        if (p->t == T_COMMA)
            next(p);
        else if (p->t != T_RPAREN)
            perr(p, p->toff, p->tlen, "expected ',' or ')' in call to %s()", fn->name);
    }
    p->roles = saved_roles;
    p->primary = saved_primary;
    if (p->failed)
        return NULL;
    uint32_t end = p->toff + 1;
    next(p); /* ) */
    uint32_t nq = fn->kind == BK_QUANT ? n + 1 : n;
    if (nq < fn->min_args || nq > fn->max_args) {
        perr(p, off, end - off, "%s() takes %u to %u arguments", fn->name, fn->min_args,
             fn->max_args);
        return NULL;
    }
    if (fn->kind == BK_KEY && n >= 1 && args[0]->type != EX_CFG &&
        !(args[0]->type == EX_ATTR && strcmp(fn->name, "where") == 0)) {
        perr(p, args[0]->off, args[0]->len, "%s() expects a configuration key", fn->name);
        return NULL;
    }
    e->len = end - off;
    for (uint32_t i = 0; i < n; i++)
        if (!set_height(p, e, args[i]))
            return NULL;
    e->nargs = n;
    e->args = ARENA_ARRAY(p->a, struct expr *, n ? n : 1);
    memcpy(e->args, args, n * sizeof *args);
    return e;
}

static struct expr *parse_primary(struct parser *p)
{
    if (p->failed || !enter(p))
        return NULL;
    struct expr *e = NULL;
    uint32_t off = p->toff, len = p->tlen;
    switch (p->t) {
    case T_NUM:
        e = mk(p, EX_LIT, off, off + len);
        e->lit = p->num;
        next(p);
        break;
    case T_STR:
        e = mk(p, EX_LIT, off, off + len);
        e->lit = val_str(p->str);
        next(p);
        break;
    case T_LPAREN:
        next(p);
        e = parse_or(p);
        if (!p->failed && p->t != T_RPAREN)
            perr(p, p->toff, p->tlen, "expected ')'");
        next(p);
        break;
    case T_LBRACK: {
        next(p);
        struct expr *items[64];
        uint32_t n = 0;
        while (!p->failed && p->t != T_RBRACK) {
            if (n >= 64) {
                perr(p, p->toff, p->tlen, "list too long");
                break;
            }
            items[n] = parse_or(p);
            if (!p->failed && items[n]->type != EX_LIT)
                perr(p, items[n]->off, items[n]->len, "list items must be literals");
            n++;
            if (p->t == T_COMMA)
                next(p);
            else if (p->t != T_RBRACK)
                perr(p, p->toff, p->tlen, "expected ',' or ']'");
        }
        if (p->failed)
            return NULL;
        e = mk(p, EX_LIT, off, p->toff + 1);
        struct val *v = ARENA_ARRAY(p->a, struct val, n ? n : 1);
        for (uint32_t i = 0; i < n; i++)
            v[i] = items[i]->lit;
        e->lit.t = VT_LIST;
        e->lit.items = v;
        e->lit.n = n;
        next(p);
        break;
    }
    case T_NAME:
        if (is_word(p, "true") || is_word(p, "false")) {
            e = mk(p, EX_LIT, off, off + len);
            e->lit = val_bool(is_word(p, "true"));
            next(p);
        } else if (is_word(p, "null")) {
            e = mk(p, EX_LIT, off, off + len);
            e->lit = val_null();
            next(p);
        } else {
            next(p);
            if (p->t == T_LPAREN)
                e = parse_call(p, off, len);
            else
                e = resolve_name(p, off, len);
        }
        break;
    case T_EOF: perr(p, off, 1, "unexpected end of expression"); break;
    default: perr(p, off, len, "unexpected '%.*s'", (int)len, p->src + off);
    }
    p->depth--;
    return p->failed ? NULL : e;
}

static struct expr *parse_unary(struct parser *p)
{
    if (is_op(p, "-")) {
        uint32_t off = p->toff;
        if (!enter(p))
            return NULL;
        next(p);
        struct expr *a = parse_unary(p);
        p->depth--;
        if (!a)
            return NULL;
        struct expr *e = mk(p, EX_NEG, off, end_of(a));
        e->a = a;
        return set_height(p, e, a) ? e : NULL;
    }
    return parse_primary(p);
}

static struct expr *binary(struct parser *p, enum ex_type t, char op, struct expr *a,
                           struct expr *b)
{
    if (!a || !b)
        return NULL;
    struct expr *e = mk(p, t, a->off, end_of(b));
    e->op = (uint8_t)op;
    e->a = a;
    e->b = b;
    return set_height(p, e, a) && set_height(p, e, b) ? e : NULL;
}

static struct expr *parse_prod(struct parser *p)
{
    struct expr *e = parse_unary(p);
    while (!p->failed && (is_op(p, "*") || is_op(p, "/") || is_op(p, "%"))) {
        char op = p->op[0];
        next(p);
        e = binary(p, EX_ARITH, op, e, parse_unary(p));
    }
    return e;
}

static struct expr *parse_sum(struct parser *p)
{
    struct expr *e = parse_prod(p);
    while (!p->failed && (is_op(p, "+") || is_op(p, "-"))) {
        char op = p->op[0];
        next(p);
        e = binary(p, EX_ARITH, op, e, parse_prod(p));
    }
    return e;
}

static struct expr *parse_cmp(struct parser *p)
{
    struct expr *e = parse_sum(p);
    if (p->failed)
        return NULL;
    char op = 0;
    if (is_op(p, "=="))
        op = 'e';
    else if (is_op(p, "!="))
        op = 'n';
    else if (is_op(p, "<"))
        op = '<';
    else if (is_op(p, "<="))
        op = 'l';
    else if (is_op(p, ">"))
        op = '>';
    else if (is_op(p, ">="))
        op = 'g';
    else if (is_word(p, "in")) {
        next(p);
        struct expr *b = parse_sum(p);
        if (b && !(b->type == EX_LIT && b->lit.t == VT_LIST)) {
            perr(p, b->off, b->len, "'in' expects a list literal such as [\"0\", \"1\"]");
            return NULL;
        }
        return binary(p, EX_IN, 0, e, b);
    }
    if (!op)
        return e;
    next(p);
    e = binary(p, EX_CMP, op, e, parse_sum(p));
    if (!p->failed && (is_op(p, "==") || is_op(p, "!=") || is_op(p, "<") || is_op(p, ">") ||
                       is_op(p, "<=") || is_op(p, ">=")))
        perr(p, p->toff, p->tlen, "comparisons do not chain; combine them with &&");
    return e;
}

static struct expr *parse_not(struct parser *p)
{
    if (is_op(p, "!") || is_word(p, "not")) {
        uint32_t off = p->toff;
        if (!enter(p))
            return NULL;
        next(p);
        struct expr *a = parse_not(p);
        p->depth--;
        if (!a)
            return NULL;
        struct expr *e = mk(p, EX_NOT, off, end_of(a));
        e->a = a;
        return set_height(p, e, a) ? e : NULL;
    }
    return parse_cmp(p);
}

static struct expr *parse_and(struct parser *p)
{
    struct expr *e = parse_not(p);
    while (!p->failed && (is_op(p, "&&") || is_word(p, "and"))) {
        next(p);
        e = binary(p, EX_AND, 0, e, parse_not(p));
    }
    return e;
}

static struct expr *parse_or(struct parser *p)
{
    struct expr *e = parse_and(p);
    while (!p->failed && (is_op(p, "||") || is_word(p, "or"))) {
        next(p);
        e = binary(p, EX_OR, 0, e, parse_and(p));
    }
    return e;
}

static void parser_init(struct parser *p, struct arena *a, const char *text, size_t start,
                        size_t len, uint32_t roles, enum role primary, struct expr_error *err)
{
    memset(p, 0, sizeof *p);
    memset(err, 0, sizeof *err);
    p->a = a;
    p->src = text;
    p->len = len;
    p->roles = roles | (1u << primary) | (1u << R_CLUSTER);
    p->primary = primary;
    p->err = err;
    p->pos = start;
    next(p);
}

struct expr *expr_compile(struct arena *a, const char *text, uint32_t roles_mask, enum role primary,
                          struct expr_error *err)
{
    struct parser p;
    parser_init(&p, a, text, 0, strlen(text), roles_mask, primary, err);
    if (p.t == T_EOF && !p.failed) {
        perr(&p, 0, 1, "empty expression");
        return NULL;
    }
    struct expr *e = parse_or(&p);
    if (!p.failed && p.t != T_EOF)
        perr(&p, p.toff, p.tlen, "unexpected '%.*s' after the expression", (int)p.tlen,
             p.src + p.toff);
    return p.failed ? NULL : e;
}

struct tmpl *tmpl_compile(struct arena *a, const char *text, uint32_t roles_mask, enum role primary,
                          struct expr_error *err)
{
    memset(err, 0, sizeof *err);
    struct tmpl *t = ARENA_NEW(a, struct tmpl);
    struct tmpl_part parts[128];
    uint32_t n = 0;
    struct buf lit = BUF_INIT;
    size_t i = 0, len = strlen(text);
    while (i <= len) {
        char c = text[i];
        if (c == '{' && text[i + 1] == '{') {
            buf_putc(&lit, '{');
            i += 2;
            continue;
        }
        if (c == '}' && text[i + 1] == '}') {
            buf_putc(&lit, '}');
            i += 2;
            continue;
        }
        if (c == '{' || c == '\0') {
            if (lit.len && n < 128) {
                parts[n].text = arena_strdup(a, buf_str(&lit));
                parts[n].e = NULL;
                n++;
                buf_reset(&lit);
            }
            if (c == '\0')
                break;
            const char *close = strchr(text + i + 1, '}');
            if (!close) {
                err->off = (uint32_t)i;
                err->len = 1;
                snprintf(err->msg, sizeof err->msg, "unclosed '{' in message");
                buf_release(&lit);
                return NULL;
            }
            size_t elen = (size_t)(close - text - i - 1);
            struct parser p;
            parser_init(&p, a, text, i + 1, i + 1 + elen, roles_mask, primary, err);
            struct expr *e = p.t == T_EOF ? NULL : parse_or(&p);
            if (!p.failed && p.t != T_EOF)
                perr(&p, p.toff, p.tlen, "unexpected '%.*s' in message placeholder", (int)p.tlen,
                     p.src + p.toff);
            if (!e && !p.failed)
                perr(&p, (uint32_t)i, (uint32_t)elen + 2, "empty placeholder");
            if (p.failed) {
                buf_release(&lit);
                return NULL;
            }
            if (n >= 128) {
                err->off = (uint32_t)i;
                snprintf(err->msg, sizeof err->msg, "too many placeholders");
                buf_release(&lit);
                return NULL;
            }
            parts[n].text = NULL;
            parts[n].e = e;
            n++;
            i = (size_t)(close - text) + 1;
            continue;
        }
        buf_putc(&lit, c);
        i++;
    }
    buf_release(&lit);
    t->parts = ARENA_ARRAY(a, struct tmpl_part, n ? n : 1);
    memcpy(t->parts, parts, n * sizeof *parts);
    t->n = n;
    return t;
}
