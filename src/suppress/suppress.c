#include "suppress/suppress.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/hmap.h"
#include "util/json_writer.h"
#include "util/strutil.h"
#include "util/xalloc.h"
#include "syntax/yload.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MARKER "kafkaudit-ignore"

struct inline_supp {
    uint32_t file, line;
    bool own_line; /* a comment alone on its line also covers the next line */
    char rules[16][64];
    int nrules;
    char reason[512];
    char expires[16];
    int64_t expires_day;
};

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Parse "kafkaudit-ignore[:] ID[,ID...] reason=\"...\" [expires=DATE]". */
static int parse_inline(const char *s, size_t n, struct inline_supp *out, char *err, size_t errn)
{
    char tmp[1024];
    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    const char *p = tmp + strlen(MARKER);
    if (*p == ':')
        p++;
    p = skip_ws(p);
    out->nrules = 0;
    out->reason[0] = out->expires[0] = '\0';
    out->expires_day = -1;
    while (*p && strncmp(p, "reason=", 7) != 0 && strncmp(p, "expires=", 8) != 0 &&
           strncmp(p, "until=", 6) != 0) {
        size_t l = strcspn(p, ", \t");
        if (l && out->nrules < 16 && l < 64) {
            memcpy(out->rules[out->nrules], p, l);
            out->rules[out->nrules++][l] = '\0';
        }
        p += l;
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
    }
    while (*p) {
        char *dst;
        size_t cap;
        if (strncmp(p, "reason=", 7) == 0) {
            p += 7;
            dst = out->reason;
            cap = sizeof out->reason;
        } else if (strncmp(p, "expires=", 8) == 0 || strncmp(p, "until=", 6) == 0) {
            p += p[0] == 'e' ? 8 : 6;
            dst = out->expires;
            cap = sizeof out->expires;
        } else {
            snprintf(err, errn, "unexpected text '%.60s' in suppression", p);
            return -1;
        }
        size_t l;
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            const char *e = strchr(p, q);
            l = e ? (size_t)(e - p) : strlen(p);
            snprintf(dst, cap, "%.*s", (int)l, p);
            p += l + (e ? 1 : 0);
        } else {
            l = strcspn(p, " \t");
            snprintf(dst, cap, "%.*s", (int)l, p);
            p += l;
        }
        p = skip_ws(p);
    }
    if (!out->nrules) {
        snprintf(err, errn, "suppression names no rule (write: %s: KA101 reason=\"...\")", MARKER);
        return -1;
    }
    if (!out->reason[0]) {
        snprintf(err, errn,
                 "suppression of %s has no reason=\"...\"; every accepted risk needs one",
                 out->rules[0]);
        return -1;
    }
    if (out->expires[0] && parse_date(out->expires, &out->expires_day)) {
        snprintf(err, errn, "expires must be a date YYYY-MM-DD, not '%s'", out->expires);
        return -1;
    }
    return 0;
}

