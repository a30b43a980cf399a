/*
 * input.h - turn configuration files into the model.
 *
 * Dialects (auto-detected per file, or forced with --as):
 *   manifest    kafkaudit's own deployment description (kafkaudit-manifest(5))
 *   properties  Java .properties: server.properties, producer/consumer configs
 *   strimzi     Strimzi custom resources: Kafka, KafkaNodePool, KafkaTopic
 *   spring      Spring Boot application.yml / application.properties
 *   compose     docker-compose files running Kafka brokers
 *
 * The content of a document decides its dialect (load.c, yaml_dialects[]:
 * apiVersion kafka.strimzi.io, spring.kafka settings, the top level of a
 * manifest, compose services; a kind: List's items one by one); a file
 * name only breaks ties, and Spring Boot application files are never
 * manifests.  A .properties file is a broker or client only when it holds
 * Kafka settings; which (broker, controller, client, Kafka 0.8 Scala
 * client, or a log4j, ZooKeeper or Connect file not audited) is the first
 * row of properties.c's props_dialects[] whose detect answers
 * (props_dialect.h).  Files with Kafka settings no reader takes are reported
 * as not understood (detect.c).  m->reads records each file's dialect and
 * why (lint --verbose).
 *
 * Several files form one deployment: a producer declared in one file is
 * linked to a topic declared in another when model_finalize() runs.
 * Problems with the files themselves become diagnostics in m->diags.
 */
#ifndef KA_INPUT_H
#define KA_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"
#include "model/from_yaml.h"
#include "syntax/ynode.h"

enum dialect {
    DL_AUTO,
    DL_MANIFEST,
    DL_PROPERTIES,
    DL_STRIMZI,
    DL_SPRING,
    DL_COMPOSE,
    DL__COUNT /* not a dialect: how many there are */
};
const char *dialect_name(enum dialect d);
int dialect_parse(const char *s, enum dialect *out);

#define INPUT_MAX_JOBS 16
/* Each thread may hold one parsed file ahead of the model: more than a
 * few only costs memory. */
#define INPUT_DEFAULT_MAX_JOBS 8

struct input_opts {
    enum dialect force; /* DL_AUTO: detect */
    bool follow_hidden; /* also read dot-files/dirs when recursing */
    unsigned jobs;      /* threads that read and parse files ahead; 0: input_default_jobs() */
};

/* The CPUs this process may run on, at most INPUT_DEFAULT_MAX_JOBS. */
unsigned input_default_jobs(void);

/* Load files, directories (recursively: *.yaml, *.yml, *.properties,
 * *.conf, *.env-free) and "-" (stdin).  Returns the number of files read. */
uint32_t input_load_paths(struct model *m, char *const *paths, int n, const struct input_opts *o);
/* Load one registered source (already in m->sources). */
void input_load_source(struct model *m, uint32_t file, enum dialect force);

/* Dialect readers (one per file; the manifest's is in manifest/manifest.h). */
/* explicit_path: named on the command line (not found in a directory):
 * a file that is no Kafka config is then an error, not a warning. */
void read_properties(struct model *m, uint32_t file, bool explicit_path);
void read_strimzi_doc(struct model *m, uint32_t file, const struct ynode *root);
void read_spring_doc(struct model *m, uint32_t file, const struct ynode *root);
/* All Spring documents of one file at once (profile documents of a
 * multi-document file see the default document). */
void read_spring_docs(struct model *m, uint32_t file, const struct ydoc *docs, uint32_t n);
void read_spring_properties(struct model *m, uint32_t file);
void read_compose_doc(struct model *m, uint32_t file, const struct ynode *root);

/* The kafka-clients version of the Spring Boot application whose
 * application file is app_path, from its pom.xml or build.gradle
 * (buildfile.c): true with *v, where the build says it and a note. */
bool spring_build_client_version(struct model *m, const char *app_path, struct version *v,
                                 struct loc *where, const char **note);

#endif
