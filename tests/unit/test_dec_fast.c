/*
 * Unit tests for dec's int64 fast path: every operation on amounts that
 * fit in 64 bits must give exactly what plain GMP arithmetic gives, and so
 * must the overflows into GMP (sums past the int64 limits, products in
 * ratios and allocations, rounding up past INT64_MAX) and the way back.
 *
 * The reference here is written directly on mpz_t, independently of
 * dec.c, from the definitions in dec.h: round half away from zero, largest
 * remainder allocation with ties to the lower index. Values are random
 * (fixed seeds, so failures reproduce) and extreme: 0, ±1, the int64
 * limits and their neighbours, ±2^62, exact halves at every rounding unit,
 * and values of 64 to 130 bits.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dec.h"

/* xorshift64 with a fixed seed. */
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

/* ------------------------------------------------------------------------
 * Values
 */

/* z = a random value of one of several kinds, chosen at random. */
static void random_value(mpz_t z, uint64_t *rng)
{
    static const char *const extremes[] = {
        "0", "1", "-1", "9223372036854775807", "-9223372036854775808",
        "9223372036854775806", "-9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "4611686018427387904", "-4611686018427387904",
        "18446744073709551615", "18446744073709551616",
        "-18446744073709551616", "999999999999999", "-999999999999999",
        "9223372036854775750", "-9223372036854775750", "9223372036800000000",
        "-9223372036850000000", "170141183460469231731687303715884105727",
        "-170141183460469231731687303715884105728"};
    switch (rng_below(rng, 6)) {
    case 0: /* an extreme, maybe nudged by a little */
        mpz_set_str(z, extremes[rng_below(rng, sizeof extremes /
                                                   sizeof extremes[0])],
                    10);
        if (rng_below(rng, 2))
            mpz_add_ui(z, z, (unsigned long)rng_below(rng, 200));
        if (rng_below(rng, 2))
            mpz_sub_ui(z, z, (unsigned long)rng_below(rng, 200));
        break;
    case 1: /* a book amount: up to 15 digits */
    case 2: {
        uint64_t lim = 1;
        int k = 1 + (int)rng_below(rng, 15);
        while (k-- > 0)
            lim *= 10;
        mpz_set_ui(z, (unsigned long)rng_below(rng, lim));
        if (rng_below(rng, 2))
            mpz_neg(z, z);
        break;
    }
    case 3: /* any int64 */
        mpz_set_si(z, (long)rng_next(rng));
        break;
    case 4: /* 64 to 130 bits */
        mpz_set_ui(z, (unsigned long)rng_next(rng));
        mpz_mul_2exp(z, z, 1 + (unsigned long)rng_below(rng, 66));
        mpz_add_ui(z, z, (unsigned long)rng_next(rng));
        if (rng_below(rng, 2))
            mpz_neg(z, z);
        break;
    default: { /* an exact half at some power of ten, near a limit or not */
        mpz_t p;
        mpz_init(p);
        mpz_ui_pow_ui(p, 10, (unsigned long)rng_below(rng, 9));
        mpz_set_si(z, (long)(rng_next(rng) >> 1));
        mpz_tdiv_q(z, z, p);
        mpz_mul(z, z, p);
        mpz_tdiv_q_2exp(p, p, 1); /* 10^k / 2 (0 for k = 0) */
        mpz_add(z, z, p);
        if (rng_below(rng, 2))
            mpz_neg(z, z);
        mpz_clear(p);
        break;
    }
    }
}

/* The value of d, for comparing with the reference. */
static void value_of(mpz_t z, const dec_t *d)
{
    dec_get_mpz(z, d);
}

/* d holds exactly z, in its one canonical form: an int64 is readable as
 * one, anything else is not. */
