/*
 * mock_cluster.c - librdkafka's mock cluster as a standalone process, for
 * benchmarks that measure kafkaudit and another tool against the same
 * cluster.  The mock cluster lives inside a librdkafka handle; this
 * program owns that handle, fills the cluster, prints the bootstrap list
 * and serves until it is terminated (SIGTERM/SIGINT).
 *
 *   bench_mock_cluster [--brokers N] [--topics T] [--partitions P] [--rf R]
 *                      [--messages M] [--groups G] [--rtt MS] [--ports-file F]
 *
 *   --topics/--partitions  T topics "t000..." of P partitions (default 1 x 100)
 *   --messages M           produce M small messages to every partition of the
 *                          first min(T, 10) topics (batched, acks=all)
 *   --groups G             groups "g0000..." each with committed offsets on
 *                          every partition of topic (g mod T) (mod 10 with
 *                          --messages): offset = (g + partition) % (M + 1)
 *   --rtt MS               round-trip time added by every broker once the
 *                          cluster is filled (emulates a network)
 * Prints "BOOTSTRAP\n" on stdout (and into --ports-file, written atomically)
 * when ready.  Setup uses write APIs; the process under test never does.
 */
#define _GNU_SOURCE
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_sig(int s)
{
    (void)s;
    stop = 1;
}

static long num(const char *s, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 0) {
        fprintf(stderr, "mock_cluster: bad %s '%s'\n", what, s);
        exit(2);
    }
    return v;
}

static void die(const char *what, const char *err)
{
    fprintf(stderr, "mock_cluster: %s: %s\n", what, err);
    exit(1);
}

static void produce(const char *bs, int topics, int parts, long msgs)
{
    char err[512];
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    rd_kafka_conf_set(c, "bootstrap.servers", bs, err, sizeof err);
    rd_kafka_conf_set(c, "linger.ms", "50", err, sizeof err);
    rd_kafka_conf_set(c, "batch.num.messages", "10000", err, sizeof err);
    rd_kafka_conf_set(c, "queue.buffering.max.messages", "2000000", err, sizeof err);
    rd_kafka_t *p = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
    if (!p)
        die("producer", err);
    char name[32];
    for (int t = 0; t < topics; t++) {
        snprintf(name, sizeof name, "t%03d", t);
        for (int q = 0; q < parts; q++)
            for (long i = 0; i < msgs; i++) {
                while (rd_kafka_producev(p, RD_KAFKA_V_TOPIC(name), RD_KAFKA_V_PARTITION(q),
                                         RD_KAFKA_V_VALUE("x", 1),
                                         RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                    rd_kafka_poll(p, 10);
            }
    }
    if (rd_kafka_flush(p, 120000))
        die("produce", "flush timed out");
    rd_kafka_destroy(p);
}

static void commit_groups(const char *bs, int topics, int parts, long msgs, int groups)
{
    char err[512];
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    rd_kafka_conf_set(c, "bootstrap.servers", bs, err, sizeof err);
    rd_kafka_t *a = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
    if (!a)
        die("admin", err);
    rd_kafka_queue_t *q = rd_kafka_queue_new(a);
    int inflight = 0, done = 0, next = 0, failed = 0;
    while (done < groups) {
        while (inflight < 64 && next < groups) {
            int g = next++;
            char gid[32], topic[32];
            snprintf(gid, sizeof gid, "g%04d", g);
            snprintf(topic, sizeof topic, "t%03d", g % topics);
            rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(parts);
            for (int p = 0; p < parts; p++)
                rd_kafka_topic_partition_list_add(l, topic, p)->offset = (g + p) % (msgs + 1);
            rd_kafka_AlterConsumerGroupOffsets_t *req =
                rd_kafka_AlterConsumerGroupOffsets_new(gid, l);
            rd_kafka_AlterConsumerGroupOffsets(a, &req, 1, NULL, q);
            rd_kafka_AlterConsumerGroupOffsets_destroy(req);
            rd_kafka_topic_partition_list_destroy(l);
            inflight++;
        }
        rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
        if (!ev)
            die("commit", "timed out");
        if (rd_kafka_event_error(ev))
            failed++;
        rd_kafka_event_destroy(ev);
        inflight--;
        done++;
    }
    if (failed)
        fprintf(stderr, "mock_cluster: %d group commits failed\n", failed);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(a);
}

int main(int argc, char **argv)
{
    long brokers = 3, topics = 1, parts = 100, rf = 3, msgs = 0, groups = 0, rtt = 0;
    const char *ports_file = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) {
            fprintf(stderr, "mock_cluster: %s needs a value\n", a);
            return 2;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--brokers"))
            brokers = num(v, a);
        else if (!strcmp(a, "--topics"))
            topics = num(v, a);
        else if (!strcmp(a, "--partitions"))
            parts = num(v, a);
        else if (!strcmp(a, "--rf"))
            rf = num(v, a);
        else if (!strcmp(a, "--messages"))
            msgs = num(v, a);
        else if (!strcmp(a, "--groups"))
            groups = num(v, a);
        else if (!strcmp(a, "--rtt"))
            rtt = num(v, a);
        else if (!strcmp(a, "--ports-file"))
            ports_file = v;
        else {
            fprintf(stderr, "mock_cluster: unknown option %s\n", a);
            return 2;
        }
    }
    char err[512], nb[24];
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    snprintf(nb, sizeof nb, "%ld", brokers);
    rd_kafka_conf_set(c, "test.mock.num.brokers", nb, err, sizeof err);
    rd_kafka_conf_set(c, "log_level", "3", err, sizeof err);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof err);
    if (!rk)
        die("mock cluster", err);
    rd_kafka_mock_cluster_t *mc = rd_kafka_handle_mock_cluster(rk);
    const char *bs = rd_kafka_mock_cluster_bootstraps(mc);
    for (long t = 0; t < topics; t++) {
        char name[32];
        snprintf(name, sizeof name, "t%03ld", t);
        if (rd_kafka_mock_topic_create(mc, name, (int)parts, (int)rf))
            die("topic create", name);
    }
    int ptopics = msgs ? (int)(topics < 10 ? topics : 10) : (int)topics;
    if (msgs)
        produce(bs, ptopics, (int)parts, msgs);
    if (groups)
        commit_groups(bs, ptopics, (int)parts, msgs, (int)groups);
    for (long b = 1; rtt && b <= brokers; b++)
        rd_kafka_mock_broker_set_rtt(mc, (int32_t)b, (int)rtt);

    signal(SIGTERM, on_sig);
    signal(SIGINT, on_sig);
    if (ports_file) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.tmp", ports_file);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%s\n", bs) < 0 || fclose(f) != 0 || rename(tmp, ports_file))
            die("ports file", ports_file);
    }
    printf("%s\n", bs);
    fflush(stdout);
    while (!stop)
        poll(NULL, 0, 200);
    rd_kafka_destroy(rk);
    return 0;
}
