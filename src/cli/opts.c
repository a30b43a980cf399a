/*
 * opts.c - table-driven option parsing, --help text and colour choice.
 */
#include "cli/cli.h"
#include "input/input.h"
#include "rules/finding.h"
#include "report/render.h"
#include "util/strutil.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void optparse_init(struct optparse *p, int argc, char **argv, const struct command *cmd)
{
    memset(p, 0, sizeof *p);
    p->argc = argc;
    p->argv = argv;
    p->i = 1;
    p->cmd = cmd;
}

int usage_error(const struct command *c, const char *fmt, ...)
{
    va_list ap;
    fputs("kafkaudit: ", stderr);
    if (c)
        fprintf(stderr, "%s: ", c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, "Try 'kafkaudit %s%s--help' for more information.\n", c ? c->name : "",
            c ? " " : "");
    return EXIT_USAGE;
}

const char *did_you_mean(const char *word, const char *const *list)
{
    static char buf[160];
    const char *best = word ? nearest_in(word, list) : NULL;
    if (!best)
        return "";
    snprintf(buf, sizeof buf, "; did you mean '%s'?", best);
    return buf;
}

const char *did_you_mean_kind(const char *word, const char *kind)
{
    const char *list[32];
    int n = 0;
    if (strcmp(kind, "format") == 0)
        for (int i = 0; out_formats[i] && n < 30; i++)
            list[n++] = out_formats[i]->name;
    else if (strcmp(kind, "severity") == 0)
        for (int s = SEV_ERROR; s >= SEV_INFO; s--)
            list[n++] = severity_name((enum severity)s);
    else if (strcmp(kind, "dialect") == 0)
        for (int d = DL_AUTO + 1; d < DL__COUNT; d++)
            list[n++] = dialect_name((enum dialect)d);
    else if (strcmp(kind, "object") == 0)
        for (int i = 0; object_kinds[i] && n < 30; i++)
            list[n++] = object_kinds[i];
    list[n] = NULL;
    return did_you_mean(word, list);
}

/* "; did you mean '--format'?" among c's options (the shown ones first) */
static const char *option_suggestion(const struct opt *opts, const char *name, size_t n)
{
    static char buf[160];
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(n < 63 ? n : 63), name);
    struct nearest nr;
    nearest_init(&nr, word, NEAREST_AUTO);
    for (const struct opt *o = opts; o->lng; o++)
        if (!(o->flags & OPT_HIDDEN))
            nearest_offer(&nr, o->lng);
    if (!nearest_best(&nr))
        for (const struct opt *o = opts; o->lng; o++)
            nearest_offer(&nr, o->lng);
    if (!nearest_best(&nr))
        return "";
    snprintf(buf, sizeof buf, "; did you mean '--%s'?", nearest_best(&nr));
    return buf;
}

const char *option_did_you_mean(const struct opt *opts, const char *arg)
{
    while (*arg == '-')
        arg++;
    size_t n = strcspn(arg, "=");
    return option_suggestion(opts, arg, n);
}

static const struct opt *find_long(const struct command *c, const char *name, size_t n)
{
    const struct opt *prefix = NULL;
    int nprefix = 0;
    for (const struct opt *o = c->opts; o->lng; o++) {
        if (strlen(o->lng) == n && strncmp(o->lng, name, n) == 0)
            return o;
        if (strncmp(o->lng, name, n) == 0 && !(o->flags & OPT_HIDDEN)) {
            prefix = o;
            nprefix++;
        }
    }
    /* unambiguous prefixes, as getopt_long allows */
    return nprefix == 1 ? prefix : NULL;
}

