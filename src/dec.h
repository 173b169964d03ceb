/*
 * dec - exact amounts of money.
 *
 * An amount is a whole number of öre (1/100 SEK). It is held in a 64-bit
 * integer while it fits (every amount a book stores does: at most 15
 * digits), and moves to a GMP integer only when a result would not fit, so
 * sums of any length stay exact, the common case costs no allocation, and
 * nothing ever passes through floating point. Rounding happens only when asked for: for display (dec_rounded,
 * dec_format) and in allocations (dec_allocate), always half away from
 * zero: 2,5 -> 3 and -2,5 -> -3 (the rule Swedish municipalities and most
 * users expect, unlike banker's rounding).
 */
#ifndef SAMLA_DEC_H
#define SAMLA_DEC_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The fields are private to dec.c: use the functions below. The value is
 * `small_` while `big_` is NULL; otherwise it is *big_, which then always
 * lies outside the int64 range (one value, one form). A zeroed dec_t is 0,
 * and copying a dec_t moves its value (the GMP part with it): the copy is
 * then the one to dec_clear.
 */
typedef struct {
    int64_t small_; /* the amount in öre, when big_ is NULL */
    mpz_ptr big_;   /* the amount in öre, when it does not fit in int64 */
} dec_t;

/* Display units. The precision of a unit is given separately (decimals). */
typedef enum { DEC_KR = 0, DEC_TKR, DEC_MNKR } dec_unit;

/* Why a parse failed: the 1-based *character* column within the input
 * string where the fault is, and a static Swedish message. For a
 * character that has no place in an amount (msg "ogiltigt tecken") `ch`
 * names it: "'O'" (quoted), or "U+0007" for an invisible one; else "". */
typedef struct {
    size_t col;
    const char *msg;
    char ch[12];
} dec_error;

/* The whole reason as one Swedish phrase, the same in every path that reads
 * an amount: "ogiltigt tecken 'O' i kolumn 6", "tusentalsgrupper ska ha tre
 * siffror i kolumn 3", "beloppet saknas". Returns buf. */
char *dec_error_text(const dec_error *e, char *buf, size_t size);

/* Largest number of digits before the decimal sign that dec_parse accepts:
 * 13 + 2 öre digits = 15 significant digits, the most a spreadsheet cell
 * (an IEEE double) holds exactly. */
#define DEC_MAX_INT_DIGITS 13

void dec_init(dec_t *d);
void dec_clear(dec_t *d);
void dec_set(dec_t *d, const dec_t *src);
void dec_set_ore(dec_t *d, long ore);
void dec_set_zero(dec_t *d);

/* The amount in öre as an int64: returns 0, or -1 (and leaves *out alone)
 * when it does not fit. */
int dec_get_i64(const dec_t *d, int64_t *out);
/* To and from a GMP integer of öre (out must be initialised). */
void dec_set_mpz(dec_t *d, const mpz_t ore);
void dec_get_mpz(mpz_t out, const dec_t *d);

/*
 * Parse an amount in any form a Swedish or international user writes:
 *   "1 234 567,89"  "1234567.89"  "-1 234,5"  "−1 234,50" (U+2212)
 *   "1 234 kr"  "1\u00a0234,00"  "1\u202f234"  "+12"  "  12,5 "
 * Thousands groups may be separated by space, U+00A0, U+202F or U+2009
 * (thin space) and must then be groups of three digits. One decimal sign (',' or '.') with at most two
 * digits after it. An optional trailing "kr" or "SEK". Leading/trailing
 * whitespace is ignored. Everything else is refused: "1,2,3", "12.345,67",
 * "--5", "5-", "1e5", "0x10", "", more than DEC_MAX_INT_DIGITS digits,
 * three decimals. A character that has no place in an amount at all (a
 * letter O for a zero) is named as such wherever it stands, before any
 * rule about groups or decimals is applied.
 * s need not be NUL-terminated (len bytes are read). Returns 0 on success;
 * on failure returns -1 and fills *err (if not NULL); d is then unchanged.
 */
int dec_parse(dec_t *d, const char *s, size_t len, dec_error *err);

/* Largest number of digits before the decimal sign of a sum that samla
 * wrote (dec_parse_sum): a year has at most 99 999 999 vouchers of at most
 * 13 digits (under 10^21), and an accumulated surplus adds up at most a
 * few thousand years of them, so 30 holds any sum a book can produce. */
