/*
 * live_configs.c - DescribeConfigs for every broker and topic.
 *
 * librdkafka 2.0.2 sends a DescribeConfigs request that names a BROKER
 * resource to that broker, allows one BROKER resource per request, and
 * rejects the empty-name (cluster default) resource.  We send one request
 * per live broker with that broker's resource, and the topics in chunks
 * of at most LIVE_TOPICS_PER_REQUEST to the broker that answered our
 * Metadata request (known to be reachable), named with AdminOptions
 * broker.  So every answer comes from a known broker, which matters: a
 * topic's STATIC_BROKER_CONFIG and DYNAMIC_BROKER_CONFIG values are those
 * of the broker that answered (apache/kafka
 * core/src/main/scala/kafka/server/ConfigHelper.scala@3.8.0 l.174-221),
 * and the setting records it.  Requests: brokers +
 * ceil(topics / LIVE_TOPICS_PER_REQUEST).
 *
 * The requests are sent first and their answers collected last
 * (live_configs_start / live_configs_finish), so that a broker that does
 * not answer holds up nothing else: groups and log offsets are read
 * meanwhile.
 *
 * Cluster-wide dynamic defaults (kafka-configs --entity-default) are read
 * from the DYNAMIC_DEFAULT_BROKER_CONFIG synonyms of the broker answers and
 * set on the cluster object.  broker.rack gives the broker's rack.
 *
 * A topic request that fails as a whole for a transport reason (broker
 * gone, timeout) is retried once on a broker that answered, if time
 * remains; a broker's own resource is reported as unreadable on the
 * broker.
 */
#include "live/live_internal.h"
#include "model/effective.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_TOPICS_PER_REQUEST 200

struct creq {
    char *error;        /* request-level failure */
    bool transport;     /* failed for a reason another broker might not have */
    int32_t broker_res; /* broker whose BROKER resource is in the request, or -1 */
    uint32_t t0, tn;    /* topic range in the topic vector */
    int32_t target;
    int tries;
    bool done, failed;
};

struct live_configs {
    struct live_client *c;
    struct topic **tv;
    uint32_t nt;
    struct broker **bv; /* live brokers */
    uint32_t nb;
    struct creq *rq;
    uint32_t nrq, pending;
    rd_kafka_queue_t *q;
    bool *answered; /* per bv index: its own request succeeded */
};
#define cstate live_configs

static void send_req(struct cstate *s, uint32_t i, int timeout)
{
    struct creq *r = &s->rq[i];
    uint32_t n = r->tn + (r->broker_res >= 0);
    rd_kafka_ConfigResource_t **res = xcalloc(n ? n : 1, sizeof *res);
    uint32_t k = 0;
    if (r->broker_res >= 0) {
        char id[16];
        snprintf(id, sizeof id, "%d", r->broker_res);
        res[k++] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_BROKER, id);
    }
    for (uint32_t j = 0; j < r->tn; j++)
        res[k++] = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, s->tv[r->t0 + j]->o.name);
    rd_kafka_AdminOptions_t *ao = live_admin_opts(s->c, s->q, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
                                                  timeout, r->target, (void *)(uintptr_t)(i + 1));
    rd_kafka_DescribeConfigs(s->c->rk, res, k, ao, s->q);
    rd_kafka_AdminOptions_destroy(ao);
    rd_kafka_ConfigResource_destroy_array(res, k);
    free(res);
    r->tries++;
    r->done = r->failed = false;
    s->pending++;
}

static uint8_t source_of(rd_kafka_ConfigSource_t src)
{
    return (int)src >= 0 && (int)src <= (int)LS_BROKER_LOGGER ? (uint8_t)src : LS_UNKNOWN;
}

static struct setting *put(struct model *m, struct object *o, const char *name, const char *value,
                           rd_kafka_ConfigSource_t src, bool sensitive, int32_t broker)
{
    struct setting *st =
        object_set_key(m, o, name, sensitive ? NULL : value, ORIG_LIVE, LOC_NONE, LOC_NONE);
    st->live_source = source_of(src);
    st->broker = broker;
    if (sensitive) {
        st->sensitive = true;
        st->value = NULL;
    }
    return st;
}

