/*
 * render_text.c - compiler-style text:
 *
 *   deploy/app.properties:3:6: error[KA101]: producer orders: acks=1 ...
 *       3 | acks=1
 *         |      ^
 *     fix: set acks=all
 */
#include "report/render.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/utf8.h"

#include <string.h>

#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_RED    "\033[1;31m"
#define C_YELLOW "\033[1;35m"
#define C_CYAN   "\033[1;36m"
#define C_GREEN  "\033[1;32m"
#define C_DIM    "\033[2m"

static const char *sev_color(enum severity s)
{
    return s == SEV_ERROR ? C_RED : s == SEV_WARNING ? C_YELLOW : C_CYAN;
}

/* Print a line with control characters made visible (hostile files must
 * not be able to drive the terminal). */
static void safe_write(FILE *out, const char *s, size_t n)
{
    struct buf b = BUF_INIT;
    buf_put_printable_n(&b, s, n);
    fwrite(b.p ? b.p : "", 1, b.len, out);
    buf_release(&b);
}

static void safe_puts(FILE *out, const char *s)
{
    safe_write(out, s, strlen(s));
}

void render_caret(FILE *out, const struct source_set *ss, struct loc loc, bool color,
                  const char *caret_color)
{
    size_t len;
    const char *line = source_line(ss, loc.file, loc.line, &len);
    if (!line)
        return;
    /* a secret on the line is never printed (source_hide) */
    uint32_t hidden = source_hidden_from(ss, loc.file, loc.line);
    if (hidden && hidden - 1 < len)
        len = hidden - 1;
    bool clipped = false;
    if (len > 200) {
        len = 200;
        clipped = true;
    }
    fprintf(out, "%5u | ", loc.line);
    safe_write(out, line, len);
    if (clipped)
        fputs("...", out);
    else if (hidden)
        fputs("[hidden]", out);
    fputc('\n', out);
    fputs("      | ", out);
    size_t col = loc.col ? loc.col - 1 : 0;
    if (col > len)
        col = len;
    /* pad with the line's own whitespace so tabs line up */
    size_t w = utf8_width(line, col);
    for (size_t i = 0; i < w; i++)
        fputc(' ', out);
    /* underline the token under the caret */
    size_t tok = 0;
    while (col + tok < len) {
        char ch = line[col + tok];
        if (ch == ' ' || ch == ',' || ch == '}' || ch == ']' || ch == '#' || ch == '\t' ||
            (tok > 0 && (ch == '=' || ch == ':')))
            break;
        tok++;
    }
    if (color)
        fputs(caret_color, out);
    fputc('^', out);
    for (size_t i = 1; i < tok && i < 80; i++)
        fputc('~', out);
    if (color)
        fputs(C_RESET, out);
    fputc('\n', out);
}

static void location(FILE *out, const struct source_set *ss, struct loc l, const char *path,
                     bool color)
{
    const char *p = source_path(ss, l.file);
    if (!p)
        p = path;
    if (color)
        fputs(C_BOLD, out);
    if (!p)
        fputs("<cluster>", out);
    else {
        safe_puts(out, p);
        if (l.line) {
            fprintf(out, ":%u", l.line);
            if (l.col)
                fprintf(out, ":%u", l.col);
        }
    }
    fputs(":", out);
    if (color)
        fputs(C_RESET, out);
}

void render_diags_text(FILE *out, const struct source_set *ss, const struct diag_list *dl,
                       bool color)
{
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        /* a problem with the command line itself (connection settings)
         * is the program's, not a file's or the cluster's */
        location(out, ss, d->loc,
                 d->path || d->loc.file || d->kind == DK_CLUSTER ? d->path : "kafkaudit", color);
        const char *c = d->sev == DIAG_ERROR ? C_RED : d->sev == DIAG_WARNING ? C_YELLOW : C_CYAN;
        fprintf(out, " %s%s%s: ", color ? c : "", diag_sev_name((enum diag_sev)d->sev),
                color ? C_RESET : "");
        safe_puts(out, d->msg);
        fputc('\n', out);
        if (d->loc.file && d->loc.line)
            render_caret(out, ss, d->loc, color, C_GREEN);
        if (d->hint) {
            fputs("  hint: ", out);
            safe_puts(out, d->hint);
            fputc('\n', out);
        }
    }
}

