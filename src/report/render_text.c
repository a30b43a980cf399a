/*
 * render_text.c - compiler-style text, one short header per finding and
 * indented lines for why, the source line, where the value came from,
 * the other places of the same cause and the fix:
 *
 *   deploy/app.properties:3:6: error[KA101] producer orders: Producer acknowledges ...
 *     why: acks=1: only the partition leader has the record when ...
 *       3 | acks=1
 *         |      ^
 *     value: acks=1 (deploy/app.properties:3)
 *     fix: set acks=all
 *
 * then counts by rule and the summary line.  Explanations wrap at
 * render_ctx.width columns.
 */
#include "report/render.h"
#include "util/buf.h"
#include "util/strutil.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_RED    "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN   "\033[1;36m"
#define C_GREEN  "\033[1;32m"
#define C_DIM    "\033[2m"

const char *paint(bool color, enum paint p)
{
    static const char *const esc[] = {
        [PAINT_RESET] = C_RESET,    [PAINT_BOLD] = C_BOLD, [PAINT_ERROR] = C_RED,
        [PAINT_WARNING] = C_YELLOW, [PAINT_INFO] = C_CYAN, [PAINT_GOOD] = C_GREEN,
        [PAINT_UNKNOWN] = C_DIM,
    };
    return color ? esc[p] : "";
}

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

static void safe_puts(FILE *out, const char *s) { safe_write(out, s, strlen(s)); }

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

const char *render_cluster_label(const struct model *m, struct buf *b)
{
    if (!m || !m->cluster.live)
        return NULL;
    buf_reset(b);
    const struct cluster *c = &m->cluster;
    if (c->cluster_name)
        buf_put_printable(b, c->cluster_name);
    else if (c->o.name)
        buf_put_printable(b, c->o.name);
    else
        buf_puts(b, "<cluster>");
    if (c->cluster_id) {
        buf_puts(b, " (cluster ");
        buf_put_printable(b, c->cluster_id);
        buf_putc(b, ')');
    }
    return buf_str(b);
}

/* nofile: what stands for a place without a file ("<cluster>" if NULL) */
static void location(FILE *out, const struct source_set *ss, struct loc l, const char *path,
                     bool color, const char *nofile)
{
    const char *p = source_path(ss, l.file);
    if (!p)
        p = path;
    if (color)
        fputs(C_BOLD, out);
    if (!p)
        fputs(nofile ? nofile : "<cluster>", out);
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
                       bool color, const struct model *live)
{
    struct buf label = BUF_INIT;
    const char *cluster = render_cluster_label(live, &label);
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        /* a problem with the command line itself (connection settings)
         * is the program's, not a file's or the cluster's */
        location(out, ss, d->loc,
                 d->path || d->loc.file || d->kind == DK_CLUSTER ? d->path : "kafkaudit", color,
                 cluster);
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
    buf_release(&label);
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
    /* a cluster that could not be read was not audited: no "no findings";
     * nor is an input that could be read only in part clean */
    bool unread = c->m && c->m->cluster.live && c->m->cluster.unread && !c->nfiles;
    bool none = !e && !w && !n;
    bool partial = none && !unread && (nerr || ncl);
    if (unread && none)
        fputs("nothing audited: the live cluster could not be read", out);
    else if (partial)
        fputs("no findings in what could be read", out);
    else if (none)
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
        fprintf(out, "%s %u file%s", partial ? " of" : " in", c->nfiles, c->nfiles == 1 ? "" : "s");
    else if (c->m && c->m->cluster.live && !unread)
        fputs(partial ? " of the live cluster" : " on the live cluster", out);
    uint32_t nrules = 0;
    if (c->rules)
        for (uint32_t i = 0; i < c->rules->n; i++)
            nrules += c->rules->rules[i]->enabled;
    if (nrules)
        fprintf(out, " (%u rules%s", nrules, unread ? " not run" : "");
    if (sup)
        fprintf(out, ", %u suppressed", sup);
    if (base)
        fprintf(out, ", %u in baseline", base);
    if (c->nfixed)
        fprintf(out, ", %u fixed since baseline", c->nfixed);
    if (c->nhidden)
        fprintf(out, ", %u below %s not shown", c->nhidden,
                severity_name((enum severity)c->min_sev));
    if (nrules)
        fputc(')', out);
    if (nerr)
        fprintf(out, "; %u input error%s (on stderr)", nerr, nerr == 1 ? "" : "s");
    if (ncl)
        fprintf(out, "%s %u problem%s reading the cluster (on stderr)", nerr ? "," : ";", ncl,
                ncl == 1 ? "" : "s");
    if (nerr || ncl)
        fputs(": the audit is incomplete", out);
    fputc('\n', out);
}