static void apply_broker(struct cstate *s, struct broker *b, const rd_kafka_ConfigEntry_t **ev,
                         size_t n)
{
    struct model *m = s->c->m;
    for (size_t i = 0; i < n; i++) {
        const rd_kafka_ConfigEntry_t *e = ev[i];
        const char *name = rd_kafka_ConfigEntry_name(e);
        const char *value = rd_kafka_ConfigEntry_value(e);
        bool sens = rd_kafka_ConfigEntry_is_sensitive(e);
        put(m, &b->o, name, value, rd_kafka_ConfigEntry_source(e), sens, b->id);
        if (strcmp(name, "broker.rack") == 0 && value && *value && !sens)
            b->rack = arena_strdup(&m->arena, value);
        size_t ns = 0;
        const rd_kafka_ConfigEntry_t **syn = rd_kafka_ConfigEntry_synonyms(e, &ns);
        for (size_t j = 0; j < ns; j++) {
            if (rd_kafka_ConfigEntry_source(syn[j]) !=
                RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG)
                continue;
            const char *sn = rd_kafka_ConfigEntry_name(syn[j]);
            if (object_get(&m->cluster.o, sn))
                continue;
            put(m, &m->cluster.o, sn, rd_kafka_ConfigEntry_value(syn[j]),
                RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG,
                sens || rd_kafka_ConfigEntry_is_sensitive(syn[j]), b->id);
        }
    }
}

static void apply_topic(struct cstate *s, struct topic *t, const rd_kafka_ConfigEntry_t **ev,
                        size_t n, int32_t broker)
{
    for (size_t i = 0; i < n; i++)
        put(s->c->m, &t->o, rd_kafka_ConfigEntry_name(ev[i]), rd_kafka_ConfigEntry_value(ev[i]),
            rd_kafka_ConfigEntry_source(ev[i]), rd_kafka_ConfigEntry_is_sensitive(ev[i]), broker);
}

