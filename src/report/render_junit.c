/*
 * render_junit.c - JUnit XML for GitLab (artifacts:reports:junit), Jenkins
 * (junit step) and other CI systems that show test reports.
 *
 * One <testsuite> per audited object (the cluster, each broker, topic,
 * producer, consumer and group) holding one <testcase> per rule that
 * applies to that kind of object, passing ones included, so the report
 * shows what was checked and not only what failed:
 *
 *   <testsuite name="producer order-service" tests="12" failures="1" ...>
 *     <testcase classname="producer order-service"
 *               name="KA101 Producer acknowledges writes ..."
 *               file="deploy/app.yaml" line="7" time="0">
 *       <failure type="error" message="producer order-service: acks=1 ...">
 *         deploy/app.yaml:9:13: error[KA101]: ...
 *         fix: set acks=all
 *       </failure>
 *     </testcase>
 *
 * A merged finding lists its other places ("also at", "same cause") in
 * its body, and fails the case of every rule merged into it on that
 * rule's object too (KA501 of a producer merged into the cluster's
 * KA409): a rule's case never passes while its cause stands.
 *
 * Error and warning findings are failures; info findings leave the case
 * passing with the finding in <system-out>; suppressed and baselined
 * findings make the case skipped, with the reason.  A first suite,
 * "inputs", has one case per input file, with an <error> for each input
 * diagnostic, and one for the rules and project config.
 */
#include "report/render.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hmap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct jcase {
    const struct object *o;
    const struct rule *r;
    uint32_t obj_ord, rule_ord;
    uint32_t *f; /* finding indices */
    uint32_t nf, capf;
    uint8_t state; /* 0 pass, 1 skipped, 2 failure */
};

struct jctx {
    const struct render_ctx *c;
    const struct model *m;
    struct jcase *cases;
    uint32_t n, cap;
    struct hmap idx;  /* "obj/rule" -> case index + 1 */
    struct hmap rpos; /* rule id -> position + 1 */
    struct arena a;
};

static const struct object *norm_obj(const struct model *m, const struct object *o)
{
    if (!o)
        return &m->cluster.o;
    if (o == &m->every_broker.o)
        return &m->cluster.o;
    if (o->kind == OBJ_PARTITION)
        return &((const struct partition *)o)->topic->o;
    return o;
}

static uint32_t obj_ord(const struct model *m, const struct object *o)
{
    uint32_t base = 1;
    switch ((enum obj_kind)o->kind) {
    case OBJ_CLUSTER: return 0;
    case OBJ_BROKER: return base + o->index;
    case OBJ_TOPIC: return base + m->nbrokers + o->index;
    case OBJ_PRODUCER: return base + m->nbrokers + m->ntopics + o->index;
    case OBJ_CONSUMER: return base + m->nbrokers + m->ntopics + m->nproducers + o->index;
    case OBJ_GROUP:
        return base + m->nbrokers + m->ntopics + m->nproducers + m->nconsumers + o->index;
    case OBJ_CONTROLLER:
        return base + m->nbrokers + m->ntopics + m->nproducers + m->nconsumers + m->ngroups +
               o->index;
    default: return UINT32_MAX;
    }
}

static struct jcase *get_case(struct jctx *j, const struct object *o, const struct rule *r,
                              bool create)
{
    char key[64];
    snprintf(key, sizeof key, "%p/%p", (const void *)o, (const void *)r);
    uintptr_t i = (uintptr_t)hmap_get(&j->idx, key);
    if (i)
        return &j->cases[i - 1];
    if (!create)
        return NULL;
    XGROW(j->cases, j->cap, j->n + 1);
    struct jcase *jc = &j->cases[j->n++];
    memset(jc, 0, sizeof *jc);
    jc->o = o;
    jc->r = r;
    jc->obj_ord = obj_ord(j->m, o);
    jc->rule_ord = (uint32_t)(uintptr_t)hmap_get(&j->rpos, r->id);
    hmap_put(&j->idx, arena_strdup(&j->a, key), (void *)(uintptr_t)j->n);
    return jc;
}

