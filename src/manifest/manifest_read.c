/*
 * manifest_read.c - kafkaudit's own deployment description (kafkaudit-manifest(5)).
 *
 *   kafkaudit: 1                      # optional format marker
 *   cluster:  {name, kafka_version, brokers: 3 | [{id, rack, config,
 *                                                  server_properties}],
 *              controllers: [{id, config, server_properties}], config}
 *   topics:   {NAME: {partitions, replication_factor, config}}
 *   producers: {NAME: {client: "java 3.6", topics: [...], config}}
 *   consumers: {NAME: {client, group, topics, config}}
 *
 * The same format carries live snapshots (kafkaudit snapshot): partitions
 * as a list of {id, leader, replicas, isr, offline, log_start, log_end},
 * config entries as {value, source, broker}, and groups with members and
 * committed offsets, so a snapshot lints offline exactly like the cluster
 * it was taken from.
 */
#include "manifest/manifest.h"
#include "model/from_yaml.h"
#include "model/effective.h"
#include "util/strutil.h"
#include "syntax/yload.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *const top_fields[] = {"kafkaudit", "cluster", "topics", "producers",
                                         "consumers", "groups",  NULL};
static const char *const cluster_fields[] = {
    "name",       "kafka_version", "brokers", "config",      "id",
    "controller", "collected_at",  "live",    "controllers", NULL};
static const char *const broker_fields[] = {
    "id",           "rack",      "host", "port", "config", "down", "error", "server_properties",
    "data_storage", "container", NULL};
static const char *const controller_fields[] = {"id", "config", "server_properties", "container",
                                                NULL};
static const char *const topic_fields[] = {
    "partitions", "replication_factor", "config", "internal", "error", NULL};
static const char *const partition_fields[] = {"id",      "leader",    "replicas", "isr",
                                               "offline", "log_start", "log_end",  NULL};
static const char *const client_fields[] = {"client", "topics", "config", "group", NULL};
static const char *const group_fields[] = {"state",         "members",  "offsets", "coordinator",
                                           "protocol_type", "assignor", "error",   NULL};
static const char *const member_fields[] = {"member_id",   "client_id",  "host",
                                            "instance_id", "assignment", NULL};

static bool want_map(struct model *m, uint32_t file, const struct ynode *n, const char *what)
{
    if (!n || ynode_is_null(n))
        return false;
    if (n->kind != Y_MAP) {
        input_error(m, file, n, "%s must be a mapping, not %s", what, ynode_kind_name(n));
        return false;
    }
    return true;
}

static int32_t *int_list(struct model *m, uint32_t file, const struct ynode *n, const char *what,
                         uint16_t *count)
{
    *count = 0;
    if (!n || ynode_is_null(n))
        return NULL;
    if (n->kind != Y_SEQ) {
        input_error(m, file, n, "%s must be a list of broker ids", what);
        return NULL;
    }
    int32_t *v = ARENA_ARRAY(&m->arena, int32_t, n->seq.n ? n->seq.n : 1);
    for (uint32_t i = 0; i < n->seq.n && i < 65535; i++) {
        int64_t x;
        if (yint(m, file, n->seq.items[i], what, &x))
            v[(*count)++] = (int32_t)x;
    }
    return v;
}

/* "server_properties: true" on a broker or controller entry: the node runs
 * from a plain server.properties, so Kafka's own defaults apply (KA418,
 * KA419). */
static void read_server_properties(struct model *m, uint32_t file, const struct ynode *entry,
                                   struct broker *b)
{
    const struct ynode *r = ymap_get(entry, "server_properties");
    if (!r)
        return;
    bool sp;
    if (str_to_bool(ynode_str(r), &sp))
        input_error(m, file, r, "server_properties must be true or false");
    else if (sp && !b->server_properties) {
        b->server_properties = true;
        b->server_properties_loc = yloc(file, entry);
    }
}

/* "container: true": the node runs in a container (its /tmp and every
 * directory outside a volume go when it is recreated); "data_storage:
 * persistent | ephemeral": what keeps a broker's log directories, as the
 * compose and Strimzi readers find it (unknown when absent). */
