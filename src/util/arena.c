#include "util/arena.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN (64 * 1024)
#define CHUNK_MAX (8 * 1024 * 1024)
struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    size_t clean; /* data[clean..size) is known to be zero */
    _Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a)
{
    a->head = NULL;
    a->spare = NULL;
    a->used_total = 0;
}

static void free_chunks(struct arena_chunk *c)
{
    while (c) {
        struct arena_chunk *n = c->next;
        free(c);
        c = n;
    }
}

void arena_release(struct arena *a)
{
    free_chunks(a->head);
    free_chunks(a->spare);
    arena_init(a);
}

/* Empty each chunk of the list c and push it on dst's spare list. */
static void to_spare(struct arena *dst, struct arena_chunk *c)
{
    while (c) {
        struct arena_chunk *n = c->next;
        c->used = 0;
        c->next = dst->spare;
        dst->spare = c;
        c = n;
    }
}

void arena_adopt(struct arena *dst, struct arena *src)
{
    to_spare(dst, src->head);
    to_spare(dst, src->spare);
    arena_init(src);
}

void arena_reset(struct arena *a)
{
    struct arena_chunk *head = a->head;
    a->head = NULL;
    to_spare(a, head);
    a->used_total = 0;
}

static struct arena_chunk *new_chunk(struct arena *a, size_t need)
{
    /* reuse a spare chunk that fits (no new allocation) */
    for (struct arena_chunk **pp = &a->spare; *pp; pp = &(*pp)->next) {
        if ((*pp)->size >= need) {
            struct arena_chunk *c = *pp;
            *pp = c->next;
            c->used = 0;
            return c;
        }
    }
    /* grow with the arena: chunks of half its size, up to CHUNK_MAX */
    size_t sz = a->used_total / 2;
    if (sz > CHUNK_MAX)
        sz = CHUNK_MAX;
    if (sz < need)
        sz = need;
    if (sz < CHUNK_MIN)
        sz = CHUNK_MIN;
    /* calloc: a large block comes zeroed from the kernel at no cost, so
     * nothing handed out from it needs clearing again (clean = 0) */
    struct arena_chunk *c = xcalloc(1, sizeof(*c) + sz);
    c->size = sz;
    c->used = 0;
    c->clean = 0;
    return c;
}

void arena_reserve(struct arena *a, size_t n)
{
    struct arena_chunk *c = a->head;
    if (c && c->size - c->used >= n)
        return;
    /* A head with much room left stays in use: a new chunk in front of it
     * would strand its tail. */
    if (c && c->size - c->used > c->size / 8)
        return;
    /* Spare chunks too small for what comes are given back: an arena reset
     * for one file after another, each larger than the last, would
     * otherwise keep a chunk of every size. */
    bool fits = false;
    for (struct arena_chunk *s = a->spare; s && !fits; s = s->next)
        fits = s->size >= n;
    if (!fits) {
        free_chunks(a->spare); /* all smaller than n */
        a->spare = NULL;
    }
    struct arena_chunk *nc = new_chunk(a, n);
    nc->next = c;
    a->head = nc;
}

/* n bytes at the given alignment (a power of two, at most 16), zeroed if
 * asked. */
static void *bump(struct arena *a, size_t n, size_t align, bool zero)
{
    if (n > SIZE_MAX / 2)
        abort();
    struct arena_chunk *c = a->head;
    size_t off = c ? (c->used + align - 1) & ~(align - 1) : 0;
    if (!c || off > c->size || c->size - off < n) {
        struct arena_chunk *nc = new_chunk(a, n);
        nc->next = c;
        a->head = nc;
        c = nc;
        off = 0;
    }
    void *p = c->data + off;
    /* Only what was handed out before (or never zeroed) needs zeroing:
     * clearing fresh pages again cost more than building the trees. */
    if (zero && off < c->clean)
        memset(p, 0, c->clean - off < n ? c->clean - off : n);
    c->used = off + n;
    if (c->used > c->clean)
        c->clean = c->used;
    a->used_total += n;
    return p;
}

void *arena_alloc(struct arena *a, size_t n) { return bump(a, n ? n : 1, ARENA_ALIGN, true); }

/* Strings are packed, not aligned: most are a few bytes long. */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *d = bump(a, n + 1, 1, false);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(struct arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return arena_strdup(a, "");
    char *d = arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return d;
}
