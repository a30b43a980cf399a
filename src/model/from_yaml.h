/*
 * from_yaml.h - reading YAML nodes into the model, for every YAML reader
 * (the lint dialects in src/input and the manifest format in
 * src/manifest): config maps, scalar typing, client specs, bounds, and
 * diagnostics at a node.
 */
#ifndef KA_FROM_YAML_H
#define KA_FROM_YAML_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "syntax/ynode.h"

/* Text of a scalar config value: YAML 1.1 booleans (yes/no/on/off) become
 * true/false for boolean keys; sequences of scalars are joined with ','.
 * Returns NULL for null; *ok false (with a diagnostic) for mappings. */
const char *yconfig_value(struct model *m, uint32_t file, const struct object *o, const char *key,
                          const struct ynode *v, bool *ok);
/* Note the scalars of ys that sit under a secret-sounding key, so that an
 * alias of one is a secret wherever it is used (model_secret_text);
 * forgets those of the previous file. */
void yconfig_mark_secrets(struct model *m, const struct ystream *ys);
/* yconfig_value, but a large value (a long scalar, a list) is made once
 * per node and shared by the aliases of it: *owned then says the result
 * lives in the model (object_set_key_owned). */
const char *yconfig_value_shared(struct model *m, uint32_t file, const struct object *o,
                                 const char *key, const struct ynode *v, bool *ok, bool *owned);
/* Read a flat "key: value" map into o's configuration. */
void yconfig_map(struct model *m, uint32_t file, struct object *o, const struct ynode *map,
                 const char *where);
/* Parse "java 3.6", "librdkafka 2.3", "confluent-kafka-go 2.2" ... */
int client_spec_parse(const char *s, enum client_kind *kind, struct version *v);

/* Error helpers: add a DK_INPUT diagnostic at node n. */
void input_error(struct model *m, uint32_t file, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void input_warning(struct model *m, uint32_t file, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Reject keys of map n not in allowed (NULL-terminated), with a hint. */
void input_check_fields(struct model *m, uint32_t file, const struct ynode *n,
                        const char *const *allowed, const char *what);
/* Integer scalar, or report "<what> must be an integer". */
bool yint(struct model *m, uint32_t file, const struct ynode *n, const char *what, int64_t *out);
/* The same, also refusing values outside lo..hi ("<what> must be between"). */
bool yint_in(struct model *m, uint32_t file, const struct ynode *n, const char *what, int64_t lo,
             int64_t hi, int64_t *out);
/* Kafka's bounds, as the manifest checks them: partitions are an int32
 * (kafkaudit stops at a million), a replication factor a short. */
#define INPUT_MAX_PARTITIONS 1000000
#define INPUT_MAX_RF         32767
#define INPUT_MAX_BROKERS    100000

#endif
