/*
 * engine_builtin.c - checks that are about the configuration text itself
 * rather than Kafka semantics, implemented in C.  Their metadata (id,
 * title, severity, rationale, examples) lives in the rules directory like any
 * other rule, under "check: <name>".
 *
 *   unknown-key       a key close to a real one (typo), or a key of another
 *                     family (a broker setting in a producer file)
 *   unrecognized-key  a key kafkaudit does not know at all
 *   invalid-value     a value the client or broker would reject
 *   duplicate-key     the same key twice on one object (last one wins)
 */
#include "model/catalog.h"
#include "model/effective.h"
#include "rules/engine_internal.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

static const char *const checks[] = {"unknown-key", "unrecognized-key", "invalid-value",
                                     "duplicate-key", NULL};

bool builtin_check_known(const char *name)
{
    for (int i = 0; checks[i]; i++)
        if (strcmp(checks[i], name) == 0)
            return true;
    return false;
}

/* Keys that legitimately appear in Kafka config files without being
 * Kafka settings: vendor extensions and serializer/converter settings
 * passed through the client configuration map. */
static const char *const passthrough_prefixes[] = {
    "confluent.",
    "redpanda.",
    "aiven.",
    "strimzi.",
    "schema.registry.",
    "basic.auth.",
    "bearer.auth.",
    "specific.avro.",
    "avro.",
    "json.",
    "protobuf.",
    "value.subject.",
    "key.subject.",
    "auto.register.",
    "use.latest.",
    "latest.compatibility.",
    "spring.",
    "value.converter",
    "key.converter",
    "ssl.endpoint.identification.",
    "kafkaudit.",
    "sasl.login.callback.",
    "value.serializer.",
    "key.serializer.",
    "value.deserializer.",
    "key.deserializer.",
    "normalize.schemas",
    "use.schema.id",
    "rule.",
    "wrapper.",
    /* broker plugins (authorizers, reporters) read their own keys */
    "super.users",
    "authorizer.",
    "allow.everyone.if.no.acl.found",
    "metric.reporters.",
    "listener.name.",
    /* the logging framework's, not Kafka's (a Strimzi spec.kafka.config
     * or a server.properties may carry them) */
    "log4j.",
    "log4j2.",
    NULL,
};

static bool passthrough(const char *k)
{
    for (int i = 0; passthrough_prefixes[i]; i++)
        if (str_starts(k, passthrough_prefixes[i]))
            return true;
    return false;
}

static const char *family_desc(const struct object *o)
{
    switch (object_family(o)) {
    case CF_BROKER: return "broker";
    case CF_TOPIC: return "topic";
    case CF_JAVA_PRODUCER: return "Java producer";
    case CF_JAVA_CONSUMER: return "Java consumer";
    case CF_RDK_PRODUCER: return "librdkafka producer";
    case CF_RDK_CONSUMER: return "librdkafka consumer";
    default: return "configuration";
    }
}

static const char *other_family(const char *key, enum cat_family fam)
{
    /* the same client library first: a librdkafka consumer key in a
     * librdkafka producer file is "a librdkafka consumer setting" */
    static const struct {
        uint32_t f;
        const char *d;
    } java[] = {{CF_JAVA_PRODUCER, "a Java producer setting"},
                {CF_JAVA_CONSUMER, "a Java consumer setting"},
                {CF_RDK_PRODUCER, "a librdkafka producer setting"},
                {CF_RDK_CONSUMER, "a librdkafka consumer setting"},
                {CF_BROKER, "a broker setting"},
                {CF_TOPIC, "a topic setting"}},
      rdk[] = {{CF_RDK_PRODUCER, "a librdkafka producer setting"},
               {CF_RDK_CONSUMER, "a librdkafka consumer setting"},
               {CF_JAVA_PRODUCER, "a Java producer setting"},
               {CF_JAVA_CONSUMER, "a Java consumer setting"},
               {CF_BROKER, "a broker setting"},
               {CF_TOPIC, "a topic setting"}},
      server[] = {{CF_BROKER, "a broker setting"},
                  {CF_TOPIC, "a topic setting"},
                  {CF_JAVA_PRODUCER, "a Java producer setting"},
                  {CF_JAVA_CONSUMER, "a Java consumer setting"},
                  {CF_RDK_PRODUCER, "a librdkafka producer setting"},
                  {CF_RDK_CONSUMER, "a librdkafka consumer setting"}};
    const __typeof__(java[0]) *order = (fam & CF_RDK_CLIENT)    ? rdk
                                       : (fam & CF_JAVA_CLIENT) ? java
                                                                : server;
    for (size_t i = 0; i < 6; i++)
        if (order[i].f != fam && catalog_find(key, (enum cat_family)order[i].f))
            return order[i].d;
    return NULL;
}

