/*
 * Unit tests for the report engine: the table model (formulas evaluated
 * exactly, ranges, rounding notes), exact percentages, the computations on
 * the example book and on small books written to a temporary folder, a
 * property test on randomized books (fixed seed), and the renderers
 * (CSV injection, JSON escaping, terminal widths).
 *
 * Non-ASCII characters are spelled as UTF-8 byte escapes, split after each
 * escape so a hex escape never runs on into the next character.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render.h"
#include "reports.h"

#define MINUS "\xE2\x88\x92" /* U+2212 */
#define NBSP "\xC2\xA0"      /* U+00A0 */

/* ------------------------------------------------------------------------
 * Helpers
 */

/* xorshift64: a tiny PRNG with a fixed seed, so failures reproduce. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static unsigned rng_below(uint64_t *s, unsigned n)
{
    return (unsigned)(rng_next(s) % n);
}

/* A dec_t from an exact string such as "-1278204.72". */
static void set(dec_t *d, const char *s)
{
    assert_int_equal(dec_parse(d, s, strlen(s), NULL), 0);
}

/* Assert that a dec has the canonical value `want` ("-1278204.72"). */
#define assert_dec(d, want)                                                   \
    do {                                                                      \
        char *got_ = dec_to_string(d);                                        \
        assert_string_equal(got_, want);                                      \
        free(got_);                                                           \
    } while (0)

/* The first row of t whose label (or code) is `label`; fails if none. */
static size_t find_row(const report_table *t, const char *label)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].label, label) ||
            (t->rows[i].code && !strcmp(t->rows[i].code, label)))
            return i;
    fail_msg("no row \"%s\"", label);
    return 0;
}

/* The column of t with key `key`; fails if none. */
static int find_col(const report_table *t, const char *key)
{
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c].key, key))
            return c;
    fail_msg("no column \"%s\"", key);
    return 0;
}

