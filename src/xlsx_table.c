/*
 * xlsx_table - a report table (report.h) as worksheet rows with live
 * formulas.
 *
 * Each table row becomes exactly one sheet row, in order, and each data
 * column one sheet column after the code and label columns. A cell's
 * source decides what is written:
 *   VALUE   the exact value (amount, ratio, text, date, integer);
 *   ROW     the row formula over the same column: SUM(first:last) when the
 *           terms are a plain range, else +/− references (D5+D9−D14);
 *   COLUMN  LINEAR: the column terms of the same row (+ the constant
 *           addend written as an exact decimal literal); RATIO:
 *           IF(den=0,"",num/den).
 * Every formula is written together with the exact value the report
 * engine computed (worksheet_write_formula_num), so viewers that do not
 * recalculate show the right figure, and those that do get it again: the
 * engine evaluates the same structure exactly (report_table_evaluate).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_priv.h"
#include "mem.h"

/* A formula longer than this is written as its value instead (Excel's
 * limit is 8 192 characters; a sum of thousands of scattered rows would
 * not fit). Report tables in the workbooks never come near it. */
#define FORMULA_MAX 8000

void xlsx_placed_free(xlsx_placed *p)
{
    free(p->row_at);
    free(p->col_at);
    memset(p, 0, sizeof *p);
}

static xlsx_rowstyle row_style(const report_row *row)
{
    switch (row->kind) {
    case REPORT_ROW_SUBTOTAL:
        return XS_SUB;
    case REPORT_ROW_TOTAL:
        for (size_t k = 0; k < row->nterms; k++)
            if (row->terms[k].sign < 0)
                return XS_RESULT; /* a difference: income − costs */
        return XS_TOTAL;
    default:
        return XS_LINE;
    }
}

static xlsx_cellstyle col_style(report_col_kind k)
{
    switch (k) {
    case REPORT_COL_AMOUNT: return XC_AMOUNT;
    case REPORT_COL_PERCENT: return XC_PERCENT;
    case REPORT_COL_DATE: return XC_DATE;
    case REPORT_COL_INTEGER: return XC_INTEGER;
    case REPORT_COL_TEXT: return XC_TEXT;
    }
    return XC_TEXT;
}

/* Widest label and text cells before they wrap (the row grows instead),
 * and the narrowest they get when a sheet is narrowed to fit its page
 * (xlsx_sheet_fit). */
#define LABEL_WRAP 50
#define TEXT_WRAP 30
#define LABEL_MIN 16
#define TEXT_MIN 12

/* The widest word of a heading (headings wrap at spaces). */
static unsigned longest_word(const char *s)
{
    unsigned best = 0, cur = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p == ' ') {
            cur = 0;
            continue;
        }
        if ((*p & 0xC0) != 0x80 && ++cur > best)
            best = cur;
    }
    return best;
}

/* The sheet column of table column j (XLSX_SKIP: not shown). */
static lxw_col_t place_of(const xlsx_sheet *s, const lxw_col_t *place, int j)
{
    return place ? place[j] : s->data_col + (lxw_col_t)j;
}

void xlsx_table_measure(xlsx_sheet *s, const report_table *t)
{
    xlsx_table_measure_at(s, t, NULL);
}

