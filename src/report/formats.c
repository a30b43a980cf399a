/*
 * formats.c - the output formats, one row each (render.h).
 */
#include "report/render.h"

#include <stdio.h>
#include <string.h>

extern const struct out_format fmt_json, fmt_sarif, fmt_junit, fmt_plain, fmt_checkstyle;

const struct out_format *const out_formats[] = {
    &fmt_text, &fmt_json, &fmt_sarif, &fmt_junit, &fmt_github, &fmt_plain, &fmt_checkstyle, NULL,
};

const struct out_format *out_format_find(const char *s)
{
    for (int i = 0; out_formats[i]; i++)
        if (strcmp(s, out_formats[i]->name) == 0)
            return out_formats[i];
    return NULL;
}

const char *out_format_names(char *buf, size_t n, const char *sep)
{
    size_t used = 0;
    if (n)
        buf[0] = '\0';
    for (int i = 0; out_formats[i] && used < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? sep : "", out_formats[i]->name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

void render(const struct out_format *f, FILE *out, const struct render_ctx *c)
{
    f->render(out, c);
}