/* The amount at (row label, column key) as a canonical string. */
static void assert_cell(const report_table *t, const char *label,
                        const char *key, const char *want)
{
    const report_cell *c = report_cell_get(t, find_row(t, label),
                                           find_col(t, key));
    assert_int_equal(c->kind, REPORT_CELL_AMOUNT);
    assert_dec(&c->amount, want);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Remove a book folder made by make_book. */
static void remove_book(const char *dir)
{
    static const char *const files[] = {
        BOOK_ORGANISATION, BOOK_FUNDERS, BOOK_ACCOUNTS, BOOK_ACTIVITIES,
        BOOK_JOURNAL,      BOOK_BUDGET,  BOOK_EARMARKS, BOOK_CLOSES};
    char path[512];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* The fixed parts of a small test book: two funders, four accounts, three
 * activities. The journal, budget and earmarks are the caller's. */
static void make_book(char *dir, const char *journal, const char *budget,
                      const char *earmarks)
{
    strcpy(dir, "/tmp/samla-test-report-XXXXXX");
    assert_non_null(mkdtemp(dir));
    write_file(dir, BOOK_ORGANISATION,
               "Namn;Kortnamn;Valuta;Startdatum;"
               "Ingående ackumulerat överskott\n"
               "Testorganisationen;T;SEK;2024-01-01;1000000,00\n");
    write_file(dir, BOOK_FUNDERS, "Kod;Namn;Typ;Invånare\n"
                                  "F1;Staten;stat;\n"
                                  "F2;Kommunen;kommun;100\n");
    write_file(dir, BOOK_ACCOUNTS, "Konto;Namn;Typ\n"
                                   "3510;Bidrag;intäkt\n"
                                   "4610;Köp;kostnad\n"
                                   "5010;Löner;kostnad\n"
                                   "7690;Övrigt;kostnad\n");
    write_file(dir, BOOK_ACTIVITIES, "Kod;Namn;Specifikation\n"
                                     "A;Åtgärd;nej\n"
                                     "B;Bärande;ja\n"
                                     "C;Center;nej\n");
    char buf[1 << 16];
    snprintf(buf, sizeof buf,
             "Ver;Datum;Konto;Verksamhet;Finansiär;Öronmärkning;Belopp;Text;"
             "Underlag;Rättar;Registrerad;Användare;Källa;Fingeravtryck\n%s",
             journal);
    write_file(dir, BOOK_JOURNAL, buf);
    snprintf(buf, sizeof buf, "År;Typ;Kod;Konto;Q1;Q2;Q3;Q4;Prognos;Text\n%s",
             budget);
    write_file(dir, BOOK_BUDGET, buf);
    snprintf(buf, sizeof buf,
             "Kod;Händelse;Typ;Ändamål;Belopp;Beslutsorgan;Beslutsdatum;"
             "Paragraf;Giltig från;Giltig till;Registrerad;Användare\n%s",
             earmarks);
    write_file(dir, BOOK_EARMARKS, buf);
    write_file(dir, BOOK_CLOSES,
               "År;Händelse;Resultat;Utgående ackumulerat överskott;"
               "Antal verifikationer;Kontrollsumma;Registrerad;Användare;"
               "Motivering\n");
}

static void load(book *b, const char *dir)
{
    diag_list dl;
    diag_init(&dl);
    int rc = book_load(b, dir, &dl);
    if (rc != SAMLA_OK)
        diag_print(&dl, stderr);
    diag_free(&dl);
    assert_int_equal(rc, SAMLA_OK);
}

/* ------------------------------------------------------------------------
 * The table model
 */

/* Lines, a subtotal, a difference, a LINEAR column with an addend, a RATIO
 * column: every formula cell is computed exactly from the structure. */
static void test_model_evaluate(void **state)
{
    (void)state;
    report *r = report_new("test", "Test");
    report_table *t = report_add_table(r, NULL, "Rad", "Kod");
    int budget = report_add_column(t, "budget", "Budget", REPORT_COL_AMOUNT);
    int out = report_add_column(t, "out", "Utfall", REPORT_COL_AMOUNT);
    int fc = report_add_column(t, "fc", "Prognos", REPORT_COL_AMOUNT);
    int dev = report_add_column(t, "dev", "Avvikelse", REPORT_COL_AMOUNT);
    int pct = report_add_column(t, "pct", "Utfall %", REPORT_COL_PERCENT);
    report_colterm fterms[] = {{out, +1}};
    report_col_linear(t, fc, fterms, 1);
    report_colterm dterms[] = {{budget, +1}, {fc, -1}};
    report_col_linear(t, dev, dterms, 2);
    report_col_ratio(t, pct, out, budget);

    dec_t v, rest;
    dec_init(&v);
    dec_init(&rest);
    report_add_row(t, REPORT_ROW_HEADING, NULL, "Kostnader", 0);
    size_t a = report_add_row(t, REPORT_ROW_LINE, "A", "Alfa", 0);
    set(&v, "1000.00");
    report_set_amount(t, a, budget, &v);
    set(&v, "300.10");
    report_set_amount(t, a, out, &v);
    set(&rest, "500.00");
    report_row_use_column(t, a, fc, &rest);
    report_row_use_column(t, a, dev, NULL);
    report_row_use_column(t, a, pct, NULL);
    size_t b = report_add_row(t, REPORT_ROW_LINE, "B", "Beta", 0);
    set(&v, "0.00");
    report_set_amount(t, b, budget, &v);
    set(&v, "0.05");
    report_set_amount(t, b, out, &v);
    set(&v, "99.99");
    report_set_amount(t, b, fc, &v); /* an entered forecast */
    report_row_use_column(t, b, dev, NULL);
    report_row_use_column(t, b, pct, NULL);
    size_t sum = report_add_sum_row(t, REPORT_ROW_SUBTOTAL, "Summa", 0, b,
                                    REPORT_ROW_LINE);
    report_cell_at(t, sum, fc)->src = REPORT_SRC_ROW;
    size_t diff = report_add_diff_row(t, REPORT_ROW_TOTAL, "Alfa − Beta", a, b);
    report_evaluate(r);

    assert_dec(&report_cell_get(t, a, fc)->amount, "800.10");
    assert_dec(&report_cell_get(t, a, dev)->amount, "199.90");
    assert_int_equal(report_cell_get(t, a, pct)->kind, REPORT_CELL_PERCENT);
    assert_dec(&report_cell_get(t, a, pct)->den, "1000.00");
    assert_int_equal(report_cell_get(t, b, pct)->kind, REPORT_CELL_EMPTY);
    assert_dec(&report_cell_get(t, b, dev)->amount, "-99.99");
    assert_int_equal(report_cell_get(t, sum, budget)->src, REPORT_SRC_ROW);
    assert_dec(&report_cell_get(t, sum, budget)->amount, "1000.00");
    assert_dec(&report_cell_get(t, sum, out)->amount, "300.15");
    assert_dec(&report_cell_get(t, sum, fc)->amount, "900.09");
    assert_dec(&report_cell_get(t, sum, dev)->amount, "99.91");
    assert_dec(&report_cell_get(t, sum, pct)->amount, "300.15");
    assert_dec(&report_cell_get(t, diff, out)->amount, "300.05");
    assert_int_equal(t->rows[diff].nterms, 2);
    assert_int_equal(t->rows[diff].terms[1].sign, -1);

    size_t first, last;
    assert_true(report_row_is_range(t, sum, &first, &last));
    assert_int_equal(first, a);
    assert_int_equal(last, b);
    assert_false(report_row_is_range(t, diff, &first, &last));
    assert_false(report_row_is_range(t, a, &first, &last));
    dec_clear(&v);
    dec_clear(&rest);
    report_free(r);
}

/* Percentages are exact ratios rounded half away from zero. */
static void test_percent_format(void **state)
{
    (void)state;
    static const struct {
        const char *num, *den;
        int decimals, flags;
        const char *want;
    } cases[] = {
        {"1.00", "3.00", 1, 0, "33,3"},
        {"2.00", "3.00", 1, 0, "66,7"},
        {"1.00", "16.00", 1, 0, "6,3"}, /* 6,25 -> 6,3 */
        {"1.00", "16.00", 2, DEC_FMT_POINT, "6.25"},
        {"-1.00", "8.00", 1, 0, MINUS "12,5"},
        {"-1.00", "8.00", 1, DEC_FMT_PLAIN, "-12,5"},
        {"-0.01", "100000.00", 1, 0, "0,0"}, /* never "−0,0" */
        {"150000.00", "820000.00", 2, DEC_FMT_POINT, "18.29"},
        {"5.00", "4.00", 0, 0, "125"},
        {"0.00", "4.00", 1, 0, "0,0"},
    };
    dec_t n, d;
    dec_init(&n);
    dec_init(&d);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        set(&n, cases[i].num);
        set(&d, cases[i].den);
        char *s = report_percent_format(&n, &d, cases[i].decimals,
                                        cases[i].flags);
        assert_string_equal(s, cases[i].want);
        free(s);
    }
    dec_clear(&n);
    dec_clear(&d);
}

/* Rounding notes name the rows whose rounded parts disagree, only then. */
static void test_rounding_notes(void **state)
{
    (void)state;
    report *r = report_new("test", "Test");
    report_table *t = report_add_table(r, NULL, "Rad", NULL);
    int c = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);
    dec_t v;
    dec_init(&v);
    size_t i = report_add_row(t, REPORT_ROW_LINE, NULL, "Intäkter", 0);
    set(&v, "3656403.50");
    report_set_amount(t, i, c, &v);
    size_t k = report_add_row(t, REPORT_ROW_LINE, NULL, "Kostnader", 0);
    set(&v, "4934608.22");
    report_set_amount(t, k, c, &v);
    report_add_diff_row(t, REPORT_ROW_TOTAL, "Resultat", i, k);
    report_evaluate(r);
    assert_int_equal(report_rounding_notes(r, DEC_KR, 2), 0);
    assert_int_equal(r->nnotes, 0);
    /* 3,7 − 4,9 = −1,2, but the result is −1,3 mnkr. */
    assert_int_equal(report_rounding_notes(r, DEC_MNKR, 1), 1);
    assert_int_equal(r->nnotes, 1);
    assert_int_equal(r->notes[0].kind, REPORT_NOTE_ROUNDING);
    assert_non_null(strstr(r->notes[0].text, "Resultat (Belopp)"));
    /* 3 656 − 4 935 = −1 279, but the result is −1 278 tkr. */
    assert_int_equal(report_rounding_notes(r, DEC_TKR, 0), 1);
    report_free(r);

    /* Parts that add up after rounding give no note. */
    r = report_new("test", "Test");
    t = report_add_table(r, NULL, "Rad", NULL);
    c = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);
    i = report_add_row(t, REPORT_ROW_LINE, NULL, "Ett", 0);
    set(&v, "1000200.00");
    report_set_amount(t, i, c, &v);
    k = report_add_row(t, REPORT_ROW_LINE, NULL, "Två", 0);
    set(&v, "2000200.00");
    report_set_amount(t, k, c, &v);
    report_add_sum_row(t, REPORT_ROW_TOTAL, "Summa", i, k, REPORT_ROW_LINE);
    report_evaluate(r);
    assert_int_equal(report_rounding_notes(r, DEC_MNKR, 1), 0);
    assert_int_equal(report_rounding_notes(r, DEC_TKR, 0), 0);
    assert_int_equal(r->nnotes, 0);
    dec_clear(&v);
    report_free(r);
}

