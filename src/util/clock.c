/* clock.c - time (clock.h). */
#include "util/clock.h"
#include "util/strutil.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* H. Hinnant's algorithm */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int parse_date(const char *s, int64_t *day)
{
    int64_t y, mo, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (strn_to_i64(s, 4, &y) || strn_to_i64(s + 5, 2, &mo) || strn_to_i64(s + 8, 2, &d))
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    *day = days_from_civil(y, (unsigned)mo, (unsigned)d);
    return 0;
}

int64_t today_day(void)
{
    const char *env = getenv("KAFKAUDIT_TODAY");
    int64_t d;
    if (env && parse_date(env, &d) == 0)
        return d;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL); /* a signal ends it early, which is what we want */
}
