/*
 * compose.c - docker-compose files running Kafka brokers.
 *
 * A service is a broker when its image is a Kafka image (confluentinc/
 * cp-kafka, cp-server, confluent-local, apache/kafka[-native],
 * bitnami/kafka, wurstmeister/kafka) or, for any other image, when its
 * environment configures a broker (KAFKA_BROKER_ID, KAFKA_NODE_ID,
 * KAFKA_PROCESS_ROLES, KAFKA_ZOOKEEPER_CONNECT, KAFKA_ADVERTISED_LISTENERS,
 * KAFKA_CFG_*).  Controller-only KRaft nodes (process.roles=controller)
 * are not brokers.  Each broker service becomes a broker; their number is
 * the cluster's declared size, so a replication factor of 3 on a
 * single-broker compose file is reported.
 *
 * environment: as a list ("- KAFKA_X=y") or a map ("KAFKA_X: y"); YAML
 * anchors and merge keys (x-kafka-common: &common ... <<: *common) work,
 * and the provenance of a merged entry is where it is written.  Each
 * setting keeps its env name as `written` and the exact file:line:col of
 * its value.  ${VAR}, $VAR and ${VAR:-default} (and the other forms of
 * compose's interpolation) take their value from the project's .env file
 * beside the compose file; a variable set only in the shell that runs
 * compose leaves the value unknown.  env_file: (a path or a
 * list, relative to the compose file) is read like docker compose reads
 * it, each variable pointing at its line in the env file; environment:
 * wins over it.
 *
 * The image tag gives the Kafka version when it can (cp-kafka 7.6 is
 * Kafka 3.6); KAFKA_CREATE_TOPICS of wurstmeister images declares topics
 * ("name:partitions:replicas[:cleanup.policy]").
 */
#include "input/compose.h"
#include "util/hmap.h"
#include "input/input.h"
#include "model/effective.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "syntax/yload.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- images -------------------------------------------------------------------- */

enum compose_image compose_image_kind(const char *image, struct version *v)
{
    if (v)
        v->set = false;
    if (!image)
        return CI_OTHER;
    char repo[256], tag[128] = "";
    snprintf(repo, sizeof repo, "%s", image);
    char *at = strchr(repo, '@');
    if (at)
        *at = '\0';
    char *slash = strrchr(repo, '/');
    char *colon = strrchr(repo, ':');
    if (colon && (!slash || colon > slash)) {
        snprintf(tag, sizeof tag, "%s", colon + 1);
        *colon = '\0';
    }
    slash = strrchr(repo, '/');
    const char *name = slash ? slash + 1 : repo;
    char owner[256] = "";
    if (slash) {
        *slash = '\0';
        const char *o = strrchr(repo, '/');
        snprintf(owner, sizeof owner, "%s", o ? o + 1 : repo);
    }
    enum compose_image k = CI_OTHER;
    if (strcmp(name, "cp-kafka") == 0 || strcmp(name, "cp-server") == 0 ||
        strcmp(name, "confluent-local") == 0)
        k = CI_CONFLUENT;
    else if (strcmp(name, "kafka") == 0 || strcmp(name, "kafka-native") == 0) {
        if (strcmp(owner, "bitnami") == 0)
            k = CI_BITNAMI;
        else if (strcmp(owner, "wurstmeister") == 0)
            k = CI_WURSTMEISTER;
        else if (!owner[0] || strcmp(owner, "apache") == 0 || strcmp(owner, "library") == 0)
            k = CI_APACHE; /* apache/kafka, and Docker's official "kafka" built from
                            * apache/kafka docker/docker_official_images */
        /* any other owner's "kafka" image: not known, CI_OTHER */
    }
    if (!v || !tag[0] || !isdigit((unsigned char)tag[0]))
        return k;
    struct version t;
    if (k == CI_CONFLUENT) {
        /* Confluent Platform 7.x ships Apache Kafka 3.x, 8.x Kafka 4.x */
        if (version_parse(tag, &t) == 0 && t.major >= 7) {
            v->major = (unsigned short)(t.major - 4);
            v->minor = t.minor;
            v->patch = 0;
            v->set = true;
        }
    } else if (k == CI_WURSTMEISTER) {
        const char *dash = strchr(tag, '-'); /* SCALA-KAFKA */
        if (dash && version_parse(dash + 1, &t) == 0) {
            *v = t;
            v->set = true;
        }
    } else if (k == CI_APACHE || k == CI_BITNAMI) {
        if (version_parse(tag, &t) == 0) {
            *v = t;
            v->set = true;
        }
    }
    return k;
}

/* Environment variables of the images that are not broker settings. */
static const char *const not_settings[] = {
    "KAFKA_VERSION",
    "KAFKA_HOME",
    "KAFKA_DEBUG",
    "KAFKA_OPTS",
    "KAFKA_HEAP_OPTS",
    "KAFKA_JVM_PERFORMANCE_OPTS",
    "KAFKA_GC_LOG_OPTS",
    "KAFKA_LOG4J_OPTS",
    "KAFKA_LOG4J_ROOT_LOGLEVEL",
    "KAFKA_LOG4J_LOGGERS",
    "KAFKA_TOOLS_LOG4J_LOGLEVEL",
    "KAFKA_CLUSTER_ID",
    "KAFKA_CREATE_TOPICS",
    "KAFKA_LOG",
    "KAFKA_PORT_NUMBER",
    /* confluentinc/cp-* image conventions: file names and credential files
     * the image turns into ssl.*.location/password */
    "KAFKA_SSL_KEYSTORE_FILENAME",
    "KAFKA_SSL_KEYSTORE_CREDENTIALS",
    "KAFKA_SSL_KEY_CREDENTIALS",
    "KAFKA_SSL_TRUSTSTORE_FILENAME",
    "KAFKA_SSL_TRUSTSTORE_CREDENTIALS",
    NULL,
};
static const char *const not_setting_prefixes[] = {"KAFKA_JMX_", "KAFKA_LOG4J_", NULL};

/* bitnami/kafka maps these legacy KAFKA_<NAME> variables to KAFKA_CFG_<NAME>
 * before it configures (bitnami/containers, bitnami/kafka/3.7/debian-12/
 * rootfs/opt/bitnami/scripts/libkafka.sh, kafka_create_alias_environment_
 * variables, called by kafka/setup.sh); the alias is exported whenever the
 * legacy variable is set, so it wins over a KAFKA_CFG_ one. */
