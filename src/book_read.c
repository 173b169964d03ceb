/*
 * book_read - reading a book's CSV files into the model (book.h).
 *
 * Each file has a schema: its column names (found by name, in any order)
 * and which are required. Each row is read field by field; a bad field adds
 * an error naming file:line:column and reading goes on, so the user sees
 * every problem of the book at once. Cross-row and cross-file rules
 * (voucher sequences, closed years, earmark cover) are in check.c.
 */
#include "book.h"
#include "book_priv.h"
#include "check.h"
#include "csvio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct {
    const char *name;
    int required;
} colspec;

/* One file being read: its table, display name and column positions. */
typedef struct {
    csvio_table t;
    const char *disp;
    int idx[16]; /* schema column -> field index, -1 = absent */
    size_t ncols; /* fields in the header row */
} sheet;

/* Compare a header cell with a column name: case-insensitive for ASCII,
 * surrounding spaces ignored. */
static int header_is(const char *cell, const char *name)
{
    while (*cell == ' ')
        cell++;
    size_t n = strlen(name);
    if (strncasecmp(cell, name, n) != 0) {
        /* Swedish capitals (Å Ä Ö) are two bytes; compare exactly too. */
        return 0;
    }
    const char *rest = cell + n;
    while (*rest == ' ')
        rest++;
    return *rest == '\0';
}

static long col_of(const sheet *s, const csvio_row *r, int field)
{
    return csvio_col(&s->t, r, field < 0 ? r->n : (size_t)field);
}

/* The line of the same place: a field after a quoted line break is on a
 * later line than the row's first (r->line). */
static long line_of(const sheet *s, const csvio_row *r, int field)
{
    long line, col;
    csvio_pos(&s->t, r, field < 0 ? r->n : (size_t)field, &line, &col);
    return line > 0 ? line : r->line;
}

static int sheet_map(sheet *s, const csvio_row *h, const colspec *cols,
                     int ncols, diag_list *dl);

/* Open a file of the book and map its header. Returns 0 when rows can be
 * read, -1 when the file is missing or unusable (errors added). */
static int sheet_open(sheet *s, const char *dir, const char *file,
                      const colspec *cols, int ncols, int optional,
                      diag_list *dl)
{
    memset(s, 0, sizeof *s);
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path)
        abort();
    snprintf(path, n, "%s/%s", dir, file);
    struct stat st;
    if (optional && stat(path, &st) != 0) {
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
    return sheet_map(s, &s->t.rows[0], cols, ncols, dl);
}

/* Map the header row h to the schema. Returns 0, or -1 (errors added). */
static int sheet_map(sheet *s, const csvio_row *h, const colspec *cols,
                     int ncols, diag_list *dl)
{
    for (int i = 0; i < ncols; i++)
        s->idx[i] = -1;
    s->ncols = h->n;
    int bad = 0;
    for (size_t f = 0; f < h->n; f++) {
        int found = -1;
        for (int i = 0; i < ncols; i++)
            if (header_is(h->f[f].s, cols[i].name))
                found = i;
        if (found < 0) {
            diag_error(dl, s->disp, h->line, col_of(s, h, (int)f),
                       "okänd kolumn \"%s\"", h->f[f].s);
            bad = 1;
        } else if (s->idx[found] >= 0) {
            diag_error(dl, s->disp, h->line, col_of(s, h, (int)f),
                       "kolumnen \"%s\" finns två gånger", cols[found].name);
            bad = 1;
        } else {
            s->idx[found] = (int)f;
        }
    }
    for (int i = 0; i < ncols; i++)
        if (cols[i].required && s->idx[i] < 0) {
            diag_error(dl, s->disp, h->line, 0, "kolumnen \"%s\" saknas",
                       cols[i].name);
            bad = 1;
        }
    return bad ? -1 : 0;
}

/* Check that a data row has as many fields as the header. */
static int row_shape_ok(const sheet *s, const csvio_row *r, diag_list *dl)
{
    size_t want = s->ncols;
    if (r->n == want)
        return 1;
    diag_error(dl, s->disp, line_of(s, r, r->n > want ? (int)want : -1),
               col_of(s, r, r->n > want ? (int)want : -1),
               "raden har %zu fält men rubrikraden har %zu", r->n, want);
    return 0;
}

static const char *fld(const sheet *s, const csvio_row *r, int col)
{
    int f = s->idx[col];
    if (f < 0 || (size_t)f >= r->n)
        return "";
    return r->f[f].s;
}

/* Trimmed copy of a text field into the arena ("" is shared). */
static const char *text(book *b, const sheet *s, const csvio_row *r, int col)
{
    const char *v = fld(s, r, col);
    return *v ? book_strdup(b, v) : "";
}

