/*
 * attrs.c - attributes of model objects as seen by the rule language, and
 * the collections quantifiers range over.  Attributes are facts that are
 * not Kafka configuration keys: replication factor, client kind and
 * version, ISR size, committed offsets.
 */
#include "model/effective.h"
#include "model/partition_state.h"
#include "util/hmap.h"
#include "rules/engine_internal.h"
#include "rules/expr.h"
#include "util/strutil.h"

#include <string.h>

#define CL(c) (&(c)->m->cluster)
#define BR(c) ((const struct broker *)(c)->obj[R_BROKER])
#define TO(c) ((const struct topic *)(c)->obj[R_TOPIC])
#define PA(c) ((const struct partition *)(c)->obj[R_PARTITION])
#define PR(c) ((const struct client *)(c)->obj[R_PRODUCER])
#define CO(c) ((const struct client *)(c)->obj[R_CONSUMER])
#define GR(c) ((const struct group *)(c)->obj[R_GROUP])
#define CT(c) ((const struct broker *)(c)->obj[R_CONTROLLER])

static struct val int_or_null(int64_t v) { return v < 0 ? val_null() : val_int(v); }

static int64_t cfg_int(struct eval_ctx *c, const struct object *o, const char *key)
{
    struct eff e;
    int64_t v;
    effective_get(c->m, o, key, &e);
    if (e.value && str_to_i64(e.value, &v) == 0)
        return v;
    return -1;
}

/* --- cluster --- */
static struct val cl_name(struct eval_ctx *c) { return val_str(CL(c)->o.name); }
static struct val cl_version(struct eval_ctx *c)
{
    return val_version(object_version(c->m, &CL(c)->o));
}
static struct val cl_vassumed(struct eval_ctx *c) { return val_bool(!CL(c)->kafka_version.set); }
static struct loc cl_version_loc(struct eval_ctx *c) { return CL(c)->version_loc; }
static struct val cl_brokers(struct eval_ctx *c)
{
    int32_t n = model_broker_count(c->m);
    return n > 0 ? val_int(n) : val_null();
}
static struct loc cl_brokers_loc(struct eval_ctx *c)
{
    return CL(c)->declared_brokers_loc.file ? CL(c)->declared_brokers_loc : CL(c)->o.loc;
}
static struct val cl_brokers_known(struct eval_ctx *c)
{
    return val_bool(model_broker_count(c->m) > 0);
}
static struct val cl_racks(struct eval_ctx *c)
{
    if (!c->m->nbrokers)
        return val_null();
    /* distinct racks by hash: comparing each broker with every earlier
     * one took minutes on 50,000 brokers */
    struct hmap seen;
    hmap_init(&seen);
    for (uint32_t i = 0; i < c->m->nbrokers; i++) {
        const char *r = c->m->brokers[i]->rack;
        if (r)
            hmap_put(&seen, r, (void *)1);
    }
    int64_t n = (int64_t)seen.len;
    hmap_release(&seen);
    return val_int(n);
}
static struct val cl_with_rack(struct eval_ctx *c)
{
    if (!c->m->nbrokers)
        return val_null();
    int64_t n = 0;
    for (uint32_t i = 0; i < c->m->nbrokers; i++)
        n += c->m->brokers[i]->rack != NULL;
    return val_int(n);
}
static struct val cl_live(struct eval_ctx *c) { return val_bool(CL(c)->live); }
static struct val cl_declared(struct eval_ctx *c) { return val_bool(CL(c)->declared); }
static struct val cl_topics(struct eval_ctx *c)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < c->m->ntopics; i++)
        n += c->m->topics[i]->declared;
    return val_int(n);
}
static struct val cl_txn_producers(struct eval_ctx *c)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < c->m->nproducers; i++) {
        const struct setting *s = object_get(&c->m->producers[i]->o, "transactional.id");
        n += s && s->value && s->value[0];
    }
    return val_int(n);
}
static struct val cl_controller(struct eval_ctx *c) { return int_or_null(CL(c)->controller); }

/* --- broker --- */
static struct val br_id(struct eval_ctx *c) { return val_int(BR(c)->id); }
static struct val ct_id(struct eval_ctx *c) { return val_int(CT(c)->id); }

static const char *const metadata_dir_keys[] = {"metadata.log.dir", "log.dirs", "log.dir", NULL};

/* Where a KRaft node keeps its metadata log (KafkaConfig.metadataLogDir):
 * metadata.log.dir, else the first of log.dirs, else log.dir.  Only
 * settings someone wrote count, or Kafka's log.dir default for a node run
 * from a plain server.properties; otherwise (an image or an operator sets
 * the directory) it is unknown.  *loc: the setting it came from. */
