/* The Kafka knowledge table: defaults by version, names, value checks. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "model/catalog.h"
#include "syntax/source.h"

static const char *dflt(const char *name, enum cat_family f, const char *ver)
{
    const struct cat_key *k = catalog_resolve(catalog_find(name, f), f);
    assert_non_null(k);
    struct version v = {0, 0, 0, false};
    if (ver)
        assert_int_equal(version_parse(ver, &v), 0);
    bool found;
    const char *d = catalog_default(k, v, &found);
    assert_true(found);
    return d ? d : "(null)";
}

static void test_versions(void **state)
{
    (void)state;
    struct version a, b;
    assert_int_equal(version_parse("3.0", &a), 0);
    assert_int_equal(version_parse("3.0.1", &b), 0);
    assert_true(version_cmp(a, b) < 0);
    assert_int_equal(version_parse("v2.3.0-RC1", &a), 0);
    assert_int_equal(a.minor, 3);
    assert_int_equal(version_parse("7.6.0-ccs", &a), 0);
    assert_int_equal(a.major, 7);
    assert_int_not_equal(version_parse("latest", &a), 0);
    assert_true(version_ge(b, "3.0.1"));
    assert_false(version_ge(b, "3.1"));
}

static void test_defaults_by_version(void **state)
{
    (void)state;
    assert_string_equal(dflt("acks", CF_JAVA_PRODUCER, "2.8"), "1");
    assert_string_equal(dflt("acks", CF_JAVA_PRODUCER, "3.0"), "all");
    assert_string_equal(dflt("retries", CF_JAVA_PRODUCER, "2.0"), "0");
    assert_string_equal(dflt("retries", CF_JAVA_PRODUCER, "2.1"), "2147483647");
    assert_string_equal(dflt("linger.ms", CF_JAVA_PRODUCER, "3.9"), "0");
    assert_string_equal(dflt("linger.ms", CF_JAVA_PRODUCER, "4.0"), "5");
    assert_string_equal(dflt("retries", CF_RDK_PRODUCER, "1.5.0"), "2");
    assert_string_equal(dflt("retries", CF_RDK_PRODUCER, "1.5.2"), "2147483647");
    assert_string_equal(dflt("enable.idempotence", CF_RDK_PRODUCER, "2.3"), "false");
    assert_string_equal(dflt("isolation.level", CF_RDK_CONSUMER, "2.3"), "read_committed");
    assert_string_equal(dflt("isolation.level", CF_JAVA_CONSUMER, "3.7"), "read_uncommitted");
    assert_string_equal(dflt("unclean.leader.election.enable", CF_BROKER, "0.10.2"), "true");
    assert_string_equal(dflt("unclean.leader.election.enable", CF_BROKER, "0.11.0"), "false");
    assert_string_equal(dflt("offsets.retention.minutes", CF_BROKER, "1.1"), "1440");
    assert_string_equal(dflt("offsets.retention.minutes", CF_BROKER, "2.0"), "10080");
    assert_string_equal(dflt("min.insync.replicas", CF_TOPIC, "3.7"), "1");
    assert_string_equal(dflt("replica.lag.time.max.ms", CF_BROKER, "2.5"), "30000");
}

static void test_names(void **state)
{
    (void)state;
    const struct cat_key *k = catalog_by_canonical("acks", CF_RDK_PRODUCER);
    assert_string_equal(k->name, "request.required.acks");
    assert_string_equal(catalog_by_canonical("delivery.timeout.ms", CF_RDK_PRODUCER)->name,
                        "message.timeout.ms");
    assert_string_equal(catalog_by_canonical("linger.ms", CF_RDK_PRODUCER)->name,
                        "queue.buffering.max.ms");
    assert_null(catalog_find("queue.buffering.max.ms", CF_JAVA_PRODUCER));
    assert_string_equal(catalog_suggest("ack", CF_JAVA_PRODUCER), "acks");
    assert_string_equal(catalog_suggest("min.insync.replica", CF_TOPIC), "min.insync.replicas");
    assert_null(catalog_suggest("zzzzzzzzzz", CF_TOPIC));
}

static void test_value_checks(void **state)
{
    (void)state;
    char tmp[128];
    const struct cat_key *acks = catalog_find("acks", CF_JAVA_PRODUCER);
    assert_null(catalog_check_value(acks, "all", tmp, sizeof tmp));
    assert_null(catalog_check_value(acks, "-1", tmp, sizeof tmp));
    assert_non_null(catalog_check_value(acks, "2", tmp, sizeof tmp));
    const struct cat_key *rdk = catalog_by_canonical("acks", CF_RDK_PRODUCER);
    assert_null(catalog_check_value(rdk, "all", tmp, sizeof tmp));
    const struct cat_key *misr = catalog_find("min.insync.replicas", CF_TOPIC);
    assert_non_null(catalog_check_value(misr, "two", tmp, sizeof tmp));
    assert_non_null(catalog_check_value(misr, "0", tmp, sizeof tmp));
    /* ranges: parsed once per entry, the message from the catalog's text */
    assert_string_equal(catalog_check_value(misr, "0", tmp, sizeof tmp), "a number >= 1");
    assert_null(catalog_check_value(misr, "1", tmp, sizeof tmp));
    const struct cat_key *lz4 = catalog_find("compression.lz4.level", CF_BROKER);
    assert_non_null(lz4);
    assert_null(catalog_check_value(lz4, "1", tmp, sizeof tmp));
    assert_null(catalog_check_value(lz4, "17", tmp, sizeof tmp));
    assert_string_equal(catalog_check_value(lz4, "18", tmp, sizeof tmp),
                        "a number between 1 and 17");
    assert_string_equal(catalog_check_value(lz4, "0", tmp, sizeof tmp),
                        "a number between 1 and 17");
    /* whether a name sounds secret, answered per entry as for any name */
    for (size_t i = 0; i < catalog_nkeys; i++)
        assert_int_equal(catalog_name_sounds_secret(&catalog_keys[i]),
                         name_sounds_secret(catalog_keys[i].name));
    assert_true(catalog_name_sounds_secret(catalog_find("ssl.keystore.password", CF_BROKER)));
    const struct cat_key *b = catalog_find("enable.idempotence", CF_JAVA_PRODUCER);
    assert_null(catalog_check_value(b, "TRUE", tmp, sizeof tmp));
    assert_non_null(catalog_check_value(b, "yes", tmp, sizeof tmp));
}