void xlsx_table_measure_at(xlsx_sheet *s, const report_table *t,
                           const lxw_col_t *place)
{
    if (s->has_code) {
        xlsx_sheet_want(s, 0, 5);
        if (t->code_heading)
            xlsx_sheet_want(s, 0, longest_word(t->code_heading) + 1);
    }
    if (t->label_heading) {
        xlsx_sheet_want(s, s->label_col, xlsx_utf8_width(t->label_heading));
        xlsx_sheet_wraps(s, s->label_col, longest_word(t->label_heading) + 1);
    }
    xlsx_sheet_wraps(s, s->label_col, LABEL_MIN);
    unsigned widest = 0;
    for (int j = 0; j < t->ncols; j++) {
        /* Headings wrap at spaces; amounts need their widest figure. */
        lxw_col_t c = place_of(s, place, j);
        if (c == XLSX_SKIP)
            continue;
        unsigned min = t->cols[j].kind == REPORT_COL_AMOUNT ? 7 : 8;
        unsigned hw = longest_word(t->cols[j].heading) + 1;
        xlsx_sheet_want(s, c, hw > min ? hw : min);
        if (t->cols[j].kind == REPORT_COL_TEXT)
            xlsx_sheet_wraps(s, c, hw > TEXT_MIN ? hw : TEXT_MIN);
    }
    for (size_t i = 0; i < t->nrows; i++) {
        const report_row *row = &t->rows[i];
        if (row->code && s->has_code)
            xlsx_sheet_want(s, 0, xlsx_utf8_width(row->code));
        /* Notes and section headings run on over empty cells. */
        if (row->label && row->kind != REPORT_ROW_NOTE &&
            row->kind != REPORT_ROW_HEADING) {
            unsigned lw = xlsx_utf8_width(row->label) +
                          2 * (unsigned)(row->level > 0 ? row->level : 0) +
                          (row->kind != REPORT_ROW_LINE ? 2 : 0);
            xlsx_sheet_want(s, s->label_col, lw < LABEL_WRAP ? lw : LABEL_WRAP);
            xlsx_sheet_wraps(s, s->label_col,
                             longest_word(row->label) + 1 +
                                 2 * (unsigned)(row->level > 0 ? row->level
                                                               : 0));
        }
        if (report_row_kind_cellless(row->kind))
            continue;
        for (int j = 0; j < t->ncols; j++) {
            const report_cell *c = &row->cells[j];
            lxw_col_t col = place_of(s, place, j);
            unsigned wdt = 0;
            if (col == XLSX_SKIP)
                continue;
            if (c->kind == REPORT_CELL_AMOUNT) {
                int dec = s->w->unit == DEC_TKR ? 0 : 2;
                char *f = dec_format(&c->amount, s->w->unit, dec, 0);
                wdt = xlsx_utf8_width(f) + 1;
                free(f);
                if (wdt > widest)
                    widest = wdt;
            } else if (c->kind == REPORT_CELL_TEXT) {
                wdt = xlsx_utf8_width(c->text) + 1;
                if (wdt > TEXT_WRAP)
                    wdt = TEXT_WRAP;
                xlsx_sheet_wraps(s, col, longest_word(c->text) + 2);
            } else if (c->kind == REPORT_CELL_DATE) {
                wdt = 10;
            } else if (c->kind == REPORT_CELL_INTEGER) {
                char n[32];
                wdt = (unsigned)snprintf(n, sizeof n, "%lld", c->integer);
            }
            xlsx_sheet_want(s, col, wdt);
        }
    }
    /* An amount column without figures (a previous year the book does not
     * hold) is as wide as the table's widest figure, like its neighbours. */
    for (int j = 0; j < t->ncols; j++) {
        if (t->cols[j].kind != REPORT_COL_AMOUNT ||
            place_of(s, place, j) == XLSX_SKIP)
            continue;
        int any = 0;
        for (size_t i = 0; i < t->nrows && !any; i++)
            any = !report_row_kind_cellless(t->rows[i].kind) &&
                  t->rows[i].cells[j].kind == REPORT_CELL_AMOUNT;
        if (!any)
            xlsx_sheet_want(s, place_of(s, place, j), widest);
    }
}

/* A growable formula string. */
typedef struct {
    char buf[FORMULA_MAX + 64];
    size_t len;
    int overflow;
} fbuf;

static void fadd(fbuf *f, const char *s)
{
    size_t n = strlen(s);
    if (f->len + n >= FORMULA_MAX) {
        f->overflow = 1;
        return;
    }
    memcpy(f->buf + f->len, s, n + 1);
    f->len += n;
}

static void fref(fbuf *f, lxw_row_t r, lxw_col_t c)
{
    char cell[32];
    lxw_rowcol_to_cell(cell, r, c);
    fadd(f, cell);
}

/* A term "+D5" / "-D5" (no '+' before the first term). */
static void fterm(fbuf *f, int sign, int first, lxw_row_t r, lxw_col_t c)
{
    if (sign < 0)
        fadd(f, "-");
    else if (!first)
        fadd(f, "+");
    fref(f, r, c);
}

/* The row formula of row i for sheet column c. */
static void row_formula(fbuf *f, const report_table *t, const xlsx_placed *p,
                        size_t i, lxw_col_t c)
{
    const report_row *row = &t->rows[i];
    size_t first, last;
    fadd(f, "=");
    if (report_row_is_range(t, i, &first, &last) && last > first) {
        fadd(f, "SUM(");
        fref(f, p->row_at[first], c);
        fadd(f, ":");
        fref(f, p->row_at[last], c);
        fadd(f, ")");
        return;
    }
    int n = 0;
    for (size_t k = 0; k < row->nterms; k++) {
        if (report_row_kind_cellless(t->rows[row->terms[k].row].kind))
            continue; /* no cells: counts as zero */
        fterm(f, row->terms[k].sign, n++ == 0, p->row_at[row->terms[k].row],
              c);
    }
    if (n == 0)
        fadd(f, "0");
}

