#include "cli/audit.h"
#include "input/input.h"
#include "model/effective.h"
#include "util/strutil.h"
#include "syntax/yload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* --width, else $COLUMNS (a terminal's width, when the shell exports it),
 * else 100. */
static unsigned text_width(unsigned w)
{
    if (w)
        return w;
    const char *c = getenv("COLUMNS");
    char *end;
    unsigned long v = c ? strtoul(c, &end, 10) : 0;
    if (c && *c && !*end && v >= 40 && v <= 1000)
        return (unsigned)v;
    return 100;
}

void audit_opts_init(struct audit_opts *o)
{
    memset(o, 0, sizeof *o);
    o->fail_on = -1;
    o->format = &fmt_text;
    o->sort = FO_SEVERITY;
    o->min_sev = SEV_INFO;
}

int audit_opt(struct audit_opts *o, int id, const char *arg, const struct command *c)
{
    enum severity s;
    int64_t n;
    switch (id) {
    case AO_FORMAT:
        if (!(o->format = out_format_find(arg))) {
            char names[256];
            return usage_error(c, "unknown format '%s' (%s)%s", arg,
                               out_format_names(names, sizeof names, ", "),
                               did_you_mean_kind(arg, "format"));
        }
        o->format_set = true;
        return 0;
    case AO_JSON:
        o->format = out_format_find("json");
        o->format_set = true;
        return 0;
    case AO_OUTPUT: {
        const char *eq = strchr(arg, '=');
        char fmt[32];
        if (!eq || (size_t)(eq - arg) >= sizeof fmt || !eq[1])
            return usage_error(c, "--output expects FORMAT=FILE, such as sarif=report.sarif");
        memcpy(fmt, arg, (size_t)(eq - arg));
        fmt[eq - arg] = '\0';
        if (o->nouts >= AUDIT_MAX_OUTPUTS)
            return usage_error(c, "at most %d --output options", AUDIT_MAX_OUTPUTS);
        if (!(o->outs[o->nouts].f = out_format_find(fmt)))
            return usage_error(c, "unknown format '%s' in --output%s", fmt,
                               did_you_mean_kind(fmt, "format"));
        o->outs[o->nouts++].path = eq + 1;
        return 0;
    }
    case AO_FAIL_ON:
        if (severity_parse(arg, &s))
            return usage_error(c, "--fail-on expects error, warning or info, not '%s'%s", arg,
                               did_you_mean_kind(arg, "severity"));
        o->fail_on = (int)s;
        return 0;
    case AO_RULES:
        if (o->nrule_dirs >= AUDIT_MAX_RULE_DIRS)
            return usage_error(c, "too many --rules options");
        o->rule_dirs[o->nrule_dirs++] = arg;
        return 0;
    case AO_NO_BUILTIN: o->no_builtin_rules = true; return 0;
    case AO_CONFIG: o->config_path = arg; return 0;
    case AO_NO_CONFIG: o->no_config = true; return 0;
    case AO_SHOW_SUPPRESSED: o->show_suppressed = true; return 0;
    case AO_BASELINE: o->baseline = arg; return 0;
    case AO_WRITE_BASELINE: o->write_baseline = arg; return 0;
    case AO_KAFKA_VERSION:
    case AO_JAVA_VERSION:
    case AO_RDK_VERSION: {
        struct version v;
        if (version_parse(arg, &v))
            return usage_error(c, "'%s' is not a version", arg);
        if (id == AO_KAFKA_VERSION)
            o->kafka = v;
        else if (id == AO_JAVA_VERSION)
            o->java = v;
        else
            o->rdk = v;
        return 0;
    }
    case AO_COLOR:
        if (color_parse(arg, &o->color))
            return usage_error(c, "--color expects auto, always or never%s",
                               did_you_mean(arg, color_names));
        return 0;
    case AO_NO_COLOR: o->color = COLOR_NEVER; return 0;
    case AO_NO_SOURCE: o->no_source = true; return 0;
    case AO_QUIET: o->quiet = true; return 0;
    case AO_SORT:
        if (strcmp(arg, "severity") == 0)
            o->sort = FO_SEVERITY;
        else if (strcmp(arg, "position") == 0)
            o->sort = FO_POSITION;
        else if (strcmp(arg, "rule") == 0)
            o->sort = FO_RULE;
        else
            return usage_error(c, "--sort expects severity, position or rule, not '%s'", arg);
        return 0;
    case AO_MIN_SEVERITY:
        if (severity_parse(arg, &s))
            return usage_error(c, "--min-severity expects info, warning or error, not '%s'", arg);
        o->min_sev = (int)s;
        return 0;
    case AO_WIDTH: {
        char *end;
        errno = 0;
        unsigned long v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v < 40 || v > 1000)
            return usage_error(c, "--width expects a number of columns from 40 to 1000");
        o->width = (unsigned)v;
        return 0;
    }
    case AO_MAX_FILE_SIZE: {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(arg, &end, 10);
        if (errno || end == arg)
            return usage_error(c, "--max-file-size expects a number of bytes");
        if (*end == 'k' || *end == 'K')
            v <<= 10, end++;
        else if (*end == 'm' || *end == 'M')
            v <<= 20, end++;
        else if (*end == 'g' || *end == 'G')
            v <<= 30, end++;
        if (*end || v == 0)
            return usage_error(c, "--max-file-size expects a number of bytes (k, M, G suffixes)");
        yload_max_file_size = (size_t)v;
        (void)n;
        return 0;
    }
    case AO_JOBS: {
        char *end;
        errno = 0;
        unsigned long v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v < 1 || v > INPUT_MAX_JOBS)
            return usage_error(c, "--jobs expects a number from 1 to %d", INPUT_MAX_JOBS);
        o->jobs = (unsigned)v;
        return 0;
    }
    default: return 1;
    }
}