/* Names under spring.kafka.<role>.* that Spring Boot does not define and
 * that are close to none of its names: usually the application's own
 * settings (bound by its own @ConfigurationProperties).  Said once per
 * file, as one info line listing them. */
struct app_keys {
    const struct object *o;
    const struct setting *s; /* the first one */
    struct buf names;
    uint32_t n;
};

struct bctx {
    const struct rule *r;
    const struct model *m;
    struct finding_list *out;
    struct hmap seen;
    struct app_keys *ak;
    uint32_t nak, capak;
};

static void app_key(struct bctx *b, const struct object *o, const struct setting *s,
                    const char *written)
{
    struct app_keys *a = NULL;
    for (uint32_t i = 0; i < b->nak && !a; i++)
        if (b->ak[i].s->key_loc.file == s->key_loc.file)
            a = &b->ak[i];
    if (!a) {
        XGROW(b->ak, b->capak, b->nak + 1);
        a = &b->ak[b->nak++];
        memset(a, 0, sizeof *a);
        a->o = o;
        a->s = s;
    }
    if (a->n < 8)
        buf_printf(&a->names, "%s%s", a->n ? ", " : "", written);
    a->n++;
}

static void emit(struct bctx *b, const struct object *o, const struct setting *s, struct loc loc,
                 const char *msg, const char *fix);

static void flush_app_keys(struct bctx *b)
{
    char msg[1024];
    for (uint32_t i = 0; i < b->nak; i++) {
        struct app_keys *a = &b->ak[i];
        snprintf(msg, sizeof msg,
                 "%u %s under spring.kafka.* %s (%s%s): Spring ignores %s; an application's "
                 "own settings are fine there, a Kafka setting is not",
                 a->n, a->n == 1 ? "name" : "names",
                 a->n == 1 ? "is not a Spring Boot property" : "are not Spring Boot properties",
                 buf_str(&a->names), a->n > 8 ? ", ..." : "", a->n == 1 ? "it" : "them");
        struct setting key = *a->s;
        key.written = "spring.kafka.*"; /* one finding per file and object */
        emit(b, a->o, &key, a->s->key_loc, msg,
             "Kafka settings without a Spring Boot name go under "
             "spring.kafka.producer.properties.* or spring.kafka.consumer.properties.*");
        buf_release(&a->names);
    }
    free(b->ak);
}

static void emit(struct bctx *b, const struct object *o, const struct setting *s, struct loc loc,
                 const char *msg, const char *fix)
{
    /* One finding per (object, key, line): fingerprint includes the key. */
    const struct object *obj = o == &b->m->every_broker.o ? &b->m->cluster.o : o;
    engine_emit(b->out, &b->seen, b->r, loc, obj, NULL, obj, s->written ? s->written : s->key, msg,
                fix);
}

/* The object as messages name it; what: "topic", "producer", "consumer",
 * or NULL for the cluster and brokers.  Formatted only for a finding. */
static const char *name_of(const struct bctx *b, const struct object *o, const char *what,
                           char *buf, size_t size)
{
    if (!what)
        return o == &b->m->cluster.o ? "cluster config" : o->name;
    snprintf(buf, size, "%s %s", what, o->name);
    return buf;
}

static bool version_assumed(const struct model *m, const struct object *o)
{
    if (o->kind == OBJ_PRODUCER || o->kind == OBJ_CONSUMER)
        return ((const struct client *)o)->version_assumed;
    return m->cluster.version_assumed;
}