static void read_runtime(struct model *m, uint32_t file, const struct ynode *entry,
                         struct broker *b)
{
    const struct ynode *r = ymap_get(entry, "container");
    bool v;
    if (r) {
        if (str_to_bool(ynode_str(r), &v))
            input_error(m, file, r, "container must be true or false");
        else if (v && b->runtime == NR_UNKNOWN)
            b->runtime = NR_COMPOSE;
    }
    if (!(r = ymap_get(entry, "data_storage")))
        return;
    const char *s = ynode_str(r);
    if (strcmp(s, "persistent") == 0 || strcmp(s, "ephemeral") == 0) {
        b->storage = strcmp(s, "persistent") == 0 ? DS_PERSISTENT : DS_EPHEMERAL;
        b->storage_loc = yloc(file, r);
        b->storage_note = b->storage == DS_EPHEMERAL
                              ? "the manifest says its data directory is ephemeral (data_storage)"
                              : "the manifest says its data directory is persistent";
    } else
        input_error(m, file, r, "data_storage must be persistent or ephemeral");
}

/* KRaft controller-only nodes: [{id, config, server_properties}]. */

/* " (first at line 12)", or " (first at other.yaml:12)": where an object
 * declared again was declared first */
static const char *first_at(const struct model *m, uint32_t file, struct loc l, char *buf, size_t n)
{
    if (!l.line)
        return "";
    if (l.file == file)
        snprintf(buf, n, " (first at line %u)", l.line);
    else
        snprintf(buf, n, " (first at %s:%u)", source_path(&m->sources, l.file), l.line);
    return buf;
}

static void read_controllers(struct model *m, uint32_t file, const struct ynode *n)
{
    if (n->kind != Y_SEQ) {
        input_error(m, file, n, "controllers must be a list of controllers");
        return;
    }
    int64_t x;
    char where[PATH_MAX + 48];
    for (uint32_t i = 0; i < n->seq.n; i++) {
        const struct ynode *c = n->seq.items[i];
        if (!want_map(m, file, c, "a controller"))
            continue;
        input_check_fields(m, file, c, controller_fields, "a controller");
        const struct ynode *id = ymap_get(c, "id");
        if (!id) {
            input_error(m, file, c, "a controller needs an 'id'");
            continue;
        }
        if (!yint_in(m, file, id, "controller id", 0, INT32_MAX, &x))
            continue;
        bool created;
        struct broker *ct = model_controller(m, (int32_t)x, yloc(file, c), &created);
        if (!created)
            input_warning(m, file, id, "controller %d is declared twice%s", (int)x,
                          first_at(m, file, ct->o.loc, where, sizeof where));
        read_server_properties(m, file, c, ct);
        read_runtime(m, file, c, ct);
        yconfig_map(m, file, &ct->o, ymap_get(c, "config"), "a controller's 'config'");
    }
}