static void expect_dec(const dec_t *d, const mpz_t z, const char *what,
                         const mpz_t a, const mpz_t b)
{
    mpz_t got;
    int64_t small;
    int fits = mpz_fits_slong_p(z) && LONG_MAX == INT64_MAX;

    mpz_init(got);
    value_of(got, d);
    if (mpz_cmp(got, z) != 0 || (dec_get_i64(d, &small) == 0) != fits ||
        (fits && small != mpz_get_si(z))) {
        gmp_fprintf(stderr, "%s(%Zd, %Zd): got %Zd, want %Zd\n", what, a, b,
                    got, z);
        mpz_clear(got);
        fail();
    }
    mpz_clear(got);
}

/* ------------------------------------------------------------------------
 * The reference: plain GMP
 */

/* q = n / d rounded half away from zero; d != 0. */
static void ref_div_round(mpz_t q, const mpz_t n, const mpz_t d)
{
    mpz_t an, ad, r;
    int neg = mpz_sgn(n) * mpz_sgn(d) < 0;
    mpz_inits(an, ad, r, NULL);
    mpz_abs(an, n);
    mpz_abs(ad, d);
    mpz_mul_2exp(an, an, 1); /* floor((2|n| + |d|) / 2|d|) */
    mpz_add(an, an, ad);
    mpz_mul_2exp(ad, ad, 1);
    mpz_fdiv_q(q, an, ad);
    if (neg)
        mpz_neg(q, q);
    mpz_clears(an, ad, r, NULL);
}

static const int unit_exp[] = {2, 5, 8};

/* The plain text of z / 10^exp rounded to `decimals`: "-1234.5". */
static char *ref_plain(const mpz_t z, int exp, int decimals)
{
    mpz_t p, q;
    char *digits, *out, *o;
    size_t n, pad;
    mpz_inits(p, q, NULL);
    mpz_ui_pow_ui(p, 10, (unsigned long)(exp - decimals));
    ref_div_round(q, z, p);
    digits = mpz_get_str(NULL, 10, q);
    out = malloc(strlen(digits) + (size_t)decimals + 4);
    assert_non_null(out);
    o = out;
    if (digits[0] == '-')
        *o++ = '-';
    n = strlen(digits + (digits[0] == '-'));
    pad = n <= (size_t)decimals ? (size_t)decimals + 1 - n : 0;
    for (size_t i = 0; i < n + pad; i++) {
        if (decimals && i == n + pad - (size_t)decimals)
            *o++ = '.';
        *o++ = i < pad ? '0' : digits[(digits[0] == '-') + i - pad];
    }
    *o = '\0';
    free(digits);
    mpz_clears(p, q, NULL);
    return out;
}

/* ------------------------------------------------------------------------
 * Tests
 */

#define ITERATIONS 40000

static void test_fast_add_sub_cmp(void **state)
{
    uint64_t rng = 0x243F6A8885A308D3u;
    mpz_t a, b, want;
    dec_t da, db, r;
    (void)state;

    mpz_inits(a, b, want, NULL);
    dec_init(&da);
    dec_init(&db);
    dec_init(&r);
    for (int i = 0; i < ITERATIONS; i++) {
        random_value(a, &rng);
        random_value(b, &rng);
        dec_set_mpz(&da, a);
        dec_set_mpz(&db, b);
        expect_dec(&da, a, "set", a, a);

        dec_add(&r, &da, &db);
        mpz_add(want, a, b);
        expect_dec(&r, want, "add", a, b);
        dec_sub(&r, &da, &db);
        mpz_sub(want, a, b);
        expect_dec(&r, want, "sub", a, b);
        /* aliased: r = r + b, then back */
        dec_set(&r, &da);
        dec_add(&r, &r, &db);
        dec_sub(&r, &r, &db);
        expect_dec(&r, a, "add then sub", a, b);
        dec_neg(&r, &da);
        mpz_neg(want, a);
        expect_dec(&r, want, "neg", a, a);
        dec_abs(&r, &da);
        mpz_abs(want, a);
        expect_dec(&r, want, "abs", a, a);

        {
            int c = mpz_cmp(a, b);
            assert_int_equal(dec_cmp(&da, &db), (c > 0) - (c < 0));
            assert_int_equal(dec_cmp(&da, &da), 0);
            assert_int_equal(dec_sgn(&da), mpz_sgn(a));
            assert_int_equal(dec_is_zero(&da), mpz_sgn(a) == 0);
        }
        if (mpz_sgn(b) > 0) {
            long q = dec_div_floor(&da, &db);
            mpz_fdiv_q(want, a, b);
            if (mpz_fits_slong_p(want))
                assert_true(q == mpz_get_si(want));
            else
                assert_true(q == (mpz_sgn(want) > 0 ? LONG_MAX : LONG_MIN));
        }
    }
    dec_clear(&r);
    dec_clear(&db);
    dec_clear(&da);
    mpz_clears(a, b, want, NULL);
}

