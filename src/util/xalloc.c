#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p)
{
    if (!p)
        abort();
    return p;
}

void *xmalloc(size_t n) { return check(malloc(n ? n : 1)); }

void *xcalloc(size_t nmemb, size_t size)
{
    return check(calloc(nmemb ? nmemb : 1, size ? size : 1));
}

void *xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }

void *xreallocarray(void *p, size_t nmemb, size_t size)
{
    if (size && nmemb > SIZE_MAX / size)
        abort();
    return xrealloc(p, nmemb * size);
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
