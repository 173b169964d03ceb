/* schema - see schema.h and docs/file-formats.md. */
#include "schema.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"
#include "uiutil.h"

/* ---- The declarations -------------------------------------------------- */

#define SCHEMA_COL(id, name, req, kind, max) {name, req, SCHEMA_##kind, max},
#define SCHEMA_FILE(var, list, n, file, book)                                \
    static const schema_col var##_cols[n] = {list(SCHEMA_COL)};              \
    const schema_file var = {file, var##_cols, n, book};

SCHEMA_FILE(schema_organisation, SCHEMA_ORGANISATION, SCHEMA_ORG_N,
            BOOK_ORGANISATION, 1)
SCHEMA_FILE(schema_funders, SCHEMA_FUNDERS, SCHEMA_FU_N, BOOK_FUNDERS, 1)
SCHEMA_FILE(schema_populations, SCHEMA_POPULATIONS, SCHEMA_PO_N,
            BOOK_POPULATIONS, 1)
SCHEMA_FILE(schema_accounts, SCHEMA_ACCOUNTS, SCHEMA_AC_N, BOOK_ACCOUNTS, 1)
SCHEMA_FILE(schema_activities, SCHEMA_ACTIVITIES, SCHEMA_AV_N,
            BOOK_ACTIVITIES, 1)
SCHEMA_FILE(schema_journal, SCHEMA_JOURNAL, SCHEMA_JE_N, BOOK_JOURNAL, 1)
SCHEMA_FILE(schema_budget, SCHEMA_BUDGET, SCHEMA_BU_N, BOOK_BUDGET, 1)
SCHEMA_FILE(schema_earmarks, SCHEMA_EARMARKS, SCHEMA_EM_N, BOOK_EARMARKS, 1)
SCHEMA_FILE(schema_closes, SCHEMA_CLOSES, SCHEMA_CL_N, BOOK_CLOSES, 1)
SCHEMA_FILE(schema_reported, SCHEMA_REPORTED, SCHEMA_RP_N, BOOK_REPORTED, 1)
SCHEMA_FILE(schema_comments, SCHEMA_COMMENTS, SCHEMA_CM_N, BOOK_COMMENTS, 1)
SCHEMA_FILE(schema_manifest, SCHEMA_MANIFEST, SCHEMA_MF_N,
            "bokslut-ÅÅÅÅ.csv", 1)
SCHEMA_FILE(schema_manifest_legacy, SCHEMA_MANIFEST_LEGACY, SCHEMA_MFL_N,
            "bokslut-ÅÅÅÅ.csv", 1)
SCHEMA_FILE(schema_quarter_input, SCHEMA_QUARTER_INPUT, SCHEMA_QI_N,
            "kvartalsfilen", 0)
SCHEMA_FILE(schema_import_rules, SCHEMA_IMPORT_RULES, SCHEMA_RC_N,
            "regelfilen", 0)

/* Every declaration must fit the fixed arrays that hold a mapping. */
typedef char schema_cols_fit[
    (SCHEMA_ORG_N <= SCHEMA_MAX_COLS && SCHEMA_FU_N <= SCHEMA_MAX_COLS &&
     SCHEMA_AC_N <= SCHEMA_MAX_COLS && SCHEMA_AV_N <= SCHEMA_MAX_COLS &&
     SCHEMA_JE_N <= SCHEMA_MAX_COLS && SCHEMA_BU_N <= SCHEMA_MAX_COLS &&
     SCHEMA_EM_N <= SCHEMA_MAX_COLS && SCHEMA_CL_N <= SCHEMA_MAX_COLS &&
     SCHEMA_RP_N <= SCHEMA_MAX_COLS &&
     SCHEMA_MF_N <= SCHEMA_MAX_COLS && SCHEMA_MFL_N <= SCHEMA_MAX_COLS &&
     SCHEMA_QI_N <= SCHEMA_MAX_COLS && SCHEMA_PO_N <= SCHEMA_MAX_COLS &&
     SCHEMA_CM_N <= SCHEMA_MAX_COLS &&
     SCHEMA_RC_N <= SCHEMA_MAX_COLS) ? 1 : -1];

/* ---- Mapping a header row ------------------------------------------------ */

/* "Ver, Datum, Konto, ..." into buf. */
static void column_list(const schema_file *f, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int c = 0; c < f->ncols && n < size; c++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", c ? ", " : "",
                              f->cols[c].name);
}

