/*
 * grid.h - an in-memory screen: cells of one code point and one semantic
 * element each.  Views draw into a grid; the terminal back end (term.c)
 * maps elements to curses attributes and blits it, the headless script
 * mode saves it as text (golden screens), and --batch prints it.  Nothing
 * here knows about curses.
 *
 * Text is UTF-8.  Control characters (cluster data is untrusted: client
 * ids and hosts are free text) become '?'.  Without a UTF-8 locale
 * (grid.utf8 false) every non-ASCII character is drawn as '?', and views
 * pick ASCII glyphs through grid_glyph().
 */
#ifndef KA_GRID_H
#define KA_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Semantic elements (htop's ColorElements); term.c maps each to a colour
 * pair or, in monochrome, to bold/reverse/underline. */
enum el {
    EL_NORMAL,
    EL_TITLE,
    EL_TAB,
    EL_TAB_ACTIVE,
    EL_HEADER,
    EL_HEADER_SORT,
    EL_SELECTED,
    EL_OK,
    EL_WARN,
    EL_ERR,
    EL_CRIT,
    EL_DIM,
    EL_BOLD,
    EL_STATUS,
    EL_STATUS_ERR,
    EL_KEY,
    EL_KEYLABEL,
    EL_PROMPT,
    EL__COUNT
};

struct cell {
    uint32_t ch; /* code point; 0 = continuation of a double-width character */
    uint8_t el;  /* enum el */
};

struct grid {
    int w, h;
    struct cell *c;
    bool utf8;
};

void grid_init(struct grid *g, int w, int h, bool utf8);
void grid_resize(struct grid *g, int w, int h);
void grid_release(struct grid *g);
void grid_clear(struct grid *g);

/* Write s at (x, y), at most maxw columns (clipped to the grid); text that
 * does not fit ends with an ellipsis.  Returns the columns written. */
int grid_put(struct grid *g, int x, int y, int maxw, uint8_t el, const char *s);
/* Right-aligned in [x, x + w). */
void grid_put_right(struct grid *g, int x, int y, int w, uint8_t el, const char *s);
/* n cells from (x, y) set to ch with el. */
void grid_fill(struct grid *g, int x, int y, int n, uint8_t el, uint32_t ch);
/* Change the element of n cells (selection bars). */
void grid_set_el(struct grid *g, int x, int y, int n, uint8_t el);
/* Display width of s (code points; double-width ones count 2). */
int grid_width(const struct grid *g, const char *s);

/* Row y as text (trailing blanks trimmed), appended to out with '\n'. */
void grid_row_text(const struct grid *g, int y, struct buf *out);
/* The whole grid as text, one line per row. */
void grid_text(const struct grid *g, struct buf *out);

/* The element layer as text, one letter per cell (tests): . normal,
 * T title, t tab, A active tab, H header, h sorted header, S selected,
 * o ok, w warn, e error, c critical, d dim, b bold, s status, E status
 * error, K key, k key label, p prompt; trailing '.' trimmed. */
void grid_attr_text(const struct grid *g, struct buf *out);

/* Glyphs with ASCII fallbacks. */
enum glyph {
    GL_UP,       /* ↑ ^ */
    GL_DOWN,     /* ↓ v */
    GL_ARROW,    /* → -> */
    GL_ELLIPSIS, /* … ~ */
    GL_VBAR,     /* │ | */
    GL_SPARK0,   /* ▁ .  (GL_SPARK0 + 0..7) */
};
const char *grid_glyph(const struct grid *g, int glyph);

#endif
