/*
 * book_read - reading a book's CSV files into the model (book.h).
 *
 * Each file's columns are declared once in schema.h; schema_sheet_open maps
 * the header (columns by name, in any order) and the schema's value readers
 * read each field with the rules of its kind. A bad field adds an error
 * naming file:line:column and reading goes on, so the user sees every
 * problem of the book at once. Cross-row and cross-file rules (voucher
 * sequences, closed years, earmark cover) are in check.c.
 *
 * Turning one row into the model (book_decode_*) is kept apart from adding
 * it to the book, so that the writer can read its new rows back with the
 * very same code before it saves them (book_write.c).
 *
 * Why one file of some 950 lines: one reader per book file, each short,
 * all using the same schema sheet and error places; split per file they
 * would share a private header of nearly everything.
 */
#include "book.h"
#include "book_priv.h"
#include "check.h"
#include "csvio.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"

/* A text field copied into the arena ("" is shared); *ok cleared on a bad
 * one. */
static const char *text(book *b, const schema_sheet *s, const csvio_row *r,
                        int col, int *ok, diag_list *dl)
{
    const char *v;
    if (!schema_text(s, r, col, &v, dl))
        *ok = 0;
    return *v ? book_strdup(b, v) : "";
}

static int read_kind(book_kind *k, const schema_sheet *s, const csvio_row *r,
                     int col, diag_list *dl)
{
    const char *v = schema_raw(s, r, col);
    if (strcmp(v, "intäkt") == 0 || strcmp(v, "Intäkt") == 0)
        *k = KIND_INCOME;
    else if (strcmp(v, "kostnad") == 0 || strcmp(v, "Kostnad") == 0)
        *k = KIND_COST;
    else {
        diag_error(dl, s->disp, schema_line(s, r, col), schema_colno(s, r, col),
                   "ogiltig typ \"%s\"; ska vara intäkt eller kostnad", v);
        return 0;
    }
    return 1;
}

/* ---- organisation.csv ------------------------------------------------ */

/* An account number of the SIE export's balance sheet: digits, or empty
 * for the default (docs/sie.md). */
static const char *sie_account(book *b, const schema_sheet *s,
                               const csvio_row *r, int col, diag_list *dl)
{
    const char *v = schema_raw(s, r, col);
    size_t n = strlen(v);
    if (n && (n > 10 || strspn(v, "0123456789") != n)) {
        diag_error(dl, s->disp, schema_line(s, r, col), schema_colno(s, r, col),
                   "%s \"%s\" ska vara ett kontonummer (siffror), eller "
                   "tomt för %s",
                   s->f->cols[col].name, v,
                   col == SCHEMA_ORG_SETTLEMENT ? "1930" : "2010");
        return "";
    }
    return n ? book_strdup(b, v) : "";
}

static void read_organisation(book *b, diag_list *dl)
{
    schema_sheet s;
    if (schema_sheet_open(&s, &schema_organisation, b->dir, 0, dl) == 0) {
        if (s.t.nrows != 2)
            diag_error(dl, s.disp, s.t.nrows > 2 ? s.t.rows[2].line : 0, 0,
                       "filen ska ha exakt en rad under rubrikraden");
        if (s.t.nrows >= 2) {
            const csvio_row *r = &s.t.rows[1];
            if (schema_row_shape(&s, r, dl)) {
                int ok = 1;
                if (schema_need(&s, r, SCHEMA_ORG_NAME, "namn", dl))
                    b->name = text(b, &s, r, SCHEMA_ORG_NAME, &ok, dl);
                b->short_name = text(b, &s, r, SCHEMA_ORG_SHORT, &ok, dl);
                b->currency = text(b, &s, r, SCHEMA_ORG_CURRENCY, &ok, dl);
                if (ok && strcmp(b->currency, "SEK") != 0)
                    diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_ORG_CURRENCY),
                               schema_colno(&s, r, SCHEMA_ORG_CURRENCY),
                               "valutan \"%s\" stöds inte; bara SEK",
                               b->currency);
                schema_date(&s, r, SCHEMA_ORG_START, 0, &b->start, dl);
                schema_amount(&s, r, SCHEMA_ORG_OPENING, &b->opening, dl);
                b->settlement_account =
                    sie_account(b, &s, r, SCHEMA_ORG_SETTLEMENT, dl);
                b->equity_account = sie_account(b, &s, r, SCHEMA_ORG_EQUITY, dl);
            }
        }
    }
    schema_sheet_free(&s);
}

/* ---- finansiarer.csv, konton.csv, verksamheter.csv ---------------------- */

