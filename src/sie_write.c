/* sie_write - one year of a book as SIE 4 (sie.h, docs/sie.md).
 *
 * samla's entries are single-sided: an income or a cost on an account. A
 * SIE voucher balances, so each entry becomes a #VER of two rows: the
 * entry's account (debit positive: costs positive, income negative) with
 * its activity, funder and earmark as objects, and the opposite amount on
 * the book's settlement account. The balance sheet is that settlement
 * account (what the host organisation holds for the body) against the
 * equity account (the accumulated surplus): #IB and #UB on those two, #RES
 * on every income and cost account. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "sie_priv.h"
#include "text.h"

typedef struct {
    char *buf;
    size_t len, cap;
    int summing;
    uint32_t crc;
    diag_list *dl;
    const char *where;  /* what is being written, for notes */
    unsigned noted[16]; /* characters already noted as not in PC8 */
    size_t nnoted;
} out;

static void raw(out *o, const char *s, size_t n)
{
    mem_grow((void **)&o->buf, &o->cap, o->len + n + 1, 1);
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

/* The code page 437 form of one character that it lacks. */
static const char *fallback(unsigned cp)
{
    switch (cp) {
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
    case 0x2212:
        return "-";
    case 0x2018: case 0x2019: case 0x201A: case 0x2032:
        return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x2033:
        return "\"";
    case 0x2026:
        return "...";
    case 0x20AC:
        return "EUR";
    case 0x2009: case 0x200A: case 0x202F: case 0x2007:
        return " ";
    default:
        return "?";
    }
}

/* UTF-8 text s as code page 437 bytes appended to *dst (growing it). */
static void encode(out *o, const char *s, char **dst, size_t *len,
                   size_t *cap)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp = *p++;
        if (cp >= 0xC0) {
            int k = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;
            cp &= 0x3F >> k;
            for (int i = 0; i < k && (*p & 0xC0) == 0x80; i++)
                cp = (cp << 6) | (*p++ & 0x3F);
        }
        int b = text_cp437_byte(cp);
        char one = (char)b;
        const char *rep = b >= 0 ? &one : fallback(cp);
        size_t n = b >= 0 ? 1 : strlen(rep);
        if (b < 0) {
            size_t k = 0;
            while (k < o->nnoted && o->noted[k] != cp)
                k++;
            if (k == o->nnoted && o->nnoted < 16) {
                o->noted[o->nnoted++] = cp;
                diag_add(o->dl, DIAG_NOTE, NULL, 0, 0,
                         "tecknet U+%04X finns inte i PC8 (teckentabell 437) "
                         "och skrevs som \"%s\" (första gången i %s)",
                         cp, rep, o->where);
            }
        }
        mem_grow((void **)dst, cap, *len + n + 1, 1);
        memcpy(*dst + *len, rep, n);
        *len += n;
    }
}

/* ---- Records: a label, fields, CRLF; summed for #KSUMMA ------------------- */

static void label(out *o, const char *l)
{
    raw(o, l, strlen(l));
    if (o->summing)
        o->crc = sie_crc32(o->crc, l, strlen(l));
}

/* A field written as is (numbers, dates, codes of the standard). */
static void word(out *o, const char *s)
{
    raw(o, " ", 1);
    raw(o, s, strlen(s));
    if (o->summing)
        o->crc = sie_crc32(o->crc, s, strlen(s));
}

/* A text field: quoted, in code page 437, " and \ escaped. The checksum
 * covers the text itself, without quotes and escapes. */
static void text(out *o, const char *s)
{
    char *b = NULL;
    size_t n = 0, cap = 0;
    encode(o, s, &b, &n, &cap);
    raw(o, " \"", 2);
    for (size_t i = 0; i < n; i++) {
        if (b[i] == '"' || b[i] == '\\')
            raw(o, "\\", 1);
        raw(o, b + i, 1);
    }
    raw(o, "\"", 1);
    if (o->summing && n)
        o->crc = sie_crc32(o->crc, b, n);
    free(b);
}

static void end(out *o)
{
    raw(o, "\r\n", 2);
}