/* ------------------------------------------------------------------------
 * The example book (tests run from the repository's root)
 */

static void test_example_result(void **state)
{
    (void)state;
    book b;
    load(&b, "ledgers/samla");
    report *r = report_result(&b, 2025, 0, DATE_NONE);
    const report_table *t = r->tables[0];
    assert_string_equal(r->subtitle, "Vårdsamverkan SAMLA (Lerum–Alingsås), "
                                     "2025, per 2025-12-31");
    assert_string_equal(t->cols[find_col(t, "budget")].heading,
                        "Budget 2025");
    assert_string_equal(t->cols[find_col(t, "previous")].heading,
                        "Utfall 2024");
    /* Deviation positive when favourable: income outcome − budget, costs
     * budget − outcome, result outcome − budget. */
    assert_cell(t, "STATEN", "budget", "430000.00");
    assert_cell(t, "STATEN", "deviation", "3187.50");
    assert_cell(t, "SMM", "budget", "3100000.00");
    assert_cell(t, "SMM", "deviation", "-37882.52");
    assert_cell(t, "GEM", "deviation", "32202.80");
    assert_cell(t, "Summa kostnader", "deviation", "75391.78");
    assert_cell(t, "Årets resultat", "budget", "-1356784.00");
    assert_cell(t, "Årets resultat", "deviation", "78579.28");
    assert_cell(t, "Utgående ackumulerat överskott", "deviation", "78579.28");
    /* 2024 precedes the book: empty, not zero. */
    assert_int_equal(report_cell_get(t, find_row(t, "Summa intäkter"),
                                     find_col(t, "previous"))
                         ->kind,
                     REPORT_CELL_EMPTY);
    assert_cell(t, "Summa intäkter", "amount", "3656403.50");
    assert_cell(t, "Summa kostnader", "amount", "4934608.22");
    assert_cell(t, "Årets resultat", "amount", "-1278204.72");
    assert_cell(t, "Ingående ackumulerat överskott", "amount", "8079441.17");
    assert_cell(t, "Utgående ackumulerat överskott", "amount", "6801236.45");
    assert_cell(t, "HSNV", "amount", "1911608.00");
    assert_cell(t, "SMM", "amount", "3137882.52");
    /* The result row is income − costs as structure, for live formulas. */
    size_t res = find_row(t, "Årets resultat");
    assert_int_equal(t->rows[res].nterms, 2);
    assert_int_equal(t->rows[t->rows[res].terms[0].row].kind,
                     REPORT_ROW_SUBTOTAL);
    report_free(r);

    r = report_result(&b, 2025, 1, DATE_NONE);
    t = r->tables[0];
    assert_cell(t, "Summa Socialmedicinsk mottagning", "amount", "3137882.52");
    report_free(r);
    book_free(&b);
}

