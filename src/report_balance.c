/* report_balance - amounts per account, activity or funder and period
 * (`samla balance`, see reports.h). */
#include <stdlib.h>

#include "reports.h"

/* The dimension a row stands for: its size, and an entry's index in it
 * (-1 = none, e.g. income without an activity). */
static size_t dim_size(const book *b, report_rows rows)
{
    switch (rows) {
    case REPORT_ROWS_ACCOUNT: return b->accounts.n;
    case REPORT_ROWS_ACTIVITY: return b->activities.n;
    default: return b->funders.n;
    }
}

static int dim_of(const book_entry *e, report_rows rows)
{
    switch (rows) {
    case REPORT_ROWS_ACCOUNT: return e->account;
    case REPORT_ROWS_ACTIVITY: return e->activity;
    default: return e->funder;
    }
}

/* Code and name of index i of the dimension (i = -1: the "none" row). */
static void dim_label(const book *b, report_rows rows, book_kind kind, int i,
                      const char **code, const char **name)
{
    *code = NULL;
    if (i < 0) {
        if (rows == REPORT_ROWS_FUNDER)
            *name = kind == KIND_COST ? "Kostnader (har ingen finansiär)"
                                      : "(ingen finansiär)";
        else
            *name = "(ingen verksamhet)";
        return;
    }
    switch (rows) {
    case REPORT_ROWS_ACCOUNT:
        *code = b->accounts.v[i].number;
        *name = b->accounts.v[i].name;
        break;
    case REPORT_ROWS_ACTIVITY:
        *code = b->activities.v[i].code;
        *name = b->activities.v[i].name;
        break;
    default:
        *code = b->funders.v[i].code;
        *name = b->funders.v[i].name;
    }
}

static const char *const row_word[] = {"konto", "verksamhet", "finansiär"};
static const char *const row_heading[] = {"Konto", "Verksamhet", "Finansiär"};

report *report_balance(const book *b, const period_t *period, period_by by,
                       report_rows rows)
{
    period_t *ps = NULL;
    size_t np = period_split(period, by, &ps);
    size_t nd = dim_size(b, rows) + 1; /* + the "none" row, key 0 */

    /* One pass: key = kind × nd + (index + 1). */
    report_pivot pv;
    report_pivot_init(&pv, 2 * nd, np);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (!period_contains(period, e->date))
            continue;
        size_t per = report_period_index(ps, np, e->date);
        if (per == np)
            continue;
        size_t key = (size_t)book_entry_kind(b, e) * nd +
                     (size_t)(dim_of(e, rows) + 1);
        report_pivot_add(&pv, key, per, &e->amount);
    }

    char title[128];
    snprintf(title, sizeof title, "Utfall per %s %s", row_word[rows],
             period->label);
    report *r = report_new("balance", title);
    report_book_header(r, b, period->label, date_today());
    report_table *t = report_add_table(r, NULL, "Benämning", row_heading[rows]);
    int total_col;
    int first_col = report_period_columns(t, ps, np, &total_col);

    size_t sums[2];
    static const char *const sec_name[] = {"Intäkter", "Kostnader"};
    static const char *const sum_name[] = {"Summa intäkter",
                                           "Summa kostnader"};
    for (int kind = KIND_INCOME; kind <= KIND_COST; kind++) {
        report_add_row(t, REPORT_ROW_HEADING, NULL, sec_name[kind], 0);
        size_t first = t->nrows;
        /* The "none" row (key 0) last: it is the odd one out. */
        for (size_t k = 1; k <= nd; k++) {
            size_t d = k % nd;
            size_t key = (size_t)kind * nd + d;
            if (pv.count[key] == 0)
                continue;
            const char *code, *name;
            dim_label(b, rows, (book_kind)kind, (int)d - 1, &code, &name);
            size_t row = report_add_row(t, REPORT_ROW_LINE, code, name, 0);
            report_fill_pivot_row(t, row, &pv, key, first_col, total_col);
        }
        sums[kind] = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, sum_name[kind],
                                        first, t->nrows - 1, REPORT_ROW_LINE);
        report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
    }
    report_add_diff_row(t, REPORT_ROW_TOTAL, "Resultat (intäkter − kostnader)",
                        sums[KIND_INCOME], sums[KIND_COST]);

    report_evaluate(r);
    report_pivot_free(&pv);
    free(ps);
    return r;
}
