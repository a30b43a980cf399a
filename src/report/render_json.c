/*
 * render_json.c - findings as JSON.  The schema is stable and documented
 * in kafkaudit(1), "JSON OUTPUT"; additions are backwards compatible and
 * "version" changes on any incompatible change.
 */
#include "report/render.h"
#include "util/json_writer.h"

#include <inttypes.h>
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
        jw_kstr(w, "kind",
                d->kind == DK_INPUT   ? "input"
                : d->kind == DK_RULES ? "rules"
                                      : "cluster");
        jw_kstr(w, "message", d->msg);
        if (d->hint)
            jw_kstr(w, "hint", d->hint);
        loc_json(w, ss, d->loc, d->path);
        jw_obj_end(w);
    }
}

static void render_json(FILE *out, const struct render_ctx *c)
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
    if (c->m->cluster.live) {
        /* the cluster the findings without a location are about */
        render_cluster_json(&w, c->m, false);
    }

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
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status != FS_ACTIVE && !c->show_suppressed)
            continue;
        jw_obj_begin(&w);
        jw_kstr(&w, "rule", f->rule->id);
        jw_kstr(&w, "title", f->rule->title);
        jw_kstr(&w, "severity", severity_name((enum severity)f->severity));
        jw_kstr(&w, "message", f->message);
        jw_kstr(&w, "fix", f->fix);
        if (f->nfix_set) {
            /* the fix as settings on the anchor object (rule fix_set) */
            jw_key(&w, "fix_set");
            jw_obj_begin(&w);
            for (uint32_t k = 0; k < f->nfix_set; k++)
                jw_kstr(&w, f->fix_set[k].key, f->fix_set[k].value); /* null: remove it */
            jw_obj_end(&w);
        }
        loc_json(&w, &c->m->sources, f->loc, NULL);
        obj_ref(&w, "object", f->obj);
        obj_ref(&w, "related_object", f->obj2);
        obj_ref(&w, "anchor", f->anchor);
        jw_kstr(&w, "key", f->key);
        jw_key(&w, "also_affects");
        jw_arr_begin(&w);
        for (uint32_t r = 0; r < f->nrelated; r++) {
            jw_obj_begin(&w);
            jw_kstr(&w, "kind", obj_kind_name(f->related[r]->kind));
            jw_kstr(&w, "name", f->related[r]->name);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        /* the other places of the same cause, merged into this finding */
        jw_key(&w, "also_at");
        jw_arr_begin(&w);
        for (uint32_t r = 0; r < f->nalso; r++) {
            jw_obj_begin(&w);
            loc_json(&w, &c->m->sources, f->also[r].loc, NULL);
            jw_kstr(&w, "rule", f->also[r].rule->id);
            obj_ref(&w, "object", f->also[r].obj);
            char afp[17];
            snprintf(afp, sizeof afp, "%016" PRIx64, f->also[r].fingerprint);
            jw_kstr(&w, "fingerprint", afp);
            jw_obj_end(&w);
        }
        jw_arr_end(&w);
        char fp[17];
        finding_fingerprint_hex(f, fp);
        jw_kstr(&w, "fingerprint", fp);
        jw_kstr(&w, "status",
                f->status == FS_ACTIVE       ? "active"
                : f->status == FS_SUPPRESSED ? "suppressed"
                                             : "baseline");
        if (f->status_reason)
            jw_kstr(&w, "status_reason", f->status_reason);
        if (f->note)
            jw_kstr(&w, "note", f->note);
        jw_key(&w, "references");
        jw_arr_begin(&w);
        for (uint32_t r = 0; r < f->rule->nrefs; r++)
            jw_str(&w, f->rule->refs[r]);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
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

const struct out_format fmt_json = {
    "json", "findings, diagnostics and summary as one JSON document", render_json, 0};

void render_cluster_json(struct jw *w, const struct model *m, bool with_controller)
{
    const struct cluster *cl = &m->cluster;
    jw_key(w, "cluster");
    jw_obj_begin(w);
    jw_kstr(w, "name", cl->cluster_name);
    jw_kstr(w, "bootstrap", cl->o.name);
    jw_kstr(w, "id", cl->cluster_id);
    if (with_controller) {
        jw_key(w, "controller");
        if (cl->controller >= 0)
            jw_int(w, cl->controller);
        else
            jw_null(w);
    }
    jw_obj_end(w);
}
