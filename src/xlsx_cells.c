/*
 * xlsx_cells - the cells of a report sheet, written by samla as XML.
 *
 * libxlsxwriter keeps every cell in a tree and prints it with fprintf at
 * close; for the ten report sheets of a small book's annual workbook
 * (about 1 100 cells) that was some 9 M instructions, a quarter of the
 * export (docs/performance.md). So a sheet opened with xlsx_sheet_open
 * gives its cells to samla instead: xlsx_put_* (xlsx_cell.c) records each
 * cell here - its place, its style index, its exact text (the decimal of a
 * number, never a double), its formula - and row heights; at close the
 * cells are sorted by row and column and written through xlsx_xml_* into
 * the sheet's sheetData, as the journal's rows are (xlsx_zip.c). Everything
 * else of the sheet (columns, page setup, panes, names) is libxlsxwriter's.
 *
 * Two kinds of sheet keep libxlsxwriter's cells (xlsx_sheet_library_cells):
 * a sheet a chart reads (libxlsxwriter fills the chart's cached values
 * from its own cells) and the journal (its rows are deferred already).
 *
 * A cell written twice keeps the last write, as in libxlsxwriter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "xlsx_priv.h"

enum { CELL_NUMBER, CELL_STRING, CELL_BLANK, CELL_FORMULA_TEXT };

typedef struct {
    lxw_row_t row;
    lxw_col_t col;
    unsigned char kind;
    int xf;
    size_t seq;    /* order of writing: the last write of a cell wins */
    char *value;   /* a number's decimal, a string, a formula's text result */
    char *formula; /* NULL, or the formula (without '=') */
} cell;

typedef struct {
    lxw_row_t row;
    long cpt;
    size_t seq;
} height;

struct xlsx_cells {
    char sheet[160]; /* for messages */
    cell *v;
    size_t n, cap;
    height *h;
    size_t nh, caph;
};

xlsx_cells *xlsx_cells_new(const char *sheet)
{
    xlsx_cells *cs = mem_calloc(1, sizeof *cs);
    snprintf(cs->sheet, sizeof cs->sheet, "%s", sheet);
    return cs;
}

static void cells_free(void *ctx)
{
    xlsx_cells *cs = ctx;
    if (!cs)
        return;
    for (size_t i = 0; i < cs->n; i++) {
        free(cs->v[i].value);
        free(cs->v[i].formula);
    }
    free(cs->v);
    free(cs->h);
    free(cs);
}

void xlsx_cells_free(xlsx_cells *cs)
{
    cells_free(cs);
}

static cell *push(xlsx_cells *cs, lxw_row_t r, lxw_col_t c, int kind, int xf,
                  const char *value, const char *formula)
{
    mem_grow((void **)&cs->v, &cs->cap, cs->n + 1, sizeof *cs->v);
    cell *e = &cs->v[cs->n];
    e->row = r;
    e->col = c;
    e->kind = (unsigned char)kind;
    e->xf = xf;
    e->seq = cs->n++;
    e->value = value ? mem_strdup(value) : NULL;
    /* libxlsxwriter drops a formula's leading '=' as Excel stores it */
    if (formula && *formula == '=')
        formula++;
    e->formula = formula ? mem_strdup(formula) : NULL;
    return e;
}

void xlsx_cells_number(xlsx_cells *cs, lxw_row_t r, lxw_col_t c,
                       const char *decimal, const char *formula, int xf)
{
    push(cs, r, c, CELL_NUMBER, xf, decimal, formula);
}

void xlsx_cells_string(xlsx_cells *cs, lxw_row_t r, lxw_col_t c,
                       const char *s, int xf)
{
    push(cs, r, c, CELL_STRING, xf, s, NULL);
}

void xlsx_cells_blank(xlsx_cells *cs, lxw_row_t r, lxw_col_t c, int xf)
{
    push(cs, r, c, CELL_BLANK, xf, NULL, NULL);
}

void xlsx_cells_formula_text(xlsx_cells *cs, lxw_row_t r, lxw_col_t c,
                             const char *formula, const char *result, int xf)
{
    push(cs, r, c, CELL_FORMULA_TEXT, xf, result ? result : "", formula);
}

void xlsx_cells_height(xlsx_cells *cs, lxw_row_t r, long cpt)
{
    mem_grow((void **)&cs->h, &cs->caph, cs->nh + 1, sizeof *cs->h);
    cs->h[cs->nh].row = r;
    cs->h[cs->nh].cpt = cpt;
    cs->h[cs->nh].seq = cs->nh;
    cs->nh++;
}

