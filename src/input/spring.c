/*
 * spring.c - Spring Boot application.yml / application.yaml /
 * application.properties (and application-PROFILE.*, bootstrap.*).
 *
 * What is read (Spring Boot's KafkaProperties, spring.kafka.*):
 *   spring.kafka.bootstrap-servers, client-id, security.protocol, ssl.*,
 *   spring.kafka.properties.*                 -> producer and consumer
 *   spring.kafka.producer.<spring name>       -> producer (acks, retries,
 *       batch-size, buffer-memory, compression-type, key-serializer, ...,
 *       transaction-id-prefix -> transactional.id)
 *   spring.kafka.consumer.<spring name>       -> consumer (group-id,
 *       enable-auto-commit, auto-offset-reset, isolation-level, ...)
 *   spring.kafka.{producer,consumer}.properties.*  -> raw Kafka keys
 *   spring.kafka.template.default-topic       -> a topic the producer writes
 *   spring.kafka.template.transaction-id-prefix -> transactional producer
 * with Spring's precedence: common < named role property < role
 * properties.* map.  Names use relaxed binding (enable-auto-commit,
 * enableAutoCommit, enable_auto_commit), YAML may nest or dot keys, and
 * bracketed map keys ([max.poll.records]) are unwrapped.  Durations
 * ("5s", "PT1M", bare ms) and data sizes ("16KB") are converted as Spring
 * converts them.  Every setting keeps its file:line and the Spring
 * spelling as `written`.
 *
 * Objects: one producer and/or one consumer per application, named after
 * spring.application.name, else the module directory.  A producer exists
 * when spring.kafka.producer.* or template.* is set, a consumer when
 * spring.kafka.consumer.* or listener.* is set (both when only common
 * settings are).  Spring Kafka's listener container sets
 * enable.auto.commit=false when it is not configured (since 2.3); that is
 * recorded as a derived value.
 *
 * Profiles: application-prod.yml, or a document of a multi-document file
 * with spring.config.activate.on-profile (Spring Boot 2.4+) or
 * spring.profiles (older), describes "<app> (profile prod)": the default
 * document's settings of the same directory with the profile's on top.
 * A directory's application.* file is read before its profile files.
 *
 * kafkaudit's own keys (Spring ignores unknown properties):
 *   kafkaudit.client: "java 3.6"      client version (else assumed, with
 *                                       an info finding)
 *   kafkaudit.name: orders-app         object name
 *   kafkaudit.producer.topics: orders,payments
 *   kafkaudit.consumer.topics: orders
 */
#include "input/input.h"
#include "syntax/props.h"
#include "input/spring.h"
#include "model/catalog.h"
#include "model/effective.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "syntax/yload.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------ */

void spring_relaxed(const char *in, char *out, size_t n)
{
    size_t o = 0;
    for (; *in && o + 1 < n; in++) {
        if (*in == '-' || *in == '_')
            continue;
        out[o++] = (char)tolower((unsigned char)*in);
    }
    if (n)
        out[o] = '\0';
}

struct spmap {
    const char *spring; /* Spring Boot's documented (kebab-case) name */
    const char *kafka;
    enum spring_conv conv;
};

/* Spring Boot KafkaProperties.Producer / .Consumer (2.x and 3.x). */
static const struct spmap producer_map[] = {
    {"acks", "acks", SPC_NONE},
    {"batch-size", "batch.size", SPC_DATASIZE},
    {"bootstrap-servers", "bootstrap.servers", SPC_NONE},
    {"buffer-memory", "buffer.memory", SPC_DATASIZE},
    {"client-id", "client.id", SPC_NONE},
    {"compression-type", "compression.type", SPC_NONE},
    {"key-serializer", "key.serializer", SPC_NONE},
    {"value-serializer", "value.serializer", SPC_NONE},
    {"retries", "retries", SPC_NONE},
    {"transaction-id-prefix", "transactional.id", SPC_NONE},
    {"security.protocol", "security.protocol", SPC_NONE},
    {NULL, NULL, SPC_NONE},
};

static const struct spmap consumer_map[] = {
    {"auto-commit-interval", "auto.commit.interval.ms", SPC_DURATION_MS},
    {"auto-offset-reset", "auto.offset.reset", SPC_NONE},
    {"bootstrap-servers", "bootstrap.servers", SPC_NONE},
    {"client-id", "client.id", SPC_NONE},
    {"enable-auto-commit", "enable.auto.commit", SPC_NONE},
    {"fetch-max-wait", "fetch.max.wait.ms", SPC_DURATION_MS},
    {"fetch-min-size", "fetch.min.bytes", SPC_DATASIZE},
    {"group-id", "group.id", SPC_NONE},
    {"heartbeat-interval", "heartbeat.interval.ms", SPC_DURATION_MS},
    {"isolation-level", "isolation.level", SPC_LOWER},
    {"key-deserializer", "key.deserializer", SPC_NONE},
    {"value-deserializer", "value.deserializer", SPC_NONE},
    {"max-poll-records", "max.poll.records", SPC_NONE},
    {"max-poll-interval", "max.poll.interval.ms", SPC_DURATION_MS},
    {"group-protocol", "group.protocol", SPC_NONE}, /* Boot 3.4 */
    {"security.protocol", "security.protocol", SPC_NONE},
    {NULL, NULL, SPC_NONE},
};

