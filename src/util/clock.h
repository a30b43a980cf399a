/*
 * clock.h - time: monotonic and wall-clock milliseconds, and calendar days
 * for expiry dates ("expires: 2026-12-31").
 */
#ifndef KA_CLOCK_H
#define KA_CLOCK_H

#include <stdint.h>

/* "YYYY-MM-DD" as days since 1970-01-01 in *day.  Returns 0, or -1 when s
 * is not such a date. */
int parse_date(const char *s, int64_t *day);
/* Days since the epoch of today's local date (KAFKAUDIT_TODAY=YYYY-MM-DD
 * overrides it, for reproducible tests). */
int64_t today_day(void);

/* Milliseconds of CLOCK_MONOTONIC (for intervals) and of the wall clock. */
int64_t mono_ms(void);
int64_t wall_ms(void);
/* Sleep ms milliseconds (nothing when ms <= 0); a signal ends it early. */
void sleep_ms(int64_t ms);

#endif
