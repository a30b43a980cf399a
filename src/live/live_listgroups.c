/*
 * live_listgroups.c - ListGroups in a helper process.
 *
 * librdkafka's ListGroups parser crashes on some malformed answers: an
 * answer cut short before its group array makes
 * rd_kafka_ListConsumerGroupsResponse_parse (src/rdkafka_admin.c, 2.0.2
 * and later releases) free lists it never initialised.  One broker's bad
 * answer would take the whole command down.  So the listing is asked by a
 * forked child with a handle of its own (the parent's connection settings,
 * built before the fork): it writes what it got into a pipe and exits.
 * If it dies, or says nothing within half the deadline, it is
 * killed and the groups are unknown - the collection goes on.  Cost: the
 * child's own connections (bootstrap, Metadata, one ListGroups per
 * broker).  If fork() fails, the listing is asked in-process.
 *
 * The child only creates a handle, sends ListGroups and _exit()s: it
 * never destroys the handle, never returns into the caller, and touches
 * nothing the parent's threads may hold locked but the allocator (which
 * fork() makes safe).  Its requests are counted (protocol log) and
 * reported to the parent with the listing.
 *
 * Pipe format, one record per line:
 *   G STATE SIMPLE LEN\n<LEN bytes: group id>\n
 *   E CODE LEN\n<LEN bytes: message>\n        a broker's error
 *   F CODE LEN\n<LEN bytes: message>\n        the request failed as a whole
 *   C COUNT API\n                             requests sent, per API
 *   END\n
 */
#include "live/live_internal.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the answer, whichever process asked ------------------------------------------ */

static void add_listing(struct lg_answer *a, const char *id, size_t n, int state, bool simple)
{
    XGROW(a->v, a->cap, a->n + 1);
    struct lg_listing *l = &a->v[a->n++];
    l->id = xstrndup(id, n);
    l->state = state;
    l->simple = simple;
}

static void add_error(struct lg_answer *a, int code, const char *msg, size_t n)
{
    XGROW(a->errs, a->cape, a->ne + 1);
    a->errs[a->ne].code = code;
    a->errs[a->ne++].msg = xstrndup(msg, n);
}

void lg_answer_free(struct lg_answer *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->v[i].id);
    for (size_t i = 0; i < a->ne; i++)
        free(a->errs[i].msg);
    free(a->v);
    free(a->errs);
    free(a->fail_msg);
    memset(a, 0, sizeof *a);
}

static void from_event(rd_kafka_event_t *ev, struct lg_answer *a)
{
    a->answered = true;
    if (rd_kafka_event_error(ev)) {
        a->fail = rd_kafka_event_error(ev);
        a->fail_msg = xstrdup(rd_kafka_event_error_string(ev));
        return;
    }
    const rd_kafka_ListConsumerGroups_result_t *res = rd_kafka_event_ListConsumerGroups_result(ev);
    size_t n = 0;
    const rd_kafka_ConsumerGroupListing_t **v = rd_kafka_ListConsumerGroups_result_valid(res, &n);
    for (size_t i = 0; i < n; i++) {
        const char *id = rd_kafka_ConsumerGroupListing_group_id(v[i]);
        add_listing(a, id, strlen(id), (int)rd_kafka_ConsumerGroupListing_state(v[i]),
                    rd_kafka_ConsumerGroupListing_is_simple_consumer_group(v[i]));
    }
    size_t ne = 0;
    const rd_kafka_error_t **errs = rd_kafka_ListConsumerGroups_result_errors(res, &ne);
    for (size_t i = 0; i < ne; i++) {
        const char *s = rd_kafka_error_string(errs[i]);
        add_error(a, rd_kafka_error_code(errs[i]), s, strlen(s));
    }
}

/* ---- in-process (when fork() fails) ----------------------------------------------- */