static const struct spmap ssl_map[] = {
    {"key-password", "ssl.key.password", SPC_NONE},
    {"key-store-location", "ssl.keystore.location", SPC_NONE},
    {"key-store-password", "ssl.keystore.password", SPC_NONE},
    {"key-store-type", "ssl.keystore.type", SPC_NONE},
    {"key-store-key", "ssl.keystore.key", SPC_NONE},
    {"key-store-certificate-chain", "ssl.keystore.certificate.chain", SPC_NONE},
    {"trust-store-location", "ssl.truststore.location", SPC_NONE},
    {"trust-store-password", "ssl.truststore.password", SPC_NONE},
    {"trust-store-type", "ssl.truststore.type", SPC_NONE},
    {"trust-store-certificates", "ssl.truststore.certificates", SPC_NONE},
    {"protocol", "ssl.protocol", SPC_NONE},
    {NULL, NULL, SPC_NONE},
};

static bool same_relaxed(const char *spring, const char *relaxed)
{
    char r[64];
    spring_relaxed(spring, r, sizeof r);
    return strcmp(r, relaxed) == 0;
}

const char *spring_kafka_key(enum obj_kind role, const char *relaxed, enum spring_conv *conv)
{
    const struct spmap *t = role == OBJ_PRODUCER ? producer_map : consumer_map;
    for (int i = 0; t[i].spring; i++)
        if (same_relaxed(t[i].spring, relaxed)) {
            if (conv)
                *conv = t[i].conv;
            return t[i].kafka;
        }
    return NULL;
}

const char *spring_ssl_key(const char *relaxed)
{
    for (int i = 0; ssl_map[i].spring; i++)
        if (same_relaxed(ssl_map[i].spring, relaxed))
            return ssl_map[i].kafka;
    return NULL;
}

static const char *nearest(const struct spmap *t, const char *relaxed)
{
    struct nearest n;
    nearest_init(&n, relaxed, 2);
    for (int i = 0; t[i].spring; i++) {
        char r[64];
        spring_relaxed(t[i].spring, r, sizeof r);
        nearest_offer_as(&n, r, t[i].spring);
    }
    return nearest_best(&n);
}

/* ---- values ------------------------------------------------------------------- */

int spring_convert(enum spring_conv conv, const char *v, char *out, size_t n)
{
    if (conv == SPC_NONE || !v) {
        snprintf(out, n, "%s", v ? v : "");
        return 0;
    }
    if (conv == SPC_LOWER) {
        size_t i = 0;
        for (; v[i] && i + 1 < n; i++)
            out[i] = (char)tolower((unsigned char)v[i]);
        out[i] = '\0';
        return 0;
    }
    while (*v == ' ')
        v++;
    if (conv == SPC_DURATION_MS && (v[0] == 'P' || v[0] == 'p')) {
        /* ISO-8601 PnDTnHnMnS (integral parts only) */
        int64_t ms = 0;
        bool t = false;
        const char *p = v + 1;
        while (*p) {
            if (*p == 'T' || *p == 't') {
                t = true;
                p++;
                continue;
            }
            char *end;
            double num = strtod(p, &end);
            if (end == p)
                return -1;
            char u = (char)toupper((unsigned char)*end);
            double mult = u == 'D'        ? 86400e3
                          : u == 'H' && t ? 3600e3
                          : u == 'M' && t ? 60e3
                          : u == 'S' && t ? 1e3
                                          : -1;
            if (mult < 0)
                return -1;
            /* out of range (or nan): Spring's Duration.toMillis() throws */
            double part = num * mult;
            if (!(part > -9.2e18 && part < 9.2e18) ||
                __builtin_add_overflow(ms, (int64_t)part, &ms))
                return -1;
            p = end + 1;
        }
        snprintf(out, n, "%lld", (long long)ms);
        return 0;
    }
    const char *p = v;
    if (*p == '-' || *p == '+')
        p++;
    if (!isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p))
        p++;
    int64_t num;
    if (strn_to_i64(v, (size_t)(p - v), &num))
        return -1;
    char unit[8];
    size_t ul = strlen(p);
    if (ul >= sizeof unit)
        return -1;
    for (size_t i = 0; i < ul; i++)
        unit[i] = (char)tolower((unsigned char)p[i]);
    unit[ul] = '\0';
    int64_t mult;
    if (conv == SPC_DURATION_MS) {
        if (!*unit || strcmp(unit, "ms") == 0)
            mult = 1;
        else if (strcmp(unit, "s") == 0)
            mult = 1000;
        else if (strcmp(unit, "m") == 0)
            mult = 60000;
        else if (strcmp(unit, "h") == 0)
            mult = 3600000;
        else if (strcmp(unit, "d") == 0)
            mult = 86400000;
        else if (strcmp(unit, "us") == 0 || strcmp(unit, "ns") == 0) {
            snprintf(out, n, "%lld", (long long)(num / (unit[0] == 'u' ? 1000 : 1000000)));
            return 0;
        } else
            return -1;
    } else {
        if (!*unit || strcmp(unit, "b") == 0)
            mult = 1;
        else if (strcmp(unit, "kb") == 0)
            mult = 1024;
        else if (strcmp(unit, "mb") == 0)
            mult = 1024 * 1024;
        else if (strcmp(unit, "gb") == 0)
            mult = 1024LL * 1024 * 1024;
        else if (strcmp(unit, "tb") == 0)
            mult = 1024LL * 1024 * 1024 * 1024;
        else
            return -1;
    }
    /* more than a long holds: Spring's DataSize/Duration conversion throws */
    int64_t r;
    if (__builtin_mul_overflow(num, mult, &r))
        return -1;
    snprintf(out, n, "%lld", (long long)r);
    return 0;
}

/* ---- files -------------------------------------------------------------------- */

static const char *base_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

