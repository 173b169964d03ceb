/*
 * Unit tests for quarter.c (the all-or-nothing save of a quarter that
 * `samla quarter` and the web page share), budget_edit.c (the exact spread
 * of a year's budget) and uiutil.c (column names).
 *
 * Each test works on a fresh copy of the example book ledgers/samla in its
 * own folder under /tmp (the tests run from the repository's root, or
 * $ROOT).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "book.h"
#include "budget_edit.h"
#include "quarter.h"
#include "store.h"
#include "uiutil.h"

#include "example_fixture.h"

static char *journal(const fixture *fx, size_t *len)
{
    char path[128], *data;
    diag_list dl;
    diag_init(&dl);
    snprintf(path, sizeof path, "%s/verifikationer.csv", fx->dir);
    assert_int_equal(store_read_file(path, &data, len, &dl), SAMLA_OK);
    diag_free(&dl);
    return data;
}

static void set_amount(dec_t *d, const char *s)
{
    assert_int_equal(dec_parse(d, s, strlen(s), NULL), 0);
}

static void opts_for(quarter_opts *o, const char *label)
{
    period_t p;
    const char *err;
    assert_int_equal(quarter_parse_period(label, &p, &err), 0);
    quarter_opts_init(o, &p);
    o->user = "testare";
    o->registered = "2026-04-10T10:00:00Z";
}

static void test_parse_period(void **state)
{
    (void)state;
    period_t p;
    const char *err = NULL;
    char d[11];
    assert_int_equal(quarter_parse_period("2026Q1", &p, &err), 0);
    date_format(p.to, d);
    assert_string_equal(d, "2026-03-31");
    assert_string_equal(p.label, "2026Q1");
    assert_int_equal(quarter_parse_period("2026q4", &p, &err), 0);
    assert_string_equal(p.label, "2026Q4");
    assert_int_equal(quarter_parse_period("2026-03", &p, &err), -1);
    assert_non_null(err);
    assert_int_equal(quarter_parse_period("2026Q5", &p, &err), -1);
    assert_int_equal(quarter_parse_period("2026", &p, &err), -1);
}

static void test_lines(void **state)
{
    fixture *fx = *state;
    quarter_opts o;
    opts_for(&o, "2026Q2");
    quarter_line *l;
    size_t n = quarter_lines(&fx->b, &o, NULL, 0, &l);
    assert_int_equal(n, 11);
    assert_string_equal(l[0].code, "PROC");
    assert_int_equal(l[0].kind, KIND_COST);
    char *s = dec_to_string(&l[0].budget);
    assert_string_equal(s, "205000.00");
    free(s);
    assert_string_equal(fx->b.accounts.v[l[0].usual_account].number, "5010");
    /* Income after costs; HSNV's Q2 budget includes the 600 000. */
    assert_int_equal(l[7].kind, KIND_INCOME);
    assert_string_equal(l[8].code, "HSNV");
    s = dec_to_string(&l[8].budget);
    assert_string_equal(s, "934373.75");
    free(s);
    quarter_lines_free(l, n);

    /* 2025Q4: what is booked on SMM in the quarter (entries 71-76). */
    opts_for(&o, "2025Q4");
    n = quarter_lines(&fx->b, &o, NULL, 0, &l);
    size_t i = 0;
    while (i < n && strcmp(l[i].code, "SMM") != 0)
        i++;
    assert_true(i < n);
    s = dec_to_string(&l[i].booked);
    /* 596 660,91 + 98 589,60 + 30 000 + 47 537,95 + 15 000 + 46 991
     * + 14 400 (7690, 2025-11-28) */
    assert_string_equal(s, "849179.46");
    free(s);
    quarter_lines_free(l, n);
}

