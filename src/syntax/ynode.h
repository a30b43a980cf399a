/*
 * ynode.h - YAML documents as positioned node trees.
 *
 * libyaml's event stream is folded into a tree whose every node carries
 * its 1-based line and column, so any later stage (dialect readers, rule
 * loader, project config) can point at the exact spot in the file.
 *
 * Hostile input is refused, never expanded:
 *   - nesting deeper than ylimits.max_depth,
 *   - more than ylimits.max_nodes nodes,
 *   - aliases whose expansion would visit more than
 *     ylimits.max_expanded nodes ("billion laughs"), in one document or
 *     in all the documents of the file together,
 *   - more than ylimits.max_documents documents (by default no limit:
 *     documents cost their bytes and nodes, which are limited).
 * A mapping with two equal keys is refused (YAML 1.2 requires unique
 * keys), naming both places.
 * Aliases are resolved by sharing the anchored node (no copies), and YAML
 * merge keys ("<<: *base") are applied when maps are built.
 *
 * Ownership: every node and string lives in the arena passed to
 * ydoc_parse(); nothing is freed individually.
 */
#ifndef KA_YNODE_H
#define KA_YNODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

enum ykind { Y_SCALAR, Y_MAP, Y_SEQ };

enum ystyle { YS_PLAIN, YS_QUOTED, YS_BLOCK };

struct ynode;

struct ypair {
    struct ynode *key;
    struct ynode *val;
};

/* 40 bytes: a 10,000-topic deployment is a million nodes. */
struct ynode {
    uint8_t kind;       /* enum ykind */
    uint8_t style;      /* enum ystyle, scalars only (a !!str scalar is quoted) */
    uint32_t line, col; /* 1-based position of the node's first character */
    uint32_t end_line, end_col;
    /* nodes visited when fully expanded (alias-aware); saturates, and the
     * expansion limit is always below UINT32_MAX */
    uint32_t weight;
    union {
        struct {
            const char *s;
            size_t len;
        } scalar;
        struct {
            struct ypair *pairs;
            uint32_t n;
        } map;
        struct {
            struct ynode **items;
            uint32_t n;
        } seq;
    };
};

struct ylimits {
    uint32_t max_depth;
    uint64_t max_nodes;
    uint64_t max_expanded;
    /* when not 0, the expansion budget is also at most this many nodes per
     * byte of input (but never below YLIMIT_EXPANDED_FLOOR) */
    uint32_t max_expanded_per_byte;
    uint32_t max_documents;
};
#define YLIMIT_EXPANDED_FLOOR 100000

/* Defaults: depth 64, 5M nodes, 10M expanded and 4 per input byte,
 * documents unlimited. */
extern const struct ylimits ylimits_default;

struct ydoc {
    struct ynode *root; /* NULL for an empty document */
    uint32_t line;      /* line of the document start */
};

struct yerror {
    uint32_t line, col; /* 1-based; 0 when unknown */
    char msg[256];
};

struct ystream {
    struct ydoc *docs;
    uint32_t ndocs;
    bool has_anchors; /* some node is anchored (and so may be aliased) */
};

/* Parse data[0..len) into one or more documents.  Returns 0 or -1 with err
 * filled (first error only; parsing stops there). */
int ydoc_parse(struct arena *a, const char *data, size_t len, const struct ylimits *lim,
               struct ystream *out, struct yerror *err);

/* Helpers for readers. */
bool ynode_is_null(const struct ynode *n); /* absent, ~, null, empty plain */
/* Scalar text ("" for non-scalars). */
const char *ynode_str(const struct ynode *n);
/* Map lookup by exact key; NULL if absent or n is not a map. */
struct ynode *ymap_get(const struct ynode *n, const char *key);
struct ypair *ymap_get_pair(const struct ynode *n, const char *key);
/* Human name of a node kind for messages: "mapping", "sequence", "scalar". */
const char *ynode_kind_name(const struct ynode *n);

#endif
