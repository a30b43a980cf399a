/*
 * live_conf.c - librdkafka configuration from the command line: bootstrap
 * servers, -X key=value (passed through, as kcat does) and a Java client
 * .properties file (--command-config, as Kafka's own tools take it),
 * mapped to librdkafka names.
 *
 * Precedence, lowest first: kafkaudit's defaults, --command-config, -X,
 * -b.  Bootstrap servers: -b, else -X bootstrap.servers, else the
 * file's bootstrap.servers, else $KAFKA_BOOTSTRAP_SERVERS.
 *
 * Secrets: no message here ever contains the value of a password, key or
 * JAAS setting.
 */
#include "syntax/props.h"
#include "live/live_internal.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static bool secret_key(const char *k)
{
    return strstr(k, "password") || strstr(k, "secret") || strstr(k, "jaas") || strstr(k, ".pem") ||
           strstr(k, "token") || strstr(k, "ssl.key") || strstr(k, "sasl.username") ||
           strstr(k, "credentials");
}

/* Whether the command config or -X set sasl.mechanisms (or its alias
 * sasl.mechanism) during this thread's live_build_conf: librdkafka's value
 * cannot tell a default GSSAPI from a chosen one. */
static _Thread_local bool mechanism_given;

static int set(rd_kafka_conf_t *conf, const char *k, const char *v, const char *from,
               struct diag_list *dl)
{
    char err[512];
    if (rd_kafka_conf_set(conf, k, v, err, sizeof err) == RD_KAFKA_CONF_OK) {
        if (strcmp(k, "sasl.mechanisms") == 0 || strcmp(k, "sasl.mechanism") == 0)
            mechanism_given = true;
        return 0;
    }
    if (secret_key(k))
        diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE, "%s: librdkafka rejects the value of '%s'",
                 from, k);
    else
        diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE, "%s: %s", from, err);
    return -1;
}

/* ---- --command-config ------------------------------------------------------ */

struct cc {
    rd_kafka_conf_t *conf;
    struct diag_list *dl;
    const char *path;
    char from[300];
    const char *bootstrap;
    int errors;
};

static const char *lower(struct arena *a, const char *s)
{
    char *d = arena_strdup(a, s);
    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

/* First bytes of a file, to tell PEM, PKCS#12 (DER) and JKS apart. */
enum store_kind { SK_UNREADABLE, SK_PEM, SK_PKCS12, SK_JKS, SK_OTHER };

static enum store_kind sniff(const char *path, int *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return SK_UNREADABLE;
    }
    unsigned char b[64];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if (n >= 4 && b[0] == 0xfe && b[1] == 0xed && b[2] == 0xfe && b[3] == 0xed)
        return SK_JKS;
    if (n >= 4 && b[0] == 0xce && b[1] == 0xce && b[2] == 0xce && b[3] == 0xce)
        return SK_JKS; /* JCEKS */
    size_t i = 0;
    while (i < n && isspace(b[i]))
        i++;
    if (n - i >= 10 && memcmp(b + i, "-----BEGIN", 10) == 0)
        return SK_PEM;
    if (n >= 2 && b[0] == 0x30 && (b[1] & 0x80))
        return SK_PKCS12;
    return SK_OTHER;
}

static void cc_error(struct cc *c, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cc_error(struct cc *c, const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct diag *d = diag_addv(c->dl, DIAG_ERROR, DK_INPUT, LOC_NONE, fmt, ap);
    va_end(ap);
    if (hint)
        diag_hint(d, "%s", hint);
    c->errors++;
}

static void cc_set(struct cc *c, const char *k, const char *v)
{
    if (set(c->conf, k, v, c->from, c->dl))
        c->errors++;
}

static const char *prop(const struct props *p, const char *k)
{
    const char *v = NULL;
    for (uint32_t i = 0; i < p->n; i++) /* last assignment wins */
        if (strcmp(p->v[i].key, k) == 0)
            v = p->v[i].value;
    return v;
}

/* "--command-config PATH:LINE", LINE that of k's last assignment */
static const char *prop_at(const struct cc *c, const struct props *p, const char *k, char *out,
                           size_t n)
{
    uint32_t line = 0;
    for (uint32_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].key, k) == 0)
            line = p->v[i].line;
    if (line)
        snprintf(out, n, "--command-config %s:%u", c->path, line);
    else
        snprintf(out, n, "%s", c->from);
    return out;
}

