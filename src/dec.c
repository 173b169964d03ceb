/*
 * dec - exact amounts of money (see dec.h): the representation, the basic
 * arithmetic and parsing. Rounding, ratios, formatting and allocation are
 * in dec_round.c.
 *
 * Amounts are whole öre in an int64 while they fit, else in GMP
 * (dec_priv.h). The parser is on the hot path (every amount of every
 * journal row goes through it), so it scans the bytes once and accumulates
 * the value in a uint64_t (15 digits at most always fit). Error columns are
 * worked out only when something is wrong, so valid input pays nothing for
 * them.
 *
 * Nothing here ever uses floating point.
 */
#include "dec.h"
#include "dec_priv.h"
#include "mem.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* The integer digits plus two öre digits must fit in a uint64_t while
 * parsing: any 19-digit number is below 2^64 (about 1.8 * 10^19). */
_Static_assert(DEC_MAX_INT_DIGITS + 2 <= 19,
               "DEC_MAX_INT_DIGITS too large for the uint64_t fast path");

/* Parse messages: short, Swedish, static. */
static const char MSG_MISSING[] = "beloppet saknas";
static const char MSG_BADCHAR[] = "ogiltigt tecken";
static const char MSG_DECIMALS[] = "högst två decimaler (öre)";
static const char MSG_DIGITS[] = "för många siffror (högst " STR(
    DEC_MAX_INT_DIGITS) " före decimaltecknet)";
static const char MSG_SUM_DIGITS[] = "för många siffror (högst " STR(
    DEC_MAX_SUM_DIGITS) " före decimaltecknet i en summa)";
static const char MSG_GROUPS[] = "tusentalsgrupper ska ha tre siffror";
static const char MSG_TWO_SIGNS[] = "två decimaltecken";
static const char MSG_NO_INT[] = "siffra saknas före decimaltecknet";
static const char MSG_NO_FRAC[] = "siffra saknas efter decimaltecknet";

/* ------------------------------------------------------------------------
 * The representation (dec_priv.h)
 */

static mpz_ptr big_new(void)
{
    mpz_ptr z = mem_alloc(sizeof *z);
    mpz_init(z);
    return z;
}

static void big_drop(dec_t *d)
{
    if (d->big_ != NULL) {
        mpz_clear(d->big_);
        free(d->big_);
        d->big_ = NULL;
    }
}

void dec_set_small(dec_t *d, int64_t v)
{
    big_drop(d);
    d->small_ = v;
}

void dec_z_set_u128(mpz_t z, int neg, dec_u128 m)
{
    uint64_t w[2] = {(uint64_t)m, (uint64_t)(m >> 64)};
    mpz_import(z, 2, -1, sizeof w[0], 0, 0, w);
    if (neg)
        mpz_neg(z, z);
}

void dec_z_set_i64(mpz_t z, int64_t v)
{
#if LONG_MAX == INT64_MAX
    mpz_set_si(z, (long)v);
#else
    dec_z_set_u128(z, v < 0, dec_abs64(v));
#endif
}

/* Does z fit in an int64? If so, *out = z. */
static int z_get_i64(const mpz_t z, int64_t *out)
{
#if LONG_MAX == INT64_MAX
    if (!mpz_fits_slong_p(z))
        return 0;
    *out = (int64_t)mpz_get_si(z);
    return 1;
#else
    uint64_t m = 0;
    size_t count = 0;
    if (mpz_sizeinbase(z, 2) > 64)
        return 0;
    mpz_export(&m, &count, -1, sizeof m, 0, 0, z);
    if (mpz_sgn(z) >= 0 ? m > (uint64_t)INT64_MAX
                        : m > (uint64_t)INT64_MAX + 1)
        return 0;
    *out = mpz_sgn(z) >= 0 ? (int64_t)m : (int64_t)(0 - m);
    return 1;
#endif
}

void dec_put_z(dec_t *d, mpz_t z)
{
    int64_t v;
    if (z_get_i64(z, &v)) {
        dec_set_small(d, v);
        return;
    }
    if (d->big_ == NULL)
        d->big_ = big_new();
    mpz_swap(d->big_, z);
}

