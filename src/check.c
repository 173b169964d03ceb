/* check - see check.h. */
#include "check.h"
#include "calc.h"
#include "csvio.h"
#include "store.h"

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
    /* One message per closed year, not per entry: an import of hundreds of
     * rows into a closed year should say so once. Closed years are few, so
     * the years already reported are kept in a small list. */
    int *told = NULL;
    size_t ntold = 0;
    for (size_t i = 0; i < n; i++) {
        int ci = book_year_closed(b, e[i].year);
        if (ci < 0)
            continue;
        int seen = 0;
        for (size_t k = 0; k < ntold; k++)
            if (told[k] == e[i].year)
                seen = 1;
        if (seen)
            continue;
        int *nt = realloc(told, (ntold + 1) * sizeof *nt);
        if (!nt)
            abort();
        told = nt;
        told[ntold++] = e[i].year;
        size_t count = 0;
        for (size_t j = i; j < n; j++)
            if (e[j].year == e[i].year)
                count++;
        const book_close *c = &b->closes.v[ci];
        char d[11], what[64];
        date_format(e[i].date, d);
        if (count == 1)
            snprintf(what, sizeof what, "posten daterad %s", d);
        else
            snprintf(what, sizeof what, "%zu poster (den första daterad %s)",
                     count, d);
        diag_error(dl, NULL, 0, 0,
                   "år %d är stängt (bokslut registrerat %.10s av %s): %s "
                   "kan inte bokföras där. En rättelse bokförs i ett öppet "
                   "år; måste år %d ändras, återöppna det först med 'samla "
                   "reopen %d --reason \"…\"'",
                   e[i].year, c->registered, *c->user ? c->user : "okänd",
                   what, e[i].year, e[i].year);
    }
    free(told);
    /* Every saved entry tells when, by whom and how it was saved; a writer
     * that forgets is a bug, and the book must not get entries without
     * their audit trail. */
    for (size_t i = 0; i < n; i++) {
        const char *missing = !e[i].registered || !*e[i].registered
                                  ? "Registrerad"
                              : !e[i].user || !*e[i].user ? "Användare"
                              : !e[i].source || !*e[i].source ? "Källa"
                                                              : NULL;
        if (missing)
            diag_error(dl, NULL, 0, 0,
                       "ver %d:%d saknar %s (revisionsspåret kräver när, av "
                       "vem och hur posten sparades)",
                       e[i].year, e[i].ver, missing);
    }
    return diag_errors(dl) - before;
}

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

/* A non-negative number in decimal into buf (at least 21 bytes); returns
 * its length. */
static size_t utoa(unsigned long v, char *buf)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
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
    n += utoa(u / 100, buf + n);
    buf[n++] = '.';
    buf[n++] = (char)('0' + u % 100 / 10);
    buf[n++] = (char)('0' + u % 10);
    buf[n] = '\0';
    return buf;
}

void check_sha256_hex(const void *data, size_t len, char *hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    to_hex(md, mdlen, hex);
}

static void hash_field(EVP_MD_CTX *ctx, const char *s)
{
    if (s)
        EVP_DigestUpdate(ctx, s, strlen(s));
    EVP_DigestUpdate(ctx, "\x1f", 1);
}

/* The canonical text of an entry: every field that carries meaning, each
 * followed by US (0x1f), the entry ended by RS (0x1e). Fields are fed one
 * by one, so no code or text is ever too long for a buffer. */
static void hash_entry(EVP_MD_CTX *ctx, const book *b, const book_entry *e)
{
    char num[48], d[11];
    utoa((unsigned long)e->ver, num);
    hash_field(ctx, num);
    date_format(e->date, d);
    hash_field(ctx, d);
    hash_field(ctx, b->accounts.v[e->account].number);
    hash_field(ctx, e->activity >= 0 ? b->activities.v[e->activity].code : "");
    hash_field(ctx, e->funder >= 0 ? b->funders.v[e->funder].code : "");
    hash_field(ctx, e->earmark >= 0 ? b->earmarks.v[e->earmark].code : "");
    const char *amt = amount_text(&e->amount, num);
    if (amt) {
        hash_field(ctx, amt);
    } else {
        char *big = dec_to_string(&e->amount);
        hash_field(ctx, big);
        free(big);
    }
    hash_field(ctx, e->text);
    hash_field(ctx, e->doc);
    hash_field(ctx, e->registered);
    hash_field(ctx, e->user);
    hash_field(ctx, e->source);
    hash_field(ctx, e->fingerprint);
    size_t n = utoa((unsigned long)e->corr_year, num);
    num[n++] = ':';
    n += utoa((unsigned long)e->corr_ver, num + n);
    num[n++] = '\x1e';
    EVP_DigestUpdate(ctx, num, n);
}

