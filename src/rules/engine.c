/*
 * engine.c - run rules on a model.
 *
 * For each rule, every binding of its scope is evaluated (topics, each
 * producer with each topic it writes, ...).  When the condition is
 * definitely true, a finding is emitted at the rule's "at:" location and
 * anchored on the object that owns that setting: a value inherited from
 * the cluster config anchors on the cluster, so one defective line is one
 * finding however many topics inherit it (they are listed as related).
 */
#include "model/effective.h"
#include "rules/engine_internal.h"
#include "rules/rule.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FINDING_VALUE_MAX 512

struct run {
    const struct rule *r;
    const struct model *m;
    struct finding_list *out;
    struct hmap *seen;
    struct arena *scratch;
    struct eff_memo *memo;
    /* brokers_disagree() of the rule's "at:" key, once per run: per
     * broker it made 50,000 brokers take minutes */
    const char *disagree_key;
    bool disagree;
    struct eval_budget *budget;
};

/* Related objects of a finding are looked up in `seen` too once there are
 * more than a few, under "r:<finding>:<object>": a scan per object made 100
 * settings aliased into 20,000 topics take half a minute. */
#define RELATED_SCAN 8

/* Lookup keys are made for every finding and every cause: formatted by
 * hand (snprintf was most of engine_merge_causes' time). */
static char *related_key(uintptr_t idx, const struct object *o, char *buf)
{
    char *p = buf;
    *p++ = 'r';
    *p++ = ':';
    p = str_put_u64(p, idx);
    *p++ = ':';
    p = str_put_hex(p, (uintptr_t)o, 0);
    *p = '\0';
    return buf;
}

static bool same_or_related(struct hmap *seen, uintptr_t idx, const struct finding *f,
                            const struct object *o)
{
    if (f->obj == o || f->obj2 == o)
        return true;
    if (f->nrelated > RELATED_SCAN) {
        char k[64];
        return hmap_get(seen, related_key(idx, o, k)) != NULL;
    }
    for (uint32_t i = 0; i < f->nrelated; i++)
        if (f->related[i] == o)
            return true;
    return false;
}

static void add_related(struct hmap *seen, uintptr_t idx, struct finding *f, const struct object *o)
{
    XGROW(f->related, f->caprelated, f->nrelated + 1);
    f->related[f->nrelated++] = o;
    char k[64];
    if (f->nrelated == RELATED_SCAN + 1) { /* from now on by hash: index them all */
        for (uint32_t i = 0; i < f->nrelated; i++)
            hmap_put(seen, xstrdup(related_key(idx, f->related[i], k)), (void *)1);
    } else if (f->nrelated > RELATED_SCAN + 1) {
        hmap_put(seen, xstrdup(related_key(idx, o, k)), (void *)1);
    }
}

struct finding *engine_emit(struct finding_list *out, struct hmap *seen, const struct rule *r,
                            struct loc loc, const struct object *obj, const struct object *obj2,
                            const struct object *anchor, const char *key, const char *message,
                            const char *fix)
{
    uint64_t fp = fingerprint_compute(r->id, anchor, key);
    char hex[17];
    *str_put_hex(hex, fp, 16) = '\0';
    uintptr_t idx = (uintptr_t)hmap_get(seen, hex);
    /* The same rule on the same setting at the same place in a file is one
     * defect however many objects share the line (a YAML anchor merged into
     * several compose services, say): one finding, the others related. */
    char where[64] = "";
    if (!idx && loc.file && key) {
        char *p = where;
        *p++ = '@';
        p = str_put_u64(p, loc.file);
        *p++ = ':';
        p = str_put_u64(p, loc.line);
        *p++ = ':';
        p = str_put_u64(p, loc.col);
        *p++ = ':';
        p = str_put_hex(p, fingerprint_compute(r->id, NULL, key), 16);
        *p = '\0';
        idx = (uintptr_t)hmap_get(seen, where);
    }
    if (idx) {
        struct finding *f = &out->v[idx - 1];
        const struct object *rel = f->obj != obj ? obj : obj2;
        if (rel && !same_or_related(seen, idx, f, rel))
            add_related(seen, idx, f, rel);
        return f;
    }
    struct finding *f = finding_add(out);
    f->rule = r;
    f->severity = r->severity;
    f->status = FS_ACTIVE;
    f->loc = loc;
    f->obj = obj;
    f->obj2 = obj2;
    f->anchor = anchor;
    f->key = key;
    f->message = xstrdup(message);
    f->fix = fix && *fix ? xstrdup(fix) : NULL;
    f->fingerprint = fp;
    /* the key must outlive this call: the hex string lives in a heap block
     * owned by the seen-map user (see engine_run) */
    char *k = xstrdup(hex);
    hmap_put(seen, k, (void *)(uintptr_t)out->n);
    if (where[0])
        hmap_put(seen, xstrdup(where), (void *)(uintptr_t)out->n);
    return f;
}

