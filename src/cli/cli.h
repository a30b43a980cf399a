/*
 * cli.h - the kafkaudit command line.
 *
 * Adding a subcommand: see CONTRIBUTING.md, "A command".
 *
 * Only main() exits.  Commands return an exit status (enum exit_status).
 */
#ifndef KA_CLI_H
#define KA_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum exit_status {
    EXIT_OK = 0,       /* nothing at or above --fail-on */
    EXIT_FINDINGS = 1, /* findings at or above --fail-on (isr --without-broker: at risk) */
    EXIT_USAGE = 2,    /* bad command line */
    EXIT_INPUT = 3,    /* unreadable or invalid input files, rules or config */
    EXIT_CLUSTER = 4,  /* cluster unreachable or audit incomplete */
    EXIT_INTERRUPTED = 130,
};

enum opt_flags {
    OPT_HIDDEN = 1, /* not in --help or completions */
    OPT_REPEAT = 2, /* may be given several times */
};

struct opt {
    const char *lng;
    char shrt;
    const char *argname; /* NULL: flag without argument */
    int id;
    unsigned flags;
    const char *complete; /* completion of the argument: "file", "dir",
                             "format", "severity", "dialect", "rule",
                             "color", "shell", "view", or "a|b|c" */
    const char *help;
};

struct command {
    const char *name;
    const char *summary;
    const char *synopsis;   /* after "kafkaudit <name> " */
    const struct opt *opts; /* terminated by {NULL} */
    int (*run)(int argc, char **argv, const struct command *self);
    const char *description; /* paragraph for --help */
    const char *operands;    /* completion of operands: "file", or "a|b|c" words */
    const char *exit_status; /* --help's "Exit status: ..." when not lint's */
};

extern const struct command *const commands[];
/* kafkaudit's own options, before any command (--help, --version, ...) */
extern const struct opt main_opts[];

/* Option parsing: call opt_next until it returns OPT_END.  Returns the
 * option id, OPT_POSITIONAL (arg = the operand), OPT_END, or OPT_ERROR
 * (message already printed). */
enum { OPT_END = -1, OPT_ERROR = -2, OPT_POSITIONAL = -3 };
struct optparse {
    int argc;
    char **argv;
    int i;
    int sub; /* position inside bundled short options */
    bool only_positional;
    const struct command *cmd;
};
void optparse_init(struct optparse *p, int argc, char **argv, const struct command *cmd);
int opt_next(struct optparse *p, const char **arg);

void cmd_usage(FILE *out, const struct command *c); /* full --help */
/* One option's line of --help: LEFT ("-f, --format FORMAT") and its help,
 * wrapped at 79 columns. */
void print_opt_help(FILE *out, const char *left, const char *help);
/* o's help, its "{words}" replaced by the words its value completes
 * to ("manifest, properties, ..."): lists kept in step with their tables.
 * Valid until the next call. */
const char *opt_help(const struct opt *o);
/* The words an option value of this kind completes to, space-separated,
 * or NULL (file, dir, rule ... complete otherwise). */
const char *completion_words(const char *kind);
/* The same words as a list for messages ("manifest, properties, ..."),
 * valid until the next call. */
const char *completion_list(const char *kind);
int usage_error(const struct command *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "; did you mean 'json'?" when word is near one of list (NULL-terminated),
 * else "" (util/strutil.h's nearest-match search).  _kind: the words of a
 * completion kind ("format", "severity", "dialect"). */
const char *did_you_mean(const char *word, const char *const *list);
const char *did_you_mean_kind(const char *word, const char *kind);
/* The kinds of effective --object KIND:NAME (completion kind "object"). */
extern const char *const object_kinds[];
/* The same for an unknown option ("--formt") among opts. */
const char *option_did_you_mean(const struct opt *opts, const char *arg);

/* Colour on stdout/stderr: --color=auto|always|never, NO_COLOR, isatty. */
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
bool want_color(enum color_mode m, FILE *f);
int color_parse(const char *s, enum color_mode *out);
extern const char *const color_names[]; /* auto, always, never; NULL-terminated */

/* Consumer group states (Kafka's ConsumerGroupState, with KIP-848's
 * Assigning and Reconciling), as `lag --state` takes them; NULL-terminated. */
extern const char *const group_states[];

/* Version string ("0.1.0"). */
extern const char kafkaudit_version[];

/* Print completion scripts generated from the command tables. */
int print_completion(const char *shell);

/* Where the shipped rules are: $KAFKAUDIT_RULES_DIR, next to the
 * installed binary (../share/kafkaudit/rules), the configured install
 * datadir, or the source tree the binary was built from. */
const char *builtin_rules_dir(void);

/* path itself, or for a relative "examples/..." path that does not exist
 * here, the same file in the shipped examples (into buf) if it is there: the
 * man page's and hints' example commands work from any directory. */
const char *example_path(const char *path, char *buf, size_t n);
/* The same for a command's operand (the string lives until exit). */
const char *example_operand(const char *path);

#endif
