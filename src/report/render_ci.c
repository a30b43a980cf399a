/* placeholder during bring-up; replaced by the CI renderers */
#include "report/render.h"
void render_sarif(FILE *out, const struct render_ctx *c) { (void)out; (void)c; }
void render_junit(FILE *out, const struct render_ctx *c) { (void)out; (void)c; }
void render_github(FILE *out, const struct render_ctx *c) { (void)out; (void)c; }
void render_plain(FILE *out, const struct render_ctx *c) { (void)out; (void)c; }
void render_checkstyle(FILE *out, const struct render_ctx *c) { (void)out; (void)c; }
void xml_escape(FILE *out, const char *s) { fputs(s, out); }