static void digest_hex(EVP_MD_CTX *ctx, char *hex)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    to_hex(md, mdlen, hex);
}

/* Hash one entry with a context the caller reuses (one allocation for a
 * whole year, not one per entry). */
static void entry_hash_ctx(EVP_MD_CTX *ctx, const book *b, const book_entry *e,
                           char *hex)
{
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    hash_entry(ctx, b, e);
    digest_hex(ctx, hex);
}

void check_entry_hash(const book *b, const book_entry *e, char *hex)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        abort();
    entry_hash_ctx(ctx, b, e, hex);
    EVP_MD_CTX_free(ctx);
}

void check_year_hash(const book *b, int year, char *hex, long *count)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        abort();
    long n = 0;
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    for (size_t i = 0; i < b->entries.n; i++) {
        if (b->entries.v[i].year != year)
            continue;
        hash_entry(ctx, b, &b->entries.v[i]);
        n++;
    }
    digest_hex(ctx, hex);
    EVP_MD_CTX_free(ctx);
    *count = n;
}

/* ---- Year-close manifests -------------------------------------------------- */

static const char *const manifest_cols[] = {"Ver", "Datum", "Konto", "Belopp",
                                            "Kontrollsumma"};
enum { MF_VER, MF_DATE, MF_ACCOUNT, MF_AMOUNT, MF_HASH, MF_N };

void check_manifest_name(int year, char *buf, size_t size)
{
    snprintf(buf, size, "bokslut-%d.csv", year);
}

void check_manifest_build(const book *b, int year, csvio_out *o, long *count)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        abort();
    csvio_out_init(o, ';', 1);
    for (int i = 0; i < MF_N; i++)
        csvio_out_field(o, manifest_cols[i]);
    csvio_out_endrow(o);
    long n = 0;
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->year != year)
            continue;
        char num[24], d[11], hex[65];
        snprintf(num, sizeof num, "%d", e->ver);
        csvio_out_field(o, num);
        date_format(e->date, d);
        csvio_out_field(o, d);
        csvio_out_field(o, b->accounts.v[e->account].number);
        char *amt = dec_format(&e->amount, DEC_KR, 2, DEC_FMT_PLAIN);
        csvio_out_field(o, amt);
        free(amt);
        entry_hash_ctx(ctx, b, e, hex);
        csvio_out_field(o, hex);
        csvio_out_endrow(o);
        n++;
    }
    EVP_MD_CTX_free(ctx);
    *count = n;
}

/* One voucher as the manifest recorded it. */
typedef struct {
    long line;
    const char *date, *account, *amount, *hash;
} manifest_row;

/* What differs between a voucher now and as recorded, for the message. */
static void describe_change(const book *b, const book_entry *e,
                            const manifest_row *m, char *buf, size_t size)
{
    char d[11];
    size_t len = 0;
    buf[0] = '\0';
    date_format(e->date, d);
    if (strcmp(d, m->date) != 0)
        len += (size_t)snprintf(buf + len, size - len, "%sdatum %s → %s",
                                len ? "; " : "", m->date, d);
    const char *acc = b->accounts.v[e->account].number;
    if (len < size && strcmp(acc, m->account) != 0)
        len += (size_t)snprintf(buf + len, size - len, "%skonto %s → %s",
                                len ? "; " : "", m->account, acc);
    char *now = dec_format(&e->amount, DEC_KR, 2, DEC_FMT_PLAIN);
    if (len < size && strcmp(now, m->amount) != 0) {
        dec_t was;
        dec_init(&was);
        char *ws = NULL;
        if (dec_parse(&was, m->amount, strlen(m->amount), NULL) == 0)
            ws = dec_format(&was, DEC_KR, 2, DEC_FMT_UNIT);
        char *ns = dec_format(&e->amount, DEC_KR, 2, DEC_FMT_UNIT);
        len += (size_t)snprintf(buf + len, size - len, "%sbelopp %s → %s",
                                len ? "; " : "", ws ? ws : m->amount, ns);
        free(ws);
        free(ns);
        dec_clear(&was);
    }
    free(now);
    if (len == 0)
        snprintf(buf, size, "text, underlag, märkning eller "
                            "registreringsuppgifter");
}

