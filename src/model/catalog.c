#include "model/catalog.h"
#include "syntax/source.h"
#include "util/hmap.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Chains of entries sharing a name (one per family group). */
struct chain {
    const struct cat_key *k;
    struct chain *next;
};

static struct hmap by_name, by_canon;
static struct chain *chains;
static bool ready;

/* Broker synonyms of topic keys, resolved once (index = entry index). */
#define MAX_SYN 4
struct syn_set {
    const struct cat_key *k[MAX_SYN];
    int n;
};
static struct syn_set *synonyms;
/* Which characters (mod 64) each name holds, and its length: a cheap
 * lower bound on edit distance for catalog_suggest. */
static uint64_t *name_sig;
static uint16_t *name_len;

static uint64_t char_sig(const char *s, size_t *len)
{
    uint64_t sig = 0;
    size_t n = 0;
    for (; s[n]; n++)
        sig |= 1ull << ((unsigned char)s[n] & 63);
    *len = n;
    return sig;
}
/* Per entry, made once: whether its name sounds secret, and its numeric
 * range parsed (every value of every setting is checked against it). */
static bool *sounds_secret;
struct range {
    bool parsed, has_lo, has_hi;
    double lo, hi;
};
static struct range *ranges;
static void parse_range(const char *valid, struct range *r, char *a, char *b, size_t n);

/* Parsed "since" of every default (index = entry index). */
static struct version (*since_v)[CAT_MAX_DEFAULTS];

static void add(struct hmap *m, const char *name, const struct cat_key *k, struct chain *c)
{
    c->k = k;
    c->next = hmap_get(m, name);
    hmap_put(m, name, c);
}

void catalog_init(void)
{
    if (ready)
        return;
    hmap_init(&by_name);
    hmap_init(&by_canon);
    chains = xcalloc(catalog_nkeys * 2, sizeof(*chains));
    /* Insert in reverse so chains list entries in table order. */
    for (size_t i = catalog_nkeys; i > 0; i--) {
        const struct cat_key *k = &catalog_keys[i - 1];
        add(&by_name, k->name, k, &chains[2 * (i - 1)]);
        if (!k->alias_of)
            add(&by_canon, catalog_canonical(k), k, &chains[2 * (i - 1) + 1]);
    }
    ready = true;
    since_v = xcalloc(catalog_nkeys, sizeof(*since_v));
    for (size_t i = 0; i < catalog_nkeys; i++)
        for (unsigned d = 0; d < catalog_keys[i].ndefaults; d++)
            if (version_parse(catalog_keys[i].defaults[d].since, &since_v[i][d]))
                since_v[i][d].set = false;
    name_sig = xcalloc(catalog_nkeys, sizeof(*name_sig));
    name_len = xcalloc(catalog_nkeys, sizeof(*name_len));
    for (size_t i = 0; i < catalog_nkeys; i++) {
        size_t l;
        name_sig[i] = char_sig(catalog_keys[i].name, &l);
        name_len[i] = (uint16_t)(l < UINT16_MAX ? l : UINT16_MAX);
    }
    sounds_secret = xcalloc(catalog_nkeys, sizeof(*sounds_secret));
    ranges = xcalloc(catalog_nkeys, sizeof(*ranges));
    for (size_t i = 0; i < catalog_nkeys; i++) {
        sounds_secret[i] = name_sounds_secret(catalog_keys[i].name);
        char a[32], b[32];
        if (catalog_keys[i].valid)
            parse_range(catalog_keys[i].valid, &ranges[i], a, b, sizeof a);
    }
    synonyms = xcalloc(catalog_nkeys, sizeof(*synonyms));
    for (size_t i = 0; i < catalog_nkeys; i++) {
        const char *p = catalog_keys[i].synonyms;
        while (p && *p && synonyms[i].n < MAX_SYN) {
            size_t l = strcspn(p, ", ");
            char name[128];
            if (l && l < sizeof name) {
                memcpy(name, p, l);
                name[l] = '\0';
                const struct cat_key *bk = catalog_find(name, CF_BROKER);
                if (bk)
                    synonyms[i].k[synonyms[i].n++] = bk;
            }
            p += l;
            while (*p == ',' || *p == ' ')
                p++;
        }
    }
}

int catalog_synonyms(const struct cat_key *k, const struct cat_key *const **out)
{
    catalog_init();
    size_t i = (size_t)(k - catalog_keys);
    if (i >= catalog_nkeys) {
        *out = NULL;
        return 0;
    }
    *out = synonyms[i].k;
    return synonyms[i].n;
}

const struct cat_key *catalog_find(const char *name, enum cat_family fam)
{
    catalog_init();
    for (struct chain *c = hmap_get(&by_name, name); c; c = c->next)
        if (c->k->families & fam)
            return c->k;
    return NULL;
}

