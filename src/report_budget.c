/* report_budget - budget against outcome and forecast for a year (`samla
 * budget YEAR`, see reports.h): the follow-up table, the earmarks and the
 * accumulated surplus split into earmarked, bound grants and free. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "mem.h"

/* Column indices of the follow-up table. */
typedef struct {
    int budget, p0, np, budget_to_date, to_date, dev_to_date, forecast,
        deviation, pct, comment;
} budget_cols;

/* The budget periods of budget.csv are quarters (its Q1–Q4 columns). The
 * budget "to date" is that of the quarters that have ended by `at`; a
 * quarter in progress belongs to the rest of the year in full, since costs
 * arrive per quarter (counting a third of Q2 as spent at the end of April
 * would drop it from the forecast). */
static void budget_split(const dec_t q[4], int year, date_t at,
                         dec_t *to_date)
{
    dec_set_zero(to_date);
    for (int k = 0; k < 4; k++) {
        period_t p;
        period_quarter(&p, year, k + 1);
        if (p.to <= at)
            dec_add(to_date, to_date, &q[k]);
    }
}

/* Outcome of line l per period column, up to `at`; periods that have not
 * begun stay empty. */
static void fill_line(report_table *t, size_t row, const budget_cols *c,
                      const book *b, const book_budget_line *l,
                      const period_t *ps, date_t at)
{
    dec_t v;
    dec_init(&v);
    for (int k = 0; k < c->np; k++) {
        if (ps[k].from > at)
            continue;
        date_t to = ps[k].to < at ? ps[k].to : at;
        calc_budget_outcome(b, l, ps[k].from, to, &v);
        report_set_amount(t, row, c->p0 + k, &v);
    }
    dec_clear(&v);
}

/* The derived cells of a line: Utfall t.o.m. (Σ periods), Avvikelse
 * t.o.m., Prognos helår (unless entered: Utfall t.o.m. + the budget after
 * the date), Avvikelse helår, Utfall %.
 * Deviations are outcome − budget; a cost line flips them, so a positive
 * deviation is favourable on every line. */
static void derive_line(report_table *t, size_t row, const budget_cols *c,
                        int cost, int entered_forecast, const dec_t *budget,
                        const dec_t *budget_to_date)
{
    report_row_use_column(t, row, c->to_date, NULL);
    report_row_use_column(t, row, c->dev_to_date, NULL);
    if (!entered_forecast) {
        dec_t after;
        dec_init(&after);
        dec_sub(&after, budget, budget_to_date);
        report_row_use_column(t, row, c->forecast, &after);
        dec_clear(&after);
    }
    report_row_use_column(t, row, c->deviation, NULL);
    report_row_use_column(t, row, c->pct, NULL);
    if (cost) {
        report_row_flip(t, row, c->dev_to_date);
        report_row_flip(t, row, c->deviation);
    }
}

/* The comment on a follow-up line of `year` per `at` (kommentarer.csv,
 * book_comment_at), or NULL. */
static const char *line_comment(const book *b, int year, book_kind kind,
                                const char *code, int account, date_t at)
{
    const book_comment *c = book_comment_at(b, year, kind, code, account, at);
    return c ? c->text : NULL;
}

/* Totals and results: Prognos is the sum of the lines' forecasts (some
 * are entered, so it is not outcome + remaining budget). */
static void total_row_fix(report_table *t, size_t row, const budget_cols *c,
                          int cost, int is_result)
{
    report_cell *f = report_cell_at(t, row, c->forecast);
    f->src = REPORT_SRC_ROW;
    f->has_addend = 0;
    /* Utfall t.o.m. of a total is the sum of the lines' (the same value
     * as the sum of its periods, and a formula also where the periods are
     * not shown). */
    report_cell_at(t, row, c->to_date)->src = REPORT_SRC_ROW;
    if (cost) {
        report_row_flip(t, row, c->dev_to_date);
        report_row_flip(t, row, c->deviation);
    }
    if (is_result) /* a percentage of a budgeted result means nothing */
        report_set_text(t, row, c->pct, NULL);
}

/* The period columns: quarters, tertials or months of the year. */
static size_t outcome_periods(int year, period_by by, period_t **out)
{
    period_t yp;
    period_year(&yp, year);
    if (by != PERIOD_BY_TERTIAL && by != PERIOD_BY_MONTH)
        by = PERIOD_BY_QUARTER;
    return period_split(&yp, by, out);
}

static const char *const month_abbr[] = {"jan", "feb", "mar", "apr",
                                         "maj", "jun", "jul", "aug",
                                         "sep", "okt", "nov", "dec"};

/* Key and heading of period column k: q1 "Utfall Q1", t2 "Utfall T2",
 * m3 "Utfall mar". */