static bool live_inherited(const struct eff *e)
{
    return e->origin == ORIG_LIVE &&
           (e->live_source == LS_DYNAMIC_DEFAULT || e->live_source == LS_STATIC_BROKER ||
            e->live_source == LS_DEFAULT || e->live_source == LS_DYNAMIC_BROKER);
}

/* Do the brokers' effective values of key differ?  When they all agree, a
 * broker finding is said once, for the cluster. */
static bool brokers_disagree(const struct model *m, const char *key)
{
    const char *first = NULL;
    bool have_first = false;
    for (uint32_t i = 0; i < m->nbrokers; i++) {
        if (m->brokers[i]->o.error)
            continue; /* configuration not read (live): neither agrees nor disagrees */
        struct eff e;
        effective_get(m, &m->brokers[i]->o, key, &e);
        if (!have_first) {
            first = e.value;
            have_first = true;
        } else if (!str_eq(first, e.value))
            return true;
    }
    return false;
}

static bool disagree(struct run *R, const char *key)
{
    if (!R->disagree_key || strcmp(R->disagree_key, key) != 0) {
        R->disagree = brokers_disagree(R->m, key);
        R->disagree_key = key;
    }
    return R->disagree;
}

static void fire(struct run *R, struct eval_ctx *c, const struct object *obj,
                 const struct object *obj2)
{
    const struct rule *r = R->r;
    const struct model *m = R->m;
    struct val v = expr_eval(r->when, c);
    if (val_truth(&v) != 1)
        return;

    const char *key = NULL;
    const char *value = NULL;
    struct buf origin = BUF_INIT;
    const struct object *kobj = NULL;
    struct loc loc = obj->loc;
    const struct object *anchor = obj;
    if (r->at) {
        struct loc l = expr_loc(r->at, c, &key, &kobj);
        if (kobj)
            anchor = kobj;
        if (r->at->type == EX_CFG && kobj) {
            struct eff e;
            effective_get(m, kobj, r->at->key, &e);
            value = e.value ? effective_display(&e) : NULL; /* a secret stays masked */
            effective_origin_text(m, &e, &origin);
            if (e.from && e.from != e.obj) {
                anchor = e.from; /* inherited from cluster or broker config */
            } else if ((e.origin == ORIG_DEFAULT || live_inherited(&e)) && m->cluster.declared &&
                       (e.obj->kind == OBJ_TOPIC ||
                        (e.obj->kind == OBJ_BROKER && !disagree(R, e.key)))) {
                /* every topic/broker that doesn't override it shares it */
                anchor = &m->cluster.o;
                l = m->cluster.o.loc;
            }
        }
        if (l.file)
            loc = l;
        else if (anchor && anchor->loc.file)
            loc = anchor->loc;
    }
    if (anchor && anchor->kind == OBJ_PARTITION)
        anchor = &((const struct partition *)anchor)->topic->o;
    if (anchor == &m->every_broker.o)
        anchor = &m->cluster.o;
    if (obj->kind == OBJ_BROKER && anchor == &m->cluster.o) {
        /* a cluster-wide value: say it once, for all brokers */
        c->obj[R_BROKER] = &m->every_broker.o;
        obj = &m->cluster.o;
    }
    if (!loc.file && anchor)
        loc = anchor->loc;

    struct buf msg = BUF_INIT, fix = BUF_INIT;
    if (r->message)
        tmpl_render(r->message, c, &msg);
    if (r->fix)
        tmpl_render(r->fix, c, &fix);
    struct finding *f =
        engine_emit(R->out, R->seen, r, loc, obj, obj2, anchor, key, buf_str(&msg), buf_str(&fix));
    /* kept for folding and for the text's value line; a huge value (a
     * 1 MiB scalar aliased thousands of times) is not copied per finding */
    if (value && !f->value && strlen(value) <= FINDING_VALUE_MAX)
        f->value = xstrdup(value);
    if (origin.len && !f->origin)
        f->origin = xstrdup(buf_str(&origin));
    buf_release(&origin);
    if (r->nfix_set && !f->nfix_set) {
        /* a setting whose value is not known is no fix to apply: none */
        f->fix_set = xcalloc(r->nfix_set, sizeof *f->fix_set);
        unsigned unknown = 0;
        uint32_t n = 0;
        for (uint32_t i = 0; i < r->nfix_set; i++) {
            if (!r->fix_set[i].value) { /* remove the setting: value NULL */
                f->fix_set[n++].key = r->fix_set[i].key;
                continue;
            }
            struct buf b = BUF_INIT;
            unknown += tmpl_render(r->fix_set[i].value, c, &b);
            if (b.len) { /* empty: this fix leaves that setting as it is */
                f->fix_set[n].key = r->fix_set[i].key;
                f->fix_set[n++].value = xstrdup(buf_str(&b));
            }
            buf_release(&b);
        }
        f->nfix_set = n;
        if (!n)
            unknown++; /* nothing to set: no fix either */
        if (unknown) {
            for (uint32_t i = 0; i < f->nfix_set; i++)
                free(f->fix_set[i].value);
            free(f->fix_set);
            f->fix_set = NULL;
            f->nfix_set = 0;
        }
    }
    buf_release(&msg);
    buf_release(&fix);
}

