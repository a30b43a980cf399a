#include "cli/project_config.h"
#include "util/clock.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "syntax/yload.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void project_config_init(struct project_config *pc)
{
    memset(pc, 0, sizeof *pc);
    arena_init(&pc->arena);
    source_set_init(&pc->sources);
    diag_list_init(&pc->diags);
    pc->fail_on = -1;
}

void project_config_release(struct project_config *pc)
{
    diag_list_release(&pc->diags);
    source_set_release(&pc->sources);
    arena_release(&pc->arena);
}

const char *project_config_find(void)
{
    static char path[PATH_MAX + 32];
    char dir[PATH_MAX];
    if (!getcwd(dir, sizeof dir))
        return NULL;
    for (;;) {
        snprintf(path, sizeof path, "%s/.kafkaudit.yaml", strcmp(dir, "/") == 0 ? "" : dir);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            return path;
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) {
            if (strcmp(dir, "/") == 0)
                return NULL;
            dir[0] = '/';
            dir[1] = '\0';
            continue;
        }
        *slash = '\0';
    }
}

static struct diag *perr(struct project_config *pc, uint32_t file, const struct ynode *n,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static struct diag *perr(struct project_config *pc, uint32_t file, const struct ynode *n,
                         const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct diag *d = diag_addv(&pc->diags, DIAG_ERROR, DK_RULES, yloc(file, n), fmt, ap);
    va_end(ap);
    return d;
}

/* "did you mean 'off'?" under d for a misspelt word of list */
static void hint_nearest(struct diag *d, const char *word, const char *const *list)
{
    const char *sg = nearest_in(word, list);
    if (d && sg)
        diag_hint(d, "did you mean '%s'?", sg);
}

static const char *const rule_setting_words[] = {"off", "on", "error", "warning", "info", NULL};
static const char *const severity_words[] = {"error", "warning", "info", NULL};

static void load_rules(struct project_config *pc, uint32_t file, const struct ynode *n)
{
    if (n->kind != Y_MAP) {
        perr(pc, file, n, "'rules' must map rule ids to settings");
        return;
    }
    /* room for what an earlier block read too (a second 'rules:' through a
     * merge key or another document once wrote past the first's array) */
    struct rule_override *ov =
        ARENA_ARRAY(&pc->arena, struct rule_override, pc->noverrides + n->map.n + 1);
    if (pc->noverrides)
        memcpy(ov, pc->overrides, pc->noverrides * sizeof *ov);
    pc->overrides = ov;
    for (uint32_t i = 0; i < n->map.n; i++) {
        const struct ynode *k = n->map.pairs[i].key, *v = n->map.pairs[i].val;
        struct rule_override *o = &pc->overrides[pc->noverrides];
        o->id = ynode_str(k);
        o->severity = -1;
        o->enabled = -1;
        o->loc = yloc(file, k);
        bool b;
        enum severity s;
        if (v->kind == Y_SCALAR) {
            if (str_to_bool(v->scalar.s, &b) == 0 || str_ieq(v->scalar.s, "off") ||
                str_ieq(v->scalar.s, "on"))
                o->enabled = str_ieq(v->scalar.s, "off") ? 0 : str_ieq(v->scalar.s, "on") ? 1 : b;
            else if (severity_parse(v->scalar.s, &s) == 0)
                o->severity = (int)s;
            else {
                hint_nearest(
                    perr(pc, file, v, "rule setting must be off, on, a severity, or a mapping"),
                    v->scalar.s, rule_setting_words);
                continue;
            }
        } else if (v->kind == Y_MAP) {
            const struct ynode *sv = ymap_get(v, "severity"), *en = ymap_get(v, "enabled");
            for (uint32_t j = 0; j < v->map.n; j++) {
                const char *f = ynode_str(v->map.pairs[j].key);
                if (strcmp(f, "severity") && strcmp(f, "enabled"))
                    perr(pc, file, v->map.pairs[j].key,
                         "unknown field '%s' (expected severity or enabled)", f);
            }
            if (sv) {
                if (severity_parse(ynode_str(sv), &s))
                    hint_nearest(perr(pc, file, sv,
                                      "unknown severity '%s' (expected error, warning or info)",
                                      ynode_str(sv)),
                                 ynode_str(sv), severity_words);
                else
                    o->severity = (int)s;
            }
            if (en) {
                if (str_to_bool(ynode_str(en), &b))
                    perr(pc, file, en, "'enabled' must be true or false");
                else
                    o->enabled = b;
            }
        } else {
            perr(pc, file, v, "rule setting must be off, on, a severity, or a mapping");
            continue;
        }
        pc->noverrides++;
    }
}

static void load_suppressions(struct project_config *pc, uint32_t file, const struct ynode *n)
{
    if (n->kind != Y_SEQ) {
        perr(pc, file, n, "'suppressions' must be a list");
        return;
    }
    struct suppression *sv = ARENA_ARRAY(&pc->arena, struct suppression, pc->nsupp + n->seq.n + 1);
    if (pc->nsupp)
        memcpy(sv, pc->supp, pc->nsupp * sizeof *sv);
    pc->supp = sv;
    static const char *const fields[] = {"rule", "object", "reason", "expires", NULL};
    for (uint32_t i = 0; i < n->seq.n; i++) {
        const struct ynode *s = n->seq.items[i];
        if (s->kind != Y_MAP) {
            perr(pc, file, s, "a suppression is a mapping {rule, object, reason, expires}");
            continue;
        }
        for (uint32_t j = 0; j < s->map.n; j++) {
            const char *f = ynode_str(s->map.pairs[j].key);
            bool ok = false;
            for (int q = 0; fields[q]; q++)
                ok |= strcmp(fields[q], f) == 0;
            if (!ok)
                perr(pc, file, s->map.pairs[j].key,
                     "unknown suppression field '%s' (expected rule, object, reason, expires)", f);
        }
        struct suppression *sp = &pc->supp[pc->nsupp];
        memset(sp, 0, sizeof *sp);
        sp->loc = yloc(file, s);
        sp->expires_day = -1;
        const struct ynode *r = ymap_get(s, "rule"), *o = ymap_get(s, "object"),
                           *why = ymap_get(s, "reason"), *ex = ymap_get(s, "expires");
        if (!r || ynode_is_null(r)) {
            perr(pc, file, s, "suppression has no 'rule'");
            continue;
        }
        sp->rule = ynode_str(r);
        if (!why || ynode_is_null(why) || !*ynode_str(why)) {
            perr(pc, file, s, "suppression of %s has no 'reason'; every accepted risk needs one",
                 sp->rule);
            continue;
        }
        sp->reason = ynode_str(why);
        if (o && !ynode_is_null(o)) {
            const char *os = ynode_str(o);
            const char *colon = strchr(os, ':');
            if (colon) {
                sp->object_kind = arena_strndup(&pc->arena, os, (size_t)(colon - os));
                sp->object_name = colon + 1;
            } else {
                sp->object_name = os;
            }
        }
        if (ex && !ynode_is_null(ex)) {
            sp->expires_text = ynode_str(ex);
            if (parse_date(sp->expires_text, &sp->expires_day)) {
                perr(pc, file, ex, "expires must be a date YYYY-MM-DD, not '%s'", sp->expires_text);
                continue;
            }
        }
        pc->nsupp++;
    }
}

uint32_t project_config_load(struct project_config *pc, const char *path)
{
    uint32_t before = pc->diags.nerrors;
    int id = source_read(&pc->sources, &pc->diags, DK_RULES, path, path);
    if (id < 0)
        return pc->diags.nerrors - before;
    pc->path = arena_strdup(&pc->arena, path);
    const char *slash = strrchr(path, '/');
    pc->dir = slash ? arena_strndup(&pc->arena, path, (size_t)(slash - path)) : ".";
    struct ystream ys;
    if (yload_parse(&pc->arena, &pc->sources, &pc->diags, DK_RULES, (uint32_t)id, &ys))
        return pc->diags.nerrors - before;
    if (!ys.ndocs || !ys.docs[0].root)
        return 0;
    const struct ynode *root = ys.docs[0].root;
    uint32_t file = (uint32_t)id;
    if (root->kind != Y_MAP) {
        perr(pc, file, root, "project config must be a mapping");
        return pc->diags.nerrors - before;
    }
    static const char *const fields[] = {"rules",   "rule_dirs",    "defaults",
                                         "fail_on", "suppressions", NULL};
    for (uint32_t i = 0; i < root->map.n; i++) {
        const struct ynode *k = root->map.pairs[i].key, *v = root->map.pairs[i].val;
        const char *ks = ynode_str(k);
        bool ok = false;
        for (int f = 0; fields[f]; f++)
            ok |= strcmp(fields[f], ks) == 0;
        if (!ok) {
            perr(pc, file, k, "unknown field '%s' in project config", ks);
            diag_hint(&pc->diags.v[pc->diags.n - 1],
                      "fields: rules, rule_dirs, defaults, fail_on, suppressions");
            continue;
        }
        if (strcmp(ks, "rules") == 0)
            load_rules(pc, file, v);
        else if (strcmp(ks, "suppressions") == 0)
            load_suppressions(pc, file, v);
        else if (strcmp(ks, "fail_on") == 0) {
            enum severity s;
            if (severity_parse(ynode_str(v), &s))
                perr(pc, file, v, "fail_on must be error, warning or info");
            else
                pc->fail_on = (int)s;
        } else if (strcmp(ks, "rule_dirs") == 0) {
            if (v->kind != Y_SEQ) {
                perr(pc, file, v, "rule_dirs must be a list of directories");
                continue;
            }
            pc->rule_dirs = ARENA_ARRAY(&pc->arena, const char *, v->seq.n ? v->seq.n : 1);
            for (uint32_t j = 0; j < v->seq.n; j++) {
                const char *d = ynode_str(v->seq.items[j]);
                pc->rule_dirs[pc->nrule_dirs++] =
                    d[0] == '/' ? d : arena_printf(&pc->arena, "%s/%s", pc->dir, d);
            }
        } else if (strcmp(ks, "defaults") == 0) {
            if (v->kind != Y_MAP) {
                perr(pc, file, v, "defaults must be a mapping");
                continue;
            }
            for (uint32_t j = 0; j < v->map.n; j++) {
                const char *dk = ynode_str(v->map.pairs[j].key);
                const struct ynode *dv = v->map.pairs[j].val;
                struct version ver;
                if (version_parse(ynode_str(dv), &ver)) {
                    perr(pc, file, dv, "'%s' must be a version such as \"3.7\"", dk);
                    continue;
                }
                if (strcmp(dk, "kafka_version") == 0 || strcmp(dk, "kafka") == 0) {
                    pc->kafka = ver;
                    pc->has_kafka = true;
                } else if (strcmp(dk, "java_client") == 0 || strcmp(dk, "java") == 0) {
                    pc->java_client = ver;
                    pc->has_java = true;
                } else if (strcmp(dk, "librdkafka") == 0) {
                    pc->librdkafka = ver;
                    pc->has_rdk = true;
                } else
                    perr(pc, file, v->map.pairs[j].key,
                         "unknown default '%s' (expected kafka_version, java_client, librdkafka)",
                         dk);
            }
        }
    }
    return pc->diags.nerrors - before;
}

void project_config_apply(struct project_config *pc, struct rule_set *rs)
{
    for (uint32_t i = 0; i < pc->noverrides; i++) {
        struct rule_override *o = &pc->overrides[i];
        struct rule *r = rule_set_find(rs, o->id);
        if (!r) {
            struct diag *d =
                diag_add(&pc->diags, DIAG_ERROR, DK_RULES, o->loc, "unknown rule id '%s'", o->id);
            const char *s = rule_set_suggest(rs, o->id);
            if (d && s)
                diag_hint(d, "did you mean '%s'?", s);
            continue;
        }
        if (o->severity >= 0)
            r->severity = (uint8_t)o->severity;
        if (o->enabled >= 0)
            r->enabled = o->enabled;
    }
    for (uint32_t i = 0; i < pc->nsupp; i++)
        if (!rule_set_find(rs, pc->supp[i].rule)) {
            struct diag *d = diag_add(&pc->diags, DIAG_ERROR, DK_RULES, pc->supp[i].loc,
                                      "suppression names unknown rule id '%s'", pc->supp[i].rule);
            const char *s = rule_set_suggest(rs, pc->supp[i].rule);
            if (d && s)
                diag_hint(d, "did you mean '%s'?", s);
        }
}