void dec_put_u128(dec_t *d, int neg, dec_u128 m)
{
    mpz_t z;
    if (!neg && m <= (dec_u128)INT64_MAX) {
        dec_set_small(d, (int64_t)m);
        return;
    }
    if (neg && m <= (dec_u128)INT64_MAX + 1) {
        dec_set_small(d, (int64_t)(0 - (uint64_t)m));
        return;
    }
    mpz_init(z);
    dec_z_set_u128(z, neg, m);
    dec_put_z(d, z);
    mpz_clear(z);
}

mpz_srcptr dec_z(const dec_t *a, mpz_t tmp)
{
    if (a->big_ != NULL)
        return a->big_;
    dec_z_set_i64(tmp, a->small_);
    return tmp;
}

/* ------------------------------------------------------------------------
 * Basic operations
 */

void dec_init(dec_t *d)
{
    d->small_ = 0;
    d->big_ = NULL;
}

void dec_clear(dec_t *d)
{
    big_drop(d);
    d->small_ = 0;
}

void dec_set(dec_t *d, const dec_t *src)
{
    if (d == src)
        return;
    if (src->big_ == NULL) {
        dec_set_small(d, src->small_);
        return;
    }
    if (d->big_ == NULL)
        d->big_ = big_new();
    mpz_set(d->big_, src->big_);
}

void dec_set_ore(dec_t *d, long ore) { dec_set_small(d, (int64_t)ore); }

void dec_set_zero(dec_t *d) { dec_set_small(d, 0); }

int dec_get_i64(const dec_t *d, int64_t *out)
{
    if (d->big_ != NULL)
        return -1;
    *out = d->small_;
    return 0;
}

void dec_set_mpz(dec_t *d, const mpz_t ore)
{
    mpz_t t;
    mpz_init_set(t, ore);
    dec_put_z(d, t);
    mpz_clear(t);
}

void dec_get_mpz(mpz_t out, const dec_t *d)
{
    if (d->big_ != NULL)
        mpz_set(out, d->big_);
    else
        dec_z_set_i64(out, d->small_);
}

/* a + b or a - b through GMP, when a part is big or the sum overflows. */
static void add_slow(dec_t *r, const dec_t *a, const dec_t *b, int sub)
{
    mpz_t ta, tb, t;
    mpz_init(ta);
    mpz_init(tb);
    mpz_init(t);
    if (sub)
        mpz_sub(t, dec_z(a, ta), dec_z(b, tb));
    else
        mpz_add(t, dec_z(a, ta), dec_z(b, tb));
    dec_put_z(r, t);
    mpz_clear(t);
    mpz_clear(tb);
    mpz_clear(ta);
}

void dec_add(dec_t *r, const dec_t *a, const dec_t *b)
{
    int64_t s;
    if (a->big_ == NULL && b->big_ == NULL &&
        !__builtin_add_overflow(a->small_, b->small_, &s)) {
        dec_set_small(r, s);
        return;
    }
    add_slow(r, a, b, 0);
}

void dec_sub(dec_t *r, const dec_t *a, const dec_t *b)
{
    int64_t s;
    if (a->big_ == NULL && b->big_ == NULL &&
        !__builtin_sub_overflow(a->small_, b->small_, &s)) {
        dec_set_small(r, s);
        return;
    }
    add_slow(r, a, b, 1);
}

/* -a or |a| through GMP: a is big, or INT64_MIN. */
static void neg_slow(dec_t *r, const dec_t *a, int abs_only)
{
    mpz_t ta, t;
    mpz_init(ta);
    mpz_init(t);
    if (abs_only)
        mpz_abs(t, dec_z(a, ta));
    else
        mpz_neg(t, dec_z(a, ta));
    dec_put_z(r, t);
    mpz_clear(t);
    mpz_clear(ta);
}

void dec_neg(dec_t *r, const dec_t *a)
{
    if (a->big_ == NULL && a->small_ != INT64_MIN)
        dec_set_small(r, -a->small_);
    else
        neg_slow(r, a, 0);
}

void dec_abs(dec_t *r, const dec_t *a)
{
    if (a->big_ == NULL && a->small_ != INT64_MIN)
        dec_set_small(r, a->small_ < 0 ? -a->small_ : a->small_);
    else
        neg_slow(r, a, 1);
}

int dec_sgn(const dec_t *a)
{
    if (a->big_ != NULL)
        return mpz_sgn(a->big_);
    return (a->small_ > 0) - (a->small_ < 0);
}