static void period_names(const period_t *p, period_by by, int k, char *key,
                         size_t ksz, char *head, size_t hsz)
{
    if (by == PERIOD_BY_MONTH) {
        snprintf(key, ksz, "m%d", k + 1);
        snprintf(head, hsz, "Utfall %s", month_abbr[k % 12]);
    } else {
        char letter = by == PERIOD_BY_TERTIAL ? 'T' : 'Q';
        snprintf(key, ksz, "%c%d", letter == 'T' ? 't' : 'q', k + 1);
        snprintf(head, hsz, "Utfall %s", p->label + 4);
    }
}

/* "Samordningsgruppen 2025-12-12 § 8": the decision an earmark rests on. */
static void decision_text(const book_earmark *em, char *buf, size_t size)
{
    char d[11] = "";
    if (em->decided != DATE_NONE)
        date_format(em->decided, d);
    snprintf(buf, size, "%s%s%s%s%s", em->body ? em->body : "",
             *d ? " " : "", d, em->paragraph && *em->paragraph ? " " : "",
             em->paragraph ? em->paragraph : "");
}

/* Each earmark in force during the year: decided (net of what was
 * released), drawn this year and in total, and what remains at `at`, with
 * its decision. */
static void earmark_table(report *r, const book *b, int year, date_t at)
{
    char head[32];
    report_table *t = report_add_table(r, "Öronmärkta medel", "Ändamål",
                                       "Kod");
    int c_res = report_add_column(t, "decided", "Beslutat",
                                  REPORT_COL_AMOUNT);
    snprintf(head, sizeof head, "Förbrukat %d", year);
    int c_year = report_add_column(t, "drawn_year", head, REPORT_COL_AMOUNT);
    int c_drawn = report_add_column(t, "drawn", "Förbrukat totalt",
                                    REPORT_COL_AMOUNT);
    int c_rem = report_add_column(t, "remaining", "Återstår",
                                  REPORT_COL_AMOUNT);
    int c_dec = report_add_column(t, "decision", "Beslut", REPORT_COL_TEXT);
    report_col_priority(t, c_dec, 2);
    report_colterm rem_def[] = {{c_res, +1}, {c_drawn, -1}};
    report_col_linear(t, c_rem, rem_def, 2);

    date_t before = date_make(year, 1, 1) - 1;
    calc_earmark now, then;
    calc_earmark_init(&now);
    calc_earmark_init(&then);
    dec_t v;
    dec_init(&v);
    size_t first = t->nrows, n_res = 0;
    size_t *order = report_earmark_order(b);
    for (size_t k = 0; k < b->earmarks.n; k++) {
        size_t i = order[k];
        const book_earmark *em = &b->earmarks.v[i];
        calc_earmark_at(b, (int)i, at, &now);
        calc_earmark_at(b, (int)i, before, &then);
        /* Closed before the year began: history, not this year's money. */
        if (!now.exists || (then.exists && then.closed))
            continue;
        char dec_s[512], text[600];
        decision_text(em, dec_s, sizeof dec_s);
        snprintf(text, sizeof text, "%s%s",
                 em->kind == EARMARK_GRANT ? "Bundet bidrag; " : "", dec_s);
        size_t row = report_add_row(t, REPORT_ROW_LINE, em->code, em->purpose,
                                    0);
        n_res += em->kind != EARMARK_GRANT;
        /* Decided: what is reserved now (reserved − released; for a grant
         * the income tagged with it). */
        dec_sub(&v, &now.reserved, &now.released);
        report_set_amount(t, row, c_res, &v);
        dec_sub(&v, &now.drawn, &then.drawn);
        report_set_amount(t, row, c_year, &v);
        report_set_amount(t, row, c_drawn, &now.drawn);
        /* Remaining is the formula on every row, a closed earmark's too
         * (calc.h), so the sum row is the sum of the rows. */
        report_row_use_column(t, row, c_rem, NULL);
        report_set_text(t, row, c_dec, text);
        if (dec_sgn(&now.remaining) < 0) {
            t->rows[row].flags |= REPORT_FLAG_WARN;
            char *o = dec_format_kr(&now.remaining);
            report_add_note(r, REPORT_NOTE_WARNING,
                            "Varning: öronmärkningen %s är överdragen "
                            "(återstår %s).",
                            em->code, o);
            free(o);
        }
    }
    if (t->nrows == first)
        report_add_row(t, REPORT_ROW_NOTE, NULL,
                       "Inga öronmärkningar gäller under året.", 0);
    else
        report_earmark_sums(t, first, n_res, "Summa öronmärkt");
    free(order);
    dec_clear(&v);
    calc_earmark_clear(&now);
    calc_earmark_clear(&then);
}