static bool applies(const struct model *m, const struct rule *r, const struct object *o)
{
    if (r->check)
        return o->kind != OBJ_GROUP;
    const struct client *cl = (const struct client *)o;
    switch ((enum scope)r->scope) {
    case SC_CLUSTER: return o->kind == OBJ_CLUSTER;
    case SC_BROKER: return o->kind == OBJ_BROKER || (o->kind == OBJ_CLUSTER && !m->nbrokers);
    case SC_TOPIC: return o->kind == OBJ_TOPIC;
    case SC_PARTITION: return o->kind == OBJ_TOPIC && ((const struct topic *)o)->nparts;
    case SC_PRODUCER: return o->kind == OBJ_PRODUCER;
    case SC_CONSUMER: return o->kind == OBJ_CONSUMER;
    case SC_GROUP:
    case SC_GROUP_PARTITION: return o->kind == OBJ_GROUP;
    case SC_PRODUCER_TOPIC:
    case SC_PRODUCER_CONSUMER: return o->kind == OBJ_PRODUCER && cl->ntopics;
    case SC_CONSUMER_TOPIC: return o->kind == OBJ_CONSUMER && cl->ntopics;
    case SC_CONTROLLER: return o->kind == OBJ_CONTROLLER;
    default: return false;
    }
}

static void add_obj_cases(struct jctx *j, const struct object *o)
{
    const struct rule_set *rs = j->c->rules;
    if (!rs)
        return;
    for (uint32_t i = 0; i < rs->n; i++)
        if (rs->rules[i]->enabled && applies(j->m, rs->rules[i], o))
            get_case(j, o, rs->rules[i], true);
}

static void case_add_finding(struct jcase *jc, uint32_t fi, const struct finding *f)
{
    for (uint32_t i = 0; i < jc->nf; i++)
        if (jc->f[i] == fi)
            return;
    XGROW(jc->f, jc->capf, jc->nf + 1);
    jc->f[jc->nf++] = fi;
    uint8_t st = f->status != FS_ACTIVE ? 1 : f->severity == SEV_INFO ? 0 : 2;
    if (st > jc->state)
        jc->state = st;
}

static int cmp_case(const void *pa, const void *pb)
{
    const struct jcase *a = pa, *b = pb;
    if (a->obj_ord != b->obj_ord)
        return a->obj_ord < b->obj_ord ? -1 : 1;
    return a->rule_ord < b->rule_ord ? -1 : a->rule_ord > b->rule_ord;
}

static void obj_desc(const struct object *o, char *out, size_t n)
{
    if (object_name_has_kind(o))
        snprintf(out, n, "%s", o->name);
    else
        snprintf(out, n, "%s %s", obj_kind_name(o->kind), o->name);
}

/* nofile: what names a place without a file (a live cluster), or NULL */
static void loc_text(FILE *out, const struct source_set *ss, struct loc l, const char *path,
                     const char *nofile)
{
    const char *p = source_path(ss, l.file);
    if (!p)
        p = path;
    if (!p) {
        if (nofile)
            xml_escape(out, nofile);
        else
            fputs("&lt;cluster&gt;", out);
        return;
    }
    xml_escape(out, p);
    if (l.line) {
        fprintf(out, ":%u", l.line);
        if (l.col)
            fprintf(out, ":%u", l.col);
    }
}

