/* docker-compose reader: env conventions, broker detection, provenance,
 * env files. */
#define _GNU_SOURCE /* asprintf */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/compose.h"
#include "util/buf.h"
#include "model/effective.h"

static const char *key(enum compose_image img, const char *env)
{
    static char out[128];
    return compose_env_key(img, env, out, sizeof out) ? NULL : out;
}

static void test_env_key(void **state)
{
    (void)state;
    assert_string_equal(key(CI_CONFLUENT, "KAFKA_MIN_INSYNC_REPLICAS"), "min.insync.replicas");
    assert_string_equal(key(CI_CONFLUENT, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"),
                        "offsets.topic.replication.factor");
    assert_string_equal(key(CI_APACHE, "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"),
                        "listener.security.protocol.map");
    /* '__' -> '_', '___' -> '-' */
    assert_string_equal(key(CI_CONFLUENT, "KAFKA_A__B"), "a_b");
    assert_string_equal(key(CI_CONFLUENT, "KAFKA_A___B_C"), "a-b.c");
    assert_null(key(CI_CONFLUENT, "KAFKA_HEAP_OPTS"));
    assert_null(key(CI_CONFLUENT, "KAFKA_JMX_PORT"));
    assert_null(key(CI_CONFLUENT, "KAFKA_LOG4J_ROOT_LOGLEVEL"));
    assert_null(key(CI_CONFLUENT, "KAFKA_OPTS"));
    assert_null(key(CI_CONFLUENT, "CLUSTER_ID"));
    assert_null(key(CI_APACHE, "KAFKA_CLUSTER_ID"));
    /* Bitnami reads only KAFKA_CFG_* */
    assert_string_equal(key(CI_BITNAMI, "KAFKA_CFG_DEFAULT_REPLICATION_FACTOR"),
                        "default.replication.factor");
    assert_null(key(CI_BITNAMI, "KAFKA_KRAFT_CLUSTER_ID"));
    assert_null(key(CI_BITNAMI, "KAFKA_MIN_INSYNC_REPLICAS"));
}

static void test_image(void **state)
{
    (void)state;
    struct version v;
    assert_int_equal(compose_image_kind("confluentinc/cp-kafka:7.6.1", &v), CI_CONFLUENT);
    assert_true(v.set);
    assert_int_equal(v.major, 3);
    assert_int_equal(v.minor, 6);
    assert_int_equal(compose_image_kind("docker.io/bitnami/kafka:3.7@sha256:ab", &v), CI_BITNAMI);
    assert_int_equal(v.minor, 7);
    assert_int_equal(compose_image_kind("apache/kafka:3.8.0", &v), CI_APACHE);
    assert_int_equal(v.minor, 8);
    assert_int_equal(compose_image_kind("wurstmeister/kafka:2.13-2.8.1", &v), CI_WURSTMEISTER);
    assert_int_equal(v.major, 2);
    assert_int_equal(v.minor, 8);
    assert_int_equal(compose_image_kind("confluentinc/cp-kafka-rest:7.6.1", &v), CI_OTHER);
    assert_int_equal(compose_image_kind("confluentinc/cp-kafka:latest", &v), CI_CONFLUENT);
    assert_false(v.set);
}

static const char *compose = "x-common: &common\n"                                     /* 1 */
                             "  KAFKA_MIN_INSYNC_REPLICAS: \"1\"\n"                    /* 2 */
                             "services:\n"                                             /* 3 */
                             "  zk:\n"                                                 /* 4 */
                             "    image: confluentinc/cp-zookeeper:7.6.1\n"            /* 5 */
                             "  kafka-1:\n"                                            /* 6 */
                             "    image: confluentinc/cp-kafka:7.6.1\n"                /* 7 */
                             "    environment:\n"                                      /* 8 */
                             "      <<: *common\n"                                     /* 9 */
                             "      KAFKA_BROKER_ID: 1\n"                              /* 10 */
                             "      KAFKA_BROKER_RACK: r1\n"                           /* 11 */
                             "      KAFKA_HEAP_OPTS: -Xmx1G\n"                         /* 12 */
                             "  kafka-2:\n"                                            /* 13 */
                             "    image: bitnami/kafka:3.7\n"                          /* 14 */
                             "    environment:\n"                                      /* 15 */
                             "      - KAFKA_CFG_NODE_ID=2\n"                           /* 16 */
                             "      - KAFKA_CFG_UNCLEAN_LEADER_ELECTION_ENABLE=true\n" /* 17 */
                             "  controller:\n"                                         /* 18 */
                             "    image: apache/kafka:3.7.0\n"                         /* 19 */
                             "    environment:\n"                                      /* 20 */
                             "      KAFKA_PROCESS_ROLES: controller\n"                 /* 21 */
                             "      KAFKA_NODE_ID: 9\n";                               /* 22 */

static void test_compose_file(void **state)
{
    (void)state;
    struct model m;
    uint32_t e = tu_model(&m, "docker-compose.yml", compose);
    assert_int_equal(e, 0);
    assert_int_equal(m.nbrokers, 2); /* zookeeper and the controller are not brokers */
    assert_int_equal(m.cluster.declared_brokers, 2);
    assert_int_equal(model_broker_count(&m), 2);
    assert_true(m.cluster.kafka_version.set);
    assert_int_equal(m.cluster.kafka_version.minor, 6);
    const struct broker *b1 = model_find_broker(&m, 1);
    assert_non_null(b1);
    const struct setting *s = object_get(&b1->o, "min.insync.replicas");
    assert_non_null(s);
    assert_string_equal(s->value, "1");
    assert_int_equal(s->loc.line, 2); /* where the anchor writes it */
    assert_string_equal(s->written, "KAFKA_MIN_INSYNC_REPLICAS");
    assert_string_equal(b1->rack, "r1");
    assert_null(object_get(&b1->o, "heap.opts"));
    const struct broker *b2 = model_find_broker(&m, 2);
    assert_non_null(b2);
    s = object_get(&b2->o, "unclean.leader.election.enable");
    assert_non_null(s);
    assert_int_equal(s->loc.line, 17);
    assert_int_equal(s->loc.col, 50);
    assert_int_equal(s->key_loc.col, 9);
    assert_string_equal(s->written, "KAFKA_CFG_UNCLEAN_LEADER_ELECTION_ENABLE");
    assert_null(model_find_broker(&m, 9));
    /* the controller-only service is a controller; the apache/kafka image
     * writes its server.properties from the KAFKA_* variables alone, so
     * Kafka's own defaults apply (no /tmp/kraft-combined-logs) */
    assert_int_equal(m.ncontrollers, 1);
    const struct broker *c9 = m.controllers[0];
    assert_int_equal(c9->id, 9);
    assert_string_equal(c9->o.name, "controller 9 (service controller)");
    assert_null(object_get(&c9->o, "log.dirs"));
    assert_null(object_get(&c9->o, "offsets.topic.replication.factor"));
    assert_true(c9->server_properties);
    assert_int_equal(c9->server_properties_loc.line, 19);
    s = object_get(&c9->o, "process.roles");
    assert_non_null(s);
    assert_int_equal(s->loc.line, 21);
    model_release(&m);
}

static void test_rf_above_brokers(void **state)
{
    (void)state;
    struct rule_set rs;
    assert_int_equal(tu_builtin_rules(&rs), 0);
    struct model m;
    model_init(&m);
    tu_model_add(&m, "docker-compose.yml",
                 "services:\n  kafka:\n    image: apache/kafka:3.7.0\n    environment:\n"
                 "      KAFKA_NODE_ID: 1\n");
    tu_model_add(&m, "topics.yaml", "topics:\n  orders: {partitions: 3, replication_factor: 3}\n");
    struct finding_list fl;
    finding_list_init(&fl);
    engine_run(&rs, &m, &fl);
    const struct finding *f = tu_find(&fl, "KA308");
    assert_non_null(f);
    assert_int_equal(f->loc.line, 2);
    finding_list_release(&fl);
    model_release(&m);
    rule_set_release(&rs);
}

/* Controller services: an override file's service of the same name merges
 * into the controller (its log directory replaces the image's default, an
 * image bump adds no broker); two services with one node id warn; a file
 * of controllers only gets no "nothing to audit" note. */
static void test_controller_services(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    assert_int_equal(tu_model_add(&m, "docker-compose.yml",
                                  "services:\n"
                                  "  controller-1:\n"
                                  "    image: apache/kafka:3.7.0\n"
                                  "    environment:\n"
                                  "      KAFKA_NODE_ID: 1\n"
                                  "      KAFKA_PROCESS_ROLES: controller\n"),
                     0);
    assert_int_equal(tu_model_add(&m, "docker-compose.override.yml",
                                  "services:\n"
                                  "  controller-1:\n"
                                  "    image: apache/kafka:3.8.0\n"
                                  "    environment:\n"
                                  "      KAFKA_LOG_DIRS: /var/lib/kafka/metadata\n"),
                     0);
    assert_int_equal(m.nbrokers, 0);
    assert_int_equal(m.ncontrollers, 1);
    const struct setting *s = object_get(&m.controllers[0]->o, "log.dirs");
    assert_non_null(s);
    assert_string_equal(s->value, "/var/lib/kafka/metadata");
    for (uint32_t i = 0; i < m.diags.n; i++)
        assert_null(strstr(m.diags.v[i].msg, "nothing to audit"));
    model_release(&m);

    model_init(&m);
    tu_model_add(&m, "docker-compose.yml",
                 "services:\n"
                 "  c1:\n"
                 "    image: apache/kafka:3.7.0\n"
                 "    environment: {KAFKA_NODE_ID: 1, KAFKA_PROCESS_ROLES: controller}\n"
                 "  c2:\n"
                 "    image: apache/kafka:3.7.0\n"
                 "    environment: {KAFKA_NODE_ID: 1, KAFKA_PROCESS_ROLES: controller}\n");
    assert_int_equal(m.ncontrollers, 1);
    bool warned = false;
    for (uint32_t i = 0; i < m.diags.n; i++)
        warned |=
            strstr(m.diags.v[i].msg, "controller 1 is configured by more than one service") != NULL;
    assert_true(warned);
    model_release(&m);
}

static char *write_tmp(const char *dir, const char *name, const char *text)
{
    char *path = NULL;
    assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static const struct setting *broker_setting(const struct model *m, int id, const char *key)
{
    const struct broker *b = model_find_broker(m, id);
    assert_non_null(b);
    return object_get(&b->o, key);
}

/* env_file: read as docker compose reads it, relative to the compose
 * file, each variable at its line in the env file; a later file wins and
 * environment: wins over all; a shared file is one source; a missing
 * required file is an input error, an optional one is not. */
static void test_env_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/kafkaudit-envfile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *a = write_tmp(dir, "a.env",
                        "# comment\n"                                        /* 1 */
                        "\n"                                                 /* 2 */
                        "KAFKA_MIN_INSYNC_REPLICAS=1\n"                      /* 3 */
                        "export KAFKA_NUM_PARTITIONS = \"6\"  \r\n"          /* 4 */
                        "KAFKA_DEFAULT_REPLICATION_FACTOR=3 # inline\n"      /* 5 */
                        "KAFKA_LOG_DIRS='/data/a #1'\n"                      /* 6 */
                        "KAFKA_BROKER_RACK\n"                                /* 7 */
                        "KAFKA_AUTO_CREATE_TOPICS_ENABLE=${AUTO:-false}\n"); /* 8 */
    char *b = write_tmp(dir, "b.env", "KAFKA_NUM_PARTITIONS=12\n");
    static const char compose_env[] =
        "services:\n"                                                         /* 1 */
        "  k1:\n"                                                             /* 2 */
        "    image: apache/kafka:3.7.0\n"                                     /* 3 */
        "    env_file: [./a.env, b.env, {path: gone.env, required: false}]\n" /* 4 */
        "    environment: {KAFKA_NODE_ID: 1, KAFKA_MIN_INSYNC_REPLICAS: 2}\n" /* 5 */
        "  k2:\n"                                                             /* 6 */
        "    image: apache/kafka:3.7.0\n"                                     /* 7 */
        "    env_file: a.env\n"                                               /* 8 */
        "    environment: {KAFKA_NODE_ID: 2}\n";                              /* 9 */
    char *cpath = NULL;
    assert_true(asprintf(&cpath, "%s/docker-compose.yml", dir) > 0);
    struct model m;
    assert_int_equal(tu_model(&m, cpath, compose_env), 0);
    assert_int_equal(m.nbrokers, 2);
    /* compose file, a.env, b.env: a.env once although two services use it */
    assert_int_equal(m.sources.n, 3);

    const struct setting *s = broker_setting(&m, 1, "min.insync.replicas");
    assert_string_equal(s->value, "2"); /* environment: wins */
    s = broker_setting(&m, 2, "min.insync.replicas");
    assert_string_equal(s->value, "1");
    assert_string_equal(source_path(&m.sources, s->loc.file), a);
    assert_int_equal(s->loc.line, 3);
    assert_int_equal(s->loc.col, 27);
    assert_int_equal(s->key_loc.col, 1);
    assert_string_equal(s->written, "KAFKA_MIN_INSYNC_REPLICAS");
    s = broker_setting(&m, 1, "num.partitions");
    assert_string_equal(s->value, "12"); /* the later file wins */
    s = broker_setting(&m, 2, "num.partitions");
    assert_string_equal(s->value, "6"); /* quotes, export, blanks, CR */
    assert_int_equal(s->loc.line, 4);
    assert_int_equal(s->key_loc.col, 8);
    assert_string_equal(broker_setting(&m, 2, "default.replication.factor")->value, "3");
    assert_string_equal(broker_setting(&m, 2, "log.dirs")->value, "/data/a #1");
    assert_string_equal(broker_setting(&m, 2, "auto.create.topics.enable")->value, "false");
    /* a name alone is the host's value: set, to a value unknown here */
    s = broker_setting(&m, 2, "broker.rack");
    assert_non_null(s);
    assert_null(s->value);
    model_release(&m);

    /* a missing required env file is an input error at its entry */
    static const char compose_missing[] = "services:\n"
                                          "  k1:\n"
                                          "    image: apache/kafka:3.7.0\n"
                                          "    env_file: [a.env, nothere.env]\n";
    assert_int_equal(tu_model(&m, cpath, compose_missing), 1);
    const struct diag *d = &m.diags.v[m.diags.n - 1];
    assert_non_null(strstr(d->msg, "env_file nothere.env: cannot read"));
    assert_int_equal(d->loc.line, 4);
    assert_int_equal(d->loc.col, 23);
    model_release(&m);

    /* "-" is a file of that name beside the compose file, never stdin */
    static const char compose_dash[] = "services:\n"
                                       "  k1:\n"
                                       "    image: apache/kafka:3.7.0\n"
                                       "    env_file: \"-\"\n";
    assert_int_equal(tu_model(&m, "docker-compose.yml", compose_dash), 1);
    assert_non_null(strstr(m.diags.v[m.diags.n - 1].msg, "env_file -: cannot read"));
    model_release(&m);

    unlink(a);
    unlink(b);
    rmdir(dir);
    free(a);
    free(b);
    free(cpath);
}

/* Interpolation from the project's .env: the image tag, ${VAR},
 * ${VAR:-default} (the .env wins), $VAR, ${VAR:+alt}, $$, references
 * inside a value; a variable set nowhere makes the value unknown. */
static void test_dotenv_interpolation(void **state)
{
    (void)state;
    char dir[] = "/tmp/kafkaudit-dotenv-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *dot = write_tmp(dir, ".env",
                          "CP_VERSION=7.6.1\n"
                          "MIN_ISR=2\n"
                          "RF=3\n"
                          "EMPTY=\n"
                          "RACK=rack-a\n");
    static const char compose_dot[] =
        "services:\n"
        "  k1:\n"
        "    image: confluentinc/cp-kafka:${CP_VERSION}\n"
        "    environment:\n"
        "      KAFKA_BROKER_ID: 1\n"
        "      KAFKA_MIN_INSYNC_REPLICAS: ${MIN_ISR:-1}\n"
        "      KAFKA_DEFAULT_REPLICATION_FACTOR: $RF\n"
        "      KAFKA_BROKER_RACK: zone-${RACK}\n"
        "      KAFKA_NUM_PARTITIONS: ${EMPTY:-6}\n"
        "      KAFKA_LOG_DIRS: ${EMPTY-/data}\n"
        "      KAFKA_AUTO_CREATE_TOPICS_ENABLE: ${RF:+false}\n"
        "      KAFKA_SASL_KERBEROS_SERVICE_NAME: $$kafka\n"
        "      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: ${UNSET_ON_PURPOSE}\n"
        "      KAFKA_LOG_RETENTION_HOURS: ${UNSET_TOO:-${RF}0}\n";
    char *cpath = NULL;
    assert_true(asprintf(&cpath, "%s/docker-compose.yml", dir) > 0);
    struct model m;
    assert_int_equal(tu_model(&m, cpath, compose_dot), 0);
    assert_true(m.cluster.kafka_version.set); /* cp-kafka 7.6.1 is Kafka 3.6 */
    assert_int_equal(m.cluster.kafka_version.minor, 6);
    assert_string_equal(broker_setting(&m, 1, "min.insync.replicas")->value, "2");
    assert_string_equal(broker_setting(&m, 1, "default.replication.factor")->value, "3");
    assert_string_equal(broker_setting(&m, 1, "broker.rack")->value, "zone-rack-a");
    assert_string_equal(broker_setting(&m, 1, "num.partitions")->value, "6");
    assert_string_equal(broker_setting(&m, 1, "log.dirs")->value, "");
    assert_string_equal(broker_setting(&m, 1, "auto.create.topics.enable")->value, "false");
    assert_string_equal(broker_setting(&m, 1, "sasl.kerberos.service.name")->value, "$kafka");
    assert_null(broker_setting(&m, 1, "offsets.topic.replication.factor")->value);
    assert_string_equal(broker_setting(&m, 1, "log.retention.hours")->value, "30");
    model_release(&m);

    /* defaults nested without end are refused (unknown), not recursed */
    struct buf deep = BUF_INIT;
    buf_puts(&deep, "services:\n  k1:\n    image: apache/kafka:3.7.0\n    environment:\n"
                    "      KAFKA_NODE_ID: 1\n      KAFKA_NUM_PARTITIONS: \"");
    for (int i = 0; i < 100000; i++)
        buf_puts(&deep, "${X:-");
    buf_puts(&deep, "1");
    for (int i = 0; i < 100000; i++)
        buf_puts(&deep, "}");
    buf_puts(&deep, "\"\n");
    assert_int_equal(tu_model(&m, cpath, buf_str(&deep)), 0);
    assert_null(broker_setting(&m, 1, "num.partitions")->value);
    model_release(&m);
    buf_release(&deep);
    unlink(dot);
    rmdir(dir);
    free(dot);
    free(cpath);
}