static void read_funders(book *b, diag_list *dl)
{
    schema_sheet s;
    book_priv *p = book_priv_of(b);
    if (schema_sheet_open(&s, &schema_funders, b->dir, 0, dl) == 0) {
        for (size_t i = 1; i < s.t.nrows; i++) {
            const csvio_row *r = &s.t.rows[i];
            if (!schema_row_shape(&s, r, dl) ||
                !schema_code(&s, r, SCHEMA_FU_CODE, "kod", dl))
                continue;
            int ok = 1;
            book_funder *f = book_vec_push(b->funders);
            f->code = book_strdup(b, schema_raw(&s, r, SCHEMA_FU_CODE));
            f->name = text(b, &s, r, SCHEMA_FU_NAME, &ok, dl);
            f->type = text(b, &s, r, SCHEMA_FU_TYPE, &ok, dl);
            f->line = r->line;
            const char *t = f->type;
            if (ok && *t && strcmp(t, "stat") && strcmp(t, "region") &&
                strcmp(t, "kommun") && strcmp(t, "övrig"))
                diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_FU_TYPE),
                           schema_colno(&s, r, SCHEMA_FU_TYPE),
                           "ogiltig typ \"%s\"; ska vara stat, region, kommun "
                           "eller övrig", t);
            long pop = 0;
            if (*schema_raw(&s, r, SCHEMA_FU_POPULATION) &&
                schema_int(&s, r, SCHEMA_FU_POPULATION, "invånarantal", 0,
                           100000000L, &pop, dl))
                f->population = (unsigned long)pop;
            if (strmap_put(&p->funders, f->code, (int)b->funders.n - 1) >= 0)
                diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_FU_CODE),
                           schema_colno(&s, r, SCHEMA_FU_CODE),
                           "finansiären \"%s\" finns redan", f->code);
        }
    }
    schema_sheet_free(&s);
}

/* ---- invanare.csv ----------------------------------------------------------- */

int book_decode_population(book *b, const schema_sheet *s, const csvio_row *r,
                           book_population *p, diag_list *dl)
{
    memset(p, 0, sizeof *p);
    p->funder = -1;
    p->source = "";
    if (!schema_row_shape(s, r, dl))
        return 0;
    long year, count;
    int ok = schema_int(s, r, SCHEMA_PO_YEAR, "år", 1900, 9999, &year, dl);
    ok &= schema_int(s, r, SCHEMA_PO_COUNT, "invånarantal", 1, 100000000L,
                     &count, dl);
    const char *code = schema_raw(s, r, SCHEMA_PO_FUNDER);
    if (!*code) {
        ok &= schema_need(s, r, SCHEMA_PO_FUNDER, "finansiär", dl);
    } else {
        p->funder = book_funder_find(b, code);
        if (p->funder < 0) {
            char hint[160];
            diag_error(dl, s->disp, schema_line(s, r, SCHEMA_PO_FUNDER),
                       schema_colno(s, r, SCHEMA_PO_FUNDER),
                       "okänd finansiär \"%s\"%s", code,
                       book_code_hint(b, BOOK_CODE_FUNDER, code, hint,
                                      sizeof hint));
            ok = 0;
        } else if (!book_funder_is_municipality(b, p->funder)) {
            const char *t = b->funders.v[p->funder].type;
            diag_error(dl, s->disp, schema_line(s, r, SCHEMA_PO_FUNDER),
                       schema_colno(s, r, SCHEMA_PO_FUNDER),
                       "finansiären %s är inte en kommun (typ %s); invånare "
                       "anges bara för kommuner",
                       code, t && *t ? t : "saknas");
            ok = 0;
        }
    }
    if (!ok)
        return 0;
    p->year = (int)year;
    p->population = (unsigned long)count;
    p->source = text(b, s, r, SCHEMA_PO_SOURCE, &ok, dl);
    p->line = r->line;
    return ok;
}

static void read_populations(book *b, diag_list *dl)
{
    schema_sheet s;
    if (schema_sheet_open(&s, &schema_populations, b->dir, 1, dl) != 0) {
        schema_sheet_free(&s);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        const csvio_row *r = &s.t.rows[i];
        book_population p;
        if (!book_decode_population(b, &s, r, &p, dl))
            continue;
        int dup = 0;
        for (size_t j = 0; j < b->populations.n && !dup; j++) {
            const book_population *o = &b->populations.v[j];
            if (o->year == p.year && o->funder == p.funder) {
                diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_PO_FUNDER),
                           schema_colno(&s, r, SCHEMA_PO_FUNDER),
                           "invånarantalet för %s %d finns redan på rad %ld",
                           b->funders.v[p.funder].code, p.year, o->line);
                dup = 1;
            }
        }
        if (!dup)
            *(book_population *)book_vec_push(b->populations) = p;
    }
    schema_sheet_free(&s);
}