int spring_profile_from_name(const char *path, char *out, size_t n)
{
    const char *b = base_of(path);
    const char *rest = NULL;
    if (str_starts(b, "application-"))
        rest = b + strlen("application-");
    else if (str_starts(b, "bootstrap-"))
        rest = b + strlen("bootstrap-");
    if (!rest || !*rest)
        return 0;
    const char *dot = strrchr(rest, '.');
    size_t l = dot ? (size_t)(dot - rest) : strlen(rest);
    if (!l)
        return 0;
    snprintf(out, n, "%.*s", (int)l, rest);
    return 1;
}

static size_t dir_len(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? (size_t)(s - p) : 0;
}

/* "svc/src/main/resources/application.yml" -> "svc"; "deploy/orders/
 * application.yml" -> "orders"; "application.yml" -> "application". */
static void name_from_path(const char *path, char *out, size_t n)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    char *s = strrchr(tmp, '/');
    while (s) {
        *s = '\0';
        char *comp = strrchr(tmp, '/');
        const char *c = comp ? comp + 1 : tmp;
        if (*c && strcmp(c, "resources") && strcmp(c, "main") && strcmp(c, "src") &&
            strcmp(c, "config") && strcmp(c, ".") && strcmp(c, "..")) {
            /* bounded copy; names longer than out are cut */
            size_t l = strlen(c);
            if (l >= n)
                l = n - 1;
            memcpy(out, c, l);
            out[l] = '\0';
            return;
        }
        s = comp;
    }
    const char *b = base_of(path);
    const char *dot = strchr(b, '.');
    snprintf(out, n, "%.*s", (int)(dot ? (size_t)(dot - b) : strlen(b)), b);
}

/* ---- documents -------------------------------------------------------------- */

struct sentry {
    char *path;                /* raw dotted path (malloc'd) */
    char *rel;                 /* relaxed dotted path (malloc'd) */
    const char *value;         /* .properties text */
    const struct ynode *vnode; /* YAML value */
    struct loc kl, vl;
};

struct sdoc {
    struct sentry *v;
    uint32_t n, cap;
    uint32_t file, first_line, last_line;
    const char *profile;
    const char *app;
    bool yaml;
};

/* "spring.kafka.producer.properties[max.in.flight.requests.per.connection]"
 * (Spring's bracket notation for a map key holding dots) -> the same with
 * ".max.in.flight..." so the key reads like its YAML form; a list index
 * ("[0]") is left alone. */
static char *unbracket(const char *path)
{
    struct buf b = BUF_INIT;
    for (const char *p = path; *p;) {
        const char *close = *p == '[' ? strchr(p, ']') : NULL;
        if (close && close > p + 1 && strspn(p + 1, "0123456789") < (size_t)(close - p - 1)) {
            if (b.len && b.p[b.len - 1] != '.')
                buf_putc(&b, '.');
            buf_add(&b, p + 1, (size_t)(close - p - 1));
            p = close + 1;
            continue;
        }
        buf_putc(&b, *p++);
    }
    char *r = xstrdup(buf_str(&b));
    buf_release(&b);
    return r;
}

static void add_entry(struct sdoc *d, const char *path, const char *value,
                      const struct ynode *vnode, struct loc kl, struct loc vl)
{
    XGROW(d->v, d->cap, d->n + 1);
    struct sentry *e = &d->v[d->n++];
    e->path = strchr(path, '[') ? unbracket(path) : xstrdup(path);
    path = e->path;
    size_t l = strlen(path);
    e->rel = xmalloc(l + 1);
    /* relaxed per segment, dots kept */
    size_t o = 0;
    for (size_t i = 0; i < l; i++) {
        char c = path[i];
        if (c == '-' || c == '_')
            continue;
        e->rel[o++] = (char)tolower((unsigned char)c);
    }
    e->rel[o] = '\0';
    e->value = value;
    e->vnode = vnode;
    e->kl = kl;
    e->vl = vl;
}

static void sdoc_release(struct sdoc *d)
{
    for (uint32_t i = 0; i < d->n; i++) {
        free(d->v[i].path);
        free(d->v[i].rel);
    }
    free(d->v);
}

/* Map keys "[a.b]" (Spring's bracket notation) lose their brackets. */
static void seg_append(struct buf *b, const char *k)
{
    size_t l = strlen(k);
    if (l >= 2 && k[0] == '[' && k[l - 1] == ']') {
        k++;
        l -= 2;
    }
    if (b->len)
        buf_putc(b, '.');
    buf_add(b, k, l);
}

static void flatten(struct sdoc *d, const struct ynode *n, struct buf *path)
{
    for (uint32_t i = 0; i < n->map.n; i++) {
        const struct ynode *k = n->map.pairs[i].key, *v = n->map.pairs[i].val;
        if (k->kind != Y_SCALAR)
            continue;
        size_t keep = path->len;
        seg_append(path, k->scalar.s);
        if (v->kind == Y_MAP)
            flatten(d, v, path);
        else
            add_entry(d, buf_str(path), NULL, v, yloc(d->file, k),
                      yloc(d->file, ynode_is_null(v) && v->line == 0 ? k : v));
        path->len = keep;
        path->p[keep] = '\0';
    }
}

static const char *entry_text(const struct sentry *e)
{
    if (e->vnode)
        return e->vnode->kind == Y_SCALAR ? e->vnode->scalar.s : NULL;
    return e->value;
}

/* ---- objects ------------------------------------------------------------------- */

/* The default-profile client of the same directory (application.*). */
static struct client *find_base(struct model *m, enum obj_kind kind, uint32_t file)
{
    const char *path = source_path(&m->sources, file);
    size_t dl = dir_len(path);
    struct client **v = kind == OBJ_PRODUCER ? m->producers : m->consumers;
    uint32_t n = kind == OBJ_PRODUCER ? m->nproducers : m->nconsumers;
    for (uint32_t i = 0; i < n; i++) {
        const char *p = source_path(&m->sources, v[i]->o.loc.file);
        if (!p || strstr(v[i]->o.name, " (profile "))
            continue;
        const char *b = base_of(p);
        if (dir_len(p) == dl && strncmp(p, path, dl) == 0 &&
            (str_starts(b, "application.") || str_starts(b, "bootstrap.")))
            return v[i];
    }
    return NULL;
}

