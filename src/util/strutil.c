#include "util/strutil.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int strn_to_i64(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n == 0)
        return -1;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
        if (n == 1)
            return -1;
    }
    uint64_t v = 0;
    uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    /* v * 10 + d <= lim without a division per digit */
    uint64_t lim10 = lim / 10, limd = lim % 10;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > lim10 || (v == lim10 && d > limd))
            return -1;
        v = v * 10 + d;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 0;
}

int str_to_i64(const char *s, int64_t *out) { return strn_to_i64(s, strlen(s), out); }

int str_to_double(const char *s, double *out)
{
    if (!*s || isspace((unsigned char)*s))
        return -1;
    /* most are integers (range bounds, sizes, times): converted exactly
     * as strtod would (both round to nearest), without it; "-0" keeps
     * strtod's sign */
    int64_t i;
    if (s[0] != '-' && str_to_i64(s, &i) == 0) {
        *out = (double)i;
        return 0;
    }
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*end || errno == ERANGE)
        return -1;
    *out = d;
    return 0;
}

int str_to_bool(const char *s, bool *out)
{
    if (str_ieq(s, "true")) {
        *out = true;
        return 0;
    }
    if (str_ieq(s, "false")) {
        *out = false;
        return 0;
    }
    return -1;
}

char *str_put_hex(char *p, uint64_t v, int width)
{
    static const char hex[] = "0123456789abcdef";
    int n = 1;
    for (uint64_t t = v >> 4; t; t >>= 4)
        n++;
    if (n < width)
        n = width;
    for (int i = n - 1; i >= 0; i--, v >>= 4)
        p[i] = hex[v & 15];
    return p + n;
}

char *str_put_u64(char *p, uint64_t v)
{
    char t[20];
    int n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    while (n)
        *p++ = t[--n];
    return p;
}

bool str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

bool str_ieq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
        a++, b++;
    }
    return *a == *b;
}

bool str_starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

unsigned str_distance(const char *a, const char *b, unsigned cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap + 1;
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    unsigned d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned rowmin = cap + 1;
        for (size_t j = 1; j <= lb; j++) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (rowmin > cap)
            return cap + 1;
    }
    return d[la][lb];
}

void nearest_init(struct nearest *n, const char *word, unsigned cap)
{
    n->word = word;
    n->best = NULL;
    n->cap = cap != NEAREST_AUTO ? cap : strlen(word) <= 4 ? 1 : 2;
    n->bestd = n->cap + 1;
}

bool nearest_offer_as(struct nearest *n, const char *key, const char *cand)
{
    if (!key || !cand)
        return false;
    unsigned d = str_distance(n->word, key, n->cap);
    if (d >= n->bestd)
        return false;
    n->bestd = d;
    n->best = cand;
    return true;
}

bool nearest_offer(struct nearest *n, const char *cand) { return nearest_offer_as(n, cand, cand); }

const char *nearest_in(const char *word, const char *const *list)
{
    struct nearest n;
    nearest_init(&n, word, NEAREST_AUTO);
    for (int i = 0; list[i]; i++)
        nearest_offer(&n, list[i]);
    return nearest_best(&n);
}

/* A duration in its two largest units, sep between them. */
static void duration(char *out, size_t n, int64_t ms, const char *sep)
{
    if (ms < 0) {
        snprintf(out, n, "-");
        return;
    }
    if (ms < 1000) {
        snprintf(out, n, "%" PRId64 "%s", ms, ms ? "ms" : "s");
        return;
    }
    int64_t s = ms / 1000;
    if (s < 60)
        snprintf(out, n, "%" PRId64 "s", s);
    else if (s < 3600)
        snprintf(out, n, "%" PRId64 "m%s%02" PRId64 "s", s / 60, sep, s % 60);
    else if (s < 86400)
        snprintf(out, n, "%" PRId64 "h%s%02" PRId64 "m", s / 3600, sep, (s % 3600) / 60);
    else
        snprintf(out, n, "%" PRId64 "d%s%02" PRId64 "h", s / 86400, sep, (s % 86400) / 3600);
}

void fmt_ms(char *out, size_t n, int64_t ms) { duration(out, n, ms, " "); }

void fmt_ms_compact(char *out, size_t n, int64_t ms) { duration(out, n, ms, ""); }

void fmt_count(char *out, size_t n, int64_t v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%" PRId64, v < 0 ? -v : v);
    size_t len = strlen(tmp), o = 0;
    char res[48];
    if (v < 0)
        res[o++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            res[o++] = ',';
        res[o++] = tmp[i];
    }
    res[o] = '\0';
    snprintf(out, n, "%s", res);
}

static bool token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

const char *str_placeholder(const char *s, size_t *len)
{
    if (!s)
        return NULL;
    /* Linear: a close that is not found after one opening is not after any
     * later one either, so each kind is searched for in vain at most once;
     * strpbrk skips the text between candidates. */
    bool no_brace = false, no_2brace = false, no_pct = false;
    for (const char *p = s; (p = strpbrk(p, "${@#")) != NULL; p++) {
        const char *end = NULL;
        if (p[0] == '$' && p[1] == '{' && !no_brace) {
            /* to its matching brace: "${ZK:-${ZK_HOST}:2181}" is one
             * placeholder; unbalanced, to the first '}' (after which the
             * function returns, so this scan runs once per call) */
            int depth = 1;
            for (const char *q = p + 2; *q && !end; q++)
                if (*q == '{')
                    depth++;
                else if (*q == '}' && --depth == 0)
                    end = q;
            if (!end)
                end = strchr(p + 2, '}');
            no_brace = !end;
        } else if (p[0] == '{' && ((p[1] == '{' && !no_2brace) || (p[1] == '%' && !no_pct))) {
            const char *close = strstr(p + 2, p[1] == '{' ? "}}" : "%}");
            if (!close)
                *(p[1] == '{' ? &no_2brace : &no_pct) = true;
            end = close ? close + 1 : NULL;
        } else if ((p[0] == '@' || (p[0] == '#' && p[1] == '#')) &&
                   (p == s || !token_char(p[-1]) || p[-1] == '#')) {
            size_t open = p[0] == '@' ? 1 : 2;
            const char *q = p + open;
            while (token_char(*q) && *q != '#')
                q++;
            if (q > p + open && strncmp(q, open == 1 ? "@" : "##", open) == 0 &&
                !token_char(q[open]))
                end = q + open - 1;
        }
        if (end && end > p + 1) {
            if (len)
                *len = (size_t)(end - p) + 1;
            return p;
        }
    }
    return NULL;
}
