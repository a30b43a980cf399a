#include "syntax/ynode.h"
#include "util/hmap.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const struct ylimits ylimits_default = {
    .max_depth = 64,
    .max_nodes = 5000000,
    .max_expanded = 10000000,
    /* Real files repeat an anchor a few times (compose services sharing a
     * block, Spring profiles): well under one node per byte.  A 2.5 KB
     * file aliasing its way to 900,000 settings took 16 s and 850 MB, and
     * at 64 per byte a 450 KB manifest giving 20,000 topics 100 aliased
     * settings each (4 million nodes) took 430 MB: every expanded node
     * can become a setting of the model. */
    .max_expanded_per_byte = 4,
    /* no count: a Strimzi export of 50,000 topics is 50,000 documents, and
     * each document costs at least its bytes and nodes, which are bounded */
    .max_documents = UINT32_MAX,
};

/* An open container while its children are being collected.  Children
 * of all open containers share one stack (b->kids): a frame's children are
 * kids[first..nkids_total), so building a tree costs no malloc per node. */
struct frame {
    struct ynode *node;
    const char *anchor; /* arena copy, or NULL */
    size_t first;
};

struct builder {
    struct arena *a;
    const struct ylimits *lim;
    uint64_t max_expanded; /* lim's, scaled to the input's size */
    struct frame *stack;
    size_t depth, cap;
    struct ynode **kids;
    size_t nkids, capkids;
    struct hmap anchors; /* name -> node, of the current document */
    uint64_t nodes;
    struct yerror *err;
    struct ynode *doc_root;
    bool has_anchors;
};

static int fail(struct builder *b, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct builder *b, uint32_t line, uint32_t col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err->msg, sizeof b->err->msg, fmt, ap);
    va_end(ap);
    b->err->line = line;
    b->err->col = col;
    return -1;
}

/* Trees are 5 to 6 times the size of their YAML text; every byte of a node
 * counts (it was 56 bytes, and trees 8 times their text). */
_Static_assert(sizeof(void *) != 8 || sizeof(struct ynode) <= 40, "struct ynode grew");

static struct ynode *new_node(struct builder *b, enum ykind k, const yaml_mark_t *m)
{
    struct ynode *n = ARENA_NEW(b->a, struct ynode);
    n->kind = (uint8_t)k;
    n->line = (uint32_t)m->line + 1;
    n->col = (uint32_t)m->column + 1;
    n->weight = 1;
    return n;
}

static void register_anchor(struct builder *b, const char *name, struct ynode *n)
{
    /* Later anchors with the same name shadow earlier ones (YAML 1.1). */
    hmap_put(&b->anchors, name, n);
    b->has_anchors = true;
}

static struct ynode *find_anchor(struct builder *b, const char *name)
{
    /* a hash lookup: a linear scan per alias made a file of 100,000
     * anchors and 100,000 aliases take half a minute */
    return hmap_get(&b->anchors, name);
}

static uint64_t sat_add(uint64_t a, uint64_t c) { return a + c < a ? UINT64_MAX : a + c; }

/* Attach a finished node to the innermost open container (or the doc). */
static int attach(struct builder *b, struct ynode *n)
{
    if (b->depth == 0) {
        b->doc_root = n;
        return 0;
    }
    struct frame *f = &b->stack[b->depth - 1];
    XGROW(b->kids, b->capkids, b->nkids + 1);
    b->kids[b->nkids++] = n;
    uint64_t w = sat_add(f->node->weight, n->weight);
    f->node->weight = w > UINT32_MAX ? UINT32_MAX : (uint32_t)w;
    if (f->node->weight > b->max_expanded)
        return fail(b, n->line, n->col,
                    "document expands to more than %llu nodes through aliases; refusing it "
                    "(alias bomb?)",
                    (unsigned long long)b->max_expanded);
    return 0;
}

