/* YAML tree loader: positions, aliases, merge keys and hostile input. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/arena.h"
#include "util/buf.h"
#include "syntax/ynode.h"

static int parse(struct arena *a, const char *text, struct ystream *ys, struct yerror *err)
{
    return ydoc_parse(a, text, strlen(text), NULL, ys, err);
}

/* Levels a0..a(levels-1): a0 lists ten scalars, each next level ten
 * aliases of the one before, so level k expands to about 10^(k+1) nodes. */
static void alias_chain(struct buf *b, int levels)
{
    buf_puts(b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < levels; i++) {
        buf_printf(b, "a%d: &a%d [", i, i);
        for (int j = 0; j < 10; j++)
            buf_printf(b, "%s*a%d", j ? ", " : "", i - 1);
        buf_puts(b, "]\n");
    }
}

static void test_positions(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "topics:\n  orders:\n    partitions: 12\n", &ys, &err), 0);
    assert_int_equal(ys.ndocs, 1);
    const struct ynode *t = ymap_get(ymap_get(ys.docs[0].root, "topics"), "orders");
    assert_non_null(t);
    const struct ynode *p = ymap_get(t, "partitions");
    assert_string_equal(ynode_str(p), "12");
    assert_int_equal(p->line, 3);
    assert_int_equal(p->col, 17);
    arena_release(&a);
}

static void test_merge_keys(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    const char *y = "base: &b {acks: all, retries: 3}\n"
                    "svc:\n  <<: *b\n  retries: 7\n";
    assert_int_equal(parse(&a, y, &ys, &err), 0);
    const struct ynode *svc = ymap_get(ys.docs[0].root, "svc");
    assert_string_equal(ynode_str(ymap_get(svc, "acks")), "all");
    assert_string_equal(ynode_str(ymap_get(svc, "retries")), "7"); /* explicit wins */
    assert_null(ymap_get(svc, "<<"));
    arena_release(&a);
}

/* Merging a large mapping is linear: each merged key was once compared
 * with every key before it (100,000 keys: 5e9 comparisons, seconds per
 * merge).  Order and precedence are those of the small case. */
static void test_merge_large_mapping(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf b = BUF_INIT;
    buf_puts(&b, "base: &b\n");
    for (int i = 0; i < 99990; i++)
        buf_printf(&b, "  k%d: %d\n", i, i);
    buf_puts(&b, "one:\n  k7: explicit\n  <<: *b\n"
                 "two:\n  <<: [*b, {k7: later, extra: x}]\n");
    struct ystream ys;
    struct yerror err;
    clock_t t0 = clock();
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 5.0);
    const struct ynode *one = ymap_get(ys.docs[0].root, "one");
    const struct ynode *two = ymap_get(ys.docs[0].root, "two");
    assert_int_equal(one->map.n, 99990);
    assert_int_equal(two->map.n, 99991);
    assert_string_equal(ynode_str(ymap_get(one, "k7")), "explicit");
    assert_string_equal(ynode_str(ymap_get(one, "k99989")), "99989");
    assert_string_equal(ynode_str(ymap_get(two, "k7")), "7"); /* earlier source wins */
    assert_string_equal(ynode_str(ymap_get(two, "extra")), "x");
    buf_release(&b);
    arena_release(&a);
}

/* Anchors: a later anchor of the same name shadows the earlier one, an
 * anchor does not reach into the next document, and looking one up is a
 * hash lookup (100,000 anchors and aliases once took half a minute). */
static void test_anchors(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "a: &x 1\nb: *x\nc: &x 2\nd: *x\n", &ys, &err), 0);
    assert_string_equal(ynode_str(ymap_get(ys.docs[0].root, "b")), "1");
    assert_string_equal(ynode_str(ymap_get(ys.docs[0].root, "d")), "2");
    assert_int_equal(parse(&a, "a: &x 1\n---\nb: *x\n", &ys, &err), -1);
    assert_non_null(strstr(err.msg, "unknown alias"));
    assert_int_equal(err.line, 3);

    struct buf b = BUF_INIT;
    buf_puts(&b, "x:\n");
    for (int i = 0; i < 100000; i++)
        buf_printf(&b, "  - &a%d v%d\n", i, i);
    for (int i = 0; i < 100000; i++)
        buf_printf(&b, "  - *a%d\n", i % 3);
    clock_t t0 = clock();
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), 0);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    const struct ynode *x = ymap_get(ys.docs[0].root, "x");
    assert_int_equal(x->seq.n, 200000);
    assert_string_equal(ynode_str(x->seq.items[100002]), "v2");
    buf_release(&b);
    arena_release(&a);
}