/* The accumulated surplus at `at`: of which earmarked (reservations),
 * bound grants, and free. */
static void surplus_table(report *r, const book *b, date_t at)
{
    report_table *s = report_add_table(r, "Ackumulerat överskott",
                                       "Benämning", NULL);
    int col = report_add_column(s, "amount", "Belopp", REPORT_COL_AMOUNT);
    char d[11], lab[64];
    date_format(at, d);
    snprintf(lab, sizeof lab, "Ackumulerat överskott per %s", d);
    report_surplus_split(s, col, b, at, lab);
}

/* A warning for each budget period that has ended by `at`, has a budget,
 * and has no entries at all: its outcome is most likely not registered. */
static void warn_missing(report *r, const book *b, int year, date_t at)
{
    for (int k = 0; k < 4; k++) {
        period_t q;
        period_quarter(&q, year, k + 1);
        if (q.to > at)
            break;
        int budgeted = 0;
        for (size_t j = 0; j < b->budget.n && !budgeted; j++)
            budgeted = b->budget.v[j].year == year &&
                       !dec_is_zero(&b->budget.v[j].q[k]);
        if (!budgeted)
            continue;
        int any = 0;
        for (size_t i = 0; i < b->entries.n && !any; i++)
            any = period_contains(&q, b->entries.v[i].date);
        if (!any) {
            char d[11];
            date_format(at, d);
            report_add_note(r, REPORT_NOTE_WARNING,
                            "Varning: %s har budget men inga verifikationer "
                            "alls. Är kvartalet registrerat? Utfallet t.o.m. "
                            "%s saknar det.",
                            q.label, d);
        }
    }
}

