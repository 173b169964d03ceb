/*
 * quarter - entering one quarter's amounts per budget line, all or nothing.
 *
 * This is the one path by which a quarter is saved, shared by
 * `samla quarter` (cmd_quarter.c: a dialog on stdin or a CSV file) and the
 * web page (issue 8). A caller:
 *
 *   1. lists the quarter's budget lines with quarter_lines() to show them
 *      (budget of the quarter, what is already booked, the account an entry
 *      on the line will get);
 *   2. collects one quarter_input per amount (code, optional account, exact
 *      amount, text);
 *   3. may preview with quarter_build() + quarter_lines(..., new entries) for
 *      the summary against the budget, writing nothing;
 *   4. saves with quarter_save(), under the book's lock on a book loaded
 *      under that lock: it validates every input and then appends all
 *      entries with ONE book_append_entries call, so either the whole
 *      quarter is saved or nothing is.
 *
 * Every entry gets Källa "quarter 2026Q1" (the period's label), so a second
 * entry of the same quarter can be detected (quarter_existing).
 *
 * Accounts: a line's entry goes on, in this order, the account the input
 * names; the budget line's own account (budget.csv Konto); the default
 * account of the options (cost_account / income_account); or the line's
 * usual account - the account on which the code has the largest booked sum
 * in the book (quarter_usual_account). With none of these the input is an
 * error ("konto saknas").
 *
 * Earmarks: an input draws on, in this order, the earmark it names; "-"
 * (QUARTER_NO_EARMARK) for none; or the earmark that finances the budget
 * line it falls on (budget.csv Öronmärkning, quarter_line_earmark). So a
 * line financed by an earmark draws on it by default in the dialog, --from
 * and the web form alike, and each of them can override it.
 *
 * Diagnostics name the input's place: file:line:column when the input came
 * from a file (quarter_input.file/line/col_*), else line = the input's
 * number so a form can put the message at its field.
 */
#ifndef SAMLA_QUARTER_H
#define SAMLA_QUARTER_H

#include <stddef.h>

#include "book.h"

/* One budget line of the quarter (or, in a summary, a code that has new
 * entries but no budget line: budget_index = -1). */
typedef struct {
    int budget_index;   /* into b->budget, -1 = no budget line */
    book_kind kind;
    const char *code;   /* activity (cost) or funder (income) */
    const char *name;   /* its name from verksamheter/finansiarer */
    int account;        /* the line's account, -1 = every account of the kind */
    int usual_account;  /* the account an entry gets when none is named
                           (see the top of this file), -1 = none known */
    const char *earmark;/* the earmark financing the line (its default),
                           "" = none */
    dec_t budget;       /* the budget of the quarter */
    dec_t booked;       /* booked in the quarter before the new entries */
    dec_t entered;      /* the new entries on the line */
} quarter_line;

typedef struct {
    period_t period;           /* a quarter (quarter_parse_period) */
    date_t date;               /* entry date; DATE_NONE = the quarter's last day */
    const char *cost_account;  /* default account for cost lines, NULL = none */
    const char *income_account;/* default account for income lines */
    const char *user;          /* Användare */
    const char *registered;    /* Registrerad (UTC timestamp) */
    int allow_repeat;          /* the quarter may already have entries */
    int allow_overlap;         /* save even when entries booked by another
                                  path overlap (overlap.h) */
} quarter_opts;

/* One amount to save. Strings are borrowed (must live until the call
 * returns). */
typedef struct {
    book_kind kind;
    const char *code;     /* activity (cost) or funder (income) */
    const char *account;  /* NULL or "" = chosen as described above */
    const char *activity; /* income only: optional activity it belongs to */
    const char *earmark;  /* earmark code; NULL or "" = the budget line's
                             (quarter_line_earmark), "-" = none */
    dec_t amount;         /* exact; zero inputs are ignored */
    const char *text;     /* NULL or "" = "<name> <quarter>" */
    const char *doc;      /* Underlag, optional */
    /* Where the input came from, for messages (0 = unknown). */
    const char *file;
    long line, col_code, col_account, col_activity, col_earmark;
} quarter_input;

/* The earmark field's value for "no earmark, although the line has one". */
#define QUARTER_NO_EARMARK "-"

void quarter_input_init(quarter_input *in);
void quarter_input_clear(quarter_input *in);

/* Parse "2026Q1" (also "2026q1"). Returns 0, or -1 with a Swedish *err. */
int quarter_parse_period(const char *s, period_t *p, const char **err);