int schema_map(const schema_file *f, const csvio_table *t, const csvio_row *h,
               int *idx, diag_list *dl)
{
    size_t before = diag_errors(dl);
    for (int c = 0; c < f->ncols; c++)
        idx[c] = -1;
    for (size_t k = 0; k < h->n; k++) {
        const char *cell = h->f[k].s;
        int found = -1;
        for (int c = 0; c < f->ncols && found < 0; c++)
            if (ui_name_eq(cell, f->cols[c].name))
                found = c;
        long col = csvio_col(t, h, k);
        if (found < 0 && cell[strspn(cell, " \t")] == '\0') {
            diag_error(dl, t->display, h->line, col,
                       "kolumn %zu saknar rubrik", k + 1);
        } else if (found < 0) {
            char list[600];
            column_list(f, list, sizeof list);
            diag_error(dl, t->display, h->line, col,
                       "okänd kolumn \"%s\"; kolumnerna är %s", cell, list);
        } else if (idx[found] >= 0) {
            diag_error(dl, t->display, h->line, col,
                       "kolumnen \"%s\" finns två gånger", f->cols[found].name);
        } else {
            idx[found] = (int)k;
        }
    }
    for (int c = 0; c < f->ncols; c++)
        if (f->cols[c].required && idx[c] < 0)
            diag_error(dl, t->display, h->line, 0, "kolumnen \"%s\" saknas",
                       f->cols[c].name);
    return diag_errors(dl) > before ? -1 : 0;
}

/* ---- Value rules ----------------------------------------------------------- */

/* Letters outside ASCII that a code may hold: Å Ä Ö É Ü å ä ö é ü. */
static int code_letter(unsigned cp)
{
    switch (cp) {
    case 0xC5: case 0xC4: case 0xD6: case 0xC9: case 0xDC:
    case 0xE5: case 0xE4: case 0xF6: case 0xE9: case 0xFC:
        return 1;
    }
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= '0' && cp <= '9');
}

int schema_code_check(const char *s, size_t *at)
{
    size_t n = strlen(s);
    *at = 0;
    if (n == 0)
        return -1;
    const char *p = s;
    size_t i = 0;
    while (*p) {
        i++;
        size_t ok = text_utf8_valid_prefix(p, (size_t)(s + n - p));
        unsigned cp = ok ? text_next_char(&p) : 0xFFFDu;
        if (!ok)
            p++;
        int good = code_letter(cp) ||
                   (i > 1 && (cp == '-' || cp == '_' || cp == '.'));
        if (!good) {
            *at = i;
            return -1;
        }
    }
    return 0;
}

/* The character at position `at` (1-based) of s as "U+XXXX" text. */
static void char_at(const char *s, size_t at, char *buf, size_t size)
{
    size_t off = text_prefix_bytes(s, at - 1);
    const char *p = s + off;
    if (!text_utf8_valid_prefix(p, strlen(p))) {
        snprintf(buf, size, "byte 0x%02X", (unsigned)(unsigned char)*p);
        return;
    }
    const char *q = p;
    unsigned cp = text_next_char(&q);
    if (cp < 0x80 && cp >= 0x20 && cp != 0x7F)
        snprintf(buf, size, "\"%c\"", (char)cp);
    else if (cp < 0x80 || text_is_control(cp))
        snprintf(buf, size, "U+%04X", cp);
    else
        snprintf(buf, size, "\"%.*s\" (U+%04X)", (int)(q - p), p, cp);
}

static int digits_only(const char *v)
{
    return *v && strspn(v, "0123456789") == strlen(v);
}

int schema_check_value(const schema_file *f, int col, const char *v,
                       char *msg, size_t size)
{
    const schema_col *c = &f->cols[col];
    if (!v || !*v)
        return 0;
    size_t len = strlen(v);
    text_fault tf;
    if (text_check(v, len, c->max, c->kind == SCHEMA_NOTE, &tf) != 0) {
        text_fault_message(&tf, c->max, msg, size);
        return -1;
    }
    switch ((schema_kind)c->kind) {
    case SCHEMA_CODE: {
        size_t at;
        if (schema_code_check(v, &at) != 0) {
            char what[32];
            char_at(v, at, what, sizeof what);
            snprintf(msg, size, "ogiltig kod \"%s\": tecknet %s är inte "
                                "tillåtet; " SCHEMA_CODE_RULE,
                     v, what);
            return -1;
        }
        break;
    }
    case SCHEMA_AMOUNT:
    case SCHEMA_SUM: {
        dec_t d;
        dec_error err;
        dec_init(&d);
        int rc = c->kind == SCHEMA_SUM ? dec_parse_sum(&d, v, len, &err)
                                       : dec_parse(&d, v, len, &err);
        dec_clear(&d);
        if (rc != 0) {
            char why[96];
            snprintf(msg, size, "ogiltigt belopp \"%s\": %s", v,
                     dec_error_text(&err, why, sizeof why));
            return -1;
        }
        break;
    }
    case SCHEMA_DATE: {
        date_t d;
        size_t ecol;
        const char *emsg;
        if (date_parse(&d, v, len, &ecol, &emsg) != 0) {
            snprintf(msg, size, "ogiltigt datum \"%s\": %s", v, emsg);
            return -1;
        }
        break;
    }
    case SCHEMA_INT:
        if (!digits_only(v)) {
            snprintf(msg, size, "ska vara ett heltal, inte \"%s\"", v);
            return -1;
        }
        break;
    default:
        break;
    }
    return 0;
}

