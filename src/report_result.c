/* report_result - the income statement of a year (`samla result`, see
 * reports.h): outcome beside budget, deviation and the previous year. */
#include <stdio.h>
#include <stdlib.h>

#include "reports.h"
#include "mem.h"

/* The columns of the statement; -1 when the statement has none. */
typedef struct {
    int budget, amount, deviation, previous;
} result_cols;

/* The outcome of `year` (through `to`) and of the year before, per funder
 * (key f), per activity (key nf + a) and per activity × account (key
 * nf + na + a × nacc + account), in one pass: period 0 = the year, 1 = the
 * year before. Income always has a funder and costs an activity (the
 * book's rules). */
static void pivot_years(const book *b, int year, date_t to, report_pivot *pv)
{
    size_t nf = b->funders.n, na = b->activities.n, nacc = b->accounts.n;
    period_t p, q;
    period_year(&p, year);
    period_year(&q, year - 1);
    report_pivot_init(pv, nf + na + na * nacc, 2);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        size_t per;
        if (period_contains(&p, e->date) && e->date <= to)
            per = 0;
        else if (period_contains(&q, e->date))
            per = 1;
        else
            continue;
        if (book_entry_kind(b, e) == KIND_INCOME) {
            if (e->funder >= 0)
                report_pivot_add(pv, (size_t)e->funder, per, &e->amount);
        } else if (e->activity >= 0) {
            report_pivot_add(pv, nf + (size_t)e->activity, per, &e->amount);
            report_pivot_add(pv,
                             nf + na + (size_t)e->activity * nacc +
                                 (size_t)e->account,
                             per, &e->amount);
        }
    }
}

/* The budget of `year` per funder (key f) and activity (key nf + a): the
 * sum of its budget lines. *overlap is set when an activity or funder has
 * both a line for all its accounts and a line for one account (the
 * budget then counts on both, as the outcome does in report_budget). */
static int budget_sums(const book *b, int year, dec_t *sums, int *overlap)
{
    size_t nf = b->funders.n;
    int any = 0;
    *overlap = 0;
    for (size_t j = 0; j < b->budget.n; j++) {
        const book_budget_line *l = &b->budget.v[j];
        if (l->year != year)
            continue;
        any = 1;
        size_t key = l->kind == KIND_INCOME ? (size_t)l->funder
                                            : nf + (size_t)l->activity;
        for (int k = 0; k < 4; k++)
            dec_add(&sums[key], &sums[key], &l->q[k]);
        for (size_t i = 0; i < j; i++) {
            const book_budget_line *m = &b->budget.v[i];
            if (m->year == year && m->kind == l->kind &&
                m->funder == l->funder && m->activity == l->activity &&
                (m->account < 0) != (l->account < 0))
                *overlap = 1;
        }
    }
    return any;
}

/* A line of the statement: its outcome, budget and previous year. */
static size_t line_row(report_table *t, const result_cols *c,
                       const char *code, const char *name, int level,
                       const report_pivot *pv, size_t key, const dec_t *bud,
                       int cost)
{
    size_t row = report_add_row(t, REPORT_ROW_LINE, code, name, level);
    report_set_amount(t, row, c->amount, report_pivot_at(pv, key, 0));
    if (c->previous >= 0)
        report_set_amount(t, row, c->previous, report_pivot_at(pv, key, 1));
    if (c->budget >= 0 && bud) {
        report_set_amount(t, row, c->budget, bud);
        report_row_use_column(t, row, c->deviation, NULL);
        if (cost)
            report_row_flip(t, row, c->deviation);
    }
    return row;
}

