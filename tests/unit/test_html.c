/*
 * Unit tests for the web page's pure parts: HTML escaping (html.c), form
 * decoding and the constant-time compare (serve_form.c), and the HTML
 * renderer of report tables and its bars (render_html.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "html.h"
#include "serve.h"

static char *esc(const char *s, size_t n)
{
    html_buf h;
    html_init(&h);
    html_escn(&h, s, n);
    return html_take(&h, NULL);
}

static void test_escape(void **state)
{
    (void)state;
    char *s = esc("<a href=\"x\">O'Neil & co</a>", 27);
    assert_string_equal(s, "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co"
                           "&lt;/a&gt;");
    free(s);
    /* Valid UTF-8 passes; broken bytes and control characters become
     * U+FFFD; a NUL inside the text never ends it early. */
    s = esc("\xC3\xA5r \xFF\xC3 x\x01y", 10);
    assert_string_equal(s, "\xC3\xA5r \xEF\xBF\xBD\xEF\xBF\xBD x\xEF\xBF\xBDy");
    free(s);
    s = esc("a\0b", 3);
    assert_string_equal(s, "a\xEF\xBF\xBD" "b");
    free(s);
    /* Overlong and surrogate encodings are refused too. */
    s = esc("\xC0\xAF\xED\xA0\x80", 5);
    assert_int_equal(strlen(s), 5 * 3);
    free(s);
}

static void test_url(void **state)
{
    (void)state;
    html_buf h;
    html_init(&h);
    html_url(&h, "2025-01-01..2025-06-30 å&=");
    char *s = html_take(&h, NULL);
    assert_string_equal(s, "2025-01-01..2025-06-30%20%C3%A5%26%3D");
    free(s);
}

static void test_form(void **state)
{
    (void)state;
    serve_form f;
    serve_form_init(&f);
    const char *body = "csrf=ab12&belopp16=1+234%2C50&tom=&bara&belopp16=2";
    assert_int_equal(serve_form_parse(&f, body, strlen(body)), 0);
    assert_string_equal(serve_form_get(&f, "csrf"), "ab12");
    assert_string_equal(serve_form_get(&f, "belopp16"), "1 234,50");
    assert_string_equal(serve_form_get(&f, "tom"), "");
    assert_string_equal(serve_form_get(&f, "bara"), "");
    assert_null(serve_form_get(&f, "saknas"));
    serve_form_free(&f);

    static const char *const bad[] = {"a=%", "a=%4", "a=%zz", "a=%00", "%=1"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        serve_form_init(&f);
        assert_int_equal(serve_form_parse(&f, bad[i], strlen(bad[i])), -1);
        serve_form_free(&f);
    }
    /* A raw NUL in the body is refused, not cut at. */
    serve_form_init(&f);
    assert_int_equal(serve_form_parse(&f, "a=1\0b", 5), -1);
    serve_form_free(&f);
}

static void test_secret_eq(void **state)
{
    (void)state;
    assert_true(serve_secret_eq("abc", "abc"));
    assert_false(serve_secret_eq("abd", "abc"));
    assert_false(serve_secret_eq("ab", "abc"));
    assert_false(serve_secret_eq("abcd", "abc"));
    assert_false(serve_secret_eq("", "abc"));
}

/* A table with an income line, a cost line over its budget and a total. */
static report *sample(void)
{
    report *r = report_new("t", "Prov <1>");
    report_table *t = report_add_table(r, "Tabell & co", "Rad", "Kod");
    int bud = report_add_column(t, "budget", "Budget", REPORT_COL_AMOUNT);
    int out = report_add_column(t, "to_date", "Utfall", REPORT_COL_AMOUNT);
    int pct = report_add_column(t, "pct", "Utfall %", REPORT_COL_PERCENT);
    report_col_ratio(t, pct, out, bud);
    dec_t v;
    dec_init(&v);
    static const long amounts[2][2] = {{300000, 100000}, {100000, 150050}};
    for (int i = 0; i < 2; i++) {
        size_t row = report_add_row(t, REPORT_ROW_LINE, i ? "B" : "A",
                                    i ? "<b>Kostnad</b>" : "Intäkt", 0);
        dec_set_ore(&v, amounts[i][0]);
        report_set_amount(t, row, bud, &v);
        dec_set_ore(&v, amounts[i][1]);
        report_set_amount(t, row, out, &v);
        report_row_use_column(t, row, pct, NULL);
    }
    t->rows[1].flags |= REPORT_FLAG_WARN;
    dec_clear(&v);
    report_add_note(r, REPORT_NOTE_WARNING, "Varning: över budget");
    report_evaluate(r);
    return r;
}

