/*
 * grid.c - the in-memory screen (see grid.h).
 */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* wcwidth */
#endif
#include "tui/grid.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

void grid_init(struct grid *g, int w, int h, bool utf8)
{
    memset(g, 0, sizeof *g);
    g->utf8 = utf8;
    grid_resize(g, w, h);
}

void grid_resize(struct grid *g, int w, int h)
{
    if (w < 1)
        w = 1;
    if (h < 1)
        h = 1;
    free(g->c);
    g->w = w;
    g->h = h;
    g->c = xcalloc((size_t)w * (size_t)h, sizeof *g->c);
    grid_clear(g);
}

void grid_release(struct grid *g)
{
    free(g->c);
    g->c = NULL;
    g->w = g->h = 0;
}

void grid_clear(struct grid *g)
{
    for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
        g->c[i] = (struct cell){' ', EL_NORMAL};
}

/* Decode one code point; invalid bytes give U+FFFD and advance by one. */
static uint32_t decode(const unsigned char **ps)
{
    const unsigned char *s = *ps;
    uint32_t c = s[0];
    int n = c < 0x80             ? 0
            : (c & 0xe0) == 0xc0 ? 1
            : (c & 0xf0) == 0xe0 ? 2
            : (c & 0xf8) == 0xf0 ? 3
                                 : -1;
    if (n < 0) {
        *ps = s + 1;
        return 0xfffd;
    }
    if (n == 0) {
        *ps = s + 1;
        return c;
    }
    c &= 0x3fu >> n;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *ps = s + 1;
            return 0xfffd;
        }
        c = (c << 6) | (s[i] & 0x3f);
    }
    *ps = s + n + 1;
    if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0xfffd;
    return c;
}

/* Cell width of c after sanitizing (*c may be replaced). */
static int cwidth(const struct grid *g, uint32_t *c)
{
    if (*c < 0x20 || *c == 0x7f || (*c >= 0x80 && *c < 0xa0)) {
        *c = '?';
        return 1;
    }
    if (*c < 0x80)
        return 1;
    if (!g->utf8) {
        *c = '?';
        return 1;
    }
    int w = wcwidth((wchar_t)*c);
    if (w < 1) {
        /* combining or unknown: drawing it alone would shift columns */
        *c = '?';
        return 1;
    }
    return w > 2 ? 2 : w;
}

int grid_width(const struct grid *g, const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t c = decode(&p);
        w += cwidth(g, &c);
    }
    return w;
}

static void set(struct grid *g, int x, int y, uint32_t ch, uint8_t el)
{
    if (x >= 0 && x < g->w && y >= 0 && y < g->h)
        g->c[(size_t)y * (size_t)g->w + (size_t)x] = (struct cell){ch, el};
}

const char *grid_glyph(const struct grid *g, int glyph)
{
    static const char *const u[] = {"\u2191", "\u2193", "\u2192", "\u2026", "\u2502",
                                    "\u2581", "\u2582", "\u2583", "\u2584", "\u2585",
                                    "\u2586", "\u2587", "\u2588"};
    static const char *const a[] = {"^", "v", "->", "~", "|", "_", ".",
                                    ",", "-", "=",  "+", "*", "#"};
    if (glyph < 0 || glyph > GL_SPARK0 + 7)
        return "?";
    return g->utf8 ? u[glyph] : a[glyph];
}

int grid_put(struct grid *g, int x, int y, int maxw, uint8_t el, const char *s)
{
    if (y < 0 || y >= g->h || x >= g->w || !s)
        return 0;
    if (maxw > g->w - x)
        maxw = g->w - x;
    if (maxw <= 0)
        return 0;
    int total = grid_width(g, s);
    const char *ell = grid_glyph(g, GL_ELLIPSIS);
    int ellw = total > maxw ? grid_width(g, ell) : 0;
    int limit = total > maxw ? maxw - ellw : maxw;
    int col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t c = decode(&p);
        int w = cwidth(g, &c);
        if (col + w > limit)
            break;
        set(g, x + col, y, c, el);
        if (w == 2)
            set(g, x + col + 1, y, 0, el);
        col += w;
    }
    if (total > maxw) {
        for (const unsigned char *p = (const unsigned char *)ell; *p && col < maxw;) {
            uint32_t c = decode(&p);
            set(g, x + col++, y, c, el);
        }
    }
    return col;
}

void grid_put_right(struct grid *g, int x, int y, int w, uint8_t el, const char *s)
{
    int sw = grid_width(g, s);
    if (sw >= w)
        grid_put(g, x, y, w, el, s);
    else
        grid_put(g, x + w - sw, y, sw, el, s);
}

void grid_fill(struct grid *g, int x, int y, int n, uint8_t el, uint32_t ch)
{
    for (int i = 0; i < n; i++)
        set(g, x + i, y, ch, el);
}

void grid_set_el(struct grid *g, int x, int y, int n, uint8_t el)
{
    if (y < 0 || y >= g->h)
        return;
    for (int i = x < 0 ? 0 : x; i < x + n && i < g->w; i++)
        g->c[(size_t)y * (size_t)g->w + (size_t)i].el = el;
}

static void put_utf8(struct buf *out, uint32_t c)
{
    char b[4];
    if (c < 0x80) {
        buf_putc(out, (char)c);
        return;
    }
    int n;
    if (c < 0x800) {
        b[0] = (char)(0xc0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3f));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xe0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[2] = (char)(0x80 | (c & 0x3f));
        n = 3;
    } else {
        b[0] = (char)(0xf0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[3] = (char)(0x80 | (c & 0x3f));
        n = 4;
    }
    buf_add(out, b, (size_t)n);
}

void grid_row_text(const struct grid *g, int y, struct buf *out)
{
    if (y < 0 || y >= g->h)
        return;
    const struct cell *row = &g->c[(size_t)y * (size_t)g->w];
    int last = g->w - 1;
    while (last >= 0 && (row[last].ch == ' '))
        last--;
    for (int x = 0; x <= last; x++)
        if (row[x].ch)
            put_utf8(out, row[x].ch);
    buf_putc(out, '\n');
}

void grid_attr_text(const struct grid *g, struct buf *out)
{
    static const char letters[EL__COUNT + 1] = ".TtAHhSowecdbsEKkp";
    for (int y = 0; y < g->h; y++) {
        const struct cell *row = &g->c[(size_t)y * (size_t)g->w];
        int last = g->w - 1;
        while (last >= 0 && row[last].el == EL_NORMAL)
            last--;
        for (int x = 0; x <= last; x++)
            buf_putc(out, row[x].el < EL__COUNT ? letters[row[x].el] : '?');
        buf_putc(out, '\n');
    }
}

void grid_text(const struct grid *g, struct buf *out)
{
    for (int y = 0; y < g->h; y++)
        grid_row_text(g, y, out);
}