static void test_save_all_or_nothing(void **state)
{
    fixture *fx = *state;
    quarter_opts o;
    /* 2026Q4: the example book holds 2026 through Q3 (2026:1-61). */
    opts_for(&o, "2026Q4");
    quarter_input in[4];
    for (int i = 0; i < 4; i++)
        quarter_input_init(&in[i]);
    in[0].code = "PROC";
    set_amount(&in[0].amount, "210 000");
    in[1].code = "SMM";
    in[1].account = "4621";
    set_amount(&in[1].amount, "750 000,50");
    in[2].kind = KIND_INCOME;
    in[2].code = "LERUM";
    set_amount(&in[2].amount, "168 833,75");
    in[3].code = "NOPE"; /* unknown: the whole quarter is refused */
    set_amount(&in[3].amount, "1");
    size_t len0, len1, saved;
    long first;
    char *j0 = journal(fx, &len0);
    size_t n0 = fx->b.entries.n;
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(quarter_save(&fx->b, &o, in, 4, &saved, &first, &dl),
                     SAMLA_EDATA);
    assert_int_equal(diag_errors(&dl), 1);
    assert_string_equal(dl.v[0].msg, "okänd verksamhet \"NOPE\"");
    assert_int_equal(dl.v[0].line, 4); /* the input's number */
    assert_int_equal(saved, 0);
    assert_int_equal(fx->b.entries.n, n0);
    char *j1 = journal(fx, &len1);
    assert_int_equal(len0, len1);
    assert_memory_equal(j0, j1, len0);
    free(j1);
    diag_free(&dl);

    /* Without the bad input: three entries, consecutive, in one write. */
    diag_init(&dl);
    assert_int_equal(quarter_save(&fx->b, &o, in, 3, &saved, &first, &dl),
                     SAMLA_OK);
    assert_int_equal(diag_errors(&dl), 0);
    assert_int_equal(saved, 3);
    assert_int_equal(first, (long)n0);
    const book_entry *e = &fx->b.entries.v[first];
    assert_int_equal(e[0].ver, 62);
    assert_int_equal(e[2].ver, 64);
    assert_string_equal(fx->b.accounts.v[e[0].account].number, "5010");
    assert_string_equal(fx->b.accounts.v[e[1].account].number, "4621");
    assert_string_equal(fx->b.accounts.v[e[2].account].number, "3531");
    assert_string_equal(fx->b.funders.v[e[2].funder].code, "LERUM");
    assert_string_equal(e[0].text, "Processledare 2026Q4");
    assert_string_equal(e[1].source, "quarter 2026Q4");
    char *s = dec_to_string(&e[1].amount);
    assert_string_equal(s, "750000.50");
    free(s);
    diag_free(&dl);

    /* The same quarter again is refused unless allowed. */
    long f, l;
    assert_int_equal(quarter_existing(&fx->b, &o.period, &f, &l), 3);
    diag_init(&dl);
    assert_int_equal(quarter_save(&fx->b, &o, in, 1, &saved, &first, &dl),
                     SAMLA_EDATA);
    assert_non_null(strstr(dl.v[0].msg, "är redan registrerat"));
    diag_free(&dl);
    o.allow_repeat = 1;
    diag_init(&dl);
    assert_int_equal(quarter_save(&fx->b, &o, in, 1, &saved, &first, &dl),
                     SAMLA_OK);
    assert_int_equal(fx->b.entries.v[first].ver, 65);
    diag_free(&dl);

    /* Reading the book again gives what was saved. */
    book b2;
    diag_init(&dl);
    assert_int_equal(book_load(&b2, fx->dir, &dl), SAMLA_OK);
    assert_int_equal(b2.entries.n, n0 + 4);
    book_free(&b2);
    diag_free(&dl);
    free(j0);
    for (int i = 0; i < 4; i++)
        quarter_input_clear(&in[i]);
}

