/* util: text made safe for a terminal; buffers read from files; arenas,
 * hash maps; the JSON writer; secrets
 * hidden in quoted source lines. */
#include "testutil.h"

#include <ctype.h>
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
    assert_ptr_equal(arena_alloc(&b, 16), p + (100 + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN);

    /* after a reset, spares smaller than the reserve are freed */
    arena_reset(&a);
    assert_non_null(a.spare);
    arena_reserve(&a, 5u << 20);
    assert_null(a.spare);
    alloc_contiguous(&a, 5u << 20);
    arena_release(&a);
    arena_release(&b);
}

/* Blocks are aligned for pointers and 64-bit numbers and no more: 40-byte
 * objects (a tree node) follow each other without padding. */
static void test_arena_align(void **state)
{
    (void)state;
    struct arena a;
    arena_init(&a);
    unsigned char *p = arena_alloc(&a, 40), *q = arena_alloc(&a, 40);
    assert_int_equal((uintptr_t)p % _Alignof(void *), 0);
    assert_int_equal((uintptr_t)p % _Alignof(double), 0);
    assert_ptr_equal(q, p + 40);
    char *s = arena_strndup(&a, "abc", 3);
    uint64_t *u = arena_alloc(&a, sizeof *u);
    assert_ptr_equal((unsigned char *)s, q + 40);
    assert_int_equal((uintptr_t)u % ARENA_ALIGN, 0);
    assert_true((unsigned char *)u >= (unsigned char *)s + 4);
    assert_true((unsigned char *)u < (unsigned char *)s + 4 + ARENA_ALIGN);
    arena_release(&a);
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
    /* reserved ahead: one table, no growth while the entries come */
    hmap_init(&m);
    hmap_put(&m, keys[0], (void *)1);
    hmap_reserve(&m, N);
    size_t cap = m.cap;
    assert_true(cap >= 2 * (N + 1));
    for (uintptr_t i = 1; i <= N - 1; i++)
        hmap_put(&m, keys[i], (void *)(i + 1));
    assert_int_equal(m.cap, cap);
    assert_int_equal(m.len, N);
    for (uintptr_t i = 0; i < N; i += 7)
        assert_ptr_equal(hmap_get(&m, keys[i]), (void *)(i + 1));
    hmap_release(&m);
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

/* Every single byte as a JSON string, between two plain letters. */
static void test_json_escape_bytes(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        char *out = NULL;
        size_t outlen = 0;
        FILE *f = open_memstream(&out, &outlen);
        assert_non_null(f);
        struct jw *w = malloc(sizeof *w);
        assert_non_null(w);
        jw_init(w, f, false);
        char in[3] = {'a', (char)c, 'b'};
        jw_strn(w, in, 3);
        jw_flush(w);
        fclose(f);
        free(w);
        char want[16];
        const char *short_form = c == '"'    ? "\\\""
                                 : c == '\\' ? "\\\\"
                                 : c == '\n' ? "\\n"
                                 : c == '\r' ? "\\r"
                                 : c == '\t' ? "\\t"
                                 : c == '\b' ? "\\b"
                                 : c == '\f' ? "\\f"
                                             : NULL;
        if (short_form)
            snprintf(want, sizeof want, "\"a%sb\"", short_form);
        else if (c < 0x20)
            snprintf(want, sizeof want, "\"a\\u%04xb\"", (unsigned)c);
        else if (c >= 0x80)
            snprintf(want, sizeof want, "\"a\\ufffdb\""); /* a lone byte is not UTF-8 */
        else
            snprintf(want, sizeof want, "\"a%cb\"", c);
        assert_string_equal(out, want);
        free(out);
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

/* Integers: the whole range, one past it refused at either end. */
static void test_to_i64(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(str_to_i64("9223372036854775807", &v), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(str_to_i64("-9223372036854775808", &v), 0);
    assert_true(v == INT64_MIN);
    assert_int_equal(str_to_i64("9223372036854775808", &v), -1);
    assert_int_equal(str_to_i64("-9223372036854775809", &v), -1);
    assert_int_equal(str_to_i64("92233720368547758070", &v), -1);
    assert_int_equal(str_to_i64("+604800000", &v), 0);
    assert_true(v == 604800000);
    assert_int_equal(str_to_i64("-0", &v), 0);
    assert_true(v == 0);
    assert_int_equal(str_to_i64("-", &v), -1);
    assert_int_equal(str_to_i64("", &v), -1);
    assert_int_equal(str_to_i64("12a", &v), -1);
    assert_int_equal(str_to_i64(" 1", &v), -1);
    /* doubles: integers take a short way, with strtod's answers */
    const char *ds[] = {"0",
                        "7",
                        "+3",
                        "1e3",
                        "0.5",
                        "9007199254740993",
                        "-0",
                        "-12",
                        "12.",
                        "1.5e-3",
                        "9223372036854775807",
                        "inf",
                        "0x10",
                        "12abc",
                        " 1",
                        ""};
    for (size_t k = 0; k < sizeof ds / sizeof ds[0]; k++) {
        double d = 42, ref;
        char *end;
        int rc = str_to_double(ds[k], &d);
        bool ok = ds[k][0] && ds[k][0] != ' ' && (ref = strtod(ds[k], &end), !*end);
        assert_int_equal(rc, ok ? 0 : -1);
        if (ok)
            assert_memory_equal(&d, &ref, sizeof d); /* same bits: -0 stays -0 */
    }
}

/* The hand-made key formatting agrees with printf's. */
static void test_put_digits(void **state)
{
    (void)state;
    const uint64_t vs[] = {0, 1, 9, 10, 15, 16, 255, 4096, 123456789, UINT32_MAX, UINT64_MAX};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        char a[40], b[40];
        *str_put_u64(a, vs[i]) = '\0';
        snprintf(b, sizeof b, "%" PRIu64, vs[i]);
        assert_string_equal(a, b);
        *str_put_hex(a, vs[i], 0) = '\0';
        snprintf(b, sizeof b, "%" PRIx64, vs[i]);
        assert_string_equal(a, b);
        *str_put_hex(a, vs[i], 16) = '\0';
        snprintf(b, sizeof b, "%016" PRIx64, vs[i]);
        assert_string_equal(a, b);
    }
}

/* name_sounds_secret written the slow way: a lowered copy of the first
 * 255 characters searched for each word. */
static bool reference_sounds_secret(const char *name)
{
    char low[256];
    size_t n = strlen(name);
    if (n > 255)
        n = 255;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[n] = '\0';
    for (int i = 0; secret_words[i]; i++)
        if (strstr(low, secret_words[i]))
            return true;
    return false;
}

/* Secret-sounding names: any word, any case, anywhere in the first 255
 * characters (a word cut by that limit does not count). */
static void test_sounds_secret(void **state)
{
    (void)state;
    /* random names from the words' letters agree with the slow search */
    static const char letters[] = "paswordPASWORDecrtjkyinful._-Kx";
    uint32_t seed = 12345;
    char name[320];
    unsigned hits = 0;
    for (int t = 0; t < 20000; t++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % (t < 19000 ? 24 : 300);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            name[i] = letters[(seed >> 16) % (sizeof letters - 1)];
        }
        name[len] = '\0';
        if (t % 3 == 0 && len > 12) { /* plant a word, in mixed case */
            const char *w = secret_words[(seed >> 8) % 11];
            size_t at = (seed >> 4) % (len - 12 + 1), wl = strlen(w);
            for (size_t i = 0; i < wl && at + i < len; i++)
                name[at + i] = (char)((i % 2) ? toupper((unsigned char)w[i]) : w[i]);
        }
        bool want = reference_sounds_secret(name);
        hits += want;
        assert_int_equal(name_sounds_secret(name), want);
    }
    assert_true(hits > 1000);
    assert_true(name_sounds_secret("ssl.keystore.password"));
    assert_true(name_sounds_secret("DB_PWD"));
    assert_true(name_sounds_secret("sasl.JAAS.config"));
    assert_true(name_sounds_secret("x.Private.Key"));
    assert_true(name_sounds_secret("ssl.key.pem"));
    assert_true(name_sounds_secret("basic.auth.user.info"));
    assert_true(name_sounds_secret("pass"));
    assert_true(name_sounds_secret("my_ssl_key"));
    assert_false(name_sounds_secret("retention.ms"));
    assert_false(name_sounds_secret("pas"));
    assert_false(name_sounds_secret("private.ke"));
    assert_false(name_sounds_secret(""));
    char longname[300];
    memset(longname, 'a', sizeof longname);
    memcpy(longname + 250, "token", 5);
    longname[255] = '\0';
    assert_true(name_sounds_secret(longname)); /* ends at 254 */
    memset(longname, 'a', sizeof longname);
    memcpy(longname + 252, "token", 5);
    longname[299] = '\0';
    assert_false(name_sounds_secret(longname)); /* cut at 255 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_printable),     cmocka_unit_test(test_put_digits),
        cmocka_unit_test(test_sounds_secret),     cmocka_unit_test(test_to_i64),
        cmocka_unit_test(test_placeholders),      cmocka_unit_test(test_read_empty_file),
        cmocka_unit_test(test_read_file_exact),   cmocka_unit_test(test_arena_zeroing),
        cmocka_unit_test(test_arena_reserve),     cmocka_unit_test(test_arena_align),
        cmocka_unit_test(test_hmap_large),        cmocka_unit_test(test_json_writer_buffer),
        cmocka_unit_test(test_json_escape_bytes), cmocka_unit_test(test_nearest),
        cmocka_unit_test(test_source_hide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