static void inherit(struct model *m, struct client *c, const struct client *base)
{
    struct setting **tail = &c->o.cfg;
    while (*tail)
        tail = &(*tail)->next;
    for (const struct setting *s = base->o.cfg; s; s = s->next) {
        struct setting *cp = ARENA_NEW(&m->arena, struct setting);
        *cp = *s;
        cp->next = NULL;
        *tail = cp;
        tail = &cp->next;
    }
    if (!c->version.set && base->version.set) {
        c->version = base->version;
        c->client_loc = base->client_loc;
    }
    for (uint32_t i = 0; i < base->ntopics; i++)
        client_add_topic(m, c, base->topics[i].name, base->topics[i].loc);
}

/* Drop the settings of the keys the document sets (keys) that come from
 * another document (the profile overrides them).  Done once per document
 * and client: a pass over every setting for each key set made a document
 * of N settings cost N^2 (30,000 settings: seconds). */
static void drop_inherited(struct object *o, const struct hmap *keys, const struct sdoc *d)
{
    if (!keys->len)
        return;
    for (struct setting **pp = &o->cfg; *pp;) {
        struct setting *s = *pp;
        bool mine =
            s->loc.file == d->file && s->loc.line >= d->first_line && s->loc.line <= d->last_line;
        if (!mine && hmap_get(keys, s->key))
            *pp = s->next;
        else
            pp = &s->next;
    }
}

struct role {
    struct client *c;
    enum obj_kind kind;
    struct hmap set; /* keys set_kafka set (alive until read_doc returns) */
};

/* Spring binds enum properties leniently (LenientObjectToEnumConverter-
 * Factory: case, '-' and '_' ignored), then Spring Boot passes the
 * constant's name in lower case: "read-uncommitted", "READ_UNCOMMITTED"
 * and "readUncommitted" all become read_uncommitted.  Returns true with
 * the Kafka value in out when val names one of key's values. */
static bool lenient_enum(const char *key, enum obj_kind kind, const char *val, char *out, size_t n)
{
    const struct cat_key *k =
        catalog_find(key, kind == OBJ_PRODUCER ? CF_JAVA_PRODUCER : CF_JAVA_CONSUMER);
    if (!k || !k->valid)
        return false;
    char want[64], have[64];
    size_t o = 0;
    for (const char *p = val; *p && o + 1 < sizeof want; p++)
        if (isalnum((unsigned char)*p))
            want[o++] = (char)tolower((unsigned char)*p);
    want[o] = '\0';
    for (const char *p = k->valid; *p;) {
        size_t l = strcspn(p, "|");
        o = 0;
        for (size_t i = 0; i < l && o + 1 < sizeof have; i++)
            if (isalnum((unsigned char)p[i]))
                have[o++] = (char)tolower((unsigned char)p[i]);
        have[o] = '\0';
        if (strcmp(want, have) == 0 && l < n) {
            memcpy(out, p, l);
            out[l] = '\0';
            return true;
        }
        p += l;
        if (*p)
            p++;
    }
    return false;
}

static void set_kafka(struct model *m, const struct sdoc *d, struct role *ro, const char *key,
                      enum spring_conv conv, const struct sentry *e, bool written);

/* transaction-id-prefix: transactional.id is the prefix and a number */
static void set_tx_prefix(struct model *m, const struct sdoc *d, struct role *ro,
                          const struct sentry *e)
{
    set_kafka(m, d, ro, "transactional.id", SPC_NONE, e, true);
    struct setting *s = (struct setting *)object_get(&ro->c->o, "transactional.id");
    if (s && s->value)
        s->note = "a prefix: Spring Kafka appends a number per producer, and it wins over a "
                  "transactional.id in the producer properties";
}

static void set_kafka(struct model *m, const struct sdoc *d, struct role *ro, const char *key,
                      enum spring_conv conv, const struct sentry *e, bool written)
{
    struct client *c = ro->c;
    bool ok = true, owned = false;
    const char *val;
    if (e->vnode)
        val = yconfig_value_shared(m, d->file, &c->o, key, e->vnode, &ok, &owned);
    else
        val = e->value;
    if (!ok)
        return;
    char conv_buf[64];
    if (conv == SPC_LOWER && val && lenient_enum(key, c->o.kind, val, conv_buf, sizeof conv_buf)) {
        val = conv_buf;
        owned = false;
    } else if (conv != SPC_NONE && val) {
        if (spring_convert(conv, val, conv_buf, sizeof conv_buf)) {
            diag_add(&m->diags, DIAG_ERROR, DK_INPUT, e->vl, "'%s' is not a valid %s for %s", val,
                     conv == SPC_DATASIZE ? "data size (e.g. 16KB)" : "duration (e.g. 5s, 500ms)",
                     e->path);
            return;
        }
        val = conv_buf;
        owned = false;
    }
    hmap_put(&ro->set, key, (void *)key);
    struct setting *s = owned ? object_set_key_owned(m, &c->o, key, val, ORIG_FILE, e->kl, e->vl)
                              : object_set_key(m, &c->o, key, val, ORIG_FILE, e->kl, e->vl);
    if (written && strcmp(e->path, s->key) != 0)
        s->written = model_intern(m, e->path);
}

