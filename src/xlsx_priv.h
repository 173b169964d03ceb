/*
 * xlsx_priv - what the workbook writer's files share (not for callers:
 * they use xlsx.h).
 *
 *   xlsx_cell.c   the one double conversion and the cell writers
 *   xlsx_style.c  the formats (fonts, borders, number formats)
 *   xlsx_book.c   opening/closing a workbook: properties, atomic rename
 *   xlsx_sheet.c  a sheet's page setup, title rows, widths, names
 *   xlsx_table.c  a report table as rows of values and live formulas
 *   xlsx_journal.c the journal (Verifikationer), streamed from the book
 *   xlsx_zip.c    the journal's rows put into libxlsxwriter's package
 *   xlsx_budget.c, xlsx_annual.c  the two workbooks
 *
 * Every sheet is written strictly in row order (never going back to an
 * earlier row) and without merged cells, so the same code works in
 * libxlsxwriter's constant-memory mode.
 */
#ifndef SAMLA_XLSX_PRIV_H
#define SAMLA_XLSX_PRIV_H

#include <string.h>

#include <xlsxwriter.h>

#include "report.h"
#include "xlsx.h"

/* How a row is styled. */
typedef enum {
    XS_LINE = 0, /* an ordinary line */
    XS_SUB,      /* a subtotal */
    XS_TOTAL,    /* a total */
    XS_RESULT,   /* a result (a difference of totals): double rule below */
    XS_NROW
} xlsx_rowstyle;

/* What a cell holds. */
typedef enum {
    XC_LABEL = 0, /* the label column (level 0) */
    XC_CODE,      /* the code column */
    XC_AMOUNT,
    XC_PERCENT,
    XC_TEXT,
    XC_DATE,
    XC_INTEGER,
    XC_NCELL
} xlsx_cellstyle;

#define XLSX_MAX_LEVEL 3

typedef struct {
    lxw_format *cell[XS_NROW][XC_NCELL];
    lxw_format *label_level[XLSX_MAX_LEVEL + 1]; /* LINE labels indented */
    lxw_format *title, *subtitle, *unitline, *caption;
    lxw_format *head, *head_num;  /* column headings (label / numeric) */
    lxw_format *head_text;        /* heading of a text data column */
    lxw_format *head_center;      /* heading of a date column */
    lxw_format *section;          /* a HEADING row's label */
    lxw_format *note, *warn;      /* footnotes; warnings */
    lxw_format *warn_label;       /* a LINE label flagged WARN */
    lxw_format *amount_plain;     /* an amount outside a table (kr/tkr) */
} xlsx_styles;

/* A worksheet's XML being deflated into the package (xlsx_zip.c). */
typedef struct xlsx_xml xlsx_xml;
struct xlsx_wb;

/* Rows of a sheet that samla writes itself, after libxlsxwriter has
 * written the rest of the workbook (xlsx_zip.c): the rows go at the end of
 * the sheet's sheetData. */
typedef struct {
    unsigned sheet_no;   /* the part xl/worksheets/sheetN.xml */
    char dimension[48];  /* the sheet's used range with the rows, "A1:M99" */
    /* Write the rows (xlsx_xml_row and the xlsx_xml_* cell writers);
     * returns 0, or -1 with the failure recorded in w. */
    int (*rows)(struct xlsx_wb *w, xlsx_xml *x, void *ctx);
    void *ctx;
    void (*free_ctx)(void *ctx);
} xlsx_deferred;

/* The cells of a sheet that samla writes itself (xlsx_cells.c). */
typedef struct xlsx_cells xlsx_cells;
struct xlsx_wb_cells {
    lxw_worksheet *ws;
    xlsx_cells *cs; /* NULL: libxlsxwriter's cells */
};

/* One workbook being written. */
typedef struct xlsx_wb {
    lxw_workbook *wb;
    diag_list *dl;
    const char *path; /* the file asked for (messages) */
    char *tmp;        /* the temporary file actually written */
    int tmp_fd;       /* its descriptor (created O_EXCL|O_NOFOLLOW), or -1 */
    int failed;       /* an error has been added to dl: do not keep the file */
    dec_unit unit;    /* DEC_KR or DEC_TKR */
    date_t report_date;
    const book *b;
    xlsx_styles st;
    xlsx_deferred *defer; /* rows written at close (xlsx_wb_defer) */
    size_t ndefer;
    struct xlsx_wb_cells *cells; /* per sheet (by libxlsxwriter's index):
                                    the cells samla writes (xlsx_cells.c) */
    size_t ncells;
} xlsx_wb;