static void test_every_entry_is_sane(void **state)
{
    (void)state;
    for (size_t i = 0; i < catalog_nkeys; i++) {
        const struct cat_key *k = &catalog_keys[i];
        assert_non_null(k->name);
        assert_true(k->families != 0);
        assert_non_null(k->ref);
        struct version prev = {0, 0, 0, true};
        for (unsigned d = 0; d < k->ndefaults; d++) {
            struct version v;
            if (version_parse(k->defaults[d].since, &v))
                fail_msg("%s: bad since '%s'", k->name, k->defaults[d].since);
            if (version_cmp(v, prev) < 0)
                fail_msg("%s: defaults not ascending", k->name);
            prev = v;
        }
        if (k->alias_of)
            assert_non_null(
                catalog_find(k->alias_of, (enum cat_family)(k->families & -k->families)));
    }
}

/* A version without the key has no default: Java producers before 0.11
 * have no enable.idempotence; Java consumers accept by_duration only as
 * a value check (KIP-1106). */
static void test_no_default_before_since(void **state)
{
    (void)state;
    catalog_init();
    const struct cat_key *k = catalog_find("enable.idempotence", CF_JAVA_PRODUCER);
    assert_non_null(k);
    struct version v;
    assert_int_equal(version_parse("0.8.2", &v), 0);
    bool found = true;
    assert_null(catalog_default(k, v, &found));
    assert_false(found);
    assert_string_equal(dflt("enable.idempotence", CF_JAVA_PRODUCER, "3.0"), "true");
    char tmp[128];
    const struct cat_key *r = catalog_find("auto.offset.reset", CF_JAVA_CONSUMER);
    assert_null(catalog_check_value(r, "by_duration:PT6H", tmp, sizeof tmp));
    assert_null(catalog_check_value(r, "by_duration:P1DT2H30M", tmp, sizeof tmp));
    assert_non_null(catalog_check_value(r, "by_duration:six hours", tmp, sizeof tmp));
    assert_non_null(catalog_check_value(r, "by_duration:", tmp, sizeof tmp));
    assert_non_null(catalog_check_value(r, "largest", tmp, sizeof tmp));
}

/* Does version ver of family f know the key, by .since / .removed? */
static bool knows(const char *name, enum cat_family f, const char *ver)
{
    const struct cat_key *k = catalog_find(name, f);
    assert_non_null(k);
    struct version v;
    assert_int_equal(version_parse(ver, &v), 0);
    return !(k->since && !version_ge(v, k->since)) && !(k->removed && version_ge(v, k->removed));
}

/* .since / .removed of a few keys, as the ConfigDefs of the Kafka release
 * jars have them (K-DEF in catalog_data.c). */
