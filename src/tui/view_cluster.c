/*
 * view_cluster.c - Overview, Partitions at risk (and partition detail),
 * ISR timeline, Brokers (and broker detail: what would go under min ISR
 * if it left).  Views only read the watch (src/watch/) and format.
 */
#include "tui/ui.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

static void scratch_reset(struct ui *u, uint32_t need)
{
    XGROW(u->scratch, u->capscratch, need + 1);
    u->nscratch = 0;
}

static void since_text(struct ui *u, const struct wpart *p, char *buf, size_t n)
{
    char clk[16];
    ui_clock(clk, sizeof clk, p->state_since);
    ui_fmt(buf, n, "%s%s", p->since_known ? "" : "<", clk);
    (void)u;
}

/* ---- overview -------------------------------------------------------------- */

static int overview_groups(struct ui *u)
{
    return u->w->ngroup_order < 3 ? (int)u->w->ngroup_order : 3;
}

/* One line of the overview at row y while it fits above yend; y moves on
 * whether it fits or not (uses the caller's s, y and yend). */
#define LINE(el, ...)                                                                              \
    do {                                                                                           \
        if (y < yend) {                                                                            \
            ui_fmt(s, sizeof s, __VA_ARGS__);                                                      \
            grid_put(g, 1, y, g->w - 2, el, s);                                                    \
        }                                                                                          \
        y++;                                                                                       \
    } while (0)

/* The brokers line (with the controller) and the partition tallies from
 * row y; returns the next row. */
static int overview_cluster(struct ui *u, struct grid *g, int y, int yend)
{
    struct watch *w = u->w;
    char s[512], a[32];
    /* brokers */
    char down[128] = "";
    size_t o = 0;
    for (uint32_t i = 0; i < w->nbroker_order && o + 12 < sizeof down; i++) {
        const struct wbroker *br = &w->brokers[w->broker_order[i]];
        if (br->down) {
            int r = snprintf(down + o, sizeof down - o, "%s%d", o ? "," : "", br->id);
            if (r > 0)
                o += (size_t)r;
        }
    }
    if (w->nbrokers_down)
        LINE(EL_CRIT, "Brokers     %" PRIu32 ": %" PRIu32 " up, %" PRIu32 " DOWN (%s)",
             w->nbrokers_up + w->nbrokers_down, w->nbrokers_up, w->nbrokers_down, down);
    else
        LINE(EL_OK, "Brokers     %" PRIu32 ": all up", w->nbrokers_up);
    if (w->controller >= 0 && y - 1 < yend) {
        ui_fmt(s, sizeof s, "controller %d", w->controller);
        grid_put_right(g, 0, y - 1, g->w - 1, EL_DIM, s);
    }
    uint32_t ntopics = 0;
    for (uint32_t i = 0; i < w->ntopics; i++)
        ntopics += w->topics[i].present;
    ui_num(a, sizeof a, w->npresent);
    LINE(EL_BOLD, "Partitions  %s in %" PRIu32 " topics", a, ntopics);
    /* counted as `kafkaudit isr` and kafka-topics.sh count them: a
     * partition without a leader is also under min ISR */
    static const struct {
        int state;
        const char *label, *why;
    } rows[] = {
        {WS_OFFLINE, "offline", "no leader: cannot be read or written"},
        {WS_UNDER_MIN, "under min ISR", "writes with acks=all are refused"},
        {WS_AT_MIN, "at min ISR", "one more broker loss refuses acks=all writes"},
    };
    const uint32_t counts[] = {w->nstate[WS_OFFLINE], w->nunder_min_isr, w->nat_min_isr};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        uint32_t n = counts[i];
        ui_num(a, sizeof a, n);
        LINE(n ? ui_state_el(rows[i].state) : EL_NORMAL, "  %-16s %8s   %s", rows[i].label, a,
             n ? rows[i].why : "");
    }
    ui_num(a, sizeof a, w->nunder_replicated);
    LINE(w->nunder_replicated ? EL_WARN : EL_NORMAL, "  %-16s %8s   %s", "under-replicated", a,
         w->nunder_replicated ? "ISR smaller than the replica set" : "");
    return y;
}

/* The group status tally (and groups that lost messages) from row y;
 * returns the next row. */
static int overview_group_tally(struct ui *u, struct grid *g, int y, int yend)
{
    struct watch *w = u->w;
    char s[512];
    size_t o = 0;
    char gs[160] = "";
    static const int order[] = {WG_LOST, WG_STALL, WG_STOP, WG_REWIND, WG_WARN, WG_OK};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        if (order[i] == WG_LOST && !w->ngstatus[WG_LOST])
            continue; /* shown when there is one */
        int r = snprintf(gs + o, sizeof gs - o, "  %s %" PRIu32, wgstatus_name(order[i]),
                         w->ngstatus[order[i]]);
        if (r > 0 && o + (size_t)r < sizeof gs)
            o += (size_t)r;
    }
    /* status "-": nothing committed, or the lag could not be read; the
     * tally adds up to the groups present */
    if (w->ngstatus[WG_NONE])
        snprintf(gs + o, sizeof gs - o, "  no verdict %" PRIu32, w->ngstatus[WG_NONE]);
    uint32_t bad = w->ngstatus[WG_STALL] + w->ngstatus[WG_STOP] + w->ngstatus[WG_REWIND] +
                   w->ngstatus[WG_LOST];
    LINE(bad                    ? EL_ERR
         : w->ngstatus[WG_WARN] ? EL_WARN
                                : EL_NORMAL,
         "Groups      %" PRIu32 ":%s", w->ngroups_present, gs);
    if (w->ngroups_lost)
        LINE(EL_CRIT,
             "  %" PRIu32 " group%s with committed offsets below the log start "
             "(messages deleted unread)",
             w->ngroups_lost, w->ngroups_lost == 1 ? "" : "s");
    return y;
}

