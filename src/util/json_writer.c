#define _GNU_SOURCE /* fputs_unlocked, fwrite_unlocked */
#include "util/json_writer.h"
#include "util/utf8.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* One writer per stream, one thread: skip stdio's per-call locking, which
 * is a measurable share of writing 100,000 partitions. */
#define fputc fputc_unlocked
#define fwrite fwrite_unlocked
#define fputs fputs_unlocked

void jw_init(struct jw *w, FILE *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void indent(struct jw *w)
{
    if (!w->pretty)
        return;
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Called before every value or key: separators and indentation. */
static void pre_value(struct jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->need_comma[w->depth])
            fputc(',', w->out);
        w->need_comma[w->depth] = true;
        indent(w);
    }
}

static void open(struct jw *w, char c)
{
    pre_value(w);
    fputc(c, w->out);
    if (w->depth + 1 < JW_MAX_DEPTH)
        w->depth++;
    w->need_comma[w->depth] = false;
}

static void close_(struct jw *w, char c)
{
    bool had = w->need_comma[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (had)
        indent(w);
    fputc(c, w->out);
}

void jw_obj_begin(struct jw *w) { open(w, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr_begin(struct jw *w) { open(w, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

void json_escape_to(FILE *out, const char *s, size_t n)
{
    size_t i = 0, run = 0; /* s[run..i) is a run of bytes needing no escape */
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (i > run)
            fwrite(s + run, 1, i - run, out);
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            case '\b': fputs("\\b", out); break;
            case '\f': fputs("\\f", out); break;
            default: fprintf(out, "\\u%04x", c);
            }
            i++;
        } else {
            size_t len = utf8_valid_seq(s + i, n - i);
            if (len) {
                fwrite(s + i, 1, len, out);
                i += len;
            } else {
                fputs("\\ufffd", out);
                i++;
            }
        }
        run = i;
    }
    if (i > run)
        fwrite(s + run, 1, i - run, out);
}

void jw_key(struct jw *w, const char *k)
{
    pre_value(w);
    fputc('"', w->out);
    json_escape_to(w->out, k, strlen(k));
    fputs(w->pretty ? "\": " : "\":", w->out);
    w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    pre_value(w);
    fputc('"', w->out);
    json_escape_to(w->out, s, n);
    fputc('"', w->out);
}

void jw_str(struct jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_strn(w, s, strlen(s));
}

void jw_int(struct jw *w, int64_t v)
{
    pre_value(w);
    fprintf(w->out, "%" PRId64, v);
}

void jw_double(struct jw *w, double v)
{
    pre_value(w);
    if (!isfinite(v))
        fputs("null", w->out);
    else
        fprintf(w->out, "%.6g", v);
}

void jw_bool(struct jw *w, bool v)
{
    pre_value(w);
    fputs(v ? "true" : "false", w->out);
}

void jw_null(struct jw *w)
{
    pre_value(w);
    fputs("null", w->out);
}

void jw_raw(struct jw *w, const char *json)
{
    pre_value(w);
    fputs(json, w->out);
}

void jw_end(struct jw *w)
{
    fputc('\n', w->out);
}

void jw_kstr(struct jw *w, const char *k, const char *v)
{
    jw_key(w, k);
    jw_str(w, v);
}

void jw_kint(struct jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *k, bool v)
{
    jw_key(w, k);
    jw_bool(w, v);
}