static void test_example_activity_earmarks(void **state)
{
    (void)state;
    book b;
    load(&b, "ledgers/samla");
    period_t p;
    period_year(&p, 2025);
    report *r = report_activity(&b, book_activity_find(&b, "SMM"), &p,
                                PERIOD_BY_NONE);
    const report_table *t = r->tables[0];
    assert_cell(t, "4610", "p1", "2263418.37");
    assert_cell(t, "4621", "p1", "457012.40");
    assert_cell(t, "4622", "p1", "215087.75");
    assert_cell(t, "7410", "p1", "187964.00");
    assert_cell(t, "HSNV", "p1", "600000.00");
    assert_cell(t, "Nettokostnad (kostnader − intäkter)", "p1", "2537882.52");
    report_free(r);

    r = report_earmarks(&b, date_make(2026, 1, 1));
    t = r->tables[0];
    assert_cell(t, "OM-SMM-2026", "reserved", "2180000.00");
    assert_cell(t, "OM-FACT-2026", "remaining", "820000.00");
    assert_cell(t, "Summa", "remaining", "3000000.00");
    assert_string_equal(
        report_cell_get(t, find_row(t, "OM-SMM-2026"), find_col(t, "status"))
            ->text,
        "aktiv");
    const report_table *f = r->tables[1];
    assert_cell(f, "Ackumulerat överskott", "amount", "6801236.45");
    assert_cell(f, "Ej öronmärkt (fritt överskott)", "amount", "3801236.45");
    report_free(r);

    r = report_surplus(&b, date_make(2025, 12, 31));
    t = r->tables[0];
    assert_cell(t, "2025", "closing", "6801236.45");
    assert_cell(t, "2025", "earmarked", "3000000.00");
    assert_cell(t, "2025", "free", "3801236.45");
    report_free(r);
    book_free(&b);
}

/* ------------------------------------------------------------------------
 * Budget: forecast, deviation, entered forecasts, unbudgeted outcome
 */

/* True when a note of r contains `text`. */
static int has_note(const report *r, const char *text)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (strstr(r->notes[i].text, text))
            return 1;
    return 0;
}

