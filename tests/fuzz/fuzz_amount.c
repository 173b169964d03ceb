/*
 * fuzz_amount - libFuzzer target for the amount parser (dec_parse) and the
 * formatter (dec_format), checking their round-trip invariants:
 *
 *   - a parsed amount has at most DEC_MAX_INT_DIGITS + 2 digits of öre;
 *   - every form samla writes (the book's plain form, the Swedish display
 *     form with U+2212 and U+00A0, ASCII with "kr", a decimal point, the
 *     canonical dec_to_string form) parses back to the same amount;
 *   - a figure rounded to tkr or mnkr for display parses back to exactly
 *     dec_rounded's value, so rounded tables add up the way they claim;
 *   - a refused input leaves the target untouched and names a column
 *     inside the input (or just past its end);
 *   - sums with the amount near the int64 limits, and its ratios, equal
 *     plain GMP arithmetic (dec's int64 fast path and its GMP overflow).
 *
 * The input is the amount text itself, copied to a buffer of exactly its
 * length (not NUL-terminated), so any read past the end is caught by ASan.
 * Built with libFuzzer by `make fuzz`, and with tests/fuzz/replay.c for
 * `make check`.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop with a message: libFuzzer and the replay driver both report it. */
static void fail(const char *what, const char *s)
{
    fprintf(stderr, "fuzz_amount: %s: \"%s\"\n", what, s ? s : "(null)");
    abort();
}

/* Parse s (a NUL-terminated string samla wrote) and require value v. */
static void expect_parses_to(const char *s, const dec_t *v, const char *what)
{
    dec_t r;
    dec_error err;

    if (s == NULL)
        fail("dec_format returned NULL", what);
    dec_init(&r);
    if (dec_parse(&r, s, strlen(s), &err) != 0) {
        fprintf(stderr, "fuzz_amount: %s form refused at column %zu: %s\n",
                what, err.col, err.msg);
        fail("own output does not parse", s);
    }
    if (dec_cmp(&r, v) != 0)
        fail("own output parses to another amount", s);
    dec_clear(&r);
}