static void scan_file(const struct model *m, uint32_t file, const struct rule_set *rs,
                      struct inline_supp **v, uint32_t *n, uint32_t *cap, struct diag_list *diags)
{
    const struct src_file *f = source_get(&m->sources, file);
    if (!strstr(f->data, MARKER))
        return;
    size_t len;
    for (uint32_t line = 1;; line++) {
        const char *text = source_line(&m->sources, file, line, &len);
        if (!text)
            break;
        const char *hit = NULL;
        for (size_t i = 0; i + strlen(MARKER) <= len; i++)
            if (strncmp(text + i, MARKER, strlen(MARKER)) == 0) {
                hit = text + i;
                break;
            }
        if (!hit)
            continue;
        /* must be inside a '#' comment */
        const char *hash = NULL;
        for (const char *q = text; q < hit; q++)
            if (*q == '#' || *q == '!')
                hash = q;
        if (!hash)
            continue;
        struct inline_supp s;
        char err[256];
        struct loc l = {file, line, (uint32_t)(hit - text) + 1};
        if (parse_inline(hit, len - (size_t)(hit - text), &s, err, sizeof err)) {
            diag_add(diags, DIAG_ERROR, DK_INPUT, l, "%s", err);
            continue;
        }
        bool ok = true;
        for (int r = 0; r < s.nrules; r++)
            if (!rule_set_find(rs, s.rules[r])) {
                struct diag *d = diag_add(diags, DIAG_ERROR, DK_INPUT, l,
                                          "suppression names unknown rule id '%s'", s.rules[r]);
                const char *sg = rule_set_suggest(rs, s.rules[r]);
                if (d && sg)
                    diag_hint(d, "did you mean '%s'?", sg);
                ok = false;
            }
        if (!ok)
            continue;
        s.file = file;
        s.line = line;
        s.own_line = true;
        for (const char *q = text; q < hash; q++)
            if (*q != ' ' && *q != '\t')
                s.own_line = false;
        XGROW(*v, *cap, *n + 1);
        (*v)[(*n)++] = s;
    }
}

static bool names_rule(const struct inline_supp *s, const char *id)
{
    for (int i = 0; i < s->nrules; i++)
        if (strcmp(s->rules[i], id) == 0)
            return true;
    return false;
}

/* A suppression at line L covers findings on L, and on L+1 when the
 * comment is alone on its line (a trailing comment does not reach the
 * next setting). */
static const struct inline_supp *find_inline(const struct inline_supp *v, uint32_t n, struct loc l,
                                             const char *id)
{
    if (!l.file || !l.line)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        if (v[i].file == l.file &&
            (v[i].line == l.line || (v[i].own_line && v[i].line + 1 == l.line)) &&
            names_rule(&v[i], id))
            return &v[i];
    return NULL;
}

static bool obj_matches(const struct suppression *s, const struct object *o)
{
    if (!o)
        return false;
    if (s->object_kind && strcmp(s->object_kind, obj_kind_name(o->kind)) != 0)
        return false;
    if (!s->object_name)
        return true;
    /* a bare kind ("cluster", "broker") stands for every object of it */
    if (!s->object_kind && strcmp(s->object_name, obj_kind_name(o->kind)) == 0)
        return true;
    size_t l = strlen(s->object_name);
    if (l && s->object_name[l - 1] == '*')
        return strncmp(o->name, s->object_name, l - 1) == 0;
    if (o->kind == OBJ_BROKER || o->kind == OBJ_CONTROLLER) { /* "broker:1" */
        char id[32];
        snprintf(id, sizeof id, "%d", ((const struct broker *)o)->id);
        if (strcmp(id, s->object_name) == 0)
            return true;
    }
    return strcmp(o->name, s->object_name) == 0;
}

/* The text output names a cluster-wide finding by what it is about
 * ("all brokers: ..."); a suppression may use that spelling. */
static bool text_desc_matches(const struct suppression *s, const struct finding *f)
{
    if (s->object_kind || !str_starts(f->message, "all "))
        return false;
    const char *colon = strstr(f->message, ": ");
    size_t l = strlen(s->object_name);
    return colon && (size_t)(colon - f->message) == l &&
           strncmp(f->message, s->object_name, l) == 0;
}

/* A suppression that matched nothing: say which objects the rule's
 * findings are on, in the "kind:name" form a suppression takes. */
static void hint_objects(struct diag *d, const struct finding_list *fl, const char *rule)
{
    if (!d)
        return;
    struct buf b = BUF_INIT;
    unsigned shown = 0, more = 0;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (strcmp(f->rule->id, rule) != 0 || !f->obj)
            continue;
        char id[300];
        snprintf(id, sizeof id, "%s:%s", obj_kind_name(f->obj->kind), f->obj->name);
        bool dup = false;
        for (uint32_t k = 0; k < i && !dup; k++) {
            const struct finding *g = &fl->v[k];
            dup = strcmp(g->rule->id, rule) == 0 && g->obj && g->obj->kind == f->obj->kind &&
                  strcmp(g->obj->name, f->obj->name) == 0;
        }
        if (dup)
            continue;
        if (shown == 5) {
            more++;
            continue;
        }
        buf_printf(&b, "%s%s", shown ? ", " : "", id);
        shown++;
    }
    if (shown)
        diag_hint(d, "%s's findings here are on: %s%s", rule, buf_str(&b), more ? ", ..." : "");
    buf_release(&b);
}

