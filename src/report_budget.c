/* report_budget - budget against outcome and forecast for a year (`samla
 * budget YEAR`, see reports.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"

/* Column indices of the budget table. */
typedef struct {
    int budget, q0, nq, to_date, forecast, deviation, pct;
} budget_cols;

/* The budget of the rest of the year after `at`, for quarter budgets q[4]:
 * whole quarters that begin after at, and for the quarter at falls in its
 * budget × (its months that begin after at) / 3, rounded to the öre. */
static void remaining_budget(const dec_t q[4], int year, date_t at,
                             dec_t *out)
{
    dec_t part;
    dec_init(&part);
    dec_set_zero(out);
    for (int k = 0; k < 4; k++) {
        unsigned long months = 0;
        for (int m = 1; m <= 3; m++)
            if (date_make(year, 3 * k + m, 1) > at)
                months++;
        if (months == 3)
            dec_add(out, out, &q[k]);
        else if (months) {
            dec_mul_ratio_ul(&part, &q[k], months, 3);
            dec_add(out, out, &part);
        }
    }
    dec_clear(&part);
}

/* Sum of entries passing `covers` into per-quarter cells, up to at. */
static void fill_line(report_table *t, size_t row, const budget_cols *c,
                      const book *b, const book_budget_line *l,
                      const period_t *qs, date_t at)
{
    dec_t v;
    dec_init(&v);
    for (int k = 0; k < c->nq; k++) {
        date_t to = qs[k].to < at ? qs[k].to : at;
        calc_budget_outcome(b, l, qs[k].from, to, &v);
        report_set_amount(t, row, c->q0 + k, &v);
    }
    dec_clear(&v);
}

/* Totals and results: Prognos is the sum of the lines' forecasts (some are
 * entered, so it is not outcome + remaining budget). */
static void total_row_fix(report_table *t, size_t row, const budget_cols *c,
                          int is_result)
{
    report_cell *f = report_cell_at(t, row, c->forecast);
    f->src = REPORT_SRC_ROW;
    f->has_addend = 0;
    if (is_result) /* a percentage of a budgeted result means nothing */
        report_set_text(t, row, c->pct, NULL);
}

