/*
 * properties.c - Java .properties files: a broker's server.properties or
 * a producer/consumer client configuration.
 *
 * What a file is comes from, in order:
 *   1. a directive comment:  # kafkaudit: role=producer name=orders
 *                              client="java 3.6" topics=orders,payments
 *                              group=billing broker=1
 *   2. its keys: broker.id, node.id, process.roles, log.dirs, listeners,
 *      zookeeper.connect => broker; group.id, *.deserializer,
 *      auto.offset.reset, enable.auto.commit, isolation.level => consumer;
 *      *.serializer, acks, transactional.id, linger.ms, ... => producer
 *   3. its name: server*.properties, *producer*, *consumer*.
 * librdkafka-only keys (queue.buffering.max.ms, request.required.acks,
 * enable.auto.offset.store, ...) make a client a librdkafka client.
 */
#include "input/detect.h"
#include "input/input.h"
#include "input/props_dialect.h"
#include "syntax/props.h"
#include "model/catalog.h"
#include "model/effective.h"
#include "util/strutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* key=value tokens; values may be "quoted". */
static void parse_directive(struct model *m, uint32_t file, const struct prop_comment *c,
                            struct directive *d)
{
    const char *s = c->text + strlen("kafkaudit:");
    d->line = c->line;
    d->col = c->col;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        const char *k = s;
        while (*s && *s != '=' && *s != ' ')
            s++;
        size_t kl = (size_t)(s - k);
        if (*s != '=') {
            struct loc l = {file, c->line, c->col};
            diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                     "malformed kafkaudit directive near '%.*s' (expected key=value)", (int)kl, k);
            return;
        }
        s++;
        uint32_t vcol = c->col + 2 + (uint32_t)(s - c->text);
        const char *v;
        size_t vl;
        if (*s == '"') {
            v = ++s;
            while (*s && *s != '"')
                s++;
            vl = (size_t)(s - v);
            if (*s)
                s++;
        } else {
            v = s;
            while (*s && *s != ' ' && *s != '\t')
                s++;
            vl = (size_t)(s - v);
        }
        char *val = arena_strndup(&m->arena, v, vl);
        if (kl == 4 && strncmp(k, "role", 4) == 0) {
            if (strcmp(val, "broker") == 0)
                d->role = PR_BROKER;
            else if (strcmp(val, "producer") == 0)
                d->role = PR_PRODUCER;
            else if (strcmp(val, "consumer") == 0)
                d->role = PR_CONSUMER;
            else {
                struct loc l = {file, c->line, vcol};
                diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                         "unknown role '%s' (expected broker, producer or consumer)", val);
            }
        } else if (kl == 4 && strncmp(k, "name", 4) == 0) {
            d->name = val;
        } else if (kl == 6 && strncmp(k, "client", 6) == 0) {
            d->client = val;
            d->client_col = vcol;
        } else if (kl == 6 && strncmp(k, "topics", 6) == 0) {
            d->topics = val;
            d->topics_col = vcol;
        } else if (kl == 5 && strncmp(k, "group", 5) == 0) {
            d->group = val;
            d->group_col = vcol;
        } else if (kl == 6 && strncmp(k, "broker", 6) == 0) {
            if (str_to_i64(val, &d->broker)) {
                struct loc l = {file, c->line, vcol};
                diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l, "broker must be an integer id");
            } else
                d->has_broker = true;
        } else {
            struct loc l = {file, c->line, c->col};
            struct diag *dg = diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                                       "unknown kafkaudit directive '%.*s'", (int)kl, k);
            diag_hint(dg, "directives: role, name, client, topics, group, broker");
        }
    }
}

static const char *const broker_keys[] = {"broker.id",
                                          "node.id",
                                          "process.roles",
                                          "log.dirs",
                                          "log.dir",
                                          "listeners",
                                          "zookeeper.connect",
                                          "controller.quorum.voters",
                                          "num.network.threads",
                                          NULL};
