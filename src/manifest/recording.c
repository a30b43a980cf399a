/*
 * recording.c - write and read `kafkaudit top` recordings (see recording.h).
 */
#define _GNU_SOURCE /* memmem */
#include "manifest/recording.h"
#include "manifest/manifest.h"
#include "util/arena.h"
#include "util/xalloc.h"
#include "syntax/ynode.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- writing ------------------------------------------------------------------ */

struct saved {
    struct object *o;
    struct setting *cfg;
};

/* Give o a copy of its settings without the DEFAULT_CONFIG ones. */
static void strip(struct arena *a, struct object *o, struct saved **sv, uint32_t *n, uint32_t *cap)
{
    bool any = false;
    for (struct setting *s = o->cfg; s && !any; s = s->next)
        any = s->origin == ORIG_LIVE && s->live_source == LS_DEFAULT;
    if (!any)
        return;
    XGROW(*sv, *cap, *n + 1);
    (*sv)[(*n)++] = (struct saved){o, o->cfg};
    struct setting *head = NULL, **tail = &head;
    for (struct setting *s = o->cfg; s; s = s->next) {
        if (s->origin == ORIG_LIVE && s->live_source == LS_DEFAULT)
            continue;
        struct setting *c = ARENA_NEW(a, struct setting);
        *c = *s;
        c->next = NULL;
        *tail = c;
        tail = &c->next;
    }
    o->cfg = head;
}

int record_write(FILE *out, struct model *m, const char *comment)
{
    struct arena a;
    arena_init(&a);
    struct saved *sv = NULL;
    uint32_t n = 0, cap = 0;
    strip(&a, &m->cluster.o, &sv, &n, &cap);
    for (uint32_t i = 0; i < m->nbrokers; i++)
        strip(&a, &m->brokers[i]->o, &sv, &n, &cap);
    for (uint32_t i = 0; i < m->ntopics; i++)
        strip(&a, &m->topics[i]->o, &sv, &n, &cap);
    fputs("---\n", out);
    manifest_write_opts(out, m, comment, MW_TIME_MS);
    for (uint32_t i = 0; i < n; i++)
        sv[i].o->cfg = sv[i].cfg;
    free(sv);
    arena_release(&a);
    if (fflush(out) != 0 || ferror(out))
        return -1;
    return 0;
}

/* ---- reading ------------------------------------------------------------------ */

static int64_t days_from_civil(int64_t y, unsigned mo, unsigned d)
{
    /* Howard Hinnant's algorithm: days since 1970-01-01 */
    y -= mo <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const char *s, size_t n, size_t at, size_t len, int64_t *out)
{
    if (at + len > n)
        return -1;
    int64_t v = 0;
    for (size_t i = at; i < at + len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int64_t parse_iso_time_ms(const char *s, size_t n)
{
    int64_t y, mo, d, h, mi, se, ms = 0;
    if (digits(s, n, 0, 4, &y) || n < 20 || s[4] != '-' || digits(s, n, 5, 2, &mo) || s[7] != '-' ||
        digits(s, n, 8, 2, &d) || (s[10] != 'T' && s[10] != ' ') || digits(s, n, 11, 2, &h) ||
        s[13] != ':' || digits(s, n, 14, 2, &mi) || s[16] != ':' || digits(s, n, 17, 2, &se))
        return -1;
    size_t i = 19;
    if (i < n && s[i] == '.') {
        int64_t scale = 100;
        for (i++; i < n && isdigit((unsigned char)s[i]); i++, scale /= 10)
            ms += (s[i] - '0') * scale;
    }
    if (i >= n || s[i] != 'Z')
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
    return ((days * 24 + h) * 60 + mi) * 60000 + se * 1000 + ms;
}

/* collected_at of the cluster of one document, by a text scan (the
 * writer's layout: "  collected_at: "..."" under "cluster:"). */
static int64_t doc_time(const char *s, size_t n)
{
    static const char key[] = "\n  collected_at:";
    const char *end = s + n;
    for (const char *p = s; p && p < end;) {
        p = memmem(p, (size_t)(end - p), key, sizeof key - 1);
        if (!p)
            break;
        p += sizeof key - 1;
        while (p < end && (*p == ' ' || *p == '"' || *p == '\''))
            p++;
        const char *e = p;
        while (e < end && *e != '"' && *e != '\'' && *e != '\n')
            e++;
        int64_t t = parse_iso_time_ms(p, (size_t)(e - p));
        if (t >= 0)
            return t;
    }
    return -1;
}

static bool is_sep(const char *p, const char *end)
{
    if (end - p < 3 || memcmp(p, "---", 3) != 0)
        return false;
    p += 3;
    return p == end || *p == '\n' || *p == '\r' || *p == ' ' || *p == '\t';
}

static bool has_content(const char *p, const char *end)
{
    while (p < end) {
        const char *le = memchr(p, '\n', (size_t)(end - p));
        le = le ? le : end;
        const char *c = p;
        while (c < le && (*c == ' ' || *c == '\t' || *c == '\r'))
            c++;
        if (c < le && *c != '#')
            return true;
        p = le + 1;
    }
    return false;
}

static void add_doc(struct replay *r, uint32_t *cap, const char *s, const char *doc,
                    const char *end, uint32_t line)
{
    if (!has_content(doc, end))
        return; /* only comments and blank lines */
    XGROW(r->docs, *cap, r->ndocs + 1);
    r->docs[r->ndocs++] = (struct replay_doc){(size_t)(doc - s), (size_t)(end - doc), line, -1};
}

/* No line of a recording is this long (a sample's longest line is a
 * topic or group name, a setting's value). */
#define RECORDING_MAX_LINE ((size_t)16 << 20)

/* Read a recording, refusing what cannot be one as soon as it shows: a NUL
 * byte (binary data), a line longer than any a recording holds.  `top --replay /dev/zero` once read
 * toward 4 GiB before saying anything. */
static int read_recording(struct buf *b, const char *path, size_t max_bytes, char *err, size_t errn)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return fail(err, errn, "cannot read recording '%s': %s", path, strerror(errno));
    char chunk[65536];
    size_t n, line_len = 0;
    uint32_t line = 1;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        const char *nul = memchr(chunk, '\0', n);
        if (nul) {
            rc = fail(err, errn, "'%s' is not a recording: binary data (a NUL byte) at line %u",
                      path, line);
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (chunk[i] != '\n') {
                line_len++;
                continue;
            }
            line_len = 0;
            line++;
        }
        if (line_len > RECORDING_MAX_LINE)
            rc = fail(err, errn, "%s:%u: line longer than %u MiB; not a recording", path, line,
                      (unsigned)(RECORDING_MAX_LINE >> 20));
        else if (b->len + n > max_bytes)
            rc = fail(err, errn, "cannot read recording '%s': file too large", path);
        else
            buf_add(b, chunk, n);
    }
    if (!rc && ferror(f))
        rc = fail(err, errn, "cannot read recording '%s': %s", path, strerror(errno));
    if (f != stdin)
        fclose(f);
    return rc;
}