static int push(struct builder *b, struct ynode *n, const yaml_char_t *anchor)
{
    if (b->depth >= b->lim->max_depth)
        return fail(b, n->line, n->col, "nesting deeper than %u levels; refusing the document",
                    b->lim->max_depth);
    XGROW(b->stack, b->cap, b->depth + 1);
    struct frame *f = &b->stack[b->depth++];
    f->node = n;
    f->anchor = anchor ? arena_strdup(b->a, (const char *)anchor) : NULL;
    f->first = b->nkids;
    return 0;
}

static bool is_merge_key(const struct ynode *k)
{
    return k->kind == Y_SCALAR && k->style == YS_PLAIN && k->scalar.len == 2 &&
           memcmp(k->scalar.s, "<<", 2) == 0;
}

static bool key_eq(const struct ynode *a, const struct ynode *c)
{
    return a->kind == Y_SCALAR && c->kind == Y_SCALAR && a->scalar.len == c->scalar.len &&
           memcmp(a->scalar.s, c->scalar.s, a->scalar.len) == 0;
}

#define MAX_MERGED 100000u

/* Open-addressing set of pair indexes, keyed by the pairs' key text.  Only
 * scalar keys are compared (key_eq), so other keys are never found. */
struct keyset {
    uint32_t *slot; /* pair index + 1; 0: empty */
    size_t mask;
};

static void keyset_init(struct keyset *ks, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    ks->slot = xcalloc(cap, sizeof *ks->slot);
    ks->mask = cap - 1;
}

/* Add pairs[i] unless a pair with an equal key is in the set; returns
 * whether it was added. */
static bool keyset_add(struct keyset *ks, const struct ypair *pairs, uint32_t i)
{
    const struct ynode *k = pairs[i].key;
    if (k->kind != Y_SCALAR)
        return true;
    size_t h = hmap_hash(k->scalar.s, k->scalar.len) & ks->mask;
    for (; ks->slot[h]; h = (h + 1) & ks->mask)
        if (key_eq(pairs[ks->slot[h] - 1].key, k))
            return false;
    ks->slot[h] = i + 1;
    return true;
}

static int dup_key(struct builder *b, const struct ynode *first, const struct ynode *again)
{
    /* a key is a name, but cut it short: a "key" may be a whole line
     * someone pasted, secret and all */
    int len = again->scalar.len > 60 ? 60 : (int)again->scalar.len;
    return fail(b, again->line, again->col,
                "duplicate key '%.*s%s' (first at line %u, column %u): YAML requires the keys "
                "of a mapping to be unique",
                len, again->scalar.s, again->scalar.len > 60 ? "..." : "", first->line, first->col);
}

/* YAML 1.2 (3.2.1.1) requires unique keys: a reader would otherwise take
 * one of two values silently (the later block of two 'rules:' won), which
 * misleads whoever reads the first. */
static int check_unique(struct builder *b, const struct ypair *pairs, uint32_t n)
{
    if (n <= 8) {
        for (uint32_t i = 1; i < n; i++)
            for (uint32_t j = 0; j < i; j++)
                if (key_eq(pairs[j].key, pairs[i].key))
                    return dup_key(b, pairs[j].key, pairs[i].key);
        return 0;
    }
    struct keyset ks;
    keyset_init(&ks, n);
    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++) {
        const struct ynode *k = pairs[i].key;
        if (k->kind != Y_SCALAR)
            continue;
        size_t h = hmap_hash(k->scalar.s, k->scalar.len) & ks.mask;
        for (; ks.slot[h]; h = (h + 1) & ks.mask)
            if (key_eq(pairs[ks.slot[h] - 1].key, k)) {
                rc = dup_key(b, pairs[ks.slot[h] - 1].key, k);
                break;
            }
        ks.slot[h] = i + 1;
    }
    free(ks.slot);
    return rc;
}

/* Build the pair array of a finished mapping, applying merge keys: explicit
 * keys win over merged ones, earlier merge sources over later ones. */
