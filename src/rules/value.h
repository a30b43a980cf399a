/*
 * value.h - values of the rule language.
 *
 * null is a first-class value meaning "unknown": a comparison or
 * arithmetic involving null yields null (except == / != against the
 * literal null), "and" / "or" follow three-valued logic, and a rule fires
 * only when its condition is definitely true.  A rule therefore never
 * fires on data the model does not have.
 */
#ifndef KA_VALUE_H
#define KA_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/version.h"
#include "util/buf.h"

enum val_type { VT_NULL, VT_BOOL, VT_INT, VT_FLOAT, VT_STR, VT_VERSION, VT_LIST };

struct val {
    uint8_t t; /* enum val_type */
    bool b;
    int64_t i;
    double f;
    const char *s;
    struct version v;
    const struct val *items; /* VT_LIST */
    uint32_t n;
};

static inline struct val val_null(void) { return (struct val){.t = VT_NULL}; }
static inline struct val val_bool(bool b) { return (struct val){.t = VT_BOOL, .b = b}; }
static inline struct val val_int(int64_t i) { return (struct val){.t = VT_INT, .i = i}; }
static inline struct val val_float(double f) { return (struct val){.t = VT_FLOAT, .f = f}; }
static inline struct val val_str(const char *s)
{
    return s ? (struct val){.t = VT_STR, .s = s} : val_null();
}
static inline struct val val_version(struct version v)
{
    return v.set ? (struct val){.t = VT_VERSION, .v = v} : val_null();
}

/* Truth for conditions: only true is true; null stays null (-1). */
int val_truth(const struct val *v); /* 1 true, 0 false, -1 null */

/* Compare a and b.  Returns 0 and sets *cmp (-1/0/1) when comparable,
 * 1 when equal-comparable only (*cmp 0 equal / 1 different), -1 when not
 * comparable (types that cannot be coerced, or null). */
int val_compare(const struct val *a, const struct val *b, int *cmp);

/* Append a human rendering: ints plain, floats shortest, versions "3.6",
 * lists "[a, b]", null "null". */
void val_format(const struct val *v, struct buf *out);
/* As val_format, for text a user reads (rule messages and fixes): a value
 * that is not known says "unknown", never "null". */
void val_format_text(const struct val *v, struct buf *out);

#endif
