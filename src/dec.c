/*
 * dec - exact amounts of money (see dec.h).
 *
 * Amounts are whole öre in an mpz_t. The parser is on the hot path (every
 * amount of every journal row goes through it), so it scans the bytes once,
 * accumulates the value in a uint64_t (15 digits at most always fit) and
 * touches GMP only once at the end. Error columns are worked out only when
 * something is wrong, so valid input pays nothing for them.
 *
 * Nothing here ever uses floating point.
 */
#include "dec.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
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
static const char MSG_BADCHAR[] = "ogiltigt tecken i belopp";
static const char MSG_DECIMALS[] = "högst två decimaler (öre)";
static const char MSG_DIGITS[] = "för många siffror (högst " STR(
    DEC_MAX_INT_DIGITS) " före decimaltecknet)";
static const char MSG_GROUPS[] = "tusentalsgrupper ska ha tre siffror";
static const char MSG_TWO_SIGNS[] = "två decimaltecken";
static const char MSG_NO_INT[] = "siffra saknas före decimaltecknet";
static const char MSG_NO_FRAC[] = "siffra saknas efter decimaltecknet";

/* UTF-8 spellings of the non-ASCII characters we read and write. */
#define U_MINUS "\xE2\x88\x92" /* U+2212 MINUS SIGN */
#define U_NBSP "\xC2\xA0"      /* U+00A0 NO-BREAK SPACE */

/* Per unit: the power of ten of öre in one unit, and its name. */
static const int unit_exp[] = {2, 5, 8};
static const char *const unit_name[] = {"kr", "tkr", "mnkr"};

/* 10^0 .. 10^8; all fit in a 32-bit unsigned long. */
static const unsigned long pow10_ul[] = {
    1UL, 10UL, 100UL, 1000UL, 10000UL, 100000UL, 1000000UL, 10000000UL,
    100000000UL};

/* ------------------------------------------------------------------------
 * Basic operations
 */

void dec_init(dec_t *d) { mpz_init(d->ore); }

void dec_clear(dec_t *d) { mpz_clear(d->ore); }

void dec_set(dec_t *d, const dec_t *src) { mpz_set(d->ore, src->ore); }

void dec_set_ore(dec_t *d, long ore) { mpz_set_si(d->ore, ore); }

void dec_set_zero(dec_t *d) { mpz_set_ui(d->ore, 0); }

void dec_add(dec_t *r, const dec_t *a, const dec_t *b)
{
    mpz_add(r->ore, a->ore, b->ore);
}

void dec_sub(dec_t *r, const dec_t *a, const dec_t *b)
{
    mpz_sub(r->ore, a->ore, b->ore);
}

void dec_neg(dec_t *r, const dec_t *a) { mpz_neg(r->ore, a->ore); }

void dec_abs(dec_t *r, const dec_t *a) { mpz_abs(r->ore, a->ore); }

int dec_cmp(const dec_t *a, const dec_t *b)
{
    int c = mpz_cmp(a->ore, b->ore);
    return (c > 0) - (c < 0);
}

int dec_sgn(const dec_t *a) { return mpz_sgn(a->ore); }

int dec_is_zero(const dec_t *a) { return mpz_sgn(a->ore) == 0; }

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

/* Bytes of a thousands separator at p (space, U+00A0, U+202F), else 0. */
static size_t sep_len(const unsigned char *p, const unsigned char *end)
{
    if (p >= end)
        return 0;
    if (p[0] == ' ')
        return 1;
    if (p[0] == 0xC2 && end - p >= 2 && p[1] == 0xA0)
        return 2;
    if (p[0] == 0xE2 && end - p >= 3 && p[1] == 0x80 && p[2] == 0xAF)
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

static int fail_at(scanner *sc, const unsigned char *at, const char *msg)
{
    if (sc->err) {
        sc->err->col = char_col(sc->s, at);
        sc->err->msg = msg;
    }
    return -1;
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
static int scan_int(scanner *sc, uint64_t *out)
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
            if (++sig > DEC_MAX_INT_DIGITS)
                return fail_at(sc, p, MSG_DIGITS);
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

/* Store a non-negative öre count; the split keeps it right where long is
 * 32 bits. */
static void set_u64(mpz_t z, uint64_t v)
{
    if (v <= ULONG_MAX) {
        mpz_set_ui(z, (unsigned long)v);
        return;
    }
    mpz_set_ui(z, (unsigned long)(v >> 32));
    mpz_mul_2exp(z, z, 32);
    mpz_add_ui(z, z, (unsigned long)(v & 0xFFFFFFFFu));
}

int dec_parse(dec_t *d, const char *s, size_t len, dec_error *err)
{
    scanner sc;
    uint64_t whole = 0; /* set by scan_int; the compiler cannot see it */
    unsigned frac = 0;
    int neg;

    sc.s = s;
    sc.p = (const unsigned char *)s;
    sc.end = sc.p + len;
    sc.err = err;

    sc.p = skip_ws(sc.p, sc.end);
    if (sc.p == sc.end) /* a blank field: point at its start */
        return fail_at(&sc, (const unsigned char *)s, MSG_MISSING);
    neg = scan_sign(&sc);
    if (scan_int(&sc, &whole) || scan_frac(&sc, &frac) || scan_tail(&sc))
        return -1;

    set_u64(d->ore, whole * 100 + frac);
    if (neg)
        mpz_neg(d->ore, d->ore);
    return 0;
}

/* ------------------------------------------------------------------------
 * Rounding
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
static void div_round_pow10(mpz_t q, const mpz_t n, int k)
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
    div_round_pow10(r->ore, a->ore, k);
    mpz_mul_ui(r->ore, r->ore, pow10_ul[k]);
}

void dec_mul_ratio(dec_t *r, const dec_t *a, const mpz_t num, const mpz_t den)
{
    mpz_t n, d;
    assert(mpz_sgn(den) != 0);
    mpz_init(n);
    mpz_init(d);
    mpz_mul(n, a->ore, num);
    mpz_set(d, den);
    if (mpz_sgn(d) < 0) { /* div_round wants a positive divisor */
        mpz_neg(d, d);
        mpz_neg(n, n);
    }
    div_round(r->ore, n, d);
    mpz_clear(n);
    mpz_clear(d);
}

