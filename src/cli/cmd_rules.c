/*
 * cmd_rules.c - `kafkaudit rules list|explain|test`.
 */
#include "cli/audit.h"
#include "util/json_writer.h"

#include <stdlib.h>
#include <string.h>

enum {
    O_FORMAT = 1,
    O_RULES,
    O_NO_BUILTIN,
    O_CONFIG,
    O_NO_CONFIG,
    O_ALL,
    O_COLOR,
    O_NO_COLOR,
    O_JSON
};

static const struct opt rules_opts[] = {
    {"format", 'f', "FORMAT", O_FORMAT, 0, "text|json", "list: text (default) or json"},
    {"json", 0, NULL, O_JSON, 0, NULL, "same as --format json"},
    {"rules", 'r', "DIR", O_RULES, OPT_REPEAT, "dir", "also load rules from DIR"},
    {"no-builtin-rules", 0, NULL, O_NO_BUILTIN, 0, NULL, "do not load the shipped rules"},
    {"config", 'c', "FILE", O_CONFIG, 0, "file",
     "project config (default: nearest .kafkaudit.yaml)"},
    {"no-config", 0, NULL, O_NO_CONFIG, 0, NULL, "ignore .kafkaudit.yaml"},
    {"all", 'a', NULL, O_ALL, 0, NULL, "list: include disabled rules"},
    {"color", 0, "WHEN", O_COLOR, 0, "color", "auto (default), always, never"},
    {"no-color", 0, NULL, O_NO_COLOR, 0, NULL, "same as --color=never"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

static int cmp_rule(const void *a, const void *b)
{
    return strcmp((*(struct rule *const *)a)->id, (*(struct rule *const *)b)->id);
}

static void list_text(const struct rule_set *rs, bool all)
{
    printf("%-8s %-8s %-17s %s\n", "ID", "SEVERITY", "SCOPE", "TITLE");
    for (uint32_t i = 0; i < rs->n; i++) {
        const struct rule *r = rs->rules[i];
        if (!r->enabled && !all)
            continue;
        printf("%-8s %-8s %-17s %s%s\n", r->id, severity_name((enum severity)r->severity),
               scope_name((enum scope)r->scope), r->title, r->enabled ? "" : " (disabled)");
    }
}

static void list_json(const struct rule_set *rs, bool all)
{
    struct jw w;
    jw_init(&w, stdout, true);
    jw_arr_begin(&w);
    for (uint32_t i = 0; i < rs->n; i++) {
        const struct rule *r = rs->rules[i];
        if (!r->enabled && !all)
            continue;
        jw_obj_begin(&w);
        jw_kstr(&w, "id", r->id);
        jw_kstr(&w, "title", r->title);
        jw_kstr(&w, "severity", severity_name((enum severity)r->severity));
        jw_kstr(&w, "default_severity", severity_name((enum severity)r->default_severity));
        jw_kstr(&w, "scope", scope_name((enum scope)r->scope));
        jw_kbool(&w, "enabled", r->enabled);
        jw_kstr(&w, "file", r->file);
        jw_kint(&w, "line", r->loc.line);
        jw_key(&w, "references");
        jw_arr_begin(&w);
        for (uint32_t j = 0; j < r->nrefs; j++)
            jw_str(&w, r->refs[j]);
        jw_arr_end(&w);
        jw_obj_end(&w);
    }
    jw_arr_end(&w);
    jw_end(&w);
}

static void indent_block(const char *label, const char *text)
{
    if (!text)
        return;
    printf("%s:\n", label);
    const char *p = text;
    while (*p) {
        size_t l = strcspn(p, "\n");
        printf("  %.*s\n", (int)l, p);
        p += l;
        if (*p == '\n')
            p++;
    }
}

static void explain(const struct rule *r)
{
    printf("%s: %s\n\n", r->id, r->title);
    printf("severity: %s%s\n", severity_name((enum severity)r->severity),
           r->severity != r->default_severity ? " (changed by the project config)" : "");
    printf("scope:    %s\n", scope_name((enum scope)r->scope));
    printf("enabled:  %s\n", r->enabled ? "yes" : "no (disabled by the project config)");
    printf("defined:  %s:%u\n", r->file, r->loc.line);
    if (r->check)
        printf("check:    builtin '%s'\n", r->check);
    if (r->when_src)
        printf("when:     %s\n", r->when_src);
    if (r->at_src)
        printf("at:       %s\n", r->at_src);
    if (r->nreplaces) {
        printf("replaces:");
        for (uint32_t i = 0; i < r->nreplaces; i++)
            printf("%s %s", i ? "," : "", r->replaces[i]);
        printf(" (merged into this rule's finding at the same line)\n");
    }
    if (r->nsupersedes) {
        printf("supersedes:");
        for (uint32_t i = 0; i < r->nsupersedes; i++)
            printf("%s %s", i ? "," : "", r->supersedes[i]);
        printf(" (merged into this rule's finding on the same object)\n");
    }
    putchar('\n');
    indent_block("message", r->message_src);
    indent_block("fix", r->fix_src);
    if (r->nfix_set) {
        /* what `rules test` applies to each failing example */
        printf("fix_set:");
        for (uint32_t i = 0; i < r->nfix_set; i++) {
            if (r->fix_set[i].value_src)
                printf("%s %s=%s", i ? "," : "", r->fix_set[i].key, r->fix_set[i].value_src);
            else
                printf("%s remove %s", i ? "," : "", r->fix_set[i].key);
        }
        putchar('\n');
    }
    indent_block("fix_manual", r->fix_manual);
    indent_block("rationale", r->rationale);
    if (r->nrefs) {
        puts("references:");
        for (uint32_t i = 0; i < r->nrefs; i++)
            printf("  - %s\n", r->refs[i]);
    }
    uint32_t nf = 0, np = 0;
    for (uint32_t i = 0; i < r->nexamples; i++)
        r->examples[i].expect_fire ? nf++ : np++;
    printf("examples: %u that fire, %u that pass (kafkaudit rules test)\n", nf, np);
}

/* `rules explain ID...` (ops[1..nops)): each rule explained, or "no rule"
 * with the nearest id; EXIT_OK or EXIT_USAGE. */
static int explain_ids(const struct rule_set *rs, const char *const *ops, int nops,
                       const struct command *self)
{
    int rc = EXIT_OK;
    if (nops < 2)
        rc = usage_error(self, "explain needs a rule id");
    for (int i = 1; i < nops; i++) {
        const struct rule *r = rule_set_find(rs, ops[i]);
        if (!r) {
            const char *s = rule_set_suggest(rs, ops[i]);
            if (s)
                fprintf(stderr, "kafkaudit: rules: no rule '%s'; did you mean '%s'?\n", ops[i], s);
            else
                fprintf(stderr, "kafkaudit: rules: no rule '%s' (see 'kafkaudit rules list')\n",
                        ops[i]);
            rc = EXIT_USAGE;
            continue;
        }
        if (i > 1)
            puts("");
        explain(r);
    }
    return rc;
}

/* `rules test`: every rule's own examples run; EXIT_FINDINGS when one
 * fails, else EXIT_OK. */
static int test_rules(struct rule_set *rs, bool ecolor)
{
    int rc = EXIT_OK;
    struct diag_list td;
    diag_list_init(&td);
    uint32_t nex = 0, nfail = 0, nrules_failed = 0, nnofix = 0;
    for (uint32_t i = 0; i < rs->n; i++) {
        uint32_t n;
        uint32_t f = rule_test(rs, rs->rules[i], &td, &n);
        bool fix_ok = rule_test_fix(rs, rs->rules[i], &td);
        nex += n;
        nfail += f;
        nrules_failed += f > 0 || !fix_ok;
        nnofix += !fix_ok;
        if (!n)
            printf("warn %s: no examples\n", rs->rules[i]->id);
        else if (f)
            printf("FAIL %s: %u of %u %s\n", rs->rules[i]->id, f, n,
                   n == 1 ? "example" : "examples");
        else if (fix_ok)
            printf("ok   %s (%u %s)\n", rs->rules[i]->id, n, n == 1 ? "example" : "examples");
        if (!fix_ok)
            printf("FAIL %s: its fix (fix_set or fix_manual, see above)\n", rs->rules[i]->id);
    }
    render_diags_text(stderr, &rs->sources, &td, ecolor, NULL);
#define PL(n, one, many) (n), (n) == 1 ? (one) : (many)
    printf("%u %s, %u %s, %u failing %s in %u %s", PL(rs->n, "rule", "rules"),
           PL(nex, "example", "examples"), PL(nfail, "example", "examples"),
           PL(nrules_failed, "rule", "rules"));
#undef PL
    if (nnofix)
        printf(", %u %s without a tested fix", nnofix, nnofix == 1 ? "rule" : "rules");
    putchar('\n');
    if (nfail || nnofix)
        rc = EXIT_FINDINGS;
    diag_list_release(&td);
    return rc;
}

static int run(int argc, char **argv, const struct command *self)
{
    struct optparse p;
    optparse_init(&p, argc, argv, self);
    const char *dirs[64];
    int nd = 0, id;
    bool builtin = true, all = false, json = false, no_config = false;
    const char *config = NULL, *arg;
    const char *ops[64];
    int nops = 0;
    enum color_mode color = COLOR_AUTO;
    while ((id = opt_next(&p, &arg)) != OPT_END) {
        switch (id) {
        case OPT_ERROR: return EXIT_USAGE;
        case OPT_POSITIONAL:
            if (nops < 64)
                ops[nops++] = arg;
            break;
        case O_JSON: json = true; break;
        case O_FORMAT:
            if (strcmp(arg, "json") == 0)
                json = true;
            else if (strcmp(arg, "text") != 0)
                return usage_error(self, "--format expects text or json");
            break;
        case O_RULES:
            if (nd < 64)
                dirs[nd++] = arg;
            break;
        case O_NO_BUILTIN: builtin = false; break;
        case O_CONFIG: config = arg; break;
        case O_NO_CONFIG: no_config = true; break;
        case O_ALL: all = true; break;
        case O_COLOR:
            if (color_parse(arg, &color))
                return usage_error(self, "--color expects auto, always or never%s",
                                   did_you_mean(arg, color_names));
            break;
        case O_NO_COLOR: color = COLOR_NEVER; break;
        }
    }
    if (!nops)
        return usage_error(self, "expected 'list', 'explain ID' or 'test [DIR...]'");
    const char *sub = ops[0];
    bool ecolor = want_color(color, stderr);

    if (strcmp(sub, "test") == 0 && nops > 1) {
        /* test the given directories only */
        builtin = false;
        for (int i = 1; i < nops && nd < 64; i++)
            dirs[nd++] = ops[i];
    } else if (strcmp(sub, "list") && strcmp(sub, "explain") && strcmp(sub, "test")) {
        static const char *const subs[] = {"list", "explain", "test", NULL};
        return usage_error(self, "unknown subcommand '%s' (list, explain, test)%s", sub,
                           did_you_mean(sub, subs));
    }

    struct project_config pc;
    project_config_init(&pc);
    if (!config && !no_config)
        config = project_config_find();
    if (config)
        project_config_load(&pc, config);
    for (uint32_t i = 0; i < pc.nrule_dirs && nd < 64; i++)
        dirs[nd++] = pc.rule_dirs[i];
    struct rule_set rs;
    rule_set_init(&rs);
    load_rule_set(&rs, dirs, nd, builtin);
    project_config_apply(&pc, &rs);
    render_diags_text(stderr, &pc.sources, &pc.diags, ecolor, NULL);
    render_diags_text(stderr, &rs.sources, &rs.diags, ecolor, NULL);
    int rc = EXIT_OK;
    bool load_errors = rs.diags.nerrors || pc.diags.nerrors;

    if (strcmp(sub, "list") == 0) {
        qsort(rs.rules, rs.n, sizeof *rs.rules, cmp_rule);
        json ? list_json(&rs, all) : list_text(&rs, all);
    } else if (strcmp(sub, "explain") == 0) {
        rc = explain_ids(&rs, ops, nops, self);
    } else {
        rc = test_rules(&rs, ecolor);
    }
    if (load_errors && rc == EXIT_OK)
        rc = EXIT_INPUT;
    rule_set_release(&rs);
    project_config_release(&pc);
    return rc;
}

const struct command cmd_rules = {
    .name = "rules",
    .summary = "list, explain and test the rule set",
    .synopsis = "[OPTIONS] list | explain ID... | test [DIR...]",
    .opts = rules_opts,
    .run = run,
    .exit_status = "Exit status: 0 ok, 1 (test) an example failed, 2 usage error, 3 a rule\n"
                   "file is invalid.",
    .operands = "list|explain:rule|test:dir",
    .description = "list     the rules (shipped, --rules directories, project config)\n"
                   "explain  a rule's condition, rationale, fix and references\n"
                   "test     run every rule's own examples (the given directories only, if any);\n"
                   "         exit status 1 when an example fails",
};
