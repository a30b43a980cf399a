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

#include "model/diag.h"
#include "model/model.h"
#include "report/finding.h"
#include "rules/rule.h"

enum out_format {
    OF_TEXT,
    OF_JSON,
    OF_SARIF,
    OF_JUNIT,
    OF_GITHUB,
    OF_PLAIN,      /* path:line:col: severity: [ID] message */
    OF_CHECKSTYLE, /* Checkstyle XML */
    OF__COUNT
};
const char *out_format_name(enum out_format f);
int out_format_parse(const char *s, enum out_format *out);

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
    bool baseline; /* a --baseline was applied (SARIF baselineState) */
};

void render(enum out_format f, FILE *out, const struct render_ctx *c);

/* Compiler-style diagnostics ("file:line:col: error: msg" + caret) */
void render_diags_text(FILE *out, const struct source_set *ss, const struct diag_list *dl,
                       bool color);
/* The source line of loc with a caret under loc.col (text renderers). */
void render_caret(FILE *out, const struct source_set *ss, struct loc loc, bool color,
                  const char *caret_color);
/* One-line summary ("2 errors, 1 warning in 3 files") */
void render_summary_line(FILE *out, const struct render_ctx *c);

/* Private to the renderers. */
void render_text(FILE *out, const struct render_ctx *c);
void render_json(FILE *out, const struct render_ctx *c);
void render_sarif(FILE *out, const struct render_ctx *c);
void render_junit(FILE *out, const struct render_ctx *c);
void render_github(FILE *out, const struct render_ctx *c);
void render_plain(FILE *out, const struct render_ctx *c);
void render_checkstyle(FILE *out, const struct render_ctx *c);
/* Write s escaped for XML (attributes and text). */
void xml_escape(FILE *out, const char *s);

#endif
