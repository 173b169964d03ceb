/*
 * xlsx_journal - the journal (verifikationslista) of a year, streamed from
 * the book onto one or more sheets.
 *
 * The journal is the book's own data, not a computation, so it is written
 * straight from the entries rather than through a report table: a report
 * row holds several GMP numbers per cell, which for a million entries would
 * cost gigabytes, while streaming costs nothing per row. Rows are written
 * in order, so the sheet also works in constant-memory mode.
 *
 * Layout per sheet: title, subtitle, an empty row, a row of live totals
 * (SUBTOTAL(9, …): the sums of the rows the autofilter shows), the heading
 * row with an autofilter, then one row per entry in voucher order. Income
 * and costs get separate columns so both sums mean something. When a sheet
 * is full the journal continues on "Verifikationer 2", and so on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_priv.h"
#include "mem.h"

#define SHEET_ROWS 1048576u /* rows in an Excel sheet */
#define TOTAL_ROW 3
#define HEAD_ROW 4
#define FIRST_ROW 5

enum {
    J_VER, J_DATE, J_ACCOUNT, J_ACCNAME, J_ACTIVITY, J_FUNDER, J_EARMARK,
    J_INCOME, J_COST, J_TEXT, J_DOC, J_CORR, J_REG, J_NCOLS
};

static const char *const headings[J_NCOLS] = {
    "Ver", "Datum", "Konto", "Kontonamn", "Verksamhet", "Finansiär",
    "Öronmärkning", "Intäkt", "Kostnad", "Text", "Underlag", "Rättar",
    "Registrerad av"};

/* Least and most widths (characters) of each column: the sheet must print
 * at 8 pt or more when fitted to a landscape A4's width (xlsx_sheet_fit
 * narrows the wrapping columns Kontonamn, Text and Underlag towards
 * `wrap_min` when the data make it wider). The registration time and the
 * user share a column (time, then the user on the next line): the audit
 * trail in the room of one. */
static const unsigned min_width[J_NCOLS] = {4, 10, 5, 10, 10, 9, 12,
                                            11, 11, 18, 10, 7, 20};
static const unsigned max_width[J_NCOLS] = {8, 10, 8, 24, 12, 12, 16,
                                            16, 16, 42, 24, 10, 20};
static const unsigned wrap_min[J_NCOLS] = {0, 0, 0, 10, 0, 0, 0,
                                           0, 0, 18, 9, 0, 20};

size_t xlsx_journal_count(const book *b, int year)
{
    size_t n = 0;
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].year == year)
            n++;
    return n;
}

/* qsort_r, not a global: the web UI may export from several threads. */
static int by_voucher(const void *a, const void *b, void *arg)
{
    const book *bk = arg;
    const book_entry *x = &bk->entries.v[*(const size_t *)a];
    const book_entry *y = &bk->entries.v[*(const size_t *)b];
    return (x->ver > y->ver) - (x->ver < y->ver);
}

static const char *code_or(const char *s)
{
    return s ? s : "";
}

/* "2025-04-08T07:32:11Z processledare": when and by whom (either may be
 * missing), cut to the buffer. */
static void registration(char *buf, size_t size, const book_entry *e)
{
    const char *r = e->registered ? e->registered : "";
    const char *u = e->user ? e->user : "";
    size_t o = 0, n = strlen(r);
    if (n > size - 1)
        n = size - 1;
    memcpy(buf, r, n);
    o = n;
    if (*r && *u && o + 1 < size)
        buf[o++] = ' ';
    n = strlen(u);
    if (n > size - 1 - o)
        n = size - 1 - o;
    memcpy(buf + o, u, n);
    buf[o + n] = '\0';
}

/* The entry rows of one journal sheet, written at the workbook's close. */
typedef struct {
    const size_t *idx; /* the entries, in voucher order */
    size_t n;
    int owns_idx;      /* idx is freed with this (the first sheet's) */
    char sheet[160];
    unsigned width[J_NCOLS]; /* the columns' widths (characters) */
    int xf_int, xf_date, xf_amt, xf_txt, xf_code; /* the cells' styles */
} jrows;

static void journal_rows_free(void *ctx)
{
    jrows *j = ctx;
    if (j->owns_idx)
        free((size_t *)j->idx);
    free(j);
}

