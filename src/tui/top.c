/*
 * top.c - `kafkaudit top`: schedules samples (src/watch/collect.h), folds
 * them into the history and the screen, and runs the screen (see top.h).
 */
#define _GNU_SOURCE
#include "tui/top.h"
#include "tui/term.h"
#include "tui/ui.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "util/clock.h"

#include <errno.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXIT_TOP_USAGE   2
#define EXIT_TOP_INPUT   3
#define EXIT_TOP_CLUSTER 4
#define EXIT_TOP_INT     130

/* ---- applying a sample ------------------------------------------------------ */

struct top {
    const struct top_opts *o;
    struct collector c;
    struct watch w;
    struct ui u;
    struct sample *cur;   /* shown model */
    struct sample *fsnap; /* latest model the rules ran on (may be cur) */
    int64_t next_due;     /* monotonic */
    /* replay pacing: the next document is due its recorded gap after the
     * one on screen was shown (re-anchored on resume) */
    int64_t anchor_mono, anchor_t;
    bool force; /* `r`: collect or step now, even while paused */
    bool utf8;
    struct collect_opts copts;
    bool rules_always; /* batch and script: every frame complete */
};

static void apply(struct top *t, struct sample *s)
{
    struct ui_status *st = &t->u.st;
    int64_t finished = s->finished;
    int64_t elapsed = s->finished - s->started;
    /* the interval counts from the end of the previous collection: it
     * stretches by the collection time, and collections never overlap */
    int64_t period = t->c.replay ? t->o->interval_ms : t->o->interval_ms + elapsed;
    st->period_ms = period;
    st->collecting = false;
    if (s->rc == 0) {
        watch_update(&t->w, &s->m, s->m.cluster.collected_at_ms);
        struct sample *old = t->cur, *oldf = t->fsnap;
        t->cur = s;
        if (s->rules_ran || !t->o->rules)
            t->fsnap = s;
        if (old && old != t->cur && old != t->fsnap)
            sample_free(old);
        if (oldf && oldf != old && oldf != t->cur && oldf != t->fsnap)
            sample_free(oldf);
        ui_set_model(&t->u, &s->m, t->fsnap ? &t->fsnap->fl : NULL);
        st->findings_t = t->fsnap ? t->fsnap->m.cluster.collected_at_ms : 0;
        if (s->rules_ran)
            st->rules_ms = s->rules_ms;
        st->sample_t = s->m.cluster.collected_at_ms;
        st->collect_ms = s->st.elapsed_ms ? s->st.elapsed_ms : (t->c.replay ? 0 : elapsed);
        st->requests = s->st.requests;
        st->errors = s->st.errors;
        sample_first_cluster_diag(&s->m, DIAG_WARNING, st->warn_msg, sizeof st->warn_msg);
        st->unreachable = false;
        st->failures = 0;
        if (t->c.replay) {
            st->replay_pos = s->pos + 1;
            st->replay_done = s->pos + 1 >= t->c.rp.ndocs;
        }
    } else {
        if (!st->failures)
            st->fail_since = wall_ms();
        st->failures++;
        st->unreachable = true;
        snprintf(st->fail_msg, sizeof st->fail_msg, "%s", s->err);
        sample_free(s);
    }
    st->recorded = t->c.recorded;
    t->next_due = finished + t->o->interval_ms;
}

/* When the next recorded document is due (monotonic), for a replay. */
static int64_t replay_due(const struct top *t)
{
    const struct collector *c = &t->c;
    if (c->next >= c->rp.ndocs)
        return INT64_MAX;
    if (t->o->speed <= 0 || !t->anchor_mono)
        return 0; /* as fast as possible, or nothing shown yet */
    int64_t dt = c->rp.docs[c->next].t - t->anchor_t;
    return t->anchor_mono + (int64_t)((double)dt / t->o->speed);
}

