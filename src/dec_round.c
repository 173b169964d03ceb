/*
 * dec_round - rounding, ratios, formatting and allocation of exact amounts
 * (see dec.h; the representation is in dec_priv.h).
 *
 * Each operation has a fast path for amounts held in an int64, computed in
 * 128-bit integers where a product of an amount and a 64-bit factor cannot
 * overflow, and a GMP path for everything else. Both round the same way,
 * half away from zero; tests/unit/test_dec.c checks them against a plain
 * GMP reference on random and extreme values. Nothing here ever uses
 * floating point.
 */
#include "dec.h"
#include "dec_priv.h"

#include "diag.h"
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* UTF-8 spellings of the non-ASCII characters we write. */
#define U_MINUS "\xE2\x88\x92" /* U+2212 MINUS SIGN */
#define U_NBSP "\xC2\xA0"      /* U+00A0 NO-BREAK SPACE */

/* Per unit: the power of ten of öre in one unit, and its name. */
static const int unit_exp[] = {2, 5, 8};
static const char *const unit_name[] = {"kr", "tkr", "mnkr"};

/* 10^0 .. 10^8; all fit in a 32-bit unsigned long. */
static const unsigned long pow10_ul[] = {
    1UL, 10UL, 100UL, 1000UL, 10000UL, 100000UL, 1000000UL, 10000000UL,
    100000000UL};

/* m / d rounded half away from zero (of the magnitude); d > 0. */
static dec_u128 udiv_round(dec_u128 m, dec_u128 d)
{
    dec_u128 q = m / d, rem = m % d;
    return rem >= d - rem ? q + 1 : q; /* 2 * rem >= d, without overflow */
}

/* ------------------------------------------------------------------------
 * Rounding (GMP paths)
 */

/* q = n / d rounded half away from zero; d > 0. q may alias n. */
static void div_round(mpz_t q, const mpz_t n, const mpz_t d)
{
    mpz_t r;
    mpz_init(r);
    mpz_tdiv_qr(q, r, n, d); /* q toward zero, r has the sign of n */
    mpz_mul_2exp(r, r, 1);
    if (mpz_cmpabs(r, d) >= 0) {
        if (mpz_sgn(r) > 0)
            mpz_add_ui(q, q, 1);
        else
            mpz_sub_ui(q, q, 1);
    }
    mpz_clear(r);
}

/* q = n / 10^k rounded half away from zero; 0 <= k <= 8. q may alias n. */
static void div_round_pow10(mpz_t q, mpz_srcptr n, int k)
{
    unsigned long d = pow10_ul[k];
    int sgn = mpz_sgn(n);
    unsigned long rem;

    if (k == 0) {
        mpz_set(q, n);
        return;
    }
    rem = mpz_tdiv_q_ui(q, n, d); /* |remainder| */
    if (rem >= d - rem) {         /* 2 * rem >= d, without overflow */
        if (sgn > 0)
            mpz_add_ui(q, q, 1);
        else
            mpz_sub_ui(q, q, 1);
    }
}

static dec_unit clamp_unit(dec_unit unit)
{
    return (unsigned)unit <= DEC_MNKR ? unit : DEC_KR;
}

/* Keep decimals within what the unit has down to the öre. */
static int clamp_decimals(dec_unit unit, int decimals)
{
    if (decimals < 0)
        return 0;
    if (decimals > unit_exp[unit])
        return unit_exp[unit];
    return decimals;
}

void dec_rounded(dec_t *r, const dec_t *a, dec_unit unit, int decimals)
{
    int k;
    unit = clamp_unit(unit);
    k = unit_exp[unit] - clamp_decimals(unit, decimals);
    if (a->big_ == NULL) {
        dec_u128 d = pow10_ul[k];
        dec_u128 q = udiv_round(dec_abs64(a->small_), d);
        dec_put_u128(r, a->small_ < 0, q * d); /* below 2^64 * 10^8 */
        return;
    }
    {
        mpz_t t;
        mpz_init(t);
        div_round_pow10(t, a->big_, k);
        mpz_mul_ui(t, t, pow10_ul[k]);
        dec_put_z(r, t);
        mpz_clear(t);
    }
}

