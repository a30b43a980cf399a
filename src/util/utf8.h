/*
 * utf8.h - minimal UTF-8 helpers: validation and display width for
 * aligning columns and placing carets under multi-byte text.
 */
#ifndef KA_UTF8_H
#define KA_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 if invalid. */
size_t utf8_valid_seq(const char *s, size_t n);
/* Number of code points in s[0..n) (invalid bytes count as one each). */
size_t utf8_width(const char *s, size_t n);

#endif