static void read_cluster(struct model *m, uint32_t file, const struct ypair *pair)
{
    if (!pair)
        return;
    const struct ynode *c = pair->val;
    struct cluster *cl = &m->cluster;
    if (ynode_is_null(c)) {
        cl->declared = true; /* "cluster:" alone declares a cluster with defaults */
        if (!cl->o.loc.file)
            cl->o.loc = yloc(file, pair->key);
        return;
    }
    if (!want_map(m, file, c, "'cluster'"))
        return;
    input_check_fields(m, file, c, cluster_fields, "'cluster'");
    /* A section that only lists controllers says nothing of the brokers
     * (as a controller's server.properties does not). */
    bool only_controllers = c->map.n == 1 && ymap_get(c, "controllers");
    if (!only_controllers) {
        cl->declared = true;
        if (!cl->o.loc.file)
            cl->o.loc = yloc(file, pair->key);
    }
    const struct ynode *n;
    if ((n = ymap_get(c, "name")) && n->kind == Y_SCALAR)
        cl->o.name = arena_strdup(&m->arena, n->scalar.s);
    if ((n = ymap_get(c, "kafka_version"))) {
        if (n->kind != Y_SCALAR || version_parse(n->scalar.s, &cl->kafka_version))
            input_error(m, file, n, "kafka_version must be a version such as \"3.7\"");
        else
            cl->version_loc = yloc(file, n);
    }
    if ((n = ymap_get(c, "id")) && n->kind == Y_SCALAR)
        cl->cluster_id = arena_strdup(&m->arena, n->scalar.s);
    int64_t x;
    char where[PATH_MAX + 48];
    if ((n = ymap_get(c, "controller")) && yint(m, file, n, "controller", &x))
        cl->controller = (int32_t)x;
    if ((n = ymap_get(c, "live"))) {
        bool b;
        if (str_to_bool(ynode_str(n), &b) == 0)
            cl->live = b;
    }
    if ((n = ymap_get(c, "brokers"))) {
        if (n->kind == Y_SCALAR) {
            if (yint(m, file, n, "brokers", &x)) {
                if (x < 1 || x > 100000)
                    input_error(m, file, n, "brokers must be between 1 and 100000");
                else {
                    cl->declared_brokers = (int32_t)x;
                    cl->declared_brokers_loc = yloc(file, n);
                }
            }
        } else if (n->kind == Y_SEQ) {
            cl->declared_brokers_loc = yloc(file, n);
            for (uint32_t i = 0; i < n->seq.n; i++) {
                const struct ynode *b = n->seq.items[i];
                if (!want_map(m, file, b, "a broker"))
                    continue;
                input_check_fields(m, file, b, broker_fields, "a broker");
                const struct ynode *id = ymap_get(b, "id");
                if (!id) {
                    input_error(m, file, b, "a broker needs an 'id'");
                    continue;
                }
                if (!yint(m, file, id, "broker id", &x))
                    continue;
                bool created;
                struct broker *br = model_broker(m, (int32_t)x, yloc(file, b), &created);
                if (!created)
                    input_warning(m, file, id, "broker %d is declared twice%s", (int)x,
                                  first_at(m, file, br->o.loc, where, sizeof where));
                const struct ynode *r = ymap_get(b, "rack");
                if (r && !ynode_is_null(r)) {
                    br->rack = arena_strdup(&m->arena, ynode_str(r));
                    br->rack_loc = yloc(file, r);
                }
                if ((r = ymap_get(b, "host")))
                    br->host = arena_strdup(&m->arena, ynode_str(r));
                if ((r = ymap_get(b, "port")) && yint(m, file, r, "port", &x))
                    br->port = (int32_t)x;
                if ((r = ymap_get(b, "down"))) {
                    bool d;
                    if (str_to_bool(ynode_str(r), &d) == 0)
                        br->down = d;
                }
                read_server_properties(m, file, b, br);
                read_runtime(m, file, b, br);
                if ((r = ymap_get(b, "error")) && r->kind == Y_SCALAR)
                    br->o.error = arena_strdup(&m->arena, r->scalar.s);
                yconfig_map(m, file, &br->o, ymap_get(b, "config"), "a broker's 'config'");
                const struct setting *rs = object_get(&br->o, "broker.rack");
                if (!br->rack && rs && rs->value) {
                    br->rack = rs->value;
                    br->rack_loc = rs->loc;
                }
            }
        } else {
            input_error(m, file, n, "brokers must be a count or a list of brokers");
        }
    }
    if ((n = ymap_get(c, "controllers")))
        read_controllers(m, file, n);
    yconfig_map(m, file, &cl->o, ymap_get(c, "config"), "'cluster.config'");
}

static void read_partitions(struct model *m, uint32_t file, struct topic *t, const struct ynode *n)
{
    int64_t x;
    for (uint32_t i = 0; i < n->seq.n; i++) {
        const struct ynode *p = n->seq.items[i];
        if (!want_map(m, file, p, "a partition"))
            continue;
        input_check_fields(m, file, p, partition_fields, "a partition");
        int32_t id = (int32_t)i;
        const struct ynode *f;
        if ((f = ymap_get(p, "id")) && yint(m, file, f, "partition id", &x))
            id = (int32_t)x;
        struct partition *pa = model_add_partition(m, t, id);
        pa->o.loc = yloc(file, p);
        if ((f = ymap_get(p, "leader")) && !ynode_is_null(f) && yint(m, file, f, "leader", &x))
            pa->leader = (int32_t)x;
        pa->replicas = int_list(m, file, ymap_get(p, "replicas"), "replicas", &pa->nreplicas);
        pa->isr = int_list(m, file, ymap_get(p, "isr"), "isr", &pa->nisr);
        pa->offline = int_list(m, file, ymap_get(p, "offline"), "offline", &pa->noffline);
        if ((f = ymap_get(p, "log_start")) && !ynode_is_null(f) &&
            yint(m, file, f, "log_start", &x))
            pa->log_start = x;
        if ((f = ymap_get(p, "log_end")) && !ynode_is_null(f) && yint(m, file, f, "log_end", &x))
            pa->log_end = x;
    }
}