static const char *const consumer_keys[] = {"group.id",
                                            "key.deserializer",
                                            "value.deserializer",
                                            "auto.offset.reset",
                                            "enable.auto.commit",
                                            "isolation.level",
                                            "max.poll.records",
                                            "enable.auto.offset.store",
                                            "group.instance.id",
                                            "partition.assignment.strategy",
                                            "auto.commit.enable",
                                            "consumer.timeout.ms",
                                            NULL};
static const char *const producer_keys[] = {"key.serializer",
                                            "value.serializer",
                                            "acks",
                                            "transactional.id",
                                            "enable.idempotence",
                                            "linger.ms",
                                            "batch.size",
                                            "delivery.timeout.ms",
                                            "request.required.acks",
                                            "queue.buffering.max.ms",
                                            "message.send.max.retries",
                                            "retries",
                                            "compression.type",
                                            "max.in.flight.requests.per.connection",
                                            "metadata.broker.list",
                                            "producer.type",
                                            "serializer.class",
                                            NULL};

/* A key some Kafka broker, topic or client (Java, librdkafka) knows. */
static bool is_kafka_key(const char *k)
{
    static const enum cat_family fams[] = {CF_BROKER,        CF_TOPIC,        CF_JAVA_PRODUCER,
                                           CF_JAVA_CONSUMER, CF_RDK_PRODUCER, CF_RDK_CONSUMER};
    for (size_t i = 0; i < sizeof fams / sizeof *fams; i++)
        if (catalog_find(k, fams[i]))
            return true;
    return detect_kafka_key(k) && strcmp(detect_kafka_key(k), k) == 0;
}

static bool in_list(const char *k, const char *const *l)
{
    for (int i = 0; l[i]; i++)
        if (strcmp(k, l[i]) == 0)
            return true;
    return false;
}

/*
 * Kafka's Scala clients (kafka.producer.Producer, the ZooKeeper-based
 * high-level consumer: the 0.8 API, deprecated in 0.10/0.11 and removed in
 * 2.0) are configured with keys of their own.  librdkafka borrowed some
 * (request.required.acks, metadata.broker.list, message.send.max.retries),
 * so only keys librdkafka never had tell them apart.  Their defaults are
 * not the Java clients': the Scala producer does not wait for any
 * acknowledgement unless told (request.required.acks=0,
 * core/src/main/scala/kafka/producer/SyncProducerConfig.scala@0.8.2.2
 * DefaultRequiredAcks), retries 3 times (message.send.max.retries,
 * ProducerConfig.scala) and sends one request at a time; the old consumer
 * commits what its iterator handed out every 60 s (auto.commit.enable,
 * auto.commit.interval.ms, kafka/consumer/ConsumerConfig.scala@0.8.2.2)
 * and starts at the log end (auto.offset.reset=largest).
 * https://kafka.apache.org/082/documentation.html#producerconfigs
 */
static const char *const legacy_producer_marks[] = {"producer.type",
                                                    "serializer.class",
                                                    "key.serializer.class",
                                                    "broker.list",
                                                    "compressed.topics",
                                                    "queue.enqueue.timeout.ms",
                                                    NULL};
static const char *const legacy_consumer_marks[] = {"zookeeper.connect",
                                                    "consumer.timeout.ms",
                                                    "offsets.storage",
                                                    "dual.commit.enabled",
                                                    "rebalance.max.retries",
                                                    "zookeeper.session.timeout.ms",
                                                    "zookeeper.connection.timeout.ms",
                                                    NULL};

/* The first key that marks a Scala client's file, or NULL. */
static const struct prop *legacy_mark(const struct props *p, enum prole role)
{
    const char *const *marks = role == PR_PRODUCER ? legacy_producer_marks : legacy_consumer_marks;
    for (uint32_t i = 0; i < p->n; i++)
        if (in_list(p->v[i].key, marks) ||
            (role == PR_PRODUCER && strcmp(p->v[i].key, "partitioner.class") == 0 &&
             str_starts(p->v[i].value, "kafka.")))
            return &p->v[i];
    return NULL;
}

/* The Java client key a Scala client's key means, NULL for keys that have
 * no counterpart (not modelled: they bear on no rule). */
