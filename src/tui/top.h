/*
 * top.h - `kafkaudit top`: the dashboard's loop.
 *
 * Design (collection, evaluation and drawing are separate, as in htop and
 * tig):
 *
 *   collector  one sample at a time (src/watch/collect.h): a live model
 *              or the next document of a recording, finalised, judged by
 *              the check rules, recorded.  Interactively on a worker
 *              thread, so a slow or unreachable cluster never freezes the
 *              screen.
 *   scheduler  (UI thread) asks for the next collection only after the
 *              previous one finished, and only `interval` after it
 *              finished (Redpanda Console's rule): the period stretches by
 *              the collection time when collection is slow, collections
 *              never overlap, and the cluster always gets `interval` of
 *              rest.  `r` asks now, `p` stops asking.  A failed collection
 *              keeps the last good model on screen, marks it unreachable
 *              with the error, and retries on the same schedule.
 *   evaluator  watch_update() folds each finished model into the history
 *              (UI thread; bounded cost, see watch.h).
 *   screen     ui_draw() into a grid, blitted by term.c; keys go to
 *              ui_key().
 *
 * --batch runs the same pipeline synchronously and prints views as plain
 * text frames (like top -b).  --script FILE (or $KAFKAUDIT_TUI_SCRIPT)
 * runs it headless: keys and commands from FILE, screens saved as text
 * (tig's TIG_SCRIPT / :save-display), for golden tests.
 */
#ifndef KA_TOP_H
#define KA_TOP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "rules/rule.h"
#include "watch/collect.h"
#include "watch/watch.h"

struct top_opts {
    const struct live_opts *live; /* NULL with replay */
    const char *replay;
    double speed;   /* replay speed factor; 0 = as fast as possible */
    bool speed_set; /* --speed given (batch replays only wait when it is) */
    const char *record;
    int64_t interval_ms;
    struct watch_opts wopts;
    bool batch;
    long iterations; /* < 0: until q (live) or the end of the recording */
    const char *script;
    int width, height;            /* script and batch geometry; 0 = default */
    int view;                     /* first view */
    unsigned views;               /* batch: bit per view (1u << V_x); 0 = all six */
    bool color;                   /* colours allowed (NO_COLOR, --color=never turn it off) */
    bool ascii;                   /* force ASCII glyphs */
    const struct rule_set *rules; /* check rules for the Findings view; may be NULL */
};

/* Runs until quit, the end of a batch, or a signal.  Returns an exit
 * status (cli.h): 0, EXIT_USAGE (2) for a bad script, EXIT_INPUT (3) for
 * an unreadable recording, EXIT_CLUSTER (4) when the last batch
 * collection failed, 130 after SIGINT. */
int top_run(const struct top_opts *o);

#endif
