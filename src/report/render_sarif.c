/*
 * render_sarif.c - SARIF 2.1.0 for GitHub code scanning
 * (github/codeql-action/upload-sarif) and other SARIF consumers.
 *
 * One run.  tool.driver.rules lists every enabled rule with its title,
 * rationale, help (fix and references, as text and Markdown), a help URI
 * and its default level; results point at them with ruleId and ruleIndex.
 * Each result has a physical location (path relative to the current
 * directory, start line and column, the source line as snippet), or a
 * logical location (the object) for values read from a live cluster;
 * partialFingerprints carries kafkaudit's own fingerprint (rule, object,
 * key: never line numbers) so alerts survive edits elsewhere in the file.
 * Suppressed findings are results with suppressions[] (inSource for an
 * inline comment, external for the project config) and baselined ones
 * have baselineState "unchanged" (the others "new") when --baseline was
 * given.  Diagnostics about the inputs are tool execution notifications;
 * those about rules and the project config, configuration notifications.
 *
 * Levels: error -> error, warning -> warning, info -> note.
 */
#include "report/render.h"
#include "util/buf.h"
#include "util/json_writer.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KAFKAUDIT_HOMEPAGE
#define KAFKAUDIT_HOMEPAGE "https://github.com/kafkaudit/kafkaudit"
#endif

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

static const char *level_of(enum severity s)
{
    return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "note";
}

/* RFC 3986 path characters pass; everything else is percent-encoded. */
static void uri_encode(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/!$&'()*+,;=:@", c))
            buf_putc(b, (char)c);
        else {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        }
    }
}

struct sctx {
    const struct render_ctx *c;
    char cwd[PATH_MAX];
    size_t cwdlen;
};

/* Relative URI for a path as given on the command line: "./" dropped,
 * absolute paths below the current directory made relative, other
 * absolute paths as file:// URIs.  Returns false for "no file". */
static bool path_uri(const struct sctx *s, const char *path, struct buf *out)
{
    if (!path)
        return false;
    if (strcmp(path, "<stdin>") == 0) {
        buf_puts(out, "stdin");
        return true;
    }
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    if (path[0] == '/') {
        if (s->cwdlen > 1 && strncmp(path, s->cwd, s->cwdlen) == 0 && path[s->cwdlen] == '/')
            path += s->cwdlen + 1;
        else {
            buf_puts(out, "file://");
            uri_encode(out, path);
            return true;
        }
    }
    uri_encode(out, path);
    return true;
}

static void physical_location(struct jw *w, const struct sctx *s, const struct source_set *ss,
                              struct loc l, const char *path, bool snippet)
{
    struct buf uri = BUF_INIT;
    const char *p = source_path(ss, l.file);
    if (!p)
        p = path;
    path_uri(s, p, &uri);
    jw_key(w, "physicalLocation");
    jw_obj_begin(w);
    jw_key(w, "artifactLocation");
    jw_obj_begin(w);
    jw_kstr(w, "uri", buf_str(&uri));
    if (!strstr(buf_str(&uri), "://"))
        jw_kstr(w, "uriBaseId", "%SRCROOT%");
    jw_obj_end(w);
    if (l.line) {
        jw_key(w, "region");
        jw_obj_begin(w);
        jw_kint(w, "startLine", l.line);
        if (l.col)
            jw_kint(w, "startColumn", l.col);
        size_t len;
        const char *text = snippet ? source_line(ss, l.file, l.line, &len) : NULL;
        if (text) {
            /* a secret on the line is never printed (source_hide) */
            uint32_t hidden = source_hidden_from(ss, l.file, l.line);
            if (hidden && hidden - 1 < len)
                len = hidden - 1;
            struct buf snip = BUF_INIT;
            buf_add(&snip, text, len > 2000 ? 2000 : len);
            if (hidden)
                buf_puts(&snip, "[hidden]");
            jw_key(w, "snippet");
            jw_obj_begin(w);
            jw_key(w, "text");
            jw_strn(w, snip.p ? snip.p : "", snip.len);
            jw_obj_end(w);
            buf_release(&snip);
        }
        jw_obj_end(w);
    }
    jw_obj_end(w);
    buf_release(&uri);
}

