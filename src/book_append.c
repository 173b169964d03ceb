/*
 * book_append - the book's append-only files: the journal, the earmark
 * decisions, the year closes, the reported-through date and the
 * follow-up's comments. Each adds rows through book_write.c's four steps
 * (book_write_rows); existing rows stay byte for byte as they were.
 */
#include "book.h"
#include "mem.h"
#include "book_priv.h"
#include "check.h"
#include "manifest.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- The journal ----------------------------------------------------------------- */

static void entry_values(book *b, const book_entry *e, const char **v)
{
    v[SCHEMA_JE_VER] = book_value_int(b, e->ver);
    v[SCHEMA_JE_DATE] = book_value_date(b, e->date);
    v[SCHEMA_JE_ACCOUNT] = b->accounts.v[e->account].number;
    v[SCHEMA_JE_ACTIVITY] =
        e->activity >= 0 ? b->activities.v[e->activity].code : "";
    v[SCHEMA_JE_FUNDER] = e->funder >= 0 ? b->funders.v[e->funder].code : "";
    v[SCHEMA_JE_EARMARK] =
        e->earmark >= 0 ? b->earmarks.v[e->earmark].code : "";
    v[SCHEMA_JE_AMOUNT] = book_value_amount(b, &e->amount);
    v[SCHEMA_JE_TEXT] = book_value_str(e->text);
    v[SCHEMA_JE_DOC] = book_value_str(e->doc);
    if (e->corr_year) {
        char buf[32];
        snprintf(buf, sizeof buf, "%d:%d", e->corr_year, e->corr_ver);
        v[SCHEMA_JE_CORRECTS] = book_strdup(b, buf);
    } else {
        v[SCHEMA_JE_CORRECTS] = "";
    }
    v[SCHEMA_JE_REGISTERED] = book_value_str(e->registered);
    v[SCHEMA_JE_USER] = book_value_str(e->user);
    v[SCHEMA_JE_SOURCE] = book_value_str(e->source);
    v[SCHEMA_JE_FINGERPRINT] = book_value_str(e->fingerprint);
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

samla_err book_append_entries(book *b, const book_entry *e, size_t n,
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
        rc = book_write_rows(b, &schema_journal, BOOK_WRITE_APPEND, rows, n, origins, 0,
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
    v[SCHEMA_EM_PURPOSE] = book_value_str(em->purpose);
    v[SCHEMA_EM_AMOUNT] =
        d->event == EM_CLOSE ? "" : book_value_amount(b, &d->amount);
    v[SCHEMA_EM_BODY] = book_value_str(d->body);
    v[SCHEMA_EM_DATE] = book_value_date(b, d->date);
    v[SCHEMA_EM_PARAGRAPH] = book_value_str(d->paragraph);
    v[SCHEMA_EM_FROM] = book_value_date(b, em->valid_from);
    v[SCHEMA_EM_TO] = book_value_date(b, em->valid_to);
    v[SCHEMA_EM_REGISTERED] = book_value_str(d->registered);
    v[SCHEMA_EM_USER] = book_value_str(d->user);
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

samla_err book_append_decision(book *b, const book_earmark *def,
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
        rc = book_write_rows(b, &schema_earmarks, BOOK_WRITE_APPEND, row, 1, origin, 1,
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

samla_err book_append_close(book *b, const book_close *c, const book_origin *origin,
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
    row[SCHEMA_CL_YEAR] = book_value_int(b, c->year);
    row[SCHEMA_CL_EVENT] = c->closed ? "stängt" : "återöppnat";
    row[SCHEMA_CL_RESULT] = book_value_amount(b, &c->result);
    row[SCHEMA_CL_CLOSING] = book_value_amount(b, &c->closing);
    row[SCHEMA_CL_HASH] = hash;
    row[SCHEMA_CL_REGISTERED] = book_value_str(c->registered);
    row[SCHEMA_CL_USER] = book_value_str(c->user);
    row[SCHEMA_CL_REASON] = book_value_str(c->reason);
    /* The values first, so a refused one leaves no manifest behind. */
    size_t before = diag_errors(dl);
    row[SCHEMA_CL_COUNT] = "0";
    book_check_values(&schema_closes, row, 1, origin, 1, dl);
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
    row[SCHEMA_CL_COUNT] = book_value_int(b, count);
    book_close meant = *c;
    meant.count = count;
    rc = book_write_rows(b, &schema_closes, BOOK_WRITE_APPEND, row, 1, origin, 1,
                    decode_close, &meant, dl);
    if (rc == SAMLA_OK) {
        /* The caller's strings need not outlive the call: copy them. */
        book_close *nc = book_vec_push(b->closes);
        *nc = *c;
        nc->count = count;
        nc->hash = book_strdup(b, hash);
        nc->registered = book_strdup(b, book_value_str(c->registered));
        nc->user = book_strdup(b, book_value_str(c->user));
        nc->reason = book_strdup(b, book_value_str(c->reason));
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

samla_err book_append_reported(book *b, const book_reported *r, int backwards,
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
    row[SCHEMA_RP_SOURCE] = book_value_str(r->source);
    row[SCHEMA_RP_REGISTERED] = book_value_str(r->registered);
    row[SCHEMA_RP_USER] = book_value_str(r->user);
    row[SCHEMA_RP_REASON] = book_value_str(r->reason);
    if (!*row[SCHEMA_RP_SOURCE]) {
        diag_error(dl, NULL, 0, 0, "rapporterat t.o.m. saknar källa");
        return SAMLA_EDATA;
    }
    int rc = book_write_rows(b, &schema_reported, BOOK_WRITE_APPEND, row, 1, origin, 1,
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

samla_err book_append_comment(book *b, const book_comment *c,
                        const book_origin *origin, diag_list *dl)
{
    const char *row[SCHEMA_CM_N] = {0};
    row[SCHEMA_CM_YEAR] = book_value_int(b, c->year);
    row[SCHEMA_CM_PERIOD] = book_value_str(c->period);
    row[SCHEMA_CM_TYPE] = c->kind == KIND_INCOME ? "intäkt" : "kostnad";
    row[SCHEMA_CM_CODE] = book_value_str(c->code);
    row[SCHEMA_CM_ACCOUNT] =
        c->account >= 0 ? b->accounts.v[c->account].number : "";
    row[SCHEMA_CM_TEXT] = book_value_str(c->text);
    row[SCHEMA_CM_REGISTERED] = book_value_str(c->registered);
    row[SCHEMA_CM_USER] = book_value_str(c->user);
    book_comment meant = *c;
    meant.period = book_value_str(c->period);
    /* The period's days, as the reader will compute them. */
    period_t p;
    const char *perr;
    if (!*meant.period)
        period_year(&p, c->year);
    else if (period_parse(&p, meant.period, &perr) != 0)
        p.from = p.to = DATE_NONE; /* the read-back refuses it */
    meant.from = p.from;
    meant.to = p.to;
    meant.code = book_value_str(c->code);
    meant.text = book_value_str(c->text);
    int rc = book_write_rows(b, &schema_comments, BOOK_WRITE_APPEND, row, 1, origin, 1,
                        decode_comment, &meant, dl);
    if (rc == SAMLA_OK) {
        /* The caller's strings need not outlive the call: copy them. */
        book_comment *nc = book_vec_push(b->comments);
        *nc = meant;
        nc->period = book_strdup(b, meant.period);
        nc->code = book_strdup(b, meant.code);
        nc->text = book_strdup(b, meant.text);
        nc->registered = book_strdup(b, book_value_str(c->registered));
        nc->user = book_strdup(b, book_value_str(c->user));
        nc->line = 0;
    }
    return rc;
}
