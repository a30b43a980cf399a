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

/* What the command line asks of lint. */
struct lint_args {
    struct audit_opts o;
    struct input_opts io;
    struct live_opts lo;
    bool each, verbose;
    int64_t budget;
    char **paths; /* room for every argument */
    int npaths;
};

/* The options and operands into *L, checked together; *live: a cluster
 * to check the files against.  0, or the exit status after saying why. */
static int parse_args(struct lint_args *L, int argc, char **argv, const struct command *self,
                      bool *live)
{
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    int id, rc;
    const char *arg;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        if (id == OPT_ERROR)
            return EXIT_USAGE;
        if (id == OPT_POSITIONAL) {
            L->paths[L->npaths++] = (char *)example_operand(arg);
            continue;
        }
        if (id == O_EACH) {
            L->each = true;
            continue;
        }
        if (id == O_VERBOSE) {
            L->verbose = true;
            continue;
        }
        if (id == O_OUTAGE_BUDGET) {
            if (parse_budget(arg, &L->budget))
                return usage_error(self,
                                   "--outage-budget takes a duration such as 3d, 12h, 90m "
                                   "or 0 (off), not '%s'",
                                   arg);
            continue;
        }
        if (id == O_AS) {
            if (dialect_parse(arg, &L->io.force) || L->io.force == DL_AUTO)
                return usage_error(self, "unknown dialect '%s' (%s)%s", arg,
                                   completion_list("dialect"), did_you_mean_kind(arg, "dialect"));
            continue;
        }
        if ((rc = connect_opt(&L->lo, id, arg, self)) != 1) {
            if (rc)
                return rc;
            continue;
        }
        if ((rc = audit_opt(&L->o, id, arg, self)) != 0)
            return rc == 1 ? usage_error(self, "unexpected option") : rc;
    }
    if (!L->npaths)
        return usage_error(self, "no files or directories to lint (use '-' for stdin)");
    if (L->each && ((L->o.format_set && !(L->o.format->caps & FMT_EACH)) || L->o.nouts ||
                    L->o.baseline || L->o.write_baseline)) {
        return usage_error(self, "--each works with the text, plain and github formats and "
                                 "without --output or baselines; run one lint per deployment "
                                 "for the others");
    }
    /* -C only: $KAFKAUDIT_CLUSTER does not turn every lint into a live one */
    if ((rc = connect_finish(&L->lo, self, false)) != 0)
        return rc;
    if (connect_cluster.kafka.set && !L->o.kafka.set)
        L->o.kafka = connect_cluster.kafka;
    *live = connect_given(&L->lo);
    if (L->each && *live)
        return usage_error(self, "--each does not combine with -b: the cluster is one deployment");
    return 0;
}

/* Deployment i (with --each, else all the paths): loaded, collected
 * against the cluster when live, audited and reported; its exit status. */
static int lint_one(struct lint_args *L, int i, bool live)
{
    struct audit a;
    if (L->each) {
        if (L->o.format == &fmt_text || !L->o.format_set)
            printf("%s== %s ==\n", i ? "\n" : "", L->paths[i]);
        fflush(stdout);
    }
    audit_prepare(&a, &L->o);
    if (L->budget >= 0)
        a.m.defaults.outage_budget_ms = L->budget;
    uint32_t nfiles =
        input_load_paths(&a.m, L->each ? L->paths + i : L->paths, L->each ? 1 : L->npaths, &L->io);
    if (L->verbose)
        print_reads(&a.m);
    /* -b: the files' clients against the live cluster's topics and brokers */
    enum collect_result cr = COLLECT_OK;
    if (live) {
        struct live_stats st;
        cr = connect_collect(&L->lo, &a.m, &st);
    }
    int r = audit_finish(&a, "lint", nfiles);
    if (cr == COLLECT_PARTIAL && r < EXIT_CLUSTER)
        r = EXIT_CLUSTER;
    if (i + 1 < (L->each ? L->npaths : 1))
        audit_release(&a);
    else
        audit_release_at_exit(&a);
    return r;
}

/* --each's overall total after the deployments' own summaries. */
static void print_total(const struct audit_opts *o)
{
    uint32_t e = o->total[SEV_ERROR], w = o->total[SEV_WARNING], n = o->total[SEV_INFO];
    printf("\n== total: ");
    if (!e && !w && !n)
        printf("no findings");
    else
        printf("%u error%s, %u warning%s, %u info", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s", n);
    printf(" in %u deployment%s ==\n", o->ndeploy, o->ndeploy == 1 ? "" : "s");
}

static int run(int argc, char **argv, const struct command *self)
{
    struct lint_args L = {.io = {DL_AUTO, false, 0}, .budget = -1};
    audit_opts_init(&L.o);
    live_opts_init(&L.lo);
    L.paths = calloc((size_t)argc + 1, sizeof *L.paths);
    bool live = false;
    int rc = parse_args(&L, argc, argv, self, &live);
    if (rc) {
        free(L.paths);
        return rc;
    }
    rc = EXIT_OK;
    L.io.jobs = L.o.jobs;
    for (int i = 0; i < (L.each ? L.npaths : 1); i++) {
        int r = lint_one(&L, i, live);
        /* the most serious outcome wins: input errors over findings */
        if (r > rc)
            rc = r;
    }
    /* --each: one overall total after the deployments' own summaries */
    if (L.each && !L.o.quiet && (L.o.format == &fmt_text || !L.o.format_set))
        print_total(&L.o);
    free(L.paths);
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