static int by_place(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_row(const void *a, const void *b)
{
    const height *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Text escaped for XML data as libxlsxwriter escapes it (& < >), written
 * as it is when it needs none. */
static int put_escaped(xlsx_xml *x, const char *s)
{
    if (!strpbrk(s, "&<>")) {
        xlsx_xml_puts(x, s);
        return 0;
    }
    char *e = lxw_escape_data(s);
    if (!e)
        return -1;
    xlsx_xml_puts(x, e);
    free(e);
    return 0;
}

/* <c r="…" s="…"[ t="str"]><f>formula</f><v>value</v></c> */
static int put_formula(xlsx_wb *w, xlsx_xml *x, const xlsx_cells *cs,
                       const cell *e)
{
    xlsx_xml_style(x, e->col, e->xf, e->kind == CELL_FORMULA_TEXT ? "str"
                                                                   : NULL);
    xlsx_xml_put(x, "><f>", 4);
    int bad = put_escaped(x, e->formula);
    xlsx_xml_put(x, "</f><v>", 7);
    bad |= put_escaped(x, e->value);
    xlsx_xml_put(x, "</v></c>", 8);
    if (bad) {
        char at[200], ref[16];
        lxw_rowcol_to_cell(ref, e->row, e->col);
        snprintf(at, sizeof at, "%s!%s", cs->sheet, ref);
        return xlsx_check(w, LXW_ERROR_MEMORY_MALLOC_FAILED, at);
    }
    return 0;
}

static int put_cell(xlsx_wb *w, xlsx_xml *x, const xlsx_cells *cs,
                    const cell *e)
{
    if (e->formula)
        return put_formula(w, x, cs, e);
    switch (e->kind) {
    case CELL_NUMBER:
        xlsx_xml_number(x, e->col, e->value, e->xf);
        return 0;
    case CELL_BLANK:
        xlsx_xml_style(x, e->col, e->xf, NULL);
        xlsx_xml_put(x, "/>", 2);
        return 0;
    default:
        return xlsx_xml_text(w, x, cs->sheet, e->col, e->value, e->xf);
    }
}

/* The deferred rows of the sheet (xlsx_deferred.rows): every row that has
 * a cell or a height of its own, in order; in each, its cells in column
 * order, the last write of each. */
static int cells_rows(xlsx_wb *w, xlsx_xml *x, void *ctx)
{
    xlsx_cells *cs = ctx;
    qsort(cs->v, cs->n, sizeof *cs->v, by_place);
    qsort(cs->h, cs->nh, sizeof *cs->h, by_row);
    size_t i = 0, k = 0;
    while ((i < cs->n || k < cs->nh) && !w->failed) {
        lxw_row_t r = i < cs->n ? cs->v[i].row : cs->h[k].row;
        if (k < cs->nh && cs->h[k].row < r)
            r = cs->h[k].row;
        long cpt = 0;
        for (; k < cs->nh && cs->h[k].row == r; k++)
            cpt = cs->h[k].cpt; /* the last height set */
        xlsx_xml_row(x, r, cpt);
        for (; i < cs->n && cs->v[i].row == r; i++) {
            if (i + 1 < cs->n && cs->v[i + 1].row == r &&
                cs->v[i + 1].col == cs->v[i].col)
                continue; /* written again later */
            if (put_cell(w, x, cs, &cs->v[i]) != 0)
                return -1;
        }
        xlsx_xml_row_end(x);
    }
    return w->failed ? -1 : 0;
}

void xlsx_cells_defer(xlsx_wb *w, lxw_worksheet *ws, xlsx_cells *cs)
{
    /* The used range, as libxlsxwriter states it: the first to the last
     * row and column holding a cell ("A1" for none). */
    xlsx_deferred d;
    memset(&d, 0, sizeof d);
    if (cs->n == 0) {
        snprintf(d.dimension, sizeof d.dimension, "A1");
    } else {
        lxw_row_t r0 = cs->v[0].row, r1 = r0;
        lxw_col_t c0 = cs->v[0].col, c1 = c0;
        for (size_t i = 1; i < cs->n; i++) {
            const cell *e = &cs->v[i];
            r0 = e->row < r0 ? e->row : r0;
            r1 = e->row > r1 ? e->row : r1;
            c0 = e->col < c0 ? e->col : c0;
            c1 = e->col > c1 ? e->col : c1;
        }
        char a[16], b[16];
        lxw_rowcol_to_cell(a, r0, c0);
        lxw_rowcol_to_cell(b, r1, c1);
        if (r0 == r1 && c0 == c1)
            snprintf(d.dimension, sizeof d.dimension, "%s", a);
        else
            snprintf(d.dimension, sizeof d.dimension, "%s:%s", a, b);
    }
    d.rows = cells_rows;
    d.ctx = cs;
    d.free_ctx = cells_free;
    xlsx_wb_defer(w, ws, &d);
}
