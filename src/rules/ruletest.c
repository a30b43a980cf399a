/*
 * ruletest.c - run a rule's own examples.  Each example is a manifest
 * fragment; "fail" examples must make the rule fire, "pass" examples must
 * not.  This is how the shipped rule set proves every rule, and how users
 * test their own rules (`kafkaudit rules test DIR`).
 */
#include "manifest/manifest.h"
#include "model/catalog.h"
#include "model/effective.h"
#include "rules/rule.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The object of m that stands where o stood in another model of the same
 * example (cluster, broker, topic or client), or NULL. */
static struct object *same_object(struct model *m, const struct object *o)
{
    switch (o->kind) {
    case OBJ_CLUSTER: return &m->cluster.o;
    case OBJ_BROKER: {
        const struct broker *b = (const struct broker *)o;
        if (b->id < 0)
            return &m->cluster.o; /* every broker: the cluster config */
        struct broker *nb = model_find_broker(m, b->id);
        return nb ? &nb->o : NULL;
    }
    case OBJ_TOPIC: {
        /* a topic only clients name is declared by the fix */
        bool created;
        return &model_topic(m, o->name, o->loc, &created)->o;
    }
    case OBJ_PRODUCER:
    case OBJ_CONSUMER: {
        struct client *c = model_find_client(m, o->kind, o->name);
        return c ? &c->o : NULL;
    }
    default: return NULL;
    }
}

/* Set key (a rule-language name) to v on o, replacing the value written
 * (a fix edits the line; it does not add a second one). */
static void set_value(struct model *m, struct object *o, const char *key, const char *v,
                      struct loc loc)
{
    enum cat_family fam = object_family(o);
    const struct cat_key *ck = fam ? catalog_by_canonical(key, fam) : NULL;
    const char *real = model_intern(m, ck ? ck->name : key);
    bool done = false;
    /* every assignment of the key or one of its aliases */
    for (struct setting *s = o->cfg; s; s = s->next) {
        const struct cat_key *sk = fam ? catalog_find(s->key, fam) : NULL;
        if (sk)
            sk = catalog_resolve(sk, fam);
        if (s->key == real || strcmp(s->key, real) == 0 || (sk && ck && sk == ck)) {
            s->value = model_intern(m, v);
            done = true;
        }
    }
    if (!done)
        object_set(m, o, real, model_intern(m, v), ORIG_FILE, loc);
}

/* Remove key (and its aliases) from o: the default applies again. */
static void unset_value(struct object *o, const char *key)
{
    enum cat_family fam = object_family(o);
    const struct cat_key *ck = fam ? catalog_by_canonical(key, fam) : NULL;
    const char *real = ck ? ck->name : key;
    for (struct setting **sp = &o->cfg; *sp;) {
        struct setting *s = *sp;
        const struct cat_key *sk = fam ? catalog_find(s->key, fam) : NULL;
        if (sk)
            sk = catalog_resolve(sk, fam);
        if (strcmp(s->key, real) == 0 || (sk && ck && sk == ck))
            *sp = s->next;
        else
            sp = &s->next;
    }
}

/* Read example ex into m; when fix is given, apply its settings first.
 * Returns false when the example is invalid or the fix cannot be applied. */
static bool example_model(const struct rule_set *rs, const struct rule_example *ex,
                          const struct finding *fix, struct model *m)
{
    const struct src_file *sf = source_get(&rs->sources, ex->loc.file);
    model_init(m);
    /* the example's positions refer to the rule file: register a copy
     * so locations and carets work inside the example model too */
    uint32_t file = source_set_add(&m->sources, sf->path, xstrndup(sf->data, sf->len), sf->len);
    read_manifest_doc(m, file, ex->doc);
    if (m->diags.nerrors)
        return false;
    if (fix) {
        struct object *o = same_object(m, fix->anchor ? fix->anchor : fix->obj);
        if (!o)
            return false;
        for (uint32_t i = 0; i < fix->nfix_set; i++) {
            const char *k = fix->fix_set[i].key, *v = fix->fix_set[i].value;
            if (!v)
                unset_value(o, k);
            else if (strcmp(k, "replication_factor") == 0 && o->kind == OBJ_TOPIC)
                ((struct topic *)o)->rf = (int32_t)strtol(v, NULL, 10);
            else
                set_value(m, o, k, v, ex->loc);
        }
    }
    model_finalize(m);
    return true;
}

static void run_all(const struct rule_set *rs, const struct model *m, struct finding_list *fl)
{
    finding_list_init(fl);
    engine_run(rs, m, fl);
    engine_merge_causes(rs, m, fl);
}

static bool has_rule(const struct finding_list *fl, const struct rule *r)
{
    for (uint32_t i = 0; i < fl->n; i++)
        if (fl->v[i].rule == r)
            return true;
    return false;
}

/* A fix given as settings must be applicable as written: applied to the
 * example, the finding goes and no rule fires that did not fire before. */
