/* Java .properties parsing (java.util.Properties.load semantics). */
#include "testutil.h"

#include <string.h>

#include "syntax/props.h"

static struct props P;
static struct arena A;

static const struct prop *get(const char *k)
{
    const struct prop *r = NULL;
    for (uint32_t i = 0; i < P.n; i++)
        if (strcmp(P.v[i].key, k) == 0)
            r = &P.v[i];
    return r;
}

static void parse(const char *s)
{
    props_release(&P);
    arena_release(&A);
    arena_init(&A);
    props_parse(&A, s, strlen(s), &P);
}

static void test_separators(void **state)
{
    (void)state;
    parse("a=1\nb: 2\nc 3\n  d  =  4  \ne=\nf\n");
    assert_string_equal(get("a")->value, "1");
    assert_string_equal(get("b")->value, "2");
    assert_string_equal(get("c")->value, "3");
    assert_string_equal(get("d")->value, "4");
    assert_string_equal(get("e")->value, "");
    assert_string_equal(get("f")->value, "");
    assert_int_equal(get("d")->key_col, 3);
    assert_int_equal(get("d")->val_col, 9);
    assert_int_equal(get("d")->line, 4);
}

static void test_comments_and_no_inline_comments(void **state)
{
    (void)state;
    parse("# a comment\n! another\nacks=all # not a comment\n");
    assert_int_equal(P.n, 1);
    assert_string_equal(get("acks")->value, "all # not a comment");
    assert_int_equal(P.ncomments, 2);
    assert_string_equal(P.comments[0].text, "a comment");
}

static void test_continuation_and_escapes(void **state)
{
    (void)state;
    parse("list=a,\\\n    b,\\\n    c\nx=tab\\there\nu=\\u0041\\u00e9\nk\\=ey=v\n");
    assert_string_equal(get("list")->value, "a,b,c");
    assert_int_equal(get("list")->line, 1);
    assert_string_equal(get("x")->value, "tab\there");
    assert_string_equal(get("u")->value, "A\xc3\xa9");
    assert_string_equal(get("k=ey")->value, "v");
}

static void test_crlf_and_bom(void **state)
{
    (void)state;
    parse("\xef\xbb\xbf"
          "a=1\r\nb=2\r\n");
    assert_string_equal(get("a")->value, "1");
    assert_string_equal(get("b")->value, "2");
    assert_int_equal(get("b")->line, 2);
}

static void test_even_backslashes_do_not_continue(void **state)
{
    (void)state;
    parse("p=C:\\\\\nq=2\n");
    assert_string_equal(get("p")->value, "C:\\");
    assert_string_equal(get("q")->value, "2");
}

static int teardown(void **state)
{
    (void)state;
    props_release(&P);
    arena_release(&A);
    return 0;
}

/* A template's own lines (Jinja/Go {% %}, {# #}, a line starting with
 * {{ }}) are no settings; placeholders in values stay values. */
static void test_template_lines(void **state)
{
    (void)state;
    parse("a=1\n{% if rack is defined %}\nbroker.rack={{ rack }}\n  {%- endif %}\n"
          "{# a comment #}\n{{ extra_config }}\n{{ k }}=v\nb=2\n");
    assert_int_equal(P.n, 3);
    assert_string_equal(get("a")->value, "1");
    assert_string_equal(get("broker.rack")->value, "{{ rack }}");
    assert_int_equal(get("broker.rack")->line, 3);
    assert_string_equal(get("b")->value, "2");
    assert_int_equal(get("b")->line, 8);
}

int main(void)
{
    arena_init(&A);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_comments_and_no_inline_comments),
        cmocka_unit_test(test_continuation_and_escapes),
        cmocka_unit_test(test_crlf_and_bom),
        cmocka_unit_test(test_even_backslashes_do_not_continue),
        cmocka_unit_test(test_template_lines),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
