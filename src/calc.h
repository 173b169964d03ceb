/*
 * calc - the ledger's basic sums, shared by the checks and the reports:
 * results of periods, the accumulated surplus at a date, earmark balances.
 * Everything is exact (dec.h); nothing here rounds.
 */
#ifndef SAMLA_CALC_H
#define SAMLA_CALC_H

#include "book.h"

/* Income and costs of the entries dated within [from, to]. */
void calc_result(const book *b, date_t from, date_t to, dec_t *income,
                 dec_t *cost);

/* Accumulated surplus at the end of day d: the opening surplus plus the
 * results of every entry dated on or before d. */
void calc_surplus_at(const book *b, date_t d, dec_t *out);

/* The state of one earmark at the end of day d. */
typedef struct {
    dec_t reserved; /* reservation: reserved − released; grant: income */
    dec_t released; /* released back to the free surplus (incl. on close) */
    dec_t drawn;    /* costs tagged with the earmark */
    dec_t remaining; /* reserved − released − drawn, always (negative when
                      * overdrawn, also after a close) */
    int exists;      /* decided on or before d */
    int closed;      /* closed on or before d */
    date_t closed_on; /* the close's date when closed, else DATE_NONE */
} calc_earmark;

/* An earmark's state follows its decisions and the entries tagged with it,
 * with one rule for a close: entries dated after the close's date are not
 * counted (they are warned about by check.h, and new ones are refused), so
 * what a close released never changes afterwards. A close releases what
 * remained at its date when that is positive; an earmark overdrawn at its
 * close keeps its negative remaining amount (the excess was paid from the
 * free surplus; free-surplus sums count it as zero). */

void calc_earmark_init(calc_earmark *c);
void calc_earmark_clear(calc_earmark *c);
void calc_earmark_at(const book *b, int earmark, date_t d, calc_earmark *out);

/* Sum of the remaining amounts of all earmarks at d (restricted money). */
void calc_earmarked_at(const book *b, date_t d, dec_t *out);

/* The same sum split by kind, so that reports can show them apart: the
 * remaining reservations (decided out of the accumulated surplus) and the
 * unspent restricted grants (income tagged with a `bidrag` earmark that is
 * not yet spent; it never was free money). reservations + grants =
 * calc_earmarked_at. Either pointer may be NULL. Overdrawn earmarks count
 * as zero, as in calc_earmarked_at. */
void calc_earmarked_split_at(const book *b, date_t d, dec_t *reservations,
                             dec_t *grants);

/* Free (ej öronmärkt) surplus at the end of day d: the accumulated surplus
 * minus every earmark's remaining amount. May be negative when costs have
 * eaten into reserved money. */
void calc_free_at(const book *b, date_t d, dec_t *out);

/* ---- Filtered sums (reports) ---------------------------------------------
 * A filter selects journal entries the way `samla list` and the reports do:
 * a date range and, optionally, one account, activity, funder, earmark and
 * account kind. -1 (or DATE_NONE for the dates) means "any". The activity
 * CALC_NONE_CODE selects entries WITHOUT an activity (income not attributed
 * to one); likewise for funder and earmark. */
#define CALC_ANY (-1)
#define CALC_NONE_CODE (-2)

typedef struct {
    date_t from, to; /* inclusive; DATE_NONE = unbounded */
    int account, activity, funder, earmark;
    int kind; /* CALC_ANY, KIND_INCOME or KIND_COST */
} calc_filter;

/* A filter that selects everything. */
void calc_filter_init(calc_filter *f);

/* Does entry e pass filter f? */
int calc_filter_match(const book *b, const calc_filter *f,
                      const book_entry *e);

/* Sum of the amounts (each in its account's own direction) of the entries
 * that pass f; *count (may be NULL) gets their number. Summing entries of
 * both kinds is rarely meaningful: set f->kind. */
void calc_sum(const book *b, const calc_filter *f, dec_t *out, long *count);

/* The actual outcome of one budget line in [from, to]: the entries of the
 * line's kind whose funder (income) or activity (cost) is the line's, and
 * whose account is the line's when it names one (docs/file-formats.md). */
void calc_budget_outcome(const book *b, const book_budget_line *l,
                         date_t from, date_t to, dec_t *out);

/* Does budget line l cover entry e (ignoring dates)? */
int calc_budget_covers(const book *b, const book_budget_line *l,
                       const book_entry *e);

/* Year of the first and last entry (0, 0 for an empty journal). */
void calc_entry_years(const book *b, int *first, int *last);

#endif