#define DEC_MAX_SUM_DIGITS 30

/*
 * Parse a sum the book computed and wrote (a closed year's result and
 * closing surplus): the forms of dec_parse, but up to DEC_MAX_SUM_DIGITS
 * digits before the decimal sign, since the 13-digit limit is for a single
 * entered amount (one spreadsheet cell), not for sums of them.
 */
int dec_parse_sum(dec_t *d, const char *s, size_t len, dec_error *err);

void dec_add(dec_t *r, const dec_t *a, const dec_t *b);
void dec_sub(dec_t *r, const dec_t *a, const dec_t *b);
void dec_neg(dec_t *r, const dec_t *a);
void dec_abs(dec_t *r, const dec_t *a);
int dec_cmp(const dec_t *a, const dec_t *b); /* <0, 0, >0 */
int dec_sgn(const dec_t *a);
int dec_is_zero(const dec_t *a);

/* r = a * num / den, exact, then rounded half away from zero to the öre.
 * den must not be 0. */
void dec_mul_ratio(dec_t *r, const dec_t *a, const mpz_t num, const mpz_t den);
void dec_mul_ratio_ul(dec_t *r, const dec_t *a, unsigned long num,
                      unsigned long den);

/* floor(num / den) for den > 0, clamped to [LONG_MIN, LONG_MAX]: how many
 * whole times den goes into num (e.g. the length of a bar in a chart). */
long dec_div_floor(const dec_t *num, const dec_t *den);

/* The exact ratio num / den rounded half away from zero to `decimals`
 * (0..30) decimals, as "-12.345": '-' and '.', at least one digit before
 * the point, never "-0". den must not be 0. Returns a malloc'd string. */
char *dec_ratio_string(const dec_t *num, const dec_t *den, int decimals);

/* r = a rounded half away from zero to `decimals` decimals of `unit`
 * (e.g. DEC_MNKR, 1 -> to the nearest 0,1 mnkr = 100 000 kr), expressed
 * again in öre, so rounded figures can be compared and summed exactly.
 * decimals may be 0..2 for DEC_KR, 0..5 for DEC_TKR, 0..8 for DEC_MNKR. */
void dec_rounded(dec_t *r, const dec_t *a, dec_unit unit, int decimals);

/* Formatting flags for dec_format. */
enum {
    DEC_FMT_UNIT = 1,  /* append " kr", " tkr" or " mnkr" */
    DEC_FMT_ASCII = 2, /* '-' and ' ' instead of U+2212 and U+00A0 */
    DEC_FMT_PLAIN = 4, /* no thousands separators, '-' minus: "-1234567,89"
                          (the book's CSV storage form) */
    DEC_FMT_POINT = 8  /* decimal point instead of comma */
};

/*
 * Format a rounded to `decimals` decimals of `unit`, Swedish style:
 * dec_format(-130 000 000 öre, DEC_MNKR, 1, DEC_FMT_UNIT) = "−1,3 mnkr"
 * with U+2212 minus and U+00A0 thousands separators by default.
 * "0" is never shown as "−0". Returns a malloc'd string.
 */
char *dec_format(const dec_t *a, dec_unit unit, int decimals, int flags);

/* The form messages and dialogs quote an amount in: kronor with öre and the
 * unit, "1 234,50 kr" (dec_format(a, DEC_KR, 2, DEC_FMT_UNIT)). Malloc'd. */
char *dec_format_kr(const dec_t *a);

/* Canonical exact form: "-1234567.89" (always two decimals, '.' and '-').
 * Used in JSON and tests. Returns a malloc'd string. */
char *dec_to_string(const dec_t *a);

/* Number of significant decimal digits of the amount in öre (0 for 0). */
size_t dec_sigdigits(const dec_t *a);

/*
 * Split `whole` over n weights into öre parts that add up to `whole`
 * exactly: each part is first whole*w_i/sum(w) rounded toward zero; the öre
 * left over go one each to the parts with the largest remainders (ties: the
 * lower index first). A negative whole is split as its absolute value and
 * negated. Weights must not all be 0. parts[] must be initialised.
 * Returns 0, or -1 if the weights sum to 0.
 */
int dec_allocate(dec_t *parts, const dec_t *whole, const unsigned long *weights,
                 size_t n);

#endif
