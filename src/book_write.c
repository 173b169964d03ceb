/*
 * book_write - adding to a book: entries, earmark decisions, budget, closes.
 *
 * Files that only grow (the journal, the earmark decisions, the closes) are
 * written as their current bytes plus the new rows, so existing rows are
 * never re-serialised and stay byte-for-byte as they were. The result goes
 * through store_write_atomic, the one commit path.
 */
#include "book.h"
#include "book_priv.h"
#include "check.h"
#include "manifest.h"
#include "csvio.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *journal_header[] = {
    "Ver", "Datum", "Konto", "Verksamhet", "Finansiär", "Öronmärkning",
    "Belopp", "Text", "Underlag", "Rättar", "Registrerad", "Användare",
    "Källa", "Fingeravtryck", NULL};
static const char *earmark_header[] = {
    "Kod", "Händelse", "Typ", "Ändamål", "Belopp", "Beslutsorgan",
    "Beslutsdatum", "Paragraf", "Giltig från", "Giltig till", "Registrerad",
    "Användare", NULL};
static const char *budget_header[] = {"År", "Typ", "Kod", "Konto", "Q1",
                                      "Q2", "Q3", "Q4", "Prognos", "Text",
                                      NULL};
static const char *close_header[] = {
    "År", "Händelse", "Resultat", "Utgående ackumulerat överskott",
    "Antal verifikationer", "Kontrollsumma", "Registrerad", "Användare",
    "Motivering", NULL};

static void out_row(csvio_out *o, const char **fields)
{
    for (; *fields; fields++)
        csvio_out_field(o, *fields);
    csvio_out_endrow(o);
}

static void out_amount(csvio_out *o, const dec_t *a)
{
    char *s = dec_format(a, DEC_KR, 2, DEC_FMT_PLAIN);
    csvio_out_field(o, s);
    free(s);
}

static void out_date(csvio_out *o, date_t d)
{
    char buf[11];
    if (d == DATE_NONE) {
        csvio_out_field(o, "");
        return;
    }
    date_format(d, buf);
    csvio_out_field(o, buf);
}

static void out_int(csvio_out *o, long n)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", n);
    csvio_out_field(o, buf);
}

void book_format_entry(csvio_out *o, const book *b, const book_entry *e)
{
    out_int(o, e->ver);
    out_date(o, e->date);
    csvio_out_field(o, b->accounts.v[e->account].number);
    csvio_out_field(o, e->activity >= 0 ? b->activities.v[e->activity].code : "");
    csvio_out_field(o, e->funder >= 0 ? b->funders.v[e->funder].code : "");
    csvio_out_field(o, e->earmark >= 0 ? b->earmarks.v[e->earmark].code : "");
    out_amount(o, &e->amount);
    csvio_out_field(o, e->text ? e->text : "");
    csvio_out_field(o, e->doc ? e->doc : "");
    if (e->corr_year) {
        char buf[32];
        snprintf(buf, sizeof buf, "%d:%d", e->corr_year, e->corr_ver);
        csvio_out_field(o, buf);
    } else {
        csvio_out_field(o, "");
    }
    csvio_out_field(o, e->registered ? e->registered : "");
    csvio_out_field(o, e->user ? e->user : "");
    csvio_out_field(o, e->source ? e->source : "");
    csvio_out_field(o, e->fingerprint ? e->fingerprint : "");
    csvio_out_endrow(o);
}

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
    return memchr(data, ';', first) != NULL && csvio_utf8_valid(data, len);
}

/*
 * A file saved in another format (Windows-1252, or ',' or tab between the
 * fields, as Excel's plain "CSV" does) would become a mix of two formats,
 * unreadable or garbled, if samla's rows were appended to its bytes. So
 * its rows are written out again in samla's format, with the same
 * contents, and a note says so.
 */
static int out_rewritten(csvio_out *o, const char *path, const char *data,
                         size_t len, diag_list *dl)
{
    csvio_table t;
    diag_list tmp;
    diag_init(&tmp);
    if (csvio_read_mem(&t, data, len, path, NULL, &tmp) != SAMLA_OK) {
        diag_take(dl, &tmp);
        csvio_free(&t);
        return -1;
    }
    diag_free(&tmp); /* the reader's note on the encoding: said below */
    csvio_out_init(o, ';', 1);
    for (size_t i = 0; i < t.nrows; i++) {
        for (size_t f = 0; f < t.rows[i].n; f++)
            csvio_out_fieldn(o, t.rows[i].f[f].s, t.rows[i].f[f].len);
        csvio_out_endrow(o);
    }
    diag_add(dl, DIAG_NOTE, path, 0, 0,
             "filen var inte sparad som UTF-8 med semikolon; den skrevs om "
             "i samlas format (UTF-8, semikolon) med samma innehåll");
    csvio_free(&t);
    return 0;
}