/* The options with defaults: date DATE_NONE, no default accounts. */
void quarter_opts_init(quarter_opts *o, const period_t *p);

/* The Källa of the quarter's entries, "quarter 2026Q1", into buf. */
void quarter_source(const period_t *p, char *buf, size_t size);

/* Entries already saved for this quarter (Källa "quarter LABEL"): their
 * count, and the first and last of them (indices into b->entries, -1 when
 * there are none). */
size_t quarter_existing(const book *b, const period_t *p, long *first,
                        long *last);

/* The account on which `code` (activity for costs, funder for income) has
 * the largest booked sum in the book, or -1. */
int quarter_usual_account(const book *b, book_kind kind, const char *code);

/* The account an input on (kind, code) gets when it names none: the budget
 * line's account (line_account >= 0), the option's default, or the usual
 * account. -1 when there is none. `*why` (may be NULL) gets a short Swedish
 * phrase saying where it came from ("budgetradens konto", ...). */
int quarter_default_account(const book *b, const quarter_opts *o,
                            book_kind kind, const char *code,
                            int line_account, const char **why);

/* The earmark that finances the budget line of `year` an entry on (kind,
 * code, account) falls on: the line with that account, else the line for
 * every account of the kind. "" when there is none. */
const char *quarter_line_earmark(const book *b, int year, book_kind kind,
                                 const char *code, int account);

/* A suggestion for one row of a line, from the line's own history. */
typedef struct {
    int account;       /* an account the line's entries went on */
    const char *text;  /* the text of that entry, its quarter (and year)
                          moved to this one: malloc'd, NULL = none */
} quarter_suggestion;

/*
 * Suggestions for the rows of line l (from quarter_lines): the entries on
 * the line in the latest quarter before o->period that has any, one per
 * account, the largest sum first (PROC: 5010 wages, then 5610 social fees;
 * GEM: its rent, meetings, administration). Reversals and reversed entries
 * are left out. A line with no history gets its default account (the usual
 * account) and no text. Returns the count; *out is malloc'd, free with
 * quarter_suggestions_free. Nothing is suggested from another line's
 * entries, so GEM gets 6010 Lokalhyror only if GEM's own history has it.
 */
size_t quarter_suggest(const book *b, const quarter_opts *o,
                       const quarter_line *l, quarter_suggestion **out);
void quarter_suggestions_free(quarter_suggestion *s, size_t n);

/*
 * The budget lines of the quarter's year, cost lines first then income
 * lines (each in budget.csv order), with their quarter budget, what is
 * booked in the quarter, and what `news` (n entries not yet saved, may be
 * NULL) add to each. A new entry that falls on no budget line gets a line
 * of its own with budget_index -1 at the end of its kind. Returns the
 * number of lines; *out is malloc'd, free with quarter_lines_free.
 */
size_t quarter_lines(const book *b, const quarter_opts *o,
                     const book_entry *news, size_t n, quarter_line **out);
void quarter_lines_free(quarter_line *l, size_t n);

/* Does entry e fall on budget line l (same kind and code, and the line's
 * account when it has one)? */
int quarter_entry_on_line(const book *b, const book_entry *e,
                          const book_budget_line *l);

/*
 * Validate the inputs and build the entries they give, numbered from the
 * year's next voucher number, without saving. Every problem of every input
 * is added to dl. Inputs with a zero amount give no entry. Returns the
 * number of entries and sets *out (malloc'd; free with quarter_entries_free;
 * strings live in b's arena), or returns 0 with *out NULL when there were
 * errors (then diag_errors(dl) grew) or nothing to save.
 */
size_t quarter_build(book *b, const quarter_opts *o, const quarter_input *in,
                     size_t n, book_entry **out, diag_list *dl);
void quarter_entries_free(book_entry *e, size_t n);

/*
 * Save the quarter: refuse when the quarter already has entries and
 * o->allow_repeat is 0; refuse, naming them, when entries already booked by
 * `import` overlap the new ones (overlap.h) and
 * o->allow_overlap is 0; otherwise quarter_build, then one
 * book_append_entries. The caller holds the lock and loaded b under it.
 * Returns SAMLA_OK (also when there was nothing to save: *saved = 0),
 * SAMLA_EDATA or SAMLA_EIO; nothing is written unless SAMLA_OK. On success
 * *saved is the number of entries and *first their first index in
 * b->entries.
 */
int quarter_save(book *b, const quarter_opts *o, const quarter_input *in,
                 size_t n, size_t *saved, long *first, diag_list *dl);

#endif
