/*
 * watch_group.c - consumer groups across successive models: committed
 * offsets, lag, Burrow-like status over a wall-clock window, rates, ETA,
 * lag trend and offsets below the log start (see watch.h).
 */
#include "watch/watch.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE UINT32_MAX

/* snprintf whose truncation is intended (reasons are one display line). */
__attribute__((format(printf, 3, 4))) static void lfmt(char *out, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, n, fmt, ap);
    va_end(ap);
}

void watch_groups_release(struct watch *w)
{
    for (uint32_t i = 0; i < w->ngroups; i++) {
        free(w->groups[i].name);
        free(w->groups[i].gps);
    }
    free(w->groups);
}

size_t watch_groups_bytes(const struct watch *w, size_t *per_gp)
{
    size_t n = (size_t)w->capgroups * sizeof *w->groups;
    for (uint32_t i = 0; i < w->ngroups; i++)
        n += (size_t)w->groups[i].capgp * sizeof(struct wgp) + strlen(w->groups[i].name) + 1;
    n += (size_t)w->ngroup_order * sizeof *w->group_order;
    *per_gp = sizeof(struct wgp);
    return n;
}

static struct wgroup *group_get(struct watch *w, const char *name)
{
    uintptr_t v = (uintptr_t)hmap_get(&w->group_by_name, name);
    if (v)
        return &w->groups[v - 1];
    XGROW(w->groups, w->capgroups, w->ngroups + 1);
    struct wgroup *g = &w->groups[w->ngroups++];
    memset(g, 0, sizeof *g);
    g->name = xstrdup(name);
    g->coordinator = -1;
    g->eta_ms = -1;
    g->total_lag = -1;
    hmap_put(&w->group_by_name, g->name, (void *)(uintptr_t)w->ngroups);
    return g;
}

static void gp_init(struct wgp *gp, uint32_t part)
{
    memset(gp, 0, sizeof *gp);
    gp->part = part;
    gp->committed = -1;
    gp->lag = -1;
    for (int i = 0; i < WATCH_NCK; i++)
        gp->ck_lag[i] = gp->ck_c[i] = -1;
}

static int cmp_gp_part(const void *a, const void *b)
{
    uint32_t x = ((const struct wgp *)a)->part, y = ((const struct wgp *)b)->part;
    return x < y ? -1 : x > y;
}

/* The model's offsets changed shape: rebuild gps in model order, carrying
 * the history of partitions seen before. */
static void remap(struct wgroup *g, const uint32_t *pis, uint32_t n)
{
    if (g->ngp > 1)
        qsort(g->gps, g->ngp, sizeof *g->gps, cmp_gp_part);
    struct wgp *nv = xcalloc(n ? n : 1, sizeof *nv);
    for (uint32_t j = 0; j < n; j++) {
        struct wgp key = {.part = pis[j]};
        struct wgp *old =
            g->ngp ? bsearch(&key, g->gps, g->ngp, sizeof *g->gps, cmp_gp_part) : NULL;
        if (old)
            nv[j] = *old;
        else
            gp_init(&nv[j], pis[j]);
    }
    free(g->gps);
    g->gps = nv;
    g->ngp = g->capgp = n;
}

static void gp_update(struct watch *w, struct wgp *gp, int64_t c, int64_t now)
{
    const struct wpart *wp = &w->parts[gp->part];
    if (!gp->progress_t) {
        gp->progress_t = now;
    } else if (c >= 0 && gp->committed >= 0 && c != gp->committed) {
        if (c > gp->committed) {
            gp->progress_t = now;
        } else {
            bool open = gp->rewind_t && gp->rewind_t >= now - w->o.window_ms &&
                        gp->committed < gp->rewind_from;
            if (!open)
                gp->rewind_from = gp->committed;
            gp->rewind_t = now;
        }
    } else if (c >= 0 && gp->committed < 0) {
        gp->progress_t = now;
    }
    gp->committed = c;
    int64_t leo = wp->log_end;
    gp->lag = offset_lag_of(c, leo);
    if (gp->lag >= 0 && gp->lag <= w->o.allowed_lag)
        gp->caught_up_t = now;
    gp->lost = offset_deleted_unread(c, wp->log_start) > 0;
}

/* Slot of the newest checkpoint at least min_age old; else the oldest one
 * older than now (*full = false); -1 if none. */
