#include "syntax/source.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void source_set_init(struct source_set *s)
{
    s->files = NULL;
    s->n = s->cap = 0;
}

void source_set_release(struct source_set *s)
{
    for (uint32_t i = 0; i < s->n; i++) {
        free(s->files[i].path);
        free(s->files[i].data);
        free(s->files[i].line_starts);
        free(s->files[i].hide_col);
    }
    free(s->files);
    source_set_init(s);
}

uint32_t source_set_add(struct source_set *s, const char *path, char *data, size_t len)
{
    XGROW(s->files, s->cap, s->n + 1);
    struct src_file *f = &s->files[s->n++];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(path);
    f->data = data;
    f->len = len;
    return s->n;
}

const struct src_file *source_get(const struct source_set *s, uint32_t id)
{
    if (id == 0 || id > s->n)
        return NULL;
    return &s->files[id - 1];
}

const char *source_path(const struct source_set *s, uint32_t id)
{
    const struct src_file *f = source_get(s, id);
    return f ? f->path : NULL;
}

static void index_lines(struct src_file *f)
{
    uint32_t n = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] == '\n')
            n++;
    f->line_starts = xcalloc(n, sizeof(uint32_t));
    f->line_starts[0] = 0;
    uint32_t k = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] == '\n')
            f->line_starts[k++] = (uint32_t)(i + 1);
    f->nlines = n;
}

const char *source_line(const struct source_set *s, uint32_t id, uint32_t line, size_t *len)
{
    if (id == 0 || id > s->n || line == 0)
        return NULL;
    struct src_file *f = &s->files[id - 1];
    if (!f->line_starts)
        index_lines(f);
    if (line > f->nlines)
        return NULL;
    const char *start = f->data + f->line_starts[line - 1];
    const char *end = memchr(start, '\n', f->len - f->line_starts[line - 1]);
    size_t l = end ? (size_t)(end - start) : f->len - f->line_starts[line - 1];
    if (l && start[l - 1] == '\r')
        l--;
    *len = l;
    return start;
}

/* f's lines are indexed (source_line was called) */
static void add_hide(struct src_file *f, uint32_t line, uint32_t col)
{
    if (line == 0 || line > f->nlines || col == 0)
        return;
    if (!f->hide_col)
        f->hide_col = xcalloc(f->nlines, sizeof *f->hide_col);
    uint32_t *c = &f->hide_col[line - 1];
    if (!*c || col < *c)
        *c = col;
}

static size_t indent_of(const char *t, size_t len)
{
    size_t i = 0;
    while (i < len && (t[i] == ' ' || t[i] == '\t'))
        i++;
    return i;
}

/* The last line of a quoted value that opens at t[c] on line. */
static uint32_t closing_quote_line(const struct source_set *s, uint32_t id, uint32_t line, size_t c)
{
    size_t len;
    const char *t = source_line(s, id, line, &len);
    char q = t[c];
    size_t i = c + 1;
    /* a runaway quote hides at most this many more lines */
    for (uint32_t l = line; l < line + 200 && t; l++) {
        for (; i < len; i++) {
            if (q == '"' && t[i] == '\\')
                i++;
            else if (t[i] == q) {
                if (q == '\'' && i + 1 < len && t[i + 1] == '\'')
                    i++; /* YAML's '' inside single quotes */
                else
                    return l;
            }
        }
        t = source_line(s, id, l + 1, &len);
        i = 0;
    }
    return line + 200;
}