static bool utf8_locale(const struct top_opts *o)
{
    if (o->ascii)
        return false;
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

static int open_sources(struct top *t, char *err, size_t errn)
{
    const struct top_opts *o = t->o;
    t->copts = (struct collect_opts){.live = o->live,
                                     .replay = o->replay,
                                     .record = o->record,
                                     .rules = o->rules,
                                     .interval_ms = o->interval_ms,
                                     .rules_always = t->rules_always};
    if (collector_open(&t->c, &t->copts, err, errn) < 0)
        return EXIT_TOP_INPUT;
    t->u.st.target = t->c.target;
    if (t->c.replay) {
        t->u.st.replay = true;
        t->u.st.replay_n = t->c.rp.ndocs;
        t->u.st.speed = o->speed;
    }
    t->u.st.recording = t->c.rec != NULL;
    t->u.st.interval_ms = o->interval_ms;
    t->u.st.period_ms = o->interval_ms;
    return 0;
}

/* ---- batch: plain text frames --------------------------------------------- */

static void print_frame(struct top *t, FILE *out, int width)
{
    const struct ui_status *st = &t->u.st;
    char clk[64] = "", a[32];
    if (st->sample_t) {
        time_t tt = (time_t)(st->sample_t / 1000);
        struct tm tm;
        localtime_r(&tt, &tm);
        strftime(clk, sizeof clk, "%Y-%m-%d %H:%M:%S", &tm);
    }
    if (st->replay)
        fprintf(out, "kafkaudit top: %s sample %" PRIu32 "/%" PRIu32 " recorded %s\n", st->target,
                st->replay_pos, st->replay_n, clk);
    else if (st->unreachable)
        fprintf(out, "kafkaudit top: %s UNREACHABLE (%" PRIu32 " failed): %s; last sample %s\n",
                st->target, st->failures, st->fail_msg, clk[0] ? clk : "none");
    else {
        ui_fmt(a, sizeof a, "%" PRId64 "ms", st->collect_ms);
        fprintf(out,
                "kafkaudit top: %s at %s, collect %s, %" PRIu32 " requests, %" PRIu32
                " errors%s%s\n",
                st->target, clk, a, st->requests, st->errors,
                st->errors && st->warn_msg[0] ? ": " : "", st->errors ? st->warn_msg : "");
    }
    if (!t->cur) {
        fputs("\n", out);
        return;
    }
    unsigned views = t->o->views ? t->o->views : (1u << V__TOP) - 1;
    for (int v = 0; v < V__TOP; v++) {
        if (!(views & (1u << v)))
            continue;
        int rows = ui_view_rows(&t->u, v, width);
        struct grid g;
        grid_init(&g, width, rows + 1, t->utf8);
        ui_draw_plain(&t->u, &g, v);
        struct buf b = BUF_INIT;
        grid_text(&g, &b);
        /* drop trailing empty lines */
        while (b.len >= 2 && b.p[b.len - 1] == '\n' && b.p[b.len - 2] == '\n')
            b.p[--b.len] = '\0';
        fputs("\n", out);
        fwrite(buf_str(&b), 1, b.len, out);
        buf_release(&b);
        grid_release(&g);
    }
    fputs("\n", out);
    fflush(out);
}

static int run_batch(struct top *t)
{
    int width = t->o->width > 0 ? t->o->width : 80;
    int rc = 0;
    int64_t prev_doc_t = -1;
    for (long i = 0; t->o->iterations < 0 || i < t->o->iterations; i++) {
        if (term_signalled())
            return EXIT_TOP_INT;
        if (i && !t->c.replay) {
            sleep_ms(t->next_due - mono_ms());
            if (term_signalled())
                return EXIT_TOP_INT;
        }
        if (t->c.replay && t->o->speed_set && t->o->speed > 0 && prev_doc_t >= 0 &&
            t->c.next < t->c.rp.ndocs)
            sleep_ms((int64_t)((double)(t->c.rp.docs[t->c.next].t - prev_doc_t) / t->o->speed));
        struct sample *s = collector_next(&t->c);
        if (!s)
            break;
        if (t->c.replay && s->rc < 0) {
            fprintf(stderr, "kafkaudit top: %s\n", s->err);
            sample_free(s);
            return EXIT_TOP_INPUT;
        }
        if (t->c.replay)
            prev_doc_t = t->c.rp.docs[s->pos].t;
        t->u.wall_now = wall_ms();
        apply(t, s);
        if (t->c.replay)
            t->u.wall_now = t->u.st.sample_t;
        print_frame(t, stdout, width);
        rc = t->u.st.unreachable ? EXIT_TOP_CLUSTER : 0;
    }
    if (t->c.rec_errno) {
        fprintf(stderr, "kafkaudit top: writing the recording failed: %s\n",
                strerror(t->c.rec_errno));
        return EXIT_TOP_INPUT;
    }
    return rc;
}

/* ---- headless script (golden screens) --------------------------------------- */

static int script_step(struct top *t)
{
    struct sample *s = collector_next(&t->c);
    if (!s)
        return 0;
    if (t->c.replay && s->rc < 0) {
        fprintf(stderr, "kafkaudit top: %s\n", s->err);
        sample_free(s);
        return -1;
    }
    apply(t, s);
    t->u.wall_now = t->u.st.sample_t;
    return 1;
}

static int run_script(struct top *t, const char *path)
{
    struct buf b = BUF_INIT;
    if (buf_read_file(&b, path, 1 << 20) < 0) {
        fprintf(stderr, "kafkaudit top: cannot read script '%s': %s\n", path, strerror(errno));
        return EXIT_TOP_USAGE;
    }
    struct grid g;
    grid_init(&g, t->o->width > 0 ? t->o->width : 80, t->o->height > 0 ? t->o->height : 24,
              t->utf8);
    int rc = 0;
    if (script_step(t) < 0)
        rc = EXIT_TOP_INPUT;
    unsigned lineno = 0;
    char *next = b.p;
    while (next && *next && !rc) {
        char *line = next;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            next = nl + 1;
        } else {
            next = NULL;
        }
        lineno++;
        while (*line == ' ' || *line == '\t')
            line++;
        size_t n = strlen(line);
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\r' || line[n - 1] == '\t'))
            line[--n] = '\0';
        if (!*line || *line == '#')
            continue;
        char *arg = strchr(line, ' ');
        if (arg) {
            *arg++ = '\0';
            while (*arg == ' ')
                arg++;
        } else {
            arg = line + n;
        }
        if (strcmp(line, "frame") == 0 || strcmp(line, "next") == 0) {
            long k = *arg ? strtol(arg, NULL, 10) : 1;
            for (long i = 0; i < k && !rc; i++)
                if (script_step(t) < 0)
                    rc = EXIT_TOP_INPUT;
        } else if (strcmp(line, "key") == 0 || strcmp(line, "keys") == 0) {
            for (const char *p = arg; *p;) {
                int key, used = key_parse(p, &key);
                if (!used) {
                    fprintf(stderr, "%s:%u: unknown key in '%s'\n", path, lineno, p);
                    rc = EXIT_TOP_USAGE;
                    break;
                }
                p += used;
                unsigned f = ui_key(&t->u, key);
                if (f & UI_REFRESH && script_step(t) < 0)
                    rc = EXIT_TOP_INPUT;
                if (f & UI_QUIT) {
                    grid_release(&g);
                    buf_release(&b);
                    return 0;
                }
            }
        } else if (strcmp(line, "size") == 0) {
            int w = 0, h = 0;
            if (sscanf(arg, "%d %d", &w, &h) != 2 || w < 1 || h < 1 || w > 1000 || h > 1000) {
                fprintf(stderr, "%s:%u: size W H\n", path, lineno);
                rc = EXIT_TOP_USAGE;
            } else {
                grid_resize(&g, w, h);
                ui_key(&t->u, K_RESIZE);
            }
        } else if (strcmp(line, "save-screen") == 0 || strcmp(line, "save-attrs") == 0 ||
                   strcmp(line, "print") == 0) {
            ui_draw(&t->u, &g);
            struct buf o = BUF_INIT;
            if (strcmp(line, "save-attrs") == 0)
                grid_attr_text(&g, &o);
            else
                grid_text(&g, &o);
            FILE *f = *line == 'p' ? stdout : fopen(arg, "w");
            if (!f) {
                fprintf(stderr, "%s:%u: cannot write '%s': %s\n", path, lineno, arg,
                        strerror(errno));
                rc = EXIT_TOP_USAGE;
            } else {
                fwrite(buf_str(&o), 1, o.len, f);
                if (f != stdout)
                    fclose(f);
            }
            buf_release(&o);
        } else {
            fprintf(stderr,
                    "%s:%u: unknown command '%s' (frame, key, size, save-screen, "
                    "save-attrs, print)\n",
                    path, lineno, line);
            rc = EXIT_TOP_USAGE;
        }
    }
    grid_release(&g);
    buf_release(&b);
    return rc;
}