static void test_budget_forecast(void **state)
{
    (void)state;
    char dir[64];
    make_book(dir,
              "1;2025-01-10;3510;;F1;;900,00;Bidrag;;;"
              "2025-01-10T00:00:00Z;t;seed;\n"
              "2;2025-02-10;5010;A;;;300,10;Lön;;;2025-02-10T00:00:00Z;t;seed;\n"
              "3;2025-03-31;7690;A;;;0,01;Övrigt;;;2025-03-31T00:00:00Z;t;seed;\n"
              "4;2025-03-31;4610;B;;;50,00;Köp;;;2025-03-31T00:00:00Z;t;seed;\n"
              "5;2025-03-31;3510;;F2;;250,00;Bidrag;;;"
              "2025-03-31T00:00:00Z;t;seed;\n"
              "6;2025-04-02;4610;C;;;7,00;Ej budget;;;2025-04-02T00:00:00Z;t;"
              "seed;\n"
              "7;2025-08-01;5010;A;;;99,00;Efter;;;2025-08-01T00:00:00Z;t;seed;\n",
              "2025;intäkt;F1;;1000,00;1000,00;1000,00;1000,00;;\n"
              "2025;intäkt;F2;;200,00;200,00;200,00;200,00;;\n"
              "2025;kostnad;A;;300,00;300,00;300,00;300,00;;\n"
              "2025;kostnad;A;5010;100,00;100,00;100,00;100,00;;Överlappar\n"
              "2025;kostnad;B;;90,00;90,00;90,00;90,00;1000,00;Inlagd prognos\n",
              "");
    book b;
    load(&b, dir);

    /* As of 2025Q1: Q2..Q4 are columns but empty, also on totals;
     * forecast = outcome + Q2..Q4 budget. */
    report *r = report_budget(&b, 2025, date_make(2025, 3, 31),
                              PERIOD_BY_QUARTER);
    const report_table *t = r->tables[0];
    /* budget, q1..q4, budget_to_date, to_date, deviation_to_date,
     * forecast, deviation, pct, comment */
    assert_int_equal(t->ncols, 12);
    assert_string_equal(r->subtitle,
                        "Testorganisationen, 2025. Utfall t.o.m. 2025-03-31");
    assert_int_equal(report_cell_get(t, find_row(t, "A"), find_col(t, "q2"))->kind,
                     REPORT_CELL_EMPTY);
    assert_int_equal(report_cell_get(t, find_row(t, "Summa kostnader"),
                                     find_col(t, "q4"))->kind,
                     REPORT_CELL_EMPTY);
    /* Income short of its budget: an unfavourable, negative deviation. */
    assert_cell(t, "F1", "budget", "4000.00");
    assert_cell(t, "F1", "budget_to_date", "1000.00");
    assert_cell(t, "F1", "to_date", "900.00");
    assert_cell(t, "F1", "deviation_to_date", "-100.00");
    assert_cell(t, "F1", "forecast", "3900.00");
    assert_cell(t, "F1", "deviation", "-100.00");
    /* Income above its budget: favourable, positive. */
    assert_cell(t, "F2", "deviation_to_date", "50.00");
    assert_cell(t, "F2", "deviation", "50.00");
    assert_cell(t, "Summa intäkter", "deviation_to_date", "-50.00");
    assert_cell(t, "Summa intäkter", "deviation", "-50.00");
    /* Costs above their budget: unfavourable, negative (budget − outcome). */
    assert_cell(t, "A", "q1", "300.11");
    assert_cell(t, "A", "budget_to_date", "300.00");
    assert_cell(t, "A", "deviation_to_date", "-0.11");
    assert_cell(t, "A", "forecast", "1200.11");
    assert_cell(t, "A", "deviation", "-0.11");
    assert_cell(t, "A/5010", "to_date", "300.10");
    assert_cell(t, "B", "forecast", "1000.00"); /* entered */
    assert_int_equal(report_cell_get(t, find_row(t, "B"), find_col(t, "forecast"))
                         ->src,
                     REPORT_SRC_VALUE);
    assert_cell(t, "B", "deviation", "-640.00");
    /* Costs below their budget to date: favourable, positive. */
    assert_cell(t, "B", "deviation_to_date", "40.00");
    /* Totals: forecast is the sum of the lines' forecasts. */
    assert_cell(t, "A/5010", "forecast", "600.10");
    assert_cell(t, "Summa kostnader", "forecast", "2800.21");
    assert_cell(t, "Summa kostnader", "to_date", "650.21");
    assert_cell(t, "Summa kostnader", "budget_to_date", "490.00");
    assert_cell(t, "Summa kostnader", "deviation_to_date", "-160.21");
    assert_cell(t, "Summa kostnader", "deviation", "-840.21");
    /* The result: outcome − budget, the sum of both sections' deviations
     * (−50 + −160,21 to date; −50 + −840,21 for the year). */
    const char *res = "Resultat (intäkter − kostnader)";
    assert_cell(t, res, "forecast", "1949.79");
    assert_cell(t, res, "budget", "2840.00");
    assert_cell(t, res, "deviation", "-890.21");
    assert_cell(t, res, "deviation_to_date", "-210.21");
    const report_cell *pc = report_cell_get(t, find_row(t, "A"),
                                            find_col(t, "pct"));
    assert_int_equal(pc->kind, REPORT_CELL_PERCENT);
    assert_dec(&pc->amount, "300.11");
    assert_dec(&pc->den, "1200.00");
    /* The overlap of A and A/5010 is warned about; Q1 has entries. */
    assert_true(has_note(r, "mer än en budgetrad"));
    assert_false(has_note(r, "inga verifikationer"));
    report_free(r);

    /* As of 2025-05-15: Q2 has begun; C's cost is unbudgeted. The budget is
     * per quarter, so Q2, in progress, counts in full as after the date:
     * nothing of it is "to date". */
    r = report_budget(&b, 2025, date_make(2025, 5, 15), PERIOD_BY_QUARTER);
    t = r->tables[0];
    assert_int_equal(t->ncols, 12);
    assert_cell(t, "C", "q2", "7.00");
    assert_cell(t, "C", "forecast", "7.00");
    assert_cell(t, "C", "deviation", "-7.00");
    assert_cell(t, "C", "deviation_to_date", "-7.00");
    assert_true(t->rows[find_row(t, "C")].flags & REPORT_FLAG_WARN);
    assert_cell(t, "A", "budget_to_date", "300.00");
    /* 300,11 + 300 + 300 + 300 */
    assert_cell(t, "A", "forecast", "1200.11");
    assert_dec(&report_cell_get(t, find_row(t, "A"), find_col(t, "forecast"))
                    ->addend,
               "900.00");
    report_free(r);

    /* Tertials as of 2025T2 (2025-08-31): T1 Jan–Apr, T2 May–Aug, T3
     * empty; the budget to date is Q1 + Q2 (Q3 is in progress). */
    r = report_budget(&b, 2025, date_make(2025, 8, 31), PERIOD_BY_TERTIAL);
    t = r->tables[0];
    assert_int_equal(t->ncols, 11);
    for (int c = 0; c < t->ncols; c++)
        assert_true(t->cols[c].key[0] != 'q');
    assert_string_equal(t->cols[find_col(t, "t2")].heading, "Utfall T2");
    assert_cell(t, "A", "t1", "300.11");
    assert_cell(t, "A", "t2", "99.00");
    assert_int_equal(report_cell_get(t, find_row(t, "A"), find_col(t, "t3"))->kind,
                     REPORT_CELL_EMPTY);
    assert_cell(t, "A", "budget_to_date", "600.00");
    assert_cell(t, "A", "to_date", "399.11");
    assert_cell(t, "A", "deviation_to_date", "200.89");
    assert_cell(t, "A", "forecast", "999.11");
    assert_cell(t, "C", "t1", "7.00");
    report_free(r);

    /* At the year's end Q4 has a budget but no entries at all: a warning
     * names it (and no other quarter). */
    r = report_budget(&b, 2025, date_make(2025, 12, 31), PERIOD_BY_QUARTER);
    assert_true(has_note(r, "2025Q4 har budget men inga verifikationer"));
    assert_false(has_note(r, "2025Q3 har budget"));
    report_free(r);
    book_free(&b);
    remove_book(dir);
}