void dec_mul_ratio_ul(dec_t *r, const dec_t *a, unsigned long num,
                      unsigned long den)
{
    mpz_t n, d;
    assert(den != 0);
    mpz_init(n);
    mpz_init_set_ui(d, den);
    mpz_mul_ui(n, a->ore, num);
    div_round(r->ore, n, d);
    mpz_clear(n);
    mpz_clear(d);
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
    mpz_t q;

    unit = clamp_unit(unit);
    decimals = clamp_decimals(unit, decimals);

    mpz_init(q);
    div_round_pow10(q, a->ore, unit_exp[unit] - decimals);
    neg = mpz_sgn(q) < 0; /* after rounding: never "−0" */
    mpz_abs(q, q);

    /* sizeinbase may overstate by one; that only wastes a byte. */
    nd = mpz_sizeinbase(q, 10) + 2;
    digits = nd <= sizeof small ? small : malloc(nd);
    if (!digits) {
        mpz_clear(q);
        return NULL;
    }
    mpz_get_str(digits, 10, q);
    mpz_clear(q);
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

char *dec_to_string(const dec_t *a)
{
    return dec_format(a, DEC_KR, 2, DEC_FMT_PLAIN | DEC_FMT_POINT);
}

size_t dec_sigdigits(const dec_t *a)
{
    size_t n;
    mpz_t p;

    if (mpz_sgn(a->ore) == 0)
        return 0;
    n = mpz_sizeinbase(a->ore, 10); /* exact or one too many */
    if (n == 1)
        return 1;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, (unsigned long)(n - 1));
    if (mpz_cmpabs(a->ore, p) < 0)
        n--;
    mpz_clear(p);
    return n;
}

/* ------------------------------------------------------------------------
 * Allocation
 */

/* One part's claim on the öre left over after rounding down. */
typedef struct {
    mpz_srcptr rem; /* whole * weight mod sum(weights) */
    size_t idx;
} claim;

/* Largest remainder first; equal remainders in index order. */
static int claim_cmp(const void *x, const void *y)
{
    const claim *a = x, *b = y;
    int c = mpz_cmp(b->rem, a->rem);
    if (c != 0)
        return c;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/*
 * Uses one malloc for the remainders. If it fails, -1 is returned and the
 * parts are left untouched, as for weights that sum to 0.
 */
int dec_allocate(dec_t *parts, const dec_t *whole, const unsigned long *weights,
                 size_t n)
{
    mpz_t total, sum, left, t;
    mpz_t *rems;
    claim *claims;
    int neg = mpz_sgn(whole->ore) < 0;
    size_t i;
    unsigned long k, nleft;

    mpz_init(sum);
    for (i = 0; i < n; i++)
        mpz_add_ui(sum, sum, weights[i]);
    if (mpz_sgn(sum) == 0) {
        mpz_clear(sum);
        return -1;
    }
    rems = malloc(n * sizeof *rems);
    claims = malloc(n * sizeof *claims);
    if (!rems || !claims) {
        free(rems);
        free(claims);
        mpz_clear(sum);
        return -1;
    }

    /* Copy |whole| first: parts[] may include whole itself. */
    mpz_init(total);
    mpz_abs(total, whole->ore);
    mpz_init_set(left, total);
    mpz_init(t);
    for (i = 0; i < n; i++) {
        mpz_init(rems[i]);
        mpz_mul_ui(t, total, weights[i]);
        mpz_tdiv_qr(parts[i].ore, rems[i], t, sum);
        mpz_sub(left, left, parts[i].ore);
        claims[i].rem = rems[i];
        claims[i].idx = i;
    }

    /* Fewer öre are left over than there are parts (each remainder is
     * below sum), so nleft fits and each goes to a different part. */
    nleft = mpz_get_ui(left);
    if (nleft > 0)
        qsort(claims, n, sizeof *claims, claim_cmp);
    for (k = 0; k < nleft; k++)
        mpz_add_ui(parts[claims[k].idx].ore, parts[claims[k].idx].ore, 1);
    if (neg)
        for (i = 0; i < n; i++)
            mpz_neg(parts[i].ore, parts[i].ore);

    for (i = 0; i < n; i++)
        mpz_clear(rems[i]);
    free(rems);
    free(claims);
    mpz_clear(t);
    mpz_clear(left);
    mpz_clear(total);
    mpz_clear(sum);
    return 0;
}
