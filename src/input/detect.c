/*
 * detect.c - does a file look like Kafka configuration, whatever kafkaudit
 * could read of it?
 *
 * A file whose dialect kafkaudit reads yields objects; a file that holds
 * Kafka settings where no reader looks (a Spring application keeping its
 * consumer settings under its own prefix, a Confluent for Kubernetes
 * resource) yields nothing, and saying "no findings" about it would call
 * unread data fine.  Such a file is reported as not understood, naming the
 * lines with Kafka settings.  A file with none of them (a Minecraft
 * server.properties, a Kubernetes Deployment) is not Kafka's and is left
 * alone.
 *
 * The settings that mark a file as Kafka's are the ones that only Kafka
 * clients and brokers use (auto.offset.reset, min.insync.replicas, ...),
 * in any spelling Spring's relaxed binding accepts (auto-offset-reset,
 * autoOffsetReset, auto_offset_reset) and at the end of a longer key
 * (event-consumer.properties.auto.offset.reset).  Generic names that other
 * software shares (ssl.*, client.id, port) do not count; client settings
 * with shared names (acks, retries, linger.ms) count only under a parent
 * key naming Kafka (a Helm values file's kafka: producer: acks:) or beside
 * Kafka's own settings.
 */
#include "input/detect.h"
#include "util/buf.h"
#include "util/strutil.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *const signature[] = {
    /* clients */
    "bootstrap.servers", "group.id", "auto.offset.reset", "enable.auto.commit",
    "auto.commit.interval.ms", "key.serializer", "value.serializer", "key.deserializer",
    "value.deserializer", "transactional.id", "enable.idempotence", "isolation.level",
    "max.poll.records", "max.poll.interval.ms", "delivery.timeout.ms",
    "max.in.flight.requests.per.connection", "enable.auto.offset.store", "queue.buffering.max.ms",
    "message.send.max.retries", "request.required.acks", "partition.assignment.strategy",
    "group.instance.id",
    /* Kafka 0.8 clients */
    "metadata.broker.list", "auto.commit.enable", "producer.type", "serializer.class",
    /* brokers and topics */
    "broker.id", "node.id", "log.dirs", "zookeeper.connect", "controller.quorum.voters",
    "min.insync.replicas", "unclean.leader.election.enable", "default.replication.factor",
    "offsets.topic.replication.factor", "transaction.state.log.replication.factor",
    "transaction.state.log.min.isr", "log.retention.hours", "log.retention.ms", "log.segment.bytes",
    "num.partitions", "auto.create.topics.enable", "retention.ms", "cleanup.policy",
    "message.timestamp.type", NULL};

/* Client settings whose names other software shares (acks, retries,
 * linger.ms): Kafka's only under a parent key naming Kafka (a Helm
 * chart's kafka: producer: acks:, myapp.kafka.producer.acks) or beside
 * Kafka's own settings in the same map.  Alone they mark nothing. */
static const char *const contextual[] = {"acks",
                                         "retries",
                                         "linger.ms",
                                         "batch.size",
                                         "compression.type",
                                         "max.request.size",
                                         "request.timeout.ms",
                                         "session.timeout.ms",
                                         "heartbeat.interval.ms",
                                         "fetch.min.bytes",
                                         NULL};

/* key in Kafka's dotted lower-case form: relaxed Spring spellings
 * (kebab-case, snake_case, camelCase) and bracketed map keys undone */
