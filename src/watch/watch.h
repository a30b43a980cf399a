/*
 * watch.h - history and verdicts over successive models of one cluster:
 * the evaluation core of `kafkaudit top`.  No curses, no printing, no
 * exit: the dashboard (src/tui/), the batch printer and the tests only
 * read what watch_update() computed.
 *
 * Feed it one model per refresh (live collection or a recorded document)
 * with watch_update().  It keeps, per partition, per broker and per
 * consumer group, a bounded history and derived state:
 *
 *   ISR events     every shrink and expand (which replica, which leader,
 *                  ISR size before and after), leader changes, partitions
 *                  going offline and back, brokers leaving and returning;
 *                  how long each replica stayed out; how long a partition
 *                  stayed degraded; flap counts; time spent under min ISR,
 *                  at min ISR, offline.  Kept in one ring of
 *                  watch_opts.max_events events (oldest dropped first).
 *   partition      state with kafka-topics.sh's predicates
 *                  (model/partition_state.h), since when, and a ring of
 *                  log-end samples (time, offset) for time lag.
 *   broker         leaders, replicas, ISRs it is missing from, and the
 *                  partitions that would go under min ISR or offline if it
 *                  left (same predicates as `kafkaudit isr --without-broker`).
 *   consumer group per partition: committed offset, lag, time lag, a
 *                  Burrow-like status; per group: worst status with a
 *                  one-line reason, total lag, lag trend, consume and
 *                  produce rates, catch-up ETA, offsets below log start.
 *
 * Consumer status (Burrow's statuses, §2 of prior-art-monitoring.md, with
 * its known weaknesses fixed, §2.6):
 *   - the window is wall-clock time (watch_opts.window_ms) over our own
 *     samples of committed offsets (OffsetFetch) and log ends
 *     (ListOffsets), not a count of commits: per-message committers and
 *     slow committers get the same window, and no read access to
 *     __consumer_offsets is needed;
 *   - OK whenever the current lag is within allowed_lag (idle topics and
 *     caught-up consumers are never STOP);
 *   - REWIND: the committed offset moved back inside the window and has not
 *     yet returned to where it was;
 *   - STALL / STOP: the committed offset did not advance for a whole window
 *     while the lag stayed above allowed_lag at every sample of it (the
 *     "recently caught up" suppression of Burrow's checkIfRecentLagZero).
 *     OffsetFetch does not say when a commit happened, so Burrow's
 *     distinction "commits the same offset" (STALL) versus "stopped
 *     committing" (STOP) becomes: the group still has members (STALL:
 *     consumers present but stuck) versus it has none (STOP: nobody is
 *     consuming);
 *   - WARN: lag above allowed_lag at every sample of the window, and the
 *     lag larger now than at the start of the window and
 *     not smaller than a third of a window ago (falling behind; Burrow's
 *     "lag never decreases" without its sensitivity to commit jitter);
 *   - otherwise OK.
 * A partition is judged only after a whole window of observation; before
 * that it is OK with the reason "observing".  The group status is the worst
 * partition status.
 *
 * Time lag follows kafka-lag-exporter (§1.3): per partition a ring of
 * (time, log end) samples, flat runs compressed to their first and last
 * point; the time at which the log end passed committed+1 (the first
 * unconsumed message) is interpolated between the two samples around it,
 * or extrapolated from the oldest and newest samples when it is older than
 * the ring; time lag = now - that time.
 *
 * Memory is bounded: per partition a fixed struct plus history_len
 * samples; per group partition a fixed struct (watch_bytes() reports it);
 * events in one ring.  Nothing grows with the number of refreshes.
 *
 * Cost: one pass over the model's partitions and group offsets per
 * update, no hashing per partition (topics are looked up once, partitions
 * by id), no sorting except when the set of partitions at risk changes.
 * Time lag is computed lazily for what is displayed.
 *
 * Threading: none inside; the caller serializes watch_update() and reads.
 */
#ifndef KA_WATCH_H
#define KA_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "util/hmap.h"

struct watch_opts {
    int64_t window_ms;    /* consumer status window (default 120 s) */
    int64_t allowed_lag;  /* lag that still counts as caught up (default 0) */
    uint32_t history_len; /* log-end samples per partition (default 32) */
    uint32_t max_events;  /* ISR event ring (default 65536) */
};
void watch_opts_init(struct watch_opts *o);

/* Partition states, least to most severe. */
enum wstate {
    WS_OK,
    WS_URP,       /* under-replicated */
    WS_AT_MIN,    /* |ISR| == min.insync.replicas: one broker from refusing writes */
    WS_UNDER_MIN, /* |ISR| < min.insync.replicas: acks=all writes refused */
    WS_OFFLINE,   /* no leader, or leader not live */
    WS__COUNT
};
const char *wstate_name(enum wstate s); /* "OK", "URP", "AT-MIN", "UNDER-MIN", "OFFLINE" */