static const char *const bitnami_aliases[] = {
    "ADVERTISED_LISTENERS",
    "BROKER_ID",
    "NODE_ID",
    "CONTROLLER_QUORUM_VOTERS",
    "PROCESS_ROLES",
    "DEFAULT_REPLICATION_FACTOR",
    "DELETE_TOPIC_ENABLE",
    "INTER_BROKER_LISTENER_NAME",
    "LISTENERS",
    "LISTENER_SECURITY_PROTOCOL_MAP",
    "LOG_DIRS",
    "LOG_FLUSH_INTERVAL_MESSAGES",
    "LOG_FLUSH_INTERVAL_MS",
    "LOG_MESSAGE_FORMAT_VERSION",
    "LOG_RETENTION_BYTES",
    "LOG_RETENTION_CHECK_INTERVALS_MS",
    "LOG_RETENTION_HOURS",
    "LOG_SEGMENT_BYTES",
    "MESSAGE_MAX_BYTES",
    "NUM_IO_THREADS",
    "NUM_NETWORK_THREADS",
    "NUM_PARTITIONS",
    "NUM_RECOVERY_THREADS_PER_DATA_DIR",
    "OFFSETS_TOPIC_REPLICATION_FACTOR",
    "SOCKET_RECEIVE_BUFFER_BYTES",
    "SOCKET_REQUEST_MAX_BYTES",
    "SOCKET_SEND_BUFFER_BYTES",
    "SSL_ENDPOINT_IDENTIFICATION_ALGORITHM",
    "TRANSACTION_STATE_LOG_MIN_ISR",
    "TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
    "ZOOKEEPER_CONNECT",
    "ZOOKEEPER_CONNECTION_TIMEOUT_MS",
    NULL,
};
/* ... and these under another name */
static const char *const bitnami_renamed[][2] = {
    {"LOGS_DIRS", "LOG_DIRS"},
    {"SEGMENT_BYTES", "LOG_SEGMENT_BYTES"},
    {"MAX_MESSAGE_BYTES", "MESSAGE_MAX_BYTES"},
    {"ZOOKEEPER_CONNECT_TIMEOUT_MS", "ZOOKEEPER_CONNECTION_TIMEOUT_MS"},
    {"AUTO_CREATE_TOPICS_ENABLE", "AUTO_CREATE_TOPICS_ENABLE"},
    {NULL, NULL},
};

static bool compose_bitnami_alias(const char *env)
{
    if (!str_starts(env, "KAFKA_") || str_starts(env, "KAFKA_CFG_"))
        return false;
    const char *rest = env + strlen("KAFKA_");
    for (int i = 0; bitnami_aliases[i]; i++)
        if (strcmp(rest, bitnami_aliases[i]) == 0)
            return true;
    for (int i = 0; bitnami_renamed[i][0]; i++)
        if (strcmp(rest, bitnami_renamed[i][0]) == 0)
            return true;
    return false;
}

int compose_env_key(enum compose_image img, const char *env, char *out, size_t n)
{
    const char *rest;
    if (img == CI_BITNAMI) {
        if (str_starts(env, "KAFKA_CFG_"))
            rest = env + strlen("KAFKA_CFG_");
        else if (compose_bitnami_alias(env)) {
            rest = env + strlen("KAFKA_");
            for (int i = 0; bitnami_renamed[i][0]; i++)
                if (strcmp(rest, bitnami_renamed[i][0]) == 0)
                    rest = bitnami_renamed[i][1];
        } else
            return -1;
    } else {
        if (!str_starts(env, "KAFKA_"))
            return -1;
        for (int i = 0; not_settings[i]; i++)
            if (strcmp(env, not_settings[i]) == 0)
                return -1;
        for (int i = 0; not_setting_prefixes[i]; i++)
            if (str_starts(env, not_setting_prefixes[i]))
                return -1;
        if (str_starts(env, "KAFKA_CFG_")) /* Bitnami's convention elsewhere */
            rest = env + strlen("KAFKA_CFG_");
        else
            rest = env + strlen("KAFKA_");
    }
    if (!*rest)
        return -1;
    size_t o = 0;
    for (const char *p = rest; *p && o + 1 < n;) {
        if (*p == '_') {
            size_t run = 0;
            while (p[run] == '_')
                run++;
            char c = run == 1 ? '.' : run == 2 ? '_' : '-';
            for (size_t i = 0; i < (run > 3 ? run - 2 : 1) && o + 1 < n; i++)
                out[o++] = c;
            p += run;
            continue;
        }
        out[o++] = (char)tolower((unsigned char)*p);
        p++;
    }
    out[o] = '\0';
    return o ? 0 : -1;
}

/* ---- services ------------------------------------------------------------------ */

struct envvar {
    const char *name;
    const char *value; /* NULL: taken from the host, unknown */
    struct loc kl, vl;
    bool shared; /* value lives in the model, shared by a node's aliases */
};

/* The variables of the project's .env file (beside the compose file),
 * which docker compose substitutes into the file. */
struct dotenv {
    const struct envvar *v;
    uint32_t n;
    const struct dotenv *next; /* looked up when v does not have it */
};

static const struct envvar *dotenv_find(const struct dotenv *d, const char *name, size_t n)
{
    for (; d; d = d->next) {
        const struct envvar *r = NULL;
        for (uint32_t i = 0; i < d->n; i++)
            if (strlen(d->v[i].name) == n && strncmp(d->v[i].name, name, n) == 0)
                r = &d->v[i]; /* the last one wins */
        if (r)
            return r;
    }
    return NULL;
}

static bool var_char(char c, bool first)
{
    return c == '_' || isalpha((unsigned char)c) || (!first && isdigit((unsigned char)c));
}

/* Compose's interpolation of v: $$ is a dollar; ${NAME}, $NAME,
 * ${NAME:-default}, ${NAME-default}, ${NAME:+alt}, ${NAME+alt} and
 * ${NAME:?err} take their value from the project's .env file.  A variable
 * set nowhere but in the shell that runs compose is unknown here, and so
 * is the whole value (NULL): it is not judged. */
#define INTERPOLATED_MAX (64 * 1024)

static const char *interpolate_at(struct model *m, const struct dotenv *dot, const char *v,
                                  int depth)
{
    if (!v || !strchr(v, '$'))
        return v;
    if (depth > 8)
        return NULL; /* defaults nested deeper than anyone writes: unknown */
    struct buf b = BUF_INIT;
    bool unknown = false;
    for (const char *p = v; *p && !unknown;) {
        if (*p != '$') {
            buf_putc(&b, *p++);
            continue;
        }
        if (p[1] == '$') {
            buf_putc(&b, '$');
            p += 2;
            continue;
        }
        const char *name = p + 1, *op = NULL, *arg = NULL, *close = NULL;
        bool braced = *name == '{';
        if (braced)
            name++;
        const char *q = name;
        while (var_char(*q, q == name))
            q++;
        size_t nl = (size_t)(q - name);
        if (!nl) { /* not a reference */
            buf_putc(&b, *p++);
            continue;
        }
        if (braced) {
            /* the matching brace, past nested ${...} in a default */
            int open = 1;
            for (close = q; *close; close++) {
                if (close[0] == '$' && close[1] == '{')
                    open++, close++;
                else if (*close == '}' && --open == 0)
                    break;
            }
            if (!*close) { /* unterminated: as written */
                buf_puts(&b, p);
                break;
            }
            if (q < close) {
                op = q;
                arg = q + (q[0] == ':' ? 2 : 1);
                if (arg > close)
                    arg = close;
            }
        }
        const struct envvar *e = dotenv_find(dot, name, nl);
        bool set = e && e->value, empty = !set || !e->value[0];
        const char *val = set ? e->value : NULL;
        char *alt = NULL;
        if (op) {
            bool colon = op[0] == ':';
            char kind = colon ? op[1] : op[0];
            bool absent = colon ? empty : !set;
            if (kind == '-' || kind == '+') {
                if ((kind == '-' && absent) || (kind == '+' && !absent)) {
                    alt = xstrndup(arg, (size_t)(close - arg));
                    val = interpolate_at(m, dot, alt, depth + 1);
                    if (!val)
                        unknown = true;
                } else if (kind == '+')
                    val = "";
            } else if (kind != '?')
                unknown = true; /* an operator compose does not have */
        }
        if (!val || b.len + strlen(val) > INTERPOLATED_MAX)
            unknown = true;
        else
            buf_puts(&b, val);
        free(alt);
        p = braced ? close + 1 : q;
    }
    /* a value grown past any setting's size by repeated references */
    if (b.len > INTERPOLATED_MAX)
        unknown = true;
    const char *r = unknown ? NULL : arena_strndup(&m->arena, b.p ? b.p : "", b.len);
    buf_release(&b);
    return r;
}

