/*
 * uiutil - small helpers for commands that talk with the user: reading an
 * answer from stdin, a yes/no question, padding UTF-8 text into table
 * columns, and comparing column names the way Swedish users write them.
 *
 * Answers are read from stdin whether it is a terminal or a pipe, so a
 * dialog can be scripted (printf 'answers' | samla quarter ...). When stdin
 * is not a terminal the answer is echoed after the prompt, so a transcript
 * (a log, a test's output) reads like the session it replaces.
 */
#ifndef SAMLA_UIUTIL_H
#define SAMLA_UIUTIL_H

#include <stdio.h>

/* Print `prompt` to out and read one line from stdin, without its line end
 * (CR LF or LF) and surrounding spaces. Returns a malloc'd string, or NULL
 * at end of input. */
char *ui_ask(FILE *out, const char *prompt);

/* Ask a yes/no question whose default is no ("Spara? [j/N] "). Returns 1
 * for j, ja, y, yes (any case), -1 at end of input (for a command that
 * says why nothing was done), else 0. */
int ui_confirm(FILE *out, const char *prompt);

/* ui_confirm where end of input is a no: 1 for yes, else 0. */
int ui_ask_yes(FILE *out, const char *prompt);

/* Is stdin a terminal? */
int ui_stdin_is_tty(void);

/* Number of characters (UTF-8 code points) of s. */
size_t ui_width(const char *s);

/* Print s padded with spaces to `width` characters: right-aligned when
 * `right`, else left-aligned. Longer text is printed whole. */
void ui_pad(FILE *out, const char *s, size_t width, int right);

/* Compare a column name as written in a file with the expected one:
 * surrounding spaces ignored, case ignored (also for å ä ö é). */
int ui_name_eq(const char *cell, const char *name);

#endif
