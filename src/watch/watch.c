/*
 * watch.c - topics, partitions, brokers and ISR events across successive
 * models (see watch.h); consumer groups are in watch_group.c.
 */
#include "watch/watch.h"
#include "model/partition_state.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* watch_group.c */
void watch_groups_update(struct watch *w, const struct model *m, int64_t now);
void watch_groups_release(struct watch *w);
size_t watch_groups_bytes(const struct watch *w, size_t *per_gp);

#define NONE UINT32_MAX

void watch_init(struct watch *w, const struct watch_opts *o)
{
    memset(w, 0, sizeof *w);
    if (o)
        w->o = *o;
    else
        watch_opts_init(&w->o);
    if (w->o.window_ms <= 0)
        w->o.window_ms = 120000;
    if (w->o.history_len < 2)
        w->o.history_len = 2;
    if (w->o.history_len > 4096)
        w->o.history_len = 4096;
    if (w->o.max_events < 16)
        w->o.max_events = 16;
    w->events = xcalloc(w->o.max_events, sizeof *w->events);
    w->controller = -1;
    hmap_init(&w->topic_by_name);
    hmap_init(&w->group_by_name);
}

void watch_release(struct watch *w)
{
    for (uint32_t i = 0; i < w->nparts; i++) {
        if (w->parts[i].ids != w->parts[i].inl)
            free(w->parts[i].ids);
        free(w->parts[i].out);
    }
    free(w->parts);
    free(w->ring);
    for (uint32_t i = 0; i < w->ntopics; i++) {
        free(w->topics[i].name);
        free(w->topics[i].by_id);
    }
    free(w->topics);
    for (uint32_t i = 0; i < w->nbrokers; i++) {
        free(w->brokers[i].rack);
        free(w->brokers[i].host);
    }
    free(w->brokers);
    free(w->broker_slot);
    watch_groups_release(w);
    free(w->events);
    free(w->risk);
    free(w->group_order);
    free(w->broker_order);
    free(w->tmap);
    free(w->cluster_id);
    free(w->cluster_name);
    hmap_release(&w->topic_by_name);
    hmap_release(&w->group_by_name);
    memset(w, 0, sizeof *w);
}

const char *wpart_topic(const struct watch *w, const struct wpart *p)
{
    return w->topics[p->topic].name;
}

static size_t id_hash(int32_t id) { return (size_t)((uint32_t)id * 2654435761u); }

static uint32_t broker_index(const struct watch *w, int32_t id)
{
    if (!w->broker_slot)
        return NONE;
    for (size_t h = id_hash(id) & w->broker_mask; w->broker_slot[h]; h = (h + 1) & w->broker_mask)
        if (w->brokers[w->broker_slot[h] - 1].id == id)
            return w->broker_slot[h] - 1;
    return NONE;
}

/* Index brokers[i] (its id not yet indexed), growing the table at half load. */
static void broker_index_add(struct watch *w, uint32_t i)
{
    if (!w->broker_slot || 2 * (size_t)w->nbrokers > w->broker_mask + 1) {
        size_t cap = w->broker_slot ? 2 * (w->broker_mask + 1) : 64;
        while (cap < 4 * (size_t)w->nbrokers)
            cap *= 2;
        free(w->broker_slot);
        w->broker_slot = xcalloc(cap, sizeof *w->broker_slot);
        w->broker_mask = cap - 1;
        for (uint32_t k = 0; k < w->nbrokers; k++) {
            if (k == i)
                continue;
            size_t h = id_hash(w->brokers[k].id) & w->broker_mask;
            while (w->broker_slot[h])
                h = (h + 1) & w->broker_mask;
            w->broker_slot[h] = k + 1;
        }
    }
    size_t h = id_hash(w->brokers[i].id) & w->broker_mask;
    while (w->broker_slot[h])
        h = (h + 1) & w->broker_mask;
    w->broker_slot[h] = i + 1;
}

const struct wbroker *watch_broker(const struct watch *w, int32_t id)
{
    uint32_t i = broker_index(w, id);
    return i == NONE ? NULL : &w->brokers[i];
}

/* ---- events ----------------------------------------------------------------- */

uint64_t watch_oldest_event(const struct watch *w)
{
    return w->nevents > w->o.max_events ? w->nevents - w->o.max_events : 0;
}

