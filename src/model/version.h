/*
 * version.h - dotted version numbers (Kafka 3.7, Java client 3.0.1,
 * librdkafka 2.3.0).  A missing component is 0: "3.0" == 3.0.0, which
 * matters because Java 3.0.0 and 3.0.1 differ in producer semantics.
 */
#ifndef KA_VERSION_H
#define KA_VERSION_H

#include <stdbool.h>
#include <stddef.h>

struct version {
    unsigned short major, minor, patch;
    bool set;
};

/* Accepts "3", "3.7", "3.7.1", optional leading "v", and ignores a
 * trailing qualifier ("3.7.0-SNAPSHOT", "7.6.0-ccs" -> 7.6.0).  Returns 0
 * or -1 if s does not start with a number. */
int version_parse(const char *s, struct version *out);
int version_cmp(struct version a, struct version b);
bool version_ge(struct version a, const char *b);
/* "3.7" when patch is 0 and short is requested, else "3.7.1". */
void version_fmt(struct version v, char *out, size_t n);

#endif
