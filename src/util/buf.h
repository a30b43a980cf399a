/*
 * buf.h - growable byte buffer (string builder).
 *
 * Invariant: when b->p is not NULL, b->p[b->len] == '\0'.  A zeroed
 * struct buf is a valid empty buffer.  buf_release() frees the storage;
 * buf_detach() hands it to the caller (free() it).
 */
#ifndef KA_BUF_H
#define KA_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
    char *p;
    size_t len, cap;
};

/* clang-format off */
#define BUF_INIT {NULL, 0, 0}
/* clang-format on */

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps storage */
char *buf_detach(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Append n copies of c. */
void buf_pad(struct buf *b, char c, size_t n);
/* Append s for a terminal: control characters (C0, DEL, C1) and invalid
 * UTF-8 become '?', a tab a space.  For names a cluster's clients chose
 * (group and client ids, hosts) and error texts. */
void buf_put_printable(struct buf *b, const char *s);
/* Same for s[0..n). */
void buf_put_printable_n(struct buf *b, const char *s, size_t n);
/* Return the (always NUL-terminated) contents; "" for an empty buffer. */
const char *buf_str(const struct buf *b);

/* Read a whole stream/file into b, refusing more than max bytes.
 * Returns 0, or -1 with errno set (EFBIG when the limit is exceeded). */
int buf_read_stream(struct buf *b, FILE *f, size_t max);
int buf_read_file(struct buf *b, const char *path, size_t max);

#endif