/* The findings tally (when rules run) and the refresh (or replay) line
 * from row y; returns the next row. */
static int overview_status(struct ui *u, struct grid *g, int y, int yend)
{
    char s[512], a[32], b[32], c[32];
    if (u->fl) {
        uint32_t ne = 0, nw = 0, ni = 0;
        for (uint32_t i = 0; i < u->fl->n; i++) {
            if (u->fl->v[i].status != FS_ACTIVE)
                continue;
            ne += u->fl->v[i].severity == SEV_ERROR;
            nw += u->fl->v[i].severity == SEV_WARNING;
            ni += u->fl->v[i].severity == SEV_INFO;
        }
        LINE(ne   ? EL_ERR
             : nw ? EL_WARN
                  : EL_NORMAL,
             "Findings    %" PRIu32 ": %" PRIu32 " error, %" PRIu32 " warning, %" PRIu32 " info",
             ne + nw + ni, ne, nw, ni);
    }
    ui_clock(a, sizeof a, u->st.sample_t);
    if (u->st.replay) {
        LINE(EL_NORMAL, "Sample      %" PRIu32 "/%" PRIu32 " recorded at %s", u->st.replay_pos,
             u->st.replay_n, a);
    } else {
        ui_dur(b, sizeof b, u->wall_now > u->st.sample_t ? u->wall_now - u->st.sample_t : 0);
        ui_fmt(c, sizeof c, "%" PRId64 "ms", u->st.collect_ms);
        if (u->st.unreachable) {
            /* within 78 columns whatever the age and tries: the time the
             * cluster was lost matters more than the last collect time */
            char d[32];
            ui_clock(d, sizeof d, u->st.fail_since);
            LINE(EL_ERR, "Refreshed   %s, %s ago; unreachable since %s (%" PRIu32 " tries)", a, b,
                 d, u->st.failures);
        } else {
            LINE(EL_NORMAL, "Refreshed   %s, %s ago (collect %s)", a, b, c);
        }
    }
    return y;
}
#undef LINE

/* The worst groups' table from row y, leaving rows for the ISR changes;
 * returns the next row. */
static int overview_worst_groups(struct ui *u, struct grid *g, int y, int yend)
{
    struct watch *w = u->w;
    char s[512], a[32], b[32];
    int ng = overview_groups(u);
    int keep = w->nevents ? 3 : 0; /* rows left for the ISR changes below */
    if (ng && y + 2 < yend) {
        y++;
        grid_fill(g, 0, y, g->w, EL_HEADER, ' ');
        grid_put(g, 1, y, g->w - 2, EL_HEADER, "STATUS GROUP                LAG  TIME-LAG  REASON");
        y++;
        for (int i = 0; i < ng && y < yend - keep; i++, y++) {
            struct wgroup *gr = &w->groups[w->group_order[i]];
            int est;
            int64_t tl = watch_group_time_lag(w, gr, &est);
            ui_group_lag(a, sizeof a, gr);
            ui_dur(b, sizeof b, tl);
            ui_fmt(s, sizeof s, "%s%s", wgstatus_name(gr->status),
                   gr->nlost && gr->status != WG_LOST ? "!" : "");
            grid_put(g, 1, y, 7, ui_gstatus_el(gr->status, gr->nlost > 0), s);
            grid_put(g, 8, y, 14, EL_NORMAL, gr->name);
            grid_put_right(g, 23, y, 9, EL_NORMAL, a);
            ui_fmt(s, sizeof s, "%s%s", ui_tl_prefix(g, est, tl), b);
            grid_put_right(g, 33, y, 9, EL_NORMAL, s);
            grid_put(g, 44, y, g->w - 45, EL_NORMAL, gr->reason);
        }
    }
    return y;
}

