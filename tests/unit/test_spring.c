/* Spring Boot reader: property names, relaxed binding, conversions,
 * provenance, profiles. */
#include "testutil.h"

#include <string.h>

#include "input/input.h"
#include "input/spring.h"
#include "model/effective.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"

static void test_relaxed(void **state)
{
    (void)state;
    char a[64], b[64], c[64];
    spring_relaxed("enable-auto-commit", a, sizeof a);
    spring_relaxed("enableAutoCommit", b, sizeof b);
    spring_relaxed("enable_auto_commit", c, sizeof c);
    assert_string_equal(a, "enableautocommit");
    assert_string_equal(a, b);
    assert_string_equal(a, c);
}

static void test_key_map(void **state)
{
    (void)state;
    enum spring_conv cv;
    assert_string_equal(spring_kafka_key(OBJ_PRODUCER, "acks", &cv), "acks");
    assert_string_equal(spring_kafka_key(OBJ_PRODUCER, "transactionidprefix", &cv),
                        "transactional.id");
    assert_string_equal(spring_kafka_key(OBJ_PRODUCER, "batchsize", &cv), "batch.size");
    assert_int_equal(cv, SPC_DATASIZE);
    assert_string_equal(spring_kafka_key(OBJ_CONSUMER, "enableautocommit", &cv),
                        "enable.auto.commit");
    assert_string_equal(spring_kafka_key(OBJ_CONSUMER, "isolationlevel", &cv), "isolation.level");
    assert_int_equal(cv, SPC_LOWER);
    assert_string_equal(spring_kafka_key(OBJ_CONSUMER, "autocommitinterval", &cv),
                        "auto.commit.interval.ms");
    assert_int_equal(cv, SPC_DURATION_MS);
    assert_null(spring_kafka_key(OBJ_CONSUMER, "acks", &cv));
    assert_null(spring_kafka_key(OBJ_PRODUCER, "groupid", &cv));
    assert_string_equal(spring_ssl_key("truststorelocation"), "ssl.truststore.location");
}

static void test_convert(void **state)
{
    (void)state;
    char o[64];
    assert_int_equal(spring_convert(SPC_DATASIZE, "16KB", o, sizeof o), 0);
    assert_string_equal(o, "16384");
    assert_int_equal(spring_convert(SPC_DATASIZE, "1MB", o, sizeof o), 0);
    assert_string_equal(o, "1048576");
    assert_int_equal(spring_convert(SPC_DATASIZE, "500", o, sizeof o), 0);
    assert_string_equal(o, "500");
    assert_int_equal(spring_convert(SPC_DURATION_MS, "5s", o, sizeof o), 0);
    assert_string_equal(o, "5000");
    assert_int_equal(spring_convert(SPC_DURATION_MS, "250", o, sizeof o), 0);
    assert_string_equal(o, "250");
    assert_int_equal(spring_convert(SPC_DURATION_MS, "PT1M30S", o, sizeof o), 0);
    assert_string_equal(o, "90000");
    assert_int_equal(spring_convert(SPC_LOWER, "READ_COMMITTED", o, sizeof o), 0);
    assert_string_equal(o, "read_committed");
    assert_int_equal(spring_convert(SPC_DURATION_MS, "soon", o, sizeof o), -1);
    assert_int_equal(spring_convert(SPC_DATASIZE, "12XB", o, sizeof o), -1);
    /* more than a long holds: Spring's conversion throws, so invalid (it
     * used to overflow: UBSan signed integer overflow) */
    assert_int_equal(spring_convert(SPC_DATASIZE, "8388608TB", o, sizeof o), -1);
    assert_int_equal(spring_convert(SPC_DATASIZE, "8388607TB", o, sizeof o), 0);
    assert_string_equal(o, "9223370937343148032");
    assert_int_equal(spring_convert(SPC_DURATION_MS, "9223372036854775807d", o, sizeof o), -1);
    assert_int_equal(spring_convert(SPC_DURATION_MS, "-9223372036854775807s", o, sizeof o), -1);
    assert_int_equal(spring_convert(SPC_DURATION_MS, "P99999999999999999999D", o, sizeof o), -1);
    assert_int_equal(spring_convert(SPC_DURATION_MS, "PT1e300S", o, sizeof o), -1);
    assert_int_equal(spring_convert(SPC_DURATION_MS, "PnanD", o, sizeof o), -1);
    assert_int_equal(spring_convert(SPC_DURATION_MS, "P106000000000DT1000000000000H", o, sizeof o),
                     -1);
    assert_int_equal(spring_convert(SPC_DURATION_MS, "P1DT1H", o, sizeof o), 0);
    assert_string_equal(o, "90000000");
}

