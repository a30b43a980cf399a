/*
 * from_yaml.c - helpers shared by the YAML readers: config maps, scalar
 * typing, client specs and diagnostics (from_yaml.h).
 */
#include "model/from_yaml.h"
#include "model/catalog.h"
#include "model/effective.h"
#include "util/strutil.h"
#include "syntax/yload.h"

#include <stdarg.h>
#include <stdio.h>
#include <inttypes.h>
#include <string.h>

void input_error(struct model *m, uint32_t file, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_addv(&m->diags, DIAG_ERROR, DK_INPUT, yloc(file, n), fmt, ap);
    va_end(ap);
}

void input_warning(struct model *m, uint32_t file, const struct ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_addv(&m->diags, DIAG_WARNING, DK_INPUT, yloc(file, n), fmt, ap);
    va_end(ap);
}

void input_check_fields(struct model *m, uint32_t file, const struct ynode *n,
                        const char *const *allowed, const char *what)
{
    if (!n || n->kind != Y_MAP)
        return;
    for (uint32_t i = 0; i < n->map.n; i++) {
        const struct ynode *k = n->map.pairs[i].key;
        const char *ks = ynode_str(k);
        bool ok = false;
        for (int j = 0; allowed[j] && !ok; j++)
            ok = strcmp(allowed[j], ks) == 0;
        if (ok)
            continue;
        struct nearest nr;
        nearest_init(&nr, ks, 2);
        for (int j = 0; allowed[j]; j++)
            nearest_offer(&nr, allowed[j]);
        const char *best = nearest_best(&nr);
        struct diag *d = diag_add(&m->diags, DIAG_ERROR, DK_INPUT, yloc(file, k),
                                  "unknown field '%s' in %s", ks, what);
        if (best)
            diag_hint(d, "did you mean '%s'?", best);
        else {
            struct buf b = BUF_INIT;
            for (int j = 0; allowed[j]; j++)
                buf_printf(&b, "%s%s", j ? ", " : "", allowed[j]);
            diag_hint(d, "expected one of: %s", buf_str(&b));
            buf_release(&b);
        }
    }
}

bool yint(struct model *m, uint32_t file, const struct ynode *n, const char *what, int64_t *out)
{
    if (n && n->kind == Y_SCALAR && str_to_i64(n->scalar.s, out) == 0)
        return true;
    if (n && n->kind == Y_SCALAR && str_placeholder(n->scalar.s, NULL))
        return false; /* a template's placeholder: unknown, not wrong */
    input_error(m, file, n, "%s must be an integer, not %s%s%s%s", what,
                n && n->kind == Y_SCALAR ? "'" : "",
                n && n->kind == Y_SCALAR ? n->scalar.s : ynode_kind_name(n),
                n && n->kind == Y_SCALAR ? "'" : "", "");
    return false;
}

bool yint_in(struct model *m, uint32_t file, const struct ynode *n, const char *what, int64_t lo,
             int64_t hi, int64_t *out)
{
    if (!yint(m, file, n, what, out))
        return false;
    if (*out >= lo && *out <= hi)
        return true;
    input_error(m, file, n, "%s must be between %" PRId64 " and %" PRId64, what, lo, hi);
    return false;
}

static bool yaml11_bool(const char *s, bool *b)
{
    static const char *const t[] = {"true", "yes", "on", "y", NULL};
    static const char *const f[] = {"false", "no", "off", "n", NULL};
    for (int i = 0; t[i]; i++)
        if (str_ieq(s, t[i])) {
            *b = true;
            return true;
        }
    for (int i = 0; f[i]; i++)
        if (str_ieq(s, f[i])) {
            *b = false;
            return true;
        }
    return false;
}