static void handle(struct cstate *s, rd_kafka_event_t *ev)
{
    uintptr_t idx = (uintptr_t)rd_kafka_event_opaque(ev);
    if (rd_kafka_event_type(ev) != RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT || idx == 0 ||
        idx > s->nrq)
        return;
    struct creq *r = &s->rq[idx - 1];
    if (r->done)
        return;
    r->done = true;
    s->pending--;
    struct model *m = s->c->m;
    if (rd_kafka_event_error(ev)) {
        r->failed = true;
        r->transport = rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__TIMED_OUT ||
                       rd_kafka_event_error(ev) == RD_KAFKA_RESP_ERR__TRANSPORT;
        free(r->error);
        r->error = xstrdup(rd_kafka_event_error_string(ev));
        if (r->broker_res >= 0) {
            struct broker *b = model_find_broker(m, r->broker_res);
            live_warn(s->c, b ? &b->o : NULL, "DescribeConfigs failed: %s",
                      rd_kafka_event_error_string(ev));
            r->broker_res = -1; /* not retried elsewhere: it is this broker's own view */
        }
        return;
    }
    const rd_kafka_DescribeConfigs_result_t *res = rd_kafka_event_DescribeConfigs_result(ev);
    size_t n = 0;
    const rd_kafka_ConfigResource_t **rv = rd_kafka_DescribeConfigs_result_resources(res, &n);
    /* which asked resources the answer names: one it leaves out is not
     * answered - its configuration is unknown, never the defaults */
    bool *seen = xcalloc(r->tn + 1, sizeof *seen);
    bool broker_seen = false;
    for (size_t i = 0; i < n; i++) {
        if (!rv[i])
            continue; /* librdkafka 2.0.2 leaves a NULL slot for a resource left out */
        const char *nm = rd_kafka_ConfigResource_name(rv[i]);
        if (rd_kafka_ConfigResource_type(rv[i]) == RD_KAFKA_RESOURCE_BROKER) {
            broker_seen |= r->broker_res >= 0 && (int32_t)strtol(nm, NULL, 10) == r->broker_res;
            continue;
        }
        for (uint32_t j = 0; j < r->tn; j++)
            if (!seen[j] && strcmp(s->tv[r->t0 + j]->o.name, nm) == 0) {
                seen[j] = true;
                break;
            }
    }
    for (uint32_t j = 0; j < r->tn; j++)
        if (!seen[j])
            live_warn(s->c, &s->tv[r->t0 + j]->o,
                      "DescribeConfigs: the answer leaves it out; its configuration is unknown");
    if (r->broker_res >= 0 && !broker_seen) {
        struct broker *b = model_find_broker(m, r->broker_res);
        live_warn(s->c, b ? &b->o : NULL,
                  "DescribeConfigs: the answer leaves it out; its configuration is unknown");
    }
    free(seen);
    for (size_t i = 0; i < n; i++) {
        if (!rv[i])
            continue;
        const char *name = rd_kafka_ConfigResource_name(rv[i]);
        struct object *o = NULL;
        struct broker *b = NULL;
        struct topic *t = NULL;
        if (rd_kafka_ConfigResource_type(rv[i]) == RD_KAFKA_RESOURCE_BROKER) {
            b = model_find_broker(m, (int32_t)strtol(name, NULL, 10));
            o = b ? &b->o : NULL;
        } else {
            t = model_find_topic(m, name);
            o = t ? &t->o : NULL;
        }
        if (!o)
            continue;
        if (rd_kafka_ConfigResource_error(rv[i])) {
            const char *es = rd_kafka_ConfigResource_error_string(rv[i]);
            live_warn(s->c, o, "DescribeConfigs: %s%s%s",
                      rd_kafka_err2name(rd_kafka_ConfigResource_error(rv[i])), es ? ": " : "",
                      es ? es : "");
            continue;
        }
        size_t ne = 0;
        const rd_kafka_ConfigEntry_t **ents = rd_kafka_ConfigResource_configs(rv[i], &ne);
        if (b) {
            apply_broker(s, b, ents, ne);
            for (uint32_t k = 0; k < s->nb; k++)
                if (s->bv[k] == b)
                    s->answered[k] = true;
        } else {
            apply_topic(s, t, ents, ne, r->target);
        }
    }
    r->tn = 0; /* answered */
}

/* Wait for the answers, then apply them in request order (brokers by id,
 * then topic chunks), whatever order they arrived in: the same cluster
 * gives the same model, warnings in the same order, and the cluster-wide
 * defaults attributed to the lowest broker id that reported them. */
static void drain(struct cstate *s)
{
    rd_kafka_event_t **evs = xcalloc(s->nrq + 1, sizeof *evs);
    uint32_t waiting = s->pending;
    while (waiting) {
        rd_kafka_event_t *ev = live_wait(s->c, s->q);
        if (!ev)
            break;
        uintptr_t idx = (uintptr_t)rd_kafka_event_opaque(ev);
        if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT && idx &&
            idx <= s->nrq && !s->rq[idx - 1].done && !evs[idx - 1]) {
            evs[idx - 1] = ev;
            waiting--;
        } else {
            rd_kafka_event_destroy(ev);
        }
    }
    for (uint32_t i = 0; i < s->nrq; i++)
        if (evs[i]) {
            handle(s, evs[i]);
            rd_kafka_event_destroy(evs[i]);
        }
    free(evs);
}