/* ------------------------------------------------------------------------
 * Property: randomized books, balance and list agree exactly
 */

/* The amount at (row, col) of a table, zero for an empty cell. */
static void cell_or_zero(const report_table *t, size_t row, int col, dec_t *out)
{
    const report_cell *c = report_cell_get(t, row, col);
    if (c->kind == REPORT_CELL_AMOUNT)
        dec_set(out, &c->amount);
    else
        dec_set_zero(out);
}

static void test_property_random_books(void **state)
{
    (void)state;
    uint64_t seed = 0x5a4d4c41u; /* "SAML" */
    static const char *const costs[] = {"4610", "5010", "7690"};
    static const char *const acts[] = {"A", "B", "C"};
    for (int k = 0; k < 20; k++) {
        /* A journal of 2024 and 2025, dates increasing within each year. */
        size_t cap = 1 << 16, len = 0;
        char *j = malloc(cap);
        assert_non_null(j);
        j[0] = 0;
        for (int y = 2024; y <= 2025; y++) {
            int n = 5 + (int)rng_below(&seed, 60), day = 0;
            for (int v = 1; v <= n; v++) {
                day += (int)rng_below(&seed, 12);
                if (day > 364)
                    day = 364;
                char ds[11];
                date_format(date_make(y, 1, 1) + day, ds);
                long long ore = (long long)rng_below(&seed, 100000000) *
                                (rng_below(&seed, 8) ? 1 : -1);
                long long kr = (ore < 0 ? -ore : ore) / 100;
                int rest = (int)((ore < 0 ? -ore : ore) % 100);
                const char *sign = ore < 0 ? "-" : "";
                if (rng_below(&seed, 3) == 0) {
                    const char *act = rng_below(&seed, 2)
                                          ? acts[rng_below(&seed, 3)]
                                          : "";
                    len += (size_t)snprintf(
                        j + len, cap - len,
                        "%d;%s;3510;%s;F%u;;%s%lld,%02d;In;;;"
                        "2025-01-01T00:00:00Z;t;seed;\n",
                        v, ds, act, 1 + rng_below(&seed, 2), sign, kr, rest);
                } else {
                    len += (size_t)snprintf(
                        j + len, cap - len,
                        "%d;%s;%s;%s;;;%s%lld,%02d;Ut;;;"
                        "2025-01-01T00:00:00Z;t;seed;\n",
                        v, ds, costs[rng_below(&seed, 3)],
                        acts[rng_below(&seed, 3)], sign, kr, rest);
                }
                assert_true(len < cap - 256);
            }
        }
        char dir[64];
        make_book(dir, j, "", "");
        free(j);
        book b;
        load(&b, dir);

        period_t p;
        period_year(&p, 2025);
        static const period_by bys[] = {PERIOD_BY_QUARTER, PERIOD_BY_MONTH,
                                        PERIOD_BY_TERTIAL};
        dec_t sum, v, total, inc, cost, lsum;
        dec_init(&sum);
        dec_init(&v);
        dec_init(&total);
        dec_init(&inc);
        dec_init(&cost);
        dec_init(&lsum);
        for (size_t bi = 0; bi < 3; bi++) {
            report *r = report_balance(&b, &p, bys[bi], REPORT_ROWS_ACTIVITY);
            const report_table *t = r->tables[0];
            int tc = find_col(t, "total");
            int np = tc; /* the period columns come first */
            for (size_t row = 0; row < t->nrows; row++) {
                if (t->rows[row].kind == REPORT_ROW_HEADING ||
                    t->rows[row].kind == REPORT_ROW_BLANK)
                    continue;
                /* The periods add up to the year column, in every row. */
                dec_set_zero(&sum);
                for (int c = 0; c < np; c++) {
                    cell_or_zero(t, row, c, &v);
                    dec_add(&sum, &sum, &v);
                }
                cell_or_zero(t, row, tc, &total);
                assert_int_equal(dec_cmp(&sum, &total), 0);
                /* An activity's year figure is list's sum for it. */
                const report_row *rw = &t->rows[row];
                if (rw->kind == REPORT_ROW_LINE && rw->code) {
                    int income = row < find_row(t, "Summa intäkter");
                    calc_filter f;
                    calc_filter_init(&f);
                    f.activity = book_activity_find(&b, rw->code);
                    f.from = p.from;
                    f.to = p.to;
                    report *l = report_list(&b, &f, NULL);
                    cell_or_zero(l->tables[0],
                                 find_row(l->tables[0], income
                                                            ? "Summa intäkter"
                                                            : "Summa kostnader"),
                                 find_col(l->tables[0], "amount"), &lsum);
                    assert_int_equal(dec_cmp(&lsum, &total), 0);
                    report_free(l);
                }
            }
            /* The totals are the ledger's. */
            calc_result(&b, p.from, p.to, &inc, &cost);
            cell_or_zero(t, find_row(t, "Summa intäkter"), tc, &v);
            assert_int_equal(dec_cmp(&v, &inc), 0);
            cell_or_zero(t, find_row(t, "Summa kostnader"), tc, &v);
            assert_int_equal(dec_cmp(&v, &cost), 0);
            report_free(r);
        }
        /* result: closing = the surplus at the year's end. */
        report *r = report_result(&b, 2025, k % 2, DATE_NONE);
        calc_surplus_at(&b, p.to, &v);
        cell_or_zero(r->tables[0],
                     find_row(r->tables[0], "Utgående ackumulerat överskott"),
                     find_col(r->tables[0], "amount"), &total);
        assert_int_equal(dec_cmp(&v, &total), 0);
        report_free(r);
        dec_clear(&sum);
        dec_clear(&v);
        dec_clear(&total);
        dec_clear(&inc);
        dec_clear(&cost);
        dec_clear(&lsum);
        book_free(&b);
        remove_book(dir);
    }
}

