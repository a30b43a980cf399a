#include "util/hmap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void hmap_init(struct hmap *m)
{
    m->slots = NULL;
    m->cap = m->len = 0;
}

void hmap_release(struct hmap *m)
{
    free(m->slots);
    hmap_init(m);
}

/* FNV-1a: short Kafka names, good enough distribution, no seed needed. */
uint32_t hmap_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h ? h : 1;
}

static struct hmap_slot *find(const struct hmap *m, const char *key, size_t n, uint32_t h)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct hmap_slot *s = &m->slots[i];
        if (!s->key)
            return s;
        if (s->hash == h && strncmp(s->key, key, n) == 0 && s->key[n] == '\0')
            return s;
    }
}

void *hmap_getn(const struct hmap *m, const char *key, size_t n)
{
    struct hmap_slot *s = find(m, key, n, hmap_hash(key, n));
    return s && s->key ? s->val : NULL;
}

void *hmap_get(const struct hmap *m, const char *key) { return hmap_getn(m, key, strlen(key)); }

static void rehash(struct hmap *m, size_t ncap)
{
    struct hmap_slot *old = m->slots;
    size_t ocap = m->cap;
    m->slots = xcalloc(ncap, sizeof(*m->slots));
    m->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].key)
            continue;
        size_t mask = ncap - 1;
        size_t j = old[i].hash & mask;
        while (m->slots[j].key)
            j = (j + 1) & mask;
        m->slots[j] = old[i];
    }
    free(old);
}

void hmap_reserve(struct hmap *m, size_t n)
{
    size_t need = (m->len + n) * 2, ncap = m->cap ? m->cap : 16;
    while (ncap < need)
        ncap *= 2;
    if (ncap > m->cap)
        rehash(m, ncap);
}

void *hmap_put(struct hmap *m, const char *key, void *val)
{
    if ((m->len + 1) * 2 > m->cap)
        rehash(m, m->cap ? m->cap * 2 : 16);
    size_t n = strlen(key);
    uint32_t h = hmap_hash(key, n);
    struct hmap_slot *s = find(m, key, n, h);
    if (s->key) {
        void *old = s->val;
        s->val = val;
        return old;
    }
    s->key = key;
    s->val = val;
    s->hash = h;
    m->len++;
    return NULL;
}

int hmap_next(const struct hmap *m, size_t *iter, const char **key, void **val)
{
    while (*iter < m->cap) {
        struct hmap_slot *s = &m->slots[(*iter)++];
        if (s->key) {
            if (key)
                *key = s->key;
            if (val)
                *val = s->val;
            return 1;
        }
    }
    return 0;
}