/* The latest ISR changes, newest first, from row y down to yend. */
static void overview_isr_changes(struct ui *u, struct grid *g, int y, int yend)
{
    struct watch *w = u->w;
    char s[512], a[32];
    if (w->nevents && y + 2 < yend) {
        y++;
        grid_fill(g, 0, y, g->w, EL_HEADER, ' ');
        grid_put(g, 1, y, g->w - 2, EL_HEADER, "TIME     LATEST ISR CHANGES");
        y++;
        uint64_t oldest = watch_oldest_event(w);
        for (uint64_t seq = w->nevents; seq-- > oldest && y < yend; y++) {
            const struct wevent *e = watch_event(w, seq);
            char pn[96], isr[32];
            ui_clock(a, sizeof a, e->t);
            if (e->part == UINT32_MAX)
                ui_fmt(pn, sizeof pn, "broker %d", e->broker);
            else
                ui_part_name(u, e->part, pn, sizeof pn);
            ui_fmt(isr, sizeof isr, "ISR %u%s%u", e->isr_before, grid_glyph(g, GL_ARROW),
                   e->isr_after);
            uint8_t el =
                e->kind == WE_SHRINK || e->kind == WE_BROKER_DOWN || e->kind == WE_OFFLINE
                    ? (e->isr_after < e->min_isr || e->kind != WE_SHRINK ? EL_ERR : EL_WARN)
                    : EL_OK;
            if (e->kind == WE_SHRINK || e->kind == WE_EXPAND)
                ui_fmt(s, sizeof s, "%s %-20s %-7s replica on broker %d, leader %d, %s", a, pn,
                       wevent_name(e->kind), e->broker, e->leader, isr);
            else if (e->kind == WE_LEADER)
                ui_fmt(s, sizeof s, "%s %-20s %-7s %d %s %d", a, pn, "leader", e->from,
                       grid_glyph(g, GL_ARROW), e->broker);
            else
                ui_fmt(s, sizeof s, "%s %-20s %s", a, pn, wevent_name(e->kind));
            grid_put(g, 1, y, g->w - 2, el, s);
        }
    }
}

/* The Overview view in rows y..y+h-1. */
static void draw_overview(struct ui *u, struct grid *g, int y, int h)
{
    int yend = y + h;
    if (!u->m) {
        grid_put(g, 1, y, g->w - 2, EL_DIM, "waiting for the first collection...");
        return;
    }
    y = overview_cluster(u, g, y, yend);
    y = overview_group_tally(u, g, y, yend);
    y = overview_status(u, g, y, yend);
    y = overview_worst_groups(u, g, y, yend);
    overview_isr_changes(u, g, y, yend);
}

static int overview_rows(struct ui *u, int width)
{
    (void)width;
    int ev = u->w->nevents > 10 ? 10 : (int)u->w->nevents;
    int ng = overview_groups(u);
    return 9 + (u->w->ngroups_lost ? 1 : 0) + (ng ? 2 + ng : 0) + (ev ? 2 + ev : 0);
}

const struct view_def view_overview = {
    .name = "overview",
    .title = "Overview",
    .draw = draw_overview,
    .plain_rows = overview_rows,
};

/* ---- partitions at risk --------------------------------------------------- */

enum {
    PC_TOPIC,
    PC_PART,
    PC_LEADER,
    PC_REPLICAS,
    PC_ISR,
    PC_MIN,
    PC_STATE,
    PC_SINCE,
    PC_FLAPS,
    PC_UNDER
};

static const struct col part_cols[] = {
    {"TOPIC", 0, 8, false, 0},    {"PART", 4, 0, true, 0},   {"LDR", 4, 0, true, 0},
    {"REPLICAS", 8, 0, false, 0}, {"ISR", 8, 0, false, 0},   {"MIN", 3, 0, true, 0},
    {"STATE", 9, 0, false, 0},    {"SINCE", 9, 0, false, 0}, {"FLAPS", 5, 0, true, 0},
    {"UNDER-MIN", 9, 0, true, 0},
};

static uint32_t part_source(struct ui *u, const uint32_t **items)
{
    *items = u->w->risk;
    return u->w->nrisk;
}

static void part_cell(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                      uint8_t *el)
{
    const struct wpart *p = &u->w->parts[item];
    (void)g;
    switch (col) {
    case PC_TOPIC: ui_fmt(buf, n, "%s", wpart_topic(u->w, p)); break;
    case PC_PART: ui_fmt(buf, n, "%d", p->id); break;
    case PC_LEADER:
        if (p->leader < 0) {
            ui_fmt(buf, n, "-");
            *el = EL_CRIT;
        } else {
            ui_fmt(buf, n, "%d", p->leader);
        }
        break;
    case PC_REPLICAS: ui_ids(buf, n, wpart_replicas(p), p->nrep); break;
    case PC_ISR:
        ui_ids(buf, n, wpart_isr(p), p->nisr);
        *el = ui_state_el(p->state);
        break;
    case PC_MIN:
        if (p->min_isr >= 0)
            ui_fmt(buf, n, "%d", p->min_isr);
        else
            ui_fmt(buf, n, "?");
        break;
    case PC_STATE:
        ui_fmt(buf, n, "%s", wstate_name(p->state));
        *el = ui_state_el(p->state);
        break;
    case PC_SINCE: since_text(u, p, buf, n); break;
    case PC_FLAPS: ui_fmt(buf, n, "%" PRIu32, p->flaps); break;
    case PC_UNDER:
        if (p->under_min_ms || p->state == WS_UNDER_MIN)
            ui_dur(buf, n, p->under_min_ms);
        else
            ui_fmt(buf, n, "-");
        if (p->state == WS_UNDER_MIN)
            *el = EL_ERR;
        break;
    }
}

