/*
 * live.c - connect, run one collection, count requests, explain failures.
 *
 * The collection order is fixed (see live.h): metadata, then DescribeConfigs
 * requests sent, then groups and committed offsets, then log start/end
 * offsets, then the DescribeConfigs answers collected.  Committed
 * offsets are read before log-end offsets, so lag = end - committed can
 * only be over-estimated by what was produced in between, never negative.
 *
 * Requests are counted from librdkafka's "protocol" debug log ("Sent
 * XxxRequest ..."), which is the only place librdkafka 2.0.2 exposes what
 * actually went on the wire; the log lines are consumed here and not
 * printed unless the user asked for -X debug=... themselves.
 */
#include "live/live_internal.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int live_remaining(const struct live_client *c)
{
    int64_t r = c->deadline - mono_ms();
    return r < 0 ? 0 : r > INT32_MAX ? INT32_MAX : (int)r;
}

int live_share_ms(const struct live_client *c)
{
    int share = c->o.timeout_ms / 4;
    if (share < 1000)
        share = 1000;
    int left = live_remaining(c);
    return share < left ? share : left;
}

bool live_expired(const struct live_client *c) { return live_remaining(c) <= 0; }

void live_opts_init(struct live_opts *o)
{
    memset(o, 0, sizeof *o);
    o->timeout_ms = 30000;
    o->want_configs = o->want_groups = o->want_offsets = true;
    o->group_window = 32;
}

void live_warn(struct live_client *c, struct object *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (o && !o->error)
        o->error = arena_strdup(&c->m->arena, buf_str(&b));
    if (o)
        diag_add(&c->m->diags, DIAG_WARNING, DK_CLUSTER, LOC_NONE, "%s %s: %s",
                 obj_kind_name((enum obj_kind)o->kind),
                 o->kind == OBJ_BROKER ? o->name + 7 /* "broker " */ : o->name, buf_str(&b));
    else
        diag_add(&c->m->diags, DIAG_WARNING, DK_CLUSTER, LOC_NONE, "%s", buf_str(&b));
    buf_release(&b);
    if (c->st)
        c->st->errors++;
}

/* ---- result queues and outstanding admin requests ------------------------------
 *
 * librdkafka 2.0.2 must not be destroyed while an admin request is in
 * flight.  Its termination path runs the fan-out workers of requests that
 * are still waiting for a broker (DescribeConsumerGroups: one sub-request
 * per group through FindCoordinator; ListConsumerGroups: one per broker)
 * and delivers some sub-results twice or after the fan-out was freed:
 *   rd_kafka_DescribeConsumerGroups_response_merge: Assertion `orig_pos != -1'
 *   rd_list_set: Assertion `!rl->rl_elems[idx]'
 *   SIGSEGV, or under LeakSanitizer a leaked fan-out op (ListConsumerGroups)
 * (seen with tests/cli/test_live_timeout.sh: a broker stalls the request,
 * our deadline and the request timeout expire together, the handle is
 * destroyed while the timeout result is on its way).  The coordinator
 * path has more of these bugs that were only fixed long after 2.0.2:
 * confluentinc/librdkafka#4605 (rd_kafka_enq_once_del_source_return:
 * Assertion `eonce->refcnt > 0', DescribeConsumerGroups and
 * ListConsumerGroupOffsets under request timeouts), fix in PR #5397 (2026,
 * unreleased).  librdkafka's own timeout path (the request timer firing
 * on a live handle) is the well-trodden one.  So: every admin request gets
 * a request timeout within our deadline, every request is counted until
 * its result has been polled, a step that gives up at the deadline
 * releases its queue instead of destroying it, and live_close() waits for
 * the results that are due (they come at the latest when the deadline
 * passes) before it destroys the handle - or, if librdkafka never
 * delivers them, does not destroy it at all. */

static bool admin_result(rd_kafka_event_t *ev)
{
    return rd_kafka_event_type(ev) >= RD_KAFKA_EVENT_CREATETOPICS_RESULT;
}

static struct live_queue *find_queue(struct live_client *c, rd_kafka_queue_t *q)
{
    for (uint32_t i = 0; i < c->nqueues; i++)
        if (c->queues[i].q == q)
            return &c->queues[i];
    return NULL;
}

