/*
 * Unit tests for the workbook writer's one number conversion
 * (xlsx_cell_number) and the exact ratio strings (xlsx_ratio_string).
 *
 * The property that matters: every amount the ledger can write survives
 * the double exactly, i.e. the double printed back with 15 significant
 * digits (what LibreOffice saves) is the same decimal; and anything that
 * could not survive is refused.
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include "dec.h"
#include "example_fixture.h"
#include "xlsx.h"

/* The decimal that a double reads back as with `decimals` decimals. */
static void back(double v, int decimals, char *buf, size_t size)
{
    snprintf(buf, size, "%.*f", decimals, v);
}

static void roundtrip(const char *s, int decimals)
{
    double v = -12345;
    assert_int_equal(xlsx_cell_number(s, &v), 0);
    char buf[64];
    back(v, decimals, buf, sizeof buf);
    assert_string_equal(buf, s);
    /* And at 15 significant digits (LibreOffice's precision) too. */
    char g[64];
    snprintf(g, sizeof g, "%.15g", v);
    assert_true(strtod(g, NULL) == v);
}

static void test_roundtrip_examples(void **state)
{
    (void)state;
    roundtrip("9999999999999.99", 2);
    roundtrip("-9999999999999.99", 2);
    roundtrip("-0.01", 2);
    roundtrip("0.01", 2);
    roundtrip("1278204.72", 2);
    roundtrip("-1278204.72", 2);
    roundtrip("3656403.50", 2);
    roundtrip("4934608.22", 2);
    roundtrip("6801236.45", 2);
    roundtrip("8079441.17", 2);
    roundtrip("123456789012.34", 2);
    roundtrip("45678", 0);       /* a date serial */
    roundtrip("0.2345678901", 10); /* a ratio */
}

static void test_zero_never_negative(void **state)
{
    (void)state;
    double v = 1;
    assert_int_equal(xlsx_cell_number("-0.00", &v), 0);
    assert_true(v == 0);
    assert_false(signbit(v));
    assert_int_equal(xlsx_cell_number("0", &v), 0);
    assert_true(v == 0);
    assert_false(signbit(v));
}

static void test_refuses_sixteen_digits(void **state)
{
    (void)state;
    double v = 7;
    /* 16 significant digits: 10 000 000 000 000,01 kr and friends. */
    assert_int_equal(xlsx_cell_number("10000000000000.01", &v), -1);
    assert_int_equal(xlsx_cell_number("12345678901234.56", &v), -1);
    assert_int_equal(xlsx_cell_number("-99999999999999.99", &v), -1);
    assert_int_equal(xlsx_cell_number("0.1234567890123456", &v), -1);
    assert_int_equal(xlsx_cell_number("1234567890123456", &v), -1);
    /* Refusal leaves the output alone. */
    assert_true(v == 7);
    /* Fifteen are fine, and so are zeros beyond the last non-zero digit:
     * 10 000 000 000 000,00 has one significant digit and is exact. */
    assert_int_equal(xlsx_cell_number("999999999999999", &v), 0);
    assert_int_equal(xlsx_cell_number("10000000000000.00", &v), 0);
    assert_true(v == 1e13);
    assert_int_equal(xlsx_cell_number("0.000000000000001", &v), 0);
}

static void test_refuses_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "-", "1.", ".5", "-.5", "1e5", "1E5", "1,5", " 1", "1 ", "+1",
        "inf", "nan", "0x10", "1.2.3", "--1", "1-", "12 345", ("\xE2\x88\x92" "1")};
    double v;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (xlsx_cell_number(bad[i], &v) != -1)
            fail_msg("accepted \"%s\"", bad[i]);
    }
    assert_int_equal(xlsx_cell_number(NULL, &v), -1);
}

/* dec_to_string of every amount, through the conversion and back. */
static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_property_amounts(void **state)
{
    (void)state;
    uint64_t seed = 0x5A4D4C41ULL; /* "SAMLA" */
    dec_t d;
    dec_init(&d);
    for (int i = 0; i < 200000; i++) {
        /* Up to 15 digits of öre, any sign; spread over magnitudes. */
        uint64_t digits = 1 + rng(&seed) % 15;
        uint64_t lim = 1;
        for (uint64_t k = 0; k < digits; k++)
            lim *= 10;
        long long ore = (long long)(rng(&seed) % lim);
        if (rng(&seed) & 1)
            ore = -ore;
        dec_set_ore(&d, (long)ore);
        char *s = dec_to_string(&d);
        double v;
        assert_int_equal(xlsx_cell_number(s, &v), 0);
        char buf[64];
        back(v, 2, buf, sizeof buf);
        if (ore == 0)
            assert_string_equal(buf, "0.00");
        else if (strcmp(buf, s) != 0)
            fail_msg("%s came back as %s", s, buf);
        free(s);
    }
    dec_clear(&d);
}