static void add_topics(struct model *m, struct client *c, const struct sentry *e)
{
    if (e->vnode && e->vnode->kind == Y_SEQ) {
        for (uint32_t i = 0; i < e->vnode->seq.n; i++) {
            const struct ynode *t = e->vnode->seq.items[i];
            if (t->kind == Y_SCALAR && *t->scalar.s)
                client_add_topic(m, c, t->scalar.s, (struct loc){e->vl.file, t->line, t->col});
        }
        return;
    }
    const char *s = entry_text(e);
    if (!s)
        return;
    uint32_t col = e->vl.col;
    const char *start = s;
    while (*s) {
        while (*s == ' ' || *s == ',')
            s++;
        size_t l = strcspn(s, ", ");
        if (l) {
            char *t = arena_strndup(&m->arena, s, l);
            struct loc tl = {e->vl.file, e->vl.line, col + (uint32_t)(s - start)};
            if (e->vnode && e->vnode->style != YS_PLAIN)
                tl.col++; /* opening quote */
            client_add_topic(m, c, t, tl);
        }
        s += l;
    }
}

/* spring.kafka.properties.* go to every client Spring makes; a key only
 * the other kind of client knows is meant for that one (this one logs it
 * as unused and ignores it). */
static bool for_role(const char *key, enum obj_kind kind)
{
    enum cat_family mine = kind == OBJ_PRODUCER ? CF_JAVA_PRODUCER : CF_JAVA_CONSUMER;
    enum cat_family other = kind == OBJ_PRODUCER ? CF_JAVA_CONSUMER : CF_JAVA_PRODUCER;
    return catalog_find(key, mine) || !catalog_find(key, other);
}

static bool prefix(const char *rel, const char *p, const char **rest)
{
    size_t l = strlen(p);
    if (strncmp(rel, p, l) != 0)
        return false;
    if (rel[l] == '\0') {
        *rest = rel + l;
        return true;
    }
    if (rel[l] != '.')
        return false;
    *rest = rel + l + 1;
    return true;
}

/* Raw tail of e->path after as many segments as rel consumed. */
static const char *raw_tail(const struct sentry *e, const char *rel_rest)
{
    size_t segs = 0;
    for (const char *p = e->rel; p < rel_rest; p++)
        segs += *p == '.';
    const char *r = e->path;
    while (segs && *r) {
        if (*r == '.')
            segs--;
        r++;
    }
    return r;
}

/* What a document says about itself: its kafkaudit.* keys and which
 * spring.kafka.* roles it configures. */
struct intent {
    const struct sentry *client, *name, *ptopics, *ctopics, *streams_e;
    bool want_p, want_c, any_kafka, streams;
};

/* Fills *in from the document's keys; reports unknown kafkaudit.* keys. */
static void scan_intent(struct model *m, const struct sdoc *d, struct intent *in)
{
    const char *rest;
    memset(in, 0, sizeof *in);
    for (uint32_t i = 0; i < d->n; i++) {
        const struct sentry *e = &d->v[i];
        if (strcmp(e->rel, "kafkaudit.client") == 0 ||
            strcmp(e->rel, "kafkaudit.clientversion") == 0)
            in->client = e;
        else if (strcmp(e->rel, "kafkaudit.name") == 0)
            in->name = e;
        else if (strcmp(e->rel, "kafkaudit.producer.topics") == 0)
            in->ptopics = e, in->want_p = true;
        else if (strcmp(e->rel, "kafkaudit.consumer.topics") == 0)
            in->ctopics = e, in->want_c = true;
        else if (str_starts(e->rel, "kafkaudit.")) {
            struct diag *dg = diag_add(&m->diags, DIAG_ERROR, DK_INPUT, e->kl,
                                       "unknown kafkaudit key '%s'", e->path);
            diag_hint(dg, "kafkaudit keys in Spring files: kafkaudit.client, kafkaudit.name, "
                          "kafkaudit.producer.topics, kafkaudit.consumer.topics");
        } else if (prefix(e->rel, "spring.kafka", &rest)) {
            in->any_kafka = true;
            if (str_starts(rest, "producer") || str_starts(rest, "template"))
                in->want_p = true;
            else if (str_starts(rest, "consumer") || str_starts(rest, "listener"))
                in->want_c = true;
            else if (str_starts(rest, "streams")) {
                in->streams = true;
                if (!in->streams_e)
                    in->streams_e = e;
            }
        }
    }
}

/* Settles in->want_p/want_c; false when the document describes no client
 * kafkaudit audits (nothing Kafka, or a Kafka Streams application). */
static bool decide_roles(struct model *m, const struct sdoc *d, struct intent *in)
{
    if (!in->any_kafka && !in->want_p && !in->want_c && !in->client)
        return false;
    if (in->streams && !in->want_p && !in->want_c) {
        /* Kafka Streams configures its own embedded clients (e.g.
         * auto.offset.reset=earliest, its own commit cycle): judging them
         * as a plain consumer would be wrong. */
        diag_add(&m->diags, DIAG_NOTE, DK_INPUT, in->streams_e->kl,
                 "a Kafka Streams application: its embedded producer and consumer are "
                 "configured by Kafka Streams and are not audited as plain clients");
        return false;
    }
    if (!in->want_p && !in->want_c && d->profile) {
        /* a profile with common settings only refines the clients the
         * application already has */
        in->want_p = find_base(m, OBJ_PRODUCER, d->file) != NULL;
        in->want_c = find_base(m, OBJ_CONSUMER, d->file) != NULL;
    }
    if (!in->want_p && !in->want_c)
        in->want_p = in->want_c = true;
    return true;
}

/* The clients' name before any profile suffix: kafkaudit.name, the
 * document's or the file's spring.application.name, else the file name. */
