/*
 * collect.h - where the dashboard's samples come from, one at a time: a
 * live cluster or the next document of a recording, each finalised,
 * judged by the check rules when they are due, and appended to --record.
 * The dashboard (src/tui/top.c) only schedules samples and draws them.
 *
 * Every live sample uses a fresh librdkafka client: 2.0.2 admin clients
 * that live through a broker loss keep timing out (ListGroups) and
 * crashed in rdk:main when the broker returned; reconnecting costs a few
 * requests per refresh.
 *
 * Interactively a worker thread collects (collect_worker_*), so a slow or
 * unreachable cluster never freezes the screen; the worker blocks every
 * asynchronous signal.  Nothing here prints.
 */
#ifndef KA_COLLECT_H
#define KA_COLLECT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "live/live.h"
#include "manifest/recording.h"
#include "model/model.h"
#include "rules/finding.h"
#include "rules/rule.h"

/* One collected model. */
struct sample {
    struct model m;
    struct finding_list fl;
    struct live_stats st;
    int rc; /* 0, or -1: unreachable / unreadable (err says why) */
    char err[256];
    int64_t started, finished; /* monotonic ms */
    uint32_t pos;              /* replay: document index */
    bool rules_ran;            /* fl holds this model's findings */
    int64_t rules_ms;
};

void sample_free(struct sample *s);

struct collect_opts {
    const struct live_opts *live; /* NULL with replay */
    const char *replay;           /* a recording to read instead */
    const char *record;           /* append every good sample here */
    const struct rule_set *rules; /* check rules; may be NULL */
    int64_t interval_ms;
    /* run the rules on every sample (batch and scripted runs, whose frames
     * must be complete), not at most every max(interval, 5 x their cost) */
    bool rules_always;
};

struct collector {
    const struct collect_opts *o;
    struct live_client *lc;
    struct replay rp;
    bool replay;
    uint32_t next; /* replay: the next document */
    FILE *rec;
    uint32_t recorded;
    int rec_errno;      /* the first failed write to the recording */
    int64_t rules_next; /* monotonic: when the rules may run again */
    char *target;       /* what is watched: bootstrap servers or the recording's name */
};

/* Connect (or open the recording) and open --record.  Returns 0, or -1
 * with err set (unusable connection settings, unreadable recording,
 * unwritable --record file). */
int collector_open(struct collector *c, const struct collect_opts *o, char *err, size_t errn);
/* The next sample; NULL at the end of a recording. */
struct sample *collector_next(struct collector *c);
void collector_close(struct collector *c);

/* The first cluster diagnostic of m at least as severe as sev (its text
 * into out; for errors "no broker answered" when there is none). */
void sample_first_cluster_diag(const struct model *m, int sev, char *out, size_t n);

struct collect_worker {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool want, quit, busy, end, started;
    struct sample *done;
    struct collector *c;
};

/* Start the worker thread on c.  Returns 0 or -1. */
int collect_worker_start(struct collect_worker *wk, struct collector *c);
/* Ask for one sample. */
void collect_worker_ask(struct collect_worker *wk);
/* A finished sample (NULL: none yet); *busy: one is asked for or being
 * collected; *end: the recording has no more. */
struct sample *collect_worker_poll(struct collect_worker *wk, bool *busy, bool *end);
/* Stop the worker, waiting at most wait_ms for a collection in flight
 * (it ends at its own deadline).  A worker still busy then is detached
 * with its client, which the process's exit takes back; the recording is
 * flushed and left to exit too.  Returns true when it was still busy. */
bool collect_worker_stop(struct collect_worker *wk, int64_t wait_ms);

#endif
