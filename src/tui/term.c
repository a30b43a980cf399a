/*
 * term.c - ncurses back end (see term.h).
 */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1 /* wide-character curses */
#endif
#include "tui/term.h"
#include "tui/ui.h"
#include "util/xalloc.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

static SCREEN *screen;
static bool active;
static attr_t attrs[EL__COUNT];
static struct grid shadow; /* last blitted grid */
static int saved_stderr = -1;
static FILE *stderr_file;
static struct termios saved_tio;
static bool have_tio;
static volatile sig_atomic_t got_signal;
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGABRT};
static struct sigaction old_fatal[4];

static void on_quit_signal(int sig) { got_signal = sig; }

static void on_fatal(int sig)
{
    /* async-signal-safe only: put the tty back, leave the alternate screen */
    if (have_tio)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
    static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
    ssize_t r = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)r;
    if (saved_stderr >= 0)
        dup2(saved_stderr, STDERR_FILENO);
    /* hand over to whoever handled it before (sanitizers print their report) */
    for (int i = 0; i < 4; i++)
        if (fatal_signals[i] == sig)
            sigaction(sig, &old_fatal[i], NULL);
    raise(sig);
}

void term_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_quit_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGQUIT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int term_signalled(void) { return got_signal; }

static void setup_attrs(bool color)
{
    /* monochrome: htop's COLORSCHEME_MONOCHROME idea, attributes only */
    attr_t mono[EL__COUNT] = {
        [EL_NORMAL] = A_NORMAL,
        [EL_TITLE] = A_REVERSE,
        [EL_TAB] = A_NORMAL,
        [EL_TAB_ACTIVE] = A_REVERSE | A_BOLD,
        [EL_HEADER] = A_UNDERLINE | A_BOLD,
        [EL_HEADER_SORT] = A_UNDERLINE | A_BOLD | A_REVERSE,
        [EL_SELECTED] = A_REVERSE,
        [EL_OK] = A_NORMAL,
        [EL_WARN] = A_BOLD,
        [EL_ERR] = A_BOLD,
        [EL_CRIT] = A_BOLD | A_UNDERLINE,
        [EL_DIM] = A_DIM,
        [EL_BOLD] = A_BOLD,
        [EL_STATUS] = A_NORMAL,
        [EL_STATUS_ERR] = A_BOLD,
        [EL_KEY] = A_REVERSE,
        [EL_KEYLABEL] = A_NORMAL,
        [EL_PROMPT] = A_BOLD,
    };
    memcpy(attrs, mono, sizeof attrs);
    if (!color || !has_colors())
        return;
    start_color();
    use_default_colors();
    static const struct {
        short fg, bg;
        attr_t extra;
    } c[EL__COUNT] = {
        [EL_NORMAL] = {-1, -1, 0},
        [EL_TITLE] = {COLOR_BLACK, COLOR_CYAN, 0},
        [EL_TAB] = {-1, -1, 0},
        [EL_TAB_ACTIVE] = {COLOR_BLACK, COLOR_GREEN, A_BOLD},
        [EL_HEADER] = {COLOR_BLACK, COLOR_GREEN, 0},
        [EL_HEADER_SORT] = {COLOR_BLACK, COLOR_CYAN, 0},
        [EL_SELECTED] = {COLOR_BLACK, COLOR_CYAN, 0},
        [EL_OK] = {COLOR_GREEN, -1, 0},
        [EL_WARN] = {COLOR_YELLOW, -1, A_BOLD},
        [EL_ERR] = {COLOR_RED, -1, A_BOLD},
        [EL_CRIT] = {COLOR_WHITE, COLOR_RED, A_BOLD},
        [EL_DIM] = {-1, -1, A_DIM},
        [EL_BOLD] = {-1, -1, A_BOLD},
        [EL_STATUS] = {-1, -1, 0},
        [EL_STATUS_ERR] = {COLOR_RED, -1, A_BOLD},
        [EL_KEY] = {COLOR_BLACK, COLOR_CYAN, 0},
        [EL_KEYLABEL] = {-1, -1, 0},
        [EL_PROMPT] = {COLOR_YELLOW, -1, A_BOLD},
    };
    for (int i = 0; i < EL__COUNT; i++) {
        if (c[i].fg == -1 && c[i].bg == -1) {
            attrs[i] =
                c[i].extra | (i == EL_NORMAL || i == EL_TAB || i == EL_STATUS || i == EL_KEYLABEL
                                  ? A_NORMAL
                                  : mono[i] & (A_DIM | A_BOLD));
            continue;
        }
        if (init_pair((short)(i + 1), c[i].fg, c[i].bg) == ERR) {
            attrs[i] = mono[i];
            continue;
        }
        attrs[i] = COLOR_PAIR(i + 1) | c[i].extra;
    }
}

static void redirect_stderr(void)
{
    fflush(stderr);
    stderr_file = tmpfile();
    if (!stderr_file)
        return;
    saved_stderr = dup(STDERR_FILENO);
    if (saved_stderr < 0 || dup2(fileno(stderr_file), STDERR_FILENO) < 0) {
        fclose(stderr_file);
        stderr_file = NULL;
    }
}

