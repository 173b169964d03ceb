/* manifest - see manifest.h: hashes, the items of a year, writing. The
 * check of a closed year is in manifest_check.c. */
#include "manifest_priv.h"
#include "calc.h"
#include "csvio.h"
#include "sha256.h"
#include "mem.h"
#include "store.h"
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Hashes -------------------------------------------------------------- */

/* Digests as lowercase hex. Every load of a book with closed years hashes
 * each of their vouchers, so this avoids printf on the hot path. */
static void to_hex(const unsigned char *md, unsigned int len, char *hex)
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[2 * len] = '\0';
}


/* The amount as dec_to_string writes it ("-1234567.89": '-' minus,
 * decimal point, always two decimals), without allocating when it fits in
 * an int64, as every real amount does. buf holds at least 32 bytes; returns
 * NULL when the caller must use dec_to_string. */
static const char *amount_text(const dec_t *a, char *buf)
{
    int64_t ore;
    if (dec_get_i64(a, &ore) != 0)
        return NULL;
    uint64_t u = ore < 0 ? (uint64_t)0 - (uint64_t)ore : (uint64_t)ore;
    size_t n = 0;
    if (ore < 0)
        buf[n++] = '-';
    n += text_utoa(u / 100, buf + n);
    buf[n++] = '.';
    buf[n++] = (char)('0' + u % 100 / 10);
    buf[n++] = (char)('0' + u % 10);
    buf[n] = '\0';
    return buf;
}

void manifest_sha256_hex(const void *data, size_t len, char *hex)
{
    unsigned char md[32];
    sha256(data, len, md);
    to_hex(md, sizeof md, hex);
}

static void hash_field(sha256_ctx *ctx, const char *s)
{
    if (s)
        sha256_update(ctx, s, strlen(s));
    sha256_update(ctx, "\x1f", 1);
}

static void hash_amount(sha256_ctx *ctx, const dec_t *a)
{
    char num[48];
    const char *amt = amount_text(a, num);
    if (amt) {
        hash_field(ctx, amt);
    } else {
        char *big = dec_to_string(a);
        hash_field(ctx, big);
        free(big);
    }
}

static void hash_date(sha256_ctx *ctx, date_t d)
{
    char buf[11];
    if (d == DATE_NONE) {
        hash_field(ctx, "");
        return;
    }
    date_format(d, buf);
    hash_field(ctx, buf);
}

/* The canonical text of an entry: every field that carries meaning, each
 * followed by US (0x1f), the entry ended by RS (0x1e). Fields are fed one
 * by one, so no code or text is ever too long for a buffer. (Unchanged
 * since the first manifests: their voucher hashes must still match.) */
static void hash_entry(sha256_ctx *ctx, const book *b, const book_entry *e)
{
    char num[48];
    text_utoa((unsigned long)e->ver, num);
    hash_field(ctx, num);
    hash_date(ctx, e->date);
    hash_field(ctx, b->accounts.v[e->account].number);
    hash_field(ctx, e->activity >= 0 ? b->activities.v[e->activity].code : "");
    hash_field(ctx, e->funder >= 0 ? b->funders.v[e->funder].code : "");
    hash_field(ctx, e->earmark >= 0 ? b->earmarks.v[e->earmark].code : "");
    hash_amount(ctx, &e->amount);
    hash_field(ctx, e->text);
    hash_field(ctx, e->doc);
    hash_field(ctx, e->registered);
    hash_field(ctx, e->user);
    hash_field(ctx, e->source);
    hash_field(ctx, e->fingerprint);
    size_t n = text_utoa((unsigned long)e->corr_year, num);
    num[n++] = ':';
    n += text_utoa((unsigned long)e->corr_ver, num + n);
    num[n++] = '\x1e';
    sha256_update(ctx, num, n);
}

const char *const manifest_event_names[3] = {"reservera", "frigör",
                                             "avsluta"};

/* An earmark decision: the row as oronmarkningar.csv holds it (the
 * earmark's own fields are those its first row defined). */
static void hash_decision(sha256_ctx *ctx, const book *b,
                          const book_decision *d)
{
    const book_earmark *em = &b->earmarks.v[d->earmark];
    hash_field(ctx, em->code);
    hash_field(ctx, manifest_event_names[d->event]);
    hash_field(ctx, em->kind == EARMARK_GRANT ? "bidrag" : "reservation");
    hash_field(ctx, em->purpose);
    if (d->event == EM_CLOSE)
        hash_field(ctx, "");
    else
        hash_amount(ctx, &d->amount);
    hash_field(ctx, d->body);
    hash_date(ctx, d->date);
    hash_field(ctx, d->paragraph);
    hash_date(ctx, em->valid_from);
    hash_date(ctx, em->valid_to);
    hash_field(ctx, d->registered);
    hash_field(ctx, d->user);
    sha256_update(ctx, "\x1e", 1);
}