static int need(const sheet *s, const csvio_row *r, int col, const char *what,
                diag_list *dl)
{
    if (*fld(s, r, col))
        return 1;
    diag_error(dl, s->disp, line_of(s, r, s->idx[col]),
               col_of(s, r, s->idx[col]), "%s saknas", what);
    return 0;
}

static int read_amount(dec_t *out, const sheet *s, const csvio_row *r, int col,
                       diag_list *dl)
{
    int f = s->idx[col];
    const char *v = fld(s, r, col);
    dec_error err;
    if (dec_parse(out, v, strlen(v), &err) == 0)
        return 1;
    char why[96];
    diag_error(dl, s->disp, line_of(s, r, f),
               col_of(s, r, f) + (long)err.col - 1,
               "ogiltigt belopp \"%s\": %s", v,
               dec_error_text(&err, why, sizeof why));
    return 0;
}

/* A sum samla computed (a close's result and closing surplus): any length
 * a book can produce, not the 13 digits of one entered amount. */
static int read_sum(dec_t *out, const sheet *s, const csvio_row *r, int col,
                    diag_list *dl)
{
    int f = s->idx[col];
    const char *v = fld(s, r, col);
    dec_error err;
    if (dec_parse_sum(out, v, strlen(v), &err) == 0)
        return 1;
    diag_error(dl, s->disp, line_of(s, r, f),
               col_of(s, r, f) + (long)err.col - 1,
               "ogiltigt belopp \"%s\": %s", v, err.msg);
    return 0;
}

static int read_date(date_t *out, const sheet *s, const csvio_row *r, int col,
                     int optional, diag_list *dl)
{
    int f = s->idx[col];
    const char *v = fld(s, r, col);
    if (!*v && optional) {
        *out = DATE_NONE;
        return 1;
    }
    size_t ecol = 1;
    const char *emsg = "datum saknas";
    if (*v && date_parse(out, v, strlen(v), &ecol, &emsg) == 0)
        return 1;
    diag_error(dl, s->disp, line_of(s, r, f),
               col_of(s, r, f) + (long)ecol - 1, "ogiltigt datum \"%s\": %s", v, emsg);
    return 0;
}

/* A code: letters, digits, '-', '_' (and Swedish letters). */
static int read_code(const sheet *s, const csvio_row *r, int col,
                     const char *what, diag_list *dl)
{
    const char *v = fld(s, r, col);
    if (!*v)
        return need(s, r, col, what, dl);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (!(*p >= 0x80 || (*p >= '0' && *p <= '9') ||
              (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              *p == '-' || *p == '_' || *p == '.')) {
            diag_error(dl, s->disp, line_of(s, r, s->idx[col]),
                       col_of(s, r, s->idx[col]) + (long)(p - (const unsigned char *)v),
                       "ogiltigt tecken i %s \"%s\"", what, v);
            return 0;
        }
    return 1;
}

static int read_kind(book_kind *k, const sheet *s, const csvio_row *r, int col,
                     diag_list *dl)
{
    const char *v = fld(s, r, col);
    if (strcmp(v, "intäkt") == 0 || strcmp(v, "Intäkt") == 0)
        *k = KIND_INCOME;
    else if (strcmp(v, "kostnad") == 0 || strcmp(v, "Kostnad") == 0)
        *k = KIND_COST;
    else {
        diag_error(dl, s->disp, line_of(s, r, s->idx[col]),
                   col_of(s, r, s->idx[col]),
                   "ogiltig typ \"%s\"; ska vara intäkt eller kostnad", v);
        return 0;
    }
    return 1;
}

static int read_int(long *out, const sheet *s, const csvio_row *r, int col,
                    const char *what, long min, long max, diag_list *dl)
{
    const char *v = fld(s, r, col);
    long n = 0;
    const char *p = v;
    if (!*p)
        return need(s, r, col, what, dl);
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || n > 100000000L) {
            diag_error(dl, s->disp, line_of(s, r, s->idx[col]),
                       col_of(s, r, s->idx[col]) + (long)(p - v),
                       "ogiltigt %s \"%s\"", what, v);
            return 0;
        }
        n = n * 10 + (*p - '0');
    }
    if (n < min || n > max) {
        diag_error(dl, s->disp, line_of(s, r, s->idx[col]),
                   col_of(s, r, s->idx[col]),
                   "%s %ld utanför tillåtna värden (%ld–%ld)", what, n, min,
                   max);
        return 0;
    }
    *out = n;
    return 1;
}

/* ---- organisation.csv ------------------------------------------------ */

enum { ORG_NAME, ORG_SHORT, ORG_CUR, ORG_START, ORG_OPEN, ORG_SETTLE,
       ORG_EQUITY, ORG_N };
static const colspec org_cols[ORG_N] = {
    {"Namn", 1}, {"Kortnamn", 0}, {"Valuta", 1}, {"Startdatum", 1},
    {"Ingående ackumulerat överskott", 1}, {"Avräkningskonto", 0},
    {"Kapitalkonto", 0}};

