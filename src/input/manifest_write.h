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

#endif
