/*
 * report - the report engine's table model.
 *
 * Every report (balance, result, surplus, earmarks, budget, activity, list)
 * is computed ONCE into a `report`: plain tables of exact values, with no
 * knowledge of how they will be shown. Renderers (render.h: terminal, CSV,
 * JSON; the workbook writer) only read it. Nothing here is ever a double:
 * amounts are dec_t (öre on GMP) and percentages are the exact ratio of two
 * amounts.
 *
 * Besides values the table carries its STRUCTURE, so that a spreadsheet
 * writer can emit live formulas instead of constants:
 *
 *   - a row formula (report_row.terms): the row is Σ sign·row_i over other
 *     rows of the same table. Subtotals and totals list the rows they sum
 *     (+1 each); a result row is "income total − cost total" (+1, −1);
 *     closing surplus is "opening + result".
 *   - a column definition (report_column.def): a derived column is either
 *     LINEAR (Σ sign·column_i, plus an optional per-cell constant, e.g.
 *     Prognos = Utfall hittills + the remaining quarters' budget;
 *     Avvikelse = Budget − Prognos; a row-total column Summa = Q1+…+Q4) or
 *     RATIO (column num / column den, a percent column such as
 *     Utfall % = Utfall hittills / Budget).
 *   - each cell says where its value comes from (report_src): a constant
 *     (VALUE), the row's formula (ROW) or the column's definition (COLUMN).
 *     So a line with an entered forecast is a VALUE in the Prognos column
 *     while the other lines are COLUMN, and the Prognos of a total row is
 *     ROW (the sum of the lines' forecasts).
 *
 * Computations fill only the VALUE cells (and addends) and then call
 * report_table_evaluate, which computes every ROW and COLUMN cell exactly
 * from the structure. A formula written from the structure therefore gives,
 * by construction, exactly the value the tool prints.
 *
 * Ownership: a report owns all its tables, strings and cells; report_free
 * frees everything. Strings passed in are copied.
 */
#ifndef SAMLA_REPORT_H
#define SAMLA_REPORT_H

#include <stddef.h>

#include "date.h"
#include "dec.h"

/* What a column holds; the renderers format by it (only AMOUNT columns are
 * scaled by --unit). */
typedef enum {
    REPORT_COL_AMOUNT = 0, /* money, exact dec_t */
    REPORT_COL_PERCENT,    /* a ratio of two amounts, shown as a percentage */
    REPORT_COL_TEXT,
    REPORT_COL_DATE,
    REPORT_COL_INTEGER
} report_col_kind;

/* The role of a row; renderers style by it (headings and totals bold, a
 * rule above totals, blank rows as spacing, notes as free text). */
typedef enum {
    REPORT_ROW_LINE = 0, /* an ordinary line (an account, activity, entry …) */
    REPORT_ROW_SUBTOTAL, /* sums some line rows (e.g. one activity's accounts) */
    REPORT_ROW_TOTAL,    /* a total or a result (sums/differences of rows) */
    REPORT_ROW_HEADING,  /* section heading: label only, no cells */
    REPORT_ROW_BLANK,    /* spacing: no label, no cells */
    REPORT_ROW_NOTE      /* a line of text in the label, no cells */
} report_row_kind;

/* What a cell holds. */
typedef enum {
    REPORT_CELL_EMPTY = 0, /* nothing (also: a percent of a zero base) */
    REPORT_CELL_AMOUNT,    /* .amount */
    REPORT_CELL_PERCENT,   /* .amount / .den, den ≠ 0; 100 % = equal amounts */
    REPORT_CELL_TEXT,      /* .text */
    REPORT_CELL_DATE,      /* .date */
    REPORT_CELL_INTEGER    /* .integer */
} report_cell_kind;

/* Where a cell's value comes from (what a workbook writes into the cell). */
typedef enum {
    REPORT_SRC_VALUE = 0, /* a constant: write the value */
    REPORT_SRC_ROW,       /* the row's formula applied to this column */
    REPORT_SRC_COLUMN     /* the column's definition applied to this row */
} report_src;

/*
 * One cell. Every cell has its dec_t fields initialised (report_add_row
 * does it), so a cell can be set and reset freely.
 *   amount  AMOUNT: the value. PERCENT: the numerator.
 *   den     PERCENT: the denominator (never zero; a ratio over a zero base
 *           is left EMPTY, and a workbook should write IF(den=0;"";num/den)).
 *   addend  for a COLUMN cell of a LINEAR column when has_addend: a
 *           constant added to the column terms (e.g. the budget of the
 *           quarters after --at, in Prognos = Utfall hittills + addend).
 */
typedef struct {
    report_cell_kind kind;
    report_src src;
    dec_t amount, den, addend;
    int has_addend;
    int flip;           /* a LINEAR COLUMN cell whose column terms count with
                           the opposite sign (the addend keeps its own): a
                           deviation defined as outcome − budget is budget −
                           outcome on a cost line, so that a positive
                           deviation is always favourable */
    char *text;         /* TEXT (owned) */
    date_t date;        /* DATE */
    long long integer;  /* INTEGER */
} report_cell;