/* An account number of the SIE export's balance sheet: digits, or empty
 * for the default. */
static const char *sie_account(book *b, const sheet *s, const csvio_row *r,
                               int col, diag_list *dl)
{
    const char *v = text(b, s, r, col);
    size_t n = strlen(v);
    if (n && (n > 10 || strspn(v, "0123456789") != n))
        diag_error(dl, s->disp, line_of(s, r, s->idx[col]),
                   col_of(s, r, s->idx[col]),
                   "%s \"%s\" ska vara ett kontonummer (siffror), eller "
                   "tomt för %s",
                   org_cols[col].name, v, col == ORG_SETTLE ? "1930" : "2010");
    return v;
}

static void read_organisation(book *b, diag_list *dl)
{
    sheet s;
    if (sheet_open(&s, b->dir, BOOK_ORGANISATION, org_cols, ORG_N, 0, dl) == 0) {
        if (s.t.nrows != 2)
            diag_error(dl, s.disp, s.t.nrows > 2 ? s.t.rows[2].line : 0, 0,
                       "filen ska ha exakt en rad under rubrikraden");
        if (s.t.nrows >= 2) {
            const csvio_row *r = &s.t.rows[1];
            if (row_shape_ok(&s, r, dl)) {
                if (need(&s, r, ORG_NAME, "namn", dl))
                    b->name = text(b, &s, r, ORG_NAME);
                b->short_name = text(b, &s, r, ORG_SHORT);
                b->currency = text(b, &s, r, ORG_CUR);
                if (strcmp(b->currency, "SEK") != 0)
                    diag_error(dl, s.disp, line_of(&s, r, s.idx[ORG_CUR]),
                               col_of(&s, r, s.idx[ORG_CUR]),
                               "valutan \"%s\" stöds inte; bara SEK",
                               b->currency);
                read_date(&b->start, &s, r, ORG_START, 0, dl);
                read_amount(&b->opening, &s, r, ORG_OPEN, dl);
                b->settlement_account = sie_account(b, &s, r, ORG_SETTLE, dl);
                b->equity_account = sie_account(b, &s, r, ORG_EQUITY, dl);
            }
        }
    }
    csvio_free(&s.t);
}

/* ---- finansiarer.csv, konton.csv, verksamheter.csv ---------------------- */

enum { FU_CODE, FU_NAME, FU_TYPE, FU_POP, FU_N };
static const colspec fu_cols[FU_N] = {
    {"Kod", 1}, {"Namn", 1}, {"Typ", 0}, {"Invånare", 0}};

static void read_funders(book *b, diag_list *dl)
{
    sheet s;
    book_priv *p = book_priv_of(b);
    if (sheet_open(&s, b->dir, BOOK_FUNDERS, fu_cols, FU_N, 0, dl) == 0) {
        for (size_t i = 1; i < s.t.nrows; i++) {
            const csvio_row *r = &s.t.rows[i];
            if (!row_shape_ok(&s, r, dl) ||
                !read_code(&s, r, FU_CODE, "kod", dl))
                continue;
            book_funder *f = book_vec_push(b->funders);
            f->code = text(b, &s, r, FU_CODE);
            f->name = text(b, &s, r, FU_NAME);
            f->type = text(b, &s, r, FU_TYPE);
            f->line = r->line;
            const char *t = f->type;
            if (*t && strcmp(t, "stat") && strcmp(t, "region") &&
                strcmp(t, "kommun") && strcmp(t, "övrig"))
                diag_error(dl, s.disp, line_of(&s, r, s.idx[FU_TYPE]),
                           col_of(&s, r, s.idx[FU_TYPE]),
                           "ogiltig typ \"%s\"; ska vara stat, region, kommun "
                           "eller övrig", t);
            long pop = 0;
            if (*fld(&s, r, FU_POP) &&
                read_int(&pop, &s, r, FU_POP, "invånarantal", 0, 100000000L,
                         dl))
                f->population = (unsigned long)pop;
            if (strmap_put(&p->funders, f->code, (int)b->funders.n - 1) >= 0)
                diag_error(dl, s.disp, line_of(&s, r, s.idx[FU_CODE]),
                           col_of(&s, r, s.idx[FU_CODE]),
                           "finansiären \"%s\" finns redan", f->code);
        }
    }
    csvio_free(&s.t);
}

enum { AC_NUM, AC_NAME, AC_TYPE, AC_N };
static const colspec ac_cols[AC_N] = {{"Konto", 1}, {"Namn", 1}, {"Typ", 1}};