/* sasl.jaas.config: "<LoginModule class> <flag> key="value" key=value ...;" */
static void jaas(struct cc *c, struct arena *a, const char *s)
{
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    const char *cls = p;
    while (*p && !isspace((unsigned char)*p))
        p++;
    const char *module = arena_strndup(a, cls, (size_t)(p - cls));
    while (isspace((unsigned char)*p))
        p++;
    while (*p && !isspace((unsigned char)*p) && *p != ';') /* required|requisite|... */
        p++;
    const char *user = NULL, *pass = NULL, *keytab = NULL, *principal = NULL;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == ';')
            break;
        const char *k = p;
        while (*p && *p != '=' && !isspace((unsigned char)*p))
            p++;
        const char *key = arena_strndup(a, k, (size_t)(p - k));
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '=') {
            cc_error(c, NULL, "%s: sasl.jaas.config: expected key=value after '%s'", c->from, key);
            return;
        }
        p++;
        while (isspace((unsigned char)*p))
            p++;
        struct buf v = BUF_INIT;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                buf_putc(&v, *p++);
            }
            if (*p != '"') {
                buf_release(&v);
                cc_error(c, NULL, "%s: sasl.jaas.config: unterminated quoted value of '%s'",
                         c->from, key);
                return;
            }
            p++;
        } else {
            while (*p && !isspace((unsigned char)*p) && *p != ';')
                buf_putc(&v, *p++);
        }
        const char *val = arena_strdup(a, buf_str(&v));
        buf_release(&v);
        if (strcmp(key, "username") == 0)
            user = val;
        else if (strcmp(key, "password") == 0)
            pass = val;
        else if (strcmp(key, "keyTab") == 0)
            keytab = val;
        else if (strcmp(key, "principal") == 0)
            principal = val;
    }
    if (strstr(module, "PlainLoginModule") || strstr(module, "ScramLoginModule")) {
        if (!user || !pass) {
            cc_error(c, NULL, "%s: sasl.jaas.config: %s needs username and password", c->from,
                     module);
            return;
        }
        cc_set(c, "sasl.username", user);
        cc_set(c, "sasl.password", pass);
    } else if (strstr(module, "Krb5LoginModule")) {
        /* librdkafka logs in to Kerberos by running kinit itself, with its
         * own settings: refused (as documented), never half-translated */
        (void)keytab;
        (void)principal;
        cc_error(c,
                 "pass librdkafka's Kerberos settings with -X instead: -X "
                 "sasl.mechanisms=GSSAPI -X sasl.kerberos.principal=... -X "
                 "sasl.kerberos.keytab=... (librdkafka runs kinit, which must be installed)",
                 "%s: sasl.jaas.config: Kerberos logins (Krb5LoginModule) are not translated",
                 c->from);
    } else {
        cc_error(c,
                 "pass the equivalent librdkafka settings with -X (see librdkafka's "
                 "CONFIGURATION.md, sasl.* properties)",
                 "%s: sasl.jaas.config: login module '%s' cannot be mapped to librdkafka", c->from,
                 module);
    }
}

static void truststore(struct cc *c, const struct props *p)
{
    const char *loc = prop(p, "ssl.truststore.location");
    const char *pem = prop(p, "ssl.truststore.certificates");
    if (pem)
        cc_set(c, "ssl.ca.pem", pem);
    if (!loc || !*loc)
        return;
    const char *type = prop(p, "ssl.truststore.type");
    char at[PATH_MAX + 40];
    prop_at(c, p, "ssl.truststore.location", at, sizeof at);
    int err = 0;
    enum store_kind k = sniff(loc, &err);
    if (k == SK_UNREADABLE) {
        cc_error(c, NULL, "%s: cannot read ssl.truststore.location %s: %s", at, loc, strerror(err));
        return;
    }
    if (k == SK_PEM && (!type || str_ieq(type, "PEM"))) {
        cc_set(c, "ssl.ca.location", loc);
        return;
    }
    if (k == SK_JKS || (!type && k != SK_PEM) || (type && str_ieq(type, "JKS"))) {
        struct buf h = BUF_INIT;
        buf_printf(&h,
                   "convert it to PEM, e.g. 'keytool -exportcert -rfc -alias CA -keystore %s "
                   "-file ca.pem', then set ssl.truststore.type=PEM and "
                   "ssl.truststore.location=ca.pem (or pass -X ssl.ca.location=ca.pem)",
                   loc);
        cc_error(c, buf_str(&h),
                 "%s: ssl.truststore.location %s is a Java KeyStore (JKS), which librdkafka "
                 "cannot read",
                 at, loc);
        buf_release(&h);
        return;
    }
    if (type && str_ieq(type, "PKCS12")) {
        struct buf h = BUF_INIT;
        buf_printf(&h,
                   "extract the CA certificates: 'openssl pkcs12 -in %s -nokeys -out ca.pem', "
                   "then pass -X ssl.ca.location=ca.pem",
                   loc);
        cc_error(c, buf_str(&h),
                 "%s: ssl.truststore.location %s is a PKCS#12 truststore; librdkafka reads CA "
                 "certificates only as PEM",
                 at, loc);
        buf_release(&h);
        return;
    }
    cc_error(c, NULL, "%s: ssl.truststore.location %s is not a PEM file (ssl.truststore.type=%s)",
             at, loc, type ? type : "JKS");
}