/* ---- Reading a file: the sheet ------------------------------------------ */

int schema_sheet_header(schema_sheet *s, const schema_file *f,
                        const csvio_row *h, diag_list *dl)
{
    s->f = f;
    s->nfields = h->n;
    return schema_map(f, &s->t, h, s->idx, dl);
}

int schema_sheet_open(schema_sheet *s, const schema_file *f, const char *dir,
                      int optional, diag_list *dl)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    for (int c = 0; c < SCHEMA_MAX_COLS; c++)
        s->idx[c] = -1;
    char *path = mem_printf("%s/%s", dir, f->file);
    struct stat st;
    if (optional && stat(path, &st) != 0 && errno == ENOENT) {
        free(path);
        return -1;
    }
    int rc = csvio_read_file(&s->t, path, path, NULL, dl);
    free(path);
    s->disp = s->t.display;
    if (rc != SAMLA_OK)
        return -1;
    if (s->t.nrows == 0) {
        diag_error(dl, s->disp, 0, 0, "filen är tom; rubrikraden saknas");
        return -1;
    }
    return schema_sheet_header(s, f, &s->t.rows[0], dl);
}

void schema_sheet_free(schema_sheet *s)
{
    csvio_free(&s->t);
}

long schema_colno(const schema_sheet *s, const csvio_row *r, int col)
{
    int f = col >= 0 ? s->idx[col] : -1;
    return csvio_col(&s->t, r, f < 0 ? r->n : (size_t)f);
}

/* A field after a quoted line break lies on a later line than the row's
 * first (r->line). */
long schema_line(const schema_sheet *s, const csvio_row *r, int col)
{
    int f = col >= 0 ? s->idx[col] : -1;
    long line, c;
    csvio_pos(&s->t, r, f < 0 ? r->n : (size_t)f, &line, &c);
    return line > 0 ? line : r->line;
}

int schema_row_shape(const schema_sheet *s, const csvio_row *r, diag_list *dl)
{
    size_t want = s->nfields;
    if (r->n == want)
        return 1;
    size_t at = r->n > want ? want : r->n;
    long line, col;
    csvio_pos(&s->t, r, at, &line, &col);
    diag_error(dl, s->disp, line > 0 ? line : r->line, col,
               "raden har %zu fält men rubrikraden har %zu", r->n, want);
    return 0;
}

const char *schema_raw(const schema_sheet *s, const csvio_row *r, int col)
{
    int f = s->idx[col];
    if (f < 0 || (size_t)f >= r->n)
        return "";
    return r->f[f].s;
}

int schema_need(const schema_sheet *s, const csvio_row *r, int col,
                const char *what, diag_list *dl)
{
    if (*schema_raw(s, r, col))
        return 1;
    diag_error(dl, s->disp, schema_line(s, r, col), schema_colno(s, r, col),
               "%s saknas", what);
    return 0;
}

int schema_text(const schema_sheet *s, const csvio_row *r, int col,
                const char **out, diag_list *dl)
{
    const schema_col *c = &s->f->cols[col];
    const char *raw = schema_raw(s, r, col);
    int free_text = c->kind == SCHEMA_TEXT || c->kind == SCHEMA_NOTE;
    const char *v = s->f->book_file && free_text ? text_unescape(raw) : raw;
    *out = v;
    if (!*v)
        return 1;
    text_fault tf;
    if (text_check(v, strlen(v), c->max, c->kind == SCHEMA_NOTE, &tf) == 0)
        return 1;
    char msg[160];
    text_fault_message(&tf, c->max, msg, sizeof msg);
    long at = tf.kind == TEXT_TOO_LONG ? 0 : (long)tf.at - 1;
    diag_error(dl, s->disp, schema_line(s, r, col),
               schema_colno(s, r, col) + (long)(v - raw) + at, "%s: %s",
               c->name, msg);
    *out = "";
    return 0;
}

int schema_code(const schema_sheet *s, const csvio_row *r, int col,
                const char *what, diag_list *dl)
{
    const char *v = schema_raw(s, r, col);
    if (!*v)
        return schema_need(s, r, col, what, dl);
    char msg[400];
    if (schema_check_value(s->f, col, v, msg, sizeof msg) == 0)
        return 1;
    size_t at = 0;
    text_fault tf;
    if (text_check(v, strlen(v), 0, 0, &tf) != 0)
        at = tf.at;
    else if (text_chars(v, strlen(v)) <= s->f->cols[col].max)
        schema_code_check(v, &at);
    diag_error(dl, s->disp, schema_line(s, r, col),
               schema_colno(s, r, col) + (at ? (long)at - 1 : 0), "%s", msg);
    return 0;
}