/* A term of a row formula: sign (+1 or −1) times row `row` of the same
 * table, which must come before the row that uses it. */
typedef struct {
    size_t row;
    int sign;
} report_rowterm;

/* A term of a column definition: sign (+1 or −1) times column `col` of the
 * same row, which must come before the derived column. */
typedef struct {
    int col;
    int sign;
} report_colterm;

typedef enum {
    REPORT_DEF_NONE = 0, /* not derived: cells are VALUE or ROW */
    REPORT_DEF_LINEAR,   /* Σ sign·col_i (+ the cell's addend) */
    REPORT_DEF_RATIO     /* col num / col den (a PERCENT column) */
} report_def_kind;

/* How a derived column is defined over the other columns of its row. */
typedef struct {
    report_def_kind kind;
    report_colterm *terms; /* LINEAR (owned) */
    size_t nterms;
    int num, den;          /* RATIO: column indices */
} report_coldef;

/* One column. `key` is a stable ASCII name for programs (JSON keys, tests):
 * e.g. "budget", "q1", "to_date", "forecast", "deviation", "pct", "total". */
typedef struct {
    char *key;
    char *heading; /* Swedish heading as shown, e.g. "Prognos helår" */
    report_col_kind kind;
    report_coldef def;
    int priority;  /* how readily a narrow terminal leaves the column out:
                      0 never, higher numbers first (render_term) */
} report_column;

/* Row flags. */
enum {
    REPORT_FLAG_WARN = 1 /* something the reader must see (overdrawn …):
                            shown in red/bold where colour is allowed */
};

/*
 * One row. `code` is an optional short key shown in its own column
 * (account number, activity or funder code); NULL when none. `level` is the
 * indentation (0 = top; detail accounts under an activity are 1).
 * `terms` is the row formula (see the top of this file); empty for rows
 * without one. cells[] has one cell per column of the table.
 */
typedef struct {
    report_row_kind kind;
    char *code, *label;
    int level;
    unsigned flags;
    report_rowterm *terms;
    size_t nterms, termcap;
    report_cell *cells;
} report_row;

/*
 * One table: a caption (may be NULL), the headings of the label and code
 * columns (label_heading e.g. "Verksamhet"; code_heading NULL when the
 * table has no code column), the data columns, and the rows. All columns
 * must be added before the first row.
 */
typedef struct {
    char *caption;
    char *label_heading, *code_heading;
    report_column *cols;
    int ncols, colcap;
    report_row *rows;
    size_t nrows, rowcap;
} report_table;

/* A footnote's kind: INFO (explanations, e.g. "Avrundningsdifferenser kan
 * förekomma."), WARNING (overdrawn or expired earmarks …), ROUNDING (where
 * rounded parts do not add up to a rounded total). */
typedef enum {
    REPORT_NOTE_INFO = 0,
    REPORT_NOTE_WARNING,
    REPORT_NOTE_ROUNDING
} report_note_kind;

typedef struct {
    report_note_kind kind;
    char *text; /* Swedish, one paragraph, no trailing newline */
} report_note;

/*
 * A report: title (e.g. "Resultaträkning 2025"), the header facts (the
 * organisation, the period's label, the date it is "per") and the subtitle
 * made from them ("Vårdsamverkan SAMLA, 2025, per 2026-01-15"), a machine
 * name `kind` ("result", "budget" …), the tables in order, and footnotes.
 */
typedef struct {
    char *kind;
    char *title, *subtitle;
    char *organisation, *period;
    date_t as_of; /* DATE_NONE when not given */
    report_table **tables;
    size_t ntables, tablecap;
    report_note *notes;
    size_t nnotes, notecap;
} report;

/* ---- Building ---------------------------------------------------------- */

/* A new, empty report (never NULL; aborts when out of memory). */
report *report_new(const char *kind, const char *title);
void report_free(report *r);

/* Set the header facts and build the subtitle "ORG, PERIOD, per DATE"
 * (parts that are NULL/DATE_NONE are left out). */
void report_set_header(report *r, const char *organisation, const char *period,
                       date_t as_of);
/* The same for a follow-up: "ORG, PERIOD. Utfall t.o.m. DATE" (the date
 * through which the outcome is counted). */
void report_set_header_through(report *r, const char *organisation,
                               const char *period, date_t through);