static void test_profile_name(void **state)
{
    (void)state;
    char p[64];
    assert_int_equal(spring_profile_from_name("a/b/application-prod.yml", p, sizeof p), 1);
    assert_string_equal(p, "prod");
    assert_int_equal(spring_profile_from_name("application.yml", p, sizeof p), 0);
    assert_int_equal(spring_profile_from_name("bootstrap-eu-west.properties", p, sizeof p), 1);
    assert_string_equal(p, "eu-west");
}

static const struct setting *get(struct model *m, enum obj_kind k, const char *name,
                                 const char *key)
{
    const struct client *c = model_find_client(m, k, name);
    assert_non_null(c);
    return object_get(&c->o, key);
}

static void test_yaml(void **state)
{
    (void)state;
    struct model m;
    uint32_t e = tu_model(&m, "svc/src/main/resources/application.yml",
                          "spring:\n"
                          "  application:\n"
                          "    name: orders\n"
                          "  kafka:\n"
                          "    properties:\n"
                          "      acks: \"0\"\n"
                          "    producer:\n"
                          "      acks: 1\n"
                          "      batch-size: 32KB\n"
                          "      properties:\n"
                          "        \"[max.in.flight.requests.per.connection]\": 3\n"
                          "    consumer.enableAutoCommit: true\n"
                          "    consumer:\n"
                          "      isolation_level: READ_COMMITTED\n"
                          "kafkaudit.client: java 3.6\n");
    assert_int_equal(e, 0);
    const struct setting *s = get(&m, OBJ_PRODUCER, "orders", "acks");
    assert_non_null(s);
    assert_string_equal(s->value, "1"); /* producer.acks wins over properties.acks */
    assert_int_equal(s->loc.line, 8);
    assert_int_equal(s->loc.col, 13);
    assert_string_equal(s->written, "spring.kafka.producer.acks");
    s = get(&m, OBJ_PRODUCER, "orders", "batch.size");
    assert_string_equal(s->value, "32768");
    s = get(&m, OBJ_PRODUCER, "orders", "max.in.flight.requests.per.connection");
    assert_non_null(s);
    assert_string_equal(s->value, "3");
    assert_int_equal(s->loc.line, 11);
    s = get(&m, OBJ_CONSUMER, "orders", "enable.auto.commit");
    assert_string_equal(s->value, "true");
    assert_int_equal(s->loc.line, 12);
    assert_string_equal(s->written, "spring.kafka.consumer.enableAutoCommit");
    s = get(&m, OBJ_CONSUMER, "orders", "isolation.level");
    assert_string_equal(s->value, "read_committed");
    const struct client *c = model_find_client(&m, OBJ_PRODUCER, "orders");
    assert_true(c->version.set);
    assert_false(c->version_assumed);
    model_release(&m);
}

