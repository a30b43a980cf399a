/*
 * cmd_lint.c - `kafkaudit lint PATH...`: audit configuration files.
 */
#include "cli/audit.h"
#include "cli/connect.h"
#include "input/input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_AS = 1, O_EACH, O_VERBOSE, O_OUTAGE_BUDGET };

static const struct opt lint_opts[] = {
    {"as", 0, "DIALECT", O_AS, 0, "dialect", "read every file as DIALECT: {words}"},
    {"each", 'e', NULL, O_EACH, 0, NULL,
     "audit each PATH as a separate deployment (text, plain and github formats)"},
    {"verbose", 'v', NULL, O_VERBOSE, 0, NULL,
     "list each file on stderr with the dialect it was read as, and why"},
    {"outage-budget", 0, "DURATION", O_OUTAGE_BUDGET, 0, NULL,
     "warn when retention is shorter than a consumer may be down (default 24h; 0: off), e.g. 3d, "
     "12h"},
    AUDIT_OPTIONS,
    CONNECT_OPTIONS,
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

/* --outage-budget: N with d, h, m, s or ms (a bare number is hours); 0 turns
 * the check off */
static int parse_budget(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || v < 0 || v > 3650LL * 86400000)
        return -1;
    int64_t mult;
    if (strcmp(end, "d") == 0)
        mult = 86400000;
    else if (strcmp(end, "h") == 0 || !*end)
        mult = 3600000;
    else if (strcmp(end, "m") == 0)
        mult = 60000;
    else if (strcmp(end, "s") == 0)
        mult = 1000;
    else if (strcmp(end, "ms") == 0)
        mult = 1;
    else
        return -1;
    if (v > 3650LL * 86400000 / mult) /* ten years */
        return -1;
    *out = (int64_t)v * mult;
    return 0;
}

/* --verbose: how each file was read, before the findings */
static void print_reads(const struct model *m)
{
    for (uint32_t i = 0; i < m->nreads; i++)
        fprintf(stderr, "kafkaudit: %s: %s (%s)\n", source_path(&m->sources, m->reads[i].file),
                m->reads[i].dialect, m->reads[i].why);
    fflush(stderr);
}

static int run(int argc, char **argv, const struct command *self)
{
    struct audit_opts o;
    audit_opts_init(&o);
    struct input_opts io = {DL_AUTO, false, 0};
    struct live_opts lo;
    live_opts_init(&lo);
    bool each = false, verbose = false;
    int64_t budget = -1;
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0, id, rc;
    const char *arg;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        if (id == OPT_ERROR) {
            free(paths);
            return EXIT_USAGE;
        }
        if (id == OPT_POSITIONAL) {
            paths[npaths++] = (char *)example_operand(arg);
            continue;
        }
        if (id == O_EACH) {
            each = true;
            continue;
        }
        if (id == O_VERBOSE) {
            verbose = true;
            continue;
        }
        if (id == O_OUTAGE_BUDGET) {
            if (parse_budget(arg, &budget)) {
                free(paths);
                return usage_error(self,
                                   "--outage-budget takes a duration such as 3d, 12h, 90m "
                                   "or 0 (off), not '%s'",
                                   arg);
            }
            continue;
        }
        if (id == O_AS) {
            if (dialect_parse(arg, &io.force) || io.force == DL_AUTO) {
                free(paths);
                return usage_error(self,
                                   "unknown dialect '%s' (manifest, properties, strimzi, "
                                   "spring, compose)%s",
                                   arg, did_you_mean_kind(arg, "dialect"));
            }
            continue;
        }
        if ((rc = connect_opt(&lo, id, arg, self)) != 1) {
            if (rc) {
                free(paths);
                return rc;
            }
            continue;
        }
        if ((rc = audit_opt(&o, id, arg, self)) != 0) {
            free(paths);
            return rc == 1 ? usage_error(self, "unexpected option") : rc;
        }
    }
    if (!npaths) {
        free(paths);
        return usage_error(self, "no files or directories to lint (use '-' for stdin)");
    }
    if (each && ((o.format_set && !(o.format->caps & FMT_EACH)) || o.nouts || o.baseline ||
                 o.write_baseline)) {
        free(paths);
        return usage_error(self, "--each works with the text, plain and github formats and "
                                 "without --output or baselines; run one lint per deployment "
                                 "for the others");
    }
    /* -C only: $KAFKAUDIT_CLUSTER does not turn every lint into a live one */
    if ((rc = connect_finish(&lo, self, false)) != 0) {
        free(paths);
        return rc;
    }
    if (connect_cluster.kafka.set && !o.kafka.set)
        o.kafka = connect_cluster.kafka;
    bool live = connect_given(&lo);
    if (each && live) {
        free(paths);
        return usage_error(self, "--each does not combine with -b: the cluster is one deployment");
    }
    rc = EXIT_OK;
    io.jobs = o.jobs;
    for (int i = 0; i < (each ? npaths : 1); i++) {
        struct audit a;
        if (each) {
            if (o.format == &fmt_text || !o.format_set)
                printf("%s== %s ==\n", i ? "\n" : "", paths[i]);
            fflush(stdout);
        }
        audit_prepare(&a, &o);
        if (budget >= 0)
            a.m.defaults.outage_budget_ms = budget;
        uint32_t nfiles = input_load_paths(&a.m, each ? paths + i : paths, each ? 1 : npaths, &io);
        if (verbose)
            print_reads(&a.m);
        /* -b: the files' clients against the live cluster's topics and brokers */
        enum collect_result cr = COLLECT_OK;
        if (live) {
            struct live_stats st;
            cr = connect_collect(&lo, &a.m, &st);
        }
        int r = audit_finish(&a, "lint", nfiles);
        if (cr == COLLECT_PARTIAL && r < EXIT_CLUSTER)
            r = EXIT_CLUSTER;
        if (i + 1 < (each ? npaths : 1))
            audit_release(&a);
        else
            audit_release_at_exit(&a);
        /* the most serious outcome wins: input errors over findings */
        if (r > rc)
            rc = r;
    }
    /* --each: one overall total after the deployments' own summaries */
    if (each && !o.quiet && (o.format == &fmt_text || !o.format_set)) {
        uint32_t e = o.total[SEV_ERROR], w = o.total[SEV_WARNING], n = o.total[SEV_INFO];
        printf("\n== total: ");
        if (!e && !w && !n)
            printf("no findings");
        else
            printf("%u error%s, %u warning%s, %u info", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s",
                   n);
        printf(" in %u deployment%s ==\n", o.ndeploy, o.ndeploy == 1 ? "" : "s");
    }
    free(paths);
    return rc;
}

const struct command cmd_lint = {
    .name = "lint",
    .summary = "audit configuration files for message-loss risks",
    .synopsis = "[OPTIONS] PATH...",
    .opts = lint_opts,
    .run = run,
    .operands = "file",
    .description = "Reads kafkaudit manifests, Java .properties (server, producer, consumer),\n"
                   "Strimzi resources, Spring Boot application files and docker-compose files.\n"
                   "Directories are searched recursively; '-' reads stdin.  All files form one\n"
                   "deployment: a producer in one file is checked against a topic in another.\n"
                   "With -b, the running cluster joins that deployment: the files' producers and\n"
                   "consumers are checked against the cluster's real topics, brokers and settings.",
};
