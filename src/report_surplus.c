/* report_surplus - the accumulated surplus per year (`samla surplus`, see
 * reports.h). */
#include <stdio.h>

#include "reports.h"

report *report_surplus(const book *b, date_t at)
{
    int y0 = b->start != DATE_NONE ? date_year(b->start) : date_year(at);
    int first, last;
    calc_entry_years(b, &first, &last);
    if (first && first < y0)
        y0 = first;
    int y1 = date_year(at);
    if (y1 < y0)
        y1 = y0;

    report *r = report_new("surplus", "Ackumulerat överskott per år");
    char plabel[32];
    snprintf(plabel, sizeof plabel, y0 == y1 ? "%d" : "%d–%d", y0, y1);
    report_book_header(r, b, plabel, at);
    report_table *t = report_add_table(r, NULL, "År", NULL);
    int c_open = report_add_column(t, "opening", "Ingående",
                                   REPORT_COL_AMOUNT);
    int c_res = report_add_column(t, "result", "Årets resultat",
                                  REPORT_COL_AMOUNT);
    int c_close = report_add_column(t, "closing", "Utgående",
                                    REPORT_COL_AMOUNT);
    /* Reserved surplus and unspent restricted grants apart: a grant's
     * unspent money is bound to its purpose, never free, and not a
     * decision of the group's either. */
    int c_ear = report_add_column(t, "earmarked", "Varav öronmärkt",
                                  REPORT_COL_AMOUNT);
    int c_bound = report_add_column(t, "bound", "Varav bundna bidrag",
                                    REPORT_COL_AMOUNT);
    int c_free = report_add_column(t, "free", "Ej öronmärkt",
                                   REPORT_COL_AMOUNT);
    int c_state = report_add_column(t, "status", "Bokslut", REPORT_COL_TEXT);
    report_colterm close_def[] = {{c_open, +1}, {c_res, +1}};
    report_col_linear(t, c_close, close_def, 2);
    report_colterm free_def[] = {{c_close, +1}, {c_ear, -1}, {c_bound, -1}};
    report_col_linear(t, c_free, free_def, 3);

    dec_t open, inc, cost, res, ear, bound;
    dec_init(&bound);
    dec_init(&open);
    dec_init(&inc);
    dec_init(&cost);
    dec_init(&res);
    dec_init(&ear);
    for (int y = y0; y <= y1; y++) {
        period_t p;
        period_year(&p, y);
        /* The current year is reported up to `at`, not to its end. */
        date_t end = p.to < at ? p.to : at;
        calc_surplus_at(b, p.from - 1, &open);
        calc_result(b, p.from, end, &inc, &cost);
        dec_sub(&res, &inc, &cost);
        calc_earmarked_split_at(b, end, &ear, &bound);
        char label[64];
        if (end < p.to) {
            char d[11];
            date_format(end, d);
            snprintf(label, sizeof label, "%d (t.o.m. %s)", y, d);
        } else {
            snprintf(label, sizeof label, "%d", y);
        }
        size_t row = report_add_row(t, REPORT_ROW_LINE, NULL, label, 0);
        report_set_amount(t, row, c_open, &open);
        report_set_amount(t, row, c_res, &res);
        report_set_amount(t, row, c_ear, &ear);
        report_set_amount(t, row, c_bound, &bound);
        report_row_derive(t, row);
        report_set_text(t, row, c_state,
                        book_year_closed(b, y) >= 0 ? "stängt" : "öppet");
    }
    dec_clear(&open);
    dec_clear(&inc);
    dec_clear(&cost);
    dec_clear(&res);
    dec_clear(&ear);
    dec_clear(&bound);
    report_add_note(r, REPORT_NOTE_INFO,
                    "Öronmärkt = det som återstår av beslutade reservationer "
                    "vid årets slut; bundna bidrag = ej förbrukade "
                    "statsbidrag och andra bidrag som är bundna till sitt "
                    "ändamål; ej öronmärkt = utgående − öronmärkt − bundna "
                    "bidrag.");
    report_evaluate(r);
    return r;
}