/* One row per entry from FIRST_ROW: the cells and row heights the sheet
 * always had (a row as tall as its longest wrapped text). */
static int journal_rows(xlsx_wb *w, xlsx_xml *x, void *ctx)
{
    const jrows *j = ctx;
    const book *b = w->b;
    int fmt_int = j->xf_int, fmt_date = j->xf_date, fmt_amt = j->xf_amt,
        fmt_txt = j->xf_txt, fmt_code = j->xf_code;
    const char *sn = j->sheet;
    for (size_t k = 0; k < j->n && !w->failed; k++) {
        const book_entry *e = &b->entries.v[j->idx[k]];
        lxw_row_t r = FIRST_ROW + (lxw_row_t)k;
        unsigned lines = xlsx_wrap_lines(e->text, j->width[J_TEXT] - 2);
        unsigned dl = xlsx_wrap_lines(e->doc, j->width[J_DOC] - 2);
        unsigned al = e->account >= 0
                          ? xlsx_wrap_lines(b->accounts.v[e->account].name,
                                            j->width[J_ACCNAME] - 2)
                          : 1;
        char reg[256];
        registration(reg, sizeof reg, e);
        unsigned rl = xlsx_wrap_lines(reg, j->width[J_REG] - 2);
        if (dl > lines)
            lines = dl;
        if (al > lines)
            lines = al;
        if (rl > lines)
            lines = rl;
        xlsx_xml_row(x, r, xlsx_row_lines_cpt(lines));
        xlsx_xml_integer(w, x, sn, J_VER, e->ver, fmt_int);
        xlsx_xml_date(w, x, sn, J_DATE, e->date, fmt_date);
        if (e->account >= 0) {
            xlsx_xml_text(w, x, sn, J_ACCOUNT,
                          b->accounts.v[e->account].number, fmt_code);
            xlsx_xml_text(w, x, sn, J_ACCNAME, b->accounts.v[e->account].name,
                          fmt_txt);
        }
        if (e->activity >= 0)
            xlsx_xml_text(w, x, sn, J_ACTIVITY,
                          code_or(b->activities.v[e->activity].code), fmt_code);
        if (e->funder >= 0)
            xlsx_xml_text(w, x, sn, J_FUNDER,
                          code_or(b->funders.v[e->funder].code), fmt_code);
        if (e->earmark >= 0)
            xlsx_xml_text(w, x, sn, J_EARMARK,
                          code_or(b->earmarks.v[e->earmark].code), fmt_code);
        xlsx_xml_amount(w, x, sn,
                        book_entry_kind(b, e) == KIND_INCOME ? J_INCOME
                                                             : J_COST,
                        &e->amount, fmt_amt);
        /* Texts from the book: always string cells, never formulas. */
        xlsx_xml_text(w, x, sn, J_TEXT, e->text, fmt_txt);
        xlsx_xml_text(w, x, sn, J_DOC, e->doc, fmt_txt);
        if (e->corr_year) {
            char corr[32];
            snprintf(corr, sizeof corr, "%d:%d", e->corr_year, e->corr_ver);
            xlsx_xml_text(w, x, sn, J_CORR, corr, fmt_code);
        }
        xlsx_xml_text(w, x, sn, J_REG, reg, fmt_txt);
        xlsx_xml_row_end(x);
    }
    return w->failed ? -1 : 0;
}