static bool has_location(const struct source_set *ss, struct loc l, const char *path)
{
    return source_path(ss, l.file) || path;
}

static void logical_location(struct jw *w, const struct object *o)
{
    jw_key(w, "logicalLocations");
    jw_arr_begin(w);
    jw_obj_begin(w);
    jw_kstr(w, "name", o ? o->name : "deployment");
    if (o) {
        struct buf fq = BUF_INIT;
        buf_printf(&fq, "%s/%s", obj_kind_name(o->kind), o->name);
        jw_kstr(w, "fullyQualifiedName", buf_str(&fq));
        buf_release(&fq);
    }
    jw_kstr(w, "kind", "resource");
    jw_obj_end(w);
    jw_arr_end(w);
}

/* First http(s) URL among the references, or NULL (into buf). */
static const char *help_uri(const struct rule *r, struct buf *b)
{
    for (uint32_t i = 0; i < r->nrefs; i++) {
        const char *u = strstr(r->refs[i], "https://");
        if (!u)
            u = strstr(r->refs[i], "http://");
        if (!u)
            continue;
        size_t n = strcspn(u, " \t),]>\"");
        while (n && (u[n - 1] == '.' || u[n - 1] == ','))
            n--;
        buf_add(b, u, n);
        return buf_str(b);
    }
    return NULL;
}

/* Rationale paragraphs as one line each (YAML block text wraps at 72). */
static void unwrap(struct buf *b, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            if (i + 1 < n && s[i + 1] == '\n') {
                buf_puts(b, "\n\n");
                while (i + 1 < n && s[i + 1] == '\n')
                    i++;
            } else
                buf_putc(b, ' ');
        } else
            buf_putc(b, s[i]);
    }
}

static bool fix_is_static(const struct rule *r) { return r->fix_src && !strchr(r->fix_src, '{'); }

/* "ProducerAcknowledgesWritesBeforeTheyAreReplicated" from the title,
 * up to the first parenthesis. */