static void run_scope(struct run *R)
{
    const struct model *m = R->m;
    struct eval_ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    c.scratch = R->scratch;
    c.memo = R->memo;
    c.budget = R->budget;
    c.obj[R_CLUSTER] = &m->cluster.o;
    switch ((enum scope)R->r->scope) {
    case SC_CLUSTER:
        if (m->cluster.declared)
            fire(R, &c, &m->cluster.o, NULL);
        break;
    case SC_BROKER:
        if (!m->cluster.declared)
            break;
        if (!m->nbrokers) {
            c.obj[R_BROKER] = &m->every_broker.o;
            fire(R, &c, &m->every_broker.o, NULL);
        }
        for (uint32_t i = 0; i < m->nbrokers; i++) {
            c.obj[R_BROKER] = &m->brokers[i]->o;
            fire(R, &c, &m->brokers[i]->o, NULL);
        }
        break;
    case SC_TOPIC:
        for (uint32_t i = 0; i < m->ntopics; i++) {
            c.obj[R_TOPIC] = &m->topics[i]->o;
            fire(R, &c, &m->topics[i]->o, NULL);
        }
        break;
    case SC_PARTITION:
        for (uint32_t i = 0; i < m->ntopics; i++) {
            const struct topic *t = m->topics[i];
            c.obj[R_TOPIC] = &t->o;
            for (uint32_t j = 0; j < t->nparts; j++) {
                c.obj[R_PARTITION] = &t->parts[j]->o;
                fire(R, &c, &t->parts[j]->o, NULL);
            }
        }
        break;
    case SC_PRODUCER:
        for (uint32_t i = 0; i < m->nproducers; i++) {
            c.obj[R_PRODUCER] = &m->producers[i]->o;
            fire(R, &c, &m->producers[i]->o, NULL);
        }
        break;
    case SC_CONSUMER:
        for (uint32_t i = 0; i < m->nconsumers; i++) {
            c.obj[R_CONSUMER] = &m->consumers[i]->o;
            fire(R, &c, &m->consumers[i]->o, NULL);
        }
        break;
    case SC_GROUP:
        for (uint32_t i = 0; i < m->ngroups; i++) {
            c.obj[R_GROUP] = &m->groups[i]->o;
            fire(R, &c, &m->groups[i]->o, NULL);
        }
        break;
    case SC_PRODUCER_TOPIC:
    case SC_CONSUMER_TOPIC: {
        bool prod = R->r->scope == SC_PRODUCER_TOPIC;
        uint32_t n = prod ? m->nproducers : m->nconsumers;
        for (uint32_t i = 0; i < n; i++) {
            struct client *cl = prod ? m->producers[i] : m->consumers[i];
            c.obj[prod ? R_PRODUCER : R_CONSUMER] = &cl->o;
            for (uint32_t j = 0; j < cl->ntopics; j++) {
                if (!cl->topics[j].topic)
                    continue;
                c.obj[R_TOPIC] = &cl->topics[j].topic->o;
                fire(R, &c, &cl->o, &cl->topics[j].topic->o);
            }
        }
        break;
    }
    case SC_PRODUCER_CONSUMER:
        for (uint32_t i = 0; i < m->ntopics; i++) {
            const struct topic *t = m->topics[i];
            c.obj[R_TOPIC] = &t->o;
            for (uint32_t w = 0; w < t->nwriters; w++) {
                c.obj[R_PRODUCER] = &t->writers[w]->o;
                for (uint32_t rd = 0; rd < t->nreaders; rd++) {
                    c.obj[R_CONSUMER] = &t->readers[rd]->o;
                    fire(R, &c, &t->writers[w]->o, &t->readers[rd]->o);
                }
            }
        }
        break;
    case SC_GROUP_PARTITION:
        for (uint32_t i = 0; i < m->ngroups; i++) {
            const struct group *g = m->groups[i];
            c.obj[R_GROUP] = &g->o;
            for (uint32_t j = 0; j < g->noffsets; j++) {
                const struct group_offset *o = &g->offsets[j];
                c.off = o;
                c.obj[R_TOPIC] = o->t ? &o->t->o : NULL;
                const struct partition *p = offset_partition(o);
                c.obj[R_PARTITION] = p ? &p->o : NULL;
                fire(R, &c, &g->o, c.obj[R_PARTITION]);
            }
        }
        c.off = NULL;
        break;
    case SC_CONTROLLER:
        for (uint32_t i = 0; i < m->ncontrollers; i++) {
            c.obj[R_CONTROLLER] = &m->controllers[i]->o;
            fire(R, &c, &m->controllers[i]->o, NULL);
        }
        break;
    default: break;
    }
}