/* Start an output with the current contents of a growing file (or its
 * header when the file does not exist yet), ending on a line break. */
static int out_start_append(csvio_out *o, const char *path,
                            const char **header, diag_list *dl)
{
    csvio_out_init(o, ';', 0);
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        csvio_out_init(o, ';', 1);
        out_row(o, header);
        return 0;
    }
    char *data;
    size_t len;
    if (store_read_file(path, &data, &len, dl) != SAMLA_OK)
        return -1;
    int rc = 0;
    if (own_format(data, len)) {
        csvio_out_raw(o, data, len);
        if (len > 0 && data[len - 1] != '\n')
            csvio_out_raw(o, "\r\n", 2);
    } else {
        rc = out_rewritten(o, path, data, len, dl);
    }
    free(data);
    return rc;
}

static int commit(book *b, const char *file, csvio_out *o, diag_list *dl)
{
    char *path = book_path(b, file);
    int rc = store_write_atomic(path, o->buf, o->len, dl);
    free(path);
    csvio_out_free(o);
    return rc;
}

/* Remove the last entry of b again (after a failed check or write). */
static void pop_entry(book *b)
{
    book_entry *e = &b->entries.v[b->entries.n - 1];
    book_unindex_voucher(b, e->year, (long)b->entries.n - 1);
    dec_clear(&e->amount);
    b->entries.n--;
}