static const char *legacy_key(enum prole role, const char *k)
{
    static const char *const producer[][2] = {{"request.required.acks", "acks"},
                                              {"metadata.broker.list", "bootstrap.servers"},
                                              {"broker.list", "bootstrap.servers"},
                                              {"message.send.max.retries", "retries"},
                                              {"retry.backoff.ms", "retry.backoff.ms"},
                                              {"compression.codec", "compression.type"},
                                              {"client.id", "client.id"},
                                              {"request.timeout.ms", "request.timeout.ms"},
                                              {NULL, NULL}};
    static const char *const consumer[][2] = {
        {"group.id", "group.id"},
        {"auto.commit.enable", "enable.auto.commit"},
        {"auto.commit.interval.ms", "auto.commit.interval.ms"},
        {"auto.offset.reset", "auto.offset.reset"},
        {"client.id", "client.id"},
        {NULL, NULL}};
    const char *const(*t)[2] = role == PR_PRODUCER ? producer : consumer;
    for (int i = 0; t[i][0]; i++)
        if (strcmp(t[i][0], k) == 0)
            return t[i][1];
    return NULL;
}

static void legacy_default(struct model *m, struct object *o, const char *key, const char *value,
                           const char *note)
{
    if (object_get(o, key))
        return;
    struct setting *s = object_set_key(m, o, key, value, ORIG_DERIVED, o->loc, o->loc);
    s->note = note;
}

static void legacy_defaults(struct model *m, struct object *o, enum prole role)
{
    if (role == PR_PRODUCER) {
        legacy_default(m, o, "acks", "0",
                       "default of Kafka 0.8's Scala producer: request.required.acks=0");
        legacy_default(m, o, "retries", "3",
                       "default of Kafka 0.8's Scala producer: message.send.max.retries=3");
        legacy_default(m, o, "max.in.flight.requests.per.connection", "1",
                       "Kafka 0.8's Scala producer sends one request at a time");
    } else {
        legacy_default(m, o, "enable.auto.commit", "true",
                       "default of Kafka 0.8's Scala consumer: auto.commit.enable=true");
        legacy_default(m, o, "auto.commit.interval.ms", "60000",
                       "default of Kafka 0.8's Scala consumer");
        legacy_default(m, o, "auto.offset.reset", "latest",
                       "default of Kafka 0.8's Scala consumer: auto.offset.reset=largest");
    }
}

static enum prole guess_role(const struct props *p, const char *path)
{
    int b = 0, c = 0, pr = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        b += in_list(p->v[i].key, broker_keys);
        c += in_list(p->v[i].key, consumer_keys);
        pr += in_list(p->v[i].key, producer_keys);
    }
    if (b && b >= c && b >= pr)
        return PR_BROKER;
    if (c > pr)
        return PR_CONSUMER;
    if (pr > c)
        return PR_PRODUCER;
    const char *name = basename_of(path);
    if (strstr(name, "server") || strstr(name, "broker"))
        return PR_BROKER;
    if (strstr(name, "consumer"))
        return PR_CONSUMER;
    if (strstr(name, "producer"))
        return PR_PRODUCER;
    return PR_UNKNOWN;
}

static bool looks_librdkafka(const struct props *p, enum cat_family java, enum cat_family rdk)
{
    for (uint32_t i = 0; i < p->n; i++) {
        const char *k = p->v[i].key;
        if (catalog_find(k, rdk) && !catalog_find(k, java))
            return true;
    }
    return false;
}

static const char other_log4j[] = "a log4j configuration";
static const char other_zk[] = "a ZooKeeper configuration";
static const char other_connect[] = "a Kafka Connect worker or connector configuration";

/* Files found next to Kafka configs that are not broker or client
 * configs: what they are (one of other_*), or NULL. */