static int finish_map(struct builder *b, struct frame *f, struct ynode **kids, size_t nkids)
{
    size_t np = nkids / 2;
    size_t nmerged = 0;
    for (size_t i = 0; i < np; i++) {
        struct ynode *k = kids[2 * i], *v = kids[2 * i + 1];
        if (!is_merge_key(k))
            continue;
        if (v->kind == Y_MAP)
            nmerged += v->map.n;
        else if (v->kind == Y_SEQ) {
            for (uint32_t j = 0; j < v->seq.n; j++) {
                if (v->seq.items[j]->kind != Y_MAP)
                    return fail(b, v->seq.items[j]->line, v->seq.items[j]->col,
                                "merge key '<<' expects mappings");
                nmerged += v->seq.items[j]->map.n;
            }
        } else
            return fail(b, v->line, v->col,
                        "merge key '<<' expects a mapping or a list of mappings");
    }
    /* At most MAX_MERGED merged entries are kept (more is refused below). */
    if (nmerged > MAX_MERGED + 1)
        nmerged = MAX_MERGED + 1;
    struct ypair *pairs = ARENA_ARRAY(b->a, struct ypair, np + nmerged ? np + nmerged : 1);
    uint32_t n = 0;
    for (size_t i = 0; i < np; i++) {
        struct ynode *k = kids[2 * i];
        if (is_merge_key(k))
            continue;
        pairs[n].key = k;
        pairs[n].val = kids[2 * i + 1];
        n++;
    }
    uint32_t nexplicit = n;
    if (check_unique(b, pairs, n))
        return -1;
    if (!nmerged) {
        f->node->map.pairs = pairs;
        f->node->map.n = n;
        return 0;
    }
    /* Which keys the map has so far, by key text: a linear scan per merged
     * entry made merging a 100,000-key mapping take seconds. */
    struct keyset ks;
    keyset_init(&ks, np + nmerged);
    for (uint32_t e = 0; e < n; e++)
        keyset_add(&ks, pairs, e);
    int rc = 0;
    for (size_t i = 0; i < np && !rc; i++) {
        struct ynode *k = kids[2 * i], *v = kids[2 * i + 1];
        if (!is_merge_key(k))
            continue;
        struct ynode *single[1] = {v};
        struct ynode **srcs = v->kind == Y_MAP ? single : v->seq.items;
        uint32_t nsrc = v->kind == Y_MAP ? 1 : v->seq.n;
        for (uint32_t s = 0; s < nsrc && !rc; s++) {
            const struct ynode *m = srcs[s];
            for (uint32_t j = 0; j < m->map.n; j++) {
                pairs[n] = m->map.pairs[j];
                if (keyset_add(&ks, pairs, n))
                    n++;
                if (n - nexplicit > MAX_MERGED) {
                    rc = fail(b, v->line, v->col, "merge keys expand to too many entries");
                    break;
                }
            }
        }
    }
    free(ks.slot);
    f->node->map.pairs = pairs;
    f->node->map.n = n;
    return rc;
}

static int pop(struct builder *b, const yaml_mark_t *end)
{
    struct frame *f = &b->stack[--b->depth];
    struct ynode *n = f->node;
    /* b->kids is NULL until a first child (a document that opens with {}) */
    struct ynode **kids = b->kids ? b->kids + f->first : NULL;
    size_t nkids = b->nkids - f->first;
    n->end_line = (uint32_t)end->line + 1;
    n->end_col = (uint32_t)end->column + 1;
    int rc = 0;
    if (n->kind == Y_MAP) {
        rc = finish_map(b, f, kids, nkids);
    } else {
        n->seq.items = ARENA_ARRAY(b->a, struct ynode *, nkids ? nkids : 1);
        if (nkids)
            memcpy(n->seq.items, kids, nkids * sizeof(*kids));
        n->seq.n = (uint32_t)nkids;
    }
    b->nkids = f->first; /* pop this container's children */
    if (rc)
        return rc;
    if (f->anchor)
        register_anchor(b, f->anchor, n);
    return attach(b, n);
}