static void mark(struct finding *f, const char *reason, const char *where, const char *expires,
                 int64_t expires_day, int64_t today, enum supp_kind kind)
{
    struct buf b = BUF_INIT;
    if (expires_day >= 0 && expires_day < today) {
        buf_printf(&b, "suppression at %s expired on %s (reason was: %s)", where, expires, reason);
        free(f->note);
        f->note = buf_detach(&b);
        return;
    }
    buf_printf(&b, "%s (%s", reason, where);
    if (expires)
        buf_printf(&b, ", expires %s", expires);
    buf_putc(&b, ')');
    f->status = FS_SUPPRESSED;
    f->supp_kind = (uint8_t)kind;
    free(f->status_reason);
    f->status_reason = buf_detach(&b);
}

void suppress_apply(const struct model *m, const struct rule_set *rs,
                    const struct config_suppressions *cs, struct finding_list *fl,
                    struct diag_list *diags)
{
    struct inline_supp *v = NULL;
    uint32_t n = 0, cap = 0;
    for (uint32_t f = 1; f <= m->sources.n; f++)
        scan_file(m, f, rs, &v, &n, &cap, diags);
    int64_t today = today_day();
    char where[600];
    for (uint32_t i = 0; i < fl->n; i++) {
        struct finding *f = &fl->v[i];
        const struct inline_supp *s = find_inline(v, n, f->loc, f->rule->id);
        if (!s && f->obj)
            s = find_inline(v, n, f->obj->loc, f->rule->id);
        if (!s && f->anchor)
            s = find_inline(v, n, f->anchor->loc, f->rule->id);
        if (s) {
            snprintf(where, sizeof where, "%s:%u", source_path(&m->sources, s->file), s->line);
            mark(f, s->reason, where, s->expires[0] ? s->expires : NULL, s->expires_day, today,
                 SK_INLINE);
            continue;
        }
        if (!cs)
            continue;
        for (uint32_t j = 0; j < cs->n; j++) {
            struct suppression *sp = &cs->v[j];
            if (strcmp(sp->rule, f->rule->id) != 0)
                continue;
            if (sp->object_name && !obj_matches(sp, f->obj) && !obj_matches(sp, f->obj2) &&
                !obj_matches(sp, f->anchor) && !text_desc_matches(sp, f))
                continue;
            sp->used++;
            snprintf(where, sizeof where, "%s:%u", source_path(cs->sources, sp->loc.file),
                     sp->loc.line);
            mark(f, sp->reason, where, sp->expires_text, sp->expires_day, today, SK_CONFIG);
            break;
        }
    }
    if (cs)
        for (uint32_t j = 0; j < cs->n; j++)
            if (!cs->v[j].used && rule_set_find(rs, cs->v[j].rule)) {
                struct diag *d =
                    diag_add(cs->diags, DIAG_NOTE, DK_RULES, cs->v[j].loc,
                             "suppression of %s matched no finding; remove it if the risk is gone",
                             cs->v[j].rule);
                hint_objects(d, fl, cs->v[j].rule);
            }
    free(v);
}

