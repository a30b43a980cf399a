#include "syntax/diag.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *l) { memset(l, 0, sizeof *l); }

void diag_list_release(struct diag_list *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        free(l->v[i].msg);
        free(l->v[i].hint);
        free((char *)l->v[i].path);
    }
    free(l->v);
    free(l->files);
    free(l->sink.msg);
    free(l->sink.hint);
    diag_list_init(l);
}

/* Count a problem of an input file; false when it is one too many to list
 * (then the file's summary line is made or updated). */
static bool within_cap(struct diag_list *l, enum diag_sev sev, enum diag_kind kind, struct loc loc)
{
    if (kind != DK_INPUT || !loc.file)
        return true;
    if (loc.file > l->nfiles) {
        uint32_t n = l->nfiles ? l->nfiles : 8;
        while (n < loc.file)
            n *= 2;
        l->files = xrealloc(l->files, n * sizeof *l->files);
        memset(l->files + l->nfiles, 0, (n - l->nfiles) * sizeof *l->files);
        l->nfiles = n;
    }
    struct diag_file_count *fc = &l->files[loc.file - 1];
    if (fc->shown < DIAG_MAX_PER_FILE) {
        fc->shown++;
        return true;
    }
    fc->dropped++;
    if (sev == DIAG_ERROR)
        l->nerrors++; /* unlisted, still an error of the run */
    if (!fc->summary) {
        XGROW(l->v, l->cap, l->n + 1);
        struct diag *d = &l->v[l->n++];
        memset(d, 0, sizeof *d);
        d->kind = (uint8_t)kind;
        d->loc = (struct loc){loc.file, 0, 0};
        d->sev = (uint8_t)sev; /* not counted: the problems it stands for are */
        fc->summary = l->n;
    }
    struct diag *d = &l->v[fc->summary - 1];
    if (sev > d->sev)
        d->sev = (uint8_t)sev;
    free(d->msg);
    struct buf b = BUF_INIT;
    buf_printf(&b, "%u more problem%s in this file not listed (at most %u are, per file)",
               fc->dropped, fc->dropped == 1 ? "" : "s", (unsigned)DIAG_MAX_PER_FILE);
    d->msg = buf_detach(&b);
    return false;
}

struct diag *diag_addv(struct diag_list *l, enum diag_sev sev, enum diag_kind kind, struct loc loc,
                       const char *fmt, va_list ap)
{
    if (!within_cap(l, sev, kind, loc)) {
        struct diag *d = &l->sink;
        free(d->msg);
        free(d->hint);
        memset(d, 0, sizeof *d);
        d->sev = (uint8_t)sev;
        d->kind = (uint8_t)kind;
        d->loc = loc;
        d->msg = xstrdup("");
        return d;
    }
    XGROW(l->v, l->cap, l->n + 1);
    struct diag *d = &l->v[l->n++];
    memset(d, 0, sizeof *d);
    d->sev = (uint8_t)sev;
    d->kind = (uint8_t)kind;
    d->loc = loc;
    struct buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    d->msg = buf_detach(&b);
    if (sev == DIAG_ERROR)
        l->nerrors++;
    return d;
}

struct diag *diag_add(struct diag_list *l, enum diag_sev sev, enum diag_kind kind, struct loc loc,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct diag *d = diag_addv(l, sev, kind, loc, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *diag_add_path(struct diag_list *l, enum diag_sev sev, enum diag_kind kind,
                           const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct diag *d = diag_addv(l, sev, kind, LOC_NONE, fmt, ap);
    va_end(ap);
    d->path = path ? xstrdup(path) : NULL;
    return d;
}

void diag_hint(struct diag *d, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    free(d->hint);
    d->hint = buf_detach(&b);
}

uint32_t diag_count(const struct diag_list *l, enum diag_sev sev, int kind)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i].sev == sev && (kind < 0 || l->v[i].kind == kind))
            n++;
    return n;
}

const char *diag_sev_name(enum diag_sev s)
{
    switch (s) {
    case DIAG_ERROR: return "error";
    case DIAG_WARNING: return "warning";
    default: return "note";
    }
}