/* Number of characters (UTF-8 lead bytes) in s[0..len). */
static size_t char_count(const uint8_t *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static void check_rounding(const dec_t *v, dec_unit unit, unsigned long scale)
{
    for (int decimals = 0; decimals <= 2; decimals++) {
        dec_t rounded, parsed;
        dec_error err;
        char *s = dec_format(v, unit, decimals, DEC_FMT_PLAIN);

        if (s == NULL)
            fail("dec_format returned NULL", "tkr/mnkr");
        dec_init(&rounded);
        dec_init(&parsed);
        dec_rounded(&rounded, v, unit, decimals);
        /* The rounded figure, read as kr, times the unit is the value. */
        if (dec_parse(&parsed, s, strlen(s), &err) != 0)
            fail("rounded figure does not parse", s);
        dec_mul_ratio_ul(&parsed, &parsed, scale, 1); /* exact */
        if (dec_cmp(&parsed, &rounded) != 0)
            fail("displayed figure differs from dec_rounded", s);
        /* Rounding twice changes nothing. */
        dec_rounded(&parsed, &rounded, unit, decimals);
        if (dec_cmp(&parsed, &rounded) != 0)
            fail("dec_rounded is not idempotent", s);
        dec_clear(&rounded);
        dec_clear(&parsed);
        free(s);
    }
}

/* r's value is z's exactly. */
static void expect_equal(const dec_t *r, const mpz_t z, const char *what)
{
    mpz_t got;
    mpz_init(got);
    dec_get_mpz(got, r);
    if (mpz_cmp(got, z) != 0)
        fail("int64 fast path differs from GMP", what);
    mpz_clear(got);
}

/*
 * The int64 fast path of dec against plain GMP: sums with the parsed
 * amount near the int64 limits (where they overflow into GMP and back),
 * and ratios and rounding of the amount itself.
 */
static void check_arithmetic(const dec_t *v, const mpz_t zv, const dec_t *big)
{
    static const long edges[] = {LONG_MAX, LONG_MIN, LONG_MAX - 99,
                                 LONG_MIN + 1, 0};
    dec_t e, r;
    mpz_t ze, want;
    dec_init(&e);
    dec_init(&r);
    mpz_init(ze);
    mpz_init(want);
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++) {
        dec_set_ore(&e, edges[i]);
        mpz_set_si(ze, edges[i]);
        dec_add(&r, v, &e);
        mpz_add(want, zv, ze);
        expect_equal(&r, want, "add");
        dec_sub(&r, &e, v);
        mpz_sub(want, ze, zv);
        expect_equal(&r, want, "sub");
        dec_sub(&r, &r, &e); /* back below the limit: e - v - e = -v */
        mpz_neg(want, zv);
        expect_equal(&r, want, "sub back");
        if (dec_cmp(&r, v) != -mpz_sgn(zv)) /* -v against v */
            fail("compare after an overflow", "");
    }
    dec_add(&r, v, big); /* |big| = 10^15: still exact either way */
    dec_sub(&r, &r, big);
    expect_equal(&r, zv, "add and sub 10^15");
    dec_mul_ratio_ul(&r, v, 43570, 86290);
    /* (2·v·num ± den) / (2·den) toward zero = v·num/den rounded half
     * away from zero */
    mpz_mul_ui(want, zv, 2 * 43570UL);
    if (mpz_sgn(zv) >= 0)
        mpz_add_ui(want, want, 86290UL);
    else
        mpz_sub_ui(want, want, 86290UL);
    mpz_tdiv_q_ui(want, want, 2 * 86290UL);
    expect_equal(&r, want, "mul_ratio_ul");
    dec_clear(&r);
    dec_clear(&e);
    mpz_clear(want);
    mpz_clear(ze);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1);
    dec_t v, limit;
    dec_error err = {0, NULL, ""};

    if (s == NULL)
        return 0;
    if (size)
        memcpy(s, data, size);
    dec_init(&v);
    dec_set_ore(&v, 4242); /* a sentinel: a refusal must not change it */

    if (dec_parse(&v, s, size, &err) != 0) {
        if (err.msg == NULL || err.col < 1 ||
            err.col > char_count(data, size) + 1)
            fail("refusal without a message or with a column outside the "
                 "input", err.msg);
        dec_t sentinel;
        dec_init(&sentinel);
        dec_set_ore(&sentinel, 4242);
        if (dec_cmp(&v, &sentinel) != 0)
            fail("a refused parse changed the target", err.msg);
        dec_clear(&sentinel);
        dec_clear(&v);
        free(s);
        return 0;
    }

    /* At most 13 digits before the decimal sign: |v| < 10^15 öre. */
    mpz_t zv, zlimit;
    mpz_init(zv);
    mpz_init(zlimit);
    dec_get_mpz(zv, &v);
    mpz_ui_pow_ui(zlimit, 10, DEC_MAX_INT_DIGITS + 2);
    if (mpz_cmpabs(zv, zlimit) >= 0)
        fail("parsed amount has too many digits", "");
    dec_init(&limit);
    dec_set_mpz(&limit, zlimit);
    check_arithmetic(&v, zv, &limit);
    dec_clear(&limit);
    mpz_clear(zlimit);
    mpz_clear(zv);
    if (dec_sigdigits(&v) > DEC_MAX_INT_DIGITS + 2)
        fail("dec_sigdigits too large", "");

    static const struct {
        int flags;
        const char *what;
    } forms[] = {
        {DEC_FMT_PLAIN, "plain (book)"},
        {0, "Swedish display"},
        {DEC_FMT_UNIT, "display with kr"},
        {DEC_FMT_ASCII, "ASCII"},
        {DEC_FMT_ASCII | DEC_FMT_UNIT, "ASCII with kr"},
        {DEC_FMT_ASCII | DEC_FMT_POINT, "decimal point"},
        {DEC_FMT_PLAIN | DEC_FMT_POINT, "plain with point"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        char *f = dec_format(&v, DEC_KR, 2, forms[i].flags);
        expect_parses_to(f, &v, forms[i].what);
        free(f);
    }
    char *canon = dec_to_string(&v);
    expect_parses_to(canon, &v, "dec_to_string");
    free(canon);

    /* Rounding to öre is the identity on a parsed amount. */
    dec_t r;
    dec_init(&r);
    dec_rounded(&r, &v, DEC_KR, 2);
    if (dec_cmp(&r, &v) != 0)
        fail("dec_rounded to öre changed the amount", "");
    dec_clear(&r);

    check_rounding(&v, DEC_TKR, 1000);
    check_rounding(&v, DEC_MNKR, 1000000);

    /* Negation round trip: "-x" of a formatted x parses to -v. */
    dec_t neg;
    dec_init(&neg);
    dec_neg(&neg, &v);
    char *nf = dec_format(&neg, DEC_KR, 2, DEC_FMT_PLAIN);
    expect_parses_to(nf, &neg, "negated");
    free(nf);
    dec_clear(&neg);

    dec_clear(&v);
    free(s);
    return 0;
}
