/*
 * report_alloc - allocations by population (see reports.h): a year's
 * contributions per inhabitant or an amount split between the
 * municipalities (`samla allocate`), and an activity's specification per
 * municipality (`samla activity CODE --per-municipality`). The splitting
 * itself is alloc.h's (largest remainder, ties to the municipality listed
 * first in finansiarer.csv).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "mem.h"
#include "reports.h"

/* ---- samla allocate ---------------------------------------------------------- */

report *report_allocation(const book *b, int year, const book_population *pop,
                          size_t n, int fallback, const dec_t *rate,
                          const dec_t *whole, int quarters)
{
    SAMLA_REQUIRE(n > 0 && (rate || whole));
    char title[160], per[16];
    if (rate) {
        char *r = dec_format(rate, DEC_KR, 2, 0);
        snprintf(title, sizeof title, "Bidrag per invånare %d: %s kr per "
                 "invånare", year, r);
        free(r);
    } else {
        char *w = dec_format(whole, DEC_KR, 2, DEC_FMT_UNIT);
        snprintf(title, sizeof title, "Fördelning efter invånare %d: %s",
                 year, w);
        free(w);
    }
    snprintf(per, sizeof per, "%d", year);
    report *r = report_new("allocate", title);
    report_book_header(r, b, per, DATE_NONE);
    report_table *t = report_add_table(r, NULL, "Kommun", "Kod");
    int c_pop = report_add_column(t, "population", "Invånare",
                                  REPORT_COL_INTEGER);
    int c_share = report_add_column(t, "share", "Andel", REPORT_COL_PERCENT);
    int c_amount = report_add_column(t, "amount",
                                     quarters ? "Per år" : "Belopp",
                                     REPORT_COL_AMOUNT);
    int c_q = -1;
    if (quarters) {
        static const char *const qk[4] = {"q1", "q2", "q3", "q4"};
        static const char *const qh[4] = {"Q1", "Q2", "Q3", "Q4"};
        for (int k = 0; k < 4; k++) {
            int c = report_add_column(t, qk[k], qh[k], REPORT_COL_AMOUNT);
            if (k == 0)
                c_q = c;
        }
    }

    unsigned long total = 0, *w = mem_calloc(n, sizeof *w);
    dec_t *parts = mem_calloc(n, sizeof *parts);
    for (size_t i = 0; i < n; i++) {
        w[i] = pop[i].population;
        total += pop[i].population;
        dec_init(&parts[i]);
    }
    if (rate)
        for (size_t i = 0; i < n; i++)
            alloc_per_capita(&parts[i], rate, w[i]);
    else
        alloc_split(parts, whole, w, n);

    dec_t num, den, q[4];
    dec_init(&num);
    dec_init(&den);
    for (int k = 0; k < 4; k++)
        dec_init(&q[k]);
    dec_set_ore(&den, (long)total);
    size_t first = t->nrows;
    for (size_t i = 0; i < n; i++) {
        const book_funder *f = &b->funders.v[pop[i].funder];
        size_t row = report_add_row(t, REPORT_ROW_LINE, f->code, f->name, 0);
        report_set_integer(t, row, c_pop, (long long)w[i]);
        dec_set_ore(&num, (long)w[i]);
        report_set_percent(t, row, c_share, &num, &den);
        report_set_amount(t, row, c_amount, &parts[i]);
        if (quarters) {
            alloc_quarters(q, &parts[i]);
            for (int k = 0; k < 4; k++)
                report_set_amount(t, row, c_q + k, &q[k]);
        }
    }
    size_t sum = report_add_row(t, REPORT_ROW_TOTAL, NULL, "Summa", 0);
    report_row_sum_range(t, sum, first, t->nrows - 2, REPORT_ROW_LINE);
    report_row_use_formula(t, sum);
    report_set_integer(t, sum, c_pop, (long long)total);
    report_set_percent(t, sum, c_share, &den, &den);

    report_add_note(r, REPORT_NOTE_INFO,
                    fallback
                        ? "Invånare enligt finansiarer.csv (invanare.csv har "
                          "inga rader för %d)."
                        : "Invånare enligt invanare.csv för %d.",
                    year);
    if (rate)
        report_add_note(r, REPORT_NOTE_INFO,
                        "Bidraget per år är exakt invånare × belopp per "
                        "invånare; kvartalen är lika stora delar av året och "
                        "överblivna ören läggs på de första kvartalen.");
    else
        report_add_note(r, REPORT_NOTE_INFO,
                        "Fördelat efter invånare med största "
                        "restmetoden: delarna summerar exakt till beloppet "
                        "och ligger inom ett öre från den exakta andelen; "
                        "vid lika rest går öret till den kommun som står "
                        "först i finansiarer.csv.");
    report_evaluate(r);
    for (size_t i = 0; i < n; i++)
        dec_clear(&parts[i]);
    for (int k = 0; k < 4; k++)
        dec_clear(&q[k]);
    dec_clear(&num);
    dec_clear(&den);
    free(parts);
    free(w);
    return r;
}