report *report_result(const book *b, int year, int detail, date_t to)
{
    period_t p;
    period_year(&p, year);
    if (to == DATE_NONE || to > p.to)
        to = p.to;
    size_t nf = b->funders.n, na = b->activities.n, nacc = b->accounts.n;
    report_pivot pv;
    pivot_years(b, year, to, &pv);
    dec_t *bud = mem_calloc(nf + na + 1, sizeof *bud);
    for (size_t i = 0; i < nf + na; i++)
        dec_init(&bud[i]);
    int overlap = 0;
    /* Per account the budget means little (its lines are per activity): the
     * detailed statement shows the outcome and the previous year. */
    int with_budget = !detail && budget_sums(b, year, bud, &overlap);
    /* The year before the book began has no figures in it: its column is
     * there, empty. */
    int with_previous = 1;
    int previous_known = b->start == DATE_NONE || date_year(b->start) < year;

    char title[64], plabel[16], head[32];
    snprintf(title, sizeof title, "Resultaträkning %d", year);
    snprintf(plabel, sizeof plabel, "%d", year);
    report *r = report_new("result", title);
    report_book_header(r, b, plabel, to);
    report_table *t = report_add_table(r, NULL, "Benämning", "Kod");
    result_cols c = {-1, -1, -1, -1};
    if (with_budget) {
        snprintf(head, sizeof head, "Budget %d", year);
        c.budget = report_add_column(t, "budget", head, REPORT_COL_AMOUNT);
    }
    snprintf(head, sizeof head, "Utfall %d", year);
    c.amount = report_add_column(t, "amount", head, REPORT_COL_AMOUNT);
    if (with_budget) {
        /* Outcome − budget; cost lines flip it: positive is favourable. */
        c.deviation = report_add_column(t, "deviation", "Avvikelse",
                                        REPORT_COL_AMOUNT);
        report_colterm dt[] = {{c.amount, +1}, {c.budget, -1}};
        report_col_linear(t, c.deviation, dt, 2);
        report_col_priority(t, c.deviation, 1);
    }
    if (with_previous) {
        snprintf(head, sizeof head, "Utfall %d", year - 1);
        c.previous = report_add_column(t, "previous", head,
                                       REPORT_COL_AMOUNT);
        report_col_priority(t, c.previous, 2);
    }

    report_add_row(t, REPORT_ROW_HEADING, NULL, "Intäkter", 0);
    size_t first = t->nrows;
    for (size_t f = 0; f < nf; f++) {
        int budgeted = with_budget && !dec_is_zero(&bud[f]);
        if (!pv.count[f] && !budgeted)
            continue;
        line_row(t, &c, b->funders.v[f].code, b->funders.v[f].name, 0, &pv,
                 f, with_budget ? &bud[f] : NULL, 0);
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
            int budgeted = with_budget && !dec_is_zero(&bud[nf + a]);
            if (!pv.count[nf + a] && !budgeted)
                continue;
            line_row(t, &c, b->activities.v[a].code, b->activities.v[a].name,
                     0, &pv, nf + a, with_budget ? &bud[nf + a] : NULL, 1);
        }
        cost = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, "Summa kostnader",
                                  first, t->nrows - 1, REPORT_ROW_LINE);
    } else {
        /* Per activity: a heading, its accounts, its subtotal; the cost
         * total sums the subtotals. */
        size_t *subs = mem_calloc(na ? na : 1, sizeof *subs), nsubs = 0;
        for (size_t a = 0; a < na; a++) {
            if (!pv.count[nf + a])
                continue;
            char hd[512];
            snprintf(hd, sizeof hd, "%s %s", b->activities.v[a].code,
                     b->activities.v[a].name);
            report_add_row(t, REPORT_ROW_HEADING, NULL, hd, 0);
            size_t f0 = t->nrows;
            for (size_t k = 0; k < nacc; k++) {
                size_t key = nf + na + a * nacc + k;
                if (pv.count[key])
                    line_row(t, &c, b->accounts.v[k].number,
                             b->accounts.v[k].name, 1, &pv, key, NULL, 1);
            }
            char sum[512];
            snprintf(sum, sizeof sum, "Summa %s", b->activities.v[a].name);
            subs[nsubs++] = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, sum,
                                               f0, t->nrows - 1,
                                               REPORT_ROW_LINE);
        }
        cost = report_add_row(t, REPORT_ROW_SUBTOTAL, NULL, "Summa kostnader",
                              0);
        for (size_t i = 0; i < nsubs; i++)
            report_row_add_term(t, cost, subs[i], +1);
        report_row_use_formula(t, cost);
        free(subs);
    }
    if (with_budget)
        report_row_flip(t, cost, c.deviation);
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
    size_t result = report_add_diff_row(t, REPORT_ROW_TOTAL, "Årets resultat",
                                        income, cost);
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);

    /* Accumulated surplus: opening at the end of the previous year, the
     * year's result, closing = opening + result. In the budget column the
     * opening is the same fact, so the closing there is the budgeted one
     * and its deviation the result's. */
    report_add_row(t, REPORT_ROW_HEADING, NULL, "Ackumulerat överskott", 0);
    dec_t v;
    dec_init(&v);
    size_t open_row = report_add_row(t, REPORT_ROW_LINE, NULL,
                                     "Ingående ackumulerat överskott", 0);
    calc_surplus_at(b, p.from - 1, &v);
    report_set_amount(t, open_row, c.amount, &v);
    if (with_budget) {
        report_set_amount(t, open_row, c.budget, &v);
        report_row_use_column(t, open_row, c.deviation, NULL);
    }
    if (with_previous) {
        period_t q;
        period_year(&q, year - 1);
        calc_surplus_at(b, q.from - 1, &v);
        report_set_amount(t, open_row, c.previous, &v);
    }
    size_t res2 = report_add_row(t, REPORT_ROW_LINE, NULL, "Årets resultat", 0);
    report_row_add_term(t, res2, result, +1);
    report_row_use_formula(t, res2);
    report_row_derive(t, res2);
    size_t closing = report_add_row(t, REPORT_ROW_TOTAL, NULL,
                                    "Utgående ackumulerat överskott", 0);
    report_row_add_term(t, closing, open_row, +1);
    report_row_add_term(t, closing, res2, +1);
    report_row_use_formula(t, closing);
    report_row_derive(t, closing);
    dec_clear(&v);

    if (with_budget)
        report_add_note(r, REPORT_NOTE_INFO,
                        "Avvikelse = utfall − budget för intäkter och "
                        "resultat, budget − utfall för kostnader: positiv "
                        "är gynnsam.");
    if (overlap)
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Varning: budgeten har både en rad för hela "
                        "verksamheten (finansiären) och en rad för ett av "
                        "dess konton; båda räknas i budgetkolumnen.");
    if (!previous_known) {
        char d[11];
        date_format(b->start, d);
        report_add_note(r, REPORT_NOTE_INFO,
                        "Boken börjar %s; utfallet för %d finns inte i den.",
                        d, year - 1);
    }
    report_evaluate(r);
    if (!previous_known) /* not zero: unknown */
        for (size_t row = 0; row < t->nrows; row++) {
            report_cell *cell = report_cell_at(t, row, c.previous);
            cell->src = REPORT_SRC_VALUE;
            cell->kind = REPORT_CELL_EMPTY;
        }
    for (size_t i = 0; i < nf + na; i++)
        dec_clear(&bud[i]);
    free(bud);
    report_pivot_free(&pv);
    return r;
}
