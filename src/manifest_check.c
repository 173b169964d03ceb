/* manifest_check - checking a closed year against its manifest, and
 * against a digest kept in the minutes (see manifest.h). */
#include "manifest_priv.h"
#include "calc.h"
#include "csvio.h"
#include "mem.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Checking --------------------------------------------------------------- */

/* The file's rows as items (manifest side). Returns 0, or -1 when the
 * header is not a manifest's (an error was added). *legacy: the first form
 * (vouchers only). */
static int manifest_items(const csvio_table *t, const char *path,
                          manifest_item_list *out, int *legacy, diag_list *dl)
{
    const csvio_row *h = &t->rows[0];
    int col[SCHEMA_MAX_COLS];
    *legacy = 0;
    for (size_t f = 0; f < h->n; f++)
        if (strcmp(h->f[f].s, "Ver") == 0)
            *legacy = 1;
    const schema_file *sf = *legacy ? &schema_manifest_legacy
                                    : &schema_manifest;
    int ncols = sf->ncols;
    if (schema_map(sf, t, h, col, dl) != 0)
        return -1;
    size_t need = 0;
    for (int i = 0; i < ncols; i++)
        if ((size_t)col[i] + 1 > need)
            need = (size_t)col[i] + 1;
    for (size_t r = 1; r < t->nrows; r++) {
        const csvio_row *row = &t->rows[r];
        if (row->n < need) {
            diag_error(dl, path, row->line, 0,
                       "ogiltig eller dubblerad rad i förteckningen");
            continue;
        }
        manifest_item_kind kind = IT_VOUCHER;
        const char *key;
        if (*legacy) {
            key = row->f[col[SCHEMA_MFL_VER]].s;
        } else {
            const char *type = row->f[col[SCHEMA_MF_TYPE]].s;
            kind = IT_N;
            for (int k = 0; k < IT_N; k++)
                if (strcmp(type, manifest_kind_names[k]) == 0)
                    kind = (manifest_item_kind)k;
            key = row->f[col[SCHEMA_MF_KEY]].s;
            if (kind == IT_N) {
                diag_error(dl, path, row->line, 0,
                           "okänd typ \"%s\" i förteckningen", type);
                continue;
            }
        }
        manifest_item *it = manifest_item_push(out, kind);
        if (kind == IT_VOUCHER || kind == IT_SUMMARY) {
            char *end;
            long v = strtol(key, &end, 10);
            if (v < 1 || *end || key[0] < '0' || key[0] > '9') {
                out->n--;
                diag_error(dl, path, row->line, 0,
                           "ogiltig eller dubblerad rad i förteckningen");
                continue;
            }
            manifest_voucher_key(it->key, sizeof it->key, v);
        } else {
            snprintf(it->key, sizeof it->key, "%s", key);
        }
        const char *hash = row->f[col[*legacy ? SCHEMA_MFL_HASH : SCHEMA_MF_HASH]].s;
        snprintf(it->hash, sizeof it->hash, "%s", hash);
        it->line = row->line;
        it->index = r;
        it->date = row->f[col[*legacy ? SCHEMA_MFL_DATE : SCHEMA_MF_DATE]].s;
        it->account = row->f[col[*legacy ? SCHEMA_MFL_ACCOUNT : SCHEMA_MF_ACCOUNT]].s;
        it->amount = row->f[col[*legacy ? SCHEMA_MFL_AMOUNT : SCHEMA_MF_AMOUNT]].s;
    }
    return 0;
}

/* "1 234,50 kr" from a manifest's storage form, or the text itself. */
static char *shown_amount(const char *s)
{
    dec_t a;
    dec_init(&a);
    char *r = dec_parse_sum(&a, s, strlen(s), NULL) == 0
                  ? dec_format(&a, DEC_KR, 2, DEC_FMT_UNIT)
                  : mem_strdup(s);
    dec_clear(&a);
    if (!r) /* dec_format's NULL: out of memory */
        mem_fail(0);
    return r;
}

/* Append "; " (when len > 0) and a formatted part to buf. */
static size_t add_part(char *buf, size_t size, size_t len, const char *fmt,
                       const char *a, const char *b)
{
    if (len >= size)
        return len;
    len += (size_t)snprintf(buf + len, size - len, "%s", len ? "; " : "");
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, fmt, a, b);
    return len;
}

