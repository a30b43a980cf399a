/*
 * completion.c - bash, zsh and fish completion scripts generated from the
 * command and option tables (and the format, severity, dialect, colour and
 * group-state tables the options are parsed with), so they cannot drift
 * from the CLI.  The generated scripts are committed under completions/;
 * the test suite regenerates them and fails if they differ, and runs them
 * in the real shells (tests/cli/test_completion.sh).
 *
 * Kinds of values (struct opt.complete, struct command.operands):
 *   file, dir        file and directory names
 *   rule             rule ids, asked at completion time from
 *                    'kafkaudit --list-rule-ids' (the installed rules)
 *   format=file      FORMAT=FILE: a format and '=', then a file name
 *   format, severity, dialect, color, shell, state   the tables' words
 *   object           effective --object's kinds (topic:, broker:, ...)
 *   a|b|c            these words
 * An operand spec "list|explain:rule|test:dir" completes the first operand
 * from the words, and the ones after it as the kind after the word's ':'.
 */
#include "cli/cli.h"
#include "input/input.h"
#include "rules/finding.h"
#include "report/render.h"
#include "tui/ui.h"

#include <string.h>

static const char *const shells[] = {"bash", "zsh", "fish", NULL};
const char *const object_kinds[] = {"cluster",  "broker",   "controller", "topic",
                                    "producer", "consumer", NULL};

/* The words a kind completes to, space-separated, or NULL for the kinds
 * completed otherwise (file, dir, rule, format=file) or not at all. */
static const char *words_for(const char *kind)
{
    static char buf[1024];
    size_t n = 0;
    buf[0] = '\0';
#define ADD(w) (n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? " " : "", (w)))
    if (!kind)
        return NULL;
    if (strcmp(kind, "format") == 0)
        for (int i = 0; out_formats[i]; i++)
            ADD(out_formats[i]->name);
    else if (strcmp(kind, "severity") == 0)
        for (int s = SEV_ERROR; s >= SEV_INFO; s--)
            ADD(severity_name((enum severity)s));
    else if (strcmp(kind, "dialect") == 0)
        for (int d = DL_AUTO + 1; d < DL__COUNT; d++)
            ADD(dialect_name((enum dialect)d));
    else if (strcmp(kind, "view") == 0) /* the top-level views, in tab order */
        for (int v = 0; v < V__TOP; v++)
            ADD(view_name(v));
    else if (strcmp(kind, "color") == 0)
        for (int i = 0; color_names[i]; i++)
            ADD(color_names[i]);
    else if (strcmp(kind, "shell") == 0)
        for (int i = 0; shells[i]; i++)
            ADD(shells[i]);
    else if (strcmp(kind, "state") == 0)
        for (int i = 0; group_states[i]; i++)
            ADD(group_states[i]);
    else if (strcmp(kind, "object") == 0) /* KIND:NAME: the kind and its colon */
        for (int i = 0; object_kinds[i]; i++) {
            ADD(object_kinds[i]);
            if (strcmp(object_kinds[i], "cluster") != 0)
                n += (size_t)snprintf(buf + n, sizeof buf - n, ":");
        }
    else if (strchr(kind, '|') && !strchr(kind, ':'))
        for (const char *p = kind; *p; p++)
            buf[n++] = *p == '|' ? ' ' : *p, buf[n] = '\0';
    else
        return NULL;
#undef ADD
    return buf;
}

const char *completion_words(const char *kind) { return words_for(kind); }

const char *completion_list(const char *kind)
{
    static char buf[1100];
    const char *w = words_for(kind);
    size_t n = 0;
    for (; w && *w && n + 3 < sizeof buf; w++) {
        if (*w == ' ')
            buf[n++] = ',';
        buf[n++] = *w;
    }
    buf[n] = '\0';
    return buf;
}

static bool is(const char *kind, const char *k) { return kind && strcmp(kind, k) == 0; }

/* Operand specs: words with an optional ":kind" for what follows them. */
struct opspec {
    int n;
    char word[8][32];
    char follow[8][32];
};