/* An amount (dec_parse) or a sum (dec_parse_sum: no 13-digit limit), with
 * the place of the first bad character. */
static int read_amount(const schema_sheet *s, const csvio_row *r, int col,
                       int sum, dec_t *out, diag_list *dl)
{
    const char *v = schema_raw(s, r, col);
    dec_error err;
    if ((sum ? dec_parse_sum(out, v, strlen(v), &err)
             : dec_parse(out, v, strlen(v), &err)) == 0)
        return 1;
    char why[96];
    diag_error(dl, s->disp, schema_line(s, r, col),
               schema_colno(s, r, col) + (long)err.col - 1,
               "ogiltigt belopp \"%s\": %s", v,
               dec_error_text(&err, why, sizeof why));
    return 0;
}

int schema_amount(const schema_sheet *s, const csvio_row *r, int col,
                  dec_t *out, diag_list *dl)
{
    return read_amount(s, r, col, 0, out, dl);
}

int schema_sum(const schema_sheet *s, const csvio_row *r, int col,
               dec_t *out, diag_list *dl)
{
    return read_amount(s, r, col, 1, out, dl);
}

int schema_date(const schema_sheet *s, const csvio_row *r, int col,
                int optional, date_t *out, diag_list *dl)
{
    const char *v = schema_raw(s, r, col);
    if (!*v && optional) {
        *out = DATE_NONE;
        return 1;
    }
    size_t ecol = 1;
    const char *emsg = "datum saknas";
    if (*v && date_parse(out, v, strlen(v), &ecol, &emsg) == 0)
        return 1;
    diag_error(dl, s->disp, schema_line(s, r, col),
               schema_colno(s, r, col) + (long)ecol - 1,
               "ogiltigt datum \"%s\": %s", v, emsg);
    return 0;
}

int schema_int(const schema_sheet *s, const csvio_row *r, int col,
               const char *what, long min, long max, long *out,
               diag_list *dl)
{
    const char *v = schema_raw(s, r, col);
    long n = 0;
    if (!*v)
        return schema_need(s, r, col, what, dl);
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9' || n > 100000000L) {
            diag_error(dl, s->disp, schema_line(s, r, col),
                       schema_colno(s, r, col) + (long)(p - v),
                       "ogiltigt %s \"%s\"", what, v);
            return 0;
        }
        n = n * 10 + (*p - '0');
    }
    if (n < min || n > max) {
        diag_error(dl, s->disp, schema_line(s, r, col),
                   schema_colno(s, r, col),
                   "%s %ld utanför tillåtna värden (%ld–%ld)", what, n, min,
                   max);
        return 0;
    }
    *out = n;
    return 1;
}

/* ---- Writing a file: its own column order -------------------------------- */

void schema_layout_default(schema_layout *l, const schema_file *f)
{
    l->n = f->ncols;
    for (int c = 0; c < f->ncols; c++)
        l->order[c] = c;
}

void schema_layout_from_map(schema_layout *l, const int *idx, size_t nfields,
                            const schema_file *f)
{
    l->n = 0;
    for (size_t k = 0; k < nfields && l->n < SCHEMA_MAX_COLS; k++)
        for (int c = 0; c < f->ncols; c++)
            if (idx[c] == (int)k)
                l->order[l->n++] = c;
}

int schema_layout_has(const schema_layout *l, int col)
{
    for (int i = 0; i < l->n; i++)
        if (l->order[i] == col)
            return 1;
    return 0;
}

void schema_layout_add(schema_layout *l, int col)
{
    if (l->n < SCHEMA_MAX_COLS && !schema_layout_has(l, col))
        l->order[l->n++] = col;
}

void schema_out_header(csvio_out *o, const schema_file *f,
                       const schema_layout *l)
{
    for (int i = 0; i < l->n; i++)
        csvio_out_field(o, f->cols[l->order[i]].name);
    csvio_out_endrow(o);
}

void schema_out_row(csvio_out *o, const schema_file *f, const schema_layout *l,
                    const char *const *vals)
{
    for (int i = 0; i < l->n; i++) {
        int c = l->order[i];
        const char *v = vals[c] ? vals[c] : "";
        int free_text = f->cols[c].kind == SCHEMA_TEXT ||
                        f->cols[c].kind == SCHEMA_NOTE;
        if (f->book_file && free_text && text_needs_escape(v)) {
            size_t n = strlen(v);
            char *e = mem_alloc(n + 2);
            e[0] = '\'';
            memcpy(e + 1, v, n + 1);
            csvio_out_fieldn(o, e, n + 1);
            free(e);
        } else {
            csvio_out_field(o, v);
        }
    }
    csvio_out_endrow(o);
}