static void test_properties_and_profiles(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    tu_model_add(&m, "app/application.properties",
                 "spring.kafka.producer.acks=1\n"
                 "spring.kafka.producer.retries=3\n"
                 "spring.kafka.consumer.group-id=billing\n"
                 "#---\n"
                 "spring.config.activate.on-profile=prod\n"
                 "spring.kafka.producer.acks=all\n");
    tu_model_add(&m, "app/application-eu.properties", "spring.kafka.producer.retries=10\n");
    model_finalize(&m);
    /* default document */
    const struct client *c = model_find_client(&m, OBJ_PRODUCER, "app");
    assert_non_null(c);
    assert_true(c->version_assumed);
    assert_string_equal(object_get(&c->o, "acks")->value, "1");
    /* on-profile document inherits and overrides */
    const struct setting *s = get(&m, OBJ_PRODUCER, "app (profile prod)", "acks");
    assert_string_equal(s->value, "all");
    assert_int_equal(s->loc.line, 6);
    s = get(&m, OBJ_PRODUCER, "app (profile prod)", "retries");
    assert_string_equal(s->value, "3");
    assert_int_equal(s->loc.line, 2);
    /* profile file */
    s = get(&m, OBJ_PRODUCER, "app (profile eu)", "retries");
    assert_string_equal(s->value, "10");
    s = get(&m, OBJ_PRODUCER, "app (profile eu)", "acks");
    assert_string_equal(s->value, "1");
    /* the listener container's auto-commit default */
    s = get(&m, OBJ_CONSUMER, "app", "enable.auto.commit");
    assert_int_equal(s->origin, ORIG_DERIVED);
    assert_string_equal(s->value, "false");
    model_release(&m);
}

static unsigned count_key(const struct client *c, const char *key)
{
    unsigned n = 0;
    for (const struct setting *s = c->o.cfg; s; s = s->next)
        n += strcmp(s->key, key) == 0;
    return n;
}

/* An application.yml whose producer has n properties, and a profile that
 * overrides two of them. */
static void many_settings_doc(struct buf *b, int n)
{
    buf_puts(b, "spring:\n  application.name: big\n  kafka:\n    producer:\n      acks: 1\n"
                "      properties:\n");
    for (int i = 0; i < n; i++)
        buf_printf(b, "        k%d.x: %d\n", i, i);
    buf_puts(b, "---\nspring.config.activate.on-profile: prod\n"
                "spring.kafka.producer.acks: all\n"
                "spring.kafka.producer.properties.k7.x: seven\n");
}

