/* report - the report engine's table model (see report.h). */
#include "report.h"

#include "diag.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Building ------------------------------------------------------------ */

report *report_new(const char *kind, const char *title)
{
    report *r = mem_alloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->kind = mem_strdup(kind ? kind : "");
    r->title = mem_strdup(title ? title : "");
    r->subtitle = mem_strdup("");
    r->as_of = DATE_NONE;
    return r;
}

static void cell_free(report_cell *c)
{
    dec_clear(&c->amount);
    dec_clear(&c->den);
    dec_clear(&c->addend);
    free(c->text);
}

static void table_free(report_table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        report_row *row = &t->rows[i];
        for (int c = 0; c < t->ncols; c++)
            cell_free(&row->cells[c]);
        free(row->cells);
        free(row->terms);
        free(row->code);
        free(row->label);
    }
    free(t->rows);
    for (int c = 0; c < t->ncols; c++) {
        free(t->cols[c].key);
        free(t->cols[c].heading);
        free(t->cols[c].def.terms);
    }
    free(t->cols);
    free(t->caption);
    free(t->label_heading);
    free(t->code_heading);
    free(t);
}

void report_free(report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ntables; i++)
        table_free(r->tables[i]);
    free(r->tables);
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i].text);
    free(r->notes);
    free(r->kind);
    free(r->title);
    free(r->subtitle);
    free(r->organisation);
    free(r->period);
    free(r);
}

void report_set_header(report *r, const char *organisation, const char *period,
                       date_t as_of)
{
    free(r->organisation);
    free(r->period);
    r->organisation = mem_strdup_or_null(organisation);
    r->period = mem_strdup_or_null(period);
    r->as_of = as_of;
    char buf[1024] = "";
    size_t n = 0;
    if (organisation && *organisation)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", organisation);
    if (period && *period && n < sizeof buf)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "",
                              period);
    if (as_of != DATE_NONE && n < sizeof buf) {
        char d[11];
        date_format(as_of, d);
        snprintf(buf + n, sizeof buf - n, "%sper %s", n ? ", " : "", d);
    }
    free(r->subtitle);
    r->subtitle = mem_strdup(buf);
}

void report_set_header_through(report *r, const char *organisation,
                               const char *period, date_t through)
{
    report_set_header(r, organisation, period, DATE_NONE);
    r->as_of = through;
    if (through == DATE_NONE)
        return;
    char d[11];
    date_format(through, d);
    size_t n = strlen(r->subtitle) + 64;
    char *s = mem_alloc(n);
    snprintf(s, n, "%s%sUtfall t.o.m. %s", r->subtitle,
             *r->subtitle ? ". " : "", d);
    free(r->subtitle);
    r->subtitle = s;
}

void report_add_note(report *r, report_note_kind kind, const char *fmt, ...)
{
    mem_grow((void **)&r->notes, &r->notecap, r->nnotes + 1, sizeof *r->notes);
    va_list ap;
    va_start(ap, fmt);
    r->notes[r->nnotes].text = mem_vprintf(fmt, ap);
    va_end(ap);
    r->notes[r->nnotes].kind = kind;
    r->nnotes++;
}

report_table *report_add_table(report *r, const char *caption,
                               const char *label_heading,
                               const char *code_heading)
{
    report_table *t = mem_alloc(sizeof *t);
    memset(t, 0, sizeof *t);
    t->caption = mem_strdup_or_null(caption);
    t->label_heading = mem_strdup(label_heading ? label_heading : "");
    t->code_heading = mem_strdup_or_null(code_heading);
    mem_grow((void **)&r->tables, &r->tablecap, r->ntables + 1, sizeof *r->tables);
    r->tables[r->ntables++] = t;
    return t;
}

int report_add_column(report_table *t, const char *key, const char *heading,
                      report_col_kind kind)
{
    SAMLA_REQUIRE(t->nrows == 0); /* rows already have their cells */
    size_t cap = (size_t)t->colcap;
    mem_grow((void **)&t->cols, &cap, (size_t)t->ncols + 1, sizeof *t->cols);
    t->colcap = (int)cap;
    report_column *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->key = mem_strdup(key ? key : "");
    c->heading = mem_strdup(heading ? heading : "");
    c->kind = kind;
    return t->ncols++;
}

void report_col_linear(report_table *t, int col, const report_colterm *terms,
                       size_t n)
{
    report_coldef *d = &t->cols[col].def;
    free(d->terms);
    d->kind = REPORT_DEF_LINEAR;
    d->terms = mem_alloc_array(n, sizeof *terms);
    memcpy(d->terms, terms, n * sizeof *terms);
    d->nterms = n;
}