int opt_next(struct optparse *p, const char **arg)
{
    *arg = NULL;
    const struct command *c = p->cmd;
    for (;;) {
        if (p->i >= p->argc)
            return OPT_END;
        char *a = p->argv[p->i];
        if (p->sub) {
            char ch = a[p->sub];
            const struct opt *o = NULL;
            for (const struct opt *q = c->opts; q->lng; q++)
                if (q->shrt && q->shrt == ch)
                    o = q;
            if (!o) {
                usage_error(c, "unknown option '-%c'", ch);
                return OPT_ERROR;
            }
            p->sub++;
            if (o->argname) {
                if (a[p->sub]) {
                    *arg = a + p->sub;
                } else if (p->i + 1 < p->argc) {
                    *arg = p->argv[++p->i];
                } else {
                    usage_error(c, "option '-%c' needs %s", ch, o->argname);
                    return OPT_ERROR;
                }
                p->sub = 0;
                p->i++;
            } else if (!a[p->sub]) {
                p->sub = 0;
                p->i++;
            }
            return o->id;
        }
        if (p->only_positional || a[0] != '-' || strcmp(a, "-") == 0) {
            p->i++;
            *arg = a;
            return OPT_POSITIONAL;
        }
        if (strcmp(a, "--") == 0) {
            p->only_positional = true;
            p->i++;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            const struct opt *o = find_long(c, name, n);
            if (!o) {
                usage_error(c, "unknown option '--%.*s'%s", (int)n, name,
                            option_suggestion(c->opts, name, n));
                return OPT_ERROR;
            }
            p->i++;
            if (o->argname) {
                if (eq)
                    *arg = eq + 1;
                else if (p->i < p->argc)
                    *arg = p->argv[p->i++];
                else {
                    usage_error(c, "option '--%s' needs %s", o->lng, o->argname);
                    return OPT_ERROR;
                }
            } else if (eq) {
                usage_error(c, "option '--%s' takes no value", o->lng);
                return OPT_ERROR;
            }
            return o->id;
        }
        p->sub = 1;
    }
}

const char *opt_help(const struct opt *o)
{
    static const char mark[] = "{words}";
    const char *at = strstr(o->help, mark);
    if (!at || !o->complete || !completion_words(o->complete))
        return o->help;
    static char buf[1400];
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - o->help), o->help,
             completion_list(o->complete), at + sizeof mark - 1);
    return buf;
}

/* "  LEFT  help...", the help wrapped at 79 columns under column 33; a
 * LEFT too wide for its column puts the help on the next line. */
void print_opt_help(FILE *out, const char *left, const char *help)
{
    enum { COL = 33, WIDTH = 79 };
    int col = fprintf(out, "  %s", left);
    if (col > COL - 1) {
        fputc('\n', out);
        col = 0;
    }
    fprintf(out, "%*s", COL - col, "");
    col = COL;
    const char *p = help;
    while (*p) {
        size_t w = strcspn(p, " ");
        if (col > COL && col + 1 + (int)w > WIDTH) {
            fprintf(out, "\n%*s", COL, "");
            col = COL;
        } else if (col > COL) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, w, out);
        col += (int)w;
        p += w;
        while (*p == ' ')
            p++;
    }
    fputc('\n', out);
}

void cmd_usage(FILE *out, const struct command *c)
{
    fprintf(out, "usage: kafkaudit %s %s\n\n%s\n", c->name, c->synopsis, c->summary);
    if (c->description)
        fprintf(out, "\n%s\n", c->description);
    fputs("\nOptions:\n", out);
    for (const struct opt *o = c->opts; o->lng; o++) {
        if (o->flags & OPT_HIDDEN)
            continue;
        char left[64];
        if (o->shrt)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->shrt, o->lng, o->argname ? " " : "",
                     o->argname ? o->argname : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->lng, o->argname ? " " : "",
                     o->argname ? o->argname : "");
        print_opt_help(out, left, opt_help(o));
    }
    fprintf(out, "\n%s\nSee kafkaudit(1).\n",
            c->exit_status
                ? c->exit_status
                : "Exit status: 0 ok (and whenever --write-baseline recorded the\n"
                  "findings), 1 findings at or above --fail-on, 2 usage error, 3 invalid\n"
                  "input, rules, config or connection settings, or a report or baseline\n"
                  "that cannot be written, 4 cluster unreachable or audit incomplete.");
}

bool want_color(enum color_mode m, FILE *f)
{
    if (m == COLOR_ALWAYS)
        return true;
    if (m == COLOR_NEVER)
        return false;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(f));
}

const char *const color_names[] = {"auto", "always", "never", NULL};

/* https://github.com/apache/kafka/blob/3.7.0/clients/src/main/java/org/apache/kafka/common/ConsumerGroupState.java
 * and KIP-848's group states */
const char *const group_states[] = {
    "Stable", "Empty",     "PreparingRebalance", "CompletingRebalance",
    "Dead",   "Assigning", "Reconciling",        "Unknown",
    NULL};

int color_parse(const char *s, enum color_mode *out)
{
    if (strcmp(s, "auto") == 0)
        *out = COLOR_AUTO;
    else if (strcmp(s, "always") == 0)
        *out = COLOR_ALWAYS;
    else if (strcmp(s, "never") == 0)
        *out = COLOR_NEVER;
    else
        return -1;
    return 0;
}
