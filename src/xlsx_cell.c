/*
 * xlsx_cell - the one conversion of an exact value to a cell's double, and
 * the cell writers built on it.
 *
 * A spreadsheet cell holds an IEEE double. samla keeps money as whole öre
 * exactly (dec.h) and never uses floating point, except here:
 * xlsx_cell_number is the single place in the program where a number
 * becomes a double, and every number cell libxlsxwriter writes (amounts,
 * ratios, dates, voucher numbers) passes through it. The cells samla
 * writes as XML itself (xlsx_cells.c, the journal's rows) hold the exact
 * decimal instead (xlsx_cell_text), which a reader turns into that same
 * double; both refuse more than XLSX_MAX_SIGNIFICANT digits.
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
#include <ctype.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_priv.h"

/* date_t's day 0, 1970-01-01, as a spreadsheet day number. */
#define EXCEL_DAY_1970 25569LL

/* The significant digits of a plain decimal ('-', digits, optionally '.'
 * and digits; nothing else), from the first to the last non-zero digit;
 * -1 when it is not of that shape. */
static int plain_significant(const char *decimal)
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
    return sig > 99 ? 99 : (int)sig;
}

int xlsx_cell_number(const char *decimal, double *out)
{
    int sig = plain_significant(decimal);
    if (sig < 0 || sig > XLSX_MAX_SIGNIFICANT)
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

/* The decimal v / 10^decimals (decimals 0..2) as text, trailing zero
 * decimals dropped: "-1234.5", "0.01", "0". Whole-number arithmetic. */
static void scaled_text(long long v, int decimals, char *buf)
{
    char digits[24];
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    int n = 0;
    do {
        digits[n++] = (char)('0' + m % 10);
        m /= 10;
    } while (m || n <= decimals);
    /* digits[] holds the digits backwards; drop zero decimals. */
    int d = decimals, k = 0;
    while (d > 0 && digits[k] == '0') {
        k++;
        d--;
    }
    char *o = buf;
    if (v < 0)
        *o++ = '-';
    for (int i = n - 1; i >= decimals; i--)
        *o++ = digits[i];
    if (d) {
        *o++ = '.';
        for (int i = decimals - 1; i >= k; i--)
            *o++ = digits[i];
    }
    *o = '\0';
}

int xlsx_cell_text(long long v, int decimals, char *buf)
{
    if (decimals < 0 || decimals > 2)
        return -1;
    scaled_text(v, decimals, buf);
    if (v > -1000000000000000LL && v < 1000000000000000LL)
        return 0; /* at most 15 digits */
    int sig = plain_significant(buf);
    return sig >= 0 && sig <= XLSX_MAX_SIGNIFICANT ? 0 : -1;
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
    char text[XLSX_NUMBER_TEXT];
    scaled_text(v, decimals, text);
    return xlsx_cell_number(text, out);
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

/* The refusal of a number with more significant digits than a cell holds
 * exactly, at cell `at` (both writers: libxlsxwriter's cells and the
 * journal's own rows). Returns -1. */
static int refuse_too_long(xlsx_wb *w, const char *at, const char *shown)
{
    xlsx_fail(w,
              "cell %s: talet %s har fler än %d värdesiffror och kan "
              "inte skrivas exakt i en kalkylbladscell; arbetsboken "
              "skrevs inte",
              at, shown, XLSX_MAX_SIGNIFICANT);
    return -1;
}

static int too_long(xlsx_wb *w, const char *sheet, lxw_row_t r, lxw_col_t c,
                    const char *shown)
{
    char at[160];
    where(at, sizeof at, sheet, r, c);
    return refuse_too_long(w, at, shown);
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
 * result. `shown` is the value as the user should read it in a message.
 * On a sheet whose cells samla keeps, the decimal itself is the cell's
 * value (a reader makes of it the double xlsx_cell_number gives). */
static int put_decimal(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                       lxw_row_t r, lxw_col_t c, const char *value,
                       const char *shown, const char *formula, lxw_format *f)
{
    double v;
    if (xlsx_cell_number(value, &v) != 0)
        return too_long(w, sheet, r, c, shown);
    xlsx_cells *cs = xlsx_wb_cells_of(w, ws);
    if (cs) {
        xlsx_cells_number(cs, r, c, value, formula, xlsx_xf(f));
        return 0;
    }
    return put_double(w, ws, sheet, r, c, v, formula, f);
}

int xlsx_put_amount(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                    lxw_row_t r, lxw_col_t c, const dec_t *v,
                    const char *formula, lxw_format *f)
{
    int64_t ore;
    double d;
    xlsx_cells *cs = xlsx_wb_cells_of(w, ws);
    if (dec_get_i64(v, &ore) == 0) {
        char text[XLSX_NUMBER_TEXT];
        if (cs && xlsx_cell_text(ore, 2, text) == 0) {
            xlsx_cells_number(cs, r, c, text, formula, xlsx_xf(f));
            return 0;
        }
        if (!cs && xlsx_cell_scaled(ore, 2, &d) == 0)
            return put_double(w, ws, sheet, r, c, d, formula, f);
    }
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
    xlsx_cells *cs = xlsx_wb_cells_of(w, ws);
    char text[XLSX_NUMBER_TEXT];
    if (cs && xlsx_cell_text(v, 0, text) == 0) {
        xlsx_cells_number(cs, r, c, text, NULL, xlsx_xf(f));
        return 0;
    }
    if (cs || xlsx_cell_scaled(v, 0, &d) != 0) {
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
    return xlsx_put_integer(w, ws, sheet, r, c, (long long)d + EXCEL_DAY_1970,
                            f);
}

/* What a text becomes in a cell: the one rule of both writers
 * (xlsx_put_text, xlsx_xml_text). NULL or "" is a blank cell when it has a
 * format (for borders), else nothing; anything else is a string cell, never
 * a formula (a leading = + - @ stays text); longer than a cell holds
 * (libxlsxwriter's and Excel's limit, in characters) is an error. */
typedef enum { TEXT_NONE, TEXT_BLANK, TEXT_STRING, TEXT_TOO_LONG } text_kind;

#define TEXT_MAX 32767

static text_kind text_rule(const char *s, int formatted)
{
    if (!s || !*s)
        return formatted ? TEXT_BLANK : TEXT_NONE;
    if (strlen(s) > TEXT_MAX && lxw_utf8_strlen(s) > TEXT_MAX)
        return TEXT_TOO_LONG;
    return TEXT_STRING;
}

int xlsx_put_text(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                  lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    lxw_error e = LXW_NO_ERROR;
    xlsx_cells *cs = xlsx_wb_cells_of(w, ws);
    switch (text_rule(s, f != NULL)) {
    case TEXT_NONE:
        return 0;
    case TEXT_BLANK:
        if (cs) {
            xlsx_cells_blank(cs, r, c, xlsx_xf(f));
            return 0;
        }
        e = worksheet_write_blank(ws, r, c, f);
        break;
    case TEXT_TOO_LONG:
        e = LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED;
        break;
    case TEXT_STRING:
        /* worksheet_write_string always makes a string cell: text that
         * begins with = + - @ stays text and is never evaluated (as does
         * the inline string xlsx_xml_text writes). */
        if (cs) {
            xlsx_cells_string(cs, r, c, s, xlsx_xf(f));
            return 0;
        }
        e = worksheet_write_string(ws, r, c, s, f);
        break;
    }
    return check_cell(w, e, sheet, r, c);
}

int xlsx_put_formula_text(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                          lxw_row_t r, lxw_col_t c, const char *formula,
                          const char *result, lxw_format *f)
{
    char at[160];
    xlsx_cells *cs = xlsx_wb_cells_of(w, ws);
    if (cs) {
        xlsx_cells_formula_text(cs, r, c, formula, result, xlsx_xf(f));
        return 0;
    }
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

/* The text form of a length in hundredths (a row's height in the XML):
 * "27", "39.5", "12.25". */
void xlsx_hundredths_text(long v, char *buf)
{
    scaled_text(v, 2, buf);
}

/* ---- The same cells as XML (deferred rows, xlsx_zip.c) ------------------ */

/* A cell's opening tag: <c r="B7" s="3"[ t="…"]. */
int xlsx_xf(const lxw_format *f)
{
    if (!f)
        return 0;
    int32_t idx = f->xf_index;
    if (idx == LXW_PROPERTY_UNSET)
        idx = lxw_format_get_xf_index((lxw_format *)f);
    return idx;
}

/* A cell's opening tag: <c r="B7" s="3"[ t="…"]. */
void xlsx_xml_style(xlsx_xml *x, lxw_col_t c, int xf, const char *t)
{
    xlsx_xml_cell(x, c);
    if (xf > 0) { /* libxlsxwriter leaves out the default style's 0 */
        char b[24];
        size_t k = 4;
        memcpy(b, " s=\"", 4);
        if (xf < 10) {
            b[k++] = (char)('0' + xf);
        } else if (xf < 100) {
            b[k++] = (char)('0' + xf / 10);
            b[k++] = (char)('0' + xf % 10);
        } else {
            scaled_text(xf, 0, b + 4);
            k = strlen(b);
        }
        b[k++] = '"';
        xlsx_xml_put(x, b, k);
    }
    if (t) {
        xlsx_xml_put(x, " t=\"", 4);
        xlsx_xml_puts(x, t);
        xlsx_xml_put(x, "\"", 1);
    }
}

/* A number cell holding the decimal `text`. */
void xlsx_xml_number(xlsx_xml *x, lxw_col_t c, const char *text, int xf)
{
    xlsx_xml_style(x, c, xf, NULL);
    xlsx_xml_put(x, "><v>", 4);
    xlsx_xml_puts(x, text);
    xlsx_xml_put(x, "</v></c>", 8);
}

/* "Verifikationer!H7" for messages, from the row being written. */
static void xml_where(char *buf, size_t size, const xlsx_xml *x,
                      const char *sheet, lxw_col_t c)
{
    char col[8];
    lxw_col_to_name(col, c, 0);
    size_t rl;
    const char *rn = xlsx_xml_rownum(x, &rl);
    snprintf(buf, size, "%s!%s%.*s", sheet, col, (int)rl, rn);
}

static int xml_too_long(xlsx_wb *w, const xlsx_xml *x, const char *sheet,
                        lxw_col_t c, const char *shown)
{
    char at[160];
    xml_where(at, sizeof at, x, sheet, c);
    return refuse_too_long(w, at, shown);
}

int xlsx_xml_amount(xlsx_wb *w, xlsx_xml *x, const char *sheet, lxw_col_t c,
                    const dec_t *v, int xf)
{
    /* The exact decimal itself: a reader converts it to the double
     * xlsx_put_amount would write (the one nearest to it). */
    int64_t ore;
    char text[XLSX_NUMBER_TEXT];
    if (dec_get_i64(v, &ore) == 0 && xlsx_cell_text(ore, 2, text) == 0) {
        xlsx_xml_number(x, c, text, xf);
        return 0;
    }
    char *s = dec_to_string(v);
    int sig = plain_significant(s);
    int rc = 0;
    if (sig < 0 || sig > XLSX_MAX_SIGNIFICANT) {
        char *shown = dec_format_kr(v);
        rc = xml_too_long(w, x, sheet, c, shown);
        free(shown);
    } else {
        xlsx_xml_number(x, c, s, xf);
    }
    free(s);
    return rc;
}

int xlsx_xml_integer(xlsx_wb *w, xlsx_xml *x, const char *sheet,
                     lxw_col_t c, long long v, int xf)
{
    char text[XLSX_NUMBER_TEXT];
    if (xlsx_cell_text(v, 0, text) != 0)
        return xml_too_long(w, x, sheet, c, text);
    xlsx_xml_number(x, c, text, xf);
    return 0;
}

int xlsx_xml_date(xlsx_wb *w, xlsx_xml *x, const char *sheet, lxw_col_t c,
                  date_t d, int xf)
{
    return xlsx_xml_integer(w, x, sheet, c, (long long)d + EXCEL_DAY_1970,
                            xf);
}

int xlsx_xml_text(xlsx_wb *w, xlsx_xml *x, const char *sheet, lxw_col_t c,
                  const char *s, int xf)
{
    switch (text_rule(s, xf > 0)) {
    case TEXT_NONE:
        return 0;
    case TEXT_BLANK:
        xlsx_xml_style(x, c, xf, NULL);
        xlsx_xml_put(x, "/>", 2);
        return 0;
    case TEXT_TOO_LONG: {
        char at[160];
        xml_where(at, sizeof at, x, sheet, c);
        return xlsx_check(w, LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED, at);
    }
    case TEXT_STRING:
        break;
    }
    /* libxlsxwriter's own escaping, as for its inline strings: control
     * characters as _xHHHH_, then & < > as entities; leading or trailing
     * white space kept with xml:space="preserve". Most texts need none of
     * it and are copied as they are. */
    int ctl = 0, ent = 0;
    size_t len = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++, len++) {
        if (*p < 0x20)
            ctl = 1;
        else if (*p == '&' || *p == '<' || *p == '>')
            ent = 1;
    }
    char *c1 = ctl ? lxw_escape_control_characters(s) : NULL;
    const char *t = c1 ? c1 : s;
    char *c2 = ent || ctl ? lxw_escape_data(t) : NULL;
    if ((ctl && !c1) || ((ent || ctl) && !c2)) {
        free(c1);
        free(c2);
        char at[160];
        xml_where(at, sizeof at, x, sheet, c);
        return xlsx_check(w, LXW_ERROR_MEMORY_MALLOC_FAILED, at);
    }
    size_t tl = c1 ? strlen(t) : len;
    int keep = isspace((unsigned char)t[0]) || isspace((unsigned char)t[tl - 1]);
    xlsx_xml_style(x, c, xf, "inlineStr");
    if (keep)
        xlsx_xml_put(x, "><is><t xml:space=\"preserve\">", 29);
    else
        xlsx_xml_put(x, "><is><t>", 8);
    if (c2)
        xlsx_xml_puts(x, c2);
    else
        xlsx_xml_put(x, s, len);
    xlsx_xml_put(x, "</t></is></c>", 13);
    free(c1);
    free(c2);
    return 0;
}
