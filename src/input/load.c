/*
 * load.c - find input files, read them, detect each document's dialect
 * and hand it to its reader.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "input/detect.h"
#include "input/input.h"
#include "manifest/manifest.h"
#include "syntax/props.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "syntax/yload.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const dialect_names[] = {"auto",    "manifest", "properties",
                                            "strimzi", "spring",   "compose"};

_Static_assert(sizeof dialect_names / sizeof *dialect_names == DL__COUNT,
               "a name in dialect_names[] for every enum dialect");

const char *dialect_name(enum dialect d) { return d < DL__COUNT ? dialect_names[d] : "?"; }

int dialect_parse(const char *s, enum dialect *out)
{
    for (int i = 0; i < DL__COUNT; i++)
        if (strcmp(s, dialect_names[i]) == 0) {
            *out = (enum dialect)i;
            return 0;
        }
    return -1;
}

static const char *basename_of(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Spring Boot's own file names (application.yml, application-prod.yaml,
 * application.properties, bootstrap.yml): never manifests. */
static bool is_spring_name(const char *path)
{
    const char *b = basename_of(path);
    return str_starts(b, "application") || str_starts(b, "bootstrap");
}

/* Kafka settings of a Spring Boot document: spring.kafka (nested or
 * dotted), or in an application file kafkaudit's own keys (elsewhere a
 * kafkaudit key makes a manifest). */
static bool has_spring_kafka(const struct ynode *root, bool spring_name)
{
    for (uint32_t i = 0; i < root->map.n; i++) {
        const char *k = ynode_str(root->map.pairs[i].key);
        if (str_starts(k, "spring.kafka") ||
            (spring_name && (strcmp(k, "kafkaudit") == 0 || str_starts(k, "kafkaudit."))))
            return true;
        if (strcmp(k, "spring") == 0) {
            const struct ynode *v = root->map.pairs[i].val;
            if (ymap_get(v, "kafka"))
                return true;
            for (uint32_t j = 0; v && v->kind == Y_MAP && j < v->map.n; j++)
                if (str_starts(ynode_str(v->map.pairs[j].key), "kafka."))
                    return true;
        }
    }
    return false;
}

/*
 * The YAML dialects, tried in order on each document.  Content decides:
 * an apiVersion names Kubernetes resources, spring.kafka a Spring Boot
 * file, a compose file has services; a file name only breaks ties (a
 * Spring Boot application file is never a manifest).  detect returns why
 * the document is of the dialect, or NULL.
 */
struct yaml_dialect {
    enum dialect d;
    const char *(*detect)(const struct ynode *root, const char *path);
    void (*read)(struct model *m, uint32_t file, const struct ynode *root);
};

static const char *detect_strimzi(const struct ynode *root, const char *path)
{
    (void)path;
    return str_starts(ynode_str(ymap_get(root, "apiVersion")), "kafka.strimzi.io/")
               ? "apiVersion kafka.strimzi.io"
               : NULL;
}

static const char *detect_spring(const struct ynode *root, const char *path)
{
    if (ymap_get(root, "apiVersion"))
        return NULL;
    if (has_spring_kafka(root, is_spring_name(path)))
        return "spring.kafka settings";
    return NULL;
}

/* Edit distance of at most 2 (a misspelt manifest key). */
static bool near(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 32 || lb > 32 || (la > lb ? la - lb : lb - la) > 2)
        return false;
    unsigned d[33][33];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            unsigned c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb] <= 2;
}

static const char *detect_manifest(const struct ynode *root, const char *path)
{
    if (is_spring_name(path) || ymap_get(root, "apiVersion") || ymap_get(root, "spring"))
        return NULL;
    if (ymap_get(root, "kafkaudit"))
        return "a kafkaudit key";
    static const char *const keys[] = {"cluster",   "topics", "producers",
                                       "consumers", "groups", NULL};
    /* every top-level key is a manifest's (or a misspelling of one): a
     * Helm chart's values.yaml with a topics: map beside clusterName: and
     * image: is not a manifest */
    for (uint32_t i = 0; i < root->map.n; i++) {
        const char *k = ynode_str(root->map.pairs[i].key);
        bool ok = false;
        for (int j = 0; keys[j] && !ok; j++)
            ok = near(k, keys[j]);
        if (!ok)
            return NULL;
    }
    for (int i = 0; keys[i]; i++) {
        const struct ynode *v = ymap_get(root, keys[i]);
        if (v && (v->kind == Y_MAP || ynode_is_null(v)))
            return "the top level of a kafkaudit manifest (cluster, topics, producers, "
                   "consumers)";
    }
    /* a manifest gone wrong (topics as a list...) is still reported as
     * one when nothing else claims it */
    if (ymap_get(root, "cluster") || ymap_get(root, "topics") || ymap_get(root, "producers") ||
        ymap_get(root, "consumers"))
        return "kafkaudit manifest keys";
    return NULL;
}

static const char *detect_compose(const struct ynode *root, const char *path)
{
    (void)path;
    const struct ynode *s = ymap_get(root, "services");
    if (!s || ymap_get(root, "apiVersion") || ymap_get(root, "spring"))
        return NULL;
    return s->kind == Y_MAP ? "a compose file's services" : NULL;
}