static void read_accounts(book *b, diag_list *dl)
{
    sheet s;
    book_priv *p = book_priv_of(b);
    if (sheet_open(&s, b->dir, BOOK_ACCOUNTS, ac_cols, AC_N, 0, dl) == 0) {
        for (size_t i = 1; i < s.t.nrows; i++) {
            const csvio_row *r = &s.t.rows[i];
            long num;
            book_kind k;
            if (!row_shape_ok(&s, r, dl) ||
                !read_int(&num, &s, r, AC_NUM, "kontonummer", 1, 99999999L,
                          dl) ||
                !read_kind(&k, &s, r, AC_TYPE, dl))
                continue;
            book_account *a = book_vec_push(b->accounts);
            a->number = text(b, &s, r, AC_NUM);
            a->name = text(b, &s, r, AC_NAME);
            a->kind = k;
            a->line = r->line;
            if (strmap_put(&p->accounts, a->number, (int)b->accounts.n - 1) >= 0)
                diag_error(dl, s.disp, line_of(&s, r, s.idx[AC_NUM]),
                           col_of(&s, r, s.idx[AC_NUM]),
                           "kontot %s finns redan", a->number);
        }
    }
    csvio_free(&s.t);
}

enum { AV_CODE, AV_NAME, AV_SPEC, AV_N };
static const colspec av_cols[AV_N] = {
    {"Kod", 1}, {"Namn", 1}, {"Specifikation", 0}};

static void read_activities(book *b, diag_list *dl)
{
    sheet s;
    book_priv *p = book_priv_of(b);
    if (sheet_open(&s, b->dir, BOOK_ACTIVITIES, av_cols, AV_N, 0, dl) == 0) {
        for (size_t i = 1; i < s.t.nrows; i++) {
            const csvio_row *r = &s.t.rows[i];
            if (!row_shape_ok(&s, r, dl) ||
                !read_code(&s, r, AV_CODE, "kod", dl))
                continue;
            book_activity *a = book_vec_push(b->activities);
            a->code = text(b, &s, r, AV_CODE);
            a->name = text(b, &s, r, AV_NAME);
            a->line = r->line;
            const char *sp = fld(&s, r, AV_SPEC);
            if (strcmp(sp, "ja") == 0)
                a->specification = 1;
            else if (*sp && strcmp(sp, "nej") != 0)
                diag_error(dl, s.disp, line_of(&s, r, s.idx[AV_SPEC]),
                           col_of(&s, r, s.idx[AV_SPEC]),
                           "Specifikation ska vara ja eller nej, inte \"%s\"",
                           sp);
            if (strmap_put(&p->activities, a->code,
                           (int)b->activities.n - 1) >= 0)
                diag_error(dl, s.disp, line_of(&s, r, s.idx[AV_CODE]),
                           col_of(&s, r, s.idx[AV_CODE]),
                           "verksamheten \"%s\" finns redan", a->code);
        }
    }
    csvio_free(&s.t);
}

/* ---- oronmarkningar.csv ------------------------------------------------ */

enum {
    EM_CODE, EM_EVENT, EM_TYPE, EM_PURPOSE, EM_AMOUNT, EM_BODY, EM_DATE,
    EM_PARA, EM_FROM, EM_TO, EM_REG, EM_USER, EM_N
};
static const colspec em_cols[EM_N] = {
    {"Kod", 1},          {"Händelse", 1},     {"Typ", 1},
    {"Ändamål", 1},      {"Belopp", 1},       {"Beslutsorgan", 1},
    {"Beslutsdatum", 1}, {"Paragraf", 1},     {"Giltig från", 0},
    {"Giltig till", 0},  {"Registrerad", 0},  {"Användare", 0}};