/* Append a footnote (printf-style, Swedish). */
void report_add_note(report *r, report_note_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Append a table; the pointer stays valid until report_free. */
report_table *report_add_table(report *r, const char *caption,
                               const char *label_heading,
                               const char *code_heading);

/* Append a column (before any row); returns its index. */
int report_add_column(report_table *t, const char *key, const char *heading,
                      report_col_kind kind);

/* How readily a narrow terminal leaves column `col` out (report_column). */
void report_col_priority(report_table *t, int col, int priority);

/* Make column `col` derived: LINEAR over `n` terms (copied), or RATIO
 * num/den. Only sets the definition; cells choose it with REPORT_SRC_COLUMN
 * (report_row_use_column). */
void report_col_linear(report_table *t, int col, const report_colterm *terms,
                       size_t n);
void report_col_ratio(report_table *t, int col, int num, int den);

/* Append a row; returns its index. Cells start EMPTY with src VALUE.
 * code/label may be NULL. */
size_t report_add_row(report_table *t, report_row_kind kind, const char *code,
                      const char *label, int level);

/* The cell at (row, col). */
report_cell *report_cell_at(report_table *t, size_t row, int col);
const report_cell *report_cell_get(const report_table *t, size_t row, int col);

/* Set a cell's value (src VALUE). */
void report_set_amount(report_table *t, size_t row, int col, const dec_t *v);
void report_set_text(report_table *t, size_t row, int col, const char *s);
void report_set_date(report_table *t, size_t row, int col, date_t d);
void report_set_integer(report_table *t, size_t row, int col, long long v);
/* A percent cell num/den; EMPTY when den is zero. */
void report_set_percent(report_table *t, size_t row, int col, const dec_t *num,
                        const dec_t *den);

/* Add a term to a row's formula. */
void report_row_add_term(report_table *t, size_t row, size_t other, int sign);
/* Add the rows first..last (inclusive) whose kind is `kind` as + terms
 * (e.g. every LINE row of a section). */
void report_row_sum_range(report_table *t, size_t row, size_t first,
                          size_t last, report_row_kind kind);
/* Mark every AMOUNT column of `row` whose column is not derived as computed
 * from the row formula (src ROW). */
void report_row_use_formula(report_table *t, size_t row);
/* Mark the cell (row, col) as computed from its column's definition (src
 * COLUMN); for LINEAR columns `addend` (may be NULL) is the constant part. */
void report_row_use_column(report_table *t, size_t row, int col,
                           const dec_t *addend);

/* Count the column terms of the COLUMN cell (row, col) with the opposite
 * sign (report_cell.flip). Call after report_row_use_column. */
void report_row_flip(report_table *t, size_t row, int col);

/*
 * Compute every ROW and COLUMN cell of the table exactly from the
 * structure, row by row and column by column (terms refer to earlier rows
 * and earlier columns). A ROW cell sums the same column of its term rows
 * (EMPTY terms count as zero; the cell is an AMOUNT). A LINEAR COLUMN cell
 * sums its term columns (negated when the cell is flipped) plus its
 * addend; a RATIO cell becomes PERCENT
 * num/den, or EMPTY when den is zero or EMPTY.
 */
void report_table_evaluate(report_table *t);
/* report_table_evaluate on every table. */
void report_evaluate(report *r);

/* ---- Reading (for renderers) -------------------------------------------- */

/* True if any row of the table has a code. */
int report_table_has_codes(const report_table *t);

/* True for the kinds of row that hold no cells (HEADING, BLANK, NOTE). */
int report_row_kind_cellless(report_row_kind k);

/* True when the row formula's terms are exactly +1 on each of the rows
 * first..last that are not HEADING/BLANK/NOTE rows, and nothing else
 * (so a workbook may write SUM(first:last)). */
int report_row_is_range(const report_table *t, size_t row, size_t *first,
                        size_t *last);

/*
 * A percent num/den rounded half away from zero to `decimals` decimals,
 * as a malloc'd string without the "%" sign: "23,5" with U+2212 for minus.
 * flags (dec.h): DEC_FMT_ASCII or DEC_FMT_PLAIN give '-' as minus,
 * DEC_FMT_POINT a decimal point ("23.5"). den must not be zero.
 * Exact (GMP integers): no floating point.
 */
char *report_percent_format(const dec_t *num, const dec_t *den, int decimals,
                            int flags);

/*
 * The rounding check of issue 3 item 4: with every AMOUNT shown rounded to
 * `decimals` of `unit`, find the formula cells (ROW cells, and LINEAR
 * COLUMN cells without an addend) whose rounded value differs from the same
 * formula applied to the rounded values of its parts. Appends one
 * REPORT_NOTE_ROUNDING note per table that has any, naming each row and its
 * columns, e.g. "Avrundningsdifferens: de avrundade delarna summerar inte
 * till den avrundade summan i Årets resultat (Belopp). Summor är avrundade
 * från exakta belopp." Returns the number of cells found.
 * Call it after report_evaluate and before rendering rounded figures (the
 * notes depend on the unit, so a workbook of exact values does not call it).
 * In kr with öre (unit DEC_KR, 2 decimals) nothing is rounded: returns 0.
 */
size_t report_rounding_notes(report *r, dec_unit unit, int decimals);

#endif