/* add_part for a date: when the date as recorded (`was`, the manifest's
 * ISO form) differs from the one now. */
static size_t add_date(char *buf, size_t size, size_t len, const char *fmt,
                       const char *was, date_t now)
{
    char day[11];
    date_format(now, day);
    if (strcmp(day, was) != 0)
        len = add_part(buf, size, len, fmt, was, day);
    return len;
}

/* add_part for an amount: when the amount as recorded (`was`, the
 * manifest's plain form) differs from the one now (NULL: none), compared
 * in the plain form and shown with the unit ("1 234,50 kr"), an empty one
 * as `none`. The one comparison of amounts for vouchers, decisions and
 * budget lines. */
static size_t add_amount(char *buf, size_t size, size_t len, const char *fmt,
                         const char *was, const dec_t *amount,
                         const char *none)
{
    char *now = amount ? dec_format(amount, DEC_KR, 2, DEC_FMT_PLAIN)
                       : mem_strdup("");
    if (!now) /* dec_format's NULL: out of memory */
        mem_fail(0);
    if (strcmp(now, was) != 0) {
        char *ws = *was ? shown_amount(was) : mem_strdup(none);
        char *ns = *now ? shown_amount(now) : mem_strdup(none);
        len = add_part(buf, size, len, fmt, ws, ns);
        free(ws);
        free(ns);
    }
    free(now);
    return len;
}

/* What differs between a voucher now and as recorded, for the message. */
static void describe_voucher(const book *b, const book_entry *e,
                             const manifest_item *m, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t len = add_date(buf, size, 0, "datum %s → %s", m->date, e->date);
    const char *acc = b->accounts.v[e->account].number;
    if (strcmp(acc, m->account) != 0)
        len = add_part(buf, size, len, "konto %s → %s", m->account, acc);
    len = add_amount(buf, size, len, "belopp %s → %s", m->amount, &e->amount,
                     "");
    if (len == 0)
        snprintf(buf, size, "text, underlag, märkning eller "
                            "registreringsuppgifter");
}

static void describe_decision(const book_decision *d, const manifest_item *m,
                              char *buf, size_t size)
{
    buf[0] = '\0';
    size_t len = add_date(buf, size, 0, "beslutsdatum %s → %s", m->date,
                          d->date);
    len = add_amount(buf, size, len, "belopp %s → %s", m->amount,
                     d->event == EM_CLOSE ? NULL : &d->amount, "inget");
    if (len == 0)
        snprintf(buf, size, "händelse, ändamål, beslutsorgan, paragraf, "
                            "giltighet eller registreringsuppgifter");
}

static void describe_budget(const book_budget_line *l, const manifest_item *m,
                            char *buf, size_t size)
{
    dec_t sum;
    dec_init(&sum);
    for (int q = 0; q < 4; q++)
        dec_add(&sum, &sum, &l->q[q]);
    buf[0] = '\0';
    if (add_amount(buf, size, 0, "budget helår %s → %s", m->amount, &sum,
                   "") == 0)
        snprintf(buf, size, "kvartal, prognos eller text");
    dec_clear(&sum);
}

/* "beslutet om OM-X (reservera 2025-06-01" and the amount, for messages. */
static void decision_label(const book *b, const book_decision *d, char *buf,
                           size_t size)
{
    char day[11];
    date_format(d->date, day);
    snprintf(buf, size, "beslutet om %s (%s %s)",
             b->earmarks.v[d->earmark].code, manifest_event_names[d->event], day);
}

/* The error of a voucher or a decision (`subject`, at line of file) that
 * is new in the closed year (`what` NULL) or changed since the close
 * (`what` says how): the one wording of both. */
static void report_added_or_changed(const book *b, const char *file,
                                    long line, const char *subject, int year,
                                    const char *what, diag_list *dl)
{
    char *path = book_path(b, file);
    if (!what)
        diag_error(dl, path, line, 0,
                   "%s har lagts till i det stängda året %d efter bokslutet",
                   subject, year);
    else
        diag_error(dl, path, line, 0,
                   "%s har ändrats efter bokslutet för %d (%s)", subject, year,
                   what);
    free(path);
}