static void in_process(struct live_client *c, rd_kafka_queue_t *q, struct lg_answer *a)
{
    rd_kafka_AdminOptions_t *ao = live_admin_opts(c, q, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
                                                  live_share_ms(c), -1, NULL);
    rd_kafka_ListConsumerGroups(c->rk, ao, q);
    rd_kafka_AdminOptions_destroy(ao);
    for (;;) {
        rd_kafka_event_t *ev = live_wait(c, q);
        if (!ev)
            return;
        if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT) {
            from_event(ev, a);
            rd_kafka_event_destroy(ev);
            return;
        }
        rd_kafka_event_destroy(ev);
    }
}

/* ---- the child ---------------------------------------------------------------------- */

struct child_count {
    pthread_mutex_t mu;
    struct live_api_count api[LIVE_MAX_APIS];
    uint32_t napi;
};

static void child_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
    (void)level;
    (void)fac;
    struct child_count *k = rd_kafka_opaque(rk);
    const char *sent = strstr(buf, ": Sent ");
    if (!k || !sent)
        return;
    const char *name = sent + 7, *end = strstr(name, "Request");
    if (!end || end == name || end - name >= 31)
        return;
    size_t n = (size_t)(end - name);
    pthread_mutex_lock(&k->mu);
    uint32_t i;
    for (i = 0; i < k->napi; i++)
        if (strlen(k->api[i].api) == n && strncmp(k->api[i].api, name, n) == 0)
            break;
    if (i == k->napi && k->napi < LIVE_MAX_APIS) {
        memcpy(k->api[i].api, name, n);
        k->api[i].api[n] = '\0';
        k->napi++;
    }
    if (i < k->napi)
        k->api[i].n++;
    pthread_mutex_unlock(&k->mu);
}

static void child_main(rd_kafka_conf_t *conf, int fd, int timeout_ms)
{
    FILE *out = fdopen(fd, "w");
    if (!out)
        _exit(2);
    static struct child_count k;
    pthread_mutex_init(&k.mu, NULL);
    rd_kafka_conf_set_opaque(conf, &k);
    rd_kafka_conf_set_log_cb(conf, child_log);
    char err[256];
    /* no consumer group handle: ListGroups does not need one */
    rd_kafka_conf_set(conf, "group.id", "", err, sizeof err);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    if (!rk) {
        fprintf(out, "F %d %zu\n%s\nEND\n", (int)RD_KAFKA_RESP_ERR__INVALID_ARG, strlen(err), err);
        fflush(out);
        _exit(0);
    }
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
    rd_kafka_AdminOptions_set_request_timeout(ao, timeout_ms, err, sizeof err);
    rd_kafka_ListConsumerGroups(rk, ao, q);
    rd_kafka_event_t *ev = NULL;
    for (;;) {
        ev = rd_kafka_queue_poll(q, timeout_ms + 1000);
        if (!ev || rd_kafka_event_type(ev) == RD_KAFKA_EVENT_LISTCONSUMERGROUPS_RESULT)
            break;
        rd_kafka_event_destroy(ev);
    }
    struct lg_answer a = {0};
    if (ev)
        from_event(ev, &a);
    if (a.fail)
        fprintf(out, "F %d %zu\n%s\n", a.fail, strlen(a.fail_msg), a.fail_msg);
    for (size_t i = 0; i < a.n; i++)
        fprintf(out, "G %d %d %zu\n%s\n", a.v[i].state, a.v[i].simple, strlen(a.v[i].id),
                a.v[i].id);
    for (size_t i = 0; i < a.ne; i++)
        fprintf(out, "E %d %zu\n%s\n", a.errs[i].code, strlen(a.errs[i].msg), a.errs[i].msg);
    pthread_mutex_lock(&k.mu);
    for (uint32_t i = 0; i < k.napi; i++)
        fprintf(out, "C %u %s\n", k.api[i].n, k.api[i].api);
    pthread_mutex_unlock(&k.mu);
    fputs(ev ? "END\n" : "", out);
    fflush(out);
    _exit(0); /* the handle is left to the process exit (see the top) */
}