static int ck_ref(const struct wgroup *g, int64_t now, int64_t min_age, bool *full)
{
    *full = false;
    for (int k = (int)g->ck_n - 1; k >= 0; k--) {
        int s = (g->ck_head + k) % WATCH_NCK;
        if (now - g->ck_t[s] >= min_age) {
            *full = true;
            return s;
        }
    }
    if (g->ck_n && g->ck_t[g->ck_head] < now)
        return g->ck_head;
    return -1;
}

/* The group's lag as `lag` prints it: a lower bound gets a '+'. */
static void fmt_lag(char *out, size_t n, const struct wgroup *g)
{
    fmt_count(out, n, g->total_lag);
    size_t l = strlen(out);
    if (g->lag_partial && g->total_lag >= 0 && l + 1 < n) {
        out[l] = '+';
        out[l + 1] = '\0';
    }
}

static void group_reason(struct watch *w, struct wgroup *g, int64_t ref_lag_sum, bool ref_ok)
{
    char a[32], b[32], c[32], pre[96] = "";
    size_t n = sizeof g->reason;
    if (g->nlost) {
        fmt_count(a, sizeof a, g->lost_msgs);
        lfmt(pre, sizeof pre,
             "%s messages deleted unread (%" PRIu32 " partition%s below log start); ", a, g->nlost,
             g->nlost == 1 ? "" : "s");
    }
    uint32_t bad = g->nstatus[g->status];
    const struct wgp *gp = g->ngp ? &g->gps[g->worst_gp] : NULL;
    switch (g->status) {
    case WG_STALL:
    case WG_STOP:
        fmt_ms_compact(a, sizeof a, gp ? w->now - gp->progress_t : 0);
        fmt_lag(b, sizeof b, g);
        if (g->status == WG_STALL && g->members_unknown)
            lfmt(g->reason, n,
                 "%sno progress for %s on %" PRIu32 "/%" PRIu32
                 " partitions (members unknown); lag %s",
                 pre, a, bad, g->ngp, b);
        else if (g->status == WG_STALL)
            lfmt(g->reason, n,
                 "%sno progress for %s on %" PRIu32 "/%" PRIu32 " partitions with %" PRIu32
                 " member%s; lag %s",
                 pre, a, bad, g->ngp, g->members, g->members == 1 ? "" : "s", b);
        else
            lfmt(g->reason, n,
                 "%sno members; no progress for %s on %" PRIu32 "/%" PRIu32 " partitions; lag %s",
                 pre, a, bad, g->ngp, b);
        return;
    case WG_REWIND:
        fmt_count(a, sizeof a, gp ? gp->rewind_from : 0);
        fmt_count(b, sizeof b, gp ? gp->committed : 0);
        fmt_ms_compact(c, sizeof c, gp ? w->now - gp->rewind_t : 0);
        lfmt(g->reason, n, "%s%s-%d committed offset moved back from %s to %s %s ago", pre,
             gp ? wpart_topic(w, &w->parts[gp->part]) : "?", gp ? w->parts[gp->part].id : -1, a, b,
             c);
        return;
    case WG_WARN:
        fmt_lag(b, sizeof b, g);
        if (ref_ok && ref_lag_sum >= 0) {
            fmt_count(a, sizeof a, ref_lag_sum);
            fmt_ms_compact(c, sizeof c, w->o.window_ms);
            lfmt(g->reason, n,
                 "%slag grew %s -> %s in %s on %" PRIu32 "/%" PRIu32
                 " partitions; consuming %.0f/s, producing %.0f/s",
                 pre, a, b, c, bad, g->ngp, g->consume_rate, g->produce_rate);
        } else {
            lfmt(g->reason, n, "%slag growing on %" PRIu32 "/%" PRIu32 " partitions (%s)", pre, bad,
                 g->ngp, b);
        }
        return;
    case WG_NONE:
        /* committed offsets but no log end: the lag is unknown */
        lfmt(g->reason, n, "%s%s", pre,
             g->lag_partial ? "lag unknown: log end offsets not read" : "nothing committed");
        return;
    default: break;
    }
    if (g->total_lag <= w->o.allowed_lag * (int64_t)(g->ngp ? g->ngp : 1)) {
        lfmt(g->reason, n, "%scaught up%s", pre, g->lag_partial ? " where the lag is known" : "");
    } else if (g->eta_ms >= 0) {
        fmt_ms_compact(a, sizeof a, g->eta_ms);
        lfmt(g->reason, n, "%scatching up at %.0f msg/s, ETA %s", pre,
             g->consume_rate - g->produce_rate, a);
    } else if (w->now - g->first_seen < w->o.window_ms) {
        fmt_ms_compact(a, sizeof a, w->now - g->first_seen);
        fmt_ms_compact(b, sizeof b, w->o.window_ms);
        lfmt(g->reason, n, "%sobserving (%s of %s window)", pre, a, b);
    } else if (g->rates_known && g->produce_rate > g->consume_rate) {
        lfmt(g->reason, n, "%sconsuming, %.0f msg/s slower than producers", pre,
             g->produce_rate - g->consume_rate);
    } else {
        fmt_lag(a, sizeof a, g);
        lfmt(g->reason, n, "%sconsuming; lag %s, not growing", pre, a);
    }
}

