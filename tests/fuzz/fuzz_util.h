/*
 * fuzz_util.h - shared by the fuzz targets (tests/fuzz/README.md).
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer binary; built with driver_main.c
 * (any compiler) it replays files, so saved crashes stay regression tests.
 */
#ifndef KA_FUZZ_UTIL_H
#define KA_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private directory for inputs that readers want as files. */
static inline const char *fuzz_dir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/kafkaudit-fuzz-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    return dir;
}

/* Write data to fuzz_dir()/name; returns the path (static buffer per call
 * site is the caller's: out). */
static inline const char *fuzz_file(const char *name, const void *data, size_t size, char *out,
                                    size_t n)
{
    snprintf(out, n, "%s/%s", fuzz_dir(), name);
    FILE *f = fopen(out, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return out;
}

/* A NUL-terminated malloc'd copy. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