/* ---- the parent ----------------------------------------------------------------------- */

/* Parse the child's records; false if they are not complete ("END"). */
static bool parse(struct live_client *c, const char *p, size_t n, struct lg_answer *a)
{
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return false;
        if (nl - p == 3 && memcmp(p, "END", 3) == 0) {
            a->answered = true;
            return true;
        }
        char kind = *p;
        int x = 0, y = 0;
        size_t len = 0;
        unsigned cnt = 0;
        char api[32];
        if (kind == 'C') {
            if (sscanf(p, "C %u %31s", &cnt, api) == 2)
                live_count_requests(c, api, cnt);
            p = nl + 1;
            continue;
        }
        if ((kind == 'G' && sscanf(p, "G %d %d %zu", &x, &y, &len) != 3) ||
            ((kind == 'E' || kind == 'F') && sscanf(p + 1, " %d %zu", &x, &len) != 2) ||
            (kind != 'G' && kind != 'E' && kind != 'F'))
            return false;
        const char *s = nl + 1;
        if ((size_t)(end - s) < len + 1 || s[len] != '\n')
            return false;
        if (kind == 'G')
            add_listing(a, s, len, x, y != 0);
        else if (kind == 'E')
            add_error(a, x, s, len);
        else {
            a->fail = x;
            free(a->fail_msg);
            a->fail_msg = xstrndup(s, len);
        }
        p = s + len + 1;
    }
    return false;
}

void live_list_groups(struct live_client *c, rd_kafka_queue_t *q, struct lg_answer *a)
{
    memset(a, 0, sizeof *a);
    /* half the deadline: the helper connects afresh (a TLS handshake or
     * two), and every later group step needs the listing */
    int share = c->o.timeout_ms / 2 > 1000 ? c->o.timeout_ms / 2 : 1000;
    if (share > live_remaining(c))
        share = live_remaining(c);
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char *target = NULL;
    bool dbg;
    struct diag_list dl;
    diag_list_init(&dl);
    int fds[2] = {-1, -1};
    if (live_build_conf(&c->o, conf, &target, &dbg, &dl) || pipe(fds)) {
        rd_kafka_conf_destroy(conf);
        free(target);
        diag_list_release(&dl);
        in_process(c, q, a);
        return;
    }
    free(target);
    diag_list_release(&dl);
    c->st->calls++;
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child_main(conf, fds[1], share > 200 ? share - 200 : share);
    }
    close(fds[1]);
    rd_kafka_conf_destroy(conf);
    if (pid < 0) {
        close(fds[0]);
        in_process(c, q, a);
        return;
    }
    struct buf b = BUF_INIT;
    int64_t until = live_now_ms() + share + 300;
    if (until > c->deadline)
        until = c->deadline;
    bool eof = false;
    for (;;) {
        int64_t left = until - live_now_ms();
        if (left <= 0)
            break;
        struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
        int r = poll(&pfd, 1, left > 200 ? 200 : (int)left);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            char chunk[4096];
            ssize_t got = read(fds[0], chunk, sizeof chunk);
            if (got < 0 && errno == EINTR)
                continue;
            if (got <= 0) {
                eof = true;
                break;
            }
            buf_add(&b, chunk, (size_t)got);
        }
    }
    close(fds[0]);
    if (!eof)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!parse(c, b.p ? b.p : "", b.len, a)) {
        /* lg_answer_free keeps nothing half-read */
        lg_answer_free(a);
        if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
            snprintf(a->died, sizeof a->died,
                     "librdkafka crashed reading a ListGroups answer (signal %d, in a helper "
                     "process)",
                     WTERMSIG(status));
        else if (!eof)
            snprintf(a->died, sizeof a->died, "no answer within half of --timeout");
        else
            snprintf(a->died, sizeof a->died, "the helper process ended without an answer");
    }
    buf_release(&b);
}