static const char *interpolate(struct model *m, const struct dotenv *dot, const char *v)
{
    return interpolate_at(m, dot, v, 0);
}

/* interpolate() of the text of a YAML node, made once per node when
 * long: aliases of a 1 MiB value are one copy, not one each.  key names
 * the node (or a part of it). */
static const char *node_value(struct model *m, uint32_t file, const struct dotenv *dot,
                              const void *key, const char *text, size_t len, bool *shared)
{
    *shared = false;
    if (len < 64)
        return interpolate(m, dot, text);
    const char *v = model_shared_value(m, file, key, NULL);
    if (!v) {
        v = interpolate(m, dot, text);
        if (!v)
            return NULL; /* unknown */
        v = model_shared_value(m, file, key, v);
    }
    *shared = true;
    return v;
}

static uint32_t collect_env(struct model *m, uint32_t file, const struct dotenv *dot,
                            const struct ynode *env, struct envvar *out, uint32_t cap)
{
    uint32_t n = 0;
    if (!env || ynode_is_null(env))
        return 0;
    if (env->kind == Y_SEQ) {
        for (uint32_t i = 0; i < env->seq.n && n < cap; i++) {
            const struct ynode *it = env->seq.items[i];
            if (it->kind != Y_SCALAR) {
                input_error(m, file, it, "environment entries must be NAME=VALUE strings");
                continue;
            }
            const char *s = it->scalar.s;
            const char *eq = strchr(s, '=');
            struct envvar *e = &out[n++];
            e->kl = yloc(file, it);
            if (it->style == YS_QUOTED)
                e->kl.col++;
            e->name = eq ? arena_strndup(&m->arena, s, (size_t)(eq - s)) : s;
            e->shared = false;
            e->value = eq ? node_value(m, file, dot, it, eq + 1,
                                       it->scalar.len - (size_t)(eq - s) - 1, &e->shared)
                          : NULL;
            e->vl = e->kl;
            if (eq)
                e->vl.col += (uint32_t)(eq - s) + 1;
        }
    } else if (env->kind == Y_MAP) {
        for (uint32_t i = 0; i < env->map.n && n < cap; i++) {
            const struct ynode *k = env->map.pairs[i].key, *v = env->map.pairs[i].val;
            struct envvar *e = &out[n++];
            e->name = ynode_str(k);
            e->kl = yloc(file, k);
            e->vl = ynode_is_null(v) && v->line == 0 ? e->kl : yloc(file, v);
            e->shared = false;
            if (v->kind == Y_SCALAR && !ynode_is_null(v))
                e->value = node_value(m, file, dot, v, v->scalar.s, v->scalar.len, &e->shared);
            else if (v->kind == Y_SCALAR && v->style == YS_QUOTED)
                e->value = "";
            else
                e->value = NULL;
            if (v->kind != Y_SCALAR)
                input_error(m, file, v, "environment value of %s must be a scalar", e->name);
        }
    } else
        input_error(m, file, env, "environment must be a list or a mapping, not %s",
                    ynode_kind_name(env));
    return n;
}

/* ---- env_file -------------------------------------------------------------------- */

/* Problems with a service's env files wait until the service is known to
 * run Kafka: a missing env file of a database next to the brokers is not
 * this tool's business. */
#define MAX_PENDING 8
/* variables read from a service's env files (docker compose has no limit;
 * past this many, a diagnostic says the rest were not read) */
#define MAX_ENV_FILE_VARS 8192
struct pending {
    struct loc loc;
    char msg[240];
};

struct envctx {
    struct model *m;
    uint32_t file; /* the compose file */
    const struct dotenv *dot;
    struct pending pend[MAX_PENDING];
    uint32_t npend;
};

static void pend(struct envctx *c, struct loc l, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void pend(struct envctx *c, struct loc l, const char *fmt, ...)
{
    if (c->npend == MAX_PENDING)
        return;
    struct pending *p = &c->pend[c->npend++];
    p->loc = l;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
}

/* The env file's path: relative ones are relative to the compose file's
 * directory (to the working directory for stdin), as Compose does. */
static const char *env_file_path(struct model *m, uint32_t file, const char *rel)
{
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    const char *base = source_path(&m->sources, file);
    const char *slash = base ? strrchr(base, '/') : NULL;
    if (strcmp(rel, "-") == 0 && !slash)
        return "./-"; /* a file named "-", never stdin */
    if (rel[0] == '/' || !slash)
        return rel;
    return arena_printf(&m->arena, "%.*s/%s", (int)(slash - base), base, rel);
}

/* Read path if it is a regular file (a FIFO would block the lint, a
 * device never end).  0, or an errno / SOURCE_BINARY. */
static int fetch_regular(const char *path, struct buf *b)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return errno ? errno : ENOENT;
    if (S_ISDIR(st.st_mode))
        return EISDIR;
    if (!S_ISREG(st.st_mode))
        return ENODEV;
    return source_fetch(path, DK_INPUT, b);
}

/* The env file as a source of the model (read once however many services
 * name it, so their findings on a shared line fold), or 0 with *err. */
static uint32_t env_file_source(struct model *m, const char *path, int *err)
{
    for (uint32_t i = 1; i <= m->sources.n; i++)
        if (strcmp(source_path(&m->sources, i), path) == 0)
            return i;
    struct buf b;
    *err = fetch_regular(path, &b);
    if (*err)
        return 0;
    size_t len = b.len;
    return source_set_add(&m->sources, path, buf_detach(&b), len);
}

/* One value of an env file line, at v: "double quoted" (over lines, with
 * \n \t \r \" \\ \$ escapes; any other backslash stays), 'single quoted'
 * (literal, over lines; \' is a quote), or bare (to the end of the line,
 * up to a " #" comment, trailing blanks dropped).  *next is where the
 * line after the value starts; *literal says no interpolation applies;
 * NULL for an unterminated quote. */
static const char *env_file_value(struct model *m, const char *v, const char *end,
                                  const char **next, bool *literal)
{
    struct buf b = BUF_INIT;
    const char *eol = memchr(v, '\n', (size_t)(end - v));
    *literal = false;
    if (v < end && (*v == '"' || *v == '\'')) {
        char q = *v++;
        *literal = q == '\'';
        for (; v < end && *v != q; v++) {
            if (*v == '\\' && v + 1 < end) {
                char e = v[1];
                if (q == '\'' && e == '\'') {
                    buf_putc(&b, '\'');
                    v++;
                } else if (q == '"' && strchr("nrt\"\\$", e)) {
                    v++;
                    if (e == '$')
                        buf_puts(&b, "$$"); /* a dollar, not a reference */
                    else
                        buf_putc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
                } else
                    buf_putc(&b, *v);
            } else if (*v != '\r')
                buf_putc(&b, *v);
        }
        if (v >= end) {
            buf_release(&b);
            *next = end;
            return NULL;
        }
        eol = memchr(v, '\n', (size_t)(end - v));
    } else {
        const char *stop = eol ? eol : end, *e = v;
        for (const char *p = v; p < stop; p++) {
            if (*p == '#' && p > v && p[-1] == ' ')
                break;
            e = p + 1;
        }
        while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        buf_add(&b, v, (size_t)(e - v));
    }
    *next = eol ? eol + 1 : end;
    const char *r = arena_strndup(&m->arena, b.p ? b.p : "", b.len);
    buf_release(&b);
    return r;
}

