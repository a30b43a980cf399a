/*
 * measure.c - run a command several times and report the median wall time
 * and the largest peak RSS (from wait4's rusage), for benchmarks that
 * compare two programs measured in the same run.
 *
 *   bench_measure RUNS COMMAND [ARGS...]
 * prints: "<median wall ms> <max peak RSS KiB> <exit status of last run>
 *          <median CPU ms (user + system)>"
 * The command's stdout goes to /dev/null; stderr is kept.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_measure RUNS COMMAND [ARGS...]\n");
        return 2;
    }
    char *end;
    long runs = strtol(argv[1], &end, 10);
    if (*end || runs < 1 || runs > 1000) {
        fprintf(stderr, "bench_measure: RUNS must be 1..1000\n");
        return 2;
    }
    double *ms = calloc((size_t)runs, sizeof *ms);
    double *cpu = calloc((size_t)runs, sizeof *cpu);
    long maxrss = 0;
    int status = 0;
    for (long r = 0; r < runs; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            return 1;
        }
        if (pid == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0)
                dup2(fd, 1);
            execvp(argv[2], argv + 2);
            perror(argv[2]);
            _exit(127);
        }
        struct rusage ru;
        if (wait4(pid, &status, 0, &ru) < 0) {
            perror("wait4");
            return 1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        ms[r] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        cpu[r] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
    }
    qsort(ms, (size_t)runs, sizeof *ms, cmp);
    qsort(cpu, (size_t)runs, sizeof *cpu, cmp);
    printf("%.1f %ld %d %.1f\n", ms[runs / 2], maxrss,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128, cpu[runs / 2]);
    free(ms);
    free(cpu);
    return 0;
}