static uint32_t check_fix(const struct rule_set *rs, const struct rule *r,
                          const struct rule_example *ex, const struct finding *f,
                          struct diag_list *diags)
{
    struct model before, after;
    uint32_t bad = 0;
    char set[512] = "";
    for (uint32_t i = 0; i < f->nfix_set; i++) {
        size_t l = strlen(set);
        if (f->fix_set[i].value)
            snprintf(set + l, sizeof set - l, "%s%s=%s", i ? ", " : "", f->fix_set[i].key,
                     f->fix_set[i].value);
        else
            snprintf(set + l, sizeof set - l, "%sremove %s", i ? ", " : "", f->fix_set[i].key);
    }
    if (!example_model(rs, ex, NULL, &before) || !example_model(rs, ex, f, &after)) {
        diag_add(diags, DIAG_ERROR, DK_RULES, ex->loc, "%s: the fix (%s) cannot be applied", r->id,
                 set);
        model_release(&before);
        model_release(&after);
        return 1;
    }
    struct finding_list fb, fa;
    run_all(rs, &before, &fb);
    run_all(rs, &after, &fa);
    for (uint32_t i = 0; i < fa.n; i++) {
        const struct finding *g = &fa.v[i];
        if (g->rule == r && g->fingerprint == f->fingerprint) {
            diag_add(diags, DIAG_ERROR, DK_RULES, ex->loc,
                     "%s: applying its fix (%s) leaves the finding: %s", r->id, set, g->message);
            bad = 1;
        } else if (!has_rule(&fb, g->rule)) {
            diag_add(diags, DIAG_ERROR, DK_RULES, ex->loc,
                     "%s: applying its fix (%s) raises %s: %s", r->id, set, g->rule->id,
                     g->message);
            bad = 1;
        }
    }
    finding_list_release(&fb);
    finding_list_release(&fa);
    model_release(&before);
    model_release(&after);
    return bad;
}

uint32_t rule_test(const struct rule_set *rs, const struct rule *r, struct diag_list *diags,
                   uint32_t *nexamples)
{
    uint32_t failures = 0;
    *nexamples = r->nexamples;
    for (uint32_t i = 0; i < r->nexamples; i++) {
        const struct rule_example *ex = &r->examples[i];
        struct model m;
        if (!example_model(rs, ex, NULL, &m)) {
            for (uint32_t d = 0; d < m.diags.n; d++)
                if (m.diags.v[d].sev == DIAG_ERROR) {
                    struct loc l = m.diags.v[d].loc;
                    l.file = l.file ? ex->loc.file : 0; /* model file 1 is this rule file */
                    diag_add(diags, DIAG_ERROR, DK_RULES, l, "%s: invalid example: %s", r->id,
                             m.diags.v[d].msg);
                }
            failures++;
            model_release(&m);
            continue;
        }
        struct finding_list fl;
        finding_list_init(&fl);
        engine_run_rule(r, &m, &fl);
        bool fired = fl.n > 0;
        if (fired != ex->expect_fire) {
            if (ex->expect_fire)
                diag_add(diags, DIAG_ERROR, DK_RULES, ex->loc,
                         "%s: this 'fail' example should make the rule fire, but it did not",
                         r->id);
            else
                diag_add(diags, DIAG_ERROR, DK_RULES, ex->loc,
                         "%s: this 'pass' example should not make the rule fire, but it did: %s",
                         r->id, fl.v[0].message);
            failures++;
        } else if (fired && fl.v[0].nfix_set) {
            failures += check_fix(rs, r, ex, &fl.v[0], diags);
        }
        finding_list_release(&fl);
        model_release(&m);
    }
    return failures;
}

bool rule_test_fix(const struct rule_set *rs, const struct rule *r, struct diag_list *diags)
{
    /* every fix is either settings rule_test applies, or says why not */
    if (!r->nfix_set && !r->fix_manual) {
        diag_add(diags, DIAG_ERROR, DK_RULES, r->loc,
                 "%s: neither 'fix_set' (the fix as settings) nor 'fix_manual' (why no "
                 "setting fixes it)",
                 r->id);
        return false;
    }
    if (r->nfix_set && r->fix_manual) {
        diag_add(diags, DIAG_ERROR, DK_RULES, r->loc,
                 "%s: 'fix_set' and 'fix_manual' both: a fix is settings or it is not", r->id);
        return false;
    }
    if (!r->nfix_set)
        return true;
    /* a fix_set that no example computes is a fix nobody tested (where a
     * value is unknown or no setting can fix it, a finding has none) */
    for (uint32_t i = 0; i < r->nexamples; i++) {
        if (!r->examples[i].expect_fire)
            continue;
        struct model m;
        bool got = false;
        if (example_model(rs, &r->examples[i], NULL, &m)) {
            struct finding_list fl;
            finding_list_init(&fl);
            engine_run_rule(r, &m, &fl);
            got = fl.n && fl.v[0].nfix_set;
            finding_list_release(&fl);
        }
        model_release(&m);
        if (got)
            return true;
    }
    diag_add(diags, DIAG_ERROR, DK_RULES, r->loc,
             "%s: no 'fail' example gets its fix_set, so none tests it", r->id);
    return false;
}