int dec_cmp(const dec_t *a, const dec_t *b)
{
    if (a->big_ == NULL && b->big_ == NULL)
        return (a->small_ > b->small_) - (a->small_ < b->small_);
    /* A big value lies beyond every small one, on the side of its sign. */
    if (a->big_ == NULL)
        return -mpz_sgn(b->big_);
    if (b->big_ == NULL)
        return mpz_sgn(a->big_);
    {
        int c = mpz_cmp(a->big_, b->big_);
        return (c > 0) - (c < 0);
    }
}

int dec_is_zero(const dec_t *a) { return a->big_ == NULL && a->small_ == 0; }

/* ------------------------------------------------------------------------
 * Parsing
 */

/* The state of one dec_parse call. s is kept only to turn a byte position
 * into a character column when reporting an error. */
typedef struct {
    const char *s;
    const unsigned char *p;
    const unsigned char *end;
    dec_error *err;
} scanner;

static int is_digit(unsigned c) { return c - '0' < 10u; }

/* Bytes of a thousands separator at p (space, U+00A0, U+202F, U+2009),
 * else 0. */
static size_t sep_len(const unsigned char *p, const unsigned char *end)
{
    if (p >= end)
        return 0;
    if (p[0] == ' ')
        return 1;
    if (p[0] == 0xC2 && end - p >= 2 && p[1] == 0xA0)
        return 2;
    if (p[0] == 0xE2 && end - p >= 3 && p[1] == 0x80 &&
        (p[2] == 0xAF || p[2] == 0x89))
        return 3;
    return 0;
}

/* Bytes of whitespace at p: a separator or a tab, else 0. */
static size_t ws_len(const unsigned char *p, const unsigned char *end)
{
    if (p < end && *p == '\t')
        return 1;
    return sep_len(p, end);
}

static const unsigned char *skip_ws(const unsigned char *p,
                                    const unsigned char *end)
{
    size_t n;
    while ((n = ws_len(p, end)) != 0)
        p += n;
    return p;
}

/* Bytes of a minus sign at p ('-' or U+2212), else 0. */
static size_t minus_len(const unsigned char *p, const unsigned char *end)
{
    if (p < end && *p == '-')
        return 1;
    if (end - p >= 3 && p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92)
        return 3;
    return 0;
}

static unsigned ascii_lower(unsigned c)
{
    return c - 'A' < 26u ? c + 32 : c;
}

/* Bytes of a currency word at p ("kr" or "SEK", in any case), else 0. */
static size_t unit_len(const unsigned char *p, const unsigned char *end)
{
    size_t n = (size_t)(end - p);
    if (n >= 2 && ascii_lower(p[0]) == 'k' && ascii_lower(p[1]) == 'r')
        return 2;
    if (n >= 3 && ascii_lower(p[0]) == 's' && ascii_lower(p[1]) == 'e' &&
        ascii_lower(p[2]) == 'k')
        return 3;
    return 0;
}

/* True if only whitespace and an optional currency word remain from p:
 * what is left when the number itself is missing ("", "-", "kr"). */
static int only_tail_left(const unsigned char *p, const unsigned char *end)
{
    p = skip_ws(p, end);
    p += unit_len(p, end);
    return skip_ws(p, end) == end;
}

/* The 1-based character column of byte `at`: count UTF-8 lead bytes (and
 * ASCII) before it, so that "−5" puts the '5' in column 2, not 4. */
static size_t char_col(const char *s, const unsigned char *at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t col = 1;
    for (; p < at; p++)
        if ((*p & 0xC0) != 0x80)
            col++;
    return col;
}

/* Name the character at `at` for a message: "'O'", or "U+0007" when it
 * would not show (a control character, or a byte that is not UTF-8). */
static void name_char(char *buf, size_t size, const unsigned char *at,
                      const unsigned char *end)
{
    unsigned c = *at;
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    int ok = n > 0 && (size_t)(end - at) >= n;
    for (size_t i = 1; ok && i < n; i++)
        ok = (at[i] & 0xC0) == 0x80;
    if (ok && n == 1 && (c < 0x20 || c == 0x7F))
        ok = 0;
    if (ok && n == 2 && c == 0xC2 && at[1] < 0xA0) /* C1 controls */
        ok = 0;
    if (ok)
        snprintf(buf, size, "'%.*s'", (int)n, (const char *)at);
    else if (n == 1)
        snprintf(buf, size, "U+%04X", c);
    else
        snprintf(buf, size, "byte 0x%02X", c);
}

