/*
 * book_write - the one way every write to a book goes (book_write_rows);
 * book_append.c (the journal, earmark decisions, closes, the
 * reported-through date, comments) and book_rewrite.c (the budget, the
 * populations, a new book) build the rows and call it:
 *
 *   1. each value of each new row is checked with the rules the reader
 *      applies to its column (schema_check_value): UTF-8, no control
 *      characters, the column's length limit, the code alphabet, amounts
 *      and dates that parse. A refused value is named the way the user gave
 *      it (book_origin: "--text", "fältet Underlag", file:line);
 *   2. the new rows are written in the column order of the file's own
 *      header (a person may have rearranged the columns). An optional column
 *      the file lacks is left out while every new value for it is empty; a
 *      new value for it adds the column at the end: the file is then written
 *      out again once, with the same contents, and a note says so;
 *   3. the new rows are read back with the reader's own code
 *      (book_decode_*) and must give exactly the values that were meant;
 *   4. only then store_write_atomic replaces the file.
 *
 * Files that only grow (the journal, the earmark decisions, the closes) are
 * written as their current bytes plus the new rows, so existing rows are
 * never re-serialised and stay byte-for-byte as they were; the read-back
 * reads only the new rows, so a write costs nothing per existing row.
 */
#include "book.h"
#include "book_priv.h"
#include "store.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Values of the new rows ----------------------------------------------- */

/* Formatted values live in the book's arena: a write adds a few rows. */
const char *book_value_amount(book *b, const dec_t *a)
{
    char *s = dec_format(a, DEC_KR, 2, DEC_FMT_PLAIN);
    const char *v = book_strdup(b, s);
    free(s);
    return v;
}

const char *book_value_date(book *b, date_t d)
{
    char buf[11];
    if (d == DATE_NONE)
        return "";
    date_format(d, buf);
    return book_strdup(b, buf);
}

const char *book_value_int(book *b, long n)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", n);
    return book_strdup(b, buf);
}

const char *book_value_str(const char *s)
{
    return s ? s : "";
}

/* ---- Step 1: every value with the reader's rules ---------------------------- */

static const char *label_of(const schema_file *f, const book_origin *o, int c)
{
    if (o && o->labels && o->labels[c])
        return o->labels[c];
    return f->cols[c].name;
}

/* rows: nrows rows of f->ncols values each. */
void book_check_values(const schema_file *f, const char *const *rows,
                         size_t nrows, const book_origin *origins,
                         int one_origin, diag_list *dl)
{
    for (size_t k = 0; k < nrows; k++) {
        const book_origin *o =
            origins ? (one_origin ? origins : &origins[k]) : NULL;
        for (int c = 0; c < f->ncols; c++) {
            char msg[600];
            if (schema_check_value(f, c, rows[k * (size_t)f->ncols + c], msg,
                                   sizeof msg) != 0)
                diag_error(dl, o ? o->file : NULL, o ? o->line : 0, 0,
                           "%s: %s", label_of(f, o, c), msg);
        }
    }
}

/* ---- Step 2: the file's own layout --------------------------------------- */

/*
 * Whether rows in samla's own format (UTF-8, ';') can be appended to a
 * file as it is: it must be UTF-8 and separated by ';'. Its header row
 * holds a ';' exactly when it is: the book loaded, so the header was split
 * into the known column names, none of which holds a ';'.
 */
static int own_format(const char *data, size_t len)
{
    const char *nl = memchr(data, '\n', len);
    size_t first = nl ? (size_t)(nl - data) : len;
    return memchr(data, ';', first) != NULL && text_utf8_valid(data, len);
}

/* One file being written. */
typedef struct {
    const schema_file *f;
    char *path;
    schema_layout lay;
    csvio_out out;   /* the whole new contents */
    size_t tail;     /* where the new rows start in out */
} file_write;

/* Columns the layout lacks but some new row has a value for: added at the
 * end. Returns how many. */
static int add_needed_columns(file_write *w, const char *const *rows,
                              size_t nrows)
{
    int added = 0;
    for (int c = 0; c < w->f->ncols; c++) {
        if (schema_layout_has(&w->lay, c))
            continue;
        for (size_t k = 0; k < nrows; k++) {
            const char *v = rows[k * (size_t)w->f->ncols + c];
            if (v && *v) {
                schema_layout_add(&w->lay, c);
                added++;
                break;
            }
        }
    }
    return added;
}

/* Write the parsed table t out again in samla's format, header cells as
 * they were plus the added columns, every field as it was stored. */
