/* Effective values and their provenance; client-library semantics. */
#include "testutil.h"

#include <string.h>

#include "model/effective.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "model/catalog.h"

static struct model M;

static struct eff get(const char *kind_name, const char *key)
{
    const char *colon = strchr(kind_name, ':');
    const char *name = colon + 1;
    const struct object *o = NULL;
    if (strncmp(kind_name, "topic", 5) == 0)
        o = &model_find_topic(&M, name)->o;
    else if (strncmp(kind_name, "producer", 8) == 0)
        o = &model_find_client(&M, OBJ_PRODUCER, name)->o;
    else if (strncmp(kind_name, "consumer", 8) == 0)
        o = &model_find_client(&M, OBJ_CONSUMER, name)->o;
    else if (strncmp(kind_name, "cluster", 7) == 0)
        o = &M.cluster.o;
    assert_non_null(o);
    struct eff e;
    effective_get(&M, o, key, &e);
    return e;
}

static const char *why(const struct eff *e)
{
    static char s[512];
    struct buf b = BUF_INIT;
    effective_origin_text(&M, e, &b);
    snprintf(s, sizeof s, "%s", buf_str(&b));
    buf_release(&b);
    return s;
}

static void load(const char *yaml)
{
    model_release(&M);
    assert_int_equal(tu_model(&M, "d.yaml", yaml), 0);
}

static void test_topic_inherits_cluster_then_default(void **state)
{
    (void)state;
    load("cluster: {kafka_version: '3.7', config: {min.insync.replicas: 2, log.retention.hours: "
         "24}}\n"
         "topics: {a: {config: {min.insync.replicas: 3}}, b: {}}\n");
    struct eff e = get("topic:a", "min.insync.replicas");
    assert_string_equal(e.value, "3");
    assert_int_equal(e.origin, ORIG_FILE);
    assert_int_equal(e.loc.line, 2);
    e = get("topic:b", "min.insync.replicas");
    assert_string_equal(e.value, "2");
    assert_int_equal(e.from->kind, OBJ_CLUSTER);
    assert_non_null(strstr(why(&e), "cluster config, d.yaml:1"));
    /* broker synonym in other units: log.retention.hours -> retention.ms */
    e = get("topic:b", "retention.ms");
    assert_string_equal(e.value, "86400000");
    e = get("topic:b", "unclean.leader.election.enable");
    assert_string_equal(e.value, "false");
    assert_int_equal(e.origin, ORIG_DEFAULT);
    assert_string_equal(why(&e), "default of Kafka 3.7");
}

static void test_undeclared_cluster_is_unknown(void **state)
{
    (void)state;
    load("topics: {a: {replication_factor: 3}}\n");
    struct eff e = get("topic:a", "min.insync.replicas");
    assert_null(e.value);
    assert_int_equal(e.origin, ORIG_NONE);
    assert_string_equal(e.dflt, "1");
}

static void test_unclean_default_by_version(void **state)
{
    (void)state;
    load("cluster: {kafka_version: '0.10.2'}\n");
    assert_string_equal(get("cluster:x", "unclean.leader.election.enable").value, "true");
    load("cluster: {kafka_version: '0.11.0'}\n");
    assert_string_equal(get("cluster:x", "unclean.leader.election.enable").value, "false");
}

static void test_brokers_disagree(void **state)
{
    (void)state;
    load("cluster: {brokers: [{id: 2, config: {min.insync.replicas: 2}}, {id: 1}]}\n"
         "topics: {t: {}}\n");
    struct eff e = get("topic:t", "min.insync.replicas");
    /* broker 1 (lowest id) has no setting: the default applies there */
    assert_string_equal(e.value, "1");
    assert_true(e.inconsistent);
    assert_non_null(strstr(why(&e), "brokers disagree"));
}

/* Live: a broker or topic whose configuration could not be read has
 * unknown settings, not defaults, and does not vote in the cluster layer. */