static void free_seen(struct hmap *seen)
{
    const char *k;
    for (size_t it = 0; hmap_next(seen, &it, &k, NULL);)
        free((char *)k);
    hmap_release(seen);
}

static void run_rule(const struct rule *r, const struct model *m, struct finding_list *out,
                     struct arena *scratch, struct eff_memo *memo)
{
    if (r->check) {
        builtin_check_run(r, m, out);
        return;
    }
    if (!r->when)
        return;
    struct hmap seen;
    hmap_init(&seen);
    struct eval_budget budget = {0, EVAL_BUDGET_STEPS, false};
    struct run R = {r, m, out, &seen, scratch, memo, NULL, false, &budget};
    run_scope(&R);
    free_seen(&seen);
    ((struct rule *)r)->over_budget = budget.over; /* this thread's rule alone */
}

void engine_run_rule(const struct rule *r, const struct model *m, struct finding_list *out)
{
    struct arena scratch;
    arena_init(&scratch);
    struct eff_memo *memo = eff_memo_new();
    run_rule(r, m, out, &scratch, memo);
    eff_memo_free(memo);
    arena_release(&scratch);
}

/* Rules are independent: each writes its findings to its own list, and the
 * lists are joined in rule order, so the result does not depend on which
 * thread ran which rule.  The model is only read (the two places that
 * allocate in its arena while rules run take a lock, see effective.c). */
/* One rule's findings, alone on its cache line: two threads appending to
 * neighbouring lists would otherwise bounce the line between CPUs on
 * every finding. */
#define CACHE_LINE 64
struct rule_findings {
    _Alignas(CACHE_LINE) struct finding_list l;
};

struct rule_queue {
    const struct rule_set *rs;
    const struct model *m;
    struct rule_findings *lists;
    uint32_t *order; /* rule indexes, costliest first */
    uint32_t next;   /* atomic: position in order */
};

