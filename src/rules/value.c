#include "rules/value.h"
#include "util/strutil.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int val_truth(const struct val *v)
{
    switch (v->t) {
    case VT_NULL: return -1;
    case VT_BOOL: return v->b ? 1 : 0;
    case VT_INT: return v->i != 0;
    case VT_FLOAT: return v->f != 0;
    case VT_STR: return v->s[0] != '\0';
    case VT_LIST: return v->n != 0;
    default: return 1;
    }
}

static bool as_number(const struct val *v, double *out, bool *is_int, int64_t *iout)
{
    if (v->t == VT_INT) {
        *out = (double)v->i;
        *iout = v->i;
        *is_int = true;
        return true;
    }
    if (v->t == VT_FLOAT) {
        *out = v->f;
        *is_int = false;
        return true;
    }
    if (v->t == VT_STR) {
        if (str_to_i64(v->s, iout) == 0) {
            *out = (double)*iout;
            *is_int = true;
            return true;
        }
        if (str_to_double(v->s, out) == 0) {
            *is_int = false;
            return true;
        }
    }
    return false;
}

static int sign(int x) { return (x > 0) - (x < 0); }

int val_compare(const struct val *a, const struct val *b, int *cmp)
{
    if (a->t == VT_NULL || b->t == VT_NULL)
        return -1;
    /* versions: coerce strings */
    if (a->t == VT_VERSION || b->t == VT_VERSION) {
        struct version va = a->v, vb = b->v;
        if (a->t == VT_STR && version_parse(a->s, &va))
            return -1;
        if (b->t == VT_STR && version_parse(b->s, &vb))
            return -1;
        if ((a->t != VT_VERSION && a->t != VT_STR) || (b->t != VT_VERSION && b->t != VT_STR))
            return -1;
        *cmp = version_cmp(va, vb);
        return 0;
    }
    /* booleans: coerce "true"/"false" strings */
    if (a->t == VT_BOOL || b->t == VT_BOOL) {
        bool ba = a->b, bb = b->b;
        if (a->t == VT_STR && str_to_bool(a->s, &ba))
            return -1;
        if (b->t == VT_STR && str_to_bool(b->s, &bb))
            return -1;
        if ((a->t != VT_BOOL && a->t != VT_STR) || (b->t != VT_BOOL && b->t != VT_STR))
            return -1;
        *cmp = ba != bb;
        return 1;
    }
    if (a->t == VT_STR && b->t == VT_STR) {
        *cmp = sign(strcmp(a->s, b->s));
        return 0;
    }
    double da, db;
    int64_t ia, ib;
    bool inta, intb;
    if (as_number(a, &da, &inta, &ia) && as_number(b, &db, &intb, &ib)) {
        if (inta && intb)
            *cmp = (ia > ib) - (ia < ib);
        else
            *cmp = (da > db) - (da < db);
        return 0;
    }
    if (a->t == VT_LIST || b->t == VT_LIST)
        return -1;
    /* string vs non-numeric: only (in)equality is meaningful: different */
    if (a->t == VT_STR || b->t == VT_STR) {
        *cmp = 1;
        return 1;
    }
    return -1;
}

static void format(const struct val *v, struct buf *out, const char *null)
{
    char tmp[64];
    switch (v->t) {
    case VT_NULL: buf_puts(out, null); break;
    case VT_BOOL: buf_puts(out, v->b ? "true" : "false"); break;
    case VT_INT: buf_printf(out, "%" PRId64, v->i); break;
    case VT_FLOAT:
        if (v->f == floor(v->f) && fabs(v->f) < 1e15)
            buf_printf(out, "%.0f", v->f);
        else
            buf_printf(out, "%g", v->f);
        break;
    case VT_STR: buf_puts(out, v->s); break;
    case VT_VERSION:
        version_fmt(v->v, tmp, sizeof tmp);
        buf_puts(out, tmp);
        break;
    case VT_LIST:
        buf_putc(out, '[');
        for (uint32_t i = 0; i < v->n; i++) {
            if (i)
                buf_puts(out, ", ");
            format(&v->items[i], out, null);
        }
        buf_putc(out, ']');
        break;
    }
}

void val_format(const struct val *v, struct buf *out) { format(v, out, "null"); }

void val_format_text(const struct val *v, struct buf *out) { format(v, out, "unknown"); }
