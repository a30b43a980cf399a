/*
 * rule_load.c - rule files (rules/NAME.yaml) into struct rule, with
 * compiler-style diagnostics for every mistake.
 */
#include "rules/engine_internal.h"
#include "rules/rule.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "syntax/yload.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const scope_names[SC__COUNT] = {
    "cluster",         "broker",     "topic",          "partition",      "producer",
    "consumer",        "group",      "producer-topic", "consumer-topic", "producer-consumer",
    "group-partition", "controller",
};

const char *scope_name(enum scope s) { return s < SC__COUNT ? scope_names[s] : "?"; }

int scope_parse(const char *s, enum scope *out)
{
    for (int i = 0; i < SC__COUNT; i++)
        if (strcmp(s, scope_names[i]) == 0) {
            *out = (enum scope)i;
            return 0;
        }
    return -1;
}

static void scope_roles(enum scope s, uint32_t *mask, enum role *primary)
{
#define B(r) (1u << (r))
    switch (s) {
    case SC_CLUSTER:
        *mask = B(R_CLUSTER);
        *primary = R_CLUSTER;
        break;
    case SC_BROKER:
        *mask = B(R_BROKER);
        *primary = R_BROKER;
        break;
    case SC_TOPIC:
        *mask = B(R_TOPIC);
        *primary = R_TOPIC;
        break;
    case SC_PARTITION:
        *mask = B(R_PARTITION) | B(R_TOPIC);
        *primary = R_PARTITION;
        break;
    case SC_PRODUCER:
        *mask = B(R_PRODUCER);
        *primary = R_PRODUCER;
        break;
    case SC_CONSUMER:
        *mask = B(R_CONSUMER);
        *primary = R_CONSUMER;
        break;
    case SC_GROUP:
        *mask = B(R_GROUP);
        *primary = R_GROUP;
        break;
    case SC_PRODUCER_TOPIC:
        *mask = B(R_PRODUCER) | B(R_TOPIC);
        *primary = R_PRODUCER;
        break;
    case SC_CONSUMER_TOPIC:
        *mask = B(R_CONSUMER) | B(R_TOPIC);
        *primary = R_CONSUMER;
        break;
    case SC_PRODUCER_CONSUMER:
        *mask = B(R_PRODUCER) | B(R_CONSUMER) | B(R_TOPIC);
        *primary = R_PRODUCER;
        break;
    case SC_GROUP_PARTITION:
        *mask = B(R_GROUP) | B(R_OFFSET) | B(R_PARTITION) | B(R_TOPIC);
        *primary = R_OFFSET;
        break;
    case SC_CONTROLLER:
        *mask = B(R_CONTROLLER);
        *primary = R_CONTROLLER;
        break;
    default: *mask = B(R_CLUSTER); *primary = R_CLUSTER;
    }
    *mask |= B(R_CLUSTER);
#undef B
}

void rule_set_init(struct rule_set *rs)
{
    memset(rs, 0, sizeof *rs);
    arena_init(&rs->arena);
    source_set_init(&rs->sources);
    diag_list_init(&rs->diags);
    hmap_init(&rs->by_id);
}

void rule_set_release(struct rule_set *rs)
{
    free(rs->rules);
    hmap_release(&rs->by_id);
    diag_list_release(&rs->diags);
    source_set_release(&rs->sources);
    arena_release(&rs->arena);
}

struct rule *rule_set_find(const struct rule_set *rs, const char *id)
{
    return hmap_get(&rs->by_id, id);
}

const char *rule_set_suggest(const struct rule_set *rs, const char *id)
{
    char up[64];
    size_t i = 0;
    for (; id[i] && i + 1 < sizeof up; i++)
        up[i] = (char)toupper((unsigned char)id[i]);
    up[i] = '\0';
    struct nearest n;
    nearest_init(&n, up, NEAREST_AUTO);
    for (uint32_t j = 0; j < rs->n; j++)
        nearest_offer(&n, rs->rules[j]->id);
    return nearest_best(&n);
}

struct loader {
    struct rule_set *rs;
    uint32_t file;
    uint32_t errors;
};

