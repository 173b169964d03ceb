/*
 * xlsx - the Excel workbooks (libxlsxwriter): the coordination group's
 * budget sheet and the annual accounts. docs/exports.md describes them.
 *
 * Both are renderers of the report engine's tables (reports.h): every
 * figure comes from a report computed exactly, and every total, derived
 * column and result is written as a live formula built from the table's
 * structure (report.h) together with the exact value the tool computed, so
 * a viewer that does not recalculate shows the right figures and one that
 * does gets the same figures again.
 *
 * Exactness: a cell is an IEEE double. The one place an exact amount
 * becomes a double is xlsx_cell_number (xlsx_cell.c); amounts with more
 * than 15 significant digits are refused there, and the export then fails
 * with a Swedish message naming the sheet and cell. Texts from the book
 * are always written as text, never as a formula.
 *
 * Files are written atomically (a temporary file in the same folder,
 * renamed over PATH) so a failed export never leaves a torn workbook. With
 * SOURCE_DATE_EPOCH set, the creation time is that instant and the output
 * is byte-identical run to run.
 */
#ifndef SAMLA_XLSX_H
#define SAMLA_XLSX_H

#include <stddef.h>

#include "book.h"
#include "date.h"
#include "dec.h"
#include "diag.h"

/* Options of an export; xlsx_opts_default gives the defaults. */
typedef struct {
    /* Display unit of amount cells: DEC_KR (öre shown) or DEC_TKR (whole
     * tkr shown). Cells always hold the exact amount in kr; the unit is
     * only the number format. -1 = the workbook's default (budget: tkr,
     * annual accounts: kr). */
    int unit;
    /* Journal rows per Verifikationer sheet before it continues on
     * "Verifikationer 2", …; 0 = as many as a sheet holds (1 048 575
     * below the heading row). Tests set it small. */
    size_t journal_rows_per_sheet;
    /* libxlsxwriter's constant-memory mode: -1 = automatic (on when the
     * journal has more than XLSX_CONSTANT_MEMORY_ROWS entries), 0 = off,
     * 1 = on. The writer emits every sheet in row order, so both modes
     * give the same cells. */
    int constant_memory;
    /* The report date printed in the page header and the title rows;
     * DATE_NONE = today (date_today, which honours $SAMLA_TODAY). */
    date_t report_date;
    /* Budget workbook: the outcome columns (PERIOD_BY_QUARTER, _TERTIAL or
     * _MONTH); PERIOD_BY_NONE = as the "per" period asks
     * (report_budget_by: tertials for 2026T2, else quarters). */
    period_by by;
} xlsx_opts;

/* Above this many journal rows the workbook is written in constant-memory
 * mode: libxlsxwriter then streams each row to disk instead of keeping the
 * whole sheet in memory (about 1 KiB per row otherwise). */
#define XLSX_CONSTANT_MEMORY_ROWS 50000

void xlsx_opts_default(xlsx_opts *o);

/*
 * "Budget och uppföljning YEAR": report_budget on one sheet (income per
 * funder and costs per activity with budget, outcome per period, budget
 * and outcome to date, forecast, deviations; the earmarks; the accumulated
 * surplus split into earmarked, bound grants and free) with live formulas,
 * a chart of budget against outcome per activity, and a sheet "Om
 * arbetsboken" with the technical notes; print-ready. `at` is the
 * follow-up period (its last day is the "utfall t.o.m." date); NULL = the
 * book's reported-through date (report_default_at). Returns SAMLA_OK, or
 * SAMLA_EDATA / SAMLA_EIO with the reason in dl; on failure PATH is left
 * as it was.
 */
samla_err xlsx_export_budget(const book *b, int year, const period_t *at,
                       const char *path, diag_list *dl);
samla_err xlsx_export_budget_opt(const book *b, int year, const period_t *at,
                           const char *path, const xlsx_opts *o,
                           diag_list *dl);

/*
 * "Årsbokslut YEAR": Resultaträkning, Kvartal, Finansiärer, Verksamheter,
 * "Eget kapital och öronmärkning", one specification sheet per activity
 * marked Specifikation=ja, and the journal (Verifikationer, continued on
 * further sheets when longer than a sheet). Returns as xlsx_export_budget.
 */
samla_err xlsx_export_annual(const book *b, int year, const char *path,
                       diag_list *dl);
samla_err xlsx_export_annual_opt(const book *b, int year, const char *path,
                           const xlsx_opts *o, diag_list *dl);

/*
 * THE conversion of an exact decimal number to a cell's double (the only
 * floating point in samla). `decimal` is a plain decimal string such as
 * "-1278204.72" (dec_to_string) or "0.2345678901": an optional '-', digits,
 * optionally '.' and digits. Returns 0 with *out set to the double nearest
 * to it, or -1 when it is malformed or has more than
 * XLSX_MAX_SIGNIFICANT significant digits (from the first to the last
 * non-zero digit), since a cell could not hold it exactly.
 */
#define XLSX_MAX_SIGNIFICANT 15
int xlsx_cell_number(const char *decimal, double *out);

/*
 * The same conversion for the number v / 10^decimals (decimals 0..2: a
 * count, a day number, an amount in öre), without the string when
 * |v| < 10^15: v and 10^decimals are then exact doubles and IEEE division
 * rounds correctly, so the result is the double nearest to the exact
 * value, bit for bit what xlsx_cell_number gives for its decimal string
 * (tests/unit/test_xlsx.c compares the two). Larger v go through the
 * string. Returns as xlsx_cell_number.
 */
int xlsx_cell_scaled(long long v, int decimals, double *out);

/*
 * The text of the number cell v / 10^decimals (decimals 0..2) in a sheet's
 * XML, for the rows samla writes itself (xlsx_zip.c): the exact decimal,
 * trailing zero decimals dropped ("-1234.5", "0.01", "0"), into buf (at
 * least XLSX_NUMBER_TEXT bytes). A reader converts it to the double nearest
 * to it, which is the double xlsx_cell_scaled gives (tests/unit/test_xlsx.c
 * compares the two), so both writers put the same value in a cell; no
 * floating point is involved here. Returns 0, or -1 when the number has
 * more than XLSX_MAX_SIGNIFICANT significant digits (buf still holds it,
 * for a message).
 */
#define XLSX_NUMBER_TEXT 32
int xlsx_cell_text(long long v, int decimals, char *buf);

/* A length in hundredths of a point or an inch, as libxlsxwriter's page
 * and row calls take it (v / 100). Lengths only; never an amount. */
double xlsx_hundredths(long v);
/* The same length as text ("27", "39.5"), for a sheet's XML; buf holds at
 * least XLSX_NUMBER_TEXT bytes. */
void xlsx_hundredths_text(long v, char *buf);

/*
 * The exact ratio num/den as a plain decimal string rounded half away from
 * zero to at most 10 decimals and at most XLSX_MAX_SIGNIFICANT significant
 * digits (fewer decimals for a large ratio), e.g. "0.2345678901" for
 * 23,45678901 %. den must not be zero. malloc'd.
 */
char *xlsx_ratio_string(const dec_t *num, const dec_t *den);

#endif
