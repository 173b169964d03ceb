/* check - see check.h. */
#include "check.h"
#include "calc.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t check_voucher_number(const book *b, const book_entry *e,
                            const char *file, long line, diag_list *dl)
{
    int next = book_next_ver(b, e->year);
    if (e->ver < next) {
        diag_error(dl, file, line, 1,
                   "verifikationsnummer %d:%d finns redan eller går bakåt "
                   "(nästa ska vara %d)",
                   e->year, e->ver, next);
        return 1;
    }
    if (e->ver > next) {
        if (e->ver == next + 1)
            diag_error(dl, file, line, 1,
                       "verifikation %d:%d saknas (nummer får inte hoppas "
                       "över)",
                       e->year, next);
        else
            diag_error(dl, file, line, 1,
                       "verifikationerna %d:%d–%d saknas (nummer får inte "
                       "hoppas över)",
                       e->year, next, e->ver - 1);
        return 1;
    }
    return 0;
}

size_t check_entry_row(const book *b, const book_entry *e, const char *file,
                       diag_list *dl)
{
    size_t before = diag_errors(dl);
    long ln = e->line;
    const book_account *a = &b->accounts.v[e->account];
    if (a->kind == KIND_INCOME && e->funder < 0)
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: intäkt på konto %s saknar finansiär", e->year,
                   e->ver, a->number);
    if (a->kind == KIND_COST && e->funder >= 0)
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: kostnad på konto %s ska inte ha finansiär "
                   "(%s)",
                   e->year, e->ver, a->number, b->funders.v[e->funder].code);
    if (a->kind == KIND_COST && e->activity < 0)
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: kostnad på konto %s saknar verksamhet",
                   e->year, e->ver, a->number);
    if (b->start != DATE_NONE && e->date < b->start) {
        char d[11], s[11];
        date_format(e->date, d);
        date_format(b->start, s);
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: datumet %s ligger före bokens startdatum %s",
                   e->year, e->ver, d, s);
    }
    check_voucher_number(b, e, file, ln, dl);
    if (e->corr_year) {
        long j = book_entry_find(b, e->corr_year, e->corr_ver);
        if (j < 0)
            diag_error(dl, file, ln, 0,
                       "ver %d:%d rättar %d:%d, som inte finns före den",
                       e->year, e->ver, e->corr_year, e->corr_ver);
    }
    return diag_errors(dl) - before;
}

size_t check_new_entries(const book *b, const book_entry *e, size_t n,
                         diag_list *dl)
{
    size_t before = diag_errors(dl);
    for (size_t i = 0; i < n; i++) {
        if (book_year_closed(b, e[i].year) >= 0)
            diag_error(dl, NULL, 0, 0,
                       "år %d är stängt (bokslut); rättelser bokförs i ett "
                       "öppet år",
                       e[i].year);
    }
    return diag_errors(dl) - before;
}

/* The canonical text of an entry for the year hash: every field that
 * carries meaning, separated by US (0x1f), ended by RS (0x1e). */
static void hash_entry(EVP_MD_CTX *ctx, const book *b, const book_entry *e)
{
    char buf[256], d[11];
    char *amt = dec_to_string(&e->amount);
    date_format(e->date, d);
    int n = snprintf(buf, sizeof buf, "%d\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f",
                     e->ver, d, b->accounts.v[e->account].number,
                     e->activity >= 0 ? b->activities.v[e->activity].code : "",
                     e->funder >= 0 ? b->funders.v[e->funder].code : "",
                     e->earmark >= 0 ? b->earmarks.v[e->earmark].code : "",
                     amt);
    free(amt);
    EVP_DigestUpdate(ctx, buf, (size_t)n);
    const char *texts[] = {e->text, e->doc, e->registered, e->user, e->source,
                           e->fingerprint};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        EVP_DigestUpdate(ctx, texts[i], strlen(texts[i]));
        EVP_DigestUpdate(ctx, "\x1f", 1);
    }
    n = snprintf(buf, sizeof buf, "%d:%d\x1e", e->corr_year, e->corr_ver);
    EVP_DigestUpdate(ctx, buf, (size_t)n);
}

void check_year_hash(const book *b, int year, char *hex, long *count)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    long n = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (size_t i = 0; i < b->entries.n; i++) {
        if (b->entries.v[i].year != year)
            continue;
        hash_entry(ctx, b, &b->entries.v[i]);
        n++;
    }
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    for (unsigned int i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    *count = n;
}

/* A closed year must still hash to what was stored when it was closed. If
 * not, find which voucher differs by comparing against nothing better than
 * the count; name the entries of that year changed after the close by their
 * registration time, else report the year. */
static void check_closed_years(const book *b, diag_list *dl)
{
    char *file = book_path(b, BOOK_CLOSES);
    for (size_t i = 0; i < b->closes.n; i++) {
        const book_close *c = &b->closes.v[i];
        if (book_year_closed(b, c->year) != (int)i)
            continue;
        char hex[65];
        long count;
        check_year_hash(b, c->year, hex, &count);
        if (strcmp(hex, c->hash) == 0 && count == c->count)
            continue;
        if (count != c->count)
            diag_error(dl, file, c->line, 0,
                       "år %d är stängt men har nu %ld verifikationer i "
                       "stället för %ld: verifikationer har lagts till eller "
                       "tagits bort för hand",
                       c->year, count, c->count);
        else
            diag_error(dl, file, c->line, 0,
                       "år %d är stängt men dess verifikationer har ändrats "
                       "(kontrollsumman stämmer inte)",
                       c->year);
    }
    free(file);
}

/* Every reservation decision must fit in the accumulated surplus at its
 * date: the sum of all earmarks' remaining amounts may not exceed it. */
static void check_earmark_cover(const book *b, diag_list *dl)
{
    dec_t surplus, earmarked;
    dec_init(&surplus);
    dec_init(&earmarked);
    char *file = book_path(b, BOOK_EARMARKS);
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *d = &b->decisions.v[i];
        if (d->event != EM_RESERVE ||
            b->earmarks.v[d->earmark].kind != EARMARK_RESERVATION)
            continue;
        calc_surplus_at(b, d->date, &surplus);
        calc_earmarked_at(b, d->date, &earmarked);
        if (dec_cmp(&earmarked, &surplus) > 0) {
            char *e = dec_format(&earmarked, DEC_KR, 2, DEC_FMT_UNIT);
            char *s = dec_format(&surplus, DEC_KR, 2, DEC_FMT_UNIT);
            diag_error(dl, file, d->line, 0,
                       "öronmärkningarna (%s) överstiger det ackumulerade "
                       "överskottet (%s) den dagen",
                       e, s);
            free(e);
            free(s);
        }
    }
    free(file);
    dec_clear(&surplus);
    dec_clear(&earmarked);
}

size_t check_book(const book *b, diag_list *dl)
{
    size_t before = diag_errors(dl);
    check_earmark_cover(b, dl);
    check_closed_years(b, dl);
    return diag_errors(dl) - before;
}