/* NAME=VALUE (or NAME: VALUE) lines, as docker compose reads them: a byte
 * order mark, blank lines and '#' comments skipped, an optional
 * "export ", a NAME alone passes the host's value (unknown here).
 * Values are interpolated from the variables above them in the same file,
 * then from c->dot.  Problems go to c (id 0: the .env, never reported). */
static uint32_t parse_env_text(struct envctx *c, const char *data, size_t len, uint32_t id,
                               struct envvar *out, uint32_t cap)
{
    struct model *m = c->m;
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    uint32_t n = 0, line = 0;
    const char *line_start = data;
    while (p < end) {
        line++;
        line_start = p;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *e = eol ? eol : end;
        const char *s = p;
        p = eol ? eol + 1 : end;
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        if (e - s > 7 && strncmp(s, "export", 6) == 0 && (s[6] == ' ' || s[6] == '\t'))
            for (s += 7; s < e && (*s == ' ' || *s == '\t');)
                s++;
        if (s >= e || *s == '#' || *s == '\r')
            continue;
        if (n == cap) {
            if (id)
                pend(c, (struct loc){id, line, 1},
                     "more than %u variables in this env file; the rest are not read", cap);
            break;
        }
        const char *name = s;
        while (s < e && *s != '=' && *s != ':' && *s != ' ' && *s != '\t' && *s != '\r')
            s++;
        struct envvar *v = &out[n];
        v->shared = false;
        v->name = arena_strndup(&m->arena, name, (size_t)(s - name));
        v->kl = (struct loc){id, line, (uint32_t)(name - line_start) + 1};
        while (s < e && (*s == ' ' || *s == '\t'))
            s++;
        if (s < e && (*s == '=' || (*s == ':' && s + 1 < e && (s[1] == ' ' || s[1] == '\t')))) {
            s++;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            v->vl = (struct loc){id, line, (uint32_t)(s - line_start) + 1};
            bool literal;
            const char *next;
            const char *val = env_file_value(m, s, end, &next, &literal);
            if (!val) {
                if (id)
                    pend(c, v->vl,
                         "unterminated quote: docker compose refuses this env file; what follows "
                         "is not read");
                v->value = NULL;
                n++;
                break;
            }
            /* the lines a quoted value spans */
            for (const char *q = p; q < next; q++)
                if (*q == '\n')
                    line++;
            p = next;
            struct dotenv above = {out, n, c->dot};
            v->value = literal ? val : interpolate(m, &above, val);
        } else {
            v->vl = v->kl;
            v->value = NULL;
        }
        n++;
    }
    return n;
}

static uint32_t read_env_file(struct envctx *c, const struct ynode *path, bool required,
                              const uint32_t *seen, uint32_t nseen, uint32_t *id_out,
                              struct envvar *out, uint32_t cap)
{
    struct model *m = c->m;
    const char *rel = ynode_str(path);
    *id_out = 0;
    if (!rel[0]) {
        pend(c, yloc(c->file, path), "env_file must name a file");
        return 0;
    }
    int err = 0;
    uint32_t id = env_file_source(m, env_file_path(m, c->file, rel), &err);
    if (!id) {
        if (!required)
            return 0;
        if (err == SOURCE_BINARY)
            pend(c, yloc(c->file, path), "env_file %s is a binary file", rel);
        else if (err == EFBIG)
            pend(c, yloc(c->file, path),
                 "env_file %s is larger than %zu bytes (see --max-file-size)", rel,
                 yload_max_file_size);
        else if (err == ENODEV)
            pend(c, yloc(c->file, path), "env_file %s is not a regular file", rel);
        else
            pend(c, yloc(c->file, path), "env_file %s: cannot read: %s; its settings are unknown%s",
                 rel, strerror(err),
                 err == ENOENT ? " (docker compose refuses a missing env_file unless it says "
                                 "required: false)"
                               : "");
        return 0;
    }
    for (uint32_t i = 0; i < nseen; i++)
        if (seen[i] == id)
            return 0; /* named twice: the second changes nothing */
    *id_out = id;
    const struct src_file *f = source_get(&m->sources, id);
    return parse_env_text(c, f->data, f->len, id, out, cap);
}

/* env_file: a path, or a list of paths and {path, required} entries; the
 * files' variables in order (a later file wins, and environment: wins
 * over them all). */
static uint32_t collect_env_files(struct envctx *c, const struct ynode *ef, struct envvar *out,
                                  uint32_t cap)
{
    if (!ef || ynode_is_null(ef))
        return 0;
    uint32_t seen[64], nseen = 0, id;
    if (ef->kind == Y_SCALAR)
        return read_env_file(c, ef, true, seen, 0, &id, out, cap);
    if (ef->kind != Y_SEQ) {
        pend(c, yloc(c->file, ef), "env_file must be a path or a list of paths");
        return 0;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < ef->seq.n && n < cap; i++) {
        const struct ynode *it = ef->seq.items[i], *path = it;
        bool required = true;
        if (it->kind == Y_MAP) {
            path = ymap_get(it, "path");
            const struct ynode *req = ymap_get(it, "required");
            if (!path || path->kind != Y_SCALAR) {
                pend(c, yloc(c->file, it), "env_file entry needs a path");
                continue;
            }
            required = !(req && req->kind == Y_SCALAR && str_ieq(ynode_str(req), "false"));
        } else if (it->kind != Y_SCALAR) {
            pend(c, yloc(c->file, it), "env_file entries must be paths or {path, required}");
            continue;
        }
        n += read_env_file(c, path, required, seen, nseen, &id, out + n, cap - n);
        if (id && nseen < 64)
            seen[nseen++] = id;
    }
    return n;
}

static const struct envvar *env_find(const struct envvar *v, uint32_t n, const char *name)
{
    const struct envvar *r = NULL;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            r = &v[i]; /* last one wins */
    return r;
}

static bool env_says_broker(const struct envvar *v, uint32_t n)
{
    static const char *const keys[] = {"KAFKA_BROKER_ID",
                                       "KAFKA_NODE_ID",
                                       "KAFKA_PROCESS_ROLES",
                                       "KAFKA_ZOOKEEPER_CONNECT",
                                       "KAFKA_ADVERTISED_LISTENERS",
                                       NULL};
    for (uint32_t i = 0; i < n; i++) {
        if (str_starts(v[i].name, "KAFKA_CFG_"))
            return true;
        for (int k = 0; keys[k]; k++)
            if (strcmp(v[i].name, keys[k]) == 0)
                return true;
    }
    return false;
}

/* wurstmeister: KAFKA_CREATE_TOPICS="orders:12:3,audit:1:1:compact" */
static void create_topics(struct model *m, const struct envvar *e)
{
    const char *s = e->value;
    if (!s)
        return;
    const char *start = s;
    while (*s) {
        size_t l = strcspn(s, ",");
        char item[256];
        snprintf(item, sizeof item, "%.*s", (int)(l < 255 ? l : 255), s);
        struct loc tl = e->vl;
        tl.col += (uint32_t)(s - start);
        char *f[4] = {NULL, NULL, NULL, NULL};
        int nf = 0;
        for (char *p = item; nf < 4;) {
            f[nf++] = p;
            char *c = strchr(p, ':');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
        }
        if (f[0] && *f[0]) {
            bool created;
            struct topic *t = model_topic(m, f[0], tl, &created);
            int64_t v;
            if (f[1] && str_to_i64(f[1], &v) == 0) {
                if (v >= 1 && v <= INPUT_MAX_PARTITIONS) {
                    t->partitions = (int32_t)v;
                    t->partitions_loc = tl;
                } else
                    diag_add(&m->diags, DIAG_ERROR, DK_INPUT, tl,
                             "KAFKA_CREATE_TOPICS: %s: partitions must be between 1 and %d", f[0],
                             INPUT_MAX_PARTITIONS);
            }
            if (f[2] && str_to_i64(f[2], &v) == 0) {
                if (v >= 1 && v <= INPUT_MAX_RF) {
                    t->rf = (int32_t)v;
                    t->rf_loc = tl;
                } else
                    diag_add(&m->diags, DIAG_ERROR, DK_INPUT, tl,
                             "KAFKA_CREATE_TOPICS: %s: replication factor must be between 1 "
                             "and %d",
                             f[0], INPUT_MAX_RF);
            }
            if (f[3] && *f[3])
                object_set_key(m, &t->o, "cleanup.policy", f[3], ORIG_FILE, tl, tl);
        }
        s += l;
        if (*s == ',')
            s++;
    }
}