static int part_cmp(struct ui *u, uint32_t a, uint32_t b, int col)
{
    const struct wpart *x = &u->w->parts[a], *y = &u->w->parts[b];
    switch (col) {
    case PC_TOPIC: return strcmp(wpart_topic(u->w, x), wpart_topic(u->w, y));
    case PC_PART: return cmp_i64(x->id, y->id);
    case PC_LEADER: return cmp_i64(x->leader, y->leader);
    case PC_REPLICAS: return cmp_i64(x->nrep, y->nrep);
    case PC_ISR: return cmp_i64(x->nisr, y->nisr);
    case PC_MIN: return cmp_i64(x->min_isr, y->min_isr);
    case PC_STATE: return -cmp_i64(x->state, y->state);
    case PC_SINCE: return cmp_i64(x->state_since, y->state_since);
    case PC_FLAPS: return -cmp_i64(x->flaps, y->flaps);
    case PC_UNDER: return -cmp_i64(x->under_min_ms, y->under_min_ms);
    }
    return 0;
}

static void part_enter(struct ui *u, uint32_t item) { ui_push(u, V_PART_DETAIL, item); }

static void part_match(struct ui *u, uint32_t item, char *buf, size_t n)
{
    ui_fmt(buf, n, "%s-%d ", wpart_topic(u->w, &u->w->parts[item]), u->w->parts[item].id);
}

const struct view_def view_partitions = {
    .name = "partitions",
    .title = "Partitions",
    .cols = part_cols,
    .ncols = sizeof part_cols / sizeof *part_cols,
    .source = part_source,
    .cell = part_cell,
    .cmp = part_cmp,
    .enter = part_enter,
    .match = part_match,
    .empty = "no partition at risk: every ISR is complete",
};

/* ---- ISR timeline ----------------------------------------------------------- */

enum { TC_TIME, TC_PART, TC_EVENT, TC_BROKER, TC_LEADER, TC_ISR, TC_MIN, TC_DUR };

static const struct col tl_cols[] = {
    {"TIME", 8, 0, false, 0},  {"PARTITION", 0, 10, false, 0}, {"EVENT", 11, 0, false, 0},
    {"BROKER", 6, 0, true, 0}, {"LEADER", 6, 0, true, 0},      {"ISR", 7, 0, false, 0},
    {"MIN", 3, 0, true, 0},    {"DURATION", 14, 0, false, 0},
};

static uint32_t tl_source(struct ui *u, const uint32_t **items)
{
    const struct watch *w = u->w;
    uint64_t oldest = watch_oldest_event(w);
    scratch_reset(u, (uint32_t)(w->nevents - oldest));
    for (uint64_t seq = w->nevents; seq-- > oldest;)
        u->scratch[u->nscratch++] = (uint32_t)seq;
    *items = u->scratch;
    return u->nscratch;
}

static uint8_t event_el(const struct wevent *e)
{
    switch (e->kind) {
    case WE_SHRINK: return e->min_isr >= 0 && e->isr_after < e->min_isr ? EL_ERR : EL_WARN;
    case WE_OFFLINE:
    case WE_BROKER_DOWN: return EL_CRIT;
    case WE_EXPAND:
    case WE_ONLINE:
    case WE_BROKER_UP: return EL_OK;
    default: return EL_NORMAL;
    }
}

static void tl_cell(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                    uint8_t *el)
{
    const struct wevent *e = ui_event(u, item);
    char a[32];
    if (!e) {
        ui_fmt(buf, n, "%s", col == TC_PART ? "(dropped from the ring)" : "");
        return;
    }
    bool brk = e->part == UINT32_MAX;
    const struct wpart *p = brk ? NULL : &u->w->parts[e->part];
    switch (col) {
    case TC_TIME: ui_clock(buf, n, e->t); break;
    case TC_PART:
        if (brk)
            ui_fmt(buf, n, "broker %d", e->broker);
        else
            ui_part_name(u, e->part, buf, n);
        break;
    case TC_EVENT:
        ui_fmt(buf, n, "%s", wevent_name(e->kind));
        *el = event_el(e);
        break;
    case TC_BROKER: ui_fmt(buf, n, "%d", e->broker); break;
    case TC_LEADER:
        if (brk)
            ui_fmt(buf, n, "-");
        else if (e->leader >= 0)
            ui_fmt(buf, n, "%d", e->leader);
        else
            ui_fmt(buf, n, "-");
        break;
    case TC_ISR:
        if (e->kind == WE_SHRINK || e->kind == WE_EXPAND)
            ui_fmt(buf, n, "%u%s%u", e->isr_before, grid_glyph(g, GL_ARROW), e->isr_after);
        else if (!brk)
            ui_fmt(buf, n, "%u", e->isr_after);
        break;
    case TC_MIN:
        if (!brk && e->min_isr >= 0)
            ui_fmt(buf, n, "%d", e->min_isr);
        break;
    case TC_DUR:
        switch (e->kind) {
        case WE_SHRINK:
            if (e->dur_ms >= 0) {
                ui_dur(a, sizeof a, e->dur_ms);
                ui_fmt(buf, n, "out %s", a);
            } else {
                ui_dur(a, sizeof a, u->w->now - e->t);
                ui_fmt(buf, n, "ongoing %s", a);
                *el = EL_WARN;
            }
            break;
        case WE_EXPAND:
            if (e->degraded_ms >= 0) {
                ui_dur(a, sizeof a, e->degraded_ms);
                ui_fmt(buf, n, "degraded %s", a);
            } else if (e->dur_ms >= 0) {
                ui_dur(a, sizeof a, e->dur_ms);
                ui_fmt(buf, n, "out %s", a);
            }
            break;
        case WE_ONLINE:
            ui_dur(a, sizeof a, e->dur_ms);
            ui_fmt(buf, n, "offline %s", a);
            break;
        case WE_LEADER: ui_fmt(buf, n, "was %d", e->from); break;
        case WE_OFFLINE:
            if (p && p->offline_since == e->t) {
                ui_dur(a, sizeof a, u->w->now - e->t);
                ui_fmt(buf, n, "ongoing %s", a);
                *el = EL_CRIT;
            }
            break;
        case WE_BROKER_UP:
            ui_dur(a, sizeof a, e->dur_ms);
            ui_fmt(buf, n, "down %s", a);
            break;
        case WE_BROKER_DOWN: {
            const struct wbroker *b = watch_broker(u->w, e->broker);
            if (b && b->down && b->down_since == e->t) {
                ui_dur(a, sizeof a, u->w->now - e->t);
                ui_fmt(buf, n, "ongoing %s", a);
                *el = EL_CRIT;
            }
            break;
        }
        default: break;
        }
        break;
    }
}