report *report_budget(const book *b, int year, date_t at, period_by by)
{
    if (by != PERIOD_BY_TERTIAL && by != PERIOD_BY_MONTH)
        by = PERIOD_BY_QUARTER;
    period_t yp;
    period_year(&yp, year);
    period_t *ps = NULL;
    int np = (int)outcome_periods(year, by, &ps);
    int begun = 0; /* periods that have begun by `at` */
    for (int k = 0; k < np; k++)
        if (ps[k].from <= at)
            begun = k + 1;

    char title[64], plabel[16];
    snprintf(title, sizeof title, "Budget och utfall %d", year);
    snprintf(plabel, sizeof plabel, "%d", year);
    report *r = report_new("budget", title);
    report_set_header_through(r, b->name, plabel, at);
    report_table *t = report_add_table(r, "Budgetuppföljning", "Budgetrad",
                                       "Kod");
    budget_cols c;
    c.budget = report_add_column(t, "budget", "Budget helår",
                                 REPORT_COL_AMOUNT);
    c.p0 = t->ncols;
    c.np = np;
    /* Every period of the year is a column, so a sheet keeps its shape
     * through the year; periods that have not begun by `at` stay empty. */
    for (int k = 0; k < np; k++) {
        char key[16], head[32];
        period_names(&ps[k], by, k, key, sizeof key, head, sizeof head);
        int col = report_add_column(t, key, head, REPORT_COL_AMOUNT);
        report_col_priority(t, col, ps[k].from > at ? 4 : 3);
    }
    c.budget_to_date = report_add_column(t, "budget_to_date", "Budget t.o.m.",
                                         REPORT_COL_AMOUNT);
    c.to_date = report_add_column(t, "to_date", "Utfall t.o.m.",
                                  REPORT_COL_AMOUNT);
    c.dev_to_date = report_add_column(t, "deviation_to_date",
                                      "Avvikelse t.o.m.", REPORT_COL_AMOUNT);
    c.forecast = report_add_column(t, "forecast", "Prognos helår",
                                   REPORT_COL_AMOUNT);
    c.deviation = report_add_column(t, "deviation", "Avvikelse helår",
                                    REPORT_COL_AMOUNT);
    c.pct = report_add_column(t, "pct", "Utfall %", REPORT_COL_PERCENT);
    c.comment = report_add_column(t, "comment", "Kommentar", REPORT_COL_TEXT);
    report_col_priority(t, c.pct, 2);
    /* A comment outlives Utfall % and the codes on a narrow terminal: it
     * is shortened first, then left out with Budget t.o.m. */
    report_col_priority(t, c.comment, 1);
    report_col_priority(t, c.budget_to_date, 1);
    report_col_priority(t, c.dev_to_date, 1);

    report_colterm *pterms = mem_calloc((size_t)(begun ? begun : 1),
                                    sizeof *pterms);
    for (int k = 0; k < begun; k++) {
        pterms[k].col = c.p0 + k;
        pterms[k].sign = +1;
    }
    report_col_linear(t, c.to_date, pterms, (size_t)begun);
    free(pterms);
    /* Deviations as outcome − budget (income and result); cost cells flip. */
    report_colterm dt[] = {{c.to_date, +1}, {c.budget_to_date, -1}};
    report_col_linear(t, c.dev_to_date, dt, 2);
    /* Prognos = Utfall t.o.m. + the budget after the date (a per-line
     * constant: Budget helår − Budget t.o.m.). */
    report_colterm ft[] = {{c.to_date, +1}};
    report_col_linear(t, c.forecast, ft, 1);
    report_colterm vt[] = {{c.forecast, +1}, {c.budget, -1}};
    report_col_linear(t, c.deviation, vt, 2);
    report_col_ratio(t, c.pct, c.to_date, c.budget);

    /* Outcome no line covers, per kind × (funder or activity + 1) and
     * period, and the number of entries that more than one line covers. */
    size_t nf = b->funders.n + 1, na = b->activities.n + 1;
    report_pivot un;
    report_pivot_init(&un, nf + na, (size_t)np);
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
        if (covered)
            continue;
        size_t key = book_entry_kind(b, e) == KIND_INCOME
                         ? (size_t)(e->funder + 1)
                         : nf + (size_t)(e->activity + 1);
        report_pivot_add(&un, key,
                         report_period_index(ps, (size_t)np, e->date),
                         &e->amount);
    }

    dec_t bud, btd;
    dec_init(&bud);
    dec_init(&btd);
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
            budget_split(l->q, year, at, &btd);
            report_set_amount(t, row, c.budget_to_date, &btd);
            fill_line(t, row, &c, b, l, ps, at);
            if (l->has_forecast)
                report_set_amount(t, row, c.forecast, &l->forecast);
            report_set_text(t, row, c.comment,
                            line_comment(b, year, l->kind, l->code,
                                         l->account, at));
            derive_line(t, row, &c, kind == KIND_COST, l->has_forecast, &bud,
                        &btd);
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
            report_set_amount(t, row, c.budget_to_date, &bud);
            for (int q = 0; q < begun; q++)
                report_set_amount(t, row, c.p0 + q,
                                  report_pivot_at(&un, k0 + k, (size_t)q));
            derive_line(t, row, &c, kind == KIND_COST, 0, &bud, &bud);
            if (code)
                report_set_text(t, row, c.comment,
                                line_comment(b, year, (book_kind)kind, code,
                                             -1, at));
            t->rows[row].flags |= REPORT_FLAG_WARN;
        }
        sums[kind] = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, sumname[kind],
                                        first, t->nrows - 1, REPORT_ROW_LINE);
        total_row_fix(t, sums[kind], &c, kind == KIND_COST, 0);
        report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
    }
    size_t res = report_add_diff_row(t, REPORT_ROW_TOTAL,
                                     "Resultat (intäkter − kostnader)",
                                     sums[KIND_INCOME], sums[KIND_COST]);
    total_row_fix(t, res, &c, 0, 1);
    /* Periods that have not begun: empty on every row, totals included (a
     * total of nothing is not a zero outcome). */
    for (size_t row = 0; row < t->nrows; row++)
        for (int k = begun; k < np; k++) {
            report_cell *cell = report_cell_at(t, row, c.p0 + k);
            cell->src = REPORT_SRC_VALUE;
            cell->kind = REPORT_CELL_EMPTY;
        }

    earmark_table(r, b, year, at);
    surplus_table(r, b, at);

    char d[11];
    date_format(at, d);
    report_add_note(r, REPORT_NOTE_INFO,
                    "Avvikelse är positiv när den är gynnsam: intäkter utfall "
                    "− budget, kostnader budget − utfall, resultat utfall − "
                    "budget. Budget t.o.m. är budgeten för kvartalen som har "
                    "slutat senast %s. Prognos helår = utfall t.o.m. + "
                    "budgeten för resten av året, om inte en prognos är "
                    "inlagd. Utfall %% = utfall t.o.m. / budget helår.",
                    d);
    warn_missing(r, b, year, at);
    if (b->reported == DATE_NONE) {
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Boken anger inget rapporterat t.o.m. (samla "
                        "reported): utan ett valt datum är uppföljningen "
                        "per dagens datum.");
    } else if (at > b->reported && at >= yp.from) {
        char rd[11];
        date_format(b->reported, rd);
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Varning: boken är rapporterad t.o.m. %s; utfallet "
                        "efter det datumet och t.o.m. %s är inte komplett.",
                        rd, d);
    }
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
    dec_clear(&btd);
    report_pivot_free(&un);
    free(ps);
    report_evaluate(r);
    return r;
}