static bool opspec_parse(const char *s, struct opspec *sp)
{
    memset(sp, 0, sizeof *sp);
    if (!s || !strchr(s, '|'))
        return false;
    while (*s && sp->n < 8) {
        size_t l = strcspn(s, "|");
        size_t c = strcspn(s, ":|");
        snprintf(sp->word[sp->n], sizeof sp->word[0], "%.*s", (int)c, s);
        if (c < l)
            snprintf(sp->follow[sp->n], sizeof sp->follow[0], "%.*s", (int)(l - c - 1), s + c + 1);
        sp->n++;
        s += l;
        if (*s == '|')
            s++;
    }
    return true;
}

static void put_words(const struct opspec *sp)
{
    for (int i = 0; i < sp->n; i++)
        printf("%s%s", i ? " " : "", sp->word[i]);
}

/* ---- bash ------------------------------------------------------------ */

/* The kind as the bash helper takes it: a special kind's name, or words. */
static const char *bash_kind(const char *kind)
{
    const char *w = words_for(kind);
    if (w)
        return w;
    if (is(kind, "file") || is(kind, "dir") || is(kind, "rule") || is(kind, "format=file") ||
        is(kind, "cluster"))
        return kind;
    return "";
}

/* bash: _kafkaudit_values, the COMPREPLY for a value of a kind. */
static void bash_values_fn(void)
{
    puts("# _kafkaudit_values KIND CUR [PREFIX]: COMPREPLY for a value of KIND");
    puts("_kafkaudit_values() {");
    puts("    local kind=$1 cur=$2 pre=${3-} f");
    puts("    COMPREPLY=()");
    puts("    case $kind in");
    puts("    '') return ;;");
    puts("    file | dir)");
    puts("        compopt -o filenames 2>/dev/null");
    puts("        if [[ $kind == dir ]]; then f=-d; else f=-f; fi");
    puts("        mapfile -t COMPREPLY < <(compgen $f -- \"$cur\")");
    puts("        ;;");
    puts("    rule)");
    puts("        mapfile -t COMPREPLY < <(compgen -W \"$(\"${COMP_WORDS[0]}\" --list-rule-ids "
         "2>/dev/null)\" -- \"$cur\")");
    puts("        ;;");
    puts("    cluster)");
    puts("        mapfile -t COMPREPLY < <(compgen -W \"$(\"${COMP_WORDS[0]}\" --list-clusters "
         "2>/dev/null)\" -- \"$cur\")");
    puts("        ;;");
    puts("    format=file)");
    puts("        if [[ $cur == *=* ]]; then");
    puts("            compopt -o filenames 2>/dev/null");
    puts("            mapfile -t COMPREPLY < <(compgen -f -- \"${cur#*=}\")");
    puts("            pre=$pre${cur%%=*}=");
    puts("        else");
    fputs("            mapfile -t COMPREPLY < <(compgen -S = -W \"", stdout);
    fputs(words_for("format"), stdout);
    puts("\" -- \"$cur\")");
    puts("            compopt -o nospace 2>/dev/null");
    puts("        fi");
    puts("        ;;");
    puts("    *) mapfile -t COMPREPLY < <(compgen -W \"$kind\" -- \"$cur\") ;;");
    puts("    esac");
    puts("    [[ -n $pre ]] && COMPREPLY=(\"${COMPREPLY[@]/#/$pre}\")");
    puts("    return 0");
    puts("}");
    puts("");
}

/* bash: _kafkaudit_opt_CMD per command, the kind of an option's value
 * (status 1 for flags). */
static void bash_opt_fns(void)
{
    for (int i = 0; commands[i]; i++) {
        const struct command *c = commands[i];
        printf("_kafkaudit_opt_%s() {\n    case $1 in\n", c->name);
        for (const struct opt *o = c->opts; o->lng; o++) {
            if (!o->argname)
                continue;
            printf("    --%s", o->lng);
            if (o->shrt)
                printf(" | -%c", o->shrt);
            printf(") REPLY='%s' ;;\n", bash_kind(o->complete));
        }
        puts("    *) return 1 ;;\n    esac\n}");
    }
}

/* bash: command c's case in _kafkaudit: its options' values, its options,
 * its operands. */
