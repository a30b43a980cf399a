#define _GNU_SOURCE /* pthread_attr_setaffinity_np, sched_getcpu */
#include "util/thread.h"

#include <sched.h>
#include <stdlib.h>

struct start {
    void *(*fn)(void *);
    void *arg;
    cpu_set_t all; /* the creating thread's CPUs */
};

static void *trampoline(void *p)
{
    struct start s = *(struct start *)p;
    free(p);
    if (pthread_setaffinity_np(pthread_self(), sizeof s.all, &s.all) != 0) {
        /* the CPUs allowed changed since (a cpuset shrank): every CPU,
         * which the kernel narrows to those allowed, rather than staying
         * bound to one */
        cpu_set_t any;
        CPU_ZERO(&any);
        for (int c = 0; c < CPU_SETSIZE; c++)
            CPU_SET(c, &any);
        pthread_setaffinity_np(pthread_self(), sizeof any, &any);
    }
    return s.fn(s.arg);
}

int thread_start(pthread_t *t, void *(*fn)(void *), void *arg, unsigned index)
{
    struct start *s = malloc(sizeof *s);
    if (!s)
        return pthread_create(t, NULL, fn, arg);
    s->fn = fn;
    s->arg = arg;
    int here = sched_getcpu();
    int other = -1;
    if (here >= 0 && sched_getaffinity(0, sizeof s->all, &s->all) == 0 &&
        CPU_ISSET(here, &s->all) && CPU_COUNT(&s->all) > 1) {
        /* the caller's CPUs in the order: the others, then the caller's;
         * the index-th of them (round robin) */
        int want = (int)(index % (unsigned)CPU_COUNT(&s->all));
        for (int c = 0; c < CPU_SETSIZE && other < 0; c++)
            if (CPU_ISSET(c, &s->all) && c != here && want-- == 0)
                other = c;
        if (other < 0)
            other = here;
    }
    if (other < 0) {
        free(s);
        return pthread_create(t, NULL, fn, arg);
    }
    pthread_attr_t at;
    int rc = pthread_attr_init(&at);
    if (rc == 0) {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(other, &one);
        pthread_attr_setaffinity_np(&at, sizeof one, &one);
        rc = pthread_create(t, &at, trampoline, s);
        pthread_attr_destroy(&at);
    }
    if (rc != 0) {
        free(s);
        rc = pthread_create(t, NULL, fn, arg);
    }
    return rc;
}
