/*
 * serve_quarter - the page Registrera kvartal, shared by its three steps:
 * the form (GET /kvartal, and again with errors), the summary (POST
 * /kvartal) and the save (POST /kvartal/spara, serve_quarter_save.c).
 *
 * Form fields, per budget line of the year (b->budget index N):
 *   radN    "k:CODE:ACCOUNT" or "i:…", the line the fields were made for,
 *           checked on every post so that a budget changed in between
 *           never puts an amount on another line;
 *   beloppN the amount (any form dec_parse accepts; empty = nothing);
 *   kontoN  the account number; omN the earmark code ("" = none).
 * Besides: kvartal (2026Q1), underlag (Underlag of every entry), upprepa
 * (1 = add to a quarter that already has entries), overlapp (1 = save even
 * though entries booked by import overlap,
 * overlap.h), csrf, inskick (the form's one-time submission id,
 * serve_form_open).
 * Every amount is saved through quarter_save (quarter.h), the one path
 * `samla quarter` uses too.
 */
#ifndef SAMLA_SERVE_QUARTER_H
#define SAMLA_SERVE_QUARTER_H

#include "overlap.h"
#include "quarter.h"
#include "serve.h"

/* The state of one form row. */
/* The most rows one budget line takes on the form (issue 12: per line one
 * or more rows, each with amount, account, text, Underlag and earmark). */
#define QFORM_ROWS 8

/* One row of one line: f->rows[line * QFORM_ROWS + k]. Row 0's fields are
 * named belopp<idx>, konto<idx>, text<idx>, underlag<idx>, om<idx> (idx =
 * the budget line's index); row k > 0 adds "_k" (belopp<idx>_<k>). */
typedef struct {
    const char *amount, *account, *earmark; /* as posted (borrowed) */
    const char *text, *doc;                 /* as posted (borrowed) */
    char *error;       /* message at the amount field (malloc'd) */
    int error_account; /* the message is about the account */
    int has_input;     /* an input was made for the line */
} serve_qrow;

typedef struct {
    period_t period;
    quarter_opts qo;
    char now[32];
    quarter_line *lines;
    size_t nl;
    serve_qrow *rows;     /* QFORM_ROWS per line */
    quarter_input *in;    /* the non-empty amounts */
    size_t nin;
    size_t *in_line;      /* the row (index into rows) of each input */
    diag_list general;    /* errors that belong to no row */
    const char *doc;
    int allow_repeat;
    int stale;            /* the budget changed since the form was shown */
    int need_repeat;      /* refused: the quarter has entries, no tick */
    int allow_overlap;    /* the tick "overlapp" */
    int need_overlap;     /* refused: overlapping entries, no tick */
    overlap_list overlaps; /* the entries the amounts overlap (shown) */
} serve_qform;

/* Read the quarter (?kvartal= or the form's kvartal; default: the last
 * quarter that has ended) and list its lines on b. Returns -1 with an
 * error page in rs when the quarter is malformed. */
int serve_qform_init(serve_qform *f, serve_req *rq, serve_resp *rs,
                     const book *b);
void serve_qform_free(serve_qform *f);

/* Read the posted fields into rows and inputs, parsing the amounts (a
 * malformed one gets its message at its field). Returns the number of
 * field errors. */
size_t serve_qform_read(serve_qform *f, serve_req *rq, book *b);

/* Put quarter_build/quarter_save diagnostics at their rows (line = input
 * number + 1) or into the general list. */
void serve_qform_place(serve_qform *f, const diag_list *dl);

/* Find the entries the form's amounts overlap (overlap.h) into
 * f->overlaps, building the entries on b as quarter_save would. Returns
 * their number (0 also when the amounts do not build). */
size_t serve_qform_overlaps(serve_qform *f, book *b);

/* The form page, with the posted values and errors if any. */
void serve_qform_page(serve_qform *f, serve_req *rq, serve_resp *rs,
                      const book *b, unsigned status);

#endif
