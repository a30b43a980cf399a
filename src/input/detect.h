/*
 * detect.h - Kafka settings in files no reader understood (detect.c).
 */
#ifndef KA_DETECT_H
#define KA_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "syntax/props.h"
#include "model/model.h"
#include "syntax/ynode.h"

#define DETECT_MAX_LINES 8

/* Lines holding Kafka settings: the first few (with the column of the
 * key), and how many in all.  src: the file's text, when set, places keys
 * found inside a YAML scalar (key=value lines of a block) at their column. */
struct detect_lines {
    uint32_t line[DETECT_MAX_LINES];
    uint32_t col[DETECT_MAX_LINES];
    uint32_t n, total;
    uint32_t strong; /* settings of three words or more */
    const char *src;
    size_t src_len;
};
/* Enough to call a file Kafka's: one unmistakable setting, or two. */
#define DETECT_LOOKS_KAFKA(dl) ((dl)->strong > 0 || (dl)->total >= 2)

/* The Kafka setting key names (in any relaxed spelling, possibly at the
 * end of a longer key), or NULL. */
const char *detect_kafka_key(const char *key);
void detect_lines_add(struct detect_lines *dl, uint32_t line, uint32_t col);
bool detect_strong_key(const char *signature);
void detect_yaml(const struct ynode *n, struct detect_lines *dl, int depth);
void detect_props(const struct props *p, struct detect_lines *dl);
/* The "not understood" diagnostic for what (e.g. "this Spring Boot
 * file"): an error for a file named on the command line, else a
 * warning. */
/* at: where to report it (line 0: the first setting's key) */
void detect_report(struct model *m, uint32_t file, struct loc at, const struct detect_lines *dl,
                   bool explicit_path, const char *what, const char *hint);

/* Kafka settings beside a Spring Boot file's spring.kafka ones, under
 * the application's own prefix: a warning naming their lines. */
void detect_report_partial(struct model *m, uint32_t file, const struct detect_lines *dl);

#endif