static void read_earmarks(book *b, diag_list *dl)
{
    sheet s;
    book_priv *p = book_priv_of(b);
    if (sheet_open(&s, b->dir, BOOK_EARMARKS, em_cols, EM_N, 0, dl) != 0) {
        csvio_free(&s.t);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        const csvio_row *r = &s.t.rows[i];
        if (!row_shape_ok(&s, r, dl) || !read_code(&s, r, EM_CODE, "kod", dl))
            continue;
        const char *ev = fld(&s, r, EM_EVENT);
        book_earmark_event event;
        if (strcmp(ev, "reservera") == 0)
            event = EM_RESERVE;
        else if (strcmp(ev, "frigör") == 0)
            event = EM_RELEASE;
        else if (strcmp(ev, "avsluta") == 0)
            event = EM_CLOSE;
        else {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[EM_EVENT]),
                       col_of(&s, r, s.idx[EM_EVENT]),
                       "ogiltig händelse \"%s\"; ska vara reservera, frigör "
                       "eller avsluta", ev);
            continue;
        }
        const char *ty = fld(&s, r, EM_TYPE);
        book_earmark_kind kind = EARMARK_RESERVATION;
        if (strcmp(ty, "bidrag") == 0)
            kind = EARMARK_GRANT;
        else if (strcmp(ty, "reservation") != 0) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[EM_TYPE]),
                       col_of(&s, r, s.idx[EM_TYPE]),
                       "ogiltig typ \"%s\"; ska vara reservation eller bidrag",
                       ty);
            continue;
        }
        date_t date, from, to;
        int ok = read_date(&date, &s, r, EM_DATE, 0, dl);
        ok &= read_date(&from, &s, r, EM_FROM, 1, dl);
        ok &= read_date(&to, &s, r, EM_TO, 1, dl);
        ok &= need(&s, r, EM_BODY, "beslutsorgan", dl);
        dec_t amount;
        dec_init(&amount);
        if (event != EM_CLOSE)
            ok &= read_amount(&amount, &s, r, EM_AMOUNT, dl);
        if (ok && event != EM_CLOSE && dec_sgn(&amount) <= 0) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[EM_AMOUNT]),
                       col_of(&s, r, s.idx[EM_AMOUNT]),
                       "beloppet ska vara större än noll");
            ok = 0;
        }
        if (ok && from != DATE_NONE && to != DATE_NONE && from > to) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[EM_TO]),
                       col_of(&s, r, s.idx[EM_TO]),
                       "giltighetstiden slutar före den börjar");
            ok = 0;
        }
        const char *code = fld(&s, r, EM_CODE);
        int em = strmap_get(&p->earmarks, code);
        if (em < 0 && event != EM_RESERVE) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[EM_CODE]),
                       col_of(&s, r, s.idx[EM_CODE]),
                       "öronmärkningen \"%s\" har inte reserverats tidigare",
                       code);
            ok = 0;
        }
        if (!ok) {
            dec_clear(&amount);
            continue;
        }
        if (em < 0) {
            book_earmark *e = book_vec_push(b->earmarks);
            e->code = book_strdup(b, code);
            e->purpose = text(b, &s, r, EM_PURPOSE);
            e->kind = kind;
            e->valid_from = from;
            e->valid_to = to;
            e->body = text(b, &s, r, EM_BODY);
            e->paragraph = text(b, &s, r, EM_PARA);
            e->decided = date;
            e->line = r->line;
            em = (int)b->earmarks.n - 1;
            strmap_put(&p->earmarks, e->code, em);
        } else if (b->earmarks.v[em].kind != kind) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[EM_TYPE]),
                       col_of(&s, r, s.idx[EM_TYPE]),
                       "öronmärkningen \"%s\" har typen %s sedan tidigare",
                       code,
                       b->earmarks.v[em].kind == EARMARK_GRANT ? "bidrag"
                                                               : "reservation");
        }
        book_decision *d = book_vec_push(b->decisions);
        d->earmark = em;
        d->event = event;
        dec_init(&d->amount);
        dec_set(&d->amount, &amount);
        dec_clear(&amount);
        d->body = text(b, &s, r, EM_BODY);
        d->paragraph = text(b, &s, r, EM_PARA);
        d->registered = text(b, &s, r, EM_REG);
        d->user = text(b, &s, r, EM_USER);
        d->date = date;
        d->line = r->line;
    }
    csvio_free(&s.t);
}

/* ---- verifikationer.csv ------------------------------------------------ */

enum {
    JE_VER, JE_DATE, JE_ACCOUNT, JE_ACTIVITY, JE_FUNDER, JE_EARMARK,
    JE_AMOUNT, JE_TEXT, JE_DOC, JE_CORR, JE_REG, JE_USER, JE_SOURCE, JE_FP,
    JE_N
};
static const colspec je_cols[JE_N] = {
    {"Ver", 1},         {"Datum", 1},         {"Konto", 1},
    {"Verksamhet", 1},  {"Finansiär", 1},     {"Öronmärkning", 1},
    {"Belopp", 1},      {"Text", 1},          {"Underlag", 0},
    {"Rättar", 0},      {"Registrerad", 0},   {"Användare", 0},
    {"Källa", 0},       {"Fingeravtryck", 0}};

/* Parse "2025:17" into year and voucher number. Returns 0 or -1. */
int book_parse_voucher(const char *s, int *year, int *ver)
{
    int y = 0, v = 0, n = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && n < 5; p++, n++)
        y = y * 10 + (*p - '0');
    if (n != 4 || *p != ':')
        return -1;
    p++;
    for (n = 0; *p >= '0' && *p <= '9' && n < 9; p++, n++)
        v = v * 10 + (*p - '0');
    if (n == 0 || *p || v < 1)
        return -1;
    *year = y;
    *ver = v;
    return 0;
}

