/*
 * commit_offsets.c - bench set-up only: commit offset OFFSET on every
 * partition of TOPIC for groups PREFIX0000..PREFIX(N-1), with librdkafka's
 * AlterConsumerGroupOffsets (one group per request, as librdkafka 2.0.2
 * requires; all in flight at once).  The JVM-free equivalent of
 * kafka-consumer-groups.sh --reset-offsets --to-offset per group, to
 * create hundreds of groups on a real cluster in seconds (bench/real_kafka.sh).
 *
 *   bench_commit_offsets BOOTSTRAP TOPIC PARTITIONS OFFSET PREFIX N
 * Exit status 0 when every group's commit succeeded (failed groups are
 * retried, ROUNDS times at most).
 */
#include <librdkafka/rdkafka.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 10

static void send_one(rd_kafka_t *rk, rd_kafka_queue_t *q, const char *topic, int np, long long off,
                     const char *prefix, int g)
{
    char id[256], err[512];
    snprintf(id, sizeof id, "%s%04d", prefix, g);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(np);
    for (int p = 0; p < np; p++)
        rd_kafka_topic_partition_list_add(l, topic, p)->offset = off;
    rd_kafka_AlterConsumerGroupOffsets_t *a = rd_kafka_AlterConsumerGroupOffsets_new(id, l);
    rd_kafka_AdminOptions_t *o =
        rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS);
    rd_kafka_AdminOptions_set_request_timeout(o, 60000, err, sizeof err);
    rd_kafka_AdminOptions_set_opaque(o, (void *)(intptr_t)(g + 1));
    rd_kafka_AlterConsumerGroupOffsets(rk, &a, 1, o, q);
    rd_kafka_AdminOptions_destroy(o);
    rd_kafka_AlterConsumerGroupOffsets_destroy(a);
    rd_kafka_topic_partition_list_destroy(l);
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: %s BOOTSTRAP TOPIC PARTITIONS OFFSET PREFIX N\n", argv[0]);
        return 2;
    }
    int np = atoi(argv[3]), n = atoi(argv[6]);
    long long off = atoll(argv[4]);
    char err[512];
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], err, sizeof err) !=
        RD_KAFKA_CONF_OK) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    /* A group whose commit failed (the coordinator still loading or moving
     * while __consumer_offsets settles) is sent again, up to ROUNDS times. */
    char *failed = calloc((size_t)n + 1, 1), *again = calloc((size_t)n + 1, 1);
    for (int g = 0; g < n; g++)
        again[g] = 1;
    int bad = n;
    for (int round = 0; round < ROUNDS && bad; round++) {
        int sent = 0;
        for (int g = 0; g < n; g++) {
            if (!again[g])
                continue;
            send_one(rk, q, argv[2], np, off, argv[5], g);
            sent++;
        }
        memset(failed, 0, (size_t)n);
        bad = 0;
        for (int done = 0; done < sent;) {
            rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 60000);
            if (!ev) {
                fprintf(stderr, "no answer within 60 s (%d of %d done)\n", done, sent);
                return 1;
            }
            if (rd_kafka_event_type(ev) != RD_KAFKA_EVENT_ALTERCONSUMERGROUPOFFSETS_RESULT) {
                rd_kafka_event_destroy(ev);
                continue;
            }
            done++;
            int g = (int)(intptr_t)rd_kafka_event_opaque(ev) - 1;
            bool ok = !rd_kafka_event_error(ev);
            size_t ng = 0;
            const rd_kafka_group_result_t **gr =
                ok ? rd_kafka_AlterConsumerGroupOffsets_result_groups(
                         rd_kafka_event_AlterConsumerGroupOffsets_result(ev), &ng)
                   : NULL;
            for (size_t i = 0; ok && i < ng; i++) {
                const rd_kafka_topic_partition_list_t *pl = rd_kafka_group_result_partitions(gr[i]);
                if (rd_kafka_group_result_error(gr[i]))
                    ok = false;
                for (int p = 0; ok && pl && p < pl->cnt; p++)
                    if (pl->elems[p].err) {
                        if (round == ROUNDS - 1)
                            fprintf(stderr, "%s: %s\n", rd_kafka_group_result_name(gr[i]),
                                    rd_kafka_err2str(pl->elems[p].err));
                        ok = false;
                    }
            }
            if (!ok && g >= 0 && g < n) {
                failed[g] = 1;
                bad++;
            }
            rd_kafka_event_destroy(ev);
        }
        if (bad) {
            fprintf(stderr, "round %d: %d groups failed; again\n", round + 1, bad);
            usleep(500 * 1000); /* give the coordinators time to load */
        }
        char *t = again;
        again = failed;
        failed = t;
    }
    free(failed);
    free(again);
    rd_kafka_queue_destroy(q);
    rd_kafka_destroy(rk);
    return bad ? 1 : 0;
}
