/*
 * connect.c - shared connection options and collection for live commands.
 */
#include "cli/connect.h"
#include "report/render.h"
#include "util/json_writer.h"
#include "util/strutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int64_t parse_duration_ms(const char *s)
{
    size_t n = strlen(s);
    int64_t mult = 1000;
    if (n > 2 && strcmp(s + n - 2, "ms") == 0) {
        mult = 1;
        n -= 2;
    } else if (n > 1 && s[n - 1] == 's') {
        n -= 1;
    } else if (n > 1 && s[n - 1] == 'm') {
        mult = 60000;
        n -= 1;
    }
    int64_t v;
    if (strn_to_i64(s, n, &v) || v <= 0 || v > 86400000 / mult)
        return -1;
    return v * mult;
}

struct cluster_choice connect_cluster;

int connect_finish(struct live_opts *o, const struct command *c, bool use_env)
{
    connect_cluster.use_env = use_env;
    return clusters_apply(&connect_cluster, o, c);
}

int connect_opt(struct live_opts *o, int id, const char *arg, const struct command *c)
{
    switch (id) {
    case CO_BOOTSTRAP:
        o->bootstrap = arg;
        connect_cluster.bootstrap_given = arg && *arg;
        return 0;
    case CO_COMMAND_CONFIG:
        o->command_config = arg;
        connect_cluster.command_config_given = true;
        return 0;
    case CO_CLUSTER: connect_cluster.name = arg; return 0;
    case CO_CLUSTERS_FILE: connect_cluster.file = arg; return 0;
    case CO_PROPERTY:
        if (o->nconf >= LIVE_MAX_CONF)
            return usage_error(c, "at most %d -X options", LIVE_MAX_CONF);
        if (!strchr(arg, '=') || arg[0] == '=')
            return usage_error(c, "-X expects KEY=VALUE, such as -X security.protocol=SSL");
        o->conf[o->nconf++] = arg;
        return 0;
    case CO_TIMEOUT: {
        int64_t ms = parse_duration_ms(arg);
        if (ms < 0 || ms > INT32_MAX)
            return usage_error(c, "--timeout expects a duration such as 30s, 500ms or 2m");
        o->timeout_ms = (int)ms;
        return 0;
    }
    default: return 1;
    }
}

bool connect_given(const struct live_opts *o)
{
    return (o->bootstrap && *o->bootstrap) || o->nconf || o->command_config;
}

static void log_line(void *arg, const char *line)
{
    (void)arg;
    fprintf(stderr, "%s\n", line);
}

/* On a terminal, say which step a long collection is in (big clusters take
 * seconds); the line is erased when the collection ends, so nothing of it
 * reaches logs, pipes or the report. */
static bool progress_shown;
static void show_progress(void *arg, const char *step, int done, int total)
{
    (void)arg;
    (void)done;
    (void)total;
    fprintf(stderr, "\r\033[Kkafkaudit: reading %s...", step);
    fflush(stderr);
    progress_shown = true;
}

static bool progress_wanted(void)
{
    const char *term = getenv("TERM");
    return isatty(STDERR_FILENO) && term && *term && strcmp(term, "dumb") != 0;
}

enum collect_result connect_collect(const struct live_opts *o, struct model *m,
                                    struct live_stats *st)
{
    struct live_opts lo = *o;
    lo.log = log_line;
    lo.helper_exe = LIVE_HELPER_EXE;
    if (!lo.progress && progress_wanted())
        lo.progress = show_progress;
    struct live_client *c = live_connect(&lo, &m->diags);
    if (!c)
        return COLLECT_CONFIG;
    int rc = live_collect(c, m, st);
    live_close(c);
    if (connect_cluster.applied)
        m->cluster.cluster_name = arena_strdup(&m->arena, connect_cluster.applied);
    if (progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        progress_shown = false;
    }
    if (rc < 0)
        return COLLECT_UNREACHABLE;
    return diag_count(&m->diags, DIAG_ERROR, DK_CLUSTER) || st->errors ? COLLECT_PARTIAL
                                                                       : COLLECT_OK;
}

int collect_exit_status(enum collect_result cr)
{
    switch (cr) {
    case COLLECT_OK: return EXIT_OK;
    case COLLECT_CONFIG: return EXIT_INPUT; /* fix the connection settings, not the cluster */
    default: return EXIT_CLUSTER;
    }
}

void print_request_stats(FILE *out, const struct live_stats *st)
{
    fprintf(out, "%" PRIu32 " requests in %" PRId64 " ms (", st->requests, st->elapsed_ms);
    for (uint32_t i = 0; i < st->napi; i++)
        fprintf(out, "%s%s %" PRIu32, i ? ", " : "", st->per_api[i].api, st->per_api[i].n);
    fputs(")\n", out);
}

int color_opt(enum color_mode *m, int id, const char *arg, const struct command *c)
{
    if (id == CO_NO_COLOR) {
        *m = COLOR_NEVER;
        return 0;
    }
    if (id != CO_COLOR)
        return 1;
    if (color_parse(arg, m))
        return usage_error(c, "--color expects auto, always or never%s",
                           did_you_mean(arg, color_names));
    return 0;
}

void live_json_header(struct jw *w, const char *command, const struct model *m)
{
    jw_kint(w, "version", 1);
    jw_key(w, "tool");
    jw_obj_begin(w);
    jw_kstr(w, "name", "kafkaudit");
    jw_kstr(w, "version", kafkaudit_version);
    jw_obj_end(w);
    jw_kstr(w, "command", command);
    render_cluster_json(w, m, true);
}