static void keystore(struct cc *c, const struct props *p)
{
    const char *chain = prop(p, "ssl.keystore.certificate.chain");
    const char *key = prop(p, "ssl.keystore.key");
    if (chain)
        cc_set(c, "ssl.certificate.pem", chain);
    if (key)
        cc_set(c, "ssl.key.pem", key);
    const char *loc = prop(p, "ssl.keystore.location");
    if (!loc || !*loc)
        return;
    const char *type = prop(p, "ssl.keystore.type");
    const char *pass = prop(p, "ssl.keystore.password");
    char at[PATH_MAX + 40];
    prop_at(c, p, "ssl.keystore.location", at, sizeof at);
    int err = 0;
    enum store_kind k = sniff(loc, &err);
    if (k == SK_UNREADABLE) {
        cc_error(c, NULL, "%s: cannot read ssl.keystore.location %s: %s", at, loc, strerror(err));
        return;
    }
    if (k == SK_JKS || (type && str_ieq(type, "JKS")) || (!type && k == SK_OTHER)) {
        struct buf h = BUF_INIT;
        buf_printf(&h,
                   "convert it to PKCS#12: 'keytool -importkeystore -srckeystore %s "
                   "-destkeystore keystore.p12 -deststoretype PKCS12', then set "
                   "ssl.keystore.type=PKCS12 and ssl.keystore.location=keystore.p12",
                   loc);
        cc_error(c, buf_str(&h),
                 "%s: ssl.keystore.location %s is a Java KeyStore (JKS), which librdkafka "
                 "cannot read",
                 at, loc);
        buf_release(&h);
        return;
    }
    if (k == SK_PEM || (type && str_ieq(type, "PEM"))) {
        cc_set(c, "ssl.certificate.location", loc);
        cc_set(c, "ssl.key.location", loc);
        return;
    }
    cc_set(c, "ssl.keystore.location", loc);
    if (pass)
        cc_set(c, "ssl.keystore.password", pass);
}

/* Keys whose value passes through unchanged. */
static const char *const same_name[] = {
    "client.id",         "sasl.kerberos.service.name",         "ssl.key.password",
    "ssl.cipher.suites", "socket.connection.setup.timeout.ms", NULL,
};
/* Java client keys that have no librdkafka meaning for a read-only audit. */
static const char *const ignored[] = {
    "ssl.truststore.type",
    "ssl.truststore.password",
    "ssl.keystore.type",
    "ssl.keystore.password",
    "ssl.protocol",
    "ssl.enabled.protocols",
    "ssl.keymanager.algorithm",
    "ssl.trustmanager.algorithm",
    "request.timeout.ms",
    "default.api.timeout.ms",
    "retries",
    "retry.backoff.ms",
    "sasl.login.class",
    "sasl.client.callback.handler.class",
    "sasl.login.callback.handler.class",
    "ssl.engine.factory.class",
    "ssl.secure.random.implementation",
    "ssl.provider",
    "group.id",
    NULL,
};

static bool in(const char *const *list, const char *k)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], k) == 0)
            return true;
    return false;
}