static const struct yaml_dialect yaml_dialects[] = {
    {DL_STRIMZI, detect_strimzi, read_strimzi_doc},
    {DL_SPRING, detect_spring, read_spring_doc},
    {DL_MANIFEST, detect_manifest, read_manifest_doc},
    {DL_COMPOSE, detect_compose, read_compose_doc},
};
#define NYAML_DIALECTS (sizeof yaml_dialects / sizeof *yaml_dialects)

/* Does a document forced with --as hold anything of that dialect?  A
 * file forced into a dialect it has nothing of is an input error, never
 * "no findings" (the reader would find nothing to audit). */
static bool strimzi_kind(const struct ynode *res)
{
    const char *k = ynode_str(ymap_get(res, "kind"));
    return strcmp(k, "Kafka") == 0 || strcmp(k, "KafkaNodePool") == 0 ||
           strcmp(k, "KafkaTopic") == 0;
}

static bool forced_fits(const struct ynode *root, enum dialect d, const char *path)
{
    if (!root || root->kind != Y_MAP)
        return false;
    switch (d) {
    case DL_STRIMZI: return strimzi_kind(root);
    case DL_SPRING: return has_spring_kafka(root, is_spring_name(path));
    case DL_COMPOSE: {
        const struct ynode *s = ymap_get(root, "services");
        return s && s->kind == Y_MAP;
    }
    case DL_MANIFEST: {
        static const char *const keys[] = {"cluster", "topics",    "producers", "consumers",
                                           "groups",  "kafkaudit", NULL};
        for (uint32_t i = 0; i < root->map.n; i++)
            for (int j = 0; keys[j]; j++)
                if (near(ynode_str(root->map.pairs[i].key), keys[j]))
                    return true;
        return false;
    }
    default: return true;
    }
}

/* What a file forced with --as into a dialect it has nothing of is. */
static void report_forced_misfit(struct model *m, uint32_t file, enum dialect d)
{
    static const char *const what[DL__COUNT] = {
        [DL_STRIMZI] = "not a Strimzi resource (no kind: Kafka, KafkaNodePool or KafkaTopic)",
        [DL_SPRING] = "not a Spring Boot Kafka configuration (no spring.kafka settings)",
        [DL_COMPOSE] = "not a docker-compose file (no services: map)",
        [DL_MANIFEST] = "not a kafkaudit manifest (no cluster, topics, producers or consumers "
                        "key)",
    };
    struct loc l = {file, 1, 1};
    struct diag *dg = diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l, "--as %s: %s; nothing audited",
                               dialect_name(d), what[d] ? what[d] : "nothing of that dialect");
    diag_hint(dg, "leave --as out to let kafkaudit tell the dialect from the content, or force "
                  "the one this file is written in");
}

/* Dialect of one YAML document, or DL_AUTO when it is not a Kafka config
 * kafkaudit reads (a Kubernetes Deployment in the same directory...). */
static enum dialect detect_doc(const struct ynode *root, const char *path, const char **why)
{
    *why = NULL;
    if (!root || root->kind != Y_MAP)
        return DL_AUTO;
    for (size_t i = 0; i < NYAML_DIALECTS; i++)
        if ((*why = yaml_dialects[i].detect(root, path)))
            return yaml_dialects[i].d;
    return DL_AUTO;
}

/* A Kubernetes List (kubectl get ... -o yaml): its items are resources. */
static bool is_k8s_list(const struct ynode *root)
{
    const struct ynode *items = ymap_get(root, "items");
    return root && strcmp(ynode_str(ymap_get(root, "kind")), "List") == 0 && items &&
           items->kind == Y_SEQ;
}

/* A Kubernetes resource of an API kafkaudit does not read, but about
 * Kafka (Confluent for Kubernetes' platform.confluent.io, Koperator's
 * kafka.banzaicloud.io, ...). */
static bool kafka_api(const char *api)
{
    char low[128];
    size_t i = 0;
    for (; api[i] && i + 1 < sizeof low; i++)
        low[i] = (char)tolower((unsigned char)api[i]);
    low[i] = '\0';
    return strstr(low, "kafka") || strstr(low, "confluent") || strstr(low, "redpanda");
}

static void read_doc(struct model *m, uint32_t file, const struct ynode *root, enum dialect d)
{
    for (size_t i = 0; i < NYAML_DIALECTS; i++)
        if (yaml_dialects[i].d == d) {
            yaml_dialects[i].read(m, file, root);
            return;
        }
}

/* A `kafkaudit snapshot` / `top --record` document: cluster.live is true. */
static bool is_live_snapshot(const struct ynode *root)
{
    const struct ynode *live = ymap_get(ymap_get(root, "cluster"), "live");
    return live && live->kind == Y_SCALAR && strcmp(ynode_str(live), "true") == 0;
}

/* One Kubernetes resource (a document, or an item of a List) that is not
 * Strimzi's: not understood when its API is about Kafka. */
