#include "model/model.h"
#include "model/kafka_version.h"
#include "model/client_semantics.h"
#include "model/catalog.h"
#include "model/effective.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include <stdarg.h>

#include <stdio.h>
#include <stdlib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *obj_kind_name(enum obj_kind k)
{
    static const char *names[] = {"cluster",  "broker",   "topic", "partition",
                                  "producer", "consumer", "group", "controller"};
    return k < OBJ__COUNT ? names[k] : "object";
}

bool object_name_has_kind(const struct object *o)
{
    return o->kind == OBJ_BROKER || o->kind == OBJ_CLUSTER || o->kind == OBJ_CONTROLLER;
}

const char *live_source_name(enum live_source s)
{
    switch (s) {
    case LS_TOPIC: return "DYNAMIC_TOPIC_CONFIG";
    case LS_DYNAMIC_BROKER: return "DYNAMIC_BROKER_CONFIG";
    case LS_DYNAMIC_DEFAULT: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case LS_STATIC_BROKER: return "STATIC_BROKER_CONFIG";
    case LS_DEFAULT: return "DEFAULT_CONFIG";
    case LS_BROKER_LOGGER: return "DYNAMIC_BROKER_LOGGER_CONFIG";
    default: return "UNKNOWN";
    }
}

const char *data_storage_name(enum data_storage s)
{
    switch (s) {
    case DS_PERSISTENT: return "persistent";
    case DS_EPHEMERAL: return "ephemeral";
    default: return NULL;
    }
}

const char *client_kind_name(enum client_kind k)
{
    switch (k) {
    case CK_JAVA: return "java";
    case CK_LIBRDKAFKA: return "librdkafka";
    default: return "unknown";
    }
}

void model_init(struct model *m)
{
    memset(m, 0, sizeof *m);
    arena_init(&m->arena);
    source_set_init(&m->sources);
    diag_list_init(&m->diags);
    hmap_init(&m->interned);
    hmap_init(&m->shared_values);
    hmap_init(&m->secret_texts);
    hmap_init(&m->topic_by_name);
    hmap_init(&m->producer_by_name);
    hmap_init(&m->consumer_by_name);
    hmap_init(&m->group_by_name);
    hmap_init(&m->node_by_name);
    hmap_init(&m->broker_by_host);
    version_parse("3.7", &m->defaults.kafka);
    version_parse("3.7", &m->defaults.java_client);
    m->defaults.outage_budget_ms = MODEL_DEFAULT_OUTAGE_BUDGET_MS;
    version_parse("2.3", &m->defaults.librdkafka);
    m->cluster.o.kind = OBJ_CLUSTER;
    m->cluster.o.name = "cluster";
    m->cluster.declared_brokers = -1;
    m->cluster.controller = -1;
    m->every_broker.o.kind = OBJ_BROKER;
    m->every_broker.o.name = "all brokers";
    m->every_broker.id = -1;
    m->every_broker.port = -1;
}

void model_release(struct model *m)
{
    free(m->brokers);
    free(m->controllers);
    free(m->topics);
    free(m->producers);
    free(m->consumers);
    free(m->groups);
    free(m->pools);
    free(m->reads);
    hmap_release(&m->interned);
    hmap_release(&m->shared_values);
    model_secret_texts_reset(m);
    hmap_release(&m->topic_by_name);
    hmap_release(&m->producer_by_name);
    hmap_release(&m->consumer_by_name);
    hmap_release(&m->group_by_name);
    hmap_release(&m->node_by_name);
    hmap_release(&m->broker_by_host);
    diag_list_release(&m->diags);
    source_set_release(&m->sources);
    arena_release(&m->arena);
}

const char *model_internn(struct model *m, const char *s, size_t n)
{
    const char *p = hmap_getn(&m->interned, s, n);
    if (p)
        return p;
    /* catalog keys intern to the catalog's own string, so a lookup by a
     * catalog entry's name is a pointer compare (object_get_interned) */
    const char *d = catalog_static_name(s, n);
    if (!d)
        d = arena_strndup(&m->arena, s, n);
    hmap_put(&m->interned, d, (void *)d);
    return d;
}

const char *model_intern(struct model *m, const char *s) { return model_internn(m, s, strlen(s)); }

#define PUSH(m, vec, n, cap, item)                                                                 \
    do {                                                                                           \
        XGROW((m)->vec, (m)->cap, (m)->n + 1);                                                     \
        (item)->o.index = (m)->n;                                                                  \
        (m)->vec[(m)->n++] = (item);                                                               \
    } while (0)

