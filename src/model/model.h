/*
 * model.h - one deployment: cluster, brokers, topics (and their partitions
 * when known), producers, consumers and consumer groups, every setting
 * tagged with where it came from.
 *
 * Sources fill it (input/ for config files and snapshots, live/ for a
 * running cluster); the rule engine (rules/) reads it; renderers (report/,
 * tui/) only read.  Nothing in here prints or exits.
 *
 * Ownership: every object, string and array hangs off model->arena and is
 * released by model_release().  The pointer vectors (brokers, topics, ...)
 * and hash indexes are malloc'd and also released there.
 *
 * Settings: each object carries a singly linked list of settings, newest
 * first, so "last assignment wins" (Java properties, librdkafka aliases)
 * falls out of a front-to-back scan.  Keys are stored under their real
 * name for the object's family (librdkafka's request.required.acks, not
 * its alias acks), interned so that comparisons are pointer compares.
 * Effective values (explicit -> inherited -> default of the declared
 * version) are computed on demand by effective.h.
 */
#ifndef KA_MODEL_H
#define KA_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "syntax/diag.h"
#include "syntax/source.h"
#include "model/version.h"

struct cat_key;
#include "util/arena.h"
#include "util/hmap.h"

enum obj_kind {
    OBJ_CLUSTER,
    OBJ_BROKER,
    OBJ_TOPIC,
    OBJ_PARTITION,
    OBJ_PRODUCER,
    OBJ_CONSUMER,
    OBJ_GROUP,
    OBJ_CONTROLLER, /* KRaft controller-only node (struct broker) */
    OBJ__COUNT
};
const char *obj_kind_name(enum obj_kind k); /* "cluster", "broker", ... */
struct object;
/* A broker's, controller's or the cluster's name already says what it is
 * ("broker 1", "controller 3000", "all brokers"): descriptions show the name
 * alone; others get their kind in front ("topic orders"). */
bool object_name_has_kind(const struct object *o);

/* Where a value came from. */
enum origin {
    ORIG_NONE,    /* unknown / not set anywhere and no default known */
    ORIG_FILE,    /* written in an input file (loc is exact) */
    ORIG_LIVE,    /* read from a running cluster (live_source, broker) */
    ORIG_DEFAULT, /* built-in default of the declared Kafka/client version */
    ORIG_DERIVED, /* computed by client or broker logic; note says why */
};

/* DescribeConfigs config_source wire ids (KIP-226, DescribeConfigs v1+). */
enum live_source {
    LS_UNKNOWN = 0,
    LS_TOPIC = 1,           /* DYNAMIC_TOPIC_CONFIG */
    LS_DYNAMIC_BROKER = 2,  /* DYNAMIC_BROKER_CONFIG (per broker) */
    LS_DYNAMIC_DEFAULT = 3, /* DYNAMIC_DEFAULT_BROKER_CONFIG (cluster-wide) */
    LS_STATIC_BROKER = 4,   /* STATIC_BROKER_CONFIG (server.properties) */
    LS_DEFAULT = 5,         /* DEFAULT_CONFIG */
    LS_BROKER_LOGGER = 6,
};
const char *live_source_name(enum live_source s); /* "DYNAMIC_TOPIC_CONFIG", ... */

struct setting {
    struct setting *next;      /* older assignment on the same object */
    const char *key;           /* interned real name */
    const char *written;       /* key as written when it differs (alias, relaxed
                                  binding, KAFKA_CFG_ env name); else NULL */
    const char *value;         /* text; NULL = null or masked */
    struct loc loc;            /* ORIG_FILE: position of the value */
    struct loc key_loc;        /* ORIG_FILE: position of the key */
    uint8_t origin;            /* enum origin */
    uint8_t live_source;       /* enum live_source, ORIG_LIVE only */
    bool sensitive;            /* never print value */
    bool invalid;              /* the value is not valid for the key: rules treat
                                  it as unknown (KA003 reports it) */
    bool injected;             /* ORIG_DERIVED by a reader: a framework (Spring
                                  Kafka) hands the client this value explicitly */
    const char *suggest;       /* set by a reader that knows the key is not a
                                  setting (a Spring Boot property name it does
                                  not have): the name meant, or "" for none */
    int32_t broker;            /* ORIG_LIVE: broker that answered; else -1 */
    const char *note;          /* ORIG_DERIVED: the reason, for messages; ORIG_FILE:
                                  why its value is unknown (NULL value) */
    const struct cat_key *cat; /* catalog entry for the written key in the
                                  object's family when it was set, or NULL */
    uint32_t cat_family;       /* that family */
};