#define MAX_ENV 1024

enum image_conf;
static int read_broker(struct model *m, uint32_t file, const struct ynode *name,
                       const struct ynode *img, enum compose_image kind, enum image_conf conf,
                       const struct version *kvp, const struct envvar *env, uint32_t n, int idx);

/* What an image sets when the environment does not.
 *
 * bitnami/kafka and wurstmeister/kafka generate the broker config from
 * Kafka's own config/server.properties (bitnami: server.properties.original,
 * unless a server.properties is mounted in /bitnami/kafka/config;
 * wurstmeister: start-kafka.sh edits it in place), which sets the internal
 * topics' replication for a single development broker.
 *
 * The apache/kafka and apache/kafka-native images (KIP-975; Docker's
 * official "kafka" image is built from the same files) write
 * /opt/kafka/config/server.properties from the KAFKA_* variables alone
 * when any is set, and copy the distribution's single-node sample
 * (config/kraft/server.properties: log.dirs=/tmp/kraft-combined-logs,
 * replication 1) only when none is set (apache/kafka at 3.7.0:
 * core/src/main/scala/kafka/docker/KafkaDockerWrapper.scala,
 * prepareServerConfigs; docker/jvm/Dockerfile copies the sample to
 * /etc/kafka/docker/server.properties; docker/examples/README.md: "If any
 * user provided config is provided, default configs will not be used").
 * So a service with KAFKA_* settings runs with Kafka's built-in defaults
 * for every other key: log.dir=/tmp/kafka-logs, offsets.topic.replication.
 * factor=3.  A server.properties mounted at /mnt/shared/config replaces
 * the sample and is not read here: unknown.  Only the settings that bear
 * on durability are modelled. */
#define SAMPLE_BIT ((1u << CI_BITNAMI) | (1u << CI_WURSTMEISTER))
#define APACHE_BIT (1u << CI_APACHE)
static const struct {
    unsigned images; /* bits of enum compose_image */
    const char *key, *value;
} image_defaults[] = {
    {SAMPLE_BIT | APACHE_BIT, "offsets.topic.replication.factor", "1"},
    {SAMPLE_BIT | APACHE_BIT, "transaction.state.log.replication.factor", "1"},
    {SAMPLE_BIT | APACHE_BIT, "transaction.state.log.min.isr", "1"},
    {SAMPLE_BIT | APACHE_BIT, "num.partitions", "1"},
    {APACHE_BIT, "log.dirs", "/tmp/kraft-combined-logs"},
};

/* How the image builds the broker's configuration. */
enum image_conf {
    IC_IMAGE,   /* the image's own conventions and defaults apply */
    IC_ENV,     /* apache/kafka: the environment alone, Kafka's defaults */
    IC_MOUNTED, /* a configuration file mounted into the container: unknown */
    IC_ZK,      /* apache/kafka in ZooKeeper mode: it does not start */
};

/* Where the image keeps the log when the environment does not say: each
 * image's entrypoint decides, never Kafka's bare default (/tmp/kafka-logs,
 * which its sample server.properties would give), except apache/kafka
 * configured by its environment (above).
 *   confluentinc/cp-kafka, cp-server: /var/lib/kafka/data when
 *     KAFKA_LOG_DIRS is unset (confluentinc/kafka-images at v7.6.10 and
 *     v8.0.0, kafka/include/etc/confluent/docker/configure)
 *   bitnami/kafka: KAFKA_DATA_DIR=/bitnami/kafka/data (bitnami/containers,
 *     bitnami/kafka/3.7/debian-12/rootfs/opt/bitnami/scripts/kafka-env.sh),
 *     written to log.dirs before the KAFKA_CFG_* variables are applied
 *     (libkafka.sh, kafka_initialize: kafka_server_conf_set log.dirs
 *     "$KAFKA_DATA_DIR", then kafka_configure_from_environment_variables)
 *   wurstmeister/kafka: /kafka/kafka-logs-$HOSTNAME when KAFKA_LOG_DIRS is
 *     unset (wurstmeister/kafka-docker at 1.1.0, start-kafka.sh)
 *   apache/kafka: /tmp/kraft-combined-logs with no KAFKA_* setting
 *     (image_defaults above); Kafka's own default with some (IC_ENV: left
 *     unset, so the server.properties rules judge it)
 * Any other image (confluent-local, a private build): unknown. */
static void image_data_dir(struct model *m, struct broker *b, enum compose_image kind,
                           enum image_conf conf, const char *image, struct loc where)
{
    const char *dir = NULL, *note = NULL;
    if (conf == IC_ENV)
        return;
    if (conf == IC_MOUNTED)
        note = kind == CI_APACHE
                   ? "decided by the server.properties mounted at /mnt/shared/config, which "
                     "kafkaudit does not read: unknown"
                   : "decided by the server.properties mounted into the container, which "
                     "kafkaudit does not read: unknown";
    else if (conf == IC_ZK)
        note = "unknown: the apache/kafka image formats KRaft storage before it starts Kafka "
               "and stops on a ZooKeeper-mode configuration (docker/jvm/launch, "
               "kafka-storage format)";
    else
        switch (kind) {
        case CI_CONFLUENT:
            if (!strstr(image, "confluent-local")) {
                dir = "/var/lib/kafka/data";
                note = "set by the confluentinc/cp-kafka image when KAFKA_LOG_DIRS is unset";
            }
            break;
        case CI_BITNAMI:
            dir = "/bitnami/kafka/data";
            note = "set by the bitnami/kafka image (KAFKA_DATA_DIR) when KAFKA_CFG_LOG_DIRS is "
                   "unset";
            break;
        case CI_WURSTMEISTER:
            dir = "/kafka/kafka-logs-$HOSTNAME";
            note = "set by the wurstmeister/kafka image's start-kafka.sh when KAFKA_LOG_DIRS is "
                   "unset ($HOSTNAME: the container's host name)";
            break;
        case CI_APACHE: return; /* image_defaults */
        default: break;
        }
    if (!note)
        note = arena_printf(&m->arena,
                            "decided by the image %s, which kafkaudit does not know: unknown",
                            image && *image ? image : "(none given)");
    struct setting *s = object_set_key(m, &b->o, "log.dirs", dir, ORIG_DERIVED, where, where);
    s->note = note;
}

