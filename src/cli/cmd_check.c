/*
 * cmd_check.c - `kafkaudit check -b ...`: the lint rules on the live
 * cluster, plus the live-only rules (partition state, racks, committed
 * offsets against log starts).  Same pipeline as lint (cli/audit.c): same
 * formats, suppressions, baselines and exit statuses, plus status 4 when
 * the cluster cannot be reached or part of it could not be read.
 */
#include "cli/audit.h"
#include "cli/connect.h"

#include <string.h>

enum { O_ALLOW_PARTIAL = 1, O_TOPIC, O_STATS };

static const struct opt check_opts[] = {
    CONNECT_OPTIONS,
    {"topic", 't', "GLOB", O_TOPIC, 0, NULL, "only topics matching GLOB (shell pattern)"},
    {"allow-partial", 0, NULL, O_ALLOW_PARTIAL, 0, NULL,
     "resources that could not be read (denied, timed out) are warnings, not exit status 4"},
    {"stats", 0, NULL, O_STATS, 0, NULL, "print the requests sent to the cluster on stderr"},
    AUDIT_OPTIONS,
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

static int run(int argc, char **argv, const struct command *self)
{
    struct audit_opts o;
    audit_opts_init(&o);
    struct live_opts lo;
    live_opts_init(&lo);
    bool allow_partial = false, stats = false;
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    int id, rc;
    const char *arg;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        if (id == OPT_ERROR)
            return EXIT_USAGE;
        if (id == OPT_POSITIONAL)
            return usage_error(self,
                               "unexpected operand '%s' (to audit files as well, use "
                               "'kafkaudit lint PATH... -b ...')",
                               arg);
        if (id == O_ALLOW_PARTIAL) {
            allow_partial = true;
            continue;
        }
        if (id == O_STATS) {
            stats = true;
            continue;
        }
        if (id == O_TOPIC) {
            lo.topic_filter = arg;
            continue;
        }
        if ((rc = connect_opt(&lo, id, arg, self)) == 0)
            continue;
        if (rc != 1)
            return rc;
        if ((rc = audit_opt(&o, id, arg, self)) != 0)
            return rc == 1 ? usage_error(self, "unexpected option") : rc;
    }
    if ((rc = connect_finish(&lo, self, true)) != 0)
        return rc;
    if (connect_cluster.kafka.set && !o.kafka.set)
        o.kafka = connect_cluster.kafka;
    struct audit a;
    audit_prepare(&a, &o);
    struct live_stats st;
    enum collect_result cr = connect_collect(&lo, &a.m, &st);
    if (stats)
        print_request_stats(stderr, &st);
    if (cr == COLLECT_CONFIG) {
        /* nothing to audit: no report, only why */
        render_diags_text(stderr, &a.m.sources, &a.m.diags, want_color(o.color, stderr), &a.m);
        audit_release(&a);
        return collect_exit_status(cr);
    }
    if (cr == COLLECT_PARTIAL && allow_partial) {
        /* keep the warnings, drop the "incomplete" status */
        for (uint32_t i = 0; i < a.m.diags.n; i++)
            if (a.m.diags.v[i].kind == DK_CLUSTER && a.m.diags.v[i].sev == DIAG_ERROR) {
                a.m.diags.v[i].sev = DIAG_WARNING;
                a.m.diags.nerrors--;
            }
    }
    /* unreachable: every requested report is still written, saying what
     * could not be read (complete: false) - CI steps upload them */
    int r = audit_finish(&a, "check", 0);
    if ((cr == COLLECT_UNREACHABLE || (cr == COLLECT_PARTIAL && !allow_partial)) &&
        r < EXIT_CLUSTER)
        r = EXIT_CLUSTER;
    audit_release(&a);
    return r;
}

const struct command cmd_check = {
    .name = "check",
    .summary = "audit a running cluster for message-loss risks",
    .synopsis = "[OPTIONS] -b HOST:PORT",
    .opts = check_opts,
    .run = run,
    .description = "Reads the cluster (brokers, topics and partitions, every broker and topic\n"
                   "configuration with its source, consumer groups and their committed offsets,\n"
                   "log start and end offsets) and runs the same rules as 'lint', plus the rules\n"
                   "that need live state: under-replicated, under or at min ISR and unavailable\n"
                   "partitions, replicas not spread over racks, internal topics with too few\n"
                   "replicas, committed offsets below the log start, groups whose lag nears the\n"
                   "retention horizon.  Requests grow with brokers and groups, not partitions.\n"
                   "Exit status 4: the cluster could not be reached, or some resources could not\n"
                   "be read (see --allow-partial); the findings that could be computed are still\n"
                   "reported.",
};