/* ---- xlsx_book.c ------------------------------------------------------- */

/* Open a workbook that will become `path`: properties (title, subject,
 * author/company = the organisation, created = $SOURCE_DATE_EPOCH or now),
 * formats. Returns 0, or -1 with an error in dl. */
int xlsx_wb_open(xlsx_wb *w, const book *b, const char *path,
                 const char *title, const char *subject, int constant_memory,
                 dec_unit unit, date_t report_date, diag_list *dl);
/* Close (libxlsxwriter writes the file then) and rename it into place, or
 * remove it when anything failed. Returns SAMLA_OK, SAMLA_EDATA or
 * SAMLA_EIO. Frees everything the workbook holds. */
int xlsx_wb_close(xlsx_wb *w);
/* Record a failure (Swedish message) once per workbook. */
void xlsx_fail(xlsx_wb *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Check a libxlsxwriter result; records a failure naming `what`. */
int xlsx_check(xlsx_wb *w, lxw_error e, const char *what);
/* Have sheet ws's rows below those libxlsxwriter holds written by
 * d->rows when the workbook is closed (d is copied; the workbook frees
 * d->ctx with d->free_ctx, written or not). */
void xlsx_wb_defer(xlsx_wb *w, lxw_worksheet *ws, const xlsx_deferred *d);
/* The store of ws's cells, or NULL when libxlsxwriter keeps them. */
xlsx_cells *xlsx_wb_cells_of(const xlsx_wb *w, const lxw_worksheet *ws);
/* ws's cells are samla's (`own`) or libxlsxwriter's; before any cell of
 * it is written. */
void xlsx_wb_cells_own(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                       int own);
/* Define a workbook-wide name for an absolute range on a sheet. */
void xlsx_define_name(xlsx_wb *w, const char *name, const char *sheet,
                      lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2);

/* ---- xlsx_style.c ------------------------------------------------------ */

void xlsx_styles_init(xlsx_wb *w);

/* ---- xlsx_cell.c ------------------------------------------------------- */

/* True when the plain decimal string can be written exactly in a cell
 * (xlsx_cell_number accepts it). */
int xlsx_number_fits(const char *decimal);
/* Write an exact amount (kr) at (r, c); with `formula` (not NULL) a live
 * formula whose stored result is the amount. Returns 0 or -1 (failure
 * recorded: too many significant digits, or a libxlsxwriter error). */
int xlsx_put_amount(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                    lxw_row_t r, lxw_col_t c, const dec_t *v,
                    const char *formula, lxw_format *f);
/* A ratio num/den (den ≠ 0) as a fraction (1 = 100 %), value or formula. */
int xlsx_put_ratio(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                   lxw_row_t r, lxw_col_t c, const dec_t *num,
                   const dec_t *den, const char *formula, lxw_format *f);
/* A whole number. */
int xlsx_put_integer(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                     lxw_row_t r, lxw_col_t c, long long v, lxw_format *f);
/* A date as a spreadsheet date (serial day number) shown by f. */
int xlsx_put_date(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                  lxw_row_t r, lxw_col_t c, date_t d, lxw_format *f);
/* Text, always a string cell (a leading = + - @ is never a formula).
 * NULL or "" writes a blank cell when f is given (for borders), else
 * nothing. */
int xlsx_put_text(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                  lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f);
/* A formula with a text result (e.g. "" for a percent of a zero base). */
int xlsx_put_formula_text(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                          lxw_row_t r, lxw_col_t c, const char *formula,
                          const char *result, lxw_format *f);

/* The same cells as XML into a sheet's deferred rows (xlsx_deferred):
 * the same values, texts and rules as the xlsx_put_* writers above give
 * through libxlsxwriter. Start each row with xlsx_xml_row, end it with
 * xlsx_xml_row_end; cells in column order. A format is given by its style
 * index (xlsx_xf, taken before the workbook is closed: libxlsxwriter frees
 * the formats when it closes). */
int xlsx_xf(const lxw_format *f);
void xlsx_xml_row(xlsx_xml *x, lxw_row_t r, long height_cpt /* 0: default */);
void xlsx_xml_row_end(xlsx_xml *x);
int xlsx_xml_amount(xlsx_wb *w, xlsx_xml *x, const char *sheet, lxw_col_t c,
                    const dec_t *v, int xf);
int xlsx_xml_integer(xlsx_wb *w, xlsx_xml *x, const char *sheet,
                     lxw_col_t c, long long v, int xf);
int xlsx_xml_date(xlsx_wb *w, xlsx_xml *x, const char *sheet, lxw_col_t c,
                  date_t d, int xf);
int xlsx_xml_text(xlsx_wb *w, xlsx_xml *x, const char *sheet, lxw_col_t c,
                  const char *s, int xf);

/* Write a number cell holding the plain decimal `text` (at most
 * XLSX_MAX_SIGNIFICANT significant digits: checked by the caller). */
void xlsx_xml_number(xlsx_xml *x, lxw_col_t c, const char *text, int xf);
/* A cell's opening tag: <c[ r="…"][ s="xf"][ t="t"] (t NULL: none). */
void xlsx_xml_style(xlsx_xml *x, lxw_col_t c, int xf, const char *t);

/* ---- xlsx_cells.c ------------------------------------------------------ */

/* A sheet's cells kept by samla and written as XML at close (see the top
 * of xlsx_cells.c). The xlsx_put_* writers record into the sheet's store
 * when it has one (xlsx_wb_cells_of). Values are the cells' exact texts:
 * a number's plain decimal, a string as given, a formula without '='. */
xlsx_cells *xlsx_cells_new(const char *sheet);
void xlsx_cells_free(xlsx_cells *cs);
void xlsx_cells_number(xlsx_cells *cs, lxw_row_t r, lxw_col_t c,
                       const char *decimal, const char *formula, int xf);
void xlsx_cells_string(xlsx_cells *cs, lxw_row_t r, lxw_col_t c,
                       const char *s, int xf);
void xlsx_cells_blank(xlsx_cells *cs, lxw_row_t r, lxw_col_t c, int xf);
void xlsx_cells_formula_text(xlsx_cells *cs, lxw_row_t r, lxw_col_t c,
                             const char *formula, const char *result, int xf);
void xlsx_cells_height(xlsx_cells *cs, lxw_row_t r, long cpt);
/* Hand the cells to the workbook's close: written into the sheet's
 * sheetData by the splice (xlsx_zip.c); cs is freed with the workbook. */
void xlsx_cells_defer(struct xlsx_wb *w, lxw_worksheet *ws, xlsx_cells *cs);

/* ---- xlsx_zip.c -------------------------------------------------------- */

/* Append bytes to the sheet's XML. */
void xlsx_xml_put_more(xlsx_xml *x, const char *s, size_t n);
void xlsx_xml_puts(xlsx_xml *x, const char *s);
/* The free room of the chunk being filled: the first member of an
 * xlsx_xml, so that the common case of xlsx_xml_put (it fits) is a copy
 * the compiler can inline (a row is some sixty small pieces). */
typedef struct {
    unsigned char *p, *end;
} xlsx_xml_room;
static inline void xlsx_xml_put(xlsx_xml *x, const char *s, size_t n)
{
    xlsx_xml_room *r = (xlsx_xml_room *)(void *)x;
    if ((size_t)(r->end - r->p) > n) {
        memcpy(r->p, s, n);
        r->p += n;
    } else {
        xlsx_xml_put_more(x, s, n);
    }
}
/* Start a cell of the row being written: "<c", with its reference when it
 * does not follow the previous cell of the row. */
void xlsx_xml_cell(xlsx_xml *x, lxw_col_t c);
/* The row being written (set by xlsx_xml_row): its number as text. */
const char *xlsx_xml_rownum(const xlsx_xml *x, size_t *len);
/* Rewrite the package libxlsxwriter wrote to fd with the deferred rows of
 * w put into their sheets. Returns 0, or -1 with the failure recorded. */
int xlsx_zip_splice(xlsx_wb *w, int fd);

/* ---- xlsx_sheet.c ------------------------------------------------------ */

#define XLSX_MAX_COLS 48

/* One worksheet being written, top to bottom. */
typedef struct {
    xlsx_wb *w;
    lxw_worksheet *ws;
    char name[160];       /* the sheet's name (≤ 31 characters) */
    lxw_row_t row;        /* the next row to write */
    int has_code;         /* column A holds codes; labels are in B */
    lxw_col_t label_col;  /* the label column */
    lxw_col_t data_col;   /* the first data column */
    lxw_col_t ncols;      /* columns used */
    int frozen;           /* panes frozen below the first heading row */
    int landscape;
    unsigned width[XLSX_MAX_COLS]; /* wanted widths, in characters */
    unsigned minw[XLSX_MAX_COLS];  /* a column whose text wraps may be
                                      narrowed to this (0: it may not) */
    long extra_cpt;       /* rows' heights beyond the default, summed,
                           * in hundredths of a point */
} xlsx_sheet;

/* Printing: every text is at least XLSX_FONT_PT (10 pt) in the workbook,
 * and a sheet is fitted to the page's width at a scale of at least
 * XLSX_MIN_PT / XLSX_FONT_PT, so nothing prints below 8 pt: the writer
 * narrows columns whose text wraps until the sheet is narrow enough
 * (xlsx_sheet_fit). Sheets are scaled to the width, never to the height
 * (long sheets continue on further pages with their headings repeated). */
#define XLSX_FONT_PT 10
#define XLSX_MIN_PT 8
#define XLSX_ROW_CPT 1300 /* the default row height, 13 pt (10 pt text),
                           * in hundredths of a point */

/* Add a sheet named `name` (shortened to 31 characters if needed, and
 * made unique), with the page setup of a printed report: A4, landscape
 * or portrait, one page wide, header (organisation, title, report date)
 * and footer (sheet name, "Sida &P av &N"). `has_code` puts codes in
 * column A. Returns 0 or -1. */
int xlsx_sheet_open(xlsx_sheet *s, xlsx_wb *w, const char *name,
                    const char *doc_title, int landscape, int has_code);
/* The sheet's cells go through libxlsxwriter rather than samla's own
 * writer (xlsx_cells.c): for a sheet a chart reads (libxlsxwriter fills the
 * chart's cached values from its cells) and for the journal (its rows are
 * deferred). Call right after xlsx_sheet_open. */
void xlsx_sheet_library_cells(xlsx_sheet *s);
/* The title rows: title (large, bold), subtitle, a line saying the unit,
 * then an empty row. Any may be NULL. */
void xlsx_sheet_title(xlsx_sheet *s, const char *title, const char *subtitle,
                      const char *unitline);
/* The same with a warning line (NULL: none) below the unit's. */
void xlsx_sheet_title_warn(xlsx_sheet *s, const char *title,
                           const char *subtitle, const char *unitline,
                           const char *warning);
/* A line of text at the next row in format f (NULL = note style). */
void xlsx_sheet_text(xlsx_sheet *s, const char *text, lxw_format *f);
/* Skip n empty rows. */
void xlsx_sheet_skip(xlsx_sheet *s, unsigned n);
/* A low empty row: the space between two tables. */
void xlsx_sheet_gap(xlsx_sheet *s);
/* Freeze the panes below row `head` (0-based; the heading row) and right
 * of the label column, and repeat rows first..head on every printed page.
 * Only the first call has an effect. */
void xlsx_sheet_freeze(xlsx_sheet *s, lxw_row_t first, lxw_row_t head);
/* Widen column c to at least `chars` characters. */
void xlsx_sheet_want(xlsx_sheet *s, lxw_col_t c, unsigned chars);
/* Column c wraps its text and may be narrowed to `chars` (its longest
 * word, say) when the sheet is too wide for the page. */
void xlsx_sheet_wraps(xlsx_sheet *s, lxw_col_t c, unsigned chars);
/* Narrow the wrapping columns until the sheet prints at XLSX_MIN_PT or
 * more when fitted to the page's width. Call after every table of the sheet
 * is measured and before any row is written (rows are sized for the
 * widths). */
void xlsx_sheet_fit(xlsx_sheet *s);
/* Fit the sheet to one page when its height allows that at the scale its
 * width gives (the estimated height of its rows); else it stays one page
 * wide and as long as it needs. Call when the sheet is complete. */
void xlsx_sheet_one_page(xlsx_sheet *s);
/* Set row r's height (hundredths of a point), keeping the sheet's height
 * estimate. */
void xlsx_sheet_row_height(xlsx_sheet *s, lxw_row_t r, long cpt);
/* The width column c gets (characters). */
unsigned xlsx_sheet_colwidth(const xlsx_sheet *s, lxw_col_t c);
/* Lines `text` needs when wrapped at `width` characters. */
unsigned xlsx_wrap_lines(const char *text, unsigned width);
/* Make row r tall enough for `lines` lines of text (call before writing
 * the row's cells). */
void xlsx_sheet_row_lines(xlsx_sheet *s, lxw_row_t r, unsigned lines);
/* The height (hundredths of a point) of a row of `lines` lines of text;
 * 0 for one line (the default height). */
long xlsx_row_lines_cpt(unsigned lines);
/* Apply the widths. Call once, when the sheet is complete. */
void xlsx_sheet_close(xlsx_sheet *s);
/* A text as rows of at most the sheet's width (its columns), broken at
 * spaces, in format f (NULL = note style). */
void xlsx_sheet_lines(xlsx_sheet *s, const char *text, lxw_format *f);
/* The report's footnotes (and, in tkr, the rounding remark) as note rows. */
void xlsx_sheet_notes(xlsx_sheet *s, const report *r);

/* Width in characters of a UTF-8 string (code points). */
unsigned xlsx_utf8_width(const char *s);
/* "'Sheet name'!$C$5" style reference into buf. */
void xlsx_ref(char *buf, size_t size, const char *sheet, lxw_row_t r,
              lxw_col_t c, int absolute);

/* ---- xlsx_table.c ------------------------------------------------------ */

/* Where a report table ended up on its sheet. */
typedef struct {
    lxw_row_t head_row;   /* the column heading row */
    lxw_row_t *row_at;    /* row_at[i] = the sheet row of table row i */
    size_t nrows;
    lxw_col_t *col_at;    /* col_at[j] = the sheet column of table column j
                             (XLSX_SKIP: not shown) */
    int ncols;
} xlsx_placed;

void xlsx_placed_free(xlsx_placed *p);

/* A table column that a sheet does not show (xlsx_table_write_at). */
#define XLSX_SKIP ((lxw_col_t)0xFFFF)

/* Widen the sheet's columns for table t. Call for every table of a sheet
 * before writing any (the layout is shared). */
void xlsx_table_measure(xlsx_sheet *s, const report_table *t);
/* Write table t at the sheet's next row: caption, heading row, rows with
 * values and live formulas. Fills *p (may be NULL). Returns 0 or -1. */
int xlsx_table_write(xlsx_sheet *s, const report_table *t, xlsx_placed *p);
/* The same with table column j in sheet column place[j], or not shown
 * (XLSX_SKIP); NULL = one after another from the first data column. A
 * derived cell whose terms are not all on the sheet is written as its
 * value. Measure with the same placement. */
void xlsx_table_measure_at(xlsx_sheet *s, const report_table *t,
                           const lxw_col_t *place);
int xlsx_table_write_at(xlsx_sheet *s, const report_table *t,
                        const lxw_col_t *place, xlsx_placed *p);
/* Write every table of r, with an empty row between them, then its notes.
 * `placed` (may be NULL) gets r->ntables entries. */
int xlsx_report_write(xlsx_sheet *s, const report *r, xlsx_placed *placed);

/* Find a row of t by label (exact), at or after `from`; (size_t)-1 if none. */
size_t xlsx_find_row(const report_table *t, const char *label, size_t from);
/* Find the result row (the first TOTAL row = +a −b [−c …]); (size_t)-1 if
 * none. */
size_t xlsx_find_result(const report_table *t);
/* Find a column by key; -1 if none. */
int xlsx_find_col(const report_table *t, const char *key);

/* ---- xlsx_journal.c ---------------------------------------------------- */

/* The journal of `year` (entries in voucher order) on one or more sheets
 * "Verifikationer", "Verifikationer 2", … with an autofilter, at most
 * rows_per_sheet entries each (0 = a sheet's capacity). */
int xlsx_journal_write(xlsx_wb *w, int year, size_t rows_per_sheet,
                       const char *doc_title);
/* Number of journal entries of `year`. */
size_t xlsx_journal_count(const book *b, int year);

#endif
