/* The manifest dialect: schema errors with positions, and the snapshot
 * round trip (write, read back, same model). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest/manifest.h"
#include "model/effective.h"

static void test_schema_errors(void **state)
{
    (void)state;
    struct model m;
    uint32_t n = tu_model(&m, "d.yaml",
                          "topics:\n  t:\n    replication_factr: 3\n    partitions: many\n"
                          "producers: {p: {client: cobol 1.0}}\nclusterr: {}\n");
    assert_int_equal(n, 4);
    const char *expect[] = {"unknown field 'clusterr'", "unknown field 'replication_factr'",
                            "partitions must be an integer", "client must be"};
    for (int i = 0; i < 4; i++) {
        bool found = false;
        for (uint32_t d = 0; d < m.diags.n; d++)
            found |= strstr(m.diags.v[d].msg, expect[i]) != NULL;
        if (!found)
            fail_msg("no diagnostic '%s'", expect[i]);
    }
    for (uint32_t d = 0; d < m.diags.n; d++)
        if (strstr(m.diags.v[d].msg, "replication_factr")) {
            assert_int_equal(m.diags.v[d].loc.line, 3);
            assert_int_equal(m.diags.v[d].loc.col, 5);
            assert_non_null(strstr(m.diags.v[d].hint, "replication_factor"));
        }
    model_release(&m);
}

static char *write_model(const struct model *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    manifest_write(f, m, "snapshot test");
    fclose(f);
    return buf;
}

static void test_snapshot_round_trip(void **state)
{
    (void)state;
    const char *src =
        "cluster:\n  name: prod\n  kafka_version: '3.7'\n  live: true\n  controller: 2\n"
        "  brokers:\n    - {id: 1, rack: a, host: k1, port: 9092,\n"
        "       config: {min.insync.replicas: {value: '2', source: STATIC_BROKER_CONFIG, broker: "
        "1},\n"
        "                ssl.keystore.password: {value: null, source: STATIC_BROKER_CONFIG, "
        "sensitive: true}}}\n"
        "    - {id: 2, rack: b}\n"
        "topics:\n  orders:\n    partitions:\n"
        "      - {id: 0, leader: 1, replicas: [1, 2], isr: [1], log_start: 5, log_end: 90}\n"
        "      - {id: 1, leader: null, replicas: [2], isr: [], offline: [2]}\n"
        "    config: {retention.ms: {value: '1000', source: DYNAMIC_TOPIC_CONFIG, broker: 2}}\n"
        "groups:\n  g:\n    state: Stable\n    coordinator: 1\n"
        "    members: [{member_id: m1, client_id: c1, host: /10.0.0.1, assignment: {orders: [0, "
        "1]}}]\n"
        "    offsets: {orders: {0: 42, 1: {committed: null, error: NOT_COORDINATOR}}}\n";
    struct model a, b;
    assert_int_equal(tu_model(&a, "in.yaml", src), 0);
    char *out = write_model(&a);
    assert_null(strstr(out, "hunter")); /* nothing secret to leak, but structure: */
    assert_non_null(strstr(out, "sensitive: true"));
    uint32_t e = tu_model(&b, "snap.yaml", out);
    if (e)
        fail_msg("snapshot does not read back:\n%s\n%s", out, b.diags.v[0].msg);
    assert_int_equal(b.nbrokers, 2);
    assert_string_equal(b.brokers[0]->rack, "a");
    assert_true(b.cluster.live);
    assert_int_equal(b.cluster.controller, 2);
    const struct topic *t = model_find_topic(&b, "orders");
    assert_int_equal(t->nparts, 2);
    assert_int_equal(t->parts[0]->nisr, 1);
    assert_int_equal(t->parts[0]->log_end, 90);
    assert_int_equal(t->parts[1]->leader, -1);
    assert_int_equal(t->parts[1]->noffline, 1);
    struct eff ef;
    effective_get(&b, &t->o, "retention.ms", &ef);
    assert_int_equal(ef.origin, ORIG_LIVE);
    assert_int_equal(ef.live_source, LS_TOPIC);
    assert_int_equal(ef.set->broker, 2);
    effective_get(&b, &b.brokers[0]->o, "ssl.keystore.password", &ef);
    assert_true(ef.sensitive);
    assert_null(ef.value);
    const struct group *g = model_find_group(&b, "g");
    assert_int_equal(g->nmembers, 1);
    assert_int_equal(g->members[0].nassignment, 2);
    assert_int_equal(g->noffsets, 2);
    assert_int_equal(g->offsets[0].committed, 42);
    assert_string_equal(g->offsets[1].error, "NOT_COORDINATOR");
    /* writing the read-back model gives the same text: a fixed point */
    char *again = write_model(&b);
    assert_string_equal(out, again);
    free(out);
    free(again);
    model_release(&a);
    model_release(&b);
}

static void test_secret_values_are_not_written(void **state)
{
    (void)state;
    struct model m;
    assert_int_equal(tu_model(&m, "d.yaml",
                              "producers: {p: {client: java 3.6, config: {sasl.jaas.config: "
                              "'x required password=\"s3cr3t\";', acks: all}}}\n"),
                     0);
    char *out = write_model(&m);
    assert_null(strstr(out, "s3cr3t"));
    assert_non_null(strstr(out, "sensitive value not written"));
    free(out);
    model_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_errors),
        cmocka_unit_test(test_snapshot_round_trip),
        cmocka_unit_test(test_secret_values_are_not_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
