/*
 * view_groups.c - Consumer groups (and per-partition group detail) and
 * Findings (and finding detail).
 */
#include "rules/rule.h"
#include "tui/ui.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

/* ---- groups ------------------------------------------------------------------- */

enum { GC_STATUS, GC_GROUP, GC_STATE, GC_MEMBERS, GC_LAG, GC_TLAG, GC_TREND, GC_CATCH, GC_REASON };

static const struct col group_cols[] = {
    {"STATUS", 7, 0, false, 0}, {"GROUP", 0, 10, false, 0},    {"STATE", 8, 0, false, 0},
    {"MEMB", 4, 0, true, 0},    {"LAG", 9, 0, true, 0},        {"TIME-LAG", 8, 0, true, 0},
    {"TREND", 10, 0, false, 0}, {"CATCH-UP", 12, 0, false, 0}, {"REASON", 0, 30, false, 140},
};

static uint32_t group_source(struct ui *u, const uint32_t **items)
{
    *items = u->w->group_order;
    return u->w->ngroup_order;
}

static void catch_up(struct ui *u, const struct wgroup *g, char *buf, size_t n, uint8_t *el)
{
    char a[32];
    if (g->status == WG_NONE || g->total_lag < 0)
        ui_fmt(buf, n, "-");
    else if (g->total_lag <= u->w->o.allowed_lag * (int64_t)(g->ngp ? g->ngp : 1))
        ui_fmt(buf, n, "caught up");
    else if (g->eta_ms >= 0) {
        ui_dur(a, sizeof a, g->eta_ms);
        ui_fmt(buf, n, "ETA %s", a);
        *el = EL_OK;
    } else if (g->rates_known && g->produce_rate > g->consume_rate) {
        ui_rate(a, sizeof a, g->produce_rate - g->consume_rate);
        ui_fmt(buf, n, "behind %s", a);
        *el = EL_WARN;
    } else if (g->rates_known && g->consume_rate == 0 && g->produce_rate == 0) {
        ui_fmt(buf, n, "idle");
    } else {
        ui_fmt(buf, n, "steady");
    }
}

static void group_cell(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                       uint8_t *el)
{
    struct wgroup *gr = &u->w->groups[item];
    char a[32];
    int est;
    int64_t tl;
    switch (col) {
    case GC_STATUS:
        ui_fmt(buf, n, "%s%s", wgstatus_name(gr->status),
               gr->nlost && gr->status != WG_LOST ? "!" : "");
        *el = ui_gstatus_el(gr->status, gr->nlost > 0);
        break;
    case GC_GROUP: ui_fmt(buf, n, "%s", gr->name); break;
    case GC_STATE: ui_fmt(buf, n, "%s", gr->state[0] ? gr->state : "-"); break;
    case GC_MEMBERS:
        if (gr->members_unknown)
            ui_fmt(buf, n, "?");
        else
            ui_fmt(buf, n, "%" PRIu32, gr->members);
        break;
    case GC_LAG: ui_group_lag(buf, n, gr); break;
    case GC_TLAG:
        tl = watch_group_time_lag(u->w, gr, &est);
        ui_dur(a, sizeof a, tl);
        ui_fmt(buf, n, "%s%s", ui_tl_prefix(g, est, tl), a);
        break;
    case GC_TREND: ui_spark(u, g, gr, 10, buf, n); break;
    case GC_CATCH: catch_up(u, gr, buf, n, el); break;
    case GC_REASON: ui_fmt(buf, n, "%s", gr->reason); break;
    }
}

static int group_cmp(struct ui *u, uint32_t a, uint32_t b, int col)
{
    struct wgroup *x = &u->w->groups[a], *y = &u->w->groups[b];
    int e1, e2;
    switch (col) {
    case GC_STATUS: return -cmp_i64(x->status, y->status);
    case GC_GROUP: return strcmp(x->name, y->name);
    case GC_STATE: return strcmp(x->state, y->state);
    case GC_MEMBERS: return -cmp_i64(x->members, y->members);
    case GC_LAG: return -cmp_i64(x->total_lag, y->total_lag);
    case GC_TLAG:
        return -cmp_i64(watch_group_time_lag(u->w, x, &e1), watch_group_time_lag(u->w, y, &e2));
    case GC_TREND: return -cmp_i64(x->total_lag, y->total_lag);
    case GC_CATCH: return -cmp_i64(x->eta_ms, y->eta_ms);
    case GC_REASON: return strcmp(x->reason, y->reason);
    }
    return 0;
}