static void test_build_checks(void **state)
{
    fixture *fx = *state;
    quarter_opts o;
    opts_for(&o, "2026Q1");
    quarter_input in[4];
    for (int i = 0; i < 4; i++)
        quarter_input_init(&in[i]);
    in[0].code = "KOMM";
    in[0].account = "3510"; /* income account on a cost */
    in[0].file = "q.csv";
    in[0].line = 2;
    in[0].col_account = 7;
    set_amount(&in[0].amount, "5");
    in[1].code = "GEM"; /* zero: nothing, no entry */
    in[2].kind = KIND_INCOME;
    in[2].code = "STATEN";
    in[2].activity = "FAR"; /* unknown activity */
    set_amount(&in[2].amount, "5");
    in[3].code = "MHFA";
    in[3].earmark = "OM-X";
    set_amount(&in[3].amount, "5");
    book_entry *e;
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(quarter_build(&fx->b, &o, in, 4, &e, &dl), 0);
    assert_null(e);
    assert_int_equal(diag_errors(&dl), 3);
    assert_string_equal(dl.v[0].file, "q.csv");
    assert_int_equal(dl.v[0].line, 2);
    assert_int_equal(dl.v[0].col, 7);
    assert_string_equal(dl.v[0].msg, "konto 3510 är inte ett kostnadskonto");
    assert_string_equal(dl.v[1].msg, "okänd verksamhet \"FAR\"");
    assert_string_equal(dl.v[2].msg, "okänd öronmärkning \"OM-X\"");
    diag_free(&dl);

    /* A date outside the quarter and a bad default account. */
    o.date = date_make(2026, 4, 1);
    o.cost_account = "3510";
    diag_init(&dl);
    assert_int_equal(quarter_build(&fx->b, &o, in + 3, 1, &e, &dl), 0);
    assert_int_equal(diag_errors(&dl), 2);
    assert_string_equal(dl.v[0].msg,
                        "datumet 2026-04-01 ligger utanför kvartalet 2026Q1");
    assert_string_equal(dl.v[1].msg,
                        "--account: konto 3510 är inte ett kostnadskonto");
    diag_free(&dl);

    /* --account is used by a cost line without an account of its own. */
    o.date = DATE_NONE;
    o.cost_account = "7690";
    in[3].earmark = NULL;
    diag_init(&dl);
    assert_int_equal(quarter_build(&fx->b, &o, in + 3, 1, &e, &dl), 1);
    assert_string_equal(fx->b.accounts.v[e[0].account].number, "7690");
    quarter_entries_free(e, 1);
    diag_free(&dl);
    for (int i = 0; i < 4; i++)
        quarter_input_clear(&in[i]);
}

static void spread(const char *whole, const char *want[4])
{
    dec_t w, q[4];
    dec_init(&w);
    for (int k = 0; k < 4; k++)
        dec_init(&q[k]);
    set_amount(&w, whole);
    budget_spread_year(q, &w);
    for (int k = 0; k < 4; k++) {
        char *s = dec_to_string(&q[k]);
        assert_string_equal(s, want[k]);
        free(s);
        dec_clear(&q[k]);
    }
    dec_clear(&w);
}

static void test_spread(void **state)
{
    (void)state;
    spread("100 000,01", (const char *[]){"25000.01", "25000.00", "25000.00",
                                          "25000.00"});
    spread("100 000,03", (const char *[]){"25000.01", "25000.01", "25000.01",
                                          "25000.00"});
    spread("-0,03", (const char *[]){"-0.01", "-0.01", "-0.01", "0.00"});
    spread("0", (const char *[]){"0.00", "0.00", "0.00", "0.00"});
    spread("9 999 999 999 999,99",
           (const char *[]){"2500000000000.00", "2500000000000.00",
                            "2500000000000.00", "2499999999999.99"});
}

static void test_name_eq(void **state)
{
    (void)state;
    assert_true(ui_name_eq("  Öronmärkning ", "öronmärkning"));
    assert_true(ui_name_eq("FINANSIÄR", "Finansiär"));
    assert_true(ui_name_eq("belopp", "Belopp"));
    assert_false(ui_name_eq("Belopp SEK", "Belopp"));
    assert_false(ui_name_eq("Belop", "Belopp"));
    assert_false(ui_name_eq("", "Belopp"));
    assert_int_equal(ui_width("−1 234,50"), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_period),
        cmocka_unit_test_setup_teardown(test_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_all_or_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_checks, setup, teardown),
        cmocka_unit_test(test_spread),
        cmocka_unit_test(test_name_eq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
