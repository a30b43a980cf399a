#include "model/effective.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum cat_family object_family(const struct object *o)
{
    switch (o->kind) {
    case OBJ_CLUSTER:
    case OBJ_BROKER:
    case OBJ_CONTROLLER: return CF_BROKER;
    case OBJ_TOPIC:
    case OBJ_PARTITION: return CF_TOPIC;
    case OBJ_PRODUCER:
        return ((const struct client *)o)->ckind == CK_LIBRDKAFKA ? CF_RDK_PRODUCER
                                                                  : CF_JAVA_PRODUCER;
    case OBJ_CONSUMER:
        return ((const struct client *)o)->ckind == CK_LIBRDKAFKA ? CF_RDK_CONSUMER
                                                                  : CF_JAVA_CONSUMER;
    default: return 0;
    }
}

struct version object_version(const struct model *m, const struct object *o)
{
    if (o->kind == OBJ_PRODUCER || o->kind == OBJ_CONSUMER) {
        const struct client *c = (const struct client *)o;
        if (c->version.set)
            return c->version;
        return c->ckind == CK_LIBRDKAFKA ? m->defaults.librdkafka : m->defaults.java_client;
    }
    return m->cluster.kafka_version.set ? m->cluster.kafka_version : m->defaults.kafka;
}

const struct cat_key *key_lookup(const struct object *o, const char *written)
{
    enum cat_family fam = object_family(o);
    if (!fam)
        return NULL;
    return catalog_resolve(catalog_find(written, fam), fam);
}

static bool secret_key(const struct cat_key *k)
{
    return k && (k->sensitive || k->type == CT_PASSWORD);
}

#define CF_EVERY (CF_BROKER | CF_TOPIC | CF_JAVA_CLIENT | CF_RDK_CLIENT)

/* Does a key hold a secret?  Known keys say so; a name is taken for one
 * when it sounds like one (in any case), when it is a secret of another
 * kind of object (librdkafka's ssl.key.pem in a Java client), or when it
 * is a misspelling of a secret (ssl.keystore.pasword): a value is no less
 * secret for being under the wrong name. */
static bool sensitive_name(const char *k, const struct cat_key *known)
{
    if (secret_key(known) || (known ? catalog_name_sounds_secret(known) : name_sounds_secret(k)))
        return true;
    if (known)
        return false;
    char low[256];
    size_t n = strlen(k);
    if (n >= sizeof low)
        return false; /* no catalog key is that long */
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)k[i]);
    if (secret_key(catalog_find(low, CF_EVERY)))
        return true;
    const char *near = catalog_suggest(low, CF_EVERY);
    return near && secret_key(catalog_find(near, CF_EVERY));
}

/* Rules may run on several threads (engine_run_jobs): the values made
 * while they evaluate (normalised, converted) are allocated under a lock. */
static pthread_mutex_t arena_mu = PTHREAD_MUTEX_INITIALIZER;

static char *model_arena_strdup(struct model *m, const char *s)
{
    pthread_mutex_lock(&arena_mu);
    char *d = arena_strdup(&m->arena, s);
    pthread_mutex_unlock(&arena_mu);
    return d;
}