static void image_baseline(struct model *m, struct broker *b, enum compose_image kind,
                           enum image_conf conf, struct loc where, const char *image)
{
    image_data_dir(m, b, kind, conf, image ? image : "", where);
    if (conf == IC_ENV) {
        /* the environment is the whole server.properties: Kafka's own
         * defaults apply to every key it leaves unset */
        b->server_properties = true;
        b->server_properties_loc = where;
        return;
    }
    if (conf != IC_IMAGE)
        return;
    const char *note;
    switch (kind) {
    case CI_BITNAMI:
        note = "set by the bitnami/kafka image, which starts from Kafka's sample "
               "server.properties";
        break;
    case CI_WURSTMEISTER:
        note = "set by the wurstmeister/kafka image, which starts from Kafka's sample "
               "server.properties";
        break;
    case CI_APACHE:
        note = "the apache/kafka image's sample configuration, used when no KAFKA_* setting "
               "is given";
        break;
    default: return;
    }
    for (size_t i = 0; i < sizeof image_defaults / sizeof *image_defaults; i++) {
        if (!(image_defaults[i].images & (1u << kind)))
            continue;
        struct setting *s = object_set_key(m, &b->o, image_defaults[i].key, image_defaults[i].value,
                                           ORIG_DERIVED, where, where);
        s->note = note;
    }
}

/* The broker a service of this name already configured (compose merges
 * services by name across -f files, docker-compose.override.yml). */
static struct broker *service_broker(struct model *m, const char *sname)
{
    /* by hash, the brokers made since the last call added first: a scan
     * per service made 20,000 services quadratic */
    for (; m->nhosts_indexed < m->nbrokers; m->nhosts_indexed++) {
        struct broker *b = m->brokers[m->nhosts_indexed];
        if (b->host && b->port < 0 && !hmap_get(&m->broker_by_host, b->host))
            hmap_put(&m->broker_by_host, b->host, b);
    }
    return hmap_get(&m->broker_by_host, sname);
}

/* Variables that env files may give the services of one compose file in
 * all: one env_file named by every service is an alias by another name,
 * and 500 services sharing a 1 MB env file took 34 s and 1.3 GB.  Real
 * projects give a few dozen services a few hundred variables. */
#define MAX_ENV_FILE_VARS_TOTAL 200000u

/* Whether the service mounts a volume at path (short syntax
 * "src:target[:mode]" or long syntax target:). */
static bool mounts(const struct ynode *svc, const char *path)
{
    const struct ynode *vols = ymap_get(svc, "volumes");
    if (!vols || vols->kind != Y_SEQ)
        return false;
    size_t pl = strlen(path);
    for (uint32_t i = 0; i < vols->seq.n; i++) {
        const struct ynode *it = vols->seq.items[i];
        const char *t = NULL;
        size_t tl = 0;
        if (it->kind == Y_SCALAR) {
            const char *c = strchr(it->scalar.s, ':');
            if (!c)
                continue;
            t = c + 1;
            const char *e = strchr(t, ':');
            tl = e ? (size_t)(e - t) : strlen(t);
        } else if (it->kind == Y_MAP) {
            const struct ynode *tn = ymap_get(it, "target");
            if (!tn || tn->kind != Y_SCALAR)
                continue;
            t = tn->scalar.s;
            tl = strlen(t);
        } else
            continue;
        while (tl > 1 && t[tl - 1] == '/')
            tl--;
        if (tl == pl && strncmp(t, path, pl) == 0)
            return true;
    }
    return false;
}

/* Whether what the service's volumes put at dir outlives the container
 * (Compose file reference, services.volumes, short and long syntax:
 * https://docs.docker.com/reference/compose-file/services/#volumes):
 * DS_PERSISTENT when a named volume, a bind mount or an anonymous volume
 * (kept when Compose recreates the container) is mounted at dir or above
 * it; DS_EPHEMERAL when none is, so dir is in the container's writable
 * layer, which `docker compose down` and every recreation of the container
 * (a new image, a changed setting) delete (https://docs.docker.com/engine/
 * storage/: "the data doesn't persist when that container no longer
 * exists"), or when a tmpfs is mounted there; DS_UNKNOWN when a volume's
 * target is not plain text or the service takes volumes from elsewhere
 * (volumes_from, extends). */
static enum data_storage dir_storage(const struct ynode *svc, const char *dir, size_t dl)
{
    if (ymap_get(svc, "volumes_from") || ymap_get(svc, "extends"))
        return DS_UNKNOWN;
    const struct ynode *vols = ymap_get(svc, "volumes");
    if (vols && vols->kind != Y_SEQ)
        return DS_UNKNOWN;
    enum data_storage best = DS_EPHEMERAL;
    size_t bestl = 0; /* the deepest mount above dir decides */
    for (uint32_t i = 0; vols && i < vols->seq.n; i++) {
        const struct ynode *it = vols->seq.items[i];
        const char *t = NULL;
        size_t tl = 0;
        bool tmpfs = false;
        if (it->kind == Y_SCALAR) {
            const char *c = strchr(it->scalar.s, ':');
            t = c ? c + 1 : it->scalar.s; /* no colon: an anonymous volume */
            const char *e = strchr(t, ':');
            tl = e ? (size_t)(e - t) : strlen(t);
        } else if (it->kind == Y_MAP) {
            const struct ynode *tn = ymap_get(it, "target");
            if (!tn || tn->kind != Y_SCALAR)
                return DS_UNKNOWN;
            t = tn->scalar.s;
            tl = strlen(t);
            tmpfs = strcmp(ynode_str(ymap_get(it, "type")), "tmpfs") == 0;
        } else
            return DS_UNKNOWN;
        if (memchr(t, '$', tl))
            return DS_UNKNOWN;
        while (tl > 1 && t[tl - 1] == '/')
            tl--;
        bool above = (tl == 1 && t[0] == '/') ||
                     (tl <= dl && strncmp(t, dir, tl) == 0 && (tl == dl || dir[tl] == '/'));
        if (above && tl >= bestl) {
            bestl = tl;
            best = tmpfs ? DS_EPHEMERAL : DS_PERSISTENT;
        }
    }
    /* the service-level tmpfs: key mounts a tmpfs too */
    const struct ynode *tf = ymap_get(svc, "tmpfs");
    for (uint32_t i = 0; tf && (tf->kind == Y_SEQ ? i < tf->seq.n : i < 1); i++) {
        const struct ynode *it = tf->kind == Y_SEQ ? tf->seq.items[i] : tf;
        if (it->kind != Y_SCALAR)
            continue;
        const char *t = it->scalar.s;
        size_t tl = strcspn(t, ":");
        while (tl > 1 && t[tl - 1] == '/')
            tl--;
        if (tl > bestl && tl <= dl && strncmp(t, dir, tl) == 0 && (tl == dl || dir[tl] == '/'))
            return DS_EPHEMERAL;
    }
    return best;
}

/* What keeps the broker's data: the volumes of the service at each of its
 * log directories (log.dirs, else log.dir; Kafka's /tmp/kafka-logs for
 * apache/kafka configured by its environment).  An image whose data
 * directory is unknown says nothing.  Compose merges the volumes of a
 * service named in several files: a volume any of them mounts counts. */