rd_kafka_queue_t *live_queue_new(struct live_client *c)
{
    if (c->nqueues == c->capqueues) {
        c->capqueues = c->capqueues ? 2 * c->capqueues : 8;
        c->queues = xreallocarray(c->queues, c->capqueues, sizeof *c->queues);
    }
    struct live_queue *lq = &c->queues[c->nqueues++];
    memset(lq, 0, sizeof *lq);
    lq->q = rd_kafka_queue_new(c->rk);
    return lq->q;
}

static void drop_queue(struct live_client *c, uint32_t i)
{
    rd_kafka_queue_destroy(c->queues[i].q);
    c->queues[i] = c->queues[--c->nqueues];
}

void live_queue_release(struct live_client *c, rd_kafka_queue_t *q)
{
    struct live_queue *lq = find_queue(c, q);
    if (!lq)
        return;
    lq->released = true;
    if (!lq->outstanding)
        drop_queue(c, (uint32_t)(lq - c->queues));
}

void live_note_error(struct live_client *c, rd_kafka_resp_err_t err)
{
    if (err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE)
        c->timed_out = true;
}

static void count_result(struct live_client *c, rd_kafka_queue_t *q, rd_kafka_event_t *ev)
{
    struct live_queue *lq = find_queue(c, q);
    if (lq && lq->outstanding && admin_result(ev))
        lq->outstanding--;
    if (admin_result(ev))
        live_note_error(c, rd_kafka_event_error(ev));
}

/* Collect the late results of released queues (and drop those queues)
 * until nothing is outstanding or until (monotonic ms).  Returns whether
 * nothing is outstanding. */
static bool settle(struct live_client *c, int64_t until)
{
    for (;;) {
        rd_kafka_queue_t *wait_on = NULL;
        for (uint32_t i = 0; i < c->nqueues;) {
            struct live_queue *lq = &c->queues[i];
            rd_kafka_event_t *ev;
            while (lq->outstanding && (ev = rd_kafka_queue_poll(lq->q, 0))) {
                count_result(c, lq->q, ev);
                rd_kafka_event_destroy(ev);
            }
            if (lq->released && !lq->outstanding) {
                drop_queue(c, i);
                continue;
            }
            if (lq->outstanding && !wait_on)
                wait_on = lq->q;
            i++;
        }
        if (!wait_on)
            return true;
        int64_t left = until - mono_ms();
        if (left <= 0)
            return false;
        rd_kafka_event_t *ev = rd_kafka_queue_poll(wait_on, left > 20 ? 20 : (int)left);
        if (ev) {
            count_result(c, wait_on, ev);
            rd_kafka_event_destroy(ev);
        }
        rd_kafka_poll(c->rk, 0);
    }
}

rd_kafka_AdminOptions_t *live_admin_opts(struct live_client *c, rd_kafka_queue_t *q,
                                         rd_kafka_admin_op_t op, int timeout_ms, int32_t broker,
                                         void *opaque)
{
    char err[256];
    rd_kafka_AdminOptions_t *ao = rd_kafka_AdminOptions_new(c->rk, op);
    if (timeout_ms == LIVE_NO_TIMEOUT) {
        timeout_ms = LIVE_COORD_REQUEST_TIMEOUT_MS; /* see live_internal.h */
    } else {
        /* never past our deadline: its result is due when the deadline passes */
        int left = live_remaining(c);
        if (timeout_ms > left)
            timeout_ms = left;
        if (timeout_ms < 1)
            timeout_ms = 1;
    }
    rd_kafka_AdminOptions_set_request_timeout(ao, timeout_ms, err, sizeof err);
    if (broker >= 0)
        rd_kafka_AdminOptions_set_broker(ao, broker, err, sizeof err);
    rd_kafka_AdminOptions_set_opaque(ao, opaque);
    c->st->calls++;
    struct live_queue *lq = find_queue(c, q);
    if (lq)
        lq->outstanding++;
    return ao;
}

rd_kafka_event_t *live_wait(struct live_client *c, rd_kafka_queue_t *q)
{
    return live_wait_ms(c, q, INT32_MAX);
}

rd_kafka_event_t *live_wait_ms(struct live_client *c, rd_kafka_queue_t *q, int max_ms)
{
    int64_t until = mono_ms() + (max_ms < 0 ? 0 : max_ms);
    for (;;) {
        int left = live_remaining(c);
        int64_t mine = until - mono_ms();
        if (mine < left)
            left = mine < 0 ? 0 : (int)mine;
        rd_kafka_event_t *ev;
        if (left <= 0) {
            ev = rd_kafka_queue_poll(q, 0); /* what already arrived still counts */
            if (ev)
                count_result(c, q, ev);
            return ev;
        }
        ev = rd_kafka_queue_poll(q, left > 200 ? 200 : left);
        if (ev) {
            count_result(c, q, ev);
            return ev;
        }
        /* serve error callbacks and logs while we wait */
        rd_kafka_poll(c->rk, 0);
    }
}

