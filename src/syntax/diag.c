#include "syntax/diag.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void diag_list_init(struct diag_list *l)
{
    memset(l, 0, sizeof *l);
}

void diag_list_release(struct diag_list *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        free(l->v[i].msg);
        free(l->v[i].hint);
        free((char *)l->v[i].path);
    }
    free(l->v);
    diag_list_init(l);
}

struct diag *diag_addv(struct diag_list *l, enum diag_sev sev, enum diag_kind kind,
                       struct loc loc, const char *fmt, va_list ap)
{
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

struct diag *diag_add(struct diag_list *l, enum diag_sev sev, enum diag_kind kind,
                      struct loc loc, const char *fmt, ...)
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