static void read_accounts(book *b, diag_list *dl)
{
    schema_sheet s;
    book_priv *p = book_priv_of(b);
    if (schema_sheet_open(&s, &schema_accounts, b->dir, 0, dl) == 0) {
        for (size_t i = 1; i < s.t.nrows; i++) {
            const csvio_row *r = &s.t.rows[i];
            long num;
            book_kind k;
            if (!schema_row_shape(&s, r, dl) ||
                !schema_int(&s, r, SCHEMA_AC_NUMBER, "kontonummer", 1,
                            99999999L, &num, dl) ||
                !read_kind(&k, &s, r, SCHEMA_AC_TYPE, dl))
                continue;
            int ok = 1;
            book_account *a = book_vec_push(b->accounts);
            a->number = book_strdup(b, schema_raw(&s, r, SCHEMA_AC_NUMBER));
            a->name = text(b, &s, r, SCHEMA_AC_NAME, &ok, dl);
            a->kind = k;
            a->line = r->line;
            if (strmap_put(&p->accounts, a->number, (int)b->accounts.n - 1) >= 0)
                diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_AC_NUMBER),
                           schema_colno(&s, r, SCHEMA_AC_NUMBER),
                           "kontot %s finns redan", a->number);
        }
    }
    schema_sheet_free(&s);
}

static void read_activities(book *b, diag_list *dl)
{
    schema_sheet s;
    book_priv *p = book_priv_of(b);
    if (schema_sheet_open(&s, &schema_activities, b->dir, 0, dl) == 0) {
        for (size_t i = 1; i < s.t.nrows; i++) {
            const csvio_row *r = &s.t.rows[i];
            if (!schema_row_shape(&s, r, dl) ||
                !schema_code(&s, r, SCHEMA_AV_CODE, "kod", dl))
                continue;
            int ok = 1;
            book_activity *a = book_vec_push(b->activities);
            a->code = book_strdup(b, schema_raw(&s, r, SCHEMA_AV_CODE));
            a->name = text(b, &s, r, SCHEMA_AV_NAME, &ok, dl);
            a->line = r->line;
            const char *sp = schema_raw(&s, r, SCHEMA_AV_SPECIFICATION);
            if (strcmp(sp, "ja") == 0)
                a->specification = 1;
            else if (*sp && strcmp(sp, "nej") != 0)
                diag_error(dl, s.disp,
                           schema_line(&s, r, SCHEMA_AV_SPECIFICATION),
                           schema_colno(&s, r, SCHEMA_AV_SPECIFICATION),
                           "Specifikation ska vara ja eller nej, inte \"%s\"",
                           sp);
            if (strmap_put(&p->activities, a->code,
                           (int)b->activities.n - 1) >= 0)
                diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_AV_CODE),
                           schema_colno(&s, r, SCHEMA_AV_CODE),
                           "verksamheten \"%s\" finns redan", a->code);
        }
    }
    schema_sheet_free(&s);
}

/* ---- oronmarkningar.csv ------------------------------------------------ */

int book_decode_decision(book *b, const schema_sheet *s, const csvio_row *r,
                         book_earmark *def, book_decision *d, diag_list *dl)
{
    memset(def, 0, sizeof *def);
    memset(d, 0, sizeof *d);
    dec_init(&d->amount);
    d->earmark = -1;
    if (!schema_row_shape(s, r, dl) ||
        !schema_code(s, r, SCHEMA_EM_CODE, "kod", dl))
        return 0;
    const char *ev = schema_raw(s, r, SCHEMA_EM_EVENT);
    if (strcmp(ev, "reservera") == 0)
        d->event = EM_RESERVE;
    else if (strcmp(ev, "frigör") == 0)
        d->event = EM_RELEASE;
    else if (strcmp(ev, "avsluta") == 0)
        d->event = EM_CLOSE;
    else {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_EM_EVENT),
                   schema_colno(s, r, SCHEMA_EM_EVENT),
                   "ogiltig händelse \"%s\"; ska vara reservera, frigör "
                   "eller avsluta", ev);
        return 0;
    }
    const char *ty = schema_raw(s, r, SCHEMA_EM_TYPE);
    if (strcmp(ty, "bidrag") == 0)
        def->kind = EARMARK_GRANT;
    else if (strcmp(ty, "reservation") == 0)
        def->kind = EARMARK_RESERVATION;
    else {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_EM_TYPE),
                   schema_colno(s, r, SCHEMA_EM_TYPE),
                   "ogiltig typ \"%s\"; ska vara reservation eller bidrag",
                   ty);
        return 0;
    }
    int ok = schema_date(s, r, SCHEMA_EM_DATE, 0, &d->date, dl);
    ok &= schema_date(s, r, SCHEMA_EM_FROM, 1, &def->valid_from, dl);
    ok &= schema_date(s, r, SCHEMA_EM_TO, 1, &def->valid_to, dl);
    ok &= schema_need(s, r, SCHEMA_EM_BODY, "beslutsorgan", dl);
    if (d->event != EM_CLOSE)
        ok &= schema_amount(s, r, SCHEMA_EM_AMOUNT, &d->amount, dl);
    if (ok && d->event != EM_CLOSE && dec_sgn(&d->amount) <= 0) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_EM_AMOUNT),
                   schema_colno(s, r, SCHEMA_EM_AMOUNT),
                   "beloppet ska vara större än noll");
        ok = 0;
    }
    if (ok && def->valid_from != DATE_NONE && def->valid_to != DATE_NONE &&
        def->valid_from > def->valid_to) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_EM_TO),
                   schema_colno(s, r, SCHEMA_EM_TO),
                   "giltighetstiden slutar före den börjar");
        ok = 0;
    }
    def->code = book_strdup(b, schema_raw(s, r, SCHEMA_EM_CODE));
    def->purpose = text(b, s, r, SCHEMA_EM_PURPOSE, &ok, dl);
    def->body = d->body = text(b, s, r, SCHEMA_EM_BODY, &ok, dl);
    def->paragraph = d->paragraph = text(b, s, r, SCHEMA_EM_PARAGRAPH, &ok, dl);
    def->decided = d->date;
    def->line = d->line = r->line;
    d->registered = text(b, s, r, SCHEMA_EM_REGISTERED, &ok, dl);
    d->user = text(b, s, r, SCHEMA_EM_USER, &ok, dl);
    return ok;
}

