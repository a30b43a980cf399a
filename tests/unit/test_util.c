/* util: text made safe for a terminal; buffers read from files; arenas,
 * hash maps; the JSON writer; secrets
 * hidden in quoted source lines. */
#include "testutil.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "syntax/source.h"
#include "util/strutil.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/json_writer.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/utf8.h"
#include "util/xalloc.h"

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
    assert_string_equal(printable(&b, "x\xc2\x9b"
                                      "1m"),
                        "x?1m");
    assert_string_equal(printable(&b, "bad\xff\xfe"), "bad??");
    /* well-formed UTF-8 is kept */
    assert_string_equal(printable(&b, "\xc3\xbcn\xc3\xaf-\xe3\x82\xb0"),
                        "\xc3\xbcn\xc3\xaf-\xe3\x82\xb0");
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

/* n bytes in 1 KiB pieces from a, each right after the one before. */
static void alloc_contiguous(struct arena *a, size_t n)
{
    unsigned char *first = arena_alloc(a, 1024), *prev = first;
    assert_true(all_zero(first, 1024));
    for (size_t i = 1; i < n / 1024; i++) {
        unsigned char *p = arena_alloc(a, 1024);
        assert_ptr_equal(p, prev + 1024);
        assert_true(all_zero(p, 1024));
        memset(p, 0x5a, 1024);
        prev = p;
    }
}

/* arena_reserve(n): the next n bytes come from one chunk; a chunk with
 * room left is not abandoned; spare chunks too small are given back. */
static void test_arena_reserve(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    arena_reserve(&a, 3u << 20); /* an empty arena */
    alloc_contiguous(&a, 3u << 20);
    arena_reset(&a);             /* the chunk becomes a spare... */
    arena_reserve(&a, 3u << 20); /* ...and serves the reserve again */
    assert_null(a.spare);
    alloc_contiguous(&a, 3u << 20);

    /* much room left in the head: it stays in use */
    struct arena b;
    arena_init(&b);
    unsigned char *p = arena_alloc(&b, 100);
    arena_reserve(&b, 1u << 20);
    assert_ptr_equal(arena_alloc(&b, 16), p + 112);

    /* after a reset, spares smaller than the reserve are freed */
    arena_reset(&a);
    assert_non_null(a.spare);
    arena_reserve(&a, 5u << 20);
    assert_null(a.spare);
    alloc_contiguous(&a, 5u << 20);
    arena_release(&a);
    arena_release(&b);
}

/* A large table grows, finds and is released like a small one (sanitizer
 * builds check the memory). */
static void test_hmap_large(void **state)
{
    (void)state;
    enum { N = 40000 };
    char(*keys)[16] = calloc(N, sizeof *keys);
    assert_non_null(keys);
    struct hmap m;
    hmap_init(&m);
    for (uintptr_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "topic-%06u", (unsigned)i);
        assert_null(hmap_put(&m, keys[i], (void *)(i + 1)));
    }
    assert_int_equal(m.len, N);
    for (uintptr_t i = 0; i < N; i += 7)
        assert_ptr_equal(hmap_get(&m, keys[i]), (void *)(i + 1));
    assert_null(hmap_get(&m, "topic-x"));
    hmap_release(&m);
    assert_null(m.slots);
    free(keys);
}

/* The escaping every JSON string gets, written the slow way. */
static void reference_escape(struct buf *b, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            buf_printf(b, "\\%c", c);
            i++;
        } else if (c == '\n') {
            buf_puts(b, "\\n");
            i++;
        } else if (c < 0x20) {
            buf_printf(b, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            buf_putc(b, (char)c);
            i++;
        } else {
            size_t l = utf8_valid_seq((const char *)s + i, n - i);
            if (l)
                buf_add(b, s + i, l);
            else
                buf_puts(b, "\\ufffd");
            i += l ? l : 1;
        }
    }
}

/* The writer's buffer: pieces that straddle its end, strings longer than
 * it, escapes at its edge, and the unformatted helpers. */
