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
 * Partition errors: when any partition of a request fails (an ACL denies
 * one topic, a log directory is offline), offsets_for_times() returns that
 * partition's error as the call's result and drops every answer of the
 * request, the good ones too: the list comes back untouched, no offsets,
 * no per-partition errors (verified against the scenario broker's authz
 * scenario, tests/cli/cases/live-authz-*).  So a broker error from a call
 * is narrowed down: the range is asked again in halves, split between
 * topics where it holds several, until the failing partitions are alone
 * (TOPIC_AUTHORIZATION_FAILED is decided per topic by Kafka, so a range of
 * one topic gets it whole).  Requests: 2 x (bad topics) x log2(topics led)
 * more, at most NARROW_MAX per call; a local error (timeout, connection)
 * is not narrowed: asking again would fail the same way.  Failing
 * partitions are reported per topic; a call that failed as a whole, per
 * leader broker.
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
/* Extra requests per call spent finding the partitions a broker error
 * came from; past it, the rest of the range is "some of these". */
#define NARROW_MAX 64

/* How an element of a job's list ended (beside its offset). */
enum ostate {
    OS_ASKED = 0, /* answered: offset, or a partition error in elem.err */
    OS_LOCAL,     /* its request failed locally (timeout, connection): elem.err */
    OS_VAGUE,     /* elem.err is the error of a range it was in (NARROW_MAX reached) */
};

struct ojob {
    int32_t leader;
    int64_t kind;                       /* RD_KAFKA_OFFSET_BEGINNING or RD_KAFKA_OFFSET_END */
    rd_kafka_topic_partition_list_t *l; /* sorted by topic, partition */
    uint8_t *state;                     /* enum ostate per element of l */
    uint32_t narrowed;                  /* extra requests made for partition errors */
};

struct opool {
    struct live_client *c;
    struct ojob *jobs;
    uint32_t njobs;
    atomic_uint next;
};

static void mark(struct ojob *j, int from, int n, rd_kafka_resp_err_t err, enum ostate st)
{
    for (int e = from; e < from + n; e++) {
        j->l->elems[e].err = err;
        j->state[e] = (uint8_t)st;
    }
}

static bool same_topic(const struct ojob *j, int a, int b)
{
    return strcmp(j->l->elems[a].topic, j->l->elems[b].topic) == 0;
}

static void ask(struct opool *p, struct ojob *j, int from, int n);

/* A request for elements [from, from + n) failed with err, a broker's error
 * code: some partition in it failed (see the top of the file). */
static void narrow(struct opool *p, struct ojob *j, int from, int n, rd_kafka_resp_err_t err)
{
    bool one_topic = same_topic(j, from, from + n - 1);
    if (n == 1 || (one_topic && err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)) {
        mark(j, from, n, err, OS_ASKED);
        return;
    }
    if (j->narrowed + 2 > NARROW_MAX) {
        mark(j, from, n, err, OS_VAGUE);
        return;
    }
    int mid = from + n / 2;
    if (!one_topic) {
        /* the topic boundary nearest the middle */
        int lo = mid, hi = mid;
        while (lo > from && same_topic(j, lo - 1, lo))
            lo--;
        while (hi < from + n && same_topic(j, hi - 1, hi))
            hi++;
        if (lo == from)
            mid = hi;
        else if (hi == from + n)
            mid = lo;
        else
            mid = mid - lo <= hi - mid ? lo : hi;
    }
    j->narrowed += 2;
    ask(p, j, from, mid - from);
    ask(p, j, mid, from + n - mid);
}