static void base_name(const struct model *m, const struct sdoc *d, const struct intent *in,
                      const char *file_app, char *base, size_t n)
{
    if (in->name && entry_text(in->name))
        snprintf(base, n, "%s", entry_text(in->name));
    else if (d->app)
        snprintf(base, n, "%s", d->app);
    else if (file_app)
        snprintf(base, n, "%s", file_app);
    else
        name_from_path(source_path(&m->sources, d->file), base, n);
}

/* Creates (or finds) the producer and/or consumer the document describes,
 * a profile's inheriting from the default profile's; returns how many. */
static int open_roles(struct model *m, const struct sdoc *d, const struct intent *in, char *base,
                      size_t nbase, struct role roles[2])
{
    char full[400];
    int nroles = 0;
    struct loc first = {d->file, d->first_line, 1};
    for (int r = 0; r < 2; r++) {
        enum obj_kind kind = r == 0 ? OBJ_PRODUCER : OBJ_CONSUMER;
        if ((kind == OBJ_PRODUCER && !in->want_p) || (kind == OBJ_CONSUMER && !in->want_c))
            continue;
        struct client *bc = NULL;
        if (d->profile) {
            bc = find_base(m, kind, d->file);
            if (bc && !in->name && !d->app)
                snprintf(base, nbase, "%s", bc->o.name);
            snprintf(full, sizeof full, "%s (profile %s)", base, d->profile);
        } else
            snprintf(full, sizeof full, "%s", base);
        bool created;
        struct client *c = model_client(m, kind, full, first, &created);
        if (!created)
            diag_add(&m->diags, DIAG_WARNING, DK_INPUT, first,
                     "%s %s is described more than once; settings are merged (set "
                     "spring.application.name or kafkaudit.name to tell them apart)",
                     obj_kind_name(kind), full);
        c->ckind = CK_JAVA;
        if (created && bc)
            inherit(m, c, bc);
        if (created && d->profile && !c->version.set) {
            /* the application's client version, declared beside its
             * other kind of client */
            struct client *other =
                find_base(m, kind == OBJ_PRODUCER ? OBJ_CONSUMER : OBJ_PRODUCER, d->file);
            if (other && other->version.set) {
                c->version = other->version;
                c->client_loc = other->client_loc;
            }
        }
        roles[nroles].c = c;
        roles[nroles].kind = kind;
        hmap_init(&roles[nroles++].set);
    }
    return nroles;
}

/* Each role's client version (kafkaudit.client, else the build file
 * beside it) and its declared topics. */
static void set_versions_topics(struct model *m, const struct sdoc *d, const struct intent *in,
                                struct role *roles, int nroles)
{
    for (int r = 0; r < nroles; r++) {
        struct client *c = roles[r].c;
        if (in->client) {
            const char *spec = entry_text(in->client);
            enum client_kind ck;
            struct version v;
            char tmp[128];
            /* a bare version means the Java client */
            if (spec && (isdigit((unsigned char)spec[0])))
                snprintf(tmp, sizeof tmp, "java %s", spec);
            else
                snprintf(tmp, sizeof tmp, "%s", spec ? spec : "");
            if (client_spec_parse(tmp, &ck, &v) || ck != CK_JAVA) {
                if (r == 0)
                    diag_add(&m->diags, DIAG_ERROR, DK_INPUT, in->client->vl,
                             "kafkaudit.client must be \"java VERSION\" (Spring Boot uses the Java "
                             "client), not '%s'",
                             spec ? spec : "null");
            } else {
                c->version = v;
                c->client_loc = in->client->vl;
            }
        }
        if (!c->version.set) {
            /* the Spring Boot build beside the application file */
            struct version bv;
            struct loc bl;
            const char *note;
            if (spring_build_client_version(m, source_path(&m->sources, d->file), &bv, &bl,
                                            &note)) {
                c->version = bv;
                c->version.set = true;
                c->client_loc = bl;
                c->version_note = note;
            }
        }
        c->version_assumed = !c->version.set;
        const struct sentry *tp = roles[r].kind == OBJ_PRODUCER ? in->ptopics : in->ctopics;
        if (tp)
            add_topics(m, c, tp);
    }
}

/* A spring.kafka.<role>.<name> key Spring Boot maps to a Kafka key (sub is
 * <name>, relaxed); one it does not know is kept for the unknown-key rules
 * with Spring's nearest name as the suggestion. */
static void set_named_key(struct model *m, const struct sdoc *d, struct role *ro, const char *role,
                          const char *sub, const struct sentry *e)
{
    struct client *c = ro->c;
    enum obj_kind kind = ro->kind;
    const char *prop;
    enum spring_conv conv = SPC_NONE;
    /* a list element ("bootstrap-servers[0]") names the list */
    char listname[128];
    size_t nl = strcspn(sub, "[");
    snprintf(listname, sizeof listname, "%.*s", (int)nl, sub);
    if (sub[nl] && strspn(sub + nl + 1, "0123456789") + 2 != strlen(sub + nl))
        snprintf(listname, sizeof listname, "%s", sub);
    sub = listname;
    const char *k = spring_kafka_key(kind, sub, &conv);
    if (!k && prefix(sub, "ssl", &prop))
        k = spring_ssl_key(prop);
    /* Spring Boot's own, with no Kafka key of its own: an
     * SSL bundle (KafkaProperties.Ssl.bundle, Boot 3.1+)
     * fills in the ssl.* keys */
    if (!k && prefix(sub, "ssl", &prop) && strcmp(prop, "bundle") == 0)
        return;
    if (k)
        set_kafka(m, d, ro, k, conv, e, true);
    else {
        /* Spring Boot ignores it at startup: recorded as a
         * key of the client that the unknown-key rules
         * report, with Spring's name as the suggestion */
        const char *near = nearest(kind == OBJ_PRODUCER ? producer_map : consumer_map, sub);
        const char *txt = entry_text(e);
        /* a long value: one copy for every alias of it */
        bool own = txt && e->vnode && e->vnode->scalar.len >= 64;
        if (own)
            txt = model_shared_value(m, d->file, e->vnode, txt);
        struct setting *us =
            own ? object_set_key_owned(m, &c->o, e->path, txt, ORIG_FILE, e->kl, e->vl)
                : object_set_key(m, &c->o, e->path, txt, ORIG_FILE, e->kl, e->vl);
        us->suggest = near ? arena_printf(&m->arena, "spring.kafka.%s.%s", role, near) : "";
    }
}