struct object {
    uint8_t kind; /* enum obj_kind */
    const char *name;
    struct loc loc;      /* where the object is declared (first line) */
    struct setting *cfg; /* newest first */
    uint32_t index;      /* position in its model vector */
    const char *error;   /* live: why part of this object is missing */
};

/* What keeps a broker's log directory (its data) across a restart of the
 * pod or container.  Readers set it only where they know both the data
 * directory and what lies under it; anything else stays unknown. */
enum data_storage {
    DS_UNKNOWN = 0,
    DS_PERSISTENT, /* a volume: a persistent volume claim, a compose volume or bind mount */
    DS_EPHEMERAL,  /* lost with the pod or container: a Strimzi ephemeral
                      (emptyDir) storage, a container's writable layer */
};
const char *data_storage_name(enum data_storage s); /* "persistent", "ephemeral", NULL */

/* What runs the node: a plain process, or a container whose files outside
 * its volumes go when the container is recreated. */
enum node_runtime {
    NR_UNKNOWN = 0,
    NR_COMPOSE, /* a docker-compose service */
    NR_STRIMZI, /* a pod of a Strimzi Kafka resource */
};

struct broker {
    struct object o;
    int32_t id;
    const char *rack; /* NULL: no rack */
    struct loc rack_loc;
    const char *host;
    int32_t port;
    bool down; /* live: replica holder absent from metadata */
    /* Configured by a Java server.properties file (input/properties.c), or
     * a manifest says so (server_properties: true): the broker starts from
     * that file alone, so Kafka's built-in defaults apply to every key it
     * leaves unset (log.dir=/tmp/kafka-logs among them).  False for brokers
     * only a manifest, docker-compose file, Strimzi resource or running
     * cluster describes: images and operators supply values of their own,
     * and a live cluster reports its real ones. */
    bool server_properties;
    struct loc server_properties_loc; /* the file's first key or directive;
                                         a manifest's broker entry */
    uint8_t storage;                  /* enum data_storage of the log directory */
    struct loc storage_loc;           /* what decided it (a storage type, a service) */
    const char *storage_note;         /* why, for messages; NULL when unknown */
    uint8_t runtime;                  /* enum node_runtime */
};

struct topic;

struct partition {
    struct object o; /* name "topic-N"; kind OBJ_PARTITION */
    struct topic *topic;
    int32_t id;
    int32_t leader; /* -1: none */
    int32_t *replicas, *isr, *offline;
    uint16_t nreplicas, nisr, noffline;
    int64_t log_start, log_end; /* -1: unknown */
};

struct client;

struct topic {
    struct object o;
    int32_t partitions; /* -1: unknown */
    struct loc partitions_loc;
    int32_t rf; /* declared replication factor; -1: not declared */
    struct loc rf_loc;
    bool internal;  /* __consumer_offsets, __transaction_state */
    bool declared;  /* false: only referenced by a client */
    bool live_seen; /* live: named by the cluster's metadata */
    struct partition **parts;
    uint32_t nparts;
    struct client **writers, **readers;
    uint32_t nwriters, nreaders, capw, capr;
    const char *cluster_label; /* Strimzi strimzi.io/cluster label, or NULL */
};

enum client_kind { CK_UNKNOWN, CK_JAVA, CK_LIBRDKAFKA };
const char *client_kind_name(enum client_kind k); /* "java", "librdkafka" */

struct topic_ref {
    const char *name;
    struct loc loc;
    struct topic *topic; /* resolved by model_finalize() */
};

struct client {
    struct object o; /* OBJ_PRODUCER or OBJ_CONSUMER */
    uint8_t ckind;   /* enum client_kind */
    struct version version;
    bool version_assumed; /* not declared: the run's default was used */
    struct loc client_loc;
    const char *version_note; /* where a version not declared came from
                                 (a Spring Boot build file), or NULL */
    struct topic_ref *topics;
    uint32_t ntopics, captopics;
    const char *group; /* consumer group (declared or group.id) */
    struct loc group_loc;
    bool group_elsewhere;     /* no group.id in the files, but the application
                                 may set one in code (Spring @KafkaListener) */
    const char *config_error; /* client library refuses this config (derived) */
    struct loc config_error_loc;
};

struct tp {
    const char *topic;
    int32_t partition;
};

struct group_member {
    const char *member_id, *client_id, *host, *instance_id;
    struct tp *assignment;
    uint32_t nassignment;
};

struct group_offset {
    const char *topic;
    struct topic *t; /* resolved, or NULL */
    int32_t partition;
    int64_t committed; /* -1: nothing committed */
    const char *error;
};