/* ------------------------------------------------------------------------
 * Renderers
 */

static report *text_report(void)
{
    report *r = report_new("test", "Rubrik \"citerad\"");
    report_set_header(r, "Org", "2025", date_make(2025, 12, 31));
    report_table *t = report_add_table(r, NULL, "Rad", NULL);
    int tx = report_add_column(t, "text", "Text", REPORT_COL_TEXT);
    int am = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);
    static const char *const texts[] = {"=1+2",   "+SUM(A1)", "-2",
                                        "@cmd",   "\tflik",   "vanlig; text",
                                        "a\"b\\c\nd", "Öåä"};
    dec_t v;
    dec_init(&v);
    set(&v, "-1234567.89");
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t row = report_add_row(t, REPORT_ROW_LINE, NULL, texts[i], 0);
        report_set_text(t, row, tx, texts[i]);
        report_set_amount(t, row, am, &v);
    }
    dec_clear(&v);
    report_evaluate(r);
    return r;
}

static void test_render_csv(void **state)
{
    (void)state;
    report *r = text_report();
    render_opts o = {DEC_KR, 2, 0, 0, 0};
    csvio_out out;
    csvio_out_init(&out, ';', 1);
    render_csv(r, &o, &out);
    char *s = strndup(out.buf, out.len);
    assert_memory_equal(s, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(s, "\r\n'=1+2;'=1+2;-1234567,89\r\n"));
    assert_non_null(strstr(s, "'+SUM(A1);'+SUM(A1);"));
    assert_non_null(strstr(s, "'-2;'-2;"));
    assert_non_null(strstr(s, "'@cmd;'@cmd;"));
    assert_non_null(strstr(s, "'\tflik;'\tflik;"));
    assert_non_null(strstr(s, "\"vanlig; text\";\"vanlig; text\";"));
    assert_null(strstr(s, "\r\n=")); /* nothing starts a line with = */
    free(s);
    csvio_out_free(&out);

    /* With --unit mnkr the CSV is rounded. */
    o.unit = DEC_MNKR;
    o.decimals = 1;
    o.unit_given = 1;
    csvio_out_init(&out, ';', 1);
    render_csv(r, &o, &out);
    s = strndup(out.buf, out.len);
    assert_non_null(strstr(s, ";-1,2\r\n"));
    assert_non_null(strstr(s, "Avrundningsdifferenser kan förekomma."));
    free(s);
    csvio_out_free(&out);
    report_free(r);
}

static void test_render_json(void **state)
{
    (void)state;
    report *r = text_report();
    render_opts o = {DEC_TKR, 0, 1, 0, 0};
    char *s = render_json(r, &o);
    assert_non_null(strstr(s, "\"title\": \"Rubrik \\\"citerad\\\"\""));
    assert_non_null(strstr(s, "\"text\": \"a\\\"b\\\\c\\nd\""));
    assert_non_null(strstr(s, "\"text\": \"\\tflik\""));
    assert_non_null(strstr(s, "\"amount\": \"-1234567.89\"")); /* exact */
    assert_non_null(strstr(s, "\"as_of\": \"2025-12-31\""));
    free(s);
    report_free(r);
}