static void read_topic(struct model *m, uint32_t file, const struct ynode *k, const struct ynode *v)
{
    bool created;
    struct topic *t = model_topic(m, ynode_str(k), yloc(file, k), &created);
    if (!created && t->declared)
        input_warning(m, file, k, "topic '%s' is declared more than once; settings are merged",
                      t->o.name);
    t->declared = true;
    if (ynode_is_null(v))
        return;
    if (!want_map(m, file, v, "a topic"))
        return;
    input_check_fields(m, file, v, topic_fields, "a topic");
    const struct ynode *n;
    int64_t x;
    if ((n = ymap_get(v, "partitions"))) {
        if (n->kind == Y_SEQ) {
            /* A topic described again (a second snapshot of the same
             * cluster): the later partition list replaces the earlier. */
            t->nparts = 0;
            read_partitions(m, file, t, n);
            t->partitions = (int32_t)t->nparts;
            t->partitions_loc = yloc(file, n);
        } else if (yint(m, file, n, "partitions", &x)) {
            if (x < 1 || x > 1000000)
                input_error(m, file, n, "partitions must be between 1 and 1000000");
            else {
                t->partitions = (int32_t)x;
                t->partitions_loc = yloc(file, n);
            }
        }
    }
    if ((n = ymap_get(v, "replication_factor")) && yint(m, file, n, "replication_factor", &x)) {
        if (x < 1 || x > 32767)
            input_error(m, file, n, "replication_factor must be between 1 and 32767");
        else {
            t->rf = (int32_t)x;
            t->rf_loc = yloc(file, n);
        }
    }
    if ((n = ymap_get(v, "internal"))) {
        bool b;
        if (str_to_bool(ynode_str(n), &b) == 0)
            t->internal = b;
    }
    if ((n = ymap_get(v, "error")) && n->kind == Y_SCALAR)
        t->o.error = arena_strdup(&m->arena, n->scalar.s);
    yconfig_map(m, file, &t->o, ymap_get(v, "config"), "a topic's 'config'");
}

static void read_topic_list(struct model *m, uint32_t file, struct client *c, const struct ynode *n)
{
    if (!n || ynode_is_null(n))
        return;
    if (n->kind == Y_SCALAR) {
        client_add_topic(m, c, n->scalar.s, yloc(file, n));
        return;
    }
    if (n->kind != Y_SEQ) {
        input_error(m, file, n, "'topics' must be a list of topic names");
        return;
    }
    for (uint32_t i = 0; i < n->seq.n; i++) {
        const struct ynode *t = n->seq.items[i];
        if (t->kind != Y_SCALAR || ynode_is_null(t))
            input_error(m, file, t, "a topic name must be a string");
        else
            client_add_topic(m, c, t->scalar.s, yloc(file, t));
    }
}

static void read_client(struct model *m, uint32_t file, enum obj_kind kind, const struct ynode *k,
                        const struct ynode *v)
{
    bool created;
    struct client *c = model_client(m, kind, ynode_str(k), yloc(file, k), &created);
    if (!created) {
        char where[PATH_MAX + 48];
        input_warning(m, file, k, "%s '%s' is declared more than once%s; settings are merged",
                      obj_kind_name(kind), c->o.name,
                      first_at(m, file, c->o.loc, where, sizeof where));
    }
    if (ynode_is_null(v))
        return;
    if (!want_map(m, file, v, kind == OBJ_PRODUCER ? "a producer" : "a consumer"))
        return;
    input_check_fields(m, file, v, client_fields,
                       kind == OBJ_PRODUCER ? "a producer" : "a consumer");
    const struct ynode *n;
    if ((n = ymap_get(v, "client"))) {
        enum client_kind ck;
        struct version ver;
        const char *spec = ynode_str(n);
        if (n->kind != Y_SCALAR || client_spec_parse(spec, &ck, &ver)) {
            input_error(m, file, n,
                        "client must be \"java [VERSION]\" or \"librdkafka [VERSION]\", not '%s'",
                        spec);
        } else {
            c->ckind = (uint8_t)ck;
            c->version = ver;
            c->client_loc = yloc(file, n);
        }
    }
    if (!c->ckind)
        c->ckind = CK_JAVA;
    c->version_assumed = !c->version.set;
    read_topic_list(m, file, c, ymap_get(v, "topics"));
    if ((n = ymap_get(v, "group"))) {
        if (kind != OBJ_CONSUMER)
            input_error(m, file, n, "only consumers have a 'group'");
        else if (n->kind != Y_SCALAR || ynode_is_null(n))
            input_error(m, file, n, "'group' must be a group id");
        else {
            c->group = arena_strdup(&m->arena, n->scalar.s);
            c->group_loc = yloc(file, n);
        }
    }
    yconfig_map(m, file, &c->o, ymap_get(v, "config"), "a client's 'config'");
    if (c->group && !object_get(&c->o, "group.id"))
        object_set_key(m, &c->o, "group.id", c->group, ORIG_FILE, c->group_loc, c->group_loc);
}

