/*
 * recording.h - `kafkaudit top --record FILE` and `--replay FILE`.
 *
 * A recording is a multi-document YAML file: one kafkaudit manifest per
 * collected model, each starting with a "---" line and carrying its
 * collection time in cluster.collected_at, with milliseconds (samples are
 * often less than a second apart; older recordings have whole seconds and
 * still read).  It is written with
 * manifest_write(), so secrets are never in it (sensitive values are
 * null), and every document lints offline like a snapshot
 * (`kafkaudit lint` reads one document at a time when split).  To keep a
 * long recording small, settings whose DescribeConfigs source is
 * DEFAULT_CONFIG are left out: they are the defaults of the Kafka version,
 * which the reader derives again.
 *
 * Reading splits the file at "---" lines first and parses one document
 * only when it is needed, so a long recording is not held as node trees.
 *
 * Nothing here prints; errors come back as text.
 */
#ifndef KA_RECORDING_H
#define KA_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/model.h"
#include "util/buf.h"

/* Append m as one document to out (and flush).  m is left as it was.
 * Returns 0, or -1 when writing failed (errno set). */
int record_write(FILE *out, struct model *m, const char *comment);

struct replay_doc {
    size_t off, len;
    uint32_t line; /* first line of the document in the file */
    int64_t t;     /* collected_at (ms); estimated when missing */
};

struct replay {
    char *path;
    struct buf data;
    struct replay_doc *docs;
    uint32_t ndocs;
};

/* Read and split a recording.  Returns 0, or -1 with err set. */
int replay_open(struct replay *r, const char *path, size_t max_bytes, char *err, size_t errn);
/* Parse document i into m (model_init'ed by the caller) and finalize it;
 * m->cluster.collected_at_ms is the document's time.  Returns 0, or -1
 * with err set (the model may hold part of the document). */
int replay_load(const struct replay *r, uint32_t i, struct model *m, char *err, size_t errn);
void replay_close(struct replay *r);

/* "2026-11-24T17:16:05Z" or with .mmm fractions -> ms since the epoch;
 * -1 if not in that form. */
int64_t parse_iso_time_ms(const char *s, size_t n);

#endif
