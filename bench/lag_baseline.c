/*
 * lag_baseline.c - consumer lag the way most tools get it: one group at a
 * time (kafka-consumer-groups.sh --all-groups, kafka-lag-exporter and
 * kafui fetch committed offsets group by group), each group's log-end
 * offsets queried right after its committed offsets.  The baseline for
 * bench/lag.sh: same librdkafka, same answers, no concurrency.
 *
 *   bench_lag_baseline BOOTSTRAP GROUP...      (or: BOOTSTRAP --prefix P --count N)
 * prints: "groups G partitions P total_lag L requests R elapsed_ms E"
 *
 * Committed offsets are asked for with an explicit list of every
 * partition of every topic (librdkafka 2.0.2's "all partitions" request is
 * answered empty by brokers without OffsetFetch v6, the mock cluster
 * among them).
 */
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned requests;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)rk;
    (void)level;
    (void)fac;
    if (strstr(buf, ": Sent ")) {
        pthread_mutex_lock(&mu);
        requests++;
        pthread_mutex_unlock(&mu);
    }
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_lag_baseline BOOTSTRAP GROUP... | --prefix P --count N\n");
        return 2;
    }
    const char *bs = argv[1];
    char **groups = argv + 2;
    int ngroups = argc - 2;
    char **gen = NULL;
    if (argc == 6 && strcmp(argv[2], "--prefix") == 0 && strcmp(argv[4], "--count") == 0) {
        ngroups = (int)strtol(argv[5], NULL, 10);
        gen = calloc((size_t)ngroups, sizeof *gen);
        for (int i = 0; i < ngroups; i++) {
            gen[i] = malloc(64);
            snprintf(gen[i], 64, "%s%04d", argv[3], i);
        }
        groups = gen;
    }
    char err[512];
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    rd_kafka_conf_set(c, "bootstrap.servers", bs, err, sizeof err);
    rd_kafka_conf_set(c, "debug", "protocol", err, sizeof err);
    rd_kafka_conf_set(c, "isolation.level", "read_uncommitted", err, sizeof err);
    rd_kafka_conf_set_log_cb(c, log_cb);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "bench_lag_baseline: %s\n", err);
        return 1;
    }
    long long t0 = now_ms();
    const struct rd_kafka_metadata *md;
    if (rd_kafka_metadata(rk, 1, NULL, &md, 30000)) {
        fprintf(stderr, "bench_lag_baseline: no metadata\n");
        return 1;
    }
    rd_kafka_topic_partition_list_t *all = rd_kafka_topic_partition_list_new(64);
    for (int t = 0; t < md->topic_cnt; t++)
        for (int p = 0; p < md->topics[t].partition_cnt; p++)
            rd_kafka_topic_partition_list_add(all, md->topics[t].topic,
                                              md->topics[t].partitions[p].id);
    rd_kafka_metadata_destroy(md);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    long long total = 0;
    long parts = 0;
    for (int g = 0; g < ngroups; g++) {
        rd_kafka_ListConsumerGroupOffsets_t *req =
            rd_kafka_ListConsumerGroupOffsets_new(groups[g], all);
        rd_kafka_ListConsumerGroupOffsets(rk, &req, 1, NULL, q);
        rd_kafka_ListConsumerGroupOffsets_destroy(req);
        rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 30000);
        if (!ev || rd_kafka_event_error(ev)) {
            fprintf(stderr, "bench_lag_baseline: %s: %s\n", groups[g],
                    ev ? rd_kafka_event_error_string(ev) : "timeout");
            if (ev)
                rd_kafka_event_destroy(ev);
            continue;
        }
        size_t n;
        const rd_kafka_group_result_t **gr = rd_kafka_ListConsumerGroupOffsets_result_groups(
            rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
        rd_kafka_topic_partition_list_t *committed = rd_kafka_topic_partition_list_new(16);
        rd_kafka_topic_partition_list_t *ends = rd_kafka_topic_partition_list_new(16);
        for (size_t k = 0; k < n; k++) {
            const rd_kafka_topic_partition_list_t *l = rd_kafka_group_result_partitions(gr[k]);
            for (int i = 0; l && i < l->cnt; i++)
                if (l->elems[i].offset >= 0) {
                    rd_kafka_topic_partition_list_add(committed, l->elems[i].topic,
                                                      l->elems[i].partition)
                        ->offset = l->elems[i].offset;
                    rd_kafka_topic_partition_list_add(ends, l->elems[i].topic,
                                                      l->elems[i].partition)
                        ->offset = RD_KAFKA_OFFSET_END;
                }
        }
        rd_kafka_event_destroy(ev);
        if (ends->cnt && rd_kafka_offsets_for_times(rk, ends, 30000) == 0)
            for (int i = 0; i < ends->cnt; i++) {
                total += ends->elems[i].offset - committed->elems[i].offset;
                parts++;
            }
        rd_kafka_topic_partition_list_destroy(committed);
        rd_kafka_topic_partition_list_destroy(ends);
    }
    long long took = now_ms() - t0;
    pthread_mutex_lock(&mu);
    unsigned reqs = requests;
    pthread_mutex_unlock(&mu);
    printf("groups %d partitions %ld total_lag %lld requests %u elapsed_ms %lld\n", ngroups, parts,
           total, reqs, took);
    rd_kafka_topic_partition_list_destroy(all);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    if (gen) {
        for (int i = 0; i < ngroups; i++)
            free(gen[i]);
        free(gen);
    }
    return 0;
}