static void rule_name(struct buf *b, const struct rule *r)
{
    bool up = true;
    const char *t = r->title ? r->title : r->id;
    for (; *t && *t != '(' && b->len < 80; t++) {
        unsigned char c = (unsigned char)*t;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            buf_putc(b, (char)(up && c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
            up = false;
        } else
            up = true;
    }
    if (!b->len)
        buf_puts(b, r->id);
}

static void rule_descriptor(struct jw *w, const struct rule *r)
{
    struct buf b = BUF_INIT;
    jw_obj_begin(w);
    jw_kstr(w, "id", r->id);
    rule_name(&b, r);
    jw_kstr(w, "name", buf_str(&b));
    buf_reset(&b);

    jw_key(w, "shortDescription");
    jw_obj_begin(w);
    jw_kstr(w, "text", r->title ? r->title : r->id);
    jw_obj_end(w);

    jw_key(w, "fullDescription");
    jw_obj_begin(w);
    unwrap(&b, r->rationale);
    jw_kstr(w, "text", b.len ? buf_str(&b) : (r->title ? r->title : r->id));
    jw_obj_end(w);

    /* help: rationale, fix, references */
    struct buf text = BUF_INIT, md = BUF_INIT;
    buf_printf(&text, "%s\n\n", r->title ? r->title : r->id);
    buf_printf(&md, "## %s: %s\n\n", r->id, r->title ? r->title : "");
    if (b.len) {
        buf_printf(&text, "%s\n\n", buf_str(&b));
        buf_printf(&md, "%s\n\n", buf_str(&b));
    }
    if (fix_is_static(r)) {
        struct buf fx = BUF_INIT;
        unwrap(&fx, r->fix_src);
        buf_printf(&text, "Fix: %s\n", buf_str(&fx));
        buf_printf(&md, "**Fix:** %s\n", buf_str(&fx));
        buf_release(&fx);
    } else if (r->fix_src) {
        buf_puts(&text, "Fix: depends on the configuration; each result says what to set.\n");
        buf_puts(&md, "**Fix:** depends on the configuration; each result says what to set.\n");
    }
    if (r->nrefs) {
        buf_puts(&text, "\nReferences:\n");
        buf_puts(&md, "\n**References**\n\n");
        for (uint32_t i = 0; i < r->nrefs; i++) {
            buf_printf(&text, "- %s\n", r->refs[i]);
            buf_printf(&md, "- %s\n", r->refs[i]);
        }
    }
    buf_printf(&text, "\nSee: kafkaudit rules explain %s\n", r->id);
    buf_printf(&md, "\nRun `kafkaudit rules explain %s` for the rule's condition and examples.\n",
               r->id);
    jw_key(w, "help");
    jw_obj_begin(w);
    jw_kstr(w, "text", buf_str(&text));
    jw_kstr(w, "markdown", buf_str(&md));
    jw_obj_end(w);
    buf_release(&text);
    buf_release(&md);

    buf_reset(&b);
    const char *uri = help_uri(r, &b);
    if (uri)
        jw_kstr(w, "helpUri", uri);

    jw_key(w, "defaultConfiguration");
    jw_obj_begin(w);
    jw_kstr(w, "level", level_of((enum severity)r->severity));
    jw_obj_end(w);

    jw_key(w, "properties");
    jw_obj_begin(w);
    jw_key(w, "tags");
    jw_arr_begin(w);
    jw_str(w, "kafka");
    jw_str(w, "reliability");
    for (uint32_t i = 0; i < r->ntags; i++)
        if (strcmp(r->tags[i], "kafka") && strcmp(r->tags[i], "reliability"))
            jw_str(w, r->tags[i]);
    jw_arr_end(w);
    jw_kstr(w, "precision", "very-high");
    jw_kstr(w, "problem.severity",
            r->severity == SEV_ERROR     ? "error"
            : r->severity == SEV_WARNING ? "warning"
                                         : "recommendation");
    jw_kstr(w, "scope", scope_name((enum scope)r->scope));
    jw_obj_end(w);
    jw_obj_end(w);
    buf_release(&b);
}

static void result(struct jw *w, const struct sctx *s, const struct finding *f, uint32_t rule_index)
{
    const struct render_ctx *c = s->c;
    const struct source_set *ss = &c->m->sources;
    jw_obj_begin(w);
    jw_kstr(w, "ruleId", f->rule->id);
    jw_kint(w, "ruleIndex", rule_index);
    jw_kstr(w, "level", level_of((enum severity)f->severity));
    struct buf msg = BUF_INIT;
    buf_puts(&msg, f->message);
    if (f->note)
        buf_printf(&msg, "\nnote: %s", f->note);
    if (f->fix)
        buf_printf(&msg, "\nfix: %s", f->fix);
    jw_key(w, "message");
    jw_obj_begin(w);
    jw_kstr(w, "text", buf_str(&msg));
    jw_obj_end(w);
    buf_release(&msg);

    jw_key(w, "locations");
    jw_arr_begin(w);
    jw_obj_begin(w);
    if (has_location(ss, f->loc, NULL))
        physical_location(w, s, ss, f->loc, NULL, true);
    const struct object *o = f->anchor ? f->anchor : f->obj;
    logical_location(w, o);
    jw_obj_end(w);
    jw_arr_end(w);

    /* other objects with the same finding (topics inheriting a value) */
    uint32_t nrel = 0;
    for (uint32_t i = 0; i < f->nrelated && nrel < 50; i++)
        if (source_path(ss, f->related[i]->loc.file)) {
            if (!nrel++) {
                jw_key(w, "relatedLocations");
                jw_arr_begin(w);
            }
            jw_obj_begin(w);
            jw_kint(w, "id", nrel);
            physical_location(w, s, ss, f->related[i]->loc, NULL, false);
            struct buf d = BUF_INIT;
            buf_printf(&d, "also affects %s %s", obj_kind_name(f->related[i]->kind),
                       f->related[i]->name);
            jw_key(w, "message");
            jw_obj_begin(w);
            jw_kstr(w, "text", buf_str(&d));
            jw_obj_end(w);
            buf_release(&d);
            jw_obj_end(w);
        }
    /* the other places of the same cause, merged into this finding */
    for (uint32_t i = 0; i < f->nalso && nrel < 100; i++)
        if (source_path(ss, f->also[i].loc.file)) {
            if (!nrel++) {
                jw_key(w, "relatedLocations");
                jw_arr_begin(w);
            }
            jw_obj_begin(w);
            jw_kint(w, "id", nrel);
            physical_location(w, s, ss, f->also[i].loc, NULL, false);
            struct buf d = BUF_INIT;
            buf_printf(&d, "same cause (%s)", f->also[i].rule->id);
            if (f->also[i].obj)
                buf_printf(&d, ": %s %s", obj_kind_name(f->also[i].obj->kind),
                           f->also[i].obj->name);
            jw_key(w, "message");
            jw_obj_begin(w);
            jw_kstr(w, "text", buf_str(&d));
            jw_obj_end(w);
            buf_release(&d);
            jw_obj_end(w);
        }
    if (nrel)
        jw_arr_end(w);

    char fp[17];
    finding_fingerprint_hex(f, fp);
    jw_key(w, "partialFingerprints");
    jw_obj_begin(w);
    jw_kstr(w, "kafkauditFingerprint/v1", fp);
    jw_obj_end(w);

    if (f->status == FS_SUPPRESSED) {
        jw_key(w, "suppressions");
        jw_arr_begin(w);
        jw_obj_begin(w);
        jw_kstr(w, "kind", f->supp_kind == SK_CONFIG ? "external" : "inSource");
        jw_kstr(w, "status", "accepted");
        jw_kstr(w, "justification", f->status_reason ? f->status_reason : "");
        jw_obj_end(w);
        jw_arr_end(w);
    }
    if (c->baseline)
        jw_kstr(w, "baselineState", f->status == FS_BASELINE ? "unchanged" : "new");

    jw_key(w, "properties");
    jw_obj_begin(w);
    char desc[512];
    finding_object_desc(f, desc, sizeof desc);
    jw_kstr(w, "object", desc);
    if (f->key)
        jw_kstr(w, "key", f->key);
    jw_kstr(w, "severity", severity_name((enum severity)f->severity));
    if (!has_location(&s->c->m->sources, f->loc, NULL) && s->c->m->cluster.live) {
        struct buf label = BUF_INIT;
        jw_kstr(w, "cluster", render_cluster_label(s->c->m, &label));
        buf_release(&label);
    }
    jw_obj_end(w);
    jw_obj_end(w);
}

static void notifications(struct jw *w, const struct sctx *s, const struct source_set *ss,
                          const struct diag_list *dl)
{
    if (!dl)
        return;
    for (uint32_t i = 0; i < dl->n; i++) {
        const struct diag *d = &dl->v[i];
        jw_obj_begin(w);
        jw_kstr(w, "level",
                d->sev == DIAG_ERROR     ? "error"
                : d->sev == DIAG_WARNING ? "warning"
                                         : "note");
        struct buf msg = BUF_INIT;
        buf_puts(&msg, d->msg);
        if (d->hint)
            buf_printf(&msg, "\nhint: %s", d->hint);
        jw_key(w, "message");
        jw_obj_begin(w);
        jw_kstr(w, "text", buf_str(&msg));
        jw_obj_end(w);
        buf_release(&msg);
        if (ss && has_location(ss, d->loc, d->path)) {
            jw_key(w, "locations");
            jw_arr_begin(w);
            jw_obj_begin(w);
            physical_location(w, s, ss, d->loc, d->path, true);
            jw_obj_end(w);
            jw_arr_end(w);
        } else if (d->path) {
            jw_key(w, "locations");
            jw_arr_begin(w);
            jw_obj_begin(w);
            physical_location(w, s, ss, LOC_NONE, d->path, false);
            jw_obj_end(w);
            jw_arr_end(w);
        }
        jw_obj_end(w);
    }
}

static void render_sarif(FILE *out, const struct render_ctx *c)
{
    struct sctx s;
    memset(&s, 0, sizeof s);
    s.c = c;
    if (getcwd(s.cwd, sizeof s.cwd))
        s.cwdlen = strlen(s.cwd);

    struct jw w;
    jw_init(&w, out, true);
    jw_obj_begin(&w);
    jw_kstr(&w, "$schema", SARIF_SCHEMA);
    jw_kstr(&w, "version", "2.1.0");
    jw_key(&w, "runs");
    jw_arr_begin(&w);
    jw_obj_begin(&w);

    jw_key(&w, "tool");
    jw_obj_begin(&w);
    jw_key(&w, "driver");
    jw_obj_begin(&w);
    jw_kstr(&w, "name", "kafkaudit");
    jw_kstr(&w, "version", c->tool_version ? c->tool_version : "0");
    jw_kstr(&w, "semanticVersion", c->tool_version ? c->tool_version : "0");
    jw_kstr(&w, "informationUri", KAFKAUDIT_HOMEPAGE);
    jw_key(&w, "rules");
    jw_arr_begin(&w);
    /* rule index: position among the enabled rules listed here */
    const struct rule_set *rs = c->rules;
    uint32_t nr = rs ? rs->n : 0;
    uint32_t *index = calloc(nr + 1, sizeof *index);
    uint32_t k = 0;
    for (uint32_t i = 0; i < nr; i++) {
        if (!rs->rules[i]->enabled)
            continue;
        index[i] = k++;
        rule_descriptor(&w, rs->rules[i]);
    }
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_obj_end(&w);

    uint32_t nerr = (c->input_diags ? c->input_diags->nerrors : 0) + (rs ? rs->diags.nerrors : 0) +
                    (c->extra_diags ? c->extra_diags->nerrors : 0);
    jw_key(&w, "invocations");
    jw_arr_begin(&w);
    jw_obj_begin(&w);
    jw_kbool(&w, "executionSuccessful", nerr == 0);
    jw_key(&w, "toolExecutionNotifications");
    jw_arr_begin(&w);
    notifications(&w, &s, &c->m->sources, c->input_diags);
    jw_arr_end(&w);
    jw_key(&w, "toolConfigurationNotifications");
    jw_arr_begin(&w);
    if (rs)
        notifications(&w, &s, &rs->sources, &rs->diags);
    notifications(&w, &s, c->extra_sources, c->extra_diags);
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_arr_end(&w);

    jw_kstr(&w, "columnKind", "unicodeCodePoints");

    jw_key(&w, "results");
    jw_arr_begin(&w);
    const struct finding_list *fl = c->findings;
    for (uint32_t i = 0; i < fl->n; i++) {
        const struct finding *f = &fl->v[i];
        uint32_t ri = 0;
        for (uint32_t j = 0; j < nr; j++)
            if (rs->rules[j] == f->rule)
                ri = index[j];
        result(&w, &s, f, ri);
    }
    jw_arr_end(&w);

    if (c->nfixed || c->m->cluster.live) {
        jw_key(&w, "properties");
        jw_obj_begin(&w);
    }
    if (c->m->cluster.live) {
        /* the live cluster read (run.properties is a SARIF 2.1.0 property
         * bag, section 3.8) */
        render_cluster_json(&w, c->m, false);
    }
    if (c->nfixed) {
        jw_key(&w, "fixedSinceBaseline");
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
    if (c->nfixed || c->m->cluster.live)
        jw_obj_end(&w);
    jw_obj_end(&w);
    jw_arr_end(&w);
    jw_obj_end(&w);
    jw_end(&w);
    free(index);
}

const struct out_format fmt_sarif = {"sarif", "SARIF 2.1.0, for code-scanning services",
                                     render_sarif, 0};