/* Roughly how many bindings a rule of each scope evaluates. */
static void scope_costs(const struct model *m, uint64_t cost[SC__COUNT])
{
    uint64_t parts = 0, ptopics = 0, ctopics = 0, pc = 0, offsets = 0;
    for (uint32_t i = 0; i < m->ntopics; i++) {
        parts += m->topics[i]->nparts;
        pc += (uint64_t)m->topics[i]->nwriters * m->topics[i]->nreaders;
    }
    for (uint32_t i = 0; i < m->nproducers; i++)
        ptopics += m->producers[i]->ntopics;
    for (uint32_t i = 0; i < m->nconsumers; i++)
        ctopics += m->consumers[i]->ntopics;
    for (uint32_t i = 0; i < m->ngroups; i++)
        offsets += m->groups[i]->noffsets;
    for (int s = 0; s < SC__COUNT; s++)
        cost[s] = 1;
    cost[SC_BROKER] = m->nbrokers + 1;
    cost[SC_TOPIC] = m->ntopics;
    cost[SC_PARTITION] = parts;
    cost[SC_PRODUCER] = m->nproducers;
    cost[SC_CONSUMER] = m->nconsumers;
    cost[SC_GROUP] = m->ngroups;
    cost[SC_PRODUCER_TOPIC] = ptopics;
    cost[SC_CONSUMER_TOPIC] = ctopics;
    cost[SC_PRODUCER_CONSUMER] = pc;
    cost[SC_GROUP_PARTITION] = offsets;
    cost[SC_CONTROLLER] = m->ncontrollers;
}

struct rule_cost {
    uint64_t cost;
    uint32_t i;
};