static void group_enter(struct ui *u, uint32_t item) { ui_push(u, V_GROUP_DETAIL, item); }

static void gd_match(struct ui *u, uint32_t item, char *buf, size_t n)
{
    const struct wgroup *gr = u->subject < u->w->ngroups ? &u->w->groups[u->subject] : NULL;
    if (gr && item < gr->ngp)
        ui_fmt(buf, n, "%s-%d ", wpart_topic(u->w, &u->w->parts[gr->gps[item].part]),
               u->w->parts[gr->gps[item].part].id);
}

static void group_footer(struct ui *u, struct grid *g, int y, uint32_t item)
{
    const struct wgroup *gr = &u->w->groups[item];
    if (g->w >= 140)
        return; /* the REASON column shows it */
    char s[256];
    ui_fmt(s, sizeof s, "%s: %s", gr->name, gr->reason);
    grid_put(g, 1, y, g->w - 2, ui_gstatus_el(gr->status, gr->nlost > 0), s);
}

const struct view_def view_groups = {
    .name = "groups",
    .title = "Groups",
    .cols = group_cols,
    .ncols = sizeof group_cols / sizeof *group_cols,
    .source = group_source,
    .cell = group_cell,
    .cmp = group_cmp,
    .enter = group_enter,
    .footer = group_footer,
    .empty = "no consumer group seen",
};

/* ---- group detail ---------------------------------------------------------------- */

enum { DC_TOPIC, DC_PART, DC_COMMITTED, DC_START, DC_END, DC_LAG, DC_TLAG, DC_STATUS, DC_OWNER };

static const struct col gd_cols[] = {
    {"TOPIC", 0, 8, false, 0},       {"PART", 4, 0, true, 0},     {"COMMITTED", 10, 0, true, 0},
    {"LOG-START", 10, 0, true, 100}, {"LOG-END", 10, 0, true, 0}, {"LAG", 8, 0, true, 0},
    {"TIME-LAG", 8, 0, true, 0},     {"STATUS", 6, 0, false, 0},  {"OWNER", 14, 0, false, 0},
};

static struct wgroup *gd_group(struct ui *u)
{
    return u->subject < u->w->ngroups ? &u->w->groups[u->subject] : NULL;
}

static const struct wgroup *sort_g;
static const struct watch *sort_w;

static int cmp_gp_default(const void *a, const void *b)
{
    const struct wgp *x = &sort_g->gps[*(const uint32_t *)a];
    const struct wgp *y = &sort_g->gps[*(const uint32_t *)b];
    if (x->lost != y->lost)
        return x->lost ? -1 : 1;
    if (x->status != y->status)
        return x->status > y->status ? -1 : 1;
    if (x->lag != y->lag)
        return x->lag > y->lag ? -1 : 1;
    int r = strcmp(wpart_topic(sort_w, &sort_w->parts[x->part]),
                   wpart_topic(sort_w, &sort_w->parts[y->part]));
    if (r)
        return r;
    return cmp_i64(sort_w->parts[x->part].id, sort_w->parts[y->part].id);
}

static uint32_t gd_source(struct ui *u, const uint32_t **items)
{
    const struct wgroup *g = gd_group(u);
    XGROW(u->scratch, u->capscratch, (g ? g->ngp : 0) + 1);
    u->nscratch = 0;
    if (g) {
        for (uint32_t i = 0; i < g->ngp; i++)
            u->scratch[u->nscratch++] = i;
        sort_g = g;
        sort_w = u->w;
        qsort(u->scratch, u->nscratch, sizeof *u->scratch, cmp_gp_default);
    }
    *items = u->scratch;
    return u->nscratch;
}

/* Client id of the member assigned topic-partition, from the latest model. */
static const char *owner(struct ui *u, const struct wgroup *g, const struct wpart *p)
{
    if (!u->m)
        return NULL;
    const struct group *mg = model_find_group(u->m, g->name);
    if (!mg)
        return NULL;
    const char *topic = wpart_topic(u->w, p);
    for (uint32_t i = 0; i < mg->nmembers; i++) {
        const struct group_member *mm = &mg->members[i];
        for (uint32_t k = 0; k < mm->nassignment; k++)
            if (mm->assignment[k].partition == p->id && mm->assignment[k].topic &&
                strcmp(mm->assignment[k].topic, topic) == 0)
                return mm->client_id ? mm->client_id : mm->member_id ? mm->member_id : "?";
    }
    return NULL;
}

