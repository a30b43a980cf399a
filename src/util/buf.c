#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void buf_init(struct buf *b)
{
    b->p = NULL;
    b->len = b->cap = 0;
}

void buf_release(struct buf *b)
{
    free(b->p);
    buf_init(b);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

char *buf_detach(struct buf *b)
{
    char *p = b->p ? b->p : xstrdup("");
    buf_init(b);
    return p;
}

void buf_grow(struct buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need < b->len)
        abort();
    if (need <= b->cap)
        return;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < need)
        nc *= 2;
    bool fresh = b->p == NULL;
    b->p = xrealloc(b->p, nc);
    b->cap = nc;
    /* A buffer that has memory is a string: a first allocation (such as
     * buf_read_file's for an empty file) is "" until something is added. */
    if (fresh)
        b->p[0] = '\0';
}

void buf_add(struct buf *b, const void *data, size_t n)
{
    buf_grow(b, n);
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

void buf_putc(struct buf *b, char c)
{
    buf_grow(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = '\0';
}

void buf_put_printable(struct buf *b, const char *s) { buf_put_printable_n(b, s, strlen(s)); }

void buf_put_printable_n(struct buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t') {
            buf_putc(b, ' ');
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            buf_putc(b, '?');
            i++;
        } else if (c < 0x80) {
            buf_putc(b, (char)c);
            i++;
        } else {
            size_t l = utf8_valid_seq(s + i, n - i);
            if (!l || (l == 2 && c == 0xc2 && (unsigned char)s[i + 1] < 0xa0)) {
                buf_putc(b, '?');
                i += l ? l : 1;
            } else {
                buf_add(b, s + i, l);
                i += l;
            }
        }
    }
}

void buf_pad(struct buf *b, char c, size_t n)
{
    buf_grow(b, n);
    memset(b->p + b->len, c, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    buf_grow(b, (size_t)n);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *buf_str(const struct buf *b) { return b->p ? b->p : ""; }

int buf_read_stream(struct buf *b, FILE *f, size_t max)
{
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        if (b->len + n > max) {
            errno = EFBIG;
            return -1;
        }
        buf_add(b, tmp, n);
    }
    if (ferror(f)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    if (!b->p)
        buf_grow(b, 0), b->p[0] = '\0';
    return 0;
}

int buf_read_file(struct buf *b, const char *path, size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            errno = EISDIR;
            return -1;
        }
        /* Refuse oversized regular files before reading a byte. */
        if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
            fclose(f);
            errno = EFBIG;
            return -1;
        }
        /* A regular file is read straight into a buffer of its size (a
         * file that grows meanwhile is read on by the loop below). */
        if (S_ISREG(st.st_mode) && st.st_size > 0) {
            size_t want = (size_t)st.st_size;
            if (b->len + want + 1 > b->cap) {
                b->p = xrealloc(b->p, b->len + want + 1);
                b->cap = b->len + want + 1;
            }
            size_t got = fread(b->p + b->len, 1, want, f);
            b->len += got;
            b->p[b->len] = '\0';
        }
    }
    int rc = buf_read_stream(b, f, max);
    int saved = errno;
    fclose(f);
    errno = saved;
    return rc;
}
