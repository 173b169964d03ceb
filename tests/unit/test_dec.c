/*
 * Unit tests for dec: parsing, formatting, rounding, ratios, allocation,
 * and randomized round-trip and allocation properties (fixed seed).
 *
 * Non-ASCII characters are spelled as UTF-8 byte escapes. A hex escape runs
 * on over any following hex digits, so a literal is split after each one:
 * "1" NBSP "234" rather than "1\xC2\xA0234".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dec.h"

#define MINUS "\xE2\x88\x92" /* U+2212 */
#define NBSP "\xC2\xA0"      /* U+00A0 */
#define NNBSP "\xE2\x80\xAF" /* U+202F */

#define MSG_MISSING "beloppet saknas"
#define MSG_BADCHAR "ogiltigt tecken"
#define MSG_DECIMALS "högst två decimaler (öre)"
#define MSG_DIGITS "för många siffror (högst 13 före decimaltecknet)"
#define MSG_GROUPS "tusentalsgrupper ska ha tre siffror"
#define MSG_TWO_SIGNS "två decimaltecken"
#define MSG_NO_INT "siffra saknas före decimaltecknet"
#define MSG_NO_FRAC "siffra saknas efter decimaltecknet"

/* ------------------------------------------------------------------------
 * Helpers
 */

/* xorshift64: a tiny PRNG with a fixed seed, so failures reproduce. */
static uint64_t rng_next(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    return x;
}

static uint64_t rng_below(uint64_t *state, uint64_t n)
{
    return rng_next(state) % n;
}

/* Set d from a decimal string of öre (for values beyond a long). */
static void set_str(dec_t *d, const char *ore)
{
    mpz_t z;
    assert_int_equal(mpz_init_set_str(z, ore, 10), 0);
    dec_set_mpz(d, z);
    mpz_clear(z);
}

static void assert_ore(const dec_t *d, long ore, const char *what)
{
    mpz_t z;
    mpz_init(z);
    dec_get_mpz(z, d);
    if (mpz_cmp_si(z, ore) != 0) {
        char *got = mpz_get_str(NULL, 10, z);
        print_error("%s: got %s öre, want %ld öre\n", what, got, ore);
        free(got);
        mpz_clear(z);
        fail();
    }
    mpz_clear(z);
}

static void expect_parse(const char *s, long ore)
{
    dec_t d;
    dec_error err = {0, NULL, ""};
    int rc;

    dec_init(&d);
    rc = dec_parse(&d, s, strlen(s), &err);
    if (rc != 0)
        print_error("\"%s\" refused: col %zu: %s\n", s, err.col, err.msg);
    assert_int_equal(rc, 0);
    assert_ore(&d, ore, s);
    dec_clear(&d);
}

static void expect_refused(const char *s, size_t col, const char *msg)
{
    dec_t d;
    dec_error err = {0, NULL, ""};
    int rc;

    dec_init(&d);
    dec_set_ore(&d, 4242);
    rc = dec_parse(&d, s, strlen(s), &err);
    if (rc == 0)
        print_error("\"%s\" accepted\n", s);
    assert_int_equal(rc, -1);
    if (err.col != col || err.msg == NULL || strcmp(err.msg, msg) != 0)
        print_error("\"%s\": got col %zu \"%s\", want col %zu \"%s\"\n", s,
                    err.col, err.msg ? err.msg : "(null)", col, msg);
    assert_int_equal(err.col, col);
    assert_string_equal(err.msg, msg);
    assert_ore(&d, 4242, "unchanged after a refused parse");
    dec_clear(&d);
}

static void expect_format(long ore, dec_unit unit, int decimals, int flags,
                          const char *want)
{
    dec_t d;
    char *got;

    dec_init(&d);
    dec_set_ore(&d, ore);
    got = dec_format(&d, unit, decimals, flags);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        print_error("format(%ld, unit %d, %d, flags %d)\n", ore, (int)unit,
                    decimals, flags);
    assert_string_equal(got, want);
    free(got);
    dec_clear(&d);
}

static void expect_rounded(long ore, dec_unit unit, int decimals, long want)
{
    dec_t a, r;

    dec_init(&a);
    dec_init(&r);
    dec_set_ore(&a, ore);
    dec_rounded(&r, &a, unit, decimals);
    assert_ore(&r, want, "dec_rounded");
    dec_clear(&r);
    dec_clear(&a);
}

static void expect_ratio(long ore, long num, long den, long want)
{
    dec_t a, r;
    mpz_t n, d;

    dec_init(&a);
    dec_init(&r);
    mpz_init_set_si(n, num);
    mpz_init_set_si(d, den);
    dec_set_ore(&a, ore);
    dec_mul_ratio(&r, &a, n, d);
    assert_ore(&r, want, "dec_mul_ratio");
    mpz_clear(d);
    mpz_clear(n);
    dec_clear(&r);
    dec_clear(&a);
}

/* Allocate `whole` öre over the weights and compare with want[]. */
static void expect_allocation(long whole, const unsigned long *weights,
                              size_t n, const long *want)
{
    dec_t w, parts[8];
    size_t i;

    assert_true(n <= 8);
    dec_init(&w);
    dec_set_ore(&w, whole);
    for (i = 0; i < n; i++)
        dec_init(&parts[i]);
    assert_int_equal(dec_allocate(parts, &w, weights, n), 0);
    for (i = 0; i < n; i++) {
        assert_ore(&parts[i], want[i], "dec_allocate");
        dec_clear(&parts[i]);
    }
    dec_clear(&w);
}

/* ------------------------------------------------------------------------
 * Parsing
 */

static void test_parse_header_forms(void **state)
{
    (void)state;
    expect_parse("1 234 567,89", 123456789);
    expect_parse("1234567.89", 123456789);
    expect_parse("-1 234,5", -123450);
    expect_parse(MINUS "1 234,50", -123450);
    expect_parse("1 234 kr", 123400);
    expect_parse("1" NBSP "234,00", 123400);
    expect_parse("1" NNBSP "234", 123400);
    expect_parse("+12", 1200);
    expect_parse("  12,5 ", 1250);
}