const char *yconfig_value(struct model *m, uint32_t file, const struct object *o, const char *key,
                          const struct ynode *v, bool *ok)
{
    *ok = true;
    if (!v || ynode_is_null(v))
        return NULL;
    if (v->kind == Y_SCALAR) {
        const struct cat_key *k = key_lookup(o, key);
        bool b;
        if (k && k->type == CT_BOOL && v->style == YS_PLAIN && yaml11_bool(v->scalar.s, &b))
            return b ? "true" : "false";
        return v->scalar.s;
    }
    if (v->kind == Y_SEQ) {
        struct buf b = BUF_INIT;
        for (uint32_t i = 0; i < v->seq.n; i++) {
            const struct ynode *it = v->seq.items[i];
            if (it->kind != Y_SCALAR) {
                input_error(m, file, it, "value of '%s' must be a scalar or a list of scalars",
                            key);
                buf_release(&b);
                *ok = false;
                return NULL;
            }
            buf_printf(&b, "%s%s", i ? "," : "", it->scalar.s);
        }
        const char *s = arena_strdup(&m->arena, buf_str(&b));
        buf_release(&b);
        return s;
    }
    input_error(m, file, v,
                "value of '%s' must be a scalar, not a mapping (write nested keys as one dotted "
                "key: 'a.b.c: value')",
                key);
    *ok = false;
    return NULL;
}

/* Snapshot form: key: {value: v, source: DYNAMIC_TOPIC_CONFIG, broker: 1,
 * sensitive: true}. */
static bool live_form(struct model *m, uint32_t file, struct object *o, const char *key,
                      const struct ynode *v)
{
    const struct ynode *src = ymap_get(v, "source");
    if (!src || !ymap_get_pair(v, "value"))
        return false;
    static const char *const allowed[] = {"value", "source", "broker", "sensitive", NULL};
    input_check_fields(m, file, v, allowed, "a configuration entry");
    const char *sname = ynode_str(src);
    int ls = -1;
    for (int i = 0; i <= LS_BROKER_LOGGER; i++)
        if (strcmp(sname, live_source_name((enum live_source)i)) == 0)
            ls = i;
    if (ls < 0) {
        input_error(m, file, src, "unknown config source '%s'", sname);
        return true;
    }
    bool ok;
    const char *val = yconfig_value(m, file, o, key, ymap_get(v, "value"), &ok);
    if (!ok)
        return true;
    struct setting *s = object_set_key(m, o, key, val, ORIG_LIVE, yloc(file, NULL), yloc(file, v));
    s->key_loc = yloc(file, v);
    s->loc = yloc(file, ymap_get(v, "value"));
    s->live_source = (uint8_t)ls;
    int64_t b;
    const struct ynode *bn = ymap_get(v, "broker");
    if (bn && yint(m, file, bn, "broker", &b))
        s->broker = (int32_t)b;
    const struct ynode *sn = ymap_get(v, "sensitive");
    bool sens;
    if (sn && str_to_bool(ynode_str(sn), &sens) == 0 && sens)
        s->sensitive = true;
    return true;
}

static void mark_secrets(struct model *m, const struct ynode *n, int depth)
{
    if (!n || depth > 128)
        return;
    if (n->kind == Y_SEQ) {
        for (uint32_t i = 0; i < n->seq.n; i++)
            mark_secrets(m, n->seq.items[i], depth + 1);
    } else if (n->kind == Y_MAP) {
        for (uint32_t i = 0; i < n->map.n; i++) {
            const struct ynode *k = n->map.pairs[i].key, *v = n->map.pairs[i].val;
            if (k->kind == Y_SCALAR && v->kind == Y_SCALAR && name_sounds_secret(k->scalar.s))
                model_secret_text_add(m, v->scalar.s);
            mark_secrets(m, v, depth + 1);
        }
    }
}

void yconfig_mark_secrets(struct model *m, const struct ystream *ys)
{
    model_secret_texts_reset(m);
    /* without anchors no scalar is reached twice: nothing to do (and no
     * walk for the files most people write) */
    if (!ys->has_anchors)
        return;
    for (uint32_t i = 0; i < ys->ndocs; i++)
        mark_secrets(m, ys->docs[i].root, 0);
}

/* values at least this long are shared between aliases */
#define SHARED_VALUE_MIN 64

