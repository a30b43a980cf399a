/*
 * render_plain.c - one line per finding, for editors (Vim's quickfix,
 * Emacs compilation-mode) and grep:
 *
 *   deploy/app.properties:3:6: error: [KA101] producer orders: acks=1 ...
 *
 * A merged finding's other places and the objects it affects follow its
 * message: "[also at: a.yml:15:47, b.yml:9:34 (KA501)] [same cause: KA402]
 * [affects: topic t]".
 *
 * Findings without a file (read from a live cluster) start with the
 * cluster as the text format names it ("prod (cluster q1Sh...)",
 * render_cluster_label) instead of a path, and their message with the
 * object when it does not already; findings without a file of a model not
 * read from a cluster start with "<object>".  Control characters in messages become
 * spaces so a finding is always exactly one line.  No summary line.
 */
#include "report/render.h"

#include <string.h>

static void one_line(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
    }
}

static void render_plain(FILE *out, const struct render_ctx *c)
{
    const struct finding_list *fl = c->findings;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        if (f->status != FS_ACTIVE && !c->show_suppressed)
            continue;
        const char *path = source_path(&c->m->sources, f->loc.file);
        if (path) {
            one_line(out, path);
            if (f->loc.line) {
                fprintf(out, ":%u", f->loc.line);
                if (f->loc.col)
                    fprintf(out, ":%u", f->loc.col);
            }
        }
        char desc[512] = "";
        struct buf b = BUF_INIT;
        if (!path) {
            finding_object_desc(f, desc, sizeof desc);
            if (render_cluster_label(c->m, &b)) {
                one_line(out, buf_str(&b));
                if (render_names_object(f->message, desc))
                    desc[0] = '\0';
            } else {
                fputc('<', out);
                one_line(out, desc);
                fputc('>', out);
                desc[0] = '\0';
            }
        }
        fprintf(out, ": %s: [%s] ", severity_name((enum severity)f->severity), f->rule->id);
        if (desc[0]) {
            one_line(out, desc);
            fputs(": ", out);
        }
        one_line(out, f->message);
        /* a merged finding's other places and objects, on the same line */
        buf_reset(&b);
        if (render_also_at(&b, &c->m->sources, f, RENDER_LIST_MAX)) {
            fputs(" [also at: ", out);
            one_line(out, buf_str(&b));
            fputc(']', out);
        }
        buf_reset(&b);
        if (render_same_cause(&b, f)) {
            fputs(" [same cause: ", out);
            one_line(out, buf_str(&b));
            fputc(']', out);
        }
        buf_reset(&b);
        if (render_affects(&b, f, RENDER_LIST_MAX)) {
            fputs(" [affects: ", out);
            one_line(out, buf_str(&b));
            fputc(']', out);
        }
        buf_release(&b);
        if (f->note) {
            fputs(" (", out);
            one_line(out, f->note);
            fputc(')', out);
        }
        if (f->status != FS_ACTIVE) {
            fputs(f->status == FS_SUPPRESSED ? " [suppressed: " : " [baseline: ", out);
            one_line(out, f->status_reason);
            fputc(']', out);
        }
        fputc('\n', out);
    }
}

const struct out_format fmt_plain = {
    "plain", "one line per finding: path:line:col: severity: [ID] message", render_plain, FMT_EACH};