static void restore_stderr(void)
{
    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
    if (stderr_file) {
        /* what was written while the screen was ours */
        rewind(stderr_file);
        char b[4096];
        size_t n;
        while ((n = fread(b, 1, sizeof b, stderr_file)) > 0)
            fwrite(b, 1, n, stderr);
        fclose(stderr_file);
        stderr_file = NULL;
    }
}

int term_init(bool color, char *err, size_t errn)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errn, "not a terminal: use --batch for plain text output");
        return -1;
    }
    if (tcgetattr(STDIN_FILENO, &saved_tio) == 0)
        have_tio = true;
    const char *t = getenv("TERM");
    const char *name = t && *t ? t : "vt100";
    /* asked before newterm(): a terminal that cannot move the cursor
     * (TERM=dumb, an editor's shell buffer) would get a garbled stream of
     * redraws, so it is refused like an unknown one */
    int ck = term_check(name);
    if (ck == -2) {
        snprintf(err, errn,
                 "cannot use the terminal (TERM=%s): it cannot move the cursor; try TERM=xterm "
                 "or --batch",
                 t ? t : "");
        return -1;
    }
    screen = ck == 0 ? newterm(name, stdout, stdin) : NULL;
    if (!screen) {
        snprintf(err, errn, "cannot use the terminal (TERM=%s): try TERM=xterm or --batch",
                 t ? t : "");
        return -1;
    }
    set_term(screen);
    active = true;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < 4; i++)
        sigaction(fatal_signals[i], &sa, &old_fatal[i]);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    set_escdelay(25);
    curs_set(0);
    setup_attrs(color);
    redirect_stderr();
    clear();
    refresh();
    return 0;
}

void term_done(void)
{
    if (!active)
        return;
    active = false;
    curs_set(1);
    endwin();
    delscreen(screen);
    screen = NULL;
    grid_release(&shadow);
    restore_stderr();
    for (int i = 0; i < 4; i++)
        sigaction(fatal_signals[i], &old_fatal[i], NULL);
}

void term_size(int *w, int *h)
{
    int y, x;
    getmaxyx(stdscr, y, x);
    *w = x;
    *h = y;
}

void term_blit(const struct grid *g, bool full)
{
    if (!active)
        return;
    if (full || shadow.w != g->w || shadow.h != g->h) {
        grid_release(&shadow);
        grid_init(&shadow, g->w, g->h, g->utf8);
        for (size_t i = 0; i < (size_t)g->w * (size_t)g->h; i++)
            shadow.c[i].ch = 0xffffffffu; /* force every row */
        clearok(curscr, TRUE);
    }
    wchar_t buf[1024];
    for (int y = 0; y < g->h; y++) {
        const struct cell *row = &g->c[(size_t)y * (size_t)g->w];
        struct cell *old = &shadow.c[(size_t)y * (size_t)g->w];
        if (memcmp(row, old, (size_t)g->w * sizeof *row) == 0)
            continue;
        memcpy(old, row, (size_t)g->w * sizeof *row);
        int x = 0;
        while (x < g->w) {
            uint8_t el = row[x].el;
            int start = x, n = 0;
            while (x < g->w && row[x].el == el && n < (int)(sizeof buf / sizeof *buf) - 1) {
                if (row[x].ch)
                    buf[n++] = (wchar_t)row[x].ch;
                x++;
            }
            buf[n] = 0;
            attrset(attrs[el]);
            /* the last cell of the last row would scroll some terminals */
            if (y == g->h - 1 && x == g->w && n > 0)
                n--;
            mvaddnwstr(y, start, buf, n);
        }
    }
    attrset(A_NORMAL);
    refresh();
}

int term_key(int timeout_ms)
{
    if (!active)
        return K_NONE;
    timeout(timeout_ms);
    wint_t ch;
    int r = get_wch(&ch);
    if (r == ERR)
        return K_NONE;
    if (r == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP: return K_UP;
        case KEY_DOWN: return K_DOWN;
        case KEY_LEFT: return K_LEFT;
        case KEY_RIGHT: return K_RIGHT;
        case KEY_PPAGE: return K_PGUP;
        case KEY_NPAGE: return K_PGDN;
        case KEY_HOME: return K_HOME;
        case KEY_END: return K_END;
        case KEY_ENTER: return K_ENTER;
        case KEY_BTAB: return K_BTAB;
        case KEY_BACKSPACE: return K_BACKSPACE;
        case KEY_RESIZE: return K_RESIZE;
        case KEY_F(1): return K_F1;
        case KEY_F(3): return K_F3;
        case KEY_F(4): return K_F4;
        case KEY_F(5): return K_F5;
        case KEY_F(6): return K_F6;
        case KEY_F(10): return K_F10;
        default: return K_NONE;
        }
    }
    switch (ch) {
    case '\r':
    case '\n': return K_ENTER;
    case 27: return K_ESC;
    case '\t': return K_TAB;
    case 127:
    case 8: return K_BACKSPACE;
    case 12: return K_CTRL_L;
    default: return (int)ch;
    }
}