/* One spring.kafka.* entry (rest: its path after "spring.kafka.") for one
 * role in one precedence pass: 0 common, 1 named, 2 role properties; the
 * transaction-id prefixes are remembered in *tmpl_tx / *prod_tx. */
static void apply_entry(struct model *m, const struct sdoc *d, struct role *ro, int pass,
                        const struct sentry *e, const char *rest, const struct sentry **tmpl_tx,
                        const struct sentry **prod_tx)
{
    struct client *c = ro->c;
    enum obj_kind kind = ro->kind;
    const char *role = kind == OBJ_PRODUCER ? "producer" : "consumer";
    const char *sub;
    if (pass == 1 && kind == OBJ_PRODUCER && strcmp(rest, "template.transactionidprefix") == 0)
        *tmpl_tx = e; /* applied last: the template's wins */
    if (pass == 0) {
        if (prefix(rest, "properties", &sub) && *sub) {
            if (for_role(raw_tail(e, sub), kind))
                set_kafka(m, d, ro, raw_tail(e, sub), SPC_NONE, e, true);
        } else if (strcmp(rest, "bootstrapservers") == 0)
            set_kafka(m, d, ro, "bootstrap.servers", SPC_NONE, e, true);
        else if (strcmp(rest, "clientid") == 0)
            set_kafka(m, d, ro, "client.id", SPC_NONE, e, true);
        else if (strcmp(rest, "security.protocol") == 0)
            set_kafka(m, d, ro, "security.protocol", SPC_NONE, e, true);
        else if (prefix(rest, "ssl", &sub) && spring_ssl_key(sub))
            set_kafka(m, d, ro, spring_ssl_key(sub), SPC_NONE, e, true);
        return;
    }
    if (prefix(rest, "template", &sub) && kind == OBJ_PRODUCER) {
        if (pass == 1 && strcmp(sub, "defaulttopic") == 0)
            add_topics(m, c, e);
        return;
    }
    if (!prefix(rest, role, &sub))
        return;
    if (strcmp(sub, "transactionidprefix") == 0) {
        if (pass == 1 && kind == OBJ_PRODUCER)
            *prod_tx = e; /* applied after the properties */
        return;
    }
    const char *prop;
    bool is_props = prefix(sub, "properties", &prop) && *prop;
    if (pass == 2 && is_props)
        set_kafka(m, d, ro, raw_tail(e, prop), SPC_NONE, e, true);
    else if (pass == 1 && !is_props)
        set_named_key(m, d, ro, role, sub, e);
}

/* The spring.kafka.* settings onto every role, in Spring's precedence. */
static void apply_settings(struct model *m, const struct sdoc *d, struct role *roles, int nroles)
{
    const struct sentry *tmpl_tx[2] = {NULL, NULL}, *prod_tx[2] = {NULL, NULL};
    const char *rest;
    /* settings, in Spring's precedence: common < named < role properties
     * < transaction-id-prefix.  The prefix is set on the producer factory
     * after it took a transactional.id from the properties as its prefix
     * (spring-kafka DefaultKafkaProducerFactory's constructor: a
     * transactional.id in the configs becomes the prefix and is removed;
     * Spring Boot's KafkaAutoConfiguration then calls
     * setTransactionIdPrefix() with spring.kafka.producer.transaction-id-prefix),
     * and KafkaTemplate's own prefix (spring.kafka.template.*) is used
     * over the factory's; each producer's transactional.id is the prefix
     * and a number. */
    for (int pass = 0; pass < 3; pass++)
        for (uint32_t i = 0; i < d->n; i++) {
            const struct sentry *e = &d->v[i];
            if (!prefix(e->rel, "spring.kafka", &rest))
                continue;
            for (int r = 0; r < nroles; r++)
                apply_entry(m, d, &roles[r], pass, e, rest, &tmpl_tx[r], &prod_tx[r]);
        }

    for (int r = 0; r < nroles; r++) {
        if (prod_tx[r])
            set_tx_prefix(m, d, &roles[r], prod_tx[r]);
        if (tmpl_tx[r])
            set_tx_prefix(m, d, &roles[r], tmpl_tx[r]);
    }
}

/* Drops what a profile inherited and the document overrode, releases the
 * roles, and adds what Spring Kafka sets when the files do not. */
