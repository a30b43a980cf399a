/*
 * render_checkstyle.c - Checkstyle XML, read by Jenkins' Warnings NG,
 * reviewdog, SonarQube's generic import and many editors:
 *
 *   <checkstyle version="4.3">
 *     <file name="deploy/server.properties">
 *       <error line="4" column="1" severity="error" message="..."
 *              source="kafkaudit.KA409"/>
 *     </file>
 *   </checkstyle>
 *
 * A merged finding is one <error> at its first place (tools count one
 * per cause); its message lists the other places ("also at: ...") and
 * the objects it affects.
 *
 * Severities are Checkstyle's: error, warning, info.  Findings without a
 * file (live cluster) go under a <file> named after the object.  Input,
 * rule and config diagnostics are errors with source kafkaudit.input.
 */
#include "report/render.h"

#include <stdlib.h>
#include <string.h>

static void error_elem(FILE *out, struct loc l, const char *sev, const char *msg,
                       const char *source)
{
    fputs("    <error", out);
    if (l.line)
        fprintf(out, " line=\"%u\"", l.line);
    if (l.col)
        fprintf(out, " column=\"%u\"", l.col);
    fprintf(out, " severity=\"%s\" message=\"", sev);
    xml_escape(out, msg);
    fputs("\" source=\"", out);
    xml_escape(out, source);
    fputs("\"/>\n", out);
}

static void open_file(FILE *out, const char *name)
{
    fputs("  <file name=\"", out);
    xml_escape(out, name);
    fputs("\">\n", out);
}

static void diag_files(FILE *out, const struct source_set *ss, const struct diag_list *dl)
{
    if (!dl)
        return;
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        const char *p = ss ? source_path(ss, d->loc.file) : NULL;
        if (!p)
            p = d->path ? d->path : "<kafkaudit>";
        open_file(out, p);
        const char *sev = d->sev == DIAG_ERROR     ? "error"
                          : d->sev == DIAG_WARNING ? "warning"
                                                   : "info";
        error_elem(out, d->loc, sev, d->msg, "kafkaudit.input");
        fputs("  </file>\n", out);
    }
}

static void render_checkstyle(FILE *out, const struct render_ctx *c)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
    const struct finding_list *fl = c->findings;
    const char *cur = NULL;
    bool open = false;
    char name[512];
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status != FS_ACTIVE && !c->show_suppressed)
            continue;
        const char *path = source_path(&c->m->sources, f->loc.file);
        if (!path) {
            finding_object_desc(f, name, sizeof name);
            path = name;
        }
        if (!open || strcmp(cur, path) != 0) {
            if (open)
                fputs("  </file>\n", out);
            open_file(out, path);
            open = true;
            cur = path == name ? NULL : path;
        }
        char src[96];
        snprintf(src, sizeof src, "kafkaudit.%s", f->rule->id);
        const char *msg = f->message;
        char *tmp = NULL;
        size_t len = 0;
        FILE *mf = NULL;
        if (f->fix || f->note || f->nalso || f->nrelated || f->status != FS_ACTIVE) {
            mf = open_memstream(&tmp, &len);
            if (mf) {
                fputs(f->message, mf);
                if (f->note)
                    fprintf(mf, " (%s)", f->note);
                struct buf b = BUF_INIT;
                if (render_also_at(&b, &c->m->sources, f, RENDER_LIST_MAX))
                    fprintf(mf, " - also at: %s", buf_str(&b));
                buf_reset(&b);
                if (render_same_cause(&b, f))
                    fprintf(mf, " - same cause: %s", buf_str(&b));
                buf_reset(&b);
                if (render_affects(&b, f, RENDER_LIST_MAX))
                    fprintf(mf, " - affects: %s", buf_str(&b));
                buf_release(&b);
                if (f->fix)
                    fprintf(mf, " - fix: %s", f->fix);
                if (f->status != FS_ACTIVE)
                    fprintf(mf, " [%s: %s]", f->status == FS_SUPPRESSED ? "suppressed" : "baseline",
                            f->status_reason ? f->status_reason : "");
                fclose(mf);
                msg = tmp;
            }
        }
        error_elem(out, f->loc, severity_name((enum severity)f->severity), msg, src);
        free(tmp);
        if (!cur) { /* object-named file: never merged with the next one */
            fputs("  </file>\n", out);
            open = false;
        }
    }
    if (open)
        fputs("  </file>\n", out);
    diag_files(out, &c->m->sources, c->input_diags);
    if (c->rules)
        diag_files(out, &c->rules->sources, &c->rules->diags);
    diag_files(out, c->extra_sources, c->extra_diags);
    fputs("</checkstyle>\n", out);
}

const struct out_format fmt_checkstyle = {"checkstyle", "Checkstyle XML", render_checkstyle, 0};