const char *value_normalize(struct model *m, const struct cat_key *k, const char *v)
{
    if (!k || !v)
        return v;
    const char *canon = catalog_canonical(k);
    if (strcmp(canon, "acks") == 0) {
        if (strcmp(v, "-1") == 0 || str_ieq(v, "all"))
            return "all";
        return v;
    }
    if (k->type == CT_BOOL || k->type == CT_ENUM) {
        bool lower = true;
        for (const char *p = v; *p; p++)
            if (isupper((unsigned char)*p))
                lower = false;
        if (lower)
            return v;
        char *d = model_arena_strdup(m, v);
        for (char *p = d; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        return d;
    }
    return v;
}

/* Longest name kept whole for an unknown key that sounds secret. */
#define SECRET_KEY_MAX 64

static const char *secret_key_cut(const char *written, char *out, size_t n)
{
    size_t len = strlen(written), end = len;
    for (int w = 0; secret_words[w]; w++) {
        size_t wl = strlen(secret_words[w]);
        for (size_t i = 0; i + wl <= len && i < end; i++)
            if (strncasecmp(written + i, secret_words[w], wl) == 0) {
                if (i + wl < end)
                    end = i + wl;
                break;
            }
    }
    if (end > n - 4)
        end = n - 4;
    snprintf(out, n, "%.*s...", (int)end, written);
    return out;
}

static struct setting *set_key(struct model *m, struct object *o, const char *written,
                               const char *value, enum origin origin, struct loc key_loc,
                               struct loc val_loc, bool owned)
{
    const struct cat_key *k = key_lookup(o, written);
    char cut[80];
    if (!k && strlen(written) > SECRET_KEY_MAX && name_sounds_secret(written)) {
        /* no setting has a name this long: a secret pasted into a key
         * ("sasl.jaas.config.org.apache...required password=..."); keep
         * its name only up to the first secret-sounding word */
        written = secret_key_cut(written, cut, sizeof cut);
        if (key_loc.file)
            source_hide(&m->sources, key_loc.file, key_loc.line, key_loc.col);
    }
    const char *real = k ? k->name : written;
    /* a template's placeholder (${VAR}, {{ .Values.x }}, @VAR@, ##VAR##):
     * the value is decided when the template is rendered, unknown here,
     * so no rule judges it */
    size_t plen = 0;
    const char *ph = origin == ORIG_FILE ? str_placeholder(value, &plen) : NULL;
    if (ph)
        value = NULL;
    const char *norm = value_normalize(m, k, value);
    struct setting *s = owned && !ph ? object_set_owned(m, o, real, norm, origin, val_loc)
                                     : object_set(m, o, real, norm, origin, val_loc);
    s->key_loc = key_loc;
    if (strcmp(real, written) != 0)
        s->written = model_intern(m, written);
    /* a secret reached through a YAML alias is no less secret */
    s->sensitive = sensitive_name(real, k) || model_secret_text(m, value);
    if (s->sensitive && origin == ORIG_FILE && val_loc.file)
        source_hide(&m->sources, val_loc.file, val_loc.line, val_loc.col);
    if (ph) {
        /* the whole placeholder, on one line; none for a secret's (a
         * default in "${PASS:-changeit}" is the secret) */
        struct buf b = BUF_INIT;
        buf_puts(&b, "a template placeholder");
        if (!s->sensitive) {
            buf_puts(&b, " (");
            buf_put_printable_n(&b, ph, plen);
            buf_putc(&b, ')');
        }
        buf_puts(&b, ": unknown until rendered");
        s->note = arena_strdup(&m->arena, buf_str(&b));
        buf_release(&b);
    }
    s->cat = k;
    s->cat_family = object_family(o);
    if (k && s->value && s->origin == ORIG_FILE) {
        char tmp[128];
        s->invalid = catalog_check_value(k, s->value, tmp, sizeof tmp) != NULL;
    }
    return s;
}

struct setting *object_set_key(struct model *m, struct object *o, const char *written,
                               const char *value, enum origin origin, struct loc key_loc,
                               struct loc val_loc)
{
    return set_key(m, o, written, value, origin, key_loc, val_loc, false);
}

struct setting *object_set_key_owned(struct model *m, struct object *o, const char *written,
                                     const char *value, enum origin origin, struct loc key_loc,
                                     struct loc val_loc)
{
    return set_key(m, o, written, value, origin, key_loc, val_loc, true);
}

/* Cluster layer: the cluster config; else the value that applies on the
 * lowest-id broker (its own setting, or the default when it has none),
 * flagged inconsistent when another broker's value differs.  Returns NULL
 * when the default applies (then *inconsistent may still be set). */
static const struct setting *cluster_layer(const struct model *m, const char *key,
                                           const struct cat_key *k, struct version v,
                                           const struct object **from, bool *inconsistent,
                                           const char **unread)
{
    if (k)
        key = k->name; /* interned: pointer compares below */
    const struct setting *s =
        k ? object_get_interned(&m->cluster.o, key) : object_get(&m->cluster.o, key);
    *inconsistent = false;
    *unread = NULL;
    if (s) {
        *from = &m->cluster.o;
        return s;
    }
    bool found = false;
    const char *dflt = k ? catalog_default(k, v, &found) : NULL;
    const struct broker *low = NULL;
    const struct setting *low_s = NULL;
    const char *first_val = NULL;
    bool have_first = false;
    for (uint32_t i = 0; i < m->nbrokers; i++) {
        const struct broker *b = m->brokers[i];
        if (b->o.error)
            continue; /* configuration not read: it neither sets nor breaks ties */
        const struct setting *bs = k ? object_get_interned(&b->o, key) : object_get(&b->o, key);
        const char *val = bs ? bs->value : dflt;
        if (!have_first) {
            first_val = val;
            have_first = true;
        } else if (!str_eq(first_val, val)) {
            *inconsistent = true;
        }
        if (!low || b->id < low->id) {
            low = b;
            low_s = bs;
        }
    }
    if (low_s)
        *from = &low->o;
    *unread = m->nbrokers > 0 && !low ? m->brokers[0]->o.error : NULL;
    return low_s;
}

static void from_setting(struct eff *out, const struct setting *s, const struct object *from)
{
    out->set = s;
    /* an invalid value is unknown: the client or broker would not start
     * with it, so no rule should reason about what it means */
    out->value = s->invalid ? NULL : s->value;
    out->origin = s->origin;
    out->live_source = s->live_source;
    out->sensitive = s->sensitive;
    out->from = from;
    out->loc = s->origin == ORIG_FILE || s->origin == ORIG_DERIVED ? s->loc : from->loc;
    if (!out->loc.file)
        out->loc = from->loc;
}

/* Broker synonym values in other units (log.retention.hours for retention.ms). */
static const char *convert_unit(struct model *m, const char *topic_key, const char *syn,
                                const char *v)
{
    int64_t x, mul = 1;
    if (!v || !str_ends(topic_key, ".ms"))
        return v;
    if (str_ends(syn, ".minutes"))
        mul = 60000;
    else if (str_ends(syn, ".hours"))
        mul = 3600000;
    if (mul == 1 || str_to_i64(v, &x) || x < 0 || x > INT64_MAX / mul)
        return v;
    char num[24];
    snprintf(num, sizeof num, "%" PRId64, x * mul);
    return model_arena_strdup(m, num);
}

bool effective_get(const struct model *m, const struct object *o, const char *key, struct eff *out)
{
    if (o->kind == OBJ_PARTITION)
        o = &((const struct partition *)o)->topic->o;
    enum cat_family fam = object_family(o);
    return effective_get_k(m, o, key, fam ? catalog_by_canonical(key, fam) : NULL, out);
}

/* A memo entry: what an object of one kind inherits for one catalog key
 * at one version (everything effective_get_k decides after the object's
 * own settings).  self: the value is the object's own default (from, loc
 * are the object's), patched per object. */
struct memo_ent {
    const char *key;
    struct version version;
    uint8_t kind;
    bool self, ret;
    struct eff e;
};

struct eff_memo {
    struct memo_ent **ents; /* by catalog entry index */
};

struct eff_memo *eff_memo_new(void)
{
    struct eff_memo *mm = xcalloc(1, sizeof *mm);
    mm->ents = xcalloc(catalog_nkeys, sizeof *mm->ents);
    return mm;
}

void eff_memo_free(struct eff_memo *mm)
{
    if (!mm)
        return;
    for (size_t i = 0; i < catalog_nkeys; i++)
        free(mm->ents[i]);
    free(mm->ents);
    free(mm);
}

static bool version_same(struct version a, struct version b)
{
    return a.major == b.major && a.minor == b.minor && a.patch == b.patch && a.set == b.set;
}

static bool inherited(struct model *m, const struct object *o, const char *real,
                      const struct cat_key *k, struct eff *out);

bool effective_get_k(const struct model *m, const struct object *o, const char *key,
                     const struct cat_key *k, struct eff *out)
{
    return effective_get_memo(m, o, key, k, NULL, out);
}

bool effective_get_memo(const struct model *mc, const struct object *o, const char *key,
                        const struct cat_key *k, struct eff_memo *mm, struct eff *out)
{
    struct model *m = (struct model *)mc; /* only the arena is touched (unit conversion) */
    memset(out, 0, sizeof *out);
    out->key = key;
    if (o->kind == OBJ_PARTITION)
        o = &((const struct partition *)o)->topic->o;
    const char *real = k ? k->name : key;
    out->real = real;
    out->cat = k;
    out->version = object_version(m, o);
    out->from = o;
    out->obj = o;
    out->loc = o->loc;

    const struct setting *s = k ? object_get_interned(o, real) : object_get(o, real);
    if (s) {
        from_setting(out, s, o);
        return true;
    }
    /* What a topic without its own value or a client inherits depends only
     * on the key, the version and the rest of the model: once per key. */
    if (!mm || !k || o->error ||
        (o->kind != OBJ_TOPIC && o->kind != OBJ_PRODUCER && o->kind != OBJ_CONSUMER &&
         o->kind != OBJ_CLUSTER))
        return inherited(m, o, real, k, out);
    size_t idx = (size_t)(k - catalog_keys);
    struct memo_ent *me = idx < catalog_nkeys ? mm->ents[idx] : NULL;
    if (idx >= catalog_nkeys)
        return inherited(m, o, real, k, out);
    if (me && me->key == key && me->kind == o->kind && version_same(me->version, out->version)) {
        *out = me->e;
        out->obj = o;
        if (me->self) {
            out->from = o;
            out->loc = o->loc;
        }
        return me->ret;
    }
    bool ret = inherited(m, o, real, k, out);
    if (!me)
        me = mm->ents[idx] = xmalloc(sizeof *me);
    me->key = key;
    me->version = out->version;
    me->kind = o->kind;
    me->self = out->from == o;
    me->ret = ret;
    me->e = *out;
    return ret;
}

/* effective_get_k after the object's own settings: the cluster layer, the
 * cluster config, the default. */
static bool inherited(struct model *m, const struct object *o, const char *real,
                      const struct cat_key *k, struct eff *out)
{
    const struct setting *s;
    if ((o->kind == OBJ_CLUSTER || o->kind == OBJ_BROKER) && !m->cluster.declared) {
        /* No input describes the cluster: its settings are unknown, not
         * the Kafka defaults. */
        bool found;
        out->dflt = k ? catalog_default(k, out->version, &found) : NULL;
        return k != NULL;
    }
    if ((o->kind == OBJ_BROKER || o->kind == OBJ_TOPIC) && o->error) {
        /* Live: this broker's or topic's configuration could not be read
         * (denied, timed out, broker offline).  An override may be hiding
         * behind the error, so what it would inherit is unknown too. */
        bool found;
        out->dflt = k ? catalog_default(k, out->version, &found) : NULL;
        out->unread = o->error;
        return k != NULL;
    }

    const struct object *from = NULL;
    const char *unread = NULL;
    bool inc = false;
    switch (o->kind) {
    case OBJ_TOPIC:
        if (k && k->synonyms) {
            const struct cat_key *const *syns;
            int nsyn = catalog_synonyms(k, &syns);
            for (int i = 0; i < nsyn; i++) {
                s = cluster_layer(m, syns[i]->name, syns[i], out->version, &from, &inc, &unread);
                out->inconsistent |= inc;
                if (unread) {
                    out->unread = unread; /* no broker's configuration was read */
                    return true;
                }
                if (s) {
                    from_setting(out, s, from);
                    out->value = convert_unit(m, real, syns[i]->name, s->value);
                    return true;
                }
            }
            if (!m->cluster.declared) {
                /* Inherited from a broker config nobody gave us: unknown, not
                 * the Kafka default (the cluster may well set it). */
                bool found;
                out->dflt = catalog_default(k, out->version, &found);
                out->origin = ORIG_NONE;
                return true;
            }
        }
        break;
    case OBJ_BROKER:
        s = k ? object_get_interned(&m->cluster.o, real) : object_get(&m->cluster.o, real);
        if (s) {
            from_setting(out, s, &m->cluster.o);
            return true;
        }
        break;
    case OBJ_CLUSTER:
        s = cluster_layer(m, real, k, out->version, &from, &inc, &unread);
        out->inconsistent = inc;
        if (unread) {
            out->unread = unread;
            return true;
        }
        if (s) {
            from_setting(out, s, from);
            return true;
        }
        break;
    default: break;
    }

    if (!k)
        return false;
    bool found;
    const char *d = catalog_default(k, out->version, &found);
    if (!found && o->kind == OBJ_TOPIC && k->synonyms) {
        /* Topic entry without its own default table: the broker default of
         * its first synonym applies. */
        char syn[128];
        size_t l = strcspn(k->synonyms, ",");
        if (l < sizeof syn) {
            memcpy(syn, k->synonyms, l);
            syn[l] = '\0';
            const struct cat_key *bk = catalog_find(syn, CF_BROKER);
            if (bk)
                d = convert_unit(m, real, syn, catalog_default(bk, out->version, &found));
        }
    }
    if (found) {
        out->origin = ORIG_DEFAULT;
        out->value = value_normalize(m, k, d);
        out->sensitive = k->sensitive || k->type == CT_PASSWORD;
    }
    return true;
}

void effective_origin_text(const struct model *m, const struct eff *e, struct buf *out)
{
    char ver[32];
    const char *path;
    switch (e->origin) {
    case ORIG_FILE:
        path = source_path(&m->sources, e->set ? e->set->loc.file : 0);
        if (e->from && e->from->kind == OBJ_CLUSTER)
            buf_puts(out, "cluster config, ");
        else if (e->from && e->from->kind == OBJ_BROKER && e->from != e->obj)
            buf_printf(out, "%s config, ", e->from->name);
        if (path)
            buf_printf(out, "%s:%u", path, e->set->loc.line);
        else
            buf_puts(out, "input");
        if (e->set && e->set->written)
            buf_printf(out, " (written as %s)", e->set->written);
        if (e->set && e->set->note)
            buf_printf(out, " (%s)", e->set->note);
        if (e->inconsistent && e->from && e->from->kind == OBJ_BROKER && e->from != e->obj)
            buf_puts(out, ", the lowest-id broker; brokers disagree");
        break;
    case ORIG_LIVE: {
        int b = e->set ? e->set->broker : -1;
        switch (e->live_source) {
        case LS_TOPIC: buf_puts(out, "topic override"); break;
        case LS_DYNAMIC_BROKER:
            if (b >= 0)
                buf_printf(out, "broker %d's dynamic config", b);
            else
                buf_puts(out, "a broker's dynamic config");
            break;
        case LS_DYNAMIC_DEFAULT: buf_puts(out, "cluster-wide dynamic default"); break;
        case LS_STATIC_BROKER:
            if (b >= 0)
                buf_printf(out, "broker %d's server.properties", b);
            else
                buf_puts(out, "a broker's server.properties");
            break;
        case LS_DEFAULT: buf_puts(out, "Kafka's default"); break;
        default: buf_puts(out, "live value"); break;
        }
        buf_printf(out, " (%s)", live_source_name((enum live_source)e->live_source));
        break;
    }
    case ORIG_DERIVED: buf_puts(out, e->set && e->set->note ? e->set->note : "derived"); break;
    case ORIG_DEFAULT:
        version_fmt(e->version, ver, sizeof ver);
        if (e->from && (e->from->kind == OBJ_PRODUCER || e->from->kind == OBJ_CONSUMER)) {
            const struct client *c = (const struct client *)e->from;
            buf_printf(out, "default of %s %s",
                       c->ckind == CK_LIBRDKAFKA ? "librdkafka" : "Java client", ver);
            if (c->version_assumed)
                buf_puts(out, " (assumed)");
        } else {
            if (m->cluster.version_inferred)
                buf_printf(out, "default of Kafka %s (inferred)", m->cluster.version_range);
            else
                buf_printf(out, "default of Kafka %s", ver);
            if (!m->cluster.kafka_version.set)
                buf_puts(out, " (assumed)");
        }
        if (e->inconsistent)
            buf_puts(out, " on the lowest-id broker; brokers disagree");
        break;
    default:
        if (e->unread)
            buf_printf(out, "unknown: %s", e->unread);
        else if (e->dflt)
            buf_printf(out,
                       "inherited from the broker config, which no input gives (Kafka "
                       "default: %s)",
                       e->dflt);
        else
            buf_puts(out, "not set");
    }
}

const char *effective_display(const struct eff *e)
{
    if (e->sensitive && (e->value || (e->set && e->set->value)))
        return "[hidden]";
    if (e->set && e->set->invalid)
        return e->set->value; /* shown as written; it is reported as invalid */
    return e->value ? e->value : "null";
}
