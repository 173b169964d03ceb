/* sie_read - reading and checking a SIE file: the bytes decoded, the
 * lines split into records, the vouchers' blocks, the references; see sie.h
 * and docs/sie.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sie_priv.h"
#include "text.h"
#include "store.h"

/* Line and column of byte offset `at` of the file's text. */
static void place(const char *s, size_t at, int utf8, long *line, long *col)
{
    const char *ls = s;
    *line = 1;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n') {
            (*line)++;
            ls = s + i + 1;
        }
    *col = sie_col(ls, (size_t)(s + at - ls), utf8);
}

/* What #FORMAT says, without reading the file as records yet. */
static int declares_pc8(const char *s, size_t n)
{
    for (size_t i = 0; i + 7 <= n; i++)
        if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, "#FORMAT", 7) == 0) {
            size_t j = i + 7;
            while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '"'))
                j++;
            return j + 3 <= n && memcmp(s + j, "PC8", 3) == 0;
        }
    return 0;
}

/*
 * Decide how the bytes are decoded. The standard's code page is 437
 * (#FORMAT PC8). Files that say so but are UTF-8 (valid multi-byte UTF-8
 * does not occur in Swedish PC8 text), or whose Swedish letters are those
 * of Windows-1252 and none those of code page 437, are read as what they
 * are, with a note; the rules' `kodning` decides outright.
 */
static int choose_encoding(sie_reader *r, const char *s, size_t n, int bom,
                           sie_encoding want)
{
    const char *nul = memchr(s, 0, n);
    if (nul) {
        long line, col;
        place(s, (size_t)(nul - s), 0, &line, &col);
        sie_err(r, line, col, "NUL-tecken i filen; en SIE-fil är text (är den "
                          "sparad som UTF-16?)");
        return -1;
    }
    int pc8 = declares_pc8(s, n);
    if (bom && (want == SIE_ENC_CP437 || want == SIE_ENC_CP1252)) {
        sie_err(r, 1, 1, "filen börjar med UTF-8-markering (BOM) men "
                     "regelfilen säger kodning %s",
            want == SIE_ENC_CP437 ? "pc8" : "windows-1252");
        return -1;
    }
    size_t bad = text_utf8_valid_prefix(s, n);
    int high = 0, w1252 = 0, w437 = 0;
    long at1252 = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            continue;
        high = 1;
        if (strchr("\xE5\xE4\xF6\xC5\xC4\xD6\xE9", c) && !w1252++) {
            long col;
            place(s, i, 0, &at1252, &col);
        }
        if (strchr("\x86\x84\x94\x8F\x8E\x99\x82", c))
            w437++;
    }
    sie_encoding e = want;
    if (want == SIE_ENC_AUTO) {
        if (bom || (high && bad == n))
            e = SIE_ENC_UTF8;
        else if (w1252 && !w437)
            e = SIE_ENC_CP1252;
        else
            e = SIE_ENC_CP437;
    }
    if (e == SIE_ENC_UTF8 && bad < n) {
        long line, col;
        place(s, bad, 1, &line, &col);
        sie_err(r, line, col,
            "ogiltig UTF-8 (byte 0x%02X)%s", (unsigned)(unsigned char)s[bad],
            want == SIE_ENC_UTF8 ? " fast regelfilen säger kodning utf-8"
                                 : " fast filen börjar med UTF-8-markering");
        return -1;
    }
    if (e == SIE_ENC_CP1252)
        for (size_t i = 0; i < n; i++)
            if (text_cp1252_char((unsigned char)s[i]) == 0) {
                long line, col;
                place(s, i, 0, &line, &col);
                sie_err(r, line, col, "byte 0x%02X finns inte i Windows-1252",
                    (unsigned)(unsigned char)s[i]);
                return -1;
            }
    if (want == SIE_ENC_AUTO && high && e == SIE_ENC_UTF8 && !bom)
        diag_add(r->dl, DIAG_NOTE, r->display, 0, 0,
                 "filen %s men är kodad i UTF-8; den lästes som UTF-8",
                 pc8 ? "anger #FORMAT PC8" : "anger ingen teckenkodning");
    else if (want == SIE_ENC_AUTO && e == SIE_ENC_CP1252)
        diag_add(r->dl, DIAG_NOTE, r->display, at1252, 0,
                 "filen %s men å, ä och ö är skrivna som i Windows-1252; den "
                 "lästes som Windows-1252 (ange kodning i regelfilen om det "
                 "är fel)",
                 pc8 ? "anger #FORMAT PC8" : "anger ingen teckenkodning");
    r->dec = e;
    r->utf8 = e == SIE_ENC_UTF8;
    r->f->encoding = e;
    return 0;
}