static int count_node(struct builder *b, const yaml_mark_t *m)
{
    if (++b->nodes > b->lim->max_nodes)
        return fail(b, (uint32_t)m->line + 1, (uint32_t)m->column + 1,
                    "more than %llu YAML nodes; refusing the file",
                    (unsigned long long)b->lim->max_nodes);
    return 0;
}

static int handle(struct builder *b, yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        if (count_node(b, &ev->start_mark))
            return -1;
        struct ynode *n = new_node(b, Y_SCALAR, &ev->start_mark);
        n->scalar.s =
            arena_strndup(b->a, (const char *)ev->data.scalar.value, ev->data.scalar.length);
        n->scalar.len = ev->data.scalar.length;
        switch (ev->data.scalar.style) {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = YS_QUOTED; break;
        case YAML_LITERAL_SCALAR_STYLE:
        case YAML_FOLDED_SCALAR_STYLE: n->style = YS_BLOCK; break;
        default: n->style = YS_PLAIN;
        }
        /* A tagged scalar such as !!str 1 is not "plain" for typing. */
        const char *tag = (const char *)ev->data.scalar.tag;
        if (tag && n->style == YS_PLAIN && strcmp(tag, "tag:yaml.org,2002:str") == 0)
            n->style = YS_QUOTED;
        n->end_line = (uint32_t)ev->end_mark.line + 1;
        n->end_col = (uint32_t)ev->end_mark.column + 1;
        if (ev->data.scalar.anchor)
            register_anchor(b, arena_strdup(b->a, (const char *)ev->data.scalar.anchor), n);
        return attach(b, n);
    }
    case YAML_ALIAS_EVENT: {
        if (count_node(b, &ev->start_mark))
            return -1;
        struct ynode *n = find_anchor(b, (const char *)ev->data.alias.anchor);
        if (!n)
            return fail(b, (uint32_t)ev->start_mark.line + 1, (uint32_t)ev->start_mark.column + 1,
                        "unknown alias '*%s'", (const char *)ev->data.alias.anchor);
        return attach(b, n);
    }
    case YAML_SEQUENCE_START_EVENT: {
        if (count_node(b, &ev->start_mark))
            return -1;
        struct ynode *n = new_node(b, Y_SEQ, &ev->start_mark);
        return push(b, n, ev->data.sequence_start.anchor);
    }
    case YAML_MAPPING_START_EVENT: {
        if (count_node(b, &ev->start_mark))
            return -1;
        struct ynode *n = new_node(b, Y_MAP, &ev->start_mark);
        return push(b, n, ev->data.mapping_start.anchor);
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: return pop(b, &ev->end_mark);
    default: return 0;
    }
}

static void parser_error(const yaml_parser_t *p, struct yerror *err)
{
    const yaml_mark_t *m = &p->problem_mark;
    err->line = (uint32_t)m->line + 1;
    err->col = (uint32_t)m->column + 1;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->context)
        snprintf(err->msg, sizeof err->msg, "%s %s (line %lu)", problem, p->context,
                 (unsigned long)p->context_mark.line + 1);
    else
        snprintf(err->msg, sizeof err->msg, "%s", problem);
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors (bad encoding) carry an offset, not a line. */
        err->line = 0;
        err->col = 0;
        snprintf(err->msg, sizeof err->msg, "%s at byte %lu", problem,
                 (unsigned long)p->problem_offset);
    }
}

