/* sie_view - a read SIE file as rows with virtual columns, for the one
 * mapping engine of the import (sie.h, import.h, docs/sie.md). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sie_priv.h"

/* Fixed columns of each view, before the Objekt:N columns. */
enum { TV_DATE, TV_ACCOUNT, TV_AMOUNT, TV_TEXT, TV_SERIES, TV_VOUCHER,
       TV_VTEXT, TV_TTEXT, TV_N };
static const char *const tv_names[TV_N] = {
    "Datum", "Konto", "Belopp", "Text", "Serie", "Verifikation", "Vertext",
    "Transtext"};
enum { BV_YEAR, BV_PERIOD, BV_DATE, BV_ACCOUNT, BV_AMOUNT, BV_POST, BV_TEXT,
       BV_VOUCHER, BV_N };
static const char *const bv_names[BV_N] = {
    "År", "Period", "Datum", "Konto", "Belopp", "Post", "Text",
    "Verifikation"};

#define OBJ_PREFIX "Objekt:"

int sie_view_sparse_column(const char *name)
{
    return strncmp(name, OBJ_PREFIX, strlen(OBJ_PREFIX)) == 0;
}

typedef struct {
    sie_view *v;
    sie_arena *arena;
    csvio_field *fields;
    size_t row; /* rows filled */
} builder;

static void set(builder *b, size_t f, const char *s, long col)
{
    csvio_row *r = &b->v->t.rows[b->row];
    r->f[f].s = s;
    r->f[f].len = strlen(s);
    if (b->row)
        b->v->cols[(b->row - 1) * b->v->ncols + f] = col;
}

static const char *fmt(builder *b, const char *f, ...)
    __attribute__((format(printf, 2, 3)));

static const char *fmt(builder *b, const char *f, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return sie_arena_strndup(b->arena, buf, strlen(buf));
}

static const char *iso(builder *b, date_t d)
{
    char buf[11];
    date_format(d, buf);
    return sie_arena_strndup(b->arena, buf, 10);
}

static const char *amount(builder *b, const dec_t *a)
{
    char *s = dec_to_string(a);
    const char *r = sie_arena_strndup(b->arena, s, strlen(s));
    free(s);
    return r;
}

/* Start row b->row with line `line`; every field empty. */
static void start_row(builder *b, long line)
{
    csvio_row *r = &b->v->t.rows[b->row];
    r->f = b->fields + b->row * b->v->ncols;
    r->n = b->v->ncols;
    r->line = line;
    for (size_t f = 0; f < r->n; f++) {
        r->f[f].s = "";
        r->f[f].len = 0;
    }
}

/* The object columns of a row: each pair goes to its dimension's column. */
static void objects(builder *b, const sie_file *f, size_t fixed, size_t obj0,
                    size_t nobj)
{
    for (size_t k = 0; k < nobj; k++) {
        const sie_objref *o = &f->objrefs.v[obj0 + k];
        for (size_t d = 0; d < f->dims.n; d++)
            if (f->dims.v[d].number == o->dim)
                set(b, fixed + d, o->code, o->col);
    }
}

