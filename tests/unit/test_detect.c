/* Which keys make a file look like Kafka's (input/detect.c). */
#include "testutil.h"

#include <string.h>

#include "input/detect.h"

static void test_kafka_keys(void **state)
{
    (void)state;
    /* Kafka's own spelling and Spring's relaxed ones */
    assert_string_equal(detect_kafka_key("auto.offset.reset"), "auto.offset.reset");
    assert_string_equal(detect_kafka_key("auto-offset-reset"), "auto.offset.reset");
    assert_string_equal(detect_kafka_key("autoOffsetReset"), "auto.offset.reset");
    assert_string_equal(detect_kafka_key("[auto.offset.reset]"), "auto.offset.reset");
    /* at the end of an application's own prefix: only unmistakable keys */
    assert_string_equal(detect_kafka_key("event-consumer.properties.auto.offset.reset"),
                        "auto.offset.reset");
    assert_null(detect_kafka_key("activemq.broker.id"));
    assert_null(detect_kafka_key("app.group.id"));
    assert_string_equal(detect_kafka_key("group-id"), "group.id");
    /* other software's settings */
    assert_null(detect_kafka_key("server.port"));
    assert_null(detect_kafka_key("ssl.protocol"));
    assert_null(detect_kafka_key("retries"));
    assert_null(detect_kafka_key("level-name"));
    assert_true(detect_strong_key("min.insync.replicas"));
    assert_false(detect_strong_key("group.id"));
}

static void test_looks_kafka(void **state)
{
    (void)state;
    struct detect_lines one = {.total = 0};
    detect_lines_add(&one, 3, 5); /* a lone group.id */
    assert_false(DETECT_LOOKS_KAFKA(&one));
    detect_lines_add(&one, 3, 5); /* the same line again: not counted twice */
    assert_false(DETECT_LOOKS_KAFKA(&one));
    detect_lines_add(&one, 4, 0);
    assert_int_equal(one.col[0], 5); /* the key's column */
    assert_int_equal(one.col[1], 1); /* unknown: the line's start */
    assert_true(DETECT_LOOKS_KAFKA(&one));
    struct detect_lines strong = {.total = 0};
    detect_lines_add(&strong, 9, 1);
    strong.strong = 1;
    assert_true(DETECT_LOOKS_KAFKA(&strong));
    /* more lines than are named: counted all the same */
    struct detect_lines many = {.total = 0};
    for (uint32_t l = 1; l <= 20; l++)
        detect_lines_add(&many, l, 1);
    assert_int_equal(many.n, DETECT_MAX_LINES);
    assert_int_equal(many.total, 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kafka_keys),
        cmocka_unit_test(test_looks_kafka),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
