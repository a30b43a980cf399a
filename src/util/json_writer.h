/*
 * json_writer.h - streaming JSON emitter.
 *
 * Writes straight to a FILE * so large documents (100,000 partitions) are
 * never held in memory.  The writer tracks nesting and inserts commas;
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

struct jw {
    FILE *out;
    int depth;
    bool pretty;
    bool need_comma[JW_MAX_DEPTH];
    bool after_key;
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
void jw_double(struct jw *w, double v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* Emit a pre-formatted JSON fragment (caller guarantees validity). */
void jw_raw(struct jw *w, const char *json);
/* Finish the document: newline after the top-level value. */
void jw_end(struct jw *w);

/* key + value shorthands */
void jw_kstr(struct jw *w, const char *k, const char *v);
void jw_kint(struct jw *w, const char *k, int64_t v);
void jw_kbool(struct jw *w, const char *k, bool v);

/* Escape s as JSON string body (no quotes) to out. */
void json_escape_to(FILE *out, const char *s, size_t n);

#endif
