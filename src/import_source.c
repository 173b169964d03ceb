/* import_source - the extract of `samla import`, read under the rules'
 * settings: a CSV file decoded as the rules say, or a SIE 4 file through
 * sie.h; its header row found and every column the rules name checked.
 * See import.h. */
#include "import.h"
#include "import_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store.h"
#include "text.h"
#include "uiutil.h"

/* ---- The extract ----------------------------------------------------------- */

/* Convert a file that the rules say is Windows-1252 (text.h), because
 * csvio only converts files that are not valid UTF-8 (a Windows-1252 file
 * of plain ASCII plus, by chance, valid UTF-8 sequences would otherwise be
 * misread). */
static samla_err read_cp1252(csvio_table *t, const char *path, const csvio_opts *o,
                       diag_list *dl)
{
    char *raw;
    size_t len;
    if (store_read_file(path, &raw, &len, dl) != SAMLA_OK) {
        memset(t, 0, sizeof *t);
        return SAMLA_EIO;
    }
    if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0) {
        diag_error(dl, path, 1, 1,
                   "filen börjar med UTF-8-markering (BOM) men regelfilen "
                   "säger kodning windows-1252; ändra kodning till utf-8 "
                   "eller auto");
        free(raw);
        memset(t, 0, sizeof *t);
        return SAMLA_EDATA;
    }
    int rc = SAMLA_OK;
    size_t at = text_cp1252_undefined(raw, 0, len), outlen = 0;
    char *buf = NULL;
    if (at < len) {
        long line = 1, col = 1;
        for (size_t i = 0; i < at; i++, col++)
            if (raw[i] == '\n') {
                line++;
                col = 0;
            }
        diag_error(dl, path, line, col,
                   "byte 0x%02X finns inte i Windows-1252",
                   (unsigned)(unsigned char)raw[at]);
        rc = SAMLA_EDATA;
        memset(t, 0, sizeof *t);
    } else {
        buf = text_cp1252_to_utf8(raw, len, &outlen);
    }
    if (rc == SAMLA_OK)
        rc = csvio_read_mem(t, buf, outlen, path, o, dl);
    free(buf);
    free(raw);
    return rc;
}

int import_find_col(const csvio_row *h, const char *name)
{
    for (size_t f = 0; f < h->n; f++)
        if (ui_name_eq(h->f[f].s, name))
            return (int)f;
    return -1;
}

/* Check the {Kolumn} references of a template. */
static void check_template(const import_rules *r, const import_rule *ru,
                           int k, const csvio_row *h, const char *src,
                           diag_list *dl)
{
    const char *s = ru->target[k];
    for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        long col = ru->target_col[k] + (long)text_chars(s, (size_t)(p - s));
        if (!e) {
            diag_error(dl, r->display, ru->line, col,
                       "\"{\" utan \"}\" i \"%s\"", s);
            return;
        }
        char *name = mem_strndup(p + 1, (size_t)(e - p - 1));
        if (import_find_col(h, name) < 0)
            diag_error(dl, r->display, ru->line, col,
                       "kolumnen \"%s\" finns inte i %s", name, src);
        free(name);
    }
}

/* A SIE extract: the file read and checked (sie.h), its transactions or
 * budget records as the rows of a table whose header is row 0. */
static int read_sie(import_source *s, const import_rules *r, const char *path,
                    sie_view_kind kind, diag_list *dl)
{
    static const sie_encoding enc[] = {SIE_ENC_AUTO, SIE_ENC_UTF8,
                                       SIE_ENC_CP1252, SIE_ENC_CP437};
    s->siefile = mem_calloc(1, sizeof *s->siefile);
    s->sie = mem_calloc(1, sizeof *s->sie);
    int rc = sie_read_file(s->siefile, path, path, enc[r->encoding], dl);
    if (rc != SAMLA_OK)
        return rc;
    sie_view_build(s->sie, s->siefile, kind);
    s->t = s->sie->t; /* borrowed: freed with the view */
    return SAMLA_OK;
}

/* The names of a SIE view's columns, for messages. */
static void sie_columns(const import_source *s, char *buf, size_t size)
{
    const csvio_row *h = &s->t.rows[0];
    buf[0] = '\0';
    for (size_t f = 0; f < h->n; f++)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", f ? ", " : "",
                 h->f[f].s);
}