static void finding_body(FILE *out, const struct render_ctx *c, const struct finding *f)
{
    struct buf label = BUF_INIT;
    loc_text(out, &c->m->sources, f->loc, NULL, render_cluster_label(c->m, &label));
    buf_release(&label);
    fprintf(out, ": %s[%s]: ", severity_name((enum severity)f->severity), f->rule->id);
    xml_escape(out, f->message);
    fputc('\n', out);
    struct buf b = BUF_INIT;
    if (render_also_at(&b, &c->m->sources, f, RENDER_LIST_MAX)) {
        fputs("also at: ", out);
        xml_escape(out, buf_str(&b));
        fputc('\n', out);
    }
    buf_reset(&b);
    if (render_same_cause(&b, f)) {
        fputs("same cause: ", out);
        xml_escape(out, buf_str(&b));
        fputc('\n', out);
    }
    buf_release(&b);
    if (f->nrelated) {
        fputs("also affects: ", out);
        for (uint32_t i = 0; i < f->nrelated && i < 20; i++) {
            char d[512];
            obj_desc(f->related[i], d, sizeof d);
            fputs(i ? ", " : "", out);
            xml_escape(out, d);
        }
        if (f->nrelated > 20)
            fprintf(out, " (+%u more)", f->nrelated - 20);
        fputc('\n', out);
    }
    if (f->fix) {
        fputs("fix: ", out);
        xml_escape(out, f->fix);
        fputc('\n', out);
    }
    if (f->note) {
        fputs("note: ", out);
        xml_escape(out, f->note);
        fputc('\n', out);
    }
    if (f->status != FS_ACTIVE) {
        fputs(f->status == FS_SUPPRESSED ? "suppressed: " : "in baseline: ", out);
        xml_escape(out, f->status_reason);
        fputc('\n', out);
    }
    for (uint32_t i = 0; i < f->rule->nrefs; i++) {
        fputs(i ? ", " : "references: ", out);
        xml_escape(out, f->rule->refs[i]);
    }
    if (f->rule->nrefs)
        fputc('\n', out);
}

static void print_case(FILE *out, struct jctx *j, const struct jcase *jc, const char *suite)
{
    const struct render_ctx *c = j->c;
    fputs("    <testcase classname=\"", out);
    xml_escape(out, suite);
    fputs("\" name=\"", out);
    xml_escape(out, jc->r->id);
    if (jc->r->title) {
        fputc(' ', out);
        xml_escape(out, jc->r->title);
    }
    fputc('"', out);
    const char *p = source_path(&c->m->sources, jc->o->loc.file);
    if (p) {
        fputs(" file=\"", out);
        xml_escape(out, p);
        fputc('"', out);
        if (jc->o->loc.line)
            fprintf(out, " line=\"%u\"", jc->o->loc.line);
    }
    fputs(" time=\"0\"", out);
    if (!jc->nf) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    const struct finding *first = NULL;
    for (uint32_t i = 0; i < jc->nf && !first; i++) {
        const struct finding *f = &c->findings->v[jc->f[i]];
        if ((jc->state == 2 && f->status == FS_ACTIVE && f->severity != SEV_INFO) ||
            (jc->state == 1 && f->status != FS_ACTIVE) || jc->state == 0)
            first = f;
    }
    if (jc->state == 2) {
        fputs("      <failure type=\"", out);
        fputs(severity_name((enum severity)first->severity), out);
        fputs("\" message=\"", out);
        xml_escape(out, first->message);
        fputs("\">", out);
        for (uint32_t i = 0; i < jc->nf; i++) {
            const struct finding *f = &c->findings->v[jc->f[i]];
            if (f->status == FS_ACTIVE && f->severity != SEV_INFO)
                finding_body(out, c, f);
        }
        fputs("</failure>\n", out);
    } else if (jc->state == 1) {
        fputs("      <skipped message=\"", out);
        fputs(first->status == FS_SUPPRESSED ? "suppressed: " : "in baseline: ", out);
        xml_escape(out, first->status_reason);
        fputs("\"/>\n", out);
    }
    /* everything else (info findings, suppressed ones next to a failure) */
    bool any = false;
    for (uint32_t i = 0; i < jc->nf; i++) {
        const struct finding *f = &c->findings->v[jc->f[i]];
        bool shown = (jc->state == 2 && f->status == FS_ACTIVE && f->severity != SEV_INFO);
        if (shown)
            continue;
        if (!any)
            fputs("      <system-out>", out);
        any = true;
        finding_body(out, c, f);
    }
    if (any)
        fputs("</system-out>\n", out);
    fputs("    </testcase>\n", out);
}

/* ---- inputs suite ---------------------------------------------------------- */

static uint32_t count_diags(const struct diag_list *dl, uint32_t file, const char *path,
                            bool match_path, enum diag_sev sev)
{
    uint32_t n = 0;
    if (!dl)
        return 0;
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        bool mine = match_path ? (!d->loc.file && d->path && path && strcmp(d->path, path) == 0)
                               : d->loc.file == file;
        if (mine && d->sev == sev)
            n++;
    }
    return n;
}

