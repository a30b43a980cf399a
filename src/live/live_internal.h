/*
 * live_internal.h - shared state of the live collector (src/live/).
 *
 * One collection runs on the caller's thread, except the log-offset
 * queries, which run on a few short-lived threads (one job per leader
 * broker and offset kind) because rd_kafka_offsets_for_times() blocks.
 * librdkafka's own threads call the log callback; everything the log
 * callback touches is guarded by mu.
 */
#ifndef KA_LIVE_INTERNAL_H
#define KA_LIVE_INTERNAL_H

#include <pthread.h>

#include "live/live.h"
#include "util/clock.h"
#include <librdkafka/rdkafka.h>

#define LIVE_MAX_FAILS 16

/* A result queue of the collection and the admin requests sent on it
 * whose result has not been polled yet (see live_queue_release). */
struct live_queue {
    rd_kafka_queue_t *q;
    uint32_t outstanding;
    bool released; /* its step is over: kept only until its results are in */
};

struct live_fail {
    char who[96];  /* "127.0.0.1:9092/bootstrap", "broker1:9092/1" */
    char msg[320]; /* last failure librdkafka logged for it */
};

struct live_client {
    struct live_opts o;
    rd_kafka_t *rk;
    char *target; /* bootstrap list as given */
    bool user_debug;

    /* per collection */
    int64_t deadline;    /* monotonic ms */
    int32_t meta_broker; /* the broker that answered Metadata */
    struct model *m;
    struct live_stats *st;

    pthread_mutex_t mu; /* guards everything below */
    uint32_t sent;
    struct live_api_count api[LIVE_MAX_APIS];
    uint32_t napi;
    /* counters at the end of the previous collection (or at connect: the
     * handle starts connecting to the bootstrap brokers at once) */
    uint32_t sent0;
    struct live_api_count api0[LIVE_MAX_APIS];
    uint32_t napi0;
    struct live_fail fails[LIVE_MAX_FAILS];
    uint32_t nfails;
    /* when librdkafka reported every broker down (monotonic ms, 0: some
     * broker is up or being tried); cleared by the next request sent */
    int64_t all_down_at;

    /* result queues (caller's thread only, not guarded by mu) */
    struct live_queue *queues;
    uint32_t nqueues, capqueues;
    struct live_client *next_abandoned; /* see live_close */
    /* an admin request ended in librdkafka's timeout path: its internal
     * coordinator lookups may still be pending, and destroying the handle
     * then asserts (rd_kafka_enq_once_del_source_return, see live.c) */
    bool timed_out;
    /* the ListGroups helper process (live_listgroups.c), or pid -1 */
    int helper_pid, helper_in, helper_out;
};

/* How long live_close waits, past the deadline, for the results of admin
 * requests still in flight before it destroys the handle. */
#define LIVE_SETTLE_MS 300

/* Every known broker has been down for this long: the cluster is
 * unreachable (kcat gives up after about as long). */
#define LIVE_ALL_DOWN_GRACE_MS 2000
/* ms since librdkafka last reported every broker down, or -1 when some
 * broker is up (serves the handle's callbacks first). */
int64_t live_all_down_for(struct live_client *c);

int live_remaining(const struct live_client *c); /* ms left before the deadline, >= 0 */
bool live_expired(const struct live_client *c);

