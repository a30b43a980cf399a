/*
 * collect.c - the dashboard's samples (collect.h).
 */
#include "watch/collect.h"
#include "rules/finding.h"
#include "util/clock.h"
#include "util/xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Recordings larger than this are refused rather than read. */
#define REPLAY_MAX_BYTES ((size_t)4 << 30)

static struct sample *sample_new(void)
{
    struct sample *s = xcalloc(1, sizeof *s);
    model_init(&s->m);
    finding_list_init(&s->fl);
    return s;
}

void sample_free(struct sample *s)
{
    if (!s)
        return;
    finding_list_release(&s->fl);
    model_release(&s->m);
    free(s);
}

void sample_first_cluster_diag(const struct model *m, int sev, char *out, size_t n)
{
    for (uint32_t i = 0; i < m->diags.n; i++)
        if (m->diags.v[i].kind == DK_CLUSTER && m->diags.v[i].sev >= sev) {
            snprintf(out, n, "%s", m->diags.v[i].msg);
            return;
        }
    snprintf(out, n, "%s", sev == DIAG_ERROR ? "no broker answered" : "");
}

int collector_open(struct collector *c, const struct collect_opts *o, char *err, size_t errn)
{
    memset(c, 0, sizeof *c);
    c->o = o;
    if (o->replay) {
        c->replay = true;
        if (replay_open(&c->rp, o->replay, REPLAY_MAX_BYTES, err, errn) < 0)
            return -1;
        const char *base = strrchr(o->replay, '/');
        c->target = xstrdup(base ? base + 1 : o->replay);
    } else {
        struct diag_list dl;
        diag_list_init(&dl);
        c->lc = live_connect(o->live, &dl);
        if (!c->lc) {
            snprintf(err, errn, "%s", dl.n ? dl.v[0].msg : "cannot create the Kafka client");
            diag_list_release(&dl);
            return -1; /* unusable connection settings, as for check */
        }
        diag_list_release(&dl);
        c->target = xstrdup(live_target(c->lc));
    }
    if (o->record) {
        c->rec = fopen(o->record, "w");
        if (!c->rec) {
            snprintf(err, errn, "cannot write recording '%s': %s", o->record, strerror(errno));
            return -1;
        }
    }
    return 0;
}

void collector_close(struct collector *c)
{
    if (c->lc)
        live_close(c->lc);
    c->lc = NULL;
    if (c->replay)
        replay_close(&c->rp);
    c->replay = false;
    if (c->rec)
        fclose(c->rec);
    c->rec = NULL;
    free(c->target);
    c->target = NULL;
}

/* A live sample into s: a fresh client each time (collect.h says why). */
static void collect_live(struct collector *c, struct sample *s)
{
    if (!c->lc) {
        struct diag_list dl;
        diag_list_init(&dl);
        c->lc = live_connect(c->o->live, &dl);
        if (!c->lc)
            snprintf(s->err, sizeof s->err, "%s",
                     dl.n ? dl.v[0].msg : "cannot create the Kafka client");
        diag_list_release(&dl);
    }
    if (c->lc) {
        s->rc = live_collect(c->lc, &s->m, &s->st) < 0 ? -1 : 0;
        live_close(c->lc);
        c->lc = NULL;
    } else {
        s->rc = -1;
    }
    if (s->rc < 0) {
        if (!s->err[0])
            sample_first_cluster_diag(&s->m, DIAG_ERROR, s->err, sizeof s->err);
    } else {
        model_finalize(&s->m);
    }
}

/* The rules cost grows with partitions and group partitions (seconds at
 * 100,000 / 1,000,000): interactively they run at most every
 * max(interval, 5 x their own cost), and the Findings view shows the
 * latest model they ran on. */
static void judge(struct collector *c, struct sample *s)
{
    if (s->rc != 0 || !c->o->rules || (!c->o->rules_always && mono_ms() < c->rules_next))
        return;
    int64_t a = mono_ms();
    engine_run(c->o->rules, &s->m, &s->fl);
    engine_merge_causes(c->o->rules, &s->m, &s->fl);
    s->rules_ms = mono_ms() - a;
    s->rules_ran = true;
    int64_t gap = 5 * s->rules_ms > c->o->interval_ms ? 5 * s->rules_ms : c->o->interval_ms;
    c->rules_next = mono_ms() + gap - c->o->interval_ms / 2;
}