int load_rule_set(struct rule_set *rs, const char *const *dirs, int ndirs, bool builtin)
{
    if (builtin) {
        const char *d = builtin_rules_dir();
        if (!d)
            diag_add_path(&rs->diags, DIAG_ERROR, DK_RULES, "rules",
                          "cannot find the shipped rules; set KAFKAUDIT_RULES_DIR or reinstall");
        else
            rule_set_load_path(rs, d);
    }
    for (int i = 0; i < ndirs; i++)
        rule_set_load_path(rs, dirs[i]);
    rule_set_check_refs(rs);
    return (int)rs->diags.nerrors;
}

/* Touches only a->rs and a->pc's rule settings and diagnostics. */
static void *load_rules(void *arg)
{
    struct audit *a = arg;
    load_rule_set(&a->rs, a->rule_dirs, a->nrule_dirs, !a->o->no_builtin_rules);
    project_config_apply(&a->pc, &a->rs);
    a->rules_loaded = true;
    return NULL;
}

static void rules_wait(struct audit *a)
{
    if (a->rules_loading) {
        pthread_join(a->rules_thread, NULL);
        a->rules_loading = false;
    }
}

int audit_prepare(struct audit *a, struct audit_opts *o)
{
    memset(a, 0, sizeof *a);
    a->o = o;
    project_config_init(&a->pc);
    rule_set_init(&a->rs);
    model_init(&a->m);
    finding_list_init(&a->fl);

    const char *cfg = o->config_path;
    if (!cfg && !o->no_config)
        cfg = project_config_find();
    if (cfg)
        project_config_load(&a->pc, cfg);

    int nd = 0;
    for (uint32_t i = 0; i < a->pc.nrule_dirs && nd < AUDIT_MAX_RULE_DIRS; i++)
        a->rule_dirs[nd++] = a->pc.rule_dirs[i];
    for (int i = 0; i < o->nrule_dirs; i++)
        a->rule_dirs[nd++] = o->rule_dirs[i];
    a->nrule_dirs = nd;

    if (a->pc.has_kafka)
        a->m.defaults.kafka = a->pc.kafka;
    if (a->pc.has_java)
        a->m.defaults.java_client = a->pc.java_client;
    if (a->pc.has_rdk)
        a->m.defaults.librdkafka = a->pc.librdkafka;
    if (o->kafka.set)
        a->m.defaults.kafka = o->kafka;
    if (o->java.set)
        a->m.defaults.java_client = o->java;
    if (o->rdk.set)
        a->m.defaults.librdkafka = o->rdk;
    if (o->fail_on < 0)
        o->fail_on = a->pc.fail_on >= 0 ? a->pc.fail_on : SEV_ERROR;
    if (!o->format_set) {
        const char *gh = getenv("GITHUB_ACTIONS");
        if (gh && strcmp(gh, "true") == 0)
            o->format = &fmt_github;
    }
    if (o->baseline) {
        if (baseline_load(&a->bl, o->baseline, &a->pc.sources, &a->pc.diags) == 0)
            a->have_bl = true;
    }
    /* Nothing reads the rules (nor a->pc) before audit_finish(): load them
     * beside the inputs, both being mostly YAML parsing. */
    a->rules_loading = o->jobs != 1 && pthread_create(&a->rules_thread, NULL, load_rules, a) == 0;
    if (!a->rules_loading)
        load_rules(a);
    return 0;
}

/* Write failures go to io (not the audit's diagnostics: the audit is
 * complete, a copy of it could not be saved). */