static struct broker *find_node(const struct model *m, enum obj_kind kind, int32_t id)
{
    char name[48];
    snprintf(name, sizeof name, "%s %d", obj_kind_name(kind), id);
    return hmap_get(&m->node_by_name, name);
}

struct broker *model_find_broker(const struct model *m, int32_t id)
{
    return find_node(m, OBJ_BROKER, id);
}

/* A broker or a controller named "<kind> <id>". */
static struct broker *new_node(struct model *m, enum obj_kind kind, int32_t id, struct loc loc)
{
    struct broker *b = ARENA_NEW(&m->arena, struct broker);
    b->o.kind = (uint8_t)kind;
    b->o.name = arena_printf(&m->arena, "%s %d", obj_kind_name(kind), id);
    b->o.loc = loc;
    b->id = id;
    b->port = -1;
    hmap_put(&m->node_by_name, b->o.name, b);
    return b;
}

struct broker *model_broker(struct model *m, int32_t id, struct loc loc, bool *created)
{
    struct broker *b = model_find_broker(m, id);
    if (created)
        *created = b == NULL;
    if (b)
        return b;
    b = new_node(m, OBJ_BROKER, id, loc);
    PUSH(m, brokers, nbrokers, capb, b);
    return b;
}

struct broker *model_controller(struct model *m, int32_t id, struct loc loc, bool *created)
{
    struct broker *found = find_node(m, OBJ_CONTROLLER, id);
    if (found) {
        if (created)
            *created = false;
        return found;
    }
    if (created)
        *created = true;
    struct broker *b = new_node(m, OBJ_CONTROLLER, id, loc);
    PUSH(m, controllers, ncontrollers, capctl, b);
    return b;
}

struct topic *model_find_topic(const struct model *m, const char *name)
{
    return hmap_get(&m->topic_by_name, name);
}

struct topic *model_topic(struct model *m, const char *name, struct loc loc, bool *created)
{
    struct topic *t = hmap_get(&m->topic_by_name, name);
    if (created)
        *created = t == NULL;
    if (t)
        return t;
    t = ARENA_NEW(&m->arena, struct topic);
    t->o.kind = OBJ_TOPIC;
    t->o.name = arena_strdup(&m->arena, name);
    t->o.loc = loc;
    t->partitions = -1;
    t->rf = -1;
    t->declared = true;
    t->internal = name[0] == '_' && name[1] == '_';
    hmap_put(&m->topic_by_name, t->o.name, t);
    PUSH(m, topics, ntopics, capt, t);
    return t;
}

void model_reserve(struct model *m, enum obj_kind kind, size_t n)
{
    switch (kind) {
    case OBJ_TOPIC:
        hmap_reserve(&m->topic_by_name, n);
        XGROW(m->topics, m->capt, m->ntopics + n);
        break;
    case OBJ_PRODUCER:
        hmap_reserve(&m->producer_by_name, n);
        XGROW(m->producers, m->capp, m->nproducers + n);
        break;
    case OBJ_CONSUMER:
        hmap_reserve(&m->consumer_by_name, n);
        XGROW(m->consumers, m->capc, m->nconsumers + n);
        break;
    default: break;
    }
}

struct client *model_find_client(const struct model *m, enum obj_kind kind, const char *name)
{
    return hmap_get(kind == OBJ_PRODUCER ? &m->producer_by_name : &m->consumer_by_name, name);
}

struct client *model_client(struct model *m, enum obj_kind kind, const char *name, struct loc loc,
                            bool *created)
{
    struct hmap *idx = kind == OBJ_PRODUCER ? &m->producer_by_name : &m->consumer_by_name;
    struct client *c = hmap_get(idx, name);
    if (created)
        *created = c == NULL;
    if (c)
        return c;
    c = ARENA_NEW(&m->arena, struct client);
    c->o.kind = (uint8_t)kind;
    c->o.name = arena_strdup(&m->arena, name);
    c->o.loc = loc;
    hmap_put(idx, c->o.name, c);
    if (kind == OBJ_PRODUCER)
        PUSH(m, producers, nproducers, capp, c);
    else
        PUSH(m, consumers, nconsumers, capc, c);
    return c;
}

struct group *model_find_group(const struct model *m, const char *name)
{
    return hmap_get(&m->group_by_name, name);
}