/* ---- interactive ------------------------------------------------------------- */

static int run_interactive(struct top *t)
{
    char err[256];
    if (term_init(t->o->color, err, sizeof err) < 0) {
        fprintf(stderr, "kafkaudit top: %s\n", err);
        return EXIT_TOP_USAGE;
    }
    int w, h;
    term_size(&w, &h);
    struct grid g;
    grid_init(&g, w, h, t->utf8);
    struct collect_worker wk;
    if (collect_worker_start(&wk, &t->c) < 0) {
        term_done();
        fprintf(stderr, "kafkaudit top: cannot start the collection thread\n");
        return EXIT_TOP_USAGE;
    }
    int rc = 0;
    bool dirty = true, full = true, requested = false;
    int64_t last_draw = 0;
    t->next_due = mono_ms();
    for (;;) {
        if (term_signalled()) {
            rc = EXIT_TOP_INT;
            break;
        }
        int64_t now = mono_ms();
        t->u.wall_now = t->c.replay ? t->u.st.sample_t : wall_ms();
        /* a finished collection? */
        bool busy, end;
        struct sample *s = collect_worker_poll(&wk, &busy, &end);
        if (s) {
            if (t->c.replay && s->rc < 0) {
                snprintf(t->u.st.fail_msg, sizeof t->u.st.fail_msg, "%s", s->err);
                t->u.st.unreachable = true;
                t->u.st.failures++;
                sample_free(s);
            } else {
                apply(t, s);
                if (t->c.replay) {
                    t->anchor_mono = now;
                    t->anchor_t = t->c.rp.docs[s->pos].t;
                }
            }
            requested = false;
            dirty = true;
        }
        if (end && !t->u.st.replay_done) {
            t->u.st.replay_done = true;
            dirty = true;
        }
        /* schedule the next collection */
        int64_t due = t->c.replay ? replay_due(t) : t->next_due;
        if (!busy && !requested && !end && (t->force || (!t->u.paused && now >= due))) {
            t->force = false;
            collect_worker_ask(&wk);
            requested = true;
            t->u.st.collecting = true;
            t->u.st.collecting_since = t->u.wall_now;
        }
        if (dirty || now - last_draw >= 1000) {
            ui_draw(&t->u, &g);
            term_blit(&g, full);
            dirty = full = false;
            last_draw = now;
        }
        int64_t wait = 100;
        if (!requested && !t->u.paused && due > now && due - now < wait)
            wait = due - now;
        int key = term_key((int)(wait < 1 ? 1 : wait));
        if (key == K_NONE)
            continue;
        if (key == K_RESIZE) {
            term_size(&w, &h);
            grid_resize(&g, w, h);
        }
        unsigned f = ui_key(&t->u, key);
        if (f & UI_QUIT)
            break;
        if (f & UI_REFRESH)
            t->force = true; /* live: collect now; replay: the next sample */
        if ((f & UI_PAUSE) && !t->u.paused)
            t->anchor_mono = now; /* the recording's clock stopped while paused */
        if (f & UI_FULL)
            full = true;
        if (f)
            dirty = true;
    }
    term_done();
    /* do not wait long for a collection in flight (it ends at its own
     * deadline; the process is leaving anyway) */
    collect_worker_stop(&wk, 2000);
    grid_release(&g);
    if (t->c.rec_errno)
        fprintf(stderr, "kafkaudit top: writing the recording failed: %s\n",
                strerror(t->c.rec_errno));
    if (rc == EXIT_TOP_INT)
        fprintf(stderr, "kafkaudit top: interrupted\n");
    return rc;
}

int top_run(const struct top_opts *o)
{
    struct top t;
    memset(&t, 0, sizeof t);
    t.o = o;
    t.utf8 = utf8_locale(o);
    watch_init(&t.w, &o->wopts);
    ui_init(&t.u, &t.w);
    t.u.view = o->view >= 0 && o->view < V__TOP ? o->view : V_OVERVIEW;
    term_signals();
    char err[512];
    const char *script = o->script ? o->script : getenv("KAFKAUDIT_TUI_SCRIPT");
    t.rules_always = (script && *script) || o->batch;
    int rc = open_sources(&t, err, sizeof err);
    if (rc) {
        fprintf(stderr, "kafkaudit top: %s\n", err);
    } else {
        if (script && *script)
            rc = run_script(&t, script);
        else if (o->batch)
            rc = run_batch(&t);
        else
            rc = run_interactive(&t);
    }
    collector_close(&t.c);
    if (t.fsnap != t.cur)
        sample_free(t.fsnap);
    sample_free(t.cur);
    ui_release(&t.u);
    watch_release(&t.w);
    return rc;
}