/* ---- samla activity CODE --per-municipality ----------------------------------- */

/* A population as Swedish text: "43 570" (U+00A0 between groups). */
static void pop_text(unsigned long v, char *buf, size_t size)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%lu", v);
    size_t o = 0;
    for (int i = 0; i < n && o + 3 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0) {
            buf[o++] = '\xC2';
            buf[o++] = '\xA0';
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* One year's populations, looked up once. */
typedef struct {
    int year;
    book_population *pop;
    size_t n;
    int fallback;
} year_pop;

report *report_activity_municipal(const book *b, int activity,
                                  const period_t *period, diag_list *dl)
{
    const book_activity *act = &b->activities.v[activity];
    size_t nacc = b->accounts.n, nf = b->funders.n, nkeys = nacc + nf;
    int y0 = date_year(period->from), y1 = date_year(period->to);
    size_t ny = (size_t)(y1 - y0 + 1);

    /* Per key (cost account, or nacc + funder for income): the amounts
     * with a municipality as funder (direct, per funder) and the rest per
     * year (shared, split by that year's populations). */
    report_pivot direct, shared;
    report_pivot_init(&direct, nkeys, nf);
    report_pivot_init(&shared, nkeys, ny);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->activity != activity || !period_contains(period, e->date))
            continue;
        int cost = book_entry_kind(b, e) == KIND_COST;
        if (!cost && e->funder < 0)
            continue;
        size_t key = cost ? (size_t)e->account : nacc + (size_t)e->funder;
        if (book_funder_is_municipality(b, e->funder))
            report_pivot_add(&direct, key, (size_t)e->funder, &e->amount);
        else
            report_pivot_add(&shared, key, (size_t)(date_year(e->date) - y0),
                             &e->amount);
    }

    /* The years that have something to split, and their populations; a
     * year without populations is an error (nothing is guessed). */
    year_pop *yp = mem_calloc(ny, sizeof *yp);
    int *col_of = mem_calloc(nf ? nf : 1, sizeof *col_of);
    for (size_t f = 0; f < nf; f++)
        col_of[f] = -1;
    size_t before = diag_errors(dl);
    for (size_t y = 0; y < ny; y++) {
        yp[y].year = y0 + (int)y;
        int need = 0;
        for (size_t k = 0; k < nkeys && !need; k++)
            need = !dec_is_zero(report_pivot_at(&shared, k, y));
        if (!need)
            continue;
        yp[y].n = book_year_populations(b, yp[y].year, &yp[y].pop,
                                        &yp[y].fallback);
        if (yp[y].n == 0)
            diag_error(dl, NULL, 0, 0,
                       "invånarantal saknas för %d: ange dem i invanare.csv "
                       "(samla allocate population %d KOD ANTAL)",
                       yp[y].year, yp[y].year);
        for (size_t i = 0; i < yp[y].n; i++)
            col_of[yp[y].pop[i].funder] = 0;
    }
    for (size_t k = 0; k < nkeys; k++)
        for (size_t f = 0; f < nf; f++)
            if (!dec_is_zero(report_pivot_at(&direct, k, f)))
                col_of[f] = 0;
    report *r = NULL;
    if (diag_errors(dl) > before)
        goto out;

    char title[512];
    snprintf(title, sizeof title, "Verksamhet %s %s per kommun", act->code,
             act->name);
    r = report_new("activity_municipal", title);
    report_book_header(r, b, period->label, date_today());
    report_table *t = report_add_table(r, NULL, "Benämning", "Kod");
    size_t ncols = 0;
    for (size_t f = 0; f < nf; f++)
        if (col_of[f] == 0) {
            col_of[f] = report_add_column(t, b->funders.v[f].code,
                                          b->funders.v[f].name,
                                          REPORT_COL_AMOUNT);
            ncols++;
        }
    int c_total = report_add_column(t, "total", "Summa", REPORT_COL_AMOUNT);
    report_colterm *terms = mem_calloc(ncols ? ncols : 1, sizeof *terms);
    for (size_t f = 0, j = 0; f < nf; f++)
        if (col_of[f] >= 0) {
            terms[j].col = col_of[f];
            terms[j++].sign = +1;
        }
    report_col_linear(t, c_total, terms, ncols);
    free(terms);

    dec_t *cell = mem_calloc(nf ? nf : 1, sizeof *cell);
    dec_t *parts = mem_calloc(nf ? nf : 1, sizeof *parts);
    unsigned long *w = mem_calloc(nf ? nf : 1, sizeof *w);
    for (size_t f = 0; f < nf; f++) {
        dec_init(&cell[f]);
        dec_init(&parts[f]);
    }
    size_t sect_rows[2];
    for (int sect = 0; sect < 2; sect++) {
        report_add_row(t, REPORT_ROW_HEADING, NULL,
                       sect == 0 ? "Kostnader" : "Intäkter till verksamheten",
                       0);
        size_t first = t->nrows;
        size_t k0 = sect == 0 ? 0 : nacc, k1 = sect == 0 ? nacc : nkeys;
        for (size_t k = k0; k < k1; k++) {
            if (!direct.count[k] && !shared.count[k])
                continue;
            for (size_t f = 0; f < nf; f++)
                dec_set(&cell[f], report_pivot_at(&direct, k, f));
            for (size_t y = 0; y < ny; y++) {
                const dec_t *s = report_pivot_at(&shared, k, y);
                if (dec_is_zero(s))
                    continue;
                for (size_t i = 0; i < yp[y].n; i++)
                    w[i] = yp[y].pop[i].population;
                alloc_split(parts, s, w, yp[y].n);
                for (size_t i = 0; i < yp[y].n; i++) {
                    int f = yp[y].pop[i].funder;
                    dec_add(&cell[f], &cell[f], &parts[i]);
                }
            }
            size_t row = sect == 0
                ? report_add_row(t, REPORT_ROW_LINE, b->accounts.v[k].number,
                                 b->accounts.v[k].name, 0)
                : report_add_row(t, REPORT_ROW_LINE,
                                 b->funders.v[k - nacc].code,
                                 b->funders.v[k - nacc].name, 0);
            for (size_t f = 0; f < nf; f++)
                if (col_of[f] >= 0)
                    report_set_amount(t, row, col_of[f], &cell[f]);
            report_row_use_column(t, row, c_total, NULL);
        }
        sect_rows[sect] = report_add_row(
            t, REPORT_ROW_SUBTOTAL, NULL,
            sect == 0 ? "Summa kostnader" : "Summa intäkter", 0);
        report_row_sum_range(t, sect_rows[sect], first, t->nrows - 2,
                             REPORT_ROW_LINE);
        report_row_use_formula(t, sect_rows[sect]);
        report_row_use_column(t, sect_rows[sect], c_total, NULL);
        report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);
    }
    size_t net = report_add_row(t, REPORT_ROW_TOTAL, NULL,
                                "Nettokostnad (kostnader − intäkter)", 0);
    report_row_add_term(t, net, sect_rows[0], +1);
    report_row_add_term(t, net, sect_rows[1], -1);
    report_row_use_formula(t, net);
    report_row_use_column(t, net, c_total, NULL);

    /* Say which populations were used. */
    for (size_t y = 0; y < ny; y++) {
        if (!yp[y].n)
            continue;
        char list[512];
        size_t used = 0;
        unsigned long total = 0;
        list[0] = '\0';
        for (size_t i = 0; i < yp[y].n; i++)
            total += yp[y].pop[i].population;
        for (size_t i = 0; i < yp[y].n && used < sizeof list; i++) {
            char pt[32];
            pop_text(yp[y].pop[i].population, pt, sizeof pt);
            used += (size_t)snprintf(list + used, sizeof list - used,
                                     "%s%s %s", i ? ", " : "",
                                     b->funders.v[yp[y].pop[i].funder].code,
                                     pt);
        }
        char tt[32];
        pop_text(total, tt, sizeof tt);
        report_add_note(r, REPORT_NOTE_INFO,
                        "Invånare %d (%s): %s av %s.", yp[y].year,
                        yp[y].fallback ? "finansiarer.csv" : "invanare.csv",
                        list, tt);
    }
    report_add_note(r, REPORT_NOTE_INFO,
                    "En post med en kommun som finansiär räknas helt till "
                    "den kommunen; övriga kostnader och intäkter fördelas "
                    "efter invånare, per konto och år, med största "
                    "restmetoden, så att varje rad summerar exakt.");
    report_evaluate(r);
    for (size_t f = 0; f < nf; f++) {
        dec_clear(&cell[f]);
        dec_clear(&parts[f]);
    }
    free(cell);
    free(parts);
    free(w);
out:
    for (size_t y = 0; y < ny; y++)
        free(yp[y].pop);
    free(yp);
    free(col_of);
    report_pivot_free(&direct);
    report_pivot_free(&shared);
    return r;
}
