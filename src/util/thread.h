/*
 * thread.h - start worker threads where they can run at once.
 *
 * A new thread is queued on its creator's CPU.  When the creator keeps
 * running, the thread waits there until the scheduler balances load, up
 * to a tick later; some virtual machines' schedulers pack new threads on
 * busy vCPUs on purpose (measured on the 2-vCPU development VM: two
 * threads given 10 ms of work each finished in 11.9 ms, not 10).  For a
 * program that runs for 30 ms that is most of the gain of a second
 * thread.  thread_start() starts the thread on another CPU the caller
 * may use, and the thread then widens its affinity back to all of them,
 * so the scheduler stays free to move it later.
 */
#ifndef KA_THREAD_H
#define KA_THREAD_H

#include <pthread.h>

/* pthread_create(t, NULL, fn, arg), with the thread started on a CPU
 * other than the caller's when there is one (index spreads several
 * workers over several CPUs).  Returns pthread_create's result. */
int thread_start(pthread_t *t, void *(*fn)(void *), void *arg, unsigned index);

#endif
