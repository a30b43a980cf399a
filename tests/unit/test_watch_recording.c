/* Recordings (src/manifest/recording.h): write a live model, read it back as
 * the same model, secrets never written, DEFAULT_CONFIG settings left
 * out, the writer leaves the model as it was, document splitting and
 * times. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest/recording.h"

static const char *const LIVE =
    "cluster:\n"
    "  id: rec-cluster\n"
    "  live: true\n"
    "  collected_at: \"2026-11-24T03:00:00Z\"\n"
    "  controller: 1\n"
    "  brokers:\n"
    "    - id: 1\n"
    "      rack: a\n"
    "      host: 127.0.0.1\n"
    "      port: 9092\n"
    "      config:\n"
    "        min.insync.replicas: {value: \"2\", source: DYNAMIC_DEFAULT_BROKER_CONFIG, broker: "
    "1}\n"
    "        log.retention.hours: {value: \"168\", source: DEFAULT_CONFIG, broker: 1}\n"
    "        ssl.keystore.password: {value: null, source: STATIC_BROKER_CONFIG, broker: 1, "
    "sensitive: true}\n"
    "    - {id: 2, down: true}\n"
    "topics:\n"
    "  orders:\n"
    "    partitions:\n"
    "      - {id: 0, leader: 1, replicas: [1, 2], isr: [1], offline: [2], log_start: 5, log_end: "
    "120}\n"
    "    config:\n"
    "      retention.ms: {value: \"604800000\", source: DYNAMIC_TOPIC_CONFIG}\n"
    "      cleanup.policy: {value: \"delete\", source: DEFAULT_CONFIG}\n"
    "groups:\n"
    "  billing:\n"
    "    state: Stable\n"
    "    members:\n"
    "      - {member_id: m1, client_id: c1, host: /10.0.0.1, assignment: {orders: [0]}}\n"
    "    offsets: {orders: {0: 100}}\n";

static char *record(struct model *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(record_write(f, m, "test"), 0);
    fclose(f);
    return buf;
}

static void test_round_trip(void **state)
{
    (void)state;
    struct model m;
    assert_int_equal(tu_model(&m, "live.yaml", LIVE), 0);
    const struct broker *b1 = model_find_broker(&m, 1);
    assert_non_null(object_get(&b1->o, "log.retention.hours"));
    /* the manifest reader keeps collected_at as text; a collection sets it */
    m.cluster.collected_at_ms = parse_iso_time_ms("2026-11-24T03:00:00Z", 20);
    char *doc1 = record(&m);
    /* the model is as it was: DEFAULT_CONFIG settings are still there */
    assert_non_null(object_get(&b1->o, "log.retention.hours"));
    assert_non_null(object_get(&model_find_topic(&m, "orders")->o, "cleanup.policy"));
    assert_non_null(strstr(doc1, "---\n# test\n"));
    assert_null(strstr(doc1, "log.retention.hours"));
    assert_null(strstr(doc1, "cleanup.policy"));
    assert_non_null(strstr(doc1, "retention.ms"));
    assert_non_null(strstr(doc1, "\"ssl.keystore.password\": {value: null"));
    /* times with milliseconds: samples less than a second apart keep
     * their order and spacing (time lag is computed from them) */
    assert_non_null(strstr(doc1, "  collected_at: \"2026-11-24T03:00:00.000Z\"\n"));
    m.cluster.collected_at_ms += 5250;
    char *doc2 = record(&m);
    assert_non_null(strstr(doc2, "  collected_at: \"2026-11-24T03:00:05.250Z\"\n"));

    char path[] = "/tmp/kafkaudit-rec-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# a recording\n", f);
    fputs(doc1, f);
    fputs(doc2, f);
    fclose(f);

    struct replay r;
    char err[256];
    assert_int_equal(replay_open(&r, path, 1 << 20, err, sizeof err), 0);
    assert_int_equal(r.ndocs, 2);
    assert_int_equal(r.docs[1].t - r.docs[0].t, 5250);
    assert_int_equal(r.docs[0].t, parse_iso_time_ms("2026-11-24T03:00:00Z", 20));
    for (uint32_t i = 0; i < 2; i++) {
        struct model back;
        model_init(&back);
        if (replay_load(&r, i, &back, err, sizeof err) < 0)
            fail_msg("%s", err);
        assert_true(back.cluster.live);
        assert_string_equal(back.cluster.cluster_id, "rec-cluster");
        assert_int_equal(back.cluster.collected_at_ms, r.docs[i].t);
        assert_int_equal(back.nbrokers, 2);
        assert_true(model_find_broker(&back, 2)->down);
        const struct topic *t = model_find_topic(&back, "orders");
        assert_non_null(t);
        assert_int_equal(t->nparts, 1);
        const struct partition *p = t->parts[0];
        assert_int_equal(p->leader, 1);
        assert_int_equal(p->nreplicas, 2);
        assert_int_equal(p->nisr, 1);
        assert_int_equal(p->noffline, 1);
        assert_int_equal(p->log_start, 5);
        assert_int_equal(p->log_end, 120);
        const struct group *g = model_find_group(&back, "billing");
        assert_non_null(g);
        assert_int_equal(g->noffsets, 1);
        assert_int_equal(g->offsets[0].committed, 100);
        assert_non_null(g->offsets[0].t); /* finalized */
        assert_int_equal(g->nmembers, 1);
        assert_int_equal(g->members[0].nassignment, 1);
        const struct setting *s =
            object_get(&model_find_broker(&back, 1)->o, "ssl.keystore.password");
        assert_non_null(s);
        assert_null(s->value);
        model_release(&back);
    }
    replay_close(&r);
    unlink(path);
    free(doc1);
    free(doc2);
    model_release(&m);
}

static void test_errors_and_times(void **state)
{
    (void)state;
    assert_int_equal(parse_iso_time_ms("1970-01-01T00:00:01Z", 20), 1000);
    assert_int_equal(parse_iso_time_ms("2026-11-24T03:00:00.250Z", 24),
                     parse_iso_time_ms("2026-11-24T03:00:00Z", 20) + 250);
    assert_int_equal(parse_iso_time_ms("2026-13-24T03:00:00Z", 20), -1);
    assert_int_equal(parse_iso_time_ms("yesterday", 9), -1);

    char path[] = "/tmp/kafkaudit-rec-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    /* no times: one second apart; a broken second document */
    fputs("---\ncluster: {id: x}\n---\n# only a comment\n---\ncluster: [1, 2\n", f);
    fclose(f);
    struct replay r;
    char err[256];
    assert_int_equal(replay_open(&r, path, 1 << 20, err, sizeof err), 0);
    assert_int_equal(r.ndocs, 2); /* the comment-only document is skipped */
    assert_int_equal(r.docs[1].t - r.docs[0].t, 1000);
    assert_int_equal(r.docs[1].line, 6);
    struct model m;
    model_init(&m);
    assert_int_equal(replay_load(&r, 0, &m, err, sizeof err), 0);
    model_release(&m);
    model_init(&m);
    assert_int_equal(replay_load(&r, 1, &m, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, ":7:")); /* the file's own line numbers */
    model_release(&m);
    replay_close(&r);
    f = fopen(path, "w");
    fputs("# nothing\n\n", f);
    fclose(f);
    assert_int_equal(replay_open(&r, path, 1 << 20, err, sizeof err), -1);
    assert_non_null(strstr(err, "no documents"));
    assert_int_equal(replay_open(&r, "/nonexistent/x.yaml", 1 << 20, err, sizeof err), -1);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_errors_and_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
