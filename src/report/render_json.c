/*
 * render_json.c - findings as JSON.  The schema is stable and documented
 * in kafkaudit(1), "JSON OUTPUT"; additions are backwards compatible and
 * "version" changes on any incompatible change.
 */
#include "report/render.h"
#include "util/json_writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void obj_ref(struct jw *w, const char *key, const struct object *o)
{
    jw_key(w, key);
    if (!o) {
        jw_null(w);
        return;
    }
    jw_obj_begin(w);
    jw_kstr(w, "kind", obj_kind_name(o->kind));
    jw_kstr(w, "name", o->name);
    jw_obj_end(w);
}

static void loc_json(struct jw *w, const struct source_set *ss, struct loc l, const char *path)
{
    jw_key(w, "location");
    const char *p = source_path(ss, l.file);
    if (!p)
        p = path;
    if (!p) {
        jw_null(w);
        return;
    }
    jw_obj_begin(w);
    jw_kstr(w, "file", p);
    if (l.line)
        jw_kint(w, "line", l.line);
    if (l.col)
        jw_kint(w, "column", l.col);
    jw_obj_end(w);
}

static void diags_json(struct jw *w, const struct source_set *ss, const struct diag_list *dl)
{
    if (!dl)
        return;
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        jw_obj_begin(w);
        jw_kstr(w, "severity", diag_sev_name((enum diag_sev)d->sev));
        jw_kstr(w, "kind", d->kind == DK_INPUT ? "input" : d->kind == DK_RULES ? "rules" : "cluster");
        jw_kstr(w, "message", d->msg);
        if (d->hint)
            jw_kstr(w, "hint", d->hint);
        loc_json(w, ss, d->loc, d->path);
        jw_obj_end(w);
    }
}