static int fail_at(scanner *sc, const unsigned char *at, const char *msg)
{
    if (sc->err) {
        sc->err->col = char_col(sc->s, at);
        sc->err->msg = msg;
        sc->err->ch[0] = '\0';
        if (msg == MSG_BADCHAR && at < sc->end)
            name_char(sc->err->ch, sizeof sc->err->ch, at, sc->end);
    }
    return -1;
}

/* The first character that has no place in an amount anywhere: not a
 * digit, sign, decimal sign, space-like separator, nor part of a currency
 * word. NULL when every character could belong to some amount (the fault
 * is then one of form, e.g. a group of two digits). */
static const unsigned char *foreign_char(const unsigned char *p,
                                         const unsigned char *end)
{
    while (p < end) {
        size_t n;
        if (is_digit(*p) || *p == '+' || *p == ',' || *p == '.')
            n = 1;
        else if ((n = ws_len(p, end)) == 0 && (n = minus_len(p, end)) == 0 &&
                 (n = unit_len(p, end)) == 0)
            return p;
        p += n;
    }
    return NULL;
}

/* The optional sign. Returns 1 for a minus, 0 otherwise. */
static int scan_sign(scanner *sc)
{
    size_t n;
    if (sc->p < sc->end && *sc->p == '+') {
        sc->p++;
        return 0;
    }
    n = minus_len(sc->p, sc->end);
    sc->p += n;
    return n != 0;
}

/* Explain why there is no digit where the integer part should start. */
static int fail_no_digit(scanner *sc)
{
    const unsigned char *p = sc->p;
    if (p < sc->end && (*p == ',' || *p == '.'))
        return fail_at(sc, p, MSG_NO_INT);
    if (only_tail_left(p, sc->end))
        return fail_at(sc, p, MSG_MISSING);
    return fail_at(sc, p, MSG_BADCHAR);
}

/*
 * The integer part: digits, optionally in groups of three separated by one
 * space-like character ("1 234 567"). A separator counts as one only when a
 * digit follows it; otherwise it is the whitespace before "kr" or the end.
 * Leading zeros are not counted against DEC_MAX_INT_DIGITS.
 */
static int scan_int(scanner *sc, uint64_t *out, char *digits, int max,
                    const char *too_many)
{
    const unsigned char *p = sc->p, *end = sc->end;
    uint64_t v = 0;
    int sig = 0;       /* significant digits so far */
    int grouped = 0;   /* a group separator has been seen */
    size_t group_len = 0; /* digits in the current group */

    if (p >= end || !is_digit(*p))
        return fail_no_digit(sc);
    for (;;) {
        size_t n;
        for (; p < end && is_digit(*p); p++) {
            unsigned dig = *p - '0';
            if (++group_len > 3 && grouped)
                return fail_at(sc, p, MSG_GROUPS);
            if (sig == 0 && dig == 0)
                continue;
            if (++sig > max)
                return fail_at(sc, p, too_many);
            if (digits) /* a sum: the digits as text, for GMP */
                digits[sig - 1] = (char)*p;
            else
                v = v * 10 + dig;
        }
        n = sep_len(p, end);
        if (n == 0 || p + n >= end || !is_digit(p[n]))
            break;
        /* A group separator: the group before it must be complete. */
        if (grouped ? group_len != 3 : group_len > 3)
            return fail_at(sc, p, MSG_GROUPS);
        grouped = 1;
        group_len = 0;
        p += n;
    }
    if (grouped && group_len != 3)
        return fail_at(sc, p, MSG_GROUPS);
    sc->p = p;
    *out = v;
    if (digits) {
        if (sig == 0)
            digits[sig++] = '0';
        digits[sig] = '\0';
    }
    return 0;
}

/*
 * The optional decimal part: ',' or '.' and one or two digits, returned as
 * öre (0..99). All its digits are read before complaining about a third
 * one, so that "12.345,67" is reported as what it is, two decimal signs.
 */