static int write_output(struct diag_list *io, const struct out_format *f, const char *path,
                        struct render_ctx *rc)
{
    FILE *out = fopen(path, "w");
    if (!out) {
        diag_add_path(io, DIAG_ERROR, DK_INPUT, path, "cannot write report: %s", strerror(errno));
        return -1;
    }
    struct render_ctx c = *rc;
    c.color = false;
    render(f, out, &c);
    if (ferror(out) | (fclose(out) != 0)) {
        diag_add_path(io, DIAG_ERROR, DK_INPUT, path, "cannot write report: %s",
                      strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

int audit_finish(struct audit *a, const char *command, uint32_t nfiles)
{
    struct audit_opts *o = a->o;
    rules_wait(a);
    if (!a->rules_loaded)
        load_rules(a);
    model_finalize(&a->m);
    engine_run_jobs(&a->rs, &a->m, &a->fl, o->jobs ? o->jobs : input_default_jobs());
    engine_report_budget(&a->rs);
    struct config_suppressions cs = {a->pc.supp, a->pc.nsupp, &a->pc.sources, &a->pc.diags};
    suppress_apply(&a->m, &a->rs, &cs, &a->fl, &a->m.diags);

    const char **fixed = NULL, **fixed_desc = NULL;
    uint32_t nfixed = 0;
    if (a->have_bl) {
        baseline_apply(&a->bl, &a->fl);
        fixed = calloc(a->bl.n + 1, sizeof *fixed);
        fixed_desc = calloc(a->bl.n + 1, sizeof *fixed_desc);
        for (uint32_t i = 0; i < a->bl.n; i++)
            if (!a->bl.matched[i]) {
                fixed[nfixed] = a->bl.fp[i];
                fixed_desc[nfixed++] = a->bl.desc[i];
            }
    }
    /* after suppressions and the baseline: a finding silenced there
     * replaces nothing */
    engine_merge_causes(&a->rs, &a->m, &a->fl);
    /* reports and baselines that could not be written: exit status 3, but
     * not an incomplete audit */
    struct diag_list io;
    diag_list_init(&io);
    bool baseline_written =
        o->write_baseline && baseline_write(o->write_baseline, &a->fl, &io) == 0;
    /* the exit status counts every finding, shown or not */
    bool failing = finding_count(&a->fl, (enum severity)o->fail_on, true) > 0;
    for (uint32_t i = 0; i < a->fl.n; i++)
        if (a->fl.v[i].status == FS_ACTIVE)
            o->total[a->fl.v[i].severity < 3 ? a->fl.v[i].severity : 0]++;
    o->ndeploy++;
    uint32_t nhidden = finding_list_drop_below(&a->fl, (enum severity)o->min_sev);
    finding_list_order(&a->fl, &a->m, (enum finding_order)o->sort);

    struct render_ctx rc = {
        .m = &a->m,
        .findings = &a->fl,
        .input_diags = &a->m.diags,
        .rules = &a->rs,
        .extra_diags = &a->pc.diags,
        .extra_sources = &a->pc.sources,
        .color = want_color(o->color, stdout),
        .show_source = !o->no_source,
        .show_suppressed = o->show_suppressed,
        .tool_version = kafkaudit_version,
        .nfiles = nfiles,
        .command = command,
        .fixed = fixed,
        .fixed_desc = fixed_desc,
        .nfixed = nfixed,
        .quiet = o->quiet,
        .baseline = a->have_bl,
        .width = text_width(o->width),
        .nhidden = nhidden,
        .min_sev = (uint8_t)o->min_sev,
    };
    for (int i = 0; i < o->nouts; i++)
        write_output(&io, o->outs[i].f, o->outs[i].path, &rc);

    /* Diagnostics first, on stderr, so they are never lost in a pipe. */
    bool ecolor = want_color(o->color, stderr);
    render_diags_text(stderr, &a->pc.sources, &a->pc.diags, ecolor, NULL);
    render_diags_text(stderr, &a->rs.sources, &a->rs.diags, ecolor, NULL);
    render_diags_text(stderr, &a->m.sources, &a->m.diags, ecolor, &a->m);
    render_diags_text(stderr, &a->pc.sources, &io, ecolor, NULL);
    fflush(stderr);

    render(o->format, stdout, &rc);
    fflush(stdout);
    free(fixed);
    free(fixed_desc);

    uint32_t io_errors = io.nerrors;
    diag_list_release(&io);
    if (diag_count(&a->m.diags, DIAG_ERROR, DK_CLUSTER))
        return EXIT_CLUSTER;
    if (a->m.diags.nerrors || a->rs.diags.nerrors || a->pc.diags.nerrors || io_errors)
        return EXIT_INPUT;
    /* --write-baseline records today's findings: that is its purpose, not
     * a failure ("write it once, then commit the file" under set -e) */
    if (baseline_written)
        return EXIT_OK;
    return failing ? EXIT_FINDINGS : EXIT_OK;
}

/* Sanitizer builds of the project define KAFKAUDIT_FREE_AT_EXIT (CMake);
 * a compiler's own AddressSanitizer flag is honoured too. */
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if !defined(KAFKAUDIT_FREE_AT_EXIT) &&                                                            \
    (defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer) ||                          \
     __has_feature(leak_sanitizer))
#define KAFKAUDIT_FREE_AT_EXIT 1
#endif

void audit_release_at_exit(struct audit *a)
{
#ifdef KAFKAUDIT_FREE_AT_EXIT
    audit_release(a);
#else
    rules_wait(a);
#endif
}

void audit_release(struct audit *a)
{
    rules_wait(a);
    if (a->have_bl)
        baseline_release(&a->bl);
    finding_list_release(&a->fl);
    model_release(&a->m);
    rule_set_release(&a->rs);
    project_config_release(&a->pc);
}
