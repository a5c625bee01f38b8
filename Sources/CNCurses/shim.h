// The parts of ncursesw TLSTerminal uses. Swift 6 rejects C globals (stdscr, COLORS, stdin/stdout: "not
// concurrency-safe") and does not import function-like macros (A_BOLD, COLOR_PAIR, getmaxx), so each is wrapped
// in a static inline function here. Editing this header does not trigger a rebuild: touch a Swift file.
#ifndef TLSLAB_CNCURSES_SHIM_H
#define TLSLAB_CNCURSES_SHIM_H

#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <stdio.h>
#include <locale.h>
#include <langinfo.h>
#include <sys/ioctl.h>

/// True when the terminal description for `term` can be loaded (setupterm with an error pointer never exits).
static inline int tlslab_terminal_known(const char *term, int fd) {
    int err = 0;
    if (setupterm(term, fd, &err) != OK) return 0;
    del_curterm(cur_term);
    return 1;
}

/// newterm on the process's standard output and input; NULL when the terminal cannot be set up.
static inline SCREEN *tlslab_newterm(const char *term) { return newterm(term, stdout, stdin); }

static inline WINDOW *tlslab_stdscr(void) { return stdscr; }
static inline int tlslab_lines(void) { return getmaxy(stdscr); }
static inline int tlslab_cols(void) { return getmaxx(stdscr); }
static inline int tlslab_colors(void) { return COLORS; }
static inline int tlslab_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t tlslab_a_normal(void) { return A_NORMAL; }
static inline attr_t tlslab_a_bold(void) { return A_BOLD; }
static inline attr_t tlslab_a_dim(void) { return A_DIM; }
static inline attr_t tlslab_a_reverse(void) { return A_REVERSE; }
static inline attr_t tlslab_a_underline(void) { return A_UNDERLINE; }

/// Sets the attributes and colour pair for what is written next.
static inline int tlslab_set_attributes(WINDOW *win, attr_t attributes, short pair) {
    return wattr_set(win, attributes, pair, NULL);
}

/// The locale's character set after setlocale(LC_ALL, ""), e.g. "UTF-8" or "ANSI_X3.4-1968".
static inline const char *tlslab_codeset(void) { return nl_langinfo(CODESET); }
static inline void tlslab_setlocale_from_environment(void) { setlocale(LC_ALL, ""); }

/// The terminal's size in rows and columns (TIOCGWINSZ); -1 when unknown.
static inline int tlslab_terminal_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row;
    *cols = ws.ws_col;
    return 0;
}

#endif