struct live_configs *live_configs_start(struct live_client *c)
{
    struct model *m = c->m;
    struct cstate *s = xcalloc(1, sizeof *s);
    s->c = c;
    s->bv = xcalloc(m->nbrokers + 1, sizeof *s->bv);
    s->answered = xcalloc(m->nbrokers + 1, sizeof *s->answered);
    for (uint32_t i = 0; i < m->nbrokers; i++)
        if (!m->brokers[i]->down)
            s->bv[s->nb++] = m->brokers[i];
    s->tv = xcalloc(m->ntopics + 1, sizeof *s->tv);
    for (uint32_t i = 0; i < m->ntopics; i++)
        if (!m->topics[i]->o.error && m->topics[i]->live_seen)
            s->tv[s->nt++] = m->topics[i];
    s->q = live_queue_new(c);
    if (!s->nb)
        return s;
    /* topics go to the broker that answered the metadata request */
    int32_t home = c->meta_broker;
    if (!model_find_broker(m, home) || model_find_broker(m, home)->down)
        home = s->bv[0]->id;
    uint32_t nchunks = (s->nt + LIVE_TOPICS_PER_REQUEST - 1) / LIVE_TOPICS_PER_REQUEST;
    s->nrq = s->nb + nchunks;
    s->rq = xcalloc(s->nrq, sizeof *s->rq);
    for (uint32_t i = 0; i < s->nrq; i++) {
        struct creq *r = &s->rq[i];
        if (i < s->nb) {
            r->broker_res = s->bv[i]->id;
            r->target = s->bv[i]->id;
        } else {
            uint32_t k = i - s->nb;
            r->broker_res = -1;
            r->target = home;
            r->t0 = k * LIVE_TOPICS_PER_REQUEST;
            r->tn =
                s->nt - r->t0 < LIVE_TOPICS_PER_REQUEST ? s->nt - r->t0 : LIVE_TOPICS_PER_REQUEST;
        }
    }
    int left = live_remaining(c);
    for (uint32_t i = 0; i < s->nrq; i++)
        send_req(s, i, left);
    return s;
}

void live_configs_finish(struct live_configs *s)
{
    struct live_client *c = s->c;
    struct model *m = c->m;
    drain(s);
    if (!live_expired(c)) {
        uint32_t retried = 0;
        for (uint32_t i = 0; i < s->nrq; i++) {
            struct creq *r = &s->rq[i];
            if (!r->failed || !r->tn || !r->transport)
                continue;
            /* a broker that answered for itself, other than the one that failed */
            int32_t to = -1;
            for (uint32_t k = 0; k < s->nb && to < 0; k++)
                if (s->answered[k] && s->bv[k]->id != r->target)
                    to = s->bv[k]->id;
            if (to < 0)
                continue;
            r->target = to;
            r->broker_res = -1;
            send_req(s, i, live_remaining(c));
            retried++;
        }
        if (retried)
            drain(s);
    }
    /* whatever has no answer now: one line per topic while that stays
     * readable, else one line for all of them */
    uint32_t nmiss = 0;
    const char *why = NULL;
    for (uint32_t i = 0; i < s->nrq; i++) {
        struct creq *r = &s->rq[i];
        if (r->done && !r->failed)
            continue;
        if (!r->done && r->broker_res >= 0) {
            struct broker *b = model_find_broker(m, r->broker_res);
            live_warn(c, b ? &b->o : NULL, "DescribeConfigs: no answer before the deadline");
        }
        nmiss += r->tn;
        if (!why)
            why = r->done && r->error ? r->error : "no answer before the deadline";
    }
    for (uint32_t i = 0; i < s->nrq; i++) {
        struct creq *r = &s->rq[i];
        if (r->done && !r->failed)
            continue;
        const char *w = r->done && r->error ? r->error : "no answer before the deadline";
        for (uint32_t j = 0; j < r->tn; j++) {
            struct object *o = &s->tv[r->t0 + j]->o;
            if (nmiss <= 5) {
                live_warn(c, o, "DescribeConfigs: %s", w);
            } else {
                o->error = arena_printf(&m->arena, "DescribeConfigs: %s", w);
                c->st->errors++;
            }
        }
    }
    if (nmiss > 5)
        diag_add(&m->diags, DIAG_WARNING, DK_CLUSTER, LOC_NONE,
                 "DescribeConfigs: the configuration of %u topics could not be read (%s); "
                 "their settings are unknown to the rules",
                 nmiss, why);
    live_queue_release(c, s->q);
    for (uint32_t i = 0; i < s->nrq; i++)
        free(s->rq[i].error);
    free(s->rq);
    free(s->bv);
    free(s->tv);
    free(s->answered);
    free(s);
}
