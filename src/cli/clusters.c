/*
 * clusters.c - named clusters (kafkaudit-clusters(5)): a YAML file that
 * names clusters with their bootstrap servers, librdkafka properties, a
 * Java client command-config file and their Kafka version, selected with
 * -C NAME (--cluster) or $KAFKAUDIT_CLUSTER.
 *
 *   clusters:
 *     prod:
 *       bootstrap: kafka-1:9092,kafka-2:9092     # or a list
 *       kafka_version: "3.7"
 *       command_config: admin.properties       # relative to this file
 *       properties:                            # as -X
 *         security.protocol: SASL_SSL
 *         sasl.password: {file: /run/secrets/kafka}   # or {env: VAR}
 *
 * The file: --clusters-file, else $KAFKAUDIT_CLUSTERS_FILE, else
 * ${XDG_CONFIG_HOME:-~/.config}/kafkaudit/clusters.yaml.  Errors name the
 * file and line and never quote a value: property values may be secrets.
 */
#include "cli/connect.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "report/render.h"
#include "syntax/yload.h"
#include "syntax/ynode.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char default_path[PATH_MAX];

/* The strings a cluster hands to the live options live as long as the
 * process: kept here (reachable, freed at exit). */
static char *owned[LIVE_MAX_CONF + 8];
static int nowned;

static void free_owned(void)
{
    while (nowned)
        free(owned[--nowned]);
}

static char *own(char *s)
{
    if (!s)
        return NULL;
    if (nowned == (int)(sizeof owned / sizeof *owned)) {
        free(s);
        return NULL;
    }
    if (!nowned)
        atexit(free_owned);
    owned[nowned++] = s;
    return s;
}

/* The clusters file: given, $KAFKAUDIT_CLUSTERS_FILE, the XDG default. */
static const char *clusters_file_path(const char *given)
{
    if (given && *given)
        return given;
    const char *env = getenv("KAFKAUDIT_CLUSTERS_FILE");
    if (env && *env)
        return env;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(default_path, sizeof default_path, "%s/kafkaudit/clusters.yaml", xdg);
    else if (home && *home)
        snprintf(default_path, sizeof default_path, "%s/.config/kafkaudit/clusters.yaml", home);
    else
        return NULL;
    return default_path;
}

struct cfile {
    const char *path;
    struct arena a;
    struct buf b;
    struct ystream ys;
    const struct ynode *clusters;     /* the 'clusters' mapping */
    const struct ynode *clusters_key; /* its key, where "no cluster" points */
    int errors;
    bool quiet;
};

