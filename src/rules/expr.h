/*
 * expr.h - the rule condition language (documented in
 * man/kafkaudit-rules.5).
 *
 *   acks != "all" && client == "java"
 *   topic.min.insync.replicas >= replication_factor
 *   count(brokers, rack != null) > 0 && any(brokers, rack == null)
 *   explicit(retries) && retries < 2147483647
 *
 * Grammar (lowest precedence first):
 *   expr    := or
 *   or      := and (("||" | "or") and)*
 *   and     := not (("&&" | "and") not)*
 *   not     := ("!" | "not") not | cmp
 *   cmp     := sum (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in") sum)?
 *   sum     := prod (("+" | "-") prod)*
 *   prod    := unary (("*" | "/" | "%") unary)*
 *   unary   := "-" unary | primary
 *   primary := NUMBER | STRING | true | false | null | "[" list "]"
 *            | NAME | NAME "(" args ")" | "(" expr ")"
 * NAME is a dotted identifier.  Its first segment may name a role bound by
 * the rule's scope (producer, consumer, topic, broker, cluster, partition,
 * group, offset); otherwise it refers to the scope's primary object.  The
 * rest is an attribute of that object (name, replication_factor, client,
 * ...) or a Kafka configuration key (min.insync.replicas), resolved to
 * its effective value.
 *
 * Compilation resolves every name against the scope, so a typo in a rule
 * is a load-time error with a position, never a silent null at run time.
 */
#ifndef KA_EXPR_H
#define KA_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "rules/value.h"
#include "util/arena.h"
#include "util/buf.h"

enum role {
    R_CLUSTER,
    R_BROKER,
    R_TOPIC,
    R_PARTITION,
    R_PRODUCER,
    R_CONSUMER,
    R_GROUP,
    R_OFFSET, /* one committed offset of a group (group-partition scope) */
    R_CONTROLLER,
    R__COUNT
};

/* Evaluation bindings. */
struct eval_ctx {
    const struct model *m;
    const struct object *obj[R__COUNT];
    const struct group_offset *off;
    struct arena *scratch;      /* strings made during evaluation */
    struct eff_memo *memo;      /* effective-value memo of the run, or NULL */
    struct eval_budget *budget; /* or NULL: unbounded */
};

/* What quantifiers may cost one rule in a run: one step per element they
 * visit (and per value distinct() compares).  Four nested count(topics, ...)
 * over 200 topics once took 38 s; past the limit a quantifier is unknown
 * (null) and `over` is set, for the caller to report. */
#define EVAL_BUDGET_STEPS 30000000ull
struct eval_budget {
    uint64_t used, limit;
    bool over;
};

struct attr_def;
struct builtin_def;
struct eff;
struct eff_memo;

enum ex_type {
    EX_LIT,
    EX_CFG,  /* effective configuration value */
    EX_ATTR, /* model attribute */
    EX_NOT,
    EX_NEG,
    EX_AND,
    EX_OR,
    EX_CMP,
    EX_ARITH,
    EX_IN,
    EX_CALL,
    EX_LIST,
};

struct expr {
    uint8_t type;
    uint8_t op;        /* EX_CMP / EX_ARITH: operator char code (see expr_parse.c) */
    uint8_t role;      /* EX_CFG / EX_ATTR */
    uint8_t coll;      /* EX_CALL quantifier: collection id */
    uint16_t height;   /* levels of the tree below and with this node */
    uint32_t off, len; /* span in the source text */
    struct val lit;
    const char *key;              /* EX_CFG */
    const struct cat_key *cat[6]; /* EX_CFG: real entry per family index */
    const struct attr_def *attr;
    const struct builtin_def *fn;
    struct expr *a, *b;
    struct expr **args;
    uint32_t nargs;
};

struct expr_error {
    uint32_t off, len; /* span in the source text */
    char msg[256];
    char hint[256];
};

/* Bounds on an expression, so that neither compiling nor evaluating it
 * can exhaust the stack (20,000 '!' once did): parentheses, unary
 * operators and calls nest at most EXPR_MAX_NEST deep, and the tree of a
 * whole expression (chains of && or + included) is at most
 * EXPR_MAX_HEIGHT levels high. */
