/*
 * pages.h - large zeroed blocks straight from the kernel.
 *
 * On a virtual machine a first touch of a 4 KiB page costs about a
 * microsecond (measured: 1.1-1.3 us on the 2-core development VM), so a
 * 10,000-topic lint spent more time taking page faults than building its
 * trees.  Blocks from here are whole, aligned 2 MiB extents that the
 * kernel may back with transparent huge pages (where THP is enabled for
 * madvise(2) or always; one 2 MiB page costs what about 40 small ones
 * do), and are populated in one call instead of one fault per page.
 * Where THP is off they are still populated in one call.
 */
#ifndef KA_PAGES_H
#define KA_PAGES_H

#include <stddef.h>

/* From this size on, a block is worth mapping this way (it takes a whole
 * 2 MiB extent). */
#define PAGES_MIN (512 * 1024)

/* At least n zeroed bytes; *len gets the mapped length (a multiple of
 * 2 MiB).  NULL when the kernel refuses the mapping or cannot populate it
 * (the caller falls back to malloc). */
void *pages_alloc(size_t n, size_t *len);
void pages_free(void *p, size_t len);

#endif