static void test_unread_config_is_unknown(void **state)
{
    (void)state;
    load("cluster:\n"
         "  brokers:\n"
         "    - {id: 1, error: 'DescribeConfigs: CLUSTER_AUTHORIZATION_FAILED'}\n"
         "    - {id: 2, config: {min.insync.replicas: 2}}\n"
         "topics:\n"
         "  t: {}\n"
         "  secret: {error: 'DescribeConfigs: TOPIC_AUTHORIZATION_FAILED'}\n");
    /* the lowest readable broker speaks for the cluster, without a conflict */
    struct eff e = get("topic:t", "min.insync.replicas");
    assert_string_equal(e.value, "2");
    assert_false(e.inconsistent);
    /* the unreadable topic may override it: unknown, and said why */
    e = get("topic:secret", "min.insync.replicas");
    assert_null(e.value);
    assert_non_null(strstr(why(&e), "unknown: DescribeConfigs: TOPIC_AUTHORIZATION_FAILED"));
    e = get("topic:secret", "unclean.leader.election.enable");
    assert_null(e.value);
    /* the unreadable broker: unknown */
    struct eff b;
    effective_get(&M, &model_find_broker(&M, 1)->o, "min.insync.replicas", &b);
    assert_null(b.value);
    assert_non_null(b.unread);
    /* no broker read at all: the cluster layer is unknown, not the default */
    load("cluster: {brokers: [{id: 1, error: denied}, {id: 2, error: denied}]}\n"
         "topics: {t: {}}\n");
    e = get("topic:t", "min.insync.replicas");
    assert_null(e.value);
    assert_non_null(strstr(why(&e), "unknown: denied"));
    e = get("cluster:", "default.replication.factor");
    assert_null(e.value);
}

static void test_java_acks_default_by_version(void **state)
{
    (void)state;
    load("producers: {old: {client: java 2.8}, new: {client: java 3.6}}\n");
    assert_string_equal(get("producer:old", "acks").value, "1");
    assert_string_equal(get("producer:new", "acks").value, "all");
    assert_string_equal(get("producer:old", "retries").value, "2147483647");
    assert_string_equal(get("producer:new", "enable.idempotence").value, "true");
}

static void test_java_3_0_0_bug(void **state)
{
    (void)state;
    load(
        "producers: {p: {client: java 3.0.0}, q: {client: java 3.1.0}, r: {client: java 3.1.1}}\n");
    struct eff e = get("producer:p", "enable.idempotence");
    assert_string_equal(e.value, "false");
    assert_int_equal(e.origin, ORIG_DERIVED);
    assert_non_null(strstr(why(&e), "KAFKA-13598"));
    assert_string_equal(get("producer:q", "enable.idempotence").value, "false");
    assert_string_equal(get("producer:r", "enable.idempotence").value, "true");
}

static void test_java_silently_disables_idempotence(void **state)
{
    (void)state;
    load("producers: {p: {client: java 3.6, config: {acks: 1}},\n"
         "            q: {client: java 3.6, config: {acks: 1, enable.idempotence: true}}}\n");
    struct eff e = get("producer:p", "enable.idempotence");
    assert_string_equal(e.value, "false");
    assert_int_equal(e.origin, ORIG_DERIVED);
    assert_int_equal(e.loc.line, 1); /* points at acks=1 */
    assert_non_null(strstr(why(&e), "acks=1"));
    const struct client *p = model_find_client(&M, OBJ_PRODUCER, "p");
    assert_null(p->config_error);
    const struct client *q = model_find_client(&M, OBJ_PRODUCER, "q");
    assert_non_null(q->config_error);
    assert_non_null(strstr(q->config_error, "acks"));
}

static void test_java_delivery_timeout(void **state)
{
    (void)state;
    load("producers: {p: {client: java 3.6, config: {linger.ms: 100000}},\n"
         "            q: {client: java 3.6, config: {delivery.timeout.ms: 1000}}}\n");
    struct eff e = get("producer:p", "delivery.timeout.ms");
    assert_string_equal(e.value, "130000");
    assert_int_equal(e.origin, ORIG_DERIVED);
    assert_non_null(model_find_client(&M, OBJ_PRODUCER, "q")->config_error);
}

static void test_librdkafka_aliases_and_defaults(void **state)
{
    (void)state;
    load("producers: {p: {client: librdkafka 2.3, config: {acks: 1, linger.ms: 20}},\n"
         "            old: {client: librdkafka 1.4}}\n");
    struct eff e = get("producer:p", "acks");
    assert_string_equal(e.real, "request.required.acks");
    assert_string_equal(e.value, "1");
    assert_string_equal(e.set->written, "acks");
    assert_string_equal(get("producer:p", "linger.ms").real, "queue.buffering.max.ms");
    assert_string_equal(get("producer:p", "enable.idempotence").value, "false");
    assert_string_equal(get("producer:old", "retries").value, "2");
    assert_string_equal(get("producer:old", "acks").value, "all"); /* -1 normalised */
    assert_string_equal(get("producer:p", "delivery.timeout.ms").value, "300000");
}