struct sample *collector_next(struct collector *c)
{
    if (c->replay && c->next >= c->rp.ndocs)
        return NULL;
    struct sample *s = sample_new();
    s->started = mono_ms();
    if (c->replay) {
        s->pos = c->next++;
        s->rc = replay_load(&c->rp, s->pos, &s->m, s->err, sizeof s->err);
    } else {
        collect_live(c, s);
    }
    judge(c, s);
    if (s->rc == 0 && c->rec && !c->rec_errno) {
        if (record_write(c->rec, &s->m, "kafkaudit top --record") < 0)
            c->rec_errno = errno ? errno : EIO;
        else
            c->recorded++;
    }
    s->finished = mono_ms();
    return s;
}

/* ---- the worker thread ------------------------------------------------------ */

static void *worker_main(void *arg)
{
    struct collect_worker *wk = arg;
    /* quit, resize and hang-up signals are the UI thread's; faults
     * (SIGSEGV, SIGBUS, ...) must stay deliverable here */
    sigset_t async;
    sigemptyset(&async);
    static const int sigs[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT, SIGWINCH, SIGPIPE,
                               SIGTSTP, SIGCONT, SIGALRM, SIGUSR1, SIGUSR2};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&async, sigs[i]);
    pthread_sigmask(SIG_BLOCK, &async, NULL);
    pthread_mutex_lock(&wk->mu);
    for (;;) {
        while (!wk->want && !wk->quit)
            pthread_cond_wait(&wk->cv, &wk->mu);
        if (wk->quit)
            break;
        wk->want = false;
        wk->busy = true;
        pthread_mutex_unlock(&wk->mu);
        struct sample *s = collector_next(wk->c);
        pthread_mutex_lock(&wk->mu);
        wk->busy = false;
        if (!s)
            wk->end = true;
        else
            wk->done = s;
        pthread_cond_broadcast(&wk->cv);
    }
    pthread_mutex_unlock(&wk->mu);
    return NULL;
}

int collect_worker_start(struct collect_worker *wk, struct collector *c)
{
    memset(wk, 0, sizeof *wk);
    wk->c = c;
    pthread_mutex_init(&wk->mu, NULL);
    pthread_cond_init(&wk->cv, NULL);
    if (pthread_create(&wk->th, NULL, worker_main, wk) != 0) {
        pthread_mutex_destroy(&wk->mu);
        pthread_cond_destroy(&wk->cv);
        return -1;
    }
    wk->started = true;
    return 0;
}

void collect_worker_ask(struct collect_worker *wk)
{
    pthread_mutex_lock(&wk->mu);
    wk->want = true;
    pthread_cond_signal(&wk->cv);
    pthread_mutex_unlock(&wk->mu);
}

struct sample *collect_worker_poll(struct collect_worker *wk, bool *busy, bool *end)
{
    pthread_mutex_lock(&wk->mu);
    struct sample *s = wk->done;
    wk->done = NULL;
    *busy = wk->busy || wk->want;
    *end = wk->end;
    pthread_mutex_unlock(&wk->mu);
    return s;
}

bool collect_worker_stop(struct collect_worker *wk, int64_t wait_ms)
{
    if (!wk->started)
        return false;
    pthread_mutex_lock(&wk->mu);
    wk->quit = true;
    pthread_cond_broadcast(&wk->cv);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (wk->busy)
        if (pthread_cond_timedwait(&wk->cv, &wk->mu, &until) == ETIMEDOUT)
            break;
    bool stuck = wk->busy;
    sample_free(wk->done);
    wk->done = NULL;
    pthread_mutex_unlock(&wk->mu);
    if (stuck) {
        pthread_detach(wk->th);
        struct collector *c = wk->c;
        c->lc = NULL; /* still in use by the worker: leave it to exit() */
        if (c->rec)
            fflush(c->rec);
        c->rec = NULL;
    } else {
        pthread_join(wk->th, NULL);
        pthread_mutex_destroy(&wk->mu);
        pthread_cond_destroy(&wk->cv);
    }
    wk->started = false;
    return stuck;
}