/* Write text word-wrapped: "  LABEL: " then words, continuation lines
 * indented under the first word; width counts columns (UTF-8 aware). */
static void wrapped(FILE *out, const char *label, const char *text, unsigned width, bool color,
                    const char *lcolor)
{
    size_t indent = 2 + strlen(label) + 2;
    if (color && lcolor)
        fprintf(out, "  %s%s:%s ", lcolor, label, C_RESET);
    else
        fprintf(out, "  %s: ", label);
    size_t col = indent;
    const char *p = text;
    bool first = true;
    while (*p) {
        while (*p == ' ' || *p == '\n')
            p++;
        if (!*p)
            break;
        size_t n = strcspn(p, " \n");
        size_t w = utf8_width(p, n);
        if (!first && col + 1 + w > width) {
            fputc('\n', out);
            for (size_t i = 0; i < indent; i++)
                fputc(' ', out);
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        safe_write(out, p, n);
        col += w;
        first = false;
        p += n;
    }
    fputc('\n', out);
}

/* The message without what the header already says: the object's name
 * in front ("topic orders: ...") and the value's origin in parentheses
 * (shown on its own line). */
static char *explanation(const struct finding *f, const char *desc)
{
    const char *m = f->message;
    const char *colon = strstr(m, ": ");
    if (str_starts(m, "all ") && colon && colon - m < 40)
        m = colon + 2;
    size_t dl = strlen(desc);
    if (strncmp(m, desc, dl) == 0 && m[dl] == ':' && m[dl + 1] == ' ')
        m += dl + 2;
    else if (f->obj && strncmp(m, f->obj->name, strlen(f->obj->name)) == 0 &&
             m[strlen(f->obj->name)] == ':' && m[strlen(f->obj->name) + 1] == ' ')
        m += strlen(f->obj->name) + 2;
    struct buf b = BUF_INIT;
    const char *hit = NULL;
    if (f->origin && f->value) {
        struct buf o = BUF_INIT;
        buf_printf(&o, " (%s)", f->origin);
        hit = strstr(m, buf_str(&o));
        if (hit) {
            buf_printf(&b, "%.*s%s", (int)(hit - m), m, hit + o.len);
        }
        buf_release(&o);
    }
    if (!hit)
        buf_printf(&b, "%s", m);
    return buf_detach(&b);
}

static void render_finding(FILE *out, const struct render_ctx *c, const struct finding *f)
{
    const struct source_set *ss = &c->m->sources;
    unsigned width = c->width ? c->width : 100;
    char desc[512];
    finding_object_desc(f, desc, sizeof desc);
    /* a cluster-wide finding names what it is about ("all brokers: ...") */
    const char *colon = strstr(f->message, ": ");
    if (str_starts(f->message, "all ") && colon && colon - f->message < 40)
        snprintf(desc, sizeof desc, "%.*s", (int)(colon - f->message), f->message);
    /* path:line:col: severity[ID] object: what is wrong - the title is
     * shortened to keep the line within the width (the why line says it
     * all) */
    const char *path = source_path(ss, f->loc.file);
    char head[128];
    int hl = snprintf(head, sizeof head, ":%u:%u: %s[%s] : ", f->loc.line, f->loc.col,
                      severity_name((enum severity)f->severity), f->rule->id);
    size_t used = (path ? utf8_width(path, strlen(path)) : 10) + (hl > 0 ? (size_t)hl : 0) +
                  utf8_width(desc, strlen(desc));
    size_t tl = strlen(f->rule->title);
    size_t hw = width < 100 ? 100 : width; /* the header's budget */
    size_t room = used + tl > hw ? (hw > used + 30 ? hw - used : 30) : tl;
    struct buf here = BUF_INIT;
    location(out, ss, f->loc, NULL, c->color, render_cluster_label(c->m, &here));
    buf_release(&here);
    fprintf(out, " %s%s[%s]%s ", c->color ? sev_color((enum severity)f->severity) : "",
            severity_name((enum severity)f->severity), f->rule->id, c->color ? C_RESET : "");
    safe_puts(out, desc);
    fputs(": ", out);
    if (room < tl) {
        /* cut at a space, never inside a UTF-8 sequence */
        size_t cut = room - 3;
        while (cut > 0 && f->rule->title[cut] != ' ')
            cut--;
        safe_write(out, f->rule->title, cut ? cut : room - 3);
        fputs("...", out);
    } else
        safe_puts(out, f->rule->title);
    fputc('\n', out);
    char *why = explanation(f, desc);
    wrapped(out, "why", why, width, false, NULL);
    free(why);
    if (c->show_source && f->loc.file)
        render_caret(out, ss, f->loc, c->color, C_GREEN);
    if (f->key && f->value && f->origin) {
        struct buf v = BUF_INIT;
        buf_printf(&v, "%s=%s (%s)", f->key, f->value, f->origin);
        wrapped(out, "value", buf_str(&v), width, false, NULL);
        buf_release(&v);
    }
    if (f->nalso) {
        /* places on the header's line are said by the rule ids alone */
        struct buf a = BUF_INIT, same = BUF_INIT, label = BUF_INIT;
        uint32_t shown = 0;
        for (uint32_t r = 0; r < f->nalso; r++) {
            const struct finding_place *p = &f->also[r];
            if (p->loc.file == f->loc.file && p->loc.line == f->loc.line) {
                buf_printf(&same, "%s%s", same.len ? ", " : "", p->rule->id);
                continue;
            }
            if (shown++ >= 8)
                continue;
            const char *ap = source_path(ss, p->loc.file);
            if (!ap && !label.len)
                render_cluster_label(c->m, &label);
            buf_printf(&a, "%s%s", a.len ? ", " : "",
                       ap          ? ap
                       : label.len ? buf_str(&label)
                                   : "<cluster>");
            if (p->loc.line)
                buf_printf(&a, ":%u", p->loc.line);
            if (p->rule != f->rule)
                buf_printf(&a, " (%s)", p->rule->id);
        }
        if (shown > 8)
            buf_printf(&a, " (+%u more)", shown - 8);
        if (a.len)
            wrapped(out, "also at", buf_str(&a), width, false, NULL);
        if (same.len)
            wrapped(out, "same cause", buf_str(&same), width, false, NULL);
        buf_release(&a);
        buf_release(&same);
        buf_release(&label);
    }
    if (f->nrelated) {
        struct buf a = BUF_INIT;
        uint32_t shown = f->nrelated < 8 ? f->nrelated : 8;
        for (uint32_t r = 0; r < shown; r++) {
            const struct object *o = f->related[r];
            buf_printf(&a, "%s", r ? ", " : "");
            if (!object_name_has_kind(o))
                buf_printf(&a, "%s ", obj_kind_name(o->kind));
            buf_printf(&a, "%s", o->name);
        }
        if (f->nrelated > shown)
            buf_printf(&a, " (+%u more)", f->nrelated - shown);
        wrapped(out, "affects", buf_str(&a), width, false, NULL);
        buf_release(&a);
    }
    if (f->fix)
        wrapped(out, "fix", f->fix, width, c->color, C_BOLD);
    if (f->note)
        wrapped(out, "note", f->note, width, false, NULL);
    if (f->status != FS_ACTIVE)
        wrapped(out, f->status == FS_SUPPRESSED ? "suppressed" : "in baseline",
                f->status_reason ? f->status_reason : "", width, false, NULL);
}

/* "by rule: KA409(2), KA101(1)" - most frequent first */
struct rule_count {
    const char *id;
    uint32_t n;
};

static int by_count(const void *a, const void *b)
{
    const struct rule_count *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->id, y->id);
}