static void diag_elems(FILE *out, const struct source_set *ss, const struct diag_list *dl,
                       bool (*mine)(const struct diag *, const void *), const void *arg,
                       bool errors)
{
    if (!dl)
        return;
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        if (!mine(d, arg) || (d->sev == DIAG_ERROR) != errors)
            continue;
        if (errors) {
            fputs("      <error type=\"invalid-input\" message=\"", out);
            xml_escape(out, d->msg);
            fputs("\">", out);
        }
        loc_text(out, ss, d->loc, d->path, NULL);
        fprintf(out, ": %s: ", diag_sev_name((enum diag_sev)d->sev));
        xml_escape(out, d->msg);
        if (d->hint) {
            fputs("\nhint: ", out);
            xml_escape(out, d->hint);
        }
        fputs(errors ? "</error>\n" : "\n", out);
    }
}

static bool diag_in_file(const struct diag *d, const void *arg)
{
    return d->loc.file == *(const uint32_t *)arg;
}

static bool diag_at_path(const struct diag *d, const void *arg)
{
    return !d->loc.file && d->path && strcmp(d->path, (const char *)arg) == 0;
}

static bool diag_any(const struct diag *d, const void *arg)
{
    (void)d;
    (void)arg;
    return true;
}

/* A diagnostic with neither file nor path: about the live cluster (it
 * could not be reached, a resource could not be read). */
static bool diag_no_place(const struct diag *d, const void *arg)
{
    (void)arg;
    return !d->loc.file && !d->path;
}

static uint32_t count_no_place(const struct diag_list *dl, enum diag_sev sev)
{
    uint32_t n = 0;
    for (uint32_t i = 0; dl && i < dl->n; i++)
        n += diag_no_place(&dl->v[i], NULL) && dl->v[i].sev == sev;
    return n;
}

static void input_case(FILE *out, const char *name, const char *file, uint32_t nerr,
                       uint32_t nother, const struct source_set *ss, const struct diag_list *dl,
                       bool (*mine)(const struct diag *, const void *), const void *arg)
{
    fputs("    <testcase classname=\"inputs\" name=\"", out);
    xml_escape(out, name);
    fputc('"', out);
    if (file) {
        fputs(" file=\"", out);
        xml_escape(out, file);
        fputc('"', out);
    }
    fputs(" time=\"0\"", out);
    if (!nerr && !nother) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    diag_elems(out, ss, dl, mine, arg, true);
    if (nother) {
        fputs("      <system-out>", out);
        diag_elems(out, ss, dl, mine, arg, false);
        fputs("</system-out>\n", out);
    }
    fputs("    </testcase>\n", out);
}

/* Paths of path-only diagnostics (unreadable files), each once. */
static bool first_with_path(const struct diag_list *dl, uint32_t i)
{
    for (uint32_t k = 0; k < i; k++)
        if (!dl->v[k].loc.file && dl->v[k].path && strcmp(dl->v[k].path, dl->v[i].path) == 0)
            return false;
    return true;
}