int sie_view_build(sie_view *v, const sie_file *f, sie_view_kind kind)
{
    memset(v, 0, sizeof *v);
    int budget = kind == SIE_VIEW_BUDGET;
    size_t fixed = budget ? BV_N : TV_N, nrows = 0;
    if (budget) {
        for (size_t i = 0; i < f->balances.n; i++)
            nrows += f->balances.v[i].kind == SIE_PBUDGET ||
                     f->balances.v[i].kind == SIE_BUDGET;
    } else {
        for (size_t i = 0; i < f->vouchers.n; i++)
            for (size_t k = 0; k < f->vouchers.v[i].ntrans; k++)
                nrows += f->trans.v[f->vouchers.v[i].trans0 + k].kind !=
                         SIE_BTRANS;
    }
    v->kind = budget ? "budgetposter" : "transaktioner";
    v->ncols = fixed + f->dims.n;
    v->t.display = mem_strdup(f->display);
    v->t.rows = mem_calloc(nrows + 1, sizeof *v->t.rows);
    v->t.nrows = nrows + 1;
    v->t.sep = ' ';
    v->cols = mem_calloc(nrows * v->ncols + 1, sizeof *v->cols);
    v->source = mem_calloc(nrows + 1, sizeof *v->source);
    builder b = {v, sie_arena_new(), NULL, 0};
    b.fields = mem_calloc((nrows + 1) * v->ncols, sizeof *b.fields);
    v->priv[0] = b.arena;
    v->priv[1] = b.fields;

    start_row(&b, 0);
    for (size_t k = 0; k < fixed; k++)
        set(&b, k, budget ? bv_names[k] : tv_names[k], 0);
    for (size_t d = 0; d < f->dims.n; d++)
        set(&b, fixed + d, fmt(&b, OBJ_PREFIX "%d", f->dims.v[d].number), 0);
    b.row++;

    if (budget) {
        for (size_t i = 0; i < f->balances.n; i++) {
            const sie_balance *x = &f->balances.v[i];
            if (x->kind != SIE_PBUDGET && x->kind != SIE_BUDGET)
                continue;
            start_row(&b, x->line);
            int year = x->period ? x->period / 100 : sie_year_of(f, x->year);
            int month = x->period ? x->period % 100 : 12;
            date_t last = month == 12 ? date_make(year, 12, 31)
                                      : date_make(year, month + 1, 1) - 1;
            set(&b, BV_YEAR, fmt(&b, "%d", year), 0);
            set(&b, BV_PERIOD,
                x->period ? fmt(&b, "%04d-%02d", year, month) : "",
                x->col_period);
            set(&b, BV_DATE, iso(&b, last), x->col_period);
            set(&b, BV_ACCOUNT, x->account, x->col_account);
            set(&b, BV_AMOUNT, amount(&b, &x->amount), x->col_amount);
            set(&b, BV_POST, x->kind == SIE_PBUDGET ? "PBUDGET" : "BUDGET", 1);
            objects(&b, f, fixed, x->obj0, x->nobj);
            v->source[b.row - 1] = x->source;
            b.row++;
        }
        return SAMLA_OK;
    }
    for (size_t i = 0; i < f->vouchers.n; i++) {
        const sie_voucher *vo = &f->vouchers.v[i];
        const char *ver = *vo->series && *vo->number
                              ? fmt(&b, "%s %s", vo->series, vo->number)
                              : *vo->series ? vo->series : vo->number;
        for (size_t k = 0; k < vo->ntrans; k++) {
            const sie_trans *t = &f->trans.v[vo->trans0 + k];
            if (t->kind == SIE_BTRANS)
                continue; /* a removed row is no longer a transaction */
            start_row(&b, t->line);
            set(&b, TV_DATE, iso(&b, t->date != DATE_NONE ? t->date : vo->date),
                t->date != DATE_NONE ? t->col_date : 0);
            set(&b, TV_ACCOUNT, t->account, t->col_account);
            set(&b, TV_AMOUNT, amount(&b, &t->amount), t->col_amount);
            set(&b, TV_TEXT, *t->text ? t->text : vo->text,
                *t->text ? t->col_text : 0);
            set(&b, TV_SERIES, vo->series, 0);
            set(&b, TV_VOUCHER, ver, 0);
            set(&b, TV_VTEXT, vo->text, 0);
            set(&b, TV_TTEXT, t->text, t->col_text);
            objects(&b, f, fixed, t->obj0, t->nobj);
            v->source[b.row - 1] = t->source;
            b.row++;
        }
    }
    return SAMLA_OK;
}

void sie_view_free(sie_view *v)
{
    sie_arena_free(v->priv[0]);
    free(v->priv[1]);
    free(v->cols);
    free(v->source);
    free(v->t.rows);
    free(v->t.display);
    memset(v, 0, sizeof *v);
}

long sie_view_col(const sie_view *v, const csvio_row *row, size_t field)
{
    size_t r = (size_t)(row - v->t.rows);
    if (r == 0 || r >= v->t.nrows || field >= v->ncols)
        return 0;
    return v->cols[(r - 1) * v->ncols + field];
}

const char *sie_view_source(const sie_view *v, const csvio_row *row)
{
    size_t r = (size_t)(row - v->t.rows);
    return r == 0 || r >= v->t.nrows ? "" : v->source[r - 1];
}