struct wsample {
    int64_t t, off;
};

/* A replica out of the ISR. */
struct wout {
    int32_t broker;
    int64_t since;
    uint64_t seq; /* its shrink event, or UINT64_MAX when not seen leaving */
};

#define WPART_INLINE 8

struct wpart {
    uint32_t topic; /* index in watch.topics */
    int32_t id;
    int32_t leader;
    int32_t min_isr; /* effective min.insync.replicas; -1 unknown */
    uint8_t state;   /* enum wstate */
    uint8_t nrep, nisr;
    uint8_t nout, capout;
    bool present;     /* in the latest model */
    bool since_known; /* state_since is a real transition, not first sight */
    bool at_risk;     /* listed in watch.risk */
    int32_t *ids;     /* nrep replicas then nisr ISR members */
    int32_t inl[WPART_INLINE];
    struct wout *out;           /* replicas out of the ISR */
    int64_t log_start, log_end; /* -1 unknown */
    int64_t first_seen, last_seen;
    int64_t state_since;
    int64_t degraded_since; /* first shrink of the current degraded spell; 0 healthy */
    int64_t offline_since;  /* lost its leader; 0 when it has one */
    int64_t urp_ms, at_min_ms, under_min_ms, offline_ms; /* time spent in each state */
    uint32_t flaps;                                      /* ISR changes (shrinks + expands) */
    uint32_t shrinks, expands;
    uint16_t ring_head, ring_n; /* samples at watch.ring[index * history_len] */
};

struct wtopic {
    char *name;
    uint32_t *by_id; /* partition id -> wpart index, UINT32_MAX: none */
    uint32_t nby_id;
    uint32_t rank; /* position by name among topics */
    int32_t min_isr;
    bool internal, present;
};

struct wbroker {
    int32_t id;
    char *rack, *host;
    int32_t port;
    bool down, present;
    int64_t first_seen, down_since; /* down_since: 0 when up */
    int64_t down_ms;
    uint32_t leaders, replicas;
    uint32_t not_in_isr;      /* partitions it replicates whose ISR lacks it */
    uint32_t would_under_min; /* partitions not under min ISR now that would be without it */
    uint32_t would_offline;   /* partitions online now that would have no leader */
};

enum wevent_kind {
    WE_SHRINK,      /* broker's replica left the ISR */
    WE_EXPAND,      /* broker's replica rejoined the ISR */
    WE_LEADER,      /* leader moved from `from` to `broker` */
    WE_OFFLINE,     /* partition lost its leader */
    WE_ONLINE,      /* partition has a leader again */
    WE_BROKER_DOWN, /* broker left the cluster (part = UINT32_MAX) */
    WE_BROKER_UP,
};
const char *wevent_name(enum wevent_kind k); /* "shrink", "expand", ... */

struct wevent {
    int64_t t;
    uint64_t seq;
    uint32_t part; /* wpart index; UINT32_MAX for broker events */
    int32_t broker;
    int32_t leader; /* leader after the event */
    int32_t from;   /* WE_LEADER: previous leader */
    uint8_t kind;   /* enum wevent_kind */
    uint8_t isr_before, isr_after, nrep;
    int32_t min_isr;
    int64_t dur_ms;      /* SHRINK/EXPAND: how long the replica stayed out (-1: still out
                            or unknown); OFFLINE: how long it stayed offline; BROKER_DOWN:
                            how long it stayed down */
    int64_t degraded_ms; /* EXPAND that completed the ISR: how long the
                            partition was degraded; else -1 */
};

/* Consumer statuses, least to most severe for sorting. */
enum wgstatus {
    WG_NONE, /* nothing committed / no data */
    WG_OK,
    WG_WARN,
    WG_REWIND,
    WG_STOP,
    WG_STALL,
    WG_LOST, /* committed offset below the log start: messages deleted unread */
    WG__COUNT
};
const char *wgstatus_name(enum wgstatus s); /* "-", "OK", "WARN", ... */

#define WATCH_NCK    4  /* checkpoints per group (window / 3 apart) */
#define WATCH_NSPARK 24 /* lag trend samples per group */

