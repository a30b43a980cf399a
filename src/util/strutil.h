/*
 * strutil.h - small string helpers used across the core.
 *
 * All parsers here are strict: they accept the whole string or fail, and
 * never touch errno-based global state the caller must reset.
 */
#ifndef KA_STRUTIL_H
#define KA_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse a base-10 signed 64-bit integer (optional sign, no spaces).
 * Returns 0 on success, -1 on syntax error or overflow. */
int str_to_i64(const char *s, int64_t *out);
int strn_to_i64(const char *s, size_t n, int64_t *out);
/* Parse a decimal floating number ("0.5", "5", "1e3"); strict. */
int str_to_double(const char *s, double *out);
/* "true"/"false" (case-insensitive, as Java's Boolean parsing of configs). */
int str_to_bool(const char *s, bool *out);

bool str_eq(const char *a, const char *b);  /* NULL-safe */
bool str_ieq(const char *a, const char *b); /* ASCII case-insensitive */
bool str_starts(const char *s, const char *prefix);
/* The first template placeholder in s, or NULL: ${VAR} and ${ VAR }
 * (shell, envsubst, Spring, Terraform), {{ ... }} (Helm, Jinja/Ansible,
 * Go templates), {% ... %} (Jinja), @VAR@ (Maven resource filtering,
 * autoconf), ##VAR## (installers' token replacement).  *len gets its
 * length.  A value holding one is decided when the template is
 * installed, so it is unknown here. */
const char *str_placeholder(const char *s, size_t *len);
bool str_ends(const char *s, const char *suffix);

/* Append digits at p and return the end (no NUL): v in lowercase hex,
 * zero-padded to width (0: as few digits as needed); v in decimal.  For
 * lookup keys built many times per run, where snprintf cost more than
 * the lookups. */
char *str_put_hex(char *p, uint64_t v, int width);
char *str_put_u64(char *p, uint64_t v);

/* Damerau-Levenshtein (optimal string alignment) distance, capped: returns
 * cap+1 as soon as the distance is known to exceed cap. */
unsigned str_distance(const char *a, const char *b, unsigned cap);

/* The one nearest-match search behind every "did you mean": offer the
 * candidates, then take the closest within cap edits (str_distance; the
 * first of equally close ones), or NULL.  cap NEAREST_AUTO: 1 edit for
 * words of up to 4 characters, else 2. */
#define NEAREST_AUTO 0u
struct nearest {
    const char *word, *best;
    unsigned bestd, cap;
};
void nearest_init(struct nearest *n, const char *word, unsigned cap);
/* Compare cand; returns true when it is the best so far. */
bool nearest_offer(struct nearest *n, const char *cand);
/* Compare key (a normalised form), remember cand. */
bool nearest_offer_as(struct nearest *n, const char *key, const char *cand);
static inline const char *nearest_best(const struct nearest *n) { return n->best; }
/* The nearest of a NULL-terminated list (NEAREST_AUTO), or NULL. */
const char *nearest_in(const char *word, const char *const *list);

/* Human-readable duration/size helpers for messages. */
/* Durations in their two largest units: fmt_ms "2m 30s" for messages,
 * fmt_ms_compact "2m30s" for columns; "250ms" under a second, "0s", and
 * "-" for a negative (unknown) one. */
void fmt_ms(char *out, size_t n, int64_t ms);
void fmt_ms_compact(char *out, size_t n, int64_t ms);
void fmt_count(char *out, size_t n, int64_t v); /* 1234567 -> "1,234,567" */

#endif