struct group *model_group(struct model *m, const char *name, struct loc loc, bool *created)
{
    struct group *g = hmap_get(&m->group_by_name, name);
    if (created)
        *created = g == NULL;
    if (g)
        return g;
    g = ARENA_NEW(&m->arena, struct group);
    g->o.kind = OBJ_GROUP;
    g->o.name = arena_strdup(&m->arena, name);
    g->o.loc = loc;
    g->coordinator = -1;
    hmap_put(&m->group_by_name, g->o.name, g);
    PUSH(m, groups, ngroups, capg, g);
    return g;
}

struct partition *model_add_partition(struct model *m, struct topic *t, int32_t id)
{
    struct partition *p = ARENA_NEW(&m->arena, struct partition);
    p->o.kind = OBJ_PARTITION;
    p->o.name = arena_printf(&m->arena, "%s-%d", t->o.name, id);
    p->o.loc = t->o.loc;
    p->topic = t;
    p->id = id;
    p->leader = -1;
    p->log_start = p->log_end = -1;
    /* parts is an arena array grown by doubling: cheap and ownership-free */
    if ((t->nparts & (t->nparts - 1)) == 0) {
        uint32_t ncap = t->nparts ? t->nparts * 2 : 1;
        struct partition **np = ARENA_ARRAY(&m->arena, struct partition *, ncap);
        if (t->nparts)
            memcpy(np, t->parts, t->nparts * sizeof *np);
        t->parts = np;
    }
    p->o.index = t->nparts;
    t->parts[t->nparts++] = p;
    return p;
}

const char *model_shared_value(struct model *m, uint32_t file, const void *node, const char *text)
{
    char key[48];
    snprintf(key, sizeof key, "%" PRIu32 ":%p", file, node);
    const char *v = hmap_get(&m->shared_values, key);
    if (v || !text)
        return v;
    v = arena_strdup(&m->arena, text);
    hmap_put(&m->shared_values, arena_strdup(&m->arena, key), (void *)v);
    return v;
}

void model_secret_texts_reset(struct model *m)
{
    const char *k;
    for (size_t it = 0; hmap_next(&m->secret_texts, &it, &k, NULL);)
        free((char *)k);
    hmap_release(&m->secret_texts);
    hmap_init(&m->secret_texts);
}

void model_secret_text_add(struct model *m, const char *text)
{
    char key[32];
    snprintf(key, sizeof key, "%p", (const void *)text);
    if (!hmap_get(&m->secret_texts, key))
        hmap_put(&m->secret_texts, xstrdup(key), (void *)1);
}

bool model_secret_text(const struct model *m, const char *text)
{
    if (!m->secret_texts.len || !text)
        return false;
    char key[32];
    snprintf(key, sizeof key, "%p", (const void *)text);
    return hmap_get(&m->secret_texts, key) != NULL;
}

struct setting *object_set_owned(struct model *m, struct object *o, const char *key,
                                 const char *value, enum origin origin, struct loc loc)
{
    struct setting *s = ARENA_NEW(&m->arena, struct setting);
    s->key = model_intern(m, key);
    s->value = value;
    s->origin = (uint8_t)origin;
    s->loc = loc;
    s->key_loc = loc;
    s->broker = -1;
    s->next = o->cfg;
    o->cfg = s;
    return s;
}

struct setting *object_set(struct model *m, struct object *o, const char *key, const char *value,
                           enum origin origin, struct loc loc)
{
    return object_set_owned(m, o, key, value ? arena_strdup(&m->arena, value) : NULL, origin, loc);
}

const struct setting *object_get_interned(const struct object *o, const char *key)
{
    for (const struct setting *s = o->cfg; s; s = s->next)
        if (s->key == key)
            return s;
    return NULL;
}

const struct setting *object_get(const struct object *o, const char *key)
{
    for (const struct setting *s = o->cfg; s; s = s->next)
        if (s->key == key || strcmp(s->key, key) == 0)
            return s;
    return NULL;
}

void client_add_topic(struct model *m, struct client *c, const char *topic, struct loc loc)
{
    for (uint32_t i = 0; i < c->ntopics; i++)
        if (strcmp(c->topics[i].name, topic) == 0)
            return;
    if (c->ntopics == c->captopics) {
        uint32_t ncap = c->captopics ? c->captopics * 2 : 4;
        struct topic_ref *n = ARENA_ARRAY(&m->arena, struct topic_ref, ncap);
        if (c->ntopics)
            memcpy(n, c->topics, c->ntopics * sizeof *n);
        c->topics = n;
        c->captopics = ncap;
    }
    struct topic_ref *r = &c->topics[c->ntopics++];
    r->name = arena_strdup(&m->arena, topic);
    r->loc = loc;
    r->topic = NULL;
}