/* xlsx_cell_scaled (no string) gives bit for bit the double that
 * xlsx_cell_number gives for the same value's decimal string, for amounts,
 * counts and day numbers of every size, and refuses what it refuses. */
static void test_scaled_same_as_string(void **state)
{
    (void)state;
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    static const long long edges[] = {
        0, 1, -1, 5, -5, 99, 100, 101, 999999999999999LL,
        -999999999999999LL, 1000000000000000LL, -1000000000000000LL,
        1000000000000001LL, 10000000000000000LL, 9223372036854775807LL,
        -9223372036854775807LL - 1, 4503599627370497LL, 9007199254740993LL};
    for (int i = 0; i < 300000; i++) {
        long long v;
        if (i < (int)(sizeof edges / sizeof *edges))
            v = edges[i];
        else {
            uint64_t digits = 1 + rng(&seed) % 19, lim = 1;
            for (uint64_t k = 0; k < digits; k++)
                lim *= 10;
            v = (long long)(rng(&seed) % lim);
            if (rng(&seed) & 1)
                v = -v;
        }
        for (int dec = 0; dec <= 2; dec++) {
            char s[48];
            unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v
                                         : (unsigned long long)v;
            unsigned long long p = dec == 0 ? 1 : dec == 1 ? 10 : 100;
            if (dec)
                snprintf(s, sizeof s, "%s%llu.%0*llu", v < 0 ? "-" : "",
                         m / p, dec, m % p);
            else
                snprintf(s, sizeof s, "%s%llu", v < 0 ? "-" : "", m);
            double a = 0, b = 0;
            int ra = xlsx_cell_scaled(v, dec, &a);
            int rb = xlsx_cell_number(s, &b);
            if (ra != rb || (ra == 0 && memcmp(&a, &b, sizeof a) != 0))
                fail_msg("%s: scaled %d %.17g, string %d %.17g", s, ra, a, rb,
                         b);
            /* The text samla's own journal rows hold (xlsx_cell_text): the
             * same decimal without trailing zero decimals, refused alike,
             * and read back (as a spreadsheet reads it: the nearest double)
             * as the same double. */
            char t[XLSX_NUMBER_TEXT];
            int rt = xlsx_cell_text(v, dec, t);
            if (rt != ra)
                fail_msg("%s: text %d %s, scaled %d", s, rt, t, ra);
            char trimmed[48];
            snprintf(trimmed, sizeof trimmed, "%s", s);
            if (dec) {
                size_t n = strlen(trimmed);
                while (trimmed[n - 1] == '0')
                    trimmed[--n] = '\0';
                if (trimmed[n - 1] == '.')
                    trimmed[--n] = '\0';
            }
            if (strcmp(t, trimmed) != 0)
                fail_msg("%s: text %s, want %s", s, t, trimmed);
            double c = strtod(t, NULL);
            if (rt == 0 && memcmp(&a, &c, sizeof a) != 0 && !(a == 0 && c == 0))
                fail_msg("%s: text %s reads as %.17g, scaled %.17g", s, t, c,
                         a);
        }
    }
    double x;
    assert_int_equal(xlsx_cell_scaled(1, 3, &x), -1);
    assert_int_equal(xlsx_cell_scaled(1, -1, &x), -1);
}

/* A comma-decimal LC_NUMERIC changes nothing: the conversion always reads
 * '.'. samla never sets LC_NUMERIC itself, but a library or a future caller
 * might. The test needs a locale whose decimal point is ',' (make deps
 * generates sv_SE.UTF-8); without one it is skipped, and counted as
 * skipped, rather than passing in the C locale where it proves nothing. */