static void gd_cell(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                    uint8_t *el)
{
    struct wgroup *gr = gd_group(u);
    (void)g;
    if (!gr || item >= gr->ngp)
        return;
    const struct wgp *gp = &gr->gps[item];
    const struct wpart *p = &u->w->parts[gp->part];
    char a[32];
    int est = WTL_EXACT;
    int64_t tl;
    const char *o;
    switch (col) {
    case DC_TOPIC: ui_fmt(buf, n, "%s", wpart_topic(u->w, p)); break;
    case DC_PART: ui_fmt(buf, n, "%d", p->id); break;
    case DC_COMMITTED:
        ui_num(a, sizeof a, gp->committed);
        ui_fmt(buf, n, "%s%s", a, gp->lost ? "!" : "");
        if (gp->lost)
            *el = EL_CRIT;
        break;
    case DC_START: ui_num(buf, n, p->log_start); break;
    case DC_END: ui_num(buf, n, p->log_end); break;
    case DC_LAG: ui_num(buf, n, gp->lag); break;
    case DC_TLAG:
        tl = gp->lag > 0 ? watch_gp_time_lag(u->w, gp, &est) : gp->lag;
        ui_dur(a, sizeof a, tl);
        ui_fmt(buf, n, "%s%s", ui_tl_prefix(g, est, tl), a);
        break;
    case DC_STATUS:
        ui_fmt(buf, n, "%s", wgstatus_name(gp->status));
        *el = ui_gstatus_el(gp->status, gp->lost);
        break;
    case DC_OWNER:
        o = owner(u, gr, p);
        ui_fmt(buf, n, "%s", o ? o : "-");
        break;
    }
}

static int gd_cmp(struct ui *u, uint32_t a, uint32_t b, int col)
{
    struct wgroup *gr = gd_group(u);
    if (!gr)
        return 0;
    const struct wgp *x = &gr->gps[a], *y = &gr->gps[b];
    const struct wpart *px = &u->w->parts[x->part], *py = &u->w->parts[y->part];
    int e;
    switch (col) {
    case DC_TOPIC: return strcmp(wpart_topic(u->w, px), wpart_topic(u->w, py));
    case DC_PART: return cmp_i64(px->id, py->id);
    case DC_COMMITTED: return cmp_i64(x->committed, y->committed);
    case DC_START: return cmp_i64(px->log_start, py->log_start);
    case DC_END: return cmp_i64(px->log_end, py->log_end);
    case DC_LAG: return -cmp_i64(x->lag, y->lag);
    case DC_TLAG: return -cmp_i64(watch_gp_time_lag(u->w, x, &e), watch_gp_time_lag(u->w, y, &e));
    case DC_STATUS: return -cmp_i64(x->status, y->status);
    case DC_OWNER: {
        const char *ox = owner(u, gr, px), *oy = owner(u, gr, py);
        return strcmp(ox ? ox : "", oy ? oy : "");
    }
    }
    return 0;
}

static int gd_rows(struct ui *u, int width)
{
    (void)u;
    (void)width;
    return 3;
}

static void gd_info(struct ui *u, struct grid *g, int y, int h)
{
    struct wgroup *gr = gd_group(u);
    if (!gr || h < 1)
        return;
    char s[512], a[32], b[32], c[32], d[32], e[32], f[48];
    ui_clock(a, sizeof a, gr->status_since);
    ui_fmt(s, sizeof s, "group %s  %s%s since %s  %s  %" PRIu32 " member%s  coordinator %d%s",
           gr->name, wgstatus_name(gr->status), gr->nlost && gr->status != WG_LOST ? "!" : "", a,
           gr->state[0] ? gr->state : "-", gr->members, gr->members == 1 ? "" : "s",
           gr->coordinator, gr->present ? "" : "  [no longer listed]");
    grid_put(g, 1, y, g->w - 2, ui_gstatus_el(gr->status, gr->nlost > 0), s);
    if (h < 2)
        return;
    grid_put(g, 1, y + 1, g->w - 2, EL_NORMAL, gr->reason);
    if (h < 3)
        return;
    int est;
    int64_t tl = watch_group_time_lag(u->w, gr, &est);
    ui_group_lag(a, sizeof a, gr);
    ui_dur(b, sizeof b, tl);
    ui_rate(c, sizeof c, gr->rates_known ? gr->consume_rate : -1);
    ui_rate(d, sizeof d, gr->rates_known ? gr->produce_rate : -1);
    uint8_t el = EL_NORMAL;
    catch_up(u, gr, f, sizeof f, &el);
    ui_num(e, sizeof e, gr->lost_msgs);
    ui_fmt(s, sizeof s, "lag %s (%s%s)  consuming %s  producing %s  %s%s%s", a,
           ui_tl_prefix(g, est, tl), b, c, d, f, gr->nlost ? "  deleted unread: " : "",
           gr->nlost ? e : "");
    grid_put(g, 1, y + 2, g->w - 2, gr->nlost ? EL_CRIT : EL_NORMAL, s);
}

