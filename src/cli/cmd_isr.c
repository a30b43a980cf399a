/*
 * cmd_isr.c - `kafkaudit isr`: partition replication state, with the
 * filters and exact predicates of kafka-topics.sh (model/partition_state.h),
 * and `--without-broker ID`: which partitions would go under their min ISR
 * or offline if those brokers stopped ("can I restart broker 2 now?").
 */
#include "cli/connect.h"
#include "model/effective.h"
#include "model/partition_state.h"
#include "report/render.h"
#include "util/buf.h"
#include "util/json_writer.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_URP = 1,
    O_UNDER_MIN,
    O_AT_MIN,
    O_UNAVAIL,
    O_WITHOUT,
    O_TOPIC,
    O_FORMAT,
    O_JSON,
    O_EXCLUDE_INTERNAL,
    O_STATS,
    O_DESCRIBE,
};

static const struct opt isr_opts[] = {
    CONNECT_OPTIONS,
    {"under-replicated-partitions", 0, NULL, O_URP, 0, NULL,
     "partitions with fewer in-sync replicas than replicas (RF - |ISR| > 0)"},
    {"under-min-isr-partitions", 0, NULL, O_UNDER_MIN, 0, NULL,
     "partitions without a leader or with |ISR| < min.insync.replicas (acks=all fails)"},
    {"at-min-isr-partitions", 0, NULL, O_AT_MIN, 0, NULL,
     "partitions with |ISR| == min.insync.replicas (one broker from refusing writes)"},
    {"unavailable-partitions", 0, NULL, O_UNAVAIL, 0, NULL,
     "partitions without a leader, or whose leader is not a live broker"},
    /* the spellings of kafkaudit 0.1 */
    {"under-replicated", 0, NULL, O_URP, OPT_HIDDEN, NULL, "--under-replicated-partitions"},
    {"under-min-isr", 0, NULL, O_UNDER_MIN, OPT_HIDDEN, NULL, "--under-min-isr-partitions"},
    {"at-min-isr", 0, NULL, O_AT_MIN, OPT_HIDDEN, NULL, "--at-min-isr-partitions"},
    {"unavailable", 0, NULL, O_UNAVAIL, OPT_HIDDEN, NULL, "--unavailable-partitions"},
    {"describe", 0, NULL, O_DESCRIBE, 0, NULL,
     "accepted for kafka-topics.sh --describe; isr always describes"},
    {"without-broker", 'w', "ID", O_WITHOUT, OPT_REPEAT, NULL,
     "what if broker ID stopped (repeatable): list the partitions that would go under "
     "min ISR or offline; exit 1 if any"},
    {"topic", 't', "GLOB", O_TOPIC, 0, NULL, "only topics matching GLOB (shell pattern)"},
    {"exclude-internal", 0, NULL, O_EXCLUDE_INTERNAL, 0, NULL,
     "leave out __consumer_offsets and __transaction_state"},
    {"format", 'f', "FORMAT", O_FORMAT, 0, "text|json", "text (default, aligned columns) or json"},
    {"json", 0, NULL, O_JSON, 0, NULL, "same as --format json"},
    COLOR_OPTIONS,
    {"stats", 0, NULL, O_STATS, 0, NULL, "print the requests sent to the cluster on stderr"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

#define MAX_WITHOUT 64

struct row {
    const struct partition *p;
    struct pstate now, after;
    bool already; /* --without-broker: under min ISR or unavailable before the restart */
    uint32_t ord; /* position in the cluster's topic, partition order */
};

struct isr_run {
    bool filter_urp, filter_under, filter_at, filter_unavail, json, exclude_internal;
    int32_t without[MAX_WITHOUT];
    uint32_t nwithout;
    struct row *rows;
    uint32_t nrows;
    uint32_t n_urp, n_under, n_at, n_unavail, n_parts, n_topics, n_unknown_min;
    /* --without-broker: partitions the restart would break, partitions at
     * risk already, partitions of the stopped brokers whose outcome is
     * unknown (min.insync.replicas not read) */
    uint32_t n_break, n_already, n_cannot_tell;
    bool complete; /* everything the answer needs was read */
    bool color;    /* text: colour problem rows */
};

static bool filtering(const struct isr_run *r)
{
    return r->filter_urp || r->filter_under || r->filter_at || r->filter_unavail;
}

/* min.insync.replicas of t, or -1 when its configuration could not be read */
static int32_t topic_min_isr(const struct model *m, const struct topic *t)
{
    if (!t->nparts)
        return -1;
    const struct setting *s = object_get(&t->o, "min.insync.replicas");
    if (!s && t->o.error && strstr(t->o.error, "DescribeConfigs"))
        return -1;
    return partition_min_isr(m, t->parts[0]);
}

static bool holds_replica(const struct partition *p, const int32_t *ids, uint32_t n)
{
    for (uint16_t i = 0; i < p->nreplicas; i++)
        for (uint32_t j = 0; j < n; j++)
            if (p->replicas[i] == ids[j])
                return true;
    return false;
}

static void classify(const struct model *m, struct isr_run *r)
{
    uint32_t cap = 0;
    for (uint32_t i = 0; i < m->ntopics; i++)
        cap += m->topics[i]->nparts;
    r->rows = xcalloc(cap + 1, sizeof *r->rows);
    for (uint32_t i = 0; i < m->ntopics; i++) {
        const struct topic *t = m->topics[i];
        if (r->exclude_internal && t->internal)
            continue;
        r->n_topics++;
        int32_t mi = topic_min_isr(m, t);
        for (uint32_t j = 0; j < t->nparts; j++) {
            const struct partition *p = t->parts[j];
            struct row w = {p, partition_classify(m, p, mi, NULL, 0), {0}, false, 0};
            r->n_parts++;
            if (mi < 0)
                r->n_unknown_min++;
            r->n_urp += !!(w.now.bits & PS_UNDER_REPLICATED);
            r->n_under += !!(w.now.bits & PS_UNDER_MIN_ISR);
            r->n_at += !!(w.now.bits & PS_AT_MIN_ISR);
            r->n_unavail += !!(w.now.bits & PS_UNAVAILABLE);
            bool keep;
            if (r->nwithout) {
                const uint32_t risk = PS_UNDER_MIN_ISR | PS_UNAVAILABLE;
                w.after = partition_classify(m, p, mi, r->without, r->nwithout);
                bool held = holds_replica(p, r->without, r->nwithout);
                /* the restart breaks it when it adds a risk it did not
                 * have before (under min ISR now, offline after: that
                 * restart takes it offline); at risk before any restart
                 * and no worse after: listed apart, never "safe" */
                bool worse = held && (w.after.bits & risk & ~w.now.bits);
                w.already = (w.now.bits & risk) && !worse;
                keep = w.already || worse;
                if (keep)
                    *(w.already ? &r->n_already : &r->n_break) += 1;
                else if (held && mi < 0)
                    r->n_cannot_tell++;
            } else if (filtering(r)) {
                keep = (r->filter_urp && (w.now.bits & PS_UNDER_REPLICATED)) ||
                       (r->filter_under && (w.now.bits & PS_UNDER_MIN_ISR)) ||
                       (r->filter_at && (w.now.bits & PS_AT_MIN_ISR)) ||
                       (r->filter_unavail && (w.now.bits & PS_UNAVAILABLE));
            } else {
                keep = true;
            }
            if (keep) {
                w.ord = r->nrows;
                r->rows[r->nrows++] = w;
            }
        }
    }
}

/* Problems first, worst first: unavailable (offline), under min ISR, at
 * min ISR, under-replicated, min.insync.replicas unknown, then the healthy
 * partitions; each in topic, partition order.  --without-broker ranks by
 * the state after the restart, those at risk already after the others.
 * (kafkaudit(1), isr) */
static int rank(const struct row *w, bool after)
{
    const struct pstate *s = after ? &w->after : &w->now;
    if (s->bits & (PS_UNAVAILABLE | PS_NO_LEADER))
        return 0;
    if (s->bits & PS_UNDER_MIN_ISR)
        return 1;
    if (s->bits & PS_AT_MIN_ISR)
        return 2;
    if (s->bits & PS_UNDER_REPLICATED)
        return 3;
    if (w->now.min_isr < 0)
        return 4;
    return 5;
}

static bool g_after;

static int cmp_rank(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    /* --without-broker: what the restart would break, then what is at
     * risk already */
    int rx = rank(x, g_after) + (x->already ? 8 : 0), ry = rank(y, g_after) + (y->already ? 8 : 0);
    if (rx != ry)
        return rx - ry;
    return (x->ord > y->ord) - (x->ord < y->ord);
}

static void order_rows(struct isr_run *r)
{
    g_after = r->nwithout > 0;
    if (r->nrows > 1)
        qsort(r->rows, r->nrows, sizeof *r->rows, cmp_rank);
}

/* red: writes refused or the partition offline; yellow: one failure from
 * it, or replicas behind; dim: unknown */
static enum paint row_paint(const struct row *w, bool after)
{
    static const enum paint by_rank[] = {PAINT_ERROR,   PAINT_ERROR,   PAINT_WARNING,
                                         PAINT_WARNING, PAINT_UNKNOWN, PAINT_RESET};
    return by_rank[rank(w, after)];
}

static void ids(struct buf *b, const int32_t *v, uint16_t n)
{
    if (!n) {
        buf_putc(b, '-');
        return;
    }
    for (uint16_t i = 0; i < n; i++)
        buf_printf(b, "%s%d", i ? "," : "", v[i]);
}

static void isr_after(struct buf *b, const struct partition *p, const int32_t *wo, uint32_t nwo)
{
    bool any = false;
    for (uint16_t i = 0; i < p->nisr; i++) {
        bool gone = false;
        for (uint32_t j = 0; j < nwo; j++)
            gone |= p->isr[i] == wo[j];
        if (!gone) {
            buf_printf(b, "%s%d", any ? "," : "", p->isr[i]);
            any = true;
        }
    }
    if (!any)
        buf_putc(b, '-');
}

static void status(struct buf *b, const struct pstate *s)
{
    size_t start = b->len;
    if (s->bits & PS_NO_LEADER)
        buf_puts(b, "no-leader,");
    if (s->bits & PS_UNAVAILABLE)
        buf_puts(b, "unavailable,");
    if (s->bits & PS_UNDER_MIN_ISR)
        buf_puts(b, "under-min-isr,");
    if (s->bits & PS_AT_MIN_ISR)
        buf_puts(b, "at-min-isr,");
    if (s->bits & PS_UNDER_REPLICATED)
        buf_puts(b, "under-replicated,");
    if (b->len == start)
        buf_puts(b, "ok");
    else
        b->p[--b->len] = '\0';
}

enum { C_TOPIC, C_PART, C_LEADER, C_REPLICAS, C_ISR, C_MIN, C_OFFLINE, C_AFTER, C_STATUS, C_N };

static void cell(struct buf *b, const struct isr_run *r, const struct row *w, int col)
{
    const struct partition *p = w->p;
    switch (col) {
    case C_TOPIC: buf_puts(b, p->topic->o.name); break;
    case C_PART: buf_printf(b, "%d", p->id); break;
    case C_LEADER:
        if (p->leader >= 0)
            buf_printf(b, "%d", p->leader);
        else
            buf_putc(b, '-');
        break;
    case C_REPLICAS: ids(b, p->replicas, p->nreplicas); break;
    case C_ISR: ids(b, p->isr, p->nisr); break;
    case C_MIN:
        if (w->now.min_isr >= 0)
            buf_printf(b, "%d", w->now.min_isr);
        else
            buf_putc(b, '?');
        break;
    case C_OFFLINE: ids(b, p->offline, p->noffline); break;
    case C_AFTER: isr_after(b, p, r->without, r->nwithout); break;
    case C_STATUS:
        status(b, r->nwithout ? &w->after : &w->now);
        if (w->already)
            buf_puts(b, " (already before the restart)");
        break;
    }
}

static void print_text(const struct model *m, const struct isr_run *r)
{
    static const char *const heads[C_N] = {"TOPIC",   "PARTITION", "LEADER",    "REPLICAS", "ISR",
                                           "MIN-ISR", "OFFLINE",   "ISR-AFTER", "STATUS"};
    bool show[C_N];
    for (int c = 0; c < C_N; c++)
        show[c] = true;
    show[C_AFTER] = r->nwithout > 0;
    size_t wd[C_N];
    for (int c = 0; c < C_N; c++)
        wd[c] = strlen(heads[c]);
    struct buf b = BUF_INIT;
    for (uint32_t i = 0; i < r->nrows; i++)
        for (int c = 0; c < C_N - 1; c++) {
            if (!show[c])
                continue;
            buf_reset(&b);
            cell(&b, r, &r->rows[i], c);
            if (b.len > wd[c])
                wd[c] = b.len;
        }
    if (r->nrows) {
        for (int c = 0; c < C_STATUS; c++)
            if (show[c])
                printf("%-*s  ", (int)wd[c], heads[c]);
        puts(r->nwithout ? "STATUS-AFTER" : heads[C_STATUS]);
    }
    for (uint32_t i = 0; i < r->nrows; i++) {
        enum paint pt = row_paint(&r->rows[i], r->nwithout > 0);
        bool painted = r->color && pt != PAINT_RESET;
        fputs(paint(painted, pt), stdout);
        for (int c = 0; c < C_N; c++) {
            if (!show[c])
                continue;
            buf_reset(&b);
            cell(&b, r, &r->rows[i], c);
            if (c == C_STATUS)
                fputs(buf_str(&b), stdout);
            else
                printf("%-*s  ", (int)wd[c], buf_str(&b));
        }
        fputs(paint(painted, PAINT_RESET), stdout);
        putchar('\n');
    }
    buf_release(&b);
    uint32_t down = 0;
    for (uint32_t i = 0; i < m->nbrokers; i++)
        down += m->brokers[i]->down;
    if (r->nrows)
        putchar('\n');
    printf("%u broker%s (%u down), %u topic%s, %u partition%s: %u under-replicated, %u under "
           "min ISR, %u at min ISR, %u unavailable\n",
           m->nbrokers, m->nbrokers == 1 ? "" : "s", down, r->n_topics, r->n_topics == 1 ? "" : "s",
           r->n_parts, r->n_parts == 1 ? "" : "s", r->n_urp, r->n_under, r->n_at, r->n_unavail);
    if (r->nwithout) {
        struct buf w = BUF_INIT;
        for (uint32_t i = 0; i < r->nwithout; i++)
            buf_printf(&w, "%s%d", i ? (i + 1 == r->nwithout ? " and " : ", ") : "", r->without[i]);
        const char *bs = r->nwithout > 1 ? "s" : "";
        if (r->n_break)
            printf("without broker%s %s: %u partition%s would go under min ISR or offline\n", bs,
                   buf_str(&w), r->n_break, r->n_break == 1 ? "" : "s");
        if (r->n_already)
            printf("without broker%s %s: %u partition%s already under min ISR or offline before "
                   "the restart\n",
                   bs, buf_str(&w), r->n_already, r->n_already == 1 ? " is" : "s are");
        if (r->n_cannot_tell)
            printf("without broker%s %s: cannot tell for %u partition%s: min.insync.replicas "
                   "unknown\n",
                   bs, buf_str(&w), r->n_cannot_tell, r->n_cannot_tell == 1 ? "" : "s");
        if (!r->nrows && !r->n_cannot_tell)
            printf("without broker%s %s: no partition would be under min ISR or offline\n", bs,
                   buf_str(&w));
        buf_release(&w);
    }
    if (r->n_unknown_min)
        printf("min.insync.replicas unknown for %u partitions (shown as ?): their "
               "configuration could not be read\n",
               r->n_unknown_min);
}

static void json_ids(struct jw *o, const char *key, const int32_t *v, uint16_t n)
{
    jw_key(o, key);
    jw_arr_begin(o);
    for (uint16_t i = 0; i < n; i++)
        jw_int(o, v[i]);
    jw_arr_end(o);
}

static void json_int_or_null(struct jw *o, const char *key, int64_t v)
{
    jw_key(o, key);
    if (v >= 0)
        jw_int(o, v);
    else
        jw_null(o);
}

static void jstate(struct jw *o, const struct pstate *s)
{
    jw_kbool(o, "under_replicated", s->bits & PS_UNDER_REPLICATED);
    jw_kbool(o, "under_min_isr", s->bits & PS_UNDER_MIN_ISR);
    jw_kbool(o, "at_min_isr", s->bits & PS_AT_MIN_ISR);
    jw_kbool(o, "unavailable", s->bits & PS_UNAVAILABLE);
    jw_kbool(o, "no_leader", s->bits & PS_NO_LEADER);
}

static void print_json(const struct model *m, const struct isr_run *r, const struct live_stats *st)
{
    struct jw *o = xmalloc(sizeof *o);
    jw_init(o, stdout, true);
    jw_obj_begin(o);
    live_json_header(o, "isr", m);
    jw_key(o, "brokers");
    jw_arr_begin(o);
    uint32_t down = 0;
    for (uint32_t i = 0; i < m->nbrokers; i++) {
        const struct broker *b = m->brokers[i];
        down += b->down;
        jw_obj_begin(o);
        jw_kint(o, "id", b->id);
        jw_kstr(o, "host", b->host);
        jw_kint(o, "port", b->port);
        jw_kstr(o, "rack", b->rack);
        jw_kbool(o, "down", b->down);
        jw_obj_end(o);
    }
    jw_arr_end(o);
    json_ids(o, "without_brokers", r->without, (uint16_t)r->nwithout);
    jw_key(o, "partitions");
    jw_arr_begin(o);
    for (uint32_t i = 0; i < r->nrows; i++) {
        const struct row *w = &r->rows[i];
        const struct partition *p = w->p;
        jw_obj_begin(o);
        jw_kstr(o, "topic", p->topic->o.name);
        jw_kint(o, "partition", p->id);
        json_int_or_null(o, "leader", p->leader);
        json_ids(o, "replicas", p->replicas, p->nreplicas);
        json_ids(o, "isr", p->isr, p->nisr);
        json_ids(o, "offline", p->offline, p->noffline);
        json_int_or_null(o, "min_isr", w->now.min_isr);
        jstate(o, &w->now);
        if (r->nwithout) {
            jw_kbool(o, "already_at_risk", w->already);
            jw_key(o, "after");
            jw_obj_begin(o);
            jw_kint(o, "isr", w->after.isr);
            jstate(o, &w->after);
            jw_obj_end(o);
        }
        jw_obj_end(o);
    }
    jw_arr_end(o);
    jw_key(o, "summary");
    jw_obj_begin(o);
    jw_kint(o, "brokers", m->nbrokers);
    jw_kint(o, "brokers_down", down);
    jw_kint(o, "topics", r->n_topics);
    jw_kint(o, "partitions", r->n_parts);
    jw_kint(o, "under_replicated", r->n_urp);
    jw_kint(o, "under_min_isr", r->n_under);
    jw_kint(o, "at_min_isr", r->n_at);
    jw_kint(o, "unavailable", r->n_unavail);
    jw_kint(o, "min_isr_unknown", r->n_unknown_min);
    if (r->nwithout) {
        jw_kint(o, "at_risk", r->nrows);
        jw_kint(o, "already_at_risk", r->n_already);
        jw_kint(o, "cannot_tell", r->n_cannot_tell);
    }
    jw_obj_end(o);
    jw_kbool(o, "complete", r->complete);
    jw_key(o, "errors");
    jw_arr_begin(o);
    for (uint32_t i = 0; i < m->diags.n; i++) {
        const struct diag *d = &m->diags.v[i];
        if (d->sev == DIAG_NOTE)
            continue;
        jw_obj_begin(o);
        jw_kstr(o, "severity", diag_sev_name((enum diag_sev)d->sev));
        jw_kstr(o, "message", d->msg);
        jw_obj_end(o);
    }
    jw_arr_end(o);
    jw_kint(o, "requests", st->requests);
    jw_obj_end(o);
    jw_end(o);
    free(o);
}

static int run(int argc, char **argv, const struct command *self)
{
    struct live_opts lo;
    live_opts_init(&lo);
    lo.want_groups = false;
    lo.want_offsets = false;
    struct isr_run r;
    memset(&r, 0, sizeof r);
    bool stats = false;
    enum color_mode cm = COLOR_AUTO;
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    int id, rc;
    const char *arg;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        switch (id) {
        case OPT_ERROR: return EXIT_USAGE;
        case OPT_POSITIONAL: return usage_error(self, "unexpected operand '%s'", arg);
        case O_URP: r.filter_urp = true; break;
        case O_UNDER_MIN: r.filter_under = true; break;
        case O_AT_MIN: r.filter_at = true; break;
        case O_UNAVAIL: r.filter_unavail = true; break;
        case O_EXCLUDE_INTERNAL: r.exclude_internal = true; break;
        case O_STATS: stats = true; break;
        case O_DESCRIBE: break;
        case O_TOPIC: lo.topic_filter = arg; break;
        case O_JSON: r.json = true; break;
        case O_FORMAT:
            if (strcmp(arg, "json") == 0)
                r.json = true;
            else if (strcmp(arg, "text") != 0)
                return usage_error(self, "--format expects text or json");
            break;
        case O_WITHOUT: {
            int64_t v;
            if (str_to_i64(arg, &v) || v < 0 || v > INT32_MAX)
                return usage_error(self, "--without-broker expects a broker id, not '%s'", arg);
            if (r.nwithout >= MAX_WITHOUT)
                return usage_error(self, "at most %d --without-broker options", MAX_WITHOUT);
            r.without[r.nwithout++] = (int32_t)v;
            break;
        }
        default:
            if ((rc = color_opt(&cm, id, arg, self)) == 1)
                rc = connect_opt(&lo, id, arg, self);
            if (rc != 0)
                return rc == 1 ? usage_error(self, "unexpected option") : rc;
        }
    }
    if ((rc = connect_finish(&lo, self, true)) != 0)
        return rc;
    if (r.nwithout && filtering(&r))
        return usage_error(self, "--without-broker lists the partitions at risk; it does not "
                                 "combine with the --under-*/--at-min-isr-partitions/"
                                 "--unavailable-partitions filters");

    struct model m;
    model_init(&m);
    struct live_stats st;
    enum collect_result cr = connect_collect(&lo, &m, &st);
    render_diags_text(stderr, &m.sources, &m.diags, want_color(cm, stderr), &m);
    if (stats)
        print_request_stats(stderr, &st);
    if (cr == COLLECT_CONFIG || (cr == COLLECT_UNREACHABLE && !r.json)) {
        model_release(&m);
        return collect_exit_status(cr);
    }
    /* a typo must not pass the restart gate */
    for (uint32_t i = 0; i < r.nwithout && cr != COLLECT_UNREACHABLE; i++)
        if (!model_find_broker(&m, r.without[i])) {
            struct buf ids = BUF_INIT;
            for (uint32_t k = 0; k < m.nbrokers; k++)
                buf_printf(&ids, "%s%d", k ? ", " : "", m.brokers[k]->id);
            fprintf(stderr,
                    "kafkaudit: isr: error: --without-broker %d: the cluster has no broker %d "
                    "(its brokers: %s)\n",
                    r.without[i], r.without[i], m.nbrokers ? buf_str(&ids) : "none read");
            buf_release(&ids);
            model_release(&m);
            return EXIT_USAGE;
        }
    classify(&m, &r);
    order_rows(&r);
    r.color = want_color(cm, stdout);
    /* Incomplete for isr: the cluster unreachable, a topic without
     * partition data, a min ISR that could not be read, or the deadline.
     * A broker's own configuration that could not be read does not matter
     * here. */
    bool incomplete = cr == COLLECT_UNREACHABLE || r.n_unknown_min ||
                      diag_count(&m.diags, DIAG_ERROR, DK_CLUSTER);
    for (uint32_t i = 0; i < m.ntopics && !incomplete; i++)
        incomplete = m.topics[i]->o.error && !m.topics[i]->nparts;
    /* the restart gate: every partition read (a topic's configs, the
     * deadline, a broker's answers) or it cannot vouch: non-zero */
    if (r.nwithout && (st.errors || diag_count(&m.diags, DIAG_WARNING, DK_CLUSTER)))
        incomplete = true;
    r.complete = !incomplete;
    if (r.json)
        print_json(&m, &r, &st);
    else
        print_text(&m, &r);
    fflush(stdout);
    int status = EXIT_OK;
    if (r.nwithout && r.nrows)
        status = EXIT_FINDINGS;
    else if (incomplete)
        status = EXIT_CLUSTER; /* cannot vouch for the answer */
    free(r.rows);
    model_release(&m);
    return status;
}

const struct command cmd_isr = {
    .name = "isr",
    .summary = "list partitions by replication state, or check a broker restart",
    .synopsis = "[OPTIONS] -b HOST:PORT",
    .opts = isr_opts,
    .run = run,
    .exit_status = "Exit status: 0 ok, 1 --without-broker would take partitions under min ISR\n"
                   "or offline, 2 usage error, 3 invalid connection settings, 4 cluster\n"
                   "unreachable or the answer incomplete.",
    .description =
        "Reads the cluster's metadata and topic configurations and lists every partition\n"
        "with its leader, replicas, in-sync replicas, min.insync.replicas and state.  The\n"
        "filters select partitions exactly as the filters of kafka-topics.sh do; given\n"
        "several, a partition matching any of them is listed.  --without-broker answers\n"
        "\"can I stop these brokers now?\": it lists the partitions that would go under\n"
        "their min ISR or offline, and exits 1 if there are any (those already at risk\n"
        "before the restart are marked apart), 2 for a broker id the cluster does not\n"
        "have, 4 when it cannot tell for some partition.  Offline replicas are\n"
        "replicas whose broker is missing from the cluster metadata.  Exit status 4 means\n"
        "the cluster could not be reached, or a topic's partitions or min.insync.replicas\n"
        "could not be read: the answer cannot be vouched for.  Problems come first:\n"
        "unavailable, under min ISR, at min ISR, under-replicated, min ISR unknown, then\n"
        "the healthy partitions; on a terminal the first two are red, the next two\n"
        "yellow, unknown dim.",
};