static void test_librdkafka_idempotence_clamps_and_errors(void **state)
{
    (void)state;
    load("producers: {p: {client: librdkafka 2.3, config: {enable.idempotence: true}},\n"
         "            q: {client: librdkafka 2.3, config: {enable.idempotence: true, "
         "max.in.flight: 10}},\n"
         "            t: {client: librdkafka 2.3, config: {transactional.id: x}}}\n");
    struct eff e = get("producer:p", "max.in.flight.requests.per.connection");
    assert_string_equal(e.value, "5");
    assert_int_equal(e.origin, ORIG_DERIVED);
    assert_non_null(model_find_client(&M, OBJ_PRODUCER, "q")->config_error);
    e = get("producer:t", "enable.idempotence");
    assert_string_equal(e.value, "true");
    assert_string_equal(get("producer:t", "delivery.timeout.ms").value, "60000");
}

static void test_consumer_defaults_differ_by_client(void **state)
{
    (void)state;
    load("consumers: {j: {client: java 3.6, group: g}, r: {client: librdkafka 2.3, group: g},\n"
         "            nogroup: {client: java 3.6}}\n");
    assert_string_equal(get("consumer:j", "isolation.level").value, "read_uncommitted");
    assert_string_equal(get("consumer:r", "isolation.level").value, "read_committed");
    assert_string_equal(get("consumer:r", "auto.offset.reset").value, "largest");
    struct eff e = get("consumer:nogroup", "enable.auto.commit");
    assert_string_equal(e.value, "false");
    assert_int_equal(e.origin, ORIG_DERIVED);
}

static void test_sensitive_never_displayed(void **state)
{
    (void)state;
    load("producers: {p: {client: java 3.6, config: {ssl.keystore.password: hunter2,"
         " sasl.jaas.config: 'x password=\"s3cret\";', my.secret.token: abc}}}\n");
    struct eff e = get("producer:p", "ssl.keystore.password");
    assert_true(e.sensitive);
    assert_string_equal(effective_display(&e), "[hidden]");
    e = get("producer:p", "sasl.jaas.config");
    assert_string_equal(effective_display(&e), "[hidden]");
    e = get("producer:p", "my.secret.token");
    assert_string_equal(effective_display(&e), "[hidden]");
}

/* A template placeholder is unknown, and shown whole, on one line; a
 * secret's placeholder is not shown (its default may be the secret). */
static void test_placeholder_shown_whole(void **state)
{
    (void)state;
    load("producers: {p: {client: java 3.6, config: {"
         "bootstrap.servers: \"{{ groups['kafka'] | map('regex_replace', '$', ':9092') | "
         "join(',') }}\", client.id: \"${APP:-${HOSTNAME}-billing}\","
         " ssl.keystore.password: \"${KS_PASS:-changeit}\"}}}\n");
    struct eff e = get("producer:p", "bootstrap.servers");
    assert_null(e.value);
    assert_non_null(strstr(why(&e), "({{ groups['kafka'] | map('regex_replace', '$', ':9092') | "
                                    "join(',') }}): unknown until rendered"));
    e = get("producer:p", "client.id");
    assert_null(e.value);
    assert_non_null(strstr(why(&e), "(${APP:-${HOSTNAME}-billing}): unknown"));
    e = get("producer:p", "ssl.keystore.password");
    assert_null(e.value);
    assert_non_null(strstr(why(&e), "a template placeholder: unknown until rendered"));
    assert_null(strstr(why(&e), "changeit"));
    /* a newline inside a placeholder does not break the line */
    load("producers: {p: {client: java 3.6, config: {client.id: \"{{ a\\n b }}\"}}}\n");
    e = get("producer:p", "client.id");
    assert_non_null(strstr(why(&e), "({{ a? b }})"));
}

static int teardown(void **state)
{
    (void)state;
    model_release(&M);
    return 0;
}

/* The run memo (what topics and clients inherit, once per key and
 * version) must answer exactly what a lookup without it answers, for every
 * catalog key on every object, asked in any order, whatever the objects'
 * own settings, versions and client kinds. */
