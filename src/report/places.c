/*
 * places.c - the other places and objects of a merged finding, said in
 * one line for the formats that have no structure for them (plain,
 * github, checkstyle, junit):
 *
 *   also at: deploy/compose.yml:15:47, deploy/compose.yml:9:34 (KA501)
 *   affects: broker 1 (service kafka-1), topic orders
 *
 *   same cause: KA402, KA406
 *
 * A place is file:line:col when it has a file and the object otherwise
 * (a live cluster); the ids of the other rules whose findings stood there
 * follow it.  Places on the finding's own line are said by their rule ids
 * alone ("same cause").  Long lists end in "(+N more)".
 */
#include "report/render.h"

#include <stdio.h>
#include <string.h>

static void obj_name(struct buf *b, const struct object *o)
{
    if (!object_name_has_kind(o))
        buf_printf(b, "%s ", obj_kind_name(o->kind));
    buf_puts(b, o->name);
}

static bool on_line_of(const struct finding_place *p, const struct finding *f)
{
    return p->loc.file && p->loc.file == f->loc.file && p->loc.line == f->loc.line;
}

static bool same_place(const struct finding_place *a, const struct finding_place *b)
{
    if (a->loc.file || b->loc.file)
        return a->loc.file == b->loc.file && a->loc.line == b->loc.line && a->loc.col == b->loc.col;
    return a->obj == b->obj;
}

static void add_id(struct buf *ids, const char *id)
{
    /* each id once: "KA403, KA404" */
    const char *s = buf_str(ids);
    size_t n = strlen(id);
    for (const char *h = strstr(s, id); h; h = strstr(h + 1, id))
        if ((h == s || h[-1] == ' ') && (h[n] == ',' || h[n] == '\0'))
            return;
    buf_printf(ids, "%s%s", ids->len ? ", " : "", id);
}

static void flush_ids(struct buf *b, struct buf *ids)
{
    if (ids->len)
        buf_printf(b, " (%s)", buf_str(ids));
    buf_reset(ids);
}

uint32_t render_also_at(struct buf *b, const struct source_set *ss, const struct finding *f,
                        uint32_t max)
{
    struct buf ids = BUF_INIT;
    const struct finding_place *prev = NULL;
    uint32_t shown = 0, more = 0;
    bool skipping = false;
    for (uint32_t i = 0; i < f->nalso; i++) {
        const struct finding_place *p = &f->also[i];
        if (on_line_of(p, f))
            continue; /* render_same_cause */
        if (!prev || !same_place(p, prev)) {
            flush_ids(b, &ids);
            prev = p;
            skipping = shown >= max;
            if (skipping) {
                more++;
                continue;
            }
            const char *path = source_path(ss, p->loc.file);
            if (shown++)
                buf_puts(b, ", ");
            if (path) {
                buf_puts(b, path);
                if (p->loc.line)
                    buf_printf(b, ":%u", p->loc.line);
                if (p->loc.line && p->loc.col)
                    buf_printf(b, ":%u", p->loc.col);
            } else if (p->obj)
                obj_name(b, p->obj);
            else
                buf_puts(b, "the cluster");
        }
        if (!skipping && p->rule && p->rule != f->rule)
            add_id(&ids, p->rule->id);
    }
    flush_ids(b, &ids);
    buf_release(&ids);
    if (more)
        buf_printf(b, " (+%u more)", more);
    return shown + more;
}

uint32_t render_same_cause(struct buf *b, const struct finding *f)
{
    struct buf ids = BUF_INIT;
    for (uint32_t i = 0; i < f->nalso; i++)
        if (on_line_of(&f->also[i], f) && f->also[i].rule && f->also[i].rule != f->rule)
            add_id(&ids, f->also[i].rule->id);
    uint32_t n = ids.len ? 1 : 0;
    buf_puts(b, buf_str(&ids));
    buf_release(&ids);
    return n;
}

uint32_t render_affects(struct buf *b, const struct finding *f, uint32_t max)
{
    uint32_t i;
    for (i = 0; i < f->nrelated && i < max; i++) {
        if (i)
            buf_puts(b, ", ");
        obj_name(b, f->related[i]);
    }
    if (f->nrelated > i)
        buf_printf(b, " (+%u more)", f->nrelated - i);
    return f->nrelated;
}

bool render_names_object(const char *msg, const char *desc)
{
    static const char *const lead[] = {"topic ",    "partition ", "broker ", "all ",      "group ",
                                       "consumer ", "producer ",  "cluster", "internal ", NULL};
    size_t dl = strlen(desc);
    if (strncmp(msg, desc, dl) == 0 && msg[dl] == ':')
        return true;
    const char *colon = strchr(msg, ':');
    for (int i = 0; colon && lead[i]; i++)
        if (strncmp(msg, lead[i], strlen(lead[i])) == 0)
            return true;
    return false;
}