struct group {
    struct object o;
    const char *state; /* Stable, Empty, Dead, PreparingRebalance, ... */
    const char *protocol_type, *assignor;
    int32_t coordinator;
    struct group_member *members;
    uint32_t nmembers;
    struct group_offset *offsets;
    uint32_t noffsets;
    bool simple;
    bool members_unknown; /* the group exists but its members could not be
                             read (a KIP-848 group: DescribeGroups v0-v5
                             cannot describe it) */
};

struct cluster {
    struct object o;
    struct version kafka_version;
    bool version_assumed;
    /* kafka_version is the lowest version a live cluster's brokers can run,
     * judged from their configuration keys (model/kafka_version.h); text
     * such as "3.9" or "4.0+" for the range */
    bool version_inferred;
    char version_range[40];
    struct loc version_loc;
    int32_t declared_brokers; /* e.g. Strimzi replicas; -1 unknown */
    struct loc declared_brokers_loc;
    bool brokers_partial; /* brokers come from per-broker files: there may be
                             more than the inputs show (size unknown) */
    const char *resource; /* name of the resource declaring it (Strimzi Kafka) */
    struct loc resource_loc;
    const char *cluster_id;
    const char *cluster_name; /* live: its name in kafkaudit-clusters(5), or NULL */
    int32_t controller;
    bool declared;       /* some input described the cluster */
    bool live;           /* the model was read from a running cluster */
    bool unread;         /* live: no broker answered its metadata request:
                            nothing of the cluster was read or audited */
    bool groups_partial; /* live: the list of consumer groups is incomplete
                            (ListGroups failed on some broker or all) */
    int64_t collected_at_ms;
};

/* Defaults a run assumes when an input doesn't say. */
#define MODEL_DEFAULT_OUTAGE_BUDGET_MS (24LL * 3600 * 1000)

struct model_defaults {
    struct version kafka;       /* default 3.7 */
    struct version java_client; /* default 3.7 */
    struct version librdkafka;  /* default 2.3 */
    /* How long a consumer may be down: data retained for less is deleted
     * unread (KA420, KA421).  0: not checked.  Default 24 h. */
    int64_t outage_budget_ms;
};

/* A Strimzi KafkaNodePool with the broker role, counted at finalize time
 * once it is known which cluster the run describes. */
struct node_pool {
    const char *name, *cluster; /* cluster: strimzi.io/cluster label or NULL */
    int32_t replicas;
    struct loc loc;
    uint8_t storage; /* enum data_storage of spec.storage */
    struct loc storage_loc;
    const char *storage_note;
};

struct model {
    struct arena arena;
    struct source_set sources;
    struct diag_list diags; /* problems with the inputs */
    struct model_defaults defaults;
    struct hmap interned;
    /* model copies of large YAML values by (file, node): an alias shares
     * its anchor's node, and so its copy (see model_shared_value) */
    struct hmap shared_values;
    /* text pointers of the YAML scalars of the file being read that sit
     * under a secret-sounding key: an alias elsewhere is the same secret */
    struct hmap secret_texts;

    struct cluster cluster;
    /* Stand-in for "each broker" when the deployment declares a cluster but
     * no individual brokers: broker rules then judge the cluster config. */
    struct broker every_broker;
    struct broker **brokers;
    /* KRaft controller-only nodes (process.roles=controller): they hold
     * the cluster's metadata log but no partitions, so they are not
     * brokers (struct broker, kind OBJ_CONTROLLER) */
    struct broker **controllers;
    uint32_t ncontrollers, capctl;
    struct topic **topics;
    struct client **producers, **consumers;
    struct group **groups;
    uint32_t nbrokers, ntopics, nproducers, nconsumers, ngroups;
    uint32_t capb, capt, capp, capc, capg;
    struct hmap topic_by_name, producer_by_name, consumer_by_name, group_by_name;
    /* brokers and controllers by their name ("broker 3"): a scan per
     * lookup made 50,000 brokers take minutes */
    struct hmap node_by_name;
    /* compose: brokers by service (host, no port), the first of each,
     * indexed as they come (brokers[0 .. nhosts_indexed)) */
    struct hmap broker_by_host;
    uint32_t nhosts_indexed;
    struct node_pool *pools;
    uint32_t npools, cappools;
    /* How each input file was read: its dialect ("none" when it held
     * nothing kafkaudit reads) and why (`lint --verbose`). */
    struct file_read *reads;
    uint32_t nreads, capreads;
};

struct file_read {
    uint32_t file;
    const char *dialect; /* arena */
    const char *why;     /* arena */
};