/* Compare a closed year's vouchers with its manifest and name every one
 * that was changed, added or removed since the close. */
static void check_manifest(const book *b, const book_close *c,
                           const char *closes_file, diag_list *dl)
{
    char name[32];
    check_manifest_name(c->year, name, sizeof name);
    char *path = book_path(b, name);
    char *jfile = book_path(b, BOOK_JOURNAL);
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
    check_sha256_hex(data, len, hex);
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
    int col[MF_N];
    int bad = 0;
    for (int i = 0; i < MF_N; i++) {
        col[i] = -1;
        for (size_t f = 0; f < t.rows[0].n; f++)
            if (strcmp(t.rows[0].f[f].s, manifest_cols[i]) == 0)
                col[i] = (int)f;
        if (col[i] < 0) {
            diag_error(dl, path, t.rows[0].line, 0, "kolumnen \"%s\" saknas",
                       manifest_cols[i]);
            bad = 1;
        }
    }
    /* Index both sides by voucher number. */
    int maxver = 0;
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].year == c->year && b->entries.v[i].ver > maxver)
            maxver = b->entries.v[i].ver;
    long mcount = 0;
    for (size_t r = 1; !bad && r < t.nrows; r++) {
        const csvio_row *row = &t.rows[r];
        long v = row->n > (size_t)col[MF_VER]
                     ? strtol(row->f[col[MF_VER]].s, NULL, 10)
                     : 0;
        if (v > maxver && v <= (long)t.nrows)
            maxver = (int)v;
    }
    manifest_row *man = calloc((size_t)maxver + 1, sizeof *man);
    long *cur = calloc((size_t)maxver + 1, sizeof *cur);
    if (!man || !cur)
        abort();
    for (size_t r = 1; !bad && r < t.nrows; r++) {
        const csvio_row *row = &t.rows[r];
        size_t need = 0;
        for (int i = 0; i < MF_N; i++)
            if ((size_t)col[i] + 1 > need)
                need = (size_t)col[i] + 1;
        char *end = NULL;
        long v = row->n >= need ? strtol(row->f[col[MF_VER]].s, &end, 10) : 0;
        if (v < 1 || v > maxver || !end || *end || man[v].line) {
            diag_error(dl, path, row->line, 0,
                       "ogiltig eller dubblerad rad i förteckningen");
            continue;
        }
        man[v].line = row->line;
        man[v].date = row->f[col[MF_DATE]].s;
        man[v].account = row->f[col[MF_ACCOUNT]].s;
        man[v].amount = row->f[col[MF_AMOUNT]].s;
        man[v].hash = row->f[col[MF_HASH]].s;
        mcount++;
    }
    if (!bad && mcount != c->count)
        diag_error(dl, closes_file, c->line, 0,
                   "år %d: bokslutet anger %ld verifikationer men "
                   "förteckningen %s har %ld",
                   c->year, c->count, name, mcount);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        abort();
    for (size_t i = 0; !bad && i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->year != c->year)
            continue;
        if (cur[e->ver] || !man[e->ver].line) {
            diag_error(dl, jfile, e->line, 0,
                       "ver %d:%d har lagts till i det stängda året %d efter "
                       "bokslutet",
                       e->year, e->ver, c->year);
            continue;
        }
        cur[e->ver] = (long)i + 1;
        entry_hash_ctx(ctx, b, e, hex);
        if (strcmp(hex, man[e->ver].hash) != 0) {
            char what[256];
            describe_change(b, e, &man[e->ver], what, sizeof what);
            diag_error(dl, jfile, e->line, 0,
                       "ver %d:%d har ändrats efter bokslutet för %d (%s)",
                       e->year, e->ver, c->year, what);
        }
    }
    EVP_MD_CTX_free(ctx);
    for (int v = 1; !bad && v <= maxver; v++) {
        if (!man[v].line || cur[v])
            continue;
        dec_t a;
        dec_init(&a);
        char *as = NULL;
        if (dec_parse(&a, man[v].amount, strlen(man[v].amount), NULL) == 0)
            as = dec_format(&a, DEC_KR, 2, DEC_FMT_UNIT);
        diag_error(dl, path, man[v].line, 0,
                   "ver %d:%d (%s, konto %s, %s) har tagits bort ur %s efter "
                   "bokslutet för %d",
                   c->year, v, man[v].date, man[v].account,
                   as ? as : man[v].amount, BOOK_JOURNAL, c->year);
        free(as);
        dec_clear(&a);
    }
    free(man);
    free(cur);
    csvio_free(&t);