void report_col_priority(report_table *t, int col, int priority)
{
    t->cols[col].priority = priority;
}

void report_col_ratio(report_table *t, int col, int num, int den)
{
    report_coldef *d = &t->cols[col].def;
    free(d->terms);
    d->terms = NULL;
    d->nterms = 0;
    d->kind = REPORT_DEF_RATIO;
    d->num = num;
    d->den = den;
}

size_t report_add_row(report_table *t, report_row_kind kind, const char *code,
                      const char *label, int level)
{
    mem_grow((void **)&t->rows, &t->rowcap, t->nrows + 1, sizeof *t->rows);
    report_row *row = &t->rows[t->nrows];
    memset(row, 0, sizeof *row);
    row->kind = kind;
    row->code = code && *code ? mem_strdup(code) : NULL;
    row->label = mem_strdup(label ? label : "");
    row->level = level;
    row->cells = mem_alloc_array((size_t)t->ncols, sizeof *row->cells);
    for (int c = 0; c < t->ncols; c++) {
        report_cell *cell = &row->cells[c];
        memset(cell, 0, sizeof *cell);
        dec_init(&cell->amount);
        dec_init(&cell->den);
        dec_init(&cell->addend);
        cell->date = DATE_NONE;
    }
    return t->nrows++;
}

report_cell *report_cell_at(report_table *t, size_t row, int col)
{
    return &t->rows[row].cells[col];
}

const report_cell *report_cell_get(const report_table *t, size_t row, int col)
{
    return &t->rows[row].cells[col];
}

/* Reset a cell to hold `kind` as a constant. */
static report_cell *cell_reset(report_table *t, size_t row, int col,
                               report_cell_kind kind)
{
    report_cell *c = report_cell_at(t, row, col);
    free(c->text);
    c->text = NULL;
    c->kind = kind;
    c->src = REPORT_SRC_VALUE;
    c->flip = 0;
    return c;
}

void report_set_amount(report_table *t, size_t row, int col, const dec_t *v)
{
    dec_set(&cell_reset(t, row, col, REPORT_CELL_AMOUNT)->amount, v);
}

void report_set_text(report_table *t, size_t row, int col, const char *s)
{
    report_cell *c = cell_reset(t, row, col, s ? REPORT_CELL_TEXT
                                               : REPORT_CELL_EMPTY);
    c->text = mem_strdup_or_null(s);
}

void report_set_date(report_table *t, size_t row, int col, date_t d)
{
    report_cell *c = cell_reset(t, row, col, d == DATE_NONE ? REPORT_CELL_EMPTY
                                                            : REPORT_CELL_DATE);
    c->date = d;
}

void report_set_integer(report_table *t, size_t row, int col, long long v)
{
    cell_reset(t, row, col, REPORT_CELL_INTEGER)->integer = v;
}

void report_set_percent(report_table *t, size_t row, int col, const dec_t *num,
                        const dec_t *den)
{
    if (dec_is_zero(den)) {
        cell_reset(t, row, col, REPORT_CELL_EMPTY);
        return;
    }
    report_cell *c = cell_reset(t, row, col, REPORT_CELL_PERCENT);
    dec_set(&c->amount, num);
    dec_set(&c->den, den);
}

void report_row_add_term(report_table *t, size_t row, size_t other, int sign)
{
    report_row *r = &t->rows[row];
    mem_grow((void **)&r->terms, &r->termcap, r->nterms + 1, sizeof *r->terms);
    r->terms[r->nterms].row = other;
    r->terms[r->nterms].sign = sign < 0 ? -1 : 1;
    r->nterms++;
}

void report_row_sum_range(report_table *t, size_t row, size_t first,
                          size_t last, report_row_kind kind)
{
    for (size_t i = first; i <= last && i < t->nrows; i++)
        if (t->rows[i].kind == kind)
            report_row_add_term(t, row, i, +1);
}

void report_row_use_formula(report_table *t, size_t row)
{
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].kind == REPORT_COL_AMOUNT &&
            t->cols[c].def.kind == REPORT_DEF_NONE) {
            report_cell *cell = cell_reset(t, row, c, REPORT_CELL_AMOUNT);
            cell->src = REPORT_SRC_ROW;
        }
}

void report_row_use_column(report_table *t, size_t row, int col,
                           const dec_t *addend)
{
    report_cell *c = cell_reset(t, row, col,
                                t->cols[col].kind == REPORT_COL_PERCENT
                                    ? REPORT_CELL_PERCENT
                                    : REPORT_CELL_AMOUNT);
    c->src = REPORT_SRC_COLUMN;
    c->has_addend = addend != NULL;
    if (addend)
        dec_set(&c->addend, addend);
    else
        dec_set_zero(&c->addend);
}