static void gd_footer(struct ui *u, struct grid *g, int y, uint32_t item)
{
    struct wgroup *gr = gd_group(u);
    if (!gr || item >= gr->ngp)
        return;
    const struct wgp *gp = &gr->gps[item];
    char s[256], r[192], pn[96];
    watch_gp_reason(u->w, gr, gp, r, sizeof r);
    ui_fmt(s, sizeof s, "%s: %s", ui_part_name(u, gp->part, pn, sizeof pn), r);
    grid_put(g, 1, y, g->w - 2, ui_gstatus_el(gp->status, gp->lost), s);
}

static void gd_enter(struct ui *u, uint32_t item)
{
    struct wgroup *gr = gd_group(u);
    if (gr && item < gr->ngp)
        ui_push(u, V_PART_DETAIL, gr->gps[item].part);
}

const struct view_def view_group_detail = {
    .name = "group",
    .title = "Group",
    .cols = gd_cols,
    .ncols = sizeof gd_cols / sizeof *gd_cols,
    .info_rows = gd_rows,
    .info = gd_info,
    .source = gd_source,
    .cell = gd_cell,
    .cmp = gd_cmp,
    .enter = gd_enter,
    .match = gd_match,
    .footer = gd_footer,
    .empty = "no committed offsets",
};

/* ---- findings ----------------------------------------------------------------- */

enum { FC_SEV, FC_RULE, FC_OBJECT, FC_MESSAGE };

static const struct col finding_cols[] = {
    {"SEVERITY", 8, 0, false, 0},
    {"RULE", 6, 0, false, 0},
    {"OBJECT", 0, 16, false, 0},
    {"MESSAGE", 0, 30, false, 0},
};

static const struct finding_list *sort_fl;

static int cmp_finding(const void *a, const void *b)
{
    const struct finding *x = &sort_fl->v[*(const uint32_t *)a];
    const struct finding *y = &sort_fl->v[*(const uint32_t *)b];
    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    int r = strcmp(x->rule->id, y->rule->id);
    if (r)
        return r;
    return cmp_i64(*(const uint32_t *)a, *(const uint32_t *)b);
}

static uint32_t finding_source(struct ui *u, const uint32_t **items)
{
    uint32_t n = u->fl ? u->fl->n : 0;
    XGROW(u->scratch, u->capscratch, n + 1);
    u->nscratch = 0;
    for (uint32_t i = 0; i < n; i++)
        if (u->fl->v[i].status == FS_ACTIVE)
            u->scratch[u->nscratch++] = i;
    sort_fl = u->fl;
    if (u->nscratch > 1)
        qsort(u->scratch, u->nscratch, sizeof *u->scratch, cmp_finding);
    *items = u->scratch;
    return u->nscratch;
}

static uint8_t sev_el(int sev)
{
    return sev == SEV_ERROR ? EL_ERR : sev == SEV_WARNING ? EL_WARN : EL_DIM;
}

static void finding_cell(struct ui *u, struct grid *g, uint32_t item, int col, char *buf, size_t n,
                         uint8_t *el)
{
    (void)g;
    if (!u->fl || item >= u->fl->n)
        return;
    const struct finding *f = &u->fl->v[item];
    switch (col) {
    case FC_SEV:
        ui_fmt(buf, n, "%s", severity_name(f->severity));
        *el = sev_el(f->severity);
        break;
    case FC_RULE: ui_fmt(buf, n, "%s", f->rule->id); break;
    case FC_OBJECT: finding_object_desc(f, buf, n); break;
    case FC_MESSAGE: ui_fmt(buf, n, "%s", finding_message_body(f)); break;
    }
}

static int finding_cmp(struct ui *u, uint32_t a, uint32_t b, int col)
{
    const struct finding *x = &u->fl->v[a], *y = &u->fl->v[b];
    char oa[256], ob[256];
    switch (col) {
    case FC_SEV: return -cmp_i64(x->severity, y->severity);
    case FC_RULE: return strcmp(x->rule->id, y->rule->id);
    case FC_OBJECT:
        finding_object_desc(x, oa, sizeof oa);
        finding_object_desc(y, ob, sizeof ob);
        return strcmp(oa, ob);
    case FC_MESSAGE: return strcmp(finding_message_body(x), finding_message_body(y));
    }
    return 0;
}