/* Report one thing of the book that is new or changed since the close. */
static void report_book_item(const book *b, int year, const manifest_item *it,
                             const manifest_item *m, diag_list *dl)
{
    char what[320], label[160];
    if (it->kind == IT_VOUCHER) {
        const book_entry *e = &b->entries.v[it->index];
        snprintf(label, sizeof label, "ver %d:%d", e->year, e->ver);
        if (m)
            describe_voucher(b, e, m, what, sizeof what);
        report_added_or_changed(b, BOOK_JOURNAL, e->line, label, year,
                                m ? what : NULL, dl);
    } else if (it->kind == IT_DECISION) {
        const book_decision *d = &b->decisions.v[it->index];
        decision_label(b, d, label, sizeof label);
        if (m)
            describe_decision(d, m, what, sizeof what);
        report_added_or_changed(b, BOOK_EARMARKS, d->line, label, year,
                                m ? what : NULL, dl);
    } else if (it->kind == IT_BUDGET) {
        const book_budget_line *l = &b->budget.v[it->index];
        char *file = book_path(b, BOOK_BUDGET);
        if (!m)
            diag_error(dl, file, l->line, 0,
                       "budgetraden %s för %d har lagts till efter "
                       "bokslutet",
                       it->key, year);
        else {
            describe_budget(l, m, what, sizeof what);
            diag_error(dl, file, l->line, 0,
                       "budgetraden %s för %d har ändrats efter bokslutet (%s)",
                       it->key, year, what);
        }
        free(file);
    }
}

/* Report a manifest row whose thing is gone from the book. */
static void report_removed(int year, const manifest_item *m, const char *path,
                           diag_list *dl)
{
    char *amt = *m->amount ? shown_amount(m->amount) : mem_strdup("");
    if (m->kind == IT_VOUCHER)
        diag_error(dl, path, m->line, 0,
                   "ver %d:%ld (%s, konto %s, %s) har tagits bort ur %s "
                   "efter bokslutet för %d",
                   year, strtol(m->key, NULL, 10), m->date, m->account, amt,
                   BOOK_JOURNAL, year);
    else if (m->kind == IT_DECISION)
        diag_error(dl, path, m->line, 0,
                   "beslutet %s (%s%s%s) har tagits bort ur %s efter "
                   "bokslutet för %d",
                   m->key, m->date, *amt ? ", " : "", amt, BOOK_EARMARKS,
                   year);
    else if (m->kind == IT_BUDGET)
        diag_error(dl, path, m->line, 0,
                   "budgetraden %s för %d (budget helår %s) har tagits bort "
                   "ur %s efter bokslutet",
                   m->key, year, amt, BOOK_BUDGET);
    free(amt);
}

/* Order of positions into an item array: by kind, key, position. */
static int cmp_pos(const void *a, const void *b, void *ctx)
{
    const manifest_item *v = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (v[x].kind != v[y].kind)
        return v[x].kind < v[y].kind ? -1 : 1;
    int c = strcmp(v[x].key, v[y].key);
    if (c)
        return c;
    return x < y ? -1 : x > y;
}

static size_t *sorted_positions(const manifest_item_list *l)
{
    size_t *pos = mem_alloc_array(l->n + 1, sizeof *pos);
    for (size_t i = 0; i < l->n; i++)
        pos[i] = i;
    qsort_r(pos, l->n, sizeof *pos, cmp_pos, l->v);
    return pos;
}

/* <0, 0, >0 as item x orders before, with, after item y. */
static int order(const manifest_item *x, const manifest_item *y)
{
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return strcmp(x->key, y->key);
}

/*
 * Match the book's items with the manifest's by kind and key (a merge of
 * the two sorted), then report in the book's own order what was added or
 * changed, and in the manifest's order what was removed. Kinds the
 * manifest does not cover (covered[kind] == 0: a legacy manifest) are
 * skipped.
 */