static bool other_resource(struct model *m, uint32_t file, const struct ynode *res,
                           bool explicit_path)
{
    const struct ynode *api = ymap_get(res, "apiVersion");
    if (!api || !kafka_api(ynode_str(api)))
        return false;
    struct detect_lines dl = {.total = 0};
    char what[256];
    snprintf(what, sizeof what, "this %s resource (apiVersion %s)",
             ynode_str(ymap_get(res, "kind")), ynode_str(api));
    const struct src_file *f = source_get(&m->sources, file);
    dl.src = f->data;
    dl.src_len = f->len;
    detect_yaml(ymap_get(res, "spec"), &dl, 0);
    const struct ypair *ap = ymap_get_pair(res, "apiVersion");
    struct loc at = {file, ap->key->line, ap->key->col};
    if (!dl.total)
        detect_lines_add(&dl, at.line, at.col);
    detect_report(m, file, at, &dl, explicit_path, what,
                  "kafkaudit reads Strimzi (kafka.strimzi.io) resources; describe this "
                  "deployment's settings in a kafkaudit manifest to audit them");
    return true;
}

/* A YAML file parsed into node trees, possibly on a worker thread, before
 * the model reads it. */
struct parsed {
    int rc;
    struct ystream ys;
    struct yerror err;
};

/* A file that is not YAML: a template (Helm, Go, Jinja) found in a
 * directory is said not understood, anything else is invalid input. */
static void report_unparsed(struct model *m, uint32_t file, bool explicit_path,
                            const struct parsed *pre)
{
    const struct src_file *f = source_get(&m->sources, file);
    if (!explicit_path && f->data && (strstr(f->data, "{{") || strstr(f->data, "{%"))) {
        /* a Helm chart's or Ansible role's template: YAML only once
         * rendered.  Found in a directory it is no broken input, but
         * nothing in it was read: said, without failing the run. */
        struct loc l = {file, pre->err.line, pre->err.col};
        struct diag *dg =
            diag_add(&m->diags, DIAG_WARNING, DK_INPUT, l,
                     "not understood: a template (Helm, Go or Jinja), not YAML until rendered "
                     "(%s); not audited",
                     pre->err.msg);
        diag_hint(dg, "render it first (helm template, ansible-playbook --check) and lint "
                      "the output");
        model_note_read(m, file, "not-understood", "a template that is not YAML until rendered");
        return;
    }
    yload_report(&m->diags, DK_INPUT, file, &pre->err);
    model_note_read(m, file, "invalid", "not valid YAML");
}

/* Several live snapshots in one file are a `kafkaudit top --record`
 * recording: the same cluster at different times, not one deployment.
 * Returns the last one's index (its current state), *nsnap how many. */
static uint32_t recording_last(struct model *m, uint32_t file, const struct ystream *ys,
                               uint32_t *nsnap)
{
    const struct src_file *f = source_get(&m->sources, file);
    uint32_t last_snap = 0;
    *nsnap = 0;
    for (uint32_t i = 0; i < ys->ndocs; i++)
        if (is_live_snapshot(ys->docs[i].root)) {
            (*nsnap)++;
            last_snap = i;
        }
    if (*nsnap > 1) {
        const struct ynode *c = ymap_get(ys->docs[last_snap].root, "cluster");
        const struct ynode *at = ymap_get(c, "collected_at");
        struct diag *dg =
            diag_add(&m->diags, DIAG_WARNING, DK_INPUT, yloc(file, ys->docs[last_snap].root),
                     "a recording of %u cluster snapshots: only the last one%s%s%s "
                     "is audited",
                     *nsnap, at ? " (collected at " : "", at ? ynode_str(at) : "", at ? ")" : "");
        diag_hint(dg, "replay it with 'kafkaudit top --replay %s'", f->path);
    }
    return last_snap;
}

/* A kind: List's items: Strimzi resources read (*any), resources of
 * another Kafka API said not understood (*nu). */
static void read_k8s_list(struct model *m, uint32_t file, const struct ynode *root,
                          bool explicit_path, bool *any, bool *nu)
{
    const struct src_file *f = source_get(&m->sources, file);
    const struct ynode *items = ymap_get(root, "items");
    for (uint32_t j = 0; j < items->seq.n; j++) {
        const struct ynode *it = items->seq.items[j];
        if (!it || it->kind != Y_MAP)
            continue;
        if (detect_strimzi(it, f->path)) {
            *any = true;
            model_note_read(m, file, "strimzi", "a kind: List of Strimzi resources");
            read_strimzi_doc(m, file, it);
        } else if (other_resource(m, file, it, explicit_path))
            *nu = true;
    }
}

/* The Spring Boot documents of a file, read together (profiles see the
 * default document), and the Kafka settings beside spring.kafka that
 * Spring Boot does not read. */