static void read_earmarks(book *b, diag_list *dl)
{
    schema_sheet s;
    book_priv *p = book_priv_of(b);
    if (schema_sheet_open(&s, &schema_earmarks, b->dir, 0, dl) != 0) {
        schema_sheet_free(&s);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        const csvio_row *r = &s.t.rows[i];
        book_earmark def;
        book_decision d;
        int ok = book_decode_decision(b, &s, r, &def, &d, dl);
        int em = ok ? strmap_get(&p->earmarks, def.code) : -1;
        if (ok && em < 0 && d.event != EM_RESERVE) {
            diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_EM_CODE),
                       schema_colno(&s, r, SCHEMA_EM_CODE),
                       "öronmärkningen \"%s\" har inte reserverats tidigare",
                       def.code);
            ok = 0;
        }
        if (!ok) {
            dec_clear(&d.amount);
            continue;
        }
        if (em < 0) {
            book_earmark *e = book_vec_push(b->earmarks);
            *e = def;
            em = (int)b->earmarks.n - 1;
            strmap_put(&p->earmarks, e->code, em);
        } else if (b->earmarks.v[em].kind != def.kind) {
            diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_EM_TYPE),
                       schema_colno(&s, r, SCHEMA_EM_TYPE),
                       "öronmärkningen \"%s\" har typen %s sedan tidigare",
                       def.code,
                       b->earmarks.v[em].kind == EARMARK_GRANT ? "bidrag"
                                                               : "reservation");
        }
        book_decision *nd = book_vec_push(b->decisions);
        *nd = d; /* the mpz moves into the decision */
        nd->earmark = em;
    }
    schema_sheet_free(&s);
}

/* ---- verifikationer.csv ------------------------------------------------ */

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
static int resolve(const book *b, int *out, const strmap *m,
                   const schema_sheet *s, const csvio_row *r, int col,
                   const char *what, diag_list *dl, const char *unknown)
{
    const char *v = schema_raw(s, r, col);
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
    diag_error(dl, s->disp, schema_line(s, r, col), schema_colno(s, r, col),
               "%s %s \"%s\"%s", unknown, what, v,
               book_code_hint(b, k, v, hint, sizeof hint));
    return 0;
}

/* A text field that usually repeats the previous entry's (user, source):
 * the previous copy is shared instead of storing a million equal ones, and
 * it was checked when it was read. */
static const char *text_repeated(book *b, const schema_sheet *s,
                                 const csvio_row *r, int col, const char *prev,
                                 int *ok, diag_list *dl)
{
    const char *v = text_unescape(schema_raw(s, r, col));
    if (!*v)
        return "";
    if (prev && strcmp(prev, v) == 0)
        return prev;
    return text(b, s, r, col, ok, dl);
}