int ydoc_parse(struct arena *a, const char *data, size_t len, const struct ylimits *lim,
               struct ystream *out, struct yerror *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    struct builder b;
    memset(&b, 0, sizeof b);
    memset(err, 0, sizeof *err);
    b.a = a;
    b.lim = lim ? lim : &ylimits_default;
    b.max_expanded = b.lim->max_expanded;
    if (b.lim->max_expanded_per_byte) {
        uint64_t by_size = (uint64_t)len * b.lim->max_expanded_per_byte;
        if (by_size < YLIMIT_EXPANDED_FLOOR)
            by_size = YLIMIT_EXPANDED_FLOOR;
        if (by_size < b.max_expanded)
            b.max_expanded = by_size;
    }
    if (b.max_expanded >= UINT32_MAX) /* node weights saturate at UINT32_MAX */
        b.max_expanded = UINT32_MAX - 1;
    b.err = err;
    out->docs = NULL;
    out->ndocs = 0;
    out->has_anchors = false;
    size_t dcap = 0;
    struct ydoc *docs = NULL;
    uint64_t expanded = 0; /* nodes of the documents so far, aliases expanded */
    int rc = 0;

    if (!yaml_parser_initialize(&p))
        abort();
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            parser_error(&p, err);
            rc = -1;
            break;
        }
        if (ev.type == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (ev.type == YAML_DOCUMENT_START_EVENT) {
            if (b.lim->max_documents && out->ndocs >= b.lim->max_documents) {
                rc = fail(&b, (uint32_t)ev.start_mark.line + 1, 1,
                          "more than %u YAML documents; refusing the file", b.lim->max_documents);
                yaml_event_delete(&ev);
                break;
            }
            b.doc_root = NULL;
            hmap_release(&b.anchors); /* anchors are document-scoped */
            XGROW(docs, dcap, out->ndocs + 1);
            docs[out->ndocs].root = NULL;
            docs[out->ndocs].line = (uint32_t)ev.start_mark.line + 1;
        } else if (ev.type == YAML_DOCUMENT_END_EVENT) {
            docs[out->ndocs].root = b.doc_root;
            out->ndocs++;
            /* The expansion budget is the file's: documents each just under
             * it (anchors are per document) once made a 1.6 MB file of five
             * documents expand to 20 million settings (2.7 GB, a minute). */
            expanded = sat_add(expanded, b.doc_root ? b.doc_root->weight : 0);
            if (expanded > b.max_expanded) {
                rc = fail(&b, docs[out->ndocs - 1].line, 1,
                          "documents expand to more than %llu nodes through aliases; refusing "
                          "the file (alias bomb?)",
                          (unsigned long long)b.max_expanded);
                yaml_event_delete(&ev);
                break;
            }
        } else if (handle(&b, &ev)) {
            yaml_event_delete(&ev);
            rc = -1;
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    free(b.kids);
    free(b.stack);
    hmap_release(&b.anchors);
    out->has_anchors = b.has_anchors;
    if (out->ndocs) {
        out->docs = ARENA_ARRAY(a, struct ydoc, out->ndocs);
        memcpy(out->docs, docs, out->ndocs * sizeof *docs);
    }
    free(docs);
    return rc;
}

bool ynode_is_null(const struct ynode *n)
{
    if (!n)
        return true;
    if (n->kind != Y_SCALAR || n->style != YS_PLAIN)
        return false;
    const char *s = n->scalar.s;
    return n->scalar.len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

const char *ynode_str(const struct ynode *n) { return n && n->kind == Y_SCALAR ? n->scalar.s : ""; }

struct ypair *ymap_get_pair(const struct ynode *n, const char *key)
{
    if (!n || n->kind != Y_MAP)
        return NULL;
    size_t kl = strlen(key);
    /* keys are unique (ydoc_parse refuses duplicates); merged ones come last */
    for (uint32_t i = n->map.n; i > 0; i--) {
        struct ypair *p = &n->map.pairs[i - 1];
        if (p->key->kind == Y_SCALAR && p->key->scalar.len == kl &&
            memcmp(p->key->scalar.s, key, kl) == 0)
            return p;
    }
    return NULL;
}

struct ynode *ymap_get(const struct ynode *n, const char *key)
{
    struct ypair *p = ymap_get_pair(n, key);
    return p ? p->val : NULL;
}

const char *ynode_kind_name(const struct ynode *n)
{
    if (!n)
        return "nothing";
    switch (n->kind) {
    case Y_MAP: return "a mapping";
    case Y_SEQ: return "a list";
    default: return ynode_is_null(n) ? "null" : "a scalar";
    }
}