static int scan_frac(scanner *sc, unsigned *out)
{
    const unsigned char *p = sc->p, *end = sc->end;
    const unsigned char *third = NULL;
    unsigned v = 0;
    int n = 0;

    *out = 0;
    if (p >= end || (*p != ',' && *p != '.'))
        return 0;
    for (p++; p < end && is_digit(*p); p++, n++) {
        if (n < 2)
            v = v * 10 + (unsigned)(*p - '0');
        else if (!third)
            third = p;
    }
    if (p < end && (*p == ',' || *p == '.'))
        return fail_at(sc, p, MSG_TWO_SIGNS);
    if (third)
        return fail_at(sc, third, MSG_DECIMALS);
    if (n == 0)
        return fail_at(sc, p, MSG_NO_FRAC);
    sc->p = p;
    *out = n == 1 ? v * 10 : v;
    return 0;
}

/* What may follow the number: whitespace, "kr" or "SEK", whitespace. */
static int scan_tail(scanner *sc)
{
    const unsigned char *p = skip_ws(sc->p, sc->end);
    p += unit_len(p, sc->end);
    p = skip_ws(p, sc->end);
    if (p < sc->end)
        return fail_at(sc, p, MSG_BADCHAR);
    sc->p = p;
    return 0;
}

char *dec_error_text(const dec_error *e, char *buf, size_t size)
{
    if (strcmp(e->msg, MSG_MISSING) == 0)
        snprintf(buf, size, "%s", e->msg);
    else if (e->ch[0])
        snprintf(buf, size, "%s %s i kolumn %zu", e->msg, e->ch, e->col);
    else
        snprintf(buf, size, "%s i kolumn %zu", e->msg, e->col);
    return buf;
}

/* The one scanner of an amount's text, for dec_parse and dec_parse_sum
 * (they differ only in how many digits they take and where the digits go):
 * blank, sign, whole part, decimals, "kr"; on failure the stray letter if
 * there is one. Sets *whole (or digits, see scan_int), *frac and *neg. */
static int scan_amount(const char *s, size_t len, dec_error *err,
                       uint64_t *whole, char *digits, int max,
                       const char *too_many, unsigned *frac, int *neg)
{
    scanner sc;
    sc.s = s;
    sc.p = (const unsigned char *)s;
    sc.end = sc.p + len;
    sc.err = err;

    sc.p = skip_ws(sc.p, sc.end);
    if (sc.p == sc.end) /* a blank field: point at its start */
        return fail_at(&sc, (const unsigned char *)s, MSG_MISSING);
    *neg = scan_sign(&sc);
    if (scan_int(&sc, whole, digits, max, too_many) ||
        scan_frac(&sc, frac) || scan_tail(&sc)) {
        /* A stray letter is what the user must hear about ("41 25O,00"
         * is a typo, not a group of two digits). Only on failure, so
         * valid amounts pay nothing for it. */
        const unsigned char *bad =
            foreign_char((const unsigned char *)s, sc.end);
        if (bad)
            fail_at(&sc, bad, MSG_BADCHAR);
        return -1;
    }
    return 0;
}

int dec_parse(dec_t *d, const char *s, size_t len, dec_error *err)
{
    uint64_t whole = 0; /* set by scan_int; the compiler cannot see it */
    unsigned frac = 0;
    int neg;

    if (scan_amount(s, len, err, &whole, NULL, DEC_MAX_INT_DIGITS,
                    MSG_DIGITS, &frac, &neg))
        return -1;

    /* At most 15 digits of öre: always an int64, never GMP. */
    dec_set_small(d, neg ? -(int64_t)(whole * 100 + frac)
                         : (int64_t)(whole * 100 + frac));
    return 0;
}

int dec_parse_sum(dec_t *d, const char *s, size_t len, dec_error *err)
{
    uint64_t unused;
    unsigned frac = 0;
    char digits[DEC_MAX_SUM_DIGITS + 1];
    int neg;

    if (scan_amount(s, len, err, &unused, digits, DEC_MAX_SUM_DIGITS,
                    MSG_SUM_DIGITS, &frac, &neg))
        return -1;
    mpz_t z;
    mpz_init_set_str(z, digits, 10); /* only digits: cannot fail */
    mpz_mul_ui(z, z, 100);
    mpz_add_ui(z, z, frac);
    if (neg)
        mpz_neg(z, z);
    dec_set_mpz(d, z); /* an int64 again when it fits */
    mpz_clear(z);
    return 0;
}