static void test_parse_more_forms(void **state)
{
    (void)state;
    /* no groups at all, or groups with the other decimal sign */
    expect_parse("1234567,89", 123456789);
    expect_parse("1 234 567.89", 123456789);
    expect_parse("1" NBSP "234" NBSP "567,89", 123456789);
    expect_parse("1" NNBSP "234" NNBSP "567,89", 123456789);
    expect_parse("1 234" NBSP "567" NNBSP "890", 123456789000);
    expect_parse("123 456", 12345600);
    /* signs */
    expect_parse("-5", -500);
    expect_parse(MINUS "5", -500);
    expect_parse("+0,01", 1);
    expect_parse("-0", 0);
    expect_parse(MINUS "0,00", 0);
    expect_parse("-0,05", -5);
    /* decimals */
    expect_parse("0", 0);
    expect_parse("5,0", 500);
    expect_parse("5,05", 505);
    expect_parse("5.5", 550);
    expect_parse("0.99", 99);
    /* currency words, with or without a space, any case */
    expect_parse("12kr", 1200);
    expect_parse("12 SEK", 1200);
    expect_parse("12SEK", 1200);
    expect_parse("12 sek", 1200);
    expect_parse("12 Kr", 1200);
    expect_parse("1 234,5 kr ", 123450);
    expect_parse(MINUS "5" NBSP "kr", -500);
    expect_parse("-1 234 567,89 SEK", -123456789);
    /* whitespace of every kind at both ends */
    expect_parse("\t12\t", 1200);
    expect_parse(NBSP "12" NNBSP, 1200);
    expect_parse(NNBSP " \t" NBSP "-12,25 kr" NBSP "\t", -1225);
    /* leading zeros do not count as digits */
    expect_parse("007", 700);
    expect_parse("0000000000000001234567890123", 123456789012300);
    /* the largest accepted amounts */
    expect_parse("9 999 999 999 999,99", 999999999999999);
    expect_parse("-9999999999999.99", -999999999999999);
}

static void test_parse_length_not_nul(void **state)
{
    dec_t d;
    dec_error err;
    const char buf[] = {'1', '2', ',', '5', 'x', 'y'};
    (void)state;

    dec_init(&d);
    assert_int_equal(dec_parse(&d, buf, 4, &err), 0);
    assert_ore(&d, 1250, "only len bytes are read");
    assert_int_equal(dec_parse(&d, "12345", 3, &err), 0);
    assert_ore(&d, 12300, "a prefix");
    /* A NUL inside the given length is just a bad character. */
    assert_int_equal(dec_parse(&d, "12\0" "3", 4, &err), -1);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.msg, MSG_BADCHAR);
    /* Length 0 with a non-empty string. */
    assert_int_equal(dec_parse(&d, "5", 0, &err), -1);
    assert_int_equal(err.col, 1);
    assert_string_equal(err.msg, MSG_MISSING);
    /* err may be NULL. */
    assert_int_equal(dec_parse(&d, "x", 1, NULL), -1);
    assert_ore(&d, 12300, "unchanged");
    dec_clear(&d);
}

static void test_parse_refused_header(void **state)
{
    (void)state;
    expect_refused("1,2,3", 4, MSG_TWO_SIGNS);
    expect_refused("12,3,4", 5, MSG_TWO_SIGNS);
    expect_refused("12.345,67", 7, MSG_TWO_SIGNS);
    expect_refused("--5", 2, MSG_BADCHAR);
    expect_refused("5-", 2, MSG_BADCHAR);
    expect_refused("1e5", 2, MSG_BADCHAR);
    expect_refused("0x10", 2, MSG_BADCHAR);
    expect_refused("", 1, MSG_MISSING);
    expect_refused("12345678901234", 14, MSG_DIGITS);
    expect_refused("1,234", 5, MSG_DECIMALS);
}

static void test_parse_refused_more(void **state)
{
    (void)state;
    /* missing amount */
    expect_refused("   ", 1, MSG_MISSING);
    expect_refused("\t" NBSP, 1, MSG_MISSING);
    expect_refused("-", 2, MSG_MISSING);
    expect_refused(MINUS, 2, MSG_MISSING);
    expect_refused("kr", 1, MSG_MISSING);
    expect_refused(" SEK ", 2, MSG_MISSING);
    expect_refused("- kr", 2, MSG_MISSING);
    /* columns count characters, not bytes */
    expect_refused(MINUS MINUS "5", 2, MSG_BADCHAR);
    expect_refused(MINUS "1,234", 6, MSG_DECIMALS);
    expect_refused("1" NBSP "234,567", 9, MSG_DECIMALS);
    expect_refused(NBSP NNBSP "5x", 4, MSG_BADCHAR);
    expect_refused("5 \xE2\x82\xAC", 3, MSG_BADCHAR); /* euro sign */
    expect_refused("5\xFF", 2, MSG_BADCHAR);          /* not UTF-8 */
    /* decimals */
    expect_refused("1.234", 5, MSG_DECIMALS);
    expect_refused("0,001", 5, MSG_DECIMALS);
    expect_refused("1,2345 kr", 5, MSG_DECIMALS);
    expect_refused("1.234.567", 6, MSG_TWO_SIGNS);
    expect_refused("1,234,567.89", 6, MSG_TWO_SIGNS);
    expect_refused("5,,", 3, MSG_TWO_SIGNS);
    expect_refused(",5", 1, MSG_NO_INT);
    expect_refused("-.5", 2, MSG_NO_INT);
    expect_refused("5,", 3, MSG_NO_FRAC);
    expect_refused("5, kr", 3, MSG_NO_FRAC);
    /* too many digits */
    expect_refused("10 000 000 000 000", 18, MSG_DIGITS);
    expect_refused("-99999999999999,00", 15, MSG_DIGITS);
    /* thousands groups */
    expect_refused("12 34", 6, MSG_GROUPS);
    expect_refused("1234 567", 5, MSG_GROUPS);
    expect_refused("1 2345", 6, MSG_GROUPS);
    expect_refused("1 23 456", 5, MSG_GROUPS);
    expect_refused("1 23 kr", 5, MSG_GROUPS);
    expect_refused("1 23,45", 5, MSG_GROUPS);
    expect_refused("1" NBSP "23" NBSP "456", 5, MSG_GROUPS);
    expect_refused("5 6", 4, MSG_GROUPS);
    /* other characters */
    expect_refused("- 5", 2, MSG_BADCHAR);
    expect_refused("1  234", 4, MSG_BADCHAR);
    expect_refused("1 234\t567", 7, MSG_BADCHAR);
    expect_refused("(5)", 1, MSG_BADCHAR);
    expect_refused("12 kronor", 6, MSG_BADCHAR);
    expect_refused("5 kr kr", 6, MSG_BADCHAR);
    expect_refused("kr 5", 1, MSG_BADCHAR);
    expect_refused("5\r", 2, MSG_BADCHAR);
    expect_refused("+-5", 2, MSG_BADCHAR);
    expect_refused("5:-", 2, MSG_BADCHAR);
    expect_refused("1'234", 2, MSG_BADCHAR);
}