static void compare(const book *b, int year, manifest_item_list *bk, manifest_item_list *mf,
                    const int *covered, const char *path, diag_list *dl)
{
    size_t *bs = sorted_positions(bk), *ms = sorted_positions(mf);
    /* a key twice in the manifest: the second row is invalid */
    for (size_t k = 1; k < mf->n; k++)
        if (order(&mf->v[ms[k]], &mf->v[ms[k - 1]]) == 0) {
            diag_error(dl, path, mf->v[ms[k]].line, 0,
                       "ogiltig eller dubblerad rad i förteckningen");
            mf->v[ms[k]].seen = 1; /* not reported as removed */
        }
    for (size_t i = 0, j = 0; i < bk->n; i++) {
        manifest_item *x = &bk->v[bs[i]];
        while (j < mf->n && order(&mf->v[ms[j]], x) < 0)
            j++;
        if (j < mf->n && order(&mf->v[ms[j]], x) == 0 && !mf->v[ms[j]].seen) {
            x->match = (long)ms[j];
            mf->v[ms[j]].seen = 1;
        }
    }
    for (size_t k = 0; k < bk->n; k++) {
        manifest_item *x = &bk->v[k];
        if (!covered[x->kind])
            continue;
        if (x->match < 0)
            report_book_item(b, year, x, NULL, dl);
        else if (strcmp(x->hash, mf->v[x->match].hash) != 0)
            report_book_item(b, year, x, &mf->v[x->match], dl);
    }
    for (size_t k = 0; k < mf->n; k++) {
        const manifest_item *m = &mf->v[ms[k]];
        if (!m->seen && m->kind != IT_SUMMARY)
            report_removed(year, m, path, dl);
    }
    free(bs);
    free(ms);
}

/* Compare a closed year with its manifest and name everything that was
 * changed, added or removed since the close. */
static void check_year(const book *b, const book_close *c,
                       const char *closes_file, diag_list *dl)
{
    char name[32];
    manifest_name(c->year, name, sizeof name);
    char *path = book_path(b, name);
    char *data = NULL;
    size_t len = 0;
    diag_list tmp;
    diag_init(&tmp);
    int rc = store_read_file(path, &data, &len, &tmp);
    diag_free(&tmp);
    if (rc != SAMLA_OK) {
        diag_error(dl, closes_file, c->line, 0,
                   "år %d är stängt men förteckningen %s över årets "
                   "verifikationer saknas eller kan inte läsas; hämta den "
                   "ur säkerhetskopian (eller git)",
                   c->year, name);
        goto out;
    }
    char hex[65];
    manifest_sha256_hex(data, len, hex);
    if (strcmp(hex, c->hash) != 0)
        diag_error(dl, path, 0, 0,
                   "förteckningen har ändrats efter bokslutet för %d: dess "
                   "kontrollsumma stämmer inte med %s rad %ld",
                   c->year, BOOK_CLOSES, c->line);
    csvio_table t;
    rc = csvio_read_mem(&t, data, len, path, NULL, dl);
    if (rc != SAMLA_OK || t.nrows == 0) {
        if (rc == SAMLA_OK)
            diag_error(dl, path, 0, 0, "förteckningen är tom");
        csvio_free(&t);
        goto out;
    }
    manifest_item_list mf = {0}, bk = {0};
    int legacy;
    if (manifest_items(&t, path, &mf, &legacy, dl) == 0) {
        manifest_book_items(b, c->year, &bk);
        long mcount = 0;
        size_t nsummary = 0;
        for (size_t i = 0; i < mf.n; i++) {
            mcount += mf.v[i].kind == IT_VOUCHER;
            nsummary += mf.v[i].kind == IT_SUMMARY;
        }
        if (mcount != c->count)
            diag_error(dl, closes_file, c->line, 0,
                       "år %d: bokslutet anger %ld verifikationer men "
                       "förteckningen %s har %ld",
                       c->year, c->count, name, mcount);
        int covered[IT_N] = {0, 1, !legacy, !legacy};
        compare(b, c->year, &bk, &mf, covered, path, dl);
        if (!legacy) {
            /* The close's own figures, as bokslut.csv records them, must
             * be the ones the manifest (and so the digest) covers. */
            char want[65];
            manifest_summary_hash(c->year, &c->result, &c->closing, c->count, want);
            const manifest_item *s = NULL;
            for (size_t i = 0; i < mf.n; i++)
                if (mf.v[i].kind == IT_SUMMARY)
                    s = &mf.v[i];
            if (nsummary != 1 || strcmp(s->hash, want) != 0)
                diag_error(dl, closes_file, c->line, 0,
                           "år %d: resultatet, det utgående överskottet "
                           "eller antalet verifikationer i bokslutsraden "
                           "stämmer inte med förteckningen %s",
                           c->year, name);
        } else {
            diag_add(dl, DIAG_NOTE, closes_file, c->line, 0,
                     "år %d stängdes med en äldre förteckning (%s) som bara "
                     "omfattar verifikationerna; årets öronmärkningsbeslut "
                     "och budget skyddas när året stängs om ('samla reopen "
                     "%d --reason …' och sedan 'samla close %d')",
                     c->year, name, c->year, c->year);
        }
    }
    free(mf.v);
    free(bk.v);
    csvio_free(&t);
out:
    free(data);
    free(path);
}