static void lerr(struct loader *L, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void lerr(struct loader *L, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_addv(&L->rs->diags, DIAG_ERROR, DK_RULES, yloc(L->file, n), fmt, ap);
    va_end(ap);
    L->errors++;
}

static const char *scalar(struct loader *L, const struct ynode *n, const char *field)
{
    if (!n || n->kind != Y_SCALAR || ynode_is_null(n)) {
        lerr(L, n, "'%s' must be a string, not %s", field, ynode_kind_name(n));
        return NULL;
    }
    return n->scalar.s;
}

static const char *const fields[] = {"id",         "title",    "severity",   "scope",   "when",
                                     "check",      "at",       "message",    "fix",     "rationale",
                                     "references", "examples", "tags",       "enabled", "replaces",
                                     "supersedes", "fix_set",  "fix_manual", NULL};

static void compile_error(struct loader *L, const struct ynode *n, const struct expr_error *e,
                          const char *what)
{
    struct loc l = yscalar_loc(&L->rs->sources, L->file, n, e->off);
    struct diag *d = diag_add(&L->rs->diags, DIAG_ERROR, DK_RULES, l, "in %s: %s", what, e->msg);
    if (e->hint[0])
        diag_hint(d, "%s", e->hint);
    L->errors++;
}

static const char **string_list(struct loader *L, const struct ynode *n, const char *field,
                                uint32_t *count)
{
    *count = 0;
    if (!n)
        return NULL;
    if (n->kind == Y_SCALAR) {
        const char **v = ARENA_ARRAY(&L->rs->arena, const char *, 1);
        v[0] = n->scalar.s;
        *count = 1;
        return v;
    }
    if (n->kind != Y_SEQ) {
        lerr(L, n, "'%s' must be a list of strings", field);
        return NULL;
    }
    const char **v = ARENA_ARRAY(&L->rs->arena, const char *, n->seq.n ? n->seq.n : 1);
    for (uint32_t i = 0; i < n->seq.n; i++) {
        const char *s = scalar(L, n->seq.items[i], field);
        if (s)
            v[(*count)++] = s;
    }
    return v;
}

static void load_examples(struct loader *L, struct rule *r, const struct ynode *n)
{
    if (!n)
        return;
    if (n->kind != Y_MAP) {
        lerr(L, n, "'examples' must be a mapping with 'fail' and/or 'pass' lists");
        return;
    }
    uint32_t total = 0;
    for (uint32_t i = 0; i < n->map.n; i++) {
        const struct ynode *v = n->map.pairs[i].val;
        if (v->kind == Y_SEQ)
            total += v->seq.n;
    }
    r->examples = ARENA_ARRAY(&L->rs->arena, struct rule_example, total ? total : 1);
    for (uint32_t i = 0; i < n->map.n; i++) {
        const struct ynode *k = n->map.pairs[i].key, *v = n->map.pairs[i].val;
        const char *ks = ynode_str(k);
        bool fire;
        if (strcmp(ks, "fail") == 0)
            fire = true;
        else if (strcmp(ks, "pass") == 0)
            fire = false;
        else {
            lerr(L, k, "unknown example kind '%s' (expected 'fail' or 'pass')", ks);
            continue;
        }
        if (v->kind != Y_SEQ) {
            lerr(L, v, "'examples.%s' must be a list of manifest fragments", ks);
            continue;
        }
        for (uint32_t j = 0; j < v->seq.n; j++) {
            const struct ynode *doc = v->seq.items[j];
            if (doc->kind != Y_MAP) {
                lerr(L, doc, "an example must be a manifest fragment (a mapping)");
                continue;
            }
            struct rule_example *ex = &r->examples[r->nexamples++];
            ex->doc = doc;
            ex->expect_fire = fire;
            ex->loc = yloc(L->file, doc);
        }
    }
}

/* Reports the rule's fields that are not rule fields, with the nearest. */
static void check_fields(struct loader *L, const struct ynode *n)
{
    for (uint32_t i = 0; i < n->map.n; i++) {
        const char *k = ynode_str(n->map.pairs[i].key);
        bool ok = false;
        for (int f = 0; fields[f]; f++)
            ok |= strcmp(fields[f], k) == 0;
        if (!ok) {
            struct nearest nr;
            nearest_init(&nr, k, 2);
            for (int f = 0; fields[f]; f++)
                nearest_offer(&nr, fields[f]);
            const char *best = nearest_best(&nr);
            lerr(L, n->map.pairs[i].key, "unknown rule field '%s'", k);
            if (best)
                diag_hint(&L->rs->diags.v[L->rs->diags.n - 1], "did you mean '%s'?", best);
        }
    }
}

/* r->id from the rule's 'id': present, well-formed and not taken. */
static bool load_id(struct loader *L, const struct ynode *n, struct rule *r)
{
    const struct ynode *idn = ymap_get(n, "id");
    if (!idn) {
        lerr(L, n, "rule has no 'id'");
        return false;
    }
    r->id = scalar(L, idn, "id");
    if (!r->id)
        return false;
    for (const char *p = r->id; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_')) {
            lerr(L, idn, "rule id '%s' may only contain letters, digits, '-' and '_'", r->id);
            return false;
        }
    struct rule *dup = hmap_get(&L->rs->by_id, r->id);
    if (dup) {
        lerr(L, idn, "duplicate rule id '%s' (first defined at %s:%u)", r->id, dup->file,
             dup->loc.line);
        return false;
    }

    return true;
}

/* Title, severity, scope (and the roles and primary role it gives the
 * expressions) and enabled. */
static void load_header(struct loader *L, const struct ynode *n, struct rule *r, uint32_t *roles,
                        enum role *primary)
{
    const struct ynode *t = ymap_get(n, "title");
    r->title = t ? scalar(L, t, "title") : NULL;
    if (!t)
        lerr(L, n, "rule '%s' has no 'title'", r->id);

    const struct ynode *sv = ymap_get(n, "severity");
    enum severity sev = SEV_WARNING;
    if (!sv)
        lerr(L, n, "rule '%s' has no 'severity' (error, warning or info)", r->id);
    else if (scalar(L, sv, "severity") && severity_parse(sv->scalar.s, &sev))
        lerr(L, sv, "unknown severity '%s' (expected error, warning or info)", sv->scalar.s);
    r->severity = r->default_severity = (uint8_t)sev;

    const struct ynode *sc = ymap_get(n, "scope");
    enum scope scope = SC_CLUSTER;
    if (!sc)
        lerr(L, n, "rule '%s' has no 'scope'", r->id);
    else if (scalar(L, sc, "scope") && scope_parse(sc->scalar.s, &scope)) {
        lerr(L, sc, "unknown scope '%s'", sc->scalar.s);
        diag_hint(&L->rs->diags.v[L->rs->diags.n - 1],
                  "scopes: cluster, broker, topic, partition, producer, consumer, group, "
                  "producer-topic, consumer-topic, producer-consumer, group-partition");
    }
    r->scope = (uint8_t)scope;
    scope_roles(scope, roles, primary);

    const struct ynode *en = ymap_get(n, "enabled");
    if (en) {
        bool b;
        if (en->kind != Y_SCALAR || str_to_bool(en->scalar.s, &b))
            lerr(L, en, "'enabled' must be true or false");
        else
            r->enabled = b;
    }
}

/* The rule's condition ('when' compiled, or a builtin 'check') and 'at';
 * expressions are compiled only while the rule has no error. */
static void load_condition(struct loader *L, const struct ynode *n, struct rule *r, uint32_t roles,
                           enum role primary, uint32_t errors_before)
{
    const struct ynode *ck = ymap_get(n, "check");
    const struct ynode *wh = ymap_get(n, "when");
    if (ck && wh)
        lerr(L, ck, "a rule has either 'when' or 'check', not both");
    else if (ck) {
        r->check = scalar(L, ck, "check");
        if (r->check && !builtin_check_known(r->check))
            lerr(L, ck, "unknown builtin check '%s'", r->check);
    } else if (wh) {
        r->when_src = scalar(L, wh, "when");
        if (r->when_src && L->errors == errors_before) {
            struct expr_error err;
            r->when = expr_compile(&L->rs->arena, r->when_src, roles, primary, &err);
            if (!r->when)
                compile_error(L, wh, &err, "condition");
        }
    } else {
        lerr(L, n, "rule '%s' has no 'when' condition", r->id);
    }

    const struct ynode *at = ymap_get(n, "at");
    if (at && (r->at_src = scalar(L, at, "at")) && L->errors == errors_before) {
        struct expr_error err;
        r->at = expr_compile(&L->rs->arena, r->at_src, roles, primary, &err);
        if (!r->at)
            compile_error(L, at, &err, "'at'");
        else if (r->at->type != EX_CFG && r->at->type != EX_ATTR) {
            lerr(L, at,
                 "'at' must name a setting or an attribute, such as acks or "
                 "topic.min.insync.replicas");
        }
    }
}

/* The message, fix and fix_set templates (and fix_manual), compiled only while the rule has
 * no error. */
static void load_texts(struct loader *L, const struct ynode *n, struct rule *r, uint32_t roles,
                       enum role primary, uint32_t errors_before)
{
    const struct ynode *msg = ymap_get(n, "message");
    if (msg && (r->message_src = scalar(L, msg, "message")) && L->errors == errors_before) {
        struct expr_error err;
        r->message = tmpl_compile(&L->rs->arena, r->message_src, roles, primary, &err);
        if (!r->message)
            compile_error(L, msg, &err, "message");
    } else if (!msg && !r->check) {
        lerr(L, n, "rule '%s' has no 'message'", r->id);
    }
    const struct ynode *fix = ymap_get(n, "fix");
    if (fix && (r->fix_src = scalar(L, fix, "fix")) && L->errors == errors_before) {
        struct expr_error err;
        r->fix = tmpl_compile(&L->rs->arena, r->fix_src, roles, primary, &err);
        if (!r->fix)
            compile_error(L, fix, &err, "fix");
    }
    const struct ynode *fs = ymap_get(n, "fix_set");
    if (fs && fs->kind != Y_MAP) {
        lerr(L, fs, "'fix_set' must be a mapping of settings to values");
    } else if (fs && fs->map.n) {
        r->fix_set = ARENA_ARRAY(&L->rs->arena, struct rule_fix_set, fs->map.n);
        for (uint32_t i = 0; i < fs->map.n; i++) {
            const struct ynode *k = fs->map.pairs[i].key, *v = fs->map.pairs[i].val;
            const char *ks = scalar(L, k, "fix_set");
            if (ks && ynode_is_null(v)) { /* null: remove the setting */
                r->fix_set[r->nfix_set++] = (struct rule_fix_set){ks, NULL, NULL};
                continue;
            }
            const char *vs = scalar(L, v, "fix_set");
            if (!ks || !vs)
                continue;
            struct expr_error err;
            struct tmpl *vt = tmpl_compile(&L->rs->arena, vs, roles, primary, &err);
            if (!vt) {
                compile_error(L, v, &err, "fix_set");
                continue;
            }
            r->fix_set[r->nfix_set++] = (struct rule_fix_set){ks, vs, vt};
        }
    }
    const struct ynode *fm = ymap_get(n, "fix_manual");
    if (fm)
        r->fix_manual = scalar(L, fm, "fix_manual");
}

/* Rationale, references, tags, and the rules it replaces or supersedes
 * (never itself). */
static void load_lists(struct loader *L, const struct ynode *n, struct rule *r)
{
    const struct ynode *ra = ymap_get(n, "rationale");
    if (ra)
        r->rationale = scalar(L, ra, "rationale");
    r->refs = string_list(L, ymap_get(n, "references"), "references", &r->nrefs);
    r->tags = string_list(L, ymap_get(n, "tags"), "tags", &r->ntags);
    r->replaces = string_list(L, ymap_get(n, "replaces"), "replaces", &r->nreplaces);
    for (uint32_t i = 0; i < r->nreplaces; i++)
        if (strcmp(r->replaces[i], r->id) == 0)
            lerr(L, ymap_get(n, "replaces"), "rule '%s' cannot replace itself", r->id);
    r->supersedes = string_list(L, ymap_get(n, "supersedes"), "supersedes", &r->nsupersedes);
    for (uint32_t i = 0; i < r->nsupersedes; i++)
        if (strcmp(r->supersedes[i], r->id) == 0)
            lerr(L, ymap_get(n, "supersedes"), "rule '%s' cannot supersede itself", r->id);
}

/* One rule mapping into L->rs, registered only when it loaded without
 * error. */
static void load_rule(struct loader *L, const struct ynode *n)
{
    if (n->kind != Y_MAP) {
        lerr(L, n, "a rule must be a mapping, not %s", ynode_kind_name(n));
        return;
    }
    uint32_t errors_before = L->errors;
    check_fields(L, n);
    struct rule *r = ARENA_NEW(&L->rs->arena, struct rule);
    r->loc = yloc(L->file, n);
    r->file = source_path(&L->rs->sources, L->file);
    r->enabled = true;

    if (!load_id(L, n, r))
        return;
    uint32_t roles;
    enum role primary;
    load_header(L, n, r, &roles, &primary);
    load_condition(L, n, r, roles, primary, errors_before);
    load_texts(L, n, r, roles, primary, errors_before);
    load_lists(L, n, r);
    load_examples(L, r, ymap_get(n, "examples"));

    if (L->errors != errors_before)
        return;
    hmap_put(&L->rs->by_id, r->id, r);
    XGROW(L->rs->rules, L->rs->cap, L->rs->n + 1);
    L->rs->rules[L->rs->n++] = r;
}

static uint32_t load_file(struct rule_set *rs, uint32_t file)
{
    struct loader L = {rs, file, 0};
    struct ystream ys;
    if (yload_parse(&rs->arena, &rs->sources, &rs->diags, DK_RULES, file, &ys))
        return 1;
    for (uint32_t d = 0; d < ys.ndocs; d++) {
        const struct ynode *root = ys.docs[d].root;
        if (!root)
            continue;
        const struct ynode *list = root;
        if (root->kind == Y_MAP) {
            list = ymap_get(root, "rules");
            if (!list) {
                lerr(&L, root, "a rule file holds a list of rules (or a 'rules:' list)");
                continue;
            }
        }
        if (list->kind != Y_SEQ) {
            lerr(&L, list, "expected a list of rules, found %s", ynode_kind_name(list));
            continue;
        }
        for (uint32_t i = 0; i < list->seq.n; i++)
            load_rule(&L, list->seq.items[i]);
    }
    return L.errors;
}

uint32_t rule_set_load_buffer(struct rule_set *rs, const char *name, const char *data, size_t len)
{
    char *copy = xstrndup(data, len);
    uint32_t id = source_set_add(&rs->sources, name, copy, len);
    return load_file(rs, id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void rule_set_check_refs(struct rule_set *rs)
{
    for (uint32_t i = 0; i < rs->n; i++) {
        const struct rule *r = rs->rules[i];
        for (uint32_t j = 0; j < r->nreplaces; j++)
            if (!hmap_get(&rs->by_id, r->replaces[j]))
                diag_add(&rs->diags, DIAG_WARNING, DK_RULES, r->loc,
                         "rule '%s' replaces '%s', which no rule file defines", r->id,
                         r->replaces[j]);
        for (uint32_t j = 0; j < r->nsupersedes; j++)
            if (!hmap_get(&rs->by_id, r->supersedes[j]))
                diag_add(&rs->diags, DIAG_WARNING, DK_RULES, r->loc,
                         "rule '%s' supersedes '%s', which no rule file defines", r->id,
                         r->supersedes[j]);
    }
}

uint32_t rule_set_load_path(struct rule_set *rs, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_add_path(&rs->diags, DIAG_ERROR, DK_RULES, path, "cannot read rules: %s",
                      strerror(errno));
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        int id = source_read(&rs->sources, &rs->diags, DK_RULES, path, path);
        return id < 0 ? 1 : load_file(rs, (uint32_t)id);
    }
    DIR *d = opendir(path);
    if (!d) {
        diag_add_path(&rs->diags, DIAG_ERROR, DK_RULES, path, "cannot read rules: %s",
                      strerror(errno));
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !(str_ends(e->d_name, ".yaml") || str_ends(e->d_name, ".yml")))
            continue;
        XGROW(names, cap, n + 1);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 1) /* names is NULL for an empty directory */
        qsort(names, n, sizeof *names, cmp_str);
    uint32_t errors = 0;
    for (size_t i = 0; i < n; i++) {
        struct buf p = BUF_INIT;
        buf_printf(&p, "%s%s%s", path, str_ends(path, "/") ? "" : "/", names[i]);
        int id = source_read(&rs->sources, &rs->diags, DK_RULES, buf_str(&p), buf_str(&p));
        errors += id < 0 ? 1 : load_file(rs, (uint32_t)id);
        buf_release(&p);
        free(names[i]);
    }
    free(names);
    return errors;
}