/* Resolve an optional code; reports an unknown one. Returns 1 when fine. */
static int resolve(const book *b, int *out, const strmap *m, const sheet *s,
                   const csvio_row *r, int col, const char *what,
                   diag_list *dl, const char *unknown)
{
    const char *v = fld(s, r, col);
    *out = -1;
    if (!*v)
        return 1;
    *out = strmap_get(m, v);
    if (*out >= 0)
        return 1;
    book_code_kind k = strcmp(what, "konto") == 0        ? BOOK_CODE_ACCOUNT
                       : strcmp(what, "verksamhet") == 0 ? BOOK_CODE_ACTIVITY
                       : strcmp(what, "finansiär") == 0  ? BOOK_CODE_FUNDER
                                                         : BOOK_CODE_EARMARK;
    char hint[160];
    diag_error(dl, s->disp, line_of(s, r, s->idx[col]),
               col_of(s, r, s->idx[col]), "%s %s \"%s\"%s", unknown, what, v,
               book_code_hint(b, k, v, hint, sizeof hint));
    return 0;
}

/* A text field that usually repeats the previous entry's (user, source):
 * the previous copy is shared instead of storing a million equal ones. */
static const char *text_repeated(book *b, const sheet *s, const csvio_row *r,
                                 int col, const char *prev)
{
    const char *v = fld(s, r, col);
    if (!*v)
        return "";
    if (prev && strcmp(prev, v) == 0)
        return prev;
    return book_strdup(b, v);
}

static void read_journal_row(book *b, const sheet *s, const csvio_row *r,
                             int *last_year, diag_list *dl)
{
    book_priv *p = book_priv_of(b);
    if (!row_shape_ok(s, r, dl))
        return;
    long ver = 0;
    date_t date = DATE_NONE;
    int ok = read_int(&ver, s, r, JE_VER, "verifikationsnummer", 1,
                      99999999L, dl);
    ok &= read_date(&date, s, r, JE_DATE, 0, dl);
    int account = -1, activity, funder, earmark;
    const char *acc = fld(s, r, JE_ACCOUNT);
    if (!*acc)
        ok &= need(s, r, JE_ACCOUNT, "konto", dl);
    else
        ok &= resolve(b, &account, &p->accounts, s, r, JE_ACCOUNT, "konto", dl,
                      "okänt");
    ok &= resolve(b, &activity, &p->activities, s, r, JE_ACTIVITY, "verksamhet",
                  dl, "okänd");
    ok &= resolve(b, &funder, &p->funders, s, r, JE_FUNDER, "finansiär", dl,
                  "okänd");
    ok &= resolve(b, &earmark, &p->earmarks, s, r, JE_EARMARK, "öronmärkning",
                  dl, "okänd");
    dec_t amount;
    dec_init(&amount);
    ok &= read_amount(&amount, s, r, JE_AMOUNT, dl);
    int cy = 0, cv = 0;
    const char *corr = fld(s, r, JE_CORR);
    if (*corr && book_parse_voucher(corr, &cy, &cv) != 0) {
        diag_error(dl, s->disp, line_of(s, r, s->idx[JE_CORR]),
                   col_of(s, r, s->idx[JE_CORR]),
                   "Rättar ska vara ÅR:NUMMER, t.ex. 2025:17, inte \"%s\"",
                   corr);
        ok = 0;
    }
    if (!ok) {
        /* The number is still taken, so later rows are not reported as
         * out of sequence because of this one. */
        int year = date != DATE_NONE ? date_year(date) : 0;
        const char *ds = fld(s, r, JE_DATE);
        if (!year && strspn(ds, "0123456789") >= 4) /* year of a bad date */
            year = (ds[0] - '0') * 1000 + (ds[1] - '0') * 100 +
                   (ds[2] - '0') * 10 + (ds[3] - '0');
        if (!year) /* no year at all: assume the previous row's */
            year = *last_year;
        if (ver > 0 && year) {
            book_entry probe;
            memset(&probe, 0, sizeof probe);
            probe.year = year;
            probe.ver = (int)ver;
            check_voucher_number(b, &probe, s->disp, r->line, dl);
            book_index_voucher(b, probe.year, probe.ver, -1);
        }
        dec_clear(&amount);
        return;
    }
    const book_entry *prev = b->entries.n ? &b->entries.v[b->entries.n - 1]
                                          : NULL;
    const char *prev_user = prev ? prev->user : NULL;
    const char *prev_source = prev ? prev->source : NULL;
    book_entry *e = book_vec_push(b->entries);
    e->year = *last_year = date_year(date);
    e->ver = (int)ver;
    e->date = date;
    e->account = account;
    e->activity = activity;
    e->funder = funder;
    e->earmark = earmark;
    e->amount = amount; /* the mpz moves into the entry */
    e->text = text(b, s, r, JE_TEXT);
    e->doc = text(b, s, r, JE_DOC);
    e->corr_year = cy;
    e->corr_ver = cv;
    e->registered = text(b, s, r, JE_REG);
    e->user = text_repeated(b, s, r, JE_USER, prev_user);
    e->source = text_repeated(b, s, r, JE_SOURCE, prev_source);
    e->fingerprint = text(b, s, r, JE_FP);
    e->line = r->line;
    check_entry_row(b, e, s->disp, dl);
    book_index_voucher(b, e->year, e->ver, (long)b->entries.n - 1);
}

