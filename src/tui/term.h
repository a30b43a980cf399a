/*
 * term.h - the curses back end: start and restore the terminal, map
 * semantic elements to colours (or to bold/reverse/underline in
 * monochrome, under NO_COLOR, --color=never or without colour support),
 * blit a grid, read keys.
 *
 * Terminal hygiene (htop's CRT.c): SIGINT, SIGTERM, SIGHUP and SIGQUIT only
 * set a flag (term_signalled()); the loop then leaves and term_done()
 * restores the terminal.  SIGSEGV, SIGBUS, SIGFPE and SIGABRT restore the
 * saved tty modes and leave the alternate screen with async-signal-safe
 * calls, then re-raise.  stderr is redirected to a temporary file while
 * curses owns the screen (librdkafka and sanitizers write there) and is
 * copied back to the real stderr by term_done().
 */
#ifndef KA_TERM_H
#define KA_TERM_H

#include <stdbool.h>

#include "tui/grid.h"

/* Returns 0, or -1 with a message in err (no terminal, TERM unknown, or a
 * terminal that cannot move the cursor, such as TERM=dumb). */
int term_init(bool color, char *err, size_t errn);
/* Terminal type name usable: 0; -1 not in terminfo; -2 cannot move the
 * cursor (term_check.c). */
int term_check(const char *name);
/* Idempotent; safe to call when term_init failed or was never called. */
void term_done(void);
/* Terminal size. */
void term_size(int *w, int *h);
/* Draw g (only rows that changed since the last blit unless full). */
void term_blit(const struct grid *g, bool full);
/* Next key (enum key or a code point), K_NONE after timeout_ms. */
int term_key(int timeout_ms);

/* Signals that ask us to leave: install / query.  Usable without curses
 * (batch mode). */
void term_signals(void);
int term_signalled(void); /* the signal number, or 0 */

#endif
