/*
 * diag.h - problems with the inputs themselves (as opposed to findings
 * about the deployment they describe): unreadable files, YAML syntax
 * errors, a manifest field of the wrong shape, an invalid rule file, a
 * broker that could not be reached.
 *
 * A diagnostic of severity DIAG_ERROR means the audit is not faithful to
 * what the user gave us; the CLI maps that to exit status 3 (input) or 4
 * (cluster), after still reporting every finding it could compute.
 */
#ifndef KA_DIAG_H
#define KA_DIAG_H

#include <stdarg.h>
#include <stdint.h>

#include "syntax/source.h"

enum diag_sev { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

enum diag_kind {
    DK_INPUT,   /* a file we were given */
    DK_RULES,   /* a rule file or project config */
    DK_CLUSTER, /* talking to a live cluster */
};

struct diag {
    uint8_t sev;  /* enum diag_sev */
    uint8_t kind; /* enum diag_kind */
    struct loc loc;
    const char *path; /* when loc.file is 0 but a path is known */
    char *msg;
    char *hint; /* optional second line ("did you mean ...") */
};

/* At most this many problems are listed for one input file (DK_INPUT);
 * the rest are counted (errors still count in nerrors) and said in one
 * line.  A million unknown fields once printed 189 MB. */
#define DIAG_MAX_PER_FILE 1000

struct diag_file_count {
    uint32_t shown, dropped;
    uint32_t summary; /* index + 1 of the line that says how many were left out */
};

struct diag_list {
    struct diag *v;
    uint32_t n, cap;
    uint32_t nerrors;
    struct diag_file_count *files; /* by file id */
    uint32_t nfiles;
    struct diag sink; /* what a left-out problem is written to */
};

void diag_list_init(struct diag_list *l);
void diag_list_release(struct diag_list *l);
struct diag *diag_add(struct diag_list *l, enum diag_sev sev, enum diag_kind kind, struct loc loc,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
struct diag *diag_addv(struct diag_list *l, enum diag_sev sev, enum diag_kind kind, struct loc loc,
                       const char *fmt, va_list ap);
/* Same, for a file that has no source entry (unreadable). */
struct diag *diag_add_path(struct diag_list *l, enum diag_sev sev, enum diag_kind kind,
                           const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void diag_hint(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint32_t diag_count(const struct diag_list *l, enum diag_sev sev, int kind /* -1 any */);
const char *diag_sev_name(enum diag_sev s);

#endif
