/* sie_record - the records of a SIE file and their fields (sie.h): what
 * each label holds, checked and kept in the sie_file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sie_priv.h"
#include "text.h"

void sie_err(sie_reader *r, long line, long col, const char *fmt, ...)
{
    if (r->nerr++ >= SIE_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(r->dl, DIAG_ERROR, r->display, line, col, fmt, ap);
    va_end(ap);
}

/* n bytes of the file as UTF-8 text in the arena; a tab becomes a space
 * (a stored text holds no control characters). */
static const char *decode(sie_reader *r, const char *s, size_t n)
{
    char *o = sie_arena_alloc(r->arena, n * 3 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\t')
            c = ' ';
        if (c < 0x80 || r->dec == SIE_ENC_UTF8)
            o[k++] = (char)c;
        else
            k += text_put_char(o + k, r->dec == SIE_ENC_CP1252
                                     ? text_cp1252_char(c)
                                     : text_cp437_char(c));
    }
    o[k] = '\0';
    return o;
}

static const char *tokstr(sie_reader *r, size_t i)
{
    return decode(r, SIE_TOKV(&r->tk, i), r->tk.v[i].len);
}

/* The current line, trimmed, as UTF-8 (for messages about its row). */
static const char *line_text(sie_reader *r)
{
    const char *s = r->ls;
    size_t n = r->ln;
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return decode(r, s, n);
}

/* Line and column of byte offset `at` of the file's text. */
/* ---- Fields ----------------------------------------------------------------- */

static int is_word(const sie_reader *r, size_t i)
{
    return i < r->tk.n && r->tk.v[i].kind == SIE_TK_WORD;
}

static const char *label_of(const sie_reader *r)
{
    return SIE_TOKV(&r->tk, 0);
}

static long colof(const sie_reader *r, size_t i)
{
    return i < r->tk.n ? r->tk.v[i].col : sie_col(r->ls, r->ln, r->utf8);
}

/* A required field i; reports "NAME saknas" when absent. */
static int need(sie_reader *r, size_t i, const char *name)
{
    if (is_word(r, i))
        return 1;
    if (i < r->tk.n)
        sie_err(r, r->line, colof(r, i), "%s väntas här (%s)", name, label_of(r));
    else
        sie_err(r, r->line, colof(r, i), "%s saknas i %s", name, label_of(r));
    return 0;
}

