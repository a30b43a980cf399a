/*
 * load.c - find input files, read them, detect each document's dialect
 * and hand it to its reader.
 */
#include "input/input.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "yaml/yload.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const dialect_names[] = {"auto",   "manifest", "properties",
                                            "strimzi", "spring",  "compose"};

const char *dialect_name(enum dialect d)
{
    return d <= DL_COMPOSE ? dialect_names[d] : "?";
}

int dialect_parse(const char *s, enum dialect *out)
{
    for (int i = 0; i <= DL_COMPOSE; i++)
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

static bool is_spring_name(const char *path)
{
    const char *b = basename_of(path);
    return str_starts(b, "application") || str_starts(b, "bootstrap");
}

/* A Spring Boot document: a "spring" key (nested or dotted) and nothing of
 * a manifest's top level. */
static bool is_spring_doc(const struct ynode *root)
{
    bool spring = false;
    for (uint32_t i = 0; i < root->map.n; i++) {
        const char *k = ynode_str(root->map.pairs[i].key);
        if (strcmp(k, "spring") == 0 || str_starts(k, "spring."))
            spring = true;
        else if (strcmp(k, "cluster") == 0 || strcmp(k, "topics") == 0 ||
                 strcmp(k, "producers") == 0 || strcmp(k, "consumers") == 0 ||
                 strcmp(k, "apiVersion") == 0 || strcmp(k, "services") == 0)
            return false;
    }
    return spring;
}

/* Dialect of one YAML document, or DL_AUTO when it is not a Kafka config
 * kafkaudit reads (a Kubernetes Deployment in the same directory...). */
static enum dialect detect_doc(const struct ynode *root, const char *path)
{
    if (!root || root->kind != Y_MAP)
        return DL_AUTO;
    if (is_spring_doc(root))
        return DL_SPRING;
    const struct ynode *api = ymap_get(root, "apiVersion");
    if (api)
        return str_starts(ynode_str(api), "kafka.strimzi.io/") ? DL_STRIMZI : DL_AUTO;
    if (ymap_get(root, "kafkaudit") || ymap_get(root, "cluster") || ymap_get(root, "topics") ||
        ymap_get(root, "producers") || ymap_get(root, "consumers"))
        return DL_MANIFEST;
    if (ymap_get(root, "spring") || (is_spring_name(path) && ymap_get(root, "kafka")))
        return DL_SPRING;
    if (ymap_get(root, "services"))
        return DL_COMPOSE;
    return DL_AUTO;
}

/* A `kafkaudit snapshot` / `top --record` document: cluster.live is true. */
static bool is_live_snapshot(const struct ynode *root)
{
    const struct ynode *live = ymap_get(ymap_get(root, "cluster"), "live");
    return live && live->kind == Y_SCALAR && strcmp(ynode_str(live), "true") == 0;
}

static void read_doc(struct model *m, uint32_t file, const struct ynode *root, enum dialect d)
{
    switch (d) {
    case DL_MANIFEST: read_manifest_doc(m, file, root); break;
    case DL_STRIMZI: read_strimzi_doc(m, file, root); break;
    case DL_SPRING: read_spring_doc(m, file, root); break;
    case DL_COMPOSE: read_compose_doc(m, file, root); break;
    default: break;
    }
}

/* Returns true if the file held something kafkaudit reads. */
static bool load_yaml(struct model *m, uint32_t file, enum dialect force, bool explicit_path,
                      struct arena *tree)
{
    const struct src_file *f = source_get(&m->sources, file);
    struct ystream ys;
    /* The node tree lives only while the file is read: readers copy what
     * the model keeps.  Reusing the memory file after file keeps a large
     * deployment's footprint (and page faults) close to one file's. */
    arena_reset(tree);
    if (yload_parse(tree, &m->sources, &m->diags, DK_INPUT, file, &ys))
        return true; /* a broken file we were meant to read */
    bool any = false, spring = false;
    /* Several live snapshots in one file are a `kafkaudit top --record`
     * recording: the same cluster at different times, not one deployment.
     * The last sample is its current state. */
    uint32_t nsnap = 0, last_snap = 0;
    for (uint32_t i = 0; i < ys.ndocs; i++)
        if (is_live_snapshot(ys.docs[i].root)) {
            nsnap++;
            last_snap = i;
        }
    if (nsnap > 1) {
        const struct ynode *c = ymap_get(ys.docs[last_snap].root, "cluster");
        const struct ynode *at = ymap_get(c, "collected_at");
        struct diag *dg = diag_add(&m->diags, DIAG_WARNING, DK_INPUT,
                                   yloc(file, ys.docs[last_snap].root),
                                   "a recording of %u cluster snapshots: only the last one%s%s%s "
                                   "is audited",
                                   nsnap, at ? " (collected at " : "", at ? ynode_str(at) : "",
                                   at ? ")" : "");
        diag_hint(dg, "replay it with 'kafkaudit top --replay %s'", f->path);
    }
    for (uint32_t i = 0; i < ys.ndocs; i++) {
        const struct ynode *root = ys.docs[i].root;
        if (nsnap > 1 && i != last_snap && is_live_snapshot(root))
            continue;
        enum dialect d = force != DL_AUTO ? force : detect_doc(root, f->path);
        if (d == DL_SPRING || (d == DL_AUTO && spring && root && root->kind == Y_MAP)) {
            /* Spring documents are read together (profiles see the
             * default document); a profile document may hold only
             * kafkaudit.* or non-Kafka keys */
            spring = any = true;
            continue;
        }
        if (d == DL_PROPERTIES) {
            struct loc l = {file, 1, 1};
            diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                     "--as properties does not apply to a YAML file");
            return true;
        }
        if (d == DL_AUTO)
            continue;
        any = true;
        read_doc(m, file, root, d);
    }
    if (spring)
        read_spring_docs(m, file, ys.docs, ys.ndocs);
    if (!any && explicit_path && ys.ndocs) {
        struct loc l = {file, 1, 1};
        struct diag *dg = diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l,
                                   "not a Kafka configuration kafkaudit can read");
        diag_hint(dg, "expected a kafkaudit manifest, Strimzi resources, a Spring Boot "
                      "application.yml, a docker-compose file or Java properties; force one "
                      "with --as (manifest, strimzi, spring, compose, properties)");
    }
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
    return str_ends(path, ".properties") ||
           (explicit_path && (str_ends(path, ".config") || str_ends(path, ".conf")));
}

