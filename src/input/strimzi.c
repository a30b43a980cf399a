/*
 * strimzi.c - Strimzi custom resources (kafka.strimzi.io/v1beta2):
 *
 *   Kafka          spec.kafka.{version, replicas, config, rack.topologyKey}
 *   KafkaNodePool  spec.{replicas, roles}: broker pools add to the broker count
 *   KafkaTopic     spec.{topicName, partitions, replicas, config}
 *
 * spec.kafka.storage and a pool's spec.storage say whether the brokers'
 * data outlives their pods (read_storage).
 *
 * Other kinds (KafkaUser, KafkaConnect, ...) carry nothing kafkaudit
 * audits and are skipped.  Strimzi sets broker.rack on every broker when
 * spec.kafka.rack.topologyKey is set [RH-Rack].
 */
#include "input/input.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "syntax/yload.h"

#include <string.h>

/* A name holding a template placeholder ("${ name }", "{{ .Release.Name }}")
 * is the same name wherever the template writes it the same way: blanks
 * inside the placeholder do not count, so ${ name } matches ${name} in
 * the other files of the run. */
static const char *name_key(struct model *m, const char *s)
{
    if (!s || !str_placeholder(s, NULL) || !strchr(s, ' '))
        return s;
    char *out = arena_strdup(&m->arena, s);
    size_t o = 0;
    for (const char *p = s; *p;) {
        size_t len;
        const char *ph = str_placeholder(p, &len);
        if (!ph) {
            while (*p)
                out[o++] = *p++;
            break;
        }
        while (p < ph)
            out[o++] = *p++;
        for (size_t i = 0; i < len; i++, p++)
            if (*p != ' ' && *p != '\t')
                out[o++] = *p;
    }
    out[o] = '\0';
    return out;
}

static const char *cluster_label(struct model *m, const struct ynode *root)
{
    const struct ynode *l =
        ymap_get(ymap_get(ymap_get(root, "metadata"), "labels"), "strimzi.io/cluster");
    return l && l->kind == Y_SCALAR && !ynode_is_null(l) ? name_key(m, l->scalar.s) : NULL;
}

/* The storage a Kafka resource (spec.kafka.storage) or a KafkaNodePool
 * (spec.storage) gives its brokers [Strimzi-Storage]:
 *   type: ephemeral        an emptyDir volume: the data lives as long as the
 *                          pod; "suitable only for development and testing"
 *   type: persistent-claim a PersistentVolumeClaim per broker
 *   type: jbod             volumes: [{type: ephemeral | persistent-claim}]:
 *                          one ephemeral volume loses the partitions on it
 * Anything else (a placeholder, a type Strimzi adds later): unknown.
 * [Strimzi-Storage] https://strimzi.io/docs/operators/latest/deploying
 *   ("Configuring Kafka storage": ephemeral storage uses emptyDir volumes)
 *   and the API reference, https://strimzi.io/docs/operators/latest/
 *   configuring#type-EphemeralStorage-reference, #type-JbodStorage-reference */
static enum data_storage storage_type(const struct ynode *st, const struct ynode **at)
{
    const struct ynode *t = ymap_get(st, "type");
    *at = t ? t : st;
    if (!t || t->kind != Y_SCALAR)
        return DS_UNKNOWN;
    if (strcmp(t->scalar.s, "ephemeral") == 0)
        return DS_EPHEMERAL;
    if (strcmp(t->scalar.s, "persistent-claim") == 0)
        return DS_PERSISTENT;
    if (strcmp(t->scalar.s, "jbod") != 0)
        return DS_UNKNOWN;
    const struct ynode *vols = ymap_get(st, "volumes");
    if (!vols || vols->kind != Y_SEQ || !vols->seq.n)
        return DS_UNKNOWN;
    enum data_storage all = DS_PERSISTENT;
    for (uint32_t i = 0; i < vols->seq.n; i++) {
        const struct ynode *vat;
        enum data_storage v = storage_type(vols->seq.items[i], &vat);
        if (v == DS_EPHEMERAL) {
            *at = vat;
            return DS_EPHEMERAL;
        }
        if (v != DS_PERSISTENT)
            all = DS_UNKNOWN;
    }
    return all;
}

static void read_storage(struct model *m, uint32_t file, const struct ynode *st, const char *field,
                         uint8_t *kind, struct loc *loc, const char **note)
{
    if (!st)
        return;
    const struct ynode *at;
    enum data_storage k = storage_type(st, &at);
    *kind = (uint8_t)k;
    *loc = yloc(file, at);
    if (k == DS_EPHEMERAL)
        *note = arena_printf(&m->arena,
                             "%s type ephemeral: an emptyDir volume, deleted with the pod", field);
    else if (k == DS_PERSISTENT)
        *note = arena_printf(&m->arena, "%s: persistent volume claims", field);
}