static void read_spring_file(struct model *m, uint32_t file, const struct ystream *ys,
                             enum dialect force)
{
    model_note_read(m, file, "spring",
                    force == DL_SPRING ? "--as" : "a Spring Boot file with spring.kafka settings");
    read_spring_docs(m, file, ys->docs, ys->ndocs);
    const struct src_file *f = source_get(&m->sources, file);
    /* Kafka settings beside spring.kafka under the application's own
     * prefix (event-consumer.properties.auto.offset.reset) are read by
     * its code, not by Spring Boot: said, since the objects above do
     * not have them */
    struct detect_lines own = {.src = f->data, .src_len = f->len};
    for (uint32_t i = 0; i < ys->ndocs; i++) {
        const struct ynode *r = ys->docs[i].root;
        for (uint32_t j = 0; r && r->kind == Y_MAP && j < r->map.n; j++) {
            const char *k = ynode_str(r->map.pairs[j].key);
            if (strcmp(k, "spring") == 0 || str_starts(k, "spring.") ||
                strcmp(k, "kafkaudit") == 0 || str_starts(k, "kafkaudit."))
                continue;
            struct ypair one = r->map.pairs[j];
            struct ynode wrap = {.kind = Y_MAP};
            wrap.map.pairs = &one;
            wrap.map.n = 1;
            detect_yaml(&wrap, &own, 0);
        }
    }
    if (DETECT_LOOKS_KAFKA(&own))
        detect_report_partial(m, file, &own);
}

/* What a file none of whose documents was read is: Kafka settings no
 * reader takes (not understood), or nothing of Kafka's (said when it
 * was named on the command line). */
static void report_unread(struct model *m, uint32_t file, const struct ystream *ys,
                          bool explicit_path, bool any, bool nu, const struct detect_lines *stray,
                          const char *none_why)
{
    const struct src_file *f = source_get(&m->sources, file);
    bool spring_name = is_spring_name(f->path);
    if (!any && !nu && DETECT_LOOKS_KAFKA(stray)) {
        detect_report(m, file, (struct loc){0}, stray, explicit_path,
                      spring_name ? "this Spring Boot file" : "this file",
                      spring_name
                          ? "Spring Boot configures Kafka clients only from spring.kafka.*; "
                            "settings under another prefix are read by the application's "
                            "own code: move them under spring.kafka, or describe the "
                            "client in a .properties file with a directive such as "
                            "'# kafkaudit: role=consumer'"
                          : "force a dialect with --as, or describe the settings in a "
                            "kafkaudit manifest");
        nu = true;
    }
    if (nu && !any)
        model_note_read(m, file, "not-understood", "Kafka settings that no reader takes");
    if (!any && !nu) {
        model_note_read(m, file, "none", "%s",
                        spring_name ? "a Spring Boot file without Kafka settings"
                        : none_why  ? none_why
                                    : "no Kafka settings");
        if (explicit_path && ys->ndocs) {
            /* named on the command line (a pre-commit hook passes every
             * staged .yaml): said, but a file with no Kafka settings at all
             * fails no build */
            struct loc l = {file, 1, 1};
            struct diag *dg = diag_add(&m->diags, DIAG_WARNING, DK_INPUT, l,
                                       "not a Kafka configuration kafkaudit can read; not audited");
            diag_hint(dg, "expected a kafkaudit manifest, Strimzi resources, a Spring Boot "
                          "application.yml, a docker-compose file or Java properties; force one "
                          "with --as (manifest, strimzi, spring, compose, properties)");
        }
    }
}

/* Returns true if the file held something kafkaudit reads. */
static bool load_yaml(struct model *m, uint32_t file, enum dialect force, bool explicit_path,
                      const struct parsed *pre)
{
    const struct src_file *f = source_get(&m->sources, file);
    if (pre->rc) {
        report_unparsed(m, file, explicit_path, pre);
        return true; /* a broken file we were meant to read */
    }
    struct ystream ys = pre->ys;
    yconfig_mark_secrets(m, &ys);
    bool any = false, spring = false;
    /* a `top --record` recording: only its last sample is read */
    uint32_t nsnap, last_snap = recording_last(m, file, &ys, &nsnap);
    bool spring_name = is_spring_name(f->path), spring_other = false, nu = false;
    const char *none_why = NULL;
    struct detect_lines stray = {.src = f->data,
                                 .src_len = f->len}; /* Kafka settings no reader took */
    for (uint32_t i = 0; i < ys.ndocs; i++) {
        const struct ynode *root = ys.docs[i].root;
        if (nsnap > 1 && i != last_snap && is_live_snapshot(root))
            continue;
        const char *why = "--as";
        enum dialect d = force;
        if ((force == DL_AUTO || force == DL_STRIMZI) && root && root->kind == Y_MAP &&
            is_k8s_list(root)) {
            /* kubectl get kafkatopics -o yaml */
            read_k8s_list(m, file, root, explicit_path, &any, &nu);
            if (!none_why)
                none_why = "a kind: List of resources kafkaudit does not read";
            continue;
        }
        if (force == DL_AUTO)
            d = detect_doc(root, f->path, &why);
        else if (force != DL_PROPERTIES && !forced_fits(root, force, f->path))
            continue; /* said below when no document fits */
        if (d == DL_SPRING || (d == DL_AUTO && spring_name && root && root->kind == Y_MAP)) {
            /* Spring documents are read together (profiles see the
             * default document); a profile document may hold only
             * kafkaudit.* or non-Kafka keys */
            if (d == DL_SPRING)
                spring = any = true;
            else
                spring_other = true;
            continue;
        }
        if (d == DL_PROPERTIES) {
            struct loc l = {file, 1, 1};
            diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                     "--as properties does not apply to a YAML file");
            return true;
        }
        if (d == DL_AUTO) {
            if (root && root->kind == Y_MAP && other_resource(m, file, root, explicit_path))
                nu = true;
            else if (root) {
                detect_yaml(root, &stray, 0);
                const struct ynode *api = ymap_get(root, "apiVersion");
                if (api && !none_why)
                    none_why = "a Kubernetes resource of another API";
            }
            continue;
        }
        any = true;
        model_note_read(m, file, dialect_name(d), "%s", why);
        read_doc(m, file, root, d);
    }
    if (force != DL_AUTO && !any && !nu && ys.ndocs) {
        report_forced_misfit(m, file, force);
        return true; /* an input error, not a file without Kafka settings */
    }
    if (spring) {
        read_spring_file(m, file, &ys, force);
    } else if (spring_other)
        for (uint32_t i = 0; i < ys.ndocs; i++)
            detect_yaml(ys.docs[i].root, &stray, 0);
    report_unread(m, file, &ys, explicit_path, any, nu, &stray, none_why);
    if (!ys.ndocs && explicit_path) {
        struct loc l = {file, 0, 0};
        diag_add(&m->diags, DIAG_WARNING, DK_INPUT, l, "empty file");
    }
    return any;
}

