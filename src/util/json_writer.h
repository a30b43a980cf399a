/*
 * json_writer.h - streaming JSON emitter.
 *
 * Writes to a FILE * through a fixed buffer, so large documents (100,000
 * partitions) are never held in memory.  Nothing else may write to the
 * FILE between jw_init() and jw_end() or jw_flush(): it would land before
 * what the writer still holds.  The writer tracks nesting and inserts commas;
 * callers only open/close containers and emit keys and values.  Strings
 * are escaped per RFC 8259; invalid UTF-8 bytes are replaced by U+FFFD so
 * the output is always valid JSON whatever the input files contained.
 */
#ifndef KA_JSON_WRITER_H
#define KA_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 64
#define JW_BUF       32768

/* Output is gathered in buf and handed to out in large writes: a report
 * is made of many tiny pieces, and one stdio call per piece cost more
 * than composing the report. */
struct jw {
    FILE *out;
    int depth;
    bool pretty;
    bool after_key;
    bool need_comma[JW_MAX_DEPTH];
    size_t n;
    char buf[JW_BUF];
};

void jw_init(struct jw *w, FILE *out, bool pretty);
void jw_obj_begin(struct jw *w);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s); /* NULL -> null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Finish the document: newline after the top-level value, and everything
 * written so far handed to the stream. */
void jw_end(struct jw *w);
/* Hand what is buffered to the stream (jw_end does it). */
void jw_flush(struct jw *w);

/* key + value shorthands */
void jw_kstr(struct jw *w, const char *k, const char *v);
void jw_kint(struct jw *w, const char *k, int64_t v);
void jw_kbool(struct jw *w, const char *k, bool v);

/* Unformatted output through the writer's buffer, for callers that lay
 * out JSON themselves (fixed shapes written at speed). */
void jw_lit(struct jw *w, const char *s, size_t n);
#define JW_LIT(w, lit) jw_lit((w), (lit), sizeof(lit) - 1)
void jw_lit_int(struct jw *w, int64_t v);
/* A quoted, escaped string; NULL -> null. */
void jw_lit_str(struct jw *w, const char *s);

#endif