/* r = a * num / den rounded, through GMP. */
static void mul_ratio_z(dec_t *r, const dec_t *a, mpz_srcptr num,
                        mpz_srcptr den)
{
    mpz_t ta, n, d;
    mpz_init(ta);
    mpz_init(n);
    mpz_init(d);
    mpz_mul(n, dec_z(a, ta), num);
    mpz_set(d, den);
    if (mpz_sgn(d) < 0) { /* div_round wants a positive divisor */
        mpz_neg(d, d);
        mpz_neg(n, n);
    }
    div_round(n, n, d);
    dec_put_z(r, n);
    mpz_clear(d);
    mpz_clear(n);
    mpz_clear(ta);
}

/* Does z fit in 64 bits as a magnitude (|z| < 2^64)? Then *m = |z|. */
static int z_abs64(mpz_srcptr z, uint64_t *m)
{
    size_t count = 0;
    if (mpz_sizeinbase(z, 2) > 64)
        return 0;
    *m = 0;
    mpz_export(m, &count, -1, sizeof *m, 0, 0, z);
    return 1;
}

/* sign * m / d rounded, for a small a: |a| * m < 2^127, always exact. */
static void mul_ratio_small(dec_t *r, int64_t a, int neg, uint64_t m,
                            uint64_t d)
{
    dec_u128 q = udiv_round((dec_u128)dec_abs64(a) * m, d);
    dec_put_u128(r, q != 0 && ((a < 0) != neg), q);
}

void dec_mul_ratio(dec_t *r, const dec_t *a, const mpz_t num, const mpz_t den)
{
    uint64_t m, d;
    SAMLA_REQUIRE(mpz_sgn(den) != 0);
    if (a->big_ == NULL && z_abs64(num, &m) && z_abs64(den, &d)) {
        mul_ratio_small(r, a->small_, (mpz_sgn(num) < 0) != (mpz_sgn(den) < 0),
                        m, d);
        return;
    }
    mul_ratio_z(r, a, num, den);
}

void dec_mul_ratio_ul(dec_t *r, const dec_t *a, unsigned long num,
                      unsigned long den)
{
    SAMLA_REQUIRE(den != 0);
    if (a->big_ == NULL) {
        mul_ratio_small(r, a->small_, 0, num, den);
        return;
    }
    {
        mpz_t n, d;
        mpz_init_set_ui(n, num);
        mpz_init_set_ui(d, den);
        mul_ratio_z(r, a, n, d);
        mpz_clear(d);
        mpz_clear(n);
    }
}

long dec_div_floor(const dec_t *num, const dec_t *den)
{
    SAMLA_REQUIRE(dec_sgn(den) > 0);
    if (num->big_ == NULL && den->big_ == NULL) {
        int64_t q = num->small_ / den->small_; /* den > 0: no overflow */
        if (num->small_ % den->small_ != 0 && num->small_ < 0)
            q--;
#if LONG_MAX < INT64_MAX
        if (q > LONG_MAX)
            return LONG_MAX;
        if (q < LONG_MIN)
            return LONG_MIN;
#endif
        return (long)q;
    }
    {
        mpz_t tn, td, q;
        long out;
        mpz_inits(tn, td, q, NULL);
        mpz_fdiv_q(q, dec_z(num, tn), dec_z(den, td));
        if (mpz_fits_slong_p(q))
            out = mpz_get_si(q);
        else
            out = mpz_sgn(q) > 0 ? LONG_MAX : LONG_MIN;
        mpz_clears(tn, td, q, NULL);
        return out;
    }
}

/* ------------------------------------------------------------------------
 * Digits
 */

