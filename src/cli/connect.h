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
};

#define CONNECT_OPTIONS                                                                        \
    {"bootstrap-servers", 'b', "LIST", CO_BOOTSTRAP, 0, NULL,                                  \
     "brokers to start from, HOST:PORT[,HOST:PORT...] (default: $KAFKA_BOOTSTRAP_SERVERS)"},   \
        {"property", 'X', "KEY=VALUE", CO_PROPERTY, OPT_REPEAT, NULL,                          \
         "librdkafka property, as with kcat -X (repeatable), e.g. -X security.protocol=SSL"},  \
        {"command-config", 0, "FILE", CO_COMMAND_CONFIG, 0, "file",                            \
         "Java client .properties (security.protocol, sasl.*, ssl.*), as Kafka's tools take"}, \
        {"timeout", 0, "DURATION", CO_TIMEOUT, 0, NULL,                                        \
         "deadline for the whole collection (default 30s; top: 10s for each), e.g. 500ms, "    \
         "2m; a bare number is seconds"}

/* kafkaudit itself serves ListGroups in a helper process (live.h:
 * helper_exe; main() runs it). */
#define LIVE_HELPER_EXE "/proc/self/exe"

/* 0: handled; 1: not a connection option; EXIT_USAGE on a bad value. */
int connect_opt(struct live_opts *o, int id, const char *arg, const struct command *c);
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

/* "12 requests (Metadata 1, DescribeConfigs 3, ...)" for --stats. */
void print_request_stats(FILE *out, const struct live_stats *st);

#endif