int replay_open(struct replay *r, const char *path, size_t max_bytes, char *err, size_t errn)
{
    memset(r, 0, sizeof *r);
    if (read_recording(&r->data, path, max_bytes, err, errn) < 0) {
        buf_release(&r->data);
        return -1;
    }
    r->path = xstrdup(path);
    const char *s = buf_str(&r->data), *end = s + r->data.len;
    const char *doc = s, *p = s;
    uint32_t cap = 0, line = 1, start = 1;
    while (p < end) {
        const char *le = memchr(p, '\n', (size_t)(end - p));
        le = le ? le : end;
        if (is_sep(p, le)) {
            add_doc(r, &cap, s, doc, p, start);
            doc = le < end ? le + 1 : end;
            start = line + 1;
        }
        p = le < end ? le + 1 : end;
        line++;
    }
    add_doc(r, &cap, s, doc, end, start);
    if (!r->ndocs) {
        replay_close(r);
        return fail(err, errn, "recording '%s' holds no documents", path);
    }
    int64_t prev = -1;
    for (uint32_t i = 0; i < r->ndocs; i++) {
        int64_t t = doc_time(s + r->docs[i].off, r->docs[i].len);
        if (t < 0)
            t = prev >= 0 ? prev + 1000 : 0; /* no time: one second after the previous */
        if (prev >= 0 && t < prev)
            t = prev;
        r->docs[i].t = prev = t;
    }
    return 0;
}

int replay_load(const struct replay *r, uint32_t i, struct model *m, char *err, size_t errn)
{
    if (i >= r->ndocs)
        return fail(err, errn, "no document %u in '%s'", i + 1, r->path);
    const struct replay_doc *d = &r->docs[i];
    char *text = xstrndup(buf_str(&r->data) + d->off, d->len);
    uint32_t file = source_set_add(&m->sources, r->path, text, d->len);
    const struct src_file *sf = source_get(&m->sources, file);
    struct ystream ys;
    struct yerror ye;
    uint32_t l0 = d->line - 1; /* positions are relative to the document */
    if (ydoc_parse(&m->arena, sf->data, sf->len, &ylimits_default, &ys, &ye) < 0)
        return fail(err, errn, "%s:%u:%u: %s", r->path, ye.line + l0, ye.col, ye.msg);
    if (ys.ndocs != 1 || !ys.docs[0].root)
        return fail(err, errn, "%s:%u: expected one manifest document", r->path, d->line);
    read_manifest_doc(m, file, ys.docs[0].root);
    if (m->diags.nerrors) {
        for (uint32_t k = 0; k < m->diags.n; k++)
            if (m->diags.v[k].sev == DIAG_ERROR)
                return fail(err, errn, "%s:%u:%u: %s", r->path, m->diags.v[k].loc.line + l0,
                            m->diags.v[k].loc.col, m->diags.v[k].msg);
    }
    m->cluster.collected_at_ms = d->t;
    model_finalize(m);
    return 0;
}

void replay_close(struct replay *r)
{
    buf_release(&r->data);
    free(r->docs);
    free(r->path);
    memset(r, 0, sizeof *r);
}