/* A budget line: its year, kind, code, account, quarters, forecast, text,
 * and its earmark when it has one (a line without one hashes as it did
 * before the column existed, so earlier closes still verify). */
static void hash_budget(sha256_ctx *ctx, const book *b,
                        const book_budget_line *l)
{
    char num[24];
    text_utoa((unsigned long)l->year, num);
    hash_field(ctx, num);
    hash_field(ctx, l->kind == KIND_INCOME ? "intäkt" : "kostnad");
    hash_field(ctx, l->code);
    hash_field(ctx, l->account >= 0 ? b->accounts.v[l->account].number : "");
    for (int q = 0; q < 4; q++)
        hash_amount(ctx, &l->q[q]);
    if (l->has_forecast)
        hash_amount(ctx, &l->forecast);
    else
        hash_field(ctx, "");
    hash_field(ctx, l->text);
    if (l->earmark && *l->earmark)
        hash_field(ctx, l->earmark);
    sha256_update(ctx, "\x1e", 1);
}

/* The close's own figures, as bokslut.csv records them. */
static void hash_summary(sha256_ctx *ctx, int year, const dec_t *result,
                         const dec_t *closing, long count)
{
    char num[24];
    text_utoa((unsigned long)year, num);
    hash_field(ctx, num);
    hash_amount(ctx, result);
    hash_amount(ctx, closing);
    text_utoa((unsigned long)count, num);
    hash_field(ctx, num);
    sha256_update(ctx, "\x1e", 1);
}

static void digest_hex(sha256_ctx *ctx, char *hex)
{
    unsigned char md[32];
    sha256_final(ctx, md);
    to_hex(md, sizeof md, hex);
}

void manifest_entry_hash(const book *b, const book_entry *e, char *hex)
{
    sha256_ctx ctx_;
    sha256_ctx *ctx = &ctx_;
    sha256_init(ctx);
    hash_entry(ctx, b, e);
    digest_hex(ctx, hex);
}

/* ---- What a closed year covers ------------------------------------------- */

manifest_item *manifest_item_push(manifest_item_list *l, manifest_item_kind kind)
{
    mem_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    manifest_item *it = &l->v[l->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->match = -1;
    return it;
}

void manifest_voucher_key(char *key, size_t size, long ver)
{
    snprintf(key, size, "%012ld", ver);
}

static void budget_key(char *key, size_t size, const book *b,
                       const book_budget_line *l)
{
    /* "kostnad PROC", "kostnad PROC/5010": as the command line names it */
    snprintf(key, size, "%s %s%s%s", l->kind == KIND_INCOME ? "intäkt" : "kostnad",
             l->code, l->account >= 0 ? "/" : "",
             l->account >= 0 ? b->accounts.v[l->account].number : "");
}

static int cmp_item(const void *a, const void *b)
{
    const manifest_item *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_decision_order(const void *a, const void *b)
{
    const manifest_item *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Everything of `year` that the manifest covers, as the book holds it now,
 * with hashes: the vouchers in journal order, the decisions dated in the
 * year in file order (keyed CODE/N, the Nth of that code in the year), the
 * budget lines in file order. The summary is added by the caller.
 */
void manifest_book_items(const book *b, int year, manifest_item_list *out)
{
    sha256_ctx ctx_;
    sha256_ctx *ctx = &ctx_;
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->year != year)
            continue;
        manifest_item *it = manifest_item_push(out, IT_VOUCHER);
        manifest_voucher_key(it->key, sizeof it->key, e->ver);
        it->index = i;
        it->line = e->line;
        sha256_init(ctx);
        hash_entry(ctx, b, e);
        digest_hex(ctx, it->hash);
    }
    size_t first = out->n;
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *d = &b->decisions.v[i];
        if (d->date == DATE_NONE || date_year(d->date) != year)
            continue;
        manifest_item *it = manifest_item_push(out, IT_DECISION);
        /* the code for now; the number is added once they are grouped */
        snprintf(it->key, sizeof it->key, "%s", b->earmarks.v[d->earmark].code);
        it->index = i;
        it->line = d->line;
        sha256_init(ctx);
        hash_decision(ctx, b, d);
        digest_hex(ctx, it->hash);
    }
    /* Number the decisions of each code 1, 2, … in file order: sort by
     * (code, file order), number, and restore the file order. */
    size_t nd = out->n - first;
    qsort(out->v + first, nd, sizeof *out->v, cmp_item);
    for (size_t i = 0, n = 0; i < nd; i++) {
        manifest_item *it = &out->v[first + i];
        n = i > 0 && strcmp(out->v[first + i - 1].key, it->key) == 0 ? n + 1
                                                                   : 1;
        size_t len = strlen(it->key);
        snprintf(it->key + len, sizeof it->key - len, "/%zu", n);
    }
    qsort(out->v + first, nd, sizeof *out->v, cmp_decision_order);
    for (size_t i = 0; i < b->budget.n; i++) {
        const book_budget_line *l = &b->budget.v[i];
        if (l->year != year)
            continue;
        manifest_item *it = manifest_item_push(out, IT_BUDGET);
        budget_key(it->key, sizeof it->key, b, l);
        it->index = i;
        it->line = l->line;
        sha256_init(ctx);
        hash_budget(ctx, b, l);
        digest_hex(ctx, it->hash);
    }
}