static void read_group(struct model *m, uint32_t file, const struct ynode *k, const struct ynode *v)
{
    struct group *g = model_group(m, ynode_str(k), yloc(file, k), NULL);
    if (!want_map(m, file, v, "a group"))
        return;
    input_check_fields(m, file, v, group_fields, "a group");
    const struct ynode *n;
    int64_t x;
    if ((n = ymap_get(v, "state")))
        g->state = arena_strdup(&m->arena, ynode_str(n));
    if ((n = ymap_get(v, "protocol_type")))
        g->protocol_type = arena_strdup(&m->arena, ynode_str(n));
    if ((n = ymap_get(v, "assignor")))
        g->assignor = arena_strdup(&m->arena, ynode_str(n));
    if ((n = ymap_get(v, "error")))
        g->o.error = arena_strdup(&m->arena, ynode_str(n));
    if ((n = ymap_get(v, "coordinator")) && yint(m, file, n, "coordinator", &x))
        g->coordinator = (int32_t)x;
    /* A group described again (a second snapshot of the same cluster):
     * the later description replaces the members and offsets. */
    if ((n = ymap_get(v, "members")) && n->kind == Y_SEQ) {
        g->nmembers = 0;
        g->members = ARENA_ARRAY(&m->arena, struct group_member, n->seq.n ? n->seq.n : 1);
        for (uint32_t i = 0; i < n->seq.n; i++) {
            const struct ynode *mb = n->seq.items[i];
            if (!want_map(m, file, mb, "a group member"))
                continue;
            input_check_fields(m, file, mb, member_fields, "a group member");
            struct group_member *gm = &g->members[g->nmembers++];
            const struct ynode *f;
            if ((f = ymap_get(mb, "member_id")))
                gm->member_id = arena_strdup(&m->arena, ynode_str(f));
            if ((f = ymap_get(mb, "client_id")))
                gm->client_id = arena_strdup(&m->arena, ynode_str(f));
            if ((f = ymap_get(mb, "host")))
                gm->host = arena_strdup(&m->arena, ynode_str(f));
            if ((f = ymap_get(mb, "instance_id")) && !ynode_is_null(f))
                gm->instance_id = arena_strdup(&m->arena, ynode_str(f));
            if ((f = ymap_get(mb, "assignment")) && f->kind == Y_MAP) {
                uint32_t cnt = 0;
                for (uint32_t a = 0; a < f->map.n; a++)
                    if (f->map.pairs[a].val->kind == Y_SEQ)
                        cnt += f->map.pairs[a].val->seq.n;
                gm->assignment = ARENA_ARRAY(&m->arena, struct tp, cnt ? cnt : 1);
                for (uint32_t a = 0; a < f->map.n; a++) {
                    const struct ynode *parts = f->map.pairs[a].val;
                    if (parts->kind != Y_SEQ)
                        continue;
                    const char *tn = arena_strdup(&m->arena, ynode_str(f->map.pairs[a].key));
                    for (uint32_t q = 0; q < parts->seq.n; q++)
                        if (yint(m, file, parts->seq.items[q], "partition", &x)) {
                            gm->assignment[gm->nassignment].topic = tn;
                            gm->assignment[gm->nassignment++].partition = (int32_t)x;
                        }
                }
            }
        }
    }
    if ((n = ymap_get(v, "offsets")) && want_map(m, file, n, "'offsets'")) {
        uint32_t cnt = 0;
        for (uint32_t a = 0; a < n->map.n; a++)
            if (n->map.pairs[a].val->kind == Y_MAP)
                cnt += n->map.pairs[a].val->map.n;
        g->noffsets = 0;
        g->offsets = ARENA_ARRAY(&m->arena, struct group_offset, cnt ? cnt : 1);
        for (uint32_t a = 0; a < n->map.n; a++) {
            const struct ynode *per = n->map.pairs[a].val;
            if (!want_map(m, file, per, "a topic's offsets"))
                continue;
            const char *tn = arena_strdup(&m->arena, ynode_str(n->map.pairs[a].key));
            for (uint32_t q = 0; q < per->map.n; q++) {
                int64_t part, off = -1;
                if (!yint(m, file, per->map.pairs[q].key, "partition", &part))
                    continue;
                const struct ynode *ov = per->map.pairs[q].val;
                struct group_offset *go = &g->offsets[g->noffsets++];
                go->topic = tn;
                go->partition = (int32_t)part;
                go->committed = -1;
                if (ov->kind == Y_MAP) { /* {committed: N, error: X} */
                    const struct ynode *cn = ymap_get(ov, "committed");
                    if (cn && !ynode_is_null(cn) && yint(m, file, cn, "committed", &off))
                        go->committed = off;
                    const struct ynode *en = ymap_get(ov, "error");
                    if (en)
                        go->error = arena_strdup(&m->arena, ynode_str(en));
                } else if (!ynode_is_null(ov) && yint(m, file, ov, "committed offset", &off)) {
                    go->committed = off;
                }
            }
        }
    }
}