static void inputs_suite(FILE *out, const struct render_ctx *c, uint32_t *tests, uint32_t *errors)
{
    const struct source_set *ss = &c->m->sources;
    const struct diag_list *dl = c->input_diags;
    uint32_t nt = 0, ne = 0;
    for (uint32_t f = 1; f <= ss->n; f++) {
        nt++;
        ne += count_diags(dl, f, NULL, false, DIAG_ERROR) ? 1 : 0;
    }
    if (dl)
        for (uint32_t i = 0; i < dl->n; i++)
            if (!dl->v[i].loc.file && dl->v[i].path && first_with_path(dl, i)) {
                nt++;
                ne += count_diags(dl, 0, dl->v[i].path, true, DIAG_ERROR) ? 1 : 0;
            }
    const struct diag_list *rd = c->rules ? &c->rules->diags : NULL;
    uint32_t rerr = (rd ? rd->nerrors : 0) + (c->extra_diags ? c->extra_diags->nerrors : 0);
    uint32_t rother = (rd ? rd->n - rd->nerrors : 0) +
                      (c->extra_diags ? c->extra_diags->n - c->extra_diags->nerrors : 0);
    nt++;
    ne += rerr ? 1 : 0;
    /* the live cluster, when something of it could not be read: a case in
     * error when it could not be reached at all, so that a cluster nobody
     * audited is never a run where every rule passed */
    uint32_t cerr = count_no_place(dl, DIAG_ERROR);
    uint32_t cother = count_no_place(dl, DIAG_WARNING) + count_no_place(dl, DIAG_NOTE);
    if (cerr || cother) {
        nt++;
        ne += cerr ? 1 : 0;
    }
    fprintf(out,
            "  <testsuite name=\"inputs\" tests=\"%u\" failures=\"0\" errors=\"%u\" "
            "skipped=\"0\" time=\"0\">\n",
            nt, ne);
    for (uint32_t f = 1; f <= ss->n; f++) {
        const char *p = source_path(ss, f);
        input_case(out, p, p, count_diags(dl, f, NULL, false, DIAG_ERROR),
                   count_diags(dl, f, NULL, false, DIAG_WARNING) +
                       count_diags(dl, f, NULL, false, DIAG_NOTE),
                   ss, dl, diag_in_file, &f);
    }
    if (dl)
        for (uint32_t i = 0; i < dl->n; i++) {
            const char *p = dl->v[i].path;
            if (dl->v[i].loc.file || !p || !first_with_path(dl, i))
                continue;
            input_case(out, p, NULL, count_diags(dl, 0, p, true, DIAG_ERROR),
                       count_diags(dl, 0, p, true, DIAG_WARNING) +
                           count_diags(dl, 0, p, true, DIAG_NOTE),
                       ss, dl, diag_at_path, p);
        }
    if (cerr || cother)
        input_case(out, "live cluster", NULL, cerr, cother, ss, dl, diag_no_place, NULL);
    /* rules and project config */
    fputs("    <testcase classname=\"inputs\" name=\"rules and project config\" time=\"0\"", out);
    if (!rerr && !rother)
        fputs("/>\n", out);
    else {
        fputs(">\n", out);
        if (rd)
            diag_elems(out, &c->rules->sources, rd, diag_any, NULL, true);
        if (c->extra_diags)
            diag_elems(out, c->extra_sources, c->extra_diags, diag_any, NULL, true);
        if (rother) {
            fputs("      <system-out>", out);
            if (rd)
                diag_elems(out, &c->rules->sources, rd, diag_any, NULL, false);
            if (c->extra_diags)
                diag_elems(out, c->extra_sources, c->extra_diags, diag_any, NULL, false);
            fputs("</system-out>\n", out);
        }
        fputs("    </testcase>\n", out);
    }
    fputs("  </testsuite>\n", out);
    *tests += nt;
    *errors += ne;
}

