/*
 * yload.h - read a YAML file from disk (or a buffer) into a node tree,
 * registering it in a source set and turning every failure into a
 * diagnostic with file:line:col.
 */
#ifndef KA_YLOAD_H
#define KA_YLOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "syntax/diag.h"
#include "syntax/source.h"
#include "syntax/ynode.h"

/* Largest input file (DK_INPUT) kafkaudit reads, in bytes; a run may lower
 * or raise it.  Rule files and project configs use the default. */
extern size_t yload_max_file_size;
#define YLOAD_DEFAULT_MAX_FILE_SIZE (64u * 1024 * 1024)

struct buf;
/* Read path ("-" = stdin) into b with kind's size limit, touching nothing
 * shared (safe on a worker thread).  Returns 0, an errno value (EFBIG: over
 * the limit) or SOURCE_BINARY; source_fetch_error() turns that into the
 * diagnostic source_read() would add. */
#define SOURCE_BINARY (-2)
int source_fetch(const char *path, enum diag_kind kind, struct buf *b);
void source_fetch_error(struct diag_list *dl, enum diag_kind kind, const char *display, int err);

/* Read path ("-" = stdin) into memory with the size limit.  On failure
 * adds a diagnostic and returns -1; on success returns the file id. */
int source_read(struct source_set *ss, struct diag_list *dl, enum diag_kind kind, const char *path,
                const char *display);

/* The diagnostic for a parse error of file. */
void yload_report(struct diag_list *dl, enum diag_kind kind, uint32_t file,
                  const struct yerror *err);

/* Parse an already registered file.  Returns 0, or -1 after adding a
 * diagnostic at the error position. */
int yload_parse(struct arena *a, const struct source_set *ss, struct diag_list *dl,
                enum diag_kind kind, uint32_t file, struct ystream *out);

static inline struct loc yloc(uint32_t file, const struct ynode *n)
{
    struct loc l = {file, n ? n->line : 0, n ? n->col : 0};
    return l;
}

/* Location of byte offset off inside scalar n's *value* (for errors in an
 * expression written as a YAML string).  Handles plain, quoted and block
 * scalars; falls back to the node's own position. */
struct loc yscalar_loc(const struct source_set *ss, uint32_t file, const struct ynode *n,
                       uint32_t off);

#endif