static void each_entry(struct model *m, uint32_t file, const struct ynode *n, const char *what,
                       void (*fn)(struct model *, uint32_t, const struct ynode *,
                                  const struct ynode *))
{
    if (!want_map(m, file, n, what))
        return;
    for (uint32_t i = 0; i < n->map.n; i++) {
        const struct ynode *k = n->map.pairs[i].key;
        if (k->kind != Y_SCALAR || ynode_is_null(k)) {
            input_error(m, file, k, "names in %s must be strings", what);
            continue;
        }
        fn(m, file, k, n->map.pairs[i].val);
    }
}

static void producer_entry(struct model *m, uint32_t f, const struct ynode *k,
                           const struct ynode *v)
{
    read_client(m, f, OBJ_PRODUCER, k, v);
}

static void consumer_entry(struct model *m, uint32_t f, const struct ynode *k,
                           const struct ynode *v)
{
    read_client(m, f, OBJ_CONSUMER, k, v);
}

/* The model's room for a section's objects, made once ahead. */
static void reserve(struct model *m, enum obj_kind kind, const struct ynode *n)
{
    if (n && n->kind == Y_MAP)
        model_reserve(m, kind, n->map.n);
}

void read_manifest_doc(struct model *m, uint32_t file, const struct ynode *root)
{
    if (!root)
        return;
    if (root->kind != Y_MAP) {
        input_error(m, file, root,
                    "a manifest is a mapping with cluster, topics, producers "
                    "and consumers");
        return;
    }
    input_check_fields(m, file, root, top_fields, "the manifest");
    const struct ynode *n;
    if ((n = ymap_get(root, "kafkaudit"))) {
        int64_t v;
        if (!yint(m, file, n, "kafkaudit (format version)", &v) || v != 1)
            input_error(m, file, n, "unsupported manifest format version (this kafkaudit reads 1)");
    }
    read_cluster(m, file, ymap_get_pair(root, "cluster"));
    const struct ynode *topics = ymap_get(root, "topics");
    const struct ynode *producers = ymap_get(root, "producers");
    const struct ynode *consumers = ymap_get(root, "consumers");
    reserve(m, OBJ_TOPIC, topics);
    reserve(m, OBJ_PRODUCER, producers);
    reserve(m, OBJ_CONSUMER, consumers);
    each_entry(m, file, topics, "'topics'", read_topic);
    each_entry(m, file, producers, "'producers'", producer_entry);
    each_entry(m, file, consumers, "'consumers'", consumer_entry);
    each_entry(m, file, ymap_get(root, "groups"), "'groups'", read_group);
}