static void finding_json(struct jw *w, const struct finding *f, const struct render_ctx *c)
{
    jw_obj_begin(w);
    jw_kstr(w, "rule", f->rule->id);
    jw_kstr(w, "title", f->rule->title);
    jw_kstr(w, "severity", severity_name((enum severity)f->severity));
    jw_kstr(w, "message", f->message);
    jw_kstr(w, "fix", f->fix);
    loc_json(w, &c->m->sources, f->loc, NULL);
    obj_ref(w, "object", f->obj);
    obj_ref(w, "related_object", f->obj2);
    obj_ref(w, "anchor", f->anchor);
    jw_kstr(w, "key", f->key);
    jw_key(w, "also_affects");
    jw_arr_begin(w);
    for (uint32_t r = 0; r < f->nrelated; r++) {
        jw_obj_begin(w);
        jw_kstr(w, "kind", obj_kind_name(f->related[r]->kind));
        jw_kstr(w, "name", f->related[r]->name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    char fp[17];
    finding_fingerprint_hex(f, fp);
    jw_kstr(w, "fingerprint", fp);
    jw_kstr(w, "status",
            f->status == FS_ACTIVE ? "active" : f->status == FS_SUPPRESSED ? "suppressed" : "baseline");
    if (f->status_reason)
        jw_kstr(w, "status_reason", f->status_reason);
    if (f->note)
        jw_kstr(w, "note", f->note);
    jw_key(w, "references");
    jw_arr_begin(w);
    for (uint32_t r = 0; r < f->rule->nrefs; r++)
        jw_str(w, f->rule->refs[r]);
    jw_arr_end(w);
    jw_obj_end(w);
}

/* Findings are formatted in slices, each by a thread into memory, then
 * written in order: about a third of a large lint's output time.  A slice
 * starts as the findings array's first element would (no comma); the
 * commas between slices are written when they are joined, so the bytes
 * are those of one writer. */
#define JSON_SLICE_MIN 256 /* findings below which one thread formats them all */
#define JSON_MAX_SLICES 8

struct json_slice {
    const struct render_ctx *c;
    const struct finding_list *fl;
    uint32_t from, to;
    int depth;
    char *buf;
    size_t len;
    bool any;
};

static bool visible(const struct finding *f, const struct render_ctx *c)
{
    return f->status == FS_ACTIVE || c->show_suppressed;
}

static void *format_slice(void *arg)
{
    struct json_slice *s = arg;
    FILE *mem = open_memstream(&s->buf, &s->len);
    if (!mem)
        return NULL; /* the caller formats this slice itself */
    struct jw w;
    jw_init(&w, mem, true);
    w.depth = s->depth;
    for (uint32_t i = s->from; i < s->to; i++)
        if (visible(&s->fl->v[i], s->c)) {
            finding_json(&w, &s->fl->v[i], s->c);
            s->any = true;
        }
    if (fclose(mem) != 0) {
        free(s->buf);
        s->buf = NULL;
    }
    return NULL;
}

static void findings_json(struct jw *w, const struct finding_list *fl, const struct render_ctx *c)
{
    unsigned k = c->jobs > JSON_MAX_SLICES ? JSON_MAX_SLICES : c->jobs;
    if (k < 2 || fl->n < JSON_SLICE_MIN) {
        for (uint32_t i = 0; i < fl->n; i++)
            if (visible(&fl->v[i], c))
                finding_json(w, &fl->v[i], c);
        return;
    }
    struct json_slice sl[JSON_MAX_SLICES];
    pthread_t tid[JSON_MAX_SLICES];
    bool started[JSON_MAX_SLICES];
    for (unsigned s = 0; s < k; s++) {
        sl[s] = (struct json_slice){c, fl, (uint32_t)((uint64_t)fl->n * s / k),
                                    (uint32_t)((uint64_t)fl->n * (s + 1) / k), w->depth, NULL, 0,
                                    false};
        started[s] = s > 0 && pthread_create(&tid[s], NULL, format_slice, &sl[s]) == 0;
    }
    format_slice(&sl[0]);
    for (unsigned s = 0; s < k; s++) {
        if (started[s])
            pthread_join(tid[s], NULL);
        else if (s > 0)
            format_slice(&sl[s]);
        if (!sl[s].buf) { /* no memory for it: format it here, straight out */
            for (uint32_t i = sl[s].from; i < sl[s].to; i++)
                if (visible(&fl->v[i], c))
                    finding_json(w, &fl->v[i], c);
            continue;
        }
        if (sl[s].any) {
            if (w->need_comma[w->depth])
                fputc(',', w->out);
            fwrite(sl[s].buf, 1, sl[s].len, w->out);
            w->need_comma[w->depth] = true;
        }
        free(sl[s].buf);
    }
}

void render_json(FILE *out, const struct render_ctx *c)
{
    struct jw w;
    jw_init(&w, out, true);
    const struct finding_list *fl = c->findings;
    jw_obj_begin(&w);
    jw_kint(&w, "version", 1);
    jw_key(&w, "tool");
    jw_obj_begin(&w);
    jw_kstr(&w, "name", "kafkaudit");
    jw_kstr(&w, "version", c->tool_version);
    jw_obj_end(&w);
    if (c->command)
        jw_kstr(&w, "command", c->command);

    uint32_t cnt[3] = {0, 0, 0}, sup = 0, base = 0;
    for (uint32_t i = 0; i < fl->n; i++) {
        if (fl->v[i].status == FS_SUPPRESSED)
            sup++;
        else if (fl->v[i].status == FS_BASELINE)
            base++;
        else
            cnt[fl->v[i].severity]++;
    }
    jw_key(&w, "summary");
    jw_obj_begin(&w);
    jw_kint(&w, "errors", cnt[SEV_ERROR]);
    jw_kint(&w, "warnings", cnt[SEV_WARNING]);
    jw_kint(&w, "infos", cnt[SEV_INFO]);
    jw_kint(&w, "suppressed", sup);
    jw_kint(&w, "baselined", base);
    jw_kint(&w, "fixed", c->nfixed);
    jw_kint(&w, "files", c->nfiles);
    uint32_t nrules = 0;
    if (c->rules)
        for (uint32_t i = 0; i < c->rules->n; i++)
            nrules += c->rules->rules[i]->enabled;
    jw_kint(&w, "rules", nrules);
    uint32_t cl_err = c->input_diags ? diag_count(c->input_diags, DIAG_ERROR, DK_CLUSTER) : 0;
    uint32_t cl_warn = c->input_diags ? diag_count(c->input_diags, DIAG_WARNING, DK_CLUSTER) : 0;
    uint32_t in_err = (c->input_diags ? c->input_diags->nerrors : 0) +
                      (c->rules ? c->rules->diags.nerrors : 0) +
                      (c->extra_diags ? c->extra_diags->nerrors : 0) - cl_err;
    jw_kint(&w, "input_errors", in_err);
    /* resources of a live cluster that could not be read (see "errors") */
    jw_kint(&w, "cluster_problems", cl_err + cl_warn);
    jw_kbool(&w, "complete", in_err + cl_err + cl_warn == 0);
    jw_obj_end(&w);

    jw_key(&w, "findings");
    jw_arr_begin(&w);
    findings_json(&w, fl, c);
    jw_arr_end(&w);

    if (c->nfixed) {
        jw_key(&w, "fixed");
        jw_arr_begin(&w);
        for (uint32_t i = 0; i < c->nfixed; i++) {
            jw_obj_begin(&w);
            jw_kstr(&w, "fingerprint", c->fixed[i]);
            if (c->fixed_desc)
                jw_kstr(&w, "description", c->fixed_desc[i]);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
    }

    jw_key(&w, "errors");
    jw_arr_begin(&w);
    diags_json(&w, &c->m->sources, c->input_diags);
    if (c->rules)
        diags_json(&w, &c->rules->sources, &c->rules->diags);
    if (c->extra_diags)
        diags_json(&w, c->extra_sources, c->extra_diags);
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_end(&w);
}
