/*
 * compose.h - docker-compose environment conventions of the Kafka images
 * (exposed for the unit tests; the reader is read_compose_doc in input.h).
 */
#ifndef KA_COMPOSE_H
#define KA_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/version.h"

enum compose_image {
    CI_OTHER,     /* not a Kafka image (a broker only if its env says so) */
    CI_CONFLUENT, /* confluentinc/cp-kafka, cp-server, confluent-local */
    CI_APACHE,    /* apache/kafka, apache/kafka-native */
    CI_BITNAMI,   /* bitnami/kafka: only KAFKA_CFG_* are settings */
    CI_WURSTMEISTER,
};

/* Classify an image reference ("confluentinc/cp-kafka:7.6.1",
 * "docker.io/bitnami/kafka:3.7@sha256:...").  *v gets the Kafka version
 * the tag implies when it can tell (cp 7.6 -> Kafka 3.6, apache 3.7.0,
 * bitnami 3.7, wurstmeister 2.13-2.8.1 -> 2.8.1). */
enum compose_image compose_image_kind(const char *image, struct version *v);

/* The broker setting an environment variable sets, or -1 when it is not a
 * setting (KAFKA_HEAP_OPTS, KAFKA_JMX_*, CLUSTER_ID, ...).  Confluent and
 * Apache images: KAFKA_ prefix dropped, lower case, '_' -> '.', '__' ->
 * '_', '___' -> '-'.  Bitnami: KAFKA_CFG_* and the legacy KAFKA_* names its
 * scripts take for them (KAFKA_LOG_DIRS, ...), same conversion. */
int compose_env_key(enum compose_image img, const char *env, char *out, size_t n);

#endif