static void test_alias_bomb_refused(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf b = BUF_INIT;
    alias_chain(&b, 9);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), -1);
    assert_non_null(strstr(err.msg, "alias"));
    assert_true(err.line > 1);
    buf_release(&b);
    arena_release(&a);
}

/* The expansion budget is the file's, not each document's: documents each
 * well under it (anchors are per document) used to add up without limit. */
static void test_alias_budget_per_file(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf doc = BUF_INIT; /* one document: about 1.23 million nodes expanded */
    alias_chain(&doc, 6);
    struct buf b = BUF_INIT;
    for (int d = 0; d < 8; d++)
        buf_printf(&b, "---\n%s", buf_str(&doc));
    struct ystream ys;
    struct yerror err;
    /* the fixed budget only: this small file is far over the per-byte one */
    struct ylimits lim = ylimits_default;
    lim.max_expanded_per_byte = 0;
    assert_int_equal(ydoc_parse(&a, buf_str(&b), b.len, &lim, &ys, &err), 0); /* 9.9 million */
    assert_int_equal(ys.ndocs, 8);
    buf_printf(&b, "---\n%s", buf_str(&doc));
    assert_int_equal(ydoc_parse(&a, buf_str(&b), b.len, &lim, &ys, &err), -1);
    assert_non_null(strstr(err.msg, "documents expand"));
    assert_int_equal(err.line, 8 * 7 + 1); /* the ninth document */
    buf_release(&doc);
    buf_release(&b);
    arena_release(&a);
}

/* By default the budget also scales with the file: 4 nodes per byte, at
 * least 100,000.  A few hundred bytes may not expand to a million nodes; the
 * same expansion with enough real content around it is accepted. */
static void test_alias_budget_per_byte(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf b = BUF_INIT; /* about 123,000 nodes expanded from ~250 bytes */
    alias_chain(&b, 5);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), -1);
    assert_non_null(strstr(err.msg, "more than 100000 nodes"));
    /* 32,000 bytes of comments: a budget of 128,000 */
    for (int i = 0; i < 640; i++)
        buf_puts(&b, "# a comment line of fifty bytes, give or take..\n");
    assert_true(b.len * 4 > 123000);
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), 0);
    buf_release(&b);
    arena_release(&a);
}

static void test_deep_nesting_refused(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf b = BUF_INIT;
    for (int i = 0; i < 200; i++)
        buf_putc(&b, '[');
    for (int i = 0; i < 200; i++)
        buf_putc(&b, ']');
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), -1);
    assert_non_null(strstr(err.msg, "nesting"));
    buf_release(&b);
    arena_release(&a);
}

static void test_syntax_error_position(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "a: 1\nb: [1, 2\nc: 3\n", &ys, &err), -1);
    assert_true(err.line >= 2);
    assert_true(strlen(err.msg) > 0);
    arena_release(&a);
}

static void test_unknown_alias(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "a: *nope\n", &ys, &err), -1);
    assert_int_equal(err.line, 1);
    arena_release(&a);
}

static void test_multi_documents_and_nulls(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "a: ~\n---\nb: null\n---\n", &ys, &err), 0);
    assert_int_equal(ys.ndocs, 3);
    assert_true(ynode_is_null(ymap_get(ys.docs[0].root, "a")));
    assert_true(ynode_is_null(ymap_get(ys.docs[1].root, "b")));
    assert_true(ynode_is_null(ys.docs[2].root)); /* "---" alone: an empty scalar */
    assert_int_equal(ys.docs[1].line, 2);
    arena_release(&a);
}

/* A Strimzi estate dump: 12,000 KafkaTopic documents in one stream are
 * read whole (no document count refuses them). */
static void test_many_documents(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    for (int i = 0; i < 12000; i++)
        buf_printf(&b,
                   "---\napiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\n"
                   "metadata: {name: t%d}\nspec: {partitions: 3, replicas: 3}\n",
                   i);
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(ydoc_parse(&a, buf_str(&b), b.len, NULL, &ys, &err), 0);
    assert_int_equal(ys.ndocs, 12000);
    assert_string_equal(ynode_str(ymap_get(ymap_get(ys.docs[11999].root, "metadata"), "name")),
                        "t11999");
    arena_release(&a);
    buf_release(&b);
}

static void test_quoted_is_not_null(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "a: \"null\"\nb: ''\n", &ys, &err), 0);
    assert_false(ynode_is_null(ymap_get(ys.docs[0].root, "a")));
    assert_false(ynode_is_null(ymap_get(ys.docs[0].root, "b")));
    arena_release(&a);
}

