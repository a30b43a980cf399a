/*
 * connect.h - the connection options every live command shares (check,
 * snapshot, isr, lag, lint -b), and one helper that runs a collection.
 */
#ifndef KA_CONNECT_H
#define KA_CONNECT_H

#include "cli/cli.h"
#include "live/live.h"

enum {
    CO_BOOTSTRAP = 2000,
    CO_PROPERTY,
    CO_COMMAND_CONFIG,
    CO_TIMEOUT,
    CO_CLUSTER,
    CO_CLUSTERS_FILE,
    CO_COLOR,
    CO_NO_COLOR,
};

/* clang-format off */
#define CONNECT_OPTIONS                                                                        \
    CONNECT_OPTIONS_TIMEOUT("deadline for the whole collection (default 30s), e.g. 500ms, "   \
                            "2m; a bare number is seconds")
/* the same, with the command's own --timeout help (top: for each collection) */
#define CONNECT_OPTIONS_TIMEOUT(timeout_help)                                                  \
    {"bootstrap-server", 'b', "LIST", CO_BOOTSTRAP, 0, NULL,                                   \
     "brokers to start from, HOST:PORT[,HOST:PORT...] (default: $KAFKA_BOOTSTRAP_SERVERS)"},   \
        {"bootstrap-servers", 0, "LIST", CO_BOOTSTRAP, OPT_HIDDEN, NULL, "--bootstrap-server"},  \
        {"property", 'X', "KEY=VALUE", CO_PROPERTY, OPT_REPEAT, NULL,                          \
         "librdkafka property, as with kcat -X (repeatable), e.g. -X security.protocol=SSL"},  \
        {"command-config", 0, "FILE", CO_COMMAND_CONFIG, 0, "file",                            \
         "Java client .properties (security.protocol, sasl.*, ssl.*), as Kafka's tools take"}, \
        {"cluster", 'C', "NAME", CO_CLUSTER, 0, "cluster",                                     \
         "a cluster named in the clusters file, kafkaudit-clusters(5) (live commands: "       \
         "default $KAFKAUDIT_CLUSTER)"},                                                      \
        {"clusters-file", 0, "FILE", CO_CLUSTERS_FILE, 0, "file",                              \
         "the clusters file (default: $KAFKAUDIT_CLUSTERS_FILE, else "                       \
         "~/.config/kafkaudit/clusters.yaml)"},                                               \
        {"timeout", 0, "DURATION", CO_TIMEOUT, 0, NULL, timeout_help}
/* --color and --no-color of the live commands' text tables (isr, lag), as
 * lint's and check's */
#define COLOR_OPTIONS                                                                          \
    {"color", 0, "WHEN", CO_COLOR, 0, "color",                                                 \
     "colour problem rows: auto (default: on a terminal, unless NO_COLOR is set), always, "  \
     "never"},                                                                                 \
        {"no-color", 0, NULL, CO_NO_COLOR, 0, NULL, "same as --color=never"}
/* clang-format on */
/* 0: handled (into *m); 1: not a colour option; EXIT_USAGE on a bad value. */
int color_opt(enum color_mode *m, int id, const char *arg, const struct command *c);

/* kafkaudit itself serves ListGroups in a helper process (live.h:
 * helper_exe; main() runs it). */
#define LIVE_HELPER_EXE "/proc/self/exe"

/* 0: handled; 1: not a connection option; EXIT_USAGE on a bad value. */
int connect_opt(struct live_opts *o, int id, const char *arg, const struct command *c);

/* Named clusters (clusters.c, kafkaudit-clusters(5)). */
struct cluster_choice {
    const char *name; /* -C NAME */
    const char *file; /* --clusters-file */
    bool use_env;     /* $KAFKAUDIT_CLUSTER applies (live commands, not lint) */
    bool bootstrap_given, command_config_given; /* -b, --command-config win */
    struct version kafka;                       /* the cluster's kafka_version, when it has one */
    const char *applied;                        /* the cluster applied, if any */
};
extern struct cluster_choice connect_cluster; /* what the options chose */
/* After the options: apply the chosen cluster (-C, else $KAFKAUDIT_CLUSTER
 * when use_env and no -b) to o: its bootstrap servers (unless -b), its
 * properties before the -X ones, its command-config (unless given).
 * 0, or EXIT_INPUT after saying why on stderr (file:line). */
int connect_finish(struct live_opts *o, const struct command *c, bool use_env);
int clusters_apply(struct cluster_choice *ch, struct live_opts *lo, const struct command *c);
/* For completions: the names in the clusters file, one a line. */
void clusters_list(const char *given);
/* Did the command line ask for a cluster (-b, -X or --command-config)? */
bool connect_given(const struct live_opts *o);

/* Parse "30s", "500ms", "2m", "45" (seconds) into ms; -1 if invalid. */
int64_t parse_duration_ms(const char *s);

enum collect_result { COLLECT_OK, COLLECT_PARTIAL, COLLECT_UNREACHABLE, COLLECT_CONFIG };
/* The exit status a failed collection ends with: 3 (EXIT_INPUT) when the
 * connection settings are unusable (-X, --command-config, no bootstrap
 * servers), 4 (EXIT_CLUSTER) when the cluster could not be (fully) read. */
int collect_exit_status(enum collect_result cr);

/* Connect, collect into m (model_init'ed), close.  Configuration problems
 * go to m->diags (DK_CLUSTER errors).  librdkafka log lines the user asked
 * for with -X debug=... go to stderr. */
enum collect_result connect_collect(const struct live_opts *o, struct model *m,
                                    struct live_stats *st);

/* The head of isr's and lag's JSON, as lint's: "version" (of the schema),
 * "tool" {name, version}, "command", and "cluster" {name (-C, else null),
 * bootstrap, id, controller (null: unknown)}. */
struct jw;
void live_json_header(struct jw *w, const char *command, const struct model *m);

/* "12 requests (Metadata 1, DescribeConfigs 3, ...)" for --stats. */
void print_request_stats(FILE *out, const struct live_stats *st);

#endif
