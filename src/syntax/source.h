/*
 * source.h - the input files of one run, kept in memory so that any
 * finding can quote its source line under a caret.
 *
 * A location is (file id, line, column), all 1-based; file id 0 means "no
 * file" (a default, or a value read from a live cluster).
 */
#ifndef KA_SOURCE_H
#define KA_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loc {
    uint32_t file; /* 1-based index into source_set; 0 = none */
    uint32_t line, col;
};

#define LOC_NONE ((struct loc){0, 0, 0})

struct src_file {
    char *path; /* as given on the command line ("-" shown as "<stdin>") */
    char *data; /* NUL-terminated contents */
    size_t len;
    uint32_t *line_starts; /* built lazily */
    uint32_t nlines;
    /* per line (index line - 1): the column from which it holds a secret,
     * 0 for none (see source_hide); NULL until a first secret.  An array,
     * not a list: a file of 400,000 secrets once took a minute to scan */
    uint32_t *hide_col;
};

struct source_set {
    struct src_file *files;
    uint32_t n, cap;
};

void source_set_init(struct source_set *s);
void source_set_release(struct source_set *s);
/* Takes ownership of data (malloc'd).  Returns the new file id (>= 1). */
uint32_t source_set_add(struct source_set *s, const char *path, char *data, size_t len);
const struct src_file *source_get(const struct source_set *s, uint32_t id);
const char *source_path(const struct source_set *s, uint32_t id);
/* Text of line (1-based) without its newline; *len set.  NULL if absent. */
const char *source_line(const struct source_set *s, uint32_t id, uint32_t line, size_t *len);

/* Secrets are never printed, and a report that quotes a source line
 * under its caret would print one that sits on it (a password set twice,
 * a flow mapping with a JAAS config beside the setting a rule is about).
 * source_hide marks the value that starts at (line, col) as secret: the
 * rest of that line, and the lines it continues on (a quoted value until
 * its closing quote, a YAML block scalar, a .properties line ending in a
 * backslash). */
void source_hide(struct source_set *s, uint32_t id, uint32_t line, uint32_t col);
/* Hide lines from..to whole (a reader that knows where a secret value
 * ends: a YAML scalar continued over lines). */
void source_hide_lines(struct source_set *s, uint32_t id, uint32_t from, uint32_t to);
/* The column from which line is secret (0: none): a value marked by
 * source_hide, or else what follows the '=' or ':' after a word that
 * sounds secret (secret_words: pass, secret, jaas, ...), for lines
 * no setting came from (a file that does not parse).  Whoever quotes a line prints
 * only what is before it. */
uint32_t source_hidden_from(const struct source_set *s, uint32_t id, uint32_t line);

/* Words that make a name sound like it holds a secret, in lower case
 * ("pass", "secret", "jaas", ...; NULL-terminated), and whether name (in
 * any case) contains one.  One list for setting names and quoted lines;
 * each word begins with a letter a-z, at most 32 words. */
extern const char *const secret_words[];
bool name_sounds_secret(const char *name);

#endif