static void read_kafka(struct model *m, uint32_t file, const struct ynode *root)
{
    const struct ynode *meta = ymap_get(root, "metadata");
    const struct ynode *spec = ymap_get(ymap_get(root, "spec"), "kafka");
    struct cluster *cl = &m->cluster;
    const struct ynode *name = ymap_get(meta, "name");
    const char *nm = name && name->kind == Y_SCALAR ? name_key(m, name->scalar.s) : "";
    if (cl->resource && strcmp(cl->resource, nm) != 0) {
        /* Two clusters cannot be one deployment: their configs would mix. */
        struct diag *d = diag_add(
            &m->diags, DIAG_ERROR, DK_INPUT, yloc(file, root),
            "a second Kafka cluster, '%s' (the first is '%s' at %s:%u); kafkaudit audits one "
            "deployment per run, so this one was not audited",
            nm, cl->resource, source_path(&m->sources, cl->resource_loc.file),
            cl->resource_loc.line);
        diag_hint(d, "lint each cluster's files separately, e.g. kafkaudit lint --each DIR1 DIR2");
        return;
    }
    cl->declared = true;
    cl->o.loc = yloc(file, root);
    cl->resource = arena_strdup(&m->arena, nm);
    cl->resource_loc = yloc(file, root);
    if (*nm)
        cl->o.name = cl->resource;
    if (!spec) {
        input_error(m, file, root, "Kafka resource has no spec.kafka");
        return;
    }
    const struct ynode *n;
    if ((n = ymap_get(spec, "version"))) {
        if (n->kind != Y_SCALAR || version_parse(n->scalar.s, &cl->kafka_version))
            input_error(m, file, n, "spec.kafka.version must be a version such as 3.7.0");
        else
            cl->version_loc = yloc(file, n);
    }
    int64_t x;
    if ((n = ymap_get(spec, "replicas")) &&
        yint_in(m, file, n, "spec.kafka.replicas", 0, INPUT_MAX_BROKERS, &x)) {
        cl->declared_brokers = (int32_t)x;
        cl->declared_brokers_loc = yloc(file, n);
    }
    yconfig_map(m, file, &cl->o, ymap_get(spec, "config"), "spec.kafka.config");
    struct broker *eb = &m->every_broker;
    eb->runtime = NR_STRIMZI;
    read_storage(m, file, ymap_get(spec, "storage"), "spec.kafka.storage", &eb->storage,
                 &eb->storage_loc, &eb->storage_note);
}

static void read_pool(struct model *m, uint32_t file, const struct ynode *root)
{
    const struct ynode *spec = ymap_get(root, "spec");
    const struct ynode *roles = ymap_get(spec, "roles");
    bool broker = false;
    if (roles && roles->kind == Y_SEQ)
        for (uint32_t i = 0; i < roles->seq.n; i++)
            broker |= strcmp(ynode_str(roles->seq.items[i]), "broker") == 0;
    const struct ynode *n = ymap_get(spec, "replicas");
    int64_t x;
    if (!broker || !n)
        return;
    if (yint(m, file, n, "spec.replicas", &x)) {
        if (x < 0 || x > 100000) {
            input_error(m, file, n, "spec.replicas must be between 0 and 100000");
            return;
        }
        XGROW(m->pools, m->cappools, m->npools + 1);
        struct node_pool *p = &m->pools[m->npools++];
        *p = (struct node_pool){0};
        p->name = arena_strdup(&m->arena, ynode_str(ymap_get(ymap_get(root, "metadata"), "name")));
        const char *lbl = cluster_label(m, root);
        p->cluster = lbl ? arena_strdup(&m->arena, lbl) : NULL;
        p->replicas = (int32_t)x;
        p->loc = yloc(file, n);
        read_storage(m, file, ymap_get(spec, "storage"),
                     arena_printf(&m->arena, "KafkaNodePool %s spec.storage", p->name), &p->storage,
                     &p->storage_loc, &p->storage_note);
        m->cluster.declared = true;
    }
}

static void read_topic(struct model *m, uint32_t file, const struct ynode *root)
{
    const struct ynode *meta = ymap_get(root, "metadata");
    const struct ynode *spec = ymap_get(root, "spec");
    const struct ynode *name = ymap_get(spec, "topicName");
    if (!name)
        name = ymap_get(meta, "name");
    if (!name || name->kind != Y_SCALAR || ynode_is_null(name)) {
        input_error(m, file, root, "KafkaTopic has no metadata.name");
        return;
    }
    bool created;
    struct topic *t = model_topic(m, name->scalar.s, yloc(file, root), &created);
    if (!created && t->declared)
        input_warning(m, file, name, "topic '%s' is declared more than once; settings are merged",
                      t->o.name);
    t->declared = true;
    const char *lbl = cluster_label(m, root);
    if (lbl)
        t->cluster_label = arena_strdup(&m->arena, lbl);
    const struct ynode *n;
    int64_t x;
    if ((n = ymap_get(spec, "partitions")) &&
        yint_in(m, file, n, "spec.partitions", 1, INPUT_MAX_PARTITIONS, &x)) {
        t->partitions = (int32_t)x;
        t->partitions_loc = yloc(file, n);
    }
    if ((n = ymap_get(spec, "replicas")) &&
        yint_in(m, file, n, "spec.replicas", 1, INPUT_MAX_RF, &x)) {
        t->rf = (int32_t)x;
        t->rf_loc = yloc(file, n);
    }
    yconfig_map(m, file, &t->o, ymap_get(spec, "config"), "spec.config");
}

void read_strimzi_doc(struct model *m, uint32_t file, const struct ynode *root)
{
    if (!root || root->kind != Y_MAP)
        return;
    const char *kind = ynode_str(ymap_get(root, "kind"));
    if (strcmp(kind, "Kafka") == 0)
        read_kafka(m, file, root);
    else if (strcmp(kind, "KafkaNodePool") == 0)
        read_pool(m, file, root);
    else if (strcmp(kind, "KafkaTopic") == 0)
        read_topic(m, file, root);
}