static void test_json_writer_buffer(void **state)
{
    (void)state;
    enum { N = 3 * JW_BUF + 77 };
    unsigned char *s = malloc(N);
    assert_non_null(s);
    static const char *const pieces[] = {"abc",      "\"",   "\\",           "\n", "\x01",
                                         "\xc3\xa9", "\xff", "\xe2\x82\xac", "x"};
    size_t n = 0;
    for (unsigned i = 0; n < N - 4; i = (i * 7 + 3) % 9) {
        size_t l = strlen(pieces[i]);
        memcpy(s + n, pieces[i], l);
        n += l;
    }
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    assert_non_null(f);
    struct jw *w = malloc(sizeof *w);
    assert_non_null(w);
    jw_init(w, f, true);
    jw_obj_begin(w);
    for (int k = 0; k < 3; k++) {
        jw_key(w, "s");
        jw_strn(w, (const char *)s, n);
    }
    jw_kint(w, "min", INT64_MIN);
    jw_key(w, "raw");
    JW_LIT(w, "[");
    jw_lit_int(w, -42);
    JW_LIT(w, ",");
    jw_lit_str(w, NULL);
    JW_LIT(w, ",");
    jw_lit_str(w, "q\"");
    JW_LIT(w, "]");
    jw_obj_end(w);
    jw_end(w);
    fclose(f);

    struct buf want = BUF_INIT;
    buf_puts(&want, "{");
    for (int k = 0; k < 3; k++) {
        buf_puts(&want, k ? ",\n  \"s\": \"" : "\n  \"s\": \"");
        reference_escape(&want, s, n);
        buf_puts(&want, "\"");
    }
    buf_printf(&want, ",\n  \"min\": %" PRId64 ",\n  \"raw\": [-42,null,\"q\\\"\"]\n}\n",
               INT64_MIN);
    assert_int_equal(outlen, want.len);
    assert_memory_equal(out, buf_str(&want), outlen);
    buf_release(&want);
    free(out);
    free(w);
    free(s);
}

static void test_nearest(void **state)
{
    (void)state;
    static const char *const cmds[] = {"lint", "check", "snapshot", "isr", "lag", "top", NULL};
    assert_string_equal(nearest_in("lnt", cmds), "lint");
    assert_string_equal(nearest_in("chekc", cmds), "check"); /* a transposition is one edit */
    assert_null(nearest_in("xyz", cmds));
    assert_null(nearest_in("lintage", cmds)); /* 3 edits: too far */
    static const char *const ids[] = {"KA101", "KA108", "KA208", NULL};
    assert_string_equal(nearest_in("KA1O8", ids), "KA108");
    /* short words allow one edit only */
    static const char *const fmts[] = {"json", "text", NULL};
    assert_null(nearest_in("jn", fmts));
    assert_string_equal(nearest_in("jsn", fmts), "json");
    /* ties: the first offered; a closer one replaces it */
    struct nearest n;
    nearest_init(&n, "abcd", 2);
    assert_true(nearest_offer(&n, "abxy"));
    assert_false(nearest_offer(&n, "abzz"));
    assert_true(nearest_offer(&n, "abcx"));
    assert_string_equal(nearest_best(&n), "abcx");
    /* compared by one form, answered by another */
    nearest_init(&n, "bootstrapservers", 2);
    assert_true(nearest_offer_as(&n, "bootstrap-servers", "spring.kafka.bootstrap-servers"));
    assert_string_equal(nearest_best(&n), "spring.kafka.bootstrap-servers");
    assert_false(nearest_offer(&n, NULL));
}

static uint32_t add_text(struct source_set *ss, const char *text)
{
    return source_set_add(ss, "t", xstrdup(text), strlen(text));
}

/* source_hide: the rest of the value's line and the lines it continues
 * on, for each way a value continues; nothing else. */