static const char *metadata_dir(struct eval_ctx *c, struct loc *loc)
{
    const struct broker *ct = CT(c);
    struct eff e;
    for (int i = 0; metadata_dir_keys[i]; i++) {
        effective_get(c->m, &ct->o, metadata_dir_keys[i], &e);
        /* written in a file, read live, or set by a container image */
        bool written = e.origin == ORIG_FILE || e.origin == ORIG_LIVE || e.origin == ORIG_DERIVED;
        bool dflt = i == 2 && e.origin == ORIG_DEFAULT && ct->server_properties;
        if (!e.value || !(written || dflt))
            continue;
        /* the first entry as Kafka reads the list (CoreUtils.parseCsvList:
         * split on commas, entries trimmed, empty ones dropped) */
        const char *p = e.value;
        for (;;) {
            p += strspn(p, " \t");
            size_t n = strcspn(p, ",");
            while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
                n--;
            if (n) {
                if (loc)
                    *loc = dflt ? (ct->server_properties_loc.file ? ct->server_properties_loc
                                                                  : ct->o.loc)
                                : e.loc;
                return arena_strndup(c->scratch, p, n);
            }
            p += strcspn(p, ",");
            if (!*p)
                break;
            p++;
        }
    }
    return NULL;
}
static struct val ct_metadata_dir(struct eval_ctx *c)
{
    const char *d = metadata_dir(c, NULL);
    return d ? val_str(d) : val_null();
}
static struct loc ct_metadata_dir_loc(struct eval_ctx *c)
{
    struct loc l = CT(c)->o.loc;
    metadata_dir(c, &l);
    return l;
}
static struct val ct_name(struct eval_ctx *c) { return val_str(CT(c)->o.name); }
static struct val ct_container(struct eval_ctx *c)
{
    return val_bool(CT(c)->runtime != NR_UNKNOWN);
}
static struct val ct_server_props(struct eval_ctx *c) { return val_bool(CT(c)->server_properties); }
static struct loc ct_server_props_loc(struct eval_ctx *c)
{
    return CT(c)->server_properties_loc.file ? CT(c)->server_properties_loc : CT(c)->o.loc;
}
/* The broker's default retention in ms as Kafka computes it
 * (LogConfig / KafkaConfig.logRetentionTimeMillis): log.retention.ms,
 * else log.retention.minutes, else log.retention.hours; null when the
 * deciding value is not known (a template placeholder, an unread config). */
static const char *const retention_keys[] = {"log.retention.ms", "log.retention.minutes",
                                             "log.retention.hours", NULL};
static bool broker_retention(struct eval_ctx *c, int64_t *ms, struct loc *loc)
{
    static const int64_t unit[] = {1, 60000, 3600000};
    const struct broker *b = BR(c);
    for (int i = 0; retention_keys[i]; i++) {
        struct eff e;
        effective_get(c->m, &b->o, retention_keys[i], &e);
        if (!e.value) {
            if (e.set || (e.origin == ORIG_NONE && e.unread))
                return false; /* set to a value not known here */
            continue;
        }
        int64_t v;
        if (str_to_i64(e.value, &v))
            return false;
        if (loc)
            *loc = e.loc.file ? e.loc : b->o.loc;
        *ms = v < 0 ? -1 : v * unit[i];
        return true;
    }
    return false;
}
static struct val br_retention(struct eval_ctx *c)
{
    int64_t ms;
    return broker_retention(c, &ms, NULL) ? val_int(ms) : val_null();
}
static struct loc br_retention_loc(struct eval_ctx *c)
{
    int64_t ms;
    struct loc l = BR(c)->o.loc;
    broker_retention(c, &ms, &l);
    return l;
}
/* Eligible Leader Replicas (KIP-966) on a new cluster of this version:
 * off before 4.1 (4.0 has it, off unless eligible.leader.replicas.version
 * is raised), on for clusters formatted with 4.1 or later; an upgraded
 * cluster keeps what it had, so with the version only assumed: null. */
static struct val cl_elr_default(struct eval_ctx *c)
{
    const struct cluster *cl = CL(c);
    if (!cl->kafka_version.set)
        return val_null();
    return val_bool(version_ge(cl->kafka_version, "4.1"));
}
/* Brokers whose data is lost with their pod or container (every broker of
 * a cluster described without individual brokers counts as one). */
static struct val cl_ephemeral(struct eval_ctx *c)
{
    const struct model *m = c->m;
    int64_t n = 0;
    for (uint32_t i = 0; i < m->nbrokers; i++)
        n += m->brokers[i]->storage == DS_EPHEMERAL;
    if (!m->nbrokers)
        n = m->every_broker.storage == DS_EPHEMERAL;
    return val_int(n);
}
static struct val cl_outage_budget(struct eval_ctx *c)
{
    return c->m->defaults.outage_budget_ms > 0 ? val_int(c->m->defaults.outage_budget_ms)
                                               : val_null();
}
static struct val br_name(struct eval_ctx *c) { return val_str(BR(c)->o.name); }
static struct val br_rack(struct eval_ctx *c) { return val_str(BR(c)->rack); }
static struct loc br_rack_loc(struct eval_ctx *c)
{
    return BR(c)->rack_loc.file ? BR(c)->rack_loc : BR(c)->o.loc;
}
static struct val br_host(struct eval_ctx *c) { return val_str(BR(c)->host); }
static struct val br_port(struct eval_ctx *c) { return int_or_null(BR(c)->port); }
static struct val br_down(struct eval_ctx *c) { return val_bool(BR(c)->down); }
/* A live broker whose DescribeConfigs failed (denied, timed out) or that is
 * missing from the metadata: its settings, rack included, are unknown, not
 * absent, and rules about what brokers lack must not count it. */