static void bash_command_case(const struct command *c)
{
    printf("    %s)\n", c->name);
    printf("        for ((i = cmdi + 1; i < cword; i++)); do\n"
           "            w=${words[i]}\n"
           "            if [[ -n $skip ]]; then skip=; continue; fi\n"
           "            case $w in\n"
           "            --) ops+=(\"${words[@]:i+1:cword-i-1}\"); break ;;\n"
           "            --*=* | -) ;;\n"
           "            -*) _kafkaudit_opt_%s \"$w\" && skip=1 ;;\n"
           "            *) ops+=(\"$w\") ;;\n"
           "            esac\n"
           "        done\n",
           c->name);
    printf("        if [[ -n $skip ]]; then\n"
           "            _kafkaudit_opt_%s \"${words[cword - 1]}\"\n"
           "            _kafkaudit_values \"$REPLY\" \"$cur\"\n"
           "        elif [[ $cur == --*=* ]]; then\n"
           "            _kafkaudit_opt_%s \"${cur%%%%=*}\" &&\n"
           "                _kafkaudit_values \"$REPLY\" \"${cur#*=}\" \"${cur%%%%=*}=\"\n"
           "        elif [[ $cur == -* ]]; then\n"
           "            _kafkaudit_values \"",
           c->name, c->name);
    for (const struct opt *o = c->opts; o->lng; o++)
        if (!(o->flags & OPT_HIDDEN)) {
            printf("--%s ", o->lng);
            if (o->shrt)
                printf("-%c ", o->shrt);
        }
    puts("--help -h\" \"$cur\"");
    struct opspec sp;
    if (opspec_parse(c->operands, &sp)) {
        fputs("        elif ((${#ops[@]} == 0)); then\n            _kafkaudit_values \"", stdout);
        put_words(&sp);
        puts("\" \"$cur\"");
        puts("        else");
        puts("            case ${ops[0]} in");
        for (int k = 0; k < sp.n; k++)
            if (sp.follow[k][0])
                printf("            %s) _kafkaudit_values '%s' \"$cur\" ;;\n", sp.word[k],
                       bash_kind(sp.follow[k]));
        puts("            esac");
    } else if (c->operands) {
        printf("        else\n            _kafkaudit_values '%s' \"$cur\"\n",
               bash_kind(c->operands));
    }
    puts("        fi\n        ;;");
}

static void bash(void)
{
    puts("# bash completion for kafkaudit");
    puts("# generated by 'kafkaudit --completion=bash'; do not edit");
    puts("");
    bash_values_fn();
    bash_opt_fns();
    puts("");
    puts("_kafkaudit() {");
    puts("    local i w cmd= cmdi=0 skip= cword=0 REPLY");
    puts("    local -a words=() ops=()");
    puts("    # readline splits --format=json and sarif=out.sarif at '=' (COMP_WORDBREAKS):");
    puts("    # join the words back as the command will see them");
    puts("    for ((i = 0; i < ${#COMP_WORDS[@]} && i <= COMP_CWORD; i++)); do");
    puts("        w=${COMP_WORDS[i]}");
    puts("        if ((i > 1)) && [[ $w == = || ${COMP_WORDS[i - 1]} == = ]]; then");
    puts("            words[${#words[@]} - 1]+=$w");
    puts("        else");
    puts("            words+=(\"$w\")");
    puts("        fi");
    puts("    done");
    puts("    cword=$((${#words[@]} - 1))");
    puts("    local cur=${words[cword]} raw=${COMP_WORDS[COMP_CWORD]}");
    puts("    [[ $raw == = ]] && raw=");
    puts("    # readline replaces only the part after the last '=': strip the rest");
    puts("    local strip=${cur%\"$raw\"}");
    puts("    for ((i = 1; i < cword; i++)); do");
    puts("        case ${words[i]} in -*) ;; *) cmd=${words[i]}; cmdi=$i; break ;; esac");
    puts("    done");
    puts("    COMPREPLY=()");
    puts("    case $cmd in");
    puts("    '')");
    puts("        case $cur in");
    puts("        --completion=*) _kafkaudit_values \"$(printf '%s ' bash zsh fish)\" "
         "\"${cur#*=}\" --completion= ;;");
    fputs("        -*) _kafkaudit_values \"", stdout);
    for (const struct opt *o = main_opts; o->lng; o++)
        if (!(o->flags & OPT_HIDDEN))
            printf("%s--%s%s", o == main_opts ? "" : " ", o->lng, o->argname ? "=" : "");
    puts("\" \"$cur\"; [[ $COMPREPLY == *= ]] && compopt -o nospace 2>/dev/null ;;");
    fputs("        *) if [[ ${words[cword - 1]} == --completion ]]; then _kafkaudit_values \"",
          stdout);
    fputs(words_for("shell"), stdout);
    fputs("\" \"$cur\"; else _kafkaudit_values \"", stdout);
    for (int i = 0; commands[i]; i++)
        printf("%s ", commands[i]->name);
    puts("help\" \"$cur\"; fi ;;");
    puts("        esac");
    puts("        ;;");
    fputs("    help) ((cword == cmdi + 1)) && _kafkaudit_values \"", stdout);
    for (int i = 0; commands[i]; i++)
        printf("%s%s", i ? " " : "", commands[i]->name);
    puts("\" \"$cur\" ;;");
    for (int i = 0; commands[i]; i++)
        bash_command_case(commands[i]);
    puts("    esac");
    puts("    [[ -n $strip ]] && COMPREPLY=(\"${COMPREPLY[@]#\"$strip\"}\")");
    puts("    return 0");
    puts("}");
    puts("complete -F _kafkaudit kafkaudit");
}

