/*
 * kafka_version.c - the Kafka versions a broker can run, from its keys
 * (see kafka_version.h).
 */
#include "model/kafka_version.h"

#include "model/catalog.h"

#include <stdio.h>

static struct version parse(const char *s)
{
    struct version v = {0};
    if (s && version_parse(s, &v) == 0)
        v.set = true;
    return v;
}

/* A broker does not list its internal keys, and a few keys the catalog
 * records are internal in some versions (zookeeper.metadata.migration.
 * min.batch.size on 3.9): one missing key proves nothing.  A release that
 * removed keys is only taken as passed when all of them (at least
 * MIN_REMOVED_SET) are missing. */
#define MIN_REMOVED_SET 3
#define MAX_REMOVALS    32

int kafka_version_from_keys(bool (*has)(const char *key, void *arg), void *arg, bool all_keys,
                            struct kafka_version_range *out)
{
    *out = (struct kafka_version_range){0};
    struct {
        struct version v;
        unsigned total, present;
        const char *first;
    } rm[MAX_REMOVALS];
    unsigned nrm = 0;
    for (size_t i = 0; i < catalog_nkeys; i++) {
        const struct cat_key *k = &catalog_keys[i];
        if (!(k->families & CF_BROKER) || k->alias_of || (!k->since && !k->removed))
            continue;
        bool present = has(k->name, arg);
        struct version since = parse(k->since), removed = parse(k->removed);
        if (present && since.set && (!out->lo.set || version_cmp(since, out->lo) > 0)) {
            out->lo = since;
            out->lo_key = k->name;
            out->lo_key_present = true;
        }
        if (present && removed.set && (!out->hi.set || version_cmp(removed, out->hi) < 0)) {
            out->hi = removed;
            out->hi_key = k->name;
        }
        /* all of R's keys missing shows v >= R only for keys every version
         * before R had: one added late (group.share.max.groups, 3.9 to 4.1)
         * is missing from older brokers too */
        if (!removed.set || since.set)
            continue;
        unsigned j = 0;
        while (j < nrm && version_cmp(rm[j].v, removed) != 0)
            j++;
        if (j == nrm) {
            if (nrm == MAX_REMOVALS)
                continue;
            rm[nrm++] = (typeof(rm[0])){.v = removed, .first = k->name};
        }
        rm[j].total++;
        rm[j].present += present;
    }
    for (unsigned j = 0; all_keys && j < nrm; j++)
        if (rm[j].present == 0 && rm[j].total >= MIN_REMOVED_SET &&
            (!out->lo.set || version_cmp(rm[j].v, out->lo) > 0)) {
            out->lo = rm[j].v;
            out->lo_key = rm[j].first;
            out->lo_key_present = false;
        }
    if (out->lo.set && out->hi.set && version_cmp(out->lo, out->hi) >= 0)
        return -1;
    return 0;
}

void kafka_version_range_fmt(const struct kafka_version_range *r, char *out, unsigned n)
{
    char lo[32], hi[32];
    struct version l = r->lo;
    l.patch = 0;
    version_fmt(l, lo, sizeof lo);
    if (!r->hi.set) {
        snprintf(out, n, "%s+", lo);
        return;
    }
    /* the last minor line before hi: x.y+1 or, for hi = x.0, (x-1).anything */
    struct version h = r->hi;
    bool one_line = (h.patch == 0 && h.major == l.major && h.minor == l.minor + 1) ||
                    (h.patch == 0 && h.minor == 0 && h.major == l.major + 1 && l.major == 3 &&
                     l.minor == 9); /* 3.9 was the last 3.x release line */
    if (one_line) {
        snprintf(out, n, "%s", lo);
        return;
    }
    version_fmt(h, hi, sizeof hi);
    snprintf(out, n, "%s to before %s", lo, hi);
}