static const char *value_of(const struct model *m, int id, const char *key)
{
    const struct setting *s = broker_setting(m, id, key);
    assert_non_null(s);
    return s->value;
}

/* What docker compose does with an env file's odd lines: quotes, escapes,
 * comments, a byte order mark, references to variables above, "KEY:
 * value", values over lines; unknown values override; problems of a
 * service that runs no Kafka are not reported; a FIFO is refused, not
 * waited on; a file named twice is read once. */
static void test_env_file_semantics(void **state)
{
    (void)state;
    char dir[] = "/tmp/kafkaudit-envsem-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *dot = write_tmp(dir, ".env",
                          "\xef\xbb\xbf"
                          "DOT=dotval\nREF=${DOT}x\n");
    char *a = write_tmp(dir, "a.env",
                        "\xef\xbb\xbf"
                        "KAFKA_T01='$DOT'\n"
                        "KAFKA_T02=\"\\$DOT\"\n"
                        "LOCAL=loc\n"
                        "KAFKA_T04=${LOCAL}-${REF}\n"
                        "KAFKA_T05: colon\n"
                        "KAFKA_T06=\"multi\n"
                        "line\"\n"
                        "KAFKA_T07=a\t#b\n"
                        "KAFKA_T08=a #b\n"
                        "KAFKA_T09='a\\'b'\n"
                        "KAFKA_T10=\"a\\db\"\n"
                        "export\tKAFKA_T11=tab\n"
                        "KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE=true\n"
                        "KAFKA_T12=\"never closed\n");
    char *fifo = NULL;
    assert_true(asprintf(&fifo, "%s/fifo.env", dir) > 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    static const char compose_sem[] = "services:\n"                                   /* 1 */
                                      "  k1:\n"                                       /* 2 */
                                      "    image: apache/kafka:3.7.0\n"               /* 3 */
                                      "    env_file: [a.env, a.env]\n"                /* 4 */
                                      "    environment:\n"                            /* 5 */
                                      "      KAFKA_NODE_ID: 1\n"                      /* 6 */
                                      "      KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE:\n" /* 7 */
                                      "  db:\n"                                       /* 8 */
                                      "    image: postgres:16\n"                      /* 9 */
                                      "    env_file: [db.env, fifo.env]\n"            /* 10 */
                                      "  k2:\n"                                       /* 11 */
                                      "    image: apache/kafka:3.7.0\n"               /* 12 */
                                      "    env_file: fifo.env\n"                      /* 13 */
                                      "    environment: {KAFKA_NODE_ID: 2}\n";        /* 14 */
    char *cpath = NULL;
    assert_true(asprintf(&cpath, "%s/docker-compose.yml", dir) > 0);
    struct model m;
    /* errors: a.env's unterminated quote and k2's FIFO; not db's files */
    assert_int_equal(tu_model(&m, cpath, compose_sem), 2);
    bool quote = false, fifo_err = false;
    for (uint32_t i = 0; i < m.diags.n; i++) {
        quote |= strstr(m.diags.v[i].msg, "unterminated quote") != NULL;
        fifo_err |= strstr(m.diags.v[i].msg, "fifo.env is not a regular file") != NULL &&
                    m.diags.v[i].loc.line == 13;
    }
    assert_true(quote);
    assert_true(fifo_err);
    assert_string_equal(value_of(&m, 1, "t01"), "$DOT");
    assert_string_equal(value_of(&m, 1, "t02"), "$DOT");
    assert_string_equal(value_of(&m, 1, "t04"), "loc-dotvalx");
    assert_string_equal(value_of(&m, 1, "t05"), "colon");
    assert_string_equal(value_of(&m, 1, "t06"), "multi\nline");
    assert_string_equal(value_of(&m, 1, "t07"), "a\t#b");
    assert_string_equal(value_of(&m, 1, "t08"), "a");
    assert_string_equal(value_of(&m, 1, "t09"), "a'b");
    assert_string_equal(value_of(&m, 1, "t10"), "a\\db");
    assert_string_equal(value_of(&m, 1, "t11"), "tab");
    const struct setting *t11 = broker_setting(&m, 1, "t11");
    assert_int_equal(t11->loc.line, 12); /* lines counted past the two-line value */
    /* environment: with no value passes the shell's: unknown, and it
     * overrides the env file's true */
    const struct setting *u = broker_setting(&m, 1, "unclean.leader.election.enable");
    assert_null(u->value);
    assert_non_null(u->note);
    /* a.env named twice is read once: no second assignment */
    int t05 = 0;
    for (const struct setting *x = model_find_broker(&m, 1)->o.cfg; x; x = x->next)
        t05 += strcmp(x->key, "t05") == 0;
    assert_int_equal(t05, 1);
    model_release(&m);
    unlink(fifo);
    unlink(a);
    unlink(dot);
    rmdir(dir);
    free(fifo);
    free(a);
    free(dot);
    free(cpath);
}