/* ---- zsh ------------------------------------------------------------- */

/* zsh _arguments specs need ':' '[' ']' escaped in descriptions; the
 * spec is in single quotes. */
static void zsh_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '[' || *s == ']' || *s == ':' || *s == '\\')
            putchar('\\');
        if (*s == '\'')
            fputs("'\\''", stdout);
        else
            putchar(*s);
    }
}

static void zsh_action(const char *kind)
{
    const char *w = words_for(kind);
    if (w) {
        /* a word's ':' (topic:) would end the action */
        putchar('(');
        for (; *w; w++)
            printf("%s%c", *w == ':' ? "\\" : "", *w);
        putchar(')');
    } else if (is(kind, "dir"))
        fputs("_files -/", stdout);
    else if (is(kind, "file"))
        fputs("_files", stdout);
    else if (is(kind, "rule"))
        fputs("_kafkaudit_rule_ids", stdout);
    else if (is(kind, "cluster"))
        fputs("_kafkaudit_clusters", stdout);
    else if (is(kind, "format=file"))
        fputs("_kafkaudit_format_file", stdout);
    else
        fputs(" ", stdout);
}

static void zsh_command(const struct command *c)
{
    printf("_kafkaudit_%s() {\n", c->name);
    puts("    local curcontext=$curcontext state state_descr line ret=1");
    puts("    typeset -A opt_args");
    puts("    _arguments -s -S -C \\");
    for (const struct opt *o = c->opts; o->lng; o++) {
        if (o->flags & OPT_HIDDEN)
            continue;
        const char *sfx = o->argname ? "=" : "";
        fputs("        ", stdout);
        if (o->flags & OPT_REPEAT) {
            if (o->shrt)
                printf("'*'{-%c%s,--%s%s}'", o->shrt, o->argname ? "+" : "", o->lng, sfx);
            else
                printf("'*--%s%s", o->lng, sfx);
        } else if (o->shrt) {
            printf("'(-%c --%s)'{-%c%s,--%s%s}'", o->shrt, o->lng, o->shrt, o->argname ? "+" : "",
                   o->lng, sfx);
        } else {
            printf("'--%s%s", o->lng, sfx);
        }
        putchar('[');
        zsh_text(opt_help(o));
        putchar(']');
        if (o->argname) {
            putchar(':');
            zsh_text(o->argname);
            putchar(':');
            zsh_action(o->complete);
        }
        puts("' \\");
    }
    puts("        '(- *)'{-h,--help}'[show this command'\\''s help]' \\");
    struct opspec sp;
    if (opspec_parse(c->operands, &sp)) {
        fputs("        '1:operand:(", stdout);
        put_words(&sp);
        puts(")' \\");
        puts("        '*:: :->rest' && ret=0");
        puts("    if [[ $state == rest ]]; then");
        puts("        case $line[1] in");
        for (int k = 0; k < sp.n; k++)
            if (sp.follow[k][0]) {
                printf("        %s) ", sp.word[k]);
                zsh_action(sp.follow[k]);
                puts(" && ret=0 ;;");
            }
        puts("        esac");
        puts("    fi");
        puts("    return ret");
    } else if (c->operands) {
        fputs("        '*:operand:", stdout);
        zsh_action(c->operands);
        puts("'");
    } else {
        puts("        && ret=0");
        puts("    return ret");
    }
    puts("}");
}