static void check_memo_matches(const struct object *const *objs, size_t nobj)
{
    struct eff_memo *mm = eff_memo_new();
    for (int pass = 0; pass < 2; pass++) /* second pass: all from the memo */
        for (size_t k = 0; k < catalog_nkeys; k++) {
            const struct cat_key *ck = &catalog_keys[k];
            if (ck->alias_of)
                continue;
            for (size_t i = 0; i < nobj; i++) {
                const struct object *o = objs[pass ? nobj - 1 - i : i];
                uint32_t fam = object_family(o);
                if (!(ck->families & fam))
                    continue;
                struct eff a, b;
                bool ra = effective_get_k(&M, o, ck->name, ck, &a);
                bool rb = effective_get_memo(&M, o, ck->name, ck, mm, &b);
                assert_int_equal(ra, rb);
                assert_true(str_eq(a.value, b.value));
                assert_int_equal(a.origin, b.origin);
                assert_ptr_equal(a.from, b.from);
                assert_ptr_equal(a.obj, b.obj);
                assert_ptr_equal(a.set, b.set);
                assert_int_equal(a.loc.file, b.loc.file);
                assert_int_equal(a.loc.line, b.loc.line);
                assert_int_equal(a.loc.col, b.loc.col);
                assert_int_equal(a.version.major, b.version.major);
                assert_int_equal(a.version.minor, b.version.minor);
                assert_true(str_eq(a.dflt, b.dflt));
                assert_int_equal(a.sensitive, b.sensitive);
                assert_int_equal(a.inconsistent, b.inconsistent);
            }
        }
    eff_memo_free(mm);
}

static void test_memo_matches_direct_lookup(void **state)
{
    (void)state;
    load("cluster: {kafka_version: '2.8', config: {min.insync.replicas: 2, log.retention.hours: "
         "24},\n"
         "          brokers: [{id: 1, config: {unclean.leader.election.enable: true}}, {id: 2}]}\n"
         "topics: {a: {config: {min.insync.replicas: 3}}, b: {}, c: {config: {retention.ms: 5}}}\n"
         "producers:\n"
         "  p1: {client: java 3.6, topics: [a], config: {acks: all}}\n"
         "  p2: {client: java 2.8, topics: [b]}\n"
         "  p3: {client: librdkafka 2.3, topics: [b], config: {enable.idempotence: true}}\n"
         "  p4: {client: librdkafka 1.9, topics: [c]}\n"
         "consumers:\n"
         "  c1: {client: java 3.6, group: g, topics: [a]}\n"
         "  c2: {client: librdkafka 2.3, group: h, topics: [b], config: {enable.auto.commit: "
         "false}}\n");
    const struct object *objs[16];
    size_t n = 0;
    objs[n++] = &M.cluster.o;
    for (uint32_t i = 0; i < M.nbrokers; i++)
        objs[n++] = &M.brokers[i]->o;
    for (uint32_t i = 0; i < M.ntopics; i++)
        objs[n++] = &M.topics[i]->o;
    for (uint32_t i = 0; i < M.nproducers; i++)
        objs[n++] = &M.producers[i]->o;
    for (uint32_t i = 0; i < M.nconsumers; i++)
        objs[n++] = &M.consumers[i]->o;
    assert_int_equal(n, 1 + 2 + 3 + 4 + 2);
    check_memo_matches(objs, n);
}

int main(void)
{
    model_init(&M);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_topic_inherits_cluster_then_default),
        cmocka_unit_test(test_undeclared_cluster_is_unknown),
        cmocka_unit_test(test_unclean_default_by_version),
        cmocka_unit_test(test_brokers_disagree),
        cmocka_unit_test(test_unread_config_is_unknown),
        cmocka_unit_test(test_java_acks_default_by_version),
        cmocka_unit_test(test_java_3_0_0_bug),
        cmocka_unit_test(test_java_silently_disables_idempotence),
        cmocka_unit_test(test_java_delivery_timeout),
        cmocka_unit_test(test_librdkafka_aliases_and_defaults),
        cmocka_unit_test(test_librdkafka_idempotence_clamps_and_errors),
        cmocka_unit_test(test_consumer_defaults_differ_by_client),
        cmocka_unit_test(test_sensitive_never_displayed),
        cmocka_unit_test(test_placeholder_shown_whole),
        cmocka_unit_test(test_memo_matches_direct_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
