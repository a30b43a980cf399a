#include "model/source.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void source_set_init(struct source_set *s)
{
    s->files = NULL;
    s->n = s->cap = 0;
}

void source_set_release(struct source_set *s)
{
    for (uint32_t i = 0; i < s->n; i++) {
        free(s->files[i].path);
        free(s->files[i].data);
        free(s->files[i].line_starts);
    }
    free(s->files);
    source_set_init(s);
}

uint32_t source_set_add(struct source_set *s, const char *path, char *data, size_t len)
{
    XGROW(s->files, s->cap, s->n + 1);
    struct src_file *f = &s->files[s->n++];
    memset(f, 0, sizeof *f);
    f->path = xstrdup(path);
    f->data = data;
    f->len = len;
    return s->n;
}

const struct src_file *source_get(const struct source_set *s, uint32_t id)
{
    if (id == 0 || id > s->n)
        return NULL;
    return &s->files[id - 1];
}

const char *source_path(const struct source_set *s, uint32_t id)
{
    const struct src_file *f = source_get(s, id);
    return f ? f->path : NULL;
}

static void index_lines(struct src_file *f)
{
    uint32_t n = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] == '\n')
            n++;
    f->line_starts = xcalloc(n, sizeof(uint32_t));
    f->line_starts[0] = 0;
    uint32_t k = 1;
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] == '\n')
            f->line_starts[k++] = (uint32_t)(i + 1);
    f->nlines = n;
}

const char *source_line(const struct source_set *s, uint32_t id, uint32_t line, size_t *len)
{
    if (id == 0 || id > s->n || line == 0)
        return NULL;
    struct src_file *f = &s->files[id - 1];
    if (!f->line_starts)
        index_lines(f);
    if (line > f->nlines)
        return NULL;
    const char *start = f->data + f->line_starts[line - 1];
    const char *end = memchr(start, '\n', f->len - f->line_starts[line - 1]);
    size_t l = end ? (size_t)(end - start) : f->len - f->line_starts[line - 1];
    if (l && start[l - 1] == '\r')
        l--;
    *len = l;
    return start;
}