/* How each image builds its configuration: apache/kafka from its sample
 * with no KAFKA_* setting, from the environment alone with some (Kafka's
 * defaults for the rest), from a mounted file (unknown); in ZooKeeper mode
 * it does not start (unknown); bitnami takes its legacy KAFKA_* aliases
 * over KAFKA_CFG_*; another owner's "kafka" image is not apache's. */
static void test_image_conventions(void **state)
{
    (void)state;
    struct model m;
    assert_int_equal(tu_model(&m, "docker-compose.yml",
                              "services:\n"
                              "  bare:\n"
                              "    image: apache/kafka:3.8.0\n"
                              "  env:\n"
                              "    image: apache/kafka:3.8.0\n"
                              "    environment: {KAFKA_NODE_ID: 2, KAFKA_PROCESS_ROLES: "
                              "'broker,controller', KAFKA_HEAP_OPTS: -Xmx1G}\n"
                              "  mounted:\n"
                              "    image: apache/kafka:3.8.0\n"
                              "    environment: {KAFKA_NODE_ID: 3}\n"
                              "    volumes: ['./conf:/mnt/shared/config:ro']\n"
                              "  zk:\n"
                              "    image: apache/kafka:3.7.0\n"
                              "    environment: {KAFKA_BROKER_ID: 4, KAFKA_ZOOKEEPER_CONNECT: "
                              "'zk:2181'}\n"),
                     0);
    assert_int_equal(m.nbrokers, 4);
    const struct broker *bare = m.brokers[0];
    const struct setting *s = object_get(&bare->o, "log.dirs");
    assert_non_null(s);
    assert_string_equal(s->value, "/tmp/kraft-combined-logs");
    assert_string_equal(object_get(&bare->o, "offsets.topic.replication.factor")->value, "1");
    assert_false(bare->server_properties);
    const struct broker *env = model_find_broker(&m, 2);
    assert_null(object_get(&env->o, "log.dirs"));
    assert_null(object_get(&env->o, "offsets.topic.replication.factor"));
    assert_true(env->server_properties);
    assert_int_equal(env->server_properties_loc.line, 5);
    const struct broker *mounted = model_find_broker(&m, 3);
    s = object_get(&mounted->o, "log.dirs");
    assert_non_null(s);
    assert_null(s->value);
    assert_non_null(strstr(s->note, "/mnt/shared/config"));
    assert_false(mounted->server_properties);
    const struct broker *zk = model_find_broker(&m, 4);
    s = object_get(&zk->o, "log.dirs");
    assert_non_null(s);
    assert_null(s->value);
    assert_non_null(strstr(s->note, "ZooKeeper"));
    model_release(&m);

    /* the variables the image does not write (JVM options) leave its
     * sample in place; 3.7.0 misspelt KAFKA_HEAP_OPTS and wrote it */
    assert_int_equal(tu_model(&m, "docker-compose.yml",
                              "services:\n"
                              "  jvm:\n"
                              "    image: apache/kafka:3.8.0\n"
                              "    environment: {KAFKA_HEAP_OPTS: -Xmx1G, KAFKA_OPTS: -Dx=1}\n"
                              "  old:\n"
                              "    image: apache/kafka:3.7.0\n"
                              "    environment: {KAFKA_HEAP_OPTS: -Xmx1G}\n"),
                     0);
    assert_int_equal(m.nbrokers, 2);
    s = object_get(&m.brokers[0]->o, "log.dirs");
    assert_non_null(s);
    assert_string_equal(s->value, "/tmp/kraft-combined-logs");
    assert_false(m.brokers[0]->server_properties);
    assert_null(object_get(&m.brokers[1]->o, "log.dirs"));
    assert_true(m.brokers[1]->server_properties);
    model_release(&m);

    assert_int_equal(tu_model(&m, "docker-compose.yml",
                              "services:\n"
                              "  kafka:\n"
                              "    image: bitnami/kafka:3.7\n"
                              "    environment:\n"
                              "      KAFKA_LOG_DIRS: /data/legacy\n"
                              "      KAFKA_CFG_LOG_DIRS: /data/cfg\n"
                              "      KAFKA_CFG_NODE_ID: 1\n"
                              "      KAFKA_CFG_PROCESS_ROLES: broker,controller\n"
                              "      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 3\n"
                              "      KAFKA_HEAP_OPTS: -Xmx1G\n"
                              "  conf:\n"
                              "    image: bitnami/kafka:3.7\n"
                              "    environment: {KAFKA_CFG_NODE_ID: 2}\n"
                              "    volumes:\n"
                              "      - type: bind\n"
                              "        source: ./server.properties\n"
                              "        target: /bitnami/kafka/config/server.properties\n"
                              "  other:\n"
                              "    image: example/kafka:1.0\n"
                              "    environment: {KAFKA_BROKER_ID: 3}\n"),
                     0);
    s = broker_setting(&m, 1, "log.dirs");
    assert_string_equal(s->value, "/data/legacy"); /* the alias wins */
    assert_string_equal(s->written, "KAFKA_LOG_DIRS");
    assert_int_equal(s->loc.line, 5);
    assert_string_equal(broker_setting(&m, 1, "offsets.topic.replication.factor")->value, "3");
    assert_null(broker_setting(&m, 1, "heap.opts"));
    s = broker_setting(&m, 2, "log.dirs");
    assert_non_null(s);
    assert_null(s->value);
    assert_non_null(strstr(s->note, "mounted"));
    s = broker_setting(&m, 3, "log.dirs");
    assert_non_null(s);
    assert_null(s->value);
    assert_non_null(strstr(s->note, "does not know"));
    model_release(&m);
}

