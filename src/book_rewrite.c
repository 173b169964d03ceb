/*
 * book_rewrite - the book files written whole: the budget and the
 * populations (their rows change in place), and a new book's files.
 * Through book_write.c's four steps like every write (book_write_rows).
 */
#include "book.h"
#include "mem.h"
#include "book_priv.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- The budget ----------------------------------------------------------------- */

static void budget_values(book *b, const book_budget_line *l, const char **v)
{
    v[SCHEMA_BU_YEAR] = book_value_int(b, l->year);
    v[SCHEMA_BU_TYPE] = l->kind == KIND_INCOME ? "intäkt" : "kostnad";
    v[SCHEMA_BU_CODE] = book_value_str(l->code);
    v[SCHEMA_BU_ACCOUNT] =
        l->account >= 0 ? b->accounts.v[l->account].number : "";
    for (int q = 0; q < 4; q++)
        v[SCHEMA_BU_Q1 + q] = book_value_amount(b, &l->q[q]);
    v[SCHEMA_BU_FORECAST] =
        l->has_forecast ? book_value_amount(b, &l->forecast) : "";
    v[SCHEMA_BU_TEXT] = book_value_str(l->text);
    v[SCHEMA_BU_EARMARK] = book_value_str(l->earmark);
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
               strcmp(book_value_str(l.earmark), book_value_str(w->earmark)) != 0))
        ok = 0;
    if (!ok && diag_errors(dl) == 0)
        diag_error(dl, NULL, 0, 0, "budgetraden %d %s", w->year, w->code);
    for (int q = 0; q < 4; q++)
        dec_clear(&l.q[q]);
    dec_clear(&l.forecast);
    return ok;
}

samla_err book_write_budget(book *b, const book_origin *origin, diag_list *dl)
{
    size_t n = b->budget.n;
    const char **rows = mem_calloc(n ? n * SCHEMA_BU_N : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++)
        budget_values(b, &b->budget.v[i], rows + i * SCHEMA_BU_N);
    int rc = book_write_rows(b, &schema_budget, BOOK_WRITE_REPLACE, rows, n, origin, 1,
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

samla_err book_write_populations(book *b, const book_origin *origin, diag_list *dl)
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
        v[SCHEMA_PO_YEAR] = book_value_int(b, p->year);
        v[SCHEMA_PO_FUNDER] = b->funders.v[p->funder].code;
        v[SCHEMA_PO_COUNT] = book_value_int(b, (long)p->population);
        v[SCHEMA_PO_SOURCE] = book_value_str(p->source);
    }
    int rc = book_write_rows(b, &schema_populations, BOOK_WRITE_REPLACE, rows, n, origin, 1,
                        decode_population, b->populations.v, dl);
    free(rows);
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

samla_err book_create(const char *dir, const char *name, const char *short_name,
                date_t start, const dec_t *opening, const book_origin *origin,
                diag_list *dl)
{
    char startbuf[11];
    date_format(start, startbuf);
    char *open = dec_format(opening, DEC_KR, 2, DEC_FMT_PLAIN);
    const char *org[SCHEMA_ORG_N] = {0};
    org[SCHEMA_ORG_NAME] = name;
    org[SCHEMA_ORG_SHORT] = book_value_str(short_name);
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
    book_check_values(&schema_organisation, org, 1, origin, 1, dl);
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
