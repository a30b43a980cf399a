/*
 * cmd_snapshot.c - `kafkaudit snapshot [-o FILE]`: the live model in the
 * manifest dialect (manifest/manifest_write.c), so that `kafkaudit lint FILE`
 * later gives the same findings offline.  Secrets are never written
 * (DescribeConfigs returns them as null; they stay null, marked sensitive).
 */
#include "cli/connect.h"
#include "manifest/manifest.h"
#include "report/render.h"
#include "util/buf.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

/* A new or regular file is written next to itself and renamed into place,
 * so that an interrupted or incomplete run never leaves half a snapshot.
 * Anything else (/dev/stdout, /dev/null, a FIFO, a symbolic link) must not
 * be replaced by a regular file. */
static bool replace_atomically(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT;
    return S_ISREG(st.st_mode);
}

enum { O_OUTPUT = 1, O_NO_GROUPS, O_NO_OFFSETS, O_TOPIC, O_STATS };

static const struct opt snapshot_opts[] = {
    CONNECT_OPTIONS,
    {"output", 'o', "[manifest=]FILE", O_OUTPUT, 0, "file",
     "write the snapshot to FILE (replaced atomically; an incomplete one says so at its top); "
     "default stdout; 'manifest=FILE' as lint's -o FORMAT=FILE"},
    {"topic", 't', "GLOB", O_TOPIC, 0, NULL, "only topics matching GLOB (shell pattern)"},
    {"no-groups", 0, NULL, O_NO_GROUPS, 0, NULL, "leave out consumer groups and their offsets"},
    {"no-offsets", 0, NULL, O_NO_OFFSETS, 0, NULL, "leave out log start and end offsets"},
    {"stats", 0, NULL, O_STATS, 0, NULL, "print the requests sent to the cluster on stderr"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

static int run(int argc, char **argv, const struct command *self)
{
    struct live_opts lo;
    live_opts_init(&lo);
    const char *out_path = NULL;
    bool stats = false;
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    int id, rc;
    const char *arg;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        switch (id) {
        case OPT_ERROR: return EXIT_USAGE;
        case OPT_POSITIONAL: return usage_error(self, "unexpected operand '%s'", arg);
        case O_OUTPUT:
            /* -o FORMAT=FILE as lint and check take it; a snapshot's one
             * format is the manifest */
            if (strncmp(arg, "manifest=", 9) == 0 && arg[9])
                arg += 9;
            out_path = strcmp(arg, "-") == 0 ? NULL : arg;
            break;
        case O_TOPIC: lo.topic_filter = arg; break;
        case O_NO_GROUPS: lo.want_groups = false; break;
        case O_NO_OFFSETS: lo.want_offsets = false; break;
        case O_STATS: stats = true; break;
        default:
            if ((rc = connect_opt(&lo, id, arg, self)) != 0)
                return rc == 1 ? usage_error(self, "unexpected option") : rc;
        }
    }
    if ((rc = connect_finish(&lo, self, true)) != 0)
        return rc;
    struct model m;
    model_init(&m);
    struct live_stats st;
    enum collect_result cr = connect_collect(&lo, &m, &st);
    /* Kafka does not report its version: the named cluster's declared one
     * goes into the snapshot, for the defaults of an offline lint */
    if (connect_cluster.kafka.set && !m.cluster.kafka_version.set)
        m.cluster.kafka_version = connect_cluster.kafka;
    render_diags_text(stderr, &m.sources, &m.diags, want_color(COLOR_AUTO, stderr), &m);
    if (stats)
        print_request_stats(stderr, &st);
    if (cr == COLLECT_CONFIG || cr == COLLECT_UNREACHABLE) {
        model_release(&m);
        return collect_exit_status(cr);
    }

    struct buf comment = BUF_INIT;
    char ts[40] = "";
    time_t t = (time_t)(m.cluster.collected_at_ms / 1000);
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_printf(&comment, "kafkaudit %s snapshot of %s at %s\n", kafkaudit_version, m.cluster.o.name,
               ts);
    buf_puts(&comment, "lint it offline with: kafkaudit lint THIS-FILE");
    uint32_t nw = 0;
    for (uint32_t i = 0; i < m.diags.n; i++)
        if (m.diags.v[i].sev != DIAG_NOTE && nw++ < 20)
            buf_printf(&comment, "\nincomplete: %s", m.diags.v[i].msg);
    if (nw > 20)
        buf_printf(&comment, "\nincomplete: ... and %u more problems", nw - 20);

    int status = cr == COLLECT_PARTIAL ? EXIT_CLUSTER : EXIT_OK;
    if (!out_path) {
        manifest_write(stdout, &m, buf_str(&comment));
        if (fflush(stdout) != 0)
            status = EXIT_INPUT;
    } else if (!replace_atomically(out_path)) {
        /* a device, FIFO or symbolic link: write through it, never replace it */
        FILE *f = fopen(out_path, "w");
        bool ok = f != NULL;
        if (f) {
            manifest_write(f, &m, buf_str(&comment));
            ok = !ferror(f);
            ok &= fclose(f) == 0;
        }
        if (!ok) {
            fprintf(stderr, "kafkaudit: snapshot: cannot write %s: %s\n", out_path,
                    strerror(errno));
            status = EXIT_INPUT;
        }
    } else {
        struct buf tmp = BUF_INIT;
        buf_printf(&tmp, "%s.tmp.%ld", out_path, (long)getpid());
        FILE *f = fopen(buf_str(&tmp), "w");
        if (!f) {
            fprintf(stderr, "kafkaudit: snapshot: cannot write %s: %s\n", out_path,
                    strerror(errno));
            status = EXIT_INPUT;
        } else {
            manifest_write(f, &m, buf_str(&comment));
            bool ok = !ferror(f);
            ok &= fclose(f) == 0;
            if (!ok || rename(buf_str(&tmp), out_path) != 0) {
                fprintf(stderr, "kafkaudit: snapshot: cannot write %s: %s\n", out_path,
                        strerror(errno));
                remove(buf_str(&tmp));
                status = EXIT_INPUT;
            }
        }
        buf_release(&tmp);
    }
    buf_release(&comment);
    model_release(&m);
    return status;
}

const struct command cmd_snapshot = {
    .name = "snapshot",
    .summary = "save the live cluster's state as a manifest for offline audits",
    .synopsis = "[OPTIONS] -b HOST:PORT [-o FILE]",
    .opts = snapshot_opts,
    .run = run,
    .exit_status = "Exit status: 0 written, 2 usage error, 3 invalid connection settings or\n"
                   "the file cannot be written, 4 cluster unreachable (nothing written) or\n"
                   "snapshot incomplete (written, gaps listed at its top).",
    .description =
        "Reads brokers, topics, partitions (leader, replicas, ISR, offline replicas, log\n"
        "start and end offsets), the configuration of every broker and topic with its\n"
        "source, and consumer groups with members and committed offsets, and writes them\n"
        "as a kafkaudit manifest.  'kafkaudit lint FILE' then reports what 'kafkaudit\n"
        "check' reported against the cluster, without access to it: for audits without\n"
        "production credentials and for reproducible bug reports.  Sensitive settings are\n"
        "written as null.  Exit status 4: unreachable (nothing written) or incomplete\n"
        "(written, with the gaps listed at the top of the file).",
};
