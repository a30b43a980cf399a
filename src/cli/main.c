/*
 * main.c - dispatch to subcommands.  See cli.h for how to add one.
 */
#include "cli/audit.h"
#include "cli/connect.h"
#include "cli/cli.h"
#include "live/live.h"
#include "model/catalog.h"

#include <errno.h>
#include <limits.h>
#ifdef __GLIBC__
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KAFKAUDIT_VERSION
#define KAFKAUDIT_VERSION "0.0.0-dev"
#endif
const char kafkaudit_version[] = KAFKAUDIT_VERSION;

extern const struct command cmd_lint, cmd_effective, cmd_rules;
extern const struct command cmd_check, cmd_snapshot, cmd_isr, cmd_lag;
extern const struct command cmd_top;

const struct command *const commands[] = {
    &cmd_lint, &cmd_check,     &cmd_snapshot, &cmd_isr, &cmd_lag,
    &cmd_top,  &cmd_effective, &cmd_rules,    NULL,
};

static bool is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* share/kafkaudit/SUB of this installation: beside the executable
 * (bin/../share, resolved, wherever the tree was installed or moved), else
 * under the configured data directory, else source_dir (a build tree's
 * binary uses the sources').  NULL if none exists. */
static const char *data_dir(const char *sub, const char *source_dir, char *buf)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char rel[PATH_MAX + 64];
            snprintf(rel, sizeof rel, "%s/../share/kafkaudit/%s", exe, sub);
            if (is_dir(rel) && realpath(rel, buf))
                return buf;
        }
    }
#ifdef KAFKAUDIT_DATADIR
    char inst[PATH_MAX + 64];
    snprintf(inst, sizeof inst, "%s/%s", KAFKAUDIT_DATADIR, sub);
    if (is_dir(inst) && realpath(inst, buf))
        return buf;
#endif
    return is_dir(source_dir) ? source_dir : NULL;
}

const char *builtin_rules_dir(void)
{
    static char buf[PATH_MAX];
    const char *env = getenv("KAFKAUDIT_RULES_DIR");
    if (env && *env)
        return env;
#ifdef KAFKAUDIT_SOURCE_RULES_DIR
    return data_dir("rules", KAFKAUDIT_SOURCE_RULES_DIR, buf);
#else
    return data_dir("rules", NULL, buf);
#endif
}

enum {
    MO_HELP = 1,
    MO_VERSION,
    MO_COMPLETION,
    MO_LIST_COMMANDS,
    MO_LIST_RULE_IDS,
    MO_LIST_CLUSTERS,
};