static int all_digits(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int get_int(sie_reader *r, size_t i, const char *name, long lo, long hi,
                   long *out)
{
    if (!need(r, i, name))
        return -1;
    const char *s = SIE_TOKV(&r->tk, i);
    size_t n = r->tk.v[i].len;
    int neg = n && s[0] == '-';
    if (!all_digits(s + neg, n - (size_t)neg) || n > 10 + (size_t)neg) {
        sie_err(r, r->line, colof(r, i), "%s ska vara ett heltal, inte \"%s\"",
            name, tokstr(r, i));
        return -1;
    }
    long v = strtol(s, NULL, 10);
    if (v < lo || v > hi) {
        sie_err(r, r->line, colof(r, i), "%s %ld ligger utanför %ld..%ld", name,
            v, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* A date YYYYMMDD; an empty field gives DATE_NONE when `optional`. */
static int get_date(sie_reader *r, size_t i, const char *name, int optional,
                    date_t *out)
{
    *out = DATE_NONE;
    if (optional && (!is_word(r, i) || r->tk.v[i].len == 0))
        return 0;
    if (!need(r, i, name))
        return -1;
    const char *s = SIE_TOKV(&r->tk, i);
    if (r->tk.v[i].len == 8 && all_digits(s, 8)) {
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
                (s[3] - '0');
        int m = (s[4] - '0') * 10 + (s[5] - '0');
        int d = (s[6] - '0') * 10 + (s[7] - '0');
        if (y >= 1900 && (*out = date_make(y, m, d)) != DATE_NONE)
            return 0;
        sie_err(r, r->line, colof(r, i), "%s \"%s\": ingen sådan dag", name,
            tokstr(r, i));
        return -1;
    }
    sie_err(r, r->line, colof(r, i), "%s ska skrivas ÅÅÅÅMMDD, inte \"%s\"",
        name, tokstr(r, i));
    return -1;
}

/* An amount as the standard writes it: a decimal point, at most two
 * decimals, a minus for credit, no thousands separators. */
static int get_amount(sie_reader *r, size_t i, dec_t *out)
{
    if (!need(r, i, "belopp"))
        return -1;
    const char *s = SIE_TOKV(&r->tk, i);
    size_t n = r->tk.v[i].len, k = s[0] == '-', int_digits = 0;
    while (k < n && s[k] >= '0' && s[k] <= '9') {
        k++;
        int_digits++;
    }
    size_t dec_digits = 0;
    if (k < n && s[k] == '.')
        for (k++; k < n && s[k] >= '0' && s[k] <= '9'; k++)
            dec_digits++;
    dec_error e;
    if (k != n || !int_digits || (s[int_digits + (s[0] == '-')] == '.' &&
                                  !dec_digits)) {
        sie_err(r, r->line, colof(r, i) + (long)k,
            "ogiltigt belopp \"%s\": SIE skriver belopp som -1234.50 "
            "(decimalpunkt, inga tusentalsavgränsare)",
            tokstr(r, i));
        return -1;
    }
    if (dec_digits > 2) {
        sie_err(r, r->line, colof(r, i),
            "ogiltigt belopp \"%s\": högst två decimaler (ören)",
            tokstr(r, i));
        return -1;
    }
    if (dec_parse(out, s, n, &e) != 0) {
        char why[96];
        sie_err(r, r->line, colof(r, i) + (long)e.col - 1,
            "ogiltigt belopp \"%s\": %s", tokstr(r, i),
            dec_error_text(&e, why, sizeof why));
        return -1;
    }
    return 0;
}

/* An object list at token i ({} or {DIM "OBJ" ...}); appends its pairs to
 * f->objrefs. Returns the token after it, or 0 after an error. A missing
 * list (older files) is an empty one. */
static size_t get_objects(sie_reader *r, size_t i, size_t *obj0, size_t *nobj)
{
    *obj0 = r->f->objrefs.n;
    *nobj = 0;
    if (i >= r->tk.n || r->tk.v[i].kind != SIE_TK_OPEN)
        return i;
    long open = r->tk.v[i].col;
    size_t k = i + 1;
    while (k < r->tk.n && r->tk.v[k].kind == SIE_TK_WORD)
        k++;
    if (k >= r->tk.n || r->tk.v[k].kind != SIE_TK_CLOSE) {
        sie_err(r, r->line, k < r->tk.n ? r->tk.v[k].col : open,
            k < r->tk.n ? "objektlistan som börjar i kolumn %ld innehåller "
                          "en klammerparentes till"
                        : "obalanserade klammerparenteser: { i kolumn %ld "
                          "stängs aldrig med }",
            open);
        return 0;
    }
    if ((k - i - 1) % 2) {
        sie_err(r, r->line, open,
            "objektlistan ska vara par av dimension och objekt, t.ex. "
            "{1 \"51200\" 6 \"SAMLA\"}");
        return 0;
    }
    for (size_t j = i + 1; j < k; j += 2) {
        long dim;
        if (get_int(r, j, "dimensionsnummer", 1, 999999, &dim) != 0)
            return 0;
        sie_objref *o = SIE_PUSH(r->f->objrefs);
        o->dim = (int)dim;
        o->code = tokstr(r, j + 1);
        o->line = r->line;
        o->col = r->tk.v[j].col;
        (*nobj)++;
    }
    return k + 1;
}

/* ---- Records ---------------------------------------------------------------- */

static const char *opt_str(sie_reader *r, size_t i)
{
    return is_word(r, i) ? tokstr(r, i) : "";
}

static sie_account *account_find(sie_reader *r, const char *number)
{
    int i = strmap_get(&r->accounts, number);
    return i >= 0 ? &r->f->accounts.v[i] : NULL;
}

int sie_object_index(sie_reader *r, int dim, const char *code)
{
    size_t need = strlen(code) + 16;
    mem_grow((void **)&r->key, &r->keycap, need, 1);
    snprintf(r->key, need, "%d\x1f%s", dim, code);
    return strmap_get(&r->objects, r->key);
}

static void rec_balance(sie_reader *r, sie_balance_kind kind)
{
    /* #IB/#UB/#RES: YEAR ACCOUNT AMOUNT; #OIB/#OUB: YEAR ACCOUNT {OBJ}
     * AMOUNT; #PSALDO/#PBUDGET: YEAR PERIOD ACCOUNT {OBJ} AMOUNT;
     * #BUDGET: YEAR ACCOUNT [{OBJ}] AMOUNT. Quantities are ignored. */
    long year, period = 0;
    size_t i = 1;
    if (get_int(r, i++, "årsnummer", -99, 99, &year) != 0)
        return;
    long col_period = 0;
    if (kind == SIE_PSALDO || kind == SIE_PBUDGET) {
        col_period = colof(r, i);
        if (get_int(r, i++, "period (ÅÅÅÅMM)", 190001, 999912, &period) != 0)
            return;
        if (period % 100 < 1 || period % 100 > 12) {
            sie_err(r, r->line, col_period, "period %ld: ingen sådan månad",
                period);
            return;
        }
    }
    if (!need(r, i, "konto"))
        return;
    sie_balance b;
    memset(&b, 0, sizeof b);
    b.kind = kind;
    b.year = (int)year;
    b.period = (int)period;
    b.col_period = col_period;
    b.col_account = colof(r, i);
    b.account = tokstr(r, i++);
    if (kind != SIE_IB && kind != SIE_UB && kind != SIE_RES) {
        size_t next = get_objects(r, i, &b.obj0, &b.nobj);
        if (!next)
            return;
        i = next;
    }
    b.col_amount = colof(r, i);
    dec_init(&b.amount);
    if (get_amount(r, i, &b.amount) != 0) {
        dec_clear(&b.amount);
        return;
    }
    b.line = r->line;
    b.source = line_text(r);
    *SIE_PUSH(r->f->balances) = b;
}

static void rec_ver(sie_reader *r)
{
    /* #VER SERIES NUMBER DATE [TEXT [REGDATE [SIGN]]] */
    if (!need(r, 1, "serie") || !need(r, 2, "verifikationsnummer"))
        return;
    sie_voucher *v = SIE_PUSH(r->f->vouchers);
    v->line = r->line;
    v->col_series = colof(r, 1);
    v->col_number = colof(r, 2);
    v->col_date = colof(r, 3);
    v->col_text = colof(r, 4);
    v->series = tokstr(r, 1);
    v->number = tokstr(r, 2);
    v->text = opt_str(r, 4);
    v->sign = opt_str(r, 6);
    v->trans0 = r->f->trans.n;
    v->date = v->registered = DATE_NONE;
    get_date(r, 3, "verifikationsdatum", 0, &v->date);
    get_date(r, 5, "registreringsdatum", 1, &v->registered);
}

/* Do the #TRANS just read and the #RTRANS before it say the same? */
static int same_row(const sie_file *f, const sie_trans *a, const sie_trans *b)
{
    if (strcmp(a->account, b->account) || dec_cmp(&a->amount, &b->amount) ||
        a->date != b->date || strcmp(a->text, b->text) || a->nobj != b->nobj)
        return 0;
    for (size_t k = 0; k < a->nobj; k++) {
        const sie_objref *x = &f->objrefs.v[a->obj0 + k];
        const sie_objref *y = &f->objrefs.v[b->obj0 + k];
        if (x->dim != y->dim || strcmp(x->code, y->code))
            return 0;
    }
    return 1;
}

static void rec_trans(sie_reader *r, sie_trans_kind kind)
{
    /* #TRANS ACCOUNT {OBJECTS} AMOUNT [DATE [TEXT [QUANTITY [SIGN]]]] */
    if (!need(r, 1, "konto"))
        return;
    sie_trans t;
    memset(&t, 0, sizeof t);
    t.kind = kind;
    t.line = r->line;
    t.col_account = colof(r, 1);
    t.account = tokstr(r, 1);
    t.col_objects = colof(r, 2);
    size_t i = get_objects(r, 2, &t.obj0, &t.nobj);
    if (!i)
        return;
    t.col_amount = colof(r, i);
    dec_init(&t.amount);
    int ok = get_amount(r, i, &t.amount) == 0;
    t.col_date = colof(r, i + 1);
    ok &= get_date(r, i + 1, "transaktionsdatum", 1, &t.date) == 0;
    t.col_text = colof(r, i + 2);
    t.text = opt_str(r, i + 2);
    t.source = line_text(r);
    if (!ok) {
        dec_clear(&t.amount);
        r->rtrans = 0;
        return;
    }
    if (r->rtrans) {
        /* The standard puts an identical #TRANS after each #RTRANS so that
         * older readers see the row; it is the same row, not a second. */
        sie_trans *rt = &r->f->trans.v[r->rtrans - 1];
        long rline = rt->line;
        r->rtrans = 0;
        if (kind == SIE_TRANS && same_row(r->f, rt, &t)) {
            rt->twin = r->line;
            dec_clear(&t.amount);
            r->f->objrefs.n = t.obj0;
            return;
        }
        sie_err(r, r->line, 0,
            "#RTRANS på rad %ld ska följas av en identisk #TRANS (SIE 4B: "
            "den tillagda raden upprepas för äldre program)",
            rline);
    }
    *SIE_PUSH(r->f->trans) = t;
    if (kind == SIE_RTRANS)
        r->rtrans = r->f->trans.n;
}

static void rec_ksumma(sie_reader *r)
{
    if (!is_word(r, 1)) {
        if (r->crc_state == 0) {
            r->crc_state = 1;
            r->crc = 0;
            r->crc_line = r->line;
        } else {
            sie_err(r, r->line, 1, "#KSUMMA utan värde finns redan på rad %ld",
                r->crc_line);
        }
        return;
    }
    if (r->crc_state != 1) {
        sie_err(r, r->line, 1, "#KSUMMA med kontrollsumma men utan inledande "
                           "#KSUMMA (den ska stå direkt efter #FLAGGA)");
        return;
    }
    r->crc_state = 2;
    const char *s = SIE_TOKV(&r->tk, 1);
    size_t n = r->tk.v[1].len;
    int neg = s[0] == '-';
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (!all_digits(s + neg, n - (size_t)neg) || errno || v > 4294967295LL ||
        v < -2147483648LL) {
        sie_err(r, r->line, colof(r, 1), "kontrollsumman \"%s\" är inget "
                                     "32-bitarstal",
            tokstr(r, 1));
        return;
    }
    /* Written unsigned by most programs, signed by some: both name the same
     * 32 bits. */
    uint32_t want = (uint32_t)(v < 0 ? (uint32_t)(int32_t)v : (uint32_t)v);
    if (want != r->crc) {
        sie_err(r, r->line, colof(r, 1),
            "fel kontrollsumma: #KSUMMA säger %lu men innehållet från rad "
            "%ld ger %lu; filen har ändrats eller skadats efter exporten",
            (unsigned long)want, r->crc_line, (unsigned long)r->crc);
        return;
    }
    r->f->has_checksum = 1;
    r->f->checksum = want;
}

/* The label and every field's content, without spaces, quotes or braces
 * (SIE 4B, "Kontrollsummering"). */
static void crc_record(sie_reader *r)
{
    for (size_t i = 0; i < r->tk.n; i++)
        if (r->tk.v[i].kind == SIE_TK_WORD)
            r->crc = sie_crc32(r->crc, SIE_TOKV(&r->tk, i), r->tk.v[i].len);
}


static void rec_dim(sie_reader *r, int under)
{
    /* #DIM NUMBER NAME; #UNDERDIM NUMBER NAME SUPER */
    long num, super = 0;
    if (get_int(r, 1, "dimensionsnummer", 1, 999999, &num) != 0 ||
        !need(r, 2, "dimensionens namn") ||
        (under && get_int(r, 3, "överliggande dimension", 1, 999999,
                          &super) != 0))
        return;
    const sie_dim *old = sie_dim_find(r->f, (int)num);
    if (old) {
        sie_err(r, r->line, colof(r, 1), "dimension %ld finns redan på rad %ld",
            num, old->line);
        return;
    }
    sie_dim *d = SIE_PUSH(r->f->dims);
    d->number = (int)num;
    d->name = tokstr(r, 2);
    d->super = (int)super;
    d->line = r->line;
}

static void rec_object(sie_reader *r)
{
    /* #OBJEKT DIM CODE NAME */
    long dim;
    if (get_int(r, 1, "dimensionsnummer", 1, 999999, &dim) != 0 ||
        !need(r, 2, "objektkod") || !need(r, 3, "objektnamn"))
        return;
    const char *code = tokstr(r, 2);
    int old = sie_object_index(r, (int)dim, code);
    if (old >= 0) {
        sie_err(r, r->line, colof(r, 2),
                "objektet \"%s\" i dimension %ld finns redan på rad %ld", code,
                dim, r->f->objects.v[old].line);
        return;
    }
    strmap_put(&r->objects, sie_arena_strndup(r->arena, r->key, strlen(r->key)),
               (int)r->f->objects.n);
    sie_object *o = SIE_PUSH(r->f->objects);
    o->dim = (int)dim;
    o->code = code;
    o->name = tokstr(r, 3);
    o->line = r->line;
}

static void rec_account(sie_reader *r)
{
    /* #KONTO NUMBER NAME */
    if (!need(r, 1, "kontonummer") || !need(r, 2, "kontonamn"))
        return;
    const char *num = tokstr(r, 1);
    const sie_account *old = account_find(r, num);
    if (old) {
        sie_err(r, r->line, colof(r, 1), "kontot %s finns redan på rad %ld", num,
            old->line);
        return;
    }
    strmap_put(&r->accounts, num, (int)r->f->accounts.n);
    sie_account *a = SIE_PUSH(r->f->accounts);
    a->number = num;
    a->name = tokstr(r, 2);
    a->type = "";
    a->line = r->line;
}

static void rec_ktyp(sie_reader *r)
{
    /* #KTYP NUMBER T|S|K|I */
    if (!need(r, 1, "kontonummer") || !need(r, 2, "kontotyp"))
        return;
    const char *type = tokstr(r, 2);
    if (strlen(type) != 1 || !strchr("TSKI", type[0])) {
        sie_err(r, r->line, colof(r, 2),
            "kontotyp \"%s\": ska vara T (tillgång), S (skuld), K "
            "(kostnad) eller I (intäkt)",
            type);
        return;
    }
    sie_account *a = account_find(r, tokstr(r, 1));
    if (!a)
        sie_err(r, r->line, colof(r, 1),
            "kontot %s är inte deklarerat med #KONTO före #KTYP",
            tokstr(r, 1));
    else
        a->type = type;
}

static void rec_year(sie_reader *r)
{
    /* #RAR INDEX FROM TO */
    long idx;
    sie_year y;
    if (get_int(r, 1, "årsnummer", -99, 0, &idx) != 0 ||
        get_date(r, 2, "räkenskapsårets start", 0, &y.from) != 0 ||
        get_date(r, 3, "räkenskapsårets slut", 0, &y.to) != 0)
        return;
    if (y.to < y.from) {
        sie_err(r, r->line, colof(r, 3), "räkenskapsåret slutar före sin start");
        return;
    }
    y.index = (int)idx;
    y.line = r->line;
    *SIE_PUSH(r->f->years) = y;
}

/* One record (the current line's tokens, label first). */
void sie_record(sie_reader *r)
{
    const char *l = label_of(r);
    sie_file *f = r->f;
    if (!strcmp(l, "#KSUMMA")) {
        rec_ksumma(r);
        return;
    }
    if (r->crc_state == 2) {
        sie_err(r, r->line, 1, "posten står efter den avslutande #KSUMMA och "
                           "täcks inte av kontrollsumman");
        return;
    }
    if (r->crc_state == 1)
        crc_record(r);
    int trans = !strcmp(l, "#TRANS"), rt = !strcmp(l, "#RTRANS"),
        bt = !strcmp(l, "#BTRANS");
    if (r->block == 2) {
        if (trans || rt || bt)
            rec_trans(r, trans ? SIE_TRANS : rt ? SIE_RTRANS : SIE_BTRANS);
        /* Other labels inside a voucher are later additions: ignored. */
        return;
    }
    if (trans || rt || bt) {
        sie_err(r, r->line, 1, "%s utanför en #VER { … }", l);
        return;
    }
    long n;
    if (!strcmp(l, "#FLAGGA")) {
        if (get_int(r, 1, "flagga", 0, 1, &n) == 0) {
            f->flag = (int)n;
            if (n == 1)
                diag_add(r->dl, DIAG_NOTE, r->display, r->line, 0,
                         "filen är markerad som redan inläst (#FLAGGA 1); "
                         "rader som redan importerats känns igen på sina "
                         "fingeravtryck");
        }
    } else if (!strcmp(l, "#SIETYP")) {
        if (get_int(r, 1, "SIE-typ", 1, 4, &n) == 0)
            f->type = (int)n;
    } else if (!strcmp(l, "#FORMAT")) {
        f->format = opt_str(r, 1);
        if (strcmp(f->format, "PC8") && r->dec == SIE_ENC_CP437)
            sie_err(r, r->line, colof(r, 1),
                "okänt #FORMAT \"%s\"; SIE 4 skrivs i PC8 (teckentabell 437)",
                f->format);
    } else if (!strcmp(l, "#PROGRAM")) {
        f->program = opt_str(r, 1);
    } else if (!strcmp(l, "#GEN")) {
        get_date(r, 1, "datum", 0, &f->generated);
    } else if (!strcmp(l, "#FNAMN")) {
        f->company = opt_str(r, 1);
    } else if (!strcmp(l, "#ORGNR")) {
        f->orgnr = opt_str(r, 1);
    } else if (!strcmp(l, "#VALUTA")) {
        f->currency = opt_str(r, 1);
    } else if (!strcmp(l, "#RAR")) {
        rec_year(r);
    } else if (!strcmp(l, "#DIM") || !strcmp(l, "#UNDERDIM")) {
        rec_dim(r, l[1] == 'U');
    } else if (!strcmp(l, "#OBJEKT")) {
        rec_object(r);
    } else if (!strcmp(l, "#KONTO")) {
        rec_account(r);
    } else if (!strcmp(l, "#KTYP")) {
        rec_ktyp(r);
    } else if (!strcmp(l, "#IB") || !strcmp(l, "#UB") || !strcmp(l, "#RES") ||
               !strcmp(l, "#OIB") || !strcmp(l, "#OUB") ||
               !strcmp(l, "#PSALDO") || !strcmp(l, "#PBUDGET") ||
               !strcmp(l, "#BUDGET")) {
        static const char *const names[] = {"#IB", "#UB", "#RES", "#OIB",
                                            "#OUB", "#PSALDO", "#PBUDGET",
                                            "#BUDGET"};
        int k = 0;
        while (strcmp(names[k], l))
            k++;
        rec_balance(r, (sie_balance_kind)k);
    } else if (!strcmp(l, "#VER")) {
        rec_ver(r);
        r->block = 1;
        r->block_line = r->line;
    }
    /* Any other label (#ADRESS, #SRU, #PSALDO's kin, later additions) is
     * read past, as the standard asks. */
}