static void out_table(file_write *w, const csvio_table *t, size_t nold)
{
    csvio_out_init(&w->out, ';', 1);
    for (size_t i = 0; i < t->nrows; i++) {
        const csvio_row *r = &t->rows[i];
        for (size_t k = 0; k < r->n; k++)
            csvio_out_fieldn(&w->out, r->f[k].s, r->f[k].len);
        for (int j = (int)nold; j < w->lay.n; j++)
            csvio_out_field(&w->out,
                            i == 0 ? w->f->cols[w->lay.order[j]].name : "");
        csvio_out_endrow(&w->out);
    }
}

/* The layout of the header row h of t. */
static int layout_of(file_write *w, const csvio_table *t, const csvio_row *h,
                     diag_list *dl)
{
    int idx[SCHEMA_MAX_COLS];
    if (schema_map(w->f, t, h, idx, dl) != 0)
        return -1;
    schema_layout_from_map(&w->lay, idx, h->n, w->f);
    return 0;
}

/*
 * Start w->out with the file's current contents (mode BOOK_WRITE_APPEND) or with its
 * header only (BOOK_WRITE_REPLACE), in its own layout, extended by the columns the new
 * rows need. A missing file starts with samla's own layout.
 */

static int begin_file(file_write *w, book *b, const schema_file *f, int mode,
                      const char *const *rows, size_t nrows, diag_list *dl)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->path = book_path(b, f->file);
    struct stat st;
    if (stat(w->path, &st) != 0 && errno == ENOENT) {
        schema_layout_default(&w->lay, f);
        csvio_out_init(&w->out, ';', 1);
        schema_out_header(&w->out, f, &w->lay);
        w->tail = w->out.len;
        return 0;
    }
    char *data;
    size_t len;
    if (store_read_file(w->path, &data, &len, dl) != SAMLA_OK)
        return -1;
    int rc = -1, rewrite = mode == BOOK_WRITE_REPLACE || !own_format(data, len);
    csvio_table t;
    diag_list tmp;
    diag_init(&tmp);
    if (!rewrite) {
        /* Only the header row is parsed: the rows stay bytes. */
        const char *nl = memchr(data, '\n', len);
        size_t hl = nl ? (size_t)(nl - data) + 1 : len;
        csvio_opts o = {';', 0, 0, 1};
        if (csvio_read_mem(&t, data, hl, w->path, &o, &tmp) == SAMLA_OK &&
            t.nrows > 0 && layout_of(w, &t, &t.rows[0], &tmp) == 0) {
            if (add_needed_columns(w, rows, nrows) > 0) {
                csvio_free(&t);
                rewrite = 1;
            } else {
                csvio_out_init(&w->out, ';', 0);
                csvio_out_raw(&w->out, data, len);
                if (len > 0 && data[len - 1] != '\n')
                    csvio_out_raw(&w->out, "\r\n", 2);
                rc = 0;
            }
        }
        if (!rewrite)
            csvio_free(&t);
    }
    if (rewrite && diag_errors(&tmp) == 0) {
        if (csvio_read_mem(&t, data, len, w->path, NULL, &tmp) == SAMLA_OK &&
            t.nrows > 0 && layout_of(w, &t, &t.rows[0], &tmp) == 0) {
            int nold = w->lay.n;
            int added = add_needed_columns(w, rows, nrows);
            if (mode == BOOK_WRITE_REPLACE) {
                csvio_out_init(&w->out, ';', 1);
                schema_out_header(&w->out, f, &w->lay);
            } else {
                out_table(w, &t, (size_t)nold);
            }
            for (int j = nold; j < w->lay.n; j++)
                diag_add(dl, DIAG_NOTE, w->path, 0, 0,
                         mode == BOOK_WRITE_APPEND
                             ? "kolumnen \"%s\" fanns inte i filen; den lades "
                               "till sist och filen skrevs om med samma "
                               "innehåll"
                             : "kolumnen \"%s\" fanns inte i filen; den lades "
                               "till sist",
                         f->cols[w->lay.order[j]].name);
            if (mode == BOOK_WRITE_APPEND && !added)
                diag_add(dl, DIAG_NOTE, w->path, 0, 0,
                         "filen var inte sparad som UTF-8 med semikolon; den "
                         "skrevs om i samlas format (UTF-8, semikolon) med "
                         "samma innehåll");
            rc = 0;
        }
        csvio_free(&t);
    }
    if (rc != 0) {
        /* The book loaded under the lock, so this is a file changed
         * behind the lock's back, or a fault of samla's. */
        diag_take(dl, &tmp);
        diag_error(dl, w->path, 0, 0,
                   "filen kan inte läsas om inför skrivningen");
    }
    diag_free(&tmp);
    free(data);
    w->tail = w->out.len;
    return rc;
}