int book_decode_entry(book *b, const schema_sheet *s, const csvio_row *r,
                      const book_entry *prev, book_entry *e, diag_list *dl)
{
    book_priv *p = book_priv_of(b);
    memset(e, 0, sizeof *e);
    dec_init(&e->amount);
    e->date = DATE_NONE;
    e->account = e->activity = e->funder = e->earmark = -1;
    if (!schema_row_shape(s, r, dl))
        return 0;
    long ver = 0;
    int ok = schema_int(s, r, SCHEMA_JE_VER, "verifikationsnummer", 1,
                        99999999L, &ver, dl);
    e->ver = (int)ver;
    ok &= schema_date(s, r, SCHEMA_JE_DATE, 0, &e->date, dl);
    if (!*schema_raw(s, r, SCHEMA_JE_ACCOUNT))
        ok &= schema_need(s, r, SCHEMA_JE_ACCOUNT, "konto", dl);
    else
        ok &= resolve(b, &e->account, &p->accounts, s, r, SCHEMA_JE_ACCOUNT,
                      "konto", dl, "okänt");
    ok &= resolve(b, &e->activity, &p->activities, s, r, SCHEMA_JE_ACTIVITY,
                  "verksamhet", dl, "okänd");
    ok &= resolve(b, &e->funder, &p->funders, s, r, SCHEMA_JE_FUNDER,
                  "finansiär", dl, "okänd");
    ok &= resolve(b, &e->earmark, &p->earmarks, s, r, SCHEMA_JE_EARMARK,
                  "öronmärkning", dl, "okänd");
    ok &= schema_amount(s, r, SCHEMA_JE_AMOUNT, &e->amount, dl);
    const char *corr = schema_raw(s, r, SCHEMA_JE_CORRECTS);
    if (*corr && book_parse_voucher(corr, &e->corr_year, &e->corr_ver) != 0) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_JE_CORRECTS),
                   schema_colno(s, r, SCHEMA_JE_CORRECTS),
                   "Rättar ska vara ÅR:NUMMER, t.ex. 2025:17, inte \"%s\"",
                   corr);
        ok = 0;
    }
    if (!ok)
        return 0;
    e->year = date_year(e->date);
    e->text = text(b, s, r, SCHEMA_JE_TEXT, &ok, dl);
    e->doc = text(b, s, r, SCHEMA_JE_DOC, &ok, dl);
    e->registered = text(b, s, r, SCHEMA_JE_REGISTERED, &ok, dl);
    e->user = text_repeated(b, s, r, SCHEMA_JE_USER, prev ? prev->user : NULL,
                            &ok, dl);
    e->source = text_repeated(b, s, r, SCHEMA_JE_SOURCE,
                              prev ? prev->source : NULL, &ok, dl);
    e->fingerprint = text(b, s, r, SCHEMA_JE_FINGERPRINT, &ok, dl);
    e->line = r->line;
    return ok;
}

static void read_journal_row(book *b, const schema_sheet *s,
                             const csvio_row *r, int *last_year, diag_list *dl)
{
    const book_entry *prev = b->entries.n ? &b->entries.v[b->entries.n - 1]
                                          : NULL;
    book_entry e;
    if (!book_decode_entry(b, s, r, prev, &e, dl)) {
        dec_clear(&e.amount);
        if (r->n != s->nfields)
            return;
        /* The number is still taken, so later rows are not reported as
         * out of sequence because of this one. */
        int year = e.date != DATE_NONE ? date_year(e.date) : 0;
        const char *ds = schema_raw(s, r, SCHEMA_JE_DATE);
        if (!year && strspn(ds, "0123456789") >= 4) /* year of a bad date */
            year = (ds[0] - '0') * 1000 + (ds[1] - '0') * 100 +
                   (ds[2] - '0') * 10 + (ds[3] - '0');
        if (!year) /* no year at all: assume the previous row's */
            year = *last_year;
        if (e.ver > 0 && year) {
            book_entry probe;
            memset(&probe, 0, sizeof probe);
            probe.year = year;
            probe.ver = e.ver;
            check_voucher_number(b, &probe, s->disp, r->line, dl);
            book_index_voucher(b, probe.year, probe.ver, -1);
        }
        return;
    }
    *last_year = e.year;
    book_entry *ne = book_vec_push(b->entries);
    *ne = e; /* the mpz moves into the entry */
    check_entry_row(b, ne, s->disp, dl);
    book_index_voucher(b, ne->year, ne->ver, (long)b->entries.n - 1);
}

/* The journal is by far the biggest file: it is read row by row
 * (csvio_read_file_rows), so its fields are never all in memory at once. */
typedef struct {
    book *b;
    schema_sheet s;
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
        j->header_ok =
            schema_sheet_header(&j->s, &schema_journal, r, j->dl) == 0;
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
    schema_sheet_free(&j.s);
}

/* ---- budget.csv ---------------------------------------------------------- */