const struct cat_key *catalog_resolve(const struct cat_key *k, enum cat_family fam)
{
    for (int hops = 0; k && k->alias_of && hops < 4; hops++)
        k = catalog_find(k->alias_of, fam);
    return k;
}

const struct cat_key *catalog_by_canonical(const char *name, enum cat_family fam)
{
    catalog_init();
    for (struct chain *c = hmap_get(&by_canon, name); c; c = c->next)
        if (c->k->families & fam)
            return c->k;
    return catalog_resolve(catalog_find(name, fam), fam);
}

const char *catalog_static_name(const char *s, size_t n)
{
    catalog_init();
    struct chain *c = hmap_getn(&by_name, s, n);
    return c ? c->k->name : NULL;
}

const char *catalog_canonical(const struct cat_key *k)
{
    return k->canonical ? k->canonical : k->name;
}

const char *catalog_default(const struct cat_key *k, struct version v, bool *found)
{
    *found = k->ndefaults > 0;
    if (!k->ndefaults)
        return NULL;
    /* a version that does not have the key has no default for it (Java
     * producers before 0.11 have no enable.idempotence; keys removed in
     * Kafka 4.0 have none on 4.x) */
    if (v.set &&
        ((k->since && !version_ge(v, k->since)) || (k->removed && version_ge(v, k->removed)))) {
        *found = false;
        return NULL;
    }
    catalog_init();
    const struct version *since = since_v[k - catalog_keys];
    const char *val = k->defaults[0].value;
    for (unsigned i = 0; i < k->ndefaults; i++) {
        if (!since[i].set)
            continue;
        if (!v.set || version_cmp(v, since[i]) >= 0)
            val = k->defaults[i].value;
    }
    return val;
}

static const char *suggest_scan(const char *name, enum cat_family fam);

/* Answers already given, by family and name: the same unknown key set on
 * 20,000 topics (through an alias, an env file shared by services) asked
 * the same question 20,000 times.  Rules ask from several threads. */
#define SUGGEST_MEMO_MAX 100000
static pthread_mutex_t suggest_mu = PTHREAD_MUTEX_INITIALIZER;
static struct hmap suggest_memo;
/* the memo's keys, kept for the process: listed here too, where leak
 * checkers see them (the map's slots may be mapped memory they do not scan) */
static char **suggest_keys;
static size_t nsuggest_keys, capsuggest_keys;
static const char suggest_none[] = "";

const char *catalog_suggest(const char *name, enum cat_family fam)
{
    char key[320];
    int kl = snprintf(key, sizeof key, "%x:%s", (unsigned)fam, name);
    if (kl < 0 || (size_t)kl >= sizeof key)
        return suggest_scan(name, fam);
    pthread_mutex_lock(&suggest_mu);
    const char *r = hmap_get(&suggest_memo, key);
    pthread_mutex_unlock(&suggest_mu);
    if (r)
        return r == suggest_none ? NULL : r;
    r = suggest_scan(name, fam);
    pthread_mutex_lock(&suggest_mu);
    if (suggest_memo.len < SUGGEST_MEMO_MAX && !hmap_get(&suggest_memo, key)) {
        XGROW(suggest_keys, capsuggest_keys, nsuggest_keys + 1);
        suggest_keys[nsuggest_keys] = xstrdup(key);
        hmap_put(&suggest_memo, suggest_keys[nsuggest_keys++], (void *)(r ? r : suggest_none));
    }
    pthread_mutex_unlock(&suggest_mu);
    return r;
}

static const char *suggest_scan(const char *name, enum cat_family fam)
{
    catalog_init();
    size_t nl;
    uint64_t sig = char_sig(name, &nl);
    if (nl > 64)
        return NULL; /* str_distance compares names of at most 64 */
    struct nearest n;
    nearest_init(&n, name, NEAREST_AUTO);
    for (size_t i = 0; i < catalog_nkeys; i++) {
        const struct cat_key *k = &catalog_keys[i];
        if (!(k->families & fam))
            continue;
        /* An edit adds or removes at most one distinct character: most
         * names are ruled out without the distance (a 2 MB env file shared
         * by six services spent a minute and a half here). */
        size_t kl = name_len[i];
        if ((kl > nl ? kl - nl : nl - kl) > n.cap ||
            (unsigned)__builtin_popcountll(sig ^ name_sig[i]) > 2 * n.cap)
            continue;
        nearest_offer(&n, k->name);
    }
    return nearest_best(&n);
}

/* "[min,max]" with optional empty bounds into r (r->parsed: it is one),
 * the bounds' text into a and b (n bytes each). */