int32_t model_broker_count(const struct model *m)
{
    if (m->cluster.brokers_partial && m->cluster.declared_brokers <= 0)
        return 0;
    int32_t n = (int32_t)m->nbrokers;
    if (m->cluster.declared_brokers > n)
        n = m->cluster.declared_brokers;
    return n;
}

static void push_client(struct model *m, struct client ***vec, uint32_t *n, uint32_t *cap,
                        struct client *c)
{
    for (uint32_t i = 0; i < *n; i++)
        if ((*vec)[i] == c)
            return;
    if (*n == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 4;
        struct client **nv = ARENA_ARRAY(&m->arena, struct client *, ncap);
        if (*n)
            memcpy(nv, *vec, *n * sizeof *nv);
        *vec = nv;
        *cap = ncap;
    }
    (*vec)[(*n)++] = c;
}

static void link_clients(struct model *m, struct client **v, uint32_t n, bool producer)
{
    for (uint32_t i = 0; i < n; i++) {
        struct client *c = v[i];
        for (uint32_t j = 0; j < c->ntopics; j++) {
            struct topic_ref *r = &c->topics[j];
            struct topic *t = model_find_topic(m, r->name);
            if (!t) {
                /* Referenced but not declared: on a cluster that auto-creates
                 * topics it will be created with the broker defaults; when no
                 * input describes the cluster its settings are unknown, but
                 * the clients that share it are still known (a transactional
                 * producer and a read_uncommitted consumer of one topic). */
                t = model_topic(m, r->name, r->loc, NULL);
                t->declared = false;
            }
            r->topic = t;
            if (producer)
                push_client(m, &t->writers, &t->nwriters, &t->capw, c);
            else
                push_client(m, &t->readers, &t->nreaders, &t->capr, c);
        }
    }
}

/* One note per client kind whose version some client left undeclared:
 * defaults and semantics depend on it, so the assumption must be visible. */
static void note_assumed_versions(struct model *m)
{
    for (int kind = CK_JAVA; kind <= CK_LIBRDKAFKA; kind++) {
        uint32_t n = 0;
        const struct client *first = NULL;
        for (int role = 0; role < 2; role++) {
            struct client **v = role ? m->consumers : m->producers;
            uint32_t nv = role ? m->nconsumers : m->nproducers;
            for (uint32_t i = 0; i < nv; i++)
                if (v[i]->ckind == kind && !v[i]->version.set) {
                    if (!first)
                        first = v[i];
                    n++;
                }
        }
        if (!n)
            continue;
        char ver[32];
        version_fmt(kind == CK_LIBRDKAFKA ? m->defaults.librdkafka : m->defaults.java_client, ver,
                    sizeof ver);
        struct diag *d = diag_add(&m->diags, DIAG_NOTE, DK_INPUT, first->o.loc,
                                  "%u %s %s no version; assumed %s %s (%s %s%s)", n,
                                  kind == CK_LIBRDKAFKA ? "librdkafka" : "Java",
                                  n == 1 ? "client declares" : "clients declare",
                                  kind == CK_LIBRDKAFKA ? "librdkafka" : "Java client", ver,
                                  obj_kind_name((enum obj_kind)first->o.kind), first->o.name,
                                  n > 1 ? ", ..." : "");
        diag_hint(d,
                  "defaults differ by version: declare it (manifest: client: \"%s %s\"; "
                  ".properties: # kafkaudit: client=\"%s %s\"; Spring: kafkaudit.client) or "
                  "set %s",
                  kind == CK_LIBRDKAFKA ? "librdkafka" : "java", ver,
                  kind == CK_LIBRDKAFKA ? "librdkafka" : "java", ver,
                  kind == CK_LIBRDKAFKA ? "--librdkafka-version" : "--java-client-version");
    }
}

/* Strimzi resources name their cluster in the strimzi.io/cluster label:
 * only those of the cluster this run describes count. */
