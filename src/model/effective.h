/*
 * effective.h - the value a setting really has, and why.
 *
 * Resolution order (https://kafka.apache.org/documentation/#dynamicbrokerconfigs;
 * apache/kafka core/src/main/scala/kafka/server/DynamicBrokerConfig.scala@3.8.0
 * l.555-571 and ConfigHelper.scala@3.8.0 l.223-238):
 *   topic:    topic override -> broker synonyms in the cluster layer
 *             (cluster config, then brokers' own config when they agree)
 *             -> Kafka default for the cluster's version
 *   broker:   broker's own config -> cluster config -> Kafka default
 *   cluster:  cluster config -> brokers' own config when they agree
 *             -> Kafka default
 *   clients:  explicit value (aliases resolved, last assignment wins) or
 *             a derived value (client-library post-processing, see
 *             model_finalize) -> default of the client kind and version
 * Values read from a live cluster carry their DescribeConfigs source and
 * are taken as they are.
 */
#ifndef KA_EFFECTIVE_H
#define KA_EFFECTIVE_H

#include <stdbool.h>

#include "model/catalog.h"
#include "model/model.h"
#include "util/buf.h"

struct eff {
    const char *key;   /* name asked for (rule-language / Java name) */
    const char *real;  /* real name in the object's family */
    const char *value; /* normalised text; NULL = null or masked */
    uint8_t origin;    /* enum origin */
    uint8_t live_source;
    bool sensitive;
    bool inconsistent;         /* brokers disagree; value is the lowest broker id's */
    const struct setting *set; /* the setting used, if any */
    const struct object *obj;  /* object asked about (topic for a partition) */
    const struct object *from; /* object the value was read from */
    const struct cat_key *cat; /* catalog entry, or NULL */
    struct version version;    /* version whose default applied */
    struct loc loc;            /* best location to point at */
    const char *dflt;          /* ORIG_NONE on a topic of an undeclared cluster: the
                                  Kafka default it would have, for display only */
    const char *unread;        /* ORIG_NONE because a live broker's or topic's
                                  configuration could not be read: why */
};

/* The catalog family of an object (clients: by kind, Java when unknown). */
enum cat_family object_family(const struct object *o);
/* Kafka version for cluster-side objects, client version for clients;
 * falls back to the run's defaults. */
struct version object_version(const struct model *m, const struct object *o);

/* Resolve key on o.  Returns false when the key is unknown for o's family
 * and set nowhere (out->value NULL, origin ORIG_NONE). */
bool effective_get(const struct model *m, const struct object *o, const char *key, struct eff *out);

/* Same, with k = the real catalog entry of key in o's family (or NULL for
 * a key the catalog does not know): skips the name lookup on hot paths. */
bool effective_get_k(const struct model *m, const struct object *o, const char *key,
                     const struct cat_key *k, struct eff *out);

/* Memo for many lookups on a model that does not change meanwhile (one
 * rule run): what topics without their own value and clients inherit is
 * computed once per key and version.  Not thread-safe: one per thread. */
struct eff_memo;
struct eff_memo *eff_memo_new(void);
void eff_memo_free(struct eff_memo *mm);
/* effective_get_k through a memo (mm may be NULL). */
bool effective_get_memo(const struct model *m, const struct object *o, const char *key,
                        const struct cat_key *k, struct eff_memo *mm, struct eff *out);

/* "orders.yaml:12", "cluster config at server.properties:4", "default of
 * Java client 3.6", "live DYNAMIC_DEFAULT_BROKER_CONFIG (broker 1)",
 * "derived: <note>". */
void effective_origin_text(const struct model *m, const struct eff *e, struct buf *out);

/* Value as shown to users: masks sensitive values, "null" for NULL. */
const char *effective_display(const struct eff *e);

/* Family-aware key handling used by every source. */
/* The catalog entry for a written key on o (alias followed), or NULL. */
const struct cat_key *key_lookup(const struct object *o, const char *written);
/* Canonical text of a value for k: booleans and enums lower-cased,
 * acks -1 -> all.  Returns v itself when nothing changes. */
const char *value_normalize(struct model *m, const struct cat_key *k, const char *v);
/* Record "written = value" on o: resolves aliases to the real key, keeps
 * the written form, normalises the value, marks sensitive keys. */
struct setting *object_set_key(struct model *m, struct object *o, const char *written,
                               const char *value, enum origin origin, struct loc key_loc,
                               struct loc val_loc);
/* The same for a value that already lives in the model (kept, not copied). */
struct setting *object_set_key_owned(struct model *m, struct object *o, const char *written,
                                     const char *value, enum origin origin, struct loc key_loc,
                                     struct loc val_loc);

#endif
