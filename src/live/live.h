/*
 * live.h - read a running Kafka cluster into the model, through
 * librdkafka (2.0.2 API level: metadata, DescribeConfigs,
 * ListConsumerGroups, DescribeConsumerGroups, ListConsumerGroupOffsets,
 * offsets_for_times).
 *
 * Read-only by construction: no API that alters, creates or deletes
 * anything is ever called (tests/cli/test_live_broker.sh proves it against
 * brokers that advertise the write APIs).  Secrets are never copied into
 * the model (DescribeConfigs returns sensitive values as null; we keep them
 * null and mark the setting sensitive).
 *
 * Request budget (independent of the partition count), for B brokers,
 * L leader brokers, T topics and G groups:
 *   Metadata        1 (plus librdkafka's own refreshes on new connections)
 *   DescribeConfigs B + ceil(T / 200): one per broker for its own
 *                   resource, topics in chunks to the broker that answered
 *                   Metadata, so every value records the broker it came
 *                   from (live_configs.c)
 *   ListGroups      one per broker (librdkafka fans out), from a helper
 *                   process with its own connections (live_listgroups.c)
 *   DescribeGroups  one per group, plus FindCoordinator lookups
 *   OffsetFetch     one per group (both opts.group_window in flight,
 *                   coordinator errors retried with backoff); before
 *                   Kafka 2.4 some groups twice (live_groups.c)
 *   ListOffsets     one per leader broker and kind: L x 2 (start, end), per
 *                   1,000 partitions a broker leads; a few more to tell the
 *                   refused partitions from the others when a broker
 *                   refuses some (live_offsets.c)
 * Committed offsets are read before log-end offsets, so lag is never
 * negative.  DescribeConfigs is sent first and collected last, so a broker
 * that does not answer holds up nothing else.
 *
 * What librdkafka 2.0.2 cannot tell, and how the model says so:
 *   - offline replicas: replicas whose broker is missing from the metadata
 *     broker list (such brokers are added with down = true); a failed log
 *     directory on a live broker is invisible (Metadata v5+ only);
 *   - racks: from DescribeConfigs(BROKER) broker.rack;
 *   - cluster-wide dynamic defaults: from the DYNAMIC_DEFAULT_BROKER_CONFIG
 *     synonyms of the per-broker answers (the empty-name resource is
 *     rejected client-side);
 *   - the Kafka version: not exposed (ApiVersions stays inside
 *     librdkafka), so cluster.kafka_version stays unset and rules use the
 *     run's default (--kafka-version);
 *   - the controller and cluster id come from librdkafka's cached view of
 *     the Metadata response.
 *
 * Every step respects one overall deadline; closing the handle is bounded
 * too (LIVE_CLOSE_GRACE_MS).  Failures of one resource (authorization, a
 * timeout, a broker down) are recorded on that object (object.error) and
 * as DK_CLUSTER warnings, counted in live_stats.errors; the rest is still
 * collected.  DK_CLUSTER errors: nothing reachable at all (live_collect
 * returns -1), or the deadline passed before the collection finished.
 */
#ifndef KA_LIVE_H
#define KA_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "syntax/diag.h"
#include "model/model.h"

#define LIVE_MAX_CONF 64
#define LIVE_MAX_APIS 24

/* Which partitions get log start/end offsets. */
enum live_offsets_scope {
    LIVE_OFFSETS_ALL = 0,    /* every partition with a live leader */
    LIVE_OFFSETS_GROUPS = 1, /* only partitions some group has offsets for (lag) */
};

