/*
 * term_check.c - can the dashboard draw on a terminal type?  Asked of
 * terminfo before curses takes the screen.  Apart from term.c because
 * <term.h> defines macros (lines, columns, ...) that clash with ordinary
 * names.
 */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include "tui/term.h"

#include <curses.h>
#include <term.h>
#include <unistd.h>

int term_check(const char *name)
{
    /* setupterm() with an error pointer neither prints nor exits, and,
     * unlike a failing newterm(), leaves nothing allocated */
    int err = 0;
    if (setupterm(name, STDOUT_FILENO, &err) != OK)
        return -1;
    const char *cup = tigetstr("cup");
    bool ok = cup && cup != (const char *)-1 && *cup;
    del_curterm(cur_term);
    return ok ? 0 : -2;
}
