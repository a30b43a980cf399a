/*
 * manifest.h - the kafkaudit manifest format (kafkaudit-manifest(5)), read
 * and written: what users write by hand, what `snapshot` writes and what
 * `top --record` writes one document per sample of (recording.h).
 * The lint readers (src/input), the rule examples (src/rules) and the
 * dashboard's history (src/watch) all go through here.
 */
#ifndef KA_MANIFEST_H
#define KA_MANIFEST_H

#include <stdio.h>

#include "model/model.h"
#include "syntax/ynode.h"

/* Read one manifest document (its root node) of file into m. */
void read_manifest_doc(struct model *m, uint32_t file, const struct ynode *root);

/* A model as a manifest: snapshots and recordings.  Secrets are never
 * written (sensitive values are null). */

/* comment: lines written as "# ..." at the top (may be NULL). */
void manifest_write(FILE *out, const struct model *m, const char *comment);

/* manifest_write() with options: */
enum {
    /* cluster.collected_at with milliseconds ("...T17:16:05.123Z"): `top`
     * recordings, whose samples are often less than a second apart */
    MW_TIME_MS = 1u << 0,
};
void manifest_write_opts(FILE *out, const struct model *m, const char *comment, unsigned flags);

#endif /* KA_MANIFEST_H */
