/* Spring Boot reader: property names, relaxed binding, conversions,
 * provenance, profiles. */
#include "testutil.h"

#include <string.h>

#include "input/spring.h"
#include "model/effective.h"

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

static void test_unknown_spring_name(void **state)
{
    (void)state;
    struct model m;
    tu_model(&m, "application.yml",
             "spring:\n  kafka:\n    producer:\n      ack: all\n      compresion-type: lz4\n");
    uint32_t warnings = 0;
    for (uint32_t i = 0; i < m.diags.n; i++)
        if (m.diags.v[i].sev == DIAG_WARNING && strstr(m.diags.v[i].msg, "no property"))
            warnings++;
    assert_int_equal(warnings, 2);
    model_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relaxed),        cmocka_unit_test(test_key_map),
        cmocka_unit_test(test_convert),        cmocka_unit_test(test_profile_name),
        cmocka_unit_test(test_yaml),           cmocka_unit_test(test_properties_and_profiles),
        cmocka_unit_test(test_unknown_spring_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