const struct wevent *watch_event(const struct watch *w, uint64_t seq)
{
    if (seq >= w->nevents || seq < watch_oldest_event(w))
        return NULL;
    return &w->events[seq % w->o.max_events];
}

static struct wevent *event_add(struct watch *w, enum wevent_kind k, int64_t t, uint32_t part,
                                int32_t broker)
{
    uint64_t seq = w->nevents++;
    struct wevent *e = &w->events[seq % w->o.max_events];
    *e = (struct wevent){.t = t,
                         .seq = seq,
                         .part = part,
                         .broker = broker,
                         .leader = -1,
                         .from = -1,
                         .kind = (uint8_t)k,
                         .min_isr = -1,
                         .dur_ms = -1,
                         .degraded_ms = -1};
    return e;
}

/* ---- brokers ---------------------------------------------------------------- */

static void set_str(char **dst, const char *src)
{
    if (str_eq(*dst, src))
        return;
    free(*dst);
    *dst = src ? xstrdup(src) : NULL;
}

static struct wbroker *broker_get(struct watch *w, int32_t id)
{
    uint32_t i = broker_index(w, id);
    if (i != NONE)
        return &w->brokers[i];
    XGROW(w->brokers, w->capbrokers, w->nbrokers + 1);
    struct wbroker *b = &w->brokers[w->nbrokers++];
    memset(b, 0, sizeof *b);
    b->id = id;
    b->port = -1;
    broker_index_add(w, w->nbrokers - 1);
    return b;
}

static void brokers_update(struct watch *w, const struct model *m, int64_t now, int64_t dt)
{
    for (uint32_t i = 0; i < w->nbrokers; i++)
        if (w->brokers[i].present && w->brokers[i].down)
            w->brokers[i].down_ms += dt;
    bool *seen = xcalloc(w->nbrokers + m->nbrokers + 1, sizeof *seen);
    for (uint32_t i = 0; i < m->nbrokers; i++) {
        const struct broker *mb = m->brokers[i];
        uint32_t before = w->nbrokers;
        struct wbroker *b = broker_get(w, mb->id);
        bool fresh = w->nbrokers != before || !b->first_seen;
        seen[b - w->brokers] = true;
        /* a broker that is down is known only by id: keep what we saw */
        if (mb->rack || !mb->down)
            set_str(&b->rack, mb->rack);
        if (mb->host) {
            set_str(&b->host, mb->host);
            b->port = mb->port;
        }
        if (fresh) {
            b->first_seen = now;
            b->down = mb->down;
            b->down_since = mb->down ? now : 0;
        } else if (mb->down != b->down || !b->present) {
            bool was_down = b->down || !b->present;
            if (mb->down && !was_down) {
                event_add(w, WE_BROKER_DOWN, now, NONE, b->id);
                b->down_since = now;
            } else if (!mb->down && was_down) {
                struct wevent *e = event_add(w, WE_BROKER_UP, now, NONE, b->id);
                e->dur_ms = b->down_since ? now - b->down_since : -1;
                b->down_since = 0;
            }
            b->down = mb->down;
        }
        b->present = true;
    }
    /* a broker missing from the model altogether is down too */
    for (uint32_t i = 0; i < w->nbrokers; i++) {
        struct wbroker *b = &w->brokers[i];
        if (seen[i] || !b->present)
            continue;
        if (!b->down) {
            event_add(w, WE_BROKER_DOWN, now, NONE, b->id);
            b->down_since = now;
        }
        b->down = true;
        b->present = false;
    }
    free(seen);
}

/* ---- partitions ------------------------------------------------------------- */