int book_append_entries(book *b, const book_entry *e, size_t n, diag_list *dl)
{
    size_t before = diag_errors(dl);
    size_t n0 = b->entries.n;
    check_new_entries(b, e, n, dl);
    for (size_t i = 0; i < n; i++) {
        book_entry *ne = book_vec_push(b->entries);
        *ne = e[i];
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
        char *path = book_path(b, BOOK_JOURNAL);
        csvio_out o;
        if (out_start_append(&o, path, journal_header, dl) == 0) {
            for (size_t i = n0; i < b->entries.n; i++)
                book_format_entry(&o, b, &b->entries.v[i]);
            rc = commit(b, BOOK_JOURNAL, &o, dl);
        } else {
            csvio_out_free(&o);
            rc = SAMLA_EIO;
        }
        free(path);
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

static void format_decision(csvio_out *o, const book *b, const book_decision *d)
{
    static const char *events[] = {"reservera", "frigör", "avsluta"};
    const book_earmark *em = &b->earmarks.v[d->earmark];
    csvio_out_field(o, em->code);
    csvio_out_field(o, events[d->event]);
    csvio_out_field(o, em->kind == EARMARK_GRANT ? "bidrag" : "reservation");
    csvio_out_field(o, em->purpose);
    if (d->event == EM_CLOSE)
        csvio_out_field(o, "");
    else
        out_amount(o, &d->amount);
    csvio_out_field(o, d->body);
    out_date(o, d->date);
    csvio_out_field(o, d->paragraph);
    out_date(o, em->valid_from);
    out_date(o, em->valid_to);
    csvio_out_field(o, d->registered ? d->registered : "");
    csvio_out_field(o, d->user ? d->user : "");
    csvio_out_endrow(o);
}

int book_append_decision(book *b, const book_earmark *def,
                         const book_decision *d, diag_list *dl)
{
    book_priv *p = book_priv_of(b);
    int em = d->earmark;
    int created = 0;
    if (def) {
        book_earmark *ne = book_vec_push(b->earmarks);
        *ne = *def;
        em = (int)b->earmarks.n - 1;
        strmap_put(&p->earmarks, ne->code, em);
        created = 1;
    }
    book_decision *nd = book_vec_push(b->decisions);
    *nd = *d;
    nd->earmark = em;
    dec_init(&nd->amount);
    dec_set(&nd->amount, &d->amount);
    /* The new decision must keep every rule a loaded book keeps (the
     * warnings were shown when the book was loaded). */
    size_t before = diag_errors(dl);
    check_book_rules(b, dl);
    int rc = SAMLA_EDATA;
    if (diag_errors(dl) == before) {
        char *path = book_path(b, BOOK_EARMARKS);
        csvio_out o;
        if (out_start_append(&o, path, earmark_header, dl) == 0) {
            format_decision(&o, b, nd);
            rc = commit(b, BOOK_EARMARKS, &o, dl);
        } else {
            csvio_out_free(&o);
            rc = SAMLA_EIO;
        }
        free(path);
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

int book_write_budget(book *b, diag_list *dl)
{
    csvio_out o;
    csvio_out_init(&o, ';', 1);
    out_row(&o, budget_header);
    for (size_t i = 0; i < b->budget.n; i++) {
        const book_budget_line *l = &b->budget.v[i];
        out_int(&o, l->year);
        csvio_out_field(&o, l->kind == KIND_INCOME ? "intäkt" : "kostnad");
        csvio_out_field(&o, l->code);
        csvio_out_field(&o, l->account >= 0 ? b->accounts.v[l->account].number
                                            : "");
        for (int q = 0; q < 4; q++)
            out_amount(&o, &l->q[q]);
        if (l->has_forecast)
            out_amount(&o, &l->forecast);
        else
            csvio_out_field(&o, "");
        csvio_out_field(&o, l->text ? l->text : "");
        csvio_out_endrow(&o);
    }
    return commit(b, BOOK_BUDGET, &o, dl);
}

int book_append_close(book *b, const book_close *c, diag_list *dl)
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
    char *path = book_path(b, BOOK_CLOSES);
    csvio_out o;
    rc = SAMLA_EIO;
    if (out_start_append(&o, path, close_header, dl) == 0) {
        out_int(&o, c->year);
        csvio_out_field(&o, c->closed ? "stängt" : "återöppnat");
        out_amount(&o, &c->result);
        out_amount(&o, &c->closing);
        out_int(&o, count);
        csvio_out_field(&o, hash);
        csvio_out_field(&o, c->registered ? c->registered : "");
        csvio_out_field(&o, c->user ? c->user : "");
        csvio_out_field(&o, c->reason ? c->reason : "");
        csvio_out_endrow(&o);
        rc = commit(b, BOOK_CLOSES, &o, dl);
    } else {
        csvio_out_free(&o);
    }
    free(path);
    if (rc == SAMLA_OK) {
        /* The caller's strings need not outlive the call: copy them. */
        book_close *nc = book_vec_push(b->closes);
        *nc = *c;
        nc->count = count;
        nc->hash = book_strdup(b, hash);
        nc->registered = book_strdup(b, c->registered ? c->registered : "");
        nc->user = book_strdup(b, c->user ? c->user : "");
        nc->reason = book_strdup(b, c->reason ? c->reason : "");
        dec_init(&nc->result);
        dec_init(&nc->closing);
        dec_set(&nc->result, &c->result);
        dec_set(&nc->closing, &c->closing);
    }
    return rc;
}

static int write_new(const char *dir, const char *file, csvio_out *o,
                     diag_list *dl)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = malloc(n);
    if (!path)
        abort();
    snprintf(path, n, "%s/%s", dir, file);
    int rc = store_write_atomic(path, o->buf, o->len, dl);
    free(path);
    csvio_out_free(o);
    return rc;
}

int book_create(const char *dir, const char *name, const char *short_name,
                date_t start, const dec_t *opening, diag_list *dl)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        diag_error(dl, dir, 0, 0, "finns redan; välj en ny mapp för boken");
        return SAMLA_EUSAGE;
    }
    if (mkdir(dir, 0755) != 0) {
        diag_error(dl, dir, 0, 0, "kan inte skapa mappen: %s", strerror(errno));
        return SAMLA_EIO;
    }
    csvio_out o;
    static const char *org[] = {"Namn", "Kortnamn", "Valuta", "Startdatum",
                                "Ingående ackumulerat överskott", NULL};
    csvio_out_init(&o, ';', 1);
    out_row(&o, org);
    csvio_out_field(&o, name);
    csvio_out_field(&o, short_name);
    csvio_out_field(&o, "SEK");
    out_date(&o, start);
    out_amount(&o, opening);
    csvio_out_endrow(&o);
    int rc = write_new(dir, BOOK_ORGANISATION, &o, dl);
    static const char *fu[] = {"Kod", "Namn", "Typ", "Invånare", NULL};
    static const char *ac[] = {"Konto", "Namn", "Typ", NULL};
    static const char *av[] = {"Kod", "Namn", "Specifikation", NULL};
    struct {
        const char *file;
        const char **header;
    } files[] = {{BOOK_FUNDERS, fu},           {BOOK_ACCOUNTS, ac},
                 {BOOK_ACTIVITIES, av},        {BOOK_JOURNAL, journal_header},
                 {BOOK_BUDGET, budget_header}, {BOOK_EARMARKS, earmark_header},
                 {BOOK_CLOSES, close_header}};
    for (size_t i = 0; rc == SAMLA_OK && i < sizeof files / sizeof *files; i++) {
        csvio_out_init(&o, ';', 1);
        out_row(&o, files[i].header);
        rc = write_new(dir, files[i].file, &o, dl);
    }
    return rc;
}
