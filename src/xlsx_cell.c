/*
 * xlsx_cell - the one conversion of an exact value to a cell's double, and
 * the cell writers built on it.
 *
 * A spreadsheet cell holds an IEEE double. samla keeps money as whole öre
 * in GMP integers (dec.h) and never uses floating point, except here:
 * xlsx_cell_number is the single place in the program where a number
 * becomes a double, and every number cell of a workbook (amounts, ratios,
 * dates, voucher numbers) passes through it.
 *
 * Why a decimal string and strtod: the exact value is first written as a
 * decimal string (dec_to_string, or a ratio rounded with GMP), and strtod
 * gives the double nearest to that string (glibc rounds correctly). A
 * double has 53 bits, which hold any decimal of at most 15 significant
 * digits so that it reads back as the same decimal; LibreOffice also saves
 * at most 15 significant digits. So an amount of up to 9 999 999 999 999,99
 * kr survives to the öre, and anything longer is refused rather than
 * silently rounded. strtod_l with the "C" locale makes the decimal point
 * '.' whatever locale the process runs in (and samla never sets
 * LC_NUMERIC: libxlsxwriter prints numbers with printf).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1 /* strtod_l, newlocale */
#endif
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_priv.h"

int xlsx_cell_number(const char *decimal, double *out)
{
    const char *p = decimal;
    if (!p)
        return -1;
    if (*p == '-')
        p++;
    /* Shape: digits, optionally '.' and digits; nothing else (no exponent,
     * no spaces, no "inf"/"nan"), so strtod can only see a plain decimal. */
    size_t intdigits = strspn(p, "0123456789");
    const char *q = p + intdigits;
    size_t fracdigits = 0;
    if (*q == '.') {
        fracdigits = strspn(q + 1, "0123456789");
        if (fracdigits == 0)
            return -1;
        q += 1 + fracdigits;
    }
    if (intdigits == 0 || *q != '\0')
        return -1;
    /* Significant digits: from the first to the last non-zero digit. */
    const char *first = NULL;
    size_t sig = 0, between = 0;
    for (const char *c = p; c < q; c++) {
        if (*c == '.')
            continue;
        if (*c != '0') {
            if (!first)
                first = c;
            sig += between + 1;
            between = 0;
        } else if (first) {
            between++;
        }
    }
    if (sig > XLSX_MAX_SIGNIFICANT)
        return -1;
    if (sig == 0) {
        *out = 0; /* never -0 */
        return 0;
    }
    /* glibc returns its static C locale object here without allocating;
     * asking each time keeps this free of shared state (threads). */
    locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c_locale)
        return -1;
    char *end;
    /* THE floating-point conversion of samla (see the top of this file). */
    double v = strtod_l(decimal, &end, c_locale);
    freelocale(c_locale);
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* The exact number of decimal digits of q ≥ 0 (mpz_sizeinbase may be one
 * too many); tmp is scratch. */
static size_t decimal_digits(const mpz_t q, mpz_t tmp)
{
    if (mpz_sgn(q) == 0)
        return 1;
    size_t n = mpz_sizeinbase(q, 10);
    mpz_ui_pow_ui(tmp, 10, (unsigned long)(n - 1));
    return mpz_cmp(q, tmp) < 0 ? n - 1 : n;
}

int xlsx_number_fits(const char *decimal)
{
    double v;
    return xlsx_cell_number(decimal, &v) == 0;
}

char *xlsx_ratio_string(const dec_t *num, const dec_t *den)
{
    mpz_t n, d, qt, r, pow;
    mpz_inits(n, d, qt, r, pow, NULL);
    int neg = mpz_sgn(num->ore) * mpz_sgn(den->ore) < 0;
    int k = 10;
    for (;;) {
        /* qt = round(|num| · 10^k / |den|), half away from zero. */
        mpz_abs(n, num->ore);
        mpz_abs(d, den->ore);
        mpz_ui_pow_ui(pow, 10, (unsigned long)k);
        mpz_mul(n, n, pow);
        mpz_tdiv_qr(qt, r, n, d);
        mpz_mul_2exp(r, r, 1);
        if (mpz_cmp(r, d) >= 0)
            mpz_add_ui(qt, qt, 1);
        /* Drop trailing zero decimals; then keep at most 15 significant
         * digits by giving up decimals (rounding again from the exact
         * ratio, never from the rounded one). */
        if (mpz_sgn(qt) == 0)
            k = 0;
        while (k > 0 && mpz_divisible_ui_p(qt, 10)) {
            mpz_divexact_ui(qt, qt, 10);
            k--;
        }
        size_t digits = decimal_digits(qt, pow);
        if (digits <= XLSX_MAX_SIGNIFICANT || k == 0)
            break;
        k -= (int)(digits - XLSX_MAX_SIGNIFICANT);
        if (k < 0)
            k = 0;
    }
    char *digits = mpz_get_str(NULL, 10, qt);
    size_t len = strlen(digits);
    size_t pad = len <= (size_t)k ? (size_t)k + 1 - len : 0;
    char *s = malloc(len + pad + 4);
    if (!s)
        abort();
    char *o = s;
    if (neg && mpz_sgn(qt) != 0)
        *o++ = '-';
    size_t all = len + pad, intlen = all - (size_t)k;
    for (size_t i = 0; i < all; i++) {
        if (i == intlen)
            *o++ = '.';
        *o++ = i < pad ? '0' : digits[i - pad];
    }
    *o = '\0';
    void (*freefunc)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(digits, len + 1);
    mpz_clears(n, d, qt, r, pow, NULL);
    return s;
}

