/*
 * main.c - dispatch to subcommands.  See cli.h for how to add one.
 */
#include "cli/cli.h"
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
    &cmd_lint,
    &cmd_check,
    &cmd_snapshot,
    &cmd_isr,
    &cmd_lag,
    &cmd_top,
    &cmd_effective,
    &cmd_rules,
    NULL,
};

static bool is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *builtin_rules_dir(void)
{
    static char buf[PATH_MAX + 64];
    const char *env = getenv("KAFKAUDIT_RULES_DIR");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(buf, sizeof buf, "%s/../share/kafkaudit/rules", exe);
            if (is_dir(buf))
                return buf;
        }
    }
#ifdef KAFKAUDIT_DATADIR
    if (is_dir(KAFKAUDIT_DATADIR "/rules"))
        return KAFKAUDIT_DATADIR "/rules";
#endif
#ifdef KAFKAUDIT_SOURCE_RULES_DIR
    if (is_dir(KAFKAUDIT_SOURCE_RULES_DIR))
        return KAFKAUDIT_SOURCE_RULES_DIR;
#endif
    return NULL;
}

static void main_usage(FILE *out)
{
    fputs("usage: kafkaudit [--version] [--help] <command> [<args>]\n\n"
          "Find the ways a Kafka deployment can lose acknowledged messages.\n\n"
          "Commands:\n",
          out);
    for (int i = 0; commands[i]; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\nRun 'kafkaudit <command> --help' for a command's options; see kafkaudit(1),\n"
          "kafkaudit-rules(5) and kafkaudit-manifest(5).\n",
          out);
}

int main(int argc, char **argv)
{
    catalog_init();
    if (argc < 2) {
        main_usage(stderr);
        return EXIT_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "help") == 0) {
        if (argc > 2 && strcmp(a, "help") == 0) {
            for (int i = 0; commands[i]; i++)
                if (strcmp(commands[i]->name, argv[2]) == 0) {
                    cmd_usage(stdout, commands[i]);
                    return EXIT_OK;
                }
            fprintf(stderr, "kafkaudit: '%s' is not a kafkaudit command\n", argv[2]);
            return EXIT_USAGE;
        }
        main_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0 || strcmp(a, "version") == 0) {
        printf("kafkaudit %s\n", kafkaudit_version);
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
    fprintf(stderr, "kafkaudit: '%s' is not a kafkaudit command. See 'kafkaudit --help'.\n", a);
    return EXIT_USAGE;
}
