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
    dec_t remaining;
    int exists;     /* decided on or before d */
    int closed;     /* closed on or before d */
} calc_earmark;

void calc_earmark_init(calc_earmark *c);
void calc_earmark_clear(calc_earmark *c);
void calc_earmark_at(const book *b, int earmark, date_t d, calc_earmark *out);

/* Sum of the remaining amounts of all earmarks at d (restricted money). */
void calc_earmarked_at(const book *b, date_t d, dec_t *out);

#endif