static const char *other_kind(const struct props *p, const char *path)
{
    const char *name = basename_of(path);
    int log4j = 0, zk = 0, connect = 0;
    for (uint32_t i = 0; i < p->n; i++) {
        const char *k = p->v[i].key;
        log4j += str_starts(k, "log4j.") || str_starts(k, "appender.") ||
                 str_starts(k, "rootLogger") || str_starts(k, "logger.");
        zk += strcmp(k, "dataDir") == 0 || strcmp(k, "clientPort") == 0 ||
              strcmp(k, "tickTime") == 0 || strcmp(k, "initLimit") == 0;
        connect += strcmp(k, "key.converter") == 0 || strcmp(k, "value.converter") == 0 ||
                   strcmp(k, "offset.storage.topic") == 0 ||
                   strcmp(k, "config.storage.topic") == 0 ||
                   strcmp(k, "offset.storage.file.filename") == 0 ||
                   strcmp(k, "plugin.path") == 0 || strcmp(k, "connector.class") == 0;
    }
    if (log4j || str_starts(name, "log4j") || str_ends(name, "-log4j.properties"))
        return other_log4j;
    if (zk >= 2 || str_starts(name, "zookeeper"))
        return other_zk;
    if (connect || str_starts(name, "connect-"))
        return other_connect;
    return NULL;
}

/* The broker or controller a server.properties configures: its id from
 * the directive (brokers), broker.id or node.id (controllers: node.id),
 * else a placeholder named after the file.  It runs from this file, so
 * Kafka's own defaults apply to what the file leaves unset (KA418,
 * KA419). */
static struct broker *file_node(struct model *m, const struct src_file *f, uint32_t file,
                                struct loc first, const struct props *p, const struct directive *d,
                                bool controller)
{
    int64_t id = -1;
    bool have_id = !controller && d->has_broker;
    if (have_id)
        id = d->broker;
    for (uint32_t i = 0; i < p->n && !have_id; i++)
        if ((strcmp(p->v[i].key, "node.id") == 0 ||
             (!controller && strcmp(p->v[i].key, "broker.id") == 0)) &&
            str_to_i64(p->v[i].value, &id) == 0 && id >= 0 && id <= INT32_MAX)
            have_id = true;
    if (!have_id)
        id = -(int64_t)file - 1; /* distinct placeholder per file */
    const char *kind = controller ? "controller" : "broker";
    bool created;
    struct broker *b = controller ? model_controller(m, (int32_t)id, first, &created)
                                  : model_broker(m, (int32_t)id, first, &created);
    if (!have_id)
        b->o.name = arena_printf(&m->arena, "%s in %s", kind, f->path);
    else if (!created)
        diag_add(&m->diags, DIAG_WARNING, DK_INPUT, first,
                 "%s %d is configured in more than one file; settings are merged", kind, (int)id);
    if (!b->server_properties) {
        b->server_properties = true;
        b->server_properties_loc = first;
    }
    return b;
}

/* ---- the dialects ------------------------------------------------------------ */

/* Kafka's config/ directory ships these next to server.properties: not a
 * mistake, just not something kafkaudit audits. */
static void read_not_audited(const struct pfile *pf, const char *why)
{
    model_note_read(pf->m, pf->file, "none", "%s", why);
    diag_add(&pf->m->diags, pf->explicit_path ? DIAG_WARNING : DIAG_NOTE, DK_INPUT, pf->first,
             "%s, not a broker, producer or consumer configuration; not audited", why);
}

static const char *detect_log4j(const struct pfile *pf)
{
    return !pf->d->role && other_kind(pf->p, pf->f->path) == other_log4j ? other_log4j : NULL;
}

static const char *detect_zookeeper(const struct pfile *pf)
{
    return !pf->d->role && other_kind(pf->p, pf->f->path) == other_zk ? other_zk : NULL;
}

static const char *detect_connect(const struct pfile *pf)
{
    return !pf->d->role && other_kind(pf->p, pf->f->path) == other_connect ? other_connect : NULL;
}

/* Content decides: a file with no key of Kafka's (a Minecraft
 * server.properties, an application's own settings) is not Kafka's,
 * whatever its name. */
static const char *detect_not_kafka(const struct pfile *pf)
{
    return !pf->d->role && !pf->nkafka ? "no Kafka settings" : NULL;
}