static struct val br_config_known(struct eval_ctx *c) { return val_bool(!BR(c)->o.error); }
/* Read from a Java server.properties (or said so by a manifest): Kafka's
 * own defaults are what the broker runs with for the keys it leaves unset.
 * The location is the file's first line, where a finding about a missing
 * key belongs even when a manifest declared the same broker first. */
static struct val br_server_props(struct eval_ctx *c) { return val_bool(BR(c)->server_properties); }
static struct loc br_server_props_loc(struct eval_ctx *c)
{
    return BR(c)->server_properties_loc.file ? BR(c)->server_properties_loc : BR(c)->o.loc;
}
/* What keeps the broker's data across a restart of its pod or container
 * (enum data_storage): "persistent", "ephemeral", or null when unknown. */
static struct val br_storage(struct eval_ctx *c)
{
    return val_str(data_storage_name((enum data_storage)BR(c)->storage));
}
static struct loc br_storage_loc(struct eval_ctx *c)
{
    return BR(c)->storage_loc.file ? BR(c)->storage_loc : BR(c)->o.loc;
}
static struct val br_storage_note(struct eval_ctx *c) { return val_str(BR(c)->storage_note); }
static struct val br_container(struct eval_ctx *c)
{
    return val_bool(BR(c)->runtime != NR_UNKNOWN);
}
static struct val br_leaders(struct eval_ctx *c)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < c->m->ntopics; i++)
        for (uint32_t j = 0; j < c->m->topics[i]->nparts; j++)
            n += c->m->topics[i]->parts[j]->leader == BR(c)->id;
    return val_int(n);
}

/* --- topic --- */
static struct val to_name(struct eval_ctx *c) { return val_str(TO(c)->o.name); }
static struct val to_partitions(struct eval_ctx *c)
{
    const struct topic *t = TO(c);
    if (t->partitions >= 0)
        return val_int(t->partitions);
    if (t->nparts)
        return val_int(t->nparts);
    if (!t->declared && CL(c)->declared) {
        int64_t v = cfg_int(c, &CL(c)->o, "num.partitions");
        return int_or_null(v);
    }
    return val_null();
}
static struct loc to_partitions_loc(struct eval_ctx *c)
{
    return TO(c)->partitions_loc.file ? TO(c)->partitions_loc : TO(c)->o.loc;
}

/* Replication factor: declared, else the smallest replica count among
 * known partitions, else (topic created without one, KIP-464) the
 * broker's default.replication.factor. */
static int64_t topic_rf(struct eval_ctx *c, const struct topic *t, struct loc *loc)
{
    if (loc)
        *loc = t->rf_loc.file ? t->rf_loc : t->o.loc;
    if (t->partitions == 0 && !t->nparts)
        return -1; /* no partitions, no replicas: nothing to judge */
    if (t->rf >= 0)
        return t->rf;
    if (t->nparts) {
        int64_t min = -1;
        for (uint32_t i = 0; i < t->nparts; i++)
            if (min < 0 || t->parts[i]->nreplicas < min)
                min = t->parts[i]->nreplicas;
        return min;
    }
    if (!CL(c)->declared)
        return -1;
    struct eff e;
    int64_t v;
    effective_get(c->m, &CL(c)->o, "default.replication.factor", &e);
    if (!e.value || str_to_i64(e.value, &v))
        return -1;
    /* -1 here would mean "broker default", which is what we just read */
    if (loc && !t->declared)
        *loc = t->o.loc;
    else if (loc && e.origin == ORIG_FILE && !t->o.loc.file)
        *loc = e.loc;
    return v;
}
static struct val to_rf(struct eval_ctx *c) { return int_or_null(topic_rf(c, TO(c), NULL)); }
static struct loc to_rf_loc(struct eval_ctx *c)
{
    struct loc l;
    topic_rf(c, TO(c), &l);
    return l;
}
static struct val to_rf_declared(struct eval_ctx *c)
{
    return val_bool(TO(c)->rf >= 0 || TO(c)->nparts);
}
static struct val to_internal(struct eval_ctx *c) { return val_bool(TO(c)->internal); }
static struct val to_declared(struct eval_ctx *c) { return val_bool(TO(c)->declared); }
static struct val to_writers(struct eval_ctx *c) { return val_int(TO(c)->nwriters); }
static struct val to_readers(struct eval_ctx *c) { return val_int(TO(c)->nreaders); }
static struct val to_txn_writers(struct eval_ctx *c)
{
    int64_t n = 0;
    for (uint32_t i = 0; i < TO(c)->nwriters; i++) {
        const struct setting *s = object_get(&TO(c)->writers[i]->o, "transactional.id");
        n += s && s->value && s->value[0];
    }
    return val_int(n);
}
static struct val to_error(struct eval_ctx *c) { return val_str(TO(c)->o.error); }
static struct val to_min_isr(struct eval_ctx *c)
{
    return int_or_null(cfg_int(c, &TO(c)->o, "min.insync.replicas"));
}

