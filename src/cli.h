/*
 * cli - what every command shares: choosing the book, loading it under the
 * lock, option helpers, the user's name, exit codes (timestamps and
 * "today" are the date module's: date_now_utc, date_today).
 *
 * Exit codes: 0 ok, 1 data error (bad book or input, refused change),
 * 2 usage error (unknown command or option, missing argument).
 */
#ifndef SAMLA_CLI_H
#define SAMLA_CLI_H

#include <stdio.h>

#include "book.h"
#include "store.h"

enum { EXIT_OKAY = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

typedef struct {
    const char *book_dir; /* -f DIR, else $SAMLA_BOOK, else NULL: find it */
    const char *user;     /* --user, else $SAMLA_USER, else the login name */
    FILE *out, *err;
    size_t warnings; /* warnings the last load printed (check's summary) */
} cli_ctx;

/* One command: name, function, one-line Swedish summary. */
typedef struct {
    const char *name;
    int (*run)(cli_ctx *ctx, int argc, char **argv);
    const char *summary;
} cli_command;

/* The folder of the book to use (see cli_ctx.book_dir): -f, $SAMLA_BOOK,
 * or the only book under ./ledgers/. NULL after printing why not. */
const char *cli_book_dir(cli_ctx *ctx);

/* Load the book for reading: prints every diagnostic (warnings too) to
 * ctx->err. Returns 0, or the exit code to give (1); on failure b holds
 * nothing (the caller may return at once; book_free on it is harmless). */
int cli_load(cli_ctx *ctx, book *b);

/* Take the lock, then load the book: for commands that write. On failure
 * nothing is held (neither the lock nor anything in b, as for cli_load).
 * cli_unlock releases the lock. */
int cli_load_locked(cli_ctx *ctx, book *b, store_lock *lock);
void cli_unlock(store_lock *lock);

/* Print diagnostics and return the exit code they call for: 1 when there
 * are errors, else 0. */
int cli_report(cli_ctx *ctx, diag_list *dl);

/* Print "samla CMD: message" and return EXIT_USAGE. */
int cli_usage_error(cli_ctx *ctx, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* getopt_long's '?' (an unknown option, or one whose value is missing), in
 * Swedish and naming the option: "samla CMD: okänd flagga --belopp" or
 * "samla CMD: --amount saknar ett värde". Call it from the loop's default
 * case with the argv and short options given to getopt_long; main() turns
 * getopt's own (English) messages off. Returns EXIT_USAGE. */
int cli_bad_option(cli_ctx *ctx, const char *cmd, char *const argv[],
                   const char *shortopts);

/* Parse an amount given on the command line; prints the fault with its
 * column and returns -1. */
int cli_amount(cli_ctx *ctx, const char *opt, const char *s, dec_t *out);
/* Parse a date option (ISO); "-" or NULL gives today. */
int cli_date(cli_ctx *ctx, const char *opt, const char *s, date_t *out);

/* The user's name for the audit trail. */
const char *cli_user(cli_ctx *ctx);

/* True when `s` is "-h" or "--help". */
int cli_is_help(const char *s);

/* A program's start (main.c's samla, main_serve.c's samla-serve): the
 * global options before the command (-f/--book DIR, --user NAME, --help,
 * --version), then the command of `cmds` named next, run with its own
 * argv. Returns the exit code. */
int cli_main(int argc, char **argv, const cli_command *cmds, size_t ncmds);

#endif