/* The LINEAR column formula of column j in sheet row r. Returns -1 when
 * the addend cannot be written exactly. */
static int linear_formula(fbuf *f, const report_table *t,
                          const xlsx_placed *p, const report_cell *cell,
                          int j, lxw_row_t r)
{
    const report_coldef *d = &t->cols[j].def;
    for (size_t k = 0; k < d->nterms; k++)
        if (p->col_at[d->terms[k].col] == XLSX_SKIP) {
            f->overflow = 1; /* a term not on the sheet: write the value */
            return 0;
        }
    int flip = cell->flip ? -1 : 1; /* report_cell.flip */
    fadd(f, "=");
    /* Three or more adjacent + columns in order: SUM(D5:G5). */
    int range = d->nterms >= 3 && flip > 0;
    for (size_t k = 0; range && k < d->nterms; k++)
        if (d->terms[k].sign < 0 ||
            (k > 0 && p->col_at[d->terms[k].col] !=
                          p->col_at[d->terms[k - 1].col] + 1))
            range = 0;
    int n = 0;
    if (range) {
        fadd(f, "SUM(");
        fref(f, r, p->col_at[d->terms[0].col]);
        fadd(f, ":");
        fref(f, r, p->col_at[d->terms[d->nterms - 1].col]);
        fadd(f, ")");
        n = 1;
    } else {
        for (size_t k = 0; k < d->nterms; k++)
            fterm(f, flip * d->terms[k].sign, n++ == 0, r,
                  p->col_at[d->terms[k].col]);
    }
    if (cell->has_addend && !dec_is_zero(&cell->addend)) {
        char *lit = dec_to_string(&cell->addend);
        /* The literal is exact decimal text; it must also be something a
         * cell can hold exactly, like every other number. */
        int ok = xlsx_number_fits(lit);
        if (ok) {
            if (lit[0] != '-' && n > 0)
                fadd(f, "+");
            fadd(f, lit);
            n++;
        }
        free(lit);
        if (!ok)
            return -1;
    }
    if (n == 0)
        fadd(f, "0");
    return 0;
}

static int write_heading(xlsx_sheet *s, const report_table *t,
                         const xlsx_placed *p)
{
    xlsx_wb *w = s->w;
    const xlsx_styles *st = &w->st;
    lxw_row_t r = s->row;
    int rc = 0;
    /* As many lines as the longest heading needs in its column. */
    unsigned lines = 1;
    lxw_col_t last = s->label_col;
    for (int j = 0; j < t->ncols; j++) {
        if (p->col_at[j] == XLSX_SKIP)
            continue;
        unsigned n = xlsx_wrap_lines(t->cols[j].heading,
                                     xlsx_sheet_colwidth(s, p->col_at[j]) - 1);
        if (n > lines)
            lines = n;
        if (p->col_at[j] > last)
            last = p->col_at[j];
    }
    xlsx_sheet_row_height(s, r, lines > 1 ? 1250 * (long)lines + 200 : 1500);
    if (s->has_code)
        rc |= xlsx_put_text(w, s->ws, s->name, r, 0,
                            t->code_heading ? t->code_heading : "", st->head);
    rc |= xlsx_put_text(w, s->ws, s->name, r, s->label_col,
                        t->label_heading ? t->label_heading : "", st->head);
    /* The band runs unbroken over columns the table leaves empty. */
    for (lxw_col_t c = s->label_col + 1; c <= last; c++)
        rc |= xlsx_put_text(w, s->ws, s->name, r, c, NULL, st->head);
    for (int j = 0; j < t->ncols; j++) {
        if (p->col_at[j] == XLSX_SKIP)
            continue;
        report_col_kind k = t->cols[j].kind;
        lxw_format *f = k == REPORT_COL_TEXT   ? st->head_text
                        : k == REPORT_COL_DATE ? st->head_center
                                               : st->head_num;
        rc |= xlsx_put_text(w, s->ws, s->name, r, p->col_at[j],
                            t->cols[j].heading, f);
    }
    s->row++;
    return rc;
}

