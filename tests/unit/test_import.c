/*
 * Unit tests for import.c: the fingerprint's canonical form, reading a
 * rules file (settings, conditions, errors with their columns), reading an
 * extract (header detection, Windows-1252) and mapping it (first rule wins,
 * signs, unmapped rows, already imported rows) on a copy of the example
 * book.
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

#include "book.h"
#include "import.h"

#include "example_fixture.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_fingerprint(void **state)
{
    (void)state;
    const char *h[] = {"Konto", "Ansvar", "Verksamhet", "Projekt", "Motpart",
                       "Datum", "Verifikation", "Text", "Belopp"};
    const char *v[] = {"4621", "51200", "7310", "SAMLA-SMM", "VGR",
                       "2025-10-31", "412877", "Socionom 100 % oktober",
                       "38 083,33"};
    char a[65], b[65], c[65];
    import_fingerprint(h, v, 9, 1, a);
    /* SHA-256 of the documented canonical form (docs/import.md), computed
     * independently with Python's hashlib. */
    assert_string_equal(
        a, "5607e3952d21cae39f8112d27dbc09968d3c67c6edba17ac98d35c73de0d9299");
    /* The same row with its columns in another order. */
    const char *h2[] = {"Belopp", "Text", "Konto", "Ansvar", "Verksamhet",
                        "Projekt", "Motpart", "Datum", "Verifikation"};
    const char *v2[] = {"38 083,33", "Socionom 100 % oktober", "4621", "51200",
                        "7310", "SAMLA-SMM", "VGR", "2025-10-31", "412877"};
    import_fingerprint(h2, v2, 9, 1, b);
    assert_string_equal(a, b);
    /* The second identical row differs; so does any changed field. */
    import_fingerprint(h, v, 9, 2, c);
    assert_string_not_equal(a, c);
    v2[0] = "38 083,34";
    import_fingerprint(h2, v2, 9, 1, c);
    assert_string_not_equal(a, c);
}

static void test_rules_errors(void **state)
{
    (void)state;
    char path[] = "/tmp/samla-rules-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path,
               "Typ;Inställning;Värde;Villkor;Konto;Tecken\n"
               "inställning;kolumn belopp;Belopp;;;\n"
               "inställning;datumformat;DD/MM;;;\n"
               "regel;;;Konto=1 & ;4621;\n"
               "regel;;;Konto=2;;upp\n"
               "hoppa över;;;Konto=3;4621;\n"
               "tabell;;;;;\n");
    import_rules r;
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(import_rules_read(&r, path, &dl), SAMLA_EDATA);
    /* Every problem, in order, with line and column. */
    const struct {
        long line, col;
        const char *start;
    } want[] = {
        {3, 25, "okänt datumformat \"DD/MM\""},
        {4, 18, "tomt villkor"},
        {5, 18, "Tecken ska vara behåll, vänd eller tomt"},
        {5, 17, "regeln saknar Konto"},
        {6, 22, "en hoppa över-regel bokför inget"},
        {7, 1, "okänd typ \"tabell\""},
        {0, 0, "inställningen \"kolumn datum\""},
    };
    size_t n = sizeof want / sizeof *want;
    assert_int_equal(dl.n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(dl.v[i].line, want[i].line);
        if (want[i].line)
            assert_int_equal(dl.v[i].col, want[i].col);
        assert_memory_equal(dl.v[i].msg, want[i].start, strlen(want[i].start));
    }
    diag_free(&dl);
    import_rules_free(&r);
    unlink(path);
}

static const char rules_text[] =
    "Typ;Inställning;Värde;Villkor;Konto;Verksamhet;Finansiär;Tecken;Text\n"
    "inställning;kolumn datum;Datum;;;;;;\n"
    "inställning;kolumn belopp;Belopp;;;;;;\n"
    "inställning;kolumn text;Text;;;;;;\n"
    "inställning;tecken;vänd intäkter;;;;;;\n"
    "hoppa över;;;Datum=Summa;;;;;\n"
    "regel;;;Konto=46* & Projekt!=;{Konto};SMM;;;\n"
    "regel;;;Konto=46*;4610;FACT;;;Utan projekt: {Text}\n"
    "regel;;;Konto=3*;3531;;LERUM;;\n";

