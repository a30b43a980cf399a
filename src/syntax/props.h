/*
 * props.h - Java .properties parsing with positions (java.util.Properties
 * load() semantics: '#'/'!' comments, '=' ':' or whitespace separators,
 * backslash line continuations and escapes, \uXXXX).  There are no inline
 * comments in this format: "acks=all # safe" sets acks to "all # safe".
 */
#ifndef KA_PROPS_H
#define KA_PROPS_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

struct prop {
    const char *key, *value;
    uint32_t line; /* line of the key */
    uint32_t key_col, val_col;
    uint32_t val_line; /* differs from line after a continuation */
};

struct prop_comment {
    const char *text; /* comment text after the marker, trimmed */
    uint32_t line, col;
};

struct props {
    struct prop *v;
    uint32_t n, cap;
    struct prop_comment *comments;
    uint32_t ncomments, capc;
};

/* Parse data[0..len); strings live in a.  The props arrays are malloc'd:
 * release with props_release(). */
void props_parse(struct arena *a, const char *data, size_t len, struct props *out);
void props_release(struct props *p);

#endif
