/* import - mapping an extract's rows to entries, fingerprints and saving
 * (see import.h and docs/import.md; the rules file is import_rules.c, the
 * extract import_source.c).
 *
 * Why one file of some 700 lines: mapping a row (conditions, amount, date,
 * text template, codes) and building the plan from the mapped rows share
 * one row context and its error reporting; split, each half would need the
 * other's internals. */
#include "import.h"
#include "import_priv.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sha256.h"
#include "strmap.h"
#include "text.h"

/* ---- Fingerprints ------------------------------------------------------------ */

typedef struct {
    const char *name, *value;
} nv_pair;

static int nv_cmp(const void *a, const void *b)
{
    const nv_pair *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

STATIC void import_fingerprint(const char *const *names,
                               const char *const *values, size_t n,
                               unsigned occurrence, char *hex)
{
    /* Fields are taken by column name, sorted, so the same row exported
     * with its columns in another order gets the same fingerprint; the
     * file's name and the row's line are left out on purpose, so an
     * overlapping extract (another file, other lines) matches too. US and
     * RS separate names, values and fields; they do not occur in CSV
     * text. */
    nv_pair *v = mem_alloc_array(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i].name = names[i];
        v[i].value = values[i];
    }
    qsort(v, n, sizeof *v, nv_cmp);
    sha256_ctx ctx_;
    sha256_ctx *ctx = &ctx_;
    sha256_init(ctx);
    for (size_t i = 0; i < n; i++) {
        sha256_update(ctx, v[i].name, strlen(v[i].name));
        sha256_update(ctx, "\x1f", 1);
        sha256_update(ctx, v[i].value, strlen(v[i].value));
        sha256_update(ctx, "\x1e", 1);
    }
    char occ[32];
    int len = snprintf(occ, sizeof occ, "#%u", occurrence);
    sha256_update(ctx, occ, (size_t)len);
    unsigned char md[32];
    sha256_final(ctx, md);
    for (unsigned int i = 0; i < sizeof md; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    free(v);
}

/* ---- Mapping rows ---------------------------------------------------------------- */

/* Row errors listed one by one before the rest are only counted: a file
 * of 100 000 bad rows must not turn into 100 000 messages. */
#define IMPORT_MAX_ROW_ERRORS 100

typedef struct {
    book *b;
    import_rules *r;
    const import_source *s;
    const csvio_row *row;
    const char **vals; /* the row's fields in header order */
    size_t nvals;
    diag_list *dl;
    size_t *nerr;      /* row errors so far (shown or not) */
} row_ctx;

static const char *field(const row_ctx *x, int f)
{
    return f >= 0 && (size_t)f < x->nvals ? x->vals[f] : "";
}

static long fcol(const row_ctx *x, int f)
{
    if (f < 0)
        return 0;
    if (x->s->sie)
        return sie_view_col(x->s->sie, x->row, (size_t)f);
    return csvio_col(&x->s->t, x->row, (size_t)f);
}

static void row_error(const row_ctx *x, long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row_error(const row_ctx *x, long col, const char *fmt, ...)
{
    if ((*x->nerr)++ >= IMPORT_MAX_ROW_ERRORS)
        return; /* counted; reported as a sum by import_plan_build */
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(x->dl, DIAG_ERROR, x->s->t.display, x->row->line, col, fmt, ap);
    va_end(ap);
}

static int rule_matches(const import_rule *ru, const row_ctx *x)
{
    for (size_t c = 0; c < ru->nconds; c++) {
        const import_cond *k = &ru->conds[c];
        int m = fnmatch(k->pattern, field(x, k->field), FNM_CASEFOLD) == 0;
        if (m == k->negate)
            return 0;
    }
    return 1;
}

/* A template with {Kolumn} replaced by the row's values (malloc'd). */
static char *expand(const row_ctx *x, const char *tpl)
{
    const csvio_row *h = &x->s->t.rows[x->s->header];
    size_t cap = strlen(tpl) + 1, len = 0;
    char *out = mem_alloc(cap);
    for (const char *p = tpl; *p;) {
        const char *piece = p, *e;
        size_t plen = 1;
        if (*p == '{' && (e = strchr(p, '}')) != NULL) {
            char *name = mem_strndup(p + 1, (size_t)(e - p - 1));
            piece = field(x, import_find_col(h, name));
            plen = strlen(piece);
            free(name);
            p = e + 1;
        } else {
            p++;
        }
        mem_grow((void **)&out, &cap, len + plen + 1, 1);
        memcpy(out + len, piece, plen);
        len += plen;
    }
    out[len] = '\0';
    return out;
}

/* Parse an amount field under the decimal-sign setting: with ',' the dots
 * are thousands separators (1.234,50), with '.' the commas are (1,234.50).
 * Such a separator becomes a space, which dec_parse takes only between
 * groups of three digits: "1234.50" and "12.5" under ',' are refused, never
 * read as 123 450,00 or 125,00. On error adds a diagnostic with the column
 * in the original text. */
static int parse_amount(const row_ctx *x, int f, dec_t *out)
{
    const char *v = field(x, f);
    char drop = x->r->decimal == ',' ? '.' : x->r->decimal == '.' ? ',' : 0;
    size_t n = strlen(v);
    char *clean = mem_alloc(n + 1);
    size_t *orig = mem_alloc_array(n + 1, sizeof *orig);
    size_t k = 0;
    long bad_sep = -1; /* a separator without a digit on both sides */
    for (size_t i = 0; i < n; i++) {
        orig[k] = i;
        if (drop && v[i] == drop) {
            if (bad_sep < 0 &&
                (i == 0 || v[i - 1] < '0' || v[i - 1] > '9' || i + 1 >= n ||
                 v[i + 1] < '0' || v[i + 1] > '9'))
                bad_sep = (long)i;
            clean[k++] = ' ';
        } else {
            clean[k++] = v[i];
        }
    }
    orig[k] = n;
    clean[k] = '\0';
    dec_error err;
    int rc = 0;
    if (bad_sep >= 0) {
        row_error(x, fcol(x, f) + (long)text_chars(v, (size_t)bad_sep),
                  "ogiltigt belopp \"%s\": tusentalsgrupper ska ha tre siffror",
                  v);
        rc = -1;
    } else if (!*clean) {
        row_error(x, fcol(x, f), "beloppet saknas (kolumn \"%s\")",
                  x->s->t.rows[x->s->header].f[f].s);
        rc = -1;
    } else if (dec_parse(out, clean, k, &err) != 0) {
        /* err.col counts characters of clean; find its byte, then map
         * back to v and count characters there. */
        size_t byte = 0;
        for (long c = 1; byte < k && c < (long)err.col; byte++)
            if (((unsigned char)clean[byte + 1] & 0xC0) != 0x80)
                c++;
        /* The reason's column, like the message's, counts in v. */
        err.col = (size_t)(long)text_chars(v, orig[byte < k ? byte : k]) + 1;
        char why[96];
        row_error(x, fcol(x, f) + (long)err.col - 1,
                  "ogiltigt belopp \"%s\": %s", v,
                  dec_error_text(&err, why, sizeof why));
        rc = -1;
    }
    free(clean);
    free(orig);
    return rc;
}

static int digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* The number written by n digits at s (checked with digits()). */
static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static int parse_date(const row_ctx *x, date_t *out)
{
    if (x->r->fixed_date != DATE_NONE && !x->r->col[IC_DATE]) {
        *out = x->r->fixed_date;
        return 0;
    }
    int f = x->s->col[IC_DATE];
    const char *v = field(x, f);
    size_t len = strlen(v);
    const char *emsg = NULL;
    size_t ecol = 1;
    int y = 0, m = 0, d = 1;
    switch (x->r->datefmt) {
    case IMPORT_DATE_ISO:
        if (date_parse(out, v, len, &ecol, &emsg) == 0)
            return 0;
        break;
    case IMPORT_DATE_COMPACT:
        if (len == 8 && digits(v, 8)) {
            y = num(v, 4);
            m = num(v + 4, 2);
            d = num(v + 6, 2);
            if ((*out = date_make(y, m, d)) != DATE_NONE && y >= 1900)
                return 0;
            emsg = "ingen sådan dag";
        } else {
            emsg = "datumet ska skrivas ÅÅÅÅMMDD";
        }
        break;
    case IMPORT_DATE_MONTH:
    case IMPORT_DATE_MONTH_COMPACT: {
        int dash = x->r->datefmt == IMPORT_DATE_MONTH;
        if (len == (size_t)(6 + dash) && digits(v, 4) &&
            (!dash || v[4] == '-') && digits(v + 4 + dash, 2)) {
            y = num(v, 4);
            m = num(v + 4 + dash, 2);
            if (m >= 1 && m <= 12 && y >= 1900) {
                /* A month stands for its last day, when the books of the
                 * month are closed. */
                *out = m == 12 ? date_make(y, 12, 31)
                               : date_make(y, m + 1, 1) - 1;
                return 0;
            }
            emsg = "ingen sådan månad";
        } else {
            emsg = dash ? "månaden ska skrivas ÅÅÅÅ-MM" : "månaden ska "
                                                          "skrivas ÅÅÅÅMM";
        }
        break;
    }
    }
    row_error(x, fcol(x, f) + (long)ecol - 1, "ogiltigt datum \"%s\": %s", v,
              emsg ? emsg : "felaktigt datum");
    return -1;
}

/* The row as text for a message: its fields joined by the separator (a
 * SIE row: its record as written). */
static char *row_text(const row_ctx *x)
{
    if (x->s->sie)
        return mem_strdup(sie_view_source(x->s->sie, x->row));
    size_t cap = 64, len = 0;
    char *s = mem_alloc(cap);
    s[0] = '\0';
    for (size_t i = 0; i < x->row->n; i++) {
        const char *v = x->row->f[i].s;
        mem_grow((void **)&s, &cap, len + strlen(v) * 2 + 4, 1);
        if (i)
            s[len++] = x->s->t.sep;
        int q = strchr(v, x->s->t.sep) || strchr(v, '"');
        if (q)
            s[len++] = '"';
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                s[len++] = '"';
            s[len++] = *p;
        }
        if (q)
            s[len++] = '"';
        s[len] = '\0';
    }
    return s;
}

/* Resolve a rule's target for this row. Returns the index (-1 when the
 * target is empty) or -2 after an error. */
static int resolve(const row_ctx *x, const import_rule *ru, int k,
                   const char *what, int (*find)(const book *, const char *),
                   book_code_kind kind)
{
    if (!*ru->target[k])
        return -1;
    char *v = expand(x, ru->target[k]);
    int i = *v ? find(x->b, v) : -1;
    if (*v && i < 0) {
        char hint[160];
        row_error(x, 0, "regeln på rad %ld i %s ger %s \"%s\"%s",
                  ru->line, x->r->display, what, v,
                  book_code_hint(x->b, kind, v, hint, sizeof hint));
        i = -2;
    }
    free(v);
    return i;
}

/* Map one row by rule ru into pr->e. Returns 0, or -1 after errors. */
static int map_row(row_ctx *x, const import_rule *ru, import_row *pr,
                   const char *fp)
{
    book *b = x->b;
    book_entry *e = &pr->e;
    int ok = 1;
    const csvio_row *h = &x->s->t.rows[x->s->header];
    if (x->row->n != h->n) {
        row_error(x, 0, "raden har %zu fält men rubrikraden har %zu",
                  x->row->n, h->n);
        return -1;
    }
    if (x->s->col[IC_AMOUNT] >= 0) {
        ok &= parse_amount(x, x->s->col[IC_AMOUNT], &e->amount) == 0;
    } else {
        dec_t cr;
        dec_init(&cr);
        int f1 = x->s->col[IC_DEBIT], f2 = x->s->col[IC_CREDIT];
        /* An empty debit or credit cell is zero. */
        if (*field(x, f1))
            ok &= parse_amount(x, f1, &e->amount) == 0;
        if (*field(x, f2))
            ok &= parse_amount(x, f2, &cr) == 0;
        dec_sub(&e->amount, &e->amount, &cr);
        dec_clear(&cr);
    }
    ok &= parse_date(x, &e->date) == 0;
    int acc = resolve(x, ru, IR_ACCOUNT, "okänt konto", book_account_find,
                      BOOK_CODE_ACCOUNT);
    e->activity = resolve(x, ru, IR_ACTIVITY, "okänd verksamhet",
                          book_activity_find, BOOK_CODE_ACTIVITY);
    e->funder = resolve(x, ru, IR_FUNDER, "okänd finansiär", book_funder_find,
                        BOOK_CODE_FUNDER);
    e->earmark = resolve(x, ru, IR_EARMARK, "okänd öronmärkning",
                         book_earmark_find, BOOK_CODE_EARMARK);
    if (acc == -1) {
        row_error(x, 0, "regeln på rad %ld i %s ger inget konto", ru->line,
                  x->r->display);
        ok = 0;
    }
    if (acc < 0 || e->activity == -2 || e->funder == -2 || e->earmark == -2)
        return -1;
    e->account = acc;
    const book_account *a = &b->accounts.v[acc];
    if (a->kind == KIND_INCOME && e->funder < 0) {
        row_error(x, 0, "intäkt på konto %s kräver en finansiär; ange "
                        "Finansiär i regeln på rad %ld i %s",
                  a->number, ru->line, x->r->display);
        ok = 0;
    }
    if (a->kind == KIND_COST && e->activity < 0) {
        row_error(x, 0, "kostnad på konto %s kräver en verksamhet; ange "
                        "Verksamhet i regeln på rad %ld i %s",
                  a->number, ru->line, x->r->display);
        ok = 0;
    }
    if (a->kind == KIND_COST && e->funder >= 0 &&
        !book_funder_is_municipality(b, e->funder)) {
        row_error(x, 0, "kostnad på konto %s ska inte ha finansiär %s; på en "
                        "kostnad får bara en kommun stå (regeln på rad %ld i "
                        "%s)",
                  a->number, b->funders.v[e->funder].code, ru->line,
                  x->r->display);
        ok = 0;
    }
    if (!ok)
        return -1;
    int flip = ru->sign ? ru->sign < 0
                        : x->r->sign == IMPORT_FLIP_ALL ||
                              (x->r->sign == IMPORT_FLIP_INCOME &&
                               a->kind == KIND_INCOME);
    if (flip)
        dec_neg(&e->amount, &e->amount);
    e->year = date_year(e->date);
    char *text = *ru->target[IR_TEXT] ? expand(x, ru->target[IR_TEXT])
                                      : mem_strdup(field(x, x->s->col[IC_TEXT]));
    if (!*text) {
        free(text);
        char buf[300];
        snprintf(buf, sizeof buf, "Import %s:%ld", x->s->base, x->row->line);
        text = mem_strdup(buf);
    }
    e->text = book_strdup(b, text);
    free(text);
    const char *pre = x->r->doc_prefix ? x->r->doc_prefix : "";
    const char *ver = field(x, x->s->col[IC_VOUCHER]);
    char *doc = mem_alloc(strlen(pre) + strlen(ver) + 2);
    sprintf(doc, "%s%s%s", pre, *pre && *ver ? " " : "", ver);
    e->doc = book_strdup(b, doc);
    free(doc);
    char src[600];
    snprintf(src, sizeof src, "import %s:%ld", x->s->base, x->row->line);
    e->source = book_strdup(b, src);
    e->fingerprint = book_strdup(b, fp);
    e->registered = e->user = "";
    /* What the row gives must keep the journal's rules (schema.h), or the
     * plan would promise a row the writer refuses. */
    static const int cols[] = {SCHEMA_JE_TEXT, SCHEMA_JE_DOC,
                               SCHEMA_JE_SOURCE};
    const char *vals[] = {e->text, e->doc, e->source};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) {
        char msg[600];
        if (schema_check_value(&schema_journal, cols[k], vals[k], msg,
                               sizeof msg) != 0) {
            row_error(x, 0, "%s: %s", schema_journal.cols[cols[k]].name, msg);
            ok = 0;
        }
    }
    return ok ? 0 : -1;
}

