/*
 * reports - the report computations: each turns a loaded book into a
 * report (report.h) of exact values. One file per report (report_*.c);
 * the helpers they share are in report_common.c.
 *
 * Every function returns a new report (free with report_free) that has been
 * evaluated (report_evaluate): all values, including totals and derived
 * columns, are filled in exactly. None of them rounds; rounding is the
 * renderers' business (render.h) and the rounding notes are added by the
 * caller for the unit it shows (report_rounding_notes).
 *
 * Sign convention: amounts are positive in the account's own direction, as
 * in the journal (income positive on income accounts, costs positive on
 * cost accounts). Reports keep income and costs in separate sections and
 * combine them only in a result row (income − costs).
 */
#ifndef SAMLA_REPORTS_H
#define SAMLA_REPORTS_H

#include "book.h"
#include "calc.h"
#include "report.h"

/* ---- balance ------------------------------------------------------------ */

typedef enum {
    REPORT_ROWS_ACCOUNT = 0,
    REPORT_ROWS_ACTIVITY,
    REPORT_ROWS_FUNDER
} report_rows;

/* Parse "account"|"activity"|"funder" (also "konto", "verksamhet",
 * "finansiär"). Returns 0 or -1. */
int report_rows_parse(const char *s, report_rows *out);

/*
 * Amounts per account, activity or funder in `period`, one column per
 * sub-period of `by` (PERIOD_BY_NONE: one column) and, with more than one,
 * a row-total column "Summa" (key "total"). Sections: income (lines,
 * "Summa intäkter"), costs (lines, "Summa kostnader"), and "Resultat"
 * (income − costs). With rows=activity, income not attributed to an
 * activity is the line "(ingen verksamhet)"; with rows=funder the cost
 * section is one line, since costs have no funder. Only rows with entries
 * in the period are shown.
 */
report *report_balance(const book *b, const period_t *period, period_by by,
                       report_rows rows);

/*
 * The income statement of `year` with the outcome through `to` (DATE_NONE
 * or a later date: the whole year, "per YEAR-12-31"): income per funder,
 * "Summa intäkter"; costs per activity (with `detail`: per account within
 * each activity, with a subtotal per activity), "Summa kostnader"; "Årets
 * resultat"; then "Ingående ackumulerat överskott" (at the end of the
 * previous year), "Årets resultat" and "Utgående ackumulerat överskott".
 * Columns: "budget" Budget YEAR (the sum of the year's budget lines per
 * funder or activity; not with `detail`, nor for a year without a budget),
 * "amount" Utfall YEAR, "deviation" Avvikelse (utfall − budget, costs
 * budget − utfall: positive is favourable), "previous" Utfall YEAR−1
 * (empty for a year before the book began). A line is shown when it has
 * outcome in either year or a budget.
 */
report *report_result(const book *b, int year, int detail, date_t to);

/*
 * The accumulated surplus per year, from the book's first year to the year
 * of `at`: opening, result, closing (= opening + result), of which
 * earmarked (remaining of every open earmark at the year's end, or at `at`
 * for the current year), free (= closing − earmarked), and whether the
 * year is closed.
 */
report *report_surplus(const book *b, date_t at);

/*
 * Earmarks as of `at`: per earmark decided on or before `at`, its type,
 * reserved, released, drawn, remaining, % used (drawn / reserved), decision
 * (body, date, paragraph), validity and status (aktiv, förbrukad,
 * överdragen, utgången, avslutad), with warnings for overdrawn and expired
 * earmarks; reservations first, then bound grants, each kind with its own
 * sum (report_earmark_sums). A second table, "Fritt överskott", splits the
 * accumulated surplus at `at` (report_surplus_split).
 */
report *report_earmarks(const book *b, date_t at);