/* One cell of a LINE/SUBTOTAL/TOTAL row. */
static int write_cell(xlsx_sheet *s, const report_table *t,
                      const xlsx_placed *p, size_t i, int j, lxw_format *fmt)
{
    xlsx_wb *w = s->w;
    const report_cell *cell = &t->rows[i].cells[j];
    lxw_row_t r = p->row_at[i];
    lxw_col_t c = p->col_at[j];
    fbuf f; /* 8 KiB on the stack: no shared state, the web UI may export
             * from several threads at once */
    f.len = 0;
    f.overflow = 0;
    f.buf[0] = '\0';

    if (cell->src == REPORT_SRC_ROW && cell->kind == REPORT_CELL_AMOUNT) {
        row_formula(&f, t, p, i, c);
        return xlsx_put_amount(w, s->ws, s->name, r, c, &cell->amount,
                               f.overflow ? NULL : f.buf, fmt);
    }
    if (cell->src == REPORT_SRC_COLUMN) {
        const report_coldef *d = &t->cols[j].def;
        if (d->kind == REPORT_DEF_LINEAR &&
            cell->kind == REPORT_CELL_AMOUNT) {
            if (linear_formula(&f, t, p, cell, j, r) != 0) {
                /* Report the addend through the one conversion's message. */
                return xlsx_put_amount(w, s->ws, s->name, r, c,
                                       &cell->addend, NULL, fmt);
            }
            return xlsx_put_amount(w, s->ws, s->name, r, c, &cell->amount,
                                   f.overflow ? NULL : f.buf, fmt);
        }
        if (d->kind == REPORT_DEF_RATIO && p->col_at[d->num] != XLSX_SKIP &&
            p->col_at[d->den] != XLSX_SKIP) {
            fadd(&f, "=IF(");
            fref(&f, r, p->col_at[d->den]);
            fadd(&f, "=0,\"\",");
            fref(&f, r, p->col_at[d->num]);
            fadd(&f, "/");
            fref(&f, r, p->col_at[d->den]);
            fadd(&f, ")");
            if (cell->kind == REPORT_CELL_PERCENT)
                return xlsx_put_ratio(w, s->ws, s->name, r, c, &cell->amount,
                                      &cell->den, f.buf, fmt);
            return xlsx_put_formula_text(w, s->ws, s->name, r, c, f.buf, "",
                                         fmt);
        }
    }
    switch (cell->kind) {
    case REPORT_CELL_AMOUNT:
        return xlsx_put_amount(w, s->ws, s->name, r, c, &cell->amount, NULL,
                               fmt);
    case REPORT_CELL_PERCENT:
        return xlsx_put_ratio(w, s->ws, s->name, r, c, &cell->amount,
                              &cell->den, NULL, fmt);
    case REPORT_CELL_TEXT:
        return xlsx_put_text(w, s->ws, s->name, r, c, cell->text, fmt);
    case REPORT_CELL_DATE:
        if (cell->date == DATE_NONE)
            return xlsx_put_text(w, s->ws, s->name, r, c, NULL, fmt);
        return xlsx_put_date(w, s->ws, s->name, r, c, cell->date, fmt);
    case REPORT_CELL_INTEGER:
        return xlsx_put_integer(w, s->ws, s->name, r, c, cell->integer, fmt);
    case REPORT_CELL_EMPTY:
        break;
    }
    /* Empty: a blank in total rows keeps their band and rule unbroken. */
    return t->rows[i].kind == REPORT_ROW_LINE
               ? 0
               : xlsx_put_text(w, s->ws, s->name, r, c, NULL, fmt);
}

int xlsx_table_write(xlsx_sheet *s, const report_table *t, xlsx_placed *out)
{
    return xlsx_table_write_at(s, t, NULL, out);
}