static void word_fmt(out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void word_fmt(out *o, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    word(o, buf);
}

static void amount(out *o, const dec_t *a)
{
    char *s = dec_to_string(a);
    word(o, s);
    free(s);
}

static void date8(out *o, date_t d)
{
    int y, m, day;
    date_split(d, &y, &m, &day);
    word_fmt(o, "%04d%02d%02d", y, m, day);
}

/* ---- The book's two balance-sheet accounts ------------------------------ */

/* organisation.csv's Avräkningskonto and Kapitalkonto, by default 1930 and
 * 2010 (docs/sie.md). */
static const char *settlement_account(const book *b)
{
    return b->settlement_account && *b->settlement_account
               ? b->settlement_account
               : "1930";
}

static const char *equity_account(const book *b)
{
    return b->equity_account && *b->equity_account ? b->equity_account
                                                   : "2010";
}

/* ---- The file --------------------------------------------------------------- */

static int by_ver(const void *x, const void *y)
{
    const book_entry *const *a = x, *const *b = y;
    return (*a)->ver - (*b)->ver;
}

static void objects(out *o, const book *b, const book_entry *e)
{
    raw(o, " {", 2);
    int first = 1;
    struct {
        int dim, idx;
        const char *code;
    } pairs[3] = {
        {SIE_DIM_ACTIVITY, e->activity,
         e->activity >= 0 ? b->activities.v[e->activity].code : NULL},
        {SIE_DIM_FUNDER, e->funder,
         e->funder >= 0 ? b->funders.v[e->funder].code : NULL},
        {SIE_DIM_EARMARK, e->earmark,
         e->earmark >= 0 ? b->earmarks.v[e->earmark].code : NULL}};
    for (int k = 0; k < 3; k++) {
        if (pairs[k].idx < 0)
            continue;
        char dim[16];
        snprintf(dim, sizeof dim, "%d", pairs[k].dim);
        if (!first)
            raw(o, " ", 1);
        first = 0;
        raw(o, dim, strlen(dim));
        if (o->summing)
            o->crc = sie_crc32(o->crc, dim, strlen(dim));
        text(o, pairs[k].code);
    }
    raw(o, "}", 1);
}

static void header(out *o, const book *b, int year, const sie_write_opts *opt)
{
    label(o, "#FLAGGA");
    word(o, "0");
    end(o);
    label(o, "#KSUMMA");
    end(o);
    o->summing = 1;
    o->crc = 0;
    label(o, "#PROGRAM");
    text(o, "samla");
    word(o, opt->program_version ? opt->program_version : "0");
    end(o);
    label(o, "#FORMAT");
    word(o, "PC8");
    end(o);
    label(o, "#GEN");
    date8(o, opt->generated);
    if (opt->user && *opt->user)
        text(o, opt->user);
    end(o);
    label(o, "#SIETYP");
    word(o, "4");
    end(o);
    o->where = "organisationens namn";
    label(o, "#FNAMN");
    text(o, b->name ? b->name : "");
    end(o);
    label(o, "#RAR");
    word(o, "0");
    date8(o, date_make(year, 1, 1));
    date8(o, date_make(year, 12, 31));
    end(o);
    label(o, "#VALUTA");
    word(o, b->currency && *b->currency ? b->currency : "SEK");
    end(o);
}

static void declarations(out *o, const book *b)
{
    static const struct {
        int dim;
        const char *name;
    } dims[] = {{SIE_DIM_ACTIVITY, "Verksamhet"},
                {SIE_DIM_FUNDER, "Finansiär"},
                {SIE_DIM_EARMARK, "Öronmärkning"}};
    o->where = "dimensionerna";
    for (size_t k = 0; k < 3; k++) {
        label(o, "#DIM");
        word_fmt(o, "%d", dims[k].dim);
        text(o, dims[k].name);
        end(o);
    }
    o->where = "verksamheterna, finansiärerna och öronmärkningarna";
    for (size_t i = 0; i < b->activities.n; i++) {
        label(o, "#OBJEKT");
        word_fmt(o, "%d", SIE_DIM_ACTIVITY);
        text(o, b->activities.v[i].code);
        text(o, b->activities.v[i].name);
        end(o);
    }
    for (size_t i = 0; i < b->funders.n; i++) {
        label(o, "#OBJEKT");
        word_fmt(o, "%d", SIE_DIM_FUNDER);
        text(o, b->funders.v[i].code);
        text(o, b->funders.v[i].name);
        end(o);
    }
    for (size_t i = 0; i < b->earmarks.n; i++) {
        label(o, "#OBJEKT");
        word_fmt(o, "%d", SIE_DIM_EARMARK);
        text(o, b->earmarks.v[i].code);
        text(o, b->earmarks.v[i].purpose);
        end(o);
    }
    o->where = "kontoplanen";
    const char *acc[2][3] = {
        {settlement_account(b), "Avräkning med värdorganisationen", "T"},
        {equity_account(b), "Eget kapital (ackumulerat överskott)", "S"}};
    for (int k = 0; k < 2; k++) {
        label(o, "#KONTO");
        word(o, acc[k][0]);
        text(o, acc[k][1]);
        end(o);
        label(o, "#KTYP");
        word(o, acc[k][0]);
        word(o, acc[k][2]);
        end(o);
    }
    for (size_t i = 0; i < b->accounts.n; i++) {
        const book_account *a = &b->accounts.v[i];
        label(o, "#KONTO");
        word(o, a->number);
        text(o, a->name);
        end(o);
        label(o, "#KTYP");
        word(o, a->number);
        word(o, a->kind == KIND_INCOME ? "I" : "K");
        end(o);
    }
}

/* The entry's amount as SIE's debit-positive sign: a cost is a debit, an
 * income a credit. */
static void debit(const book *b, const book_entry *e, dec_t *d)
{
    if (book_entry_kind(b, e) == KIND_INCOME)
        dec_neg(d, &e->amount);
    else
        dec_set(d, &e->amount);
}

static void balances(out *o, const book *b, int year,
                     const book_entry *const *es, size_t n)
{
    dec_t open, close, neg;
    dec_init(&open);
    dec_init(&close);
    dec_init(&neg);
    calc_surplus_at(b, date_make(year, 1, 1) - 1, &open);
    calc_surplus_at(b, date_make(year, 12, 31), &close);
    const char *set = settlement_account(b), *eq = equity_account(b);
    /* The settlement account holds the surplus (an asset); equity is its
     * credit. Within the year equity stays at the opening surplus: the
     * year's result is in the #RES accounts until it is carried forward. */
    label(o, "#IB");
    word(o, "0");
    word(o, set);
    amount(o, &open);
    end(o);
    dec_neg(&neg, &open);
    label(o, "#IB");
    word(o, "0");
    word(o, eq);
    amount(o, &neg);
    end(o);
    label(o, "#UB");
    word(o, "0");
    word(o, set);
    amount(o, &close);
    end(o);
    label(o, "#UB");
    word(o, "0");
    word(o, eq);
    amount(o, &neg);
    end(o);
    /* #RES per account with entries in the year, in the chart's order. */
    size_t na = b->accounts.n;
    dec_t *sum = mem_calloc(na ? na : 1, sizeof *sum);
    char *used = mem_calloc(na ? na : 1, 1);
    for (size_t i = 0; i < na; i++)
        dec_init(&sum[i]);
    for (size_t i = 0; i < n; i++) {
        debit(b, es[i], &neg);
        dec_add(&sum[es[i]->account], &sum[es[i]->account], &neg);
        used[es[i]->account] = 1;
    }
    for (size_t i = 0; i < na; i++) {
        if (used[i]) {
            label(o, "#RES");
            word(o, "0");
            word(o, b->accounts.v[i].number);
            amount(o, &sum[i]);
            end(o);
        }
        dec_clear(&sum[i]);
    }
    free(sum);
    free(used);
    dec_clear(&open);
    dec_clear(&close);
    dec_clear(&neg);
}

static void voucher(out *o, const book *b, const book_entry *e)
{
    char where[64];
    snprintf(where, sizeof where, "verifikation %d:%d", e->year, e->ver);
    o->where = where;
    dec_t d, c;
    dec_init(&d);
    dec_init(&c);
    debit(b, e, &d);
    dec_neg(&c, &d);
    label(o, "#VER");
    text(o, "A");
    word_fmt(o, "%d", e->ver);
    date8(o, e->date);
    text(o, e->text ? e->text : "");
    /* Registered "2025-04-08T07:32:11Z": its date, and who. */
    date_t reg = DATE_NONE;
    size_t ecol;
    const char *emsg;
    if (e->registered && strlen(e->registered) >= 10)
        date_parse(&reg, e->registered, 10, &ecol, &emsg);
    if (reg != DATE_NONE) {
        date8(o, reg);
        if (e->user && *e->user)
            text(o, e->user);
    }
    end(o);
    raw(o, "{\r\n", 3);
    /* The entry's row: its Underlag as the row's text (docs/sie.md). */
    raw(o, "   ", 3);
    label(o, "#TRANS");
    word(o, b->accounts.v[e->account].number);
    objects(o, b, e);
    amount(o, &d);
    if (e->doc && *e->doc) {
        text(o, "");
        text(o, e->doc);
    }
    end(o);
    raw(o, "   ", 3);
    label(o, "#TRANS");
    word(o, settlement_account(b));
    raw(o, " {}", 3);
    amount(o, &c);
    end(o);
    raw(o, "}\r\n", 3);
    o->where = "filen";
    dec_clear(&d);
    dec_clear(&c);
}

samla_err sie_write_year(const book *b, int year, const sie_write_opts *opt,
                   char **outp, size_t *lenp, diag_list *dl)
{
    *outp = NULL;
    *lenp = 0;
    const char *set = settlement_account(b), *eq = equity_account(b);
    size_t before = diag_errors(dl);
    if (book_account_find(b, set) >= 0)
        diag_error(dl, NULL, 0, 0,
                   "avräkningskontot %s är också ett av bokens konton; välj "
                   "ett annat i organisationens inställningar",
                   set);
    if (book_account_find(b, eq) >= 0 || !strcmp(set, eq))
        diag_error(dl, NULL, 0, 0,
                   "kontot för eget kapital %s är också ett av bokens konton "
                   "eller avräkningskontot; välj ett annat",
                   eq);
    if (diag_errors(dl) > before)
        return SAMLA_EDATA;
    size_t n = 0;
    const book_entry **es = mem_calloc(b->entries.n ? b->entries.n : 1,
                                       sizeof *es);
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].year == year)
            es[n++] = &b->entries.v[i];
    qsort(es, n, sizeof *es, by_ver);
    out o;
    memset(&o, 0, sizeof o);
    o.dl = dl;
    o.where = "filen";
    header(&o, b, year, opt);
    declarations(&o, b);
    balances(&o, b, year, es, n);
    for (size_t i = 0; i < n; i++)
        voucher(&o, b, es[i]);
    o.summing = 0;
    label(&o, "#KSUMMA");
    word_fmt(&o, "%lu", (unsigned long)o.crc);
    end(&o);
    free(es);
    *outp = o.buf;
    *lenp = o.len;
    return SAMLA_OK;
}