/* Content of a file whose name says neither (stdin, /dev/fd/63, ...):
 * Java properties when its first statement is "key=value" (in YAML that
 * would be a plain string, never a configuration). */
static bool looks_like_properties(const char *path, const char *data)
{
    if (str_ends(path, ".yaml") || str_ends(path, ".yml"))
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

static void load_source(struct model *m, uint32_t file, enum dialect force, struct arena *tree,
                        bool explicit_path)
{
    const struct src_file *f = source_get(&m->sources, file);
    bool props = is_props_name(f->path, explicit_path) || force == DL_PROPERTIES ||
                 (explicit_path && force == DL_AUTO && looks_like_properties(f->path, f->data));
    if (force == DL_SPRING && str_ends(f->path, ".properties"))
        read_spring_properties(m, file);
    else if (props && force != DL_AUTO && force != DL_PROPERTIES) {
        struct loc l = {file, 1, 1};
        diag_add(&m->diags, DIAG_ERROR, DK_INPUT, l, "--as %s does not apply to a .properties file",
                 dialect_name(force));
    } else if (props && force == DL_AUTO && is_spring_name(f->path))
        read_spring_properties(m, file);
    else if (props)
        read_properties(m, file, explicit_path);
    else
        load_yaml(m, file, force, explicit_path, tree);
}

void input_load_source(struct model *m, uint32_t file, enum dialect force)
{
    struct arena tree;
    arena_init(&tree);
    load_source(m, file, force, &tree, true);
    arena_release(&tree);
}

static bool wanted_file(const char *name)
{
    return str_ends(name, ".yaml") || str_ends(name, ".yml") || str_ends(name, ".properties");
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
    } *v;
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

static uint32_t load_dir(struct model *m, const char *dir, const struct input_opts *o,
                         int depth, struct arena *tree, struct visited *vis)
{
    if (!first_visit(vis, dir))
        return 0;
    if (depth > 32) {
        diag_add_path(&m->diags, DIAG_ERROR, DK_INPUT, dir,
                      "directories nested more than 32 levels deep; not descending (symlink "
                      "loop?)");
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        diag_add_path(&m->diags, DIAG_ERROR, DK_INPUT, dir, "cannot read directory: %s",
                      strerror(errno));
        return 0;
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
    qsort(names, n, sizeof *names, cmp_str);
    uint32_t count = 0;
    for (size_t i = 0; i < n; i++) {
        struct buf p = BUF_INIT;
        buf_printf(&p, "%s%s%s", dir, str_ends(dir, "/") ? "" : "/", names[i]);
        struct stat st;
        if (stat(buf_str(&p), &st) == 0) {
            if (S_ISDIR(st.st_mode))
                count += load_dir(m, buf_str(&p), o, depth + 1, tree, vis);
            else if (S_ISREG(st.st_mode) && wanted_file(names[i])) {
                int id = source_read(&m->sources, &m->diags, DK_INPUT, buf_str(&p), buf_str(&p));
                if (id > 0) {
                    count++;
                    if (str_ends(names[i], ".properties") || o->force != DL_AUTO)
                        load_source(m, (uint32_t)id, o->force, tree, false);
                    else
                        load_yaml(m, (uint32_t)id, DL_AUTO, false, tree);
                }
            }
        }
        buf_release(&p);
        free(names[i]);
    }
    free(names);
    return count;
}

uint32_t input_load_paths(struct model *m, char *const *paths, int n,
                          const struct input_opts *o)
{
    uint32_t count = 0;
    struct arena tree; /* node trees, reused file after file */
    arena_init(&tree);
    struct visited vis = {NULL, 0, 0};
    for (int i = 0; i < n; i++) {
        const char *p = paths[i];
        if (strcmp(p, "-") == 0) {
            int id = source_read(&m->sources, &m->diags, DK_INPUT, "-", "<stdin>");
            if (id > 0) {
                count++;
                load_source(m, (uint32_t)id, o->force, &tree, true);
            }
            continue;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            diag_add_path(&m->diags, DIAG_ERROR, DK_INPUT, p, "cannot read: %s",
                          strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            uint32_t c = load_dir(m, p, o, 0, &tree, &vis);
            if (!c)
                diag_add_path(&m->diags, DIAG_WARNING, DK_INPUT, p,
                              "no .yaml, .yml or .properties files found");
            count += c;
            continue;
        }
        int id = source_read(&m->sources, &m->diags, DK_INPUT, p, p);
        if (id > 0) {
            count++;
            load_source(m, (uint32_t)id, o->force, &tree, true);
        }
    }
    arena_release(&tree);
    free(vis.v);
    return count;
}