#define EXPR_MAX_NEST   64
#define EXPR_MAX_HEIGHT 256
/* A string longer than this (1 MiB) is concatenated to null (unknown). */
#define EXPR_MAX_STRING ((size_t)1 << 20)

/* Compile text in a scope binding the roles in roles_mask (1u << role),
 * with primary as the role of unqualified names.  Returns NULL and fills
 * err on error.  Everything lives in a. */
struct expr *expr_compile(struct arena *a, const char *text, uint32_t roles_mask, enum role primary,
                          struct expr_error *err);
struct val expr_eval(const struct expr *e, struct eval_ctx *c);

/* Where an expression points in the model (for a rule's "at:"): the
 * location of the config value or attribute it names; LOC_NONE if it has
 * none. *key receives the config key or attribute name. */
struct loc expr_loc(const struct expr *e, struct eval_ctx *c, const char **key,
                    const struct object **obj);

/* Call cb for every configuration key the expression reads. */
void expr_walk_keys(const struct expr *e, void (*cb)(int role, const char *key, void *arg),
                    void *arg);

/* Message templates: text with {expr} holes; "{{" and "}}" are literal
 * braces. */
struct tmpl_part {
    const char *text; /* literal, or NULL for an expression */
    struct expr *e;
};
struct tmpl {
    struct tmpl_part *parts;
    uint32_t n;
};
struct tmpl *tmpl_compile(struct arena *a, const char *text, uint32_t roles_mask, enum role primary,
                          struct expr_error *err);
/* Render t; an unknown (null) value reads "unknown".  Returns how many
 * of its expressions were unknown. */
unsigned tmpl_render(const struct tmpl *t, struct eval_ctx *c, struct buf *out);

/* --- attributes (attrs.c) --- */
struct attr_def {
    const char *name;
    uint8_t role;
    uint8_t type; /* enum val_type of non-null results */
    struct val (*get)(struct eval_ctx *c);
    struct loc (*loc)(struct eval_ctx *c); /* may be NULL: object's own loc */
    const char *doc;
    /* configuration keys the attribute is computed from (NULL-terminated;
     * NULL: none), so 'effective' shows them as keys the rules read */
    const char *const *reads;
};
const struct attr_def *attr_find(enum role r, const char *name);
/* For documentation and completion: all attributes, NULL-terminated. */
extern const struct attr_def attr_table[];

/* Collections quantifiers iterate: brokers, topics, partitions, producers,
 * consumers, groups, writers, readers, replicas, isr_brokers. */
struct coll_def {
    const char *name;
    uint8_t elem_role;
    const char *doc;
};
extern const struct coll_def coll_table[];
const struct coll_def *coll_find(const char *name, int *id);
/* Call fn for each element of collection id under c; stop when fn returns
 * nonzero. */
void coll_foreach(int id, struct eval_ctx *c, int (*fn)(struct eval_ctx *, void *), void *arg);

/* Builtin functions of the rule language: one row each of builtin_table[]
 * (builtins.c, which says how to add one). */
enum builtin_kind {
    BK_PLAIN, /* fn gets the arguments' values */
    BK_LAZY,  /* fn gets the call and evaluates what it needs (if) */
    BK_KEY,   /* takes a configuration key: on_key gets its effective value */
    BK_QUANT, /* quantifier over a collection: count(topics, ...) */
};
#define BUILTIN_MAX_ARGS 3
struct builtin_def {
    const char *name;
    uint8_t min_args, max_args; /* a quantifier's collection counts */
    uint8_t kind;               /* enum builtin_kind */
    const char *doc;
    /* BK_PLAIN (a: the values, at most BUILTIN_MAX_ARGS) and BK_LAZY (a: NULL) */
    struct val (*fn)(const struct expr *call, struct eval_ctx *c, const struct val *a);
    struct val (*on_key)(struct eval_ctx *c, const struct eff *eff); /* BK_KEY */
    uint8_t quant; /* BK_QUANT: which (expr_eval.c's quantify) */
};
extern const struct builtin_def builtin_table[];

#endif