/* The whole reason, as every path shows it (dec_error_text). */
static void expect_reason(const char *s, const char *want)
{
    dec_t d;
    dec_error err = {0, NULL, ""};
    char buf[96];
    dec_init(&d);
    assert_int_equal(dec_parse(&d, s, strlen(s), &err), -1);
    dec_error_text(&err, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        print_error("\"%s\": got \"%s\"\n", s, buf);
    assert_string_equal(buf, want);
    dec_clear(&d);
}

static void test_parse_reasons(void **state)
{
    (void)state;
    /* A character that has no place in an amount is named first, wherever
     * it stands, before any rule about groups or decimals (issue 12). */
    expect_reason("41 25O,00", "ogiltigt tecken 'O' i kolumn 6");
    expect_reason("1O0", "ogiltigt tecken 'O' i kolumn 2");
    expect_reason("12 345,6x7", "ogiltigt tecken 'x' i kolumn 9");
    expect_reason("1 2 3 Ö", "ogiltigt tecken 'Ö' i kolumn 7");
    expect_reason("5 \xE2\x82\xAC", "ogiltigt tecken '€' i kolumn 3");
    expect_reason("12\x01", "ogiltigt tecken U+0001 i kolumn 3");
    expect_reason("5\xFF", "ogiltigt tecken byte 0xFF i kolumn 2");
    expect_reason("12 kronor", "ogiltigt tecken 'o' i kolumn 6");
    /* Form faults keep their own reason, with the column. */
    expect_reason("41 25,00", "tusentalsgrupper ska ha tre siffror i kolumn 6");
    expect_reason("12,3,4", "två decimaltecken i kolumn 5");
    expect_reason("", "beloppet saknas");
}

static void test_parse_thin_space(void **state)
{
    (void)state;
    /* U+2009 THIN SPACE separates thousands, as docs/file-formats.md says,
     * like U+202F and U+00A0. */
    expect_parse("1\xE2\x80\x89" "234,50", 123450);
    expect_parse("1\xE2\x80\x89" "234\xE2\x80\x89" "567", 123456700);
    expect_parse("\xE2\x80\x89" "12 kr\xE2\x80\x89", 1200);
    expect_refused("1\xE2\x80\x89" "23", 5, MSG_GROUPS);
}

/* ------------------------------------------------------------------------
 * Formatting
 */

/* Parse a sum (dec_parse_sum) and compare its exact text. */
static void expect_sum(const char *s, const char *want)
{
    dec_t d;
    dec_error err = {0, NULL, ""};
    dec_init(&d);
    int rc = dec_parse_sum(&d, s, strlen(s), &err);
    if (rc != 0)
        print_error("\"%s\" refused: col %zu: %s\n", s, err.col, err.msg);
    assert_int_equal(rc, 0);
    char *got = dec_to_string(&d);
    assert_string_equal(got, want);
    free(got);
    dec_clear(&d);
}

/* A sum is not limited to the 13 digits of one entered amount: the reader
 * of bokslut.csv must take any result a book can produce (issue 11: two
 * entries of 9 999 999 999 999,99 and 1,00 gave a 14-digit result that
 * every later command refused). */
static void test_parse_sum(void **state)
{
    (void)state;
    expect_sum("10000000000000,99", "10000000000000.99");
    expect_sum("-10000000000000,99", "-10000000000000.99");
    expect_sum("1234,5", "1234.50");
    expect_sum("0,00", "0.00");
    expect_sum("-0,01", "-0.01");
    expect_sum("\u22121 000 000 000 000 000 000,00 kr", "-1000000000000000000.00");
    expect_sum("999999999999999999999999999999,99",
               "999999999999999999999999999999.99");
    expect_sum("0000000000000000000000000000000000012,50", "12.50");
    /* and it adds up with ordinary amounts */
    dec_t a, b, r;
    dec_init(&a);
    dec_init(&b);
    dec_init(&r);
    dec_error err;
    assert_int_equal(dec_parse(&a, "9999999999999,99", 16, &err), 0);
    assert_int_equal(dec_parse(&b, "1,00", 4, &err), 0);
    dec_add(&r, &a, &b);
    char *text = dec_format(&r, DEC_KR, 2, DEC_FMT_PLAIN);
    assert_string_equal(text, "10000000000000,99");
    assert_int_equal(dec_parse_sum(&a, text, strlen(text), &err), 0);
    assert_int_equal(dec_cmp(&a, &r), 0);
    free(text);
    /* The 13-digit rule still holds for one entered amount. */
    assert_int_equal(dec_parse(&a, "10000000000000,99", 17, &err), -1);
    /* Refusals: too long, and the forms dec_parse refuses. */
    dec_set_ore(&a, 4242);
    assert_int_equal(dec_parse_sum(&a, "1000000000000000000000000000000,00", 34, &err), -1);
    assert_int_equal(err.col, 31);
    assert_string_equal(err.msg, "för många siffror (högst 30 före decimaltecknet i en summa)");
    assert_int_equal(dec_parse_sum(&a, "12,345", 6, &err), -1);
    assert_string_equal(err.msg, "högst två decimaler (öre)");
    assert_int_equal(dec_parse_sum(&a, "1 23", 4, &err), -1);
    assert_string_equal(err.msg, "tusentalsgrupper ska ha tre siffror");
    assert_int_equal(dec_parse_sum(&a, "", 0, &err), -1);
    assert_string_equal(err.msg, "beloppet saknas");
    assert_int_equal(dec_parse_sum(&a, "1e30", 4, &err), -1);
    assert_string_equal(err.msg, "ogiltigt tecken");
    assert_string_equal(err.ch, "'e'");
    assert_int_equal(dec_parse_sum(&a, "1 23O,00", 8, &err), -1);
    assert_string_equal(err.ch, "'O'");
    assert_int_equal(err.col, 5);
    assert_ore(&a, 4242, "unchanged after a refused parse");
    dec_clear(&a);
    dec_clear(&b);
    dec_clear(&r);
}

static void test_format_examples(void **state)
{
    (void)state;
    expect_format(123456789, DEC_KR, 2, 0, "1" NBSP "234" NBSP "567,89");
    expect_format(-130000000, DEC_MNKR, 1, DEC_FMT_UNIT,
                  MINUS "1,3" NBSP "mnkr");
    expect_format(45678900, DEC_TKR, 0, 0, "457");
}

static void test_format_styles(void **state)
{
    (void)state;
    expect_format(-123456789, DEC_KR, 2, 0,
                  MINUS "1" NBSP "234" NBSP "567,89");
    expect_format(-123456789, DEC_KR, 2, DEC_FMT_UNIT,
                  MINUS "1" NBSP "234" NBSP "567,89" NBSP "kr");
    expect_format(-123456789, DEC_KR, 2, DEC_FMT_ASCII, "-1 234 567,89");
    expect_format(-123456789, DEC_KR, 2, DEC_FMT_ASCII | DEC_FMT_UNIT,
                  "-1 234 567,89 kr");
    expect_format(-123456789, DEC_KR, 2, DEC_FMT_ASCII | DEC_FMT_POINT,
                  "-1 234 567.89");
    expect_format(-123456789, DEC_KR, 2, DEC_FMT_PLAIN, "-1234567,89");
    expect_format(-123456789, DEC_KR, 2, DEC_FMT_PLAIN | DEC_FMT_POINT,
                  "-1234567.89");
    expect_format(-123456789, DEC_KR, 2, DEC_FMT_PLAIN | DEC_FMT_UNIT,
                  "-1234567,89 kr");
    expect_format(123456789, DEC_KR, 2, DEC_FMT_POINT,
                  "1" NBSP "234" NBSP "567.89");
}

static void test_format_units_decimals(void **state)
{
    (void)state;
    expect_format(123456789, DEC_KR, 0, 0, "1" NBSP "234" NBSP "568");
    expect_format(123456789, DEC_KR, 1, 0, "1" NBSP "234" NBSP "567,9");
    expect_format(123456789, DEC_TKR, 0, DEC_FMT_UNIT, "1" NBSP "235" NBSP "tkr");
    expect_format(123456789, DEC_TKR, 2, DEC_FMT_UNIT,
                  "1" NBSP "234,57" NBSP "tkr");
    expect_format(123456789, DEC_TKR, 5, 0, "1" NBSP "234,56789");
    expect_format(123456789, DEC_MNKR, 0, DEC_FMT_UNIT, "1" NBSP "mnkr");
    expect_format(123456789, DEC_MNKR, 3, 0, "1,235");
    expect_format(123456789, DEC_MNKR, 8, 0, "1,23456789");
    expect_format(123456789, DEC_MNKR, 2, DEC_FMT_ASCII | DEC_FMT_UNIT,
                  "1,23 mnkr");
    expect_format(100, DEC_KR, 0, DEC_FMT_UNIT, "1" NBSP "kr");
    /* small values get a leading zero and zero-padded decimals */
    expect_format(12, DEC_KR, 2, 0, "0,12");
    expect_format(5, DEC_KR, 2, 0, "0,05");
    expect_format(1, DEC_MNKR, 8, 0, "0,00000001");
    expect_format(1234, DEC_MNKR, 2, 0, "0,00");
    expect_format(0, DEC_KR, 2, DEC_FMT_UNIT, "0,00" NBSP "kr");
    expect_format(0, DEC_TKR, 0, 0, "0");
    /* grouping at every length */
    expect_format(100000, DEC_KR, 2, DEC_FMT_ASCII, "1 000,00");
    expect_format(99900, DEC_KR, 2, DEC_FMT_ASCII, "999,00");
    expect_format(1000000, DEC_KR, 0, DEC_FMT_ASCII, "10 000");
    expect_format(10000000, DEC_KR, 0, DEC_FMT_ASCII, "100 000");
    expect_format(100000000, DEC_KR, 0, DEC_FMT_ASCII, "1 000 000");
    /* rounding carries into a new group */
    expect_format(99999, DEC_KR, 0, DEC_FMT_ASCII, "1 000");
    expect_format(-99999950, DEC_TKR, 0, DEC_FMT_ASCII, "-1 000");
    /* out-of-range decimals are clamped to what the unit holds */
    expect_format(123456, DEC_KR, 5, DEC_FMT_ASCII, "1 234,56");
    expect_format(123456, DEC_KR, -1, DEC_FMT_ASCII, "1 235");
    expect_format(123456, DEC_MNKR, 12, 0, "0,00123456");
}

static void test_format_no_negative_zero(void **state)
{
    (void)state;
    expect_format(-1, DEC_KR, 0, 0, "0");
    expect_format(-49, DEC_KR, 0, 0, "0");
    expect_format(-50, DEC_KR, 0, 0, MINUS "1");
    expect_format(-4, DEC_KR, 1, 0, "0,0");
    expect_format(-5, DEC_KR, 1, 0, MINUS "0,1");
    expect_format(-1, DEC_KR, 2, 0, MINUS "0,01");
    expect_format(-49999, DEC_TKR, 0, DEC_FMT_UNIT, "0" NBSP "tkr");
    expect_format(-4999999, DEC_MNKR, 1, DEC_FMT_PLAIN, "0,0");
    expect_format(-5000000, DEC_MNKR, 1, DEC_FMT_PLAIN, "-0,1");
    expect_format(0, DEC_KR, 2, DEC_FMT_PLAIN, "0,00");
}

static void test_format_large(void **state)
{
    dec_t d;
    char *s;
    (void)state;

    dec_init(&d);
    set_str(&d, "-100000000000000000000"); /* 10^20 öre */
    s = dec_format(&d, DEC_KR, 2, DEC_FMT_ASCII);
    assert_string_equal(s, "-1 000 000 000 000 000 000,00");
    free(s);
    /* beyond the 64-byte stack buffer for digits */
    set_str(&d, "1234567890123456789012345678901234567890123456789012345678901"
                "234567890");
    s = dec_format(&d, DEC_KR, 2, DEC_FMT_PLAIN | DEC_FMT_POINT);
    assert_string_equal(s, "12345678901234567890123456789012345678901234567890"
                           "123456789012345678.90");
    free(s);
    s = dec_format(&d, DEC_MNKR, 0, DEC_FMT_ASCII);
    assert_string_equal(s, "12 345 678 901 234 567 890 123 456 789 012 345 "
                           "678 901 234 567 890 123 456 789 012");
    free(s);
    dec_clear(&d);
}

static void test_to_string(void **state)
{
    dec_t d;
    char *s;
    (void)state;

    dec_init(&d);
    s = dec_to_string(&d);
    assert_string_equal(s, "0.00");
    free(s);
    dec_set_ore(&d, -5);
    s = dec_to_string(&d);
    assert_string_equal(s, "-0.05");
    free(s);
    dec_set_ore(&d, -100);
    s = dec_to_string(&d);
    assert_string_equal(s, "-1.00");
    free(s);
    dec_set_ore(&d, 123456789);
    s = dec_to_string(&d);
    assert_string_equal(s, "1234567.89");
    free(s);
    set_str(&d, "-99999999999999999999");
    s = dec_to_string(&d);
    assert_string_equal(s, "-999999999999999999.99");
    free(s);
    dec_clear(&d);
}

/* ------------------------------------------------------------------------
 * Arithmetic
 */

static void test_arithmetic(void **state)
{
    dec_t a, b, r;
    (void)state;

    dec_init(&a);
    dec_init(&b);
    dec_init(&r);
    assert_true(dec_is_zero(&a));
    assert_int_equal(dec_sgn(&a), 0);
    dec_set_ore(&a, 150);
    dec_set_ore(&b, -275);
    dec_add(&r, &a, &b);
    assert_ore(&r, -125, "add");
    dec_sub(&r, &a, &b);
    assert_ore(&r, 425, "sub");
    dec_neg(&r, &r);
    assert_ore(&r, -425, "neg");
    dec_abs(&r, &r);
    assert_ore(&r, 425, "abs");
    dec_abs(&r, &b);
    assert_ore(&r, 275, "abs of negative");
    assert_int_equal(dec_cmp(&a, &b), 1);
    assert_int_equal(dec_cmp(&b, &a), -1);
    dec_set(&r, &a);
    assert_int_equal(dec_cmp(&r, &a), 0);
    assert_int_equal(dec_sgn(&b), -1);
    assert_int_equal(dec_sgn(&a), 1);
    assert_false(dec_is_zero(&a));
    dec_set_zero(&a);
    assert_true(dec_is_zero(&a));
    /* sums beyond 64 bits stay exact */
    dec_set_ore(&a, 9000000000000000000L);
    dec_add(&r, &a, &a);
    dec_add(&r, &r, &a);
    dec_sub(&r, &r, &a);
    dec_sub(&r, &r, &a);
    assert_int_equal(dec_cmp(&r, &a), 0);
    dec_clear(&r);
    dec_clear(&b);
    dec_clear(&a);
}

static void test_sigdigits(void **state)
{
    dec_t d;
    (void)state;

    dec_init(&d);
    assert_int_equal(dec_sigdigits(&d), 0);
    dec_set_ore(&d, 1);
    assert_int_equal(dec_sigdigits(&d), 1);
    dec_set_ore(&d, -9);
    assert_int_equal(dec_sigdigits(&d), 1);
    dec_set_ore(&d, 10);
    assert_int_equal(dec_sigdigits(&d), 2);
    dec_set_ore(&d, 99);
    assert_int_equal(dec_sigdigits(&d), 2);
    dec_set_ore(&d, 100);
    assert_int_equal(dec_sigdigits(&d), 3);
    dec_set_ore(&d, -12345);
    assert_int_equal(dec_sigdigits(&d), 5);
    dec_set_ore(&d, 999999999999999L);
    assert_int_equal(dec_sigdigits(&d), 15);
    dec_set_ore(&d, 1000000000000000L);
    assert_int_equal(dec_sigdigits(&d), 16);
    set_str(&d, "-1000000000000000000000000000000");
    assert_int_equal(dec_sigdigits(&d), 31);
    set_str(&d, "999999999999999999999999999999");
    assert_int_equal(dec_sigdigits(&d), 30);
    dec_clear(&d);
}

/* ------------------------------------------------------------------------
 * Rounding
 */

static void test_rounded_kr(void **state)
{
    (void)state;
    expect_rounded(250, DEC_KR, 0, 300);
    expect_rounded(-250, DEC_KR, 0, -300);
    expect_rounded(249, DEC_KR, 0, 200);
    expect_rounded(-249, DEC_KR, 0, -200);
    expect_rounded(50, DEC_KR, 0, 100);
    expect_rounded(-50, DEC_KR, 0, -100);
    expect_rounded(49, DEC_KR, 0, 0);
    expect_rounded(-49, DEC_KR, 0, 0);
    expect_rounded(25, DEC_KR, 1, 30);
    expect_rounded(-25, DEC_KR, 1, -30);
    expect_rounded(24, DEC_KR, 1, 20);
    expect_rounded(-24, DEC_KR, 1, -20);
    expect_rounded(-5, DEC_KR, 1, -10);
    expect_rounded(12345, DEC_KR, 2, 12345);
    expect_rounded(-12345, DEC_KR, 2, -12345);
    expect_rounded(0, DEC_KR, 0, 0);
}

static void test_rounded_tkr(void **state)
{
    (void)state;
    expect_rounded(50000, DEC_TKR, 0, 100000); /* 0,5 tkr */
    expect_rounded(-50000, DEC_TKR, 0, -100000);
    expect_rounded(49999, DEC_TKR, 0, 0);
    expect_rounded(-49999, DEC_TKR, 0, 0);
    expect_rounded(150000, DEC_TKR, 0, 200000); /* 1,5 -> 2 */
    expect_rounded(250000, DEC_TKR, 0, 300000); /* 2,5 -> 3, not 2 */
    expect_rounded(-250000, DEC_TKR, 0, -300000);
    expect_rounded(5000, DEC_TKR, 1, 10000);
    expect_rounded(-5000, DEC_TKR, 1, -10000);
    expect_rounded(4999, DEC_TKR, 1, 0);
    expect_rounded(50, DEC_TKR, 3, 100);
    expect_rounded(-50, DEC_TKR, 3, -100);
    expect_rounded(5, DEC_TKR, 4, 10);
    expect_rounded(-5, DEC_TKR, 4, -10);
    expect_rounded(-4, DEC_TKR, 4, 0);
    expect_rounded(123456789, DEC_TKR, 5, 123456789);
}

static void test_rounded_mnkr(void **state)
{
    (void)state;
    expect_rounded(50000000, DEC_MNKR, 0, 100000000); /* 0,5 mnkr */
    expect_rounded(-50000000, DEC_MNKR, 0, -100000000);
    expect_rounded(49999999, DEC_MNKR, 0, 0);
    expect_rounded(-49999999, DEC_MNKR, 0, 0);
    expect_rounded(5000000, DEC_MNKR, 1, 10000000); /* 0,05 mnkr */
    expect_rounded(-5000000, DEC_MNKR, 1, -10000000);
    expect_rounded(-134999999, DEC_MNKR, 1, -130000000);
    expect_rounded(-135000000, DEC_MNKR, 1, -140000000);
    expect_rounded(500, DEC_MNKR, 5, 1000);
    expect_rounded(-500, DEC_MNKR, 5, -1000);
    expect_rounded(5, DEC_MNKR, 7, 10);
    expect_rounded(-5, DEC_MNKR, 7, -10);
    expect_rounded(-123456789, DEC_MNKR, 8, -123456789);
}

static void test_rounded_large_and_alias(void **state)
{
    dec_t a, want;
    (void)state;

    dec_init(&a);
    dec_init(&want);
    /* -1 234 567 890 123 456 789,5 mnkr, far beyond 64 bits */
    set_str(&a, "-123456789012345678950000000");
    set_str(&want, "-123456789012345679000000000");
    dec_rounded(&a, &a, DEC_MNKR, 0); /* r may be a */
    assert_int_equal(dec_cmp(&a, &want), 0);
    dec_clear(&want);
    dec_clear(&a);
}

/* ------------------------------------------------------------------------
 * Ratios
 */

static void test_mul_ratio(void **state)
{
    dec_t a, r;
    (void)state;

    expect_ratio(100, 1, 3, 33);
    expect_ratio(200, 1, 3, 67);
    expect_ratio(-200, 1, 3, -67);
    expect_ratio(5, 1, 2, 3); /* 2,5 -> 3 */
    expect_ratio(-5, 1, 2, -3);
    expect_ratio(5, -1, 2, -3);
    expect_ratio(5, 1, -2, -3);
    expect_ratio(-5, 1, -2, 3);
    expect_ratio(-5, -1, -2, -3);
    expect_ratio(7, 3, 4, 5);   /* 5,25 */
    expect_ratio(9, 3, 4, 7);   /* 6,75 */
    expect_ratio(3, 3, 4, 2);   /* 2,25 */
    expect_ratio(10, 3, 4, 8);  /* 7,5 */
    expect_ratio(-10, 3, 4, -8);
    expect_ratio(0, 5, 7, 0);
    expect_ratio(123, 0, 7, 0);
    expect_ratio(10000000, 43570, 86290, 5049253); /* 5 049 252,52 */
    expect_ratio(10000000, 42720, 86290, 4950747); /* 4 950 747,48 */

    dec_init(&a);
    dec_init(&r);
    dec_set_ore(&a, 10000000);
    dec_mul_ratio_ul(&r, &a, 43570, 86290);
    assert_ore(&r, 5049253, "mul_ratio_ul");
    dec_set_ore(&a, -15);
    dec_mul_ratio_ul(&a, &a, 1, 10); /* r may be a: -1,5 -> -2 */
    assert_ore(&a, -2, "mul_ratio_ul aliased");
    dec_set_ore(&a, 25);
    dec_mul_ratio_ul(&r, &a, 1, 10);
    assert_ore(&r, 3, "mul_ratio_ul 2,5");
    dec_set_ore(&a, 24);
    dec_mul_ratio_ul(&r, &a, 1, 10);
    assert_ore(&r, 2, "mul_ratio_ul 2,4");
    dec_clear(&r);
    dec_clear(&a);
}

/* ------------------------------------------------------------------------
 * Allocation
 */

static void test_allocate_populations(void **state)
{
    /* 100 000,00 kr between Lerum and Alingsås by population: the exact
     * shares are 5 049 252,52 and 4 950 747,48 öre. */
    const unsigned long pop[] = {43570, 42720};
    const long want[] = {5049253, 4950747};
    const long want_neg[] = {-5049253, -4950747};
    (void)state;

    expect_allocation(10000000, pop, 2, want);
    expect_allocation(-10000000, pop, 2, want_neg);
    assert_int_equal(want[0] + want[1], 10000000);
}

static void test_allocate_ties_and_zeros(void **state)
{
    const unsigned long thirds[] = {1, 1, 1};
    const unsigned long zero_first[] = {0, 1, 1};
    const unsigned long one[] = {7};
    const unsigned long mixed[] = {3, 0, 2, 5};
    (void)state;

    /* every remainder is equal: the lower index gets the öre */
    expect_allocation(100, thirds, 3, (const long[]){34, 33, 33});
    expect_allocation(101, thirds, 3, (const long[]){34, 34, 33});
    expect_allocation(-100, thirds, 3, (const long[]){-34, -33, -33});
    expect_allocation(-101, thirds, 3, (const long[]){-34, -34, -33});
    expect_allocation(2, thirds, 3, (const long[]){1, 1, 0});
    expect_allocation(99, thirds, 3, (const long[]){33, 33, 33});
    /* a zero weight never gets anything */
    expect_allocation(101, zero_first, 3, (const long[]){0, 51, 50});
    expect_allocation(1, zero_first, 3, (const long[]){0, 1, 0});
    /* one part takes everything */
    expect_allocation(-12345, one, 1, (const long[]){-12345});
    /* 1001 over 3:0:2:5 = 300,3 / 0 / 200,2 / 500,5: the 0,5 wins */
    expect_allocation(1001, mixed, 4, (const long[]){300, 0, 200, 501});
    expect_allocation(0, mixed, 4, (const long[]){0, 0, 0, 0});
}

static void test_allocate_refused_and_alias(void **state)
{
    const unsigned long zeros[] = {0, 0};
    const unsigned long w[] = {1, 3};
    dec_t parts[2], whole;
    (void)state;

    dec_init(&whole);
    dec_init(&parts[0]);
    dec_init(&parts[1]);
    dec_set_ore(&whole, 100);
    dec_set_ore(&parts[0], 7);
    dec_set_ore(&parts[1], 8);
    assert_int_equal(dec_allocate(parts, &whole, zeros, 2), -1);
    assert_ore(&parts[0], 7, "unchanged after refusal");
    assert_ore(&parts[1], 8, "unchanged after refusal");
    assert_int_equal(dec_allocate(parts, &whole, w, 0), -1);

    /* the whole may be one of the parts */
    dec_set_ore(&parts[0], 1001);
    assert_int_equal(dec_allocate(parts, &parts[0], w, 2), 0);
    assert_ore(&parts[0], 250, "aliased part 0"); /* 250,25 */
    assert_ore(&parts[1], 751, "aliased part 1"); /* 750,75 */

    /* weights whose sum overflows an unsigned long */
    {
        const unsigned long huge[] = {(unsigned long)-1, (unsigned long)-1,
                                      (unsigned long)-1};
        dec_t three[3];
        int i;
        for (i = 0; i < 3; i++)
            dec_init(&three[i]);
        dec_set_ore(&whole, 100);
        assert_int_equal(dec_allocate(three, &whole, huge, 3), 0);
        assert_ore(&three[0], 34, "huge weights 0");
        assert_ore(&three[1], 33, "huge weights 1");
        assert_ore(&three[2], 33, "huge weights 2");
        for (i = 0; i < 3; i++)
            dec_clear(&three[i]);
    }
    dec_clear(&parts[1]);
    dec_clear(&parts[0]);
    dec_clear(&whole);
}

/* ------------------------------------------------------------------------
 * Randomized properties (fixed seed)
 */

#define ITERATIONS 20000

/* A random amount the parser accepts: up to 15 digits of öre, any sign,
 * with small magnitudes as likely as large ones. */
static long random_amount(uint64_t *rng)
{
    static const long pow10[] = {1L,
                                 10L,
                                 100L,
                                 1000L,
                                 10000L,
                                 100000L,
                                 1000000L,
                                 10000000L,
                                 100000000L,
                                 1000000000L,
                                 10000000000L,
                                 100000000000L,
                                 1000000000000L,
                                 10000000000000L,
                                 100000000000000L,
                                 1000000000000000L};
    int k = 1 + (int)rng_below(rng, 15);
    long v = (long)rng_below(rng, (uint64_t)pow10[k]);
    return rng_below(rng, 2) ? -v : v;
}

static void roundtrip(const dec_t *a, int flags, dec_t *back)
{
    dec_error err = {0, NULL, ""};
    char *s = dec_format(a, DEC_KR, 2, flags);
    assert_non_null(s);
    if (dec_parse(back, s, strlen(s), &err) != 0 || dec_cmp(a, back) != 0) {
        print_error("round trip failed for \"%s\" (flags %d): col %zu %s\n", s,
                    flags, err.col, err.msg ? err.msg : "");
        free(s);
        fail();
    }
    free(s);
}

static void test_property_roundtrip(void **state)
{
    static const int flags[] = {DEC_FMT_PLAIN,
                                0,
                                DEC_FMT_UNIT,
                                DEC_FMT_ASCII,
                                DEC_FMT_ASCII | DEC_FMT_UNIT,
                                DEC_FMT_PLAIN | DEC_FMT_POINT,
                                DEC_FMT_POINT | DEC_FMT_UNIT};
    uint64_t rng = 0x9E3779B97F4A7C15u;
    dec_t a, back;
    int i;
    size_t f;
    (void)state;

    dec_init(&a);
    dec_init(&back);
    for (i = 0; i < ITERATIONS; i++) {
        dec_set_ore(&a, random_amount(&rng));
        for (f = 0; f < sizeof flags / sizeof flags[0]; f++)
            roundtrip(&a, flags[f], &back);
        /* dec_rounded agrees with what dec_format shows */
        {
            int unit = (int)rng_below(&rng, 3);
            int decimals = (int)rng_below(&rng, 3);
            dec_t r;
            char *shown, *exact;
            dec_init(&r);
            dec_rounded(&r, &a, (dec_unit)unit, decimals);
            shown = dec_format(&a, (dec_unit)unit, decimals, DEC_FMT_PLAIN);
            exact = dec_format(&r, (dec_unit)unit, decimals, DEC_FMT_PLAIN);
            assert_string_equal(shown, exact);
            free(shown);
            free(exact);
            dec_clear(&r);
        }
    }
    dec_clear(&back);
    dec_clear(&a);
}

/* Check one allocation against its definition: the parts sum to the
 * whole, each is within one öre of its exact share, and the extra öre went
 * to the largest remainders, ties to the lower index. */
static void check_allocation(const dec_t *dwhole, const unsigned long *w,
                             size_t n, const dec_t *dparts)
{
    mpz_t sum, total, acc, t, floor_i, rem_i, rem_j, floor_j, whole, parts[12];
    size_t i, j;

    assert_true(n <= 12);
    mpz_inits(sum, total, acc, t, floor_i, rem_i, rem_j, floor_j, whole, NULL);
    dec_get_mpz(whole, dwhole);
    for (i = 0; i < n; i++) {
        mpz_init(parts[i]);
        dec_get_mpz(parts[i], &dparts[i]);
    }
    for (i = 0; i < n; i++)
        mpz_add_ui(sum, sum, w[i]);
    mpz_abs(total, whole);
    for (i = 0; i < n; i++) {
        mpz_add(acc, acc, parts[i]);
        /* |part * sum - whole * w| < sum */
        mpz_mul(t, parts[i], sum);
        mpz_submul_ui(t, whole, w[i]);
        assert_true(mpz_cmpabs(t, sum) < 0);
        /* a part's sign follows the whole's */
        assert_true(mpz_sgn(parts[i]) == 0 ||
                    mpz_sgn(parts[i]) == mpz_sgn(whole));
    }
    assert_int_equal(mpz_cmp(acc, whole), 0);

    for (i = 0; i < n; i++) {
        int extra_i;
        mpz_mul_ui(t, total, w[i]);
        mpz_tdiv_qr(floor_i, rem_i, t, sum);
        mpz_abs(t, parts[i]);
        extra_i = mpz_cmp(t, floor_i) != 0;
        for (j = 0; j < n && extra_i; j++) {
            int extra_j;
            mpz_mul_ui(t, total, w[j]);
            mpz_tdiv_qr(floor_j, rem_j, t, sum);
            mpz_abs(t, parts[j]);
            extra_j = mpz_cmp(t, floor_j) != 0;
            if (!extra_j) {
                int c = mpz_cmp(rem_i, rem_j);
                assert_true(c > 0 || (c == 0 && i < j));
            }
        }
    }
    for (i = 0; i < n; i++)
        mpz_clear(parts[i]);
    mpz_clears(sum, total, acc, t, floor_i, rem_i, rem_j, floor_j, whole, NULL);
}

static void test_property_allocation(void **state)
{
    uint64_t rng = 0x2545F4914F6CDD1Du;
    unsigned long w[12];
    dec_t whole, parts[12];
    size_t i, n;
    int it;
    (void)state;

    dec_init(&whole);
    for (i = 0; i < 12; i++)
        dec_init(&parts[i]);
    for (it = 0; it < ITERATIONS; it++) {
        int wide = (int)rng_below(&rng, 4); /* weight magnitude */
        n = 1 + (size_t)rng_below(&rng, 12);
        for (i = 0; i < n; i++) {
            if (rng_below(&rng, 5) == 0)
                w[i] = 0;
            else if (wide == 0)
                w[i] = 1 + (unsigned long)rng_below(&rng, 3); /* many ties */
            else if (wide == 1)
                w[i] = (unsigned long)rng_below(&rng, 100000);
            else
                w[i] = (unsigned long)rng_next(&rng);
        }
        if (rng_below(&rng, 50) == 0) { /* all zero when n <= 2 */
            w[0] = 0;
            w[n - 1] = 0;
        }
        dec_set_ore(&whole, random_amount(&rng));
        {
            unsigned long any = 0;
            for (i = 0; i < n; i++)
                any |= w[i];
            if (!any) {
                assert_int_equal(dec_allocate(parts, &whole, w, n), -1);
                continue;
            }
        }
        assert_int_equal(dec_allocate(parts, &whole, w, n), 0);
        check_allocation(&whole, w, n, parts);
    }
    for (i = 0; i < 12; i++)
        dec_clear(&parts[i]);
    dec_clear(&whole);
}

/* Random byte strings from the parser's alphabet: never a crash, and any
 * accepted string round-trips through the canonical form. */
static void test_property_parse_noise(void **state)
{
    static const char *const atoms[] = {
        "0", "1", "5", "9", " ", ",", ".", "-", "+", "kr", "SEK", "\t", NBSP,
        NNBSP, MINUS, "x", "e", "\xFF"};
    uint64_t rng = 0xD1B54A32D192ED03u;
    char buf[128];
    dec_t d, back;
    dec_error err;
    int it;
    (void)state;

    dec_init(&d);
    dec_init(&back);
    for (it = 0; it < ITERATIONS; it++) {
        size_t len = 0, k, natoms = (size_t)rng_below(&rng, 12);
        for (k = 0; k < natoms; k++) {
            const char *atom = atoms[rng_below(&rng, sizeof atoms /
                                                         sizeof atoms[0])];
            size_t alen = strlen(atom);
            memcpy(buf + len, atom, alen);
            len += alen;
        }
        err.col = 0;
        err.msg = NULL;
        if (dec_parse(&d, buf, len, &err) == 0) {
            char *s = dec_to_string(&d);
            assert_int_equal(dec_parse(&back, s, strlen(s), NULL), 0);
            assert_int_equal(dec_cmp(&d, &back), 0);
            free(s);
        } else {
            /* the column lies within the string or just past its end */
            size_t chars = 0;
            for (k = 0; k < len; k++)
                chars += ((unsigned char)buf[k] & 0xC0) != 0x80;
            assert_non_null(err.msg);
            assert_true(err.col >= 1 && err.col <= chars + 1);
        }
    }
    dec_clear(&back);
    dec_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_header_forms),
        cmocka_unit_test(test_parse_more_forms),
        cmocka_unit_test(test_parse_length_not_nul),
        cmocka_unit_test(test_parse_refused_header),
        cmocka_unit_test(test_parse_refused_more),
        cmocka_unit_test(test_parse_reasons),
        cmocka_unit_test(test_parse_thin_space),
        cmocka_unit_test(test_format_examples),
        cmocka_unit_test(test_format_styles),
        cmocka_unit_test(test_format_units_decimals),
        cmocka_unit_test(test_format_no_negative_zero),
        cmocka_unit_test(test_parse_sum),
        cmocka_unit_test(test_format_large),
        cmocka_unit_test(test_to_string),
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_sigdigits),
        cmocka_unit_test(test_rounded_kr),
        cmocka_unit_test(test_rounded_tkr),
        cmocka_unit_test(test_rounded_mnkr),
        cmocka_unit_test(test_rounded_large_and_alias),
        cmocka_unit_test(test_mul_ratio),
        cmocka_unit_test(test_allocate_populations),
        cmocka_unit_test(test_allocate_ties_and_zeros),
        cmocka_unit_test(test_allocate_refused_and_alias),
        cmocka_unit_test(test_property_roundtrip),
        cmocka_unit_test(test_property_allocation),
        cmocka_unit_test(test_property_parse_noise),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