static int command_config(const char *path, rd_kafka_conf_t *conf, struct diag_list *dl,
                          struct arena *a, const char **bootstrap)
{
    struct buf b = BUF_INIT;
    if (buf_read_file(&b, path, 1 << 20) != 0) {
        diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE, "--command-config %s: cannot read it: %s",
                 path, strerror(errno));
        buf_release(&b);
        return -1;
    }
    struct props p;
    props_parse(a, buf_str(&b), b.len, &p);
    buf_release(&b);
    struct cc c = {.conf = conf, .dl = dl, .path = path};
    snprintf(c.from, sizeof c.from, "--command-config %s", path);
    for (uint32_t i = 0; i < p.n; i++) {
        const char *k = p.v[i].key, *v = p.v[i].value;
        if (strcmp(k, "bootstrap.servers") == 0)
            *bootstrap = v;
        else if (strcmp(k, "security.protocol") == 0)
            cc_set(&c, "security.protocol", lower(a, v));
        else if (strcmp(k, "sasl.mechanism") == 0)
            cc_set(&c, "sasl.mechanisms", v);
        else if (strcmp(k, "sasl.jaas.config") == 0)
            jaas(&c, a, v);
        else if (strcmp(k, "ssl.endpoint.identification.algorithm") == 0)
            cc_set(&c, k, *v ? lower(a, v) : "none");
        else if (in(same_name, k))
            cc_set(&c, k, v);
        else if (strcmp(k, "ssl.truststore.location") == 0 ||
                 strcmp(k, "ssl.truststore.certificates") == 0 ||
                 strcmp(k, "ssl.keystore.location") == 0 ||
                 strcmp(k, "ssl.keystore.certificate.chain") == 0 ||
                 strcmp(k, "ssl.keystore.key") == 0 || in(ignored, k))
            ; /* handled below, or meaningless here */
        else
            diag_add(dl, DIAG_NOTE, DK_CLUSTER, LOC_NONE,
                     "%s: '%s' has no librdkafka equivalent here and is ignored (use -X to "
                     "set librdkafka properties)",
                     c.from, k);
    }
    truststore(&c, &p);
    keystore(&c, &p);
    props_release(&p);
    return c.errors ? -1 : 0;
}

/* Is the first word of cmd a program found on $PATH (or an executable
 * path)? */
static bool program_found(const char *cmd)
{
    char prog[256];
    size_t n = strcspn(cmd, " \t;|&");
    if (!n || n >= sizeof prog)
        return n != 0; /* unusual: let librdkafka run it */
    memcpy(prog, cmd, n);
    prog[n] = '\0';
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t l = strcspn(path, ":");
        char full[PATH_MAX];
        if (snprintf(full, sizeof full, "%.*s/%s", (int)l, l ? path : ".", prog) <
                (int)sizeof full &&
            access(full, X_OK) == 0)
            return true;
        path += l;
        if (*path == ':')
            path++;
    }
    return false;
}

/* SASL GSSAPI: librdkafka logs in by running sasl.kerberos.kinit.cmd
 * through the shell; without kinit the shell's "kinit: not found" would
 * reach the terminal and the login would fail later with a vague error.
 * Say it first, as a configuration error. */
static int kinit_missing(rd_kafka_conf_t *conf, struct diag_list *dl)
{
    char proto[64], mech[64], relogin[32], cmd[1024];
    size_t n = sizeof proto;
    /* sasl.mechanisms defaults to GSSAPI: it matters with SASL only */
    if (rd_kafka_conf_get(conf, "security.protocol", proto, &n) != RD_KAFKA_CONF_OK ||
        strncasecmp(proto, "sasl", 4) != 0)
        return 0;
    n = sizeof mech;
    if (rd_kafka_conf_get(conf, "sasl.mechanisms", mech, &n) != RD_KAFKA_CONF_OK ||
        !str_ieq(mech, "GSSAPI"))
        return 0;
    n = sizeof relogin;
    if (rd_kafka_conf_get(conf, "sasl.kerberos.min.time.before.relogin", relogin, &n) ==
            RD_KAFKA_CONF_OK &&
        strcmp(relogin, "0") == 0)
        return 0; /* no kinit: the ticket cache is used as it is */
    n = sizeof cmd;
    if (rd_kafka_conf_get(conf, "sasl.kerberos.kinit.cmd", cmd, &n) != RD_KAFKA_CONF_OK)
        return 0;
    while (*cmd && isspace((unsigned char)cmd[0]))
        memmove(cmd, cmd + 1, strlen(cmd));
    if (program_found(cmd))
        return 0;
    if (!mechanism_given) {
        /* SASL asked for, the mechanism not: most listeners want PLAIN or
         * SCRAM, and "kinit is missing" would send the user the wrong way */
        struct diag *d = diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE,
                                  "SASL without sasl.mechanisms: librdkafka then uses GSSAPI "
                                  "(Kerberos), which logs in by running '%.*s' "
                                  "(sasl.kerberos.kinit.cmd), not installed here",
                                  (int)strcspn(cmd, " \t;|&"), cmd);
        diag_hint(d, "set the mechanism of the broker's listener, e.g. -X sasl.mechanisms=PLAIN "
                     "(or SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER; GSSAPI needs the Kerberos "
                     "client tools, Debian: krb5-user)");
        return -1;
    }
    struct diag *d = diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE,
                              "SASL GSSAPI (Kerberos): librdkafka logs in by running '%.*s' "
                              "(sasl.kerberos.kinit.cmd), which is not installed here",
                              (int)strcspn(cmd, " \t;|&"), cmd);
    diag_hint(d, "install the Kerberos client tools (Debian: krb5-user), or get a ticket "
                 "yourself and pass -X sasl.kerberos.min.time.before.relogin=0 to use the "
                 "ticket cache");
    return -1;
}