/* A sum that leaves int64 and comes back: 1 000 steps of INT64_MAX / 3
 * up, then the same down, exact at every step. */
static void test_fast_sum_overflow_and_back(void **state)
{
    dec_t sum, step;
    mpz_t want, zstep;
    (void)state;

    dec_init(&sum);
    dec_init(&step);
    mpz_inits(want, zstep, NULL);
    dec_set_ore(&step, INT64_MAX / 3);
    mpz_set_si(zstep, INT64_MAX / 3);
    for (int i = 0; i < 1000; i++) {
        dec_add(&sum, &sum, &step);
        mpz_add(want, want, zstep);
        expect_dec(&sum, want, "sum up", want, zstep);
    }
    for (int i = 0; i < 1000; i++) {
        dec_sub(&sum, &sum, &step);
        mpz_sub(want, want, zstep);
        expect_dec(&sum, want, "sum down", want, zstep);
    }
    assert_true(dec_is_zero(&sum));
    /* INT64_MIN has no int64 negation */
    dec_set_ore(&sum, LONG_MIN);
    dec_neg(&sum, &sum);
    mpz_set_si(want, LONG_MIN);
    mpz_neg(want, want);
    expect_dec(&sum, want, "neg INT64_MIN", want, want);
    dec_neg(&sum, &sum);
    mpz_neg(want, want);
    expect_dec(&sum, want, "neg back", want, want);
    mpz_clears(want, zstep, NULL);
    dec_clear(&step);
    dec_clear(&sum);
}

static void test_fast_rounding_every_unit(void **state)
{
    uint64_t rng = 0x13198A2E03707344u;
    mpz_t a, p, want;
    dec_t da, r;
    (void)state;

    mpz_inits(a, p, want, NULL);
    dec_init(&da);
    dec_init(&r);
    for (int i = 0; i < ITERATIONS; i++) {
        random_value(a, &rng);
        dec_set_mpz(&da, a);
        for (int unit = DEC_KR; unit <= DEC_MNKR; unit++) {
            for (int decimals = 0; decimals <= unit_exp[unit]; decimals++) {
                int k = unit_exp[unit] - decimals;
                char *got, *ref;
                mpz_ui_pow_ui(p, 10, (unsigned long)k);
                ref_div_round(want, a, p);
                mpz_mul(want, want, p);
                dec_rounded(&r, &da, (dec_unit)unit, decimals);
                expect_dec(&r, want, "rounded", a, p);
                got = dec_format(&da, (dec_unit)unit, decimals,
                                 DEC_FMT_PLAIN | DEC_FMT_POINT);
                ref = ref_plain(a, unit_exp[unit], decimals);
                if (strcmp(got, ref) != 0)
                    gmp_fprintf(stderr, "format(%Zd, %d, %d)\n", a, unit,
                                decimals);
                assert_string_equal(got, ref);
                free(got);
                free(ref);
            }
        }
        {
            char *s = dec_to_string(&da), *ref = ref_plain(a, 2, 2);
            assert_string_equal(s, ref);
            free(s);
            free(ref);
        }
        {
            size_t n = mpz_sgn(a) == 0 ? 0 : mpz_sizeinbase(a, 10);
            mpz_ui_pow_ui(p, 10, n ? (unsigned long)n - 1 : 0);
            if (n > 1 && mpz_cmpabs(a, p) < 0)
                n--;
            assert_int_equal(dec_sigdigits(&da), n);
        }
    }
    dec_clear(&r);
    dec_clear(&da);
    mpz_clears(a, p, want, NULL);
}

