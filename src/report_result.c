/* report_result - the income statement of a year (`samla result`, see
 * reports.h). */
#include <stdio.h>
#include <stdlib.h>

#include "reports.h"
#include "mem.h"

report *report_result(const book *b, int year, int detail)
{
    period_t p;
    period_year(&p, year);
    size_t nf = b->funders.n, na = b->activities.n, nacc = b->accounts.n;

    /* One pass: income per funder (key f), costs per activity (key nf + a)
     * and per activity × account (key nf + na + a × nacc + account).
     * Income always has a funder and costs an activity (the book's rules). */
    report_pivot pv;
    report_pivot_init(&pv, nf + na + na * nacc, 1);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (!period_contains(&p, e->date))
            continue;
        if (book_entry_kind(b, e) == KIND_INCOME) {
            if (e->funder >= 0)
                report_pivot_add(&pv, (size_t)e->funder, 0, &e->amount);
        } else if (e->activity >= 0) {
            report_pivot_add(&pv, nf + (size_t)e->activity, 0, &e->amount);
            report_pivot_add(&pv,
                             nf + na + (size_t)e->activity * nacc +
                                 (size_t)e->account,
                             0, &e->amount);
        }
    }

    char title[64], plabel[16];
    snprintf(title, sizeof title, "Resultaträkning %d", year);
    snprintf(plabel, sizeof plabel, "%d", year);
    report *r = report_new("result", title);
    report_book_header(r, b, plabel, date_today());
    report_table *t = report_add_table(r, NULL, "Benämning", "Kod");
    int col = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);

    report_add_row(t, REPORT_ROW_HEADING, NULL, "Intäkter", 0);
    size_t first = t->nrows;
    for (size_t f = 0; f < nf; f++) {
        if (!pv.count[f])
            continue;
        size_t row = report_add_row(t, REPORT_ROW_LINE, b->funders.v[f].code,
                                    b->funders.v[f].name, 0);
        report_set_amount(t, row, col, report_pivot_at(&pv, f, 0));
    }
    size_t income = report_add_sum_row(t, REPORT_ROW_SUBTOTAL,
                                       "Summa intäkter", first, t->nrows - 1,
                                       REPORT_ROW_LINE);
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);

    report_add_row(t, REPORT_ROW_HEADING, NULL, "Kostnader", 0);
    size_t cost = 0;
    if (!detail) {
        first = t->nrows;
        for (size_t a = 0; a < na; a++) {
            if (!pv.count[nf + a])
                continue;
            size_t row = report_add_row(t, REPORT_ROW_LINE,
                                        b->activities.v[a].code,
                                        b->activities.v[a].name, 0);
            report_set_amount(t, row, col, report_pivot_at(&pv, nf + a, 0));
        }
        cost = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, "Summa kostnader",
                                  first, t->nrows - 1, REPORT_ROW_LINE);
    } else {
        /* Per activity: a heading, its accounts, its subtotal; the cost
         * total sums the subtotals. */
        size_t *subs = NULL, nsubs = 0;
        subs = mem_calloc(na ? na : 1, sizeof *subs);
        for (size_t a = 0; a < na; a++) {
            if (!pv.count[nf + a])
                continue;
            char head[512];
            snprintf(head, sizeof head, "%s %s", b->activities.v[a].code,
                     b->activities.v[a].name);
            report_add_row(t, REPORT_ROW_HEADING, NULL, head, 0);
            size_t f0 = t->nrows;
            for (size_t k = 0; k < nacc; k++) {
                size_t key = nf + na + a * nacc + k;
                if (!pv.count[key])
                    continue;
                size_t row = report_add_row(t, REPORT_ROW_LINE,
                                            b->accounts.v[k].number,
                                            b->accounts.v[k].name, 1);
                report_set_amount(t, row, col, report_pivot_at(&pv, key, 0));
            }
            char sum[512];
            snprintf(sum, sizeof sum, "Summa %s", b->activities.v[a].name);
            size_t s = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, sum, f0,
                                          t->nrows - 1, REPORT_ROW_LINE);
            subs[nsubs++] = s;
        }
        cost = report_add_row(t, REPORT_ROW_SUBTOTAL, NULL, "Summa kostnader",
                              0);
        for (size_t i = 0; i < nsubs; i++)
            report_row_add_term(t, cost, subs[i], +1);
        report_row_use_formula(t, cost);
        free(subs);
    }
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
    size_t result = report_add_diff_row(t, REPORT_ROW_TOTAL, "Årets resultat",
                                        income, cost);
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);

    /* Accumulated surplus: opening at the end of the previous year, the
     * year's result, closing = opening + result. */
    report_add_row(t, REPORT_ROW_HEADING, NULL, "Ackumulerat överskott", 0);
    dec_t opening;
    dec_init(&opening);
    calc_surplus_at(b, p.from - 1, &opening);
    size_t open_row = report_add_row(t, REPORT_ROW_LINE, NULL,
                                     "Ingående ackumulerat överskott", 0);
    report_set_amount(t, open_row, col, &opening);
    size_t res2 = report_add_row(t, REPORT_ROW_LINE, NULL, "Årets resultat", 0);
    report_row_add_term(t, res2, result, +1);
    report_row_use_formula(t, res2);
    size_t closing = report_add_row(t, REPORT_ROW_TOTAL, NULL,
                                    "Utgående ackumulerat överskott", 0);
    report_row_add_term(t, closing, open_row, +1);
    report_row_add_term(t, closing, res2, +1);
    report_row_use_formula(t, closing);
    dec_clear(&opening);

    report_evaluate(r);
    report_pivot_free(&pv);
    return r;
}
