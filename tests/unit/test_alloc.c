/*
 * Unit tests for alloc: the per-capita contributions of the example book,
 * quarters, ties, and the largest remainder split on randomized populations
 * and amounts (fixed seed): the parts add up to the whole exactly and each
 * lies within one öre of its exact share.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alloc.h"

static void assert_ore(const dec_t *d, long long want)
{
    int64_t got;
    assert_int_equal(dec_get_i64(d, &got), 0);
    if (got != want)
        fail_msg("got %lld öre, want %lld", (long long)got, want);
}

/* The 2025 and 2026 contributions of the example book (budget.csv):
 * 15,20 and 15,50 kr per inhabitant, Lerum 43 570 and Alingsås 42 720. */
static void test_per_capita_example(void **state)
{
    (void)state;
    dec_t rate, year, q[4];
    dec_init(&rate);
    dec_init(&year);
    for (int k = 0; k < 4; k++)
        dec_init(&q[k]);
    dec_set_ore(&rate, 1520);
    alloc_per_capita(&year, &rate, 43570);
    assert_ore(&year, 66226400); /* 662 264,00 */
    alloc_quarters(q, &year);
    for (int k = 0; k < 4; k++)
        assert_ore(&q[k], 16556600); /* 165 566,00 */
    alloc_per_capita(&year, &rate, 42720);
    assert_ore(&year, 64934400); /* 649 344,00 */
    dec_set_ore(&rate, 1550);
    alloc_per_capita(&year, &rate, 43570);
    assert_ore(&year, 67533500); /* 675 335,00 */
    alloc_quarters(q, &year);
    for (int k = 0; k < 4; k++)
        assert_ore(&q[k], 16883375); /* 168 833,75 */
    alloc_per_capita(&year, &rate, 42720);
    assert_ore(&year, 66216000); /* 662 160,00 */
    alloc_quarters(q, &year);
    for (int k = 0; k < 4; k++)
        assert_ore(&q[k], 16554000); /* 165 540,00 */
    /* Öre left over go to the first quarters: 0,07 = 2 + 2 + 2 + 1. */
    dec_set_ore(&year, 7);
    alloc_quarters(q, &year);
    assert_ore(&q[0], 2);
    assert_ore(&q[1], 2);
    assert_ore(&q[2], 2);
    assert_ore(&q[3], 1);
    dec_clear(&rate);
    dec_clear(&year);
    for (int k = 0; k < 4; k++)
        dec_clear(&q[k]);
}

/* 12 345,67 kr by the example's populations (43 570 and 42 720 of
 * 86 290), the largest remainder deciding the last öre. */
static void test_split_example(void **state)
{
    (void)state;
    unsigned long pop[2] = {43570, 42720};
    dec_t whole, parts[2];
    dec_init(&whole);
    dec_init(&parts[0]);
    dec_init(&parts[1]);
    dec_set_ore(&whole, 1234567);
    assert_int_equal(alloc_split(parts, &whole, pop, 2), 0);
    /* 1234567 × 43570 / 86290 = 623364,054 öre -> 623364
     * 1234567 × 42720 / 86290 = 611202,946 öre -> 611202; the one öre
     * left goes to the larger remainder (Alingsås, 0,946 > 0,054). */
    assert_ore(&parts[0], 623364);
    assert_ore(&parts[1], 611203);
    /* A reversal splits into the exact opposites. */
    dec_set_ore(&whole, -1234567);
    assert_int_equal(alloc_split(parts, &whole, pop, 2), 0);
    assert_ore(&parts[0], -623364);
    assert_ore(&parts[1], -611203);
    /* Ties go to the first: 0,01 between two equal populations. */
    unsigned long eq[2] = {100, 100};
    dec_set_ore(&whole, 1);
    assert_int_equal(alloc_split(parts, &whole, eq, 2), 0);
    assert_ore(&parts[0], 1);
    assert_ore(&parts[1], 0);
    /* Nothing to split by. */
    unsigned long zero[2] = {0, 0};
    assert_int_equal(alloc_split(parts, &whole, zero, 2), -1);
    assert_int_equal(alloc_split(parts, &whole, pop, 0), -1);
    dec_clear(&whole);
    dec_clear(&parts[0]);
    dec_clear(&parts[1]);
}

/* xorshift64 with a fixed seed, so a failure reproduces. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
    return rng_next(s) % n;
}

#define ITERATIONS 20000

static void test_split_random(void **state)
{
    (void)state;
    uint64_t rng = 0x5A3A1A2026ULL;
    dec_t whole, parts[8], sum;
    mpz_t num, den, p, diff;
    dec_init(&whole);
    dec_init(&sum);
    for (int i = 0; i < 8; i++)
        dec_init(&parts[i]);
    mpz_inits(num, den, p, diff, NULL);
    for (int it = 0; it < ITERATIONS; it++) {
        size_t n = 2 + (size_t)rng_below(&rng, 7);
        unsigned long pop[8], total = 0;
        for (size_t i = 0; i < n; i++) {
            /* populations from a village to a city; some equal (ties) */
            pop[i] = rng_below(&rng, 4) == 0 && i > 0
                         ? pop[i - 1]
                         : 1 + (unsigned long)rng_below(&rng, 2000000);
            total += pop[i];
        }
        /* amounts from one öre to 10^13 kr-ish, either sign */
        int64_t ore = (int64_t)rng_below(&rng, rng_below(&rng, 2)
                                                   ? 100000ULL
                                                   : 1000000000000000ULL);
        if (rng_below(&rng, 4) == 0)
            ore = -ore;
        dec_set_ore(&whole, (long)ore);
        assert_int_equal(alloc_split(parts, &whole, pop, n), 0);
        dec_set_zero(&sum);
        for (size_t i = 0; i < n; i++) {
            dec_add(&sum, &sum, &parts[i]);
            /* |part × total − whole × pop| < total: within one öre of
             * the exact share. */
            alloc_exact_share(num, den, &whole, pop[i], total);
            dec_get_mpz(p, &parts[i]);
            mpz_mul(p, p, den);
            mpz_sub(diff, p, num);
            mpz_abs(diff, diff);
            if (mpz_cmp(diff, den) >= 0)
                fail_msg("iteration %d part %zu lies an öre or more from "
                         "its exact share", it, i);
        }
        if (dec_cmp(&sum, &whole) != 0)
            fail_msg("iteration %d: parts do not add up to the whole", it);
    }
    mpz_clears(num, den, p, diff, NULL);
    for (int i = 0; i < 8; i++)
        dec_clear(&parts[i]);
    dec_clear(&whole);
    dec_clear(&sum);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_capita_example),
        cmocka_unit_test(test_split_example),
        cmocka_unit_test(test_split_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