/* The #VER block just closed: its rows must sum to zero. */
void sie_close_voucher(sie_reader *r)
{
    if (r->rtrans) {
        sie_err(r, r->line, 1,
            "#RTRANS på rad %ld ska följas av en identisk #TRANS (SIE 4B)",
            r->f->trans.v[r->rtrans - 1].line);
        r->rtrans = 0;
    }
    if (!r->f->vouchers.n)
        return;
    sie_voucher *v = &r->f->vouchers.v[r->f->vouchers.n - 1];
    if (v->line != r->block_line)
        return; /* the #VER itself was faulty */
    v->ntrans = r->f->trans.n - v->trans0;
    dec_t sum;
    dec_init(&sum);
    for (size_t i = v->trans0; i < r->f->trans.n; i++)
        if (r->f->trans.v[i].kind != SIE_BTRANS)
            dec_add(&sum, &sum, &r->f->trans.v[i].amount);
    if (!dec_is_zero(&sum)) {
        char *s = dec_to_string(&sum);
        sie_err(r, v->line, 0,
            "verifikationen %s%s%s är inte balanserad: raderna summerar till "
            "%s, inte 0",
            v->series, *v->series ? " " : "", v->number, s);
        free(s);
    }
    dec_clear(&sum);
}

/* One line: a record, or a voucher's { or }. */
static void line(sie_reader *r)
{
    if (sie_lex_line(r->ls, r->ln, r->utf8, r->line, r->display, &r->tk,
                     r->dl) != 0) {
        r->nerr++;
        /* A #VER that cannot be read still opens its block: its rows are
         * not "outside a #VER". */
        size_t k = 0;
        while (k < r->ln && (r->ls[k] == ' ' || r->ls[k] == '\t'))
            k++;
        if (r->ln - k >= 5 && !memcmp(r->ls + k, "#VER", 4) &&
            (r->ls[k + 4] == ' ' || r->ls[k + 4] == '\t')) {
            r->block = 1;
            r->block_line = r->line;
        }
        return;
    }
    if (!r->tk.n)
        return;
    const sie_tok *t0 = &r->tk.v[0];
    if (t0->kind != SIE_TK_WORD) {
        if (r->tk.n > 1)
            sie_err(r, r->line, r->tk.v[1].col, "%c ska stå ensam på sin rad",
                t0->kind == SIE_TK_OPEN ? '{' : '}');
        if (t0->kind == SIE_TK_OPEN) {
            if (r->block == 1) {
                r->block = 2;
                r->open_col = t0->col;
            } else {
                sie_err(r, r->line, t0->col,
                    r->block == 2 ? "obalanserade klammerparenteser: { inne "
                                    "i en verifikation (saknas } efter "
                                    "#VER på rad %ld?)"
                                  : "{ utan #VER före%.0ld",
                    r->block_line);
            }
        } else if (r->block == 2) {
            sie_close_voucher(r);
            r->block = 0;
        } else {
            sie_err(r, r->line, t0->col, "obalanserade klammerparenteser: } "
                                     "utan {");
        }
        return;
    }
    const char *l = SIE_TOKV(&r->tk, 0);
    if (l[0] != '#' || l[1] < 'A' || l[1] > 'Z') {
        sie_err(r, r->line, t0->col,
            "raden börjar inte med en etikett som #VER eller #TRANS");
        return;
    }
    if (!r->first_seen) {
        r->first_seen = 1;
        if (strcmp(l, "#FLAGGA") != 0)
            sie_err(r, r->line, 1, "filen ska börja med #FLAGGA, inte %s", l);
    }
    if (r->block == 1) {
        sie_err(r, r->line, 1, "#VER på rad %ld ska följas av { på en egen rad",
            r->block_line);
        r->block = 0;
    }
    sie_record(r);
}

/* What the whole file must say: every dimension and object a list names
 * is declared, every #UNDERDIM's parent, every balance's year. */
static void check_references(sie_reader *r)
{
    sie_file *f = r->f;
    for (size_t i = 0; i < f->dims.n; i++)
        if (f->dims.v[i].super && !sie_dim_find(f, f->dims.v[i].super))
            sie_err(r, f->dims.v[i].line, 0,
                "#UNDERDIM %d ligger under dimension %d, som inte är "
                "deklarerad",
                f->dims.v[i].number, f->dims.v[i].super);
    for (size_t i = 0; i < f->objrefs.n; i++) {
        const sie_objref *o = &f->objrefs.v[i];
        if (!sie_dim_find(f, o->dim)) {
            sie_err(r, o->line, o->col,
                "okänd dimension %d: den är inte deklarerad med #DIM", o->dim);
            continue;
        }
        if (sie_object_index(r, o->dim, o->code) < 0)
            sie_err(r, o->line, o->col,
                "okänt objekt \"%s\" i dimension %d: det är inte deklarerat "
                "med #OBJEKT",
                o->code, o->dim);
    }
    for (size_t i = 0; i < f->balances.n; i++) {
        const sie_balance *b = &f->balances.v[i];
        if (sie_year_of(f, b->year) < 0 && b->kind != SIE_PBUDGET &&
            b->kind != SIE_PSALDO)
            sie_err(r, b->line, 0,
                "årsnummer %d finns inte i någon #RAR", b->year);
    }
}