static void test_fast_ratios(void **state)
{
    uint64_t rng = 0xA4093822299F31D0u;
    mpz_t a, num, den, want, t;
    dec_t da, dd, r;
    (void)state;

    mpz_inits(a, num, den, want, t, NULL);
    dec_init(&da);
    dec_init(&dd);
    dec_init(&r);
    for (int i = 0; i < ITERATIONS; i++) {
        unsigned long n, d;
        random_value(a, &rng);
        dec_set_mpz(&da, a);

        /* unsigned long factors, from tiny to the full 64 bits */
        n = (unsigned long)(rng_below(&rng, 2) ? rng_below(&rng, 100000)
                                               : rng_next(&rng));
        d = (unsigned long)(rng_below(&rng, 2) ? 1 + rng_below(&rng, 100000)
                                               : rng_next(&rng) | 1);
        mpz_mul_ui(t, a, n);
        mpz_set_ui(den, d);
        ref_div_round(want, t, den);
        dec_mul_ratio_ul(&r, &da, n, d);
        expect_dec(&r, want, "mul_ratio_ul", a, den);

        /* mpz factors of any sign and size */
        random_value(num, &rng);
        do
            random_value(den, &rng);
        while (mpz_sgn(den) == 0);
        mpz_mul(t, a, num);
        ref_div_round(want, t, den);
        dec_mul_ratio(&r, &da, num, den);
        expect_dec(&r, want, "mul_ratio", a, num);
        dec_set(&r, &da); /* aliased */
        dec_mul_ratio(&r, &r, num, den);
        expect_dec(&r, want, "mul_ratio aliased", a, num);

        /* the ratio of two amounts as text, at several precisions */
        dec_set_mpz(&dd, den);
        for (int decimals = 0; decimals <= 24; decimals += 6) {
            char *got = dec_ratio_string(&da, &dd, decimals);
            char *ref;
            mpz_ui_pow_ui(t, 10, (unsigned long)decimals);
            mpz_mul(t, t, a);
            ref_div_round(want, t, den);
            ref = ref_plain(want, decimals, decimals);
            if (strcmp(got, ref) != 0)
                gmp_fprintf(stderr, "ratio(%Zd, %Zd, %d)\n", a, den,
                            decimals);
            assert_string_equal(got, ref);
            free(got);
            free(ref);
        }
    }
    dec_clear(&r);
    dec_clear(&dd);
    dec_clear(&da);
    mpz_clears(a, num, den, want, t, NULL);
}

/* Largest remainder allocation, straight from its definition. */
static void ref_allocate(mpz_t *parts, const mpz_t whole,
                         const unsigned long *w, size_t n)
{
    mpz_t sum, total, t, rem[12], left;
    int taken[12] = {0};
    size_t i;
    mpz_inits(sum, total, t, left, NULL);
    for (i = 0; i < n; i++)
        mpz_add_ui(sum, sum, w[i]);
    mpz_abs(total, whole);
    mpz_set(left, total);
    for (i = 0; i < n; i++) {
        mpz_init(rem[i]);
        mpz_mul_ui(t, total, w[i]);
        mpz_tdiv_qr(parts[i], rem[i], t, sum);
        mpz_sub(left, left, parts[i]);
    }
    while (mpz_sgn(left) > 0) { /* the largest remainder not yet given one */
        size_t best = n;
        for (i = 0; i < n; i++)
            if (!taken[i] && (best == n || mpz_cmp(rem[i], rem[best]) > 0))
                best = i;
        taken[best] = 1;
        mpz_add_ui(parts[best], parts[best], 1);
        mpz_sub_ui(left, left, 1);
    }
    for (i = 0; i < n; i++) {
        if (mpz_sgn(whole) < 0)
            mpz_neg(parts[i], parts[i]);
        mpz_clear(rem[i]);
    }
    mpz_clears(sum, total, t, left, NULL);
}