static int by_cost_desc(const void *a, const void *b)
{
    const struct rule_cost *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Threads take the costliest rules first, so that the last rules taken
 * are short and the threads finish together (which thread ran a rule
 * never shows in the output). */
static uint32_t *rule_order(const struct rule_set *rs, const struct model *m)
{
    uint64_t cost[SC__COUNT];
    scope_costs(m, cost);
    uint64_t all = (uint64_t)m->nbrokers + m->ncontrollers + m->ntopics + m->nproducers +
                   m->nconsumers + m->ngroups + 1;
    struct rule_cost *rc = xcalloc(rs->n ? rs->n : 1, sizeof *rc);
    for (uint32_t i = 0; i < rs->n; i++) {
        const struct rule *r = rs->rules[i];
        rc[i].i = i;
        if (!r->enabled || (!r->check && !r->when))
            rc[i].cost = 0;
        else
            rc[i].cost = r->check ? all : cost[r->scope < SC__COUNT ? r->scope : SC_CLUSTER];
    }
    qsort(rc, rs->n, sizeof *rc, by_cost_desc);
    uint32_t *order = xcalloc(rs->n ? rs->n : 1, sizeof *order);
    for (uint32_t i = 0; i < rs->n; i++)
        order[i] = rc[i].i;
    free(rc);
    return order;
}

static void *rule_worker(void *arg)
{
    struct rule_queue *q = arg;
    struct arena scratch;
    arena_init(&scratch);
    struct eff_memo *memo = eff_memo_new();
    for (;;) {
        uint32_t k = __atomic_fetch_add(&q->next, 1, __ATOMIC_RELAXED);
        if (k >= q->rs->n)
            break;
        uint32_t i = q->order[k];
        if (!q->rs->rules[i]->enabled)
            continue;
        run_rule(q->rs->rules[i], q->m, &q->lists[i].l, &scratch, memo);
        /* keep scratch bounded on huge models */
        if (scratch.used_total > (64u << 20)) {
            arena_release(&scratch);
            arena_init(&scratch);
        }
    }
    eff_memo_free(memo);
    arena_release(&scratch);
    return NULL;
}

void engine_run_jobs(const struct rule_set *rs, const struct model *m, struct finding_list *out,
                     unsigned jobs)
{
    size_t nl = rs->n ? rs->n : 1;
    struct rule_queue q = {rs, m, aligned_alloc(CACHE_LINE, nl * sizeof *q.lists), NULL, 0};
    if (!q.lists)
        abort();
    q.order = rule_order(rs, m);
    memset(q.lists, 0, nl * sizeof *q.lists);
    pthread_t tid[ENGINE_MAX_JOBS];
    unsigned started = 0;
    if (jobs > ENGINE_MAX_JOBS)
        jobs = ENGINE_MAX_JOBS;
    if (jobs > rs->n)
        jobs = rs->n;
    /* the calling thread is one of the jobs */
    while (started + 1 < jobs && pthread_create(&tid[started], NULL, rule_worker, &q) == 0)
        started++;
    rule_worker(&q);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    for (uint32_t i = 0; i < rs->n; i++) {
        struct finding_list *l = &q.lists[i].l;
        for (uint32_t k = 0; k < l->n; k++)
            *finding_add(out) = l->v[k];
        free(l->v); /* the findings' contents moved to out */
    }
    free(q.lists);
    free(q.order);
    finding_list_sort(out, m);
}

/* ---- one cause, one finding ------------------------------------------ */

/* Every object a finding stands for: its own and those folded into it. */
static uint32_t finding_objects(const struct finding *f, uint32_t k, const struct object **o)
{
    if (k == 0)
        *o = f->obj;
    else if (k <= f->nrelated)
        *o = f->related[k - 1];
    else
        return 0;
    return 1;
}

/* Does f stand for o (its own objects or related ones)? */
static bool has_object(const struct finding *f, const struct object *o)
{
    if (f->obj == o || f->obj2 == o)
        return true;
    for (uint32_t i = 0; i < f->nrelated; i++)
        if (f->related[i] == o)
            return true;
    return false;
}

/* Merged findings list at most this many related objects: the reports
 * show a few and "+N more", and the merge stays linear. */
#define MERGE_RELATED_MAX 4096

static void merge_related(struct finding *g, const struct object *o)
{
    if (!o || g->nrelated >= MERGE_RELATED_MAX || has_object(g, o))
        return;
    XGROW(g->related, g->caprelated, g->nrelated + 1);
    g->related[g->nrelated++] = o;
}

static void add_place(struct finding *g, struct loc loc, const struct rule *r,
                      const struct object *o, uint64_t fp)
{
    /* one entry per place, rule and object (two topics on one line are
     * two places of the cause) */
    for (uint32_t i = 0; i < g->nalso; i++)
        if (g->also[i].loc.file == loc.file && g->also[i].loc.line == loc.line &&
            g->also[i].loc.col == loc.col && g->also[i].rule == r && g->also[i].obj == o)
            return;
    if (g->loc.file == loc.file && g->loc.line == loc.line && g->rule == r && g->obj == o)
        return;
    XGROW(g->also, g->capalso, g->nalso + 1);
    g->also[g->nalso++] = (struct finding_place){loc, r, o, fp};
}

static int status_rank(uint8_t s) { return s == FS_SUPPRESSED ? 2 : s == FS_BASELINE ? 1 : 0; }

/* Fold f into g: f's place, objects and status; f is released. */
static void merge_into(struct finding *g, struct finding *f)
{
    add_place(g, f->loc, f->rule, f->obj, f->fingerprint);
    for (uint32_t i = 0; i < f->nalso; i++)
        add_place(g, f->also[i].loc, f->also[i].rule, f->also[i].obj, f->also[i].fingerprint);
    const struct object *o;
    for (uint32_t k = 0; finding_objects(f, k, &o); k++)
        merge_related(g, o);
    if (f->obj2 && f->obj2 != g->obj2)
        merge_related(g, f->obj2);
    if (f->severity > g->severity)
        g->severity = f->severity;
    /* a suppression or baseline entry on any place of the cause covers it */
    if (status_rank(f->status) > status_rank(g->status)) {
        g->status = f->status;
        g->supp_kind = f->supp_kind;
        free(g->status_reason);
        g->status_reason = f->status_reason;
        f->status_reason = NULL;
        if (!g->note) {
            g->note = f->note;
            f->note = NULL;
        }
    }
    finding_release(f);
    memset(f, 0, sizeof *f);
}

/* A setting repeated with one value on every broker (one line per
 * compose service) is one cluster-wide cause: its findings fold into the
 * first, which then speaks for all brokers. */
/* A finding placed by an attribute (at: data_storage) has no setting
 * value: its cause is the same on two brokers when the rule says the same
 * about both, word for word after the broker's name.  Such findings fold
 * only when every broker has one (then "all N brokers" is true).  The key
 * is "A rule attribute message-after-name", or false when f is not one. */
static bool attr_fold_key(const struct finding *f, struct buf *key)
{
    if (f->value || !f->key || !f->message)
        return false;
    char desc[256];
    finding_object_desc(f, desc, sizeof desc);
    size_t dl = strlen(desc);
    if (strncmp(f->message, desc, dl) != 0 || f->message[dl] != ':')
        return false;
    buf_reset(key);
    buf_printf(key, "A\t%p\t%s\t%s", (const void *)f->rule, f->key, f->message + dl);
    return true;
}

static bool foldable(const struct model *m, const struct finding *f)
{
    return f->obj && f->obj->kind == OBJ_BROKER && f->anchor == f->obj && f->key && f->loc.file &&
           f->obj != &m->every_broker.o;
}

static void fold_brokers(const struct model *m, struct finding_list *fl, uint32_t *into)
{
    if (!m || m->nbrokers < 2)
        return;
    struct hmap first, count;
    hmap_init(&first);
    hmap_init(&count);
    struct buf ak = BUF_INIT;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (into[i] || !foldable(m, f) || !attr_fold_key(f, &ak))
            continue;
        uintptr_t n = (uintptr_t)hmap_get(&count, buf_str(&ak));
        if (!n)
            hmap_put(&count, xstrdup(buf_str(&ak)), (void *)(uintptr_t)1);
        else
            hmap_put(&count, buf_str(&ak), (void *)(n + 1));
    }
    char kbuf[512];
    for (uint32_t i = 0; i < fl->n; i++) {
        struct finding *f = &fl->v[i];
        if (into[i] || !foldable(m, f))
            continue;
        const char *key = kbuf;
        if (!f->value) {
            if (!attr_fold_key(f, &ak) ||
                (uintptr_t)hmap_get(&count, buf_str(&ak)) != (uintptr_t)m->nbrokers)
                continue;
            key = buf_str(&ak);
        } else {
            if (brokers_disagree(m, f->key))
                continue;
            snprintf(kbuf, sizeof kbuf, "%p\t%s\t%s", (const void *)f->rule, f->key, f->value);
        }
        uintptr_t g = (uintptr_t)hmap_get(&first, key);
        if (!g) {
            hmap_put(&first, xstrdup(key), (void *)(uintptr_t)(i + 1));
            continue;
        }
        struct finding *o = &fl->v[g - 1];
        if (o->obj != &m->every_broker.o) {
            /* the first one now speaks for every broker */
            char desc[256];
            finding_object_desc(o, desc, sizeof desc);
            size_t dl = strlen(desc);
            const struct object *was = o->obj;
            if (strncmp(o->message, desc, dl) == 0 && o->message[dl] == ':') {
                struct buf b = BUF_INIT;
                buf_printf(&b, "all %u brokers%s", m->nbrokers, o->message + dl);
                free(o->message);
                o->message = buf_detach(&b);
            }
            o->obj = &m->every_broker.o;
            merge_related(o, was); /* after: it was the finding's own object */
        }
        merge_into(o, f);
        into[i] = (uint32_t)g;
    }
    size_t it = 0;
    const char *k;
    while (hmap_next(&first, &it, &k, NULL))
        free((char *)k);
    hmap_release(&first);
    it = 0;
    while (hmap_next(&count, &it, &k, NULL))
        free((char *)k);
    hmap_release(&count);
    buf_release(&ak);
}