/* One partition of one group. */
struct wgp {
    uint32_t part;  /* wpart index */
    uint8_t status; /* enum wgstatus */
    bool lost;      /* committed offset below the log start */
    bool unread;    /* this sample could not read its committed offset */
    uint8_t pad;
    int64_t committed;             /* -1: nothing committed */
    int64_t lag;                   /* -1: unknown */
    int64_t progress_t;            /* last sample at which committed advanced (or first seen) */
    int64_t caught_up_t;           /* last sample with lag <= allowed_lag; 0 never */
    int64_t rewind_t, rewind_from; /* last move backwards; rewind_t 0: none */
    /* second cache line: read at checkpoints and when judging WARN */
    int64_t ck_lag[WATCH_NCK]; /* lag at the group's checkpoints; -1 unknown */
    int64_t ck_c[WATCH_NCK];   /* committed at the checkpoints; -1 unknown */
};

struct wgroup {
    char *name;
    bool present;
    char state[24];
    uint32_t members;
    bool members_unknown; /* not readable (a KIP-848 group with librdkafka 2.0.2) */
    int32_t coordinator;
    struct wgp *gps;
    uint32_t ngp, capgp;
    int64_t first_seen, status_since;
    /* checkpoints, window/3 apart: their times (per partition values in
     * wgp.ck_lag / wgp.ck_c at the same slot) */
    int64_t ck_t[WATCH_NCK];
    uint8_t ck_head, ck_n; /* ring: ck_head = oldest */
    /* verdict */
    uint8_t status; /* worst partition status */
    uint32_t nstatus[WG__COUNT];
    uint32_t worst_gp; /* gp the reason is about */
    char reason[160];
    int64_t total_lag; /* -1 when no partition has a lag */
    bool lag_partial;  /* part of the lag is unknown (a log end, or the
                          committed offsets, could not be read): total_lag
                          is a lower bound, shown with a '+' like `lag` */
    bool unread;       /* the latest model could not read its committed
                          offsets (the reason says why) */
    int64_t max_lag;
    uint32_t max_lag_gp;
    uint32_t nlost;
    int64_t lost_msgs; /* sum over partitions of log_start - committed */
    /* rates over the last window: messages per second */
    double consume_rate, produce_rate;
    bool rates_known;
    int64_t eta_ms; /* catch-up ETA; -1 none (falling behind, caught up, unknown) */
    /* lag trend */
    int64_t spark[WATCH_NSPARK];
    int64_t spark_t;
    uint8_t spark_head, spark_n;
    /* lazily computed time lag (max over partitions; a lower bound, or
     * unknown, when a lagging partition's age is unknown) */
    uint64_t tl_gen;
    int64_t tl_ms;
    int tl_how;
};

struct watch {
    struct watch_opts o;
    uint64_t gen; /* bumped by every update */
    uint64_t nupdates;
    int64_t now;     /* time of the latest model */
    int64_t first_t; /* time of the first model */
    char *cluster_id, *cluster_name;
    int32_t controller;

    struct wtopic *topics;
    uint32_t ntopics, captopics;
    struct hmap topic_by_name; /* name -> index + 1 */

    struct wpart *parts;
    uint32_t nparts, capparts;
    struct wsample *ring; /* capparts * history_len */

    struct wbroker *brokers;
    uint32_t nbrokers, capbrokers;
    /* brokers by id: open addressing, index + 1 (0: empty); a scan per
     * lookup made a recording of 40,000 brokers quadratic */
    uint32_t *broker_slot;
    size_t broker_mask;

    struct wgroup *groups;
    uint32_t ngroups, capgroups;
    struct hmap group_by_name; /* name -> index + 1 */

    struct wevent *events; /* ring of max_events */
    uint64_t nevents;      /* events ever recorded; the newest has seq nevents-1 */

    /* indexes, problems first, rebuilt by watch_update */
    uint32_t *risk; /* partitions not OK: state desc, topic name, id */
    uint32_t nrisk, caprisk;
    uint32_t *group_order; /* present groups: loss, status, lag desc, name */
    uint32_t ngroup_order;
    uint32_t *broker_order; /* present brokers: down, not-in-ISR, would-under-min, id */
    uint32_t nbroker_order;

    /* totals of the latest model */
    uint32_t npresent; /* partitions present */
    uint32_t nstate[WS__COUNT];
    uint32_t nunder_replicated; /* ISR smaller than the replica set, in any state */
    /* kafka-topics.sh's counts, as `kafkaudit isr` reports them
     * (partition_classify's predicates; a partition may be in several, unlike
     * nstate, which counts each in its most severe state) */
    uint32_t nunder_min_isr; /* no leader, or |ISR| < min.insync.replicas */
    uint32_t nat_min_isr;    /* |ISR| == min.insync.replicas */
    uint32_t nbrokers_up, nbrokers_down;
    uint32_t ngroups_present;
    uint32_t ngstatus[WG__COUNT];
    uint32_t ngroups_lost;