/* ---- logging, request counting and failure memory ------------------------------ */

static void count_sent(struct live_client *c, const char *p)
{
    /* "Sent MetadataRequest (v9, ..." */
    const char *name = p + 5;
    const char *end = strstr(name, "Request");
    if (!end || end == name || end - name >= 31)
        return;
    size_t n = (size_t)(end - name);
    c->sent++;
    for (uint32_t i = 0; i < c->napi; i++)
        if (strlen(c->api[i].api) == n && strncmp(c->api[i].api, name, n) == 0) {
            c->api[i].n++;
            return;
        }
    if (c->napi < LIVE_MAX_APIS) {
        memcpy(c->api[c->napi].api, name, n);
        c->api[c->napi].api[n] = '\0';
        c->api[c->napi++].n = 1;
    }
}

void live_count_requests(struct live_client *c, const char *api, uint32_t n)
{
    pthread_mutex_lock(&c->mu);
    c->sent += n;
    uint32_t i;
    for (i = 0; i < c->napi; i++)
        if (strcmp(c->api[i].api, api) == 0)
            break;
    if (i == c->napi && c->napi < LIVE_MAX_APIS) {
        snprintf(c->api[i].api, sizeof c->api[i].api, "%s", api);
        c->api[c->napi++].n = 0;
    }
    if (i < c->napi)
        c->api[i].n += n;
    pthread_mutex_unlock(&c->mu);
}

static void remember_fail(struct live_client *c, const char *buf)
{
    if (strncmp(buf, "[thrd:", 6) == 0) { /* error_cb reasons start with the thread */
        const char *e = strstr(buf, "]: ");
        if (e)
            buf = e + 3;
    }
    const char *sep = strstr(buf, ": ");
    if (!sep)
        return;
    size_t wn = (size_t)(sep - buf);
    if (wn >= sizeof c->fails[0].who)
        wn = sizeof c->fails[0].who - 1;
    uint32_t i;
    for (i = 0; i < c->nfails; i++)
        if (strlen(c->fails[i].who) == wn && strncmp(c->fails[i].who, buf, wn) == 0)
            break;
    if (i == c->nfails) {
        if (c->nfails == LIVE_MAX_FAILS)
            return;
        c->nfails++;
        memcpy(c->fails[i].who, buf, wn);
        c->fails[i].who[wn] = '\0';
    }
    /* An HTTP server answers a Kafka request with "HTTP/1.1 ...", whose
     * first four bytes, read as the big-endian int32 length of a Kafka
     * response, are 1213486160 (0x48545450): librdkafka's advice to
     * increase receive.message.max.bytes would send the user the wrong way */
    if (strstr(sep + 2, "Invalid response size 1213486160"))
        snprintf(c->fails[i].msg, sizeof c->fails[i].msg, "%s",
                 "the port answers HTTP, not the Kafka protocol (its reply begins with "
                 "\"HTTP\", read as a response size of 1213486160)");
    else
        snprintf(c->fails[i].msg, sizeof c->fails[i].msg, "%s", sep + 2);
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    struct live_client *c = rd_kafka_opaque(rk);
    if (!c)
        return;
    const char *sent = strstr(buf, ": Sent ");
    pthread_mutex_lock(&c->mu);
    if (sent) {
        count_sent(c, sent + 2);
        c->all_down_at = 0; /* a broker is up */
    } else if (level <= 4 && (strcmp(fac, "FAIL") == 0 || strcmp(fac, "ERROR") == 0 ||
                              strcmp(fac, "AUTHFAIL") == 0 || strcmp(fac, "SSL") == 0 ||
                              strcmp(fac, "SASL") == 0 || strcmp(fac, "BROKERFAIL") == 0))
        remember_fail(c, buf);
    pthread_mutex_unlock(&c->mu);
    if (c->user_debug && c->o.log) {
        char line[1200];
        snprintf(line, sizeof line, "%%%d|%s|%s", level, fac, buf);
        c->o.log(c->o.log_arg, line);
    }
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
    (void)rk;
    struct live_client *c = opaque;
    if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
        /* the per-broker failures say more; this says when to give up */
        pthread_mutex_lock(&c->mu);
        if (!c->all_down_at)
            c->all_down_at = mono_ms();
        pthread_mutex_unlock(&c->mu);
        return;
    }
    pthread_mutex_lock(&c->mu);
    remember_fail(c, reason);
    pthread_mutex_unlock(&c->mu);
}

