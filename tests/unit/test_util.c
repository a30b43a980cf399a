/* util: text made safe for a terminal. */
#include "testutil.h"

#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

static const char *printable(struct buf *b, const char *s)
{
    buf_reset(b);
    buf_put_printable(b, s);
    return buf_str(b);
}

static void test_put_printable(void **state)
{
    (void)state;
    struct buf b = BUF_INIT;
    /* a group id chosen by a client must not drive the terminal */
    assert_string_equal(printable(&b, "grp\033[31mRED\033[0m"), "grp?[31mRED?[0m");
    assert_string_equal(printable(&b, "a\tb\r\nc\x7f"), "a b??c?");
    /* C1 controls (U+0080..U+009F, e.g. U+009B CSI) and invalid UTF-8 */
    assert_string_equal(printable(&b, "x\xc2\x9b" "1m"), "x?1m");
    assert_string_equal(printable(&b, "bad\xff\xfe"), "bad??");
    /* well-formed UTF-8 is kept */
    assert_string_equal(printable(&b, "\xc3\xbcn\xc3\xaf-\xe3\x82\xb0"), "\xc3\xbcn\xc3\xaf-\xe3\x82\xb0");
    assert_int_equal(utf8_width("\xc3\xbcn\xc3\xaf", 5), 3);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_printable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
