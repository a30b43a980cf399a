/*
 * manifest_write.h - a model as a kafkaudit manifest (snapshots,
 * recordings).  See manifest_write.c.
 */
#ifndef KA_MANIFEST_WRITE_H
#define KA_MANIFEST_WRITE_H

#include <stdio.h>

#include "model/model.h"

/* comment: lines written as "# ..." at the top (may be NULL). */
void manifest_write(FILE *out, const struct model *m, const char *comment);

/* manifest_write() with options: */
enum {
    /* cluster.collected_at with milliseconds ("...T17:16:05.123Z"): `top`
     * recordings, whose samples are often less than a second apart */
    MW_TIME_MS = 1u << 0,
};
void manifest_write_opts(FILE *out, const struct model *m, const char *comment, unsigned flags);

#endif