/* --- partition --- */
static struct val pa_id(struct eval_ctx *c) { return val_int(PA(c)->id); }
static struct val pa_leader(struct eval_ctx *c) { return int_or_null(PA(c)->leader); }
static struct val pa_replicas(struct eval_ctx *c) { return val_int(PA(c)->nreplicas); }
static struct val pa_isr(struct eval_ctx *c) { return val_int(PA(c)->nisr); }
static struct val pa_offline(struct eval_ctx *c) { return val_int(PA(c)->noffline); }
static struct val pa_log_start(struct eval_ctx *c) { return int_or_null(PA(c)->log_start); }
static struct val pa_log_end(struct eval_ctx *c) { return int_or_null(PA(c)->log_end); }
static struct val pa_min_isr(struct eval_ctx *c)
{
    return int_or_null(partition_min_isr(c->m, PA(c)));
}
static struct pstate pa_state(struct eval_ctx *c)
{
    return partition_classify(c->m, PA(c), partition_min_isr(c->m, PA(c)), NULL, 0);
}
static struct val pa_urp(struct eval_ctx *c)
{
    return val_bool(pa_state(c).bits & PS_UNDER_REPLICATED);
}
static struct val pa_under_min(struct eval_ctx *c)
{
    struct pstate s = pa_state(c);
    if (s.min_isr < 0 && !(s.bits & PS_NO_LEADER))
        return val_null();
    return val_bool(s.bits & PS_UNDER_MIN_ISR);
}
static struct val pa_at_min(struct eval_ctx *c)
{
    struct pstate s = pa_state(c);
    if (s.min_isr < 0)
        return val_null();
    return val_bool(s.bits & PS_AT_MIN_ISR);
}
static struct val pa_unavailable(struct eval_ctx *c)
{
    return val_bool(pa_state(c).bits & PS_UNAVAILABLE);
}
static struct val id_list(struct eval_ctx *c, const int32_t *v, uint16_t n)
{
    struct buf b = BUF_INIT;
    for (uint16_t i = 0; i < n; i++)
        buf_printf(&b, "%s%d", i ? "," : "", v[i]);
    const char *s = arena_strdup(c->scratch, buf_str(&b));
    buf_release(&b);
    return val_str(s);
}
static struct val pa_isr_list(struct eval_ctx *c) { return id_list(c, PA(c)->isr, PA(c)->nisr); }
static struct val pa_replica_list(struct eval_ctx *c)
{
    return id_list(c, PA(c)->replicas, PA(c)->nreplicas);
}
static struct val pa_has_leader(struct eval_ctx *c) { return val_bool(PA(c)->leader >= 0); }
static struct val pa_racks(struct eval_ctx *c)
{
    const struct partition *p = PA(c);
    const char *seen[64];
    int n = 0;
    bool any_rack = false;
    for (uint16_t i = 0; i < p->nreplicas; i++) {
        const struct broker *b = model_find_broker(c->m, p->replicas[i]);
        if (b && !b->rack && b->o.error)
            return val_null(); /* a replica's rack is unknown: so is the spread */
        if (!b || !b->rack)
            continue;
        any_rack = true;
        bool dup = false;
        for (int j = 0; j < n && !dup; j++)
            dup = strcmp(seen[j], b->rack) == 0;
        if (!dup && n < 64)
            seen[n++] = b->rack;
    }
    return any_rack ? val_int(n) : val_null();
}

/* --- clients --- */
static const struct client *cli(struct eval_ctx *c, int role)
{
    return (const struct client *)c->obj[role];
}
#define CLIENT_ATTRS(P, ROLE)                                                                      \
    static struct val P##_name(struct eval_ctx *c) { return val_str(cli(c, ROLE)->o.name); }       \
    static struct val P##_client(struct eval_ctx *c)                                               \
    {                                                                                              \
        return val_str(                                                                            \
            client_kind_name(cli(c, ROLE)->ckind == CK_LIBRDKAFKA ? CK_LIBRDKAFKA : CK_JAVA));     \
    }                                                                                              \
    static struct val P##_version(struct eval_ctx *c)                                              \
    {                                                                                              \
        return val_version(object_version(c->m, c->obj[ROLE]));                                    \
    }                                                                                              \
    static struct val P##_vassumed(struct eval_ctx *c)                                             \
    {                                                                                              \
        return val_bool(!cli(c, ROLE)->version.set);                                               \
    }                                                                                              \
    static struct loc P##_client_loc(struct eval_ctx *c)                                           \
    {                                                                                              \
        return cli(c, ROLE)->client_loc.file ? cli(c, ROLE)->client_loc : cli(c, ROLE)->o.loc;     \
    }                                                                                              \
    static struct val P##_topics(struct eval_ctx *c) { return val_int(cli(c, ROLE)->ntopics); }    \
    static struct val P##_config_error(struct eval_ctx *c)                                         \
    {                                                                                              \
        return val_str(cli(c, ROLE)->config_error);                                                \
    }                                                                                              \
    static struct loc P##_config_error_loc(struct eval_ctx *c)                                     \
    {                                                                                              \
        return cli(c, ROLE)->config_error_loc.file ? cli(c, ROLE)->config_error_loc                \
                                                   : cli(c, ROLE)->o.loc;                          \
    }                                                                                              \
    static struct val P##_transactional(struct eval_ctx *c)                                        \
    {                                                                                              \
        const struct setting *s = object_get(c->obj[ROLE], "transactional.id");                    \
        return val_bool(s && s->value && s->value[0]);                                             \
    }
