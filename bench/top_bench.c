/*
 * top_bench.c - cost of `kafkaudit top` per refresh, beside what it
 * replaces: for a cluster shaped like tests/broker/scenarios/big.yaml
 * (6 brokers, 100 topics x 1,000 partitions = 100,000 partitions, RF 3;
 * 1,000 consumer groups, each reading one whole topic = 1,000,000 group
 * partitions), successive models are built in memory as a collection
 * would deliver them (log ends advance, consumers commit, some ISRs shrink
 * and expand every refresh, some groups stall), then:
 *
 *   update   watch_update(): the evaluators (ISR events, partition and
 *            broker state, consumer status, rates, indexes) - the UI
 *            thread's work per refresh; target <= 50 ms of CPU
 *   finalize model_finalize() on the new model (worker thread)
 *   rules    engine_run() of the shipped rules (worker thread)
 *   memory   bytes of history per partition and per group partition;
 *            total after the first and the last refresh (bounded)
 *   draw     one frame (ui_draw) of the Partitions, Timeline and Groups
 *            views at 80x24 and 200x60 for 1,000 / 10,000 / 100,000
 *            partitions at risk: the cost must follow the visible rows,
 *            not the cluster size; the index rebuild after an update
 *            (O(rows at risk), once per refresh) is printed apart.
 *
 * The status window is 10 s (2 s refreshes) so that every status rule
 * runs.  CPU time is CLOCK_PROCESS_CPUTIME_ID (one thread here).  usage:
 * bench_top [REFRESHES] [RULES_DIR]
 */
#include "model/model.h"
#include "rules/rule.h"
#include "tui/grid.h"
#include "tui/ui.h"
#include "watch/watch.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NBROKERS 6
#define NTOPICS  100
#define NPARTS   1000
#define NGROUPS  1000
#define T0       INT64_C(1764000000000)

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n ? v[n / 2] : 0;
}

