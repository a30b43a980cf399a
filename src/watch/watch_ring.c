/*
 * watch_ring.c - the pure parts of the evaluator: the log-end sample ring
 * and time lag by interpolation (kafka-lag-exporter's LookupTable, see
 * watch.h), the consumer-status rules, the catch-up ETA, and names.
 */
#include "watch/watch.h"

#include <math.h>

static const char *const wstate_names[WS__COUNT] = {"OK", "URP", "AT-MIN", "UNDER-MIN", "OFFLINE"};
static const char *const wg_names[WG__COUNT] = {"-",    "OK",    "WARN", "REWIND",
                                                "STOP", "STALL", "LOST"};
static const char *const we_names[] = {"shrink", "expand",      "leader",   "offline",
                                       "online", "broker-down", "broker-up"};

const char *wstate_name(enum wstate s) { return s < WS__COUNT ? wstate_names[s] : "?"; }
const char *wgstatus_name(enum wgstatus s) { return s < WG__COUNT ? wg_names[s] : "?"; }
const char *wevent_name(enum wevent_kind k)
{
    return (unsigned)k < sizeof we_names / sizeof *we_names ? we_names[k] : "?";
}

void watch_opts_init(struct watch_opts *o)
{
    o->window_ms = 120000;
    o->allowed_lag = 0;
    o->history_len = 32;
    o->max_events = 65536;
}

/* Logical index i (0 = oldest) to a sample. */
static inline struct wsample *at(struct wsample *r, uint32_t cap, uint16_t head, uint32_t i)
{
    return &r[(head + i) % cap];
}
static inline const struct wsample *cat(const struct wsample *r, uint32_t cap, uint16_t head,
                                        uint32_t i)
{
    return &r[(head + i) % cap];
}

void wring_add(struct wsample *ring, uint32_t cap, uint16_t *head, uint16_t *n, int64_t t,
               int64_t off, int64_t min_gap)
{
    if (!cap)
        return;
    if (*n) {
        struct wsample *last = at(ring, cap, *head, *n - 1u);
        if (t <= last->t)
            return; /* out of order (kafka-lag-exporter: OutOfOrder) */
        if (off < last->off) {
            /* the log went back (topic re-created, offsets reset): the old
             * history says nothing about the new log (NonMonotonic) */
            *head = 0;
            *n = 1;
            ring[0] = (struct wsample){t, off};
            return;
        }
        if (*n >= 2) {
            struct wsample *prev = at(ring, cap, *head, *n - 2u);
            /* flat run: keep its first and latest point */
            if (off == last->off && off == prev->off) {
                last->t = t;
                return;
            }
            /* keep samples at least min_gap apart (the newest is always now) */
            if (last->t - prev->t < min_gap && last->off != prev->off) {
                *last = (struct wsample){t, off};
                return;
            }
        }
    }
    if (*n < cap) {
        *at(ring, cap, *head, *n) = (struct wsample){t, off};
        (*n)++;
    } else {
        ring[*head] = (struct wsample){t, off};
        *head = (uint16_t)((*head + 1u) % cap);
    }
}

int wring_time_at(const struct wsample *ring, uint32_t cap, uint16_t head, uint16_t n,
                  int64_t target, int64_t *t, bool *extrapolated)
{
    *extrapolated = false;
    if (n < 2)
        return -1;
    const struct wsample *old = cat(ring, cap, head, 0), *neu = cat(ring, cap, head, n - 1u);
    if (target > neu->off)
        return -1;
    if (target <= old->off) {
        /* before the history: extrapolate with the oldest and newest points */
        if (neu->off <= old->off || neu->t <= old->t)
            return -1;
        double rate = (double)(neu->off - old->off) / (double)(neu->t - old->t);
        *t = old->t - (int64_t)llround((double)(old->off - target) / rate);
        *extrapolated = true;
        return 0;
    }
    /* first sample at or past target: binary search (offsets never decrease) */
    uint32_t lo = 1, hi = n - 1u;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cat(ring, cap, head, mid)->off >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    const struct wsample *r = cat(ring, cap, head, lo), *l = cat(ring, cap, head, lo - 1u);
    /* l->off < target <= r->off, so r->off > l->off */
    *t = l->t + (int64_t)llround((double)(target - l->off) * (double)(r->t - l->t) /
                                 (double)(r->off - l->off));
    return 0;
}

int64_t wring_time_lag(const struct wsample *ring, uint32_t cap, uint16_t head, uint16_t n,
                       int64_t committed, int64_t log_end, int64_t now, int *how)
{
    *how = WTL_EXACT;
    if (committed < 0 || log_end < 0)
        return -1;
    if (committed >= log_end)
        return 0;
    /* the first unconsumed message has offset `committed`: it was appended
     * when the log end went from committed to committed + 1 */
    int64_t t;
    bool ex;
    if (wring_time_at(ring, cap, head, n, committed + 1, &t, &ex) < 0) {
        if (n >= 1 && now > cat(ring, cap, head, 0)->t) {
            /* nothing moved while we watched: at least as old as our history */
            *how = WTL_AT_LEAST;
            return now - cat(ring, cap, head, 0)->t;
        }
        return -1; /* a lag but no history yet: "at least 0s" says nothing */
    }
    if (ex)
        *how = WTL_EXTRAPOLATED;
    return t < now ? now - t : 0;
}

static enum wgstatus evaluate_lag(const struct wgp_eval *e);

enum wgstatus wgp_evaluate(const struct wgp_eval *e)
{
    /* messages deleted before the group read them are never OK, nor "no
     * verdict" (model.h: offset_deleted_unread); a worse verdict on the
     * lag stays, marked '!' by the views */
    enum wgstatus s = evaluate_lag(e);
    if ((s == WG_OK || s == WG_NONE) && offset_deleted_unread(e->committed, e->log_start) > 0)
        return WG_LOST;
    return s;
}

static enum wgstatus evaluate_lag(const struct wgp_eval *e)
{
    if (e->committed < 0 || e->log_end < 0)
        return WG_NONE;
    int64_t lag = e->log_end > e->committed ? e->log_end - e->committed : 0;
    if (lag <= e->allowed_lag)
        return WG_OK;
    int64_t since = e->now - e->window_ms;
    if (e->rewind_t && e->rewind_t >= since && e->committed < e->rewind_from)
        return WG_REWIND;
    bool recently_caught_up = e->caught_up_t && e->caught_up_t >= since;
    if (recently_caught_up)
        return WG_OK;
    if (e->now - e->progress_t >= e->window_ms)
        return e->members || e->members_unknown ? WG_STALL : WG_STOP;
    /* Burrow: lag never decreasing over the window; here: larger than at
     * the start of the window and not smaller than a third of a window ago */
    if (e->ref_complete && e->ref_lag >= 0 && lag > e->ref_lag &&
        (e->recent_lag < 0 || lag >= e->recent_lag))
        return WG_WARN;
    return WG_OK;
}

int64_t watch_eta_ms(int64_t lag, double consume_rate, double produce_rate)
{
    if (lag <= 0)
        return -1;
    double net = consume_rate - produce_rate;
    if (!(net > 0))
        return -1;
    double ms = (double)lag / net * 1000.0;
    if (ms > 9.0e15)
        return -1;
    return (int64_t)ceil(ms);
}