/* One offsets_for_times() call for elements [from, from + n) of j. */
static void ask(struct opool *p, struct ojob *j, int from, int n)
{
    int left = live_remaining(p->c);
    if (left <= 0) {
        mark(j, from, n, RD_KAFKA_RESP_ERR__TIMED_OUT, OS_LOCAL);
        return;
    }
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(n);
    for (int e = from; e < from + n; e++)
        rd_kafka_topic_partition_list_add(l, j->l->elems[e].topic, j->l->elems[e].partition)
            ->offset = j->kind;
    rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(p->c->rk, l, left);
    if (!err) {
        /* answered in place, in the order asked */
        for (int e = 0; e < n; e++) {
            rd_kafka_topic_partition_t *dst = &j->l->elems[from + e];
            const rd_kafka_topic_partition_t *src = &l->elems[e];
            if (src->partition != dst->partition || strcmp(src->topic, dst->topic) != 0)
                src = rd_kafka_topic_partition_list_find(l, dst->topic, dst->partition);
            if (src) {
                dst->offset = src->offset;
                dst->err = src->err;
            }
            j->state[from + e] = OS_ASKED;
        }
    }
    rd_kafka_topic_partition_list_destroy(l);
    if (err > 0)
        narrow(p, j, from, n, err);
    else if (err)
        mark(j, from, n, err, OS_LOCAL);
}

static void *worker(void *arg)
{
    struct opool *p = arg;
    for (;;) {
        unsigned i = atomic_fetch_add(&p->next, 1);
        if (i >= p->njobs)
            return NULL;
        struct ojob *j = &p->jobs[i];
        ask(p, j, 0, j->l->cnt);
    }
}

/* Partitions whose offsets a broker refused, per topic and error. */
struct tproblem {
    struct topic *t;
    rd_kafka_resp_err_t err;
    uint32_t n[2]; /* partitions: [0] log end, [1] log start */
};

static int tproblem_cmp(const void *a, const void *b)
{
    const struct tproblem *x = a, *y = b;
    int c = strcmp(x->t->o.name, y->t->o.name);
    return c ? c : (int)x->err - (int)y->err;
}

