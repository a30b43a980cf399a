/* The evaluators behind `kafkaudit top` (src/watch/): ISR change events and
 * durations from successive models, broker what-if counts, consumer
 * statuses on crafted offset histories, time lag by interpolation, ETA,
 * offsets below the log start, bounded memory. */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/partition_state.h"
#include "watch/watch.h"

#define T0  INT64_C(1700000000000)
#define SEC INT64_C(1000)

/* ---- helpers ------------------------------------------------------------------ */

static void feed(struct watch *w, int64_t t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void feed(struct watch *w, int64_t t, const char *fmt, ...)
{
    char buf[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    struct model m;
    uint32_t errs = tu_model(&m, "snap.yaml", buf);
    if (errs)
        fail_msg("bad test manifest: %s\n%s", m.diags.v[0].msg, buf);
    watch_update(w, &m, t);
    model_release(&m);
}

static const char *const CLUSTER =
    "cluster: {live: true, config: {min.insync.replicas: 2},\n"
    "          brokers: [{id: 1, rack: a}, {id: 2, rack: b}, {id: 3, rack: c%s}]}\n";

/* One topic "orders" with one partition; isr and leader given. */
static void feed_p0(struct watch *w, int64_t t, int leader, const char *isr, bool b3_down)
{
    feed(w, t,
         "cluster: {live: true, config: {min.insync.replicas: 2},\n"
         "          brokers: [{id: 1}, {id: 2}, {id: 3%s}]}\n"
         "topics:\n  orders:\n    partitions:\n"
         "      - {id: 0, leader: %d, replicas: [1, 2, 3], isr: %s, log_start: 0, log_end: %" PRId64
         "}\n",
         b3_down ? ", down: true" : "", leader, isr, (t - T0) / 100);
}

static const struct wpart *part(const struct watch *w, const char *topic, int id)
{
    for (uint32_t i = 0; i < w->nparts; i++)
        if (strcmp(wpart_topic(w, &w->parts[i]), topic) == 0 && w->parts[i].id == id)
            return &w->parts[i];
    fail_msg("no partition %s-%d", topic, id);
    return NULL;
}

static struct wgroup *group(struct watch *w, const char *name)
{
    for (uint32_t i = 0; i < w->ngroups; i++)
        if (strcmp(w->groups[i].name, name) == 0)
            return &w->groups[i];
    fail_msg("no group %s", name);
    return NULL;
}

/* ---- ring and time lag ------------------------------------------------------- */

static void test_ring_interpolation(void **state)
{
    (void)state;
    struct wsample r[8];
    uint16_t head = 0, n = 0;
    /* log end 0 at t=0, 100 at t=10s, 300 at t=20s */
    wring_add(r, 8, &head, &n, 0, 0, 0);
    wring_add(r, 8, &head, &n, 10 * SEC, 100, 0);
    wring_add(r, 8, &head, &n, 20 * SEC, 300, 0);
    assert_int_equal(n, 3);
    int64_t t;
    bool ex;
    /* offset 150 was reached half-way between 10 s and 20 s (100 -> 300) */
    assert_int_equal(wring_time_at(r, 8, head, n, 150, &t, &ex), 0);
    assert_false(ex);
    assert_int_equal(t, 12500);
    /* time lag of a consumer committed at 149: first unconsumed message 149
     * appended when the log end reached 150 -> 7.5 s before t = 20 s */
    int how;
    assert_int_equal(wring_time_lag(r, 8, head, n, 149, 300, 20 * SEC, &how), 7500);
    assert_int_equal(how, WTL_EXACT);
    /* caught up: 0 */
    assert_int_equal(wring_time_lag(r, 8, head, n, 300, 300, 20 * SEC, &how), 0);
    /* nothing committed: unknown */
    assert_int_equal(wring_time_lag(r, 8, head, n, -1, 300, 20 * SEC, &how), -1);
}

static void test_ring_flat_and_extrapolation(void **state)
{
    (void)state;
    struct wsample r[4];
    uint16_t head = 0, n = 0;
    /* idle topic: 100 from t=0 to t=30 s, then 200 at t=40 s */
    wring_add(r, 4, &head, &n, 0, 100, 0);
    wring_add(r, 4, &head, &n, 10 * SEC, 100, 0);
    wring_add(r, 4, &head, &n, 20 * SEC, 100, 0); /* flat run: replaces the newest */
    wring_add(r, 4, &head, &n, 30 * SEC, 100, 0);
    assert_int_equal(n, 2);
    assert_int_equal(r[(head + 1) % 4].t, 30 * SEC);
    wring_add(r, 4, &head, &n, 40 * SEC, 200, 0);
    assert_int_equal(n, 3);
    bool ex;
    /* consumer at 100: message 100 was appended after the flat run ended
     * (between 30 s and 40 s), not at the start of the flat run */
    int how;
    assert_int_equal(wring_time_lag(r, 4, head, n, 100, 200, 40 * SEC, &how), 9900);
    assert_int_equal(how, WTL_EXACT);
    /* a consumer at 49: older than the ring, extrapolated at 2.5 msg/s */
    assert_int_equal(wring_time_lag(r, 4, head, n, 49, 200, 40 * SEC, &how), 60 * SEC);
    assert_int_equal(how, WTL_EXTRAPOLATED);
    /* an offset older than the ring is extrapolated with the overall rate
     * (100 msgs in 40 s = 2.5/s): offset 50 -> 20 s before t=0 */
    int64_t t;
    assert_int_equal(wring_time_at(r, 4, head, n, 50, &t, &ex), 0);
    assert_true(ex);
    assert_int_equal(t, -20 * SEC);
    /* the ring is bounded: older samples are dropped */
    wring_add(r, 4, &head, &n, 50 * SEC, 300, 0);
    wring_add(r, 4, &head, &n, 60 * SEC, 400, 0);
    assert_int_equal(n, 4);
    assert_int_equal(r[head].t, 30 * SEC);
    /* a log that never moved while sampled: "at least" the sampled span */
    struct wsample f[4];
    uint16_t fh = 0, fn = 0;
    wring_add(f, 4, &fh, &fn, 0, 500, 0);
    wring_add(f, 4, &fh, &fn, 30 * SEC, 500, 0);
    assert_int_equal(wring_time_lag(f, 4, fh, fn, 400, 500, 30 * SEC, &how), 30 * SEC);
    assert_int_equal(how, WTL_AT_LEAST);
    /* one sample, taken now: a lag whose age is unknown, not "0s" */
    struct wsample one[4];
    uint16_t oh = 0, on = 0;
    wring_add(one, 4, &oh, &on, 10 * SEC, 500, 0);
    assert_int_equal(wring_time_lag(one, 4, oh, on, 400, 500, 10 * SEC, &how), -1);
    /* out of order: ignored; going back: reset */
    wring_add(r, 4, &head, &n, 55 * SEC, 999, 0);
    assert_int_equal(n, 4);
    wring_add(r, 4, &head, &n, 70 * SEC, 5, 0);
    assert_int_equal(n, 1);
}

static void test_ring_min_gap(void **state)
{
    (void)state;
    struct wsample r[4];
    uint16_t head = 0, n = 0;
    for (int i = 0; i <= 10; i++)
        wring_add(r, 4, &head, &n, i * SEC, i * 10, 5 * SEC);
    /* kept: 0 s, 5 s, 10 s (each at least 5 s after the one before the newest) */
    assert_int_equal(n, 3);
    assert_int_equal(r[(head + 0) % 4].t, 0);
    assert_int_equal(r[(head + 1) % 4].t, 5 * SEC);
    assert_int_equal(r[(head + 2) % 4].t, 10 * SEC);
    assert_int_equal(r[(head + 2) % 4].off, 100);
}

/* ---- ISR events -------------------------------------------------------------- */

static void test_isr_shrink_expand(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    feed_p0(&w, T0, 1, "[1, 2, 3]", false);
    const struct wpart *p = part(&w, "orders", 0);
    assert_int_equal(p->state, WS_OK);
    assert_int_equal(w.nevents, 0);
    assert_int_equal(w.nrisk, 0);
    assert_int_equal(p->min_isr, 2);

    /* t+10: 2 and 3 leave -> under min ISR */
    feed_p0(&w, T0 + 10 * SEC, 1, "[1]", false);
    p = part(&w, "orders", 0);
    assert_int_equal(p->state, WS_UNDER_MIN);
    assert_true(p->since_known);
    assert_int_equal(p->state_since, T0 + 10 * SEC);
    assert_int_equal(w.nevents, 2);
    assert_int_equal(watch_event(&w, 0)->kind, WE_SHRINK);
    assert_int_equal(watch_event(&w, 0)->broker, 2);
    assert_int_equal(watch_event(&w, 0)->leader, 1);
    assert_int_equal(watch_event(&w, 0)->isr_before, 3);
    assert_int_equal(watch_event(&w, 0)->isr_after, 1);
    assert_int_equal(watch_event(&w, 1)->broker, 3);
    assert_int_equal(watch_event(&w, 1)->dur_ms, -1); /* still out */
    assert_int_equal(w.nrisk, 1);
    assert_int_equal(w.nstate[WS_UNDER_MIN], 1);

    /* t+40: 2 rejoins -> at min ISR; 2 was out 30 s */
    feed_p0(&w, T0 + 40 * SEC, 1, "[1, 2]", false);
    p = part(&w, "orders", 0);
    assert_int_equal(p->state, WS_AT_MIN);
    assert_int_equal(p->under_min_ms, 30 * SEC);
    const struct wevent *e = watch_event(&w, 2);
    assert_int_equal(e->kind, WE_EXPAND);
    assert_int_equal(e->broker, 2);
    assert_int_equal(e->dur_ms, 30 * SEC);
    assert_int_equal(e->degraded_ms, -1);                   /* still degraded */
    assert_int_equal(watch_event(&w, 0)->dur_ms, 30 * SEC); /* the shrink learns its end */

    /* t+60: 3 rejoins -> OK; degraded 50 s in all */
    feed_p0(&w, T0 + 60 * SEC, 1, "[1, 2, 3]", false);
    p = part(&w, "orders", 0);
    assert_int_equal(p->state, WS_OK);
    assert_int_equal(p->at_min_ms, 20 * SEC);
    assert_int_equal(p->under_min_ms, 30 * SEC);
    assert_int_equal(p->flaps, 4);
    assert_int_equal(p->shrinks, 2);
    assert_int_equal(p->expands, 2);
    assert_int_equal(p->degraded_since, 0);
    e = watch_event(&w, 3);
    assert_int_equal(e->broker, 3);
    assert_int_equal(e->dur_ms, 50 * SEC);
    assert_int_equal(e->degraded_ms, 50 * SEC);
    assert_int_equal(w.nrisk, 0);
    watch_release(&w);
}

static void test_leader_offline_broker_events(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    feed_p0(&w, T0, 3, "[3, 1, 2]", false);
    /* broker 3 dies: leader moves to 1, 3 leaves the ISR */
    feed_p0(&w, T0 + 5 * SEC, 1, "[1, 2]", true);
    const struct wbroker *b3 = watch_broker(&w, 3);
    assert_non_null(b3);
    assert_true(b3->down);
    assert_int_equal(w.nbrokers_down, 1);
    bool down = false, shrink = false, leader = false;
    for (uint64_t s = 0; s < w.nevents; s++) {
        const struct wevent *e = watch_event(&w, s);
        down |= e->kind == WE_BROKER_DOWN && e->broker == 3;
        shrink |= e->kind == WE_SHRINK && e->broker == 3;
        leader |= e->kind == WE_LEADER && e->from == 3 && e->broker == 1;
    }
    assert_true(down && shrink && leader);
    /* no leader at all: offline */
    feed_p0(&w, T0 + 10 * SEC, -1, "[1]", true);
    assert_int_equal(part(&w, "orders", 0)->state, WS_OFFLINE);
    /* back */
    feed_p0(&w, T0 + 25 * SEC, 1, "[1, 2, 3]", false);
    bool online = false, up = false;
    for (uint64_t s = 0; s < w.nevents; s++) {
        const struct wevent *e = watch_event(&w, s);
        if (e->kind == WE_ONLINE) {
            online = true;
            assert_int_equal(e->dur_ms, 15 * SEC);
        }
        if (e->kind == WE_BROKER_UP) {
            up = true;
            assert_int_equal(e->dur_ms, 20 * SEC);
        }
    }
    assert_true(online && up);
    assert_int_equal(part(&w, "orders", 0)->offline_ms, 15 * SEC);
    watch_release(&w);
}

static void test_event_ring_bounded(void **state)
{
    (void)state;
    struct watch_opts o;
    watch_opts_init(&o);
    o.max_events = 16;
    struct watch w;
    watch_init(&w, &o);
    for (int i = 0; i < 40; i++)
        feed_p0(&w, T0 + i * SEC, 1, i % 2 ? "[1, 2]" : "[1, 2, 3]", false);
    assert_int_equal(w.nevents, 39);
    assert_null(watch_event(&w, 0));
    assert_int_equal(watch_oldest_event(&w), 39 - 16);
    assert_non_null(watch_event(&w, 38));
    assert_int_equal(part(&w, "orders", 0)->flaps, 39);
    watch_release(&w);
}

/* ---- brokers: what if it left ------------------------------------------------- */

static void test_broker_what_if(void **state)
{
    (void)state;
    char topics[4096];
    int n = snprintf(topics, sizeof topics, "topics:\n  t:\n    partitions:\n");
    /* every ISR/leader shape over brokers 1..3 */
    const char *isrs[] = {"[1, 2, 3]", "[1, 2]", "[2, 3]", "[1]", "[3]", "[2]", "[]"};
    const int leaders[] = {1, 2, 3, -1};
    int id = 0;
    for (unsigned i = 0; i < sizeof isrs / sizeof *isrs; i++)
        for (unsigned l = 0; l < 4; l++)
            n += snprintf(topics + n, sizeof topics - (size_t)n,
                          "      - {id: %d, leader: %d, replicas: [1, 2, 3], isr: %s}\n", id++,
                          leaders[l], isrs[i]);
    char yaml[8192], cl[512];
    snprintf(cl, sizeof cl, CLUSTER, "");
    snprintf(yaml, sizeof yaml, "%s%s", cl, topics);
    struct model m;
    assert_int_equal(tu_model(&m, "w.yaml", yaml), 0);
    struct watch w;
    watch_init(&w, NULL);
    watch_update(&w, &m, T0);
    /* the one-pass counts must equal kafka-topics.sh's predicates with the
     * broker removed (partition_classify, as `isr --without-broker` uses) */
    for (int32_t b = 1; b <= 3; b++) {
        uint32_t under = 0, offline = 0;
        const struct topic *t = model_find_topic(&m, "t");
        for (uint32_t j = 0; j < t->nparts; j++) {
            const struct partition *p = t->parts[j];
            int32_t mi = partition_min_isr(&m, p);
            struct pstate now = partition_classify(&m, p, mi, NULL, 0);
            struct pstate wo = partition_classify(&m, p, mi, &b, 1);
            if ((wo.bits & PS_UNDER_MIN_ISR) && !(now.bits & PS_UNDER_MIN_ISR))
                under++;
            if ((wo.bits & PS_NO_LEADER) && !(now.bits & PS_NO_LEADER))
                offline++;
        }
        const struct wbroker *wb = watch_broker(&w, b);
        assert_int_equal(wb->would_under_min, under);
        assert_int_equal(wb->would_offline, offline);
    }
    /* states agree with partition_classify too */
    const struct topic *t = model_find_topic(&m, "t");
    for (uint32_t j = 0; j < t->nparts; j++) {
        struct pstate s = partition_classify(&m, t->parts[j], 2, NULL, 0);
        enum wstate ws = s.bits & (PS_NO_LEADER | PS_UNAVAILABLE) ? WS_OFFLINE
                         : s.bits & PS_UNDER_MIN_ISR              ? WS_UNDER_MIN
                         : s.bits & PS_AT_MIN_ISR                 ? WS_AT_MIN
                         : s.bits & PS_UNDER_REPLICATED           ? WS_URP
                                                                  : WS_OK;
        assert_int_equal(part(&w, "t", t->parts[j]->id)->state, ws);
    }
    /* the Overview's counts are `isr`'s (kafka-topics.sh): a partition
     * without a leader is unavailable and under min ISR at once */
    uint32_t under_min = 0, at_min = 0, urp = 0, unavailable = 0;
    for (uint32_t j = 0; j < t->nparts; j++) {
        const struct partition *p = t->parts[j];
        struct pstate s = partition_classify(&m, p, partition_min_isr(&m, p), NULL, 0);
        under_min += !!(s.bits & PS_UNDER_MIN_ISR);
        at_min += !!(s.bits & PS_AT_MIN_ISR);
        urp += !!(s.bits & PS_UNDER_REPLICATED);
        unavailable += !!(s.bits & PS_UNAVAILABLE);
    }
    assert_int_equal(w.nunder_min_isr, under_min);
    assert_int_equal(w.nat_min_isr, at_min);
    assert_int_equal(w.nunder_replicated, urp);
    assert_int_equal(w.nstate[WS_OFFLINE], unavailable);
    assert_true(w.nunder_min_isr > w.nstate[WS_UNDER_MIN]);
    const struct wbroker *b1 = watch_broker(&w, 1);
    assert_int_equal(b1->replicas, 28);
    assert_int_equal(b1->leaders, 7);
    watch_release(&w);
    model_release(&m);
}

/* ---- consumer status rules on crafted inputs ---------------------------------- */

static struct wgp_eval ev(void)
{
    return (struct wgp_eval){.now = T0 + 600 * SEC,
                             .window_ms = 120 * SEC,
                             .allowed_lag = 0,
                             .committed = 1000,
                             .log_end = 1000,
                             .first_seen = T0,
                             .progress_t = T0 + 590 * SEC,
                             .caught_up_t = 0,
                             .ref_lag = -1,
                             .ref_complete = true,
                             .members = 2};
}

static void test_status_rules(void **state)
{
    (void)state;
    struct wgp_eval e = ev();
    /* caught up: OK even when idle for ages (Burrow #38: no false STOP) */
    e.progress_t = T0;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    /* nothing committed */
    e = ev();
    e.committed = -1;
    assert_int_equal(wgp_evaluate(&e), WG_NONE);
    /* caught up, but the committed offset is below the log start: the
     * messages in between were deleted unread - never OK */
    e = ev();
    e.log_start = 1200;
    e.log_end = 1200;
    assert_int_equal(wgp_evaluate(&e), WG_LOST);
    e.log_end = -1; /* log end unknown: still lost */
    assert_int_equal(wgp_evaluate(&e), WG_LOST);
    e.log_start = -1; /* log start unknown: no verdict */
    assert_int_equal(wgp_evaluate(&e), WG_NONE);
    /* a worse verdict on the lag stays (the views add '!') */
    e = ev();
    e.log_start = 1200;
    e.log_end = 1500;
    e.progress_t = T0 + 400 * SEC;
    assert_int_equal(wgp_evaluate(&e), WG_STALL);
    /* lag, no progress for a whole window, members: STALL; none: STOP */
    e = ev();
    e.log_end = 1500;
    e.progress_t = T0 + 400 * SEC;
    assert_int_equal(wgp_evaluate(&e), WG_STALL);
    e.members = 0;
    assert_int_equal(wgp_evaluate(&e), WG_STOP);
    /* members that could not be read (a KIP-848 group) are not "none" */
    e.members_unknown = true;
    assert_int_equal(wgp_evaluate(&e), WG_STALL);
    e.members_unknown = false;
    /* ... unless it was caught up inside the window (recently caught up) */
    e.caught_up_t = T0 + 500 * SEC;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    /* no progress for less than a window: not yet */
    e = ev();
    e.log_end = 1500;
    e.progress_t = T0 + 500 * SEC;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    /* per-message committer with a slow commit rate is judged on time, not
     * commit count: progress 100 s ago within a 120 s window is fine */
    e.progress_t = T0 + 500 * SEC;
    e.ref_lag = 500;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    /* lag grew over the window while consuming: WARN */
    e = ev();
    e.log_end = 1500;
    e.ref_lag = 200;
    assert_int_equal(wgp_evaluate(&e), WG_WARN);
    /* ... not when the window is incomplete, nor when lag shrank */
    e.ref_complete = false;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    e.ref_complete = true;
    e.ref_lag = 800;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    /* moved back inside the window and not yet returned: REWIND */
    e = ev();
    e.log_end = 1200;
    e.committed = 30;
    e.rewind_t = T0 + 580 * SEC;
    e.rewind_from = 520;
    assert_int_equal(wgp_evaluate(&e), WG_REWIND);
    /* returned past the old offset: forgiven */
    e.committed = 600;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    /* rewind outside the window: forgotten */
    e.committed = 30;
    e.rewind_t = T0 + 100 * SEC;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
    /* allowed lag */
    e = ev();
    e.log_end = 1003;
    e.progress_t = T0;
    e.allowed_lag = 5;
    assert_int_equal(wgp_evaluate(&e), WG_OK);
}

static void test_eta(void **state)
{
    (void)state;
    assert_int_equal(watch_eta_ms(1000, 110.0, 100.0), 100 * SEC);
    assert_int_equal(watch_eta_ms(1000, 100.0, 100.0), -1); /* not catching up */
    assert_int_equal(watch_eta_ms(1000, 50.0, 100.0), -1);  /* falling behind */
    assert_int_equal(watch_eta_ms(0, 50.0, 0.0), -1);       /* caught up */
    assert_int_equal(watch_eta_ms(1, 3.0, 0.0), 334);
}

/* ---- consumer groups through successive models ------------------------------- */

/* log end grows 10/s; the group commits `committed`, with `members` members */
static void feed_g(struct watch *w, int64_t s, int64_t log_start, int64_t committed, int members)
{
    char mem[256] = "[]";
    if (members)
        snprintf(mem, sizeof mem, "[{member_id: m1, client_id: c1, assignment: {orders: [0]}}]");
    feed(w, T0 + s * SEC,
         "cluster: {live: true, config: {min.insync.replicas: 2}, brokers: [{id: 1}]}\n"
         "topics:\n  orders:\n    partitions:\n"
         "      - {id: 0, leader: 1, replicas: [1], isr: [1], log_start: %" PRId64
         ", log_end: %" PRId64 "}\n"
         "groups:\n  g:\n    state: %s\n    members: %s\n    offsets: {orders: {0: %" PRId64 "}}\n",
         log_start, 10 * s, members ? "Stable" : "Empty", mem, committed);
}

static void test_group_stall_then_catch_up(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL); /* window 120 s */
    /* 0..120 s: keeps up with lag 5 */
    for (int64_t s = 0; s <= 120; s += 10)
        feed_g(&w, s, 0, s ? 10 * s - 5 : 0, 1);
    struct wgroup *g = group(&w, "g");
    assert_int_equal(g->status, WG_OK);
    assert_int_equal(g->total_lag, 5);
    assert_non_null(strstr(g->reason, "not growing"));
    int est;
    /* lag 5 at 10 msg/s: the first unconsumed message is 0.4 s old */
    assert_int_equal(watch_group_time_lag(&w, g, &est), 400);
    assert_false(est);
    /* 130..240 s: stuck at 1195 while the log grows */
    for (int64_t s = 130; s <= 230; s += 10)
        feed_g(&w, s, 0, 1195, 1);
    g = group(&w, "g");
    /* falling behind, but STALL needs a whole window without progress */
    assert_int_equal(g->status, WG_WARN);
    assert_non_null(strstr(g->reason, "consuming 0/s, producing 10/s"));
    feed_g(&w, 240, 0, 1195, 1);
    g = group(&w, "g");
    assert_int_equal(g->status, WG_STALL);
    assert_non_null(strstr(g->reason, "no progress for 2m00s on 1/1 partitions with 1 member"));
    assert_int_equal(g->total_lag, 2400 - 1195);
    assert_int_equal(g->eta_ms, -1);
    assert_true(g->rates_known);
    assert_true(g->consume_rate == 0.0);
    assert_true(g->produce_rate > 9.9 && g->produce_rate < 10.1);
    /* time lag of the stuck consumer: message 1195 appended at ~119.6 s */
    int64_t tl = watch_group_time_lag(&w, g, &est);
    assert_true(tl >= 120 * SEC && tl <= 121 * SEC);
    /* members leave: STOP */
    feed_g(&w, 260, 0, 1195, 0);
    g = group(&w, "g");
    assert_int_equal(g->status, WG_STOP);
    assert_non_null(strstr(g->reason, "no members"));
    /* consumer comes back and drains 30/s against 10/s produced */
    int64_t c = 1195;
    for (int64_t s = 270; s <= 300; s += 10) {
        c += 300;
        feed_g(&w, s, 0, c, 1);
    }
    g = group(&w, "g");
    assert_int_equal(g->status, WG_OK);
    assert_int_equal(g->total_lag, 605);
    assert_int_equal(g->eta_ms, 60500); /* 20/s consumed, 10/s produced over the last 60 s */
    assert_non_null(strstr(g->reason, "catching up"));
    assert_true(g->spark_n > 3);
    watch_release(&w);
}

static void test_group_warn_and_rewind(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    /* consumes 8/s while 10/s are produced: lag grows steadily */
    for (int64_t s = 0; s <= 200; s += 10)
        feed_g(&w, s, 0, 8 * s, 1);
    struct wgroup *g = group(&w, "g");
    assert_int_equal(g->status, WG_WARN);
    assert_non_null(strstr(g->reason, "lag grew"));
    assert_int_equal(g->eta_ms, -1);
    /* reset to an earlier offset: REWIND until it passes the old offset */
    feed_g(&w, 210, 0, 100, 1);
    g = group(&w, "g");
    assert_int_equal(g->status, WG_REWIND);
    assert_non_null(strstr(g->reason, "moved back from 1,600 to 100"));
    feed_g(&w, 220, 0, 1700, 1);
    g = group(&w, "g");
    assert_true(g->status != WG_REWIND);
    watch_release(&w);
}

static void test_group_lost_messages(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    feed_g(&w, 10, 0, 50, 0);
    feed_g(&w, 20, 150, 50, 0); /* retention deleted 50..149 unread */
    struct wgroup *g = group(&w, "g");
    assert_int_equal(g->nlost, 1);
    assert_int_equal(g->lost_msgs, 100);
    assert_non_null(strstr(g->reason, "100 messages deleted unread (1 partition below log start)"));
    assert_int_equal(w.ngroups_lost, 1);
    assert_true(g->gps[0].lost);
    watch_release(&w);
}

/* orders-0 caught up, orders-1 lagging, orders-2 (when `p2`) committed
 * but with its log end unknown; group g (offsets not read when `err`) */
static void feed_tl(struct watch *w, int64_t s, int64_t end1, bool p2, const char *err)
{
    char p2s[128] = "", errs[160] = "", offs[128] = "    offsets: {orders: {0: 100, 1: 100";
    if (p2)
        snprintf(p2s, sizeof p2s, "      - {id: 2, leader: 1, replicas: [1], isr: [1]}\n");
    if (err) {
        snprintf(errs, sizeof errs, "    error: \"%s\"\n", err);
        offs[0] = '\0';
    } else {
        strcat(offs, p2 ? ", 2: 50}}\n" : "}}\n");
    }
    feed(w, T0 + s * SEC,
         "cluster: {live: true, config: {min.insync.replicas: 1}, brokers: [{id: 1}]}\n"
         "topics:\n  orders:\n    partitions:\n"
         "      - {id: 0, leader: 1, replicas: [1], isr: [1], log_start: 0, log_end: 100}\n"
         "      - {id: 1, leader: 1, replicas: [1], isr: [1], log_start: 0, log_end: %" PRId64 "}\n"
         "%s"
         "groups:\n  g:\n    state: Stable\n    members: [{member_id: m1, client_id: c1}]\n%s%s",
         end1, p2s, errs, offs);
}

static void test_group_time_lag_unknown(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    int how;
    /* first sample: orders-1 lags 200 but its age is unknown (one log-end
     * sample); orders-0 is caught up.  The group's time lag is unknown,
     * not the caught-up partition's 0s. */
    feed_tl(&w, 0, 300, false, NULL);
    struct wgroup *g = group(&w, "g");
    assert_int_equal(g->total_lag, 200);
    assert_false(g->lag_partial);
    assert_int_equal(watch_group_time_lag(&w, g, &how), -1);
    /* 10 s later the log grew 10/s: message 101 is extrapolated ~29.9 s old */
    feed_tl(&w, 10, 400, false, NULL);
    g = group(&w, "g");
    int64_t tl = watch_group_time_lag(&w, g, &how);
    assert_int_equal(tl, 29900);
    assert_int_equal(how, WTL_EXTRAPOLATED);
    /* orders-2: committed 50, log end unknown.  Its lag is unknown: the
     * group's lag is a lower bound (shown "400+", as `lag` does), and so
     * is its time lag */
    feed_tl(&w, 20, 500, true, NULL);
    g = group(&w, "g");
    assert_int_equal(g->total_lag, 400);
    assert_true(g->lag_partial);
    tl = watch_group_time_lag(&w, g, &how);
    assert_int_equal(tl, 39900);
    assert_int_equal(how, WTL_AT_LEAST);
    watch_release(&w);
    /* the partitions whose lag is known are caught up, another's is
     * unknown: unknown, not 0s, and not "nothing committed" */
    watch_init(&w, NULL);
    feed_tl(&w, 0, 100, true, NULL);
    g = group(&w, "g");
    assert_int_equal(g->total_lag, 0);
    assert_true(g->lag_partial);
    assert_int_equal(watch_group_time_lag(&w, g, &how), -1);
    assert_null(strstr(g->reason, "nothing committed"));
    watch_release(&w);
}

static void test_group_offsets_unread(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    feed_tl(&w, 0, 300, false, NULL);
    feed_tl(&w, 10, 400, false, NULL);
    struct wgroup *g = group(&w, "g");
    assert_int_equal(g->status, WG_OK);
    uint32_t ngp = g->ngp;
    /* OffsetFetch timed out: lag unknown (not 0, not "nothing committed"),
     * the reason says why */
    feed_tl(&w, 20, 500, false, "OffsetFetch: no answer before the deadline");
    g = group(&w, "g");
    assert_true(g->unread);
    assert_int_equal(g->status, WG_NONE);
    assert_int_equal(g->total_lag, -1);
    assert_true(g->lag_partial);
    int how;
    assert_int_equal(watch_group_time_lag(&w, g, &how), -1);
    assert_string_equal(g->reason,
                        "committed offsets not read: OffsetFetch: no answer before the deadline");
    char r[192];
    watch_gp_reason(&w, g, &g->gps[0], r, sizeof r);
    assert_string_equal(r, "committed offset not read (last read: 100)");
    assert_int_equal(g->eta_ms, -1);
    assert_int_equal(g->spark[(g->spark_head + g->spark_n - 1) % WATCH_NSPARK], -1);
    /* the partitions' history survives for the next reading */
    assert_int_equal(g->ngp, ngp);
    assert_int_equal(g->gps[1].committed, 100);
    feed_tl(&w, 30, 600, false, NULL);
    g = group(&w, "g");
    assert_false(g->unread);
    assert_false(g->lag_partial);
    assert_int_equal(g->total_lag, 500);
    assert_int_equal(g->gps[1].progress_t, T0);
    watch_release(&w);
}

/* OffsetFetch answers for the group but refuses one partition (say
 * TOPIC_AUTHORIZATION_FAILED): that partition's lag is unknown this sample,
 * not "nothing committed", and the group's lag is a lower bound. */
static void feed_pe(struct watch *w, int64_t s, int64_t end, bool refuse1)
{
    feed(w, T0 + s * SEC,
         "cluster: {live: true, config: {min.insync.replicas: 1}, brokers: [{id: 1}]}\n"
         "topics:\n  orders:\n    partitions:\n"
         "      - {id: 0, leader: 1, replicas: [1], isr: [1], log_start: 0, log_end: %" PRId64 "}\n"
         "      - {id: 1, leader: 1, replicas: [1], isr: [1], log_start: 0, log_end: %" PRId64 "}\n"
         "groups:\n  g:\n    state: Stable\n    members: [{member_id: m1, client_id: c1}]\n"
         "    offsets: {orders: {0: 100, 1: %s}}\n",
         end, end, refuse1 ? "{committed: null, error: \"TOPIC_AUTHORIZATION_FAILED\"}" : "100");
}

static void test_group_partition_offset_unread(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    feed_pe(&w, 0, 300, false);
    struct wgroup *g = group(&w, "g");
    assert_int_equal(g->total_lag, 400);
    assert_false(g->lag_partial);
    feed_pe(&w, 10, 300, true);
    g = group(&w, "g");
    assert_false(g->unread); /* the group was read, one partition was not */
    assert_int_equal(g->gps[1].status, WG_NONE);
    assert_int_equal(g->gps[1].lag, -1);
    assert_int_equal(g->total_lag, 200); /* what is known: a lower bound */
    assert_true(g->lag_partial);
    char r[192];
    watch_gp_reason(&w, g, &g->gps[1], r, sizeof r);
    assert_string_equal(r, "committed offset not read (last read: 100)");
    assert_null(strstr(g->reason, "nothing committed"));
    /* read again: its history is intact */
    feed_pe(&w, 20, 300, false);
    g = group(&w, "g");
    assert_false(g->lag_partial);
    assert_int_equal(g->total_lag, 400);
    assert_int_equal(g->gps[1].committed, 100);
    assert_int_equal(g->gps[1].progress_t, T0);
    watch_release(&w);
}

static void test_memory_bounded(void **state)
{
    (void)state;
    struct watch w;
    watch_init(&w, NULL);
    struct watch_mem m1, m2;
    for (int64_t s = 0; s < 50; s++)
        feed_g(&w, s * 5, 0, 40 * s, 1);
    watch_bytes(&w, &m1);
    for (int64_t s = 50; s < 500; s++)
        feed_g(&w, s * 5, 0, 40 * s, 1);
    watch_bytes(&w, &m2);
    assert_int_equal(m1.total, m2.total);
    assert_true(m1.per_partition < 1024);
    assert_true(m1.per_group_partition <= 128);
    watch_release(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_interpolation),
        cmocka_unit_test(test_ring_flat_and_extrapolation),
        cmocka_unit_test(test_ring_min_gap),
        cmocka_unit_test(test_isr_shrink_expand),
        cmocka_unit_test(test_leader_offline_broker_events),
        cmocka_unit_test(test_event_ring_bounded),
        cmocka_unit_test(test_broker_what_if),
        cmocka_unit_test(test_status_rules),
        cmocka_unit_test(test_eta),
        cmocka_unit_test(test_group_stall_then_catch_up),
        cmocka_unit_test(test_group_warn_and_rewind),
        cmocka_unit_test(test_group_lost_messages),
        cmocka_unit_test(test_group_time_lag_unknown),
        cmocka_unit_test(test_group_offsets_unread),
        cmocka_unit_test(test_group_partition_offset_unread),
        cmocka_unit_test(test_memory_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