/* ---- the whole configuration -------------------------------------------------- */

int live_build_conf(const struct live_opts *o, rd_kafka_conf_t *conf, char **target,
                    bool *user_debug, struct diag_list *dl)
{
    int bad = 0;
    struct arena a;
    arena_init(&a);
    *target = NULL;
    *user_debug = false;
    mechanism_given = false;
    static const char *const defaults[][2] = {
        {"client.id", "kafkaudit"},
        /* log end = high watermark, as kafka-consumer-groups.sh reports it */
        {"isolation.level", "read_uncommitted"},
        {"enable.auto.commit", "false"},
        {"allow.auto.create.topics", "false"},
        {"log.connection.close", "false"},
    };
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        bad |= set(conf, defaults[i][0], defaults[i][1], "defaults", dl);

    const char *bootstrap = NULL, *file_bootstrap = NULL, *x_bootstrap = NULL;
    if (o->command_config && command_config(o->command_config, conf, dl, &a, &file_bootstrap))
        bad = -1;
    for (int i = 0; i < o->nconf; i++) {
        const char *kv = o->conf[i];
        const char *eq = strchr(kv, '=');
        if (!eq || eq == kv) {
            diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE,
                     "-X expects key=value, such as -X security.protocol=SSL (got '%.40s')",
                     eq ? "" : kv);
            bad = -1;
            continue;
        }
        char *k = arena_strndup(&a, kv, (size_t)(eq - kv));
        if (strcmp(k, "bootstrap.servers") == 0 || strcmp(k, "metadata.broker.list") == 0) {
            x_bootstrap = eq + 1;
            continue;
        }
        if (strcmp(k, "debug") == 0)
            *user_debug = eq[1] != '\0';
        if (set(conf, k, eq + 1, "-X", dl))
            bad = -1;
    }
    bootstrap = o->bootstrap && *o->bootstrap ? o->bootstrap
                : x_bootstrap                 ? x_bootstrap
                : file_bootstrap              ? file_bootstrap
                                              : getenv("KAFKA_BOOTSTRAP_SERVERS");
    if (!bootstrap || !*bootstrap) {
        struct diag *d = diag_add(dl, DIAG_ERROR, DK_INPUT, LOC_NONE,
                                  "no bootstrap servers: nothing to connect to");
        diag_hint(d, "give -b HOST:PORT[,HOST:PORT...] or set KAFKA_BOOTSTRAP_SERVERS");
        bad = -1;
    } else {
        bad |= set(conf, "bootstrap.servers", bootstrap, "-b", dl);
        *target = xstrdup(bootstrap);
    }

    if (!bad && kinit_missing(conf, dl))
        bad = -1;
    /* A consumer group handle, never used to join, commit or consume: it
     * exists only because librdkafka 2.0.2 dereferences it when an
     * OffsetFetch answer says NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE
     * (rd_kafka_handle_OffsetFetch, src/rdkafka_request.c at v2.0.2, asks
     * rk->rk_cgrp to look its coordinator up again - a NULL pointer on a
     * consumer without group.id; the admin API's ListConsumerGroupOffsets
     * goes through the same handler).  With it, that lookup is a harmless
     * FindCoordinator for this id, and the admin result carries the error,
     * which live_groups.c retries.  A -X or --command-config group.id is
     * kept (it is never joined either). */
    char gid[256];
    size_t gn = sizeof gid;
    if (rd_kafka_conf_get(conf, "group.id", gid, &gn) != RD_KAFKA_CONF_OK || !gid[0])
        bad |= set(conf, "group.id", "kafkaudit-never-joined", "defaults", dl);

    /* Count requests from the protocol log: add "protocol" to whatever
     * debug contexts the user asked for. */
    char dbg[512];
    size_t n = sizeof dbg;
    if (rd_kafka_conf_get(conf, "debug", dbg, &n) != RD_KAFKA_CONF_OK)
        dbg[0] = '\0';
    if (!strstr(dbg, "protocol") && !strstr(dbg, "all")) {
        struct buf d = BUF_INIT;
        buf_printf(&d, "%s%sprotocol", dbg, dbg[0] ? "," : "");
        bad |= set(conf, "debug", buf_str(&d), "defaults", dl);
        buf_release(&d);
    }
    arena_release(&a);
    return bad ? -1 : 0;
}