/* Every amount ends in the same display column, whatever the bytes. */
static void test_render_term_widths(void **state)
{
    (void)state;
    report *r = report_new("test", "Bredd");
    report_table *t = report_add_table(r, NULL, "Rad", "Kod");
    int c = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);
    static const char *const labels[] = {"Alingsås kommun", "Lerums kommun",
                                         "Öronmärkt ÅÄÖ åäö", "e\xCC\x81"};
    dec_t v;
    dec_init(&v);
    set(&v, "-1278204.72");
    for (size_t i = 0; i < 4; i++) {
        size_t row = report_add_row(t, REPORT_ROW_LINE, i ? "Å" : "K1",
                                    labels[i], 0);
        report_set_amount(t, row, c, &v);
    }
    dec_clear(&v);
    report_evaluate(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    render_opts o = {DEC_KR, 2, 0, 0, 0};
    assert_int_equal(render_term(r, &o, f), 0);
    fclose(f);
    /* Count code points (not combining marks) up to the end of each line
     * that holds the amount. */
    int lines = 0;
    long width = -1;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strstr(line, MINUS "1" NBSP "278" NBSP "204,72"))
            continue;
        long w = 0;
        for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
            if ((*p & 0xC0) == 0x80)
                continue;
            if (p[0] == 0xCC && p[1] >= 0x80 && p[1] <= 0xBF)
                continue; /* U+0300..U+033F combining */
            w++;
        }
        if (width < 0)
            width = w;
        assert_int_equal(w, width);
        lines++;
    }
    assert_int_equal(lines, 4);
    free(buf);
    report_free(r);
}

/* Shortening on character boundaries: "…" ends a cut text, which never
 * splits a multi-byte character or leaves a combining mark behind. */
static void test_render_text_fit(void **state)
{
    (void)state;
    char *s = render_text_fit("Öronmärkt ÅÄÖ", 6);
    assert_string_equal(s, "Öronm\xE2\x80\xA6");
    assert_int_equal(render_text_width(s), 6);
    free(s);
    s = render_text_fit("Lerum", 5);
    assert_string_equal(s, "Lerum");
    free(s);
    /* The space before the cut goes: "Alingsås…" not "Alingsås …". */
    s = render_text_fit("Alingsås kommun", 10);
    assert_string_equal(s, "Alingsås\xE2\x80\xA6");
    free(s);
    /* e + U+0301 is one column: the mark stays with its letter. */
    s = render_text_fit("ae\xCC\x81\xCC\x81xyz", 3);
    assert_string_equal(s, "ae\xCC\x81\xCC\x81\xE2\x80\xA6");
    assert_int_equal(render_text_width(s), 3);
    free(s);
}

/* A table wider than the terminal is fitted, never wrapped: every line is
 * at most the width, labels are shortened, the least needed columns go
 * (then the codes), a note names them; width 0 prints every column. */
static void test_render_term_fit(void **state)
{
    (void)state;
    report *r = report_new("test", "Bredd");
    report_table *t = report_add_table(r, NULL, "Rad", "Kod");
    int c1 = report_add_column(t, "a", "Budget helår", REPORT_COL_AMOUNT);
    int c2 = report_add_column(t, "b", "Utfall Q1", REPORT_COL_AMOUNT);
    int c3 = report_add_column(t, "c", "Prognos helår", REPORT_COL_AMOUNT);
    report_col_priority(t, c2, 3);
    dec_t v;
    dec_init(&v);
    set(&v, "-1278204.72");
    size_t row = report_add_row(t, REPORT_ROW_LINE, "SMM",
                                "Socialmedicinsk mottagning med en lång "
                                "benämning",
                                0);
    report_set_amount(t, row, c1, &v);
    report_set_amount(t, row, c2, &v);
    report_set_amount(t, row, c3, &v);
    dec_clear(&v);
    report_evaluate(r);
    for (int wide = 0; wide < 2; wide++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        render_opts o = {DEC_KR, 2, 0, 0, wide ? 0 : 50};
        assert_int_equal(render_term(r, &o, f), 0);
        fclose(f);
        size_t maxw = 0;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            size_t w = render_text_width(line);
            if (w > maxw)
                maxw = w;
        }
        free(buf);
        f = open_memstream(&buf, &len);
        render_term(r, &o, f);
        fclose(f);
        if (wide) {
            assert_true(maxw > 50);
            assert_non_null(strstr(buf, "Utfall Q1"));
            assert_null(strstr(buf, "Utelämnat"));
        } else {
            assert_true(maxw <= 50);
            assert_non_null(strstr(buf, "Socialmedicinsk mot\xE2\x80\xA6  "
                                        MINUS "1" NBSP "278" NBSP "204,72"));
            assert_non_null(strstr(buf, "Utelämnat för terminalens bredd (50 "
                                        "tecken): Kod,\nUtfall Q1."));
        }
        free(buf);
    }
    report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_evaluate),
        cmocka_unit_test(test_percent_format),
        cmocka_unit_test(test_rounding_notes),
        cmocka_unit_test(test_example_result),
        cmocka_unit_test(test_example_activity_earmarks),
        cmocka_unit_test(test_budget_forecast),
        cmocka_unit_test(test_property_random_books),
        cmocka_unit_test(test_render_csv),
        cmocka_unit_test(test_render_json),
        cmocka_unit_test(test_render_term_widths),
        cmocka_unit_test(test_render_text_fit),
        cmocka_unit_test(test_render_term_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