int xlsx_table_write_at(xlsx_sheet *s, const report_table *t,
                        const lxw_col_t *place, xlsx_placed *out)
{
    xlsx_wb *w = s->w;
    const xlsx_styles *st = &w->st;
    xlsx_placed p;
    memset(&p, 0, sizeof p);
    p.nrows = t->nrows;
    p.ncols = t->ncols;
    p.row_at = mem_calloc(t->nrows ? t->nrows : 1, sizeof *p.row_at);
    p.col_at = mem_calloc(t->ncols ? (size_t)t->ncols : 1, sizeof *p.col_at);
    for (int j = 0; j < t->ncols; j++)
        p.col_at[j] = place_of(s, place, j);

    int rc = 0;
    if (t->caption && *t->caption)
        xlsx_sheet_text(s, t->caption, st->caption);
    p.head_row = s->row;
    rc |= write_heading(s, t, &p);
    xlsx_sheet_freeze(s, p.head_row, p.head_row);

    for (size_t i = 0; i < t->nrows && !w->failed; i++) {
        const report_row *row = &t->rows[i];
        lxw_row_t r = s->row++;
        p.row_at[i] = r;
        switch (row->kind) {
        case REPORT_ROW_BLANK: /* spacing, not a full line */
            xlsx_sheet_row_height(s, r, 600);
            continue;
        case REPORT_ROW_HEADING:
            rc |= xlsx_put_text(w, s->ws, s->name, r, s->label_col,
                                row->label, st->section);
            continue;
        case REPORT_ROW_NOTE:
            rc |= xlsx_put_text(w, s->ws, s->name, r, s->label_col,
                                row->label, st->note);
            continue;
        default:
            break;
        }
        xlsx_rowstyle rs = row_style(row);
        /* Long labels and texts wrap: give the row the lines they need. */
        unsigned lines = xlsx_wrap_lines(
            row->label, xlsx_sheet_colwidth(s, s->label_col) - 1 -
                            2 * (unsigned)(row->level > 0 ? row->level : 0));
        for (int j = 0; j < t->ncols; j++)
            if (row->cells[j].kind == REPORT_CELL_TEXT &&
                p.col_at[j] != XLSX_SKIP) {
                unsigned n = xlsx_wrap_lines(
                    row->cells[j].text,
                    xlsx_sheet_colwidth(s, p.col_at[j]) - 2);
                if (n > lines)
                    lines = n;
            }
        xlsx_sheet_row_lines(s, r, lines);
        if (s->has_code)
            rc |= xlsx_put_text(w, s->ws, s->name, r, 0, row->code,
                                st->cell[rs][XC_CODE]);
        lxw_format *lf = st->cell[rs][XC_LABEL];
        if (rs == XS_LINE) {
            int lv = row->level < 0 ? 0
                     : row->level > XLSX_MAX_LEVEL ? XLSX_MAX_LEVEL
                                                   : row->level;
            lf = (row->flags & REPORT_FLAG_WARN) ? st->warn_label
                                                 : st->label_level[lv];
        }
        rc |= xlsx_put_text(w, s->ws, s->name, r, s->label_col, row->label,
                            lf);
        lxw_col_t last = s->label_col;
        for (int j = 0; j < t->ncols; j++) {
            if (p.col_at[j] == XLSX_SKIP)
                continue;
            if (p.col_at[j] > last)
                last = p.col_at[j];
            rc |= write_cell(s, t, &p, i, j,
                             st->cell[rs][col_style(t->cols[j].kind)]);
        }
        /* Columns the table leaves empty keep a total row's band. */
        if (rs != XS_LINE)
            for (lxw_col_t c = s->label_col + 1; c < last; c++) {
                int used = 0;
                for (int j = 0; j < t->ncols && !used; j++)
                    used = p.col_at[j] == c;
                if (!used)
                    rc |= xlsx_put_text(w, s->ws, s->name, r, c, NULL,
                                        st->cell[rs][XC_TEXT]);
            }
    }
    if (out)
        *out = p;
    else
        xlsx_placed_free(&p);
    return rc ? -1 : 0;
}

int xlsx_report_write(xlsx_sheet *s, const report *r, xlsx_placed *placed)
{
    int rc = 0;
    for (size_t i = 0; i < r->ntables; i++)
        xlsx_table_measure(s, r->tables[i]);
    xlsx_sheet_fit(s);
    for (size_t i = 0; i < r->ntables && !s->w->failed; i++) {
        if (i > 0)
            xlsx_sheet_skip(s, 1);
        rc |= xlsx_table_write(s, r->tables[i], placed ? &placed[i] : NULL);
    }
    xlsx_sheet_notes(s, r);
    return rc ? -1 : 0;
}

size_t xlsx_find_row(const report_table *t, const char *label, size_t from)
{
    for (size_t i = from; i < t->nrows; i++)
        if (t->rows[i].label && strcmp(t->rows[i].label, label) == 0)
            return i;
    return (size_t)-1;
}

size_t xlsx_find_result(const report_table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        const report_row *row = &t->rows[i];
        if (row->kind != REPORT_ROW_TOTAL || row->nterms < 2 ||
            row->terms[0].sign < 0)
            continue;
        size_t k = 1;
        while (k < row->nterms && row->terms[k].sign < 0)
            k++;
        if (k == row->nterms)
            return i;
    }
    return (size_t)-1;
}

int xlsx_find_col(const report_table *t, const char *key)
{
    for (int j = 0; j < t->ncols; j++)
        if (t->cols[j].key && strcmp(t->cols[j].key, key) == 0)
            return j;
    return -1;
}