static void check_object(struct bctx *b, const struct object *o, const char *what)
{
    enum cat_family fam = object_family(o);
    if (!fam)
        return;
    char tmp[256], msg[1024], fix[512], nbuf[256];
#define NAME name_of(b, o, what, nbuf, sizeof nbuf)
    for (const struct setting *s = o->cfg; s; s = s->next) {
        if (s->origin != ORIG_FILE)
            continue;
        const char *written = s->written ? s->written : s->key;
        /* written may be an alias (looked up as written) or a spelling of
         * another dialect (Spring's property name, a KAFKA_* env name):
         * then the key it was mapped to is what the client sees */
        const char *lookup = written;
        const struct cat_key *k;
        if (s->cat && s->cat_family == fam) {
            k = s->cat; /* resolved when the setting was recorded */
        } else {
            if (s->written && !catalog_find(s->written, fam))
                lookup = s->key;
            k = catalog_resolve(catalog_find(lookup, fam), fam);
        }
        const char *check = b->r->check;
        if (s->suggest) /* the reader knows it is no setting (a Spring name) */
            k = NULL;
        if (!k) {
            if (passthrough(lookup) && !s->suggest)
                continue;
            const char *sug =
                s->suggest ? (*s->suggest ? s->suggest : NULL) : catalog_suggest(lookup, fam);
            const char *other = s->suggest ? NULL : other_family(lookup, fam);
            bool misspelt = sug || other;
            if (strcmp(check, "unknown-key") == 0 && misspelt) {
                if (other && !sug) {
                    snprintf(msg, sizeof msg,
                             "'%s' is %s; it has no effect in a %s configuration (%s)", written,
                             other, family_desc(o), NAME);
                    snprintf(fix, sizeof fix, "move '%s' to where it applies, or remove it",
                             written);
                } else if (s->suggest) {
                    snprintf(msg, sizeof msg,
                             "Spring Boot has no property '%s' (%s): it is ignored at startup; "
                             "did you mean '%s'?",
                             written, NAME, sug);
                    snprintf(fix, sizeof fix, "rename it to '%s'", sug);
                } else {
                    snprintf(msg, sizeof msg, "unknown %s key '%s' (%s); did you mean '%s'?",
                             family_desc(o), written, NAME, sug);
                    snprintf(fix, sizeof fix, "rename it to '%s'", sug);
                }
                emit(b, o, s, s->key_loc, msg, fix);
            } else if (strcmp(check, "unrecognized-key") == 0 && !misspelt && s->suggest) {
                app_key(b, o, s, written);
            } else if (strcmp(check, "unrecognized-key") == 0 && !misspelt) {
                snprintf(msg, sizeof msg,
                         "'%s' is not a setting kafkaudit knows for a %s (%s); unless a plugin "
                         "or a newer version reads it, it has no effect",
                         written, family_desc(o), NAME);
                emit(b, o, s, s->key_loc, msg, "");
            }
            continue;
        }
        if (strcmp(check, "unrecognized-key") == 0 && k->removed) {
            /* known, but no longer read by this object's version */
            struct version v = object_version(b->m, o);
            if (v.set && version_ge(v, k->removed)) {
                char vs[32];
                version_fmt(v, vs, sizeof vs);
                snprintf(msg, sizeof msg,
                         "'%s' was removed in %s %s (%s is %s %s%s): it has no effect", written,
                         o->kind == OBJ_PRODUCER || o->kind == OBJ_CONSUMER ? "client" : "Kafka",
                         k->removed, NAME,
                         o->kind == OBJ_PRODUCER || o->kind == OBJ_CONSUMER ? "client" : "Kafka",
                         vs, version_assumed(b->m, o) ? ", assumed" : "");
                emit(b, o, s, s->key_loc, msg, "");
            }
            continue;
        }
        /* s->invalid: checked when the setting was recorded against its
         * own catalog entry */
        if (strcmp(check, "invalid-value") == 0 && s->value && (s->invalid || k != s->cat)) {
            const char *why = catalog_check_value(k, s->value, tmp, sizeof tmp);
            if (why) {
                snprintf(msg, sizeof msg, "invalid value '%s' for %s (%s): expected %s%s",
                         s->sensitive ? "[hidden]" : s->value, written, NAME, why,
                         strstr(s->value, " #") || strstr(s->value, "\t#")
                             ? "; .properties files have no inline comments"
                             : "");
                emit(b, o, s, s->loc, msg, "");
            }
        } else if (strcmp(check, "invalid-value") == 0 && s->value &&
                   strcmp(k->name, "auto.offset.reset") == 0 && (k->families & CF_JAVA_CONSUMER) &&
                   strncasecmp(s->value, "by_duration:", 12) == 0) {
            /* valid only from Java client 4.0 (KIP-1106); with the
             * version only assumed, the value itself says 4.0 or later */
            struct version v = object_version(b->m, o);
            if (v.set && !version_assumed(b->m, o) && !version_ge(v, "4.0")) {
                char vs[32];
                version_fmt(v, vs, sizeof vs);
                snprintf(msg, sizeof msg,
                         "invalid value '%s' for %s (%s): by_duration is accepted from Java "
                         "client 4.0 (KIP-1106); this client is %s%s, which refuses it at "
                         "start-up",
                         s->value, written, NAME, vs, "");
                emit(b, o, s, s->loc, msg, "set a Java client 4.0 or later, or use earliest");
            }
        } else if (strcmp(check, "duplicate-key") == 0) {
            /* s is newer than anything after it in the list */
            for (const struct setting *t = s->next; t; t = t->next) {
                if (t->origin != ORIG_FILE || t->key != s->key || t->loc.file != s->loc.file)
                    continue;
                /* for a secret, not even whether the two are equal is told */
                const char *tw = t->written ? t->written : t->key;
                if (strcmp(tw, written) != 0)
                    /* two spellings of one setting (Spring's named property
                     * and its properties.* map, a legacy alias) */
                    snprintf(msg, sizeof msg,
                             "%s (line %u) has no effect for %s: %s (line %u) sets %s to %s", tw,
                             t->key_loc.line, NAME, written, s->key_loc.line, s->key,
                             s->sensitive ? "[hidden]"
                             : s->value   ? s->value
                                          : "null");
                else if (str_eq(t->value, s->value) && !s->sensitive)
                    snprintf(msg, sizeof msg, "%s is set twice for %s (lines %u and %u)", written,
                             NAME, t->key_loc.line, s->key_loc.line);
                else
                    snprintf(msg, sizeof msg,
                             "%s is set twice for %s: line %u is overridden by line %u (%s)",
                             written, NAME, t->key_loc.line, s->key_loc.line,
                             s->sensitive ? "[hidden]"
                             : s->value   ? s->value
                                          : "null");
                snprintf(fix, sizeof fix, "remove one of them");
                emit(b, o, t, t->key_loc, msg, fix);
                break;
            }
        }
    }
#undef NAME
}

void builtin_check_run(const struct rule *r, const struct model *m, struct finding_list *out)
{
    struct bctx b = {r, m, out, {0}, NULL, 0, 0};
    hmap_init(&b.seen);
    check_object(&b, &m->cluster.o, NULL);
    for (uint32_t i = 0; i < m->nbrokers; i++)
        check_object(&b, &m->brokers[i]->o, NULL);
    for (uint32_t i = 0; i < m->ncontrollers; i++)
        check_object(&b, &m->controllers[i]->o, NULL);
    for (uint32_t i = 0; i < m->ntopics; i++)
        check_object(&b, &m->topics[i]->o, "topic");
    for (uint32_t i = 0; i < m->nproducers; i++)
        check_object(&b, &m->producers[i]->o, "producer");
    for (uint32_t i = 0; i < m->nconsumers; i++)
        check_object(&b, &m->consumers[i]->o, "consumer");
    flush_app_keys(&b);
    const char *k;
    for (size_t it = 0; hmap_next(&b.seen, &it, &k, NULL);)
        free((char *)k);
    hmap_release(&b.seen);
}