static void report_topics(struct live_client *c, struct tproblem *v, uint32_t n)
{
    if (!n)
        return;
    qsort(v, n, sizeof *v, tproblem_cmp);
    for (uint32_t i = 0; i < n;) {
        struct tproblem a = v[i++];
        while (i < n && v[i].t == a.t && v[i].err == a.err) {
            a.n[0] += v[i].n[0];
            a.n[1] += v[i].n[1];
            i++;
        }
        char what[96];
        if (a.n[0] == a.n[1])
            snprintf(what, sizeof what, "log start and end offsets of %u partition%s", a.n[0],
                     a.n[0] == 1 ? "" : "s");
        else if (!a.n[1])
            snprintf(what, sizeof what, "log end offsets of %u partition%s", a.n[0],
                     a.n[0] == 1 ? "" : "s");
        else if (!a.n[0])
            snprintf(what, sizeof what, "log start offsets of %u partition%s", a.n[1],
                     a.n[1] == 1 ? "" : "s");
        else
            snprintf(what, sizeof what, "log end offsets of %u, log start offsets of %u partitions",
                     a.n[0], a.n[1]);
        /* not on the topic object: its error means "configuration not read" */
        live_warn(c, NULL, "topic %s: ListOffsets (%s): %s", a.t->o.name, what,
                  rd_kafka_err2str(a.err));
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

/* Lists the partitions the groups committed or were assigned in by[] (one
 * list per leader's broker index), marking each log_end -2 (listed);
 * true when there is one. */
static bool want_group_parts(struct model *m, rd_kafka_topic_partition_list_t **by)
{
    bool any = false;
    /* mark wanted partitions through the groups: no P x G scan; the
     * committed partitions, and the assigned ones (their log end is
     * shown beside '-' when nothing is committed, as Kafka's tool does) */
    for (uint32_t i = 0; i < m->ngroups; i++) {
        const struct group *g = m->groups[i];
        uint32_t nas = 0;
        for (uint32_t a = 0; a < g->nmembers; a++)
            nas += g->members[a].nassignment;
        for (uint32_t k = 0; k < g->noffsets + nas; k++) {
            struct partition *p = NULL;
            if (k < g->noffsets) {
                const struct group_offset *o = &g->offsets[k];
                p = o->t ? find_part(o->t, o->partition) : NULL;
            } else {
                uint32_t x = k - g->noffsets, a = 0;
                while (x >= g->members[a].nassignment)
                    x -= g->members[a++].nassignment;
                const struct tp *tp = &g->members[a].assignment[x];
                const struct topic *t = model_find_topic(m, tp->topic);
                p = t ? find_part(t, tp->partition) : NULL;
            }
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
    return any;
}

/* Lists every partition with a live leader in by[] (one list per leader's
 * broker index); true when there is one. */
static bool want_all_parts(struct model *m, rd_kafka_topic_partition_list_t **by)
{
    bool any = false;
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
    return any;
}

/* One job per leader, chunk of partitions and kind (log end, log start)
 * into pool->jobs; the lists in by[] are destroyed. */
static void plan_jobs(struct live_client *c, rd_kafka_topic_partition_list_t **by, uint32_t nb,
                      struct opool *pool)
{
    struct model *m = c->m;
    int kinds = c->o.no_log_start ? 1 : 2;
    int chunk = LIVE_OFFSETS_CHUNK;
    uint32_t njobs = 0;
    for (uint32_t b = 0; b < nb; b++)
        if (by[b])
            njobs += (uint32_t)kinds * (uint32_t)((by[b]->cnt + chunk - 1) / chunk);
    pool->jobs = xcalloc(njobs + 1, sizeof *pool->jobs);
    for (uint32_t b = 0; b < nb; b++) {
        if (!by[b])
            continue;
        for (int from = 0; from < by[b]->cnt; from += chunk) {
            int n = by[b]->cnt - from < chunk ? by[b]->cnt - from : chunk;
            for (int k = 0; k < kinds; k++) {
                struct ojob *j = &pool->jobs[pool->njobs++];
                j->leader = m->brokers[b]->id;
                j->kind = k == 0 ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
                j->l = rd_kafka_topic_partition_list_new(n);
                for (int e = from; e < from + n; e++)
                    rd_kafka_topic_partition_list_add(j->l, by[b]->elems[e].topic,
                                                      by[b]->elems[e].partition)
                        ->offset = j->kind;
                /* by topic: narrow() splits between topics */
                rd_kafka_topic_partition_list_sort(j->l, NULL, NULL);
                j->state = xcalloc((size_t)n, 1);
            }
        }
        rd_kafka_topic_partition_list_destroy(by[b]);
    }
}

/* Runs the pool's jobs on up to MAX_THREADS threads (on this one when
 * none starts) and waits for them. */
static void run_pool(struct live_client *c, struct opool *pool)
{
    atomic_init(&pool->next, 0);
    uint32_t nthreads = pool->njobs < MAX_THREADS ? pool->njobs : MAX_THREADS;
    pthread_t th[MAX_THREADS];
    uint32_t started = 0;
    c->st->calls += pool->njobs;
    for (uint32_t i = 0; i < nthreads; i++)
        if (pthread_create(&th[started], NULL, worker, pool) == 0)
            started++;
    if (!started)
        worker(pool);
    for (uint32_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
}

/* A job's answers into the partitions' log offsets and errors; refused
 * partitions are counted per topic in *probs, requests that failed as a
 * whole or vaguely are warned about per leader. */
static void take_job(struct live_client *c, struct ojob *j, struct tproblem **probs,
                     uint32_t *nprobs, uint32_t *capprobs)
{
    struct model *m = c->m;
    const char *what = j->kind == RD_KAFKA_OFFSET_END ? "end" : "start";
    c->st->calls += j->narrowed;
    /* requests that failed as a whole (locally), and ranges whose
     * failing partitions were not told apart, per leader */
    uint32_t nlocal = 0, nvague = 0;
    rd_kafka_resp_err_t local = 0, vague = 0;
    for (int e = 0; e < j->l->cnt; e++) {
        const rd_kafka_topic_partition_t *tp = &j->l->elems[e];
        struct topic *t = model_find_topic(m, tp->topic);
        struct partition *p = t ? find_part(t, tp->partition) : NULL;
        if (!p)
            continue;
        if (j->kind == RD_KAFKA_OFFSET_END && p->log_end == -2)
            p->log_end = -1;
        if (j->state[e] == OS_LOCAL) {
            if (!nlocal++)
                local = tp->err;
            continue;
        }
        if (j->state[e] == OS_VAGUE) {
            if (!nvague++)
                vague = tp->err;
            continue;
        }
        if (tp->err) {
            if (!p->o.error)
                p->o.error = arena_printf(&m->arena, "ListOffsets (log %s): %s", what,
                                          rd_kafka_err2name(tp->err));
            struct tproblem *pr = *nprobs ? &(*probs)[*nprobs - 1] : NULL;
            if (!pr || pr->t != t || pr->err != tp->err) {
                if (*nprobs == *capprobs) {
                    *capprobs = *capprobs ? 2 * *capprobs : 16;
                    *probs = xrealloc(*probs, *capprobs * sizeof **probs);
                }
                pr = &(*probs)[(*nprobs)++];
                *pr = (struct tproblem){.t = t, .err = tp->err};
            }
            pr->n[j->kind == RD_KAFKA_OFFSET_END ? 0 : 1]++;
            continue;
        }
        if (tp->offset < 0)
            continue;
        if (j->kind == RD_KAFKA_OFFSET_END)
            p->log_end = tp->offset;
        else
            p->log_start = tp->offset;
    }
    /* not on the broker object: its error means "configuration not read" */
    if (nlocal == (uint32_t)j->l->cnt)
        live_warn(c, NULL,
                  "broker %d: ListOffsets (log %s offsets of the %d partitions it leads): %s",
                  j->leader, what, j->l->cnt, rd_kafka_err2str(local));
    else if (nlocal)
        live_warn(c, NULL,
                  "broker %d: ListOffsets (log %s offsets of %u of the %d partitions it leads): %s",
                  j->leader, what, nlocal, j->l->cnt, rd_kafka_err2str(local));
    if (nvague)
        live_warn(c, NULL,
                  "broker %d: ListOffsets (log %s offsets of %u partitions it leads): %s for "
                  "some of them (which ones was not narrowed down further)",
                  j->leader, what, nvague, rd_kafka_err2str(vague));
}

/* The log end (and start) offsets of the partitions wanted, asked of each
 * partition's leader in parallel; what is not read stays unknown and is
 * warned about. */
void live_collect_log_offsets(struct live_client *c)
{
    struct model *m = c->m;
    if (live_expired(c))
        return;
    /* partitions wanted, grouped by leader */
    uint32_t nb = m->nbrokers;
    rd_kafka_topic_partition_list_t **by = xcalloc(nb + 1, sizeof *by);
    bool any =
        c->o.offsets_scope == LIVE_OFFSETS_GROUPS ? want_group_parts(m, by) : want_all_parts(m, by);
    if (!any) {
        free(by);
        return;
    }
    struct opool pool = {.c = c};
    plan_jobs(c, by, nb, &pool);
    free(by);
    run_pool(c, &pool);

    struct tproblem *probs = NULL;
    uint32_t nprobs = 0, capprobs = 0;
    for (uint32_t i = 0; i < pool.njobs; i++) {
        struct ojob *j = &pool.jobs[i];
        take_job(c, j, &probs, &nprobs, &capprobs);
        rd_kafka_topic_partition_list_destroy(j->l);
        free(j->state);
    }
    report_topics(c, probs, nprobs);
    free(probs);
    free(pool.jobs);
}
