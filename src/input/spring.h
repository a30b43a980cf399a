/*
 * spring.h - Spring Boot's Kafka properties mapped to Kafka client keys
 * (exposed for the unit tests; the reader is read_spring_* in input.h).
 */
#ifndef KA_SPRING_H
#define KA_SPRING_H

#include <stddef.h>

#include "model/model.h"

enum spring_conv {
    SPC_NONE,
    SPC_DURATION_MS, /* java.time.Duration: "5s", "500ms", "PT1M", bare ms */
    SPC_DATASIZE,    /* DataSize: "16KB", "1MB", bare bytes */
    SPC_LOWER,       /* enum name: READ_COMMITTED -> read_committed */
};

/* Relaxed-binding canonical form of one property name segment list:
 * lower case, '-' and '_' removed ("enable-auto-commit", "enableAutoCommit"
 * and "enable_auto_commit" all give "enableautocommit"). */
void spring_relaxed(const char *in, char *out, size_t n);

/* The Kafka key for Spring's own property name (relaxed form of what follows
 * spring.kafka.producer. or spring.kafka.consumer.), or NULL when Spring Boot
 * has no such property.  *conv tells how Spring converts the value. */
const char *spring_kafka_key(enum obj_kind role, const char *relaxed, enum spring_conv *conv);

/* Spring's ssl.* names (spring.kafka[.producer|.consumer].ssl.X) -> Kafka. */
const char *spring_ssl_key(const char *relaxed);

/* Convert a value as Spring does; returns 0, or -1 when it is not valid. */
int spring_convert(enum spring_conv conv, const char *v, char *out, size_t n);

/* Profile named by a file name: "application-prod.yml" -> "prod" (into
 * out); returns 0 when the name carries no profile. */
int spring_profile_from_name(const char *path, char *out, size_t n);

#endif