void render_summary_line(FILE *out, const struct render_ctx *c)
{
    const struct finding_list *fl = c->findings;
    uint32_t e = 0, w = 0, n = 0, sup = 0, base = 0;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status == FS_SUPPRESSED) {
            sup++;
            continue;
        }
        if (f->status == FS_BASELINE) {
            base++;
            continue;
        }
        if (f->severity == SEV_ERROR)
            e++;
        else if (f->severity == SEV_WARNING)
            w++;
        else
            n++;
    }
    if (!e && !w && !n)
        fputs("no findings", out);
    else {
        const char *sep = "";
        if (e) {
            fprintf(out, "%u error%s", e, e == 1 ? "" : "s");
            sep = ", ";
        }
        if (w) {
            fprintf(out, "%s%u warning%s", sep, w, w == 1 ? "" : "s");
            sep = ", ";
        }
        if (n)
            fprintf(out, "%s%u info", sep, n);
    }
    if (c->nfiles)
        fprintf(out, " in %u file%s", c->nfiles, c->nfiles == 1 ? "" : "s");
    else if (c->m && c->m->cluster.live)
        fputs(" on the live cluster", out);
    uint32_t nrules = 0;
    if (c->rules)
        for (uint32_t i = 0; i < c->rules->n; i++)
            nrules += c->rules->rules[i]->enabled;
    if (nrules)
        fprintf(out, " (%u rules", nrules);
    if (sup)
        fprintf(out, ", %u suppressed", sup);
    if (base)
        fprintf(out, ", %u in baseline", base);
    if (c->nfixed)
        fprintf(out, ", %u fixed since baseline", c->nfixed);
    if (nrules)
        fputc(')', out);
    uint32_t nerr = (c->input_diags ? c->input_diags->nerrors : 0) +
                    (c->rules ? c->rules->diags.nerrors : 0) +
                    (c->extra_diags ? c->extra_diags->nerrors : 0);
    /* what could not be read from a live cluster is not an input error,
     * but it leaves the audit just as incomplete */
    uint32_t ncl = 0;
    if (c->input_diags) {
        uint32_t ce = diag_count(c->input_diags, DIAG_ERROR, DK_CLUSTER);
        nerr -= ce;
        ncl = ce + diag_count(c->input_diags, DIAG_WARNING, DK_CLUSTER);
    }
    if (nerr)
        fprintf(out, "; %u input error%s (see above)", nerr, nerr == 1 ? "" : "s");
    if (ncl)
        fprintf(out, "%s %u problem%s reading the cluster (see above)", nerr ? "," : ";", ncl,
                ncl == 1 ? "" : "s");
    if (nerr || ncl)
        fputs(": the audit is incomplete", out);
    fputc('\n', out);
}

static void render_text(FILE *out, const struct render_ctx *c)
{
    const struct finding_list *fl = c->findings;
    const struct source_set *ss = &c->m->sources;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status != FS_ACTIVE && !c->show_suppressed)
            continue;
        location(out, ss, f->loc, NULL, c->color);
        fprintf(out, " %s%s%s[%s]: ", c->color ? sev_color((enum severity)f->severity) : "",
                severity_name((enum severity)f->severity), c->color ? C_RESET : "", f->rule->id);
        safe_puts(out, f->message);
        fputc('\n', out);
        if (c->show_source && f->loc.file)
            render_caret(out, ss, f->loc, c->color, C_GREEN);
        if (f->nalso) {
            fputs("  also at: ", out);
            uint32_t shown = f->nalso < 8 ? f->nalso : 8;
            for (uint32_t r = 0; r < shown; r++) {
                const struct finding_place *p = &f->also[r];
                fputs(r ? ", " : "", out);
                const char *path = source_path(ss, p->loc.file);
                safe_puts(out, path ? path : "<cluster>");
                if (p->loc.line)
                    fprintf(out, ":%u", p->loc.line);
                if (p->rule != f->rule)
                    fprintf(out, " (%s)", p->rule->id);
            }
            if (f->nalso > shown)
                fprintf(out, " (+%u more)", f->nalso - shown);
            fputc('\n', out);
        }
        if (f->nrelated) {
            fputs("  also: ", out);
            uint32_t shown = f->nrelated < 8 ? f->nrelated : 8;
            for (uint32_t r = 0; r < shown; r++) {
                const struct object *o = f->related[r];
                fputs(r ? ", " : "", out);
                if (!object_name_has_kind(o))
                    fprintf(out, "%s ", obj_kind_name(o->kind));
                safe_puts(out, o->name);
            }
            if (f->nrelated > shown)
                fprintf(out, " (+%u more)", f->nrelated - shown);
            fputc('\n', out);
        }
        if (f->fix) {
            fputs(c->color ? "  " C_BOLD "fix:" C_RESET " " : "  fix: ", out);
            safe_puts(out, f->fix);
            fputc('\n', out);
        }
        if (f->note) {
            fputs("  note: ", out);
            safe_puts(out, f->note);
            fputc('\n', out);
        }
        if (f->status != FS_ACTIVE) {
            fprintf(out, "  %s: ", f->status == FS_SUPPRESSED ? "suppressed" : "in baseline");
            safe_puts(out, f->status_reason ? f->status_reason : "");
            fputc('\n', out);
        }
    }
    for (uint32_t i = 0; i < c->nfixed; i++) {
        fputs("fixed since baseline: ", out);
        safe_puts(out, c->fixed_desc ? c->fixed_desc[i] : c->fixed[i]);
        fputc('\n', out);
    }
    if (!c->quiet)
        render_summary_line(out, c);
}

const struct out_format fmt_text = {
    "text", "compiler-style findings with source lines and carets (the default)", render_text,
    FMT_EACH
};