/* The decimal digits of m, without leading zeros ("0" for 0), into buf
 * (at least 40 bytes). */
static void u128_digits(dec_u128 m, char *buf)
{
    char tmp[40];
    size_t n = 0, i;
    if (m <= UINT64_MAX) { /* the usual case: 64-bit division */
        uint64_t v = (uint64_t)m;
        do {
            tmp[n++] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
    } else {
        do {
            tmp[n++] = (char)('0' + (unsigned)(m % 10));
            m /= 10;
        } while (m);
    }
    for (i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
}

/* The digits of |q| for a GMP q: into small (size bytes) when they fit,
 * else malloc'd (NULL when out of memory). */
static char *z_digits(mpz_srcptr q, char *small, size_t size)
{
    /* sizeinbase may overstate by one; that only wastes a byte. */
    size_t nd = mpz_sizeinbase(q, 10) + 2;
    char *digits = nd <= size ? small : malloc(nd);
    mpz_t a;
    if (digits == NULL)
        return NULL;
    mpz_init(a);
    mpz_abs(a, q);
    mpz_get_str(digits, 10, a);
    mpz_clear(a);
    return digits;
}

/* ------------------------------------------------------------------------
 * Formatting
 */

static char *put(char *o, const char *s)
{
    size_t n = strlen(s);
    memcpy(o, s, n);
    return o + n;
}

/*
 * Write the non-negative q, which has `decimals` implied decimals, as
 * digits with `group` between thousands and `point` before the decimals.
 * digits are q's decimal digits without leading zeros ("0" for zero).
 */
static char *put_number(char *o, const char *digits, int decimals,
                        const char *group, char point)
{
    size_t nd = strlen(digits);
    size_t total = nd > (size_t)decimals ? nd : (size_t)decimals + 1;
    size_t nint = total - (size_t)decimals;
    size_t pad = total - nd; /* zeros before the first digit */
    size_t i;

    for (i = 0; i < total; i++) {
        if (i == nint)
            *o++ = point;
        else if (i > 0 && i < nint && (nint - i) % 3 == 0)
            o = put(o, group);
        *o++ = i < pad ? '0' : digits[i - pad];
    }
    return o;
}

/* The digits of |a| / 10^k rounded, into small (64 bytes) or malloc'd;
 * *neg tells the sign of the rounded value (never negative zero). */
static char *rounded_digits(const dec_t *a, int k, int *neg, char *small)
{
    if (a->big_ == NULL) {
        dec_u128 q = udiv_round(dec_abs64(a->small_), pow10_ul[k]);
        *neg = a->small_ < 0 && q != 0;
        u128_digits(q, small);
        return small;
    }
    {
        mpz_t q;
        char *digits;
        mpz_init(q);
        div_round_pow10(q, a->big_, k);
        *neg = mpz_sgn(q) < 0;
        digits = z_digits(q, small, 64);
        mpz_clear(q);
        return digits;
    }
}

char *dec_format(const dec_t *a, dec_unit unit, int decimals, int flags)
{
    int ascii = (flags & (DEC_FMT_ASCII | DEC_FMT_PLAIN)) != 0;
    const char *minus = ascii ? "-" : U_MINUS;
    const char *space = ascii ? " " : U_NBSP;
    const char *group = (flags & DEC_FMT_PLAIN) ? "" : space;
    char point = (flags & DEC_FMT_POINT) ? '.' : ',';
    char small[64], *digits, *out, *o;
    size_t nd, size;
    int neg;

    unit = clamp_unit(unit);
    decimals = clamp_decimals(unit, decimals);
    digits = rounded_digits(a, unit_exp[unit] - decimals, &neg, small);
    if (digits == NULL)
        return NULL;
    nd = strlen(digits);

    /* sign, digits and zero padding, a group mark per three, point, unit */
    size = strlen(minus) + nd + (size_t)decimals + 1 +
           (nd / 3 + 1) * strlen(group) + 1 + strlen(space) + 4 + 1;
    out = malloc(size);
    if (out) {
        o = out;
        if (neg)
            o = put(o, minus);
        o = put_number(o, digits, decimals, group, point);
        if (flags & DEC_FMT_UNIT) {
            o = put(o, space);
            o = put(o, unit_name[unit]);
        }
        *o = '\0';
    }
    if (digits != small)
        free(digits);
    return out;
}

char *dec_format_kr(const dec_t *a)
{
    return dec_format(a, DEC_KR, 2, DEC_FMT_UNIT);
}

char *dec_to_string(const dec_t *a)
{
    return dec_format(a, DEC_KR, 2, DEC_FMT_PLAIN | DEC_FMT_POINT);
}

size_t dec_sigdigits(const dec_t *a)
{
    size_t n;
    mpz_t p;

    if (a->big_ == NULL) {
        uint64_t m = dec_abs64(a->small_);
        for (n = 0; m != 0; m /= 10)
            n++;
        return n;
    }
    n = mpz_sizeinbase(a->big_, 10); /* exact or one too many */
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, (unsigned long)(n - 1));
    if (mpz_cmpabs(a->big_, p) < 0)
        n--;
    mpz_clear(p);
    return n;
}

char *dec_ratio_string(const dec_t *num, const dec_t *den, int decimals)
{
    char small[64], *digits, *out, *o;
    size_t nd, pad, total;
    int neg;

    SAMLA_REQUIRE(!dec_is_zero(den));
    if (decimals < 0)
        decimals = 0;
    if (decimals > 30)
        decimals = 30;
    if (num->big_ == NULL && den->big_ == NULL && decimals <= 19) {
        /* |num| * 10^19 < 2^63 * 2^64: fits. */
        dec_u128 p = 1, q;
        for (int i = 0; i < decimals; i++)
            p *= 10;
        q = udiv_round(dec_abs64(num->small_) * p, dec_abs64(den->small_));
        neg = q != 0 && ((num->small_ < 0) != (den->small_ < 0));
        u128_digits(q, small);
        digits = small;
    } else {
        mpz_t tn, td, n, d;
        mpz_inits(tn, td, n, d, NULL);
        mpz_abs(n, dec_z(num, tn));
        mpz_abs(d, dec_z(den, td));
        mpz_ui_pow_ui(tn, 10, (unsigned long)decimals);
        mpz_mul(n, n, tn);
        div_round(n, n, d);
        neg = mpz_sgn(n) != 0 && dec_sgn(num) * dec_sgn(den) < 0;
        digits = z_digits(n, small, sizeof small);
        mpz_clears(tn, td, n, d, NULL);
        if (digits == NULL)
            return NULL;
    }
    nd = strlen(digits);
    pad = nd <= (size_t)decimals ? (size_t)decimals + 1 - nd : 0;
    total = nd + pad;
    out = malloc(total + 3);
    if (out != NULL) {
        o = out;
        if (neg)
            *o++ = '-';
        for (size_t i = 0; i < total; i++) {
            if (i == total - (size_t)decimals)
                *o++ = '.';
            *o++ = i < pad ? '0' : digits[i - pad];
        }
        *o = '\0';
    }
    if (digits != small)
        free(digits);
    return out;
}

/* ------------------------------------------------------------------------
 * Allocation
 */

/* One part's claim on the öre left over after rounding down: its
 * remainder whole * weight mod sum(weights), in 128 bits or GMP. */
typedef struct {
    dec_u128 rem;
    mpz_srcptr zrem;
    size_t idx;
} claim;

/* Largest remainder first; equal remainders in index order. */
static int claim_cmp(const void *x, const void *y)
{
    const claim *a = x, *b = y;
    int c = a->zrem ? mpz_cmp(b->zrem, a->zrem)
                    : (b->rem > a->rem) - (b->rem < a->rem);
    if (c != 0)
        return c;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* The fast path: |whole| < 2^64 and weights < 2^64, so whole * w < 2^128
 * and the sum of the weights (n < 2^64 of them) too. */
static int allocate_small(dec_t *parts, const dec_t *whole,
                          const unsigned long *weights, size_t n)
{
    dec_u128 sum = 0, total = dec_abs64(whole->small_), left = total;
    int neg = whole->small_ < 0;
    claim *claims;
    dec_u128 *floors;
    size_t i, k;

    for (i = 0; i < n; i++)
        sum += weights[i];
    if (sum == 0)
        return -1;
    claims = malloc(n * sizeof *claims);
    floors = malloc(n * sizeof *floors);
    if (!claims || !floors) {
        free(claims);
        free(floors);
        return -1;
    }
    for (i = 0; i < n; i++) {
        dec_u128 t = total * weights[i];
        floors[i] = t / sum;
        claims[i].rem = t % sum;
        claims[i].zrem = NULL;
        claims[i].idx = i;
        left -= floors[i];
    }
    /* Fewer öre are left over than there are parts (each remainder is
     * below sum), so each goes to a different part. */
    if (left > 0)
        qsort(claims, n, sizeof *claims, claim_cmp);
    for (k = 0; k < left; k++)
        floors[claims[k].idx]++;
    for (i = 0; i < n; i++) /* total was copied: parts may hold whole */
        dec_put_u128(&parts[i], neg, floors[i]);
    free(claims);
    free(floors);
    return 0;
}

/*
 * Uses one malloc for the remainders. If it fails, -1 is returned and the
 * parts are left untouched, as for weights that sum to 0.
 */
int dec_allocate(dec_t *parts, const dec_t *whole, const unsigned long *weights,
                 size_t n)
{
    mpz_t total, sum, left, t, tw;
    mpz_t *rems, *floors;
    claim *claims;
    int neg = dec_sgn(whole) < 0;
    size_t i;
    unsigned long k, nleft;

    if (whole->big_ == NULL)
        return allocate_small(parts, whole, weights, n);
    mpz_init(sum);
    for (i = 0; i < n; i++)
        mpz_add_ui(sum, sum, weights[i]);
    if (mpz_sgn(sum) == 0) {
        mpz_clear(sum);
        return -1;
    }
    rems = malloc(n * sizeof *rems);
    floors = malloc(n * sizeof *floors);
    claims = malloc(n * sizeof *claims);
    if (!rems || !floors || !claims) {
        free(rems);
        free(floors);
        free(claims);
        mpz_clear(sum);
        return -1;
    }

    mpz_init(tw);
    mpz_init(total);
    mpz_abs(total, dec_z(whole, tw));
    mpz_init_set(left, total);
    mpz_init(t);
    for (i = 0; i < n; i++) {
        mpz_init(rems[i]);
        mpz_init(floors[i]);
        mpz_mul_ui(t, total, weights[i]);
        mpz_tdiv_qr(floors[i], rems[i], t, sum);
        mpz_sub(left, left, floors[i]);
        claims[i].zrem = rems[i];
        claims[i].rem = 0;
        claims[i].idx = i;
    }
    nleft = mpz_get_ui(left);
    if (nleft > 0)
        qsort(claims, n, sizeof *claims, claim_cmp);
    for (k = 0; k < nleft; k++)
        mpz_add_ui(floors[claims[k].idx], floors[claims[k].idx], 1);
    for (i = 0; i < n; i++) {
        if (neg)
            mpz_neg(floors[i], floors[i]);
        dec_put_z(&parts[i], floors[i]);
        mpz_clear(floors[i]);
        mpz_clear(rems[i]);
    }
    free(rems);
    free(floors);
    free(claims);
    mpz_clear(t);
    mpz_clear(left);
    mpz_clear(total);
    mpz_clear(tw);
    mpz_clear(sum);
    return 0;
}