static void file_write_free(file_write *w)
{
    csvio_out_free(&w->out);
    free(w->path);
}

/* ---- Step 3: read the new rows back ----------------------------------------- */


static int read_back(book *b, file_write *w, const char *const *rows,
                     size_t nrows, book_decode_fn decode, const void *meant,
                     diag_list *dl)
{
    const schema_file *f = w->f;
    /* The header in the layout, then the new rows as they will be stored. */
    csvio_out head;
    csvio_out_init(&head, ';', 1);
    schema_out_header(&head, f, &w->lay);
    csvio_out_raw(&head, w->out.buf + w->tail, w->out.len - w->tail);
    diag_list tmp;
    diag_init(&tmp);
    schema_sheet s;
    memset(&s, 0, sizeof s);
    csvio_opts o = {';', 0, 0, 1};
    int ok = csvio_read_mem(&s.t, head.buf, head.len, w->path, &o, &tmp) ==
                 SAMLA_OK &&
             s.t.nrows == nrows + 1;
    s.disp = s.t.display;
    if (ok)
        ok = schema_sheet_header(&s, f, &s.t.rows[0], &tmp) == 0;
    for (size_t k = 0; ok && k < nrows; k++) {
        const csvio_row *r = &s.t.rows[k + 1];
        for (int c = 0; c < f->ncols; c++) {
            const char *want = rows[k * (size_t)f->ncols + c];
            const char *got = schema_raw(&s, r, c);
            int free_text = f->cols[c].kind == SCHEMA_TEXT ||
                            f->cols[c].kind == SCHEMA_NOTE;
            if (free_text)
                got = text_unescape(got);
            if (strcmp(got, want ? want : "") != 0) {
                diag_error(&tmp, NULL, 0, 0,
                           "kolumnen %s läses tillbaka som \"%s\", inte "
                           "\"%s\"",
                           f->cols[c].name, got, want ? want : "");
                ok = 0;
            }
        }
        if (ok && decode && !decode(b, &s, r, k, meant, &tmp))
            ok = 0;
    }
    if (!ok || diag_errors(&tmp) > 0) {
        for (size_t i = 0; i < tmp.n; i++)
            if (tmp.v[i].level == DIAG_ERROR)
                diag_error(dl, w->path, 0, 0,
                           "den nya raden skulle inte läsas tillbaka "
                           "likadant: %s",
                           tmp.v[i].msg);
        if (diag_errors(&tmp) == 0)
            diag_error(dl, w->path, 0, 0,
                       "de nya raderna skulle inte läsas tillbaka likadant");
        ok = 0;
    }
    diag_free(&tmp);
    schema_sheet_free(&s);
    csvio_out_free(&head);
    return ok;
}

/* ---- Steps 1-4 together --------------------------------------------------------- */

/*
 * Write nrows new rows (values per column of f, row after row) to f's file:
 * appended (BOOK_WRITE_APPEND) or as the whole file (BOOK_WRITE_REPLACE). origins: NULL, one for
 * all rows (one_origin), or one per row. Returns SAMLA_OK, SAMLA_EDATA (a
 * value refused; nothing written) or SAMLA_EIO.
 */
samla_err book_write_rows(book *b, const schema_file *f, int mode,
                      const char *const *rows, size_t nrows,
                      const book_origin *origins, int one_origin,
                      book_decode_fn decode, const void *meant, diag_list *dl)
{
    size_t before = diag_errors(dl);
    book_check_values(f, rows, nrows, origins, one_origin, dl);
    if (diag_errors(dl) > before)
        return SAMLA_EDATA;
    file_write w;
    if (begin_file(&w, b, f, mode, rows, nrows, dl) != 0) {
        file_write_free(&w);
        return SAMLA_EIO;
    }
    for (size_t k = 0; k < nrows; k++)
        schema_out_row(&w.out, f, &w.lay, rows + k * (size_t)f->ncols);
    int rc = SAMLA_EDATA;
    if (read_back(b, &w, rows, nrows, decode, meant, dl))
        rc = store_write_atomic(w.path, w.out.buf, w.out.len, dl);
    file_write_free(&w);
    return rc;
}