static void service_storage(struct model *m, uint32_t file, const struct ynode *name,
                            const struct ynode *svc, struct broker *b)
{
    const struct setting *s = object_get(&b->o, "log.dirs");
    if (!s)
        s = object_get(&b->o, "log.dir");
    const char *dirs = s ? s->value : b->server_properties ? "/tmp/kafka-logs" : NULL;
    if (!dirs || (s && s->invalid) || b->storage == DS_PERSISTENT)
        return;
    enum data_storage all = DS_PERSISTENT;
    const char *lost = NULL;
    size_t lostl = 0;
    for (const char *p = dirs; *p;) {
        p += strspn(p, " \t,");
        size_t l = strcspn(p, ",");
        size_t e = l;
        while (e && (p[e - 1] == ' ' || p[e - 1] == '\t'))
            e--;
        if (e) {
            if (p[0] != '/')
                return; /* relative to a working directory kafkaudit does not know */
            enum data_storage d = dir_storage(svc, p, e);
            if (d == DS_EPHEMERAL && !lost) {
                lost = p;
                lostl = e;
            }
            if (d == DS_UNKNOWN)
                all = DS_UNKNOWN;
        }
        p += l;
    }
    if (lost) {
        b->storage = DS_EPHEMERAL;
        b->storage_loc = yloc(file, name);
        b->storage_note = arena_printf(
            &m->arena,
            "no volume of its service is mounted at %.*s: the data is in the container's "
            "writable layer, deleted by docker compose down and whenever the container is "
            "recreated",
            (int)lostl, lost);
    } else if (all == DS_PERSISTENT) {
        b->storage = DS_PERSISTENT;
        b->storage_loc = yloc(file, name);
        b->storage_note = "every log directory is on a volume of the service";
    }
}

/* A variable the apache/kafka image writes into server.properties: any
 * KAFKA_* but these (KafkaDockerWrapper.ExcludeServerPropsEnv at 3.7.1;
 * 3.7.0 misspelt KAFKA_HEAP_OPTS, so there it counted too). */
static bool apache_server_env(const char *name, const struct version *image)
{
    static const char *const excluded[] = {"KAFKA_VERSION",       "KAFKA_HEAP_OPTS",
                                           "KAFKA_LOG4J_OPTS",    "KAFKA_OPTS",
                                           "KAFKA_JMX_OPTS",      "KAFKA_JVM_PERFORMANCE_OPTS",
                                           "KAFKA_GC_LOG_OPTS",   "KAFKA_LOG4J_ROOT_LOGLEVEL",
                                           "KAFKA_LOG4J_LOGGERS", "KAFKA_TOOLS_LOG4J_LOGLEVEL",
                                           "KAFKA_JMX_HOSTNAME",  NULL};
    if (!str_starts(name, "KAFKA_") || !name[strlen("KAFKA_")])
        return false;
    bool v370 = image && image->set && image->major == 3 && image->minor == 7 && !image->patch;
    for (int i = 0; excluded[i]; i++)
        if (strcmp(name, excluded[i]) == 0)
            return v370 && i == 1;
    return true;
}

/* How the service's image builds its configuration (image_baseline). */
static enum image_conf image_conf_of(const struct ynode *svc, enum compose_image kind,
                                     const struct version *image, const struct envvar *env,
                                     uint32_t n)
{
    switch (kind) {
    case CI_APACHE:
        if (mounts(svc, "/mnt/shared/config") ||
            mounts(svc, "/mnt/shared/config/server.properties"))
            return IC_MOUNTED;
        for (uint32_t i = 0; i < n; i++)
            if (apache_server_env(env[i].name, image)) {
                const struct envvar *r = env_find(env, n, "KAFKA_PROCESS_ROLES");
                if (env_find(env, n, "KAFKA_ZOOKEEPER_CONNECT") && !r)
                    return IC_ZK;
                return IC_ENV;
            }
        return IC_IMAGE;
    case CI_BITNAMI:
        /* KAFKA_MOUNTED_CONF_DIR (kafka-env.sh) and the older conf dir */
        return mounts(svc, "/bitnami/kafka/config") ||
                       mounts(svc, "/bitnami/kafka/config/server.properties") ||
                       mounts(svc, "/opt/bitnami/kafka/conf/server.properties")
                   ? IC_MOUNTED
                   : IC_IMAGE;
    default: return IC_IMAGE;
    }
}

static struct broker *service_controller(struct model *m, const char *sname);

static int read_service(struct model *m, uint32_t file, const struct dotenv *dot,
                        const struct ynode *name, const struct ynode *svc, int idx,
                        uint32_t *budget)
{
    if (svc->kind != Y_MAP)
        return false;
    const struct ynode *img = ymap_get(svc, "image");
    struct version kv;
    const char *image = img ? interpolate(m, dot, ynode_str(img)) : NULL;
    enum compose_image kind = compose_image_kind(image, &kv);
    /* env files first, environment: last, so it wins over them */
    struct envvar *env = xcalloc(MAX_ENV_FILE_VARS + MAX_ENV, sizeof *env);
    struct envctx *c = xcalloc(1, sizeof *c);
    c->m = m;
    c->file = file;
    c->dot = dot;
    const struct ynode *ef = ymap_get(svc, "env_file");
    uint32_t n = 0;
    if (*budget) {
        uint32_t cap = *budget < MAX_ENV_FILE_VARS ? *budget : MAX_ENV_FILE_VARS;
        n = collect_env_files(c, ef, env, cap);
        *budget -= n;
        if (!*budget) /* said once: the env files of later services are not read */
            pend(c, yloc(file, ef),
                 "env files give the services of this file more than %u variables in all; "
                 "the rest, and the env files of the services below, are not read",
                 MAX_ENV_FILE_VARS_TOTAL);
    }
    n += collect_env(m, file, dot, ymap_get(svc, "environment"), env + n, MAX_ENV);
    int ok = read_broker(m, file, name, img, kind, image_conf_of(svc, kind, &kv, env, n), &kv, env,
                         n, idx);
    struct broker *b = ok == 3 ? service_controller(m, ynode_str(name))
                       : ok    ? service_broker(m, ynode_str(name))
                               : NULL;
    if (b) {
        b->runtime = NR_COMPOSE;
        const struct setting *ld = object_get(&b->o, "log.dirs");
        if (ok == 1 || (ok == 2 && ymap_get(svc, "volumes")))
            service_storage(m, file, name, svc, b);
        else if (ok == 2 && ld && ld->loc.file == file && b->storage == DS_EPHEMERAL) {
            /* an override file moved the log to a directory whose volume,
             * if any, is in another file's service: not known here */
            b->storage = DS_UNKNOWN;
            b->storage_note = NULL;
        }
    }
    if (ok)
        for (uint32_t i = 0; i < c->npend; i++)
            diag_add(&m->diags, DIAG_ERROR, DK_INPUT, c->pend[i].loc, "%s", c->pend[i].msg);
    free(c);
    free(env);
    return ok;
}

/* Its node id from the environment, or -1. */
static int64_t env_node_id(const struct envvar *env, uint32_t n);

/* The service's node id, or a distinct placeholder when it has none. */
static int32_t service_id(const struct envvar *env, uint32_t n, uint32_t file, int idx,
                          bool *have_id)
{
    int64_t id = env_node_id(env, n);
    *have_id = id >= 0;
    return *have_id ? (int32_t)id : (int32_t)(-(int64_t)file * 1000 - idx - 1);
}

static int64_t env_node_id(const struct envvar *env, uint32_t n)
{
    static const char *const idvars[] = {"KAFKA_BROKER_ID", "KAFKA_NODE_ID", "KAFKA_CFG_NODE_ID",
                                         "KAFKA_CFG_BROKER_ID", NULL};
    int64_t id;
    for (int i = 0; idvars[i]; i++) {
        const struct envvar *e = env_find(env, n, idvars[i]);
        if (e && e->value && str_to_i64(e->value, &id) == 0 && id >= 0 && id <= INT32_MAX)
            return id;
    }
    return -1;
}