int book_decode_budget(book *b, const schema_sheet *s, const csvio_row *r,
                       book_budget_line *l, diag_list *dl)
{
    book_priv *p = book_priv_of(b);
    memset(l, 0, sizeof *l);
    for (int k = 0; k < 4; k++)
        dec_init(&l->q[k]);
    dec_init(&l->forecast);
    l->funder = l->activity = l->account = -1;
    if (!schema_row_shape(s, r, dl))
        return 0;
    long year;
    int ok = schema_int(s, r, SCHEMA_BU_YEAR, "år", 1900, 9999, &year, dl);
    ok &= read_kind(&l->kind, s, r, SCHEMA_BU_TYPE, dl);
    if (!ok)
        return 0;
    l->year = (int)year;
    const char *code = schema_raw(s, r, SCHEMA_BU_CODE);
    if (l->kind == KIND_INCOME) {
        l->funder = strmap_get(&p->funders, code);
        if (l->funder < 0) {
            char hint[160];
            diag_error(dl, s->disp, schema_line(s, r, SCHEMA_BU_CODE),
                       schema_colno(s, r, SCHEMA_BU_CODE),
                       "okänd finansiär \"%s\"%s", code,
                       book_code_hint(b, BOOK_CODE_FUNDER, code, hint,
                                      sizeof hint));
            ok = 0;
        }
    } else {
        l->activity = strmap_get(&p->activities, code);
        if (l->activity < 0) {
            char hint[160];
            diag_error(dl, s->disp, schema_line(s, r, SCHEMA_BU_CODE),
                       schema_colno(s, r, SCHEMA_BU_CODE),
                       "okänd verksamhet \"%s\"%s", code,
                       book_code_hint(b, BOOK_CODE_ACTIVITY, code, hint,
                                      sizeof hint));
            ok = 0;
        }
    }
    int account;
    ok &= resolve(b, &account, &p->accounts, s, r, SCHEMA_BU_ACCOUNT, "konto",
                  dl, "okänt");
    l->account = account;
    if (ok && account >= 0 && b->accounts.v[account].kind != l->kind) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_BU_ACCOUNT),
                   schema_colno(s, r, SCHEMA_BU_ACCOUNT),
                   "kontot %s är inte ett %skonto",
                   b->accounts.v[account].number,
                   l->kind == KIND_INCOME ? "intäkts" : "kostnads");
        ok = 0;
    }
    for (int k = 0; k < 4; k++)
        ok &= schema_amount(s, r, SCHEMA_BU_Q1 + k, &l->q[k], dl);
    l->has_forecast = *schema_raw(s, r, SCHEMA_BU_FORECAST) != '\0';
    if (l->has_forecast)
        ok &= schema_amount(s, r, SCHEMA_BU_FORECAST, &l->forecast, dl);
    l->code = book_strdup(b, code);
    l->text = text(b, s, r, SCHEMA_BU_TEXT, &ok, dl);
    int earmark;
    ok &= resolve(b, &earmark, &p->earmarks, s, r, SCHEMA_BU_EARMARK,
                  "öronmärkning", dl, "okänd");
    l->earmark = earmark >= 0 ? b->earmarks.v[earmark].code : "";
    l->line = r->line;
    return ok;
}

static void budget_line_clear(book_budget_line *l)
{
    for (int k = 0; k < 4; k++)
        dec_clear(&l->q[k]);
    dec_clear(&l->forecast);
}

static void read_budget(book *b, diag_list *dl)
{
    schema_sheet s;
    if (schema_sheet_open(&s, &schema_budget, b->dir, 0, dl) != 0) {
        schema_sheet_free(&s);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        const csvio_row *r = &s.t.rows[i];
        book_budget_line l;
        int ok = book_decode_budget(b, &s, r, &l, dl);
        for (size_t j = 0; ok && j < b->budget.n; j++) {
            const book_budget_line *o = &b->budget.v[j];
            if (o->year == l.year && o->kind == l.kind &&
                strcmp(o->code, l.code) == 0 && o->account == l.account) {
                diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_BU_CODE),
                           schema_colno(&s, r, SCHEMA_BU_CODE),
                           "budgetraden finns redan på rad %ld", o->line);
                ok = 0;
            }
        }
        if (!ok) {
            budget_line_clear(&l);
            continue;
        }
        book_budget_line *nl = book_vec_push(b->budget);
        *nl = l; /* the mpz values move into the line */
    }
    schema_sheet_free(&s);
}

/* ---- bokslut.csv ---------------------------------------------------------- */

int book_decode_close(book *b, const schema_sheet *s, const csvio_row *r,
                      book_close *c, diag_list *dl)
{
    memset(c, 0, sizeof *c);
    dec_init(&c->result);
    dec_init(&c->closing);
    if (!schema_row_shape(s, r, dl))
        return 0;
    long year, count;
    int ok = schema_int(s, r, SCHEMA_CL_YEAR, "år", 1900, 9999, &year, dl);
    ok &= schema_int(s, r, SCHEMA_CL_COUNT, "antal", 0, 1000000000L, &count,
                     dl);
    c->year = (int)year;
    c->count = count;
    const char *ev = schema_raw(s, r, SCHEMA_CL_EVENT);
    c->closed = strcmp(ev, "stängt") == 0;
    if (!c->closed && strcmp(ev, "återöppnat") != 0) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_CL_EVENT),
                   schema_colno(s, r, SCHEMA_CL_EVENT),
                   "ogiltig händelse \"%s\"; ska vara stängt eller "
                   "återöppnat", ev);
        ok = 0;
    }
    /* Sums samla computed: any length a book can produce, not the 13
     * digits of one entered amount. */
    ok &= schema_sum(s, r, SCHEMA_CL_RESULT, &c->result, dl);
    ok &= schema_sum(s, r, SCHEMA_CL_CLOSING, &c->closing, dl);
    const char *h = schema_raw(s, r, SCHEMA_CL_HASH);
    if (strlen(h) != 64 || strspn(h, "0123456789abcdef") != 64) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_CL_HASH),
                   schema_colno(s, r, SCHEMA_CL_HASH),
                   "kontrollsumman ska vara 64 hexadecimala tecken");
        ok = 0;
    }
    if (!ok)
        return 0;
    c->hash = book_strdup(b, h);
    c->registered = text(b, s, r, SCHEMA_CL_REGISTERED, &ok, dl);
    c->user = text(b, s, r, SCHEMA_CL_USER, &ok, dl);
    c->reason = text(b, s, r, SCHEMA_CL_REASON, &ok, dl);
    c->line = r->line;
    return ok;
}

