#include "model/version.h"

#include <stdio.h>

static int num(const char **p, unsigned short *out)
{
    const char *s = *p;
    unsigned v = 0;
    if (*s < '0' || *s > '9')
        return -1;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (unsigned)(*s - '0');
        if (v > 65535)
            return -1;
        s++;
    }
    *out = (unsigned short)v;
    *p = s;
    return 0;
}

int version_parse(const char *s, struct version *out)
{
    struct version v = {0, 0, 0, false};
    if (*s == 'v' || *s == 'V')
        s++;
    if (num(&s, &v.major))
        return -1;
    if (*s == '.') {
        s++;
        if (num(&s, &v.minor))
            return -1;
        if (*s == '.') {
            s++;
            if (num(&s, &v.patch))
                return -1;
        }
    }
    /* Anything after is a qualifier (-SNAPSHOT, -ccs, .RELEASE, ...). */
    v.set = true;
    *out = v;
    return 0;
}

int version_cmp(struct version a, struct version b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch)
        return a.patch < b.patch ? -1 : 1;
    return 0;
}

bool version_ge(struct version a, const char *b)
{
    struct version vb;
    if (version_parse(b, &vb))
        return false;
    return version_cmp(a, vb) >= 0;
}

void version_fmt(struct version v, char *out, size_t n)
{
    if (!v.set)
        snprintf(out, n, "?");
    else if (v.patch)
        snprintf(out, n, "%u.%u.%u", v.major, v.minor, v.patch);
    else
        snprintf(out, n, "%u.%u", v.major, v.minor);
}