static void parse_range(const char *valid, struct range *r, char *a, char *b, size_t n)
{
    memset(r, 0, sizeof *r);
    a[0] = b[0] = '\0';
    const char *comma = strchr(valid, ',');
    if (valid[0] != '[' || !comma)
        return;
    size_t la = (size_t)(comma - valid - 1);
    if (la < n) {
        memcpy(a, valid + 1, la);
        a[la] = '\0';
    }
    const char *end = strchr(comma, ']');
    size_t lb = end ? (size_t)(end - comma - 1) : 0;
    if (lb < n) {
        memcpy(b, comma + 1, lb);
        b[lb] = '\0';
    }
    r->parsed = true;
    r->has_lo = a[0] && str_to_double(a, &r->lo) == 0;
    r->has_hi = b[0] && str_to_double(b, &r->hi) == 0;
}

static bool in_range(const struct range *r, double x)
{
    return !r->parsed || !((r->has_lo && x < r->lo) || (r->has_hi && x > r->hi));
}

bool catalog_name_sounds_secret(const struct cat_key *k)
{
    catalog_init();
    size_t i = (size_t)(k - catalog_keys);
    return i < catalog_nkeys ? sounds_secret[i] : name_sounds_secret(k->name);
}

static int check_range(const struct cat_key *k, double x, char *tmp, size_t n, const char **why)
{
    catalog_init();
    size_t i = (size_t)(k - catalog_keys);
    if (i < catalog_nkeys && in_range(&ranges[i], x))
        return 0; /* the common case, from the range parsed once */
    struct range r;
    char a[32], b[32];
    parse_range(k->valid, &r, a, b, sizeof a);
    bool has_lo = r.has_lo, has_hi = r.has_hi;
    if (!in_range(&r, x)) {
        if (has_lo && has_hi)
            snprintf(tmp, n, "a number between %s and %s", a, b);
        else if (has_lo)
            snprintf(tmp, n, "a number >= %s", a);
        else
            snprintf(tmp, n, "a number <= %s", b);
        *why = tmp;
        return -1;
    }
    return 0;
}

const char *catalog_check_value(const struct cat_key *k, const char *value, char *tmp, size_t n)
{
    const char *why = NULL;
    int64_t iv;
    /* librdkafka's request.required.acks is an integer that also accepts
     * "all" (rdkafka_conf.c s2i table); the Java client's acks is a string. */
    if (strcmp(catalog_canonical(k), "acks") == 0 && strcasecmp(value, "all") == 0)
        return NULL;
    double dv;
    bool bv;
    switch (k->type) {
    case CT_INT:
    case CT_LONG:
    case CT_SHORT:
        if (str_to_i64(value, &iv))
            return "an integer";
        if (k->type == CT_INT && (iv < INT32_MIN || iv > INT32_MAX))
            return "a 32-bit integer";
        if (k->type == CT_SHORT && (iv < INT16_MIN || iv > INT16_MAX))
            return "a 16-bit integer";
        if (k->valid && check_range(k, (double)iv, tmp, n, &why))
            return why;
        return NULL;
    case CT_DOUBLE:
        if (str_to_double(value, &dv))
            return "a number";
        if (k->valid && check_range(k, dv, tmp, n, &why))
            return why;
        return NULL;
    case CT_BOOL: return str_to_bool(value, &bv) ? "true or false" : NULL;
    case CT_ENUM: {
        if (!k->valid)
            return NULL;
        const char *p = k->valid;
        size_t vl = strlen(value);
        while (*p) {
            const char *bar = strchr(p, '|');
            size_t l = bar ? (size_t)(bar - p) : strlen(p);
            if (l == vl && strncasecmp(p, value, l) == 0 && p[l - 1] != ':')
                return NULL;
            /* "prefix:" takes an ISO-8601 duration after it (Java's
             * Duration.parse: PnDTnHnMn.nS, letters in either case) */
            if (l > 1 && p[l - 1] == ':' && vl > l && strncasecmp(p, value, l) == 0) {
                const char *d = value + l;
                if (*d == '-' || *d == '+')
                    d++;
                if ((*d == 'P' || *d == 'p') && d[1] &&
                    strspn(d + 1, "0123456789.,DdTtHhMmSs-") == strlen(d + 1))
                    return NULL;
                snprintf(tmp, n, "%.*s followed by an ISO-8601 duration such as PT6H", (int)l, p);
                return tmp;
            }
            p += l + (bar ? 1 : 0);
        }
        snprintf(tmp, n, "one of %s", k->valid);
        for (char *c = tmp; *c; c++)
            if (*c == '|')
                *c = ',';
        /* "one of a,b,c" -> "one of a, b, c" is nicer but needs room;
         * keep it compact and unambiguous. */
        return tmp;
    }
    default: return NULL;
    }
}
