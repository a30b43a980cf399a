/*
 * cmd_top.c - `kafkaudit top`: the live dashboard of ISR shrink and
 * consumer lag (src/tui/top.h), its --batch frames, and recordings.
 */
#include "cli/audit.h"
#include "cli/connect.h"
#include "tui/top.h"
#include "tui/ui.h"
#include "util/strutil.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_INTERVAL = 1,
    O_WINDOW,
    O_ALLOWED_LAG,
    O_HISTORY,
    O_EVENTS,
    O_TOPIC,
    O_GROUP,
    O_RECORD,
    O_REPLAY,
    O_SPEED,
    O_BATCH,
    O_ITERATIONS,
    O_VIEW,
    O_WIDTH,
    O_SCRIPT,
    O_SIZE,
    O_ASCII,
    O_COLOR,
    O_NO_COLOR,
    O_RULES,
    O_NO_BUILTIN,
};

static const struct opt top_opts[] = {
    CONNECT_OPTIONS_TIMEOUT("deadline for each collection (default 10s), e.g. 500ms, 2m; a bare "
                            "number is seconds"),
    {"interval", 'd', "DURATION", O_INTERVAL, 0, NULL,
     "time between collections (default 2s); stretched while collection is slow"},
    {"topic", 't', "GLOB", O_TOPIC, 0, NULL, "only topics matching GLOB"},
    {"group", 'g', "GROUP", O_GROUP, OPT_REPEAT, NULL, "only these consumer groups (repeatable)"},
    {"window", 0, "DURATION", O_WINDOW, 0, NULL,
     "consumer status window: STALL/STOP after no progress for this long (default 2m)"},
    {"allowed-lag", 0, "N", O_ALLOWED_LAG, 0, NULL,
     "lag that still counts as caught up (default 0)"},
    {"history", 0, "N", O_HISTORY, 0, NULL,
     "log-end samples kept per partition for time lag (default 32)"},
    {"events", 0, "N", O_EVENTS, 0, NULL, "ISR events kept for the timeline (default 65536)"},
    {"record", 0, "FILE", O_RECORD, 0, "file",
     "save every collected model to FILE (multi-document manifest, secrets masked)"},
    {"replay", 0, "FILE", O_REPLAY, 0, "file", "drive the dashboard from a recording (no cluster)"},
    {"speed", 0, "FACTOR", O_SPEED, 0, "0.5|1|2|10|max",
     "replay speed: 1 (default, as recorded), 10, 0.5, or max"},
    {"batch", 0, NULL, O_BATCH, 0, NULL,
     "print plain text frames instead of the screen, as top(1)'s batch mode"},
    {"iterations", 'n', "N", O_ITERATIONS, 0, NULL,
     "stop after N collections (batch; default: forever, or the whole recording)"},
    {"view", 'v', "VIEW[,VIEW]", O_VIEW, 0, "view",
     "first view; with --batch, the views printed (default all)"},
    {"width", 0, "COLUMNS", O_WIDTH, 0, NULL, "width of --batch frames (default 80)"},
    /* a test and demo hook (kafkaudit(1)), not in --help */
    {"script", 0, "FILE", O_SCRIPT, OPT_HIDDEN, "file",
     "run headless: keys and save-screen commands from FILE"},
    {"size", 0, "WxH", O_SIZE, OPT_HIDDEN, NULL, "screen size for --script (default 80x24)"},
    {"ascii", 0, NULL, O_ASCII, 0, NULL,
     "ASCII glyphs only (default when the locale is not UTF-8)"},
    {"color", 0, "WHEN", O_COLOR, 0, "color", "auto (default), always, never"},
    {"no-color", 0, NULL, O_NO_COLOR, 0, NULL, "monochrome (also when NO_COLOR is set)"},
    {"rules", 'r', "DIR", O_RULES, OPT_REPEAT, "dir", "also load rules from DIR (Findings view)"},
    {"no-builtin-rules", 0, NULL, O_NO_BUILTIN, 0, NULL, "do not load the shipped rules"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

static int count_arg(const struct command *c, const char *name, const char *arg, int64_t min,
                     int64_t max, int64_t *out)
{
    if (str_to_i64(arg, out) || *out < min || *out > max)
        return usage_error(c, "--%s expects a number from %lld to %lld", name, (long long)min,
                           (long long)max);
    return 0;
}

static int views_arg(const struct command *c, const char *arg, int *first, unsigned *mask)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", arg);
    *mask = 0;
    *first = -1;
    for (char *p = buf; p && *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        int v = view_parse(p);
        if (v < 0) {
            const char *views[V__TOP + 1];
            char names[256];
            size_t n = 0;
            names[0] = '\0';
            for (int i = 0; i < V__TOP; i++) {
                views[i] = view_name(i);
                n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? ", " : "", views[i]);
            }
            views[V__TOP] = NULL;
            return usage_error(c, "unknown view '%s' (%s)%s", p, names, did_you_mean(p, views));
        }
        if (*first < 0)
            *first = v;
        *mask |= 1u << v;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* What the command line asks of top. */
struct top_args {
    struct live_opts lo;
    struct top_opts o;
    enum color_mode cm;
    const char *rule_dirs[AUDIT_MAX_RULE_DIRS];
    int nrule_dirs;
    bool builtin;
    const char *groups[256];
    int ngroups;
    char replay_buf[PATH_MAX + 64];
};

/* The options into *a (set to the defaults first); 0, or the exit status
 * of a usage error, already reported. */
static int parse_args(struct top_args *a, int argc, char **argv, const struct command *self)
{
    live_opts_init(&a->lo);
    a->lo.helper_exe = LIVE_HELPER_EXE;
    a->lo.timeout_ms = 10000;
    memset(&a->o, 0, sizeof a->o);
    a->o.speed = 1;
    a->o.interval_ms = 2000;
    a->o.iterations = -1;
    a->o.view = V_OVERVIEW;
    watch_opts_init(&a->o.wopts);
    a->cm = COLOR_AUTO;
    a->ngroups = 0;
    a->nrule_dirs = 0;
    a->builtin = true;
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    int id, rc;
    int64_t v;
    const char *arg;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        switch (id) {
        case OPT_ERROR: return EXIT_USAGE;
        case OPT_POSITIONAL: return usage_error(self, "unexpected operand '%s'", arg);
        case O_INTERVAL:
        case O_WINDOW:
            v = parse_duration_ms(arg);
            if (v < 100)
                return usage_error(self, "--%s expects a duration such as 2s, 500ms or 5m",
                                   id == O_INTERVAL ? "interval" : "window");
            if (id == O_INTERVAL)
                a->o.interval_ms = v;
            else
                a->o.wopts.window_ms = v;
            break;
        case O_ALLOWED_LAG:
            if ((rc = count_arg(self, "allowed-lag", arg, 0, INT64_MAX / 4, &v)))
                return rc;
            a->o.wopts.allowed_lag = v;
            break;
        case O_HISTORY:
            if ((rc = count_arg(self, "history", arg, 2, 4096, &v)))
                return rc;
            a->o.wopts.history_len = (uint32_t)v;
            break;
        case O_EVENTS:
            if ((rc = count_arg(self, "events", arg, 16, 1 << 24, &v)))
                return rc;
            a->o.wopts.max_events = (uint32_t)v;
            break;
        case O_TOPIC: a->lo.topic_filter = arg; break;
        case O_GROUP:
            if (a->ngroups >= (int)(sizeof a->groups / sizeof *a->groups))
                return usage_error(self, "at most %d --group options",
                                   (int)(sizeof a->groups / sizeof *a->groups));
            a->groups[a->ngroups++] = arg;
            a->lo.groups = a->groups;
            a->lo.ngroups = a->ngroups;
            break;
        case O_RECORD: a->o.record = arg; break;
        case O_REPLAY: a->o.replay = example_path(arg, a->replay_buf, sizeof a->replay_buf); break;
        case O_SPEED:
            if (strcmp(arg, "max") == 0) {
                a->o.speed = 0;
            } else if (str_to_double(arg, &a->o.speed) || !(a->o.speed >= 0) || a->o.speed > 1e6) {
                return usage_error(self, "--speed expects a factor such as 1, 10, 0.5 or max");
            }
            a->o.speed_set = true;
            break;
        case O_BATCH: a->o.batch = true; break;
        case O_ITERATIONS:
            if ((rc = count_arg(self, "iterations", arg, 1, 1000000000, &v)))
                return rc;
            a->o.iterations = (long)v;
            break;
        case O_VIEW:
            if ((rc = views_arg(self, arg, &a->o.view, &a->o.views)))
                return rc;
            break;
        case O_WIDTH:
            if ((rc = count_arg(self, "width", arg, 40, 1000, &v)))
                return rc;
            a->o.width = (int)v;
            break;
        case O_SCRIPT: a->o.script = arg; break;
        case O_SIZE: {
            const char *x = strchr(arg, 'x');
            int64_t w, h;
            if (!x || strn_to_i64(arg, (size_t)(x - arg), &w) || str_to_i64(x + 1, &h) || w < 20 ||
                w > 1000 || h < 5 || h > 1000)
                return usage_error(self, "--size expects WxH such as 80x24");
            a->o.width = (int)w;
            a->o.height = (int)h;
            break;
        }
        case O_ASCII: a->o.ascii = true; break;
        case O_COLOR:
            if (color_parse(arg, &a->cm))
                return usage_error(self, "--color expects auto, always or never%s",
                                   did_you_mean(arg, color_names));
            break;
        case O_NO_COLOR: a->cm = COLOR_NEVER; break;
        case O_RULES:
            if (a->nrule_dirs >= AUDIT_MAX_RULE_DIRS)
                return usage_error(self, "too many --rules");
            a->rule_dirs[a->nrule_dirs++] = arg;
            break;
        case O_NO_BUILTIN: a->builtin = false; break;
        default:
            if ((rc = connect_opt(&a->lo, id, arg, self)) != 0)
                return rc == 1 ? usage_error(self, "unexpected option") : rc;
        }
    }
    return 0;
}

/* A live cluster or a replay, not both and not neither; 0, or the exit
 * status after saying why. */
static int check_source(struct top_args *a, const struct command *self)
{
    int rc;
    /* a replay takes no cluster: $KAFKAUDIT_CLUSTER does not apply to it */
    if ((rc = connect_finish(&a->lo, self, !a->o.replay)) != 0)
        return rc;
    if (a->o.replay && connect_given(&a->lo))
        return usage_error(self, "--replay plays a recording: it does not take -b, -X or "
                                 "--command-config");
    if (a->o.replay && a->o.record)
        return usage_error(self, "--record saves a live session; copy the file to keep a replay");
    if (!a->o.replay && !connect_given(&a->lo) && !getenv("KAFKA_BOOTSTRAP_SERVERS")) {
        /* as the other live commands: unusable connection settings (3) */
        const char *ex =
            example_path("examples/recordings/incident.yaml", a->replay_buf, sizeof a->replay_buf);
        fprintf(stderr,
                "kafkaudit: top: error: no bootstrap servers: nothing to connect to\n"
                "  hint: give -b HOST:PORT[,HOST:PORT...], set KAFKA_BOOTSTRAP_SERVERS, or "
                "replay a recording:\n"
                "        kafkaudit top --replay %s\n",
                ex);
        return EXIT_INPUT;
    }
    return 0;
}

static int run(int argc, char **argv, const struct command *self)
{
    struct top_args a; /* lo.groups points into it */
    int rc;
    if ((rc = parse_args(&a, argc, argv, self)) || (rc = check_source(&a, self)))
        return rc;
    if (!a.o.replay)
        a.o.live = &a.lo;
    const char *nc = getenv("NO_COLOR");
    a.o.color = a.cm == COLOR_ALWAYS || (a.cm == COLOR_AUTO && !(nc && *nc));
    /* characters and wide characters for ncursesw; numbers stay in "C" */
    setlocale(LC_CTYPE, "");

    struct rule_set rs;
    rule_set_init(&rs);
    if (a.builtin || a.nrule_dirs) {
        load_rule_set(&rs, a.rule_dirs, a.nrule_dirs, a.builtin);
        if (rs.diags.nerrors) {
            render_diags_text(stderr, &rs.sources, &rs.diags, want_color(a.cm, stderr), NULL);
            rule_set_release(&rs);
            return EXIT_INPUT;
        }
        a.o.rules = &rs;
    }
    rc = top_run(&a.o);
    rule_set_release(&rs);
    return rc;
}

const struct command cmd_top = {
    .name = "top",
    .summary = "live dashboard of ISR shrink and consumer lag (ncurses)",
    .synopsis = "[-b HOST:PORT | --replay FILE] [OPTIONS]",
    .opts = top_opts,
    .run = run,
    .exit_status = "Exit status: 0 quit, 2 usage error, 3 invalid recording or connection\n"
                   "settings (no -b, KAFKA_BOOTSTRAP_SERVERS or --replay), 4 (--batch) the last\n"
                   "collection failed, 130 interrupted.",
    .description = "Shows, problems first and updating live, which partitions are losing\n"
                   "replicas (since when, on which broker, whether acks=all writes are refused),\n"
                   "the history of ISR shrinks and expands, what would go under min ISR if a\n"
                   "broker left, and which consumer groups are falling behind or stuck: lag,\n"
                   "lag in seconds, trend, catch-up ETA and a status (OK, WARN, STALL, STOP,\n"
                   "REWIND, LOST) judged over a wall-clock window.  Views: 1 Overview,\n"
                   "2 Partitions, 3 Timeline, 4 Brokers, 5 Groups, 6 Findings; press ? for keys.\n"
                   "--record saves the session, --replay plays it back without a cluster, and\n"
                   "--batch prints plain text frames for logs and scripts.",
};