/* Record how file was read; a second dialect for the same file (a
 * multi-document stream) is added to the first ("strimzi+manifest"). */
void model_note_read(struct model *m, uint32_t file, const char *dialect, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void model_init(struct model *m);
void model_release(struct model *m);

/* Intern a key or name: equal strings give the same pointer. */
const char *model_intern(struct model *m, const char *s);
const char *model_internn(struct model *m, const char *s, size_t n);

/* Find-or-create.  A new object's loc is set from loc; existing objects keep
 * their first declaration.  *created (may be NULL) tells which happened. */
struct broker *model_broker(struct model *m, int32_t id, struct loc loc, bool *created);
struct broker *model_find_broker(const struct model *m, int32_t id);
struct broker *model_controller(struct model *m, int32_t id, struct loc loc, bool *created);
struct topic *model_topic(struct model *m, const char *name, struct loc loc, bool *created);
/* Room for n more topics, producers or consumers (a reader that knows how
 * many it declares): their index and list grow once, not by doubling. */
void model_reserve(struct model *m, enum obj_kind kind, size_t n);
struct topic *model_find_topic(const struct model *m, const char *name);
struct client *model_client(struct model *m, enum obj_kind kind, const char *name, struct loc loc,
                            bool *created);
struct client *model_find_client(const struct model *m, enum obj_kind kind, const char *name);
struct group *model_group(struct model *m, const char *name, struct loc loc, bool *created);
struct group *model_find_group(const struct model *m, const char *name);

/* ---- consumer-group semantics: the one home of lag, unread and deleted
 * unread, for `lag`, the dashboard (watch/) and the rules alike ---------- */
/* The group does not exist: its coordinator describes it Dead. */
bool group_is_dead(const struct group *g);
/* The group exists but its description or committed offsets were not
 * (all) read (an error is recorded on it): its lag is unknown, or what was
 * read is a lower bound - never 0, never complete. */
bool group_unread(const struct group *g);
/* Lag of one partition: log_end - committed; 0 when the committed offset
 * is beyond the log end (a truncated log); -1 (unknown) when nothing is
 * committed or either offset is unknown (Kafka's own tool shows '-'). */
int64_t offset_lag_of(int64_t committed, int64_t log_end);
/* Messages deleted before the group read them: log_start - committed
 * when the committed offset is below the log start, else 0; -1 when
 * either is unknown. */
int64_t offset_deleted_unread(int64_t committed, int64_t log_start);
struct partition *model_add_partition(struct model *m, struct topic *t, int32_t id);

/* Prepend a setting.  key must already be the real name for the object's
 * family (see input/config_keys.h for alias resolution). */
struct setting *object_set(struct model *m, struct object *o, const char *key, const char *value,
                           enum origin origin, struct loc loc);
/* object_set for a value that already lives in the model (its arena or a
 * string literal): kept, not copied. */
struct setting *object_set_owned(struct model *m, struct object *o, const char *key,
                                 const char *value, enum origin origin, struct loc loc);
/* The model's copy of a value read from YAML node `node` of file: made on
 * the first call, shared by every later call for the same node.  Aliases
 * share their anchor's node, so a 1 MiB value aliased 20,000 times is one
 * copy, not 20 GB.  The node must stay alive while file is being read.
 * With text NULL, only looks: the copy, or NULL when there is none yet. */
const char *model_shared_value(struct model *m, uint32_t file, const void *node, const char *text);
/* Secret scalars of the file being read, by the address of their text
 * (aliases share it): forget them all, add one, ask about one. */
void model_secret_texts_reset(struct model *m);
void model_secret_text_add(struct model *m, const char *text);
bool model_secret_text(const struct model *m, const char *text);
/* Newest setting for key (interned or not), or NULL. */
const struct setting *object_get(const struct object *o, const char *key);
/* Same for a key known to be interned (a catalog entry's name, or a
 * model_intern() result): pointer comparisons only. */
const struct setting *object_get_interned(const struct object *o, const char *key);

void client_add_topic(struct model *m, struct client *c, const char *topic, struct loc loc);

/* Link client topic references to topic objects, record writers and
 * readers, and apply client-library semantics (derived settings such as
 * Java 3.x silently disabling idempotence).  Call once after all sources
 * were loaded and before rules run. */
void model_finalize(struct model *m);

/* Number of brokers the deployment is known to have: the largest of the
 * declared count and the brokers seen; 0 when unknown (no count declared and
 * the brokers seen may be only some of them, e.g. one server.properties). */
int32_t model_broker_count(const struct model *m);

#endif