void report_row_flip(report_table *t, size_t row, int col)
{
    report_cell_at(t, row, col)->flip = 1;
}

/* ---- Evaluation ---------------------------------------------------------- */

/* The amount of a cell for sums: EMPTY (or non-amount) counts as zero. */
static const dec_t *cell_value(const report_cell *c, const dec_t *zero)
{
    return c->kind == REPORT_CELL_AMOUNT ? &c->amount : zero;
}

void report_table_evaluate(report_table *t)
{
    dec_t zero;
    dec_init(&zero);
    for (size_t r = 0; r < t->nrows; r++) {
        report_row *row = &t->rows[r];
        for (int c = 0; c < t->ncols; c++) {
            report_cell *cell = &row->cells[c];
            if (cell->src == REPORT_SRC_ROW) {
                cell->kind = REPORT_CELL_AMOUNT;
                dec_set_zero(&cell->amount);
                for (size_t k = 0; k < row->nterms; k++) {
                    const report_cell *o =
                        &t->rows[row->terms[k].row].cells[c];
                    if (row->terms[k].sign < 0)
                        dec_sub(&cell->amount, &cell->amount,
                                cell_value(o, &zero));
                    else
                        dec_add(&cell->amount, &cell->amount,
                                cell_value(o, &zero));
                }
            } else if (cell->src == REPORT_SRC_COLUMN) {
                const report_coldef *d = &t->cols[c].def;
                if (d->kind == REPORT_DEF_LINEAR) {
                    cell->kind = REPORT_CELL_AMOUNT;
                    dec_set(&cell->amount, &cell->addend);
                    for (size_t k = 0; k < d->nterms; k++) {
                        const report_cell *o = &row->cells[d->terms[k].col];
                        if ((d->terms[k].sign < 0) != (cell->flip != 0))
                            dec_sub(&cell->amount, &cell->amount,
                                    cell_value(o, &zero));
                        else
                            dec_add(&cell->amount, &cell->amount,
                                    cell_value(o, &zero));
                    }
                } else if (d->kind == REPORT_DEF_RATIO) {
                    const report_cell *n = &row->cells[d->num];
                    const report_cell *q = &row->cells[d->den];
                    if (q->kind == REPORT_CELL_AMOUNT &&
                        !dec_is_zero(&q->amount)) {
                        cell->kind = REPORT_CELL_PERCENT;
                        dec_set(&cell->amount, cell_value(n, &zero));
                        dec_set(&cell->den, &q->amount);
                    } else {
                        cell->kind = REPORT_CELL_EMPTY;
                    }
                }
            }
        }
    }
    dec_clear(&zero);
}

void report_evaluate(report *r)
{
    for (size_t i = 0; i < r->ntables; i++)
        report_table_evaluate(r->tables[i]);
}

/* ---- Reading -------------------------------------------------------------- */

int report_table_has_codes(const report_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].code)
            return 1;
    return 0;
}

int report_row_kind_cellless(report_row_kind k)
{
    return k == REPORT_ROW_HEADING || k == REPORT_ROW_BLANK ||
           k == REPORT_ROW_NOTE;
}

int report_row_is_range(const report_table *t, size_t row, size_t *first,
                        size_t *last)
{
    const report_row *r = &t->rows[row];
    if (r->nterms == 0)
        return 0;
    size_t lo = r->terms[0].row, hi = lo;
    for (size_t k = 0; k < r->nterms; k++) {
        if (r->terms[k].sign != 1)
            return 0;
        if (r->terms[k].row < lo)
            lo = r->terms[k].row;
        if (r->terms[k].row > hi)
            hi = r->terms[k].row;
    }
    /* Every row with cells in lo..hi must be a term exactly once. */
    size_t need = 0;
    for (size_t i = lo; i <= hi; i++)
        if (!report_row_kind_cellless(t->rows[i].kind))
            need++;
    if (need != r->nterms)
        return 0;
    for (size_t k = 0; k < r->nterms; k++) {
        if (report_row_kind_cellless(t->rows[r->terms[k].row].kind))
            return 0;
        for (size_t j = 0; j < k; j++)
            if (r->terms[j].row == r->terms[k].row)
                return 0;
    }
    *first = lo;
    *last = hi;
    return 1;
}