static void zsh(void)
{
    puts("#compdef kafkaudit");
    puts("# zsh completion for kafkaudit");
    puts("# generated by 'kafkaudit --completion=zsh'; do not edit");
    puts("");
    puts("# (_arguments adds compadd options to an action's arguments: ignored)");
    puts("_kafkaudit_rule_ids() {");
    puts("    local -a ids expl");
    puts("    ids=(${(f)\"$(_call_program rules ${(q)_kafkaudit_bin:-kafkaudit} "
         "--list-rule-ids 2>/dev/null)\"})");
    puts("    _wanted rules expl 'rule id' compadd -a ids");
    puts("}");
    puts("");
    puts("_kafkaudit_clusters() {");
    puts("    local -a names expl");
    puts("    names=(${(f)\"$(_call_program clusters ${(q)_kafkaudit_bin:-kafkaudit} "
         "--list-clusters 2>/dev/null)\"})");
    puts("    _wanted clusters expl 'cluster' compadd -a names");
    puts("}");
    puts("");
    puts("# FORMAT=FILE: a format and '=', then the files after the '='");
    puts("_kafkaudit_format_file() {");
    puts("    local -a expl");
    puts("    if compset -P '*='; then");
    puts("        _files");
    puts("    else");
    printf("        _wanted formats expl 'format' compadd -S = -- %s\n", words_for("format"));
    puts("    fi");
    puts("}");
    puts("");
    for (int i = 0; commands[i]; i++)
        zsh_command(commands[i]);
    puts("");
    puts("_kafkaudit() {");
    puts("    local curcontext=$curcontext state state_descr line ret=1");
    puts("    typeset -A opt_args");
    puts("    local _kafkaudit_bin=${~words[1]}");
    puts("    local -a cmds");
    puts("    cmds=(");
    for (int i = 0; commands[i]; i++) {
        printf("        '%s:", commands[i]->name);
        zsh_text(commands[i]->summary);
        puts("'");
    }
    puts("        'help:show the help of kafkaudit or of a command'");
    puts("    )");
    puts("    _arguments -C \\");
    for (const struct opt *o = main_opts; o->lng; o++) {
        if (o->flags & OPT_HIDDEN)
            continue;
        printf("        '(- 1 *)");
        if (o->shrt)
            printf("'{-%c,--%s%s}'", o->shrt, o->lng, o->argname ? "=-" : "");
        else
            printf("--%s%s", o->lng, o->argname ? "=-" : "");
        putchar('[');
        zsh_text(opt_help(o));
        putchar(']');
        if (o->argname) {
            putchar(':');
            zsh_text(o->argname);
            putchar(':');
            zsh_action(o->complete);
        }
        puts("' \\");
    }
    puts("        '1:command:->command' \\");
    puts("        '*:: :->args' && return 0");
    puts("    case $state in");
    puts("    command) _describe -t commands 'kafkaudit command' cmds && ret=0 ;;");
    puts("    args)");
    puts("        curcontext=${curcontext%:*:*}:kafkaudit-$words[1]:");
    puts("        case $words[1] in");
    puts("        help) (( CURRENT == 2 )) && _describe -t commands 'kafkaudit command' cmds "
         "&& ret=0 ;;");
    for (int i = 0; commands[i]; i++)
        printf("        %s) _kafkaudit_%s && ret=0 ;;\n", commands[i]->name, commands[i]->name);
    puts("        esac");
    puts("        ;;");
    puts("    esac");
    puts("    return ret");
    puts("}");
    puts("");
    puts("# autoloaded from $fpath (#compdef), or sourced: source <(kafkaudit --completion=zsh)");
    puts("if [[ $zsh_eval_context[-1] == loadautofunc ]]; then");
    puts("    _kafkaudit \"$@\"");
    puts("else");
    puts("    compdef _kafkaudit kafkaudit");
    puts("fi");
}