/* The journal is by far the biggest file: it is read row by row
 * (csvio_read_file_rows), so its fields are never all in memory at once. */
typedef struct {
    book *b;
    sheet s;
    diag_list *dl;
    int seen_header, header_ok;
    int last_year; /* of the last entry read */
} journal_reader;

static void journal_row(const csvio_table *t, const csvio_row *r, void *arg)
{
    journal_reader *j = arg;
    j->s.disp = t->display; /* t is &j->s.t */
    if (!j->seen_header) {
        j->seen_header = 1;
        j->header_ok = sheet_map(&j->s, r, je_cols, JE_N, j->dl) == 0;
    } else if (j->header_ok) {
        read_journal_row(j->b, &j->s, r, &j->last_year, j->dl);
    }
}

static void read_journal(book *b, diag_list *dl)
{
    journal_reader j;
    memset(&j, 0, sizeof j);
    j.b = b;
    j.dl = dl;
    char *path = book_path(b, BOOK_JOURNAL);
    int rc = csvio_read_file_rows(&j.s.t, path, path, NULL, dl, journal_row,
                                  &j);
    free(path);
    j.s.disp = j.s.t.display;
    if (rc == SAMLA_OK && !j.seen_header)
        diag_error(dl, j.s.disp, 0, 0, "filen är tom; rubrikraden saknas");
    csvio_free(&j.s.t);
}

/* ---- budget.csv ---------------------------------------------------------- */

enum {
    BU_YEAR, BU_TYPE, BU_CODE, BU_ACCOUNT, BU_Q1, BU_Q2, BU_Q3, BU_Q4,
    BU_FORECAST, BU_TEXT, BU_N
};
static const colspec bu_cols[BU_N] = {
    {"År", 1}, {"Typ", 1}, {"Kod", 1}, {"Konto", 0}, {"Q1", 1},
    {"Q2", 1}, {"Q3", 1},  {"Q4", 1},  {"Prognos", 0}, {"Text", 0}};

static void read_budget(book *b, diag_list *dl)
{
    sheet s;
    book_priv *p = book_priv_of(b);
    if (sheet_open(&s, b->dir, BOOK_BUDGET, bu_cols, BU_N, 0, dl) != 0) {
        csvio_free(&s.t);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        const csvio_row *r = &s.t.rows[i];
        if (!row_shape_ok(&s, r, dl))
            continue;
        long year;
        book_kind kind;
        int ok = read_int(&year, &s, r, BU_YEAR, "år", 1900, 9999, dl);
        ok &= read_kind(&kind, &s, r, BU_TYPE, dl);
        if (!ok)
            continue;
        int funder = -1, activity = -1, account = -1;
        const char *code = fld(&s, r, BU_CODE);
        if (kind == KIND_INCOME) {
            funder = strmap_get(&p->funders, code);
            if (funder < 0) {
                char hint[160];
                diag_error(dl, s.disp, line_of(&s, r, s.idx[BU_CODE]),
                           col_of(&s, r, s.idx[BU_CODE]),
                           "okänd finansiär \"%s\"%s", code,
                           book_code_hint(b, BOOK_CODE_FUNDER, code, hint,
                                          sizeof hint));
                ok = 0;
            }
        } else {
            activity = strmap_get(&p->activities, code);
            if (activity < 0) {
                char hint[160];
                diag_error(dl, s.disp, line_of(&s, r, s.idx[BU_CODE]),
                           col_of(&s, r, s.idx[BU_CODE]),
                           "okänd verksamhet \"%s\"%s", code,
                           book_code_hint(b, BOOK_CODE_ACTIVITY, code, hint,
                                          sizeof hint));
                ok = 0;
            }
        }
        ok &= resolve(b, &account, &p->accounts, &s, r, BU_ACCOUNT, "konto", dl,
                      "okänt");
        if (ok && account >= 0 && b->accounts.v[account].kind != kind) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[BU_ACCOUNT]),
                       col_of(&s, r, s.idx[BU_ACCOUNT]),
                       "kontot %s är inte ett %skonto",
                       b->accounts.v[account].number,
                       kind == KIND_INCOME ? "intäkts" : "kostnads");
            ok = 0;
        }
        dec_t q[4], fc;
        for (int k = 0; k < 4; k++) {
            dec_init(&q[k]);
            ok &= read_amount(&q[k], &s, r, BU_Q1 + k, dl);
        }
        dec_init(&fc);
        int has_fc = *fld(&s, r, BU_FORECAST) != '\0';
        if (has_fc)
            ok &= read_amount(&fc, &s, r, BU_FORECAST, dl);
        if (ok) {
            for (size_t j = 0; j < b->budget.n; j++) {
                const book_budget_line *o = &b->budget.v[j];
                if (o->year == year && o->kind == kind &&
                    strcmp(o->code, code) == 0 && o->account == account) {
                    diag_error(dl, s.disp, line_of(&s, r, s.idx[BU_CODE]),
                               col_of(&s, r, s.idx[BU_CODE]),
                               "budgetraden finns redan på rad %ld", o->line);
                    ok = 0;
                }
            }
        }
        if (!ok) {
            for (int k = 0; k < 4; k++)
                dec_clear(&q[k]);
            dec_clear(&fc);
            continue;
        }
        book_budget_line *l = book_vec_push(b->budget);
        l->year = (int)year;
        l->kind = kind;
        l->code = book_strdup(b, code);
        l->funder = funder;
        l->activity = activity;
        l->account = account;
        memcpy(l->q, q, sizeof q); /* the mpz values move into the line */
        l->has_forecast = has_fc;
        l->forecast = fc;
        l->text = text(b, &s, r, BU_TEXT);
        l->line = r->line;
    }
    csvio_free(&s.t);
}