static void test_plan(void **state)
{
    fixture *fx = *state;
    char rules[128], src[128];
    snprintf(rules, sizeof rules, "%s/regler.csv", fx->dir);
    snprintf(src, sizeof src, "%s/utdrag.csv", fx->dir);
    write_file(rules, rules_text);
    /* Windows-1252 (å = 0xE5, no BOM) with a title block. */
    write_file(src, "Utdrag Lerums kommun\r\n\r\n"
                    "Datum;Konto;Projekt;Text;Belopp\r\n"
                    "2025-10-31;4622;P1;Socionom Lerum;1 000,50\r\n"
                    "2025-11-30;4622;;Handledning \xE5rsvis;200\r\n"
                    "2025-12-31;3531;;Bidrag;-5000\r\n"
                    "2025-12-31;7690;;Ok\xE4nd;1\r\n"
                    "Summa;;;;-3799,50\r\n");
    import_rules r;
    import_source s;
    import_plan p;
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(import_rules_read(&r, rules, &dl), SAMLA_OK);
    assert_int_equal(import_source_read(&s, &r, src, &dl), SAMLA_OK);
    assert_int_equal(dl.n, 1); /* the note that the file was converted */
    assert_int_equal(dl.v[0].level, DIAG_NOTE);
    assert_int_equal(s.t.rows[s.header].line, 3);
    assert_int_equal(import_plan_build(&fx->b, &r, &s, &p, &dl), SAMLA_EDATA);
    /* The 7690 row is unmapped: named with its line and its text. */
    assert_int_equal(diag_errors(&dl), 2);
    assert_int_equal(dl.v[1].line, 7);
    assert_string_equal(dl.v[1].msg,
                        "ingen regel passar raden: 2025-12-31;7690;;Okänd;1");
    import_plan_free(&p);
    diag_free(&dl);

    /* Skip it too: the plan maps everything. */
    char more[sizeof rules_text + 64];
    snprintf(more, sizeof more, "%shoppa över;;;Konto=7690;;;;;\n", rules_text);
    write_file(rules, more);
    import_rules_free(&r);
    import_source_free(&s);
    diag_init(&dl);
    assert_int_equal(import_rules_read(&r, rules, &dl), SAMLA_OK);
    assert_int_equal(import_source_read(&s, &r, src, &dl), SAMLA_OK);
    assert_int_equal(import_plan_build(&fx->b, &r, &s, &p, &dl), SAMLA_OK);
    assert_int_equal(p.n, 5);
    assert_int_equal(p.nnew, 3);
    assert_int_equal(p.nskip, 2);
    const book *b = &fx->b;
    /* First rule wins: P1 gets {Konto} = 4622 and SMM. */
    assert_string_equal(b->accounts.v[p.rows[0].e.account].number, "4622");
    assert_string_equal(b->activities.v[p.rows[0].e.activity].code, "SMM");
    char *a = dec_to_string(&p.rows[0].e.amount);
    assert_string_equal(a, "1000.50");
    free(a);
    assert_string_equal(p.rows[0].e.text, "Socionom Lerum");
    assert_string_equal(p.rows[0].e.source, "import utdrag.csv:4");
    /* No project: the second rule, a Text template, å converted. */
    assert_string_equal(b->activities.v[p.rows[1].e.activity].code, "FACT");
    assert_string_equal(p.rows[1].e.text, "Utan projekt: Handledning årsvis");
    /* Income: the sign flipped. */
    assert_string_equal(b->funders.v[p.rows[2].e.funder].code, "LERUM");
    a = dec_to_string(&p.rows[2].e.amount);
    assert_string_equal(a, "5000.00");
    free(a);
    size_t n0 = fx->b.entries.n;
    assert_int_equal(import_plan_commit(&fx->b, &p, "testare",
                                        "2026-01-15T10:00:00Z", &dl),
                     SAMLA_OK);
    assert_int_equal(fx->b.entries.n, n0 + 3);
    assert_int_equal(fx->b.entries.v[n0].ver, 80);
    assert_int_equal(fx->b.entries.v[n0 + 2].ver, 82);
    import_plan_free(&p);

    /* Again: everything is already imported. */
    assert_int_equal(import_plan_build(&fx->b, &r, &s, &p, &dl), SAMLA_OK);
    assert_int_equal(p.nnew, 0);
    assert_int_equal(p.ndone, 3);
    assert_int_equal(p.rows[0].done_entry, (long)n0);
    import_plan_free(&p);
    diag_free(&dl);
    import_source_free(&s);
    import_rules_free(&r);
}

static void test_dates(void **state)
{
    fixture *fx = *state;
    char rules[128], src[128];
    snprintf(rules, sizeof rules, "%s/regler.csv", fx->dir);
    snprintf(src, sizeof src, "%s/perioder.csv", fx->dir);
    write_file(rules, "Typ;Inställning;Värde;Villkor;Konto;Verksamhet\n"
                      "inställning;kolumn datum;Period;;;\n"
                      "inställning;datumformat;ÅÅÅÅ-MM;;;\n"
                      "inställning;kolumn belopp;Belopp;;;\n"
                      "inställning;decimaltecken;,;;;\n"
                      "regel;;;;7690;GEM\n");
    write_file(src, "Period;Belopp\n2025-02;1.234,50\n2024-12;1\n"
                    "2025-13;1\n2025-03;1,2,3\n");
    import_rules r;
    import_source s;
    import_plan p;
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(import_rules_read(&r, rules, &dl), SAMLA_OK);
    assert_int_equal(import_source_read(&s, &r, src, &dl), SAMLA_OK);
    assert_int_equal(import_plan_build(&fx->b, &r, &s, &p, &dl), SAMLA_EDATA);
    char d[11];
    date_format(p.rows[0].e.date, d);
    assert_string_equal(d, "2025-02-28");
    char *a = dec_to_string(&p.rows[0].e.amount);
    assert_string_equal(a, "1234.50");
    free(a);
    assert_int_equal(diag_errors(&dl), 3);
    assert_int_equal(dl.v[0].line, 3);
    assert_string_equal(dl.v[0].msg, "datumet ligger före bokens startdatum");
    assert_int_equal(dl.v[1].line, 4);
    assert_string_equal(dl.v[1].msg,
                        "ogiltigt datum \"2025-13\": ingen sådan månad");
    assert_int_equal(dl.v[2].line, 5);
    assert_int_equal(dl.v[2].col, 12); /* the second ',' */
    import_plan_free(&p);
    diag_free(&dl);
    import_source_free(&s);
    import_rules_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_rules_errors),
        cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
