/*
 * rdk.c - load librdkafka on first use (see rdk.h).
 */
#include "live/rdk.h"
#include "live/live.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef KAFKAUDIT_RDKAFKA_SONAME
#define KAFKAUDIT_RDKAFKA_SONAME "librdkafka.so.1"
#endif

/* With rdk.h's defines in force, a listed name expands to its pointer; one
 * left without a define is still the function and fails here. */
#define RDK_CHECK(f)                                                                       \
    _Static_assert(__builtin_types_compatible_p(__typeof__(f), __typeof__(rdk_##f)),        \
                   #f " is in RDK_FUNCS but has no define in rdk.h");
RDK_FUNCS(RDK_CHECK)

#define RDK_DEFINE(f) __typeof__(rdk_##f) rdk_##f;
RDK_FUNCS(RDK_DEFINE)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];

static void load(void)
{
    const char *lib = getenv("KAFKAUDIT_LIBRDKAFKA");
    if (!lib || !*lib)
        lib = KAFKAUDIT_RDKAFKA_SONAME;
    void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load librdkafka: %s",
                 why ? why : lib);
        return;
    }
    const char *missing = NULL;
    /* dlsym returns void *; a function pointer is assigned through memcpy
     * (ISO C has no conversion between the two). */
#define RDK_RESOLVE(f)                                                                     \
    {                                                                                      \
        void *sym = dlsym(h, #f);                                                          \
        if (!sym && !missing)                                                              \
            missing = #f;                                                                  \
        memcpy(&rdk_##f, &sym, sizeof sym);                                                \
    }
    RDK_FUNCS(RDK_RESOLVE)
#undef RDK_RESOLVE
    if (missing) {
        /* an older librdkafka than the one kafkaudit was built against */
        snprintf(load_error, sizeof load_error, "%s has no %s (kafkaudit needs librdkafka 2.0 "
                 "or later)", lib, missing);
        return;
    }
}

int rdk_load(char *err, size_t errsz)
{
    pthread_once(&once, load);
    if (!load_error[0])
        return 0;
    if (errsz)
        snprintf(err, errsz, "%s", load_error);
    return -1;
}

int live_library_info(char *version, size_t vn, char *features, size_t fn)
{
    if (fn)
        features[0] = '\0';
    if (rdk_load(version, vn))
        return -1;
    snprintf(version, vn, "%s", rd_kafka_version_str());
    rd_kafka_conf_t *c = rd_kafka_conf_new();
    size_t n = fn;
    if (c && rd_kafka_conf_get(c, "builtin.features", features, &n) != RD_KAFKA_CONF_OK && fn)
        features[0] = '\0';
    if (c)
        rd_kafka_conf_destroy(c);
    return 0;
}
