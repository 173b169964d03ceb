/*
 * xlsx_cell - the one conversion of an exact value to a cell's double, and
 * the cell writers built on it.
 *
 * A spreadsheet cell holds an IEEE double. samla keeps money as whole öre
 * exactly (dec.h) and never uses floating point, except here:
 * xlsx_cell_number is the single place in the program where a number
 * becomes a double, and every number cell of a workbook (amounts, ratios,
 * dates, voucher numbers) passes through it.
 *
 * Why a decimal string and strtod: the exact value is first written as a
 * decimal string (dec_to_string, or an exact ratio rounded by dec_ratio_string), and strtod
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

int xlsx_cell_scaled(long long v, int decimals, double *out)
{
    static const double scale[] = {1.0, 10.0, 100.0};
    if (decimals < 0 || decimals > 2)
        return -1;
    if (v > -1000000000000000LL && v < 1000000000000000LL) {
        /* 10^15 < 2^53: v is exact; one correctly rounded division. */
        *out = v == 0 ? 0.0 : (double)v / scale[decimals];
        return 0;
    }
    /* "-123.45" from v: the digits with the point put in. */
    char digits[32], s[48], *o = s;
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    int n = snprintf(digits, sizeof digits, "%0*llu", decimals + 1, m);
    if (v < 0)
        *o++ = '-';
    memcpy(o, digits, (size_t)(n - decimals));
    o += n - decimals;
    if (decimals) {
        *o++ = '.';
        memcpy(o, digits + n - decimals, (size_t)decimals);
        o += decimals;
    }
    *o = '\0';
    return xlsx_cell_number(s, out);
}

/* Drop the trailing zero decimals of a dec_ratio_string result in place
 * ("0.50" -> "0.5", "12.000" -> "12"); returns how many decimals remain. */
static int trim_decimals(char *s)
{
    char *point = strchr(s, '.');
    if (!point)
        return 0;
    char *end = s + strlen(s); /* a digit precedes the point: the loop stops */
    while (end[-1] == '0')
        *--end = '\0';
    if (end[-1] == '.') {
        *--end = '\0';
        return 0;
    }
    return (int)(end - point - 1);
}

/* Significant digits of a plain decimal ("-0.0123" has 3; "0" has 1). */
static size_t significant(const char *s)
{
    size_t n = 0;
    int started = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s != '0')
            started = 1;
        n += (size_t)started;
    }
    return n ? n : 1;
}

int xlsx_number_fits(const char *decimal)
{
    double v;
    return xlsx_cell_number(decimal, &v) == 0;
}

char *xlsx_ratio_string(const dec_t *num, const dec_t *den)
{
    int k = 10;
    for (;;) {
        /* The exact ratio rounded half away from zero to k decimals;
         * trailing zero decimals dropped; then at most 15 significant
         * digits, by giving up decimals and rounding again from the exact
         * ratio (never from the rounded one). */
        char *s = dec_ratio_string(num, den, k);
        if (!s)
            abort();
        k = trim_decimals(s);
        size_t digits = significant(s);
        if (digits <= XLSX_MAX_SIGNIFICANT || k == 0)
            return s;
        free(s);
        k -= (int)(digits - XLSX_MAX_SIGNIFICANT);
        if (k < 0)
            k = 0;
    }
}

/* "Budget!H12" for messages. */
static void where(char *buf, size_t size, const char *sheet, lxw_row_t r,
                  lxw_col_t c)
{
    char cell[16];
    lxw_rowcol_to_cell(cell, r, c);
    snprintf(buf, size, "%s!%s", sheet, cell);
}

/* A libxlsxwriter result for the cell at r, c: the cell is named only
 * when something failed (a million-row journal writes 14 million cells). */
static int check_cell(xlsx_wb *w, lxw_error e, const char *sheet, lxw_row_t r,
                      lxw_col_t c)
{
    char at[160];
    if (e == LXW_NO_ERROR)
        return 0;
    where(at, sizeof at, sheet, r, c);
    return xlsx_check(w, e, at);
}

static int too_long(xlsx_wb *w, const char *sheet, lxw_row_t r, lxw_col_t c,
                    const char *shown)
{
    char at[160];
    where(at, sizeof at, sheet, r, c);
    xlsx_fail(w,
              "cell %s: talet %s har fler än %d värdesiffror och kan "
              "inte skrivas exakt i en kalkylbladscell; arbetsboken "
              "skrevs inte",
              at, shown, XLSX_MAX_SIGNIFICANT);
    return -1;
}

/* Write v as a number or a formula's result. */
static int put_double(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                      lxw_row_t r, lxw_col_t c, double v, const char *formula,
                      lxw_format *f)
{
    lxw_error e = formula ? worksheet_write_formula_num(ws, r, c, formula, f, v)
                          : worksheet_write_number(ws, r, c, v, f);
    return check_cell(w, e, sheet, r, c);
}

/* Write `value` (a plain decimal string) as a number or a formula's
 * result. `shown` is the value as the user should read it in a message. */
static int put_decimal(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                       lxw_row_t r, lxw_col_t c, const char *value,
                       const char *shown, const char *formula, lxw_format *f)
{
    double v;
    if (xlsx_cell_number(value, &v) != 0)
        return too_long(w, sheet, r, c, shown);
    return put_double(w, ws, sheet, r, c, v, formula, f);
}

int xlsx_put_amount(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                    lxw_row_t r, lxw_col_t c, const dec_t *v,
                    const char *formula, lxw_format *f)
{
    int64_t ore;
    double d;
    if (dec_get_i64(v, &ore) == 0 && xlsx_cell_scaled(ore, 2, &d) == 0)
        return put_double(w, ws, sheet, r, c, d, formula, f);
    char *s = dec_to_string(v);
    char *shown = dec_format_kr(v);
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
    double d;
    if (xlsx_cell_scaled(v, 0, &d) != 0) {
        char s[32];
        snprintf(s, sizeof s, "%lld", v);
        return too_long(w, sheet, r, c, s);
    }
    return put_double(w, ws, sheet, r, c, d, NULL, f);
}

int xlsx_put_date(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                  lxw_row_t r, lxw_col_t c, date_t d, lxw_format *f)
{
    /* A spreadsheet date is the number of days since 1899-12-30; date_t
     * counts from 1970-01-01, which is day 25569. */
    return xlsx_put_integer(w, ws, sheet, r, c, (long long)d + 25569LL, f);
}

int xlsx_put_text(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                  lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
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
    return check_cell(w, e, sheet, r, c);
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

/* A length in hundredths (of a point or an inch) as libxlsxwriter takes it.
 * The page geometry is worked out in whole hundredths (xlsx_sheet.c); this
 * is where it becomes the double the library's calls want. No amount ever
 * passes here. */
double xlsx_hundredths(long v)
{
    return (double)v / 100.0;
}
