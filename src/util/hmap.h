/*
 * hmap.h - open-addressing hash map from NUL-terminated string keys to
 * void * values.
 *
 * Keys are NOT copied: the caller keeps them alive (typically in an
 * arena) for the lifetime of the map.  Lookups are O(1) expected; the
 * table doubles at 50% load.
 */
#ifndef KA_HMAP_H
#define KA_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
    const char *key;
    void *val;
    uint32_t hash;
};

struct hmap {
    struct hmap_slot *slots;
    size_t cap, len;
};

void hmap_init(struct hmap *m);
void hmap_release(struct hmap *m);
uint32_t hmap_hash(const char *s, size_t n);
void *hmap_get(const struct hmap *m, const char *key);
void *hmap_getn(const struct hmap *m, const char *key, size_t n);
/* Room for n more entries without growing (one table instead of a
 * doubling series when the caller knows how many come). */
void hmap_reserve(struct hmap *m, size_t n);
/* Insert or replace; returns the previous value or NULL. */
void *hmap_put(struct hmap *m, const char *key, void *val);

/* Iterate: for (size_t i = 0; hmap_next(m, &i, &k, &v);) */
int hmap_next(const struct hmap *m, size_t *iter, const char **key, void **val);

#endif