/* Content keys seen in this file, with how often: for the occurrence
 * number of identical rows. Keys are malloc'd and owned here. */
typedef struct {
    strmap m;
    char **keys;
    size_t n, cap;
} key_counter;

static unsigned count_key(key_counter *k, const char *hex)
{
    int c = strmap_get(&k->m, hex);
    if (c >= 0) {
        strmap_put(&k->m, hex, c + 1);
        return (unsigned)c + 1;
    }
    mem_grow((void **)&k->keys, &k->cap, k->n + 1, sizeof *k->keys);
    k->keys[k->n] = mem_strdup(hex);
    strmap_put(&k->m, k->keys[k->n++], 1);
    return 1;
}

samla_err import_plan_build(book *b, import_rules *r, const import_source *s,
                      import_plan *p, diag_list *dl)
{
    memset(p, 0, sizeof *p);
    size_t before = diag_errors(dl);
    const csvio_table *t = &s->t;
    p->display = t->display;
    const csvio_row *h = &t->rows[s->header];
    /* Targets without {Kolumn} can be checked once, at the rule. */
    static const char *what[IR_N - 1] = {"okänt konto", "okänd verksamhet",
                                         "okänd finansiär",
                                         "okänd öronmärkning"};
    int (*finds[IR_N - 1])(const book *, const char *) = {
        book_account_find, book_activity_find, book_funder_find,
        book_earmark_find};
    static const book_code_kind kinds[IR_N - 1] = {
        BOOK_CODE_ACCOUNT, BOOK_CODE_ACTIVITY, BOOK_CODE_FUNDER,
        BOOK_CODE_EARMARK};
    for (size_t i = 0; i < r->nrules; i++) {
        const import_rule *ru = &r->rules[i];
        for (int k = 0; k < IR_N - 1; k++)
            if (*ru->target[k] && !strchr(ru->target[k], '{') &&
                finds[k](b, ru->target[k]) < 0) {
                char hint[160];
                diag_error(dl, r->display, ru->line, ru->target_col[k],
                           "%s \"%s\" (finns inte i boken)%s", what[k],
                           ru->target[k],
                           book_code_hint(b, kinds[k], ru->target[k], hint,
                                          sizeof hint));
            }
    }
    if (diag_errors(dl) > before)
        return SAMLA_EDATA;

    /* Fingerprints already in the journal. */
    strmap have;
    strmap_init(&have);
    for (size_t i = 0; i < b->entries.n; i++) {
        const char *fp = b->entries.v[i].fingerprint;
        if (fp && *fp)
            strmap_put(&have, fp, (int)i);
    }
    key_counter kc;
    memset(&kc, 0, sizeof kc);
    strmap_init(&kc.m);
    size_t nrows = t->nrows - s->header - 1;
    p->rows = mem_calloc(nrows ? nrows : 1, sizeof *p->rows);
    const char **vals = mem_alloc_array(h->n ? h->n : 1, sizeof *vals);
    const char **names = mem_alloc_array(h->n ? h->n : 1, sizeof *names);
    const char **cnames = mem_alloc_array(h->n ? h->n : 1, sizeof *cnames);
    const char **cvals = mem_alloc_array(h->n ? h->n : 1, sizeof *cvals);
    for (size_t f = 0; f < h->n; f++)
        names[f] = h->f[f].s;
    size_t unmapped = 0, nerr = 0;
    for (size_t i = s->header + 1; i < t->nrows; i++) {
        const csvio_row *row = &t->rows[i];
        int blank = 1;
        for (size_t f = 0; f < h->n; f++) {
            vals[f] = f < row->n ? row->f[f].s : "";
            blank &= !*vals[f];
        }
        /* A row of empty fields (";;;;" - what spreadsheets write for an
         * empty line) is a blank line: nothing to decide. */
        if (blank && row->n <= h->n)
            continue;
        row_ctx x = {b, r, s, row, vals, h->n, dl, &nerr};
        /* A SIE row leaves out its empty object columns, so a file that
         * declares one dimension more gives the same fingerprints. */
        size_t nfp = h->n;
        const char **fpn = names, **fpv = vals;
        if (s->sie) {
            nfp = 0;
            for (size_t f = 0; f < h->n; f++)
                if (*vals[f] || !sie_view_sparse_column(names[f])) {
                    cnames[nfp] = names[f];
                    cvals[nfp++] = vals[f];
                }
            fpn = cnames;
            fpv = cvals;
        }
        char key[65], fp[65];
        import_fingerprint(fpn, fpv, nfp, 0, key);
        import_fingerprint(fpn, fpv, nfp, count_key(&kc, key), fp);
        size_t ri = 0;
        while (ri < r->nrules && !rule_matches(&r->rules[ri], &x))
            ri++;
        if (ri == r->nrules) {
            char *txt = row_text(&x);
            row_error(&x, 0, "ingen regel passar raden: %s", txt);
            free(txt);
            unmapped++;
            continue;
        }
        import_rule *ru = &r->rules[ri];
        ru->used++;
        import_row *pr = &p->rows[p->n++];
        pr->line = row->line;
        pr->src = i;
        pr->rule = (int)ri;
        pr->done_entry = -1;
        dec_init(&pr->e.amount);
        if (ru->skip) {
            pr->status = IMPORT_ROW_SKIP;
            p->nskip++;
            continue;
        }
        if (map_row(&x, ru, pr, fp) != 0) {
            pr->status = IMPORT_ROW_SKIP; /* counted as an error */
            continue;
        }
        int done = strmap_get(&have, fp);
        if (done >= 0) {
            pr->status = IMPORT_ROW_DONE;
            pr->done_entry = done;
            p->ndone++;
            continue;
        }
        pr->status = IMPORT_ROW_NEW;
        p->nnew++;
        if (book_year_closed(b, pr->e.year) >= 0)
            row_error(&x, fcol(&x, s->col[IC_DATE]),
                      "år %d är stängt (bokslut); raden kan inte importeras",
                      pr->e.year);
        if (b->start != DATE_NONE && pr->e.date < b->start)
            row_error(&x, fcol(&x, s->col[IC_DATE]),
                      "datumet ligger före bokens startdatum");
    }
    if (nerr > IMPORT_MAX_ROW_ERRORS)
        diag_error(dl, t->display, 0, 0,
                   "ytterligare %zu fel i raderna visas inte (de första %d "
                   "visas ovan)",
                   nerr - IMPORT_MAX_ROW_ERRORS, IMPORT_MAX_ROW_ERRORS);
    if (unmapped)
        diag_error(dl, t->display, 0, 0,
                   "%zu %s saknar regel; inget importerades. Lägg till en "
                   "regel (Typ regel eller hoppa över) för %s i %s",
                   unmapped, unmapped == 1 ? "rad" : "rader",
                   unmapped == 1 ? "den" : "dem", r->display);
    free(vals);
    free(names);
    free(cnames);
    free(cvals);
    for (size_t i = 0; i < kc.n; i++)
        free(kc.keys[i]);
    free(kc.keys);
    strmap_free(&kc.m);
    strmap_free(&have);
    return diag_errors(dl) > before ? SAMLA_EDATA : SAMLA_OK;
}