static void finding_enter(struct ui *u, uint32_t item) { ui_push(u, V_FINDING_DETAIL, item); }

static void finding_footer(struct ui *u, struct grid *g, int y, uint32_t item)
{
    (void)item;
    if (!u->st.findings_t || u->st.findings_t == u->st.sample_t)
        return;
    char a[16], b[32], s[160];
    ui_clock(a, sizeof a, u->st.findings_t);
    ui_dur(b, sizeof b, u->st.rules_ms);
    ui_fmt(s, sizeof s,
           "findings of the model collected at %s (the rules take %s: they run "
           "less often)",
           a, b);
    grid_put(g, 1, y, g->w - 2, EL_DIM, s);
}

const struct view_def view_findings = {
    .name = "findings",
    .title = "Findings",
    .cols = finding_cols,
    .ncols = sizeof finding_cols / sizeof *finding_cols,
    .source = finding_source,
    .cell = finding_cell,
    .cmp = finding_cmp,
    .enter = finding_enter,
    .footer = finding_footer,
    .empty = "no finding: the check rules pass on the live model",
};

/* ---- finding detail ----------------------------------------------------------- */

/* Word-wrap text into rows of width w starting at row *y. */
static void wrap(struct grid *g, int x, int *y, int yend, int w, uint8_t el, const char *label,
                 const char *text)
{
    char line[512], flat[2048];
    int lw = (int)strlen(label);
    /* YAML folded text: a single newline is a space, a blank line a break */
    size_t o = 0;
    for (const char *q = text ? text : ""; *q && o + 1 < sizeof flat; q++) {
        if (*q == '\n' && q[1] != '\n' && (o == 0 || flat[o - 1] != '\n'))
            flat[o++] = ' ';
        else if (*q == '\n' && q[1] == '\n') {
            flat[o++] = '\n';
            q++;
        } else
            flat[o++] = *q;
    }
    flat[o] = '\0';
    const char *p = flat;
    bool first = true;
    while (*y < yend) {
        int avail = w - lw;
        if (avail < 10)
            avail = 10;
        size_t len = strlen(p);
        size_t cut = len;
        if ((int)len > avail) {
            cut = (size_t)avail;
            while (cut > 0 && p[cut] != ' ')
                cut--;
            if (!cut)
                cut = (size_t)avail;
        }
        const char *nl = memchr(p, '\n', cut);
        if (nl)
            cut = (size_t)(nl - p);
        ui_fmt(line, sizeof line, "%-*s%.*s", lw, first ? label : "", (int)cut, p);
        grid_put(g, x, (*y)++, w, el, line);
        first = false;
        p += cut;
        while (*p == ' ' || *p == '\n')
            p++;
        if (!*p)
            break;
    }
}

static void draw_finding(struct ui *u, struct grid *g, int y, int h)
{
    int yend = y + h, w = g->w - 2;
    if (!u->fl || u->subject >= u->fl->n) {
        grid_put(g, 1, y, w, EL_DIM, "this finding is no longer reported");
        return;
    }
    const struct finding *f = &u->fl->v[u->subject];
    char s[512], obj[256];
    finding_object_desc(f, obj, sizeof obj);
    ui_fmt(s, sizeof s, "%s %s: %s", severity_name(f->severity), f->rule->id,
           f->rule->title ? f->rule->title : "");
    wrap(g, 1, &y, yend, w, sev_el(f->severity), "", s);
    y++;
    wrap(g, 1, &y, yend, w, EL_NORMAL, "object     ", obj);
    wrap(g, 1, &y, yend, w, EL_NORMAL, "message    ", f->message);
    if (f->fix)
        wrap(g, 1, &y, yend, w, EL_OK, "fix        ", f->fix);
    if (f->rule->rationale)
        wrap(g, 1, &y, yend, w, EL_DIM, "why        ", f->rule->rationale);
    for (uint32_t i = 0; i < f->rule->nrefs && y < yend; i++)
        wrap(g, 1, &y, yend, w, EL_DIM, i ? "           " : "see        ", f->rule->refs[i]);
    if (f->nrelated && y < yend) {
        ui_fmt(s, sizeof s, "and %" PRIu32 " more objects with the same finding", f->nrelated);
        wrap(g, 1, &y, yend, w, EL_DIM, "           ", s);
    }
}

const struct view_def view_finding_detail = {
    .name = "finding",
    .title = "Finding",
    .draw = draw_finding,
};