static void close_roles(struct model *m, const struct sdoc *d, struct role *roles, int nroles)
{
    for (int r = 0; r < nroles; r++) {
        struct client *c = roles[r].c;
        drop_inherited(&c->o, &roles[r].set, d);
        hmap_release(&roles[r].set);
        /* no group-id in the files: @KafkaListener(groupId = ...) or its
         * id usually names it in code */
        if (roles[r].kind == OBJ_CONSUMER && !object_get(&c->o, "group.id"))
            c->group_elsewhere = true;
        const struct setting *tx = object_get(&c->o, "transactional.id");
        if (roles[r].kind == OBJ_PRODUCER && tx && tx->value && *tx->value &&
            !object_get(&c->o, "enable.idempotence")) {
            /* spring-kafka DefaultKafkaProducerFactory.setTransactionIdPrefix()
             * (called for transaction-id-prefix, and for a transactional.id
             * in the producer properties) does
             * configs.putIfAbsent(ENABLE_IDEMPOTENCE_CONFIG, true) */
            struct setting *s =
                object_set(m, &c->o, "enable.idempotence", "true", ORIG_DERIVED, tx->loc);
            s->injected = true;
            s->note = "Spring Kafka's DefaultKafkaProducerFactory sets enable.idempotence=true "
                      "for a transactional producer when it is not configured "
                      "(setTransactionIdPrefix)";
        }
        /* Spring Kafka's container turns auto commit off unless configured. */
        if (roles[r].kind != OBJ_CONSUMER || object_get(&c->o, "enable.auto.commit"))
            continue;
        struct setting *s =
            object_set(m, &c->o, "enable.auto.commit", "false", ORIG_DERIVED, c->o.loc);
        s->injected = true;
        s->note = "Spring Kafka (2.3+) sets enable.auto.commit=false when it is not configured; "
                  "the listener container commits after processing";
    }
}

/* One Spring document (a YAML document or a "#---" section) into the
 * clients it describes. */
static void read_doc(struct model *m, struct sdoc *d, const char *file_app)
{
    struct intent in;
    scan_intent(m, d, &in);
    if (!decide_roles(m, d, &in))
        return;
    char base[256];
    base_name(m, d, &in, file_app, base, sizeof base);
    struct role roles[2];
    int nroles = open_roles(m, d, &in, base, sizeof base, roles);
    set_versions_topics(m, d, &in, roles, nroles);
    apply_settings(m, d, roles, nroles);
    close_roles(m, d, roles, nroles);
}

static void scan_meta(struct sdoc *d)
{
    for (uint32_t i = 0; i < d->n; i++) {
        const struct sentry *e = &d->v[i];
        const char *t = entry_text(e);
        if (!t || !*t)
            continue;
        if (strcmp(e->rel, "spring.config.activate.onprofile") == 0 ||
            strcmp(e->rel, "spring.profiles") == 0)
            d->profile = t;
        else if (strcmp(e->rel, "spring.application.name") == 0)
            d->app = t;
    }
}

void read_spring_docs(struct model *m, uint32_t file, const struct ydoc *docs, uint32_t n)
{
    const char *path = source_path(&m->sources, file);
    char fprof[128];
    bool has_fprof = spring_profile_from_name(path, fprof, sizeof fprof);
    struct sdoc *ds = xcalloc(n + 1, sizeof *ds);
    const char *file_app = NULL;
    for (uint32_t i = 0; i < n; i++) {
        const struct ynode *root = docs[i].root;
        struct sdoc *d = &ds[i];
        d->file = file;
        d->yaml = true;
        if (!root || root->kind != Y_MAP)
            continue;
        d->first_line = docs[i].line ? docs[i].line : root->line;
        d->last_line = root->end_line ? root->end_line : UINT32_MAX;
        struct buf p = BUF_INIT;
        flatten(d, root, &p);
        buf_release(&p);
        scan_meta(d);
        if (!d->profile && has_fprof)
            d->profile = arena_strdup(&m->arena, fprof);
        if (d->app && !file_app)
            file_app = d->app;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (ds[i].n)
            read_doc(m, &ds[i], file_app);
        sdoc_release(&ds[i]);
    }
    free(ds);
}

void read_spring_doc(struct model *m, uint32_t file, const struct ynode *root)
{
    struct ydoc d = {(struct ynode *)root, root ? root->line : 1};
    read_spring_docs(m, file, &d, 1);
}

void read_spring_properties(struct model *m, uint32_t file)
{
    const struct src_file *f = source_get(&m->sources, file);
    struct props p;
    props_parse(&m->arena, f->data, f->len, &p);
    char fprof[128];
    bool has_fprof = spring_profile_from_name(f->path, fprof, sizeof fprof);
    /* "#---" (or "!---") separates documents (Spring Boot 2.4+) */
    uint32_t nsep = 0;
    uint32_t seps[64];
    for (uint32_t i = 0; i < p.ncomments && nsep < 63; i++)
        if (strcmp(p.comments[i].text, "---") == 0)
            seps[nsep++] = p.comments[i].line;
    struct sdoc *ds = xcalloc(nsep + 2, sizeof *ds);
    for (uint32_t k = 0; k <= nsep; k++) {
        ds[k].file = file;
        ds[k].first_line = k ? seps[k - 1] + 1 : 1;
        ds[k].last_line = k < nsep ? seps[k] - 1 : UINT32_MAX;
    }
    for (uint32_t i = 0; i < p.n; i++) {
        uint32_t k = 0;
        while (k < nsep && p.v[i].line > seps[k])
            k++;
        struct loc kl = {file, p.v[i].line, p.v[i].key_col};
        struct loc vl = {file, p.v[i].val_line, p.v[i].val_col};
        add_entry(&ds[k], p.v[i].key, p.v[i].value, NULL, kl, vl);
    }
    const char *file_app = NULL;
    for (uint32_t k = 0; k <= nsep; k++) {
        scan_meta(&ds[k]);
        if (!ds[k].profile && has_fprof)
            ds[k].profile = arena_strdup(&m->arena, fprof);
        if (ds[k].app && !file_app)
            file_app = ds[k].app;
    }
    for (uint32_t k = 0; k <= nsep; k++) {
        if (ds[k].n)
            read_doc(m, &ds[k], file_app);
        sdoc_release(&ds[k]);
    }
    free(ds);
    props_release(&p);
}
