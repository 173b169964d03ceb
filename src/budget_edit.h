/*
 * budget_edit - changing budget lines in memory, for `samla budget set`,
 * `samla budget import` and `samla forecast set` (cmd_budget_set.c).
 *
 * A budget line is named on the command line as CODE or CODE/ACCOUNT
 * (docs/file-formats.md). Its type follows from the code: a funder's code
 * makes an income line, an activity's code a cost line; a code that is
 * both needs the type said (--type). Changes are made to b->budget and then
 * written as one file with book_write_budget (atomic) by the caller, who
 * holds the lock: several changes (an import) are therefore saved together
 * or not at all.
 */
#ifndef SAMLA_BUDGET_EDIT_H
#define SAMLA_BUDGET_EDIT_H

#include "book.h"

/* Which line: type, code and optional account. */
typedef struct {
    book_kind kind;
    const char *code;  /* in the book's arena */
    int funder, activity; /* the code's index for its kind, else -1 */
    int account;       /* -1 = every account of the type */
} budget_key;

/*
 * Resolve "CODE" or "CODE/ACCOUNT". `forced` is KIND_INCOME or KIND_COST
 * when the user said the type, else -1. Returns 0, or -1 with a Swedish
 * message in err.
 */
int budget_key_parse(book *b, const char *spec, int forced, budget_key *k,
                     char *err, size_t errsize);

/* Resolve code and account given separately (as in a CSV row), for the
 * given kind. Returns 0, or -1 with err set; *which is 0 when the code was
 * wrong, 1 when the account was. */
int budget_key_make(book *b, book_kind kind, const char *code,
                    const char *account, budget_key *k, char *err,
                    size_t errsize, int *which);

/* Parse a type word: intäkt/kostnad (also income/cost). -1 if neither. */
int budget_kind_parse(const char *s);

/* The index of the year's line with this key, or -1. */
long budget_find(const book *b, int year, const budget_key *k);

/* The line with this key, created (all quarters zero, after the other
 * lines of its year and type) when missing. Returns its index. */
long budget_get_or_add(book *b, int year, const budget_key *k, int *created);

/* The line's name as the user writes it: "SMM" or "SMM/4610". */
void budget_key_label(const book *b, const budget_key *k, char *buf,
                      size_t size);

/* Spread `whole` over the four quarters in equal parts that add up to it
 * exactly (dec_allocate: the öre left over go to the first quarters). */
void budget_spread_year(dec_t q[4], const dec_t *whole);

#endif