/* The environment's Kafka settings onto o. */
static void env_settings(struct model *m, struct object *o, enum compose_image kind,
                         const struct envvar *env, uint32_t n)
{
    char key[256];
    /* bitnami: its legacy aliases after KAFKA_CFG_*, as they win */
    for (uint32_t k = 0; k < (kind == CI_BITNAMI ? 2u : 1u) * n; k++) {
        uint32_t i = k % n;
        const struct envvar *e = &env[i];
        if (kind == CI_BITNAMI && compose_bitnami_alias(e->name) != (k >= n))
            continue;
        if (compose_env_key(kind, e->name, key, sizeof key))
            continue; /* not a setting */
        /* e->value NULL: passed through from the shell that runs compose,
         * or a variable only it sets: set, but to a value unknown here
         * (no rule judges it, and it overrides an env file's) */
        struct setting *s = e->shared
                                ? object_set_key_owned(m, o, key, e->value, ORIG_FILE, e->kl, e->vl)
                                : object_set_key(m, o, key, e->value, ORIG_FILE, e->kl, e->vl);
        if (strcmp(s->key, e->name) != 0)
            s->written = model_intern(m, e->name);
        if (!e->value)
            s->note = "its value comes from the shell that runs docker compose: unknown here";
    }
}

/* A KRaft controller-only service: a controller of the model, with the
 * image's defaults (the apache/kafka image's log.dirs among them) and its
 * environment. */
/* The controller a service of this name already configured (an override
 * file's service of the same name). */
static struct broker *service_controller(struct model *m, const char *sname)
{
    for (uint32_t i = 0; i < m->ncontrollers; i++)
        if (m->controllers[i]->host && strcmp(m->controllers[i]->host, sname) == 0)
            return m->controllers[i];
    return NULL;
}

static void read_controller(struct model *m, uint32_t file, const struct ynode *name,
                            const struct ynode *img, enum compose_image kind, enum image_conf conf,
                            const struct envvar *env, uint32_t n, int idx)
{
    const char *sname = ynode_str(name);
    bool have_id;
    int32_t id = service_id(env, n, file, idx, &have_id);
    struct loc first = yloc(file, name);
    bool created = false;
    struct broker *ct = service_controller(m, sname);
    if (!ct) {
        ct = model_controller(m, (int32_t)id, first, &created);
        if (!created)
            diag_add(&m->diags, DIAG_WARNING, DK_INPUT, first,
                     "controller %d is configured by more than one service; settings are merged",
                     (int)id);
    }
    if (created) {
        ct->o.name = have_id ? arena_printf(&m->arena, "controller %d (service %s)", (int)id, sname)
                             : arena_printf(&m->arena, "controller (service %s)", sname);
        ct->host = arena_strdup(&m->arena, sname);
        image_baseline(m, ct, kind, conf, img ? yloc(file, img) : first,
                       img ? ynode_str(img) : NULL);
    }
    /* a service another compose file configured too: settings merge */
    env_settings(m, &ct->o, kind, env, n);
}

/* Returns 1 for a new broker, 0 for none, 2 for a service that overrides
 * a broker another compose file already configured, 3 for a controller. */
static int read_broker(struct model *m, uint32_t file, const struct ynode *name,
                       const struct ynode *img, enum compose_image kind, enum image_conf conf,
                       const struct version *kvp, const struct envvar *env, uint32_t n, int idx)
{
    struct version kv = *kvp;
    struct broker *prevc = service_controller(m, ynode_str(name));
    if (prevc) { /* an override file's settings for a controller service */
        env_settings(m, &prevc->o, kind, env, n);
        return 3;
    }
    struct broker *prev = service_broker(m, ynode_str(name));
    if (kind == CI_OTHER && !env_says_broker(env, n) && !prev)
        return false;

    /* KRaft controller-only nodes are not brokers, but controllers */
    const struct envvar *roles = env_find(env, n, "KAFKA_PROCESS_ROLES");
    if (kind == CI_BITNAMI && !roles) /* its legacy alias wins over KAFKA_CFG_ */
        roles = env_find(env, n, "KAFKA_CFG_PROCESS_ROLES");
    if (roles && roles->value && !strstr(roles->value, "broker")) {
        read_controller(m, file, name, img, kind, conf, env, n, idx);
        return 3;
    }

    const char *sname = ynode_str(name);
    bool have_id;
    int32_t id = service_id(env, n, file, idx, &have_id);
    struct loc first = yloc(file, name);
    bool created = false;
    struct broker *b = prev;
    if (!b) {
        b = model_broker(m, (int32_t)id, first, &created);
        if (!created)
            diag_add(&m->diags, DIAG_WARNING, DK_INPUT, first,
                     "broker %d is configured by more than one service; settings are merged",
                     (int)id);
        if (have_id)
            b->o.name = arena_printf(&m->arena, "broker %d (service %s)", (int)id, sname);
        else
            b->o.name = arena_printf(&m->arena, "broker (service %s)", sname);
        b->host = arena_strdup(&m->arena, sname);
        if (b->port < 0 && !hmap_get(&m->broker_by_host, b->host))
            hmap_put(&m->broker_by_host, b->host, b); /* an older broker named now */
        if (created)
            image_baseline(m, b, kind, conf, img ? yloc(file, img) : first,
                           img ? ynode_str(img) : NULL);
    }
    m->cluster.declared = true;
    if (kv.set && !m->cluster.kafka_version.set) {
        m->cluster.kafka_version = kv;
        m->cluster.version_loc = yloc(file, img);
    }

    if (kind == CI_WURSTMEISTER)
        for (uint32_t i = 0; i < n; i++)
            if (strcmp(env[i].name, "KAFKA_CREATE_TOPICS") == 0)
                create_topics(m, &env[i]);
    env_settings(m, &b->o, kind, env, n);
    const struct setting *rs = object_get(&b->o, "broker.rack");
    if (rs && rs->value && rs->value[0]) {
        b->rack = rs->value;
        b->rack_loc = rs->loc;
    }
    return prev ? 2 : 1;
}

void read_compose_doc(struct model *m, uint32_t file, const struct ynode *root)
{
    const struct ynode *services = ymap_get(root, "services");
    if (!services || services->kind != Y_MAP) {
        if (services && !ynode_is_null(services))
            input_error(m, file, services, "services must be a mapping of service names");
        return;
    }
    /* the project's .env, for interpolation */
    struct dotenv dot = {NULL, 0, NULL};
    struct envvar *dv = NULL;
    struct buf db;
    if (fetch_regular(env_file_path(m, file, ".env"), &db) == 0) {
        struct envctx c = {.m = m, .file = file};
        dv = xcalloc(MAX_ENV_FILE_VARS, sizeof *dv);
        dot.v = dv;
        dot.n = parse_env_text(&c, db.p ? db.p : "", db.len, 0, dv, MAX_ENV_FILE_VARS);
        buf_release(&db);
    }
    int32_t nb = 0, nmerged = 0, nctl = 0;
    uint32_t budget = MAX_ENV_FILE_VARS_TOTAL;
    for (uint32_t i = 0; i < services->map.n; i++) {
        int r = read_service(m, file, &dot, services->map.pairs[i].key, services->map.pairs[i].val,
                             (int)i, &budget);
        nb += r == 1;
        nmerged += r == 2;
        nctl += r == 3;
    }
    free(dv);
    if (!nb && (nmerged || nctl))
        return; /* an override file (the brokers were counted with their base
                   file), or only controllers */
    if (!nb) {
        struct loc l = yloc(file, ymap_get_pair(root, "services")->key);
        diag_add(&m->diags, DIAG_NOTE, DK_INPUT, l,
                 "no Kafka broker service in this compose file; nothing to audit");
        return;
    }
    if (nb > m->cluster.declared_brokers) {
        m->cluster.declared_brokers = nb;
        m->cluster.declared_brokers_loc = yloc(file, ymap_get_pair(root, "services")->key);
    }
}
