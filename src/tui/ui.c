/*
 * ui.c - dashboard state, keys, the virtual list driver and the frame
 * (title, tabs, status line, key-hint bar, help).  See ui.h.
 */
#include "tui/ui.h"
#include "util/xalloc.h"
#include "util/strutil.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct view_def *const views[V__COUNT] = {
    &view_overview,     &view_partitions,     &view_timeline,    &view_brokers,
    &view_groups,       &view_findings,       &view_part_detail, &view_broker_detail,
    &view_group_detail, &view_finding_detail,
};

const struct view_def *view_def(int v) { return v >= 0 && v < V__COUNT ? views[v] : views[0]; }

int view_parse(const char *s)
{
    for (int v = 0; v < V__TOP; v++)
        if (strcmp(views[v]->name, s) == 0)
            return v;
    if (s[0] >= '1' && s[0] <= '6' && !s[1])
        return s[0] - '1';
    return -1;
}

const char *view_name(int v) { return view_def(v)->name; }

/* ---- formatting ---------------------------------------------------------------- */

void ui_fmt(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, n, fmt, ap);
    va_end(ap);
}

void ui_dur(char *out, size_t n, int64_t ms) { fmt_ms_compact(out, n, ms); }

void ui_clock(char *out, size_t n, int64_t ms)
{
    if (ms <= 0) {
        ui_fmt(out, n, "--:--:--");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    ui_fmt(out, n, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void ui_num(char *out, size_t n, int64_t v)
{
    if (v < 0)
        ui_fmt(out, n, "-");
    else
        fmt_count(out, n, v);
}

void ui_group_lag(char *out, size_t n, const struct wgroup *g)
{
    char a[48];
    ui_num(a, sizeof a, g->total_lag);
    ui_fmt(out, n, "%s%s", a, g->total_lag >= 0 && g->lag_partial ? "+" : "");
}

void ui_ids(char *out, size_t n, const int32_t *v, uint32_t k)
{
    size_t o = 0;
    if (!n)
        return;
    out[0] = '\0';
    if (!k) {
        ui_fmt(out, n, "-");
        return;
    }
    for (uint32_t i = 0; i < k && o + 1 < n; i++) {
        int r = snprintf(out + o, n - o, "%s%d", i ? "," : "", v[i]);
        if (r < 0)
            break;
        o += (size_t)r;
    }
}

void ui_rate(char *out, size_t n, double r)
{
    if (r < 0)
        ui_fmt(out, n, "-");
    else if (r < 10)
        ui_fmt(out, n, "%.1f/s", r);
    else if (r < 10000)
        ui_fmt(out, n, "%.0f/s", r);
    else if (r < 1e7)
        ui_fmt(out, n, "%.0fk/s", r / 1000);
    else
        ui_fmt(out, n, "%.0fM/s", r / 1e6);
}

const char *ui_part_name(struct ui *u, uint32_t part, char *buf, size_t n)
{
    if (part >= u->w->nparts) {
        ui_fmt(buf, n, "-");
        return buf;
    }
    const struct wpart *p = &u->w->parts[part];
    ui_fmt(buf, n, "%s-%d", wpart_topic(u->w, p), p->id);
    return buf;
}

void ui_spark(struct ui *u, const struct grid *g, const struct wgroup *grp, int width, char *out,
              size_t n)
{
    (void)u;
    size_t o = 0;
    out[0] = '\0';
    int k = grp->spark_n < width ? grp->spark_n : width;
    int64_t max = 0;
    for (int i = grp->spark_n - k; i < grp->spark_n; i++) {
        int64_t v = grp->spark[(grp->spark_head + i) % WATCH_NSPARK];
        if (v > max)
            max = v;
    }
    for (int i = grp->spark_n - k; i < grp->spark_n; i++) {
        int64_t v = grp->spark[(grp->spark_head + i) % WATCH_NSPARK];
        int level = max > 0 ? (int)((v * 7 + max - 1) / max) : 0;
        if (level > 7)
            level = 7;
        const char *gl = v < 0 ? " " : grid_glyph(g, GL_SPARK0 + level);
        size_t l = strlen(gl);
        if (o + l + 1 > n)
            break;
        memcpy(out + o, gl, l);
        o += l;
        out[o] = '\0';
    }
}

const char *ui_tl_prefix(const struct grid *g, int how, int64_t ms)
{
    if (ms <= 0 || how == WTL_EXACT)
        return "";
    if (how == WTL_EXTRAPOLATED)
        return "~";
    return g->utf8 ? "\u2265" : ">";
}

uint8_t ui_state_el(int s)
{
    switch (s) {
    case WS_OFFLINE: return EL_CRIT;
    case WS_UNDER_MIN: return EL_ERR;
    case WS_AT_MIN: return EL_WARN;
    case WS_URP: return EL_WARN;
    default: return EL_OK;
    }
}

uint8_t ui_gstatus_el(int s, bool lost)
{
    if (lost)
        return EL_CRIT;
    switch (s) {
    case WG_LOST: return EL_CRIT;
    case WG_STALL:
    case WG_STOP:
    case WG_REWIND: return EL_ERR;
    case WG_WARN: return EL_WARN;
    case WG_OK: return EL_OK;
    default: return EL_DIM;
    }
}

const struct wevent *ui_event(struct ui *u, uint32_t item)
{
    if (!u->w->nevents)
        return NULL;
    uint64_t newest = u->w->nevents - 1;
    uint64_t seq = newest - (uint32_t)((uint32_t)newest - item);
    return watch_event(u->w, seq);
}

void ui_message(struct ui *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    va_end(ap);
    u->msg_until = -1; /* until the next key */
}

/* ---- state ------------------------------------------------------------------- */

void ui_init(struct ui *u, struct watch *w)
{
    memset(u, 0, sizeof *u);
    u->w = w;
    for (int v = 0; v < V__COUNT; v++)
        u->ls[v].sort = -1;
}

void ui_release(struct ui *u)
{
    for (int v = 0; v < V__COUNT; v++)
        free(u->ls[v].items);
    free(u->scratch);
    memset(u, 0, sizeof *u);
}

void ui_set_model(struct ui *u, const struct model *m, const struct finding_list *fl)
{
    u->m = m;
    u->fl = fl;
    for (int v = 0; v < V__COUNT; v++)
        u->ls[v].valid = false;
    u->scratch_gen = 0;
}

void ui_push(struct ui *u, int view, uint32_t subject)
{
    if (u->depth >= UI_STACK)
        return;
    u->stack[u->depth] = u->view;
    u->stack_subject[u->depth] = u->subject;
    u->depth++;
    u->view = view;
    u->subject = subject;
    struct lstate *ls = &u->ls[view];
    ls->sel = ls->top = 0;
    ls->have_sel = false;
    ls->valid = false;
    ls->filter[0] = '\0';
}

static void pop(struct ui *u)
{
    if (!u->depth)
        return;
    u->depth--;
    u->view = u->stack[u->depth];
    u->subject = u->stack_subject[u->depth];
    u->ls[u->view].valid = false;
}

static void go_top(struct ui *u, int v)
{
    u->depth = 0;
    u->view = v;
    u->ls[v].valid = false;
}

static int top_of(const struct ui *u) { return u->depth ? u->stack[0] : u->view; }

/* ---- list index -------------------------------------------------------------- */

static bool icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n)
        return true;
    for (const char *p = hay; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

static struct grid text_grid; /* cells need a grid only for glyph choices */

static void row_text(struct ui *u, const struct view_def *d, uint32_t item, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    if (d->match) {
        d->match(u, item, out, n);
        o = strlen(out);
    }
    for (int c = 0; c < d->ncols && o + 1 < n; c++) {
        char cell[256];
        uint8_t el = EL_NORMAL;
        cell[0] = '\0';
        d->cell(u, &text_grid, item, c, cell, sizeof cell, &el);
        int r = snprintf(out + o, n - o, "%s%s", c ? " " : "", cell);
        if (r < 0)
            break;
        o += (size_t)r;
        if (o >= n)
            o = n - 1;
    }
}

struct sort_ent {
    uint32_t item, pos;
};
static struct ui *sort_u;
static const struct view_def *sort_d;
static int sort_col;
static bool sort_desc;

static int cmp_ent(const void *a, const void *b)
{
    const struct sort_ent *x = a, *y = b;
    int r = sort_d->cmp(sort_u, x->item, y->item, sort_col);
    if (sort_desc)
        r = -r;
    if (r)
        return r;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void ensure_items(struct ui *u, int v)
{
    struct lstate *ls = &u->ls[v];
    const struct view_def *d = view_def(v);
    if (!d->source)
        return;
    if (ls->valid && ls->gen == u->w->gen && strcmp(ls->cfilter, ls->filter) == 0 &&
        ls->csort == ls->sort && ls->cdesc == ls->desc && ls->csubject == u->subject)
        return;
    const uint32_t *src = NULL;
    uint32_t n = u->m ? d->source(u, &src) : 0;
    XGROW(ls->items, ls->cap, n + 1);
    uint32_t k = 0;
    if (ls->filter[0]) {
        char text[1024];
        for (uint32_t i = 0; i < n; i++) {
            row_text(u, d, src[i], text, sizeof text);
            if (icontains(text, ls->filter))
                ls->items[k++] = src[i];
        }
    } else {
        if (n)
            memcpy(ls->items, src, n * sizeof *src);
        k = n;
    }
    ls->n = k;
    if (ls->sort >= 0 && d->cmp && k > 1) {
        struct sort_ent *e = xmalloc(k * sizeof *e);
        for (uint32_t i = 0; i < k; i++)
            e[i] = (struct sort_ent){ls->items[i], i};
        sort_u = u;
        sort_d = d;
        sort_col = ls->sort;
        sort_desc = ls->desc;
        qsort(e, k, sizeof *e, cmp_ent);
        for (uint32_t i = 0; i < k; i++)
            ls->items[i] = e[i].item;
        free(e);
    }
    /* keep the selected item selected */
    if (ls->have_sel) {
        for (uint32_t i = 0; i < k; i++)
            if (ls->items[i] == ls->sel_item) {
                ls->sel = i;
                break;
            }
    }
    if (ls->sel >= k)
        ls->sel = k ? k - 1 : 0;
    ls->valid = true;
    ls->gen = u->w->gen;
    memcpy(ls->cfilter, ls->filter, sizeof ls->cfilter);
    ls->csort = ls->sort;
    ls->cdesc = ls->desc;
    ls->csubject = u->subject;
}

static void select_at(struct ui *u, int v, int64_t pos)
{
    struct lstate *ls = &u->ls[v];
    if (!ls->n) {
        ls->sel = 0;
        ls->have_sel = false;
        return;
    }
    if (pos < 0)
        pos = 0;
    if (pos >= ls->n)
        pos = ls->n - 1;
    ls->sel = (uint32_t)pos;
    ls->sel_item = ls->items[ls->sel];
    ls->have_sel = true;
}

/* Search from the selection (from + dir) for the pattern; wraps. */
static bool search(struct ui *u, int v, const char *pat, int64_t from, int dir)
{
    struct lstate *ls = &u->ls[v];
    const struct view_def *d = view_def(v);
    if (!d->source || !ls->n || !*pat)
        return false;
    char text[1024];
    for (uint32_t k = 0; k < ls->n; k++) {
        int64_t i = ((from + dir * (int64_t)k) % ls->n + ls->n) % ls->n;
        row_text(u, d, ls->items[i], text, sizeof text);
        if (icontains(text, pat)) {
            select_at(u, v, i);
            return true;
        }
    }
    return false;
}

/* ---- keys -------------------------------------------------------------------- */

int key_parse(const char *s, int *key)
{
    static const struct {
        const char *name;
        int key;
    } names[] = {{"Up", K_UP},        {"Down", K_DOWN},
                 {"Left", K_LEFT},    {"Right", K_RIGHT},
                 {"PgUp", K_PGUP},    {"PgDn", K_PGDN},
                 {"Home", K_HOME},    {"End", K_END},
                 {"Enter", K_ENTER},  {"Esc", K_ESC},
                 {"Tab", K_TAB},      {"BTab", K_BTAB},
                 {"BS", K_BACKSPACE}, {"Backspace", K_BACKSPACE},
                 {"F1", K_F1},        {"F3", K_F3},
                 {"F4", K_F4},        {"F5", K_F5},
                 {"F6", K_F6},        {"F10", K_F10},
                 {"C-l", K_CTRL_L},   {"Space", ' '},
                 {"lt", '<'}};
    if (!*s)
        return 0;
    if (*s == '<') {
        const char *e = strchr(s, '>');
        if (e && e > s + 1) {
            size_t n = (size_t)(e - s - 1);
            for (size_t i = 0; i < sizeof names / sizeof *names; i++)
                if (strlen(names[i].name) == n && strncmp(names[i].name, s + 1, n) == 0) {
                    *key = names[i].key;
                    return (int)(n + 2);
                }
            return 0;
        }
    }
    *key = (unsigned char)*s;
    return 1;
}

static unsigned list_key(struct ui *u, int key)
{
    int v = u->view;
    struct lstate *ls = &u->ls[v];
    const struct view_def *d = view_def(v);
    ensure_items(u, v);
    int page = 10;
    switch (key) {
    case K_UP:
    case 'k': select_at(u, v, (int64_t)ls->sel - 1); return UI_REDRAW;
    case K_DOWN:
    case 'j': select_at(u, v, (int64_t)ls->sel + 1); return UI_REDRAW;
    case K_PGUP: select_at(u, v, (int64_t)ls->sel - page); return UI_REDRAW;
    case K_PGDN:
    case ' ': select_at(u, v, (int64_t)ls->sel + page); return UI_REDRAW;
    case K_HOME:
    case 'g': select_at(u, v, 0); return UI_REDRAW;
    case K_END:
    case 'G': select_at(u, v, (int64_t)ls->n - 1); return UI_REDRAW;
    case K_ENTER:
        if (d->enter && ls->n)
            d->enter(u, ls->items[ls->sel]);
        return UI_REDRAW;
    case 'n':
    case K_F3:
        if (!u->search[0])
            ui_message(u, "no search yet: press / to search");
        else if (!search(u, v, u->search, (int64_t)ls->sel + 1, 1))
            ui_message(u, "no match for '%s'", u->search);
        return UI_REDRAW;
    case 'N':
        if (u->search[0] && !search(u, v, u->search, (int64_t)ls->sel - 1, -1))
            ui_message(u, "no match for '%s'", u->search);
        return UI_REDRAW;
    case 's':
    case '>':
    case K_F6:
    case '<':
        if (!d->cmp || !d->ncols) {
            ui_message(u, "this view has no sortable columns");
            return UI_REDRAW;
        }
        if (key == '<')
            ls->sort = ls->sort < 0 ? d->ncols - 1 : ls->sort - 1;
        else
            ls->sort = ls->sort + 1 >= d->ncols ? -1 : ls->sort + 1;
        ls->desc = false;
        if (ls->sort < 0)
            ui_message(u, "sorted problems first");
        else
            ui_message(u, "sorted by %s (S reverses)", d->cols[ls->sort].name);
        return UI_REDRAW;
    case 'S':
        if (ls->sort >= 0)
            ls->desc = !ls->desc;
        return UI_REDRAW;
    default: return 0;
    }
}

static unsigned prompt_key(struct ui *u, int key)
{
    size_t len = strlen(u->pbuf);
    struct lstate *ls = &u->ls[u->view];
    if (key == K_ESC) {
        if (u->prompt == 'f')
            ls->filter[0] = '\0';
        u->prompt = 0;
        return UI_REDRAW;
    }
    if (key == K_ENTER) {
        if (u->prompt == '/') {
            memcpy(u->search, u->pbuf, sizeof u->search);
            if (u->pbuf[0] && !search(u, u->view, u->search, ls->sel, 1))
                ui_message(u, "no match for '%s'", u->search);
        }
        u->prompt = 0;
        return UI_REDRAW;
    }
    if (key == K_BACKSPACE || key == 127 || key == 8) {
        if (len)
            u->pbuf[len - 1] = '\0';
    } else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof u->pbuf) {
        u->pbuf[len] = (char)key;
        u->pbuf[len + 1] = '\0';
    } else {
        return 0;
    }
    if (u->prompt == 'f') {
        memcpy(ls->filter, u->pbuf, sizeof ls->filter);
        ensure_items(u, u->view);
        select_at(u, u->view, 0);
    } else if (u->pbuf[0]) {
        ensure_items(u, u->view);
        search(u, u->view, u->pbuf, ls->sel, 1); /* incremental */
    }
    return UI_REDRAW;
}

unsigned ui_key(struct ui *u, int key)
{
    if (u->msg_until < 0 && key != K_RESIZE) {
        u->msg[0] = '\0';
        u->msg_until = 0;
    }
    if (key == K_RESIZE)
        return UI_REDRAW | UI_FULL;
    if (key == K_CTRL_L)
        return UI_REDRAW | UI_FULL;
    if (u->help) {
        u->help = false; /* any key returns */
        return UI_REDRAW;
    }
    if (u->prompt)
        return prompt_key(u, key);
    if (key >= '1' && key <= '6') {
        go_top(u, key - '1');
        return UI_REDRAW;
    }
    switch (key) {
    case 'q':
    case K_F10: return UI_QUIT;
    case '?':
    case 'h':
    case K_F1: u->help = true; return UI_REDRAW;
    case K_TAB: go_top(u, (top_of(u) + 1) % V__TOP); return UI_REDRAW;
    case K_BTAB: go_top(u, (top_of(u) + V__TOP - 1) % V__TOP); return UI_REDRAW;
    case K_RIGHT: go_top(u, (top_of(u) + 1) % V__TOP); return UI_REDRAW;
    case K_LEFT:
        if (u->depth)
            pop(u);
        else
            go_top(u, (top_of(u) + V__TOP - 1) % V__TOP);
        return UI_REDRAW;
    case K_ESC:
        if (u->depth)
            pop(u);
        else if (u->ls[u->view].filter[0])
            u->ls[u->view].filter[0] = '\0';
        return UI_REDRAW;
    case 'p':
        u->paused = !u->paused;
        ui_message(u, u->paused ? "paused: no new collections (p resumes)" : "resumed");
        return UI_REDRAW | UI_PAUSE;
    case 'r':
    case K_F5: return UI_REDRAW | UI_REFRESH;
    case '/':
        if (!view_def(u->view)->source) {
            ui_message(u, "nothing to search in this view");
            return UI_REDRAW;
        }
        u->prompt = '/';
        u->pbuf[0] = '\0';
        return UI_REDRAW;
    case 'f':
    case '\\':
    case K_F4:
        if (!view_def(u->view)->source) {
            ui_message(u, "nothing to filter in this view");
            return UI_REDRAW;
        }
        u->prompt = 'f';
        memcpy(u->pbuf, u->ls[u->view].filter, sizeof u->pbuf);
        return UI_REDRAW;
    default: break;
    }
    if (view_def(u->view)->source)
        return list_key(u, key);
    return 0;
}

/* ---- drawing ----------------------------------------------------------------- */

static int layout(const struct view_def *d, int width, int *xs, int *ws)
{
    int fixed = 0, nflex = 0, nvis = 0, minflex = 0;
    for (int c = 0; c < d->ncols; c++) {
        ws[c] = -1;
        if (d->cols[c].hide_below && width < d->cols[c].hide_below)
            continue;
        nvis++;
        if (d->cols[c].width)
            fixed += d->cols[c].width;
        else {
            nflex++;
            minflex += d->cols[c].min;
        }
    }
    int free_w = width - fixed - (nvis > 0 ? nvis - 1 : 0);
    int x = 0, flex_left = nflex;
    for (int c = 0; c < d->ncols; c++) {
        if (d->cols[c].hide_below && width < d->cols[c].hide_below)
            continue;
        int w = d->cols[c].width;
        if (!w) {
            w = flex_left ? free_w / flex_left : 0;
            if (w < d->cols[c].min)
                w = d->cols[c].min;
            free_w -= w;
            flex_left--;
        }
        xs[c] = x;
        ws[c] = w;
        x += w + 1;
    }
    (void)minflex;
    return nvis;
}

static void draw_list(struct ui *u, struct grid *g, int v, int y, int h, bool plain)
{
    const struct view_def *d = view_def(v);
    struct lstate *ls = &u->ls[v];
    if (d->info_rows) {
        int k = d->info_rows(u, g->w);
        if (k > h)
            k = h;
        d->info(u, g, y, k);
        y += k;
        h -= k;
    }
    ensure_items(u, v);
    bool footer = d->footer && !plain;
    if (footer)
        h--;
    if (h < 1)
        return;
    int xs[16], ws[16];
    layout(d, g->w, xs, ws);
    /* header */
    grid_fill(g, 0, y, g->w, EL_HEADER, ' ');
    for (int c = 0; c < d->ncols; c++) {
        if (ws[c] < 0)
            continue;
        char name[64];
        bool sorted = ls->sort == c;
        const char *arrow = sorted ? grid_glyph(g, ls->desc ? GL_UP : GL_DOWN) : "";
        int aw = grid_width(g, arrow);
        int nw = (int)strlen(d->cols[c].name);
        if (nw + aw > ws[c])
            nw = ws[c] - aw > 0 ? ws[c] - aw : 0; /* keep the arrow visible */
        ui_fmt(name, sizeof name, "%.*s%s", nw, d->cols[c].name, arrow);
        uint8_t el = sorted ? EL_HEADER_SORT : EL_HEADER;
        if (d->cols[c].right)
            grid_put_right(g, xs[c], y, ws[c], el, name);
        else
            grid_put(g, xs[c], y, ws[c], el, name);
    }
    int visible = plain ? (int)ls->n : h - 1;
    if (plain)
        ls->top = 0;
    else {
        if (ls->sel < ls->top)
            ls->top = ls->sel;
        if (visible > 0 && ls->sel >= ls->top + (uint32_t)visible)
            ls->top = ls->sel - (uint32_t)visible + 1;
        if (ls->n > (uint32_t)visible && ls->top > ls->n - (uint32_t)visible)
            ls->top = ls->n - (uint32_t)visible;
        if (ls->n <= (uint32_t)visible)
            ls->top = 0;
    }
    if (!ls->n) {
        grid_put(g, 1, y + 1, g->w - 2, EL_DIM,
                 !u->m           ? "waiting for the first collection..."
                 : ls->filter[0] ? "nothing matches the filter (Esc clears it)"
                                 : d->empty);
    }
    for (int r = 0; r < visible; r++) {
        uint32_t i = ls->top + (uint32_t)r;
        if (i >= ls->n)
            break;
        int row = y + 1 + r;
        bool sel = !plain && i == ls->sel;
        for (int c = 0; c < d->ncols; c++) {
            if (ws[c] < 0)
                continue;
            char cell[256];
            uint8_t el = EL_NORMAL;
            cell[0] = '\0';
            d->cell(u, g, ls->items[i], c, cell, sizeof cell, &el);
            if (d->cols[c].right)
                grid_put_right(g, xs[c], row, ws[c], el, cell);
            else
                grid_put(g, xs[c], row, ws[c], el, cell);
        }
        if (sel)
            grid_set_el(g, 0, row, g->w, EL_SELECTED);
    }
    if (footer && ls->n)
        d->footer(u, g, y + h, ls->items[ls->sel]);
}

static void draw_view(struct ui *u, struct grid *g, int v, int y, int h, bool plain)
{
    const struct view_def *d = view_def(v);
    if (d->draw)
        d->draw(u, g, y, h);
    else
        draw_list(u, g, v, y, h, plain);
}

static uint32_t tab_count(struct ui *u, int v)
{
    const struct watch *w = u->w;
    switch (v) {
    case V_PARTITIONS: return w->nrisk;
    case V_TIMELINE: return (uint32_t)(w->nevents - watch_oldest_event(w));
    case V_BROKERS: return w->nbrokers_down;
    case V_GROUPS: return w->ngroups_present - w->ngstatus[WG_OK] - w->ngstatus[WG_NONE];
    case V_FINDINGS: return u->fl ? finding_count(u->fl, SEV_INFO, true) : 0;
    default: return 0;
    }
}

static void draw_title(struct ui *u, struct grid *g)
{
    grid_fill(g, 0, 0, g->w, EL_TITLE, ' ');
    char left[256], right[128], clk[16];
    const char *who = u->w->cluster_id     ? u->w->cluster_id
                      : u->w->cluster_name ? u->w->cluster_name
                      : u->st.target       ? u->st.target
                                           : "";
    ui_fmt(left, sizeof left, " kafkaudit top %s %s", grid_glyph(g, GL_VBAR), who);
    ui_clock(clk, sizeof clk, u->st.sample_t);
    /* not LIVE while the cluster cannot be read: what is shown is old */
    const char *mode = u->paused           ? "PAUSED"
                       : u->st.replay      ? "REPLAY"
                       : u->st.unreachable ? "STALE"
                                           : "LIVE";
    if (u->st.replay)
        ui_fmt(right, sizeof right, "%s %s %" PRIu32 "/%" PRIu32 " ", clk, mode, u->st.replay_pos,
               u->st.replay_n);
    else
        ui_fmt(right, sizeof right, "%s %s%s ", clk, mode, u->st.recording ? " REC" : "");
    int rw = grid_width(g, right);
    grid_put(g, 0, 0, g->w - rw - 1, EL_TITLE, left);
    grid_put_right(g, 0, 0, g->w, EL_TITLE, right);
}

static void draw_tabs(struct ui *u, struct grid *g)
{
    int cur = top_of(u);
    /* problem counts on the tabs; the least useful go first when narrow */
    static const unsigned keep[] = {
        1u << V_PARTITIONS | 1u << V_TIMELINE | 1u << V_BROKERS | 1u << V_GROUPS | 1u << V_FINDINGS,
        1u << V_PARTITIONS | 1u << V_BROKERS | 1u << V_GROUPS | 1u << V_FINDINGS,
        1u << V_PARTITIONS | 1u << V_GROUPS,
        0,
    };
    for (size_t pass = 0; pass < sizeof keep / sizeof *keep; pass++) {
        char label[V__TOP][48];
        int total = 0;
        for (int v = 0; v < V__TOP; v++) {
            uint32_t n = tab_count(u, v);
            if (n && (keep[pass] & (1u << v)))
                ui_fmt(label[v], sizeof label[v], " %d %s %" PRIu32 " ", v + 1, view_def(v)->title,
                       n);
            else
                ui_fmt(label[v], sizeof label[v], " %d %s ", v + 1, view_def(v)->title);
            total += grid_width(g, label[v]);
        }
        if (total > g->w && keep[pass])
            continue;
        int x = 0;
        for (int v = 0; v < V__TOP; v++)
            x += grid_put(g, x, 1, g->w - x, v == cur ? EL_TAB_ACTIVE : EL_TAB, label[v]);
        return;
    }
}

static void draw_status(struct ui *u, struct grid *g, int y)
{
    char s[512], a[32], b[32];
    if (u->prompt) {
        ui_fmt(s, sizeof s, "%s%s_", u->prompt == '/' ? "Search: " : "Filter: ", u->pbuf);
        grid_put(g, 0, y, g->w, EL_PROMPT, s);
        return;
    }
    if (u->msg[0]) {
        grid_put(g, 0, y, g->w, EL_STATUS, u->msg);
        return;
    }
    const struct ui_status *st = &u->st;
    size_t o = 0;
    s[0] = '\0';
#define ADD(...)                                                                                   \
    do {                                                                                           \
        int r_ = snprintf(s + o, sizeof s - o, __VA_ARGS__);                                       \
        if (r_ > 0)                                                                                \
            o = o + (size_t)r_ < sizeof s ? o + (size_t)r_ : sizeof s - 1;                         \
    } while (0)
    uint8_t el = EL_STATUS;
    if (st->unreachable) {
        ui_clock(a, sizeof a, st->fail_since);
        ADD("UNREACHABLE since %s (%" PRIu32 " tries): %s", a, st->failures, st->fail_msg);
        el = EL_STATUS_ERR;
    } else if (st->replay) {
        ui_dur(a, sizeof a, st->period_ms);
        if (st->speed > 0)
            ADD("replay %s x%g", st->target ? st->target : "", st->speed);
        else
            ADD("replay %s", st->target ? st->target : "");
        if (st->replay_done)
            ADD(" (end)");
    } else {
        ui_fmt(a, sizeof a, "%" PRId64 "ms", st->collect_ms);
        ADD("collect %s  %" PRIu32 " req  %" PRIu32 " err", a, st->requests, st->errors);
        if (st->sample_t && u->wall_now >= st->sample_t) {
            ui_dur(b, sizeof b, u->wall_now - st->sample_t);
            ADD("  age %s", b);
        }
        ui_dur(a, sizeof a, st->interval_ms);
        ADD("  every %s", a);
        if (st->period_ms > st->interval_ms + st->interval_ms / 2) {
            ui_dur(b, sizeof b, st->period_ms);
            ADD(" (slow: %s)", b);
        }
        if (st->collecting && u->wall_now - st->collecting_since > 1000) {
            ui_dur(b, sizeof b, u->wall_now - st->collecting_since);
            ADD("  collecting %s", b);
        }
        if (st->errors) {
            el = EL_STATUS_ERR;
            if (st->warn_msg[0])
                ADD(": %s", st->warn_msg);
        }
        if (st->sample_t && st->interval_ms > 0 &&
            u->wall_now - st->sample_t >
                3 * (st->period_ms > st->interval_ms ? st->period_ms : st->interval_ms) + 2000)
            el = EL_STATUS_ERR; /* stale */
    }
    /* The short fields after the reason stay in sight: a long reason
     * (librdkafka's connection errors run past 80 columns) is cut with an
     * ellipsis before them rather than pushing them off the screen. */
    size_t head = o;
    if (st->failures && !st->unreachable)
        ADD("  %" PRIu32 " failed", st->failures);
    if (st->recording)
        ADD("  rec %" PRIu32, st->recorded);
    const struct lstate *ls = &u->ls[u->view];
    if (ls->filter[0])
        ADD("  filter: %s", ls->filter);
    if (u->search[0] && view_def(u->view)->source)
        ADD("  /%s", u->search);
#undef ADD
    const char *tail = s + head;
    int tw = grid_width(g, tail);
    if (head == o || grid_width(g, s) <= g->w || tw > g->w / 2) {
        grid_put(g, 0, y, g->w, el, s);
        return;
    }
    char h[sizeof s];
    memcpy(h, s, head);
    h[head] = '\0';
    int x = grid_put(g, 0, y, g->w - tw, el, h);
    grid_put(g, x, y, g->w - x, el, tail);
}

static void draw_keys(struct ui *u, struct grid *g, int y)
{
    char arrows[16];
    ui_fmt(arrows, sizeof arrows, "%s%s", grid_glyph(g, GL_UP), grid_glyph(g, GL_DOWN));
    const char *keys[][2] = {
        {"1-6", "View"},     {arrows, "Move"},
        {"Enter", "Detail"}, {"Esc", "Back"},
        {"/", "Search"},     {"f", "Filter"},
        {"s", "Sort"},       {"p", u->paused ? "Resume" : "Pause"},
        {"r", "Refresh"},    {"?", "Help"},
        {"q", "Quit"},
    };
    grid_fill(g, 0, y, g->w, EL_KEYLABEL, ' ');
    int x = 0;
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        if (i == 3 && !u->depth)
            continue; /* Esc only matters in a detail view */
        int need = grid_width(g, keys[i][0]) + grid_width(g, keys[i][1]) + 1;
        if (x + need > g->w)
            break;
        x += grid_put(g, x, y, g->w - x, EL_KEY, keys[i][0]);
        x += grid_put(g, x, y, g->w - x, EL_KEYLABEL, keys[i][1]);
        x += 1;
    }
}

static const char *const help_text[] = {
    "kafkaudit top - ISR shrink and consumer lag, problems first",
    "1-6, Tab, Shift-Tab   switch view     Enter   detail      Esc / Left  back",
    "Up/Down, j/k          move            PgUp/PgDn, g/G      page, first/last",
    "/  search (n/N next/previous)         f or \\  filter rows (Esc clears)",
    "s  sort by the next column, S reverse (problems first after the last column)",
    "p  pause collection    r  refresh now (replay: next sample)    q  quit",
    "",
    "Partition states (kafka-topics.sh predicates):",
    "  OFFLINE    no leader, or the leader is not a live broker",
    "  UNDER-MIN  ISR < min.insync.replicas: writes with acks=all are refused",
    "  AT-MIN     ISR = min.insync.replicas: one more broker loss refuses them",
    "  URP        under-replicated: ISR smaller than the replica set",
    "Group status over a wall-clock window of our own samples:",
    "  STALL  members present but committed offsets did not advance all window",
    "  STOP   no members and committed offsets did not advance all window",
    "  REWIND committed offset moved back and has not returned",
    "  WARN   lag above zero all window and growing; OK otherwise",
    "  LOST / !  committed offset below the log start: messages deleted unread",
    "SINCE <hh:mm:ss: the state was already there when top started.",
    "Press any key to return.",
};

void ui_draw(struct ui *u, struct grid *g)
{
    grid_clear(g);
    if (g->w < 40 || g->h < 10) {
        char s[64];
        ui_fmt(s, sizeof s, "terminal too small (%dx%d)", g->w, g->h);
        grid_put(g, 0, 0, g->w, EL_STATUS_ERR, s);
        grid_put(g, 0, 1, g->w, EL_NORMAL, "kafkaudit top needs at least 80x24");
        return;
    }
    draw_title(u, g);
    draw_tabs(u, g);
    int bh = ui_body_h(g->h);
    if (u->help) {
        for (size_t i = 0; i < sizeof help_text / sizeof *help_text && (int)i < bh; i++)
            grid_put(g, 1, UI_BODY_Y + (int)i, g->w - 2, i == 0 ? EL_BOLD : EL_NORMAL,
                     help_text[i]);
    } else {
        draw_view(u, g, u->view, UI_BODY_Y, bh, false);
    }
    draw_status(u, g, g->h - 2);
    draw_keys(u, g, g->h - 1);
}

int ui_view_rows(struct ui *u, int view, int w)
{
    const struct view_def *d = view_def(view);
    if (d->draw)
        return 1 + (d->plain_rows ? d->plain_rows(u, w) : 20);
    ensure_items(u, view);
    int info = d->info_rows ? d->info_rows(u, w) : 0;
    return 1 + info + 1 + (int)(u->ls[view].n ? u->ls[view].n : 1);
}

int ui_draw_plain(struct ui *u, struct grid *g, int view)
{
    grid_clear(g);
    char t[256], clk[16];
    ui_clock(clk, sizeof clk, u->st.sample_t);
    ui_fmt(t, sizeof t, "== %s == %s %s", view_def(view)->title, clk,
           u->w->cluster_id ? u->w->cluster_id
           : u->st.target   ? u->st.target
                            : "");
    grid_put(g, 0, 0, g->w, EL_BOLD, t);
    int h = g->h - 1;
    draw_view(u, g, view, 1, h, true);
    return g->h;
}