int baseline_load(struct baseline *b, const char *path, struct source_set *ss,
                  struct diag_list *diags)
{
    memset(b, 0, sizeof *b);
    struct arena a;
    arena_init(&a);
    int rc = -1;
    int id = source_read(ss, diags, DK_INPUT, path, path);
    struct ystream ys;
    if (id < 0 || yload_parse(&a, ss, diags, DK_INPUT, (uint32_t)id, &ys))
        goto out;
    const struct ynode *root = ys.ndocs ? ys.docs[0].root : NULL;
    const struct ynode *list = ymap_get(root, "findings");
    if (!list || list->kind != Y_SEQ) {
        diag_add_path(diags, DIAG_ERROR, DK_INPUT, path,
                      "not a kafkaudit baseline (no 'findings' list)");
        goto out;
    }
    b->fp = xcalloc(list->seq.n + 1, sizeof(char *));
    b->desc = xcalloc(list->seq.n + 1, sizeof(char *));
    for (uint32_t i = 0; i < list->seq.n; i++) {
        const struct ynode *e = list->seq.items[i];
        const char *fp = ynode_str(ymap_get(e, "fingerprint"));
        if (strlen(fp) != 16)
            continue;
        b->fp[b->n] = xstrdup(fp);
        char d[512];
        snprintf(d, sizeof d, "%s %s", ynode_str(ymap_get(e, "rule")),
                 ynode_str(ymap_get(e, "object")));
        b->desc[b->n] = xstrdup(d);
        b->n++;
    }
    b->matched = xcalloc(b->n + 1, sizeof(bool));
    rc = 0;
out:
    arena_release(&a);
    return rc;
}

void baseline_release(struct baseline *b)
{
    for (uint32_t i = 0; i < b->n; i++) {
        free(b->fp[i]);
        free(b->desc[i]);
    }
    free(b->fp);
    free(b->desc);
    free(b->matched);
    memset(b, 0, sizeof *b);
}

uint32_t baseline_apply(struct baseline *b, struct finding_list *fl)
{
    uint32_t matched = 0;
    /* the baseline's fingerprints by hash, the first of equal ones: a scan
     * per finding made 200,000 fingerprints against 20,000 topics take 13 s */
    struct hmap by_fp;
    hmap_init(&by_fp);
    for (uint32_t j = b->n; j > 0; j--)
        hmap_put(&by_fp, b->fp[j - 1], (void *)(uintptr_t)j);
    for (uint32_t i = 0; i < fl->n; i++) {
        struct finding *f = &fl->v[i];
        if (f->status != FS_ACTIVE)
            continue;
        char fp[17];
        finding_fingerprint_hex(f, fp);
        uintptr_t j = (uintptr_t)hmap_get(&by_fp, fp);
        if (j) {
            b->matched[j - 1] = true;
            f->status = FS_BASELINE;
            free(f->status_reason);
            f->status_reason = xstrdup("known in baseline");
            matched++;
        }
    }
    hmap_release(&by_fp);
    return matched;
}

int baseline_write(const char *path, const struct finding_list *fl, struct diag_list *diags)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        diag_add_path(diags, DIAG_ERROR, DK_INPUT, path, "cannot write baseline: %s",
                      strerror(errno));
        return -1;
    }
    struct jw w;
    jw_init(&w, out, true);
    jw_obj_begin(&w);
    jw_kint(&w, "version", 1);
    jw_kstr(&w, "tool", "kafkaudit");
    jw_key(&w, "findings");
    jw_arr_begin(&w);
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status == FS_SUPPRESSED)
            continue;
        char fp[17], obj[512];
        finding_fingerprint_hex(f, fp);
        finding_object_desc(f, obj, sizeof obj);
        jw_obj_begin(&w);
        jw_kstr(&w, "fingerprint", fp);
        jw_kstr(&w, "rule", f->rule->id);
        jw_kstr(&w, "object", obj);
        jw_kstr(&w, "key", f->key);
        jw_kstr(&w, "message", f->message);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_end(&w);
    if (fclose(out) != 0) {
        diag_add_path(diags, DIAG_ERROR, DK_INPUT, path, "cannot write baseline: %s",
                      strerror(errno));
        return -1;
    }
    return 0;
}