/* What keeps each broker's data: the service's volumes against the
 * effective log directories; unknown where the directory is unknown. */
static const struct broker *by_service(const struct model *m, const char *svc)
{
    for (uint32_t i = 0; i < m->nbrokers; i++)
        if (m->brokers[i]->host && strcmp(m->brokers[i]->host, svc) == 0)
            return m->brokers[i];
    return NULL;
}

static void test_data_storage(void **state)
{
    (void)state;
    struct model m;
    assert_int_equal(tu_model(&m, "docker-compose.yml",
                              "services:\n"
                              "  none:\n" /* 2 */
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "  named:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    volumes: ['data:/var/lib/kafka/data']\n"
                              "  above:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    volumes: ['./kafka:/var/lib/kafka/:rw']\n"
                              "  below:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    volumes: ['d:/var/lib/kafka/data/x', 'e:/var/lib/kafka/dat']\n"
                              "  anon:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    volumes: ['/var/lib/kafka/data']\n"
                              "  tmpfs-long:\n"
                              "    image: bitnami/kafka:3.7\n"
                              "    volumes: [{type: bind, source: ./b, target: /bitnami},\n"
                              "              {type: tmpfs, target: /bitnami/kafka/data}]\n"
                              "  tmpfs-key:\n"
                              "    image: bitnami/kafka:3.7\n"
                              "    volumes: ['b:/bitnami/kafka']\n"
                              "    tmpfs: /bitnami/kafka/data\n"
                              "  two-dirs:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    environment: {KAFKA_LOG_DIRS: '/data/a, /data/b'}\n"
                              "    volumes: ['a:/data/a']\n"
                              "  two-dirs-ok:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    environment: {KAFKA_LOG_DIRS: '/data/a,/data/b'}\n"
                              "    volumes: ['a:/data']\n"
                              "  var:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    volumes: ['d:${DATA_DIR}']\n"
                              "  wurst:\n"
                              "    image: wurstmeister/kafka:2.13-2.8.1\n"
                              "    volumes: ['k:/kafka']\n"
                              "  apache-env:\n"
                              "    image: apache/kafka:3.8.0\n"
                              "    environment: {KAFKA_NODE_ID: 12}\n"
                              "    volumes: ['t:/tmp/kafka-logs']\n"
                              "  private:\n"
                              "    image: registry.example.com/kafka:1\n"
                              "    environment: {KAFKA_BROKER_ID: 13}\n"),
                     0);
    const struct broker *b = by_service(&m, "none");
    assert_non_null(b);
    assert_int_equal(b->storage, DS_EPHEMERAL);
    assert_int_equal(b->storage_loc.line, 2);
    assert_int_equal(b->runtime, NR_COMPOSE);
    assert_non_null(strstr(b->storage_note, "/var/lib/kafka/data"));
    assert_non_null(strstr(b->storage_note, "writable layer"));
    assert_int_equal(by_service(&m, "named")->storage, DS_PERSISTENT);
    assert_int_equal(by_service(&m, "above")->storage, DS_PERSISTENT);
    assert_int_equal(by_service(&m, "below")->storage, DS_EPHEMERAL);
    assert_int_equal(by_service(&m, "anon")->storage, DS_PERSISTENT);
    assert_int_equal(by_service(&m, "tmpfs-long")->storage, DS_EPHEMERAL);
    assert_int_equal(by_service(&m, "tmpfs-key")->storage, DS_EPHEMERAL);
    b = by_service(&m, "two-dirs");
    assert_int_equal(b->storage, DS_EPHEMERAL);
    assert_non_null(strstr(b->storage_note, "/data/b"));
    assert_int_equal(by_service(&m, "two-dirs-ok")->storage, DS_PERSISTENT);
    assert_int_equal(by_service(&m, "var")->storage, DS_UNKNOWN);
    assert_int_equal(by_service(&m, "wurst")->storage, DS_PERSISTENT);
    assert_int_equal(by_service(&m, "apache-env")->storage, DS_PERSISTENT);
    b = by_service(&m, "private");
    assert_non_null(b);
    assert_int_equal(b->storage, DS_UNKNOWN);
    assert_null(b->storage_note);
    assert_string_equal(data_storage_name(DS_EPHEMERAL), "ephemeral");
    assert_null(data_storage_name(DS_UNKNOWN));
    model_release(&m);

    /* an override file's volume counts (Compose merges the lists) */
    assert_int_equal(tu_model(&m, "docker-compose.yml",
                              "services:\n"
                              "  kafka:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"),
                     0);
    assert_int_equal(m.brokers[0]->storage, DS_EPHEMERAL);
    tu_model_add(&m, "docker-compose.override.yml",
                 "services:\n"
                 "  kafka:\n"
                 "    volumes: ['kd:/var/lib/kafka/data']\n");
    assert_int_equal(m.nbrokers, 1);
    assert_int_equal(m.brokers[0]->storage, DS_PERSISTENT);
    model_release(&m);

    /* an override that moves the log, without volumes of its own: the
     * base file's volumes are not in view, so unknown */
    assert_int_equal(tu_model(&m, "docker-compose.yml",
                              "services:\n"
                              "  kafka:\n"
                              "    image: confluentinc/cp-kafka:7.6.1\n"
                              "    volumes: ['kd:/data']\n"),
                     0);
    assert_int_equal(m.brokers[0]->storage, DS_EPHEMERAL);
    tu_model_add(&m, "docker-compose.override.yml",
                 "services:\n"
                 "  kafka:\n"
                 "    environment: {KAFKA_LOG_DIRS: /data/logs}\n");
    assert_int_equal(m.brokers[0]->storage, DS_UNKNOWN);
    model_release(&m);
}

