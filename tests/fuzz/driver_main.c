/*
 * driver_main.c - replay inputs through a fuzz target without libFuzzer:
 *   replay_TARGET FILE|DIR...
 * Directories are read recursively.  Any crash, sanitizer report or hang
 * (the ctest timeout) fails the test.
 */
#include "fuzz_util.h"

#include <dirent.h>
#include <sys/stat.h>

static unsigned long ran;

static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    size_t cap = 4096, len = 0, n;
    uint8_t *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            data = realloc(data, cap *= 2);
    }
    fclose(f);
    if (!data)
        abort();
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    ran++;
}

static void run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "cannot stat %s\n", path);
        exit(1);
    }
    if (!S_ISDIR(st.st_mode)) {
        run_file(path);
        return;
    }
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        snprintf(sub, n, "%s/%s", path, e->d_name);
        run_path(sub);
        free(sub);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        run_path(argv[i]);
    printf("%lu inputs replayed\n", ran);
    return ran ? 0 : 1;
}
