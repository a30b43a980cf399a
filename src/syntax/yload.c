#include "syntax/yload.h"
#include "util/buf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

size_t yload_max_file_size = YLOAD_DEFAULT_MAX_FILE_SIZE;

int source_fetch(const char *path, enum diag_kind kind, struct buf *b)
{
    /* the user's limit guards the inputs; rules and configs are ours */
    size_t max = kind == DK_INPUT ? yload_max_file_size : YLOAD_DEFAULT_MAX_FILE_SIZE;
    *b = (struct buf)BUF_INIT;
    int rc;
    if (strcmp(path, "-") == 0)
        rc = buf_read_stream(b, stdin, max);
    else
        rc = buf_read_file(b, path, max);
    if (rc) {
        int e = errno ? errno : EIO;
        buf_release(b);
        return e;
    }
    if (memchr(b->p, '\0', b->len)) {
        buf_release(b);
        return SOURCE_BINARY;
    }
    return 0;
}

void source_fetch_error(struct diag_list *dl, enum diag_kind kind, const char *display, int err)
{
    size_t max = kind == DK_INPUT ? yload_max_file_size : YLOAD_DEFAULT_MAX_FILE_SIZE;
    if (err == EFBIG)
        diag_add_path(dl, DIAG_ERROR, kind, display,
                      "file is larger than %zu bytes; refusing to read it%s", max,
                      kind == DK_INPUT ? " (see --max-file-size)" : "");
    else if (err == SOURCE_BINARY)
        diag_add_path(dl, DIAG_ERROR, kind, display,
                      "binary file (contains NUL bytes); not a configuration file");
    else
        diag_add_path(dl, DIAG_ERROR, kind, display, "cannot read: %s", strerror(err));
}

int source_read(struct source_set *ss, struct diag_list *dl, enum diag_kind kind, const char *path,
                const char *display)
{
    struct buf b;
    int err = source_fetch(path, kind, &b);
    if (err) {
        source_fetch_error(dl, kind, display, err);
        return -1;
    }
    size_t len = b.len;
    return (int)source_set_add(ss, display, buf_detach(&b), len);
}

void yload_report(struct diag_list *dl, enum diag_kind kind, uint32_t file,
                  const struct yerror *err)
{
    struct loc l = {file, err->line, err->col};
    diag_add(dl, DIAG_ERROR, kind, l, "invalid YAML: %s", err->msg);
}

int yload_parse(struct arena *a, const struct source_set *ss, struct diag_list *dl,
                enum diag_kind kind, uint32_t file, struct ystream *out)
{
    const struct src_file *f = source_get(ss, file);
    struct yerror err;
    if (ydoc_parse(a, f->data, f->len, NULL, out, &err) == 0)
        return 0;
    yload_report(dl, kind, file, &err);
    return -1;
}

struct loc yscalar_loc(const struct source_set *ss, uint32_t file, const struct ynode *n,
                       uint32_t off)
{
    struct loc l = yloc(file, n);
    if (!n || n->kind != Y_SCALAR)
        return l;
    if (n->style == YS_PLAIN || n->style == YS_QUOTED) {
        if (n->line == n->end_line) {
            l.col = n->col + off + (n->style == YS_QUOTED ? 1 : 0);
            return l;
        }
    }
    /* Multi-line: walk the value's lines against the source lines. */
    const char *v = n->scalar.s;
    uint32_t line_in_value = 0, col_in_line = 0;
    for (uint32_t i = 0; i < off && v[i]; i++) {
        if (v[i] == '\n') {
            line_in_value++;
            col_in_line = 0;
        } else {
            col_in_line++;
        }
    }
    uint32_t src_line = n->line + line_in_value + (n->style == YS_BLOCK ? 1 : 0);
    size_t len;
    const char *text = source_line(ss, file, src_line, &len);
    if (!text)
        return l;
    uint32_t indent = 0;
    while (indent < len && (text[indent] == ' ' || text[indent] == '\t'))
        indent++;
    if (line_in_value == 0 && n->style != YS_BLOCK)
        indent = n->col - 1 + (n->style == YS_QUOTED ? 1 : 0);
    l.line = src_line;
    l.col = indent + col_in_line + 1;
    return l;
}
