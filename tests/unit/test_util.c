/* util: text made safe for a terminal; buffers read from files; arenas. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/arena.h"
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

/* A regular file is read into a buffer of exactly its size (plus the
 * terminating NUL): a 500 KB file once took a 1 MB buffer. */
static void test_read_file_exact(void **state)
{
    (void)state;
    char path[] = "/tmp/kafkaudit-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = 300000;
    char *text = malloc(n);
    for (size_t i = 0; i < n; i++)
        text[i] = (char)('a' + i % 26);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    struct buf b = BUF_INIT;
    assert_int_equal(buf_read_file(&b, path, n), 0);
    assert_int_equal(b.len, n);
    assert_int_equal(b.cap, n + 1);
    assert_memory_equal(b.p, text, n);
    assert_int_equal(b.p[n], '\0');
    buf_release(&b);
    /* one byte over the limit is refused before reading */
    assert_int_equal(buf_read_file(&b, path, n - 1), -1);
    buf_release(&b);
    free(text);
    unlink(path);
}

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* Fill an arena with blocks of mixed sizes (small malloc'ed chunks and
 * large mapped ones), each checked zero and then dirtied. */
static void fill_dirty(struct arena *a, size_t total)
{
    size_t sizes[] = {8, 24, 100, 4000, 70000, 300000};
    for (size_t got = 0, i = 0; got < total; got += sizes[i % 6], i++) {
        unsigned char *p = arena_alloc(a, sizes[i % 6]);
        assert_true(all_zero(p, sizes[i % 6]));
        memset(p, 0xa5, sizes[i % 6]);
    }
}

/* Memory handed out again, after a reset or by another arena that
 * adopted it, is zero like fresh memory. */
static void test_arena_zeroing(void **state)
{
    (void)state;
    struct arena a, b;
    arena_init(&a);
    arena_init(&b);
    fill_dirty(&a, 4u << 20);
    arena_reset(&a);
    assert_int_equal(a.used_total, 0);
    fill_dirty(&a, 4u << 20);
    /* b takes a's chunks: a is empty and usable, b's blocks are zero */
    arena_adopt(&b, &a);
    assert_null(a.head);
    assert_null(a.spare);
    assert_non_null(b.spare);
    fill_dirty(&b, 6u << 20);
    fill_dirty(&a, 1u << 20);
    arena_release(&a);
    arena_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_printable),
        cmocka_unit_test(test_read_empty_file),
        cmocka_unit_test(test_read_file_exact),
        cmocka_unit_test(test_arena_zeroing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