    /* scratch */
    uint32_t *tmap; /* model topic index -> watch topic index */
    uint32_t captmap;
    bool risk_dirty;
};

void watch_init(struct watch *w, const struct watch_opts *o);
void watch_release(struct watch *w);

/* Fold one model (finalized) into the history.  now: the model's
 * collection time (ms since the epoch); a time older than the previous
 * update is treated as equal to it. */
void watch_update(struct watch *w, const struct model *m, int64_t now);

/* Event with sequence number seq, or NULL when it fell out of the ring. */
const struct wevent *watch_event(const struct watch *w, uint64_t seq);
/* Oldest sequence number still in the ring. */
uint64_t watch_oldest_event(const struct watch *w);

static inline const int32_t *wpart_replicas(const struct wpart *p) { return p->ids; }
static inline const int32_t *wpart_isr(const struct wpart *p) { return p->ids + p->nrep; }
const char *wpart_topic(const struct watch *w, const struct wpart *p);
const struct wbroker *watch_broker(const struct watch *w, int32_t id);

/* How a time lag was obtained. */
enum wtl_how {
    WTL_EXACT,        /* interpolated between two samples */
    WTL_EXTRAPOLATED, /* older than the sampled history: extrapolated from its rate */
    WTL_AT_LEAST,     /* the log did not move while sampled: at least this old */
};
/* Time lag of a group partition (ms); -1 unknown; *how: enum wtl_how. */
int64_t watch_gp_time_lag(const struct watch *w, const struct wgp *gp, int *how);
/* Largest time lag over the group's partitions, cached per update.  When
 * the age of some lagging partition is unknown (its log end sampled only
 * once, or unknown), the others' largest is a lower bound (*how
 * WTL_AT_LEAST) if it is above 0, else the group's time lag is unknown
 * (-1): never "0s" next to a lag. */
int64_t watch_group_time_lag(struct watch *w, struct wgroup *g, int *how);
/* Produce rate of a partition over its sampled history (msg/s); <0 unknown. */
double watch_part_rate(const struct watch *w, const struct wpart *p);

/* Consumer status reason of one group partition, one line. */
void watch_gp_reason(const struct watch *w, const struct wgroup *g, const struct wgp *gp, char *out,
                     size_t n);

/* Bytes of history kept: total, per partition, per group partition. */
struct watch_mem {
    size_t total;
    size_t per_partition;
    size_t per_group_partition;
    size_t events;
};
void watch_bytes(const struct watch *w, struct watch_mem *out);

/* ---- pure helpers (unit-tested on their own) ---------------------------- */

/* Add a (t, off) sample to a ring of cap samples (head = oldest, n used):
 * out-of-order times are ignored; an offset going back resets the ring;
 * a flat run keeps only its first and latest points; while the newest
 * sample is less than min_gap after the one before it, a new sample
 * replaces it (so kept samples are min_gap apart and the newest is
 * always current). */
void wring_add(struct wsample *ring, uint32_t cap, uint16_t *head, uint16_t *n, int64_t t,
               int64_t off, int64_t min_gap);
/* Time at which the log end reached `target` (interpolated between
 * samples; extrapolated from the oldest and newest when older than the
 * ring).  Returns 0 and sets *t; -1 when unknown (fewer than two samples,
 * or a flat history that never reached target).  *extrapolated tells
 * which. */
int wring_time_at(const struct wsample *ring, uint32_t cap, uint16_t head, uint16_t n,
                  int64_t target, int64_t *t, bool *extrapolated);
/* kafka-lag-exporter's time lag for a committed offset: 0 when caught up
 * (committed >= log_end), else now - time the log end passed committed+1;
 * -1 unknown.  *how: enum wtl_how. */
int64_t wring_time_lag(const struct wsample *ring, uint32_t cap, uint16_t head, uint16_t n,
                       int64_t committed, int64_t log_end, int64_t now, int *how);

/* Inputs of the consumer-status rules for one group partition. */
struct wgp_eval {
    int64_t now, window_ms, allowed_lag;
    int64_t committed, log_end, log_start; /* log_start -1: unknown */
    int64_t first_seen, progress_t, caught_up_t, rewind_t, rewind_from;
    int64_t ref_lag;    /* lag at the start of the window; -1 unknown */
    int64_t recent_lag; /* lag a third of a window ago; -1 unknown */
    bool ref_complete;  /* the reference checkpoint is at least a window old */
    uint32_t members;
    bool members_unknown; /* then a group without progress is stalled, not stopped */
};
enum wgstatus wgp_evaluate(const struct wgp_eval *e);

/* Catch-up ETA in ms from lag and rates; -1 when not catching up. */
int64_t watch_eta_ms(int64_t lag, double consume_rate, double produce_rate);

#endif