char *report_percent_format(const dec_t *num, const dec_t *den, int decimals,
                            int flags)
{
    int point = (flags & DEC_FMT_POINT) != 0;
    int ascii = (flags & (DEC_FMT_ASCII | DEC_FMT_PLAIN)) != 0;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    /* round(num * 100 / den) to `decimals`, half away from zero: the exact
     * ratio's digits, then the Swedish or plain signs. */
    dec_t pct;
    dec_init(&pct);
    dec_mul_ratio_ul(&pct, num, 100, 1); /* exact */
    char *plain = dec_ratio_string(&pct, den, decimals);
    dec_clear(&pct);
    char *out = mem_alloc(strlen(plain) + 3);
    char *o = out;
    for (const char *p = plain; *p; p++) {
        if (*p == '-' && !ascii) {
            memcpy(o, "\xE2\x88\x92", 3);
            o += 3;
        } else {
            *o++ = *p == '.' && !point ? ',' : *p;
        }
    }
    *o = 0;
    free(plain);
    return out;
}

/* Append s to a growing string buffer. */
static void sb_add(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    mem_grow((void **)buf, cap, *len + n + 1, 1);
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* The rounded value of a cell (zero for non-amounts) into out. */
static void rounded_of(const report_cell *c, dec_unit unit, int decimals,
                       dec_t *out)
{
    if (c->kind == REPORT_CELL_AMOUNT)
        dec_rounded(out, &c->amount, unit, decimals);
    else
        dec_set_zero(out);
}

size_t report_rounding_notes(report *r, dec_unit unit, int decimals)
{
    if (unit == DEC_KR && decimals >= 2)
        return 0;
    size_t found = 0;
    dec_t shown, parts, tmp;
    dec_init(&shown);
    dec_init(&parts);
    dec_init(&tmp);
    for (size_t ti = 0; ti < r->ntables; ti++) {
        report_table *t = r->tables[ti];
        char *buf = NULL;
        size_t len = 0, cap = 0, rows_named = 0;
        for (size_t ri = 0; ri < t->nrows; ri++) {
            report_row *row = &t->rows[ri];
            size_t cols_named = 0;
            for (int c = 0; c < t->ncols; c++) {
                report_cell *cell = &row->cells[c];
                if (cell->kind != REPORT_CELL_AMOUNT)
                    continue;
                dec_set_zero(&parts);
                if (cell->src == REPORT_SRC_ROW) {
                    for (size_t k = 0; k < row->nterms; k++) {
                        rounded_of(&t->rows[row->terms[k].row].cells[c], unit,
                                   decimals, &tmp);
                        if (row->terms[k].sign < 0)
                            dec_sub(&parts, &parts, &tmp);
                        else
                            dec_add(&parts, &parts, &tmp);
                    }
                } else if (cell->src == REPORT_SRC_COLUMN &&
                           !cell->has_addend &&
                           t->cols[c].def.kind == REPORT_DEF_LINEAR) {
                    const report_coldef *d = &t->cols[c].def;
                    for (size_t k = 0; k < d->nterms; k++) {
                        rounded_of(&row->cells[d->terms[k].col], unit,
                                   decimals, &tmp);
                        if ((d->terms[k].sign < 0) != (cell->flip != 0))
                            dec_sub(&parts, &parts, &tmp);
                        else
                            dec_add(&parts, &parts, &tmp);
                    }
                } else {
                    continue;
                }
                dec_rounded(&shown, &cell->amount, unit, decimals);
                if (dec_cmp(&shown, &parts) == 0)
                    continue;
                found++;
                if (cols_named == 0) {
                    sb_add(&buf, &len, &cap, rows_named ? "; " : "");
                    sb_add(&buf, &len, &cap, row->label[0] ? row->label
                                                           : "(rad)");
                    sb_add(&buf, &len, &cap, " (");
                } else {
                    sb_add(&buf, &len, &cap, ", ");
                }
                sb_add(&buf, &len, &cap, t->cols[c].heading);
                cols_named++;
            }
            if (cols_named) {
                sb_add(&buf, &len, &cap, ")");
                rows_named++;
            }
        }
        if (rows_named) {
            char where[512] = "";
            if (r->ntables > 1 && t->caption && *t->caption)
                snprintf(where, sizeof where, " i tabellen %s", t->caption);
            report_add_note(r, REPORT_NOTE_ROUNDING,
                            "Avrundningsdifferens%s: de avrundade delarna "
                            "summerar inte till den avrundade summan i %s. "
                            "Summor är avrundade från exakta belopp.",
                            where, buf);
        }
        free(buf);
    }
    dec_clear(&shown);
    dec_clear(&parts);
    dec_clear(&tmp);
    return found;
}
