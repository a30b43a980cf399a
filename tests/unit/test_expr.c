/* The rule language: parsing, error positions, three-valued logic,
 * builtins, templates. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "model/catalog.h"
#include "rules/expr.h"

static struct arena A;
static struct model M;

static struct val eval_on(const char *src, enum role primary, const struct object *o)
{
    struct expr_error err;
    struct expr *e = expr_compile(&A, src, 1u << primary, primary, &err);
    if (!e)
        fail_msg("compile '%s': %s", src, err.msg);
    struct eval_ctx c;
    memset(&c, 0, sizeof c);
    c.m = &M;
    c.scratch = &A;
    c.obj[R_CLUSTER] = &M.cluster.o;
    c.obj[primary] = o;
    return expr_eval(e, &c);
}

static int truth(const char *src)
{
    struct val v = eval_on(src, R_CLUSTER, &M.cluster.o);
    return val_truth(&v);
}

static const struct object *producer(const char *name)
{
    return &model_find_client(&M, OBJ_PRODUCER, name)->o;
}

static void test_arithmetic_and_logic(void **state)
{
    (void)state;
    assert_int_equal(truth("1 + 2 * 3 == 7"), 1);
    assert_int_equal(truth("(1 + 2) * 3 == 9"), 1);
    assert_int_equal(truth("10 / 3 == 3 && 10 % 3 == 1"), 1);
    assert_int_equal(truth("not (1 > 2) and 2 >= 2 or false"), 1);
    assert_int_equal(truth("\"a\" + 1 == \"a1\""), 1);
    assert_int_equal(truth("\"3\" == 3"), 1);           /* numeric coercion */
    assert_int_equal(truth("\"3.7.1\" > \"3.10\""), 1); /* plain strings compare as text */
    assert_int_equal(truth("2 in [1, 2, 3]"), 1);
    assert_int_equal(truth("\"x\" in [\"a\"]"), 0);
}

static void test_null_is_unknown(void **state)
{
    (void)state;
    assert_int_equal(truth("null == null"), 1);
    assert_int_equal(truth("null != null"), 0);
    assert_int_equal(truth("null > 1"), -1);
    assert_int_equal(truth("null + 1 == 2"), -1);
    assert_int_equal(truth("!(null > 1)"), -1);
    assert_int_equal(truth("false && null > 1"), 0);
    assert_int_equal(truth("true || null > 1"), 1);
    assert_int_equal(truth("true && null > 1"), -1);
    assert_int_equal(truth("1 / 0 == 0"), -1);
    assert_int_equal(truth("9223372036854775807 + 1 > 0"), -1); /* overflow is unknown */
}

static void test_config_values_and_versions(void **state)
{
    (void)state;
    const struct object *p = producer("p");
    struct val v = eval_on("acks", R_PRODUCER, p);
    assert_int_equal(v.t, VT_STR);
    assert_string_equal(v.s, "1");
    v = eval_on("acks == 1 && retries == 2147483647", R_PRODUCER, p);
    assert_int_equal(val_truth(&v), 1);
    v = eval_on("client_version >= \"3.0.1\" && client_version < \"3.7\"", R_PRODUCER, p);
    assert_int_equal(val_truth(&v), 1);
    v = eval_on("explicit(acks) && !explicit(retries) && origin(enable.idempotence) == \"derived\"",
                R_PRODUCER, p);
    assert_int_equal(val_truth(&v), 1);
    v = eval_on("default(acks)", R_PRODUCER, p);
    assert_string_equal(v.s, "all");
    v = eval_on("ms(delivery.timeout.ms)", R_PRODUCER, p);
    assert_string_equal(v.s, "2m 00s");
}

static void test_quantifiers(void **state)
{
    (void)state;
    assert_int_equal(truth("count(brokers) == 3"), 1);
    assert_int_equal(truth("count(brokers, rack != null) == 2"), 1);
    assert_int_equal(truth("any(brokers, rack == null) && !all(brokers, rack != null)"), 1);
    assert_int_equal(truth("distinct(brokers, rack) == 2"), 1);
    assert_int_equal(truth("sum(brokers, id) == 6 && max_of(brokers, id) == 3"), 1);
}

static void compile_error(const char *src, enum role primary, const char *msg, uint32_t off,
                          const char *hint)
{
    struct expr_error err;
    struct expr *e = expr_compile(&A, src, 1u << primary, primary, &err);
    assert_null(e);
    if (!strstr(err.msg, msg))
        fail_msg("'%s': expected error containing '%s', got '%s'", src, msg, err.msg);
    assert_int_equal(err.off, off);
    if (hint)
        assert_non_null(strstr(err.hint, hint));
}

static void test_compile_errors_point_at_the_mistake(void **state)
{
    (void)state;
    compile_error("ack != \"all\"", R_PRODUCER, "unknown name 'ack'", 0, "acks");
    compile_error("min.insync.replicas > 1 && min.insync.replica > 1", R_TOPIC, "unknown name", 27,
                  "min.insync.replicas");
    compile_error("acks = 1", R_PRODUCER, "'=' is not an operator", 5, NULL);
    compile_error("1 < 2 < 3", R_CLUSTER, "do not chain", 6, NULL);
    compile_error("count(brokerz, true)", R_CLUSTER, "unknown collection", 6, NULL);
    compile_error("explicit(name)", R_TOPIC, "expects a configuration key", 9, NULL);
    compile_error("topic.name == \"x\"", R_PRODUCER, "no topic is bound", 0, NULL);
    compile_error("\"unterminated", R_CLUSTER, "unterminated string", 0, NULL);
    compile_error("frob(1)", R_CLUSTER, "unknown function", 0, NULL);
}