samla_err import_plan_commit(book *b, import_plan *p, const char *user,
                       const char *registered, diag_list *dl)
{
    if (p->nnew == 0)
        return SAMLA_OK;
    book_entry *e = mem_alloc_array(p->nnew, sizeof *e);
    /* Next voucher number per year, for the years in the plan. */
    struct {
        int year, next;
    } years[64];
    size_t ny = 0, n = 0;
    const char *u = book_strdup(b, user ? user : "");
    const char *reg = book_strdup(b, registered ? registered : "");
    int rc = SAMLA_OK;
    for (size_t i = 0; i < p->n; i++) {
        import_row *r = &p->rows[i];
        if (r->status != IMPORT_ROW_NEW)
            continue;
        size_t y = 0;
        while (y < ny && years[y].year != r->e.year)
            y++;
        if (y == ny) {
            if (ny == sizeof years / sizeof *years) {
                diag_error(dl, NULL, 0, 0,
                           "utdraget spänner över fler än %zu år; dela upp "
                           "det",
                           ny);
                rc = SAMLA_EDATA;
                break;
            }
            years[ny].year = r->e.year;
            years[ny++].next = book_next_ver(b, r->e.year);
        }
        r->e.ver = years[y].next++;
        r->e.user = u;
        r->e.registered = reg;
        e[n++] = r->e; /* a shallow copy: book_append_entries copies the
                          amount itself */
    }
    book_origin *o = mem_calloc(n ? n : 1, sizeof *o);
    for (size_t i = 0, k = 0; i < p->n && k < n; i++)
        if (p->rows[i].status == IMPORT_ROW_NEW) {
            o[k].file = p->display;
            o[k++].line = p->rows[i].line;
        }
    if (rc == SAMLA_OK)
        rc = book_append_entries(b, e, n, o, dl);
    free(o);
    free(e);
    return rc;
}

void import_plan_free(import_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        dec_clear(&p->rows[i].e.amount);
    free(p->rows);
    memset(p, 0, sizeof *p);
}
