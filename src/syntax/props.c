#include "syntax/props.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_utf8(struct buf *b, unsigned cp)
{
    if (cp < 0x80)
        buf_putc(b, (char)cp);
    else if (cp < 0x800) {
        buf_putc(b, (char)(0xc0 | (cp >> 6)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    } else {
        buf_putc(b, (char)(0xe0 | (cp >> 12)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_putc(b, (char)(0x80 | (cp & 0x3f)));
    }
}

/* A logical line: physical lines joined at odd trailing backslashes.
 * Where each piece came from is kept per piece, not per byte (8 bytes of
 * positions per byte made a 60 MB value take a gigabyte). */
struct lseg {
    size_t off; /* where the piece starts in text */
    uint32_t line, col;
};
struct lline {
    struct buf text;
    struct lseg *segs;
    uint32_t nsegs, capsegs;
};

static void ll_add(struct lline *l, const char *s, size_t n, uint32_t line, uint32_t col)
{
    if (!n)
        return;
    XGROW(l->segs, l->capsegs, l->nsegs + 1);
    l->segs[l->nsegs++] = (struct lseg){l->text.len, line, col};
    buf_add(&l->text, s, n);
}

/* The line and column of byte i of the logical line. */
static void ll_pos(const struct lline *l, size_t i, uint32_t *line, uint32_t *col)
{
    uint32_t lo = 0, hi = l->nsegs; /* last segment with off <= i */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (l->segs[mid].off <= i)
            lo = mid;
        else
            hi = mid;
    }
    *line = l->segs[lo].line;
    *col = l->segs[lo].col + (uint32_t)(i - l->segs[lo].off);
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\f'; }

/* Unescape s[from..to) into a string. */
static const char *unescape(struct arena *a, const char *s, size_t from, size_t to,
                            bool trim_trailing)
{
    if (!memchr(s + from, '\\', to - from)) { /* nothing to unescape: no copy to make */
        size_t len = to - from;
        if (trim_trailing)
            while (len && (s[from + len - 1] == ' ' || s[from + len - 1] == '\t' ||
                           s[from + len - 1] == '\r'))
                len--;
        return arena_strndup(a, s + from, len);
    }
    struct buf b = BUF_INIT;
    for (size_t i = from; i < to; i++) {
        char c = s[i];
        if (c != '\\' || i + 1 >= to) {
            buf_putc(&b, c);
            continue;
        }
        c = s[++i];
        switch (c) {
        case 't': buf_putc(&b, '\t'); break;
        case 'n': buf_putc(&b, '\n'); break;
        case 'r': buf_putc(&b, '\r'); break;
        case 'f': buf_putc(&b, '\f'); break;
        case 'u':
            if (i + 4 < to) {
                int h1 = hexval(s[i + 1]), h2 = hexval(s[i + 2]), h3 = hexval(s[i + 3]),
                    h4 = hexval(s[i + 4]);
                if (h1 >= 0 && h2 >= 0 && h3 >= 0 && h4 >= 0) {
                    put_utf8(&b, (unsigned)(h1 << 12 | h2 << 8 | h3 << 4 | h4));
                    i += 4;
                    break;
                }
            }
            buf_putc(&b, 'u');
            break;
        default: buf_putc(&b, c);
        }
    }
    size_t len = b.len;
    if (trim_trailing)
        while (len && (b.p[len - 1] == ' ' || b.p[len - 1] == '\t' || b.p[len - 1] == '\r'))
            len--;
    const char *r = arena_strndup(a, buf_str(&b), len);
    buf_release(&b);
    return r;
}

static void emit(struct arena *a, struct lline *l, struct props *out)
{
    const char *s = l->text.p;
    size_t n = l->text.len, i = 0;
    while (i < n && is_ws(s[i]))
        i++;
    if (i >= n)
        return;
    size_t kstart = i;
    while (i < n) {
        if (s[i] == '\\') {
            i += 2;
            continue;
        }
        if (s[i] == '=' || s[i] == ':' || is_ws(s[i]))
            break;
        i++;
    }
    size_t kend = i > n ? n : i;
    while (i < n && is_ws(s[i]))
        i++;
    if (i < n && (s[i] == '=' || s[i] == ':')) {
        i++;
        while (i < n && is_ws(s[i]))
            i++;
    }
    XGROW(out->v, out->cap, out->n + 1);
    struct prop *p = &out->v[out->n++];
    p->key = unescape(a, s, kstart, kend, false);
    p->value = unescape(a, s, i, n, true);
    uint32_t ln, col;
    ll_pos(l, kstart, &p->line, &p->key_col);
    if (i < n) {
        ll_pos(l, i, &p->val_line, &p->val_col);
    } else {
        ll_pos(l, kend < n ? kend : n - 1, &ln, &col);
        p->val_line = p->line;
        p->val_col = col + 1;
    }
}

void props_parse(struct arena *a, const char *data, size_t len, struct props *out)
{
    memset(out, 0, sizeof *out);
    struct lline l;
    memset(&l, 0, sizeof l);
    size_t pos = 0;
    uint32_t line = 1;
    bool continuing = false;
    /* skip a UTF-8 byte order mark */
    if (len >= 3 && (unsigned char)data[0] == 0xef && (unsigned char)data[1] == 0xbb &&
        (unsigned char)data[2] == 0xbf)
        pos = 3;
    while (pos <= len) {
        size_t eol = pos;
        while (eol < len && data[eol] != '\n' && data[eol] != '\r')
            eol++;
        size_t start = pos;
        uint32_t col = 1;
        if (continuing) {
            while (start < eol && is_ws(data[start])) {
                start++;
                col++;
            }
        } else {
            size_t f = start;
            while (f < eol && is_ws(data[f]))
                f++;
            if (f < eol && (data[f] == '#' || data[f] == '!')) {
                size_t c = f + 1;
                while (c < eol && is_ws(data[c]))
                    c++;
                size_t e = eol;
                while (e > c && is_ws(data[e - 1]))
                    e--;
                XGROW(out->comments, out->capc, out->ncomments + 1);
                struct prop_comment *pc = &out->comments[out->ncomments++];
                pc->text = arena_strndup(a, data + c, e - c);
                pc->line = line;
                pc->col = (uint32_t)(f - pos) + 1;
                goto next_line;
            }
            /* a template's own line ({% if %}, {# #}, or a line that
             * starts with {{ expr }}: Jinja, as Ansible's
             * server.properties.j2 templates write them, or Go templates):
             * not a setting whose key is known; what it renders is unknown */
            if (f + 1 < eol && data[f] == '{' &&
                (data[f + 1] == '%' || data[f + 1] == '#' || data[f + 1] == '{'))
                goto next_line;
        }
        {
            size_t bs = 0;
            for (size_t k = eol; k > start && data[k - 1] == '\\'; k--)
                bs++;
            size_t content_end = (bs % 2) ? eol - 1 : eol;
            if (content_end > start)
                ll_add(&l, data + start, content_end - start, line, col);
            continuing = bs % 2 == 1 && eol < len;
            if (!continuing) {
                if (l.text.len)
                    emit(a, &l, out);
                buf_reset(&l.text);
                l.nsegs = 0;
            }
        }
    next_line:
        if (eol >= len)
            break;
        if (data[eol] == '\r' && eol + 1 < len && data[eol + 1] == '\n')
            eol++;
        pos = eol + 1;
        line++;
    }
    if (l.text.len)
        emit(a, &l, out);
    buf_release(&l.text);
    free(l.segs);
}

void props_release(struct props *p)
{
    free(p->v);
    free(p->comments);
    memset(p, 0, sizeof *p);
}