static int tl_cmp(struct ui *u, uint32_t a, uint32_t b, int col)
{
    const struct wevent *x = ui_event(u, a), *y = ui_event(u, b);
    if (!x || !y)
        return !x - !y;
    switch (col) {
    case TC_TIME: return cmp_i64(x->t, y->t);
    case TC_PART: {
        char pa[96], pb[96];
        return strcmp(x->part == UINT32_MAX ? "" : ui_part_name(u, x->part, pa, sizeof pa),
                      y->part == UINT32_MAX ? "" : ui_part_name(u, y->part, pb, sizeof pb));
    }
    case TC_EVENT: return cmp_i64(x->kind, y->kind);
    case TC_BROKER: return cmp_i64(x->broker, y->broker);
    case TC_LEADER: return cmp_i64(x->leader, y->leader);
    case TC_ISR: return cmp_i64(x->isr_after, y->isr_after);
    case TC_MIN: return cmp_i64(x->min_isr, y->min_isr);
    case TC_DUR: {
        int64_t dx = x->degraded_ms >= 0 ? x->degraded_ms : x->dur_ms;
        int64_t dy = y->degraded_ms >= 0 ? y->degraded_ms : y->dur_ms;
        return -cmp_i64(dx, dy);
    }
    }
    return 0;
}

static void tl_enter(struct ui *u, uint32_t item)
{
    const struct wevent *e = ui_event(u, item);
    if (!e)
        return;
    if (e->part != UINT32_MAX) {
        ui_push(u, V_PART_DETAIL, e->part);
        return;
    }
    for (uint32_t i = 0; i < u->w->nbrokers; i++)
        if (u->w->brokers[i].id == e->broker)
            ui_push(u, V_BROKER_DETAIL, i);
}

const struct view_def view_timeline = {
    .name = "timeline",
    .title = "Timeline",
    .cols = tl_cols,
    .ncols = sizeof tl_cols / sizeof *tl_cols,
    .source = tl_source,
    .cell = tl_cell,
    .cmp = tl_cmp,
    .enter = tl_enter,
    .empty = "no ISR change seen yet",
};

/* ---- partition detail ------------------------------------------------------- */

static uint32_t pd_source(struct ui *u, const uint32_t **items)
{
    const struct watch *w = u->w;
    uint64_t oldest = watch_oldest_event(w);
    scratch_reset(u, 64);
    for (uint64_t seq = w->nevents; seq-- > oldest;) {
        const struct wevent *e = watch_event(w, seq);
        if (e->part != u->subject)
            continue;
        XGROW(u->scratch, u->capscratch, u->nscratch + 1);
        u->scratch[u->nscratch++] = (uint32_t)seq;
    }
    *items = u->scratch;
    return u->nscratch;
}

static int pd_rows(struct ui *u, int width)
{
    (void)u;
    (void)width;
    return 6;
}