static void read_not_kafka(const struct pfile *pf, const char *why)
{
    (void)why;
    struct model *m = pf->m;
    model_note_read(m, pf->file, "none", "no Kafka settings among its %u keys", pf->p->n);
    if (pf->explicit_path && !pf->p->n) /* as an empty YAML file */
        diag_add(&m->diags, DIAG_WARNING, DK_INPUT, (struct loc){pf->file, 0, 0}, "empty file");
    else if (pf->explicit_path) {
        /* as for YAML: named, said, but no build fails for it */
        struct diag *dg = diag_add(&m->diags, DIAG_WARNING, DK_INPUT, pf->first,
                                   "not a Kafka configuration: none of its keys is a "
                                   "Kafka broker, topic or client setting; not audited");
        diag_hint(dg, "if it is one, say so with a directive comment such as "
                      "'# kafkaudit: role=broker'");
    }
}

static const char *detect_unclear(const struct pfile *pf)
{
    return pf->role == PR_UNKNOWN ? "Kafka settings of no clear role" : NULL;
}

static void read_unclear(const struct pfile *pf, const char *why)
{
    model_note_read(pf->m, pf->file, "not-understood", "%s", why);
    /* Named on the command line: the user meant it to be audited. */
    struct diag *dg =
        diag_add(&pf->m->diags, pf->explicit_path ? DIAG_ERROR : DIAG_WARNING, DK_INPUT, pf->first,
                 "cannot tell whether this is a broker, producer or consumer configuration; "
                 "it was not audited");
    diag_hint(dg, "add a directive comment such as '# kafkaudit: role=producer topics=orders'");
}

/* "read as properties: broker settings" (lint -v) */
static void note_role(const struct pfile *pf)
{
    static const char *const role_names[] = {"?", "broker", "producer", "consumer"};
    model_note_read(pf->m, pf->file, "properties", "%s %s", role_names[pf->role],
                    pf->d->role ? "(kafkaudit directive)" : "settings");
}

/* Every key of the file onto obj; a Scala client's (legacy) translated to
 * the Java client's key it means, those without one left out. */
static void set_all(const struct pfile *pf, struct object *obj, bool legacy)
{
    struct model *m = pf->m;
    const struct props *p = pf->p;
    for (uint32_t i = 0; i < p->n; i++) {
        struct loc kl = {pf->file, p->v[i].line, p->v[i].key_col};
        struct loc vl = {pf->file, p->v[i].val_line, p->v[i].val_col};
        if (legacy) {
            const char *k = legacy_key(pf->role, p->v[i].key);
            if (!k)
                continue;
            const char *v = p->v[i].value;
            if (strcmp(k, "auto.offset.reset") == 0)
                v = strcmp(v, "largest") == 0    ? "latest"
                    : strcmp(v, "smallest") == 0 ? "earliest"
                                                 : v;
            struct setting *s = object_set_key(m, obj, k, v, ORIG_FILE, kl, vl);
            if (strcmp(k, p->v[i].key) != 0)
                s->written = model_intern(m, p->v[i].key);
            if (v != p->v[i].value)
                s->note =
                    arena_printf(&m->arena, "%s in Kafka 0.8's Scala consumer", p->v[i].value);
            continue;
        }
        object_set_key(m, obj, p->v[i].key, p->v[i].value, ORIG_FILE, kl, vl);
    }
}

/* A broker's or controller's rack from its broker.rack. */
static void node_rack(struct broker *b)
{
    const struct setting *rs = object_get(&b->o, "broker.rack");
    if (rs && rs->value && rs->value[0]) {
        b->rack = rs->value;
        b->rack_loc = rs->loc;
    }
}

/* KRaft controller-only nodes hold no partitions: not brokers, but they
 * keep the cluster's metadata log (rules of scope controller). */
static const char *detect_controller(const struct pfile *pf)
{
    if (pf->role != PR_BROKER || pf->d->has_broker)
        return NULL;
    const char *why = NULL;
    for (uint32_t i = 0; i < pf->p->n; i++)
        if (strcmp(pf->p->v[i].key, "process.roles") == 0 && !strstr(pf->p->v[i].value, "broker"))
            why = "process.roles without broker";
    return why;
}

