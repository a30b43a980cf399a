/*
 * live_listgroups.c - ListGroups in a helper process.
 *
 * librdkafka's ListGroups parser crashes on some malformed answers: an
 * answer cut short before its group array makes
 * rd_kafka_ListConsumerGroupsResponse_parse (src/rdkafka_admin.c, 2.0.2
 * and later releases) free lists it never initialised.  One broker's bad
 * answer would take the whole command down.  So the listing is asked by a
 * helper process with a handle of its own: live_connect() starts it
 * (posix_spawn of opts.helper_exe - kafkaudit itself, which runs
 * live_helper_main() when KAFKAUDIT_LISTGROUPS_HELPER is set - so it
 * shares no lock or thread with this process), hands it the connection
 * settings on its standard input, then asks "L TIMEOUT_MS" lines there and
 * reads each answer on its standard output.  If it
 * dies, or says nothing within half of --timeout, it is killed and the
 * groups are unknown - the collection goes on; the next collection (top)
 * starts a new one.  Cost: the helper's own connections (bootstrap,
 * Metadata, one ListGroups per broker).  If no helper can be started, the
 * listing is asked in-process.
 *
 * The settings (secrets included) go through the pipe, never the command
 * line or the environment:
 *   B LEN\n<bootstrap>\n  X LEN\n<key=value>\n  P LEN\n<command-config path>\n
 *   GO\n
 * The helper returns when its input closes and never destroys its handle.
 * Its requests are counted (protocol log) and reported with each answer.
 *
 * Answer format, one record per line:
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
#include <fcntl.h>
#include <spawn.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

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

/* ---- in-process (no helper) ------------------------------------------------------- */

static void in_process(struct live_client *c, rd_kafka_queue_t *q, struct lg_answer *a)
{
    rd_kafka_AdminOptions_t *ao =
        live_admin_opts(c, q, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, live_share_ms(c), -1, NULL);
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

static void answer(FILE *out, rd_kafka_t *rk, struct child_count *k, int timeout_ms)
{
    char err[256];
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *ao =
        rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
    rd_kafka_AdminOptions_set_request_timeout(ao, timeout_ms, err, sizeof err);
    rd_kafka_ListConsumerGroups(rk, ao, q);
    rd_kafka_AdminOptions_destroy(ao);
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
    pthread_mutex_lock(&k->mu);
    for (uint32_t i = 0; i < k->napi; i++)
        fprintf(out, "C %u %s\n", k->api[i].n, k->api[i].api);
    k->napi = 0;
    pthread_mutex_unlock(&k->mu);
    if (ev)
        fputs("END\n", out);
    fflush(out);
    lg_answer_free(&a);
    /* an event still due is left to the handle (never destroyed) */
}

static char *read_field(FILE *in, size_t len)
{
    if (len > (1u << 20))
        return NULL;
    char *v = xmalloc(len + 1);
    if (fread(v, 1, len, in) != len || fgetc(in) != '\n') {
        free(v);
        return NULL;
    }
    v[len] = '\0';
    return v;
}

int live_helper_main(FILE *in, FILE *out)
{
    struct live_opts o;
    live_opts_init(&o);
    char *fields[LIVE_MAX_CONF + 2];
    int nfields = 0;
    char line[64];
    while (fgets(line, sizeof line, in)) {
        if (strcmp(line, "GO\n") == 0)
            break;
        char kind;
        size_t len;
        if (sscanf(line, "%c %zu", &kind, &len) != 2 || nfields >= LIVE_MAX_CONF + 2)
            return 2;
        char *v = read_field(in, len);
        if (!v)
            return 2;
        fields[nfields++] = v;
        if (kind == 'B')
            o.bootstrap = v;
        else if (kind == 'P')
            o.command_config = v;
        else if (kind == 'X' && o.nconf < LIVE_MAX_CONF)
            o.conf[o.nconf++] = v;
    }
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    char *target = NULL;
    bool dbg;
    struct diag_list dl;
    diag_list_init(&dl);
    if (live_build_conf(&o, conf, &target, &dbg, &dl))
        return 2; /* the parent built the same settings: cannot happen */
    static struct child_count k;
    pthread_mutex_init(&k.mu, NULL);
    rd_kafka_conf_set_opaque(conf, &k);
    rd_kafka_conf_set_log_cb(conf, child_log);
    char err[256];
    /* no consumer group handle: ListGroups does not need one */
    rd_kafka_conf_set(conf, "group.id", "", err, sizeof err);
    rd_kafka_t *rk = NULL;
    while (fgets(line, sizeof line, in)) {
        int timeout_ms = 0;
        if (sscanf(line, "L %d", &timeout_ms) != 1 || timeout_ms <= 0)
            break;
        if (!rk && !(rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err))) {
            fprintf(out, "F %d %zu\n%s\nEND\n", (int)RD_KAFKA_RESP_ERR__INVALID_ARG, strlen(err),
                    err);
            fflush(out);
            break;
        }
        answer(out, rk, &k, timeout_ms);
    }
    /* the handle (and what it holds) is left to the process exit, which
     * the caller makes without running exit handlers */
    free(target);
    diag_list_release(&dl);
    for (int i = 0; i < nfields; i++)
        free(fields[i]);
    return 0;
}

static bool send_field(int fd, char kind, const char *v)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%c %zu\n%s\n", kind, strlen(v), v);
    bool ok = write(fd, b.p, b.len) == (ssize_t)b.len;
    buf_release(&b);
    return ok;
}