static void test_group_id_is_a_key_in_consumer_scope(void **state)
{
    (void)state;
    struct expr_error err;
    /* "group" is a role name, but not bound in a consumer rule */
    assert_non_null(expr_compile(&A, "group.id != null", 1u << R_CONSUMER, R_CONSUMER, &err));
}

/* A setting whose name starts with the object's own role is that
 * setting, not an attribute lookup that fails: broker.heartbeat.interval.ms
 * on a broker, controller.quorum.voters on a controller; the role prefix
 * still selects attributes (broker.rack, controller.id). */
static void test_role_prefixed_keys(void **state)
{
    (void)state;
    struct expr_error err;
    assert_non_null(
        expr_compile(&A, "broker.heartbeat.interval.ms > 0", 1u << R_BROKER, R_BROKER, &err));
    assert_non_null(expr_compile(&A, "controller.quorum.voters != null && controller.id > 0",
                                 1u << R_CONTROLLER, R_CONTROLLER, &err));
    assert_non_null(expr_compile(&A, "broker.rack == null", 1u << R_BROKER, R_BROKER, &err));
    compile_error("controller.nonsense.key == 1", R_CONTROLLER, "unknown name 'nonsense.key'", 0,
                  NULL);
}

static void test_templates(void **state)
{
    (void)state;
    struct expr_error err;
    struct tmpl *t =
        tmpl_compile(&A, "{name}: acks={acks} {{literal}} {if(acks == \"1\", \"one\", \"x\")}",
                     1u << R_PRODUCER, R_PRODUCER, &err);
    assert_non_null(t);
    struct eval_ctx c;
    memset(&c, 0, sizeof c);
    c.m = &M;
    c.scratch = &A;
    c.obj[R_CLUSTER] = &M.cluster.o;
    c.obj[R_PRODUCER] = producer("p");
    struct buf b = BUF_INIT;
    tmpl_render(t, &c, &b);
    assert_string_equal(buf_str(&b), "p: acks=1 {literal} one");
    buf_release(&b);
    assert_null(tmpl_compile(&A, "oops {acks", 1u << R_PRODUCER, R_PRODUCER, &err));
    assert_non_null(strstr(err.msg, "unclosed"));
}

static const char *deep_error(const char *src)
{
    static struct expr_error err;
    struct expr *e = expr_compile(&A, src, 1u << R_CLUSTER, R_CLUSTER, &err);
    return e ? NULL : err.msg;
}

static char *repeat(const char *unit, int n, const char *tail)
{
    size_t ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(ul * (size_t)n + tl + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + ul * (size_t)i, unit, ul);
    memcpy(s + ul * (size_t)n, tail, tl + 1);
    return s;
}

/* 20,000 '!', '-' or 'not ' once overflowed the stack while compiling (or
 * evaluating); now every level of nesting and of the tree is bounded. */
static void test_deep_expressions_refused(void **state)
{
    (void)state;
    static const char *const units[] = {"!", "-", "not ", "(", "count(topics, "};
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
        char *s = repeat(units[u], 20000, "true");
        const char *msg = deep_error(s);
        assert_non_null(msg);
        assert_non_null(strstr(msg, "nested too deeply"));
        free(s);
    }
    /* chains build a tree as high as they are long: bounded too */
    char *s = repeat("true && ", 20000, "true");
    const char *msg = deep_error(s);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "too deep"));
    free(s);
    s = repeat("1 + ", 20000, "1 == 0");
    assert_non_null(deep_error(s));
    free(s);
    /* what a person writes still compiles and evaluates */
    s = repeat("!", 40, "false");
    assert_null(deep_error(s));
    assert_int_equal(truth(s), 0); /* 40 negations of false */
    free(s);
    s = repeat("- ", 41, "1 == -1");
    assert_int_equal(truth(s), 1);
    free(s);
    s = repeat("true && ", 200, "true");
    assert_int_equal(truth(s), 1);
    free(s);
}

static int setup(void **state)
{
    (void)state;
    catalog_init();
    arena_init(&A);
    return tu_model(&M, "d.yaml",
                    "cluster: {brokers: [{id: 1, rack: a}, {id: 2, rack: b}, {id: 3}]}\n"
                    "producers: {p: {client: java 3.6, config: {acks: 1}}}\n") == 0
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    model_release(&M);
    arena_release(&A);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic_and_logic),
        cmocka_unit_test(test_null_is_unknown),
        cmocka_unit_test(test_config_values_and_versions),
        cmocka_unit_test(test_quantifiers),
        cmocka_unit_test(test_compile_errors_point_at_the_mistake),
        cmocka_unit_test(test_group_id_is_a_key_in_consumer_scope),
        cmocka_unit_test(test_role_prefixed_keys),
        cmocka_unit_test(test_templates),
        cmocka_unit_test(test_deep_expressions_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