void watch_gp_reason(const struct watch *w, const struct wgroup *g, const struct wgp *gp, char *out,
                     size_t n)
{
    char a[32], b[32];
    const struct wpart *wp = &w->parts[gp->part];
    const char *lost = "";
    char lb[64] = "";
    if (gp->lost) {
        fmt_count(a, sizeof a, wp->log_start - gp->committed);
        lfmt(lb, sizeof lb, "%s messages deleted unread; ", a);
        lost = lb;
    }
    switch (gp->status) {
    case WG_NONE:
        if ((g->unread || gp->unread) && gp->committed >= 0)
            lfmt(out, n, "committed offset not read (last read: %" PRId64 ")", gp->committed);
        else if (g->unread || gp->unread)
            lfmt(out, n, "committed offset not read");
        else if (gp->committed >= 0)
            lfmt(out, n, "%slog end unknown", lost);
        else
            lfmt(out, n, "%snothing committed", lost);
        return;
    case WG_STALL:
    case WG_STOP:
        fmt_ms_compact(a, sizeof a, w->now - gp->progress_t);
        lfmt(out, n, "%s%sno progress for %s", lost,
             g->members || g->members_unknown ? "" : "no members; ", a);
        return;
    case WG_REWIND:
        fmt_count(a, sizeof a, gp->rewind_from);
        fmt_ms_compact(b, sizeof b, w->now - gp->rewind_t);
        lfmt(out, n, "%smoved back from %s %s ago", lost, a, b);
        return;
    case WG_WARN: lfmt(out, n, "%slag growing over the window", lost); return;
    default: break;
    }
    if (gp->lag >= 0 && gp->lag <= w->o.allowed_lag)
        lfmt(out, n, "%scaught up", lost);
    else
        lfmt(out, n, "%sconsuming", lost);
}

static const struct watch *sort_w;