/* ---- The rules that read it back ------------------------------------------ */

samla_err sie_write_rules(const book *b, char **outp, size_t *lenp)
{
    csvio_out o;
    csvio_out_init(&o, ';', 1);
    static const char *const head[] = {
        "Typ", "Inställning", "Värde", "Villkor", "Konto", "Verksamhet",
        "Finansiär", "Öronmärkning", "Tecken", "Text", "Kommentar"};
    char skip_set[64], skip_eq[64], dims[3][32];
    snprintf(skip_set, sizeof skip_set, "Konto=%s", settlement_account(b));
    snprintf(skip_eq, sizeof skip_eq, "Konto=%s", equity_account(b));
    snprintf(dims[0], sizeof dims[0], "{Objekt:%d}", SIE_DIM_ACTIVITY);
    snprintf(dims[1], sizeof dims[1], "{Objekt:%d}", SIE_DIM_FUNDER);
    snprintf(dims[2], sizeof dims[2], "{Objekt:%d}", SIE_DIM_EARMARK);
    const char *rows[][11] = {
        {"inställning", "filformat", "sie", "", "", "", "", "", "", "",
         "SIE 4 som samla export sie skriver (docs/sie.md)"},
        {"inställning", "kolumn verifikation", "Transtext", "", "", "", "", "",
         "", "", "Radens text är verifikationens Underlag"},
        {"hoppa över", "", "", skip_set, "", "", "", "", "", "",
         "Motraden på avräkningskontot"},
        {"hoppa över", "", "", skip_eq, "", "", "", "", "", "",
         "Eget kapital (bokförs inte i samla)"},
        {"regel", "", "", "", "{Konto}", dims[0], dims[1], dims[2], "",
         "{Vertext}", "Bokens konto, verksamhet, finansiär och öronmärkning"},
    };
    for (size_t k = 0; k < 11; k++)
        csvio_out_field(&o, head[k]);
    csvio_out_endrow(&o);
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
        for (size_t k = 0; k < 11; k++)
            csvio_out_field(&o, rows[r][k]);
        csvio_out_endrow(&o);
    }
    *outp = o.buf;
    *lenp = o.len;
    return SAMLA_OK;
}