out:
    free(data);
    free(path);
    free(jfile);
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

/* Every year whose latest bokslut.csv row closes it must be exactly as it
 * was closed. */
static void check_closed_years(const book *b, diag_list *dl)
{
    char *file = book_path(b, BOOK_CLOSES);
    for (size_t i = 0; i < b->closes.n; i++) {
        const book_close *c = &b->closes.v[i];
        if (book_year_closed(b, c->year) != (int)i)
            continue;
        size_t before = diag_errors(dl);
        check_manifest(b, c, file, dl);
        /* Changed vouchers already explain changed figures. */
        if (diag_errors(dl) == before)
            check_close_figures(b, c, file, dl);
    }
    free(file);
}

/* ---- Earmarks ------------------------------------------------------------- */

/* Every reservation decision must fit in the accumulated surplus at its
 * date: the sum of all earmarks' remaining amounts may not exceed it. */
static void check_earmark_cover(const book *b, diag_list *dl)
{
    dec_t surplus, earmarked, over;
    dec_init(&surplus);
    dec_init(&earmarked);
    dec_init(&over);
    char *file = book_path(b, BOOK_EARMARKS);
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *d = &b->decisions.v[i];
        if (d->event != EM_RESERVE ||
            b->earmarks.v[d->earmark].kind != EARMARK_RESERVATION)
            continue;
        calc_surplus_at(b, d->date, &surplus);
        calc_earmarked_at(b, d->date, &earmarked);
        if (dec_cmp(&earmarked, &surplus) > 0) {
            char day[11];
            date_format(d->date, day);
            dec_sub(&over, &earmarked, &surplus);
            char *e = dec_format(&earmarked, DEC_KR, 2, DEC_FMT_UNIT);
            char *s = dec_format(&surplus, DEC_KR, 2, DEC_FMT_UNIT);
            char *o = dec_format(&over, DEC_KR, 2, DEC_FMT_UNIT);
            diag_error(dl, file, d->line, 0,
                       "öronmärkningarna (%s) överstiger det ackumulerade "
                       "överskottet (%s) den %s med %s (reservationen till "
                       "%s)",
                       e, s, day, o, b->earmarks.v[d->earmark].code);
            free(e);
            free(s);
            free(o);
        }
    }
    free(file);
    dec_clear(&surplus);
    dec_clear(&earmarked);
    dec_clear(&over);
}

/* One event in an earmark's life, for walking it in date order. Within a
 * day: reservations and releases first, then income, then costs, then a
 * close (so a close on a day releases what that day's costs left). */
typedef struct {
    int earmark;
    date_t date;
    int order; /* 0 reserve/release, 1 income, 2 cost, 3 close */
    size_t idx; /* decision or entry index */
} draw_event;