CLIENT_ATTRS(pr, R_PRODUCER)
CLIENT_ATTRS(co, R_CONSUMER)
static struct val co_group(struct eval_ctx *c) { return val_str(CO(c)->group); }
static struct loc co_group_loc(struct eval_ctx *c)
{
    return CO(c)->group_loc.file ? CO(c)->group_loc : CO(c)->o.loc;
}

/* --- groups and committed offsets --- */
static struct val gr_name(struct eval_ctx *c) { return val_str(GR(c)->o.name); }
static struct val gr_state(struct eval_ctx *c) { return val_str(GR(c)->state); }
static struct val gr_members(struct eval_ctx *c)
{
    return GR(c)->members_unknown ? val_null() : val_int(GR(c)->nmembers);
}
static struct val gr_coordinator(struct eval_ctx *c) { return int_or_null(GR(c)->coordinator); }
static struct val gr_error(struct eval_ctx *c) { return val_str(GR(c)->o.error); }
static struct val gr_partitions(struct eval_ctx *c) { return val_int(GR(c)->noffsets); }

const struct partition *offset_partition(const struct group_offset *o)
{
    if (!o->t)
        return NULL;
    /* Partitions are listed by id (snapshots, the live reader): try that
     * slot first.  A scan for every committed offset made a group on a
     * 30,000-partition topic take seconds per rule. */
    if (o->partition >= 0 && (uint32_t)o->partition < o->t->nparts &&
        o->t->parts[o->partition]->id == o->partition)
        return o->t->parts[o->partition];
    for (uint32_t i = 0; i < o->t->nparts; i++)
        if (o->t->parts[i]->id == o->partition)
            return o->t->parts[i];
    return NULL;
}
static int64_t offset_lag(const struct group_offset *o)
{
    const struct partition *p = offset_partition(o);
    return p ? offset_lag_of(o->committed, p->log_end) : -1;
}
static struct val gr_lag(struct eval_ctx *c)
{
    int64_t sum = 0;
    bool any = false;
    for (uint32_t i = 0; i < GR(c)->noffsets; i++) {
        int64_t l = offset_lag(&GR(c)->offsets[i]);
        if (l >= 0) {
            /* saturate: offsets near INT64_MAX (a hostile snapshot) must
             * not overflow the sum */
            sum = l > INT64_MAX - sum ? INT64_MAX : sum + l;
            any = true;
        }
    }
    return any ? val_int(sum) : val_null();
}
static struct val of_topic(struct eval_ctx *c) { return val_str(c->off->topic); }
static struct val of_partition(struct eval_ctx *c) { return val_int(c->off->partition); }
static struct val of_committed(struct eval_ctx *c) { return int_or_null(c->off->committed); }
static struct val of_lag(struct eval_ctx *c) { return int_or_null(offset_lag(c->off)); }
static struct val of_error(struct eval_ctx *c) { return val_str(c->off->error); }
static struct val of_log_start(struct eval_ctx *c)
{
    const struct partition *p = offset_partition(c->off);
    return p ? int_or_null(p->log_start) : val_null();
}
static struct val of_log_end(struct eval_ctx *c)
{
    const struct partition *p = offset_partition(c->off);
    return p ? int_or_null(p->log_end) : val_null();
}