static void test_keys_by_version(void **state)
{
    (void)state;
    assert_false(knows("cordoned.log.dirs", CF_BROKER, "3.6.0"));
    assert_false(knows("cordoned.log.dirs", CF_BROKER, "4.2.2"));
    assert_true(knows("cordoned.log.dirs", CF_BROKER, "4.3.0"));
    assert_false(knows("controller.quorum.auto.join.enable", CF_BROKER, "3.6.0"));
    assert_false(knows("controller.quorum.auto.join.enable", CF_BROKER, "4.1.1"));
    assert_true(knows("controller.quorum.auto.join.enable", CF_BROKER, "4.2.0"));
    assert_true(knows("zookeeper.connect", CF_BROKER, "3.9.2"));
    assert_false(knows("zookeeper.connect", CF_BROKER, "4.0.0"));
    assert_true(knows("controlled.shutdown.max.retries", CF_BROKER, "3.9.2"));
    assert_false(knows("controlled.shutdown.max.retries", CF_BROKER, "4.0.0"));
    assert_true(knows("leader.imbalance.per.broker.percentage", CF_BROKER, "3.9.0"));
    assert_false(knows("leader.imbalance.per.broker.percentage", CF_BROKER, "4.0.0"));
    assert_true(knows("unstable.metadata.versions.enable", CF_BROKER, "3.7.0"));
    assert_false(knows("unstable.metadata.versions.enable", CF_BROKER, "3.8.0"));
    assert_false(knows("group.share.max.groups", CF_BROKER, "4.1.0"));
    assert_false(knows("internal.leave.group.on.close", CF_JAVA_CONSUMER, "4.2.0"));
    assert_false(knows("share.acknowledgement.mode", CF_JAVA_CONSUMER, "4.0.0"));
    assert_true(knows("share.acknowledgement.mode", CF_JAVA_CONSUMER, "4.1.0"));
    assert_false(knows("local.retention.ms", CF_TOPIC, "2.8.2"));
    assert_true(knows("local.retention.ms", CF_TOPIC, "3.0.0"));
    /* and a version without the key has no default for it */
    const struct cat_key *k = catalog_find("cordoned.log.dirs", CF_BROKER);
    struct version v;
    assert_int_equal(version_parse("3.6.0", &v), 0);
    bool found = true;
    assert_null(catalog_default(k, v, &found));
    assert_false(found);
    /* defaults that changed between the checked versions */
    assert_string_equal(dflt("metadata.max.retention.bytes", CF_BROKER, "3.3.2"), "-1");
    assert_string_equal(dflt("metadata.max.retention.bytes", CF_BROKER, "3.4.0"), "104857600");
    assert_string_equal(dflt("remote.log.manager.copier.thread.pool.size", CF_BROKER, "3.8.0"),
                        "10");
    assert_string_equal(dflt("remote.log.manager.copier.thread.pool.size", CF_BROKER, "3.9.0"),
                        "-1");
    assert_string_equal(dflt("remote.log.manager.copier.thread.pool.size", CF_BROKER, "4.0.0"),
                        "10");
    assert_string_equal(dflt("group.coordinator.rebalance.protocols", CF_BROKER, "4.1.0"),
                        "classic,consumer,streams");
    assert_string_equal(dflt("remote.copy.lag.bytes", CF_TOPIC, "4.4.0"), "-1");
}

/* The newest major version whose documents an entry's .ref cites
 * ("K-BCFG@3.9.1; KIP-853" -> 3; "@trunk" is post-4.0), or -1 when it
 * cites none by version. */
static int newest_cited_major(const char *ref, int *oldest)
{
    int newest = -1;
    *oldest = -1;
    for (const char *p = strchr(ref, '@'); p; p = strchr(p + 1, '@')) {
        int major = -1;
        if (strncmp(p + 1, "trunk", 5) == 0)
            major = 4;
        else if (p[1] >= '0' && p[1] <= '9')
            major = atoi(p + 1);
        if (major < 0)
            continue;
        if (major > newest)
            newest = major;
        if (*oldest < 0 || major < *oldest)
            *oldest = major;
    }
    return newest;
}

/* An entry whose sources are all 4.x documents says nothing about 3.x: it
 * needs a .since (or a 3.x source), else `effective -a` lists it for a 3.6
 * broker that has no such key. */
static void test_4x_only_entries_have_since(void **state)
{
    (void)state;
    unsigned checked = 0;
    for (size_t i = 0; i < catalog_nkeys; i++) {
        const struct cat_key *k = &catalog_keys[i];
        if (!(k->families & (CF_BROKER | CF_TOPIC | CF_JAVA_CLIENT)))
            continue;
        int oldest, newest = newest_cited_major(k->ref, &oldest);
        if (newest < 0 || oldest < 4)
            continue;
        checked++;
        if (!k->since)
            fail_msg("%s: only 4.x sources (%s) but no .since", k->name, k->ref);
    }
    assert_true(checked > 20);
}

int main(void)
{
    catalog_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_no_default_before_since),
        cmocka_unit_test(test_defaults_by_version),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_value_checks),
        cmocka_unit_test(test_every_entry_is_sane),
        cmocka_unit_test(test_keys_by_version),
        cmocka_unit_test(test_4x_only_entries_have_since),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
