#include "util/pages.h"

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14 */
#endif

void *pages_alloc(size_t n, size_t *len)
{
    if (n > SIZE_MAX - 2 * HUGE_PAGE)
        return NULL;
    size_t l = (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    /* map one extent more and trim it to a 2 MiB boundary */
    unsigned char *raw =
        mmap(NULL, l + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    unsigned char *p = (unsigned char *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (p > raw)
        munmap(raw, (size_t)(p - raw));
    size_t tail = (size_t)(raw + l + HUGE_PAGE - (p + l));
    if (tail)
        munmap(p + l, tail);
#ifdef MADV_HUGEPAGE
    madvise(p, l, MADV_HUGEPAGE);
#endif
    int rc;
    do
        rc = madvise(p, l, MADV_POPULATE_WRITE);
    while (rc != 0 && errno == EINTR);
    if (rc != 0 && errno == EINVAL) {
        /* a kernel before 5.14: touch the pages now (under THP a touch
         * faults in a whole 2 MiB page) */
        for (size_t o = 0; o < l; o += 4096)
            p[o] = 0;
    } else if (rc != 0) {
        /* no memory for it now (ENOMEM, EFAULT): touching the pages would
         * get the process killed; malloc may still fail gracefully */
        munmap(p, l);
        return NULL;
    }
    *len = l;
    return p;
}

void pages_free(void *p, size_t len)
{
    if (p)
        munmap(p, len);
}