static void test_render_table(void **state)
{
    (void)state;
    report *r = sample();
    render_opts o = {DEC_KR, 2, 0, 0, 0};
    html_buf h;
    html_init(&h);
    render_html(&h, r, &o);
    char *s = html_take(&h, NULL);
    assert_non_null(strstr(s, "<h2>Prov &lt;1&gt;</h2>"));
    assert_non_null(strstr(s, "<caption id=\"tabell1\">Tabell &amp; co</caption>"));
    /* A table box that scrolls is a focusable region named by it. */
    assert_non_null(strstr(s, "<div class=\"table-wrap\" role=\"region\" "
                              "tabindex=\"0\" aria-labelledby=\"tabell1\">"));
    assert_non_null(strstr(s, "&lt;b&gt;Kostnad&lt;/b&gt;"));
    assert_null(strstr(s, "<b>"));
    /* Exact value and Swedish display side by side. */
    assert_non_null(strstr(s, "<data value=\"1500.50\">1\xC2\xA0" "500,50</data>"));
    assert_non_null(strstr(s, "150,1\xC2\xA0%"));
    assert_non_null(strstr(s, "<tr class=\"line warn\">"));
    /* The computation's own "Varning:" is not doubled. */
    assert_non_null(strstr(s, "<strong>Varning:</strong> över budget"));
    assert_null(strstr(s, "Varning: över"));
    free(s);
    report_free(r);
}

static void test_bars(void **state)
{
    (void)state;
    report *r = sample();
    render_opts o = {DEC_KR, 2, 0, 0, 0};
    html_buf h;
    html_init(&h);
    const report_table *t = r->tables[0];
    render_html_bars(&h, t, 0, t->nrows - 1, 1, 0, 0, "Diagram", &o);
    char *s = html_take(&h, NULL);
    /* The largest value (budget 3 000,00) is 1000 units: 1 000,00 → 333
     * (rounded down), 1 500,50 → 500, 1 000,00 budget → 333. */
    assert_non_null(strstr(s, "class=\"bar-ref\" x=\"0\" y=\"0\" width=\"1000\""));
    assert_non_null(strstr(s, "class=\"bar-val\" x=\"0\" y=\"6\" width=\"333\""));
    assert_non_null(strstr(s, "class=\"bar-val over\" x=\"0\" y=\"6\" width=\"500\""));
    assert_non_null(strstr(s, "1\xC2\xA0" "500,50 av 1\xC2\xA0" "000,00\xC2\xA0" "kr"));
    free(s);

    dec_t part, whole;
    dec_init(&part);
    dec_init(&whole);
    dec_set_ore(&part, 70000000);
    dec_set_ore(&whole, 218000000);
    html_init(&h);
    render_html_meter(&h, &part, &whole, "m");
    s = html_take(&h, NULL);
    assert_non_null(strstr(s, "class=\"meter-fill\" x=\"0\" y=\"0\" width=\"96\""));
    free(s);
    dec_set_ore(&part, 300000000);
    html_init(&h);
    render_html_meter(&h, &part, &whole, "m");
    s = html_take(&h, NULL);
    assert_non_null(strstr(s, "class=\"meter-fill over\" x=\"0\" y=\"0\" width=\"300\""));
    free(s);
    dec_clear(&part);
    dec_clear(&whole);
    report_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),      cmocka_unit_test(test_url),
        cmocka_unit_test(test_form),        cmocka_unit_test(test_secret_eq),
        cmocka_unit_test(test_render_table), cmocka_unit_test(test_bars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
