/*
 * cmd_effective.c - `kafkaudit effective PATH...` and `effective -b
 * BOOTSTRAP`: the effective value of every setting of every object, and
 * where it came from (a file and line, or a live cluster's DescribeConfigs
 * source).
 */
#include "cli/audit.h"
#include "cli/connect.h"
#include "input/input.h"
#include "model/effective.h"
#include "util/json_writer.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum {
    O_AS = 1,
    O_OBJECT,
    O_KEY,
    O_ALL,
    O_FORMAT,
    O_KAFKA,
    O_JAVA,
    O_RDK,
    O_NO_CONFIG,
    O_CONFIG,
    O_JSON
};

static const struct opt eff_opts[] = {
    CONNECT_OPTIONS,
    {"object", 'O', "KIND:NAME", O_OBJECT, OPT_REPEAT, "object",
     "only this object (topic:orders, producer:billing, broker:1, cluster)"},
    {"key", 'k', "KEY", O_KEY, OPT_REPEAT, NULL, "only this setting (repeatable)"},
    {"all", 'a', NULL, O_ALL, 0, NULL,
     "every known setting, not only those set or read by the rules"},
    {"format", 'f', "FORMAT", O_FORMAT, 0, "text|json", "text (default) or json"},
    {"json", 0, NULL, O_JSON, 0, NULL, "same as --format json"},
    {"as", 0, "DIALECT", O_AS, 0, "dialect", "read every file as DIALECT"},
    {"kafka-version", 0, "VERSION", O_KAFKA, 0, NULL, "Kafka version when not declared"},
    {"java-client-version", 0, "VERSION", O_JAVA, 0, NULL, "Java client version when not declared"},
    {"librdkafka-version", 0, "VERSION", O_RDK, 0, NULL, "librdkafka version when not declared"},
    {"config", 'c', "FILE", O_CONFIG, 0, "file", "project config (for defaults)"},
    {"no-config", 0, NULL, O_NO_CONFIG, 0, NULL, "ignore .kafkaudit.yaml"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

struct keyset {
    const char **v;
    uint32_t n, cap;
};

static void add_key(struct keyset *ks, const char *k)
{
    for (uint32_t i = 0; i < ks->n; i++)
        if (strcmp(ks->v[i], k) == 0)
            return;
    XGROW(ks->v, ks->cap, ks->n + 1);
    ks->v[ks->n++] = k;
}

struct collect {
    struct keyset *per_role;
};

static void on_key(int role, const char *key, void *arg)
{
    struct collect *c = arg;
    add_key(&c->per_role[role], key);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int role_of(const struct object *o)
{
    switch (o->kind) {
    case OBJ_CLUSTER: return R_CLUSTER;
    case OBJ_BROKER: return R_BROKER;
    case OBJ_CONTROLLER: return R_CONTROLLER;
    case OBJ_TOPIC: return R_TOPIC;
    case OBJ_PRODUCER: return R_PRODUCER;
    case OBJ_CONSUMER: return R_CONSUMER;
    default: return R_CLUSTER;
    }
}

struct filters {
    const char *objects[32];
    bool matched[32]; /* objects[i] selected something */
    int nobjects;
    const char *keys[64];
    int nkeys;
    bool all, json;
};

static bool object_selected(struct filters *f, const struct object *o)
{
    if (!f->nobjects)
        return true;
    bool any = false;
    for (int i = 0; i < f->nobjects; i++) {
        const char *s = f->objects[i];
        const char *colon = strchr(s, ':');
        size_t kl = colon ? (size_t)(colon - s) : strlen(s);
        const char *kind = obj_kind_name(o->kind);
        if (strlen(kind) != kl || strncmp(kind, s, kl) != 0)
            continue;
        bool hit = !colon || strcmp(colon + 1, o->name) == 0;
        if (!hit && (o->kind == OBJ_BROKER || o->kind == OBJ_CONTROLLER)) {
            char id[32];
            snprintf(id, sizeof id, "%d", ((const struct broker *)o)->id);
            hit = strcmp(id, colon + 1) == 0;
        }
        if (hit)
            f->matched[i] = any = true;
    }
    return any;
}

/* Keys to show for o: explicit ones, those rules read, or everything. */
static void keys_for(const struct model *m, const struct object *o, const struct filters *f,
                     const struct keyset *rule_keys, struct keyset *out)
{
    (void)m;
    if (f->nkeys) {
        for (int i = 0; i < f->nkeys; i++)
            add_key(out, f->keys[i]);
        return;
    }
    for (const struct setting *s = o->cfg; s; s = s->next) {
        const struct cat_key *k = key_lookup(o, s->key);
        add_key(out, k ? catalog_canonical(k) : s->key);
    }
    for (uint32_t i = 0; i < rule_keys[role_of(o)].n; i++)
        add_key(out, rule_keys[role_of(o)].v[i]);
    if (f->all) {
        enum cat_family fam = object_family(o);
        /* only the keys the object's version has: not those added later
         * nor those removed (Kafka 4.0 removed the ZooKeeper-era keys) */
        struct version v = object_version(m, o);
        for (size_t i = 0; i < catalog_nkeys; i++) {
            const struct cat_key *k = &catalog_keys[i];
            if (!(k->families & fam) || k->alias_of)
                continue;
            if (v.set && ((k->since && !version_ge(v, k->since)) ||
                          (k->removed && version_ge(v, k->removed))))
                continue;
            add_key(out, catalog_canonical(k));
        }
    }
    qsort(out->v, out->n, sizeof *out->v, cmp_key);
}

/* A secret read from a live cluster comes back as null (DescribeConfigs
 * never returns sensitive values): set somewhere other than Kafka's
 * default, it is set, and hidden, not null. */
static bool hidden_live_secret(const struct eff *e)
{
    return e->sensitive && e->origin == ORIG_LIVE && e->live_source != LS_DEFAULT &&
           e->live_source != LS_UNKNOWN;
}

static void header_text(const struct model *m, const struct object *o)
{
    if (o->kind != OBJ_CLUSTER && object_name_has_kind(o))
        printf("%s", o->name);
    else
        printf("%s %s", obj_kind_name(o->kind), o->name);
    if (o->kind == OBJ_PRODUCER || o->kind == OBJ_CONSUMER) {
        const struct client *c = (const struct client *)o;
        char v[32];
        version_fmt(object_version(m, o), v, sizeof v);
        printf(" (%s %s%s%s%s)", c->ckind == CK_LIBRDKAFKA ? "librdkafka" : "Java client", v,
               c->version_assumed ? ", assumed" : "", c->version_note ? ": " : "",
               c->version_note ? c->version_note : "");
    } else if (o->kind == OBJ_CLUSTER) {
        char v[32];
        version_fmt(object_version(m, o), v, sizeof v);
        printf(" (Kafka %s%s)", v,
               m->cluster.version_inferred    ? ", inferred"
               : m->cluster.kafka_version.set ? ""
                                              : ", assumed");
    }
    const char *p = source_path(&m->sources, o->loc.file);
    if (p)
        printf("  %s:%u", p, o->loc.line);
    putchar('\n');
}

static void show(const struct model *m, const struct object *o, struct filters *f,
                 const struct keyset *rule_keys, struct jw *w)
{
    if (!object_selected(f, o))
        return;
    struct keyset ks = {0};
    keys_for(m, o, f, rule_keys, &ks);
    if (w) {
        jw_obj_begin(w);
        jw_kstr(w, "kind", obj_kind_name(o->kind));
        jw_kstr(w, "name", o->name);
        if (o->kind == OBJ_PRODUCER || o->kind == OBJ_CONSUMER) {
            const struct client *c = (const struct client *)o;
            char v[32];
            version_fmt(object_version(m, o), v, sizeof v);
            jw_kstr(w, "client", c->ckind == CK_LIBRDKAFKA ? "librdkafka" : "java");
            jw_kstr(w, "client_version", v);
            jw_kbool(w, "version_assumed", c->version_assumed);
            if (c->version_note)
                jw_kstr(w, "version_source", c->version_note);
        }
        jw_key(w, "settings");
        jw_arr_begin(w);
    } else {
        header_text(m, o);
    }
    /* columns as wide as their widest entry: names (with the real key
     * an alias stands for), values (at least 12; one wider than 40 puts
     * its origin on the next line rather than widen every row) */
    size_t width = 0, vwidth = 12;
    for (uint32_t i = 0; !w && i < ks.n; i++) {
        struct eff e;
        effective_get(m, o, ks.v[i], &e);
        if (!e.cat && !e.set)
            continue;
        size_t nl = strlen(ks.v[i]);
        if (strcmp(e.real, ks.v[i]) != 0)
            nl += strlen(e.real) + 3;
        if (nl > width)
            width = nl;
        const char *val = e.origin == ORIG_NONE && !e.value ? "?"
                          : hidden_live_secret(&e)          ? "[hidden]"
                                                            : effective_display(&e);
        size_t vl = strlen(val);
        if (vl > vwidth && vl <= 40)
            vwidth = vl;
    }
    for (uint32_t i = 0; i < ks.n; i++) {
        struct eff e;
        effective_get(m, o, ks.v[i], &e);
        if (!e.cat && !e.set)
            continue; /* unknown and unset: nothing to say */
        struct buf why = BUF_INIT;
        effective_origin_text(m, &e, &why);
        /* set to a value not known here (a template placeholder, a
         * variable of the shell, an unknown image's choice): "?" */
        bool unknown = !e.value &&
                       (e.origin == ORIG_NONE || e.origin == ORIG_FILE || e.origin == ORIG_DERIVED);
        const char *val = unknown                  ? "?"
                          : hidden_live_secret(&e) ? "[hidden]"
                                                   : effective_display(&e);
        if (w) {
            static const char *const on[] = {"none", "file", "live", "default", "derived"};
            jw_obj_begin(w);
            jw_kstr(w, "key", ks.v[i]);
            if (strcmp(e.real, ks.v[i]) != 0)
                jw_kstr(w, "real_key", e.real);
            jw_key(w, "value");
            if (unknown)
                jw_null(w);
            else
                jw_str(w,
                       (e.sensitive && e.value) || hidden_live_secret(&e) ? "[hidden]" : e.value);
            jw_kstr(w, "origin", on[e.origin]);
            if (e.origin == ORIG_LIVE)
                jw_kstr(w, "source", live_source_name((enum live_source)e.live_source));
            jw_kstr(w, "where", buf_str(&why));
            const char *p = e.origin == ORIG_FILE ? source_path(&m->sources, e.loc.file) : NULL;
            if (p) {
                jw_kstr(w, "file", p);
                jw_kint(w, "line", e.loc.line);
            }
            jw_obj_end(w);
        } else {
            char name[160];
            if (strcmp(e.real, ks.v[i]) != 0)
                snprintf(name, sizeof name, "%s (%s)", ks.v[i], e.real);
            else
                snprintf(name, sizeof name, "%s", ks.v[i]);
            if (strlen(val) > vwidth)
                printf("  %-*s  %s\n  %-*s  %-*s  %s\n", (int)width + 2, name, val, (int)width + 2,
                       "", (int)vwidth, "", buf_str(&why));
            else
                printf("  %-*s  %-*s  %s\n", (int)width + 2, name, (int)vwidth, val, buf_str(&why));
        }
        buf_release(&why);
    }
    if (w) {
        jw_arr_end(w);
        jw_obj_end(w);
    } else {
        putchar('\n');
    }
    free(ks.v);
}

static int run(int argc, char **argv, const struct command *self)
{
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    struct filters f;
    memset(&f, 0, sizeof f);
    struct input_opts io = {DL_AUTO, false, 0};
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int npaths = 0, id;
    const char *arg, *config = NULL;
    bool no_config = false;
    struct version kv = {0}, jv = {0}, rv = {0};
    struct live_opts lo;
    live_opts_init(&lo);
    lo.want_groups = false; /* configurations: brokers and topics */
    lo.want_offsets = false;
    int rc;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        struct version *vp = NULL;
        switch (id) {
        case OPT_ERROR: free(paths); return EXIT_USAGE;
        case OPT_POSITIONAL: paths[npaths++] = (char *)example_operand(arg); break;
        case O_OBJECT: {
            /* a mistyped kind is a usage error, not an object that
             * "matches nothing" */
            char kind[32];
            snprintf(kind, sizeof kind, "%.*s", (int)strcspn(arg, ":"), arg);
            bool known = false;
            for (int i = 0; object_kinds[i] && !known; i++)
                known = strcmp(object_kinds[i], kind) == 0;
            if (!known) {
                free(paths);
                return usage_error(self,
                                   "--object %s: unknown kind '%s'%s (cluster, broker:ID, "
                                   "controller:ID, topic:NAME, producer:NAME, consumer:NAME)",
                                   arg, kind, did_you_mean_kind(kind, "object"));
            }
            if (f.nobjects < 32)
                f.objects[f.nobjects++] = arg;
            break;
        }
        case O_KEY:
            if (f.nkeys < 64)
                f.keys[f.nkeys++] = arg;
            break;
        case O_ALL: f.all = true; break;
        case O_JSON: f.json = true; break;
        case O_FORMAT:
            if (strcmp(arg, "json") == 0)
                f.json = true;
            else if (strcmp(arg, "text") != 0) {
                free(paths);
                return usage_error(self, "--format expects text or json");
            }
            break;
        case O_AS:
            if (dialect_parse(arg, &io.force) || io.force == DL_AUTO) {
                free(paths);
                return usage_error(self, "unknown dialect '%s' (%s)%s", arg,
                                   completion_list("dialect"), did_you_mean_kind(arg, "dialect"));
            }
            break;
        case O_CONFIG: config = arg; break;
        case O_NO_CONFIG: no_config = true; break;
        case O_KAFKA: vp = &kv; break;
        case O_JAVA: vp = &jv; break;
        case O_RDK: vp = &rv; break;
        default:
            if ((rc = connect_opt(&lo, id, arg, self)) != 0) {
                free(paths);
                return rc == 1 ? usage_error(self, "unexpected option") : rc;
            }
        }
        if (vp && version_parse(arg, vp)) {
            free(paths);
            return usage_error(self, "'%s' is not a version", arg);
        }
    }
    /* $KAFKAUDIT_CLUSTER only when there are no files: it does not turn
     * every effective on files into a live one */
    if ((rc = connect_finish(&lo, self, npaths == 0)) != 0) {
        free(paths);
        return rc;
    }
    if (connect_cluster.kafka.set && !kv.set)
        kv = connect_cluster.kafka;
    bool live = connect_given(&lo);
    if (!npaths && !live) {
        free(paths);
        return usage_error(self, "no files or directories given, and no cluster (-b, -C)");
    }
    struct project_config pc;
    project_config_init(&pc);
    if (!config && !no_config)
        config = project_config_find();
    if (config)
        project_config_load(&pc, config);
    struct rule_set rs;
    rule_set_init(&rs);
    load_rule_set(&rs, (const char *const *)pc.rule_dirs, (int)pc.nrule_dirs, true);

    struct model m;
    model_init(&m);
    if (pc.has_kafka)
        m.defaults.kafka = pc.kafka;
    if (pc.has_java)
        m.defaults.java_client = pc.java_client;
    if (pc.has_rdk)
        m.defaults.librdkafka = pc.librdkafka;
    if (kv.set)
        m.defaults.kafka = kv;
    if (jv.set)
        m.defaults.java_client = jv;
    if (rv.set)
        m.defaults.librdkafka = rv;
    input_load_paths(&m, paths, npaths, &io);
    /* -b: the live cluster's brokers and topics, each value with its
     * DescribeConfigs source (files' clients against them, as lint -b) */
    enum collect_result cr = COLLECT_OK;
    if (live) {
        struct live_stats st;
        cr = connect_collect(&lo, &m, &st);
        if (cr == COLLECT_CONFIG || cr == COLLECT_UNREACHABLE) {
            render_diags_text(stderr, &m.sources, &m.diags, want_color(COLOR_AUTO, stderr), &m);
            model_release(&m);
            rule_set_release(&rs);
            project_config_release(&pc);
            free(paths);
            return collect_exit_status(cr);
        }
    }
    model_finalize(&m);

    struct keyset rule_keys[R__COUNT];
    memset(rule_keys, 0, sizeof rule_keys);
    struct collect col = {rule_keys};
    for (uint32_t i = 0; i < rs.n; i++) {
        const struct rule *r = rs.rules[i];
        expr_walk_keys(r->when, on_key, &col);
        expr_walk_keys(r->at, on_key, &col);
    }

    struct jw w;
    struct jw *wp = NULL;
    if (f.json) {
        jw_init(&w, stdout, true);
        wp = &w;
        jw_obj_begin(wp);
        if (live)
            live_json_header(wp, "effective", &m);
        else
            jw_kint(wp, "version", 1);
        jw_key(wp, "objects");
        jw_arr_begin(wp);
    }
    if (m.cluster.declared || m.cluster.live)
        show(&m, &m.cluster.o, &f, rule_keys, wp);
    for (uint32_t i = 0; i < m.nbrokers; i++)
        show(&m, &m.brokers[i]->o, &f, rule_keys, wp);
    for (uint32_t i = 0; i < m.ncontrollers; i++)
        show(&m, &m.controllers[i]->o, &f, rule_keys, wp);
    for (uint32_t i = 0; i < m.ntopics; i++)
        show(&m, &m.topics[i]->o, &f, rule_keys, wp);
    for (uint32_t i = 0; i < m.nproducers; i++)
        show(&m, &m.producers[i]->o, &f, rule_keys, wp);
    for (uint32_t i = 0; i < m.nconsumers; i++)
        show(&m, &m.consumers[i]->o, &f, rule_keys, wp);
    if (wp) {
        jw_arr_end(wp);
        jw_obj_end(wp);
        jw_end(wp);
    }
    bool color = want_color(COLOR_AUTO, stderr);
    render_diags_text(stderr, &pc.sources, &pc.diags, color, NULL);
    render_diags_text(stderr, &rs.sources, &rs.diags, color, NULL);
    render_diags_text(stderr, &m.sources, &m.diags, color, &m);
    rc = m.diags.nerrors || rs.diags.nerrors || pc.diags.nerrors ? EXIT_INPUT : EXIT_OK;
    /* a configuration that could not be read: its values are unknown (?),
     * the answer incomplete */
    if (live && (cr != COLLECT_OK || diag_count(&m.diags, DIAG_WARNING, DK_CLUSTER)) &&
        rc != EXIT_INPUT)
        rc = EXIT_CLUSTER;
    for (int i = 0; i < f.nobjects; i++)
        if (!f.matched[i]) {
            fprintf(stderr,
                    "kafkaudit: error: --object %s matches nothing (cluster, broker:ID, "
                    "controller:ID, topic:NAME, producer:NAME, consumer:NAME)\n",
                    f.objects[i]);
            if (rc == EXIT_OK)
                rc = EXIT_FINDINGS;
        }
    for (int i = 0; i < R__COUNT; i++)
        free(rule_keys[i].v);
    model_release(&m);
    rule_set_release(&rs);
    project_config_release(&pc);
    free(paths);
    return rc;
}

const struct command cmd_effective = {
    .name = "effective",
    .summary = "print every object's effective configuration and where each value comes from",
    .synopsis = "[OPTIONS] PATH... | -b HOST:PORT",
    .opts = eff_opts,
    .run = run,
    .exit_status = "Exit status: 0 ok, 1 an --object matched nothing, 2 usage error, 3 an input\n"
                   "could not be read or is invalid (or invalid connection settings), 4 the\n"
                   "cluster unreachable or a configuration not read (its values are shown as ?).",
    .operands = "file",
    .description = "Shows, for the cluster, brokers, topics, producers and consumers, the value\n"
                   "each setting really has: written in a file (file:line), inherited from the\n"
                   "cluster or broker config, derived by the client library (e.g. Java 3.x\n"
                   "disabling idempotence), or the default of the declared Kafka or client\n"
                   "version.  With -b (or -C), a running cluster's brokers and topics, each value\n"
                   "with its DescribeConfigs source (DYNAMIC_TOPIC_CONFIG, STATIC_BROKER_CONFIG,\n"
                   "DEFAULT_CONFIG, ...); '?' where a configuration could not be read; sensitive\n"
                   "values are never shown.  By default: the settings that are set and those the\n"
                   "rules read.",
};