void live_helper_start(struct live_client *c)
{
    c->helper_pid = -1;
    c->helper_in = c->helper_out = -1;
    if (!c->o.helper_exe)
        return;
    int to_child[2] = {-1, -1}, from_child[2] = {-1, -1};
    if (pipe(to_child) || pipe(from_child)) {
        for (int i = 0; i < 2; i++) {
            if (to_child[i] >= 0)
                close(to_child[i]);
            if (from_child[i] >= 0)
                close(from_child[i]);
        }
        return;
    }
    /* our ends are not inherited */
    fcntl(to_child[1], F_SETFD, FD_CLOEXEC);
    fcntl(from_child[0], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to_child[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from_child[1], 1);
    size_t ne = 0;
    while (environ[ne])
        ne++;
    char **env = xcalloc(ne + 2, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "KAFKAUDIT_LISTGROUPS_HELPER=", 28) != 0)
            env[k++] = environ[i];
    env[k++] = "KAFKAUDIT_LISTGROUPS_HELPER=1";
    char *argv[] = {"kafkaudit-listgroups-helper", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, c->o.helper_exe, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    close(to_child[0]);
    close(from_child[1]);
    if (rc != 0) {
        close(to_child[1]);
        close(from_child[0]);
        return;
    }
    c->helper_pid = pid;
    c->helper_in = to_child[1];
    c->helper_out = from_child[0];
    bool ok = true;
    const char *bootstrap = c->o.bootstrap && *c->o.bootstrap ? c->o.bootstrap : NULL;
    if (bootstrap)
        ok &= send_field(c->helper_in, 'B', bootstrap);
    for (int i = 0; i < c->o.nconf; i++)
        ok &= send_field(c->helper_in, 'X', c->o.conf[i]);
    if (c->o.command_config)
        ok &= send_field(c->helper_in, 'P', c->o.command_config);
    ok &= write(c->helper_in, "GO\n", 3) == 3;
    if (!ok)
        live_helper_stop(c, true);
}

int live_helper_stop(struct live_client *c, bool kill_it)
{
    if (c->helper_pid <= 0)
        return 0;
    close(c->helper_in);
    close(c->helper_out);
    if (kill_it)
        kill(c->helper_pid, SIGKILL);
    /* it exits when its pipe closes; a helper stuck in librdkafka is killed */
    int status = 0;
    for (int i = 0; i < 50; i++) {
        pid_t r = waitpid(c->helper_pid, &status, WNOHANG);
        if (r == c->helper_pid || (r < 0 && errno != EINTR))
            break;
        if (i == 49) {
            kill(c->helper_pid, SIGKILL);
            while (waitpid(c->helper_pid, &status, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        poll(NULL, 0, 2);
    }
    c->helper_pid = -1;
    c->helper_in = c->helper_out = -1;
    return status;
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

/* Does b hold a whole answer (up to END)?  Walks the records by their
 * lengths, so a group id cannot fake an END. */
static bool complete(const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return false;
        if (nl - p == 3 && memcmp(p, "END", 3) == 0)
            return true;
        size_t len = 0;
        int x, y;
        if (*p == 'C') {
            p = nl + 1;
            continue;
        }
        if (!((*p == 'G' && sscanf(p, "G %d %d %zu", &x, &y, &len) == 3) ||
              ((*p == 'E' || *p == 'F') && sscanf(p + 1, " %d %zu", &x, &len) == 2)))
            return false;
        if ((size_t)(end - (nl + 1)) < len + 1)
            return false;
        p = nl + 1 + len + 1;
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
    if (c->helper_pid <= 0)
        live_helper_start(c); /* the last one died (top's next collection) */
    if (c->helper_pid <= 0) {
        in_process(c, q, a);
        return;
    }
    c->st->calls++;
    char cmd[32];
    int cn = snprintf(cmd, sizeof cmd, "L %d\n", share > 200 ? share - 200 : share);
    struct buf b = BUF_INIT;
    bool eof = write(c->helper_in, cmd, (size_t)cn) != cn, done = false;
    int64_t until = mono_ms() + share + 300;
    if (until > c->deadline)
        until = c->deadline;
    while (!eof && !done) {
        int64_t left = until - mono_ms();
        if (left <= 0)
            break;
        struct pollfd pfd = {.fd = c->helper_out, .events = POLLIN};
        int r = poll(&pfd, 1, left > 200 ? 200 : (int)left);
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0)
            continue;
        char chunk[4096];
        ssize_t got = read(c->helper_out, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            eof = true;
            break;
        }
        buf_add(&b, chunk, (size_t)got);
        done = complete(b.p, b.len);
    }
    if (done && parse(c, b.p, b.len, a)) {
        buf_release(&b);
        return;
    }
    lg_answer_free(a);
    int status = live_helper_stop(c, !eof); /* dead, or stuck: a new one next time */
    if (eof && WIFSIGNALED(status))
        snprintf(a->died, sizeof a->died,
                 "librdkafka crashed reading a ListGroups answer (signal %d, in a helper "
                 "process)",
                 WTERMSIG(status));
    else if (eof)
        snprintf(a->died, sizeof a->died, "the helper process ended without an answer");
    else
        snprintf(a->died, sizeof a->died, "no answer within half of --timeout");
    buf_release(&b);
}