static void normalise(const char *key, char *out, size_t n)
{
    size_t o = 0;
    for (const char *s = key; *s && o + 2 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '[' || c == ']')
            continue;
        if (c == '-' || c == '_')
            c = '.';
        if (isupper(c)) {
            if (o && out[o - 1] != '.')
                out[o++] = '.';
            c = (unsigned char)tolower(c);
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
}

const char *detect_kafka_key(const char *key)
{
    char k[256];
    normalise(key, k, sizeof k);
    size_t kl = strlen(k);
    for (int i = 0; signature[i]; i++) {
        size_t sl = strlen(signature[i]);
        if (kl == sl ? strcmp(k, signature[i]) == 0
                     : kl > sl && k[kl - sl - 1] == '.' && strcmp(k + kl - sl, signature[i]) == 0 &&
                           detect_strong_key(signature[i]))
            return signature[i];
    }
    return NULL;
}

/* Does (normalised) k name Kafka: kafka, kafka.producer, my.kafka.x? */
static bool names_kafka(const char *k, size_t len)
{
    for (size_t i = 0; i + 5 <= len; i++)
        if (memcmp(k + i, "kafka", 5) == 0)
            return true;
    return false;
}

/* key as a contextual client setting (acks...): under a parent naming
 * Kafka (in_kafka), beside a Kafka setting (beside), or as the end of a
 * longer key naming Kafka (myapp.kafka.producer.acks).  *strong: enough
 * to call the file Kafka's (a parent names Kafka). */
static const char *contextual_key(const char *key, bool in_kafka, bool beside, bool *strong)
{
    char k[256];
    normalise(key, k, sizeof k);
    size_t kl = strlen(k);
    for (int i = 0; contextual[i]; i++) {
        size_t sl = strlen(contextual[i]);
        if (kl == sl && strcmp(k, contextual[i]) == 0) {
            *strong = in_kafka;
            return in_kafka || beside ? contextual[i] : NULL;
        }
        if (kl > sl && k[kl - sl - 1] == '.' && strcmp(k + kl - sl, contextual[i]) == 0) {
            *strong = in_kafka || names_kafka(k, kl - sl - 1);
            return *strong || beside ? contextual[i] : NULL;
        }
    }
    return NULL;
}

/* Three words or more (auto.offset.reset, min.insync.replicas): no other
 * software's setting.  Two-word ones (group.id, log.dirs) count only as
 * whole keys, and only two of them make a file look like Kafka's. */
bool detect_strong_key(const char *sig)
{
    const char *dot = strchr(sig, '.');
    return dot && strchr(dot + 1, '.');
}

void detect_lines_add(struct detect_lines *dl, uint32_t line, uint32_t col)
{
    if (dl->n && dl->line[dl->n - 1] == line)
        return;
    dl->total++;
    if (dl->n < DETECT_MAX_LINES) {
        dl->line[dl->n] = line;
        dl->col[dl->n++] = col ? col : 1;
    }
}

/* The column of key on line of src (1-based), or 0. */
static uint32_t key_col(const char *src, size_t len, uint32_t line, const char *key, size_t kl)
{
    if (!src || !kl)
        return 0;
    const char *p = src, *end = src + len;
    for (uint32_t l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return 0;
        p = nl + 1;
    }
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    for (const char *q = p; q + kl <= eol; q++)
        if (memcmp(q, key, kl) == 0)
            return (uint32_t)(q - p) + 1;
    return 0;
}

/* "key=value" in a scalar (Confluent for Kubernetes' configOverrides,
 * a ConfigMap holding a server.properties) */
static void scan_text(const char *s, uint32_t line, struct detect_lines *dl)
{
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        size_t kl = strcspn(s, "=:\n");
        if (s[kl] == '=' && kl < 200) {
            char k[256];
            memcpy(k, s, kl);
            while (kl && (k[kl - 1] == ' ' || k[kl - 1] == '\t'))
                kl--;
            k[kl] = '\0';
            const char *sig = strchr(k, ' ') ? NULL : detect_kafka_key(k);
            if (sig) {
                detect_lines_add(
                    dl, line,
                    dl->n < DETECT_MAX_LINES ? key_col(dl->src, dl->src_len, line, k, kl) : 0);
                dl->strong += detect_strong_key(sig);
            }
        }
        s += strcspn(s, "\n");
        if (*s == '\n') {
            s++;
            line++;
        }
    }
}

/* The Kafka setting of one pair of a map, or NULL; *strong as above. */
static const char *pair_key(const struct ypair *pr, bool in_kafka, bool beside, bool *strong)
{
    const struct ynode *k = pr->key, *v = pr->val;
    if (!k || k->kind != Y_SCALAR || !v || v->kind != Y_SCALAR)
        return NULL;
    const char *sig = detect_kafka_key(ynode_str(k));
    if (sig) {
        *strong = detect_strong_key(sig);
        return sig;
    }
    return contextual_key(ynode_str(k), in_kafka, beside, strong);
}