static void pd_info(struct ui *u, struct grid *g, int y, int h)
{
    struct watch *w = u->w;
    if (u->subject >= w->nparts)
        return;
    const struct wpart *p = &w->parts[u->subject];
    char s[512], a[64], b[64], c[64], d[64], e[64];
    int yend = y + h;
    ui_part_name(u, u->subject, a, sizeof a);
    since_text(u, p, b, sizeof b);
    ui_dur(c, sizeof c, w->now - p->state_since);
    ui_fmt(s, sizeof s, "%s  %s since %s (%s)  leader %d  min ISR %d%s", a, wstate_name(p->state),
           b, c, p->leader, p->min_isr, p->present ? "" : "  [gone]");
    if (y < yend)
        grid_put(g, 1, y++, g->w - 2, ui_state_el(p->state), s);
    ui_ids(a, sizeof a, wpart_replicas(p), p->nrep);
    ui_ids(b, sizeof b, wpart_isr(p), p->nisr);
    char out[160] = "";
    size_t o = 0;
    for (uint32_t i = 0; i < p->nout && o + 32 < sizeof out; i++) {
        ui_clock(c, sizeof c, p->out[i].since);
        int r = snprintf(out + o, sizeof out - o, "%s%d since %s%s", i ? ", " : "",
                         p->out[i].broker, p->out[i].seq == UINT64_MAX ? "<" : "", c);
        if (r > 0)
            o += (size_t)r;
    }
    ui_fmt(s, sizeof s, "replicas %s  ISR %s%s%s", a, b, p->nout ? "  out: " : "", out);
    if (y < yend)
        grid_put(g, 1, y++, g->w - 2, EL_NORMAL, s);
    ui_dur(a, sizeof a, p->under_min_ms);
    ui_dur(b, sizeof b, p->at_min_ms);
    ui_dur(c, sizeof c, p->offline_ms);
    ui_dur(d, sizeof d, p->urp_ms);
    ui_clock(e, sizeof e, p->first_seen);
    char tail[128] = "";
    size_t to = 0;
    const struct {
        const char *name;
        int64_t ms;
        const char *txt;
    } spent[] = {{"at min", p->at_min_ms, b}, {"offline", p->offline_ms, c}, {"URP", p->urp_ms, d}};
    for (size_t i = 0; i < sizeof spent / sizeof *spent; i++) {
        if (!spent[i].ms)
            continue;
        int r = snprintf(tail + to, sizeof tail - to, "  %s %s", spent[i].name, spent[i].txt);
        if (r > 0 && to + (size_t)r < sizeof tail)
            to += (size_t)r;
    }
    ui_fmt(s, sizeof s,
           "ISR changes %" PRIu32 " (%" PRIu32 " shrink, %" PRIu32 " expand)  under min %s%s",
           p->flaps, p->shrinks, p->expands, a, tail);
    if (y < yend)
        grid_put(g, 1, y++, g->w - 2, EL_NORMAL, s);
    ui_num(a, sizeof a, p->log_start);
    ui_num(b, sizeof b, p->log_end);
    ui_rate(c, sizeof c, watch_part_rate(w, p));
    ui_fmt(s, sizeof s, "log %s..%s  produce %s  watched since %s", a, b, c, e);
    if (y < yend)
        grid_put(g, 1, y++, g->w - 2, EL_NORMAL, s);
    /* groups reading it */
    o = 0;
    char gs[256] = "";
    uint32_t ngroups = 0;
    for (uint32_t gi = 0; gi < w->ngroups; gi++) {
        const struct wgroup *gr = &w->groups[gi];
        if (!gr->present)
            continue;
        for (uint32_t k = 0; k < gr->ngp; k++) {
            const struct wgp *gp = &gr->gps[k];
            if (gp->part != u->subject)
                continue;
            ngroups++;
            ui_num(a, sizeof a, gp->lag);
            if (o + 48 < sizeof gs) {
                int r = snprintf(gs + o, sizeof gs - o, "%s%s lag %s %s%s", o ? ", " : "", gr->name,
                                 a, wgstatus_name(gp->status),
                                 gp->lost && gp->status != WG_LOST ? "!" : "");
                if (r > 0)
                    o += (size_t)r;
            }
        }
    }
    ui_fmt(s, sizeof s, "groups: %s", ngroups ? gs : "none");
    if (y < yend)
        grid_put(g, 1, y++, g->w - 2, EL_NORMAL, s);
    if (y < yend)
        grid_put(g, 1, y++, g->w - 2, EL_DIM, "ISR history, newest first:");
}

const struct view_def view_part_detail = {
    .name = "partition",
    .title = "Partition",
    .cols = tl_cols,
    .ncols = sizeof tl_cols / sizeof *tl_cols,
    .info_rows = pd_rows,
    .info = pd_info,
    .source = pd_source,
    .cell = tl_cell,
    .cmp = tl_cmp,
    .empty = "no ISR change seen for this partition",
};

/* ---- brokers ------------------------------------------------------------------ */

enum { BC_ID, BC_RACK, BC_HOST, BC_STATE, BC_LEADERS, BC_REPLICAS, BC_NOTISR, BC_UNDER, BC_OFF };

static const struct col broker_cols[] = {
    {"ID", 5, 0, true, 0},          {"RACK", 0, 4, false, 0},     {"HOST", 22, 0, false, 100},
    {"STATE", 13, 0, false, 0},     {"LEADERS", 7, 0, true, 0},   {"REPLICAS", 8, 0, true, 0},
    {"NOT-IN-ISR", 10, 0, true, 0}, {"WOULD<MIN", 9, 0, true, 0}, {"WOULD-OFF", 9, 0, true, 0},
};

static uint32_t broker_source(struct ui *u, const uint32_t **items)
{
    *items = u->w->broker_order;
    return u->w->nbroker_order;
}