static uint32_t rnd(uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

/* One collected model at refresh r: ntopics x nparts partitions; at_risk
 * makes every partition lose a replica (draw benchmark). */
static void build(struct model *m, int r, int ntopics, int nparts, int ngroups, bool at_risk)
{
    model_init(m);
    m->cluster.live = true;
    m->cluster.declared = true;
    m->cluster.cluster_id = "bench-cluster";
    m->cluster.collected_at_ms = T0 + (int64_t)r * 2000;
    m->cluster.controller = 1;
    for (int b = 1; b <= NBROKERS; b++) {
        struct broker *br = model_broker(m, b, LOC_NONE, NULL);
        br->rack = b % 3 == 1 ? "rack-a" : b % 3 == 2 ? "rack-b" : "rack-c";
        br->host = "127.0.0.1";
        br->port = 9091 + b;
    }
    struct setting *s =
        object_set(m, &m->cluster.o, "min.insync.replicas", "2", ORIG_LIVE, LOC_NONE);
    s->live_source = LS_DYNAMIC_DEFAULT;
    s->broker = 1;
    char name[64];
    for (int t = 0; t < ntopics; t++) {
        snprintf(name, sizeof name, "bench-%03d", t);
        struct topic *tp = model_topic(m, name, LOC_NONE, NULL);
        tp->partitions = nparts;
        tp->rf = 3;
        tp->declared = true;
        for (int p = 0; p < nparts; p++) {
            struct partition *pa = model_add_partition(m, tp, p);
            uint32_t i = (uint32_t)(t * nparts + p);
            int32_t *ids = ARENA_ARRAY(&m->arena, int32_t, 6);
            for (int k = 0; k < 3; k++)
                ids[k] = (int32_t)((i + (uint32_t)k) % NBROKERS) + 1;
            pa->replicas = ids;
            pa->nreplicas = 3;
            pa->isr = ids + 3;
            memcpy(pa->isr, ids, 3 * sizeof *ids);
            pa->nisr = 3;
            /* every 250th partition under-replicated, moving each refresh:
             * ISR shrink and expand events every time */
            if (at_risk || (i + (uint32_t)r * 7) % 250 == 0)
                pa->nisr = 2;
            pa->leader = ids[0];
            pa->log_start = rnd(i + 1) % 1000;
            pa->log_end = 100000 + rnd(i + 7) % 100000 + (int64_t)r * 20;
        }
    }
    for (int g = 0; g < ngroups; g++) {
        snprintf(name, sizeof name, "bench-group-%04d", g);
        struct group *gr = model_group(m, name, LOC_NONE, NULL);
        bool stable = g % 10 < 8;
        gr->state = stable ? "Stable" : "Empty";
        gr->protocol_type = "consumer";
        gr->coordinator = g % NBROKERS + 1;
        struct topic *tp = m->topics[g % ntopics];
        if (stable) {
            gr->members = ARENA_ARRAY(&m->arena, struct group_member, 3);
            for (int k = 0; k < 3; k++) {
                struct group_member *mm = &gr->members[gr->nmembers++];
                mm->member_id = arena_printf(&m->arena, "%s-%d", name, k);
                mm->client_id = arena_printf(&m->arena, "client-%d", k);
                mm->host = "/10.0.0.1";
                mm->assignment = ARENA_ARRAY(&m->arena, struct tp, (size_t)nparts / 3 + 1);
                for (int p = k; p < nparts; p += 3)
                    mm->assignment[mm->nassignment++] = (struct tp){tp->o.name, p};
            }
        }
        gr->offsets = ARENA_ARRAY(&m->arena, struct group_offset, (size_t)nparts);
        for (int p = 0; p < nparts; p++) {
            struct group_offset *o = &gr->offsets[gr->noffsets++];
            const struct partition *pa = tp->parts[p];
            o->topic = tp->o.name;
            o->partition = p;
            int64_t lag = rnd((uint32_t)(g * nparts + p + 3)) % 5000;
            /* one group in 50 stalls: its offsets stay where refresh 0 left them */
            int64_t end = g % 50 == 7 ? pa->log_end - (int64_t)r * 20 : pa->log_end;
            o->committed = end - lag > pa->log_start ? end - lag : pa->log_start;
        }
    }
}

static void bench_refresh(int refreshes, const char *rules_dir)
{
    /* a 10 s window at 2 s refreshes: after five refreshes every status
     * rule (stall, trend against the window's start) is evaluated */
    struct watch_opts wo;
    watch_opts_init(&wo);
    wo.window_ms = 10000;
    struct watch w;
    watch_init(&w, &wo);
    struct rule_set rs;
    rule_set_init(&rs);
    bool rules = rules_dir && rule_set_load_path(&rs, rules_dir) == 0 && rs.n;
    double *up = calloc((size_t)refreshes, sizeof *up),
           *fin = calloc((size_t)refreshes, sizeof *fin);
    double rules_ms = -1, first_up = 0;
    struct watch_mem m0 = {0}, m1 = {0};
    uint64_t events = 0;
    for (int r = 0; r < refreshes; r++) {
        struct model m;
        build(&m, r, NTOPICS, NPARTS, NGROUPS, false);
        double a = cpu_ms();
        model_finalize(&m);
        fin[r] = cpu_ms() - a;
        if (rules && r == 1) {
            struct finding_list fl;
            finding_list_init(&fl);
            a = cpu_ms();
            engine_run(&rs, &m, &fl);
            rules_ms = cpu_ms() - a;
            finding_list_release(&fl);
        }
        a = cpu_ms();
        watch_update(&w, &m, m.cluster.collected_at_ms);
        up[r] = cpu_ms() - a;
        if (r == 0) {
            first_up = up[r];
            watch_bytes(&w, &m0);
        }
        model_release(&m);
    }
    watch_bytes(&w, &m1);
    events = w.nevents;
    uint64_t gps = 0;
    for (uint32_t i = 0; i < w.ngroups; i++)
        gps += w.groups[i].ngp;
    double worst = 0;
    for (int r = 1; r < refreshes; r++)
        if (up[r] > worst)
            worst = up[r];
    double med = median(up + 1, refreshes - 1);
    printf("cluster: %d brokers, %u partitions, %u groups, %" PRIu64
           " group partitions; %d refreshes\n",
           NBROKERS, w.npresent, w.ngroups_present, gps, refreshes);
    printf("update (watch_update, CPU per refresh): median %.1f ms, worst %.1f ms "
           "(first refresh, allocating: %.1f ms)\n",
           med, worst, first_up);
    printf("  at the end: %u at risk, %" PRIu64 " ISR events seen, groups STALL %u STOP %u WARN %u "
           "OK %u\n",
           w.nrisk, events, w.ngstatus[WG_STALL], w.ngstatus[WG_STOP], w.ngstatus[WG_WARN],
           w.ngstatus[WG_OK]);
    printf("finalize (model_finalize, worker thread): median %.1f ms\n", median(fin, refreshes));
    if (rules_ms >= 0)
        printf("rules (engine_run, %u rules, worker thread): %.1f ms\n", rs.n, rules_ms);
    printf("memory: %zu B per partition (%u log-end samples), %zu B per group partition, "
           "%zu B of events (%u)\n",
           m1.per_partition, w.o.history_len, m1.per_group_partition, m1.events, w.o.max_events);
    printf("memory: total %.1f MiB after refresh 1, %.1f MiB after refresh %d",
           (double)m0.total / 1048576.0, (double)m1.total / 1048576.0, refreshes);
    if (m1.total == m0.total)
        printf(" (unchanged)\n");
    else
        printf(" (+%.1f KiB: out-of-ISR lists of partitions degraded for the first time; "
               "at most %zu B per partition, never more with time)\n",
               (double)(m1.total - m0.total) / 1024.0, (size_t)4 * sizeof(struct wout));
    printf("target: update <= 50 ms CPU per refresh: %.1f ms %s\n", worst,
           worst <= 50 ? "ok" : "MISSED");
    free(up);
    free(fin);
    rule_set_release(&rs);
    watch_release(&w);
}

/* One frame at w x h, steady state: the index is built, the selection moves. */
static double frame_ms(struct ui *u, struct grid *g, int frames)
{
    ui_draw(u, g); /* warm */
    double a = cpu_ms();
    for (int i = 0; i < frames; i++) {
        ui_key(u, i % 40 < 20 ? 'j' : 'k');
        ui_draw(u, g);
    }
    return (cpu_ms() - a) / frames;
}

static void bench_draw(void)
{
    static const int sizes[][2] = {{1, 1000}, {10, 1000}, {100, 1000}};
    static const int geo[][2] = {{80, 24}, {200, 60}};
    static const int views[] = {V_PARTITIONS, V_TIMELINE, V_GROUPS};
    printf("\ndraw (CPU per frame, ui_draw; every partition at risk):\n");
    printf("%-11s %-10s %12s %12s %12s %14s\n", "partitions", "view", "80x24", "200x60", "per row",
           "index rebuild");
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        int ntopics = sizes[s][0], nparts = sizes[s][1];
        struct watch w;
        watch_init(&w, NULL);
        struct model m;
        for (int r = 0; r < 2; r++) {
            build(&m, r, ntopics, nparts, 100, r == 1);
            model_finalize(&m);
            watch_update(&w, &m, m.cluster.collected_at_ms);
            if (r == 0)
                model_release(&m);
        }
        for (size_t v = 0; v < sizeof views / sizeof *views; v++) {
            double ms[2] = {0, 0}, rebuild = 0;
            for (size_t k = 0; k < sizeof geo / sizeof *geo; k++) {
                struct ui u;
                ui_init(&u, &w);
                ui_set_model(&u, &m, NULL);
                u.view = views[v];
                struct grid g;
                grid_init(&g, geo[k][0], geo[k][1], true);
                double a = cpu_ms();
                ui_draw(&u, &g); /* builds the index */
                double first = cpu_ms() - a;
                ms[k] = frame_ms(&u, &g, 400);
                if (k == 0)
                    rebuild = first - ms[k];
                grid_release(&g);
                ui_release(&u);
            }
            int rows0 = geo[0][1] - 5, rows1 = geo[1][1] - 5;
            printf("%-11d %-10s %9.3f ms %9.3f ms %9.4f ms %11.3f ms\n", ntopics * nparts,
                   view_name(views[v]), ms[0], ms[1], (ms[1] - ms[0]) / (rows1 - rows0),
                   rebuild > 0 ? rebuild : 0);
        }
        model_release(&m);
        watch_release(&w);
    }
}

int main(int argc, char **argv)
{
    int refreshes = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 10;
    if (refreshes < 2)
        refreshes = 2;
    bench_refresh(refreshes, argc > 2 ? argv[2] : NULL);
    bench_draw();
    return 0;
}
