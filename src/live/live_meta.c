/*
 * live_meta.c - brokers, topics and partitions from one Metadata request.
 *
 * librdkafka 2.0.2's metadata has neither racks nor offline replicas:
 *   - racks come from DescribeConfigs(BROKER) broker.rack (live_configs.c);
 *   - a replica is offline when its broker is absent from the metadata
 *     broker list (which lists the live, registered brokers).  Such a
 *     broker is added to the model with down = true.  This matches
 *     Kafka's own definition closely (offline = broker not alive, or its
 *     log directory failed); a replica on a failed log directory of a live
 *     broker cannot be seen through this librdkafka version.
 * The cluster id and controller come from librdkafka's cached view of the
 * same response (rd_kafka_clusterid / rd_kafka_controllerid).
 */
#include "live/live_internal.h"
#include "util/buf.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static int cmp_topic(const void *a, const void *b)
{
    const rd_kafka_metadata_topic_t *x = *(const rd_kafka_metadata_topic_t *const *)a;
    const rd_kafka_metadata_topic_t *y = *(const rd_kafka_metadata_topic_t *const *)b;
    return strcmp(x->topic, y->topic);
}

static int cmp_part(const void *a, const void *b)
{
    const rd_kafka_metadata_partition_t *x = *(const rd_kafka_metadata_partition_t *const *)a;
    const rd_kafka_metadata_partition_t *y = *(const rd_kafka_metadata_partition_t *const *)b;
    return (x->id > y->id) - (x->id < y->id);
}

static int cmp_broker(const void *a, const void *b)
{
    const struct broker *x = *(const struct broker *const *)a;
    const struct broker *y = *(const struct broker *const *)b;
    return (x->id > y->id) - (x->id < y->id);
}

static bool up(const rd_kafka_metadata_t *md, int32_t id)
{
    for (int i = 0; i < md->broker_cnt; i++)
        if (md->brokers[i].id == id)
            return true;
    return false;
}

static int32_t *copy_ids(struct model *m, const int32_t *v, int n)
{
    int32_t *d = ARENA_ARRAY(&m->arena, int32_t, n ? (size_t)n : 1);
    if (n)
        memcpy(d, v, sizeof *d * (size_t)n);
    return d;
}

static void unreachable(struct live_client *c, rd_kafka_resp_err_t err)
{
    struct buf b = BUF_INIT;
    const char *hint;
    live_fail_text(c, &b, &hint);
    struct diag *d = diag_add(&c->m->diags, DIAG_ERROR, DK_CLUSTER, LOC_NONE,
                              "cannot reach the Kafka cluster at %s: %s%s%s", c->target,
                              rd_kafka_err2str(err), b.len ? ": " : "", buf_str(&b));
    if (!hint && err == RD_KAFKA_RESP_ERR__TIMED_OUT)
        hint = "no broker answered within --timeout: check -b, the network path, and "
               "security.protocol (a TLS or SASL listener does not answer plaintext)";
    if (!hint)
        hint = "check -b / KAFKA_BOOTSTRAP_SERVERS and the security settings (-X, "
               "--command-config)";
    diag_hint(d, "%s", hint);
    buf_release(&b);
}