static void broker_cell(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                        uint8_t *el)
{
    const struct wbroker *b = &u->w->brokers[item];
    char a[32];
    (void)g;
    switch (col) {
    case BC_ID: ui_fmt(buf, n, "%d", b->id); break;
    case BC_RACK: ui_fmt(buf, n, "%s", b->rack ? b->rack : "-"); break;
    case BC_HOST:
        if (b->host)
            ui_fmt(buf, n, "%s:%d", b->host, b->port);
        else
            ui_fmt(buf, n, "-");
        break;
    case BC_STATE:
        if (b->down) {
            ui_dur(a, sizeof a, b->down_since ? u->w->now - b->down_since : 0);
            ui_fmt(buf, n, "DOWN %s%s", b->down_since == u->w->first_t ? ">" : "", a);
            *el = EL_CRIT;
        } else {
            ui_fmt(buf, n, "up");
            *el = EL_OK;
        }
        break;
    case BC_LEADERS: ui_fmt(buf, n, "%" PRIu32, b->leaders); break;
    case BC_REPLICAS: ui_fmt(buf, n, "%" PRIu32, b->replicas); break;
    case BC_NOTISR:
        ui_fmt(buf, n, "%" PRIu32, b->not_in_isr);
        if (b->not_in_isr)
            *el = EL_WARN;
        break;
    case BC_UNDER:
        ui_fmt(buf, n, "%" PRIu32, b->would_under_min);
        if (b->would_under_min)
            *el = EL_ERR;
        break;
    case BC_OFF:
        ui_fmt(buf, n, "%" PRIu32, b->would_offline);
        if (b->would_offline)
            *el = EL_CRIT;
        break;
    }
}

static int broker_cmp(struct ui *u, uint32_t a, uint32_t b, int col)
{
    const struct wbroker *x = &u->w->brokers[a], *y = &u->w->brokers[b];
    switch (col) {
    case BC_ID: return cmp_i64(x->id, y->id);
    case BC_RACK: return strcmp(x->rack ? x->rack : "", y->rack ? y->rack : "");
    case BC_HOST: return strcmp(x->host ? x->host : "", y->host ? y->host : "");
    case BC_STATE: return -cmp_i64(x->down, y->down);
    case BC_LEADERS: return -cmp_i64(x->leaders, y->leaders);
    case BC_REPLICAS: return -cmp_i64(x->replicas, y->replicas);
    case BC_NOTISR: return -cmp_i64(x->not_in_isr, y->not_in_isr);
    case BC_UNDER: return -cmp_i64(x->would_under_min, y->would_under_min);
    case BC_OFF: return -cmp_i64(x->would_offline, y->would_offline);
    }
    return 0;
}

static void broker_enter(struct ui *u, uint32_t item) { ui_push(u, V_BROKER_DETAIL, item); }

static void broker_footer(struct ui *u, struct grid *g, int y, uint32_t item)
{
    const struct wbroker *b = &u->w->brokers[item];
    char s[256], a[32], c[32];
    if (b->down) {
        ui_clock(a, sizeof a, b->down_since);
        ui_dur(c, sizeof c, b->down_since ? u->w->now - b->down_since : 0);
        ui_fmt(s, sizeof s, "broker %d DOWN since %s%s (%s): missing from %" PRIu32 " ISRs", b->id,
               b->down_since == u->w->first_t ? "<" : "", a, c, b->not_in_isr);
        grid_put(g, 1, y, g->w - 2, EL_CRIT, s);
        return;
    }
    if (b->would_under_min || b->would_offline)
        ui_fmt(s, sizeof s,
               "if broker %d left now: %" PRIu32 " more partitions under min ISR, %" PRIu32
               " offline (Enter lists them)",
               b->id, b->would_under_min, b->would_offline);
    else
        ui_fmt(s, sizeof s, "broker %d can leave now without taking a partition under min ISR",
               b->id);
    grid_put(g, 1, y, g->w - 2, b->would_under_min || b->would_offline ? EL_ERR : EL_OK, s);
}

const struct view_def view_brokers = {
    .name = "brokers",
    .title = "Brokers",
    .cols = broker_cols,
    .ncols = sizeof broker_cols / sizeof *broker_cols,
    .source = broker_source,
    .cell = broker_cell,
    .cmp = broker_cmp,
    .enter = broker_enter,
    .footer = broker_footer,
    .empty = "no broker seen",
};

/* ---- broker detail: what would go under min ISR if it left ---------------------- */

enum { BD_IF_OFF = 1, BD_IF_UNDER = 2, BD_NOT_IN = 3 };

static int bd_impact(const struct wpart *p, int32_t id)
{
    const int32_t *isr = wpart_isr(p);
    bool rep = false, in = false;
    for (uint32_t i = 0; i < p->nrep; i++)
        rep |= p->ids[i] == id;
    for (uint32_t i = 0; i < p->nisr; i++)
        in |= isr[i] == id;
    if (!rep)
        return 0;
    if (in || p->leader == id) {
        int32_t isr2 = (int32_t)p->nisr - (in ? 1 : 0);
        bool leader2 = p->leader >= 0 && (p->leader != id || isr2 > 0);
        if (!leader2 && p->leader >= 0)
            return BD_IF_OFF;
        if ((!leader2 || (p->min_isr >= 0 && isr2 < p->min_isr)) && p->state < WS_UNDER_MIN)
            return BD_IF_UNDER;
    }
    return in ? 0 : BD_NOT_IN;
}