int64_t live_all_down_for(struct live_client *c)
{
    rd_kafka_poll(c->rk, 0); /* error_cb runs from here */
    pthread_mutex_lock(&c->mu);
    int64_t t = c->all_down_at;
    pthread_mutex_unlock(&c->mu);
    return t ? mono_ms() - t : -1;
}

/* A readable "why" for a failed broker: hint text, or NULL. */
static const char *live_hint_for(const char *msg)
{
    static const struct {
        const char *needle, *hint;
    } hints[] = {
        {"the port answers HTTP",
         "this is a web server (an HTTP proxy, a REST proxy, a management or metrics port), "
         "not a Kafka listener: give -b the broker's Kafka port (often 9092, 9093 for TLS)"},
        {"Connection refused",
         "nothing listens at that address: check the host and port (-b) and that the broker "
         "is running"},
        {"Failed to resolve",
         "the host name does not resolve here; if it is a broker's advertised name "
         "(advertised.listeners), this machine cannot reach that listener"},
        {"Name or service not known", "the host name does not resolve; check -b"},
        {"certificate verify failed",
         "the broker's certificate is not trusted: set the CA (-X ssl.ca.location=FILE, or "
         "ssl.truststore.* in --command-config)"},
        {"SSL handshake failed",
         "TLS handshake failed: check security.protocol, the CA (ssl.ca.location) and "
         "whether the listener speaks TLS at all"},
        {"Disconnected while requesting ApiVersion",
         "the broker closed the connection at once: the listener probably expects TLS or SASL "
         "(check security.protocol), or the broker is older than Kafka 0.10 "
         "(api.version.request)"},
        {"SASL authentication error",
         "SASL authentication failed: check sasl.mechanism(s), the user name and the password"},
        {"Authentication failed", "authentication failed: check the SASL credentials"},
        {"SASL", "SASL handshake failed: check security.protocol and sasl.mechanism(s)"},
        {"Receive failed: Disconnected",
         "the broker dropped the connection: a TLS or SASL listener reached without "
         "security.protocol, or a broker that is shutting down"},
        {"timed out",
         "no answer in time: a firewall, a wrong port, or advertised.listeners pointing to an "
         "address this machine cannot reach; raise --timeout for slow links"},
        {"Timed out",
         "no answer in time: a firewall, a wrong port, or advertised.listeners pointing to an "
         "address this machine cannot reach; raise --timeout for slow links"},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strstr(msg, hints[i].needle))
            return hints[i].hint;
    return NULL;
}

void live_fail_text(struct live_client *c, struct buf *b, const char **hint)
{
    *hint = NULL;
    pthread_mutex_lock(&c->mu);
    for (uint32_t i = 0; i < c->nfails; i++) {
        buf_printf(b, "%s%s: %s", i ? "; " : "", c->fails[i].who, c->fails[i].msg);
        if (!*hint)
            *hint = live_hint_for(c->fails[i].msg);
    }
    pthread_mutex_unlock(&c->mu);
}

/* ---- client ---------------------------------------------------------------------- */

struct live_client *live_connect(const struct live_opts *o, struct diag_list *dl)
{
    struct live_client *c = xcalloc(1, sizeof *c);
    c->o = *o;
    if (c->o.timeout_ms <= 0)
        c->o.timeout_ms = 30000;
    if (c->o.group_window <= 0)
        c->o.group_window = 32;
    char err[512];
    pthread_mutex_init(&c->mu, NULL);
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    if (live_build_conf(&c->o, conf, &c->target, &c->user_debug, dl)) {
        rd_kafka_conf_destroy(conf);
        pthread_mutex_destroy(&c->mu);
        free(c->target);
        free(c);
        return NULL;
    }
    /* the ListGroups helper process (live_listgroups.c), if opts name one */
    c->helper_pid = -1;
    if (c->o.want_groups)
        live_helper_start(c);
    rd_kafka_conf_set_opaque(conf, c);
    rd_kafka_conf_set_log_cb(conf, log_cb);
    rd_kafka_conf_set_error_cb(conf, error_cb);
    /* A consumer handle without group.id: no group membership, but
     * isolation.level applies to the log offsets we query. */
    c->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!c->rk) {
        rd_kafka_conf_destroy(conf); /* still ours when rd_kafka_new fails */
        live_helper_stop(c, true);
        diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE, "cannot create the Kafka client: %s", err);
        pthread_mutex_destroy(&c->mu);
        free(c->target);
        free(c);
        return NULL;
    }
    return c;
}

