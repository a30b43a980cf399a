/*
 * xalloc.h - allocation wrappers.
 *
 * kafkaudit treats memory exhaustion as unrecoverable: the wrappers call
 * abort() (never exit()) so that a library caller gets a core dump rather
 * than a silently truncated audit.  Everything else in the core reports
 * errors through return values.
 */
#ifndef KA_XALLOC_H
#define KA_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* realloc to nmemb * size, aborting on multiplication overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grow *cap geometrically until it is at least need; returns the new array. */
#define XGROW(ptr, cap, need)                                                                      \
    do {                                                                                           \
        if ((size_t)(need) > (size_t)(cap)) {                                                      \
            size_t ka_nc_ = (cap) ? (size_t)(cap)*2 : 8;                                           \
            while (ka_nc_ < (size_t)(need))                                                        \
                ka_nc_ *= 2;                                                                       \
            (ptr) = xreallocarray((ptr), ka_nc_, sizeof(*(ptr)));                                  \
            (cap) = ka_nc_;                                                                        \
        }                                                                                          \
    } while (0)

#endif
