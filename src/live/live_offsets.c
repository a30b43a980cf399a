/*
 * live_offsets.c - log start and end offsets, one request per leader.
 *
 * librdkafka 2.0.2 has no ListOffsets admin call.  rd_kafka_offsets_for_times()
 * takes a partition list, looks the leaders up in its metadata cache
 * (filled by our Metadata request) and sends one ListOffsets request per
 * leader broker with all of that leader's partitions (verified with the
 * protocol log: 30 partitions on 3 brokers -> 3 ListOffsets requests; see
 * tests/unit/test_live_mock.c).  It blocks until every leader answered, so
 * a single unreachable broker would hold up (and, at the deadline, void)
 * the answers of all the others.  We therefore make one call per leader
 * broker and offset kind (earliest = log start, latest = log end) on a few
 * threads, so a dead broker only costs its own partitions.
 *
 * One more limit: offsets_for_times() merges the answer into the request
 * list with a linear search per partition, i.e. quadratic in the
 * partitions per call.  With 16,700 partitions on one leader that was 9 s
 * of CPU for 100,000 partitions; in calls of LIVE_OFFSETS_CHUNK (1,000)
 * partitions it is under 1 s.  So requests = leaders x kinds x
 * ceil(partitions led / 1,000): one per leader and kind on any cluster
 * with under 1,000 partitions per broker, never one per partition.
 *
 * Partitions without a leader, or whose leader is not in the metadata,
 * are not asked: their offsets stay unknown (-1).
 * The handle runs with isolation.level=read_uncommitted, so "latest" is
 * the high watermark, as kafka-consumer-groups.sh reports LOG-END-OFFSET.
 */
#include "live/live_internal.h"
#include "util/xalloc.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 16

int live_offsets_chunk = LIVE_OFFSETS_CHUNK;

struct ojob {
    int32_t leader;
    int64_t kind; /* RD_KAFKA_OFFSET_BEGINNING or RD_KAFKA_OFFSET_END */
    rd_kafka_topic_partition_list_t *l;
    rd_kafka_resp_err_t err;
};

struct opool {
    struct live_client *c;
    struct ojob *jobs;
    uint32_t njobs;
    atomic_uint next;
};

static void *worker(void *arg)
{
    struct opool *p = arg;
    for (;;) {
        unsigned i = atomic_fetch_add(&p->next, 1);
        if (i >= p->njobs)
            return NULL;
        struct ojob *j = &p->jobs[i];
        int left = live_remaining(p->c);
        j->err = left <= 0 ? RD_KAFKA_RESP_ERR__TIMED_OUT
                           : rd_kafka_offsets_for_times(p->c->rk, j->l, left);
    }
}

/* A partition we can ask: it has a leader that is in the metadata. */
static bool askable(const struct model *m, const struct partition *p)
{
    if (p->leader < 0)
        return false;
    const struct broker *b = model_find_broker(m, p->leader);
    return b && !b->down;
}

static struct partition *find_part(const struct topic *t, int32_t id)
{
    if (id >= 0 && (uint32_t)id < t->nparts && t->parts[id]->id == id)
        return t->parts[id];
    for (uint32_t i = 0; i < t->nparts; i++)
        if (t->parts[i]->id == id)
            return t->parts[i];
    return NULL;
}

