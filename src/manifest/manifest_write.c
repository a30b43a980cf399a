/*
 * manifest_write.c - write a model in the manifest dialect.
 *
 * Used by `kafkaudit snapshot` and by the dashboard's --record: the output
 * lints offline exactly like the cluster it came from, because live
 * provenance is kept ({value, source, broker} per setting), partitions
 * carry their leader/replicas/ISR/offsets and groups their members and
 * committed offsets.  Sensitive values are never written: they appear as
 * {value: null, sensitive: true}.  Derived settings are not written (the
 * reader derives them again); defaults are not written (they follow from
 * the versions).
 */
#include "manifest/manifest.h"
#include "model/effective.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Double-quoted YAML scalar with escapes for anything unusual. */
static void q(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(out, "\\x%02x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* A block mapping key at indent, then ":\n".  YAML limits implicit keys
 * to 1024 characters (YAML 1.2, 7.4.2): a longer one (a consumer group id
 * has no length limit in Kafka) is written as an explicit "? KEY" key so
 * that the manifest still reads back. */
static void qkey(FILE *out, int indent, const char *s)
{
    fprintf(out, "%*s", indent, "");
    if (strlen(s) > 240) {
        fputs("? ", out);
        q(out, s);
        fprintf(out, "\n%*s:\n", indent, "");
        return;
    }
    q(out, s);
    fputs(":\n", out);
}

static void ints(FILE *out, const int32_t *v, uint16_t n)
{
    fputc('[', out);
    for (uint16_t i = 0; i < n; i++)
        fprintf(out, "%s%d", i ? ", " : "", v[i]);
    fputc(']', out);
}

/* Newest setting per key, in first-seen order, skipping derived ones. */
static bool newest(const struct object *o, const struct setting *s)
{
    for (const struct setting *t = o->cfg; t != s; t = t->next)
        if (t->key == s->key && t->origin != ORIG_DERIVED)
            return false;
    return true;
}

static void config(FILE *out, const struct object *o, int indent)
{
    bool any = false;
    for (const struct setting *s = o->cfg; s; s = s->next)
        if (s->origin != ORIG_DERIVED && s->origin != ORIG_DEFAULT && newest(o, s))
            any = true;
    if (!any)
        return;
    fprintf(out, "%*sconfig:\n", indent, "");
    /* reverse the newest-first list so the file reads in original order */
    const struct setting *v[4096];
    int n = 0;
    for (const struct setting *s = o->cfg; s && n < 4096; s = s->next)
        if (s->origin != ORIG_DERIVED && s->origin != ORIG_DEFAULT && newest(o, s))
            v[n++] = s;
    for (int i = n - 1; i >= 0; i--) {
        const struct setting *s = v[i];
        fprintf(out, "%*s", indent + 2, "");
        q(out, s->key);
        fputs(": ", out);
        if (s->origin == ORIG_LIVE) {
            fputs("{value: ", out);
            if (s->sensitive || !s->value)
                fputs("null", out);
            else
                q(out, s->value);
            fprintf(out, ", source: %s", live_source_name((enum live_source)s->live_source));
            if (s->broker >= 0)
                fprintf(out, ", broker: %d", s->broker);
            if (s->sensitive)
                fputs(", sensitive: true", out);
            fputs("}\n", out);
        } else if (s->sensitive) {
            fputs("null  # sensitive value not written\n", out);
        } else if (s->value) {
            q(out, s->value);
            fputc('\n', out);
        } else {
            fputs("null\n", out);
        }
    }
}

static void iso_time(char *buf, size_t n, int64_t ms, bool with_ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t l = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
    if (with_ms)
        snprintf(buf + l, n - l, ".%03dZ", (int)(ms % 1000));
    else
        snprintf(buf + l, n - l, "Z");
}

static void cluster(FILE *out, const struct model *m, unsigned flags)
{
    const struct cluster *c = &m->cluster;
    fputs("cluster:\n", out);
    fputs("  name: ", out);
    q(out, c->o.name);
    fputc('\n', out);
    if (c->cluster_id) {
        fputs("  id: ", out);
        q(out, c->cluster_id);
        fputc('\n', out);
    }
    if (c->kafka_version.set && !c->version_inferred) { /* lint infers it again */
        char v[32];
        version_fmt(c->kafka_version, v, sizeof v);
        fprintf(out, "  kafka_version: \"%s\"\n", v);
    }
    if (c->live)
        fputs("  live: true\n", out);
    if (c->collected_at_ms > 0) {
        char ts[40];
        iso_time(ts, sizeof ts, c->collected_at_ms, flags & MW_TIME_MS);
        fprintf(out, "  collected_at: \"%s\"\n", ts);
    }
    if (c->controller >= 0)
        fprintf(out, "  controller: %d\n", c->controller);
    if (m->nbrokers) {
        fputs("  brokers:\n", out);
        for (uint32_t i = 0; i < m->nbrokers; i++) {
            const struct broker *b = m->brokers[i];
            fprintf(out, "    - id: %d\n", b->id);
            if (b->rack) {
                fputs("      rack: ", out);
                q(out, b->rack);
                fputc('\n', out);
            }
            if (b->host) {
                fputs("      host: ", out);
                q(out, b->host);
                fputc('\n', out);
            }
            if (b->port >= 0)
                fprintf(out, "      port: %d\n", b->port);
            if (b->down)
                fputs("      down: true\n", out);
            if (b->o.error) {
                fputs("      error: ", out);
                q(out, b->o.error);
                fputc('\n', out);
            }
            config(out, &b->o, 6);
        }
    } else if (c->declared_brokers > 0) {
        fprintf(out, "  brokers: %d\n", c->declared_brokers);
    }
    config(out, &c->o, 2);
}

static void topics(FILE *out, const struct model *m)
{
    bool any = false;
    for (uint32_t i = 0; i < m->ntopics; i++)
        any |= m->topics[i]->declared;
    if (!any)
        return;
    fputs("topics:\n", out);
    for (uint32_t i = 0; i < m->ntopics; i++) {
        const struct topic *t = m->topics[i];
        if (!t->declared)
            continue;
        qkey(out, 2, t->o.name);
        if (t->internal)
            fputs("    internal: true\n", out);
        if (t->o.error) {
            fputs("    error: ", out);
            q(out, t->o.error);
            fputc('\n', out);
        }
        if (t->rf >= 0)
            fprintf(out, "    replication_factor: %d\n", t->rf);
        if (t->nparts) {
            fputs("    partitions:\n", out);
            for (uint32_t j = 0; j < t->nparts; j++) {
                const struct partition *p = t->parts[j];
                fprintf(out, "      - {id: %d, leader: ", p->id);
                if (p->leader >= 0)
                    fprintf(out, "%d", p->leader);
                else
                    fputs("null", out);
                fputs(", replicas: ", out);
                ints(out, p->replicas, p->nreplicas);
                fputs(", isr: ", out);
                ints(out, p->isr, p->nisr);
                if (p->noffline) {
                    fputs(", offline: ", out);
                    ints(out, p->offline, p->noffline);
                }
                if (p->log_start >= 0)
                    fprintf(out, ", log_start: %" PRId64, p->log_start);
                if (p->log_end >= 0)
                    fprintf(out, ", log_end: %" PRId64, p->log_end);
                fputs("}\n", out);
            }
        } else if (t->partitions == 0) {
            fputs("    partitions: []\n", out); /* read back as a topic without partitions */
        } else if (t->partitions > 0) {
            fprintf(out, "    partitions: %d\n", t->partitions);
        }
        config(out, &t->o, 4);
    }
}

static void clients(FILE *out, const struct model *m, bool producers)
{
    uint32_t n = producers ? m->nproducers : m->nconsumers;
    if (!n)
        return;
    fputs(producers ? "producers:\n" : "consumers:\n", out);
    for (uint32_t i = 0; i < n; i++) {
        const struct client *c = producers ? m->producers[i] : m->consumers[i];
        qkey(out, 2, c->o.name);
        fprintf(out, "    client: \"%s", c->ckind == CK_LIBRDKAFKA ? "librdkafka" : "java");
        if (c->version.set) {
            char v[32];
            version_fmt(c->version, v, sizeof v);
            fprintf(out, " %s", v);
        }
        fputs("\"\n", out);
        if (c->ntopics) {
            fputs("    topics: [", out);
            for (uint32_t j = 0; j < c->ntopics; j++) {
                if (j)
                    fputs(", ", out);
                q(out, c->topics[j].name);
            }
            fputs("]\n", out);
        }
        if (!producers && c->group) {
            fputs("    group: ", out);
            q(out, c->group);
            fputc('\n', out);
        }
        config(out, &c->o, 4);
    }
}

static void groups(FILE *out, const struct model *m)
{
    if (!m->ngroups)
        return;
    fputs("groups:\n", out);
    for (uint32_t i = 0; i < m->ngroups; i++) {
        const struct group *g = m->groups[i];
        qkey(out, 2, g->o.name);
        if (g->state) {
            fputs("    state: ", out);
            q(out, g->state);
            fputc('\n', out);
        }
        if (g->protocol_type) {
            fputs("    protocol_type: ", out);
            q(out, g->protocol_type);
            fputc('\n', out);
        }
        if (g->assignor) {
            fputs("    assignor: ", out);
            q(out, g->assignor);
            fputc('\n', out);
        }
        if (g->coordinator >= 0)
            fprintf(out, "    coordinator: %d\n", g->coordinator);
        if (g->o.error) {
            fputs("    error: ", out);
            q(out, g->o.error);
            fputc('\n', out);
        }
        if (g->nmembers) {
            fputs("    members:\n", out);
            for (uint32_t j = 0; j < g->nmembers; j++) {
                const struct group_member *gm = &g->members[j];
                fputs("      - {member_id: ", out);
                q(out, gm->member_id ? gm->member_id : "");
                fputs(", client_id: ", out);
                q(out, gm->client_id ? gm->client_id : "");
                fputs(", host: ", out);
                q(out, gm->host ? gm->host : "");
                if (gm->instance_id) {
                    fputs(", instance_id: ", out);
                    q(out, gm->instance_id);
                }
                fputs(", assignment: {", out);
                /* group consecutive partitions of the same topic */
                uint32_t k = 0;
                bool first = true;
                while (k < gm->nassignment) {
                    const char *t = gm->assignment[k].topic;
                    if (!first)
                        fputs(", ", out);
                    first = false;
                    q(out, t);
                    fputs(": [", out);
                    bool f2 = true;
                    for (uint32_t z = k; z < gm->nassignment; z++)
                        if (strcmp(gm->assignment[z].topic, t) == 0) {
                            fprintf(out, "%s%d", f2 ? "" : ", ", gm->assignment[z].partition);
                            f2 = false;
                        }
                    fputc(']', out);
                    while (k < gm->nassignment && strcmp(gm->assignment[k].topic, t) == 0)
                        k++;
                    /* a topic appearing again later was printed already */
                    while (k < gm->nassignment) {
                        bool seen = false;
                        for (uint32_t z = 0; z < k && !seen; z++)
                            seen = strcmp(gm->assignment[z].topic, gm->assignment[k].topic) == 0;
                        if (!seen)
                            break;
                        k++;
                    }
                }
                fputs("}}\n", out);
            }
        }
        if (g->noffsets) {
            fputs("    offsets:\n", out);
            bool *done = calloc(g->noffsets, sizeof *done);
            for (uint32_t j = 0; j < g->noffsets; j++) {
                if (done && done[j])
                    continue;
                const char *t = g->offsets[j].topic;
                fputs("      ", out);
                q(out, t);
                fputs(": {", out);
                bool first = true;
                for (uint32_t z = j; z < g->noffsets; z++) {
                    const struct group_offset *o = &g->offsets[z];
                    if (strcmp(o->topic, t) != 0)
                        continue;
                    if (done)
                        done[z] = true;
                    fprintf(out, "%s%d: ", first ? "" : ", ", o->partition);
                    first = false;
                    if (o->error) {
                        fputs("{committed: ", out);
                        if (o->committed >= 0)
                            fprintf(out, "%" PRId64, o->committed);
                        else
                            fputs("null", out);
                        fputs(", error: ", out);
                        q(out, o->error);
                        fputc('}', out);
                    } else if (o->committed >= 0) {
                        fprintf(out, "%" PRId64, o->committed);
                    } else {
                        fputs("null", out);
                    }
                }
                fputs("}\n", out);
            }
            free(done);
        }
    }
}

void manifest_write(FILE *out, const struct model *m, const char *comment)
{
    manifest_write_opts(out, m, comment, 0);
}

void manifest_write_opts(FILE *out, const struct model *m, const char *comment, unsigned flags)
{
    if (comment) {
        const char *p = comment;
        while (*p) {
            size_t l = strcspn(p, "\n");
            fprintf(out, "# %.*s\n", (int)l, p);
            p += l;
            if (*p)
                p++;
        }
    }
    fputs("kafkaudit: 1\n", out);
    if (m->cluster.declared)
        cluster(out, m, flags);
    topics(out, m);
    clients(out, m, true);
    clients(out, m, false);
    groups(out, m);
}