static void test_source_hide(void **state)
{
    (void)state;
    struct source_set ss;
    source_set_init(&ss);
    uint32_t props = add_text(&ss, "a=1\n"                  /* 1 */
                                   "ssl.key.password=x\\\n" /* 2: continues */
                                   "   y\\\\\n"             /* 3: even: ends */
                                   "b=2\n");                /* 4 */
    source_hide(&ss, props, 2, 18);
    assert_int_equal(source_hidden_from(&ss, props, 1), 0);
    assert_int_equal(source_hidden_from(&ss, props, 2), 18);
    assert_int_equal(source_hidden_from(&ss, props, 3), 1);
    assert_int_equal(source_hidden_from(&ss, props, 4), 0);

    uint32_t yaml = add_text(&ss, "c:\n"                  /* 1 */
                                  "  p: \"one \\\" two\n" /* 2: escaped quote */
                                  "     three\" \n"       /* 3: closes */
                                  "  q: 'it''s\n"         /* 4: '' is a quote */
                                  "     x'\n"             /* 5: closes */
                                  "  r: |\n"              /* 6 */
                                  "    s1\n"              /* 7 */
                                  "\n"                    /* 8: blank */
                                  "    s2\n"              /* 9 */
                                  "  t: 1\n");            /* 10 */
    source_hide(&ss, yaml, 2, 6);
    source_hide(&ss, yaml, 4, 6);
    source_hide(&ss, yaml, 6, 6);
    assert_int_equal(source_hidden_from(&ss, yaml, 1), 0);
    assert_int_equal(source_hidden_from(&ss, yaml, 2), 6);
    assert_int_equal(source_hidden_from(&ss, yaml, 3), 1);
    assert_int_equal(source_hidden_from(&ss, yaml, 4), 6);
    assert_int_equal(source_hidden_from(&ss, yaml, 5), 1);
    assert_int_equal(source_hidden_from(&ss, yaml, 6), 6);
    assert_int_equal(source_hidden_from(&ss, yaml, 7), 1);
    assert_int_equal(source_hidden_from(&ss, yaml, 9), 1);
    assert_int_equal(source_hidden_from(&ss, yaml, 10), 0);
    /* a second secret earlier on a line moves the start back */
    source_hide(&ss, yaml, 6, 3);
    assert_int_equal(source_hidden_from(&ss, yaml, 6), 3);
    /* lines no setting came from: what follows a secret-sounding name */
    uint32_t raw = add_text(&ss, "  KAFKA_SASL_JAAS_CONFIG:  x y\n" /* 1 */
                                 "ssl.truststore.PASSWORD=z\n"      /* 2 */
                                 "note: no secret named here\n"     /* 3 */
                                 "the token endpoint\n");           /* 4 */
    assert_int_equal(source_hidden_from(&ss, raw, 1), 28);
    assert_int_equal(source_hidden_from(&ss, raw, 2), 25);
    assert_int_equal(source_hidden_from(&ss, raw, 3), 0);
    assert_int_equal(source_hidden_from(&ss, raw, 4), 0);
    /* out of range: nothing */
    source_hide(&ss, yaml, 99, 1);
    source_hide(&ss, 42, 1, 1);
    assert_int_equal(source_hidden_from(&ss, 42, 1), 0);
    source_set_release(&ss);
}

/* Template placeholders: each form is found, ordinary values are not. */
static void test_placeholders(void **state)
{
    (void)state;
    size_t n = 0;
    const char *p = str_placeholder("broker.id=${ BROKER_ID }", &n);
    assert_non_null(p);
    assert_int_equal(n, strlen("${ BROKER_ID }"));
    assert_non_null(str_placeholder("{{ .Values.replicationFactor }}", NULL));
    assert_non_null(str_placeholder("{% if x %}3{% endif %}", NULL));
    p = str_placeholder("PLAINTEXT://@HOST_IP@:9092", &n);
    assert_non_null(p);
    assert_int_equal(n, strlen("@HOST_IP@"));
    assert_non_null(str_placeholder("##MIN_ISR##", NULL));
    assert_non_null(str_placeholder("${file:/etc/kafka/secrets.properties:pw}", NULL));
    /* to the matching brace, however long */
    p = str_placeholder("zk=${ZK:-${ZK_HOST}:2181}/kafka", &n);
    assert_int_equal(n, strlen("${ZK:-${ZK_HOST}:2181}"));
    p = str_placeholder("a ${b ${c} d", &n); /* unbalanced: to the first '}' */
    assert_int_equal(n, strlen("${b ${c}"));
    static const char jinja[] =
        "{{ groups['zookeeper'] | map('regex_replace', '$', ':2181') | join(',') }}";
    p = str_placeholder(jinja, &n);
    assert_int_equal(n, strlen(jinja));
    /* not placeholders */
    assert_null(str_placeholder("all", NULL));
    assert_null(str_placeholder("kafka@example.com", NULL));
    assert_null(str_placeholder("a{b}c", NULL));
    assert_null(str_placeholder("$HOME/data", NULL));
    assert_null(str_placeholder("#1", NULL));
    assert_null(str_placeholder("@", NULL));
    assert_null(str_placeholder(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_printable),   cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_read_empty_file), cmocka_unit_test(test_read_file_exact),
        cmocka_unit_test(test_arena_zeroing),   cmocka_unit_test(test_arena_reserve),
        cmocka_unit_test(test_hmap_large),      cmocka_unit_test(test_json_writer_buffer),
        cmocka_unit_test(test_nearest),         cmocka_unit_test(test_source_hide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