/* in_kafka: a parent key names Kafka */
static void scan_yaml(const struct ynode *n, struct detect_lines *dl, int depth, bool in_kafka)
{
    if (!n || depth > 64)
        return;
    switch (n->kind) {
    case Y_MAP: {
        /* a Kafka setting in the map makes its acks, retries... Kafka's */
        bool beside = false, strong;
        for (uint32_t i = 0; i < n->map.n && !beside; i++)
            beside = pair_key(&n->map.pairs[i], false, false, &strong) != NULL;
        for (uint32_t i = 0; i < n->map.n; i++) {
            const struct ypair *pr = &n->map.pairs[i];
            const char *sig = pair_key(pr, in_kafka, beside, &strong);
            if (sig) {
                detect_lines_add(dl, pr->key->line, pr->key->col);
                dl->strong += strong;
            }
            bool child = in_kafka;
            if (!child && pr->key && pr->key->kind == Y_SCALAR) {
                char k[256];
                normalise(ynode_str(pr->key), k, sizeof k);
                child = names_kafka(k, strlen(k));
            }
            scan_yaml(pr->val, dl, depth + 1, child);
        }
        break;
    }
    case Y_SEQ:
        for (uint32_t i = 0; i < n->seq.n; i++)
            scan_yaml(n->seq.items[i], dl, depth + 1, in_kafka);
        break;
    case Y_SCALAR:
        if (n->scalar.s && strchr(n->scalar.s, '='))
            scan_text(n->scalar.s, n->line + (n->style == YS_BLOCK ? 1 : 0), dl);
        break;
    default: break;
    }
}

void detect_yaml(const struct ynode *n, struct detect_lines *dl, int depth)
{
    scan_yaml(n, dl, depth, false);
}

void detect_props(const struct props *p, struct detect_lines *dl)
{
    /* a Kafka setting in the file makes its acks, retries... Kafka's */
    bool beside = false;
    for (uint32_t i = 0; i < p->n && !beside; i++)
        beside = detect_kafka_key(p->v[i].key) != NULL;
    for (uint32_t i = 0; i < p->n; i++) {
        const char *sig = detect_kafka_key(p->v[i].key);
        bool strong = sig && detect_strong_key(sig);
        if (!sig)
            sig = contextual_key(p->v[i].key, false, beside, &strong);
        if (sig) {
            detect_lines_add(dl, p->v[i].line, p->v[i].key_col);
            dl->strong += strong;
        }
    }
}

void detect_report(struct model *m, uint32_t file, struct loc at, const struct detect_lines *dl,
                   bool explicit_path, const char *what, const char *hint)
{
    struct buf b = BUF_INIT;
    for (uint32_t i = 0; i < dl->n; i++)
        buf_printf(&b, "%s%u", i ? ", " : "", dl->line[i]);
    if (dl->total > dl->n)
        buf_printf(&b, " and %u more", dl->total - dl->n);
    struct loc l = {file, at.line, at.col ? at.col : 1};
    if (!at.line) {
        l.line = dl->n ? dl->line[0] : 1;
        l.col = dl->n ? dl->col[0] : 1;
    }
    /* Named on the command line, the file was meant to be audited: an
     * input error (exit 3).  Found in a directory, it may be an
     * application's own file: a warning, which fails no build by itself. */
    struct diag *d = diag_add(&m->diags, explicit_path ? DIAG_ERROR : DIAG_WARNING, DK_INPUT, l,
                              "not understood: %s has Kafka settings (line%s %s) that kafkaudit "
                              "did not read; nothing in it was audited",
                              what, dl->total > 1 ? "s" : "", buf_str(&b));
    if (hint)
        diag_hint(d, "%s", hint);
    buf_release(&b);
}

void detect_report_partial(struct model *m, uint32_t file, const struct detect_lines *dl)
{
    struct buf b = BUF_INIT;
    for (uint32_t i = 0; i < dl->n; i++)
        buf_printf(&b, "%s%u", i ? ", " : "", dl->line[i]);
    if (dl->total > dl->n)
        buf_printf(&b, " and %u more", dl->total - dl->n);
    /* the rest of the file was read: a warning wherever the file came from */
    struct diag *d = diag_add(&m->diags, DIAG_WARNING, DK_INPUT,
                              (struct loc){file, dl->n ? dl->line[0] : 1, dl->n ? dl->col[0] : 1},
                              "not understood: Kafka settings outside spring.kafka (line%s %s) "
                              "were not read; the application's own code uses them, so its "
                              "clients may differ from what is audited",
                              dl->total > 1 ? "s" : "", buf_str(&b));
    diag_hint(d, "Spring Boot configures Kafka clients only from spring.kafka.*");
    buf_release(&b);
}