static void cerr(struct cfile *f, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cerr(struct cfile *f, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    f->errors++;
    if (f->quiet)
        return;
    if (n && n->line)
        fprintf(stderr, "%s:%u: error: ", f->path, n->line);
    else
        fprintf(stderr, "%s: error: ", f->path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* A parse error as lint shows one: file:line:col, the line (what follows
 * a word that sounds secret left out) and a caret. */
static void report_yaml_error(const struct cfile *f, const struct yerror *ye)
{
    struct source_set ss;
    struct diag_list dl;
    source_set_init(&ss);
    diag_list_init(&dl);
    char *data = xmalloc(f->b.len + 1);
    memcpy(data, buf_str(&f->b), f->b.len + 1);
    uint32_t id = source_set_add(&ss, f->path, data, f->b.len);
    yload_report(&dl, DK_INPUT, id, ye);
    render_diags_text(stderr, &ss, &dl, want_color(COLOR_AUTO, stderr), NULL);
    diag_list_release(&dl);
    source_set_release(&ss);
}

/* 0; -1 when the file cannot be read or parsed (said on stderr);
 * ENOENT-like absence: -2 (nothing said). */
static int cfile_load(struct cfile *f, const char *path, bool quiet_if_missing, bool quiet)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    f->quiet = quiet;
    arena_init(&f->a);
    if (buf_read_file(&f->b, path, 1 << 20) != 0) {
        if (quiet_if_missing && errno == ENOENT)
            return -2;
        if (!quiet)
            fprintf(stderr, "%s: error: cannot read the clusters file: %s\n", path,
                    strerror(errno));
        return -1;
    }
    struct yerror ye;
    if (ydoc_parse(&f->a, buf_str(&f->b), f->b.len, &ylimits_default, &f->ys, &ye) < 0) {
        if (!quiet)
            report_yaml_error(f, &ye);
        return -1;
    }
    const struct ynode *root = f->ys.ndocs ? f->ys.docs[0].root : NULL;
    if (!root || root->kind != Y_MAP) {
        cerr(f, root,
             "a clusters file is a mapping with a 'clusters' mapping in it "
             "(see kafkaudit-clusters(5))");
        return -1;
    }
    for (uint32_t i = 0; i < root->map.n; i++) {
        const char *k = ynode_str(root->map.pairs[i].key);
        if (strcmp(k, "clusters") != 0) {
            static const char *const top[] = {"clusters", NULL};
            const char *s = nearest_in(k, top);
            cerr(f, root->map.pairs[i].key, "unknown field '%s'%s%s%s", k,
                 s ? " (did you mean '" : " (expected 'clusters')", s ? s : "", s ? "'?)" : "");
        }
    }
    f->clusters = ymap_get(root, "clusters");
    for (uint32_t i = 0; i < root->map.n; i++)
        if (root->map.pairs[i].val == f->clusters)
            f->clusters_key = root->map.pairs[i].key;
    if (!f->clusters || f->clusters->kind != Y_MAP) {
        cerr(f, f->clusters ? f->clusters : root,
             "'clusters' must map cluster names to their settings");
        return -1;
    }
    return f->errors ? -1 : 0;
}

static void cfile_release(struct cfile *f)
{
    buf_release(&f->b);
    arena_release(&f->a);
}

void clusters_list(const char *given)
{
    const char *path = clusters_file_path(given);
    struct cfile f;
    if (!path)
        return;
    /* for completions: quiet */
    if (cfile_load(&f, path, true, true) == 0)
        for (uint32_t i = 0; i < f.clusters->map.n; i++)
            puts(ynode_str(f.clusters->map.pairs[i].key));
    cfile_release(&f);
}

/* A property's value: a scalar, {file: PATH} (its content, without the
 * trailing newline) or {env: NAME}.  NULL after an error. */
static char *value_of(struct cfile *f, const char *key, const struct ynode *v)
{
    if (v && v->kind == Y_SCALAR)
        return xstrdup(ynode_str(v));
    if (!v || v->kind != Y_MAP || v->map.n != 1) {
        cerr(f, v, "property '%s': expected a value, {file: PATH} or {env: NAME}", key);
        return NULL;
    }
    const char *how = ynode_str(v->map.pairs[0].key);
    const struct ynode *arg = v->map.pairs[0].val;
    if (!arg || arg->kind != Y_SCALAR || ynode_is_null(arg)) {
        cerr(f, v, "property '%s': %s needs a %s", key, how,
             strcmp(how, "env") == 0 ? "variable name" : "file name");
        return NULL;
    }
    if (strcmp(how, "env") == 0) {
        const char *e = getenv(ynode_str(arg));
        if (!e) {
            cerr(f, arg, "property '%s': environment variable %s is not set", key, ynode_str(arg));
            return NULL;
        }
        return xstrdup(e);
    }
    if (strcmp(how, "file") == 0) {
        struct buf b = BUF_INIT;
        if (buf_read_file(&b, ynode_str(arg), 1 << 20) != 0) {
            cerr(f, arg, "property '%s': cannot read %s: %s", key, ynode_str(arg), strerror(errno));
            buf_release(&b);
            return NULL;
        }
        char *s = xstrdup(buf_str(&b));
        buf_release(&b);
        size_t n = strlen(s);
        while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
            s[--n] = '\0';
        return s;
    }
    static const char *const hows[] = {"file", "env", NULL};
    const char *s = nearest_in(how, hows);
    cerr(f, v, "property '%s': unknown source '%s'%s%s%s (file or env)", key, how,
         s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
    return NULL;
}

/* bootstrap: "a:1,b:2" or a list */
static char *bootstrap_of(struct cfile *f, const struct ynode *v)
{
    if (v->kind == Y_SCALAR && !ynode_is_null(v))
        return xstrdup(ynode_str(v));
    if (v->kind == Y_SEQ && v->seq.n) {
        struct buf b = BUF_INIT;
        for (uint32_t i = 0; i < v->seq.n; i++) {
            if (v->seq.items[i]->kind != Y_SCALAR) {
                cerr(f, v->seq.items[i], "bootstrap: expected HOST:PORT");
                buf_release(&b);
                return NULL;
            }
            buf_printf(&b, "%s%s", i ? "," : "", ynode_str(v->seq.items[i]));
        }
        char *s = xstrdup(buf_str(&b));
        buf_release(&b);
        return s;
    }
    cerr(f, v, "bootstrap: expected HOST:PORT[,HOST:PORT...] or a list of them");
    return NULL;
}

/* relative to the clusters file's directory */
static char *path_near(const char *file, const char *p)
{
    if (p[0] == '/' || !strchr(file, '/'))
        return xstrdup(p);
    struct buf b = BUF_INIT;
    buf_printf(&b, "%.*s/%s", (int)(strrchr(file, '/') - file), file, p);
    char *s = xstrdup(buf_str(&b));
    buf_release(&b);
    return s;
}

/* "no cluster NAME", with the nearest name and the file's clusters. */
static void report_no_cluster(const struct cfile *f, const char *path, const char *name,
                              bool from_env)
{
    struct nearest nr;
    nearest_init(&nr, name, NEAREST_AUTO);
    struct buf names = BUF_INIT;
    for (uint32_t i = 0; i < f->clusters->map.n; i++) {
        const char *k = ynode_str(f->clusters->map.pairs[i].key);
        nearest_offer(&nr, k);
        buf_printf(&names, "%s%s", i ? ", " : "", k);
    }
    if (f->clusters_key && f->clusters_key->line)
        fprintf(stderr, "%s:%u: error: no cluster '%s'%s", path, f->clusters_key->line, name,
                from_env ? " (KAFKAUDIT_CLUSTER)" : "");
    else
        fprintf(stderr, "%s: error: no cluster '%s'%s", path, name,
                from_env ? " (KAFKAUDIT_CLUSTER)" : "");
    if (nearest_best(&nr))
        fprintf(stderr, "; did you mean '%s'?", nearest_best(&nr));
    fprintf(stderr, " (clusters: %s)\n", names.len ? buf_str(&names) : "none");
    buf_release(&names);
}

/* A cluster's properties: NAME=VALUE strings appended to props (secrets
 * resolved; their copies cleared), within LIVE_MAX_CONF with lo's -X. */
static void read_cluster_properties(struct cfile *f, const struct ynode *v,
                                    const struct live_opts *lo, const char **props, int *nprops)
{
    for (uint32_t j = 0; j < v->map.n; j++) {
        const char *pk = ynode_str(v->map.pairs[j].key);
        char *pv = value_of(f, pk, v->map.pairs[j].val);
        if (!pv)
            continue;
        if (*nprops + lo->nconf >= LIVE_MAX_CONF) {
            cerr(f, v->map.pairs[j].key, "too many properties (at most %d with -X)", LIVE_MAX_CONF);
            free(pv);
            break;
        }
        struct buf kv = BUF_INIT;
        buf_printf(&kv, "%s=%s", pk, pv);
        props[(*nprops)++] = xstrdup(buf_str(&kv));
        /* the secret's copy: cleared before it is freed */
        memset(pv, 0, strlen(pv));
        buf_release(&kv);
        free(pv);
    }
}

int clusters_apply(struct cluster_choice *ch, struct live_opts *lo, const struct command *c)
{
    const char *name = ch->name;
    bool from_env = false;
    if (!name && ch->use_env) {
        const char *e = getenv("KAFKAUDIT_CLUSTER");
        /* an explicit -b points elsewhere: the environment's cluster (and its
         * credentials) does not apply to it */
        if (e && *e && !ch->bootstrap_given) {
            name = e;
            from_env = true;
        }
    }
    if (!name)
        return 0;
    const char *path = clusters_file_path(ch->file);
    if (!path) {
        fprintf(stderr,
                "kafkaudit: %s: cluster '%s': no clusters file (set HOME, "
                "XDG_CONFIG_HOME or --clusters-file)\n",
                c->name, name);
        return EXIT_INPUT;
    }
    struct cfile f;
    if (cfile_load(&f, path, false, false)) {
        cfile_release(&f);
        return EXIT_INPUT;
    }
    const struct ynode *cl = ymap_get(f.clusters, name);
    if (!cl) {
        report_no_cluster(&f, path, name, from_env);
        cfile_release(&f);
        return EXIT_INPUT;
    }
    if (cl->kind != Y_MAP) {
        cerr(&f, cl,
             "cluster '%s' must be a mapping (bootstrap, properties, command_config, "
             "kafka_version)",
             name);
        cfile_release(&f);
        return EXIT_INPUT;
    }
    static const char *const fields[] = {"bootstrap",     "properties",  "command_config",
                                         "kafka_version", "description", NULL};
    const char *props[LIVE_MAX_CONF];
    int nprops = 0;
    for (uint32_t i = 0; i < cl->map.n; i++) {
        const struct ynode *k = cl->map.pairs[i].key, *v = cl->map.pairs[i].val;
        const char *ks = ynode_str(k);
        if (strcmp(ks, "bootstrap") == 0) {
            char *b = v ? bootstrap_of(&f, v) : NULL;
            if (!v)
                cerr(&f, k, "bootstrap: expected HOST:PORT[,HOST:PORT...]");
            if (b && !ch->bootstrap_given)
                lo->bootstrap = own(b);
            else
                free(b);
        } else if (strcmp(ks, "kafka_version") == 0) {
            if (!v || v->kind != Y_SCALAR || version_parse(ynode_str(v), &ch->kafka))
                cerr(&f, v ? v : k, "kafka_version must be a version such as \"3.7\"");
        } else if (strcmp(ks, "command_config") == 0) {
            if (!v || v->kind != Y_SCALAR || ynode_is_null(v))
                cerr(&f, v ? v : k, "command_config must name a Java client .properties file");
            else if (!ch->command_config_given)
                lo->command_config = own(path_near(path, ynode_str(v)));
        } else if (strcmp(ks, "properties") == 0) {
            if (!v || v->kind != Y_MAP) {
                cerr(&f, v ? v : k, "properties must map librdkafka properties to values");
                continue;
            }
            read_cluster_properties(&f, v, lo, props, &nprops);
        } else if (strcmp(ks, "description") != 0) {
            const char *s = nearest_in(ks, fields);
            cerr(&f, k, "unknown field '%s' in cluster '%s'%s%s%s", ks, name,
                 s ? "; did you mean '"
                   : " (bootstrap, properties, command_config, "
                     "kafka_version)",
                 s ? s : "", s ? "'?" : "");
        }
    }
    int errors = f.errors;
    cfile_release(&f);
    if (errors) {
        for (int i = 0; i < nprops; i++)
            free((char *)props[i]);
        return EXIT_INPUT;
    }
    /* the file's properties first: -X given on the command line wins */
    for (int i = 0; i < nprops; i++)
        own((char *)props[i]);
    if (nprops) {
        memmove(lo->conf + nprops, lo->conf, (size_t)lo->nconf * sizeof *lo->conf);
        memcpy(lo->conf, props, (size_t)nprops * sizeof *props);
        lo->nconf += nprops;
    }
    ch->applied = name;
    return 0;
}
