#define _GNU_SOURCE /* fwrite_unlocked */
#include "util/json_writer.h"
#include "util/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void jw_init(struct jw *w, FILE *out, bool pretty)
{
    w->out = out;
    w->depth = 0;
    w->pretty = pretty;
    w->after_key = false;
    memset(w->need_comma, 0, sizeof w->need_comma);
    w->n = 0;
}

/* One writer per stream, one thread: no stdio locking. */
void jw_flush(struct jw *w)
{
    if (w->n)
        fwrite_unlocked(w->buf, 1, w->n, w->out);
    w->n = 0;
}

void jw_lit(struct jw *w, const char *s, size_t n)
{
    if (n > JW_BUF - w->n) {
        jw_flush(w);
        if (n > JW_BUF) {
            fwrite_unlocked(s, 1, n, w->out);
            return;
        }
    }
    memcpy(w->buf + w->n, s, n);
    w->n += n;
}

static inline void put(struct jw *w, char c)
{
    if (w->n == JW_BUF)
        jw_flush(w);
    w->buf[w->n++] = c;
}

static void indent(struct jw *w)
{
    static const char spaces[] = "                                                                ";
    if (!w->pretty)
        return;
    put(w, '\n');
    for (size_t k = 2 * (size_t)w->depth; k;) {
        size_t m = k < sizeof spaces - 1 ? k : sizeof spaces - 1;
        jw_lit(w, spaces, m);
        k -= m;
    }
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
            put(w, ',');
        w->need_comma[w->depth] = true;
        indent(w);
    }
}

static void open(struct jw *w, char c)
{
    pre_value(w);
    put(w, c);
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
    put(w, c);
}

void jw_obj_begin(struct jw *w) { open(w, '{'); }
void jw_obj_end(struct jw *w) { close_(w, '}'); }
void jw_arr_begin(struct jw *w) { open(w, '['); }
void jw_arr_end(struct jw *w) { close_(w, ']'); }

/* plain[c]: byte c is copied as it is (printable ASCII but '"' and '\\'). */
// clang-format off
static const unsigned char plain[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
    1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20: '"' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50: '\\' */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x70 */
    /* 0x80-0xff: 0 (UTF-8, checked) */
};
// clang-format on

/* s[0..n) as the body of a JSON string: runs of printable ASCII are
 * copied whole; quotes, backslashes and control characters are escaped;
 * valid UTF-8 passes, any other byte becomes U+FFFD. */
static void escape(struct jw *w, const char *s, size_t n)
{
    size_t i = 0, run = 0; /* s[run..i) is a run of bytes needing no escape */
    while (i < n) {
        while (i < n && plain[(unsigned char)s[i]])
            i++;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        jw_lit(w, s + run, i - run);
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            jw_lit(w, e, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': JW_LIT(w, "\\n"); break;
            case '\r': JW_LIT(w, "\\r"); break;
            case '\t': JW_LIT(w, "\\t"); break;
            case '\b': JW_LIT(w, "\\b"); break;
            case '\f': JW_LIT(w, "\\f"); break;
            default: {
                static const char hex[] = "0123456789abcdef";
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                jw_lit(w, e, 6);
            }
            }
            i++;
        } else {
            size_t len = utf8_valid_seq(s + i, n - i);
            if (len) {
                jw_lit(w, s + i, len);
                i += len;
            } else {
                JW_LIT(w, "\\ufffd");
                i++;
            }
        }
        run = i;
    }
    jw_lit(w, s + run, i - run);
}

void jw_lit_str(struct jw *w, const char *s)
{
    if (!s) {
        JW_LIT(w, "null");
        return;
    }
    put(w, '"');
    escape(w, s, strlen(s));
    put(w, '"');
}

void jw_lit_int(struct jw *w, int64_t v)
{
    char t[24];
    size_t i = sizeof t;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        t[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        t[--i] = '-';
    jw_lit(w, t + i, sizeof t - i);
}

void jw_key(struct jw *w, const char *k)
{
    pre_value(w);
    put(w, '"');
    escape(w, k, strlen(k));
    if (w->pretty)
        JW_LIT(w, "\": ");
    else
        JW_LIT(w, "\":");
    w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    pre_value(w);
    put(w, '"');
    escape(w, s, n);
    put(w, '"');
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
    jw_lit_int(w, v);
}

void jw_bool(struct jw *w, bool v)
{
    pre_value(w);
    if (v)
        JW_LIT(w, "true");
    else
        JW_LIT(w, "false");
}

void jw_null(struct jw *w)
{
    pre_value(w);
    JW_LIT(w, "null");
}

void jw_end(struct jw *w)
{
    put(w, '\n');
    jw_flush(w);
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
