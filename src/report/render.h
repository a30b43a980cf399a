/*
 * render.h - findings and diagnostics as text, JSON, SARIF, JUnit,
 * GitHub workflow commands and one-line-per-finding output.
 *
 * Renderers only read: the model (for file names and source lines), the
 * findings and the diagnostics.  They write to the FILE * they are given;
 * whether that is a terminal (colour) is decided by the caller.
 */
#ifndef KA_RENDER_H
#define KA_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "syntax/diag.h"
#include "model/model.h"
#include "rules/finding.h"
#include "rules/rule.h"
#include "util/buf.h"

struct render_ctx {
    const struct model *m;
    const struct finding_list *findings;
    const struct diag_list *input_diags; /* against m->sources */
    const struct rule_set *rules;        /* rule diags against rules->sources */
    const struct diag_list *extra_diags; /* e.g. config file problems */
    const struct source_set *extra_sources;
    bool color;
    bool show_source;     /* caret lines in text output */
    bool show_suppressed; /* list suppressed/baselined findings too */
    bool quiet;           /* text: no summary line */
    const char *tool_version;
    uint32_t nfiles;
    const char *command; /* "lint", "check" */
    /* baseline results: fingerprints fixed since the baseline */
    const char *const *fixed;
    const char *const *fixed_desc;
    uint32_t nfixed;
    bool baseline;    /* a --baseline was applied (SARIF baselineState) */
    unsigned width;   /* text: wrap explanations at this many columns (0: 100) */
    uint32_t nhidden; /* active findings below --min-severity, not in findings */
    uint8_t min_sev;  /* enum severity: --min-severity */
};

/* An output format: one row of out_formats[] (formats.c).  A new format
 * is a file render_NAME.c that defines `const struct out_format fmt_NAME`,
 * and its row in formats.c; --help, the man page's list and the shell
 * completions take their names from the table. */
struct out_format {
    const char *name;    /* what --format and -o NAME=FILE take */
    const char *summary; /* one line, for help */
    void (*render)(FILE *out, const struct render_ctx *c);
    unsigned caps; /* FMT_* */
};
enum {
    /* reports of several deployments can follow each other on one stream
     * (lint --each) */
    FMT_EACH = 1u << 0,
};
extern const struct out_format *const out_formats[]; /* NULL-terminated */
extern const struct out_format fmt_text, fmt_github;
/* The format named s, or NULL. */
const struct out_format *out_format_find(const char *s);
/* The names of every format, separated by sep, into buf (truncated to n). */
const char *out_format_names(char *buf, size_t n, const char *sep);

void render(const struct out_format *f, FILE *out, const struct render_ctx *c);

/* Compiler-style diagnostics ("file:line:col: error: msg" + caret).  A
 * diagnostic about the cluster without a file is labelled as findings are
 * (render_cluster_label of live: "prod (cluster q1Sh...):", or the
 * bootstrap servers alone before the cluster id is known); live is the
 * model read from the cluster, or NULL when none was. */
void render_diags_text(FILE *out, const struct source_set *ss, const struct diag_list *dl,
                       bool color, const struct model *live);
/* The source line of loc with a caret under loc.col (text renderers). */
void render_caret(FILE *out, const struct source_set *ss, struct loc loc, bool color,
                  const char *caret_color);
/* One-line summary ("2 errors, 1 warning in 3 files") */
void render_summary_line(FILE *out, const struct render_ctx *c);

/* The one palette of coloured text output (lint, check, isr, lag): red
 * errors, yellow warnings, cyan notes, dim for what is unknown.  The
 * escape sequence of p, or "" when !color (the caller decides colour:
 * --color, NO_COLOR, a terminal). */
enum paint {
    PAINT_RESET,
    PAINT_BOLD,
    PAINT_ERROR,
    PAINT_WARNING,
    PAINT_INFO,
    PAINT_GOOD,
    PAINT_UNKNOWN
};
const char *paint(bool color, enum paint p);

/* What names a live cluster where a finding has no file: its name in
 * kafkaudit-clusters(5) (-C), else its bootstrap servers, and the cluster
 * id from its metadata: "prod (cluster q1Sh...)".  Into b; NULL when m
 * was not read from a live cluster. */
struct buf;
const char *render_cluster_label(const struct model *m, struct buf *b);

/* The same cluster for JSON: key "cluster" and an object {name,
 * bootstrap, id}, plus the controller's id (null when unknown) when
 * with_controller.  Every JSON output that names the cluster uses it. */
struct jw;
void render_cluster_json(struct jw *w, const struct model *m, bool with_controller);

/* Private to the renderers. */
/* The other places of f's cause (f->also) off f's own line, each once
 * with the ids of the other rules that stood there, comma-separated, at
 * most max of them; returns how many places (0: nothing written). */
uint32_t render_also_at(struct buf *b, const struct source_set *ss, const struct finding *f,
                        uint32_t max);
/* The ids of the other rules merged into f on its own line ("KA402,
 * KA406"); returns 0 when there are none (nothing written). */
uint32_t render_same_cause(struct buf *b, const struct finding *f);
/* The objects f also affects (f->related), comma-separated, at most max;
 * returns f->nrelated. */
uint32_t render_affects(struct buf *b, const struct finding *f, uint32_t max);
/* Whether msg starts with its object desc ("topic orders: ...",
 * "broker 2: ...", "all brokers: ..."), so a one-line format without a
 * file need not name it again. */
bool render_names_object(const char *msg, const char *desc);
/* The number of places and objects the one-line formats list. */
enum { RENDER_LIST_MAX = 20 };
/* Write s escaped for XML (attributes and text). */
void xml_escape(FILE *out, const char *s);

#endif