/* ---- fish ------------------------------------------------------------ */

static void fish_text(const char *s)
{
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            putchar('\\');
        putchar(*s);
    }
}

/* the arguments of `complete` that complete a value of this kind */
static void fish_action(const char *kind)
{
    const char *w = words_for(kind);
    if (w)
        printf(" -x -a '%s'", w);
    else if (is(kind, "file"))
        fputs(" -r -F", stdout);
    else if (is(kind, "dir"))
        fputs(" -x -a '(__fish_complete_directories)'", stdout);
    else if (is(kind, "rule"))
        fputs(" -x -a '(__kafkaudit_rule_ids)'", stdout);
    else if (is(kind, "cluster"))
        fputs(" -x -a '(__kafkaudit_clusters)'", stdout);
    else if (is(kind, "format=file"))
        fputs(" -x -a '(__kafkaudit_format_file)'", stdout);
    else
        fputs(" -x", stdout);
}

/* fish: __kafkaudit_args, the command then its operands (option values
 * left out). */
static void fish_args_fn(void)
{
    puts("# the command, then its operands (option values left out)");
    puts("function __kafkaudit_args");
    puts("    set -l words (commandline -opc)");
    puts("    set -e words[1]");
    puts("    set -l cmd");
    puts("    set -l skip 0");
    puts("    set -l dashdash 0");
    puts("    for w in $words");
    puts("        if test -z \"$cmd\"");
    puts("            string match -q -- '-*' $w; and continue");
    puts("            set cmd $w");
    puts("            echo $w");
    puts("            continue");
    puts("        end");
    puts("        if test $skip = 1");
    puts("            set skip 0");
    puts("            continue");
    puts("        end");
    puts("        if test $dashdash = 0; and string match -q -- '-?*' $w");
    puts("            test \"$w\" = --; and set dashdash 1; and continue");
    puts("            string match -q -- '--*=*' $w; and continue");
    puts("            switch $cmd");
    for (int i = 0; commands[i]; i++) {
        const struct command *c = commands[i];
        printf(
            "                case %s\n                    switch $w\n                        case",
            c->name);
        int n = 0;
        for (const struct opt *o = c->opts; o->lng; o++)
            if (o->argname) {
                printf(" --%s", o->lng);
                if (o->shrt)
                    printf(" -%c", o->shrt);
                n++;
            }
        if (!n)
            fputs(" --", stdout);
        puts("\n                            set skip 1\n                    end");
    }
    puts("            end");
    puts("            continue");
    puts("        end");
    puts("        echo $w");
    puts("    end");
    puts("    test -n \"$cmd\"");
    puts("end");
    puts("");
}

/* fish: __kafkaudit_using and the functions listing rule ids, clusters and
 * FORMAT=FILE values. */
