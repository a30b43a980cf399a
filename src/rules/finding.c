#include "rules/finding.h"
#include "rules/rule.h"
#include "util/xalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *severity_name(enum severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    default: return "info";
    }
}

int severity_parse(const char *s, enum severity *out)
{
    if (strcmp(s, "error") == 0)
        *out = SEV_ERROR;
    else if (strcmp(s, "warning") == 0 || strcmp(s, "warn") == 0)
        *out = SEV_WARNING;
    else if (strcmp(s, "info") == 0 || strcmp(s, "note") == 0)
        *out = SEV_INFO;
    else
        return -1;
    return 0;
}

void finding_list_init(struct finding_list *l) { memset(l, 0, sizeof *l); }

void finding_release(struct finding *f)
{
    free(f->message);
    free(f->fix);
    free(f->status_reason);
    free(f->note);
    free(f->related);
    free(f->value);
    free(f->origin);
    free(f->also);
    for (uint32_t i = 0; i < f->nfix_set; i++)
        free(f->fix_set[i].value);
    free(f->fix_set);
}

void finding_list_release(struct finding_list *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        finding_release(&l->v[i]);
    free(l->v);
    finding_list_init(l);
}

struct finding *finding_add(struct finding_list *l)
{
    XGROW(l->v, l->cap, l->n + 1);
    struct finding *f = &l->v[l->n++];
    memset(f, 0, sizeof *f);
    return f;
}

static const struct model *sort_model;

static int cmp_findings(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    const char *fa = source_path(&sort_model->sources, a->loc.file);
    const char *fb = source_path(&sort_model->sources, b->loc.file);
    /* findings without a file (live cluster) sort after file findings */
    if (!fa != !fb)
        return fa ? -1 : 1;
    if (fa && fb) {
        int c = strcmp(fa, fb);
        if (c)
            return c;
    }
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    int c = strcmp(a->rule->id, b->rule->id);
    if (c)
        return c;
    c = strcmp(a->obj ? a->obj->name : "", b->obj ? b->obj->name : "");
    if (c)
        return c;
    return a->fingerprint < b->fingerprint ? -1 : a->fingerprint > b->fingerprint;
}

void finding_list_sort(struct finding_list *l, const struct model *m)
{
    sort_model = m;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_findings);
}

static int cmp_by_severity(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    return cmp_findings(pa, pb);
}

static int cmp_by_rule(const void *pa, const void *pb)
{
    const struct finding *a = pa, *b = pb;
    int c = strcmp(a->rule->id, b->rule->id);
    return c ? c : cmp_findings(pa, pb);
}

void finding_list_order(struct finding_list *l, const struct model *m, enum finding_order o)
{
    sort_model = m;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v,
              o == FO_SEVERITY ? cmp_by_severity
              : o == FO_RULE   ? cmp_by_rule
                               : cmp_findings);
}

uint32_t finding_list_drop_below(struct finding_list *l, enum severity min)
{
    uint32_t kept = 0, gone = 0;
    for (uint32_t i = 0; i < l->n; i++) {
        if (l->v[i].severity >= min) {
            l->v[kept++] = l->v[i];
            continue;
        }
        gone += l->v[i].status == FS_ACTIVE;
        finding_release(&l->v[i]);
    }
    l->n = kept;
    return gone;
}

uint32_t finding_count(const struct finding_list *l, enum severity min, bool active_only)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i].severity >= min && (!active_only || l->v[i].status == FS_ACTIVE))
            n++;
    return n;
}

void finding_object_desc(const struct finding *f, char *out, size_t n)
{
    const struct object *o = f->obj;
    if (!o) {
        snprintf(out, n, "deployment");
        return;
    }
    if (object_name_has_kind(o))
        snprintf(out, n, "%s", o->name);
    else
        snprintf(out, n, "%s %s", obj_kind_name(o->kind), o->name);
    if (f->obj2) {
        size_t l = strlen(out);
        snprintf(out + l, n - l, " -> %s %s", obj_kind_name(f->obj2->kind), f->obj2->name);
    }
}

const char *finding_message_body(const struct finding *f)
{
    const char *m = f->message ? f->message : "";
    char desc[512];
    finding_object_desc(f, desc, sizeof desc);
    size_t dl = strlen(desc);
    if (strncmp(m, desc, dl) == 0 && m[dl] == ':' && m[dl + 1] == ' ')
        return m + dl + 2;
    size_t nl = f->obj ? strlen(f->obj->name) : 0;
    if (nl && strncmp(m, f->obj->name, nl) == 0 && m[nl] == ':' && m[nl + 1] == ' ')
        return m + nl + 2;
    return m;
}

static uint64_t fnv64(uint64_t h, const char *s)
{
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    h ^= 0xff; /* field separator */
    h *= 1099511628211ull;
    return h;
}

uint64_t fingerprint_compute(const char *rule_id, const struct object *anchor, const char *key)
{
    uint64_t h = 14695981039346656037ull;
    h = fnv64(h, rule_id);
    h = fnv64(h, anchor ? obj_kind_name(anchor->kind) : "");
    h = fnv64(h, anchor ? anchor->name : "");
    h = fnv64(h, key ? key : "");
    return h;
}

void finding_fingerprint_hex(const struct finding *f, char out[17])
{
    snprintf(out, 17, "%016" PRIx64, f->fingerprint);
}