/* ---- bokslut.csv ---------------------------------------------------------- */

enum {
    CL_YEAR, CL_EVENT, CL_RESULT, CL_CLOSING, CL_COUNT, CL_HASH, CL_REG,
    CL_USER, CL_REASON, CL_N
};
static const colspec cl_cols[CL_N] = {
    {"År", 1},          {"Händelse", 1},
    {"Resultat", 1},    {"Utgående ackumulerat överskott", 1},
    {"Antal verifikationer", 1}, {"Kontrollsumma", 1},
    {"Registrerad", 0}, {"Användare", 0}, {"Motivering", 0}};

static void read_closes(book *b, diag_list *dl)
{
    sheet s;
    if (sheet_open(&s, b->dir, BOOK_CLOSES, cl_cols, CL_N, 1, dl) != 0) {
        csvio_free(&s.t);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        const csvio_row *r = &s.t.rows[i];
        if (!row_shape_ok(&s, r, dl))
            continue;
        long year, count;
        int ok = read_int(&year, &s, r, CL_YEAR, "år", 1900, 9999, dl);
        ok &= read_int(&count, &s, r, CL_COUNT, "antal", 0, 1000000000L, dl);
        const char *ev = fld(&s, r, CL_EVENT);
        int closed = strcmp(ev, "stängt") == 0;
        if (!closed && strcmp(ev, "återöppnat") != 0) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[CL_EVENT]),
                       col_of(&s, r, s.idx[CL_EVENT]),
                       "ogiltig händelse \"%s\"; ska vara stängt eller "
                       "återöppnat", ev);
            ok = 0;
        }
        dec_t res, clo;
        dec_init(&res);
        dec_init(&clo);
        ok &= read_sum(&res, &s, r, CL_RESULT, dl);
        ok &= read_sum(&clo, &s, r, CL_CLOSING, dl);
        const char *h = fld(&s, r, CL_HASH);
        if (strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64) {
            diag_error(dl, s.disp, line_of(&s, r, s.idx[CL_HASH]),
                       col_of(&s, r, s.idx[CL_HASH]),
                       "kontrollsumman ska vara 64 hexadecimala tecken");
            ok = 0;
        }
        if (!ok) {
            dec_clear(&res);
            dec_clear(&clo);
            continue;
        }
        book_close *c = book_vec_push(b->closes);
        c->year = (int)year;
        c->closed = closed;
        memcpy(&c->result, &res, sizeof res);
        memcpy(&c->closing, &clo, sizeof clo);
        c->count = count;
        c->hash = book_strdup(b, h);
        c->registered = text(b, &s, r, CL_REG);
        c->user = text(b, &s, r, CL_USER);
        c->reason = text(b, &s, r, CL_REASON);
        c->line = r->line;
    }
    csvio_free(&s.t);
}

int book_load(book *b, const char *dir, diag_list *dl)
{
    book_init(b);
    b->dir = strdup(dir);
    if (!b->dir)
        abort();
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(dl, dir, 0, 0, "boken finns inte (ingen sådan mapp)");
        return SAMLA_EIO;
    }
    size_t before = diag_errors(dl);
    read_organisation(b, dl);
    read_funders(b, dl);
    read_accounts(b, dl);
    read_activities(b, dl);
    read_earmarks(b, dl);
    read_closes(b, dl);
    read_journal(b, dl);
    read_budget(b, dl);
    check_book(b, dl);
    return diag_errors(dl) > before ? SAMLA_EDATA : SAMLA_OK;
}