static void rule_counts(FILE *out, const struct finding_list *fl, unsigned width)
{
    struct rule_count *v = calloc(fl->n + 1, sizeof *v);
    uint32_t n = 0;
    if (!v)
        return;
    for (uint32_t i = 0; i < fl->n; i++) {
        if (fl->v[i].status != FS_ACTIVE)
            continue;
        uint32_t k = 0;
        while (k < n && strcmp(v[k].id, fl->v[i].rule->id) != 0)
            k++;
        if (k == n)
            v[n++].id = fl->v[i].rule->id;
        v[k].n++;
    }
    if (n) {
        qsort(v, n, sizeof *v, by_count);
        struct buf b = BUF_INIT;
        for (uint32_t k = 0; k < n; k++)
            buf_printf(&b, "%s%s(%u)", k ? ", " : "", v[k].id, v[k].n);
        wrapped(out, "by rule", buf_str(&b), width, false, NULL);
        buf_release(&b);
    }
    free(v);
}

static void render_text(FILE *out, const struct render_ctx *c)
{
    const struct finding_list *fl = c->findings;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status != FS_ACTIVE && !c->show_suppressed)
            continue;
        render_finding(out, c, f);
    }
    for (uint32_t i = 0; i < c->nfixed; i++) {
        fputs("fixed since baseline: ", out);
        safe_puts(out, c->fixed_desc ? c->fixed_desc[i] : c->fixed[i]);
        fputc('\n', out);
    }
    if (!c->quiet) {
        rule_counts(out, fl, c->width ? c->width : 100);
        render_summary_line(out, c);
    }
}

const struct out_format fmt_text = {
    "text", "compiler-style findings with source lines and carets (the default)", render_text,
    FMT_EACH};