/* Per-resource problem: on the object (if any) and as a DK_CLUSTER warning. */
void live_warn(struct live_client *c, struct object *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A result queue for admin requests (live_queue_release, never
 * rd_kafka_queue_destroy, when done with it). */
rd_kafka_queue_t *live_queue_new(struct live_client *c);
/* The step is done with q.  Requests still outstanding on it keep it (and
 * the handle) alive until librdkafka delivered their results: librdkafka
 * 2.0.2 crashes when the handle is destroyed under an admin request in
 * flight (see live_close). */
void live_queue_release(struct live_client *c, rd_kafka_queue_t *q);
/* timeout_ms for coordinator requests (DescribeConsumerGroups,
 * ListConsumerGroupOffsets): librdkafka's own timeout is never let fire
 * (an hour), the caller enforces its share of the deadline itself.
 * librdkafka 2.0.2 aborts when such a request times out before its
 * coordinator lookup came back (rd_kafka_admin_coord_request finds the
 * request's enq-once already dropped and drops it again:
 * rd_kafka_enq_once_del_source_return: Assertion `eonce->refcnt > 0',
 * confluentinc/librdkafka#4605, fixed by PR #5397, unreleased) - with
 * thousands of groups and a short --timeout, one run in two.  A request
 * still in flight when the command ends keeps the handle from being
 * destroyed (live_close); the process exits long before the hour. */
#define LIVE_NO_TIMEOUT               (-1)
#define LIVE_COORD_REQUEST_TIMEOUT_MS 3600000
/* Admin options with timeout_ms as request timeout (and a broker) for ONE
 * request the caller sends on q at once: it counts as outstanding on q
 * until live_wait returns its result. */
rd_kafka_AdminOptions_t *live_admin_opts(struct live_client *c, rd_kafka_queue_t *q,
                                         rd_kafka_admin_op_t op, int timeout_ms, int32_t broker,
                                         void *opaque);
/* Note an admin result (or a part of one) that timed out in librdkafka. */
void live_note_error(struct live_client *c, rd_kafka_resp_err_t err);
/* Wait for one event on q (from live_queue_new) until the deadline; NULL
 * on timeout. */
rd_kafka_event_t *live_wait(struct live_client *c, rd_kafka_queue_t *q);
/* The same, waiting at most max_ms. */
rd_kafka_event_t *live_wait_ms(struct live_client *c, rd_kafka_queue_t *q, int max_ms);
/* A request's share of the deadline: a quarter of --timeout, at least
 * 1 s, never past the deadline - one broker or coordinator that does not
 * answer costs its own requests, not everyone's. */
int live_share_ms(const struct live_client *c);
/* Append the connection failures seen so far to b ("; "-separated). */
struct buf;
void live_fail_text(struct live_client *c, struct buf *b, const char **hint);

/* The steps of a collection. */
int live_collect_metadata(struct live_client *c);
/* DescribeConfigs: sent before, collected after the other steps. */
struct live_configs;
struct live_configs *live_configs_start(struct live_client *c);
void live_configs_finish(struct live_configs *s);
void live_collect_groups(struct live_client *c);
void live_collect_log_offsets(struct live_client *c);
/* Partitions per offsets_for_times() call (see live_offsets.c). */
#define LIVE_OFFSETS_CHUNK 1000

/* ListGroups, asked by a helper process (live_listgroups.c). */
struct lg_listing {
    char *id;
    int state; /* rd_kafka_consumer_group_state_t */
    bool simple;
};
struct lg_answer {
    bool answered; /* a result came back (possibly a failure, below) */
    int fail;      /* the request failed as a whole: its error code */
    char *fail_msg;
    struct lg_listing *v;
    size_t n, cap;
    struct {
        int code;
        char *msg;
    } * errs; /* brokers that answered with an error */
    size_t ne, cape;
    char died[160]; /* the helper died or said nothing: why */
};
void live_list_groups(struct live_client *c, rd_kafka_queue_t *q, struct lg_answer *a);
/* Start the helper (live_connect; nothing when opts.helper_exe is NULL) /
 * stop it (live_close; kill_it: it is stuck). */
void live_helper_start(struct live_client *c);
int live_helper_stop(struct live_client *c, bool kill_it); /* its wait status */
void lg_answer_free(struct lg_answer *a);
/* Add n requests of api to the counts (requests a helper process sent). */
void live_count_requests(struct live_client *c, const char *api, uint32_t n);

/* Config building (live_conf.c): returns 0, or -1 with DK_CLUSTER errors. */
int live_build_conf(const struct live_opts *o, rd_kafka_conf_t *conf, char **target,
                    bool *user_debug, struct diag_list *dl);

#endif
