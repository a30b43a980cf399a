/*
 * ui.h - the dashboard's state, views and key handling, independent of
 * the terminal: ui_draw() renders into a grid (tui/grid.h), ui_key()
 * changes state and returns what the caller must do (htop's HandlerResult
 * flags: handlers never draw).  The same code serves the curses screen,
 * the headless script mode (golden screens) and --batch.
 *
 * Views, each listing problems first:
 *   1 Overview    brokers, partition states, worst groups, latest ISR changes
 *   2 Partitions  partitions at risk (Enter: partition detail with its ISR history)
 *   3 Timeline    ISR shrinks/expands, leader changes, offline, broker loss
 *   4 Brokers     per broker leaders/replicas, ISRs it is missing from, and
 *                 what would go under min ISR or offline if it left (Enter:
 *                 those partitions)
 *   5 Groups      consumer groups with status, lag, time lag, trend, ETA
 *                 (Enter: per partition detail)
 *   6 Findings    the check rules on the live model (Enter: detail)
 *
 * Lists are virtual: a view keeps an index of item ids (built from the
 * evaluator's pre-sorted indexes, rebuilt only when the data, filter or
 * sort changed) and draws only the visible rows.
 */
#ifndef KA_UI_H
#define KA_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "rules/finding.h"
#include "tui/grid.h"
#include "watch/watch.h"

enum key {
    K_NONE = 0,
    K_UP = 0x110000,
    K_DOWN,
    K_LEFT,
    K_RIGHT,
    K_PGUP,
    K_PGDN,
    K_HOME,
    K_END,
    K_ENTER,
    K_ESC,
    K_TAB,
    K_BTAB,
    K_BACKSPACE,
    K_RESIZE,
    K_F1,
    K_F3,
    K_F4,
    K_F5,
    K_F6,
    K_F10,
    K_CTRL_L,
};
/* "<Down>", "<Enter>", "x" ... parsed from script text; returns chars used,
 * 0 at the end or on an unknown <Name>. */
int key_parse(const char *s, int *key);

enum ui_result {
    UI_REDRAW = 1,
    UI_QUIT = 2,
    UI_REFRESH = 4, /* collect (or step the replay) now */
    UI_PAUSE = 8,   /* pause state changed */
    UI_FULL = 16,   /* clear and repaint the terminal */
};

enum view_id {
    V_OVERVIEW,
    V_PARTITIONS,
    V_TIMELINE,
    V_BROKERS,
    V_GROUPS,
    V_FINDINGS,
    V__TOP,
    V_PART_DETAIL = V__TOP,
    V_BROKER_DETAIL,
    V_GROUP_DETAIL,
    V_FINDING_DETAIL,
    V__COUNT
};
/* "overview", "partitions", "timeline", "brokers", "groups", "findings";
 * -1 if unknown. */
int view_parse(const char *s);
const char *view_name(int v);

/* What the collection loop tells the screen (status line, title). */
struct ui_status {
    bool replay;
    uint32_t replay_pos, replay_n; /* 1-based position of the shown sample */
    double speed;                  /* replay speed; 0 = as fast as possible */
    bool replay_done;
    const char *target; /* bootstrap servers or recording path */
    int64_t sample_t;   /* collection time of the shown model; 0 none */
    int64_t collect_ms; /* how long that collection took */
    uint32_t requests, errors;
    int64_t interval_ms, period_ms; /* configured, and stretched for slow collections */
    bool collecting;
    int64_t collecting_since;
    bool unreachable;
    uint32_t failures; /* consecutive failed collections */
    int64_t fail_since;
    char fail_msg[256];
    char warn_msg[256]; /* first per-resource problem of the last collection */
    bool recording;
    uint32_t recorded;
    int64_t findings_t; /* collection time of the model the findings are about */
    int64_t rules_ms;   /* what running the rules cost */
};

#define UI_STACK 4

struct lstate {
    uint32_t sel, top;
    int sort; /* column; -1: problems first */
    bool desc;
    char filter[64];
    /* index cache */
    uint32_t *items;
    uint32_t n, cap;
    bool valid;
    uint64_t gen;
    char cfilter[64];
    int csort;
    bool cdesc;
    uint32_t csubject;
    uint32_t sel_item;
    bool have_sel;
};

struct ui {
    struct watch *w;
    const struct model *m;         /* latest model; NULL before the first */
    const struct finding_list *fl; /* its findings (may be NULL) */
    struct ui_status st;
    int64_t wall_now; /* for ages; the sample time in replays/scripts */
    int view;
    int stack[UI_STACK]; /* views under the current one */
    uint32_t stack_subject[UI_STACK];
    int depth;
    uint32_t subject; /* detail views: part / broker / group / finding index */
    struct lstate ls[V__COUNT];
    bool help, paused;
    int prompt; /* 0, '/' (search) or 'f' (filter) */
    char pbuf[64];
    char search[64];
    char msg[160];
    int64_t msg_until;
    uint32_t *scratch; /* detail sources */
    uint32_t nscratch, capscratch;
    uint64_t scratch_gen;
    uint32_t scratch_subject;
    int scratch_view;
};