static void reconcile_cluster_labels(struct model *m)
{
    const char *name = m->cluster.resource;
    int64_t sum = 0; /* pools of up to 100,000 replicas each, any number of them */
    struct loc first = LOC_NONE;
    /* With node pools, Strimzi takes each pool's spec.storage and ignores
     * spec.kafka.storage: the brokers' storage is the pools' (one
     * ephemeral pool makes some brokers ephemeral; all persistent, all). */
    const struct node_pool *eph = NULL;
    bool pools = false, all_persistent = true;
    for (uint32_t i = 0; i < m->npools; i++) {
        const struct node_pool *p = &m->pools[i];
        if (name && p->cluster && strcmp(p->cluster, name) != 0) {
            diag_add(&m->diags, DIAG_WARNING, DK_INPUT, p->loc,
                     "KafkaNodePool '%s' belongs to cluster '%s', not '%s'; its brokers are not "
                     "counted",
                     p->name, p->cluster, name);
            continue;
        }
        sum += p->replicas;
        if (!first.file)
            first = p->loc;
        pools = true;
        if (p->storage == DS_EPHEMERAL && p->replicas > 0 && !eph)
            eph = p;
        if (p->storage != DS_PERSISTENT)
            all_persistent = false;
    }
    if (pools) {
        struct broker *b = &m->every_broker;
        b->storage = eph ? DS_EPHEMERAL : all_persistent ? DS_PERSISTENT : DS_UNKNOWN;
        b->storage_loc = eph ? eph->storage_loc : LOC_NONE;
        b->storage_note = eph ? eph->storage_note : NULL;
        if (all_persistent && !eph)
            b->storage_note = "every KafkaNodePool's spec.storage is persistent";
    }
    if (sum > 0) {
        m->cluster.declared_brokers = sum > INT32_MAX ? INT32_MAX : (int32_t)sum;
        m->cluster.declared_brokers_loc = first;
    }
    if (!name)
        return;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < m->ntopics; i++) {
        struct topic *t = m->topics[i];
        if (t->cluster_label && strcmp(t->cluster_label, name) != 0) {
            diag_add(&m->diags, DIAG_WARNING, DK_INPUT, t->o.loc,
                     "KafkaTopic '%s' belongs to cluster '%s', not '%s'; not audited with it",
                     t->o.name, t->cluster_label, name);
            hmap_put(&m->topic_by_name, t->o.name, NULL);
            continue;
        }
        t->o.index = kept;
        m->topics[kept++] = t;
    }
    m->ntopics = kept;
}

#define LIVE_ALL_KEYS_MIN 200

static bool broker_has_key(const char *key, void *arg)
{
    return object_get((const struct object *)arg, key) != NULL;
}

/* A live cluster (or a snapshot of one) that declares no version: the
 * brokers' configuration keys say which versions they can run.  Every
 * broker whose configuration was read votes; the oldest answer wins (a
 * rolling upgrade runs the rules for the older brokers).  Brokers read
 * only in part (o.error) say nothing: a missing key proves nothing there. */
static void infer_cluster_version(struct model *m)
{
    if (!m->cluster.live || m->cluster.kafka_version.set)
        return;
    struct kafka_version_range best = {0};
    const struct broker *from = NULL;
    for (uint32_t i = 0; i < m->nbrokers; i++) {
        const struct broker *b = m->brokers[i];
        if (b->o.error || (!object_get(&b->o, "broker.id") && !object_get(&b->o, "node.id")))
            continue;
        /* a real broker reports some 300 keys (Kafka 3.9.2: 315, 4.4.0:
         * 350); far fewer (a test peer, a filtered snapshot) and a missing
         * key is no evidence */
        unsigned nkeys = 0;
        for (const struct setting *s = b->o.cfg; s && nkeys < LIVE_ALL_KEYS_MIN; s = s->next)
            nkeys++;
        struct kafka_version_range r;
        if (kafka_version_from_keys(broker_has_key, (void *)&b->o, nkeys >= LIVE_ALL_KEYS_MIN,
                                    &r) != 0 ||
            !r.lo.set)
            continue;
        if (!from || version_cmp(r.lo, best.lo) < 0) {
            best = r;
            from = b;
        }
    }
    if (!from)
        return;
    char range[40];
    kafka_version_range_fmt(&best, range, sizeof range);
    /* the run's assumed version stands (and is still called assumed) when
     * the brokers could run it and the range is wider than one release line */
    struct version assumed = m->defaults.kafka;
    bool fits = assumed.set && version_cmp(assumed, best.lo) >= 0 &&
                (!best.hi.set || version_cmp(assumed, best.hi) < 0);
    bool one_line = !strchr(range, '+') && !strstr(range, " to ");
    char lo[32], hi[32] = "";
    version_fmt(best.lo, lo, sizeof lo);
    if (best.hi.set)
        version_fmt(best.hi, hi, sizeof hi);
    struct buf why = BUF_INIT;
    if (best.lo_key_present)
        buf_printf(&why, "it has %s (added in %s)", best.lo_key, lo);
    else
        buf_printf(&why, "it lacks %s and every other key removed in %s", best.lo_key, lo);
    if (best.hi_key)
        buf_printf(&why, " and has %s (removed in %s)", best.hi_key, hi);
    if (fits && !one_line) {
        /* nothing learnt that the assumption (said as such) contradicts */
        buf_release(&why);
        return;
    }
    m->cluster.kafka_version = best.lo;
    m->cluster.kafka_version.patch = 0;
    m->cluster.version_inferred = true;
    snprintf(m->cluster.version_range, sizeof m->cluster.version_range, "%s", range);
    diag_add(&m->diags, DIAG_NOTE, DK_CLUSTER, LOC_NONE,
             "Kafka %s (inferred from %s's configuration keys: %s); the rules use the "
             "defaults and behaviour of Kafka %s",
             range, from->o.name, buf_str(&why), lo);
    buf_release(&why);
}