report *report_budget(const book *b, int year, date_t at)
{
    period_t yp;
    period_year(&yp, year);
    period_t qs[4];
    int nq = 0;
    for (int k = 0; k < 4; k++) {
        period_quarter(&qs[k], year, k + 1);
        if (qs[k].from <= at)
            nq = k + 1;
    }

    char title[64], plabel[16];
    snprintf(title, sizeof title, "Budget och utfall %d", year);
    snprintf(plabel, sizeof plabel, "%d", year);
    report *r = report_new("budget", title);
    report_book_header(r, b, plabel, at);
    report_table *t = report_add_table(r, "Budgetuppföljning", "Budgetrad",
                                       "Kod");
    budget_cols c;
    c.budget = report_add_column(t, "budget", "Budget helår",
                                 REPORT_COL_AMOUNT);
    c.q0 = t->ncols;
    c.nq = nq;
    /* All four quarters are columns, so a sheet keeps its shape through the
     * year; quarters that have not begun by `at` stay empty. */
    for (int k = 0; k < 4; k++) {
        char key[16], head[32];
        snprintf(key, sizeof key, "q%d", k + 1);
        snprintf(head, sizeof head, "Utfall Q%d", k + 1);
        report_add_column(t, key, head, REPORT_COL_AMOUNT);
    }
    c.to_date = report_add_column(t, "to_date", "Utfall hittills",
                                  REPORT_COL_AMOUNT);
    c.forecast = report_add_column(t, "forecast", "Prognos helår",
                                   REPORT_COL_AMOUNT);
    c.deviation = report_add_column(t, "deviation", "Avvikelse",
                                    REPORT_COL_AMOUNT);
    c.pct = report_add_column(t, "pct", "Utfall %", REPORT_COL_PERCENT);
    report_colterm qterms[4];
    for (int k = 0; k < nq; k++) {
        qterms[k].col = c.q0 + k;
        qterms[k].sign = +1;
    }
    report_col_linear(t, c.to_date, qterms, (size_t)nq);
    report_colterm fterms[] = {{c.to_date, +1}};
    report_col_linear(t, c.forecast, fterms, 1);
    report_colterm dterms[] = {{c.budget, +1}, {c.forecast, -1}};
    report_col_linear(t, c.deviation, dterms, 2);
    report_col_ratio(t, c.pct, c.to_date, c.budget);

    /* Outcome no line covers, per kind × (funder or activity + 1), and the
     * number of entries that more than one line covers. */
    size_t nf = b->funders.n + 1, na = b->activities.n + 1;
    report_pivot un;
    report_pivot_init(&un, nf + na, (size_t)(nq ? nq : 1));
    long overlaps = 0;
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->date < yp.from || e->date > yp.to || e->date > at)
            continue;
        int covered = 0;
        for (size_t j = 0; j < b->budget.n; j++)
            if (b->budget.v[j].year == year &&
                calc_budget_covers(b, &b->budget.v[j], e))
                covered++;
        if (covered > 1)
            overlaps++;
        if (covered || nq == 0)
            continue;
        size_t key = book_entry_kind(b, e) == KIND_INCOME
                         ? (size_t)(e->funder + 1)
                         : nf + (size_t)(e->activity + 1);
        report_pivot_add(&un, key, (size_t)(date_quarter(e->date) - 1),
                         &e->amount);
    }

    dec_t bud, rest;
    dec_init(&bud);
    dec_init(&rest);
    size_t sums[2];
    static const char *const sec[] = {"Intäkter", "Kostnader"};
    static const char *const sumname[] = {"Summa intäkter", "Summa kostnader"};
    for (int kind = KIND_INCOME; kind <= KIND_COST; kind++) {
        report_add_row(t, REPORT_ROW_HEADING, NULL, sec[kind], 0);
        size_t first = t->nrows;
        for (size_t j = 0; j < b->budget.n; j++) {
            const book_budget_line *l = &b->budget.v[j];
            if (l->year != year || (int)l->kind != kind)
                continue;
            char code[256], label[512];
            const char *name = kind == KIND_INCOME
                                   ? b->funders.v[l->funder].name
                                   : b->activities.v[l->activity].name;
            if (l->account >= 0) {
                snprintf(code, sizeof code, "%s/%s", l->code,
                         b->accounts.v[l->account].number);
                snprintf(label, sizeof label, "%s, %s", name,
                         b->accounts.v[l->account].name);
            } else {
                snprintf(code, sizeof code, "%s", l->code);
                snprintf(label, sizeof label, "%s", name);
            }
            size_t row = report_add_row(t, REPORT_ROW_LINE, code, label, 0);
            dec_set_zero(&bud);
            for (int k = 0; k < 4; k++)
                dec_add(&bud, &bud, &l->q[k]);
            report_set_amount(t, row, c.budget, &bud);
            fill_line(t, row, &c, b, l, qs, at);
            report_row_use_column(t, row, c.to_date, NULL);
            if (l->has_forecast) {
                report_set_amount(t, row, c.forecast, &l->forecast);
            } else {
                remaining_budget(l->q, year, at, &rest);
                report_row_use_column(t, row, c.forecast, &rest);
            }
            report_row_use_column(t, row, c.deviation, NULL);
            report_row_use_column(t, row, c.pct, NULL);
        }
        /* Unbudgeted outcome, one line per funder or activity. */
        size_t k0 = kind == KIND_INCOME ? 0 : nf;
        size_t kn = kind == KIND_INCOME ? nf : na;
        for (size_t k = 0; k < kn; k++) {
            if (!un.count[k0 + k])
                continue;
            const char *code = NULL, *name = "(ingen)";
            if (k > 0 && kind == KIND_INCOME) {
                code = b->funders.v[k - 1].code;
                name = b->funders.v[k - 1].name;
            } else if (k > 0) {
                code = b->activities.v[k - 1].code;
                name = b->activities.v[k - 1].name;
            }
            char label[512];
            snprintf(label, sizeof label, "%s (ej budgeterad)", name);
            size_t row = report_add_row(t, REPORT_ROW_LINE, code, label, 0);
            dec_set_zero(&bud);
            report_set_amount(t, row, c.budget, &bud);
            for (int q = 0; q < nq; q++)
                report_set_amount(t, row, c.q0 + q,
                                  report_pivot_at(&un, k0 + k, (size_t)q));
            report_row_derive(t, row);
            t->rows[row].flags |= REPORT_FLAG_WARN;
        }
        sums[kind] = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, sumname[kind],
                                        first, t->nrows - 1, REPORT_ROW_LINE);
        total_row_fix(t, sums[kind], &c, 0);
        report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
    }
    size_t res = report_add_diff_row(t, REPORT_ROW_TOTAL,
                                     "Resultat (intäkter − kostnader)",
                                     sums[KIND_INCOME], sums[KIND_COST]);
    total_row_fix(t, res, &c, 1);

    /* The accumulated surplus at `at`, earmarked and free. */
    report_table *s = report_add_table(r, "Ackumulerat överskott",
                                       "Benämning", NULL);
    int col = report_add_column(s, "amount", "Belopp", REPORT_COL_AMOUNT);
    char d[11], lab[64];
    date_format(at, d);
    snprintf(lab, sizeof lab, "Ackumulerat överskott per %s", d);
    calc_surplus_at(b, at, &rest);
    size_t acc = report_add_row(s, REPORT_ROW_LINE, NULL, lab, 0);
    report_set_amount(s, acc, col, &rest);
    calc_earmarked_at(b, at, &rest);
    size_t ear = report_add_row(s, REPORT_ROW_LINE, NULL, "Varav öronmärkt",
                                0);
    report_set_amount(s, ear, col, &rest);
    report_add_diff_row(s, REPORT_ROW_TOTAL, "Ej öronmärkt", acc, ear);

    report_add_note(r, REPORT_NOTE_INFO,
                    "Prognos helår = utfall hittills + budget för resten av "
                    "året, om inte en prognos är inlagd. Avvikelse = budget − "
                    "prognos. Utfall %% = utfall hittills / budget helår.");
    if (overlaps)
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Varning: %ld verifikationer täcks av mer än en "
                        "budgetrad och räknas på var och en av dem.",
                        overlaps);
    for (size_t i = 0; i < un.nkeys; i++)
        if (un.count[i]) {
            report_add_note(r, REPORT_NOTE_WARNING,
                            "Varning: det finns utfall utan budgetrad (ej "
                            "budgeterad).");
            break;
        }
    dec_clear(&bud);
    dec_clear(&rest);
    report_pivot_free(&un);
    /* Quarters after `at`: empty on every row, totals included (a total
     * of nothing is not a zero outcome). */
    for (size_t row = 0; row < t->nrows; row++)
        for (int k = nq; k < 4; k++) {
            report_cell *cell = report_cell_at(t, row, c.q0 + k);
            if (cell->src == REPORT_SRC_ROW || cell->kind == REPORT_CELL_AMOUNT) {
                cell->src = REPORT_SRC_VALUE;
                cell->kind = REPORT_CELL_EMPTY;
            }
        }
    report_evaluate(r);
    return r;
}