static void read_closes(book *b, diag_list *dl)
{
    schema_sheet s;
    if (schema_sheet_open(&s, &schema_closes, b->dir, 1, dl) != 0) {
        schema_sheet_free(&s);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        book_close c;
        if (!book_decode_close(b, &s, &s.t.rows[i], &c, dl)) {
            dec_clear(&c.result);
            dec_clear(&c.closing);
            continue;
        }
        book_close *nc = book_vec_push(b->closes);
        *nc = c;
    }
    schema_sheet_free(&s);
}

/* ---- rapporterat.csv (optional) --------------------------------------------- */

int book_decode_reported(book *b, const schema_sheet *s, const csvio_row *r,
                         book_reported *rp, diag_list *dl)
{
    memset(rp, 0, sizeof *rp);
    rp->date = DATE_NONE;
    if (!schema_row_shape(s, r, dl))
        return 0;
    int ok = schema_date(s, r, SCHEMA_RP_DATE, 0, &rp->date, dl);
    ok &= schema_need(s, r, SCHEMA_RP_SOURCE, "källa", dl);
    rp->source = text(b, s, r, SCHEMA_RP_SOURCE, &ok, dl);
    rp->registered = text(b, s, r, SCHEMA_RP_REGISTERED, &ok, dl);
    rp->user = text(b, s, r, SCHEMA_RP_USER, &ok, dl);
    rp->reason = text(b, s, r, SCHEMA_RP_REASON, &ok, dl);
    if (ok && b->start != DATE_NONE && rp->date < b->start - 1) {
        char d[11];
        date_format(b->start, d);
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_RP_DATE),
                   schema_colno(s, r, SCHEMA_RP_DATE),
                   "datumet ligger före bokens startdatum %s", d);
        ok = 0;
    }
    rp->line = r->line;
    return ok;
}

/* The rule across rows: the date moves backwards only with a reason. */
int book_reported_back_ok(const book_reported *prev, const book_reported *rp)
{
    return !prev || rp->date >= prev->date || (rp->reason && *rp->reason);
}

static void read_reported(book *b, diag_list *dl)
{
    schema_sheet s;
    if (schema_sheet_open(&s, &schema_reported, b->dir, 1, dl) != 0) {
        schema_sheet_free(&s);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        const csvio_row *r = &s.t.rows[i];
        book_reported rp;
        if (!book_decode_reported(b, &s, r, &rp, dl))
            continue;
        const book_reported *prev =
            b->reported_log.n ? &b->reported_log.v[b->reported_log.n - 1]
                              : NULL;
        if (!book_reported_back_ok(prev, &rp)) {
            char d[11];
            date_format(prev->date, d);
            diag_error(dl, s.disp, schema_line(&s, r, SCHEMA_RP_DATE),
                       schema_colno(&s, r, SCHEMA_RP_DATE),
                       "datumet ligger före %s på raden ovan; en rad som "
                       "flyttar rapporterat t.o.m. bakåt ska ha en "
                       "motivering",
                       d);
            continue;
        }
        *(book_reported *)book_vec_push(b->reported_log) = rp;
        b->reported = rp.date;
    }
    schema_sheet_free(&s);
}

/* ---- kommentarer.csv -------------------------------------------------------- */

/* A comment's period: empty (the year), or a quarter, tertial or month of
 * the row's year. Sets c->period, c->from and c->to. */
static int comment_period(book *b, const schema_sheet *s, const csvio_row *r,
                          book_comment *c, diag_list *dl)
{
    const char *v = schema_raw(s, r, SCHEMA_CM_PERIOD);
    period_t p;
    char err[200];
    if (book_comment_period(c->year, v, &p, err, sizeof err) != 0) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_CM_PERIOD),
                   schema_colno(s, r, SCHEMA_CM_PERIOD), "%s", err);
        return 0;
    }
    c->period = *v ? book_strdup(b, p.label) : "";
    c->from = p.from;
    c->to = p.to;
    return 1;
}

