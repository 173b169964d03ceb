/* report_common - helpers shared by the report computations (reports.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "mem.h"

int report_rows_parse(const char *s, report_rows *out)
{
    if (!strcmp(s, "account") || !strcmp(s, "konto"))
        *out = REPORT_ROWS_ACCOUNT;
    else if (!strcmp(s, "activity") || !strcmp(s, "verksamhet"))
        *out = REPORT_ROWS_ACTIVITY;
    else if (!strcmp(s, "funder") || !strcmp(s, "finansiär") ||
             !strcmp(s, "finansiar"))
        *out = REPORT_ROWS_FUNDER;
    else
        return -1;
    return 0;
}

void report_book_header(report *r, const book *b, const char *period,
                        date_t as_of)
{
    report_set_header(r, b->name, period, as_of);
}

int report_period_columns(report_table *t, const period_t *p, size_t n,
                          int *total)
{
    int first = t->ncols;
    for (size_t i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "p%zu", i + 1);
        report_add_column(t, key, p[i].label, REPORT_COL_AMOUNT);
    }
    *total = -1;
    if (n > 1) {
        *total = report_add_column(t, "total", "Summa", REPORT_COL_AMOUNT);
        report_colterm *terms = mem_calloc(n, sizeof *terms);
        for (size_t i = 0; i < n; i++) {
            terms[i].col = first + (int)i;
            terms[i].sign = +1;
        }
        report_col_linear(t, *total, terms, n);
        free(terms);
    }
    return first;
}

void report_pivot_init(report_pivot *pv, size_t nkeys, size_t nper)
{
    pv->nkeys = nkeys;
    pv->nper = nper;
    size_t n = nkeys * nper;
    pv->v = mem_calloc(n ? n : 1, sizeof *pv->v);
    pv->count = mem_calloc(nkeys ? nkeys : 1, sizeof *pv->count);
    for (size_t i = 0; i < n; i++)
        dec_init(&pv->v[i]);
}

void report_pivot_free(report_pivot *pv)
{
    for (size_t i = 0; i < pv->nkeys * pv->nper; i++)
        dec_clear(&pv->v[i]);
    free(pv->v);
    free(pv->count);
    pv->v = NULL;
    pv->count = NULL;
}

void report_pivot_add(report_pivot *pv, size_t key, size_t per,
                      const dec_t *amount)
{
    dec_t *cell = &pv->v[key * pv->nper + per];
    dec_add(cell, cell, amount);
    pv->count[key]++;
}

const dec_t *report_pivot_at(const report_pivot *pv, size_t key, size_t per)
{
    return &pv->v[key * pv->nper + per];
}

size_t report_period_index(const period_t *p, size_t n, date_t d)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d < p[mid].from)
            hi = mid;
        else if (d > p[mid].to)
            lo = mid + 1;
        else
            return mid;
    }
    return n;
}

void report_fill_pivot_row(report_table *t, size_t row,
                           const report_pivot *pv, size_t key, int first_col,
                           int total_col)
{
    for (size_t i = 0; i < pv->nper; i++)
        report_set_amount(t, row, first_col + (int)i,
                          report_pivot_at(pv, key, i));
    if (total_col >= 0)
        report_row_use_column(t, row, total_col, NULL);
}

void report_row_derive(report_table *t, size_t row)
{
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].def.kind != REPORT_DEF_NONE)
            report_row_use_column(t, row, c, NULL);
}

size_t report_add_sum_row(report_table *t, report_row_kind kind,
                          const char *label, size_t first, size_t last,
                          report_row_kind kind_of_parts)
{
    size_t row = report_add_row(t, kind, NULL, label, 0);
    if (t->nrows > 1 && first <= last)
        report_row_sum_range(t, row, first, last, kind_of_parts);
    report_row_use_formula(t, row);
    report_row_derive(t, row);
    return row;
}

size_t report_add_diff_row(report_table *t, report_row_kind kind,
                           const char *label, size_t a, size_t b)
{
    size_t row = report_add_row(t, kind, NULL, label, 0);
    report_row_add_term(t, row, a, +1);
    report_row_add_term(t, row, b, -1);
    report_row_use_formula(t, row);
    report_row_derive(t, row);
    return row;
}

int report_entry_in(const book *b, const calc_filter *f,
                    const book_entry *e, book_kind kind)
{
    return book_entry_kind(b, e) == kind && calc_filter_match(b, f, e);
}

period_by report_budget_by(const period_t *at)
{
    return at && at->label[0] && at->label[4] == 'T' ? PERIOD_BY_TERTIAL
                                                       : PERIOD_BY_QUARTER;
}

date_t report_default_date(const book *b)
{
    return b->reported != DATE_NONE ? b->reported : date_today();
}

int report_default_year(const book *b)
{
    return date_year(report_default_date(b));
}

date_t report_default_at(const book *b, int year)
{
    period_t yp;
    period_year(&yp, year);
    date_t at = report_default_date(b);
    if (at > yp.to)
        at = yp.to;
    if (at < yp.from)
        at = yp.from - 1;
    return at;
}

size_t *report_earmark_order(const book *b)
{
    size_t n = b->earmarks.n, k = 0;
    size_t *order = mem_alloc_array(n ? n : 1, sizeof *order);
    for (int grants = 0; grants < 2; grants++)
        for (size_t i = 0; i < n; i++)
            if ((b->earmarks.v[i].kind == EARMARK_GRANT) == grants)
                order[k++] = i;
    return order;
}

void report_earmark_sums(report_table *t, size_t first, size_t n_res,
                         const char *single)
{
    size_t end = t->nrows; /* one past the last earmark row */
    if (end == first)
        return;
    if (n_res == end - first) {
        report_add_sum_row(t, REPORT_ROW_TOTAL, single, first, end - 1,
                           REPORT_ROW_LINE);
        return;
    }
    if (n_res > 0)
        report_add_sum_row(t, REPORT_ROW_TOTAL, "Summa öronmärkt överskott",
                           first, first + n_res - 1, REPORT_ROW_LINE);
    report_add_sum_row(t, REPORT_ROW_TOTAL, "Summa bundna bidrag",
                       first + n_res, end - 1, REPORT_ROW_LINE);
}

size_t report_surplus_split(report_table *t, int col, const book *b,
                            date_t at, const char *acc_label)
{
    dec_t v, g;
    dec_init(&v);
    dec_init(&g);
    calc_surplus_at(b, at, &v);
    size_t acc = report_add_row(t, REPORT_ROW_LINE, NULL, acc_label, 0);
    report_set_amount(t, acc, col, &v);
    calc_earmarked_split_at(b, at, &v, &g);
    size_t ear = report_add_row(t, REPORT_ROW_LINE, NULL,
                                "Varav öronmärkt (beslut om reservation)", 1);
    report_set_amount(t, ear, col, &v);
    size_t gr = report_add_row(t, REPORT_ROW_LINE, NULL,
                               "Varav bundna bidrag (ej förbrukat)", 1);
    report_set_amount(t, gr, col, &g);
    size_t fr = report_add_row(t, REPORT_ROW_TOTAL, NULL,
                               "Ej öronmärkt (fritt överskott)", 0);
    report_row_add_term(t, fr, acc, +1);
    report_row_add_term(t, fr, ear, -1);
    report_row_add_term(t, fr, gr, -1);
    report_row_use_formula(t, fr);
    dec_clear(&v);
    dec_clear(&g);
    return fr;
}