static uint32_t bd_source(struct ui *u, const uint32_t **items)
{
    const struct watch *w = u->w;
    scratch_reset(u, 64);
    if (u->subject < w->nbrokers) {
        int32_t id = w->brokers[u->subject].id;
        for (int pass = BD_IF_OFF; pass <= BD_NOT_IN; pass++)
            for (uint32_t i = 0; i < w->nparts; i++) {
                if (!w->parts[i].present || bd_impact(&w->parts[i], id) != pass)
                    continue;
                XGROW(u->scratch, u->capscratch, u->nscratch + 1);
                u->scratch[u->nscratch++] = i;
            }
    }
    *items = u->scratch;
    return u->nscratch;
}

static const struct col bd_cols[] = {
    {"TOPIC", 0, 8, false, 0},    {"PART", 4, 0, true, 0},         {"LDR", 4, 0, true, 0},
    {"REPLICAS", 8, 0, false, 0}, {"ISR", 8, 0, false, 0},         {"MIN", 3, 0, true, 0},
    {"STATE", 9, 0, false, 0},    {"IF IT LEFT", 12, 0, false, 0},
};

static void bd_cell(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                    uint8_t *el)
{
    static const int map[] = {PC_TOPIC, PC_PART, PC_LEADER, PC_REPLICAS, PC_ISR, PC_MIN, PC_STATE};
    if (col < 7) {
        part_cell(u, g, item, map[col], buf, n, el);
        return;
    }
    int32_t id = u->subject < u->w->nbrokers ? u->w->brokers[u->subject].id : -1;
    switch (bd_impact(&u->w->parts[item], id)) {
    case BD_IF_OFF:
        ui_fmt(buf, n, "OFFLINE");
        *el = EL_CRIT;
        break;
    case BD_IF_UNDER:
        ui_fmt(buf, n, "UNDER-MIN");
        *el = EL_ERR;
        break;
    default: ui_fmt(buf, n, "not in ISR"); *el = EL_WARN;
    }
}

static int bd_cmp(struct ui *u, uint32_t a, uint32_t b, int col)
{
    static const int map[] = {PC_TOPIC, PC_PART, PC_LEADER, PC_REPLICAS, PC_ISR, PC_MIN, PC_STATE};
    if (col < 7)
        return part_cmp(u, a, b, map[col]);
    int32_t id = u->subject < u->w->nbrokers ? u->w->brokers[u->subject].id : -1;
    return cmp_i64(bd_impact(&u->w->parts[a], id), bd_impact(&u->w->parts[b], id));
}

static int bd_rows(struct ui *u, int width)
{
    (void)u;
    (void)width;
    return 3;
}

static void bd_info(struct ui *u, struct grid *g, int y, int h)
{
    const struct watch *w = u->w;
    if (u->subject >= w->nbrokers || h < 1)
        return;
    const struct wbroker *b = &w->brokers[u->subject];
    char s[512], a[64], c[64], d[64];
    if (b->down) {
        ui_clock(a, sizeof a, b->down_since);
        ui_dur(c, sizeof c, b->down_since ? w->now - b->down_since : 0);
        ui_fmt(d, sizeof d, "DOWN since %s%s (%s)", b->down_since == w->first_t ? "<" : "", a, c);
    } else {
        ui_fmt(d, sizeof d, "up");
    }
    ui_dur(c, sizeof c, b->down_ms);
    char dw[64] = "";
    if (b->down_ms && !b->down)
        ui_fmt(dw, sizeof dw, "  (was down %s)", c);
    ui_fmt(s, sizeof s, "broker %d  rack %s  %s:%d  %s%s", b->id, b->rack ? b->rack : "-",
           b->host ? b->host : "?", b->port, d, dw);
    grid_put(g, 1, y, g->w - 2, b->down ? EL_CRIT : EL_OK, s);
    if (h < 2)
        return;
    ui_fmt(s, sizeof s,
           "leads %" PRIu32 "  replicas %" PRIu32 "  not in ISR %" PRIu32 "  if it left: +%" PRIu32
           " under min ISR, %" PRIu32 " offline",
           b->leaders, b->replicas, b->not_in_isr, b->would_under_min, b->would_offline);
    grid_put(g, 1, y + 1, g->w - 2, b->would_under_min || b->would_offline ? EL_ERR : EL_NORMAL, s);
    if (h >= 3)
        grid_put(g, 1, y + 2, g->w - 2, EL_DIM,
                 "Would go offline/under min ISR without it, then ISRs it is missing from:");
}

const struct view_def view_broker_detail = {
    .name = "broker",
    .title = "Broker",
    .cols = bd_cols,
    .ncols = sizeof bd_cols / sizeof *bd_cols,
    .info_rows = bd_rows,
    .info = bd_info,
    .source = bd_source,
    .cell = bd_cell,
    .cmp = bd_cmp,
    .enter = part_enter,
    .match = part_match,
    .empty = "nothing depends on this broker alone",
};
