/*
 * render_github.c - GitHub Actions workflow commands, so findings appear
 * as annotations on the pull request's changed files:
 *
 *   ::error file=deploy/app.properties,line=3,col=6,title=KA101 Producer acks below all::producer
 * orders: ...
 *
 * Levels: error, warning, notice (info).  Escaping follows the runner's
 * toolkit (actions/toolkit, packages/core/src/command.ts): in the message
 * '%' -> %25, CR -> %0D, LF -> %0A; in property values additionally
 * ':' -> %3A and ',' -> %2C.  Other control characters are dropped, so a
 * hostile file cannot inject a second command.
 *
 * A merged finding is one annotation, at its first place, whose message
 * lists the other places ("also at: ...") and the objects it affects.
 * A finding or diagnostic read from a live cluster has no file= property:
 * its message starts with the cluster as text names it ("prod (cluster
 * q1Sh...): topic orders: ...").
 *
 * Picked automatically when GITHUB_ACTIONS=true and no --format was given.
 * Diagnostics about the inputs become ::error commands too (they fail the
 * run with status 3), fixed-since-baseline findings ::notice commands, and
 * the summary is a plain log line.
 */
#include "report/render.h"

#include <stdbool.h>
#include <string.h>

static void esc(FILE *out, const char *s, bool property)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '%')
            fputs("%25", out);
        else if (c == '\r')
            fputs("%0D", out);
        else if (c == '\n')
            fputs("%0A", out);
        else if (property && c == ':')
            fputs("%3A", out);
        else if (property && c == ',')
            fputs("%2C", out);
        else if (c < 0x20 || c == 0x7f)
            fputc(' ', out);
        else
            fputc(c, out);
    }
}

static const char *level_of(enum severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "notice";
}

/* "::LEVEL file=F,line=L,col=C,title=T::" */
static void command(FILE *out, const char *level, const char *path, struct loc l, const char *title)
{
    fprintf(out, "::%s", level);
    const char *sep = " ";
    if (path) {
        if (path[0] == '.' && path[1] == '/')
            path += 2;
        fputs(" file=", out);
        esc(out, path, true);
        sep = ",";
        if (l.line) {
            fprintf(out, ",line=%u", l.line);
            if (l.col)
                fprintf(out, ",col=%u", l.col);
        }
    }
    if (title) {
        fprintf(out, "%stitle=", sep);
        esc(out, title, true);
    }
    fputs("::", out);
}

/* cluster: what names the cluster in a diagnostic about it without a
 * file (render_cluster_label), or NULL */
static void diags(FILE *out, const struct source_set *ss, const struct diag_list *dl,
                  const char *cluster)
{
    if (!dl)
        return;
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        const char *p = ss ? source_path(ss, d->loc.file) : NULL;
        if (!p)
            p = d->path;
        const char *lvl = d->sev == DIAG_ERROR     ? "error"
                          : d->sev == DIAG_WARNING ? "warning"
                                                   : "notice";
        command(out, lvl, p, d->loc,
                d->sev == DIAG_ERROR ? "kafkaudit: invalid input" : "kafkaudit");
        if (!p && d->kind == DK_CLUSTER && cluster) {
            esc(out, cluster, false);
            fputs(": ", out);
        }
        esc(out, d->msg, false);
        if (d->hint) {
            fputs("%0A", out);
            esc(out, d->hint, false);
        }
        fputc('\n', out);
    }
}

static void render_github(FILE *out, const struct render_ctx *c)
{
    const struct finding_list *fl = c->findings;
    struct buf label = BUF_INIT;
    diags(out, &c->m->sources, c->input_diags, render_cluster_label(c->m, &label));
    if (c->rules)
        diags(out, &c->rules->sources, &c->rules->diags, NULL);
    diags(out, c->extra_sources, c->extra_diags, NULL);
    char title[512], desc[512];
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status != FS_ACTIVE) {
            if (c->show_suppressed) {
                finding_object_desc(f, desc, sizeof desc);
                fprintf(out, "%s %s on ", f->status == FS_SUPPRESSED ? "suppressed" : "in baseline",
                        f->rule->id);
                esc(out, desc, false);
                fputs(": ", out);
                esc(out, f->status_reason, false);
                fputc('\n', out);
            }
            continue;
        }
        const char *path = source_path(&c->m->sources, f->loc.file);
        snprintf(title, sizeof title, "%s %s", f->rule->id, f->rule->title ? f->rule->title : "");
        command(out, level_of((enum severity)f->severity), path, f->loc, title);
        if (!path) {
            /* no file to point at: name the cluster as the other formats
             * do, then the object, unless the message already starts with
             * it ("topic orders: ...") */
            if (render_cluster_label(c->m, &label)) {
                esc(out, buf_str(&label), false);
                fputs(": ", out);
            }
            finding_object_desc(f, desc, sizeof desc);
            if (!render_names_object(f->message, desc)) {
                esc(out, desc, false);
                fputs(": ", out);
            }
        }
        esc(out, f->message, false);
        if (f->note) {
            fputs("%0A", out);
            esc(out, f->note, false);
        }
        /* a merged finding's other places and objects: lines of its
         * annotation (one annotation per cause, as one finding) */
        struct buf b = BUF_INIT;
        if (render_also_at(&b, &c->m->sources, f, RENDER_LIST_MAX)) {
            fputs("%0Aalso at: ", out);
            esc(out, buf_str(&b), false);
        }
        buf_reset(&b);
        if (render_same_cause(&b, f)) {
            fputs("%0Asame cause: ", out);
            esc(out, buf_str(&b), false);
        }
        buf_reset(&b);
        if (render_affects(&b, f, RENDER_LIST_MAX)) {
            fputs("%0Aaffects: ", out);
            esc(out, buf_str(&b), false);
        }
        buf_release(&b);
        if (f->fix) {
            fputs("%0Afix: ", out);
            esc(out, f->fix, false);
        }
        fputc('\n', out);
    }
    buf_release(&label);
    for (uint32_t i = 0; i < c->nfixed; i++) {
        command(out, "notice", NULL, LOC_NONE, "kafkaudit: fixed since baseline");
        esc(out, c->fixed_desc ? c->fixed_desc[i] : c->fixed[i], false);
        fputc('\n', out);
    }
    if (!c->quiet)
        render_summary_line(out, c);
}

const struct out_format fmt_github = {"github", "GitHub Actions workflow commands (annotations)",
                                      render_github, FMT_EACH};