static bool is_props_name(const char *path, bool explicit_path)
{
    /* Confluent's examples name client configs *.config; only read those
     * when named explicitly (a directory may hold unrelated .conf files) */
    /* Ansible roles keep server.properties as a Jinja template
     * (templates/server.properties.j2): its placeholders are unknown */
    return str_ends(path, ".properties") || str_ends(path, ".properties.j2") ||
           (explicit_path && (str_ends(path, ".config") || str_ends(path, ".conf")));
}

/* Content of a file whose name says neither (stdin, /dev/fd/63, ...):
 * Java properties when its first statement is "key=value" (in YAML that
 * would be a plain string, never a configuration). */
static bool looks_like_properties(const char *path, const char *data)
{
    if (path && (str_ends(path, ".yaml") || str_ends(path, ".yml")))
        return false;
    for (const char *p = data; *p;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
            p++;
        if (*p == '#' || *p == '!') {
            p += strcspn(p, "\n");
            continue;
        }
        size_t key = strcspn(p, "= \t:\r\n");
        const char *q = p + key;
        while (*q == ' ' || *q == '\t')
            q++;
        return key > 0 && *q == '=';
    }
    return false;
}

/* The line of data's first statement (not blank, not a comment). */
static uint32_t first_statement_line(const char *data)
{
    uint32_t line = 1;
    for (const char *p = data; *p;) {
        if (*p == '\n') {
            line++;
            p++;
            continue;
        }
        if (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
            continue;
        }
        if (*p != '#' && *p != '!')
            return line;
        p += strcspn(p, "\n");
    }
    return 1;
}

/* Is this input read as Java properties (else as YAML)?  The same answer
 * on a worker thread (to parse ahead) and when the model reads it. */
static bool read_as_properties(const char *path, const char *data, enum dialect force,
                               bool explicit_path)
{
    return is_props_name(path, explicit_path) || force == DL_PROPERTIES ||
           (explicit_path && force == DL_AUTO && data && looks_like_properties(path, data));
}

/* Arena room reserved ahead for a file of len bytes: factor times it, up
 * to a 16 MiB chunk (beyond, arenas grow as they go). */
#define RESERVE_FROM (64 * 1024)
static size_t reserve_for(size_t len, size_t factor)
{
    size_t cap = ((size_t)16 << 20) - 256; /* room for the chunk's header */
    return len < cap / factor ? len * factor : cap;
}

static void parse_yaml(struct arena *tree, const char *data, size_t len, struct parsed *out)
{
    /* The node tree lives only while the file is read: readers copy what
     * the model keeps.  Reusing the memory file after file keeps a large
     * deployment's footprint (and page faults) close to one file's. */
    arena_reset(tree);
    /* A manifest's tree takes five to six times its text: one chunk for
     * it rather than a dozen growing ones (not for huge files: a long
     * scalar needs no tree). */
    if (len >= RESERVE_FROM)
        arena_reserve(tree, reserve_for(len, 6));
    out->rc = ydoc_parse(tree, data ? data : "", data ? len : 0, NULL, &out->ys, &out->err);
}

/* A Spring Boot application*.properties: read when it has spring.kafka
 * settings, else not understood (Kafka settings elsewhere) or not Kafka's. */