void manifest_summary_hash(int year, const dec_t *result, const dec_t *closing,
                           long count, char *hex)
{
    sha256_ctx ctx_;
    sha256_ctx *ctx = &ctx_;
    sha256_init(ctx);
    hash_summary(ctx, year, result, closing, count);
    digest_hex(ctx, hex);
}

/* ---- Writing ---------------------------------------------------------------- */

const char *const manifest_kind_names[IT_N] = {"bokslut", "verifikation",
                                              "beslut", "budget"};

void manifest_name(int year, char *buf, size_t size)
{
    snprintf(buf, size, "bokslut-%d.csv", year);
}

static void out_amount(csvio_out *o, const dec_t *a)
{
    char *s = dec_format(a, DEC_KR, 2, DEC_FMT_PLAIN);
    csvio_out_field(o, s);
    free(s);
}

static void out_date(csvio_out *o, date_t d)
{
    char buf[11] = "";
    if (d != DATE_NONE)
        date_format(d, buf);
    csvio_out_field(o, buf);
}

void manifest_build(const book *b, int year, const dec_t *result,
                    const dec_t *closing, csvio_out *o, long *count)
{
    manifest_item_list items = {0};
    manifest_book_items(b, year, &items);
    long n = 0;
    for (size_t i = 0; i < items.n; i++)
        n += items.v[i].kind == IT_VOUCHER;
    csvio_out_init(o, ';', 1);
    schema_layout lay;
    schema_layout_default(&lay, &schema_manifest);
    schema_out_header(o, &schema_manifest, &lay);
    char num[24], hex[65];
    manifest_summary_hash(year, result, closing, n, hex);
    csvio_out_field(o, manifest_kind_names[IT_SUMMARY]);
    snprintf(num, sizeof num, "%d", year);
    csvio_out_field(o, num);
    out_date(o, date_make(year, 12, 31));
    csvio_out_field(o, "");
    out_amount(o, result);
    csvio_out_field(o, hex);
    csvio_out_endrow(o);
    for (size_t i = 0; i < items.n; i++) {
        const manifest_item *it = &items.v[i];
        csvio_out_field(o, manifest_kind_names[it->kind]);
        if (it->kind == IT_VOUCHER) {
            const book_entry *e = &b->entries.v[it->index];
            snprintf(num, sizeof num, "%d", e->ver);
            csvio_out_field(o, num);
            out_date(o, e->date);
            csvio_out_field(o, b->accounts.v[e->account].number);
            out_amount(o, &e->amount);
        } else if (it->kind == IT_DECISION) {
            const book_decision *d = &b->decisions.v[it->index];
            csvio_out_field(o, it->key);
            out_date(o, d->date);
            csvio_out_field(o, "");
            if (d->event == EM_CLOSE)
                csvio_out_field(o, "");
            else
                out_amount(o, &d->amount);
        } else {
            const book_budget_line *l = &b->budget.v[it->index];
            csvio_out_field(o, it->key);
            csvio_out_field(o, "");
            csvio_out_field(o, l->account >= 0
                                   ? b->accounts.v[l->account].number
                                   : "");
            dec_t sum;
            dec_init(&sum);
            for (int q = 0; q < 4; q++)
                dec_add(&sum, &sum, &l->q[q]);
            out_amount(o, &sum);
            dec_clear(&sum);
        }
        csvio_out_field(o, it->hash);
        csvio_out_endrow(o);
    }
    free(items.v);
    *count = n;
}