/*
 * Budget against outcome for `year`, with the outcome counted through `at`
 * (the book's reported-through date by default, see cmd_report.c). Per
 * budget line: Budget helår; Utfall per period (`by`: PERIOD_BY_QUARTER,
 * the default for anything else, PERIOD_BY_TERTIAL or PERIOD_BY_MONTH;
 * every period of the year is a column, those not begun by `at` empty);
 * Budget t.o.m. (the budget of the quarters that have ended by `at`: the
 * budget's own periods, so a quarter in progress counts as after);
 * Utfall t.o.m. (Σ the period columns: the entries of the year dated up to
 * `at`); Avvikelse t.o.m.; Prognos helår (the entered forecast, else
 * Utfall t.o.m. + the budget after the date, Budget helår − Budget
 * t.o.m., as the cell's constant); Avvikelse helår; Utfall %
 * (t.o.m. / Budget helår).
 *
 * Deviations are positive when favourable: income and result outcome −
 * budget, costs budget − outcome (the cost cells are flipped, see
 * report_cell.flip). Outcome that no budget line covers is shown on lines
 * marked "ej budgeterad" so the totals are the ledger's. Income section,
 * cost section, result. Then the table "Öronmärkta medel" (each earmark in
 * force during the year: decided, released, drawn this year, drawn in
 * total, remaining at `at`) and "Ackumulerat överskott" at `at`: of which
 * earmarked (reservations), bound grants, and free. A warning note names
 * each quarter ended by `at` that has a budget but no entries at all; a
 * note says when the book records no reported-through date (the default
 * date is then today), and a warning when `at` is later than that date
 * (the outcome after it is not complete).
 */
report *report_budget(const book *b, int year, date_t at, period_by by);

/* The date the follow-up is "per" when none is asked for: the book's
 * reported-through date (rapporterat.csv, b->reported), or today while
 * the book records none (the reports then say so). */
date_t report_default_date(const book *b);
/* The year a follow-up is of when none is asked for: the year of
 * report_default_date. */
int report_default_year(const book *b);
/* The date a follow-up of `year` is "per" when none is asked for:
 * report_default_date clamped to the year: a past year's last day, or
 * the day before a future year begins (nothing has happened yet). */
date_t report_default_at(const book *b, int year);

/* The outcome columns a follow-up "per" period asks for: tertials for a
 * tertial (2026T2), else quarters. */
period_by report_budget_by(const period_t *at);

/*
 * The specification of one activity in `period` (columns split by `by` as
 * in balance): its cost lines per account, "Summa kostnader"; the income
 * attributed to it per funder, "Summa intäkter"; and "Nettokostnad"
 * (costs − income).
 */
report *report_activity(const book *b, int activity, const period_t *period,
                        period_by by);

/* ---- Allocation by population (report_alloc.c, alloc.h) ------------------ */

/*
 * The split of a year between the municipalities pop[0..n-1] (from
 * book_year_populations; `fallback` as it said): with `rate`, each one's
 * contribution rate × population; else `whole` split by population
 * (largest remainder). One LINE row per municipality (code = funder code)
 * with Invånare (key population), Andel (share), the amount (key amount:
 * "Per år" or "Belopp") and, with `quarters`, the amount in four equal
 * parts (q1..q4, the öre left over on the first); then "Summa".
 */
report *report_allocation(const book *b, int year, const book_population *pop,
                          size_t n, int fallback, const dec_t *rate,
                          const dec_t *whole, int quarters);

/*
 * The specification of one activity in `period` per municipality: one
 * column per municipality (key = its funder code) and Summa; rows as in
 * report_activity (costs per account, income per funder, net cost). An
 * entry with a municipality as funder counts wholly for it; the rest of a
 * row is split per year by that year's populations (largest remainder), so
 * each row's parts add up to its total exactly. NULL, with errors in dl,
 * when a year that has something to split has no populations.
 */
report *report_activity_municipal(const book *b, int activity,
                                  const period_t *period, diag_list *dl);

/*
 * The journal filtered by f: one row per entry (label "YEAR:NUM"), columns
 * Datum, Konto, Verksamhet, Finansiär, Öronmärkning, Belopp, Text, Rättar;
 * then "Summa intäkter" and "Summa kostnader" for the kinds present, and
 * "Netto (intäkter − kostnader)" when both are. `period_label` (may be
 * NULL) goes into the subtitle.
 */
report *report_list(const book *b, const calc_filter *f,
                    const char *period_label);