/* "Budget!H12" for messages. */
static void where(char *buf, size_t size, const char *sheet, lxw_row_t r,
                  lxw_col_t c)
{
    char cell[16];
    lxw_rowcol_to_cell(cell, r, c);
    snprintf(buf, size, "%s!%s", sheet, cell);
}

/* Write `value` (a plain decimal string) as a number or a formula's
 * result. `shown` is the value as the user should read it in a message. */
static int put_decimal(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                       lxw_row_t r, lxw_col_t c, const char *value,
                       const char *shown, const char *formula, lxw_format *f)
{
    double v;
    char at[160];
    if (xlsx_cell_number(value, &v) != 0) {
        where(at, sizeof at, sheet, r, c);
        xlsx_fail(w,
                  "cell %s: talet %s har fler än %d värdesiffror och kan "
                  "inte skrivas exakt i en kalkylbladscell; arbetsboken "
                  "skrevs inte",
                  at, shown, XLSX_MAX_SIGNIFICANT);
        return -1;
    }
    lxw_error e = formula ? worksheet_write_formula_num(ws, r, c, formula, f, v)
                          : worksheet_write_number(ws, r, c, v, f);
    where(at, sizeof at, sheet, r, c);
    return xlsx_check(w, e, at);
}

int xlsx_put_amount(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                    lxw_row_t r, lxw_col_t c, const dec_t *v,
                    const char *formula, lxw_format *f)
{
    char *s = dec_to_string(v);
    char *shown = dec_format(v, DEC_KR, 2, DEC_FMT_UNIT);
    int rc = put_decimal(w, ws, sheet, r, c, s, shown, formula, f);
    free(s);
    free(shown);
    return rc;
}

int xlsx_put_ratio(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                   lxw_row_t r, lxw_col_t c, const dec_t *num,
                   const dec_t *den, const char *formula, lxw_format *f)
{
    char *s = xlsx_ratio_string(num, den);
    int rc = put_decimal(w, ws, sheet, r, c, s, s, formula, f);
    free(s);
    return rc;
}

int xlsx_put_integer(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                     lxw_row_t r, lxw_col_t c, long long v, lxw_format *f)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", v);
    return put_decimal(w, ws, sheet, r, c, s, s, NULL, f);
}

int xlsx_put_date(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                  lxw_row_t r, lxw_col_t c, date_t d, lxw_format *f)
{
    /* A spreadsheet date is the number of days since 1899-12-30; date_t
     * counts from 1970-01-01, which is day 25569. */
    char s[32];
    snprintf(s, sizeof s, "%ld", (long)d + 25569L);
    return put_decimal(w, ws, sheet, r, c, s, s, NULL, f);
}

int xlsx_put_text(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                  lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    char at[160];
    lxw_error e;
    if (!s || !*s) {
        if (!f)
            return 0;
        e = worksheet_write_blank(ws, r, c, f);
    } else {
        /* worksheet_write_string always makes a string cell: text that
         * begins with = + - @ stays text and is never evaluated. */
        e = worksheet_write_string(ws, r, c, s, f);
    }
    where(at, sizeof at, sheet, r, c);
    return xlsx_check(w, e, at);
}

int xlsx_put_formula_text(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                          lxw_row_t r, lxw_col_t c, const char *formula,
                          const char *result, lxw_format *f)
{
    char at[160];
    lxw_error e = worksheet_write_formula_str(ws, r, c, formula, f, result);
    where(at, sizeof at, sheet, r, c);
    return xlsx_check(w, e, at);
}