int live_collect_metadata(struct live_client *c)
{
    struct model *m = c->m;
    const rd_kafka_metadata_t *md = NULL;
    c->st->calls++;
    /* In slices while no broker is usable: rd_kafka_metadata() waits its
     * whole timeout for one, but once every bootstrap address has failed
     * for LIVE_ALL_DOWN_GRACE_MS the cluster is reported unreachable (and
     * every report still written) instead of at the deadline.  A slice
     * that timed out with a broker usable (__TIMED_OUT, a request sent)
     * gets the rest of the deadline. */
    rd_kafka_resp_err_t err;
    for (;;) {
        int left = live_remaining(c);
        int slice = left > 500 ? 500 : left;
        err = rd_kafka_metadata(c->rk, 1, NULL, &md, slice ? slice : 1);
        if (err == RD_KAFKA_RESP_ERR__TIMED_OUT && live_remaining(c) > 0) {
            left = live_remaining(c);
            err = rd_kafka_metadata(c->rk, 1, NULL, &md, left ? left : 1);
        }
        if (err != RD_KAFKA_RESP_ERR__TRANSPORT || live_expired(c) ||
            live_all_down_for(c) >= LIVE_ALL_DOWN_GRACE_MS)
            break;
    }
    if (err) {
        unreachable(c, err);
        return -1;
    }
    c->meta_broker = md->orig_broker_id;
    for (int i = 0; i < md->broker_cnt; i++) {
        struct broker *b = model_broker(m, md->brokers[i].id, LOC_NONE, NULL);
        b->host = arena_strdup(&m->arena, md->brokers[i].host);
        b->port = md->brokers[i].port;
    }
    char *cid = rd_kafka_clusterid(c->rk, 0);
    if (cid) {
        m->cluster.cluster_id = arena_strdup(&m->arena, cid);
        rd_kafka_mem_free(c->rk, cid);
    }
    m->cluster.controller = rd_kafka_controllerid(c->rk, 0);

    const rd_kafka_metadata_topic_t **tv = calloc((size_t)md->topic_cnt + 1, sizeof *tv);
    int nt = 0;
    for (int i = 0; i < md->topic_cnt; i++)
        if (!c->o.topic_filter || fnmatch(c->o.topic_filter, md->topics[i].topic, 0) == 0)
            tv[nt++] = &md->topics[i];
    qsort(tv, (size_t)nt, sizeof *tv, cmp_topic);
    const rd_kafka_metadata_partition_t **pv = NULL;
    int cap = 0;
    for (int i = 0; i < nt; i++) {
        const rd_kafka_metadata_topic_t *mt = tv[i];
        struct topic *t = model_topic(m, mt->topic, LOC_NONE, NULL);
        t->declared = true;
        t->live_seen = true;
        t->internal = strcmp(mt->topic, "__consumer_offsets") == 0 ||
                      strcmp(mt->topic, "__transaction_state") == 0;
        if (mt->err && mt->partition_cnt == 0) {
            live_warn(c, &t->o, "metadata: %s", rd_kafka_err2str(mt->err));
            continue;
        }
        if (mt->partition_cnt > cap) {
            cap = mt->partition_cnt;
            free(pv);
            pv = calloc((size_t)cap, sizeof *pv);
        }
        for (int j = 0; j < mt->partition_cnt; j++)
            pv[j] = &mt->partitions[j];
        if (mt->partition_cnt > 1)
            qsort(pv, (size_t)mt->partition_cnt, sizeof *pv, cmp_part);
        int32_t minrf = -1;
        for (int j = 0; j < mt->partition_cnt; j++) {
            const rd_kafka_metadata_partition_t *mp = pv[j];
            struct partition *p = model_add_partition(m, t, mp->id);
            p->leader = mp->leader;
            p->replicas = copy_ids(m, mp->replicas, mp->replica_cnt);
            p->nreplicas = (uint16_t)mp->replica_cnt;
            p->isr = copy_ids(m, mp->isrs, mp->isr_cnt);
            p->nisr = (uint16_t)mp->isr_cnt;
            int off = 0;
            for (int r = 0; r < mp->replica_cnt; r++)
                off += !up(md, mp->replicas[r]);
            if (off) {
                p->offline = ARENA_ARRAY(&m->arena, int32_t, (size_t)off);
                for (int r = 0; r < mp->replica_cnt; r++)
                    if (!up(md, mp->replicas[r]))
                        p->offline[p->noffline++] = mp->replicas[r];
            }
            if (minrf < 0 || mp->replica_cnt < minrf)
                minrf = mp->replica_cnt;
        }
        t->partitions = mt->partition_cnt;
        /* the smallest replica count of its partitions: the topic's weakest point */
        t->rf = minrf;
    }
    free(pv);
    free(tv);
    /* topics the files declare (lint FILES -b) that the whole topic list of
     * the cluster leaves out: known absent, not unread (no DescribeConfigs
     * for them, and a warning at the declaration that leaves the live read
     * complete) */
    for (uint32_t i = 0; !c->o.topic_filter && i < m->ntopics; i++) {
        struct topic *t = m->topics[i];
        if (t->live_seen || !t->declared || !t->o.loc.file)
            continue;
        diag_add(&m->diags, DIAG_WARNING, DK_INPUT, t->o.loc,
                 "topic %s is declared here but does not exist on the cluster at %s", t->o.name,
                 c->target);
    }
    /* replica holders missing from the broker list: offline brokers */
    for (uint32_t i = 0; i < m->ntopics; i++) {
        const struct topic *t = m->topics[i];
        for (uint32_t j = 0; j < t->nparts; j++) {
            const struct partition *p = t->parts[j];
            for (uint16_t r = 0; r < p->noffline; r++) {
                bool created;
                struct broker *b = model_broker(m, p->offline[r], LOC_NONE, &created);
                if (created) {
                    b->down = true;
                    b->o.error = "not in the cluster metadata (offline)";
                }
            }
        }
    }
    if (m->nbrokers > 1)
        qsort(m->brokers, m->nbrokers, sizeof *m->brokers, cmp_broker);
    for (uint32_t i = 0; i < m->nbrokers; i++)
        m->brokers[i]->o.index = i;
    rd_kafka_metadata_destroy(md);
    return 0;
}
