/* The Kafka version a broker runs, judged from its configuration keys. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/catalog.h"
#include "model/kafka_version.h"

/* A broker of version v as the catalog knows it: every broker key that v
 * defines is reported. */
static bool has_in(const char *key, void *arg)
{
    const struct version *v = arg;
    const struct cat_key *k = catalog_find(key, CF_BROKER);
    if (!k)
        return false;
    struct version s = {0}, r = {0};
    if (k->since && version_parse(k->since, &s) == 0 && version_cmp(*v, s) < 0)
        return false;
    if (k->removed && version_parse(k->removed, &r) == 0 && version_cmp(*v, r) >= 0)
        return false;
    return true;
}

static void range_of(const char *ver, struct kafka_version_range *r)
{
    struct version v;
    assert_int_equal(version_parse(ver, &v), 0);
    assert_int_equal(kafka_version_from_keys(has_in, &v, true, r), 0);
    assert_true(r->lo.set);
    assert_true(version_cmp(r->lo, v) <= 0);
    if (r->hi.set)
        assert_true(version_cmp(v, r->hi) < 0);
}

static void test_catalog_brokers(void **state)
{
    (void)state;
    struct kafka_version_range r;
    char s[40];
    range_of("3.9.2", &r);
    kafka_version_range_fmt(&r, s, sizeof s);
    assert_string_equal(s, "3.9"); /* 3.9 <= v < 4.0: the last 3.x line */
    range_of("4.4.0", &r);
    assert_false(r.hi.set);
    assert_true(version_ge(r.lo, "4.0"));
    kafka_version_range_fmt(&r, s, sizeof s);
    assert_non_null(strchr(s, '+'));
    range_of("3.7.1", &r);
    assert_true(r.hi.set);
}

/* Every key that real brokers report: DescribeConfigs of broker 1 of
 * Apache Kafka 3.9.2 and 4.4.0 from Maven Central, as ConfigCommand
 * --describe --all lists it (tests/fixtures/broker-keys/). */
struct keys {
    char *buf;
    const char *v[1024];
};

static void load(const char *ver, struct keys *k)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tests/fixtures/broker-keys/kafka-%s.txt", SOURCE_DIR, ver);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    k->buf = calloc(1, 65536);
    size_t n = fread(k->buf, 1, 65535, f);
    fclose(f);
    size_t nk = 0;
    for (char *p = k->buf; p < k->buf + n && nk < 1023;) {
        char *e = strchr(p, '\n');
        if (e)
            *e = 0;
        if (*p)
            k->v[nk++] = p;
        p = e ? e + 1 : k->buf + n;
    }
    k->v[nk] = NULL;
    assert_true(nk > 100);
}

static bool has_list(const char *key, void *arg)
{
    for (const char *const *p = arg; *p; p++)
        if (strcmp(*p, key) == 0)
            return true;
    return false;
}

static void test_measured_keys(void **state)
{
    (void)state;
    struct kafka_version_range r;
    char s[40];
    struct keys k;
    load("3.9.2", &k);
    assert_int_equal(kafka_version_from_keys(has_list, (void *)k.v, true, &r), 0);
    kafka_version_range_fmt(&r, s, sizeof s);
    assert_string_equal(s, "3.9");
    assert_non_null(r.hi_key);
    free(k.buf);
    load("4.4.0", &k);
    assert_int_equal(kafka_version_from_keys(has_list, (void *)k.v, true, &r), 0);
    kafka_version_range_fmt(&r, s, sizeof s);
    assert_string_equal(s, "4.3+"); /* cordoned.log.dirs, new in 4.3 */
    assert_true(r.lo_key_present);
    /* the 4.4.0 keys, were they not all a broker has: the same lower
     * bound, from a key that is there */
    assert_int_equal(kafka_version_from_keys(has_list, (void *)k.v, false, &r), 0);
    kafka_version_range_fmt(&r, s, sizeof s);
    assert_string_equal(s, "4.3+");
    free(k.buf);
    /* a few keys only: a missing key proves nothing */
    static const char *const few[] = {"broker.id", "num.io.threads", NULL};
    assert_int_equal(kafka_version_from_keys(has_list, (void *)few, false, &r), 0);
    assert_false(r.lo.set);
}

static void test_contradiction(void **state)
{
    (void)state;
    /* a key removed in 4.0 beside one added in 4.1: no such version */
    static const char *const bad[] = {"inter.broker.protocol.version",
                                      "sasl.oauthbearer.assertion.algorithm", NULL};
    struct kafka_version_range r;
    assert_int_equal(kafka_version_from_keys(has_list, (void *)bad, false, &r), -1);
}

/* Every key a real 3.9.2 or 4.4.0 broker reports that the catalog has
 * must be one that version has by its .since / .removed. */
static void test_measured_keys_in_range(void **state)
{
    (void)state;
    static const char *const vers[] = {"3.9.2", "4.4.0"};
    for (unsigned i = 0; i < 2; i++) {
        struct keys k;
        struct version v;
        load(vers[i], &k);
        assert_int_equal(version_parse(vers[i], &v), 0);
        unsigned known = 0;
        for (const char *const *p = k.v; *p; p++) {
            if (!catalog_find(*p, CF_BROKER))
                continue;
            known++;
            if (!has_in(*p, &v))
                fail_msg("Kafka %s reports %s, which the catalog says it has not", vers[i], *p);
        }
        assert_true(known > 100);
        free(k.buf);
    }
}

/* Brokers do not report internal keys.  All three keys removed in 4.1 are
 * missing from a 3.8 broker: two are internal there, the third
 * (group.share.max.groups) is new in 3.9.  That is no evidence of 4.1. */
static bool has_3_8(const char *key, void *arg)
{
    (void)arg;
    static const char *const internal[] = {"group.coordinator.new.enable",
                                           "metadata.log.segment.min.bytes", NULL};
    if (has_list(key, (void *)internal))
        return false;
    struct version v;
    version_parse("3.8.0", &v);
    return has_in(key, &v);
}

static void test_late_keys_removed_together(void **state)
{
    (void)state;
    struct kafka_version_range r;
    char s[40];
    assert_int_equal(kafka_version_from_keys(has_3_8, NULL, true, &r), 0);
    kafka_version_range_fmt(&r, s, sizeof s);
    assert_string_equal(s, "3.8 to before 4.0");
}

int main(void)
{
    catalog_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_brokers),
        cmocka_unit_test(test_measured_keys),
        cmocka_unit_test(test_contradiction),
        cmocka_unit_test(test_measured_keys_in_range),
        cmocka_unit_test(test_late_keys_removed_together),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