static bool has(const int32_t *v, uint32_t n, int32_t x)
{
    for (uint32_t i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

static struct wtopic *topic_get(struct watch *w, const struct topic *t, uint32_t *idx)
{
    uintptr_t v = (uintptr_t)hmap_get(&w->topic_by_name, t->o.name);
    if (v) {
        *idx = (uint32_t)(v - 1);
        return &w->topics[*idx];
    }
    XGROW(w->topics, w->captopics, w->ntopics + 1);
    *idx = w->ntopics++;
    struct wtopic *wt = &w->topics[*idx];
    memset(wt, 0, sizeof *wt);
    wt->name = xstrdup(t->o.name);
    wt->internal = t->internal;
    hmap_put(&w->topic_by_name, wt->name, (void *)(uintptr_t)(*idx + 1));
    /* rank by name: insertion keeps the ranks of the others consistent */
    uint32_t r = 0;
    for (uint32_t i = 0; i + 1 < w->ntopics; i++) {
        if (strcmp(w->topics[i].name, wt->name) < 0)
            r++;
        else
            w->topics[i].rank++;
    }
    wt->rank = r;
    w->risk_dirty = true;
    return wt;
}

static uint32_t part_get(struct watch *w, struct wtopic *wt, uint32_t tidx, int32_t id)
{
    if (id < 0)
        return NONE;
    if ((uint32_t)id < wt->nby_id && wt->by_id[id] != NONE)
        return wt->by_id[id];
    if ((uint32_t)id >= wt->nby_id) {
        uint32_t n = wt->nby_id ? wt->nby_id : 8;
        while (n <= (uint32_t)id)
            n *= 2;
        wt->by_id = xreallocarray(wt->by_id, n, sizeof *wt->by_id);
        for (uint32_t i = wt->nby_id; i < n; i++)
            wt->by_id[i] = NONE;
        wt->nby_id = n;
    }
    if (w->nparts == w->capparts) {
        uint32_t nc = w->capparts ? w->capparts * 2 : 256;
        w->parts = xreallocarray(w->parts, nc, sizeof *w->parts);
        w->ring = xreallocarray(w->ring, (size_t)nc * w->o.history_len, sizeof *w->ring);
        /* parts pointing at their own inline storage moved with the array */
        for (uint32_t i = 0; i < w->nparts; i++)
            if (w->parts[i].nrep + w->parts[i].nisr <= WPART_INLINE)
                w->parts[i].ids = w->parts[i].inl;
        w->capparts = nc;
    }
    uint32_t pi = w->nparts++;
    struct wpart *p = &w->parts[pi];
    memset(p, 0, sizeof *p);
    p->topic = tidx;
    p->id = id;
    p->leader = -1;
    p->min_isr = -1;
    p->log_start = p->log_end = -1;
    p->ids = p->inl;
    wt->by_id[id] = pi;
    return pi;
}

static void set_ids(struct wpart *wp, const struct partition *p)
{
    uint32_t need = (uint32_t)p->nreplicas + p->nisr;
    if (need > WPART_INLINE) {
        wp->ids = xreallocarray(wp->ids == wp->inl ? NULL : wp->ids, need, sizeof *wp->ids);
    } else if (wp->ids != wp->inl) {
        free(wp->ids);
        wp->ids = wp->inl;
    }
    uint8_t nr = p->nreplicas > 255 ? 255 : (uint8_t)p->nreplicas;
    uint8_t ni = p->nisr > 255 ? 255 : (uint8_t)p->nisr;
    if (nr)
        memcpy(wp->ids, p->replicas, nr * sizeof *wp->ids);
    if (ni)
        memcpy(wp->ids + nr, p->isr, ni * sizeof *wp->ids);
    wp->nrep = nr;
    wp->nisr = ni;
}

static void out_add(struct wpart *wp, int32_t broker, int64_t since, uint64_t seq)
{
    for (uint32_t i = 0; i < wp->nout; i++)
        if (wp->out[i].broker == broker)
            return;
    if (wp->nout == wp->capout) {
        uint8_t nc = wp->capout ? (uint8_t)(wp->capout * 2) : 2;
        wp->out = xreallocarray(wp->out, nc, sizeof *wp->out);
        wp->capout = nc;
    }
    wp->out[wp->nout++] = (struct wout){broker, since, seq};
}

/* Remove broker from the out list; returns its entry (broker -1 if absent). */
static struct wout out_take(struct wpart *wp, int32_t broker)
{
    for (uint32_t i = 0; i < wp->nout; i++)
        if (wp->out[i].broker == broker) {
            struct wout o = wp->out[i];
            wp->out[i] = wp->out[--wp->nout];
            return o;
        }
    return (struct wout){-1, 0, UINT64_MAX};
}

/* Broker liveness by id for this update: dense table for the usual small
 * ids, linear search otherwise. */
struct live_map {
    const struct model *m;
    uint8_t *dense; /* 0 unknown, 1 live, 2 down */
    int32_t ndense;
};

static bool is_live(const struct live_map *lm, int32_t id)
{
    if (id >= 0 && id < lm->ndense)
        return lm->dense[id] == 1;
    return broker_is_live(lm->m, id);
}

/* The same predicates as partition_classify() (kafka-topics.sh), without
 * looking brokers up by scanning the model per partition. */
static enum wstate classify(const struct live_map *lm, const struct partition *p, int32_t min_isr)
{
    bool leader = p->leader >= 0;
    if (!leader)
        return WS_OFFLINE;
    if (lm->m->nbrokers > 0 && !is_live(lm, p->leader))
        return WS_OFFLINE;
    if (min_isr >= 0 && p->nisr < min_isr)
        return WS_UNDER_MIN;
    if (min_isr >= 0 && p->nisr == min_isr)
        return WS_AT_MIN;
    if (p->nreplicas > p->nisr)
        return WS_URP;
    return WS_OK;
}

/* A partition seen for the first time: its replicas out of the ISR are
 * out since before the watch began. */
static void part_first(struct watch *w, struct wpart *wp, const struct partition *p, int64_t now)
{
    set_ids(wp, p);
    wp->first_seen = now;
    wp->state_since = now;
    wp->leader = p->leader;
    const int32_t *isr = wpart_isr(wp);
    for (uint32_t i = 0; i < wp->nrep; i++)
        if (!has(isr, wp->nisr, wp->ids[i]))
            out_add(wp, wp->ids[i], now, UINT64_MAX);
    if (wp->nisr < wp->nrep)
        wp->degraded_since = now;
    if (p->leader < 0)
        wp->offline_since = now;
    w->risk_dirty = true;
}

/* The time a partition present in the previous sample spent in its state
 * (dt), or its coming back. */
static void part_accrue(struct watch *w, struct wpart *wp, int64_t dt)
{
    if (wp->present) {
        switch (wp->state) {
        case WS_URP: wp->urp_ms += dt; break;
        case WS_AT_MIN: wp->at_min_ms += dt; break;
        case WS_UNDER_MIN: wp->under_min_ms += dt; break;
        case WS_OFFLINE: wp->offline_ms += dt; break;
        default: break;
        }
    } else {
        w->risk_dirty = true; /* came back */
    }
}

/* Shrink and expand events for the ISR's changes since the last sample;
 * returns the last expand (NULL if none). */
static struct wevent *part_isr_events(struct watch *w, uint32_t pi, const struct partition *p,
                                      int32_t min_isr, int64_t now)
{
    struct wpart *wp = &w->parts[pi];
    const int32_t *old_isr = wpart_isr(wp);
    int32_t new_leader = p->leader >= 0 ? p->leader : wp->leader;
    uint8_t before = wp->nisr;
    struct wevent *last_expand = NULL;
    for (uint32_t i = 0; i < wp->nisr; i++) {
        int32_t b = old_isr[i];
        if (has(p->isr, p->nisr, b))
            continue;
        struct wevent *e = event_add(w, WE_SHRINK, now, pi, b);
        e->leader = new_leader;
        e->isr_before = before;
        e->isr_after = (uint8_t)(p->nisr > 255 ? 255 : p->nisr);
        e->nrep = (uint8_t)(p->nreplicas > 255 ? 255 : p->nreplicas);
        e->min_isr = min_isr;
        out_add(wp, b, now, e->seq);
        wp->shrinks++;
        wp->flaps++;
    }
    for (uint32_t i = 0; i < p->nisr; i++) {
        int32_t b = p->isr[i];
        if (has(old_isr, wp->nisr, b))
            continue;
        struct wevent *e = event_add(w, WE_EXPAND, now, pi, b);
        e->leader = new_leader;
        e->isr_before = before;
        e->isr_after = (uint8_t)(p->nisr > 255 ? 255 : p->nisr);
        e->nrep = (uint8_t)(p->nreplicas > 255 ? 255 : p->nreplicas);
        e->min_isr = min_isr;
        struct wout o = out_take(wp, b);
        if (o.broker >= 0 && o.seq != UINT64_MAX) {
            e->dur_ms = now - o.since;
            struct wevent *s = (struct wevent *)watch_event(w, o.seq);
            if (s)
                s->dur_ms = e->dur_ms;
        } else if (o.broker >= 0) {
            e->dur_ms = -1; /* out since before we started watching */
        }
        wp->expands++;
        wp->flaps++;
        last_expand = e;
    }
    return last_expand;
}

/* Offline, online or leader events for a leader change. */
static void part_leader_events(struct watch *w, uint32_t pi, const struct partition *p,
                               int32_t min_isr, int64_t now)
{
    struct wpart *wp = &w->parts[pi];
    if (p->leader != wp->leader) {
        if (p->leader < 0) {
            struct wevent *e = event_add(w, WE_OFFLINE, now, pi, wp->leader);
            e->leader = -1;
            e->from = wp->leader;
            e->isr_before = e->isr_after = (uint8_t)(p->nisr > 255 ? 255 : p->nisr);
            e->nrep = (uint8_t)(p->nreplicas > 255 ? 255 : p->nreplicas);
            e->min_isr = min_isr;
            wp->offline_since = now;
        } else if (wp->leader < 0) {
            struct wevent *e = event_add(w, WE_ONLINE, now, pi, p->leader);
            e->leader = p->leader;
            e->isr_before = e->isr_after = (uint8_t)(p->nisr > 255 ? 255 : p->nisr);
            e->nrep = (uint8_t)(p->nreplicas > 255 ? 255 : p->nreplicas);
            e->min_isr = min_isr;
            e->dur_ms = wp->offline_since ? now - wp->offline_since : -1;
            wp->offline_since = 0;
        } else {
            struct wevent *e = event_add(w, WE_LEADER, now, pi, p->leader);
            e->leader = p->leader;
            e->from = wp->leader;
            e->isr_before = e->isr_after = (uint8_t)(p->nisr > 255 ? 255 : p->nisr);
            e->nrep = (uint8_t)(p->nreplicas > 255 ? 255 : p->nreplicas);
            e->min_isr = min_isr;
        }
        wp->leader = p->leader;
    }
}

/* One sample of a partition: events for what changed, time in states,
 * the state, and the log end's history. */
static void part_update(struct watch *w, uint32_t pi, const struct partition *p, int32_t min_isr,
                        const struct live_map *lm, int64_t now, int64_t dt)
{
    struct wpart *wp = &w->parts[pi];
    enum wstate st = classify(lm, p, min_isr);
    bool fresh = !wp->first_seen;
    if (fresh) {
        part_first(w, wp, p, now);
    } else {
        part_accrue(w, wp, dt);
        struct wevent *last_expand = part_isr_events(w, pi, p, min_isr, now);
        part_leader_events(w, pi, p, min_isr, now);
        set_ids(wp, p);
        /* replicas that are no longer replicas (reassignment) are not "out" */
        for (uint32_t i = 0; i < wp->nout;) {
            if (!has(wp->ids, wp->nrep, wp->out[i].broker))
                wp->out[i] = wp->out[--wp->nout];
            else
                i++;
        }
        if (wp->nisr >= wp->nrep) {
            if (wp->degraded_since && last_expand)
                last_expand->degraded_ms = now - wp->degraded_since;
            wp->degraded_since = 0;
        } else if (!wp->degraded_since) {
            wp->degraded_since = now;
        }
        if (st != wp->state) {
            wp->state_since = now;
            wp->since_known = true;
            w->risk_dirty = true;
        }
    }
    wp->state = (uint8_t)st;
    wp->min_isr = min_isr;
    wp->log_start = p->log_start;
    if (p->log_end >= 0) {
        wp->log_end = p->log_end;
        int64_t gap = w->o.window_ms / 8;
        wring_add(w->ring + (size_t)pi * w->o.history_len, w->o.history_len, &wp->ring_head,
                  &wp->ring_n, now, p->log_end, gap);
    }
    wp->last_seen = now;
    wp->present = true;
}

double watch_part_rate(const struct watch *w, const struct wpart *p)
{
    if (p->ring_n < 2)
        return -1;
    const struct wsample *r = w->ring + (size_t)(p - w->parts) * w->o.history_len;
    uint32_t cap = w->o.history_len;
    const struct wsample *a = &r[p->ring_head], *b = &r[(p->ring_head + p->ring_n - 1u) % cap];
    if (b->t <= a->t)
        return -1;
    return (double)(b->off - a->off) * 1000.0 / (double)(b->t - a->t);
}

/* Leaders, replicas, missing ISRs and what-if-it-left counts per broker,
 * in one pass over the partitions. */
static void broker_rollups(struct watch *w)
{
    int32_t maxid = -1;
    for (uint32_t i = 0; i < w->nbrokers; i++) {
        struct wbroker *b = &w->brokers[i];
        b->leaders = b->replicas = b->not_in_isr = b->would_under_min = b->would_offline = 0;
        if (b->id > maxid)
            maxid = b->id;
    }
    if (maxid < 0 || maxid > (1 << 20))
        maxid = -1;
    uint32_t *dense = maxid >= 0 ? xmalloc(((size_t)maxid + 1) * sizeof *dense) : NULL;
    for (int32_t i = 0; i <= maxid; i++)
        dense[i] = NONE;
    for (uint32_t i = 0; i < w->nbrokers && dense; i++)
        if (w->brokers[i].id >= 0)
            dense[w->brokers[i].id] = i;
    for (uint32_t pi = 0; pi < w->nparts; pi++) {
        const struct wpart *p = &w->parts[pi];
        if (!p->present)
            continue;
        const int32_t *isr = wpart_isr(p);
        bool under_now = p->state >= WS_UNDER_MIN;
        bool leader_now = p->leader >= 0;
        for (uint32_t r = 0; r < p->nrep; r++) {
            int32_t id = p->ids[r];
            struct wbroker *b = NULL;
            if (dense && id >= 0 && id <= maxid) {
                if (dense[id] != NONE)
                    b = &w->brokers[dense[id]];
            } else {
                uint32_t k = broker_index(w, id);
                b = k == NONE ? NULL : &w->brokers[k];
            }
            if (!b)
                continue;
            b->replicas++;
            bool in = has(isr, p->nisr, id);
            if (id == p->leader)
                b->leaders++;
            if (!in)
                b->not_in_isr++;
            if (!in && id != p->leader)
                continue;
            /* partition_classify(without = {id}) */
            int32_t isr2 = (int32_t)p->nisr - (in ? 1 : 0);
            bool leader2 = p->leader >= 0 && (p->leader != id || isr2 > 0);
            bool under2 = !leader2 || (p->min_isr >= 0 && isr2 < p->min_isr);
            if (under2 && !under_now)
                b->would_under_min++;
            if (!leader2 && leader_now)
                b->would_offline++;
        }
    }
    free(dense);
}

/* ---- indexes ---------------------------------------------------------------- */

static const struct watch *sort_w; /* qsort has no context argument */

static int cmp_risk(const void *a, const void *b)
{
    const struct wpart *x = &sort_w->parts[*(const uint32_t *)a];
    const struct wpart *y = &sort_w->parts[*(const uint32_t *)b];
    if (x->state != y->state)
        return x->state > y->state ? -1 : 1;
    uint32_t rx = sort_w->topics[x->topic].rank, ry = sort_w->topics[y->topic].rank;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_broker(const void *a, const void *b)
{
    const struct wbroker *x = &sort_w->brokers[*(const uint32_t *)a];
    const struct wbroker *y = &sort_w->brokers[*(const uint32_t *)b];
    if (x->down != y->down)
        return x->down ? -1 : 1;
    if (x->not_in_isr != y->not_in_isr)
        return x->not_in_isr > y->not_in_isr ? -1 : 1;
    if (x->would_under_min != y->would_under_min)
        return x->would_under_min > y->would_under_min ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void build_indexes(struct watch *w)
{
    memset(w->nstate, 0, sizeof w->nstate);
    w->npresent = w->nunder_replicated = w->nunder_min_isr = w->nat_min_isr = 0;
    for (uint32_t i = 0; i < w->nparts; i++) {
        const struct wpart *p = &w->parts[i];
        if (!p->present)
            continue;
        w->nstate[p->state]++;
        w->npresent++;
        /* partition_classify() without brokers removed */
        if (p->nisr < p->nrep)
            w->nunder_replicated++;
        if (p->leader < 0 || (p->min_isr >= 0 && p->nisr < p->min_isr))
            w->nunder_min_isr++;
        if (p->min_isr >= 0 && p->nisr == p->min_isr)
            w->nat_min_isr++;
    }
    if (w->risk_dirty) {
        XGROW(w->risk, w->caprisk, w->nparts + 1);
        w->nrisk = 0;
        for (uint32_t i = 0; i < w->nparts; i++) {
            struct wpart *p = &w->parts[i];
            p->at_risk = p->present && p->state != WS_OK;
            if (p->at_risk)
                w->risk[w->nrisk++] = i;
        }
        sort_w = w;
        qsort(w->risk, w->nrisk, sizeof *w->risk, cmp_risk);
        w->risk_dirty = false;
    }
    free(w->broker_order);
    w->broker_order = xmalloc((w->nbrokers + 1) * sizeof *w->broker_order);
    w->nbroker_order = 0;
    w->nbrokers_up = w->nbrokers_down = 0;
    for (uint32_t i = 0; i < w->nbrokers; i++) {
        const struct wbroker *b = &w->brokers[i];
        /* a broker that left and never came back stays listed as down */
        w->broker_order[w->nbroker_order++] = i;
        if (b->down)
            w->nbrokers_down++;
        else
            w->nbrokers_up++;
    }
    sort_w = w;
    qsort(w->broker_order, w->nbroker_order, sizeof *w->broker_order, cmp_broker);
}

/* ---- update ----------------------------------------------------------------- */

void watch_update(struct watch *w, const struct model *m, int64_t now)
{
    if (w->nupdates && now < w->now)
        now = w->now;
    int64_t dt = w->nupdates ? now - w->now : 0;
    if (!w->nupdates)
        w->first_t = now;
    w->now = now;
    w->gen++;
    set_str(&w->cluster_id, m->cluster.cluster_id);
    set_str(&w->cluster_name, m->cluster.o.name);
    w->controller = m->cluster.controller;

    brokers_update(w, m, now, dt);

    struct live_map lm = {m, NULL, 0};
    int32_t maxid = -1;
    for (uint32_t i = 0; i < m->nbrokers; i++)
        if (m->brokers[i]->id > maxid)
            maxid = m->brokers[i]->id;
    if (maxid >= 0 && maxid < (1 << 20)) {
        lm.ndense = maxid + 1;
        lm.dense = xcalloc((size_t)lm.ndense, 1);
        for (uint32_t i = 0; i < m->nbrokers; i++)
            if (m->brokers[i]->id >= 0)
                lm.dense[m->brokers[i]->id] = m->brokers[i]->down ? 2 : 1;
    }

    XGROW(w->tmap, w->captmap, m->ntopics + 1);
    for (uint32_t i = 0; i < w->ntopics; i++)
        w->topics[i].present = false;
    for (uint32_t ti = 0; ti < m->ntopics; ti++) {
        const struct topic *t = m->topics[ti];
        uint32_t tidx;
        struct wtopic *wt = topic_get(w, t, &tidx);
        w->tmap[ti] = tidx;
        wt->present = true;
        wt->internal = t->internal;
        int32_t min_isr = t->nparts ? partition_min_isr(m, t->parts[0]) : -1;
        wt->min_isr = min_isr;
        for (uint32_t j = 0; j < t->nparts; j++) {
            const struct partition *p = t->parts[j];
            uint32_t pi = part_get(w, wt, tidx, p->id);
            wt = &w->topics[tidx];
            if (pi != NONE)
                part_update(w, pi, p, min_isr, &lm, now, dt);
        }
    }
    free(lm.dense);
    for (uint32_t i = 0; i < w->nparts; i++) {
        struct wpart *p = &w->parts[i];
        if (p->present && p->last_seen != now) {
            p->present = false;
            w->risk_dirty = true;
        }
    }
    broker_rollups(w);
    watch_groups_update(w, m, now);
    build_indexes(w);
    w->nupdates++;
}

void watch_bytes(const struct watch *w, struct watch_mem *out)
{
    size_t per_gp = 0;
    size_t groups = watch_groups_bytes(w, &per_gp);
    size_t parts = (size_t)w->capparts * (sizeof *w->parts + w->o.history_len * sizeof *w->ring);
    size_t extra = 0;
    for (uint32_t i = 0; i < w->nparts; i++) {
        if (w->parts[i].ids != w->parts[i].inl)
            extra += (size_t)(w->parts[i].nrep + w->parts[i].nisr) * sizeof(int32_t);
        extra += (size_t)w->parts[i].capout * sizeof(struct wout);
    }
    size_t topics = (size_t)w->captopics * sizeof *w->topics;
    for (uint32_t i = 0; i < w->ntopics; i++)
        topics += strlen(w->topics[i].name) + 1 + w->topics[i].nby_id * sizeof(uint32_t);
    out->events = (size_t)w->o.max_events * sizeof *w->events;
    out->per_partition = sizeof *w->parts + w->o.history_len * sizeof *w->ring;
    out->per_group_partition = per_gp;
    out->total = parts + extra + topics + groups + out->events +
                 (size_t)w->caprisk * sizeof *w->risk + (size_t)w->captmap * sizeof *w->tmap +
                 (size_t)w->capbrokers * sizeof *w->brokers;
}