static void fish_functions(void)
{
    puts("# __kafkaudit_using CMD [N [WORD]]: the command is CMD (with N operands,");
    puts("# the first being WORD)");
    puts("function __kafkaudit_using");
    puts("    set -l a (__kafkaudit_args)");
    puts("    test \"$a[1]\" = \"$argv[1]\"; or return 1");
    puts("    set -q argv[2]; or return 0");
    puts("    if set -q argv[3]");
    puts("        test (count $a) -gt 1; and test \"$a[2]\" = \"$argv[3]\"");
    puts("    else");
    puts("        test (count $a) -eq (math $argv[2] + 1)");
    puts("    end");
    puts("end");
    puts("");
    puts("function __kafkaudit_rule_ids");
    puts("    set -l bin (commandline -opc)[1]");
    puts("    $bin --list-rule-ids 2>/dev/null");
    puts("end");
    puts("");
    puts("function __kafkaudit_clusters");
    puts("    set -l bin (commandline -opc)[1]");
    puts("    $bin --list-clusters 2>/dev/null");
    puts("end");
    puts("");
    puts("# FORMAT=FILE: the formats, then the files after the '='");
    puts("function __kafkaudit_format_file");
    puts("    set -l tok (commandline -ct | string replace -r -- '^(--[a-z-]+=|-[a-zA-Z])' '')");
    puts("    if string match -q -- '*=*' $tok");
    puts("        set -l fmt (string replace -r -- '=.*' '' $tok)");
    puts("        for f in (__fish_complete_path (string replace -r -- '^[^=]*=' '' $tok))");
    puts("            echo $fmt=$f");
    puts("        end");
    puts("    else");
    printf("        printf '%%s=\\n' %s\n", words_for("format"));
    puts("    end");
    puts("end");
    puts("");
}

/* fish: command c's options and operands. */
static void fish_command(const struct command *c)
{
    for (const struct opt *o = c->opts; o->lng; o++) {
        if (o->flags & OPT_HIDDEN)
            continue;
        printf("complete -c kafkaudit -n '__kafkaudit_using %s' -l %s", c->name, o->lng);
        if (o->shrt)
            printf(" -s %c", o->shrt);
        if (o->argname)
            fish_action(o->complete);
        fputs(" -d '", stdout);
        fish_text(opt_help(o));
        puts("'");
    }
    struct opspec sp;
    if (opspec_parse(c->operands, &sp)) {
        printf("complete -c kafkaudit -n '__kafkaudit_using %s 0' -a '", c->name);
        put_words(&sp);
        puts("'");
        for (int k = 0; k < sp.n; k++)
            if (sp.follow[k][0]) {
                printf("complete -c kafkaudit -n '__kafkaudit_using %s 1 %s'", c->name, sp.word[k]);
                fish_action(sp.follow[k]);
                putchar('\n');
            }
    } else if (is(c->operands, "file")) {
        printf("complete -c kafkaudit -n '__kafkaudit_using %s' -F\n", c->name);
    }
}

static void fish(void)
{
    puts("# fish completion for kafkaudit");
    puts("# generated by 'kafkaudit --completion=fish'; do not edit");
    puts("complete -c kafkaudit -e");
    puts("complete -c kafkaudit -f");
    puts("");
    fish_args_fn();
    fish_functions();
    for (int i = 0; commands[i]; i++) {
        printf("complete -c kafkaudit -n 'not __kafkaudit_args >/dev/null' -a %s -d '",
               commands[i]->name);
        fish_text(commands[i]->summary);
        puts("'");
    }
    puts("complete -c kafkaudit -n 'not __kafkaudit_args >/dev/null' -a help "
         "-d 'show the help of kafkaudit or of a command'");
    for (const struct opt *o = main_opts; o->lng; o++) {
        if (o->flags & OPT_HIDDEN)
            continue;
        printf("complete -c kafkaudit -n 'not __kafkaudit_args >/dev/null' -l %s", o->lng);
        if (o->shrt)
            printf(" -s %c", o->shrt);
        if (o->argname)
            fish_action(o->complete);
        fputs(" -d '", stdout);
        fish_text(opt_help(o));
        puts("'");
    }
    fputs("complete -c kafkaudit -n '__kafkaudit_using help 0' -a '", stdout);
    for (int i = 0; commands[i]; i++)
        printf("%s%s", i ? " " : "", commands[i]->name);
    puts("'");
    for (int i = 0; commands[i]; i++)
        fish_command(commands[i]);
}

int print_completion(const char *shell)
{
    if (strcmp(shell, "bash") == 0)
        bash();
    else if (strcmp(shell, "zsh") == 0)
        zsh();
    else if (strcmp(shell, "fish") == 0)
        fish();
    else {
        fprintf(stderr, "kafkaudit: --completion expects bash, zsh or fish%s\n",
                did_you_mean(shell, shells));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}