/* clang-format off */
#define A(n, r, t, g, l, d) {n, r, t, g, l, d, NULL}
/* clang-format on */
/* an attribute computed from configuration keys */
/* clang-format off */
#define AR(n, r, t, g, l, d, keys) {n, r, t, g, l, d, keys}
/* clang-format on */
const struct attr_def attr_table[] = {
    A("name", R_CLUSTER, VT_STR, cl_name, NULL, "cluster name"),
    A("kafka_version", R_CLUSTER, VT_VERSION, cl_version, cl_version_loc,
      "declared Kafka version (the run's default when not declared)"),
    A("version_assumed", R_CLUSTER, VT_BOOL, cl_vassumed, cl_version_loc,
      "true when no input declared the Kafka version"),
    A("brokers", R_CLUSTER, VT_INT, cl_brokers, cl_brokers_loc,
      "number of brokers (declared, or all brokers seen); null if unknown, e.g. when the "
      "inputs are per-broker server.properties files that may be only some of them"),
    A("brokers_known", R_CLUSTER, VT_BOOL, cl_brokers_known, NULL,
      "whether the broker count is known"),
    A("racks", R_CLUSTER, VT_INT, cl_racks, NULL, "distinct broker.rack values among brokers"),
    A("brokers_with_rack", R_CLUSTER, VT_INT, cl_with_rack, NULL, "brokers that have a rack"),
    A("live", R_CLUSTER, VT_BOOL, cl_live, NULL, "the model was read from a running cluster"),
    A("declared", R_CLUSTER, VT_BOOL, cl_declared, NULL, "some input described the cluster"),
    A("topics", R_CLUSTER, VT_INT, cl_topics, NULL, "number of declared topics"),
    A("transactional_producers", R_CLUSTER, VT_INT, cl_txn_producers, NULL,
      "producers with a transactional.id"),
    A("controller", R_CLUSTER, VT_INT, cl_controller, NULL, "controller broker id (live)"),
    A("elr_default", R_CLUSTER, VT_BOOL, cl_elr_default, cl_version_loc,
      "Eligible Leader Replicas (KIP-966) are on for a new cluster of the declared version "
      "(4.1 and later); null when the version is only assumed"),
    A("outage_budget_ms", R_CLUSTER, VT_INT, cl_outage_budget, NULL,
      "how long a consumer may be down without losing data (lint --outage-budget, default "
      "24h); null when not checked"),
    A("ephemeral_brokers", R_CLUSTER, VT_INT, cl_ephemeral, NULL,
      "brokers whose data directory is lost with their pod or container (data_storage "
      "\"ephemeral\"); a cluster described without individual brokers counts as one"),

    A("id", R_BROKER, VT_INT, br_id, NULL, "broker id"),
    A("name", R_BROKER, VT_STR, br_name, NULL, "\"broker <id>\""),
    AR("retention_ms", R_BROKER, VT_INT, br_retention, br_retention_loc,
       "the broker's default retention in ms: log.retention.ms, else log.retention.minutes, "
       "else log.retention.hours (-1: forever); null if not known",
       retention_keys),
    A("rack", R_BROKER, VT_STR, br_rack, br_rack_loc, "broker.rack, or null"),
    A("host", R_BROKER, VT_STR, br_host, NULL, "advertised host (live)"),
    A("port", R_BROKER, VT_INT, br_port, NULL, "advertised port (live)"),
    A("down", R_BROKER, VT_BOOL, br_down, NULL, "replica holder missing from live metadata"),
    A("config_known", R_BROKER, VT_BOOL, br_config_known, NULL,
      "false when a live broker's configuration could not be read (its rack and settings are "
      "unknown)"),
    A("leaders", R_BROKER, VT_INT, br_leaders, NULL, "partitions this broker leads (live)"),
    A("server_properties", R_BROKER, VT_BOOL, br_server_props, br_server_props_loc,
      "the configuration was read from a Java server.properties file (or a manifest says the "
      "broker runs from one), so Kafka's built-in defaults apply to the keys it leaves unset"),
    A("data_storage", R_BROKER, VT_STR, br_storage, br_storage_loc,
      "what keeps the log directories: \"persistent\" (a volume), \"ephemeral\" (lost with "
      "the pod or container: Strimzi ephemeral storage, a compose service's writable layer), "
      "null when unknown"),
    A("data_storage_note", R_BROKER, VT_STR, br_storage_note, br_storage_loc,
      "why data_storage is what it is, for messages; null when unknown"),
    A("container", R_BROKER, VT_BOOL, br_container, NULL,
      "the broker runs in a container (a docker-compose service, a Strimzi pod)"),

    A("id", R_CONTROLLER, VT_INT, ct_id, NULL, "node.id of a KRaft controller-only node"),
    AR("metadata_log_dir", R_CONTROLLER, VT_STR, ct_metadata_dir, ct_metadata_dir_loc,
       "where the metadata log is kept: metadata.log.dir, else the first of log.dirs, else "
       "log.dir (Kafka's default only for a node run from a server.properties); null if no "
       "input says",
       metadata_dir_keys),
    A("name", R_CONTROLLER, VT_STR, ct_name, NULL, "\"controller <id>\""),
    A("server_properties", R_CONTROLLER, VT_BOOL, ct_server_props, ct_server_props_loc,
      "the configuration was read from a Java server.properties file (or a manifest says the "
      "controller runs from one), so Kafka's built-in defaults apply to the keys it leaves unset"),
    A("container", R_CONTROLLER, VT_BOOL, ct_container, NULL,
      "the controller runs in a container (a docker-compose service, a Strimzi pod)"),

    A("name", R_TOPIC, VT_STR, to_name, NULL, "topic name"),
    A("partitions", R_TOPIC, VT_INT, to_partitions, to_partitions_loc, "partition count"),
    A("replication_factor", R_TOPIC, VT_INT, to_rf, to_rf_loc,
      "declared replication factor; else the smallest replica count seen; else the broker's "
      "default.replication.factor"),
    A("replication_factor_declared", R_TOPIC, VT_BOOL, to_rf_declared, to_rf_loc,
      "the replication factor is declared or observed, not a default"),
    A("internal", R_TOPIC, VT_BOOL, to_internal, NULL, "__consumer_offsets, __transaction_state"),
    A("declared", R_TOPIC, VT_BOOL, to_declared, NULL,
      "false for topics only referenced by clients (auto-created)"),
    A("writers", R_TOPIC, VT_INT, to_writers, NULL, "producers writing the topic"),
    A("readers", R_TOPIC, VT_INT, to_readers, NULL, "consumers reading the topic"),
    A("transactional_writers", R_TOPIC, VT_INT, to_txn_writers, NULL,
      "producers with a transactional.id writing the topic"),
    A("min_isr", R_TOPIC, VT_INT, to_min_isr, NULL, "effective min.insync.replicas as an integer"),
    A("error", R_TOPIC, VT_STR, to_error, NULL, "live: why the topic could not be fully read"),

    A("id", R_PARTITION, VT_INT, pa_id, NULL, "partition number"),
    A("leader", R_PARTITION, VT_INT, pa_leader, NULL, "leader broker id, null when none"),
    A("has_leader", R_PARTITION, VT_BOOL, pa_has_leader, NULL, "a leader is elected"),
    A("replicas", R_PARTITION, VT_INT, pa_replicas, NULL, "number of replicas (RF)"),
    A("isr", R_PARTITION, VT_INT, pa_isr, NULL, "number of in-sync replicas"),
    A("offline", R_PARTITION, VT_INT, pa_offline, NULL, "number of offline replicas"),
    A("isr_list", R_PARTITION, VT_STR, pa_isr_list, NULL, "in-sync broker ids, \"1,2\""),
    A("replica_list", R_PARTITION, VT_STR, pa_replica_list, NULL, "replica broker ids, \"1,2,3\""),
    A("log_start", R_PARTITION, VT_INT, pa_log_start, NULL, "log start offset"),
    A("log_end", R_PARTITION, VT_INT, pa_log_end, NULL, "log end offset (high watermark)"),
    A("min_isr", R_PARTITION, VT_INT, pa_min_isr, NULL, "topic's effective min.insync.replicas"),
    A("under_replicated", R_PARTITION, VT_BOOL, pa_urp, NULL, "kafka-topics.sh predicate"),
    A("under_min_isr", R_PARTITION, VT_BOOL, pa_under_min, NULL, "kafka-topics.sh predicate"),
    A("at_min_isr", R_PARTITION, VT_BOOL, pa_at_min, NULL, "kafka-topics.sh predicate"),
    A("unavailable", R_PARTITION, VT_BOOL, pa_unavailable, NULL, "kafka-topics.sh predicate"),
    A("racks", R_PARTITION, VT_INT, pa_racks, NULL,
      "distinct racks among the replicas' brokers; null if no broker has a rack"),

/* clang-format off */
#define CLIENT_ROWS(P, ROLE, WHAT)                                                             \
    A("name", ROLE, VT_STR, P##_name, NULL, WHAT " name"),                                     \
        A("client", ROLE, VT_STR, P##_client, P##_client_loc, "\"java\" or \"librdkafka\""),   \
        A("client_version", ROLE, VT_VERSION, P##_version, P##_client_loc,                     \
          "client library version (the run's default when not declared)"),                     \
        A("version_assumed", ROLE, VT_BOOL, P##_vassumed, P##_client_loc,                      \
          "true when the client version was not declared"),                                   \
        A("topics", ROLE, VT_INT, P##_topics, NULL, "number of topics it uses"),               \
        A("config_error", ROLE, VT_STR, P##_config_error, P##_config_error_loc,               \
          "the client library's start-up error for this configuration, or null"),             \
        A("transactional", ROLE, VT_BOOL, P##_transactional, NULL, "transactional.id is set")
    /* clang-format on */
    CLIENT_ROWS(pr, R_PRODUCER, "producer"),
    CLIENT_ROWS(co, R_CONSUMER, "consumer"),
    A("group", R_CONSUMER, VT_STR, co_group, co_group_loc, "consumer group id"),

    A("name", R_GROUP, VT_STR, gr_name, NULL, "group id"),
    A("state", R_GROUP, VT_STR, gr_state, NULL, "Stable, Empty, Dead, PreparingRebalance, ..."),
    A("members", R_GROUP, VT_INT, gr_members, NULL, "number of members"),
    A("coordinator", R_GROUP, VT_INT, gr_coordinator, NULL, "coordinator broker id"),
    A("lag", R_GROUP, VT_INT, gr_lag, NULL, "total lag over partitions with known offsets"),
    A("partitions", R_GROUP, VT_INT, gr_partitions, NULL, "partitions with committed offsets"),
    A("error", R_GROUP, VT_STR, gr_error, NULL, "why the group could not be fully read"),

    A("topic", R_OFFSET, VT_STR, of_topic, NULL, "topic of the committed offset"),
    A("partition", R_OFFSET, VT_INT, of_partition, NULL, "partition of the committed offset"),
    A("committed", R_OFFSET, VT_INT, of_committed, NULL, "committed offset; null if none"),
    A("lag", R_OFFSET, VT_INT, of_lag, NULL, "log end - committed (>= 0); null if unknown"),
    A("log_start", R_OFFSET, VT_INT, of_log_start, NULL, "partition log start offset"),
    A("log_end", R_OFFSET, VT_INT, of_log_end, NULL, "partition log end offset"),
    A("error", R_OFFSET, VT_STR, of_error, NULL, "per-partition OffsetFetch error"),
    {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

const struct attr_def *attr_find(enum role r, const char *name)
{
    for (const struct attr_def *a = attr_table; a->name; a++)
        if (a->role == r && strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

/* --- collections --- */

enum {
    C_BROKERS,
    C_TOPICS,
    C_PARTITIONS,
    C_PRODUCERS,
    C_CONSUMERS,
    C_GROUPS,
    C_WRITERS,
    C_READERS,
    C_REPLICAS,
    C_ISR_BROKERS
};

const struct coll_def coll_table[] = {
    {"brokers", R_BROKER, "all brokers"},
    {"topics", R_TOPIC, "all topics"},
    {"partitions", R_PARTITION, "partitions of the bound topic, else all partitions"},
    {"producers", R_PRODUCER, "all producers"},
    {"consumers", R_CONSUMER, "all consumers"},
    {"groups", R_GROUP, "all consumer groups"},
    {"writers", R_PRODUCER, "producers writing the bound topic"},
    {"readers", R_CONSUMER, "consumers reading the bound topic"},
    {"replicas", R_BROKER, "brokers holding a replica of the bound partition"},
    {"isr_brokers", R_BROKER, "brokers in the bound partition's ISR"},
    {NULL, 0, NULL},
};

const struct coll_def *coll_find(const char *name, int *id)
{
    for (int i = 0; coll_table[i].name; i++)
        if (strcmp(coll_table[i].name, name) == 0) {
            *id = i;
            return &coll_table[i];
        }
    return NULL;
}

/* Typed vectors of objects (each struct starts with its struct object). */
#define EACH_OBJ(c, role, vec, n, fn, arg)                                                         \
    do {                                                                                           \
        for (uint32_t i_ = 0; i_ < (n); i_++) {                                                    \
            (c)->obj[role] = &(vec)[i_]->o;                                                        \
            if ((fn)((c), (arg)))                                                                  \
                break;                                                                             \
        }                                                                                          \
    } while (0)

static int each_partition_of(struct eval_ctx *c, const struct topic *t,
                             int (*fn)(struct eval_ctx *, void *), void *arg)
{
    c->obj[R_TOPIC] = &t->o;
    for (uint32_t j = 0; j < t->nparts; j++) {
        c->obj[R_PARTITION] = &t->parts[j]->o;
        if (fn(c, arg))
            return 1;
    }
    return 0;
}

static int each_broker_id(struct eval_ctx *c, const int32_t *ids, uint16_t n,
                          int (*fn)(struct eval_ctx *, void *), void *arg)
{
    for (uint16_t i = 0; i < n; i++) {
        struct broker *b = model_find_broker(c->m, ids[i]);
        if (!b)
            continue;
        c->obj[R_BROKER] = &b->o;
        if (fn(c, arg))
            return 1;
    }
    return 0;
}

void coll_foreach(int id, struct eval_ctx *c, int (*fn)(struct eval_ctx *, void *), void *arg)
{
    const struct model *m = c->m;
    switch (id) {
    case C_BROKERS: EACH_OBJ(c, R_BROKER, m->brokers, m->nbrokers, fn, arg); break;
    case C_TOPICS: EACH_OBJ(c, R_TOPIC, m->topics, m->ntopics, fn, arg); break;
    case C_PRODUCERS: EACH_OBJ(c, R_PRODUCER, m->producers, m->nproducers, fn, arg); break;
    case C_CONSUMERS: EACH_OBJ(c, R_CONSUMER, m->consumers, m->nconsumers, fn, arg); break;
    case C_GROUPS: EACH_OBJ(c, R_GROUP, m->groups, m->ngroups, fn, arg); break;
    case C_PARTITIONS:
        if (c->obj[R_TOPIC]) {
            each_partition_of(c, TO(c), fn, arg);
        } else {
            for (uint32_t i = 0; i < m->ntopics; i++)
                if (each_partition_of(c, m->topics[i], fn, arg))
                    break;
        }
        break;
    case C_WRITERS:
        if (c->obj[R_TOPIC]) {
            const struct topic *t = TO(c);
            EACH_OBJ(c, R_PRODUCER, t->writers, t->nwriters, fn, arg);
        }
        break;
    case C_READERS:
        if (c->obj[R_TOPIC]) {
            const struct topic *t = TO(c);
            EACH_OBJ(c, R_CONSUMER, t->readers, t->nreaders, fn, arg);
        }
        break;
    case C_REPLICAS:
        if (c->obj[R_PARTITION])
            each_broker_id(c, PA(c)->replicas, PA(c)->nreplicas, fn, arg);
        break;
    case C_ISR_BROKERS:
        if (c->obj[R_PARTITION])
            each_broker_id(c, PA(c)->isr, PA(c)->nisr, fn, arg);
        break;
    }
}