static void spring_properties(struct model *m, uint32_t file, bool explicit_path)
{
    const struct src_file *f = source_get(&m->sources, file);
    struct arena text;
    arena_init(&text);
    struct props p;
    props_parse(&text, f->data, f->len, &p);
    bool kafka = false;
    for (uint32_t i = 0; i < p.n && !kafka; i++)
        kafka = str_starts(p.v[i].key, "spring.kafka.") || str_starts(p.v[i].key, "kafkaudit.");
    struct detect_lines dl = {.total = 0};
    if (!kafka)
        detect_props(&p, &dl);
    /* with spring.kafka read: Kafka settings under the application's own
     * prefix, which Spring Boot does not read */
    struct detect_lines own = {.total = 0};
    for (uint32_t i = 0; kafka && i < p.n; i++) {
        const char *sig = str_starts(p.v[i].key, "spring.") || str_starts(p.v[i].key, "kafkaudit.")
                              ? NULL
                              : detect_kafka_key(p.v[i].key);
        if (sig) {
            detect_lines_add(&own, p.v[i].line, p.v[i].key_col);
            own.strong += detect_strong_key(sig);
        }
    }
    props_release(&p);
    arena_release(&text);
    if (kafka) {
        model_note_read(m, file, "spring", "a Spring Boot file with spring.kafka settings");
        read_spring_properties(m, file);
        if (DETECT_LOOKS_KAFKA(&own))
            detect_report_partial(m, file, &own);
    } else if (DETECT_LOOKS_KAFKA(&dl)) {
        model_note_read(m, file, "not-understood", "Kafka settings outside spring.kafka");
        detect_report(m, file, (struct loc){0}, &dl, explicit_path, "this Spring Boot file",
                      "Spring Boot configures Kafka clients only from spring.kafka.*; settings "
                      "under another prefix are read by the application's own code");
    } else
        model_note_read(m, file, "none", "a Spring Boot file without Kafka settings");
}

/* pre: the file's YAML already parsed, or NULL (parsed here if needed) */
static void load_source(struct model *m, uint32_t file, enum dialect force, struct arena *tree,
                        bool explicit_path, const struct parsed *pre)
{
    const struct src_file *f = source_get(&m->sources, file);
    bool props = read_as_properties(f->path, f->data, force, explicit_path);
    if (force == DL_SPRING && str_ends(f->path, ".properties")) {
        model_note_read(m, file, "spring", "--as");
        read_spring_properties(m, file);
    } else if (props && force != DL_AUTO && force != DL_PROPERTIES) {
        struct loc l = {file, 1, 1};
        diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l, "--as %s does not apply to a .properties file",
                 dialect_name(force));
    } else if (force == DL_PROPERTIES && !is_props_name(f->path, explicit_path) && f->data &&
               !looks_like_properties(NULL, f->data)) {
        /* YAML (nested keys: "producer:" then "  acks: 1") read as
         * properties gives keys that mean nothing */
        struct loc l = {file, first_statement_line(f->data), 1};
        struct diag *dg = diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                                   "--as properties: not a Java properties file (its first "
                                   "setting is not key=value); nothing audited");
        diag_hint(dg, "leave --as out for a YAML file: kafkaudit tells its dialect from the "
                      "content");
    } else if (props && force == DL_AUTO && is_spring_name(f->path))
        spring_properties(m, file, explicit_path);
    else if (props)
        read_properties(m, file, explicit_path);
    else if (pre)
        load_yaml(m, file, force, explicit_path, pre);
    else {
        struct arena local;
        arena_init(&local);
        struct parsed p;
        parse_yaml(tree ? tree : &local, f->data, f->len, &p);
        load_yaml(m, file, force, explicit_path, &p);
        arena_release(&local);
    }
}

void input_load_source(struct model *m, uint32_t file, enum dialect force)
{
    struct arena tree;
    arena_init(&tree);
    load_source(m, file, force, &tree, true, NULL);
    arena_release(&tree);
}

static bool wanted_file(const char *name)
{
    return str_ends(name, ".yaml") || str_ends(name, ".yml") || str_ends(name, ".properties") ||
           str_ends(name, ".properties.j2");
}

/* Sorted by name, except that a Spring Boot application.* / bootstrap.*
 * file comes before its profile files (application-prod.yml), which
 * inherit from it. */
static int cmp_str(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    static const char *const stems[] = {"application", "bootstrap"};
    for (int i = 0; i < 2; i++) {
        size_t l = strlen(stems[i]);
        if (strncmp(x, stems[i], l) == 0 && strncmp(y, stems[i], l) == 0 &&
            (x[l] == '.') != (y[l] == '.') && (x[l] == '.' || x[l] == '-') &&
            (y[l] == '.' || y[l] == '-'))
            return x[l] == '.' ? -1 : 1;
    }
    return strcmp(x, y);
}

/* Directories already read in this run (a symlink loop, or the same
 * directory named twice, is read once). */
struct visited {
    struct {
        dev_t dev;
        ino_t ino;
    } * v;
    size_t n, cap;
};

static bool first_visit(struct visited *vis, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return true; /* opendir reports the error */
    for (size_t i = 0; i < vis->n; i++)
        if (vis->v[i].dev == st.st_dev && vis->v[i].ino == st.st_ino)
            return false;
    XGROW(vis->v, vis->cap, vis->n + 1);
    vis->v[vis->n].dev = st.st_dev;
    vis->v[vis->n].ino = st.st_ino;
    vis->n++;
    return true;
}

/*
 * Loading runs in two steps.  The paths are walked first, into a list of
 * jobs in command-line order: files to read and the diagnostics about
 * paths themselves.  Then the jobs are done in that order: a file is read
 * and, when it is YAML, parsed into node trees -- the costly part, done
 * ahead on worker threads when there are several files -- and the model
 * reads the trees on the calling thread, file after file, so sources,
 * diagnostics and objects come out in the same order whatever the number
 * of threads.
 */
enum job_kind { J_FILE, J_DIAG, J_DIR_BEGIN, J_DIR_END };