void live_collect_log_offsets(struct live_client *c)
{
    struct model *m = c->m;
    if (live_expired(c))
        return;
    /* partitions wanted, grouped by leader */
    uint32_t nb = m->nbrokers;
    rd_kafka_topic_partition_list_t **by = xcalloc(nb + 1, sizeof *by);
    bool any = false;
    if (c->o.offsets_scope == LIVE_OFFSETS_GROUPS) {
        /* mark wanted partitions through the groups: no P x G scan */
        for (uint32_t i = 0; i < m->ngroups; i++) {
            const struct group *g = m->groups[i];
            for (uint32_t k = 0; k < g->noffsets; k++) {
                const struct group_offset *o = &g->offsets[k];
                struct partition *p = o->t ? find_part(o->t, o->partition) : NULL;
                if (!p || !askable(m, p) || p->log_end == -2)
                    continue;
                p->log_end = -2; /* marker: already listed */
                uint32_t b = model_find_broker(m, p->leader)->o.index;
                if (!by[b])
                    by[b] = rd_kafka_topic_partition_list_new(64);
                rd_kafka_topic_partition_list_add(by[b], p->topic->o.name, p->id);
                any = true;
            }
        }
    } else {
        for (uint32_t i = 0; i < m->ntopics; i++) {
            const struct topic *t = m->topics[i];
            for (uint32_t j = 0; j < t->nparts; j++) {
                const struct partition *p = t->parts[j];
                if (!askable(m, p))
                    continue;
                uint32_t b = model_find_broker(m, p->leader)->o.index;
                if (!by[b])
                    by[b] = rd_kafka_topic_partition_list_new(t->nparts > 64 ? (int)t->nparts : 64);
                rd_kafka_topic_partition_list_add(by[b], t->o.name, p->id);
                any = true;
            }
        }
    }
    if (!any) {
        free(by);
        return;
    }
    int kinds = c->o.no_log_start ? 1 : 2;
    int chunk = live_offsets_chunk > 0 ? live_offsets_chunk : INT32_MAX;
    uint32_t njobs = 0;
    for (uint32_t b = 0; b < nb; b++)
        if (by[b])
            njobs += (uint32_t)kinds * (uint32_t)((by[b]->cnt + chunk - 1) / chunk);
    struct opool pool = {.c = c};
    pool.jobs = xcalloc(njobs + 1, sizeof *pool.jobs);
    for (uint32_t b = 0; b < nb; b++) {
        if (!by[b])
            continue;
        for (int from = 0; from < by[b]->cnt; from += chunk) {
            int n = by[b]->cnt - from < chunk ? by[b]->cnt - from : chunk;
            for (int k = 0; k < kinds; k++) {
                struct ojob *j = &pool.jobs[pool.njobs++];
                j->leader = m->brokers[b]->id;
                j->kind = k == 0 ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
                j->l = rd_kafka_topic_partition_list_new(n);
                for (int e = from; e < from + n; e++)
                    rd_kafka_topic_partition_list_add(j->l, by[b]->elems[e].topic,
                                                      by[b]->elems[e].partition)
                        ->offset = j->kind;
            }
        }
        rd_kafka_topic_partition_list_destroy(by[b]);
    }
    free(by);
    atomic_init(&pool.next, 0);
    uint32_t nthreads = pool.njobs < MAX_THREADS ? pool.njobs : MAX_THREADS;
    pthread_t th[MAX_THREADS];
    uint32_t started = 0;
    c->st->calls += pool.njobs;
    for (uint32_t i = 0; i < nthreads; i++)
        if (pthread_create(&th[started], NULL, worker, &pool) == 0)
            started++;
    if (!started)
        worker(&pool);
    for (uint32_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);

    for (uint32_t i = 0; i < pool.njobs; i++) {
        struct ojob *j = &pool.jobs[i];
        const char *what = j->kind == RD_KAFKA_OFFSET_END ? "end" : "start";
        if (j->err) {
            struct broker *b = model_find_broker(m, j->leader);
            live_warn(c, b ? &b->o : NULL,
                      "ListOffsets (log %s offsets of the %d partitions it leads): %s", what,
                      j->l->cnt, rd_kafka_err2str(j->err));
        }
        uint32_t nbad = 0;
        const char *bad = NULL;
        for (int e = 0; e < j->l->cnt; e++) {
            const rd_kafka_topic_partition_t *tp = &j->l->elems[e];
            struct topic *t = model_find_topic(m, tp->topic);
            struct partition *p = t ? find_part(t, tp->partition) : NULL;
            if (!p)
                continue;
            if (j->kind == RD_KAFKA_OFFSET_END && p->log_end == -2)
                p->log_end = -1;
            if (j->err)
                continue;
            if (tp->err) {
                if (!nbad++)
                    bad = rd_kafka_err2name(tp->err);
                if (!p->o.error)
                    p->o.error = arena_printf(&m->arena, "ListOffsets (log %s): %s", what,
                                              rd_kafka_err2name(tp->err));
                continue;
            }
            if (tp->offset < 0)
                continue;
            if (j->kind == RD_KAFKA_OFFSET_END)
                p->log_end = tp->offset;
            else
                p->log_start = tp->offset;
        }
        if (nbad) {
            struct broker *b = model_find_broker(m, j->leader);
            live_warn(c, b ? &b->o : NULL, "ListOffsets: log %s offsets of %u partitions: %s",
                      what, nbad, bad);
        }
        rd_kafka_topic_partition_list_destroy(j->l);
    }
    free(pool.jobs);
}
