/* util: text made safe for a terminal; buffers read from files. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* An empty file reads as "", terminated: buf_read_file sizes the buffer
 * from the file before reading, and the text is then used as a C string
 * (a suppression scan of an empty file once read past the allocation). */
static void test_read_empty_file(void **state)
{
    (void)state;
    char path[] = "/tmp/kafkaudit-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct buf b = BUF_INIT;
    assert_int_equal(buf_read_file(&b, path, 1024), 0);
    assert_int_equal(b.len, 0);
    assert_non_null(b.p);
    assert_string_equal(b.p, "");
    buf_release(&b);
    /* a first allocation of any size is an empty string */
    buf_grow(&b, 100);
    assert_string_equal(b.p, "");
    buf_release(&b);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_printable),
        cmocka_unit_test(test_read_empty_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