int book_decode_comment(book *b, const schema_sheet *s, const csvio_row *r,
                        book_comment *c, diag_list *dl)
{
    book_priv *p = book_priv_of(b);
    memset(c, 0, sizeof *c);
    c->funder = c->activity = c->account = -1;
    c->period = c->code = c->text = c->registered = c->user = "";
    if (!schema_row_shape(s, r, dl))
        return 0;
    long year;
    int ok = schema_int(s, r, SCHEMA_CM_YEAR, "år", 1900, 9999, &year, dl);
    ok &= read_kind(&c->kind, s, r, SCHEMA_CM_TYPE, dl);
    ok &= schema_need(s, r, SCHEMA_CM_CODE, "kod", dl);
    if (!ok)
        return 0;
    c->year = (int)year;
    ok &= comment_period(b, s, r, c, dl);
    const char *code = schema_raw(s, r, SCHEMA_CM_CODE);
    const char *what = c->kind == KIND_INCOME ? "finansiär" : "verksamhet";
    int idx = strmap_get(c->kind == KIND_INCOME ? &p->funders : &p->activities,
                         code);
    if (idx < 0) {
        char hint[160];
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_CM_CODE),
                   schema_colno(s, r, SCHEMA_CM_CODE), "okänd %s \"%s\"%s",
                   what, code,
                   book_code_hint(b,
                                  c->kind == KIND_INCOME ? BOOK_CODE_FUNDER
                                                         : BOOK_CODE_ACTIVITY,
                                  code, hint, sizeof hint));
        ok = 0;
    } else if (c->kind == KIND_INCOME) {
        c->funder = idx;
    } else {
        c->activity = idx;
    }
    int account;
    ok &= resolve(b, &account, &p->accounts, s, r, SCHEMA_CM_ACCOUNT, "konto",
                  dl, "okänt");
    c->account = account;
    if (ok && account >= 0 && b->accounts.v[account].kind != c->kind) {
        diag_error(dl, s->disp, schema_line(s, r, SCHEMA_CM_ACCOUNT),
                   schema_colno(s, r, SCHEMA_CM_ACCOUNT),
                   "kontot %s är inte ett %skonto",
                   b->accounts.v[account].number,
                   c->kind == KIND_INCOME ? "intäkts" : "kostnads");
        ok = 0;
    }
    c->code = book_strdup(b, code);
    c->text = text(b, s, r, SCHEMA_CM_TEXT, &ok, dl);
    c->registered = text(b, s, r, SCHEMA_CM_REGISTERED, &ok, dl);
    c->user = text(b, s, r, SCHEMA_CM_USER, &ok, dl);
    c->line = r->line;
    return ok;
}

static void read_comments(book *b, diag_list *dl)
{
    schema_sheet s;
    if (schema_sheet_open(&s, &schema_comments, b->dir, 1, dl) != 0) {
        schema_sheet_free(&s);
        return;
    }
    for (size_t i = 1; i < s.t.nrows; i++) {
        book_comment c;
        if (book_decode_comment(b, &s, &s.t.rows[i], &c, dl))
            *(book_comment *)book_vec_push(b->comments) = c;
    }
    schema_sheet_free(&s);
}

samla_err book_load(book *b, const char *dir, diag_list *dl)
{
    book_init(b);
    b->dir = mem_strdup(dir);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(dl, dir, 0, 0, "boken finns inte (ingen sådan mapp)");
        return SAMLA_EIO;
    }
    size_t before = diag_errors(dl);
    /* The journal and the book-wide checks come from the snapshot when it
     * matches the files (book_snap.c); otherwise they are read and run,
     * and a book without errors gets a new snapshot. */
    unsigned char key[32];
    int keyed = book_snap_key(dir, key) == 0;
    read_organisation(b, dl);
    read_funders(b, dl);
    read_populations(b, dl);
    read_accounts(b, dl);
    read_activities(b, dl);
    read_earmarks(b, dl);
    read_closes(b, dl);
    read_reported(b, dl);
    read_comments(b, dl);
    diag_list jdl, cdl;
    diag_init(&jdl);
    diag_init(&cdl);
    int snapped = keyed && diag_errors(dl) == before &&
                  book_snap_load(b, key, &jdl, &cdl);
    book_priv_of(b)->from_snapshot = snapped;
    if (!snapped)
        read_journal(b, &jdl);
    size_t jstart = dl->n, jn = jdl.n;
    diag_take(dl, &jdl);
    read_budget(b, dl);
    if (!snapped)
        check_book(b, &cdl);
    size_t cstart = dl->n, cn = cdl.n;
    diag_take(dl, &cdl);
    if (!snapped && keyed && diag_errors(dl) == before && dl->n == cstart + cn) {
        /* Saved only if the files did not change while they were read
         * (the key is taken again). The two lists are views into dl. */
        unsigned char again[32];
        if (book_snap_key(dir, again) == 0 && memcmp(key, again, 32) == 0) {
            diag_list jv = {dl->v + jstart, jn, jn, 0};
            diag_list cv = {dl->v + cstart, cn, cn, 0};
            book_snap_save(b, key, &jv, &cv);
        }
    }
    return diag_errors(dl) > before ? SAMLA_EDATA : SAMLA_OK;
}