/* ---- Shared helpers (report_common.c) ----------------------------------- */

/* The header of a report on book b: organisation name, period, as_of. */
void report_book_header(report *r, const book *b, const char *period,
                        date_t as_of);

/* Add one AMOUNT column per period (heading = its label, key "p1", "p2" …)
 * and, when n > 1, a LINEAR row-total column "Summa" (key "total"). Returns
 * the index of the first period column; *total gets the total column's
 * index (or -1). */
int report_period_columns(report_table *t, const period_t *p, size_t n,
                          int *total);

/*
 * A pivot: exact sums per (key, period) built in ONE pass over the journal,
 * so a report costs O(entries), not O(rows × periods × entries). Keys are
 * whatever the report chooses (e.g. kind × (activity + 1)).
 */
typedef struct {
    size_t nkeys, nper;
    dec_t *v;     /* nkeys × nper sums */
    long *count;  /* entries per key (all periods) */
} report_pivot;

void report_pivot_init(report_pivot *pv, size_t nkeys, size_t nper);
void report_pivot_free(report_pivot *pv);
/* Add an entry's amount to (key, per). */
void report_pivot_add(report_pivot *pv, size_t key, size_t per,
                      const dec_t *amount);
/* The sum at (key, per). */
const dec_t *report_pivot_at(const report_pivot *pv, size_t key, size_t per);

/* Index of the period among the n consecutive, sorted periods p that holds
 * d, or n when none does (binary search). */
size_t report_period_index(const period_t *p, size_t n, date_t d);

/* Fill a LINE row from a pivot key: one amount per period column, and the
 * total column (if any, i.e. >= 0) from its definition. */
void report_fill_pivot_row(report_table *t, size_t row,
                           const report_pivot *pv, size_t key, int first_col,
                           int total_col);

/* Add a total row of `kind` summing the LINE (or, with kind_of_parts,
 * other) rows in first..last, with every non-derived amount column from
 * the formula and derived columns from their definition. Returns it. */
size_t report_add_sum_row(report_table *t, report_row_kind kind,
                          const char *label, size_t first, size_t last,
                          report_row_kind kind_of_parts);

/* Add a total row = +a −b (e.g. a result). Returns it. */
size_t report_add_diff_row(report_table *t, report_row_kind kind,
                           const char *label, size_t a, size_t b);

/* The indexes of b's earmarks in the order every earmark table lists them:
 * the reservations, then the bound grants, each kind in the book's order.
 * b->earmarks.n entries (at least one allocated); free() it. */
size_t *report_earmark_order(const book *b);

/*
 * The sum rows of an earmark table whose LINE rows first..t->nrows-1 are
 * the reservations (the first n_res) followed by the bound grants. The two
 * kinds are different money (a reservation is surplus set aside by the
 * group's decision; a grant is income bound to its purpose) and every view
 * shows "öronmärkt" as the reservations only, so they are never summed
 * under one label: with both kinds, TOTAL rows "Summa öronmärkt överskott"
 * and "Summa bundna bidrag"; with reservations only, one TOTAL row
 * `single`; with grants only, "Summa bundna bidrag"; none without rows.
 */
void report_earmark_sums(report_table *t, size_t first, size_t n_res,
                         const char *single);

/*
 * The accumulated surplus at `at` as every view splits it, into `t`'s
 * amount column `col`: the line `acc_label` (the accumulated surplus), of
 * which "Varav öronmärkt (beslut om reservation)" and "Varav bundna bidrag
 * (ej förbrukat)" (indented; overdrawn earmarks count as zero, see
 * calc_earmarked_split_at), and the TOTAL row "Ej öronmärkt (fritt
 * överskott)" = the first − the other two. Returns the TOTAL row.
 */
size_t report_surplus_split(report_table *t, int col, const book *b,
                            date_t at, const char *acc_label);

/* Mark every derived column of `row` as computed from its definition. */
void report_row_derive(report_table *t, size_t row);

/* True when the entry passes f and its account is of `kind`. */
int report_entry_in(const book *b, const calc_filter *f,
                    const book_entry *e, book_kind kind);

#endif