struct job {
    enum job_kind kind;
    char *path;    /* J_FILE: read from ("-": stdin); others: named in the diagnostic */
    char *display; /* J_FILE: the name in reports; J_DIAG: the message */
    enum diag_sev sev;
    bool explicit_path;
    /* done by fetch_job(), on a worker or the calling thread */
    bool done;
    int err; /* source_fetch() */
    struct buf data;
    bool yaml;
    struct parsed parsed;
    struct arena *tree; /* J_FILE: the tree arena it parses into */
};

struct jobs {
    struct job *v;
    size_t n, cap;
};

static struct job *add_job(struct jobs *js, enum job_kind k, const char *path)
{
    XGROW(js->v, js->cap, js->n + 1);
    struct job *j = &js->v[js->n++];
    memset(j, 0, sizeof *j);
    j->kind = k;
    j->path = xstrdup(path);
    return j;
}

static void add_diag_job(struct jobs *js, enum diag_sev sev, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_diag_job(struct jobs *js, enum diag_sev sev, const char *path, const char *fmt, ...)
{
    struct job *j = add_job(js, J_DIAG, path);
    j->sev = sev;
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    j->display = buf_detach(&b);
}

static void add_file_job(struct jobs *js, const char *path, const char *display, bool explicit_path)
{
    struct job *j = add_job(js, J_FILE, path);
    j->display = xstrdup(display);
    j->explicit_path = explicit_path;
}

static void walk_dir(struct jobs *js, const char *dir, const struct input_opts *o, int depth,
                     struct visited *vis)
{
    if (!first_visit(vis, dir))
        return;
    if (depth > 32) {
        add_diag_job(js, DIAG_ERROR, dir,
                     "directories nested more than 32 levels deep; not descending (symlink "
                     "loop?)");
        return;
    }
    DIR *d = opendir(dir);
    if (!d) {
        add_diag_job(js, DIAG_ERROR, dir, "cannot read directory: %s", strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_name[0] == '.' && !o->follow_hidden)
            continue;
        XGROW(names, cap, n + 1);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n) /* qsort(NULL, 0) is undefined */
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct buf p = BUF_INIT;
        buf_printf(&p, "%s%s%s", dir, str_ends(dir, "/") ? "" : "/", names[i]);
        struct stat st;
        if (stat(buf_str(&p), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                walk_dir(js, buf_str(&p), o, depth + 1, vis);
            else if (S_ISREG(st.st_mode) && wanted_file(names[i]))
                add_file_job(js, buf_str(&p), buf_str(&p), false);
        }
        buf_release(&p);
        free(names[i]);
    }
    free(names);
}

static void walk_paths(struct jobs *js, char *const *paths, int n, const struct input_opts *o)
{
    struct visited vis = {NULL, 0, 0};
    for (int i = 0; i < n; i++) {
        const char *p = paths[i];
        if (strcmp(p, "-") == 0) {
            add_file_job(js, "-", "<stdin>", true);
            continue;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            add_diag_job(js, DIAG_ERROR, p, "cannot read: %s", strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            add_job(js, J_DIR_BEGIN, p);
            walk_dir(js, p, o, 0, &vis);
            add_job(js, J_DIR_END, p);
            continue;
        }
        add_file_job(js, p, p, true);
    }
    free(vis.v);
}

/* Read and, for YAML, parse one file.  Touches only the job and tree. */
static void fetch_job(struct job *j, enum dialect force, struct arena *tree)
{
    if (j->kind != J_FILE)
        return;
    j->err = source_fetch(j->path, DK_INPUT, &j->data);
    if (j->err)
        return;
    j->yaml = !read_as_properties(j->display, j->data.p, force, j->explicit_path);
    if (j->yaml)
        parse_yaml(tree, j->data.p, j->data.len, &j->parsed);
}

struct consume_state {
    uint32_t count, in_dir;
};

/* Give one job to the model (calling thread only). */
static void consume_job(struct model *m, struct job *j, const struct input_opts *o,
                        struct consume_state *cs)
{
    switch (j->kind) {
    case J_DIAG: diag_add_path(&m->diags, j->sev, DK_INPUT, j->path, "%s", j->display); break;
    case J_DIR_BEGIN: cs->in_dir = 0; break;
    case J_DIR_END:
        if (!cs->in_dir)
            diag_add_path(&m->diags, DIAG_WARNING, DK_INPUT, j->path,
                          "no .yaml, .yml or .properties files found");
        break;
    case J_FILE: {
        if (j->err) {
            /* found but refused (too large, binary, unreadable): said
             * here, so its directory is not "without files" */
            source_fetch_error(&m->diags, DK_INPUT, j->display, j->err);
            cs->in_dir++;
            break;
        }
        size_t len = j->data.len;
        /* the model keeps about three times a manifest's text: room for it
         * in one chunk rather than in small growing ones */
        if (len >= RESERVE_FROM)
            arena_reserve(&m->arena, reserve_for(len, 3));
        uint32_t id = source_set_add(&m->sources, j->display, buf_detach(&j->data), len);
        cs->count++;
        cs->in_dir++;
        load_source(m, id, o->force, NULL, j->explicit_path, j->yaml ? &j->parsed : NULL);
        break;
    }
    }
}

static void free_job(struct job *j)
{
    free(j->path);
    free(j->display);
    buf_release(&j->data);
}

/* Worker threads fetch jobs, in order, ahead of the model.  A file takes a
 * tree arena from the pool until the model has read it, so at most
 * `ntrees` files are read ahead (their text and trees in memory); other
 * jobs (directory markers, diagnostics) are never held back. */
/* A tree arena alone on its cache line: arena_alloc updates its arena on
 * every node, and two workers' neighbouring arenas in one line made each
 * allocation wait for the line to cross between CPUs. */
#define CACHE_LINE 64
struct tree_slot {
    _Alignas(CACHE_LINE) struct arena a;
};

struct pipeline {
    struct jobs *js;
    enum dialect force;
    struct tree_slot *trees;
    size_t ntrees;
    struct arena **pool; /* trees no file holds */
    size_t npool;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;
};

static void *worker(void *arg)
{
    struct pipeline *pl = arg;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (pl->next < pl->js->n && pl->js->v[pl->next].kind == J_FILE && !pl->npool)
            pthread_cond_wait(&pl->cv, &pl->mu);
        if (pl->next >= pl->js->n) {
            pthread_mutex_unlock(&pl->mu);
            return NULL;
        }
        struct job *j = &pl->js->v[pl->next++];
        if (j->kind == J_FILE)
            j->tree = pl->pool[--pl->npool];
        pthread_mutex_unlock(&pl->mu);
        fetch_job(j, pl->force, j->tree);
        pthread_mutex_lock(&pl->mu);
        j->done = true;
        pthread_cond_broadcast(&pl->cv);
    }
}

unsigned input_default_jobs(void)
{
    long n = 0;
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
#endif
    if (n <= 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n <= 0)
        n = 1;
    return n > INPUT_DEFAULT_MAX_JOBS ? INPUT_DEFAULT_MAX_JOBS : (unsigned)n;
}

uint32_t input_load_paths(struct model *m, char *const *paths, int n, const struct input_opts *o)
{
    struct jobs js = {NULL, 0, 0};
    walk_paths(&js, paths, n, o);

    size_t nfiles = 0;
    for (size_t i = 0; i < js.n; i++)
        nfiles += js.v[i].kind == J_FILE;
    unsigned want = o->jobs ? o->jobs : input_default_jobs();
    size_t nthreads = want > 1 && nfiles > 1 ? (want < nfiles ? want : nfiles) : 0;

    /* each thread busy with a file, one file parsed and waiting, and the
     * one the model is reading */
    struct pipeline pl = {.js = &js, .force = o->force, .ntrees = nthreads + 2};
    pthread_t tid[INPUT_MAX_JOBS];
    size_t started = 0;
    pl.trees = aligned_alloc(CACHE_LINE, pl.ntrees * sizeof *pl.trees);
    if (!pl.trees)
        abort();
    pl.pool = xcalloc(pl.ntrees, sizeof *pl.pool);
    for (size_t i = 0; i < pl.ntrees; i++) {
        arena_init(&pl.trees[i].a);
        pl.pool[pl.npool++] = &pl.trees[i].a;
    }
    if (nthreads) {
        pthread_mutex_init(&pl.mu, NULL);
        pthread_cond_init(&pl.cv, NULL);
        while (started < nthreads && pthread_create(&tid[started], NULL, worker, &pl) == 0)
            started++;
        if (!started) { /* no threads to be had: read in order below */
            pthread_mutex_destroy(&pl.mu);
            pthread_cond_destroy(&pl.cv);
        }
    }
    struct consume_state cs = {0, 0};
    for (size_t i = 0; i < js.n; i++) {
        struct job *j = &js.v[i];
        if (started) {
            pthread_mutex_lock(&pl.mu);
            while (!j->done)
                pthread_cond_wait(&pl.cv, &pl.mu);
            /* Once every file is taken, free trees serve the model: its
             * last files' objects reuse their chunks. */
            if (pl.next == js.n)
                while (pl.npool)
                    arena_adopt(&m->arena, pl.pool[--pl.npool]);
            pthread_mutex_unlock(&pl.mu);
        } else {
            j->tree = &pl.trees[0].a;
            fetch_job(j, o->force, j->tree);
        }
        consume_job(m, j, o, &cs);
        free_job(j);
        if (started && j->tree) {
            pthread_mutex_lock(&pl.mu);
            if (pl.next == js.n)
                arena_adopt(&m->arena, j->tree);
            else
                pl.pool[pl.npool++] = j->tree;
            pthread_cond_broadcast(&pl.cv);
            pthread_mutex_unlock(&pl.mu);
        }
    }
    if (started) {
        for (size_t t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
        pthread_mutex_destroy(&pl.mu);
        pthread_cond_destroy(&pl.cv);
    }
    /* The trees' memory is already faulted in: the model's later
     * allocations (effective values, findings) reuse it. */
    for (size_t i = 0; i < pl.ntrees; i++)
        arena_adopt(&m->arena, &pl.trees[i].a);
    free(pl.trees);
    free(pl.pool);
    free(js.v);
    return cs.count;
}