static int read_source(import_source *s, import_rules *r, const char *path,
                       int budget, diag_list *dl)
{
    memset(s, 0, sizeof *s);
    for (int c = 0; c < IC_N; c++)
        s->col[c] = -1;
    const char *slash = strrchr(path, '/');
    s->base = mem_strdup(slash ? slash + 1 : path);
    int rc;
    if (r->format == IMPORT_FMT_SIE) {
        rc = read_sie(s, r, path,
                      budget ? SIE_VIEW_BUDGET : SIE_VIEW_TRANSACTIONS, dl);
    } else if (budget || sie_sniff_file(path)) {
        diag_error(dl, path, 0, 0,
                   budget ? "budgetposter läses bara ur SIE-filer (#PBUDGET, "
                            "#BUDGET); regelfilen säger inte filformat sie"
                          : "filen är en SIE-fil men regelfilen %s är för "
                            "CSV-filer; ange filformat sie i den (se "
                            "docs/sie.md)",
                   r->display);
        return SAMLA_EDATA;
    } else {
        csvio_opts o = {r->sep, 0, 0, r->encoding == IMPORT_ENC_UTF8};
        rc = r->encoding == IMPORT_ENC_CP1252
                 ? read_cp1252(&s->t, path, &o, dl)
                 : csvio_read_file(&s->t, path, path, &o, dl);
    }
    if (rc != SAMLA_OK)
        return rc;
    const csvio_table *t = &s->t;
    size_t before = diag_errors(dl);
    /* The header row: the given line, or the first row that holds every
     * column the settings name (or the `rubrik` names), so a title block
     * above it is passed over whatever it contains. A SIE view's header
     * is its first row. */
    size_t h = t->nrows;
    if (s->sie) {
        h = 0;
    } else if (r->header_line) {
        for (size_t i = 0; i < t->nrows && h == t->nrows; i++)
            if (t->rows[i].line == r->header_line)
                h = i;
        if (h == t->nrows) {
            diag_error(dl, t->display, r->header_line, 0,
                       "rubrikraden (rubrikrad %ld i %s) finns inte eller är "
                       "tom",
                       r->header_line, r->display);
            return SAMLA_EDATA;
        }
    } else {
        const char *names[IC_N + 64];
        size_t nn = 0;
        if (r->nheader_names) {
            for (size_t i = 0; i < r->nheader_names && nn < IC_N + 64; i++)
                names[nn++] = r->header_names[i];
        } else {
            for (int c = 0; c < IC_N; c++)
                if (r->col[c])
                    names[nn++] = r->col[c];
        }
        for (size_t i = 0; i < t->nrows && h == t->nrows; i++) {
            size_t k = 0;
            while (k < nn && import_find_col(&t->rows[i], names[k]) >= 0)
                k++;
            if (k == nn)
                h = i;
        }
        if (h == t->nrows) {
            char list[512] = "";
            for (size_t k = 0; k < nn; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list),
                         "%s\"%s\"", k ? ", " : "", names[k]);
            diag_error(dl, t->display, 0, 0,
                       "hittar ingen rubrikrad med kolumnerna %s (se "
                       "inställningarna i %s)",
                       list, r->display);
            return SAMLA_EDATA;
        }
    }
    s->header = h;
    const csvio_row *hr = &t->rows[h];
    char src[2048];
    if (s->sie) {
        char cols[1400];
        sie_columns(s, cols, sizeof cols);
        snprintf(src, sizeof src, "SIE-filens %s (kolumner: %s)",
                 s->sie->kind, cols);
    } else {
        snprintf(src, sizeof src, "rubrikraden i %s:%ld", t->display,
                 hr->line);
    }
    for (int c = 0; c < IC_N; c++) {
        if (!r->col[c])
            continue;
        s->col[c] = import_find_col(hr, r->col[c]);
        if (s->col[c] < 0)
            diag_error(dl, r->display, r->col_line[c], 0,
                       "kolumnen \"%s\" (%s) finns inte i %s", r->col[c],
                       import_col_settings[c], src);
    }
    for (size_t i = 0; i < r->nrules; i++) {
        import_rule *ru = &r->rules[i];
        for (size_t c = 0; c < ru->nconds; c++) {
            ru->conds[c].field = import_find_col(hr, ru->conds[c].col);
            if (ru->conds[c].field < 0)
                diag_error(dl, r->display, ru->line, ru->conds[c].colno,
                           "kolumnen \"%s\" finns inte i %s",
                           ru->conds[c].col, src);
        }
        for (int k = 0; k < IR_N; k++)
            check_template(r, ru, k, hr, src, dl);
    }
    return diag_errors(dl) > before ? SAMLA_EDATA : SAMLA_OK;
}

samla_err import_source_read(import_source *s, import_rules *r, const char *path,
                       diag_list *dl)
{
    return read_source(s, r, path, 0, dl);
}

samla_err import_source_read_budget(import_source *s, import_rules *r,
                              const char *path, diag_list *dl)
{
    return read_source(s, r, path, 1, dl);
}

void import_source_free(import_source *s)
{
    if (s->sie) {
        sie_view_free(s->sie);
        memset(&s->t, 0, sizeof s->t);
    }
    free(s->sie);
    if (s->siefile)
        sie_free(s->siefile);
    free(s->siefile);
    csvio_free(&s->t);
    free(s->base);
    memset(s, 0, sizeof *s);
}