const struct opt main_opts[] = {
    {"help", 'h', NULL, MO_HELP, 0, NULL, "show this help ('--help COMMAND': a command's)"},
    {"version", 'V', NULL, MO_VERSION, 0, NULL,
     "show the version, librdkafka's version and the build's features"},
    {"completion", 0, "SHELL", MO_COMPLETION, 0, "shell",
     "print the completion script for SHELL: bash, zsh or fish"},
    {"list-commands", 0, NULL, MO_LIST_COMMANDS, OPT_HIDDEN, NULL, "the command names"},
    {"list-rule-ids", 0, NULL, MO_LIST_RULE_IDS, OPT_HIDDEN, NULL,
     "the rule ids (shipped rules and the project config's), for completions"},
    {"list-clusters", 0, NULL, MO_LIST_CLUSTERS, OPT_HIDDEN, NULL,
     "the names in the clusters file, for completions"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

/* The shipped examples (manifests, recordings): installed next to the
 * binary (../share/kafkaudit/examples), in the install datadir, or in the
 * source tree; NULL if none. */
static const char *examples_dir(void)
{
    static char buf[PATH_MAX];
#ifdef KAFKAUDIT_SOURCE_EXAMPLES_DIR
    return data_dir("examples", KAFKAUDIT_SOURCE_EXAMPLES_DIR, buf);
#else
    return data_dir("examples", NULL, buf);
#endif
}

const char *example_path(const char *path, char *buf, size_t n)
{
    struct stat st;
    if (!path || path[0] == '/' || strncmp(path, "examples/", 9) != 0 || stat(path, &st) == 0)
        return path;
    const char *d = examples_dir();
    if (!d)
        return path;
    snprintf(buf, n, "%s/%s", d, path + 9);
    return stat(buf, &st) == 0 ? buf : path;
}

const char *example_operand(const char *path)
{
    static char *kept[64]; /* reachable until exit */
    static int nkept;
    char buf[PATH_MAX + 64];
    const char *p = example_path(path, buf, sizeof buf);
    if (p == path || nkept == 64)
        return path;
    kept[nkept] = strdup(p);
    return kept[nkept] ? kept[nkept++] : path;
}

static void main_usage(FILE *out)
{
    fputs("usage: kafkaudit [--version] [--help] [--completion=SHELL] <command> [<args>]\n\n"
          "Find the ways a Kafka deployment can lose acknowledged messages.\n\n"
          "Commands:\n",
          out);
    for (int i = 0; commands[i]; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\nOptions:\n", out);
    for (const struct opt *o = main_opts; o->lng; o++) {
        if (o->flags & OPT_HIDDEN)
            continue;
        char left[64];
        if (o->shrt)
            snprintf(left, sizeof left, "-%c, --%s", o->shrt, o->lng);
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->lng, o->argname ? "=" : "",
                     o->argname ? o->argname : "");
        print_opt_help(out, left, opt_help(o));
    }
    fputs("\nRun 'kafkaudit <command> --help' for a command's options; see kafkaudit(1),\n"
          "kafkaudit-rules(5), kafkaudit-manifest(5) and kafkaudit-clusters(5).\n",
          out);
}

/* kafkaudit's version, and the librdkafka the live commands load, as
 * 'kcat -V' shows it */
static int print_version(void)
{
    char ver[512], feat[1024];
    printf("kafkaudit %s\n", kafkaudit_version);
    if (live_library_info(ver, sizeof ver, feat, sizeof feat) == 0)
        printf("librdkafka %s (builtin.features: %s)\n", ver, feat[0] ? feat : "?");
    else
        printf("librdkafka: not loaded (%s); the live commands need it\n", ver);
    return EXIT_OK;
}

/* git's way: "kafkaudit lnt" -> did you mean lint? */
static int unknown_command(const char *name)
{
    const char *names[64];
    int n = 0;
    for (int i = 0; commands[i] && n < 62; i++)
        names[n++] = commands[i]->name;
    names[n++] = "help";
    names[n] = NULL;
    fprintf(stderr, "kafkaudit: '%s' is not a kafkaudit command%s\nSee 'kafkaudit --help'.\n", name,
            did_you_mean(name, names));
    return EXIT_USAGE;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* For completions: the ids of the rules `rules explain` would find. */
static int list_rule_ids(void)
{
    struct project_config pc;
    project_config_init(&pc);
    const char *cfg = project_config_find();
    if (cfg)
        project_config_load(&pc, cfg);
    struct rule_set rs;
    rule_set_init(&rs);
    load_rule_set(&rs, pc.rule_dirs, (int)pc.nrule_dirs, true);
    const char **ids = calloc(rs.n + 1, sizeof *ids);
    for (uint32_t i = 0; ids && i < rs.n; i++)
        ids[i] = rs.rules[i]->id;
    if (ids)
        qsort(ids, rs.n, sizeof *ids, cmp_str);
    for (uint32_t i = 0; ids && i < rs.n; i++)
        puts(ids[i]);
    free(ids);
    rule_set_release(&rs);
    project_config_release(&pc);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    /* the ListGroups helper of a live command (src/live/live_listgroups.c) */
    if (getenv("KAFKAUDIT_LISTGROUPS_HELPER")) {
        int rc = live_helper_main(stdin, stdout);
        fflush(stdout);
        _exit(rc);
    }
    catalog_init();
    if (argc < 2) {
        main_usage(stderr);
        return EXIT_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "help") == 0) {
        if (argc > 2) { /* "help lint", "--help lint", "-h lint" */
            for (int i = 0; commands[i]; i++)
                if (strcmp(commands[i]->name, argv[2]) == 0) {
                    cmd_usage(stdout, commands[i]);
                    return EXIT_OK;
                }
            return unknown_command(argv[2]);
        }
        main_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0 || strcmp(a, "version") == 0) {
        return print_version();
    }
    if (strcmp(a, "--list-rule-ids") == 0)
        return list_rule_ids();
    if (strcmp(a, "--list-clusters") == 0) {
        clusters_list(argc > 2 ? argv[2] : NULL);
        return EXIT_OK;
    }
    if (strcmp(a, "--list-commands") == 0) {
        for (int i = 0; commands[i]; i++)
            puts(commands[i]->name);
        return EXIT_OK;
    }
    if (strncmp(a, "--completion", 12) == 0) {
        const char *shell = a[12] == '=' ? a + 13 : argc > 2 ? argv[2] : "";
        return print_completion(shell);
    }
    for (int i = 0; commands[i]; i++) {
        if (strcmp(commands[i]->name, a) != 0)
            continue;
        for (int j = 2; j < argc; j++) {
            if (strcmp(argv[j], "--") == 0)
                break;
            if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
                cmd_usage(stdout, commands[i]);
                return EXIT_OK;
            }
        }
        return commands[i]->run(argc - 1, argv + 1, commands[i]);
    }
    if (a[0] == '-') {
        fprintf(stderr, "kafkaudit: unknown option '%s'%s\nSee 'kafkaudit --help'.\n", a,
                option_did_you_mean(main_opts, a));
        return EXIT_USAGE;
    }
    return unknown_command(a);
}