/* One sheet of the journal: entries idx[0..n). */
static int journal_sheet(xlsx_wb *w, int year, const size_t *idx, size_t n,
                         int owns_idx, int part, const char *doc_title)
{
    const book *b = w->b;
    const xlsx_styles *st = &w->st;
    xlsx_sheet s;
    char name[64], title[96], sub[512];
    if (part == 1)
        snprintf(name, sizeof name, "Verifikationer");
    else
        snprintf(name, sizeof name, "Verifikationer %d", part);
    if (xlsx_sheet_open(&s, w, name, doc_title, 1, 0) != 0) {
        if (owns_idx)
            free((size_t *)idx);
        return -1;
    }
    xlsx_sheet_library_cells(&s); /* its entry rows are deferred */
    lxw_worksheet *ws = s.ws;

    /* Widths from the data (one pass; capped). */
    dec_t widest, tmp;
    dec_init(&widest);
    dec_init(&tmp);
    int negative = 0;
    for (int c = 0; c < J_NCOLS; c++)
        xlsx_sheet_want(&s, (lxw_col_t)c, min_width[c]);
    for (size_t k = 0; k < n; k++) {
        const book_entry *e = &b->entries.v[idx[k]];
        unsigned tw = xlsx_utf8_width(e->text);
        unsigned dw = xlsx_utf8_width(e->doc);
        unsigned aw = e->account >= 0
                          ? xlsx_utf8_width(b->accounts.v[e->account].name)
                          : 0;
        xlsx_sheet_want(&s, J_TEXT, tw < max_width[J_TEXT] ? tw : max_width[J_TEXT]);
        xlsx_sheet_want(&s, J_DOC, dw < max_width[J_DOC] ? dw : max_width[J_DOC]);
        xlsx_sheet_want(&s, J_ACCNAME,
                        aw < max_width[J_ACCNAME] ? aw : max_width[J_ACCNAME]);
        /* Amounts and codes need their widest value. */
        if (dec_sgn(&e->amount) < 0)
            dec_neg(&tmp, &e->amount);
        else
            dec_set(&tmp, &e->amount);
        if (dec_cmp(&tmp, &widest) > 0)
            dec_set(&widest, &tmp);
        if (dec_sgn(&e->amount) < 0)
            negative = 1;
        if (e->earmark >= 0)
            xlsx_sheet_want(&s, J_EARMARK,
                            xlsx_utf8_width(b->earmarks.v[e->earmark].code));
    }
    if (negative)
        dec_neg(&widest, &widest);
    char *am = dec_format(&widest, w->unit, w->unit == DEC_TKR ? 0 : 2, 0);
    xlsx_sheet_want(&s, J_INCOME, xlsx_utf8_width(am) + 1);
    xlsx_sheet_want(&s, J_COST, xlsx_utf8_width(am) + 1);
    free(am);
    dec_clear(&widest);
    dec_clear(&tmp);
    for (int c = 0; c < J_NCOLS; c++)
        if (wrap_min[c])
            xlsx_sheet_wraps(&s, (lxw_col_t)c, wrap_min[c]);
    xlsx_sheet_fit(&s);

    if (part == 1)
        snprintf(title, sizeof title, "Verifikationer %d", year);
    else
        snprintf(title, sizeof title, "Verifikationer %d (forts. %d)", year,
                 part);
    snprintf(sub, sizeof sub,
             "%s · %zu verifikationer · exakta belopp i kr · "
             "summorna gäller de rader som filtret visar",
             b->name, n);
    xlsx_sheet_row_height(&s, 0, 2200);
    xlsx_put_text(w, ws, s.name, 0, 0, title, st->title);
    xlsx_put_text(w, ws, s.name, 1, 0, sub, st->subtitle);

    /* The totals row: exact sums of this sheet's rows, as live SUBTOTALs. */
    dec_t inc, cost;
    dec_init(&inc);
    dec_init(&cost);
    for (size_t k = 0; k < n; k++) {
        const book_entry *e = &b->entries.v[idx[k]];
        if (book_entry_kind(b, e) == KIND_INCOME)
            dec_add(&inc, &inc, &e->amount);
        else
            dec_add(&cost, &cost, &e->amount);
    }
    lxw_row_t last = FIRST_ROW + (lxw_row_t)(n ? n - 1 : 0);
    char f[128], a[32], z[32];
    const lxw_format *tot = st->cell[XS_TOTAL][XC_LABEL];
    for (int c = 0; c < J_NCOLS; c++)
        if (c != J_INCOME && c != J_COST)
            xlsx_put_text(w, ws, s.name, TOTAL_ROW, (lxw_col_t)c,
                          c == J_EARMARK ? "Summa" : NULL, (lxw_format *)tot);
    lxw_rowcol_to_cell(a, FIRST_ROW, J_INCOME);
    lxw_rowcol_to_cell(z, last, J_INCOME);
    snprintf(f, sizeof f, "=SUBTOTAL(9,%s:%s)", a, z);
    xlsx_put_amount(w, ws, s.name, TOTAL_ROW, J_INCOME, &inc, f,
                    st->cell[XS_TOTAL][XC_AMOUNT]);
    lxw_rowcol_to_cell(a, FIRST_ROW, J_COST);
    lxw_rowcol_to_cell(z, last, J_COST);
    snprintf(f, sizeof f, "=SUBTOTAL(9,%s:%s)", a, z);
    xlsx_put_amount(w, ws, s.name, TOTAL_ROW, J_COST, &cost, f,
                    st->cell[XS_TOTAL][XC_AMOUNT]);
    dec_clear(&inc);
    dec_clear(&cost);

    xlsx_sheet_row_height(&s, HEAD_ROW, 2700);
    for (int c = 0; c < J_NCOLS; c++)
        xlsx_put_text(w, ws, s.name, HEAD_ROW, (lxw_col_t)c, headings[c],
                      c == J_INCOME || c == J_COST || c == J_VER ? st->head_num
                      : c == J_DATE                             ? st->head_center
                      : c == J_TEXT || c == J_DOC || c == J_ACCNAME ||
                              c == J_REG
                          ? st->head_text
                          : st->head);
    s.data_col = 0; /* freeze rows only */
    xlsx_sheet_freeze(&s, HEAD_ROW, HEAD_ROW);
    s.data_col = 1;
    if (n)
        xlsx_check(w, worksheet_autofilter(ws, HEAD_ROW, 0, last, J_NCOLS - 1),
                   "filtret");

    /* The entry rows: written into the package when libxlsxwriter has
     * written the rest (xlsx_zip.c), by journal_rows. */
    if (n) {
        jrows *j = mem_calloc(1, sizeof *j);
        j->idx = idx;
        j->n = n;
        j->owns_idx = owns_idx;
        snprintf(j->sheet, sizeof j->sheet, "%s", s.name);
        for (int c = 0; c < J_NCOLS; c++)
            j->width[c] = xlsx_sheet_colwidth(&s, (lxw_col_t)c);
        j->xf_int = xlsx_xf(st->cell[XS_LINE][XC_INTEGER]);
        j->xf_date = xlsx_xf(st->cell[XS_LINE][XC_DATE]);
        j->xf_amt = xlsx_xf(st->cell[XS_LINE][XC_AMOUNT]);
        j->xf_txt = xlsx_xf(st->cell[XS_LINE][XC_TEXT]);
        j->xf_code = xlsx_xf(st->cell[XS_LINE][XC_CODE]);
        xlsx_deferred d;
        memset(&d, 0, sizeof d);
        char endcell[32];
        lxw_rowcol_to_cell(endcell, last, J_NCOLS - 1);
        snprintf(d.dimension, sizeof d.dimension, "A1:%s", endcell);
        d.rows = journal_rows;
        d.ctx = j;
        d.free_ctx = journal_rows_free;
        xlsx_wb_defer(w, ws, &d);
    } else if (owns_idx) {
        free((size_t *)idx);
    }

    char dn[64];
    if (part == 1)
        snprintf(dn, sizeof dn, "Verifikationer_%d", year);
    else
        snprintf(dn, sizeof dn, "Verifikationer_%d_%d", year, part);
    if (n)
        xlsx_define_name(w, dn, s.name, HEAD_ROW, 0, last, J_NCOLS - 1);
    xlsx_sheet_close(&s);
    return w->failed ? -1 : 0;
}

int xlsx_journal_write(xlsx_wb *w, int year, size_t rows_per_sheet,
                       const char *doc_title)
{
    const book *b = w->b;
    size_t n = xlsx_journal_count(b, year);
    size_t cap = SHEET_ROWS - FIRST_ROW;
    if (rows_per_sheet == 0 || rows_per_sheet > cap)
        rows_per_sheet = cap;
    size_t *idx = mem_alloc_array(n ? n : 1, sizeof *idx);
    size_t k = 0;
    int sorted = 1;
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].year == year) {
            if (k && b->entries.v[idx[k - 1]].ver > b->entries.v[i].ver)
                sorted = 0;
            idx[k++] = i;
        }
    /* A journal is usually in voucher order already (entries are appended
     * as they are numbered). */
    if (!sorted)
        qsort_r(idx, n, sizeof *idx, by_voucher, (void *)b);

    int rc = 0, part = 1;
    size_t done = 0;
    do {
        size_t take = n - done < rows_per_sheet ? n - done : rows_per_sheet;
        /* The first sheet's rows own idx (freed with them). */
        rc |= journal_sheet(w, year, idx + done, take, done == 0, part++,
                            doc_title);
        done += take;
    } while (done < n && rc == 0);
    return rc ? -1 : 0;
}
