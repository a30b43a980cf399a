/*
 * arena.h - bump allocator.
 *
 * A loaded deployment (YAML trees, model objects, strings) lives in one
 * arena and is released in one call.  This keeps the 100,000-topic lint
 * path free of per-object malloc/free and makes ownership trivial: nothing
 * allocated from an arena is freed individually.
 */
#ifndef KA_ARENA_H
#define KA_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head;
    struct arena_chunk *spare; /* emptied by arena_reset(), reused first */
    size_t used_total;         /* bytes handed out, for memory reports */
};

void arena_init(struct arena *a);
/* Free every chunk; the arena can be reused after arena_init(). */
void arena_release(struct arena *a);
/* Forget every allocation but keep the chunks for reuse (no free, no new
 * page faults when the next batch of the same size is allocated). */
void arena_reset(struct arena *a);

/* Move every chunk of src, emptied, to dst's spare list (src is left
 * initialised and empty): memory one arena is done with serves another
 * without being unmapped and faulted in again. */
void arena_adopt(struct arena *dst, struct arena *src);

/* Make room for n bytes in one chunk ahead of their allocation (a caller
 * that knows the size of what comes avoids growing chunk by chunk).  A
 * hint: nothing happens while the current chunk has an eighth of its room
 * left, and spare chunks too small for n are freed. */
void arena_reserve(struct arena *a, size_t n);

/* Aligned for any pointer, integer or double (ARENA_ALIGN: 8 bytes on
 * x86-64; nothing kept in an arena needs the 16 of long double, and a
 * 40-byte tree node padded to 48 made every tree a sixth larger);
 * zero-filled. Never returns NULL (aborts on OOM). */
#define ARENA_ALIGN_(a, b) ((a) > (b) ? (a) : (b))
#define ARENA_ALIGN                                                                                \
    ARENA_ALIGN_(ARENA_ALIGN_(_Alignof(void *), _Alignof(long long)), _Alignof(double))
void *arena_alloc(struct arena *a, size_t n);
/* Strings are packed (byte-aligned), NUL-terminated. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ARENA_NEW(a, type)      ((type *)arena_alloc((a), sizeof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_alloc((a), sizeof(type) * (n)))

#endif