static void owner_key(char *key, char kind, const struct rule *r, const void *where, struct loc l)
{
    char *p = key;
    *p++ = kind;
    *p++ = ' ';
    p = str_put_hex(p, (uintptr_t)r, 0);
    *p++ = ' ';
    p = str_put_hex(p, (uintptr_t)where, 0);
    *p++ = ' ';
    p = str_put_u64(p, l.file);
    *p++ = ':';
    p = str_put_u64(p, l.line);
    *p++ = ':';
    p = str_put_u64(p, l.col);
    *p = '\0';
}

void engine_merge_causes(const struct rule_set *rs, const struct model *m, struct finding_list *fl)
{
    /* into[i]: 1 + the index of the finding that finding i merged into */
    uint32_t *into = xcalloc(fl->n + 1, sizeof *into);
    fold_brokers(m, fl, into);

    /* Where the owner of a cause stands: "P rule file:line" for each rule
     * it replaces (same place), "S rule object" for each rule it
     * supersedes (same object, any place). */
    struct hmap owner;
    hmap_init(&owner);
    char key[160];
    const struct object *o;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (into[i])
            continue;
        for (uint32_t j = 0; j < f->rule->nreplaces; j++) {
            const struct rule *r = rule_set_find(rs, f->rule->replaces[j]);
            if (!r || !f->loc.file)
                continue;
            owner_key(key, 'P', r, NULL, f->loc);
            if (!hmap_get(&owner, key))
                hmap_put(&owner, xstrdup(key), (void *)(uintptr_t)(i + 1));
        }
        for (uint32_t j = 0; j < f->rule->nsupersedes; j++) {
            const struct rule *r = rule_set_find(rs, f->rule->supersedes[j]);
            if (!r)
                continue;
            /* a cluster-wide rule stands for every object of the cluster */
            for (uint32_t k = 0; finding_objects(f, k, &o); k++) {
                owner_key(key, 'S', r, f->rule->scope == SC_CLUSTER ? NULL : o, (struct loc){0});
                if (!hmap_get(&owner, key))
                    hmap_put(&owner, xstrdup(key), (void *)(uintptr_t)(i + 1));
            }
        }
    }
    if (owner.len) {
        for (uint32_t i = 0; i < fl->n; i++) {
            struct finding *f = &fl->v[i];
            if (into[i])
                continue;
            uintptr_t g = 0;
            if (f->loc.file) {
                owner_key(key, 'P', f->rule, NULL, f->loc);
                g = (uintptr_t)hmap_get(&owner, key);
                /* a rule of the same scope restates the cause only for
                 * the objects the owner fires on: one folded with another
                 * object has a cause of its own there */
                if (g && fl->v[g - 1].rule->scope == f->rule->scope)
                    for (uint32_t k = 0; g && finding_objects(f, k, &o); k++)
                        if (!has_object(&fl->v[g - 1], o))
                            g = 0;
            }
            if (!g) {
                owner_key(key, 'S', f->rule, NULL, (struct loc){0});
                g = (uintptr_t)hmap_get(&owner, key);
            }
            if (!g) {
                /* superseded only where the owner fires on every object
                 * this finding stands for */
                for (uint32_t k = 0; finding_objects(f, k, &o); k++) {
                    owner_key(key, 'S', f->rule, o, (struct loc){0});
                    uintptr_t h = (uintptr_t)hmap_get(&owner, key);
                    if (!h) {
                        g = 0;
                        break;
                    }
                    if (!g)
                        g = h;
                }
            }
            /* an owner merged into another passes its findings on */
            while (g && into[g - 1])
                g = into[g - 1];
            if (!g || g - 1 == i)
                continue;
            merge_into(&fl->v[g - 1], f);
            into[i] = (uint32_t)g;
        }
    }
    uint32_t kept = 0;
    for (uint32_t i = 0; i < fl->n; i++)
        if (!into[i])
            fl->v[kept++] = fl->v[i];
    fl->n = kept;
    free(into);
    size_t it = 0;
    const char *k;
    while (hmap_next(&owner, &it, &k, NULL))
        free((char *)k);
    hmap_release(&owner);
}

void engine_run(const struct rule_set *rs, const struct model *m, struct finding_list *out)
{
    engine_run_jobs(rs, m, out, 1);
}

void engine_report_budget(struct rule_set *rs)
{
    for (uint32_t i = 0; i < rs->n; i++) {
        const struct rule *r = rs->rules[i];
        if (!r->over_budget)
            continue;
        struct diag *d = diag_add(&rs->diags, DIAG_ERROR, DK_RULES, r->loc,
                                  "rule %s: its quantifiers (count, any, all, ...) visited more "
                                  "than %llu elements; evaluation stopped and its findings are "
                                  "incomplete",
                                  r->id, (unsigned long long)EVAL_BUDGET_STEPS);
        diag_hint(d, "nested quantifiers over large collections cost the product of their "
                     "sizes; bind the outer object through the rule's scope instead");
    }
}