static int draw_cmp(const void *pa, const void *pb)
{
    const draw_event *a = pa, *b = pb;
    if (a->earmark != b->earmark)
        return a->earmark < b->earmark ? -1 : 1;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static char *kr(const dec_t *a)
{
    return dec_format(a, DEC_KR, 2, DEC_FMT_UNIT);
}

size_t check_earmark_draws(const book *b, size_t first_new, diag_list *dl)
{
    int only_new = first_new < b->entries.n;
    size_t nev = 0;
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].earmark >= 0)
            nev++;
    if (nev == 0)
        return 0;
    nev += b->decisions.n;
    draw_event *ev = malloc(nev * sizeof *ev);
    if (!ev)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *d = &b->decisions.v[i];
        ev[n++] = (draw_event){d->earmark, d->date,
                               d->event == EM_CLOSE ? 3 : 0, i};
    }
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->earmark >= 0)
            ev[n++] = (draw_event){
                e->earmark, e->date,
                book_entry_kind(b, e) == KIND_INCOME ? 1 : 2, i};
    }
    qsort(ev, n, sizeof *ev, draw_cmp);

    char *jfile = book_path(b, BOOK_JOURNAL);
    size_t warnings = 0;
    dec_t rem, before;
    dec_init(&rem);
    dec_init(&before);
    for (size_t i = 0; i < n;) {
        const book_earmark *em = &b->earmarks.v[ev[i].earmark];
        int decided = 0, closed = 0;
        date_t closed_on = DATE_NONE;
        dec_set_zero(&rem);
        for (; i < n && &b->earmarks.v[ev[i].earmark] == em; i++) {
            const draw_event *x = &ev[i];
            if (x->order == 0 || x->order == 3) {
                const book_decision *d = &b->decisions.v[x->idx];
                decided = 1;
                if (d->event == EM_CLOSE && !closed) {
                    closed = 1;
                    closed_on = d->date;
                } else if (d->event == EM_RESERVE &&
                           em->kind == EARMARK_RESERVATION) {
                    dec_add(&rem, &rem, &d->amount);
                } else if (d->event == EM_RELEASE) {
                    dec_sub(&rem, &rem, &d->amount);
                }
                continue;
            }
            const book_entry *e = &b->entries.v[x->idx];
            int report = !only_new || x->idx >= first_new;
            const char *file = e->line ? jfile : NULL;
            char day[11];
            date_format(e->date, day);
            if (x->order == 1) {
                if (em->kind == EARMARK_GRANT) {
                    if (!closed)
                        dec_add(&rem, &rem, &e->amount);
                } else if (report) {
                    diag_warn(dl, file, e->line, 0,
                              "ver %d:%d: intäkten är märkt med %s, som är "
                              "en reservation av överskottet och inte ett "
                              "bidrag; märkningen räknas inte",
                              e->year, e->ver, em->code);
                    warnings++;
                }
                continue;
            }
            if (closed) {
                if (report) {
                    char cd[11];
                    date_format(closed_on, cd);
                    diag_warn(dl, file, e->line, 0,
                              "ver %d:%d (%s) är märkt med öronmärkningen "
                              "%s, som avslutades %s; kostnaden dras inte "
                              "från den",
                              e->year, e->ver, day, em->code, cd);
                    warnings++;
                }
                continue;
            }
            dec_set(&before, &rem);
            dec_sub(&rem, &rem, &e->amount);
            if (dec_sgn(&rem) >= 0 || !report ||
                (!only_new && dec_sgn(&before) < 0))
                continue;
            char *a = kr(&e->amount), *bs = kr(&before), *rs = kr(&rem);
            if (!decided)
                diag_warn(dl, file, e->line, 0,
                          "ver %d:%d (%s, %s) är märkt med öronmärkningen "
                          "%s men ligger före beslutet om den; den drar "
                          "mer än som finns (kvar efter: %s)",
                          e->year, e->ver, day, a, em->code, rs);
            else
                diag_warn(dl, file, e->line, 0,
                          "ver %d:%d (%s) drar %s från öronmärkningen %s, "
                          "mer än som återstår: kvar före %s, efter %s%s",
                          e->year, e->ver, day, a, em->code, bs, rs,
                          em->kind == EARMARK_GRANT
                              ? " (kostnaderna överstiger inbetalt bidrag)"
                              : "");
            free(a);
            free(bs);
            free(rs);
            warnings++;
        }
    }
    dec_clear(&rem);
    dec_clear(&before);
    free(jfile);
    free(ev);
    return warnings;
}

size_t check_book_rules(const book *b, diag_list *dl)
{
    size_t before = diag_errors(dl);
    check_earmark_cover(b, dl);
    check_closed_years(b, dl);
    return diag_errors(dl) - before;
}

size_t check_book(const book *b, diag_list *dl)
{
    size_t errors = check_book_rules(b, dl);
    check_earmark_draws(b, b->entries.n, dl);
    return errors;
}