void source_hide(struct source_set *s, uint32_t id, uint32_t line, uint32_t col)
{
    size_t len;
    const char *t = source_line(s, id, line, &len);
    if (!t)
        return;
    struct src_file *f = &s->files[id - 1];
    if (col == 0)
        col = 1;
    size_t c = col - 1 < len ? col - 1 : len;
    add_hide(f, line, (uint32_t)c + 1);
    /* a YAML tag or anchor before the value: what matters is past it */
    while (c < len && (t[c] == '!' || t[c] == '&')) {
        while (c < len && t[c] != ' ' && t[c] != '\t')
            c++;
        while (c < len && (t[c] == ' ' || t[c] == '\t'))
            c++;
    }
    uint32_t last = line;
    if (c < len && (t[c] == '"' || t[c] == '\'')) {
        last = closing_quote_line(s, id, line, c);
    } else if (c < len && (t[c] == '|' || t[c] == '>')) {
        /* a YAML block scalar: the lines indented deeper than its key's */
        size_t key_indent = indent_of(t, len), l2;
        for (uint32_t l = line + 1;; l++) {
            const char *u = source_line(s, id, l, &l2);
            if (!u)
                break;
            size_t in = indent_of(u, l2);
            if (in < l2 && in <= key_indent)
                break;
            last = l;
        }
    } else {
        /* a .properties value continues while its line ends in an odd
         * number of backslashes */
        for (uint32_t l = line;; l++) {
            size_t l2, n = 0;
            const char *u = source_line(s, id, l, &l2);
            if (!u)
                break;
            while (n < l2 && u[l2 - 1 - n] == '\\')
                n++;
            if (n % 2 == 0)
                break;
            last = l + 1;
        }
    }
    for (uint32_t l = line + 1; l <= last && l <= f->nlines; l++)
        add_hide(f, l, 1);
}

/* A line that names a secret ("ssl.keystore.password=...",
 * "KAFKA_SASL_JAAS_CONFIG: ...") but that no setting came from (a file
 * that failed to parse, a line a reader skipped): the column after the
 * name's '=' or ':', or 0. */
static uint32_t named_secret_col(const char *t, size_t len)
{
    char low[512];
    size_t n = len < sizeof low ? len : sizeof low;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)t[i]);
    size_t best = n;
    for (int w = 0; secret_words[w]; w++) {
        const char *word = secret_words[w];
        size_t wl = strlen(word);
        for (size_t i = 0; i + wl <= n; i++)
            if (memcmp(low + i, word, wl) == 0) {
                for (size_t j = i + wl; j < n; j++)
                    if (low[j] == '=' || low[j] == ':') {
                        if (j + 1 < best)
                            best = j + 1;
                        break;
                    }
                break;
            }
    }
    if (best >= len)
        return 0;
    while (best < len && (t[best] == ' ' || t[best] == '\t'))
        best++;
    return (uint32_t)best + 1;
}

void source_hide_lines(struct source_set *s, uint32_t id, uint32_t from, uint32_t to)
{
    size_t len;
    if (!source_line(s, id, from, &len))
        return;
    struct src_file *f = &s->files[id - 1];
    for (uint32_t l = from; l <= to && l <= f->nlines; l++)
        add_hide(f, l, 1);
}

uint32_t source_hidden_from(const struct source_set *s, uint32_t id, uint32_t line)
{
    const struct src_file *f = source_get(s, id);
    if (!f)
        return 0;
    if (f->hide_col && line >= 1 && line <= f->nlines && f->hide_col[line - 1])
        return f->hide_col[line - 1];
    size_t len;
    const char *t = source_line(s, id, line, &len);
    return t ? named_secret_col(t, len) : 0;
}

const char *const secret_words[] = {
    "pass",      "pwd",         "secret",  "jaas",         "credential", "token",
    "user.info", "private.key", "key.pem", "keystore.key", "ssl_key",    NULL,
};

static char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* by_first[c - 'a']: the secret_words beginning with letter c, one bit
 * per word. */
static uint32_t by_first[26];
static pthread_once_t by_first_once = PTHREAD_ONCE_INIT;

static void index_words(void)
{
    for (int w = 0; secret_words[w]; w++)
        by_first[secret_words[w][0] - 'a'] |= 1u << w;
}

/* Any secret word in the name's first 255 characters, in any case.  One
 * pass that tries the words only where their first letter stands: every
 * key of every object is asked, and eleven searches of a lowered copy
 * were a tenth of reading a manifest. */
bool name_sounds_secret(const char *name)
{
    pthread_once(&by_first_once, index_words);
    size_t n = strnlen(name, 255);
    for (size_t i = 0; i < n; i++) {
        char c = lower_ascii(name[i]);
        if (c < 'a' || c > 'z')
            continue;
        for (uint32_t ws = by_first[c - 'a']; ws; ws &= ws - 1) {
            const char *sw = secret_words[__builtin_ctz(ws)];
            size_t k = 1;
            while (sw[k] && i + k < n && lower_ascii(name[i + k]) == sw[k])
                k++;
            if (!sw[k])
                return true;
        }
    }
    return false;
}