/* The figures recorded at the close must still be what the book gives: the
 * year's result, and the closing surplus, which also depends on the opening
 * surplus in organisation.csv and on every earlier year. */
static void check_close_figures(const book *b, const book_close *c,
                                const char *closes_file, diag_list *dl)
{
    dec_t inc, cost, res, closing;
    dec_init(&inc);
    dec_init(&cost);
    dec_init(&res);
    dec_init(&closing);
    date_t end = date_make(c->year, 12, 31);
    calc_result(b, date_make(c->year, 1, 1), end, &inc, &cost);
    dec_sub(&res, &inc, &cost);
    calc_surplus_at(b, end, &closing);
    const dec_t *now = NULL, *was = NULL;
    const char *what = NULL;
    if (dec_cmp(&res, &c->result) != 0) {
        now = &res;
        was = &c->result;
        what = "årets resultat";
    } else if (dec_cmp(&closing, &c->closing) != 0) {
        now = &closing;
        was = &c->closing;
        what = "utgående ackumulerat överskott (ingående överskott i "
               BOOK_ORGANISATION " eller ett tidigare år har ändrats)";
    }
    if (what) {
        char *ns = dec_format(now, DEC_KR, 2, DEC_FMT_UNIT);
        char *ws = dec_format(was, DEC_KR, 2, DEC_FMT_UNIT);
        diag_error(dl, closes_file, c->line, 0,
                   "år %d är stängt men %s är nu %s, inte %s som vid "
                   "bokslutet",
                   c->year, what, ns, ws);
        free(ns);
        free(ws);
    }
    dec_clear(&inc);
    dec_clear(&cost);
    dec_clear(&res);
    dec_clear(&closing);
}

size_t manifest_check_closed_years(const book *b, diag_list *dl)
{
    size_t before = diag_errors(dl);
    char *file = book_path(b, BOOK_CLOSES);
    for (size_t i = 0; i < b->closes.n; i++) {
        const book_close *c = &b->closes.v[i];
        if (book_year_closed(b, c->year) != (int)i)
            continue;
        size_t year_before = diag_errors(dl);
        check_year(b, c, file, dl);
        /* Changed vouchers already explain changed figures. */
        if (diag_errors(dl) == year_before)
            check_close_figures(b, c, file, dl);
    }
    free(file);
    return diag_errors(dl) - before;
}

int manifest_verify_digest(const book *b, int year, const char *hex,
                           diag_list *dl)
{
    int ci = book_year_closed(b, year);
    if (ci < 0) {
        diag_error(dl, NULL, 0, 0,
                   "år %d är inte stängt; det finns ingen kontrollsumma att "
                   "jämföra med",
                   year);
        return -1;
    }
    char want[65];
    size_t n = strlen(hex);
    for (size_t i = 0; i < n && i < 64; i++)
        want[i] = (char)(hex[i] >= 'A' && hex[i] <= 'F' ? hex[i] + 32 : hex[i]);
    want[n < 64 ? n : 64] = '\0';
    const book_close *c = &b->closes.v[ci];
    if (strcmp(want, c->hash) != 0) {
        char *file = book_path(b, BOOK_CLOSES);
        diag_error(dl, file, c->line, 0,
                   "år %d: kontrollsumman i boken (%s) är inte den i "
                   "protokollet (%s); boken har ändrats efter bokslutet, "
                   "eller så är kontrollsumman felskriven",
                   year, c->hash, want);
        free(file);
        return -1;
    }
    return 0;
}
