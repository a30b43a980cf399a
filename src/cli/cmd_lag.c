/*
 * cmd_lag.c - `kafkaudit lag [-g GROUP...]`: committed offset, log end and
 * lag per group, topic and partition, with group state, members and
 * totals.
 *
 * Lag = log end (high watermark) - committed offset, "-" where nothing is
 * committed.  Committed offsets are read before log ends (see live.h), so
 * lag is never negative; a committed offset beyond the log end (possible
 * after an unclean leader election truncated the log) is shown as lag 0
 * with a note.  A committed offset below the log start means messages were
 * deleted before this group read them: that is noted too.
 */
#include "cli/connect.h"
#include "report/render.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/json_writer.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_GROUP = 1,
    O_TOPIC,
    O_SORT,
    O_MIN_LAG,
    O_STATE,
    O_TOTALS,
    O_FORMAT,
    O_JSON,
    O_WINDOW,
    O_STATS,
    O_ALL_GROUPS,
    O_DESCRIBE,
};

static const struct opt lag_opts[] = {
    CONNECT_OPTIONS,
    {"group", 'g', "GROUP", O_GROUP, OPT_REPEAT, NULL,
     "only this consumer group (repeatable; default: every group)"},
    {"all-groups", 0, NULL, O_ALL_GROUPS, 0, NULL,
     "every consumer group (the default), as kafka-consumer-groups.sh --all-groups"},
    {"describe", 0, NULL, O_DESCRIBE, 0, NULL,
     "accepted for kafka-consumer-groups.sh --describe; lag always describes"},
    {"topic", 't', "GLOB", O_TOPIC, 0, NULL, "only partitions of topics matching GLOB"},
    {"sort", 's', "KEY", O_SORT, 0, "problem|group|lag|topic",
     "row order: problem (default: groups with problems first, then by group, topic, "
     "partition), group, lag (largest first), topic"},
    {"min-lag", 0, "N", O_MIN_LAG, 0, NULL,
     "only partitions with a lag of at least N (and groups with a total of at least N)"},
    {"state", 0, "STATE", O_STATE, OPT_REPEAT, "state",
     "only groups in STATE: {words} (repeatable; any case)"},
    {"totals", 0, NULL, O_TOTALS, 0, NULL, "only one line per group (state, members, lag)"},
    {"format", 'f', "FORMAT", O_FORMAT, 0, "text|json", "text (default, aligned columns) or json"},
    {"json", 0, NULL, O_JSON, 0, NULL, "same as --format json"},
    {"max-in-flight", 0, "N", O_WINDOW, 0, NULL,
     "committed-offset requests in flight at once (default 32)"},
    COLOR_OPTIONS,
    {"stats", 0, NULL, O_STATS, 0, NULL, "print the requests sent to the cluster on stderr"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

enum sort_key { SORT_PROBLEM, SORT_GROUP, SORT_LAG, SORT_TOPIC };

/* A group's problem, worst first: the order of --sort problem and the
 * colour of its rows (kafkaudit(1), lag). */
enum gproblem {
    GP_ERROR,   /* not read, or messages deleted before it read them: red */
    GP_UNKNOWN, /* part of its lag or its members unknown: dim */
    GP_STALLED, /* lag and no member consuming: yellow */
    GP_LAGGING, /* lag, with members */
    GP_OK,
};
static const char *const gproblem_names[] = {"error", "unknown", "stalled", "lagging", "ok"};

struct lrow {
    const struct group *g;
    const char *topic;
    int32_t partition;
    int64_t committed, log_start, log_end, lag; /* -1 unknown */
    const struct group_member *owner;
    const char *note;
    const char *error;
};

struct gtot {
    const struct group *g;
    int64_t lag;
    uint32_t parts;
    uint32_t known; /* partitions whose lag is known */
    bool unknown;   /* some lag unknown */
    bool lost;      /* a partition error, or messages deleted unread */
    enum gproblem problem;
};

struct lag_run {
    const char *topic_glob;
    enum sort_key sort;
    int64_t min_lag;
    const char *states[16];
    int nstates;
    bool totals_only, json, all_groups, color;
    struct lrow *rows;
    uint32_t nrows, caprows;
    struct gtot *tot;
    uint32_t ntot;
};

static const struct partition *find_part(const struct topic *t, int32_t id)
{
    if (!t)
        return NULL;
    if (id >= 0 && (uint32_t)id < t->nparts && t->parts[id]->id == id)
        return t->parts[id];
    for (uint32_t i = 0; i < t->nparts; i++)
        if (t->parts[i]->id == id)
            return t->parts[i];
    return NULL;
}

/* A group's assignments, sorted by topic and partition, so that owners and
 * assigned-but-uncommitted partitions are found by binary search: groups
 * with thousands of partitions and members stay linear-logarithmic. */
struct owned {
    const char *topic;
    int32_t partition;
    const struct group_member *member;
};

static int cmp_owned(const void *a, const void *b)
{
    const struct owned *x = a, *y = b;
    int c = strcmp(x->topic, y->topic);
    return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

static const struct owned *find_owned(const struct owned *v, uint32_t n, const char *topic,
                                      int32_t p)
{
    struct owned key = {topic, p, NULL};
    return n ? bsearch(&key, v, n, sizeof *v, cmp_owned) : NULL;
}

static struct owned *owned_of(const struct group *g, uint32_t *n)
{
    *n = 0;
    for (uint32_t i = 0; i < g->nmembers; i++)
        *n += g->members[i].nassignment;
    struct owned *v = xcalloc(*n + 1, sizeof *v);
    uint32_t k = 0;
    for (uint32_t i = 0; i < g->nmembers; i++)
        for (uint32_t j = 0; j < g->members[i].nassignment; j++)
            v[k++] = (struct owned){g->members[i].assignment[j].topic,
                                    g->members[i].assignment[j].partition, &g->members[i]};
    if (k > 1)
        qsort(v, k, sizeof *v, cmp_owned);
    return v;
}

static bool state_ok(const struct lag_run *r, const struct group *g)
{
    if (!r->nstates)
        return true;
    for (int i = 0; i < r->nstates; i++)
        if (g->state && str_ieq(g->state, r->states[i]))
            return true;
    return false;
}

static void add_row(struct model *m, struct lag_run *r, const struct group *g, const char *topic,
                    int32_t part, int64_t committed, const char *err, const struct owned *own,
                    uint32_t nown)
{
    if (r->topic_glob && fnmatch(r->topic_glob, topic, 0) != 0)
        return;
    XGROW(r->rows, r->caprows, r->nrows + 1);
    struct lrow *w = &r->rows[r->nrows++];
    memset(w, 0, sizeof *w);
    w->g = g;
    w->topic = topic;
    w->partition = part;
    w->committed = committed;
    w->error = err;
    w->log_start = w->log_end = w->lag = -1;
    const struct partition *p = find_part(model_find_topic(m, topic), part);
    if (p) {
        w->log_start = p->log_start;
        w->log_end = p->log_end;
    }
    const struct owned *o = find_owned(own, nown, topic, part);
    w->owner = o ? o->member : NULL;
    w->lag = offset_lag_of(committed, w->log_end);
    if (w->lag == 0 && committed > w->log_end)
        w->note = arena_printf(&m->arena, "committed offset beyond log end (log truncated?)");
    int64_t deleted = offset_deleted_unread(committed, w->log_start);
    if (deleted > 0)
        w->note = arena_printf(&m->arena, "below log start: %" PRId64 " messages deleted unread",
                               deleted);
    if (committed < 0 && !err)
        w->note = "nothing committed: lag unknown";
    if (!p)
        w->note = "topic or partition no longer exists";
    else if (committed >= 0 && w->log_end < 0)
        w->note = p->leader < 0 ? "no leader: log end unknown" : "log end unknown";
}

static void build(struct model *m, struct lag_run *r)
{
    r->tot = xcalloc(m->ngroups + 1, sizeof *r->tot);
    for (uint32_t i = 0; i < m->ngroups; i++) {
        const struct group *g = m->groups[i];
        if (!state_ok(r, g))
            continue;
        uint32_t first = r->nrows, nown;
        struct owned *own = owned_of(g, &nown);
        /* committed offsets as an "owned" vector too, for the reverse lookup */
        struct owned *com = xcalloc(g->noffsets + 1, sizeof *com);
        for (uint32_t k = 0; k < g->noffsets; k++) {
            com[k] = (struct owned){g->offsets[k].topic, g->offsets[k].partition, NULL};
            add_row(m, r, g, g->offsets[k].topic, g->offsets[k].partition, g->offsets[k].committed,
                    g->offsets[k].error, own, nown);
        }
        if (g->noffsets > 1)
            qsort(com, g->noffsets, sizeof *com, cmp_owned);
        /* assigned partitions with no commit yet */
        bool unread = group_unread(g);
        for (uint32_t k = 0; k < nown; k++)
            if (!find_owned(com, g->noffsets, own[k].topic, own[k].partition))
                add_row(m, r, g, own[k].topic, own[k].partition, -1,
                        unread ? "committed offset not read" : NULL, own, nown);
        free(com);
        free(own);
        if (r->topic_glob && r->nrows == first)
            continue; /* nothing of this group on the topics asked for */
        struct gtot *t = &r->tot[r->ntot];
        memset(t, 0, sizeof *t); /* the slot of a group dropped by --min-lag */
        t->g = g;
        for (uint32_t k = first; k < r->nrows; k++) {
            t->parts++;
            t->lost |= r->rows[k].error ||
                       offset_deleted_unread(r->rows[k].committed, r->rows[k].log_start) > 0;
            if (r->rows[k].lag >= 0) {
                t->lag += r->rows[k].lag;
                t->known++;
            } else {
                /* nothing committed, a partition error, a log end not
                 * read: that partition's lag is unknown, not 0 */
                t->unknown = true;
            }
        }
        /* its committed offsets (or its description) could not be read:
         * what was read is a lower bound, and with nothing read the lag is
         * unknown, not 0 (a group that does not exist has none) */
        if (unread)
            t->unknown = true;
        if (r->min_lag > 0) {
            /* drop rows below the threshold */
            uint32_t w = first;
            for (uint32_t k = first; k < r->nrows; k++)
                if (r->rows[k].lag >= r->min_lag)
                    r->rows[w++] = r->rows[k];
            r->nrows = w;
            if (t->lag < r->min_lag)
                continue;
        }
        r->ntot++;
    }
}

/* No member consumes: its state and members were read and it has none. */
static bool group_idle(const struct group *g)
{
    return g->state && !g->members_unknown && !g->nmembers;
}

/* Unknown is checked before stalled and lagging: a lag that is a lower
 * bound says nothing sure about progress. */
static enum gproblem group_problem(const struct gtot *t)
{
    if (t->g->o.error || t->lost)
        return GP_ERROR;
    if (t->unknown || group_unread(t->g) || t->g->members_unknown)
        return GP_UNKNOWN;
    if (t->lag > 0 && group_idle(t->g))
        return GP_STALLED;
    if (t->lag > 0)
        return GP_LAGGING;
    return GP_OK;
}

static enum sort_key g_sort;
static const uint8_t *g_problem; /* by group index */

static int cmp_rows(const void *a, const void *b)
{
    const struct lrow *x = a, *y = b;
    int c;
    if (g_sort == SORT_PROBLEM && g_problem[x->g->o.index] != g_problem[y->g->o.index])
        return g_problem[x->g->o.index] - g_problem[y->g->o.index];
    if (g_sort == SORT_LAG && x->lag != y->lag)
        return x->lag < y->lag ? 1 : -1;
    if (g_sort == SORT_TOPIC) {
        if ((c = strcmp(x->topic, y->topic)))
            return c;
        if (x->partition != y->partition)
            return x->partition < y->partition ? -1 : 1;
        return strcmp(x->g->o.name, y->g->o.name);
    }
    if ((c = strcmp(x->g->o.name, y->g->o.name)))
        return c;
    if ((c = strcmp(x->topic, y->topic)))
        return c;
    return (x->partition > y->partition) - (x->partition < y->partition);
}

static int cmp_tot(const void *a, const void *b)
{
    const struct gtot *x = a, *y = b;
    if (g_sort == SORT_PROBLEM && x->problem != y->problem)
        return (int)x->problem - (int)y->problem;
    if (g_sort == SORT_LAG && x->lag != y->lag)
        return x->lag < y->lag ? 1 : -1;
    return strcmp(x->g->o.name, y->g->o.name);
}

static void num(struct buf *b, int64_t v)
{
    if (v >= 0)
        buf_printf(b, "%" PRId64, v);
    else
        buf_putc(b, '-');
}

/* Aligned table: cells[r * ncol + c]; row r in colour paints[r] if
 * paints. */
static void table(const char *const *heads, int ncol, char **cells, uint32_t nr,
                  const enum paint *paints)
{
    size_t wd[16] = {0};
    for (int c = 0; c < ncol; c++)
        wd[c] = strlen(heads[c]);
    for (uint32_t i = 0; i < nr; i++)
        for (int c = 0; c < ncol; c++) {
            const char *cell = cells[i * (uint32_t)ncol + (uint32_t)c];
            size_t l = utf8_width(cell, strlen(cell));
            if (l > wd[c])
                wd[c] = l;
        }
    struct buf line = BUF_INIT;
    for (uint32_t i = 0; i <= nr; i++) {
        buf_reset(&line);
        for (int c = 0; c < ncol; c++) {
            const char *s = i == 0 ? heads[c] : cells[(i - 1) * (uint32_t)ncol + (uint32_t)c];
            buf_puts(&line, s);
            if (c + 1 < ncol)
                buf_pad(&line, ' ', wd[c] - utf8_width(s, strlen(s)) + 2);
        }
        while (line.len && line.p[line.len - 1] == ' ')
            line.p[--line.len] = '\0';
        bool painted = i > 0 && paints && paints[i - 1] != PAINT_RESET;
        printf("%s%s%s\n", paint(painted, painted ? paints[i - 1] : PAINT_RESET), buf_str(&line),
               paint(painted, PAINT_RESET));
    }
    buf_release(&line);
}

static char *dup_buf(struct buf *b)
{
    char *s = xstrdup(buf_str(b));
    buf_reset(b);
    return s;
}

/* Part of a group's lag is unknown: a log end or its committed offsets
 * could not be read.  A group that does not exist has no lag to miss. */
/* A group's lag is unknown when part of it was not read, when the group
 * could not be read, or when it does not exist (asked for with -g, the
 * coordinator reports it Dead): a group that is not there has no lag to
 * add, so a total over it is not a known 0. */
static bool lag_incomplete(const struct gtot *t)
{
    return t->unknown || group_unread(t->g) || (group_is_dead(t->g) && t->g->o.error);
}

/* The total over the groups shown is complete: every group listed, every
 * lag read. */
static bool total_complete(const struct model *m, const struct lag_run *r, bool *any_known)
{
    bool complete = !m->cluster.groups_partial;
    *any_known = false;
    for (uint32_t i = 0; i < r->ntot; i++) {
        complete &= !lag_incomplete(&r->tot[i]);
        *any_known |= r->tot[i].known > 0;
    }
    return complete;
}

static enum paint problem_paint(enum gproblem p)
{
    return p == GP_ERROR     ? PAINT_ERROR
           : p == GP_UNKNOWN ? PAINT_UNKNOWN
           : p == GP_STALLED ? PAINT_WARNING
                             : PAINT_RESET;
}

/* A partition's row: red for an error or messages deleted unread, dim for
 * an unknown lag, yellow for lag nobody consumes or a committed offset
 * beyond the log end. */
static enum paint row_paint(const struct lrow *w)
{
    if (w->error || offset_deleted_unread(w->committed, w->log_start) > 0)
        return PAINT_ERROR;
    if (w->lag < 0)
        return PAINT_UNKNOWN;
    if ((w->lag > 0 && group_idle(w->g)) || (w->committed > w->log_end && w->log_end >= 0))
        return PAINT_WARNING;
    return PAINT_RESET;
}

static void print_text(const struct model *m, const struct lag_run *r)
{
    struct buf b = BUF_INIT;
    if (!r->totals_only && r->nrows) {
        static const char *const heads[] = {"GROUP",     "TOPIC",   "PARTITION",
                                            "COMMITTED", "LOG-END", "LAG",
                                            "CLIENT-ID", "HOST",    "NOTE"};
        enum { NC = 9 };
        char **cells = xcalloc((size_t)r->nrows * NC, sizeof *cells);
        enum paint *paints = xcalloc((size_t)r->nrows + 1, sizeof *paints);
        for (uint32_t i = 0; i < r->nrows; i++) {
            const struct lrow *w = &r->rows[i];
            char **c = cells + (size_t)i * NC;
            paints[i] = row_paint(w);
            buf_put_printable(&b, w->g->o.name);
            c[0] = dup_buf(&b);
            buf_puts(&b, w->topic);
            c[1] = dup_buf(&b);
            buf_printf(&b, "%d", w->partition);
            c[2] = dup_buf(&b);
            num(&b, w->committed);
            c[3] = dup_buf(&b);
            num(&b, w->log_end);
            c[4] = dup_buf(&b);
            num(&b, w->lag);
            c[5] = dup_buf(&b);
            buf_put_printable(&b, w->owner && w->owner->client_id ? w->owner->client_id : "-");
            c[6] = dup_buf(&b);
            buf_put_printable(&b, w->owner && w->owner->host ? w->owner->host : "-");
            c[7] = dup_buf(&b);
            buf_put_printable(&b, w->error ? w->error : w->note ? w->note : "");
            c[8] = dup_buf(&b);
        }
        table(heads, NC, cells, r->nrows, r->color ? paints : NULL);
        for (size_t i = 0; i < (size_t)r->nrows * NC; i++)
            free(cells[i]);
        free(cells);
        free(paints);
        putchar('\n');
    }
    static const char *const th[] = {"GROUP", "STATE", "MEMBERS", "PARTITIONS", "LAG", "NOTE"};
    enum { TC = 6 };
    char **cells = xcalloc((size_t)r->ntot * TC + 1, sizeof *cells);
    enum paint *paints = xcalloc((size_t)r->ntot + 1, sizeof *paints);
    int64_t total = 0;
    for (uint32_t i = 0; i < r->ntot; i++) {
        const struct gtot *t = &r->tot[i];
        char **c = cells + (size_t)i * TC;
        paints[i] = problem_paint(t->problem);
        buf_put_printable(&b, t->g->o.name);
        c[0] = dup_buf(&b);
        buf_put_printable(&b, t->g->state ? t->g->state : "?");
        c[1] = dup_buf(&b);
        if (t->g->members_unknown)
            buf_putc(&b, '?');
        else
            buf_printf(&b, "%u", t->g->nmembers);
        c[2] = dup_buf(&b);
        buf_printf(&b, "%u", t->parts);
        c[3] = dup_buf(&b);
        if (t->known)
            buf_printf(&b, "%" PRId64 "%s", t->lag, t->unknown ? "+" : "");
        else if (!t->parts && !t->unknown && !group_is_dead(t->g))
            buf_putc(&b, '0'); /* nothing committed, nothing assigned: no lag */
        else
            buf_putc(&b, '-');
        c[4] = dup_buf(&b);
        buf_put_printable(&b, t->g->o.error              ? t->g->o.error
                              : t->lost                  ? "messages deleted unread"
                              : t->unknown               ? "some partitions' lag unknown"
                              : t->problem == GP_STALLED ? "stalled: lag and no member"
                                                         : "");
        c[5] = dup_buf(&b);
        total += t->lag;
    }
    if (r->ntot)
        table(th, TC, cells, r->ntot, r->color ? paints : NULL);
    for (size_t i = 0; i < (size_t)r->ntot * TC; i++)
        free(cells[i]);
    free(cells);
    free(paints);
    bool any_known;
    bool complete = total_complete(m, r, &any_known);
    if (any_known || complete)
        printf("%stotal lag %" PRId64 "%s", r->ntot ? "\n" : "", total, complete ? "" : "+");
    else
        printf("%stotal lag -", r->ntot ? "\n" : "");
    printf(" over %u%s group%s%s\n", r->ntot, m->cluster.groups_partial ? "+" : "",
           r->ntot == 1 && !m->cluster.groups_partial ? "" : "s",
           m->cluster.groups_partial ? " (the list of groups is incomplete)" : "");
    buf_release(&b);
}

static void jnum(struct jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    if (v >= 0)
        jw_int(w, v);
    else
        jw_null(w);
}

static void print_json(const struct model *m, const struct lag_run *r, const struct live_stats *st)
{
    /* rows of each group, in display order (bucketed by group index) */
    uint32_t *start = xcalloc(m->ngroups + 2, sizeof *start);
    uint32_t *idx = xcalloc(r->nrows + 1, sizeof *idx);
    for (uint32_t k = 0; k < r->nrows; k++)
        start[r->rows[k].g->o.index + 1]++;
    for (uint32_t i = 0; i < m->ngroups; i++)
        start[i + 1] += start[i];
    uint32_t *fill = xcalloc(m->ngroups + 1, sizeof *fill);
    for (uint32_t k = 0; k < r->nrows; k++) {
        uint32_t gi = r->rows[k].g->o.index;
        idx[start[gi] + fill[gi]++] = k;
    }
    free(fill);
    struct jw w;
    jw_init(&w, stdout, true);
    jw_obj_begin(&w);
    live_json_header(&w, "lag", m);
    jw_kstr(&w, "bootstrap", m->cluster.o.name); /* kafkaudit 0.1; also in "cluster" */
    jw_key(&w, "groups");
    jw_arr_begin(&w);
    int64_t total = 0;
    for (uint32_t i = 0; i < r->ntot; i++) {
        const struct gtot *t = &r->tot[i];
        const struct group *g = t->g;
        total += t->lag;
        jw_obj_begin(&w);
        jw_kstr(&w, "group", g->o.name);
        jw_kstr(&w, "state", g->state);
        jw_key(&w, "coordinator");
        if (g->coordinator >= 0)
            jw_int(&w, g->coordinator);
        else
            jw_null(&w);
        jw_kstr(&w, "assignor", g->assignor);
        jw_key(&w, "lag");
        if (lag_incomplete(t) && !t->known)
            jw_null(&w);
        else
            jw_int(&w, t->lag);
        jw_kbool(&w, "lag_complete", !lag_incomplete(t));
        jw_kstr(&w, "problem", gproblem_names[t->problem]);
        jw_kint(&w, "partition_count", t->parts);
        jw_kstr(&w, "error", g->o.error);
        jw_key(&w, "members");
        if (g->members_unknown)
            jw_null(&w);
        else
            jw_arr_begin(&w);
        for (uint32_t k = 0; !g->members_unknown && k < g->nmembers; k++) {
            const struct group_member *gm = &g->members[k];
            jw_obj_begin(&w);
            jw_kstr(&w, "member_id", gm->member_id);
            jw_kstr(&w, "client_id", gm->client_id);
            jw_kstr(&w, "host", gm->host);
            jw_kstr(&w, "instance_id", gm->instance_id);
            jw_kint(&w, "assigned_partitions", gm->nassignment);
            jw_obj_end(&w);
        }
        if (!g->members_unknown)
            jw_arr_end(&w);
        if (!r->totals_only) {
            jw_key(&w, "partitions");
            jw_arr_begin(&w);
            for (uint32_t k = start[g->o.index]; k < start[g->o.index + 1]; k++) {
                const struct lrow *x = &r->rows[idx[k]];
                jw_obj_begin(&w);
                jw_kstr(&w, "topic", x->topic);
                jw_kint(&w, "partition", x->partition);
                jnum(&w, "committed", x->committed);
                jnum(&w, "log_start", x->log_start);
                jnum(&w, "log_end", x->log_end);
                jnum(&w, "lag", x->lag);
                jw_kstr(&w, "member_id", x->owner ? x->owner->member_id : NULL);
                jw_kstr(&w, "client_id", x->owner ? x->owner->client_id : NULL);
                jw_kstr(&w, "host", x->owner ? x->owner->host : NULL);
                jw_kstr(&w, "note", x->note);
                jw_kstr(&w, "error", x->error);
                jw_obj_end(&w);
            }
            jw_arr_end(&w);
        }
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    bool any_known;
    bool complete = total_complete(m, r, &any_known);
    jw_key(&w, "total_lag");
    if (any_known || complete)
        jw_int(&w, total);
    else
        jw_null(&w);
    jw_kbool(&w, "total_lag_complete", complete);
    jw_kbool(&w, "groups_complete", !m->cluster.groups_partial);
    jw_key(&w, "errors");
    jw_arr_begin(&w);
    for (uint32_t i = 0; i < m->diags.n; i++) {
        const struct diag *d = &m->diags.v[i];
        if (d->sev == DIAG_NOTE)
            continue;
        jw_obj_begin(&w);
        jw_kstr(&w, "severity", diag_sev_name((enum diag_sev)d->sev));
        jw_kstr(&w, "message", d->msg);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_kint(&w, "requests", st->requests);
    jw_obj_end(&w);
    jw_end(&w);
    free(start);
    free(idx);
}

static int lag_opt(struct live_opts *lo, struct lag_run *r, bool *stats, enum color_mode *cm,
                   const char **groups, int *ngroups, int id, const char *arg,
                   const struct command *self)
{
    int64_t v;
    int rc;
    switch (id) {
    case OPT_ERROR: return EXIT_USAGE;
    case OPT_POSITIONAL: return usage_error(self, "unexpected operand '%s' (use -g GROUP)", arg);
    case O_GROUP: groups[(*ngroups)++] = arg; return 0;
    case O_TOPIC: r->topic_glob = arg; return 0;
    case O_SORT:
        if (strcmp(arg, "problem") == 0)
            r->sort = SORT_PROBLEM;
        else if (strcmp(arg, "group") == 0)
            r->sort = SORT_GROUP;
        else if (strcmp(arg, "lag") == 0)
            r->sort = SORT_LAG;
        else if (strcmp(arg, "topic") == 0)
            r->sort = SORT_TOPIC;
        else {
            static const char *const keys[] = {"problem", "group", "lag", "topic", NULL};
            return usage_error(self, "--sort expects problem, group, lag or topic%s",
                               did_you_mean(arg, keys));
        }
        return 0;
    case O_MIN_LAG:
        if (str_to_i64(arg, &v) || v < 0)
            return usage_error(self, "--min-lag expects a number of messages");
        r->min_lag = v;
        return 0;
    case O_STATE:
        if (r->nstates >= 16)
            return usage_error(self, "at most 16 --state options");
        {
            /* a typo would match nothing */
            bool ok = false;
            for (int i = 0; group_states[i]; i++)
                ok |= str_ieq(arg, group_states[i]);
            if (!ok)
                return usage_error(self, "unknown group state '%s' (%s)%s", arg,
                                   completion_list("state"), did_you_mean(arg, group_states));
        }
        r->states[r->nstates++] = arg;
        return 0;
    case O_TOTALS: r->totals_only = true; return 0;
    case O_ALL_GROUPS: r->all_groups = true; return 0;
    case O_DESCRIBE: return 0;
    case O_STATS: *stats = true; return 0;
    case O_WINDOW:
        if (str_to_i64(arg, &v) || v < 1 || v > 1024)
            return usage_error(self, "--max-in-flight expects 1..1024");
        lo->group_window = (int)v;
        return 0;
    case O_JSON: r->json = true; return 0;
    case O_FORMAT:
        if (strcmp(arg, "json") == 0)
            r->json = true;
        else if (strcmp(arg, "text") != 0)
            return usage_error(self, "--format expects text or json");
        return 0;
    default:
        if ((rc = color_opt(cm, id, arg, self)) == 1)
            rc = connect_opt(lo, id, arg, self);
        if (rc != 0)
            return rc == 1 ? usage_error(self, "unexpected option") : rc;
        return 0;
    }
}

static int lag_run(const struct live_opts *lo, struct lag_run *r, bool stats, enum color_mode cm)
{
    struct model m;
    model_init(&m);
    struct live_stats st;
    enum collect_result cr = connect_collect(lo, &m, &st);
    render_diags_text(stderr, &m.sources, &m.diags, want_color(cm, stderr), &m);
    if (stats)
        print_request_stats(stderr, &st);
    if (cr == COLLECT_CONFIG || (cr == COLLECT_UNREACHABLE && !r->json)) {
        model_release(&m);
        return collect_exit_status(cr);
    }
    if (cr == COLLECT_UNREACHABLE)
        m.cluster.groups_partial = true; /* JSON: nothing read, nothing complete */
    build(&m, r);
    uint8_t *problem = xcalloc(m.ngroups + 1, 1);
    for (uint32_t i = 0; i < m.ngroups; i++)
        problem[i] = GP_OK;
    for (uint32_t i = 0; i < r->ntot; i++) {
        r->tot[i].problem = group_problem(&r->tot[i]);
        problem[r->tot[i].g->o.index] = (uint8_t)r->tot[i].problem;
    }
    g_sort = r->sort;
    g_problem = problem;
    r->color = want_color(cm, stdout);
    if (r->nrows > 1)
        qsort(r->rows, r->nrows, sizeof *r->rows, cmp_rows);
    if (r->ntot > 1)
        qsort(r->tot, r->ntot, sizeof *r->tot, cmp_tot);
    if (r->json)
        print_json(&m, r, &st);
    else
        print_text(&m, r);
    fflush(stdout);
    g_problem = NULL;
    free(problem);
    bool any_known;
    bool complete = total_complete(&m, r, &any_known);
    /* a group whose members could not be read (KIP-848 with librdkafka
     * 2.0.2) shows them as '?': its lag is whole, the answer is not */
    for (uint32_t i = 0; i < r->ntot; i++)
        complete &= !r->tot[i].g->members_unknown;
    free(r->rows);
    free(r->tot);
    model_release(&m);
    /* anything not read, or a lag that is unknown, is not a clean answer */
    return cr != COLLECT_OK || !complete ? EXIT_CLUSTER : EXIT_OK;
}

static int run(int argc, char **argv, const struct command *self)
{
    struct live_opts lo;
    live_opts_init(&lo);
    lo.want_configs = false;
    lo.offsets_scope = LIVE_OFFSETS_GROUPS;
    struct lag_run r;
    memset(&r, 0, sizeof r);
    r.min_lag = -1;
    bool stats = false;
    enum color_mode cm = COLOR_AUTO;
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    int id, rc = 0;
    const char *arg;
    const char **groups = xcalloc((size_t)argc + 1, sizeof *groups);
    int ngroups = 0;
    while (rc == 0 && (id = opt_next(&p, &arg)) != OPT_END)
        rc = lag_opt(&lo, &r, &stats, &cm, groups, &ngroups, id, arg, self);
    if (!rc && r.all_groups && ngroups)
        rc = usage_error(self, "--all-groups and --group (-g) do not go together");
    if (rc) {
        free(groups);
        return rc;
    }
    if ((rc = connect_finish(&lo, self, true)) != 0) {
        free(groups);
        return rc;
    }
    lo.groups = groups;
    lo.ngroups = ngroups;
    int status = lag_run(&lo, &r, stats, cm);
    free(groups);
    return status;
}

const struct command cmd_lag = {
    .name = "lag",
    .summary = "show consumer group lag per partition, with totals",
    .synopsis = "[OPTIONS] -b HOST:PORT [-g GROUP...]",
    .opts = lag_opts,
    .run = run,
    .exit_status = "Exit status: 0 ok, 2 usage error, 3 invalid connection settings, 4 cluster\n"
                   "unreachable or part of the answer missing or unknown (a group that does not\n"
                   "exist, a partition whose lag is unknown).",
    .description = "For every consumer group (or those given with -g): its state and members, and\n"
                   "per topic partition the committed offset, the log end offset (high watermark)\n"
                   "and the lag between them; '-' where nothing is committed (lag unknown, never\n"
                   "counted as 0: totals are then lower bounds, N+).  Committed offsets\n"
                   "are read before log ends, so lag is never negative.  A committed offset below\n"
                   "the log start is flagged: those messages were deleted before the group read\n"
                   "them.  Groups with problems come first (--sort problem): errors (not read,\n"
                   "or messages deleted unread), then unknown lag or members, then stalled (lag\n"
                   "and no member), then lagging, then caught up; on a terminal these rows are\n"
                   "red, dim and yellow.  Exit status 4 means the cluster could not be reached or\n"
                   "part of the answer is missing (a group that does not exist, a broker that did\n"
                   "not answer).",
};