static void test_locale_independent(void **state)
{
    (void)state;
    static const char *const locs[] = {"sv_SE.UTF-8", "sv_SE.utf8",
                                       "de_DE.UTF-8", "fr_FR.UTF-8"};
    const char *got = NULL;
    for (size_t i = 0; i < sizeof locs / sizeof *locs && !got; i++) {
        if (setlocale(LC_NUMERIC, locs[i]) == NULL)
            continue;
        if (strcmp(localeconv()->decimal_point, ",") == 0)
            got = locs[i];
        else
            setlocale(LC_NUMERIC, "C");
    }
    if (!got) {
        print_message("no comma-decimal locale (sv_SE.UTF-8: make deps "
                      "generates it)\n");
        skip();
    }
    /* The locale is in force: the C library's own strtod stops at '.'. */
    char *end = NULL;
    double plain = strtod("1278204.72", &end);
    assert_true(plain == 1278204.0 && *end == '.');

    static const struct {
        const char *s;
        double want;
    } cases[] = {
        {"1278204.72", 1278204.72},
        {"0.01", 0.01},
        {"-9999999999999.99", -9999999999999.99},
        {"12.5", 12.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double v = 0;
        int rc = xlsx_cell_number(cases[i].s, &v);
        if (rc != 0 || v != cases[i].want) {
            setlocale(LC_NUMERIC, "C");
            fail_msg("%s in %s: rc %d, got %.17g", cases[i].s, got, rc, v);
        }
    }
    setlocale(LC_NUMERIC, "C");
}

static void ratio_is(long num, long den, const char *want)
{
    dec_t n, d;
    dec_init(&n);
    dec_init(&d);
    dec_set_ore(&n, num);
    dec_set_ore(&d, den);
    char *s = xlsx_ratio_string(&n, &d);
    assert_string_equal(s, want);
    double v;
    assert_int_equal(xlsx_cell_number(s, &v), 0);
    free(s);
    dec_clear(&n);
    dec_clear(&d);
}

static void test_ratio_strings(void **state)
{
    (void)state;
    ratio_is(1, 3, "0.3333333333");
    ratio_is(2, 3, "0.6666666667");
    ratio_is(-1, 8, "-0.125");
    ratio_is(1, -8, "-0.125");
    ratio_is(0, 5, "0");
    ratio_is(500, 100, "5");
    ratio_is(123456, 123456, "1");
    /* Half away from zero at the tenth decimal. */
    ratio_is(1, 16, "0.0625");
    ratio_is(-2, 3, "-0.6666666667");
    /* A large ratio keeps 15 significant digits, fewer decimals. */
    ratio_is(999999999999999L, 1, "999999999999999");
    ratio_is(100000000000000L, 3, "33333333333333.3");
}

static void read_all(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* The workbook's temporary file is created with O_EXCL | O_NOFOLLOW: a
 * symbolic link planted at the name it would use first (the pid and the
 * first counter value) is never followed, its target keeps its contents,
 * the workbook is written under another name and renamed into place, and
 * nothing is left behind. */
static void test_temp_file_never_follows_a_link(void **state)
{
    fixture *fx = *state;
    char out[128], link[160], target[128], buf[64];
    snprintf(out, sizeof out, "%s/arsbokslut.xlsx", fx->dir);
    snprintf(target, sizeof target, "%s/viktig.txt", fx->dir);
    snprintf(link, sizeof link, "%s.tmp%ld-0", out, (long)getpid());
    FILE *f = fopen(target, "wb");
    assert_non_null(f);
    fputs("viktigt innehåll\n", f);
    fclose(f);
    assert_int_equal(symlink(target, link), 0);
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(xlsx_export_annual(&fx->b, 2025, out, &dl), SAMLA_OK);
    diag_free(&dl);
    read_all(target, buf, sizeof buf);
    assert_string_equal(buf, "viktigt innehåll\n");
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode)); /* left as it was */
    assert_int_equal(lstat(out, &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_true(st.st_size > 10000);
    read_all(out, buf, 3);
    assert_memory_equal(buf, "PK", 2); /* a zip: the workbook */
    /* no temporary file of ours is left */
    char tmp1[200];
    snprintf(tmp1, sizeof tmp1, "%s.tmp%ld-1", out, (long)getpid());
    assert_int_equal(access(tmp1, F_OK), -1);
    unlink(link);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_examples),
        cmocka_unit_test(test_zero_never_negative),
        cmocka_unit_test(test_refuses_sixteen_digits),
        cmocka_unit_test(test_refuses_malformed),
        cmocka_unit_test(test_property_amounts),
        cmocka_unit_test(test_scaled_same_as_string),
        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_ratio_strings),
        cmocka_unit_test_setup_teardown(test_temp_file_never_follows_a_link,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