void model_finalize(struct model *m)
{
    infer_cluster_version(m);
    note_assumed_versions(m);
    reconcile_cluster_labels(m);
    /* a cluster described only through its brokers (server.properties,
     * compose services) is found where its first broker is */
    if (m->cluster.declared && !m->cluster.o.loc.file && m->nbrokers)
        m->cluster.o.loc = m->brokers[0]->o.loc;
    /* a value shared by every broker that could be read is said once, but
     * not as a fact about the brokers that could not be */
    for (uint32_t i = 0; i < m->nbrokers; i++)
        if (m->brokers[i]->o.error)
            m->every_broker.o.name = "all readable brokers";
    for (uint32_t i = 0; i < m->nconsumers; i++) {
        struct client *c = m->consumers[i];
        if (!c->group) {
            const struct setting *s = object_get(&c->o, "group.id");
            if (s && s->value && s->value[0]) {
                c->group = s->value;
                c->group_loc = s->loc;
            }
        }
    }
    for (uint32_t i = 0; i < m->nproducers; i++)
        client_semantics_apply(m, m->producers[i]);
    for (uint32_t i = 0; i < m->nconsumers; i++)
        client_semantics_apply(m, m->consumers[i]);
    link_clients(m, m->producers, m->nproducers, true);
    link_clients(m, m->consumers, m->nconsumers, false);
    for (uint32_t i = 0; i < m->ngroups; i++) {
        struct group *g = m->groups[i];
        for (uint32_t j = 0; j < g->noffsets; j++)
            if (!g->offsets[j].t)
                g->offsets[j].t = model_find_topic(m, g->offsets[j].topic);
    }
}

void model_note_read(struct model *m, uint32_t file, const char *dialect, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    for (uint32_t i = m->nreads; i-- > 0;) {
        struct file_read *r = &m->reads[i];
        if (r->file != file)
            continue;
        if (strcmp(r->dialect, "none") == 0) { /* something was read after all */
            r->dialect = arena_strdup(&m->arena, dialect);
            r->why = arena_strdup(&m->arena, buf_str(&b));
        } else if (strcmp(r->dialect, dialect) == 0 && !strstr(r->why, buf_str(&b))) {
            r->why = arena_printf(&m->arena, "%s: %s", r->why, buf_str(&b));
        } else if (strcmp(dialect, "none") != 0 && !strstr(r->dialect, dialect)) {
            r->dialect = arena_printf(&m->arena, "%s+%s", r->dialect, dialect);
            r->why = arena_printf(&m->arena, "%s; %s", r->why, buf_str(&b));
        }
        buf_release(&b);
        return;
    }
    XGROW(m->reads, m->capreads, m->nreads + 1);
    m->reads[m->nreads++] = (struct file_read){file, arena_strdup(&m->arena, dialect),
                                               arena_strdup(&m->arena, buf_str(&b))};
    buf_release(&b);
}

bool group_is_dead(const struct group *g) { return g->state && strcmp(g->state, "Dead") == 0; }

bool group_unread(const struct group *g) { return g->o.error && !group_is_dead(g); }

int64_t offset_lag_of(int64_t committed, int64_t log_end)
{
    if (committed < 0 || log_end < 0)
        return -1;
    return log_end > committed ? log_end - committed : 0;
}

int64_t offset_deleted_unread(int64_t committed, int64_t log_start)
{
    if (committed < 0 || log_start < 0)
        return -1;
    return committed < log_start ? log_start - committed : 0;
}