const char *yconfig_value_shared(struct model *m, uint32_t file, const struct object *o,
                                 const char *key, const struct ynode *v, bool *ok, bool *owned)
{
    /* a large value (a long scalar, a list) is made and copied into the
     * model once per node, however many aliases repeat it: an alias bomb
     * of one 1 MiB scalar once took 13 GB */
    bool shared = v && ((v->kind == Y_SCALAR && v->scalar.len >= SHARED_VALUE_MIN) ||
                        (v->kind == Y_SEQ && v->seq.n > 0));
    *ok = true;
    const char *val = shared ? model_shared_value(m, file, v, NULL) : NULL;
    if (!val) {
        val = yconfig_value(m, file, o, key, v, ok);
        if (!*ok)
            val = NULL;
        else if (shared && val)
            val = model_shared_value(m, file, v, val);
    }
    *owned = shared && val;
    return val;
}

void yconfig_map(struct model *m, uint32_t file, struct object *o, const struct ynode *map,
                 const char *where)
{
    if (!map || ynode_is_null(map))
        return;
    if (map->kind != Y_MAP) {
        input_error(m, file, map, "%s must be a mapping of Kafka settings, not %s", where,
                    ynode_kind_name(map));
        return;
    }
    for (uint32_t i = 0; i < map->map.n; i++) {
        const struct ynode *k = map->map.pairs[i].key, *v = map->map.pairs[i].val;
        if (k->kind != Y_SCALAR) {
            input_error(m, file, k, "setting names must be strings");
            continue;
        }
        if (v->kind == Y_MAP && live_form(m, file, o, k->scalar.s, v))
            continue;
        struct loc kl = yloc(file, k), vl = yloc(file, ynode_is_null(v) && v->line == 0 ? k : v);
        bool ok, owned;
        const char *val = yconfig_value_shared(m, file, o, k->scalar.s, v, &ok, &owned);
        if (!ok)
            continue;
        struct setting *s = owned ? object_set_key_owned(m, o, k->scalar.s, val, ORIG_FILE, kl, vl)
                                  : object_set_key(m, o, k->scalar.s, val, ORIG_FILE, kl, vl);
        if (!s->sensitive && v->kind == Y_SCALAR && model_secret_text(m, v->scalar.s)) {
            s->sensitive = true; /* an alias of a secret */
            source_hide(&m->sources, file, vl.line, vl.col);
        }
        /* a secret continued over lines: every line of it (a block
         * scalar ends where the next line's content starts: not that line) */
        if (s->sensitive && v->line && v->end_line > v->line) {
            uint32_t last = v->end_line;
            size_t len;
            const char *t = source_line(&m->sources, file, last, &len);
            bool blank_before = true;
            for (size_t c = 0; t && c + 1 < v->end_col && c < len; c++)
                blank_before &= t[c] == ' ' || t[c] == '\t';
            if (blank_before)
                last--;
            source_hide_lines(&m->sources, file, v->line + 1, last);
        }
    }
}

int client_spec_parse(const char *s, enum client_kind *kind, struct version *v)
{
    while (*s == ' ')
        s++;
    size_t wl = strcspn(s, " /@:");
    char word[64];
    if (wl == 0 || wl >= sizeof word)
        return -1;
    memcpy(word, s, wl);
    word[wl] = '\0';
    for (char *p = word; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (strcmp(word, "java") == 0 || strcmp(word, "kafka-clients") == 0 ||
        strcmp(word, "apache-kafka") == 0 || strcmp(word, "kafka") == 0)
        *kind = CK_JAVA;
    else if (strcmp(word, "librdkafka") == 0 || strcmp(word, "rdkafka") == 0 ||
             str_starts(word, "confluent-kafka") || strcmp(word, "node-rdkafka") == 0)
        /* confluent-kafka-X vN bundles librdkafka vN (kafka-semantics.md, [CK]) */
        *kind = CK_LIBRDKAFKA;
    else
        return -1;
    v->set = false;
    const char *rest = s + wl;
    while (*rest == ' ' || *rest == '/' || *rest == '@' || *rest == ':')
        rest++;
    if (*rest && version_parse(rest, v))
        return -1;
    return 0;
}
