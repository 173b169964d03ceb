/* report_activity - the specification of one activity (`samla activity
 * CODE`, see reports.h): its costs per account, the income attributed to it
 * per funder, and the net cost. */
#include <stdio.h>
#include <stdlib.h>

#include "reports.h"

report *report_activity(const book *b, int activity, const period_t *period,
                        period_by by)
{
    const book_activity *act = &b->activities.v[activity];
    period_t *ps = NULL;
    size_t np = period_split(period, by, &ps);
    size_t nacc = b->accounts.n, nf = b->funders.n;

    /* One pass: costs per account (key = account), income per funder
     * (key = nacc + funder). */
    report_pivot pv;
    report_pivot_init(&pv, nacc + nf, np);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->activity != activity || !period_contains(period, e->date))
            continue;
        size_t per = report_period_index(ps, np, e->date);
        if (per == np)
            continue;
        if (book_entry_kind(b, e) == KIND_COST)
            report_pivot_add(&pv, (size_t)e->account, per, &e->amount);
        else if (e->funder >= 0)
            report_pivot_add(&pv, nacc + (size_t)e->funder, per, &e->amount);
    }

    char title[512];
    snprintf(title, sizeof title, "Verksamhet %s %s", act->code, act->name);
    report *r = report_new("activity", title);
    report_book_header(r, b, period->label, date_today());
    report_table *t = report_add_table(r, NULL, "Benämning", "Kod");
    int total_col;
    int first_col = report_period_columns(t, ps, np, &total_col);

    report_add_row(t, REPORT_ROW_HEADING, NULL, "Kostnader", 0);
    size_t first = t->nrows;
    for (size_t k = 0; k < nacc; k++) {
        if (!pv.count[k])
            continue;
        size_t row = report_add_row(t, REPORT_ROW_LINE,
                                    b->accounts.v[k].number,
                                    b->accounts.v[k].name, 0);
        report_fill_pivot_row(t, row, &pv, k, first_col, total_col);
    }
    size_t cost = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, "Summa kostnader",
                                     first, t->nrows - 1, REPORT_ROW_LINE);
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);

    report_add_row(t, REPORT_ROW_HEADING, NULL, "Intäkter till verksamheten",
                   0);
    first = t->nrows;
    for (size_t f = 0; f < nf; f++) {
        if (!pv.count[nacc + f])
            continue;
        size_t row = report_add_row(t, REPORT_ROW_LINE, b->funders.v[f].code,
                                    b->funders.v[f].name, 0);
        report_fill_pivot_row(t, row, &pv, nacc + f, first_col, total_col);
    }
    size_t income = report_add_sum_row(t, REPORT_ROW_SUBTOTAL,
                                       "Summa intäkter", first, t->nrows - 1,
                                       REPORT_ROW_LINE);
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
    report_add_diff_row(t, REPORT_ROW_TOTAL,
                        "Nettokostnad (kostnader − intäkter)", cost, income);

    report_evaluate(r);
    report_pivot_free(&pv);
    free(ps);
    return r;
}