static void test_fast_allocate(void **state)
{
    uint64_t rng = 0x082EFA98EC4E6C89u;
    mpz_t whole, want[12];
    dec_t dw, parts[12];
    unsigned long w[12];
    (void)state;

    mpz_init(whole);
    dec_init(&dw);
    for (size_t i = 0; i < 12; i++) {
        mpz_init(want[i]);
        dec_init(&parts[i]);
    }
    for (int it = 0; it < ITERATIONS / 4; it++) {
        size_t n = 1 + (size_t)rng_below(&rng, 12);
        unsigned long any = 0;
        int kind = (int)rng_below(&rng, 3);
        for (size_t i = 0; i < n; i++) {
            w[i] = kind == 0   ? (unsigned long)rng_below(&rng, 4)
                   : kind == 1 ? (unsigned long)rng_below(&rng, 100000)
                               : (unsigned long)rng_next(&rng);
            any |= w[i];
        }
        random_value(whole, &rng);
        dec_set_mpz(&dw, whole);
        if (!any) {
            assert_int_equal(dec_allocate(parts, &dw, w, n), -1);
            continue;
        }
        ref_allocate(want, whole, w, n);
        assert_int_equal(dec_allocate(parts, &dw, w, n), 0);
        for (size_t i = 0; i < n; i++)
            expect_dec(&parts[i], want[i], "allocate", whole, want[i]);
        /* the whole as one of the parts */
        dec_set_mpz(&parts[0], whole);
        assert_int_equal(dec_allocate(parts, &parts[0], w, n), 0);
        for (size_t i = 0; i < n; i++)
            expect_dec(&parts[i], want[i], "allocate aliased", whole,
                         want[i]);
    }
    for (size_t i = 0; i < 12; i++) {
        mpz_clear(want[i]);
        dec_clear(&parts[i]);
    }
    dec_clear(&dw);
    mpz_clear(whole);
}

/* Copying a dec_t moves it; a zeroed one is 0; dec_set copies. */
static void test_fast_representation(void **state)
{
    dec_t a, b, zero;
    mpz_t z;
    int64_t v = 0;
    (void)state;

    memset(&zero, 0, sizeof zero);
    assert_true(dec_is_zero(&zero));
    assert_int_equal(dec_get_i64(&zero, &v), 0);
    assert_true(v == 0);

    mpz_init_set_str(z, "-123456789012345678901234567890", 10);
    dec_init(&a);
    dec_init(&b);
    dec_set_mpz(&a, z);
    assert_int_equal(dec_get_i64(&a, &v), -1);
    dec_set(&b, &a); /* a deep copy: clearing a leaves b */
    dec_clear(&a);
    expect_dec(&b, z, "copy", z, z);
    a = b; /* a move */
    expect_dec(&a, z, "move", z, z);
    dec_set_ore(&a, 5); /* frees the GMP part */
    assert_int_equal(dec_get_i64(&a, &v), 0);
    assert_true(v == 5);
    dec_clear(&a);
    mpz_clear(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_add_sub_cmp),
        cmocka_unit_test(test_fast_sum_overflow_and_back),
        cmocka_unit_test(test_fast_rounding_every_unit),
        cmocka_unit_test(test_fast_ratios),
        cmocka_unit_test(test_fast_allocate),
        cmocka_unit_test(test_fast_representation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