static void read_controller(const struct pfile *pf, const char *why)
{
    (void)why;
    note_role(pf);
    /* not m->cluster.declared: a controller's file says nothing of the
     * brokers' configuration */
    struct broker *b = file_node(pf->m, pf->f, pf->file, pf->first, pf->p, pf->d, true);
    set_all(pf, &b->o, false);
    node_rack(b);
}

static const char *detect_broker(const struct pfile *pf)
{
    return pf->role == PR_BROKER ? "broker settings" : NULL;
}

static void read_broker(const struct pfile *pf, const char *why)
{
    (void)why;
    struct model *m = pf->m;
    note_role(pf);
    struct broker *b = file_node(m, pf->f, pf->file, pf->first, pf->p, pf->d, false);
    m->cluster.declared = true;
    /* one file per broker: the inputs may hold only some of them */
    m->cluster.brokers_partial = true;
    if (!m->cluster.o.loc.file)
        m->cluster.o.loc = pf->first; /* cluster findings point at a broker file */
    set_all(pf, &b->o, false);
    node_rack(b);
}

/* The producer or consumer the file configures, named by the directive or
 * the file, with the directive's client version. */
static struct client *open_client(const struct pfile *pf)
{
    struct model *m = pf->m;
    const struct directive *d = pf->d;
    note_role(pf);
    enum obj_kind kind = pf->role == PR_PRODUCER ? OBJ_PRODUCER : OBJ_CONSUMER;
    char name[256];
    if (d->name)
        snprintf(name, sizeof name, "%s", d->name);
    else {
        snprintf(name, sizeof name, "%s", basename_of(pf->f->path));
        char *dot = strrchr(name, '.');
        if (dot && dot != name)
            *dot = '\0';
    }
    struct client *c = model_client(m, kind, name, pf->first, NULL);
    if (d->client) {
        enum client_kind ck;
        struct version v;
        struct loc l = {pf->file, d->line, d->client_col};
        if (client_spec_parse(d->client, &ck, &v))
            diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                     "client must be \"java [VERSION]\" or \"librdkafka [VERSION]\", not '%s'",
                     d->client);
        else {
            c->ckind = (uint8_t)ck;
            c->version = v;
            c->client_loc = l;
        }
    }
    return c;
}

/* The directive's topics and group onto the client; whether its version
 * is assumed (a Scala client's, legacy, always is: 0.8.2 stands for the
 * API its keys belong to). */
static void client_directive(const struct pfile *pf, struct client *c, bool legacy)
{
    struct model *m = pf->m;
    const struct directive *d = pf->d;
    c->version_assumed = !c->version.set || legacy;
    if (d->topics) {
        const char *s = d->topics;
        while (*s) {
            size_t l = strcspn(s, ",");
            if (l) {
                char *t = arena_strndup(&m->arena, s, l);
                struct loc tl = {pf->file, d->line, d->topics_col + (uint32_t)(s - d->topics)};
                client_add_topic(m, c, t, tl);
            }
            s += l;
            if (*s == ',')
                s++;
        }
    }
    if (d->group) {
        if (c->o.kind != OBJ_CONSUMER)
            diag_add(&m->diags, DIAG_ERROR, DK_INPUT, (struct loc){pf->file, d->line, d->group_col},
                     "only consumers have a group");
        else {
            c->group = d->group;
            c->group_loc = (struct loc){pf->file, d->line, d->group_col};
        }
    }
}

static bool is_client(const struct pfile *pf)
{
    return pf->role == PR_PRODUCER || pf->role == PR_CONSUMER;
}

/* Kafka 0.8's Scala producer or consumer (see legacy_mark). */
static const char *detect_scala(const struct pfile *pf)
{
    if (!is_client(pf) || pf->d->client)
        return NULL;
    const struct prop *lm = legacy_mark(pf->p, pf->role);
    return lm ? lm->key : NULL;
}