/* Strimzi: spec.kafka.storage, or the broker pools' spec.storage. */
static void test_strimzi_storage(void **state)
{
    (void)state;
    struct model m;
    assert_int_equal(tu_model(&m, "kafka.yaml",
                              "apiVersion: kafka.strimzi.io/v1beta2\n"
                              "kind: Kafka\n"
                              "metadata: {name: c}\n"
                              "spec:\n"
                              "  kafka:\n"
                              "    replicas: 3\n"
                              "    storage:\n"
                              "      type: ephemeral\n"),
                     0);
    assert_int_equal(m.every_broker.storage, DS_EPHEMERAL);
    assert_int_equal(m.every_broker.storage_loc.line, 8);
    assert_int_equal(m.every_broker.runtime, NR_STRIMZI);
    assert_non_null(strstr(m.every_broker.storage_note, "emptyDir"));
    model_release(&m);

    assert_int_equal(tu_model(&m, "kafka.yaml",
                              "apiVersion: kafka.strimzi.io/v1beta2\n"
                              "kind: Kafka\n"
                              "metadata: {name: c}\n"
                              "spec:\n"
                              "  kafka:\n"
                              "    storage: {type: jbod, volumes: [{id: 0, type: "
                              "persistent-claim, size: 1Gi}]}\n"),
                     0);
    assert_int_equal(m.every_broker.storage, DS_PERSISTENT);
    model_release(&m);

    /* with node pools the Kafka resource's storage is ignored */
    assert_int_equal(
        tu_model(&m, "kafka.yaml",
                 "apiVersion: kafka.strimzi.io/v1beta2\n"
                 "kind: Kafka\n"
                 "metadata: {name: c}\n"
                 "spec:\n"
                 "  kafka:\n"
                 "    storage: {type: persistent-claim, size: 1Gi}\n"
                 "---\n"
                 "apiVersion: kafka.strimzi.io/v1beta2\n"
                 "kind: KafkaNodePool\n"
                 "metadata: {name: ctl, labels: {strimzi.io/cluster: c}}\n"
                 "spec: {replicas: 3, roles: [controller], storage: {type: ephemeral}}\n"
                 "---\n"
                 "apiVersion: kafka.strimzi.io/v1beta2\n"
                 "kind: KafkaNodePool\n"
                 "metadata: {name: b, labels: {strimzi.io/cluster: c}}\n"
                 "spec:\n"
                 "  replicas: 3\n"
                 "  roles: [broker]\n"
                 "  storage:\n"
                 "    type: jbod\n"
                 "    volumes:\n"
                 "      - {id: 0, type: persistent-claim, size: 1Gi}\n"
                 "      - {id: 1, type: ephemeral}\n"),
        0);
    assert_int_equal(m.every_broker.storage, DS_EPHEMERAL);
    assert_int_equal(m.every_broker.storage_loc.line, 23);
    assert_non_null(strstr(m.every_broker.storage_note, "KafkaNodePool b"));
    model_release(&m);

    /* a type kafkaudit does not know: unknown */
    assert_int_equal(tu_model(&m, "kafka.yaml",
                              "apiVersion: kafka.strimzi.io/v1beta2\n"
                              "kind: Kafka\n"
                              "metadata: {name: c}\n"
                              "spec:\n"
                              "  kafka:\n"
                              "    storage: {type: '${STORAGE}'}\n"),
                     0);
    assert_int_equal(m.every_broker.storage, DS_UNKNOWN);
    assert_null(m.every_broker.storage_note);
    model_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_env_key),
        cmocka_unit_test(test_image),
        cmocka_unit_test(test_compose_file),
        cmocka_unit_test(test_rf_above_brokers),
        cmocka_unit_test(test_controller_services),
        cmocka_unit_test(test_image_conventions),
        cmocka_unit_test(test_env_file),
        cmocka_unit_test(test_dotenv_interpolation),
        cmocka_unit_test(test_env_file_semantics),
        cmocka_unit_test(test_data_storage),
        cmocka_unit_test(test_strimzi_storage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