static void read_text(sie_reader *r, const char *s, size_t n)
{
    r->line = 0;
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        r->line++;
        r->ls = s + i;
        r->ln = end - i;
        if (r->ln && r->ls[r->ln - 1] == '\r')
            r->ln--;
        line(r);
        i = end + 1;
    }
    if (r->block) {
        sie_err(r, r->block_line, 0,
            "obalanserade klammerparenteser: #VER på rad %ld %s",
            r->block_line,
            r->block == 1 ? "följs inte av { … }" : "avslutas aldrig med }");
        if (r->block == 2)
            sie_close_voucher(r);
    }
    if (r->crc_state == 1)
        sie_err(r, r->crc_line, 0,
            "filen är avkortad: #KSUMMA på rad %ld avslutas aldrig med en "
            "#KSUMMA med kontrollsumman",
            r->crc_line);
    if (!r->first_seen)
        sie_err(r, 0, 0, "filen har inga poster; den börjar inte med #FLAGGA");
    check_references(r);
}

samla_err sie_read_mem(sie_file *f, const char *buf, size_t len,
                 const char *display, sie_encoding enc, diag_list *dl)
{
    memset(f, 0, sizeof *f);
    f->display = mem_strdup(display ? display : "");
    f->generated = DATE_NONE;
    f->program = f->format = f->company = f->orgnr = f->currency = "";
    sie_arena *arena = sie_arena_new();
    f->priv = arena;
    sie_reader r;
    memset(&r, 0, sizeof r);
    r.f = f;
    r.arena = arena;
    r.display = f->display;
    strmap_init(&r.accounts);
    strmap_init(&r.objects);
    r.dl = dl;
    int bom = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
    const char *s = buf + (bom ? 3 : 0);
    size_t n = len - (bom ? 3 : 0);
    if (choose_encoding(&r, s, n, bom, enc) == 0)
        read_text(&r, s, n);
    if (r.nerr > SIE_MAX_ERRORS)
        diag_error(dl, f->display, 0, 0,
                   "ytterligare %zu fel i filen visas inte",
                   r.nerr - SIE_MAX_ERRORS);
    sie_toks_free(&r.tk);
    strmap_free(&r.accounts);
    strmap_free(&r.objects);
    free(r.key);
    return r.nerr ? SAMLA_EDATA : SAMLA_OK;
}

samla_err sie_read_file(sie_file *f, const char *path, const char *display,
                  sie_encoding enc, diag_list *dl)
{
    char *buf;
    size_t len;
    if (store_read_file(path, &buf, &len, dl) != SAMLA_OK) {
        memset(f, 0, sizeof *f);
        return SAMLA_EIO;
    }
    int rc = sie_read_mem(f, buf, len, display ? display : path, enc, dl);
    free(buf);
    return rc;
}

void sie_free(sie_file *f)
{
    for (size_t i = 0; i < f->balances.n; i++)
        dec_clear(&f->balances.v[i].amount);
    for (size_t i = 0; i < f->trans.n; i++)
        dec_clear(&f->trans.v[i].amount);
    free(f->years.v);
    free(f->dims.v);
    free(f->objects.v);
    free(f->accounts.v);
    free(f->objrefs.v);
    free(f->balances.v);
    free(f->vouchers.v);
    free(f->trans.v);
    sie_arena_free(f->priv);
    free(f->display);
    memset(f, 0, sizeof *f);
}

int sie_year_of(const sie_file *f, int index)
{
    for (size_t i = 0; i < f->years.n; i++)
        if (f->years.v[i].index == index)
            return date_year(f->years.v[i].to);
    return -1;
}

const sie_dim *sie_dim_find(const sie_file *f, int number)
{
    for (size_t i = 0; i < f->dims.n; i++)
        if (f->dims.v[i].number == number)
            return &f->dims.v[i];
    return NULL;
}

int sie_sniff(const char *buf, size_t len)
{
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        buf += 3;
        len -= 3;
    }
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
                       buf[i] == '\n'))
        i++;
    if (len - i >= 7 && memcmp(buf + i, "#FLAGGA", 7) == 0)
        return 1;
    /* A #SIETYP among the first lines of a file that starts with a label. */
    if (i >= len || buf[i] != '#')
        return 0;
    size_t lim = len < 4096 ? len : 4096;
    for (size_t k = i; k + 7 <= lim; k++)
        if ((k == 0 || buf[k - 1] == '\n') && memcmp(buf + k, "#SIETYP", 7) == 0)
            return 1;
    return 0;
}

int sie_sniff_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    char head[4096];
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    return sie_sniff(head, n);
}