/* CPU seconds to read the document of n settings into *m. */
static double read_many_settings(struct model *m, int n)
{
    struct buf b = BUF_INIT;
    many_settings_doc(&b, n);
    clock_t t0 = clock();
    assert_int_equal(tu_model(m, "application.yml", buf_str(&b)), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    buf_release(&b);
    return secs;
}

/* A document of many settings is read in linear time: each setting used
 * to walk every setting before it to drop ones a profile overrides
 * (100,000 settings: 5e9 comparisons).  Ten times the settings must cost
 * far less than a hundred times the time (measured against a tenth of
 * the document in the same run, so the bound holds on any machine and
 * under any sanitizer).  Overriding still drops them. */
static void test_many_settings(void **state)
{
    (void)state;
    struct model m;
    double small = read_many_settings(&m, 5000);
    model_release(&m);
    double large = read_many_settings(&m, 50000);
    assert_true(large < 40 * (small > 0.001 ? small : 0.001));
    const struct client *c = model_find_client(&m, OBJ_PRODUCER, "big");
    assert_non_null(c);
    assert_int_equal(count_key(c, "k49999.x"), 1);
    assert_string_equal(object_get(&c->o, "k7.x")->value, "7");
    const struct client *p = model_find_client(&m, OBJ_PRODUCER, "big (profile prod)");
    assert_non_null(p);
    assert_int_equal(count_key(p, "acks"), 1);
    assert_string_equal(object_get(&p->o, "acks")->value, "all");
    assert_int_equal(count_key(p, "k7.x"), 1);
    assert_string_equal(object_get(&p->o, "k7.x")->value, "seven");
    assert_int_equal(count_key(p, "k8.x"), 1); /* inherited */
    model_release(&m);
}

/* Lint a model already loaded: findings of every shipped rule.  The rule
 * set stays loaded for the whole run: findings point at their rules. */
static void lint_model(struct model *m, struct finding_list *fl)
{
    static struct rule_set rs;
    static bool loaded;
    if (!loaded) {
        assert_int_equal(tu_builtin_rules(&rs), 0);
        loaded = true;
    }
    finding_list_init(fl);
    engine_run(&rs, m, fl);
}

static void test_unknown_spring_name(void **state)
{
    (void)state;
    struct model m;
    tu_model(&m, "application.yml",
             "spring:\n  kafka:\n    producer:\n      ack: all\n      compresion-type: lz4\n"
             "      linger: 5\n");
    /* findings, not stderr warnings: CI sees them and --fail-on applies */
    struct finding_list fl;
    lint_model(&m, &fl);
    assert_int_equal(tu_count(&fl, "KA001"), 2);
    const struct finding *f = tu_find(&fl, "KA001");
    assert_int_equal(f->loc.line, 4);
    assert_non_null(strstr(f->message, "did you mean 'spring.kafka.producer.acks'"));
    assert_int_equal(tu_count(&fl, "KA002"), 1); /* linger: no such Spring name */
    assert_non_null(strstr(tu_find(&fl, "KA002")->fix, "spring.kafka.producer.properties"));
    /* and the typo sets nothing */
    assert_string_equal(get(&m, OBJ_PRODUCER, "application", "acks") ? "set" : "unset", "unset");
    finding_list_release(&fl);
    model_release(&m);
}

static void test_bracket_keys_in_properties(void **state)
{
    (void)state;
    struct model m;
    assert_int_equal(tu_model(&m, "inv/application.properties",
                              "spring.kafka.producer.properties[max.in.flight.requests.per."
                              "connection]=6\n"
                              "spring.kafka.properties[request.timeout.ms]=5000\n"
                              "spring.kafka.producer.bootstrap-servers[0]=k1:9092\n"),
                     0);
    const struct setting *s = get(&m, OBJ_PRODUCER, "inv", "max.in.flight.requests.per.connection");
    assert_non_null(s);
    assert_string_equal(s->value, "6");
    assert_int_equal(s->loc.line, 1);
    s = get(&m, OBJ_PRODUCER, "inv", "request.timeout.ms");
    assert_non_null(s);
    assert_string_equal(s->value, "5000");
    /* a list element is its list, not an unknown property */
    s = get(&m, OBJ_PRODUCER, "inv", "bootstrap.servers");
    assert_non_null(s);
    assert_string_equal(s->value, "k1:9092");
    model_release(&m);
}

static void test_lenient_enum(void **state)
{
    (void)state;
    const char *spellings[] = {"read-uncommitted", "READ_UNCOMMITTED", "readUncommitted",
                               "read_uncommitted"};
    for (int i = 0; i < 4; i++) {
        struct model m;
        char text[256];
        snprintf(text, sizeof text,
                 "spring.kafka.consumer.group-id=g\nspring.kafka.consumer.isolation-level=%s\n",
                 spellings[i]);
        assert_int_equal(tu_model(&m, "c/application.properties", text), 0);
        const struct setting *s = get(&m, OBJ_CONSUMER, "c", "isolation.level");
        assert_non_null(s);
        assert_string_equal(s->value, "read_uncommitted");
        assert_false(s->invalid);
        model_release(&m);
    }
    struct model m;
    tu_model(&m, "c/application.properties", "spring.kafka.consumer.isolation-level=dirty\n");
    assert_true(get(&m, OBJ_CONSUMER, "c", "isolation.level")->invalid);
    model_release(&m);
}

static void test_transactional_producer_is_idempotent(void **state)
{
    (void)state;
    struct model m;
    tu_model(&m, "tx/application.yml",
             "kafkaudit.client: java 3.6\n"
             "spring.kafka.producer:\n  transaction-id-prefix: tx-\n  acks: 1\n");
    /* DefaultKafkaProducerFactory puts enable.idempotence=true: the client
     * then refuses acks=1 instead of silently dropping idempotence */
    const struct setting *s = get(&m, OBJ_PRODUCER, "tx", "enable.idempotence");
    assert_non_null(s);
    assert_int_equal(s->origin, ORIG_DERIVED);
    assert_string_equal(s->value, "true");
    assert_int_equal(s->loc.line, 3);
    const struct client *c = model_find_client(&m, OBJ_PRODUCER, "tx");
    assert_non_null(c->config_error);
    assert_non_null(strstr(c->config_error, "Must set acks to all"));
    model_release(&m);
    /* explicitly false: kept (Spring only logs) */
    tu_model(&m, "tx/application.yml",
             "spring.kafka.producer:\n  transaction-id-prefix: tx-\n"
             "  properties: {enable.idempotence: false}\n");
    s = get(&m, OBJ_PRODUCER, "tx", "enable.idempotence");
    assert_int_equal(s->origin, ORIG_FILE);
    assert_string_equal(s->value, "false");
    model_release(&m);
}

static void test_shared_properties_and_profiles(void **state)
{
    (void)state;
    struct model m;
    model_init(&m);
    tu_model_add(&m, "ship/application.properties",
                 "kafkaudit.client=java 3.7\n"
                 "spring.kafka.consumer.group-id=ship\n"
                 "spring.kafka.properties.auto.offset.reset=earliest\n"
                 "spring.kafka.properties.linger.ms=5\n");
    tu_model_add(&m, "ship/application-dev.properties",
                 "spring.kafka.properties.auto.offset.reset=latest\n");
    model_finalize(&m);
    /* a consumer-only application: the profile adds no producer */
    assert_null(model_find_client(&m, OBJ_PRODUCER, "ship (profile dev)"));
    const struct client *c = model_find_client(&m, OBJ_CONSUMER, "ship (profile dev)");
    assert_non_null(c);
    assert_false(c->version_assumed);
    assert_int_equal(c->version.minor, 7);
    /* a producer key among the shared properties is not the consumer's */
    assert_null(get(&m, OBJ_CONSUMER, "ship", "linger.ms"));
    struct finding_list fl;
    lint_model(&m, &fl);
    assert_int_equal(tu_count(&fl, "KA001"), 0);
    /* no group-id in a Spring file is not a client refusal (set in code) */
    finding_list_release(&fl);
    model_release(&m);
    tu_model(&m, "inv/application.properties", "spring.kafka.consumer.enable-auto-commit=true\n");
    c = model_find_client(&m, OBJ_CONSUMER, "inv");
    assert_null(c->config_error);
    model_release(&m);
}

/* The kafka-clients version a Spring Boot build implies: the managed
 * kafka.version of spring-boot-dependencies-X.Y.Z.pom on Maven Central
 * for each Boot line (a few lines, checked against those poms). */
static char build_dir[64];

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", build_dir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void remove_build(void)
{
    static const char *const files[] = {"pom.xml", "build.gradle", "build.gradle.kts", NULL};
    char path[256];
    for (int i = 0; files[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", build_dir, files[i]);
        remove(path);
    }
}

/* The version the build in build_dir implies, "" when none. */
static const char *build_version(const char **note)
{
    static char out[32];
    struct model m;
    model_init(&m);
    char app[128];
    snprintf(app, sizeof app, "%s/application.yml", build_dir);
    struct version v;
    struct loc where;
    const char *n = NULL;
    out[0] = '\0';
    if (spring_build_client_version(&m, app, &v, &where, &n)) {
        snprintf(out, sizeof out, "%u.%u.%u", v.major, v.minor, v.patch);
        assert_true(where.line > 0);
    }
    static char nb[256];
    snprintf(nb, sizeof nb, "%s", n ? n : "");
    if (note)
        *note = nb;
    model_release(&m);
    return out;
}

static const char *pom_parent(const char *boot)
{
    static char t[1024];
    snprintf(t, sizeof t,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
             "  <modelVersion>4.0.0</modelVersion>\n"
             "  <parent>\n"
             "    <groupId>org.springframework.boot</groupId>\n"
             "    <artifactId>spring-boot-starter-parent</artifactId>\n"
             "    <version>%s</version>\n"
             "    <relativePath/>\n"
             "  </parent>\n"
             "  <artifactId>orders</artifactId>\n"
             "</project>\n",
             boot);
    return t;
}

static void test_boot_managed_client_version(void **state)
{
    (void)state;
    snprintf(build_dir, sizeof build_dir, "/tmp/kafkaudit-boot-XXXXXX");
    assert_non_null(mkdtemp(build_dir));
    static const struct {
        const char *boot, *kafka;
    } lines[] = {
        {"2.3.12.RELEASE", "2.5.0"}, {"2.5.15", "2.7.1"}, {"2.7.18", "3.1.1"}, {"3.3.5", "3.7.0"},
        {"3.4.2", "3.8.1"},          {"3.5.0", "3.9.1"},  {"4.0.1", "4.1.1"},
    };
    const char *note;
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        write_file("pom.xml", pom_parent(lines[i].boot));
        assert_string_equal(build_version(&note), lines[i].kafka);
        assert_non_null(strstr(note, "managed by Spring Boot"));
        assert_non_null(strstr(note, "pom.xml:7"));
    }
    /* a line it has no table row for: not guessed */
    write_file("pom.xml", pom_parent("1.5.22.RELEASE"));
    assert_string_equal(build_version(NULL), "");
    /* an explicit kafka.version wins over the Boot line */
    write_file("pom.xml", "<project>\n"
                          "  <parent>\n"
                          "    <artifactId>spring-boot-starter-parent</artifactId>\n"
                          "    <version>3.4.2</version>\n"
                          "  </parent>\n"
                          "  <properties>\n"
                          "    <kafka.version>3.9.0</kafka.version>\n"
                          "  </properties>\n"
                          "</project>\n");
    assert_string_equal(build_version(&note), "3.9.0");
    assert_null(strstr(note, "managed by"));
    remove_build();

    /* Gradle, Groovy and Kotlin DSL plugin blocks */
    write_file("build.gradle", "plugins {\n"
                               "    id 'java'\n"
                               "    id 'org.springframework.boot' version '3.5.3'\n"
                               "    id 'io.spring.dependency-management' version '1.1.7'\n"
                               "}\n");
    assert_string_equal(build_version(&note), "3.9.1");
    assert_non_null(strstr(note, "build.gradle:3"));
    remove_build();
    write_file("build.gradle.kts", "plugins {\n"
                                   "    java\n"
                                   "    id(\"org.springframework.boot\") version \"3.4.1\"\n"
                                   "}\n");
    assert_string_equal(build_version(&note), "3.8.1");
    assert_non_null(strstr(note, "Spring Boot 3.4.1"));
    remove_build();
    rmdir(build_dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relaxed),
        cmocka_unit_test(test_key_map),
        cmocka_unit_test(test_convert),
        cmocka_unit_test(test_profile_name),
        cmocka_unit_test(test_yaml),
        cmocka_unit_test(test_properties_and_profiles),
        cmocka_unit_test(test_unknown_spring_name),
        cmocka_unit_test(test_bracket_keys_in_properties),
        cmocka_unit_test(test_lenient_enum),
        cmocka_unit_test(test_transactional_producer_is_idempotent),
        cmocka_unit_test(test_shared_properties_and_profiles),
        cmocka_unit_test(test_many_settings),
        cmocka_unit_test(test_boot_managed_client_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