/* Strings are borrowed: they must outlive the client. */
struct live_opts {
    const char *bootstrap;           /* -b; else $KAFKA_BOOTSTRAP_SERVERS */
    const char *conf[LIVE_MAX_CONF]; /* -X key=value, passed to librdkafka */
    int nconf;
    const char *command_config; /* Java client .properties (security.*, sasl.*, ssl.*) */
    int timeout_ms;             /* overall deadline for one collection */
    bool want_configs;          /* DescribeConfigs for topics and brokers */
    bool want_groups;           /* groups, members, committed offsets */
    bool want_offsets;          /* log start and end offsets */
    const char *const *groups;  /* only these groups (NULL: every group) */
    int ngroups;
    const char *topic_filter; /* only topics matching this glob (NULL = all) */
    int group_window;         /* committed-offset requests in flight (default 32) */
    enum live_offsets_scope offsets_scope;
    bool no_log_start; /* log end offsets only (lag does not need starts) */
    /* The executable that serves ListGroups in a helper process: one
     * that calls live_helper_main() when KAFKAUDIT_LISTGROUPS_HELPER is
     * set (kafkaudit: /proc/self/exe).  NULL: ListGroups in this process,
     * where a malformed answer crashes librdkafka (live_listgroups.c). */
    const char *helper_exe;
    void (*progress)(void *arg, const char *step, int done, int total);
    void *progress_arg;
    /* librdkafka log lines (only when the user asked for -X debug=...). */
    void (*log)(void *arg, const char *line);
    void *log_arg;
};

/* Defaults: 30 s deadline, configs + groups + offsets, window 32. */
void live_opts_init(struct live_opts *o);

/* For --version: the librdkafka that live commands load, its version
 * (rd_kafka_version_str) and builtin.features.  -1 with the reason in
 * version when it cannot be loaded. */
int live_library_info(char *version, size_t vn, char *features, size_t fn);

struct live_api_count {
    char api[32]; /* protocol API name as librdkafka logs it: "Metadata", "OffsetFetch" */
    uint32_t n;
};

struct live_stats {
    int64_t elapsed_ms;
    /* Kafka protocol requests put on the wire during this collection,
     * counted from librdkafka's protocol log (every request librdkafka
     * sends on our behalf, including ApiVersion, SASL and the
     * FindCoordinator lookups the group APIs make). */
    uint32_t requests;
    struct live_api_count per_api[LIVE_MAX_APIS];
    uint32_t napi;
    uint32_t calls;  /* librdkafka calls kafkaudit made (admin ops, offset queries) */
    uint32_t errors; /* per-resource errors */
    uint32_t brokers_up, brokers_total;
};

struct live_client;

/* Create the librdkafka handles (nothing is sent yet).  Configuration
 * errors (bad -X, unreadable --command-config, a JKS truststore librdkafka
 * cannot read) are DK_CLUSTER errors in dl; returns NULL then. */
struct live_client *live_connect(const struct live_opts *o, struct diag_list *dl);
/* Fill m (fresh, model_init'ed) with one consistent view of the cluster.
 * Returns 0 when the cluster answered (possibly partially, see m->diags),
 * -1 when it was unreachable.  Can be called repeatedly on one client
 * (the dashboard does); each call gets its own model. */
int live_collect(struct live_client *c, struct model *m, struct live_stats *st);
/* Description of the target for messages ("127.0.0.1:9092,..."). */
const char *live_target(const struct live_client *c);
/* Requests of one API in st (0 if none). */
uint32_t live_stats_api(const struct live_stats *st, const char *api);
/* Destroys the handles.  First waits (at most LIVE_CLOSE_GRACE_MS / 2)
 * for the results of admin requests a step gave up on at the deadline:
 * librdkafka 2.0.2 aborts or crashes when its handle is destroyed under an
 * admin request in flight (see live.c).  If they never come, the handle is
 * not destroyed at all.  Bounded: librdkafka 2.0.2 can also leave its main
 * thread stuck (DescribeConsumerGroups against a broker without
 * DescribeGroups); within LIVE_CLOSE_GRACE_MS in all the handle is
 * destroyed or abandoned (kept, still reachable, until the process exits)
 * instead of hanging. */
#define LIVE_CLOSE_GRACE_MS 800
void live_close(struct live_client *c);

/* The ListGroups helper process's main (see helper_exe): reads the
 * connection settings and requests from in (the pipe on its standard
 * input), answers on out (its standard output); returns its exit status.
 * Its caller must end the process without running exit handlers (_exit):
 * the helper's librdkafka handle is never destroyed. */
int live_helper_main(FILE *in, FILE *out);

#endif