static void read_scala(const struct pfile *pf, const char *why)
{
    struct model *m = pf->m;
    struct client *c = open_client(pf);
    const struct prop *lm = legacy_mark(pf->p, pf->role);
    c->ckind = CK_JAVA;
    version_parse("0.8.2", &c->version);
    c->version.set = true;
    c->client_loc = (struct loc){pf->file, lm->line, lm->key_col};
    model_note_read(m, pf->file, "properties", "Kafka 0.8's Scala %s (%s)",
                    pf->role == PR_PRODUCER ? "producer" : "consumer", why);
    client_directive(pf, c, true);
    set_all(pf, &c->o, true);
    legacy_defaults(m, &c->o, pf->role);
}

/* A Java or librdkafka producer or consumer: librdkafka's when a key only
 * librdkafka knows says so (and the directive does not). */
static const char *detect_client(const struct pfile *pf)
{
    return is_client(pf) ? "client settings" : NULL;
}

static void read_client(const struct pfile *pf, const char *why)
{
    (void)why;
    struct client *c = open_client(pf);
    enum obj_kind kind = c->o.kind;
    if (!c->ckind)
        c->ckind =
            looks_librdkafka(pf->p, kind == OBJ_PRODUCER ? CF_JAVA_PRODUCER : CF_JAVA_CONSUMER,
                             kind == OBJ_PRODUCER ? CF_RDK_PRODUCER : CF_RDK_CONSUMER)
                ? CK_LIBRDKAFKA
                : CK_JAVA;
    client_directive(pf, c, false);
    set_all(pf, &c->o, false);
}

static const struct props_dialect pd_log4j = {"log4j", detect_log4j, read_not_audited};
static const struct props_dialect pd_zookeeper = {"zookeeper", detect_zookeeper, read_not_audited};
static const struct props_dialect pd_connect = {"connect", detect_connect, read_not_audited};
static const struct props_dialect pd_not_kafka = {"not-kafka", detect_not_kafka, read_not_kafka};
static const struct props_dialect pd_unclear = {"unclear", detect_unclear, read_unclear};
static const struct props_dialect pd_controller = {"controller", detect_controller,
                                                   read_controller};
static const struct props_dialect pd_broker = {"broker", detect_broker, read_broker};
static const struct props_dialect pd_scala = {"scala-client", detect_scala, read_scala};
static const struct props_dialect pd_client = {"client", detect_client, read_client};

/* Tried in order; the first whose detect answers reads the file.  Files
 * kafkaudit does not audit come first (a directive's role overrides
 * them), then the roles, the more particular before the general. */
static const struct props_dialect *const props_dialects[] = {
    &pd_log4j,      &pd_zookeeper, &pd_connect, &pd_not_kafka, &pd_unclear,
    &pd_controller, &pd_broker,    &pd_scala,   &pd_client,
};

void read_properties(struct model *m, uint32_t file, bool explicit_path)
{
    const struct src_file *f = source_get(&m->sources, file);
    struct props p;
    struct arena text; /* parsed keys and values: copied into the model */
    arena_init(&text);
    props_parse(&text, f->data, f->len, &p);
    struct directive d;
    memset(&d, 0, sizeof d);
    for (uint32_t i = 0; i < p.ncomments; i++)
        if (str_starts(p.comments[i].text, "kafkaudit:"))
            parse_directive(m, file, &p.comments[i], &d);

    struct pfile pf = {.m = m, .file = file, .f = f, .p = &p, .d = &d};
    pf.first = (struct loc){file, p.n ? p.v[0].line : 1, 1};
    if (d.line)
        pf.first = (struct loc){file, d.line, d.col};
    pf.explicit_path = explicit_path;
    for (uint32_t i = 0; i < p.n; i++)
        pf.nkafka += is_kafka_key(p.v[i].key);
    pf.role = d.role ? d.role : guess_role(&p, f->path);
    for (size_t i = 0; i < sizeof props_dialects / sizeof *props_dialects; i++) {
        const char *why = props_dialects[i]->detect(&pf);
        if (why) {
            props_dialects[i]->read(&pf, why);
            break;
        }
    }
    props_release(&p);
    arena_release(&text);
}
