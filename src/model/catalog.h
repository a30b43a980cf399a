/*
 * catalog.h - what kafkaudit knows about Kafka configuration keys.
 *
 * One entry per (key name, family).  A family is the set of objects a key
 * can be written on: broker config, topic config, the Java producer or
 * consumer, the librdkafka producer or consumer.  Each entry records the
 * key's type, its valid values, its default *by version* and where that
 * fact comes from, so "the effective value of acks for a Java 2.8
 * producer" or "min.insync.replicas on Kafka 3.7" is a table lookup.
 *
 * Names: rules speak Java names ("acks", "retries", "linger.ms").  A
 * librdkafka entry whose real name differs (request.required.acks,
 * message.send.max.retries, queue.buffering.max.ms, message.timeout.ms)
 * carries the Java name in .canonical; a librdkafka alias (acks, retries,
 * linger.ms, delivery.timeout.ms, max.in.flight) names its real key in
 * .alias_of (librdkafka's CONFIGURATION.md at v2.0.2 names each alias).
 *
 * The data lives in catalog_data.c; every entry's .ref names its source
 * (a file of apache/kafka or confluentinc/librdkafka at a tag, a KIP, or a
 * documentation anchor).
 */
#ifndef KA_CATALOG_H
#define KA_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/version.h"

enum cat_family {
    CF_BROKER = 1u << 0,        /* server.properties, dynamic broker config */
    CF_TOPIC = 1u << 1,         /* topic-level config */
    CF_JAVA_PRODUCER = 1u << 2, /* org.apache.kafka:kafka-clients producer */
    CF_JAVA_CONSUMER = 1u << 3,
    CF_RDK_PRODUCER = 1u << 4, /* librdkafka producer (global + topic props) */
    CF_RDK_CONSUMER = 1u << 5,
};
#define CF_JAVA_CLIENT (CF_JAVA_PRODUCER | CF_JAVA_CONSUMER)
#define CF_RDK_CLIENT  (CF_RDK_PRODUCER | CF_RDK_CONSUMER)

enum cat_type {
    CT_STRING,
    CT_INT,  /* 32-bit */
    CT_LONG, /* 64-bit */
    CT_SHORT,
    CT_DOUBLE, /* also librdkafka float properties (linger.ms 0.5) */
    CT_BOOL,
    CT_LIST, /* comma-separated */
    CT_CLASS,
    CT_PASSWORD, /* sensitive: never printed */
    CT_ENUM,     /* one of .valid ("a|b|c"); compared case-insensitively */
};

struct cat_default {
    const char *since; /* first version with this default; "0" = always */
    const char *value; /* NULL = no default (null) */
};

#define CAT_MAX_DEFAULTS 6

struct cat_key {
    const char *name;
    uint32_t families;     /* enum cat_family bits */
    uint8_t type;          /* enum cat_type */
    const char *canonical; /* rdk real name -> Java name rules use; NULL = name */
    const char *alias_of;  /* alias: the real key in the same family */
    const char *synonyms;  /* topic keys: broker synonyms, comma-separated, in
                              precedence order ("log.flush.interval.ms,
                              log.flush.scheduler.interval.ms") */
    const char *valid;     /* CT_ENUM: "a|b|c"; numbers: "[min,max]" either
                              bound may be empty; NULL: anything */
    const char *since;     /* first version that knows the key; NULL = always */
    const char *removed;   /* first version that no longer knows it */
    bool sensitive;
    uint8_t ndefaults;
    struct cat_default defaults[CAT_MAX_DEFAULTS]; /* ascending by since */
    const char *ref;                               /* source of the facts above */
};

extern const struct cat_key catalog_keys[];
extern const size_t catalog_nkeys;

/* Build the lookup index (idempotent, not thread-safe on first call; the
 * CLI calls it once at start-up). */
void catalog_init(void);

/* Broker-config synonyms of a topic key, resolved to their CF_BROKER
 * entries, in precedence order.  Returns the count. */
int catalog_synonyms(const struct cat_key *k, const struct cat_key *const **out);

/* Entry for name in family (exactly one family bit), or NULL.  Aliases
 * are returned as themselves; use catalog_resolve() to follow them. */
const struct cat_key *catalog_find(const char *name, enum cat_family fam);
/* Follow alias_of to the real entry. */
const struct cat_key *catalog_resolve(const struct cat_key *k, enum cat_family fam);
/* Real entry in fam whose canonical name (or own name) is name: maps the
 * rule-language name "acks" to librdkafka's request.required.acks. */
const struct cat_key *catalog_by_canonical(const char *name, enum cat_family fam);
/* The catalog's own (static) copy of a key name, or NULL if no entry has
 * that name: lets the model intern catalog keys as themselves. */
const char *catalog_static_name(const char *s, size_t n);
/* Index 0..5 of a single family bit (for per-family caches). */
static inline int catalog_family_index(uint32_t fam) { return fam ? __builtin_ctz(fam) : 0; }
#define CAT_NFAMILIES 6

/* The name rules use for k. */
const char *catalog_canonical(const struct cat_key *k);
/* name_sounds_secret(k->name), answered once per entry. */
bool catalog_name_sounds_secret(const struct cat_key *k);

/* Default for version v (v.set == false: the newest default).  *found is
 * false when the entry has no default table. */
const char *catalog_default(const struct cat_key *k, struct version v, bool *found);

/* Closest known name in fam within edit distance 2 (or NULL). */
const char *catalog_suggest(const char *name, enum cat_family fam);

/* Check value against k's type and .valid.  Returns NULL if fine, else a
 * static description of what was expected ("an integer", "one of all, -1,
 * 0, 1", "an integer >= 1"). */
const char *catalog_check_value(const struct cat_key *k, const char *value, char *tmp,
                                size_t tmplen);

#endif