void ui_init(struct ui *u, struct watch *w);
void ui_release(struct ui *u);
/* A new model was folded into u->w (or the model/findings were replaced). */
void ui_set_model(struct ui *u, const struct model *m, const struct finding_list *fl);
/* Handle one key; returns enum ui_result flags. */
unsigned ui_key(struct ui *u, int key);
/* Draw the whole screen. */
void ui_draw(struct ui *u, struct grid *g);
/* Draw one view's content only, every row (batch frames): title line,
 * then the view.  Returns the rows used; g must be tall enough (see
 * ui_view_rows). */
int ui_draw_plain(struct ui *u, struct grid *g, int view);
/* Rows ui_draw_plain needs for a view at width w. */
int ui_view_rows(struct ui *u, int view, int w);

/* ---- for the view files ------------------------------------------------------ */

struct col {
    const char *name;
    int width;      /* 0: flexible */
    int min;        /* flexible columns: minimum */
    bool right;     /* right-aligned */
    int hide_below; /* hidden on terminals narrower than this */
};

struct view_def {
    const char *name;  /* for --view and the script */
    const char *title; /* tab label */
    const struct col *cols;
    int ncols;
    /* rows above the list (detail views); draw them */
    int (*info_rows)(struct ui *u, int width);
    void (*info)(struct ui *u, struct grid *g, int y, int h);
    /* items in problems-first order; returns the count (u->scratch or a
     * watch index may be returned through *items) */
    uint32_t (*source)(struct ui *u, const uint32_t **items);
    void (*cell)(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                 uint8_t *el);
    int (*cmp)(struct ui *u, uint32_t a, uint32_t b, int col);
    void (*enter)(struct ui *u, uint32_t item);
    /* extra text search and filter match for an item ("orders-3") */
    void (*match)(struct ui *u, uint32_t item, char *buf, size_t n);
    /* a line under the list about the selected item (NULL: none) */
    void (*footer)(struct ui *u, struct grid *g, int y, uint32_t item);
    /* whole-view drawing instead of a list (overview, finding detail) */
    void (*draw)(struct ui *u, struct grid *g, int y, int h);
    int (*plain_rows)(struct ui *u, int width); /* rows draw() needs in a batch frame */
    const char *empty;
};

extern const struct view_def view_overview, view_partitions, view_part_detail, view_timeline,
    view_brokers, view_broker_detail, view_groups, view_group_detail, view_findings,
    view_finding_detail;
const struct view_def *view_def(int v);

/* Push a detail view about subject. */
void ui_push(struct ui *u, int view, uint32_t subject);
void ui_message(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Formatting helpers (truncation intended; never fail). */
void ui_fmt(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ui_dur(char *out, size_t n, int64_t ms);   /* "450ms", "45s", "2m05s", "3h10m", "2d04h" */
void ui_clock(char *out, size_t n, int64_t ms); /* "17:16:20" local time */
void ui_num(char *out, size_t n, int64_t v);    /* "1,234,567"; "-" when < 0 */
/* A group's total lag: "1,234", "1,234+" when part of it is unknown (as
 * `kafkaudit lag` prints a lower bound), "-" when unknown. */
void ui_group_lag(char *out, size_t n, const struct wgroup *g);
void ui_ids(char *out, size_t n, const int32_t *v, uint32_t k); /* "1,2,3" */
void ui_rate(char *out, size_t n, double per_s);                /* "12/s", "1.2k/s" */
/* Event as "orders-3" etc. */
const char *ui_part_name(struct ui *u, uint32_t part, char *buf, size_t n);
/* Sparkline of a group's lag trend, width columns; a blank where the lag
 * was unknown. */
void ui_spark(struct ui *u, const struct grid *g, const struct wgroup *grp, int width, char *out,
              size_t n);
/* "" / "~" / ">" (or "≥") before a time lag of enum wtl_how. */
const char *ui_tl_prefix(const struct grid *g, int how, int64_t ms);
/* Element for a partition / group status. */
uint8_t ui_state_el(int wstate);
uint8_t ui_gstatus_el(int wgstatus, bool lost);
/* Event with 32-bit item id (timeline items are the low bits of seq). */
const struct wevent *ui_event(struct ui *u, uint32_t item);

/* Layout: first row of the body and its height for a screen of h rows. */
#define UI_BODY_Y 2
static inline int ui_body_h(int h) { return h - 4; }

#endif