const char *live_target(const struct live_client *c) { return c->target; }

struct closer {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    rd_kafka_t *rk;
    bool done, abandoned;
};

static void closer_free(struct closer *k)
{
    pthread_mutex_destroy(&k->mu);
    pthread_cond_destroy(&k->cv);
    free(k);
}

static void *closer_main(void *arg)
{
    struct closer *k = arg;
    rd_kafka_destroy_flags(k->rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    pthread_mutex_lock(&k->mu);
    k->done = true;
    bool abandoned = k->abandoned;
    pthread_cond_signal(&k->cv);
    pthread_mutex_unlock(&k->mu);
    if (abandoned)
        closer_free(k);
    return NULL;
}

/* Clients whose handle is not destroyed (see live_close): kept reachable
 * until the process exits, for librdkafka's threads (log_cb's opaque) and
 * so that LeakSanitizer does not report them. */
static struct live_client *abandoned;

static void abandon(struct live_client *c)
{
    c->next_abandoned = abandoned;
    abandoned = c;
}

void live_close(struct live_client *c)
{
    if (!c)
        return;
    int64_t t0 = mono_ms();
    live_helper_stop(c, false);
    /* Results still due (a step gave up at the deadline): wait for them,
     * a destroy under an admin request in flight crashes librdkafka 2.0.2
     * (see the top of live_admin_opts).  They are due when the deadline
     * passes; the rest of the grace is for the destroy itself. */
    for (uint32_t i = 0; i < c->nqueues; i++)
        c->queues[i].released = true;
    int64_t until = (c->deadline > t0 ? c->deadline : t0) + LIVE_SETTLE_MS;
    if (until > t0 + LIVE_CLOSE_GRACE_MS / 2)
        until = t0 + LIVE_CLOSE_GRACE_MS / 2;
    if (c->rk && (!settle(c, until) || c->timed_out)) {
        /* librdkafka did not deliver them (its main thread is stuck, or
         * far behind), or a request ended in its timeout path, whose
         * coordinator lookups outlive the result (with thousands of groups
         * and a short --timeout, 1 run in 2 aborted in
         * rd_kafka_enq_once_del_source_return during the destroy):
         * destroying now is what crashes.  Leave the handle as it is; the
         * process can still exit. */
        abandon(c);
        return;
    }
    free(c->queues);
    c->queues = NULL;
    c->nqueues = c->capqueues = 0;
    bool stuck = false;
    if (c->rk) {
        int grace = LIVE_CLOSE_GRACE_MS - (int)(mono_ms() - t0);
        if (grace < LIVE_CLOSE_GRACE_MS / 2)
            grace = LIVE_CLOSE_GRACE_MS / 2;
        struct closer *k = xcalloc(1, sizeof *k);
        pthread_mutex_init(&k->mu, NULL);
        pthread_cond_init(&k->cv, NULL);
        k->rk = c->rk;
        pthread_t th;
        if (pthread_create(&th, NULL, closer_main, k) != 0) {
            closer_main(k);
            closer_free(k);
        } else {
            struct timespec until_ts;
            clock_gettime(CLOCK_REALTIME, &until_ts);
            until_ts.tv_sec += grace / 1000;
            until_ts.tv_nsec += (long)(grace % 1000) * 1000000L;
            if (until_ts.tv_nsec >= 1000000000L) {
                until_ts.tv_sec++;
                until_ts.tv_nsec -= 1000000000L;
            }
            pthread_mutex_lock(&k->mu);
            while (!k->done)
                if (pthread_cond_timedwait(&k->cv, &k->mu, &until_ts) != 0)
                    break;
            stuck = !k->done;
            k->abandoned = stuck;
            pthread_mutex_unlock(&k->mu);
            if (stuck) {
                pthread_detach(th);
            } else {
                pthread_join(th, NULL);
                closer_free(k);
            }
        }
    }
    if (stuck) {
        abandon(c); /* librdkafka threads may still call log_cb with c as opaque */
        return;
    }
    pthread_mutex_destroy(&c->mu);
    free(c->target);
    free(c);
}

uint32_t live_stats_api(const struct live_stats *st, const char *api)
{
    for (uint32_t i = 0; i < st->napi; i++)
        if (strcmp(st->per_api[i].api, api) == 0)
            return st->per_api[i].n;
    return 0;
}

static void progress(struct live_client *c, const char *step)
{
    if (c->o.progress)
        c->o.progress(c->o.progress_arg, step, 0, 0);
}

int live_collect(struct live_client *c, struct model *m, struct live_stats *st)
{
    struct live_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    int64_t t0 = mono_ms();
    c->deadline = t0 + c->o.timeout_ms;
    c->m = m;
    c->st = st;
    pthread_mutex_lock(&c->mu);
    c->nfails = 0;
    pthread_mutex_unlock(&c->mu);
    settle(c, 0); /* late results of the previous collection (the dashboard) */

    m->cluster.declared = true;
    m->cluster.live = true;
    m->cluster.unread = false;
    m->cluster.collected_at_ms = wall_ms();
    m->cluster.o.name = arena_strdup(&m->arena, c->target);

    progress(c, "metadata");
    int rc = live_collect_metadata(c);
    if (rc != 0) {
        /* nothing of the cluster was read: its settings are unknown, not
         * the defaults of an assumed version (lint FILES -b must not judge
         * a cluster it could not see) */
        m->cluster.declared = false;
        m->cluster.unread = true;
    }
    if (rc == 0) {
        struct live_configs *cfg = NULL;
        if (c->o.want_configs) {
            progress(c, "configs");
            cfg = live_configs_start(c);
        }
        if (c->o.want_groups) {
            progress(c, "groups");
            live_collect_groups(c);
        }
        if (c->o.want_offsets) {
            progress(c, "offsets");
            live_collect_log_offsets(c);
        }
        if (cfg)
            live_configs_finish(cfg);
        if (live_expired(c)) {
            struct diag *d = diag_add(&m->diags, DIAG_ERROR, DK_CLUSTER, LOC_NONE,
                                      "the collection did not finish within --timeout (%d ms); "
                                      "what was read is reported",
                                      c->o.timeout_ms);
            diag_hint(d, "raise --timeout, or narrow the audit (--topic, -g)");
        }
    }
    rd_kafka_poll(c->rk, 0);
    if (rc == 0 && st->errors) {
        /* brokers that failed after Metadata worked: say what the
         * connections saw (typically advertised.listeners this machine
         * cannot reach, or a broker going down) */
        struct buf b = BUF_INIT;
        const char *hint;
        live_fail_text(c, &b, &hint);
        if (b.len) {
            struct diag *d = diag_add(&m->diags, DIAG_NOTE, DK_CLUSTER, LOC_NONE,
                                      "connection problems during the collection: %s", buf_str(&b));
            if (hint)
                diag_hint(d, "%s", hint);
        }
        buf_release(&b);
    }

    pthread_mutex_lock(&c->mu);
    st->requests = c->sent - c->sent0;
    for (uint32_t i = 0; i < c->napi; i++) {
        uint32_t before = 0;
        for (uint32_t j = 0; j < c->napi0; j++)
            if (strcmp(c->api0[j].api, c->api[i].api) == 0)
                before = c->api0[j].n;
        if (c->api[i].n > before && st->napi < LIVE_MAX_APIS) {
            st->per_api[st->napi] = c->api[i];
            st->per_api[st->napi++].n -= before;
        }
    }
    c->sent0 = c->sent;
    c->napi0 = c->napi;
    memcpy(c->api0, c->api, sizeof c->api0);
    pthread_mutex_unlock(&c->mu);
    st->elapsed_ms = mono_ms() - t0;
    for (uint32_t i = 0; i < m->nbrokers; i++) {
        st->brokers_total++;
        if (!m->brokers[i]->down)
            st->brokers_up++;
    }
    c->m = NULL;
    c->st = NULL;
    return rc;
}

int live_library_info(char *version, size_t vn, char *features, size_t fn)
{
    snprintf(version, vn, "%s", rd_kafka_version_str());
    if (fn)
        features[0] = '\0';
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    size_t n = fn;
    if (c && rd_kafka_conf_get(c, "builtin.features", features, &n) != RD_KAFKA_CONF_OK && fn)
        features[0] = '\0';
    if (c)
        rd_kafka_conf_destroy(c);
    return 0;
}