static void render_junit(FILE *out, const struct render_ctx *c)
{
    struct jctx j;
    memset(&j, 0, sizeof j);
    j.c = c;
    j.m = c->m;
    hmap_init(&j.idx);
    hmap_init(&j.rpos);
    arena_init(&j.a);
    const struct model *m = c->m;
    if (c->rules)
        for (uint32_t i = 0; i < c->rules->n; i++)
            hmap_put(&j.rpos, c->rules->rules[i]->id, (void *)(uintptr_t)(i + 1));

    if (m->cluster.declared)
        add_obj_cases(&j, &m->cluster.o);
    for (uint32_t i = 0; i < m->nbrokers; i++)
        add_obj_cases(&j, &m->brokers[i]->o);
    for (uint32_t i = 0; i < m->ntopics; i++)
        add_obj_cases(&j, &m->topics[i]->o);
    for (uint32_t i = 0; i < m->nproducers; i++)
        add_obj_cases(&j, &m->producers[i]->o);
    for (uint32_t i = 0; i < m->nconsumers; i++)
        add_obj_cases(&j, &m->consumers[i]->o);
    for (uint32_t i = 0; i < m->ngroups; i++)
        add_obj_cases(&j, &m->groups[i]->o);
    for (uint32_t i = 0; i < m->ncontrollers; i++)
        add_obj_cases(&j, &m->controllers[i]->o);

    const struct finding_list *fl = c->findings;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        const struct object *o = norm_obj(m, f->obj);
        if (o == &m->cluster.o && f->rule->scope == SC_BROKER && m->nbrokers) {
            /* a cluster-wide value: every broker fails the rule */
            for (uint32_t b = 0; b < m->nbrokers; b++)
                case_add_finding(get_case(&j, &m->brokers[b]->o, f->rule, true), i, f);
        } else
            case_add_finding(get_case(&j, o, f->rule, true), i, f);
        for (uint32_t r = 0; r < f->nrelated; r++) {
            struct jcase *rc = get_case(&j, norm_obj(m, f->related[r]), f->rule, false);
            if (rc)
                case_add_finding(rc, i, f);
        }
        /* a merged place: its rule fails on its object too, with the
         * merged finding (which says where else and why) */
        for (uint32_t a = 0; a < f->nalso; a++) {
            const struct finding_place *p = &f->also[a];
            if (!p->rule || !p->obj || (p->rule == f->rule && norm_obj(m, p->obj) == o))
                continue;
            struct jcase *pc = get_case(&j, norm_obj(m, p->obj), p->rule, false);
            if (pc)
                case_add_finding(pc, i, f);
        }
    }
    if (j.n > 1)
        qsort(j.cases, j.n, sizeof *j.cases, cmp_case);

    uint32_t tests = 0, failures = 0, errors = 0, skipped = 0;
    for (uint32_t i = 0; i < j.n; i++) {
        tests++;
        failures += j.cases[i].state == 2;
        skipped += j.cases[i].state == 1;
    }
    tests += c->nfixed;
    /* inputs suite counts are computed while printing it, so print into a
     * memory stream first */
    char *ibuf = NULL;
    size_t ilen = 0;
    FILE *im = open_memstream(&ibuf, &ilen);
    if (im) {
        inputs_suite(im, c, &tests, &errors);
        fclose(im);
    }

    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    fprintf(out,
            "<testsuites name=\"kafkaudit %s\" tests=\"%u\" failures=\"%u\" errors=\"%u\" "
            "skipped=\"%u\" time=\"0\">\n",
            c->command ? c->command : "lint", tests, failures, errors, skipped);
    if (ibuf)
        fwrite(ibuf, 1, ilen, out);
    free(ibuf);

    char suite[600];
    for (uint32_t i = 0; i < j.n;) {
        uint32_t e = i, nf = 0, ns = 0;
        while (e < j.n && j.cases[e].o == j.cases[i].o) {
            nf += j.cases[e].state == 2;
            ns += j.cases[e].state == 1;
            e++;
        }
        obj_desc(j.cases[i].o, suite, sizeof suite);
        fputs("  <testsuite name=\"", out);
        xml_escape(out, suite);
        fprintf(out, "\" tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\" time=\"0\">\n",
                e - i, nf, ns);
        for (uint32_t k = i; k < e; k++)
            print_case(out, &j, &j.cases[k], suite);
        fputs("  </testsuite>\n", out);
        i = e;
    }
    if (c->nfixed) {
        fprintf(out,
                "  <testsuite name=\"fixed since baseline\" tests=\"%u\" failures=\"0\" "
                "errors=\"0\" skipped=\"0\" time=\"0\">\n",
                c->nfixed);
        for (uint32_t i = 0; i < c->nfixed; i++) {
            fputs("    <testcase classname=\"fixed since baseline\" name=\"", out);
            xml_escape(out, c->fixed_desc ? c->fixed_desc[i] : c->fixed[i]);
            fputs("\" time=\"0\"/>\n", out);
        }
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);

    for (uint32_t i = 0; i < j.n; i++)
        free(j.cases[i].f);
    free(j.cases);
    hmap_release(&j.idx);
    hmap_release(&j.rpos);
    arena_release(&j.a);
}

const struct out_format fmt_junit = {"junit", "JUnit XML, one test case per rule and object",
                                     render_junit, 0};