static int cmp_group(const void *a, const void *b)
{
    const struct wgroup *x = &sort_w->groups[*(const uint32_t *)a];
    const struct wgroup *y = &sort_w->groups[*(const uint32_t *)b];
    if ((x->nlost > 0) != (y->nlost > 0))
        return x->nlost ? -1 : 1;
    if (x->status != y->status)
        return x->status > y->status ? -1 : 1;
    if (x->total_lag != y->total_lag)
        return x->total_lag > y->total_lag ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Lag trend: one point per window/12, the newest always current; -1 unknown. */
static void spark_add(struct watch *w, struct wgroup *g, int64_t now, int64_t v)
{
    int64_t sgap = w->o.window_ms / 12;
    if (!g->spark_n || now - g->spark_t >= sgap) {
        if (g->spark_n < WATCH_NSPARK) {
            g->spark[(g->spark_head + g->spark_n) % WATCH_NSPARK] = v;
            g->spark_n++;
        } else {
            g->spark[g->spark_head] = v;
            g->spark_head = (uint8_t)((g->spark_head + 1) % WATCH_NSPARK);
        }
        g->spark_t = now;
    } else {
        g->spark[(g->spark_head + g->spark_n - 1) % WATCH_NSPARK] = v;
    }
}

/* The collection could not read the group's committed offsets (OffsetFetch
 * timed out or was refused): its lag and status are unknown now, not
 * "nothing committed".  The partitions keep their history (the window,
 * the last committed offsets) for the next sample that reads them. */
static void mark_unread(struct watch *w, struct wgroup *g, const struct group *mg, int64_t now)
{
    memset(g->nstatus, 0, sizeof g->nstatus);
    for (uint32_t i = 0; i < g->ngp; i++) {
        g->gps[i].lag = -1;
        g->gps[i].status = WG_NONE;
    }
    g->nstatus[WG_NONE] = g->ngp;
    if (g->status != WG_NONE)
        g->status_since = now;
    g->status = WG_NONE;
    g->worst_gp = 0;
    g->total_lag = g->max_lag = -1;
    g->max_lag_gp = 0;
    g->lag_partial = true;
    g->nlost = 0;
    g->lost_msgs = 0;
    g->rates_known = false;
    g->consume_rate = g->produce_rate = 0;
    g->eta_ms = -1;
    lfmt(g->reason, sizeof g->reason, "committed offsets not read: %s", mg->o.error);
    spark_add(w, g, now, -1);
}

/* The group's committed offsets onto the partitions the watch tracks:
 * g->gps follows mg->offsets (remapped when the set changed), each
 * partition's lag and history updated or marked unread. */
static void group_offsets(struct watch *w, struct wgroup *g, const struct group *mg, int64_t now,
                          uint32_t **scratch, uint32_t *capscratch)
{
    XGROW(*scratch, *capscratch, mg->noffsets + 1);
    uint32_t *pis = *scratch, npis = 0;
    bool same = true;
    for (uint32_t k = 0; k < mg->noffsets; k++) {
        const struct group_offset *o = &mg->offsets[k];
        if (!o->t || o->partition < 0)
            continue;
        const struct wtopic *wt = &w->topics[w->tmap[o->t->o.index]];
        if ((uint32_t)o->partition >= wt->nby_id || wt->by_id[o->partition] == NONE)
            continue;
        uint32_t pi = wt->by_id[o->partition];
        if (npis >= g->ngp || g->gps[npis].part != pi)
            same = false;
        pis[npis++] = pi;
    }
    if (!same || npis != g->ngp)
        remap(g, pis, npis);
    uint32_t j = 0;
    for (uint32_t k = 0; k < mg->noffsets; k++) {
        const struct group_offset *o = &mg->offsets[k];
        if (!o->t || o->partition < 0)
            continue;
        const struct wtopic *wt = &w->topics[w->tmap[o->t->o.index]];
        if ((uint32_t)o->partition >= wt->nby_id || wt->by_id[o->partition] == NONE)
            continue;
        struct wgp *gp = &g->gps[j++];
        /* OffsetFetch answered for the group but refused this partition
         * (a per-partition error): its lag is unknown this sample, not
         * "nothing committed"; its history stays for the next reading */
        gp->unread = o->error != NULL;
        if (gp->unread) {
            gp->lag = -1;
            gp->lost = false;
        } else {
            gp_update(w, gp, o->committed, now);
        }
    }
}

/* A checkpoint of every partition's lag and committed offset when the
 * newest is at least gap old. */
static void group_checkpoint(struct wgroup *g, int64_t now, int64_t gap)
{
    int newest = g->ck_n ? (g->ck_head + g->ck_n - 1) % WATCH_NCK : -1;
    if (newest < 0 || now - g->ck_t[newest] >= gap) {
        int slot;
        if (g->ck_n < WATCH_NCK) {
            slot = (g->ck_head + g->ck_n) % WATCH_NCK;
            g->ck_n++;
        } else {
            slot = g->ck_head;
            g->ck_head = (uint8_t)((g->ck_head + 1) % WATCH_NCK);
        }
        g->ck_t[slot] = now;
        for (uint32_t i = 0; i < g->ngp; i++) {
            g->gps[i].ck_lag[slot] = g->gps[i].lag;
            g->gps[i].ck_c[slot] = g->gps[i].committed;
        }
    }
}

/* Consume and produce rates from the committed offsets and log ends moved
 * (dc, dl over nrate partitions) since checkpoint rref, and the catch-up
 * estimate for a group lagging by total. */
static void group_rates(struct watch *w, struct wgroup *g, int64_t now, int rref, uint32_t nrate,
                        int64_t dc, int64_t dl, int64_t total)
{
    g->rates_known = false;
    g->consume_rate = g->produce_rate = 0;
    if (rref >= 0 && nrate && now > g->ck_t[rref]) {
        double dt = (double)(now - g->ck_t[rref]) / 1000.0;
        g->consume_rate = (double)dc / dt;
        g->produce_rate = (double)dl / dt;
        if (g->consume_rate < 0)
            g->consume_rate = 0; /* a rewind is not negative consumption */
        if (g->produce_rate < 0)
            g->produce_rate = 0;
        g->rates_known = true;
    }
    g->eta_ms = -1;
    if (g->rates_known && total > w->o.allowed_lag * (int64_t)(g->ngp ? g->ngp : 1))
        g->eta_ms = watch_eta_ms(total, g->consume_rate, g->produce_rate);
}

/* Each partition's verdict against the checkpoints (gap: window/3), and
 * the group's status, lag sums, rates, reason and sparkline from them
 * (err: some of the group's offsets could not be read). */
static void group_verdicts(struct watch *w, struct wgroup *g, int64_t now, int64_t gap, bool err)
{
    bool wfull, rfull;
    int wref = ck_ref(g, now, w->o.window_ms, &wfull);
    int rref = ck_ref(g, now, gap, &rfull);

    /* verdicts and sums */
    memset(g->nstatus, 0, sizeof g->nstatus);
    enum wgstatus worst = WG_NONE;
    uint32_t worst_gp = 0;
    int64_t total = -1, maxlag = -1, ref_sum = 0, dc = 0, dl = 0;
    uint32_t maxgp = 0, nrate = 0;
    bool partial = err; /* some offsets read, maybe not all */
    g->nlost = 0;
    g->lost_msgs = 0;
    struct wgp_eval e = {.now = now,
                         .window_ms = w->o.window_ms,
                         .allowed_lag = w->o.allowed_lag,
                         .first_seen = g->first_seen,
                         .members = g->members,
                         .members_unknown = g->members_unknown};
    for (uint32_t i = 0; i < g->ngp; i++) {
        struct wgp *gp = &g->gps[i];
        const struct wpart *wp = &w->parts[gp->part];
        e.committed = gp->committed;
        e.log_start = wp->log_start;
        e.log_end = wp->log_end;
        e.progress_t = gp->progress_t;
        e.caught_up_t = gp->caught_up_t;
        e.rewind_t = gp->rewind_t;
        e.rewind_from = gp->rewind_from;
        e.ref_lag = wref >= 0 ? gp->ck_lag[wref] : -1;
        e.recent_lag = rref >= 0 && rfull ? gp->ck_lag[rref] : -1;
        e.ref_complete = wfull;
        enum wgstatus s = gp->unread ? WG_NONE : wgp_evaluate(&e);
        gp->status = (uint8_t)s;
        g->nstatus[s]++;
        /* worst status; among equals, the largest lag */
        if (s > worst || (s == worst && gp->lag > g->gps[worst_gp].lag)) {
            worst = s;
            worst_gp = i;
        }
        if ((gp->committed >= 0 && gp->lag < 0) || gp->unread)
            partial = true; /* log end or committed offset unknown */
        if (gp->lag >= 0) {
            total = (total < 0 ? 0 : total) + gp->lag;
            if (gp->lag > maxlag) {
                maxlag = gp->lag;
                maxgp = i;
            }
            if (wref >= 0 && gp->ck_lag[wref] >= 0)
                ref_sum += gp->ck_lag[wref];
        }
        if (gp->lost) {
            g->nlost++;
            g->lost_msgs += wp->log_start - gp->committed;
        }
        if (rref >= 0 && gp->committed >= 0 && gp->lag >= 0 && gp->ck_c[rref] >= 0 &&
            gp->ck_lag[rref] >= 0) {
            dc += gp->committed - gp->ck_c[rref];
            dl += (gp->committed + gp->lag) - (gp->ck_c[rref] + gp->ck_lag[rref]);
            nrate++;
        }
    }
    if (worst != g->status)
        g->status_since = now;
    g->status = (uint8_t)worst;
    g->worst_gp = worst_gp;
    g->total_lag = total;
    g->lag_partial = partial;
    g->max_lag = maxlag;
    g->max_lag_gp = maxgp;
    group_rates(w, g, now, rref, nrate, dc, dl, total);
    group_reason(w, g, ref_sum, wfull);

    /* nothing committed is no lag; a lag that could not be read is a gap */
    spark_add(w, g, now, total >= 0 ? total : partial ? -1 : 0);
}

/* One sample of a group the cluster has: state, offsets, checkpoints and
 * verdicts. */
static void group_update(struct watch *w, struct wgroup *g, const struct group *mg, int64_t now,
                         uint32_t **scratch, uint32_t *capscratch)
{
    g->present = true;
    snprintf(g->state, sizeof g->state, "%s", mg->state ? mg->state : "");
    g->members = mg->nmembers;
    g->members_unknown = mg->members_unknown;
    g->coordinator = mg->coordinator;
    if (!g->first_seen)
        g->first_seen = g->status_since = now;
    /* as `lag` decides it: an error on a group that exists means its
     * offsets (or its description) could not be read */
    bool err = group_unread(mg);
    g->unread = err && !mg->noffsets;
    if (g->unread) {
        mark_unread(w, g, mg, now);
        return;
    }

    /* offsets -> partitions we track */
    group_offsets(w, g, mg, now, scratch, capscratch);
    /* checkpoint every window/3 */
    int64_t gap = w->o.window_ms / (WATCH_NCK - 1);
    group_checkpoint(g, now, gap);
    group_verdicts(w, g, now, gap, err);
}

void watch_groups_update(struct watch *w, const struct model *m, int64_t now)
{
    for (uint32_t i = 0; i < w->ngroups; i++)
        w->groups[i].present = false;
    uint32_t *scratch = NULL, capscratch = 0;
    for (uint32_t i = 0; i < m->ngroups; i++) {
        const struct group *mg = m->groups[i];
        if (!mg->o.name)
            continue;
        struct wgroup *g = group_get(w, mg->o.name);
        group_update(w, g, mg, now, &scratch, &capscratch);
    }
    free(scratch);
    memset(w->ngstatus, 0, sizeof w->ngstatus);
    w->ngroups_present = w->ngroups_lost = 0;
    free(w->group_order);
    w->group_order = xmalloc((w->ngroups + 1) * sizeof *w->group_order);
    w->ngroup_order = 0;
    for (uint32_t i = 0; i < w->ngroups; i++) {
        const struct wgroup *g = &w->groups[i];
        if (!g->present)
            continue;
        w->group_order[w->ngroup_order++] = i;
        w->ngroups_present++;
        w->ngstatus[g->status]++;
        if (g->nlost)
            w->ngroups_lost++;
    }
    sort_w = w;
    qsort(w->group_order, w->ngroup_order, sizeof *w->group_order, cmp_group);
}

int64_t watch_gp_time_lag(const struct watch *w, const struct wgp *gp, int *how)
{
    const struct wpart *wp = &w->parts[gp->part];
    return wring_time_lag(w->ring + (size_t)gp->part * w->o.history_len, w->o.history_len,
                          wp->ring_head, wp->ring_n, gp->committed, wp->log_end, w->now, how);
}

int64_t watch_group_time_lag(struct watch *w, struct wgroup *g, int *how)
{
    if (g->tl_gen != w->gen) {
        int64_t best = -1;
        int best_how = WTL_EXACT;
        bool unknown = false; /* a lagging partition of unknown age */
        for (uint32_t i = 0; i < g->ngp; i++) {
            const struct wgp *gp = &g->gps[i];
            if (gp->committed < 0)
                continue; /* nothing committed: no message waits for it */
            int est = WTL_EXACT;
            int64_t t = gp->lag == 0 ? 0 : gp->lag < 0 ? -1 : watch_gp_time_lag(w, gp, &est);
            if (t < 0) {
                unknown = true;
                continue;
            }
            if (t > best) {
                best = t;
                best_how = est;
            }
        }
        if (unknown) {
            /* the oldest waiting message is at least this old, if any
             * known one waits at all; a caught-up partition's 0 says
             * nothing about the others */
            if (best > 0)
                best_how = WTL_AT_LEAST;
            else
                best = -1;
        }
        g->tl_ms = best;
        g->tl_how = best_how;
        g->tl_gen = w->gen;
    }
    *how = g->tl_how;
    return g->tl_ms;
}
