/* report_list - the journal, filtered (`samla list`, see reports.h). */
#include <stdio.h>
#include <stdlib.h>

#include "reports.h"
#include "mem.h"

report *report_list(const book *b, const calc_filter *f,
                    const char *period_label)
{
    report *r = report_new("list", "Verifikationer");
    report_book_header(r, b, period_label, date_today());
    report_table *t = report_add_table(r, NULL, "Ver", NULL);
    int c_date = report_add_column(t, "date", "Datum", REPORT_COL_DATE);
    int c_acc = report_add_column(t, "account", "Konto", REPORT_COL_TEXT);
    int c_act = report_add_column(t, "activity", "Verksamhet",
                                  REPORT_COL_TEXT);
    int c_fun = report_add_column(t, "funder", "Finansiär", REPORT_COL_TEXT);
    int c_ear = report_add_column(t, "earmark", "Öronmärkning",
                                  REPORT_COL_TEXT);
    int c_amt = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);
    int c_text = report_add_column(t, "text", "Text", REPORT_COL_TEXT);
    int c_corr = report_add_column(t, "corrects", "Rättar", REPORT_COL_TEXT);

    /* Rows first; the sums then name them by kind (kinds[] remembers each
     * row's, in order). */
    size_t n[2] = {0, 0}, cap = 0;
    unsigned char *kinds = NULL;
    size_t first = t->nrows;
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (!calc_filter_match(b, f, e))
            continue;
        char ver[32], corr[32];
        snprintf(ver, sizeof ver, "%d:%d", e->year, e->ver);
        size_t row = report_add_row(t, REPORT_ROW_LINE, NULL, ver, 0);
        report_set_date(t, row, c_date, e->date);
        report_set_text(t, row, c_acc, b->accounts.v[e->account].number);
        if (e->activity >= 0)
            report_set_text(t, row, c_act, b->activities.v[e->activity].code);
        if (e->funder >= 0)
            report_set_text(t, row, c_fun, b->funders.v[e->funder].code);
        if (e->earmark >= 0)
            report_set_text(t, row, c_ear, b->earmarks.v[e->earmark].code);
        report_set_amount(t, row, c_amt, &e->amount);
        report_set_text(t, row, c_text, e->text);
        if (e->corr_year) {
            snprintf(corr, sizeof corr, "%d:%d", e->corr_year, e->corr_ver);
            report_set_text(t, row, c_corr, corr);
        }
        book_kind k = book_entry_kind(b, e);
        if (row - first >= cap) {
            cap = cap ? 2 * cap : 256;
            kinds = mem_realloc_array(kinds, cap, 1);
        }
        kinds[row - first] = (unsigned char)k;
        n[k]++;
    }
    size_t last = t->nrows;
    if (last == first) {
        report_add_row(t, REPORT_ROW_NOTE, NULL,
                       "Inga verifikationer matchar urvalet.", 0);
    } else {
        report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
        size_t sums[2] = {0, 0};
        static const char *const name[] = {"Summa intäkter",
                                           "Summa kostnader"};
        for (int kind = KIND_INCOME; kind <= KIND_COST; kind++) {
            if (!n[kind])
                continue;
            sums[kind] = report_add_row(t, REPORT_ROW_SUBTOTAL, NULL,
                                        name[kind], 0);
            for (size_t i = first; i < last; i++)
                if (kinds[i - first] == kind)
                    report_row_add_term(t, sums[kind], i, +1);
            report_row_use_formula(t, sums[kind]);
        }
        if (n[KIND_INCOME] && n[KIND_COST])
            report_add_diff_row(t, REPORT_ROW_TOTAL,
                                "Netto (intäkter − kostnader)",
                                sums[KIND_INCOME], sums[KIND_COST]);
    }
    free(kinds);
    report_evaluate(r);
    return r;
}