/* Node weights are 32-bit and saturate: a limit set above that range is
 * held at it, so an expansion of 10^11 nodes is still refused. */
static void test_alias_budget_beyond_32_bits(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct buf b = BUF_INIT;
    alias_chain(&b, 10);
    struct ystream ys;
    struct yerror err;
    struct ylimits lim = ylimits_default;
    lim.max_expanded = UINT64_MAX;
    lim.max_expanded_per_byte = 0;
    assert_int_equal(ydoc_parse(&a, buf_str(&b), b.len, &lim, &ys, &err), -1);
    assert_non_null(strstr(err.msg, "expands to more than"));
    buf_release(&b);
    arena_release(&a);
}

/* An explicit !!str makes a plain scalar a string for typing (as quotes
 * do); other tags do not. */
static void test_str_tag_is_quoted(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "a: !!str 1\nb: 1\nc: !custom 1\nd: '1'\n", &ys, &err), 0);
    const struct ynode *r = ys.docs[0].root;
    assert_int_equal(ymap_get(r, "a")->style, YS_QUOTED);
    assert_int_equal(ymap_get(r, "b")->style, YS_PLAIN);
    assert_int_equal(ymap_get(r, "c")->style, YS_PLAIN);
    assert_int_equal(ymap_get(r, "d")->style, YS_QUOTED);
    assert_string_equal(ymap_get(r, "a")->scalar.s, "1");
    arena_release(&a);
}

/* A document that opens with an empty flow collection: the node builder
 * once applied an offset to its still-NULL child stack (UBSan). */
static void test_empty_flow_collection_first(void **state)
{
    (void)state;
    static const char *const docs[] = {"{}\n", "[]\n", "{}", "--- []\n--- {a: {}}\n"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        struct arena a;
        arena_init(&a);
        struct ystream ys;
        struct yerror err;
        assert_int_equal(parse(&a, docs[i], &ys, &err), 0);
        assert_non_null(ys.docs[0].root);
        assert_true(ys.docs[0].root->kind == Y_MAP || ys.docs[0].root->kind == Y_SEQ);
        arena_release(&a);
    }
}

/* YAML 1.2 keys are unique: a duplicate is an error naming both places,
 * in small and in large (hashed) mappings; merge keys still override. */
static void test_duplicate_keys_refused(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    struct ystream ys;
    struct yerror err;
    assert_int_equal(parse(&a, "rules: {A: off}\nrules: {B: off}\n", &ys, &err), -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 1);
    assert_non_null(strstr(err.msg, "duplicate key 'rules' (first at line 1, column 1)"));
    /* nested, in flow style */
    assert_int_equal(parse(&a, "a:\n  b: {x: 1, y: 2, x: 3}\n", &ys, &err), -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 19);
    assert_non_null(strstr(err.msg, "first at line 2, column 7"));
    /* a large mapping goes through the hash set */
    struct buf b = BUF_INIT;
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "k%d: %d\n", i, i);
    buf_puts(&b, "k500: again\n");
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), -1);
    assert_int_equal(err.line, 1001);
    assert_non_null(strstr(err.msg, "first at line 501"));
    /* a very long duplicate key is cut short in the message */
    buf_reset(&b);
    for (int k = 0; k < 2; k++) {
        buf_puts(&b, "ssl.key.password=");
        for (int i = 0; i < 300; i++)
            buf_putc(&b, 'S');
        buf_puts(&b, ": 1\n");
    }
    assert_int_equal(parse(&a, buf_str(&b), &ys, &err), -1);
    assert_null(
        strstr(err.msg, "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS"));
    /* not duplicates: merged keys yield to explicit ones, equal values */
    assert_int_equal(parse(&a, "base: &b {x: 1}\nm: {<<: *b, x: 2}\nn: {x: 1, y: 1}\n", &ys, &err),
                     0);
    buf_release(&b);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_merge_large_mapping),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_alias_bomb_refused),
        cmocka_unit_test(test_alias_budget_per_file),
        cmocka_unit_test(test_alias_budget_per_byte),
        cmocka_unit_test(test_deep_nesting_refused),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_unknown_alias),
        cmocka_unit_test(test_multi_documents_and_nulls),
        cmocka_unit_test(test_many_documents),
        cmocka_unit_test(test_quoted_is_not_null),
        cmocka_unit_test(test_alias_budget_beyond_32_bits),
        cmocka_unit_test(test_str_tag_is_quoted),
        cmocka_unit_test(test_empty_flow_collection_first),
        cmocka_unit_test(test_duplicate_keys_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
