/*
 * kafka_version.h - the Kafka versions a broker can run, judged from the
 * configuration keys it reports.
 *
 * A broker's DescribeConfigs answer lists every (non-internal) key its
 * version defines, each with its value and source; librdkafka 2.0.2 does
 * not expose the broker's ApiVersions ranges, and no request returns the
 * version itself.  So the keys are the evidence: a key the catalog records
 * as added in version S bounds the version from below when it is there; a
 * key removed in version R bounds it from above when it is there; all the
 * keys removed in R that every earlier version had missing (brokers do
 * not list internal keys, so one missing key proves nothing) bound it from
 * below.  A missing key that was added later proves nothing (the catalog's
 * first versions are not complete), so the upper bound comes only from
 * removed keys.
 */
#ifndef KA_KAFKA_VERSION_H
#define KA_KAFKA_VERSION_H

#include "model/version.h"

#include <stdbool.h>

struct kafka_version_range {
    struct version lo;   /* at least this (set = some evidence) */
    struct version hi;   /* below this; !set = no upper bound */
    const char *lo_key;  /* the key that set lo */
    bool lo_key_present; /* lo_key is there (added in lo) or missing
                            with every other key removed in lo */
    const char *hi_key;  /* the key, present, that set hi (removed in hi) */
};

/* has(key, arg): does the broker report key?  all_keys: it reported every
 * key it has (a real broker's DescribeConfigs answer); without it only the
 * keys that are there count.  Returns 0 with *out filled
 * (out->lo.set false: no evidence either way), or -1 if the keys
 * contradict each other (no version has exactly them). */
int kafka_version_from_keys(bool (*has)(const char *key, void *arg), void *arg, bool all_keys,
                            struct kafka_version_range *out);

/* "3.9" when [lo, hi) is one minor release line (Kafka never had a 3.10),
 * else "4.0+" (no upper bound) or "3.7 to 3.9". */
void kafka_version_range_fmt(const struct kafka_version_range *r, char *out, unsigned n);

#endif
