/*
 * book_write - adding to a book: entries, earmark decisions, budget, closes.
 *
 * Every write goes the same way (write_rows):
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
#include "mem.h"
#include "book_priv.h"
#include "check.h"
#include "manifest.h"
#include "csvio.h"
#include "store.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Values of the new rows ----------------------------------------------- */

/* Formatted values live in the book's arena: a write adds a few rows. */
static const char *amount_value(book *b, const dec_t *a)
{
    char *s = dec_format(a, DEC_KR, 2, DEC_FMT_PLAIN);
    const char *v = book_strdup(b, s);
    free(s);
    return v;
}

static const char *date_value(book *b, date_t d)
{
    char buf[11];
    if (d == DATE_NONE)
        return "";
    date_format(d, buf);
    return book_strdup(b, buf);
}

static const char *int_value(book *b, long n)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", n);
    return book_strdup(b, buf);
}

static const char *str(const char *s)
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
static void check_values(const schema_file *f, const char *const *rows,
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
 * Start w->out with the file's current contents (mode APPEND) or with its
 * header only (REPLACE), in its own layout, extended by the columns the new
 * rows need. A missing file starts with samla's own layout.
 */
enum { APPEND, REPLACE };

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
    int rc = -1, rewrite = mode == REPLACE || !own_format(data, len);
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
            if (mode == REPLACE) {
                csvio_out_init(&w->out, ';', 1);
                schema_out_header(&w->out, f, &w->lay);
            } else {
                out_table(w, &t, (size_t)nold);
            }
            for (int j = nold; j < w->lay.n; j++)
                diag_add(dl, DIAG_NOTE, w->path, 0, 0,
                         mode == APPEND
                             ? "kolumnen \"%s\" fanns inte i filen; den lades "
                               "till sist och filen skrevs om med samma "
                               "innehåll"
                             : "kolumnen \"%s\" fanns inte i filen; den lades "
                               "till sist",
                         f->cols[w->lay.order[j]].name);
            if (mode == APPEND && !added)
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

/* Decode row k of the read-back (the reader's own code) and compare it with
 * what was meant; add errors to dl. */
typedef int (*decode_fn)(book *b, const schema_sheet *s, const csvio_row *r,
                         size_t k, const void *meant, diag_list *dl);

static int read_back(book *b, file_write *w, const char *const *rows,
                     size_t nrows, decode_fn decode, const void *meant,
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
 * appended (APPEND) or as the whole file (REPLACE). origins: NULL, one for
 * all rows (one_origin), or one per row. Returns SAMLA_OK, SAMLA_EDATA (a
 * value refused; nothing written) or SAMLA_EIO.
 */
static int write_rows(book *b, const schema_file *f, int mode,
                      const char *const *rows, size_t nrows,
                      const book_origin *origins, int one_origin,
                      decode_fn decode, const void *meant, diag_list *dl)
{
    size_t before = diag_errors(dl);
    check_values(f, rows, nrows, origins, one_origin, dl);
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

/* ---- The journal ----------------------------------------------------------------- */

static void entry_values(book *b, const book_entry *e, const char **v)
{
    v[SCHEMA_JE_VER] = int_value(b, e->ver);
    v[SCHEMA_JE_DATE] = date_value(b, e->date);
    v[SCHEMA_JE_ACCOUNT] = b->accounts.v[e->account].number;
    v[SCHEMA_JE_ACTIVITY] =
        e->activity >= 0 ? b->activities.v[e->activity].code : "";
    v[SCHEMA_JE_FUNDER] = e->funder >= 0 ? b->funders.v[e->funder].code : "";
    v[SCHEMA_JE_EARMARK] =
        e->earmark >= 0 ? b->earmarks.v[e->earmark].code : "";
    v[SCHEMA_JE_AMOUNT] = amount_value(b, &e->amount);
    v[SCHEMA_JE_TEXT] = str(e->text);
    v[SCHEMA_JE_DOC] = str(e->doc);
    if (e->corr_year) {
        char buf[32];
        snprintf(buf, sizeof buf, "%d:%d", e->corr_year, e->corr_ver);
        v[SCHEMA_JE_CORRECTS] = book_strdup(b, buf);
    } else {
        v[SCHEMA_JE_CORRECTS] = "";
    }
    v[SCHEMA_JE_REGISTERED] = str(e->registered);
    v[SCHEMA_JE_USER] = str(e->user);
    v[SCHEMA_JE_SOURCE] = str(e->source);
    v[SCHEMA_JE_FINGERPRINT] = str(e->fingerprint);
}

static int decode_entry(book *b, const schema_sheet *s, const csvio_row *r,
                        size_t k, const void *meant, diag_list *dl)
{
    const book_entry *w = (const book_entry *)meant + k;
    book_entry e;
    int ok = book_decode_entry(b, s, r, NULL, &e, dl);
    if (ok && (e.year != w->year || e.ver != w->ver || e.date != w->date ||
               e.account != w->account || e.activity != w->activity ||
               e.funder != w->funder || e.earmark != w->earmark ||
               dec_cmp(&e.amount, &w->amount) != 0 ||
               e.corr_year != w->corr_year || e.corr_ver != w->corr_ver)) {
        diag_error(dl, NULL, 0, 0, "verifikation %d:%d", w->year, w->ver);
        ok = 0;
    }
    dec_clear(&e.amount);
    return ok;
}

/* Remove the last entry of b again (after a failed check or write). */
static void pop_entry(book *b)
{
    book_entry *e = &b->entries.v[b->entries.n - 1];
    book_unindex_voucher(b, e->year, (long)b->entries.n - 1);
    dec_clear(&e->amount);
    b->entries.n--;
}

/* The book keeps its own copy of every string it is given (in its arena,
 * freed by book_free), so a caller's buffers may go as soon as the call
 * returns: the same rule for every book_append_* function. */
static const char *keep(book *b, const char *s)
{
    return s ? book_strdup(b, s) : NULL;
}

static void keep_entry_strings(book *b, book_entry *e)
{
    e->text = keep(b, e->text);
    e->doc = keep(b, e->doc);
    e->registered = keep(b, e->registered);
    e->user = keep(b, e->user);
    e->source = keep(b, e->source);
    e->fingerprint = keep(b, e->fingerprint);
}

int book_append_entries(book *b, const book_entry *e, size_t n,
                        const book_origin *origins, diag_list *dl)
{
    size_t before = diag_errors(dl);
    size_t n0 = b->entries.n;
    check_new_entries(b, e, n, dl);
    for (size_t i = 0; i < n; i++) {
        book_entry *ne = book_vec_push(b->entries);
        *ne = e[i];
        keep_entry_strings(b, ne);
        dec_init(&ne->amount);
        dec_set(&ne->amount, &e[i].amount);
        ne->line = 0;
        check_entry_row(b, ne, NULL, dl);
        book_index_voucher(b, ne->year, ne->ver, (long)b->entries.n - 1);
    }
    /* The book-wide rules too: a cost dated before an earmark decision can
     * leave the earmarks larger than the surplus was that day, which would
     * make the saved book unloadable. */
    if (diag_errors(dl) == before && check_book_rules(b, dl) > 0)
        diag_error(dl, NULL, 0, 0,
                   "de nya posterna skulle bryta mot regeln ovan; inget "
                   "sparades");
    int rc = SAMLA_EDATA;
    if (diag_errors(dl) == before) {
        const char **rows = mem_calloc(n ? n * SCHEMA_JE_N : 1, sizeof *rows);
        for (size_t i = 0; i < n; i++)
            entry_values(b, &b->entries.v[n0 + i], rows + i * SCHEMA_JE_N);
        rc = write_rows(b, &schema_journal, APPEND, rows, n, origins, 0,
                        decode_entry, b->entries.v + n0, dl);
        free(rows);
    }
    if (rc != SAMLA_OK)
        while (b->entries.n > n0)
            pop_entry(b);
    else
        /* Saved: now say if a new cost draws an earmark beyond what
         * remains (a warning; the decision to spend was already made). */
        check_earmark_draws(b, n0, dl);
    return rc;
}

/* ---- Earmark decisions ------------------------------------------------------ */

static void decision_values(book *b, const book_decision *d, const char **v)
{
    static const char *events[] = {"reservera", "frigör", "avsluta"};
    const book_earmark *em = &b->earmarks.v[d->earmark];
    v[SCHEMA_EM_CODE] = em->code;
    v[SCHEMA_EM_EVENT] = events[d->event];
    v[SCHEMA_EM_TYPE] = em->kind == EARMARK_GRANT ? "bidrag" : "reservation";
    v[SCHEMA_EM_PURPOSE] = str(em->purpose);
    v[SCHEMA_EM_AMOUNT] =
        d->event == EM_CLOSE ? "" : amount_value(b, &d->amount);
    v[SCHEMA_EM_BODY] = str(d->body);
    v[SCHEMA_EM_DATE] = date_value(b, d->date);
    v[SCHEMA_EM_PARAGRAPH] = str(d->paragraph);
    v[SCHEMA_EM_FROM] = date_value(b, em->valid_from);
    v[SCHEMA_EM_TO] = date_value(b, em->valid_to);
    v[SCHEMA_EM_REGISTERED] = str(d->registered);
    v[SCHEMA_EM_USER] = str(d->user);
}

static int decode_decision(book *b, const schema_sheet *s, const csvio_row *r,
                           size_t k, const void *meant, diag_list *dl)
{
    const book_decision *w = (const book_decision *)meant + k;
    book_earmark def;
    book_decision d;
    int ok = book_decode_decision(b, s, r, &def, &d, dl);
    if (ok && (d.event != w->event || d.date != w->date ||
               (w->event != EM_CLOSE && dec_cmp(&d.amount, &w->amount) != 0))) {
        diag_error(dl, NULL, 0, 0, "öronmärkningen %s", def.code);
        ok = 0;
    }
    dec_clear(&d.amount);
    return ok;
}

int book_append_decision(book *b, const book_earmark *def,
                         const book_decision *d, const book_origin *origin,
                         diag_list *dl)
{
    book_priv *p = book_priv_of(b);
    int em = d->earmark;
    int created = 0;
    if (def) {
        book_earmark *ne = book_vec_push(b->earmarks);
        *ne = *def;
        ne->code = keep(b, ne->code);
        ne->purpose = keep(b, ne->purpose);
        ne->body = keep(b, ne->body);
        ne->paragraph = keep(b, ne->paragraph);
        em = (int)b->earmarks.n - 1;
        strmap_put(&p->earmarks, ne->code, em);
        created = 1;
    }
    book_decision *nd = book_vec_push(b->decisions);
    *nd = *d;
    nd->body = keep(b, nd->body);
    nd->paragraph = keep(b, nd->paragraph);
    nd->registered = keep(b, nd->registered);
    nd->user = keep(b, nd->user);
    nd->earmark = em;
    dec_init(&nd->amount);
    dec_set(&nd->amount, &d->amount);
    /* The new decision must keep every rule a loaded book keeps (the
     * warnings were shown when the book was loaded). */
    size_t before = diag_errors(dl);
    check_book_rules(b, dl);
    int rc = SAMLA_EDATA;
    if (diag_errors(dl) == before) {
        const char *row[SCHEMA_EM_N] = {0};
        decision_values(b, nd, row);
        rc = write_rows(b, &schema_earmarks, APPEND, row, 1, origin, 1,
                        decode_decision, nd, dl);
    }
    if (rc != SAMLA_OK) {
        dec_clear(&nd->amount);
        b->decisions.n--;
        if (created) {
            b->earmarks.n--;
            /* Drop the code from the index by rebuilding it. */
            strmap_free(&p->earmarks);
            strmap_init(&p->earmarks);
            for (size_t i = 0; i < b->earmarks.n; i++)
                strmap_put(&p->earmarks, b->earmarks.v[i].code, (int)i);
        }
    }
    return rc;
}

/* ---- The budget ----------------------------------------------------------------- */

static void budget_values(book *b, const book_budget_line *l, const char **v)
{
    v[SCHEMA_BU_YEAR] = int_value(b, l->year);
    v[SCHEMA_BU_TYPE] = l->kind == KIND_INCOME ? "intäkt" : "kostnad";
    v[SCHEMA_BU_CODE] = str(l->code);
    v[SCHEMA_BU_ACCOUNT] =
        l->account >= 0 ? b->accounts.v[l->account].number : "";
    for (int q = 0; q < 4; q++)
        v[SCHEMA_BU_Q1 + q] = amount_value(b, &l->q[q]);
    v[SCHEMA_BU_FORECAST] =
        l->has_forecast ? amount_value(b, &l->forecast) : "";
    v[SCHEMA_BU_TEXT] = str(l->text);
    v[SCHEMA_BU_EARMARK] = str(l->earmark);
}

static int decode_budget(book *b, const schema_sheet *s, const csvio_row *r,
                         size_t k, const void *meant, diag_list *dl)
{
    const book_budget_line *w = (const book_budget_line *)meant + k;
    book_budget_line l;
    int ok = book_decode_budget(b, s, r, &l, dl);
    for (int q = 0; ok && q < 4; q++)
        if (dec_cmp(&l.q[q], &w->q[q]) != 0)
            ok = 0;
    if (ok && (l.year != w->year || l.kind != w->kind ||
               l.account != w->account || l.has_forecast != w->has_forecast ||
               (w->has_forecast && dec_cmp(&l.forecast, &w->forecast) != 0) ||
               strcmp(str(l.earmark), str(w->earmark)) != 0))
        ok = 0;
    if (!ok && diag_errors(dl) == 0)
        diag_error(dl, NULL, 0, 0, "budgetraden %d %s", w->year, w->code);
    for (int q = 0; q < 4; q++)
        dec_clear(&l.q[q]);
    dec_clear(&l.forecast);
    return ok;
}

int book_write_budget(book *b, const book_origin *origin, diag_list *dl)
{
    size_t n = b->budget.n;
    const char **rows = mem_calloc(n ? n * SCHEMA_BU_N : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++)
        budget_values(b, &b->budget.v[i], rows + i * SCHEMA_BU_N);
    int rc = write_rows(b, &schema_budget, REPLACE, rows, n, origin, 1,
                        decode_budget, b->budget.v, dl);
    free(rows);
    return rc;
}

/* ---- Populations (invanare.csv) --------------------------------------------- */

static int decode_population(book *b, const schema_sheet *s,
                             const csvio_row *r, size_t k, const void *meant,
                             diag_list *dl)
{
    const book_population *w = (const book_population *)meant + k;
    book_population p;
    int ok = book_decode_population(b, s, r, &p, dl);
    if (ok && (p.year != w->year || p.funder != w->funder ||
               p.population != w->population)) {
        diag_error(dl, NULL, 0, 0, "invånarantalet %d %s", w->year,
                   b->funders.v[w->funder].code);
        ok = 0;
    }
    return ok;
}

int book_write_populations(book *b, const book_origin *origin, diag_list *dl)
{
    size_t n = b->populations.n, before = diag_errors(dl);
    const char *file = origin ? origin->file : NULL;
    long line = origin ? origin->line : 0;
    /* The loader's rules across rows, before any value is written. */
    for (size_t i = 0; i < n; i++) {
        const book_population *p = &b->populations.v[i];
        if (p->funder < 0 || (size_t)p->funder >= b->funders.n) {
            diag_error(dl, file, line, 0, "invånarantal utan finansiär");
            continue;
        }
        if (!book_funder_is_municipality(b, p->funder))
            diag_error(dl, file, line, 0,
                       "finansiären %s är inte en kommun; invånare anges "
                       "bara för kommuner",
                       b->funders.v[p->funder].code);
        else if (p->population == 0)
            diag_error(dl, file, line, 0,
                       "invånarantalet för %s %d ska vara större än noll",
                       b->funders.v[p->funder].code, p->year);
        for (size_t j = 0; j < i; j++)
            if (b->populations.v[j].year == p->year &&
                b->populations.v[j].funder == p->funder)
                diag_error(dl, file, line, 0,
                           "invånarantalet för %s %d finns två gånger",
                           b->funders.v[p->funder].code, p->year);
    }
    if (diag_errors(dl) > before)
        return SAMLA_EDATA;
    const char **rows = mem_calloc(n ? n * SCHEMA_PO_N : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        const book_population *p = &b->populations.v[i];
        const char **v = rows + i * SCHEMA_PO_N;
        v[SCHEMA_PO_YEAR] = int_value(b, p->year);
        v[SCHEMA_PO_FUNDER] = b->funders.v[p->funder].code;
        v[SCHEMA_PO_COUNT] = int_value(b, (long)p->population);
        v[SCHEMA_PO_SOURCE] = str(p->source);
    }
    int rc = write_rows(b, &schema_populations, REPLACE, rows, n, origin, 1,
                        decode_population, b->populations.v, dl);
    free(rows);
    return rc;
}

/* ---- Year closes --------------------------------------------------------------- */

static int decode_close(book *b, const schema_sheet *s, const csvio_row *r,
                        size_t k, const void *meant, diag_list *dl)
{
    const book_close *w = (const book_close *)meant + k;
    book_close c;
    int ok = book_decode_close(b, s, r, &c, dl);
    if (ok && (c.year != w->year || c.closed != w->closed ||
               dec_cmp(&c.result, &w->result) != 0 ||
               dec_cmp(&c.closing, &w->closing) != 0)) {
        diag_error(dl, NULL, 0, 0, "bokslutet för %d", w->year);
        ok = 0;
    }
    dec_clear(&c.result);
    dec_clear(&c.closing);
    return ok;
}

static int commit(book *b, const char *file, csvio_out *o, diag_list *dl)
{
    char *path = book_path(b, file);
    int rc = store_write_atomic(path, o->buf, o->len, dl);
    free(path);
    csvio_out_free(o);
    return rc;
}

int book_append_close(book *b, const book_close *c, const book_origin *origin,
                      diag_list *dl)
{
    int closed_now = book_year_closed(b, c->year) >= 0;
    if (c->closed == closed_now) {
        diag_error(dl, NULL, 0, 0, c->closed ? "år %d är redan stängt"
                                             : "år %d är inte stängt",
                   c->year);
        return SAMLA_EDATA;
    }
    char hash[65];
    long count = c->count;
    snprintf(hash, sizeof hash, "%s", c->hash ? c->hash : "");
    const char *row[SCHEMA_CL_N] = {0};
    row[SCHEMA_CL_YEAR] = int_value(b, c->year);
    row[SCHEMA_CL_EVENT] = c->closed ? "stängt" : "återöppnat";
    row[SCHEMA_CL_RESULT] = amount_value(b, &c->result);
    row[SCHEMA_CL_CLOSING] = amount_value(b, &c->closing);
    row[SCHEMA_CL_HASH] = hash;
    row[SCHEMA_CL_REGISTERED] = str(c->registered);
    row[SCHEMA_CL_USER] = str(c->user);
    row[SCHEMA_CL_REASON] = str(c->reason);
    /* The values first, so a refused one leaves no manifest behind. */
    size_t before = diag_errors(dl);
    row[SCHEMA_CL_COUNT] = "0";
    check_values(&schema_closes, row, 1, origin, 1, dl);
    if (diag_errors(dl) > before)
        return SAMLA_EDATA;
    int rc;
    if (c->closed) {
        /* The manifest goes first, in its own atomic write. The year is
         * closed only by the bokslut.csv row written after it, so a crash
         * in between leaves the year open and an unused manifest that the
         * next close replaces. */
        char name[32];
        csvio_out m;
        manifest_name(c->year, name, sizeof name);
        manifest_build(b, c->year, &c->result, &c->closing, &m, &count);
        manifest_sha256_hex(m.buf, m.len, hash);
        rc = commit(b, name, &m, dl);
        if (rc != SAMLA_OK)
            return rc;
    }
    row[SCHEMA_CL_COUNT] = int_value(b, count);
    book_close meant = *c;
    meant.count = count;
    rc = write_rows(b, &schema_closes, APPEND, row, 1, origin, 1,
                    decode_close, &meant, dl);
    if (rc == SAMLA_OK) {
        /* The caller's strings need not outlive the call: copy them. */
        book_close *nc = book_vec_push(b->closes);
        *nc = *c;
        nc->count = count;
        nc->hash = book_strdup(b, hash);
        nc->registered = book_strdup(b, str(c->registered));
        nc->user = book_strdup(b, str(c->user));
        nc->reason = book_strdup(b, str(c->reason));
        dec_init(&nc->result);
        dec_init(&nc->closing);
        dec_set(&nc->result, &c->result);
        dec_set(&nc->closing, &c->closing);
    }
    return rc;
}

/* ---- Reported through ----------------------------------------------------------- */

static int decode_reported(book *b, const schema_sheet *s, const csvio_row *r,
                           size_t k, const void *meant, diag_list *dl)
{
    const book_reported *w = (const book_reported *)meant + k;
    book_reported rp;
    int ok = book_decode_reported(b, s, r, &rp, dl);
    if (ok && rp.date != w->date) {
        diag_error(dl, NULL, 0, 0, "rapporterat t.o.m.");
        ok = 0;
    }
    return ok;
}

int book_append_reported(book *b, const book_reported *r, int backwards,
                         const book_origin *origin, diag_list *dl)
{
    char d[11], cur[11];
    if (r->date == DATE_NONE) {
        diag_error(dl, NULL, 0, 0, "rapporterat t.o.m. saknar datum");
        return SAMLA_EDATA;
    }
    date_format(r->date, d);
    if (b->start != DATE_NONE && r->date < b->start - 1) {
        date_format(b->start, cur);
        diag_error(dl, NULL, 0, 0,
                   "%s ligger före bokens startdatum %s", d, cur);
        return SAMLA_EDATA;
    }
    if (r->date > date_today()) {
        date_format(date_today(), cur);
        diag_error(dl, NULL, 0, 0,
                   "%s har inte kommit än (i dag är det %s); utfallet kan "
                   "inte vara komplett t.o.m. ett datum i framtiden", d, cur);
        return SAMLA_EDATA;
    }
    const book_reported *prev =
        b->reported_log.n ? &b->reported_log.v[b->reported_log.n - 1] : NULL;
    if (prev && r->date < prev->date && !backwards) {
        date_format(prev->date, cur);
        diag_error(dl, NULL, 0, 0,
                   "boken är rapporterad t.o.m. %s; %s skulle flytta datumet "
                   "bakåt (ange --backwards och --reason om det är avsikten)",
                   cur, d);
        return SAMLA_EDATA;
    }
    if (!book_reported_back_ok(prev, r)) {
        date_format(prev->date, cur);
        diag_error(dl, NULL, 0, 0,
                   "att flytta rapporterat t.o.m. bakåt från %s till %s "
                   "kräver en motivering (--reason)", cur, d);
        return SAMLA_EDATA;
    }
    const char *row[SCHEMA_RP_N] = {0};
    row[SCHEMA_RP_DATE] = d;
    row[SCHEMA_RP_SOURCE] = str(r->source);
    row[SCHEMA_RP_REGISTERED] = str(r->registered);
    row[SCHEMA_RP_USER] = str(r->user);
    row[SCHEMA_RP_REASON] = str(r->reason);
    if (!*row[SCHEMA_RP_SOURCE]) {
        diag_error(dl, NULL, 0, 0, "rapporterat t.o.m. saknar källa");
        return SAMLA_EDATA;
    }
    int rc = write_rows(b, &schema_reported, APPEND, row, 1, origin, 1,
                        decode_reported, r, dl);
    if (rc == SAMLA_OK) {
        book_reported *nr = book_vec_push(b->reported_log);
        nr->date = r->date;
        nr->source = book_strdup(b, row[SCHEMA_RP_SOURCE]);
        nr->registered = book_strdup(b, row[SCHEMA_RP_REGISTERED]);
        nr->user = book_strdup(b, row[SCHEMA_RP_USER]);
        nr->reason = book_strdup(b, row[SCHEMA_RP_REASON]);
        nr->line = 0;
        b->reported = r->date;
    }
    return rc;
}

int book_reported_advance(book *b, date_t to, const char *source,
                          const char *user, const char *registered,
                          diag_list *dl)
{
    if (to == DATE_NONE || (b->reported != DATE_NONE && to <= b->reported))
        return 0;
    if (to > date_today()) {
        char d[11];
        date_format(to, d);
        diag_add(dl, DIAG_NOTE, NULL, 0, 0,
                 "rapporterat t.o.m. flyttas inte till %s, som inte har "
                 "kommit än ('samla reported' när perioden är slut)", d);
        return 0;
    }
    book_reported r;
    memset(&r, 0, sizeof r);
    r.date = to;
    r.source = source;
    r.user = user;
    r.registered = registered;
    r.reason = "";
    /* The save that completed the outcome has been made: a failure here
     * is a warning, not an error that would say nothing was saved. */
    diag_list tmp;
    diag_init(&tmp);
    int rc = book_append_reported(b, &r, 0, NULL, &tmp);
    for (size_t i = 0; i < tmp.n; i++)
        diag_add(dl, tmp.v[i].level == DIAG_ERROR ? DIAG_WARNING
                                                   : tmp.v[i].level,
                 tmp.v[i].file, tmp.v[i].line, tmp.v[i].col, "%s",
                 tmp.v[i].msg);
    diag_free(&tmp);
    char d[11];
    date_format(to, d);
    if (rc == SAMLA_OK) {
        diag_add(dl, DIAG_NOTE, NULL, 0, 0,
                 "boken är nu rapporterad t.o.m. %s: uppföljningen görs per "
                 "det datumet (samla reported)", d);
        return 1;
    }
    diag_warn(dl, NULL, 0, 0,
              "rapporterat t.o.m. kunde inte flyttas till %s; det som "
              "registrerades är sparat. Kör 'samla reported %s'.", d, d);
    return -1;
}

/* ---- Comments ------------------------------------------------------------------ */

static int decode_comment(book *b, const schema_sheet *s, const csvio_row *r,
                          size_t k, const void *meant, diag_list *dl)
{
    const book_comment *w = (const book_comment *)meant + k;
    book_comment c;
    int ok = book_decode_comment(b, s, r, &c, dl);
    if (ok && (c.year != w->year || c.kind != w->kind ||
               c.account != w->account || c.from != w->from ||
               c.to != w->to || strcmp(c.period, w->period) != 0 ||
               strcmp(c.code, w->code) != 0 || strcmp(c.text, w->text) != 0)) {
        diag_error(dl, NULL, 0, 0, "kommentaren %d %s", w->year, w->code);
        ok = 0;
    }
    return ok;
}

int book_append_comment(book *b, const book_comment *c,
                        const book_origin *origin, diag_list *dl)
{
    const char *row[SCHEMA_CM_N] = {0};
    row[SCHEMA_CM_YEAR] = int_value(b, c->year);
    row[SCHEMA_CM_PERIOD] = str(c->period);
    row[SCHEMA_CM_TYPE] = c->kind == KIND_INCOME ? "intäkt" : "kostnad";
    row[SCHEMA_CM_CODE] = str(c->code);
    row[SCHEMA_CM_ACCOUNT] =
        c->account >= 0 ? b->accounts.v[c->account].number : "";
    row[SCHEMA_CM_TEXT] = str(c->text);
    row[SCHEMA_CM_REGISTERED] = str(c->registered);
    row[SCHEMA_CM_USER] = str(c->user);
    book_comment meant = *c;
    meant.period = str(c->period);
    /* The period's days, as the reader will compute them. */
    period_t p;
    const char *perr;
    if (!*meant.period)
        period_year(&p, c->year);
    else if (period_parse(&p, meant.period, &perr) != 0)
        p.from = p.to = DATE_NONE; /* the read-back refuses it */
    meant.from = p.from;
    meant.to = p.to;
    meant.code = str(c->code);
    meant.text = str(c->text);
    int rc = write_rows(b, &schema_comments, APPEND, row, 1, origin, 1,
                        decode_comment, &meant, dl);
    if (rc == SAMLA_OK) {
        /* The caller's strings need not outlive the call: copy them. */
        book_comment *nc = book_vec_push(b->comments);
        *nc = meant;
        nc->period = book_strdup(b, meant.period);
        nc->code = book_strdup(b, meant.code);
        nc->text = book_strdup(b, meant.text);
        nc->registered = book_strdup(b, str(c->registered));
        nc->user = book_strdup(b, str(c->user));
        nc->line = 0;
    }
    return rc;
}

/* ---- A new book --------------------------------------------------------------- */

static int write_new(const char *dir, const schema_file *f,
                     const char *const *row, diag_list *dl)
{
    csvio_out o;
    schema_layout l;
    schema_layout_default(&l, f);
    csvio_out_init(&o, ';', 1);
    schema_out_header(&o, f, &l);
    if (row)
        schema_out_row(&o, f, &l, row);
    char *path = mem_printf("%s/%s", dir, f->file);
    int rc = store_write_atomic(path, o.buf, o.len, dl);
    free(path);
    csvio_out_free(&o);
    return rc;
}

int book_create(const char *dir, const char *name, const char *short_name,
                date_t start, const dec_t *opening, const book_origin *origin,
                diag_list *dl)
{
    char startbuf[11];
    date_format(start, startbuf);
    char *open = dec_format(opening, DEC_KR, 2, DEC_FMT_PLAIN);
    const char *org[SCHEMA_ORG_N] = {0};
    org[SCHEMA_ORG_NAME] = name;
    org[SCHEMA_ORG_SHORT] = str(short_name);
    org[SCHEMA_ORG_CURRENCY] = "SEK";
    org[SCHEMA_ORG_START] = startbuf;
    org[SCHEMA_ORG_OPENING] = open;
    struct stat st;
    if (stat(dir, &st) == 0) {
        diag_error(dl, dir, 0, 0, "finns redan; välj en ny mapp för boken");
        free(open);
        return SAMLA_EUSAGE;
    }
    size_t before = diag_errors(dl);
    check_values(&schema_organisation, org, 1, origin, 1, dl);
    if (diag_errors(dl) > before) {
        free(open);
        return SAMLA_EDATA;
    }
    if (mkdir(dir, 0755) != 0) {
        diag_error(dl, dir, 0, 0, "kan inte skapa mappen: %s", strerror(errno));
        free(open);
        return SAMLA_EIO;
    }
    int rc = write_new(dir, &schema_organisation, org, dl);
    free(open);
    const schema_file *files[] = {&schema_funders, &schema_accounts,
                                  &schema_activities, &schema_journal,
                                  &schema_budget, &schema_earmarks,
                                  &schema_closes};
    for (size_t i = 0; rc == SAMLA_OK && i < sizeof files / sizeof *files; i++)
        rc = write_new(dir, files[i], NULL, dl);
    return rc;
}
