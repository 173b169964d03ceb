/* import_rules - the rules file of `samla import` (docs/import.md): its
 * settings (how to read the extract) and its rules (how to map a row).
 * The second of the import's three files: import_source.c reads the
 * extract, import.c maps its rows and saves them. See import.h. */
#include "import.h"
#include "import_priv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "text.h"
#include "uiutil.h"

/* s without surrounding spaces, as a new string. */
static char *trimmed(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return mem_strndup(s, n);
}

/* ---- The rules file ------------------------------------------------------- */

/* The rules file's columns are declared in schema.h (SCHEMA_RC_*). */

/* Every setting, the column settings first (in IC_ order). */
#define SETTING_NAMES                                                      \
    "kolumn datum", "kolumn belopp", "kolumn debet", "kolumn kredit",      \
        "kolumn text", "kolumn verifikation", "rubrikrad", "rubrik",       \
        "datumformat", "datum", "decimaltecken", "tecken", "kodning",      \
        "avgränsare", "underlag", "filformat", "budgetrad"
static const char *const setting_names[] = {SETTING_NAMES};
#define NSETTINGS (sizeof setting_names / sizeof *setting_names)

/* The index of a setting's name (for its line in seen_line[]). */
static int setting_index(const char *name)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (!strcmp(setting_names[i], name))
            return (int)i;
    abort();
}

/* Column settings by name, in IC_ order. */
const char *const import_col_settings[IC_N] = {
    "kolumn datum", "kolumn belopp", "kolumn debet", "kolumn kredit",
    "kolumn text", "kolumn verifikation"};

typedef struct {
    const csvio_table *t;
    const csvio_row *row;
    int idx[SCHEMA_RC_N];
    diag_list *dl;
} rules_row;

static const char *rv(const rules_row *x, int c)
{
    int f = x->idx[c];
    return f >= 0 && (size_t)f < x->row->n ? x->row->f[f].s : "";
}

static long rcol(const rules_row *x, int c)
{
    int f = x->idx[c];
    return csvio_col(x->t, x->row, f >= 0 ? (size_t)f : x->row->n);
}

static void rerr(const rules_row *x, int c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void rerr(const rules_row *x, int c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(x->dl, DIAG_ERROR, x->t->display, x->row->line,
              c >= 0 ? rcol(x, c) : 0, fmt, ap);
    va_end(ap);
}

/* Parse "Konto=4621 & Projekt=SAMLA-*" into conditions. */
static int parse_conds(import_rule *ru, const rules_row *x)
{
    const char *cell = rv(x, SCHEMA_RC_COND);
    long base = rcol(x, SCHEMA_RC_COND);
    if (!*cell)
        return 0;
    const char *p = cell;
    for (;;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        char *part = trimmed(p, len);
        long col = base + (long)text_chars(cell, (size_t)(p - cell)) +
                   (long)text_chars(p, strspn(p, " \t"));
        char *eq = strchr(part, '=');
        if (!*part) {
            diag_error(x->dl, x->t->display, x->row->line, col,
                       "tomt villkor; skriv ett villkor efter & eller ta "
                       "bort &");
            free(part);
            return -1;
        }
        if (!eq || eq == part || (eq == part + 1 && part[0] == '!')) {
            diag_error(x->dl, x->t->display, x->row->line, col,
                       "ogiltigt villkor \"%s\"; skriv Kolumn=värde eller "
                       "Kolumn!=värde, flera med & emellan",
                       part);
            free(part);
            return -1;
        }
        int neg = eq > part && eq[-1] == '!';
        ru->conds = mem_realloc_array(ru->conds, ru->nconds + 1,
                                      sizeof *ru->conds);
        import_cond *c = &ru->conds[ru->nconds++];
        c->col = trimmed(part, (size_t)(eq - part) - (size_t)neg);
        c->pattern = trimmed(eq + 1, strlen(eq + 1));
        c->negate = neg;
        c->colno = col;
        c->field = -1;
        free(part);
        if (!amp)
            break;
        p = amp + 1;
    }
    return 0;
}

static int parse_sign(const char *v, int *sign)
{
    if (!*v)
        *sign = 0;
    else if (ui_name_eq(v, "behåll"))
        *sign = 1;
    else if (ui_name_eq(v, "vänd"))
        *sign = -1;
    else
        return -1;
    return 0;
}

static void read_setting(import_rules *r, const rules_row *x,
                         long seen_line[32])
{
    static const char *const names[] = {SETTING_NAMES};
    const char *name = rv(x, SCHEMA_RC_SETTING), *v = rv(x, SCHEMA_RC_VALUE);
    int which = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
        if (ui_name_eq(name, names[i]))
            which = i;
    if (which < 0) {
        rerr(x, SCHEMA_RC_SETTING,
             "okänd inställning \"%s\"; se docs/import.md för de som finns",
             name);
        return;
    }
    if (seen_line[which]) {
        rerr(x, SCHEMA_RC_SETTING, "inställningen \"%s\" finns redan på rad %ld",
             names[which], seen_line[which]);
        return;
    }
    seen_line[which] = x->row->line;
    if (which < IC_N) {
        if (!*v)
            rerr(x, SCHEMA_RC_VALUE, "ange kolumnens namn i Värde");
        else {
            r->col[which] = mem_strdup(v);
            r->col_line[which] = x->row->line;
        }
        return;
    }
    const char *s = names[which];
    if (!strcmp(s, "rubrikrad")) {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (!*v || *end || errno || n < 1 || n > 1000000)
            rerr(x, SCHEMA_RC_VALUE, "rubrikrad ska vara ett radnummer, inte \"%s\"",
                 v);
        else
            r->header_line = n;
    } else if (!strcmp(s, "rubrik")) {
        const char *p = v;
        while (*p) {
            size_t len = strcspn(p, ",");
            char *nm = trimmed(p, len);
            if (*nm) {
                r->header_names =
                    mem_realloc_array(r->header_names, r->nheader_names + 1,
                                      sizeof *r->header_names);
                r->header_names[r->nheader_names++] = nm;
            } else {
                free(nm);
            }
            p += len;
            if (*p)
                p++;
        }
        if (!r->nheader_names)
            rerr(x, SCHEMA_RC_VALUE, "ange kolumnnamn som rubrikraden innehåller, "
                              "med komma emellan");
    } else if (!strcmp(s, "datumformat")) {
        if (ui_name_eq(v, "ÅÅÅÅ-MM-DD") || ui_name_eq(v, "YYYY-MM-DD"))
            r->datefmt = IMPORT_DATE_ISO;
        else if (ui_name_eq(v, "ÅÅÅÅMMDD") || ui_name_eq(v, "YYYYMMDD"))
            r->datefmt = IMPORT_DATE_COMPACT;
        else if (ui_name_eq(v, "ÅÅÅÅ-MM") || ui_name_eq(v, "YYYY-MM"))
            r->datefmt = IMPORT_DATE_MONTH;
        else if (ui_name_eq(v, "ÅÅÅÅMM") || ui_name_eq(v, "YYYYMM"))
            r->datefmt = IMPORT_DATE_MONTH_COMPACT;
        else
            rerr(x, SCHEMA_RC_VALUE,
                 "okänt datumformat \"%s\"; ska vara ÅÅÅÅ-MM-DD, ÅÅÅÅMMDD, "
                 "ÅÅÅÅ-MM eller ÅÅÅÅMM",
                 v);
    } else if (!strcmp(s, "datum")) {
        size_t ecol;
        const char *emsg;
        if (date_parse(&r->fixed_date, v, strlen(v), &ecol, &emsg) != 0)
            diag_error(x->dl, x->t->display, x->row->line,
                       rcol(x, SCHEMA_RC_VALUE) + (long)ecol - 1,
                       "ogiltigt datum \"%s\": %s", v, emsg);
    } else if (!strcmp(s, "decimaltecken")) {
        if (!strcmp(v, ",") || ui_name_eq(v, "komma"))
            r->decimal = ',';
        else if (!strcmp(v, ".") || ui_name_eq(v, "punkt"))
            r->decimal = '.';
        else if (ui_name_eq(v, "auto"))
            r->decimal = 0;
        else
            rerr(x, SCHEMA_RC_VALUE,
                 "decimaltecken ska vara , (komma), . (punkt) eller auto");
    } else if (!strcmp(s, "tecken")) {
        if (ui_name_eq(v, "behåll"))
            r->sign = IMPORT_KEEP;
        else if (ui_name_eq(v, "vänd intäkter"))
            r->sign = IMPORT_FLIP_INCOME;
        else if (ui_name_eq(v, "vänd alla"))
            r->sign = IMPORT_FLIP_ALL;
        else
            rerr(x, SCHEMA_RC_VALUE, "tecken ska vara behåll, vänd intäkter eller "
                              "vänd alla, inte \"%s\"",
                 v);
    } else if (!strcmp(s, "kodning")) {
        if (ui_name_eq(v, "auto"))
            r->encoding = IMPORT_ENC_AUTO;
        else if (ui_name_eq(v, "utf-8") || ui_name_eq(v, "utf8"))
            r->encoding = IMPORT_ENC_UTF8;
        else if (ui_name_eq(v, "windows-1252") || ui_name_eq(v, "cp1252") ||
                 ui_name_eq(v, "ansi"))
            r->encoding = IMPORT_ENC_CP1252;
        else if (ui_name_eq(v, "pc8") || ui_name_eq(v, "cp437") ||
                 ui_name_eq(v, "ibm437"))
            r->encoding = IMPORT_ENC_CP437;
        else
            rerr(x, SCHEMA_RC_VALUE, "kodning ska vara auto, utf-8, windows-1252 "
                              "eller pc8, inte \"%s\"",
                 v);
    } else if (!strcmp(s, "avgränsare")) {
        if (!strcmp(v, ";") || ui_name_eq(v, "semikolon"))
            r->sep = ';';
        else if (!strcmp(v, ",") || ui_name_eq(v, "komma"))
            r->sep = ',';
        else if (ui_name_eq(v, "tab") || !strcmp(v, "\t"))
            r->sep = '\t';
        else if (ui_name_eq(v, "auto"))
            r->sep = 0;
        else
            rerr(x, SCHEMA_RC_VALUE, "avgränsare ska vara ; , tab eller auto");
    } else if (!strcmp(s, "underlag")) {
        free(r->doc_prefix);
        r->doc_prefix = mem_strdup(v);
    } else if (!strcmp(s, "filformat")) {
        if (ui_name_eq(v, "csv"))
            r->format = IMPORT_FMT_CSV;
        else if (ui_name_eq(v, "sie"))
            r->format = IMPORT_FMT_SIE;
        else
            rerr(x, SCHEMA_RC_VALUE, "filformat ska vara csv eller sie, inte \"%s\"",
                 v);
    } else if (!strcmp(s, "budgetrad")) {
        if (ui_name_eq(v, "kod"))
            r->budget_by_account = 0;
        else if (ui_name_eq(v, "kod och konto"))
            r->budget_by_account = 1;
        else
            rerr(x, SCHEMA_RC_VALUE, "budgetrad ska vara kod eller kod och konto, "
                              "inte \"%s\"",
                 v);
    }
}

static void read_rule(import_rules *r, const rules_row *x, int skip)
{
    r->rules = mem_realloc_array(r->rules, r->nrules + 1, sizeof *r->rules);
    import_rule *ru = &r->rules[r->nrules++];
    memset(ru, 0, sizeof *ru);
    ru->skip = skip;
    ru->line = x->row->line;
    static const int tcols[IR_N] = {SCHEMA_RC_ACCOUNT, SCHEMA_RC_ACTIVITY, SCHEMA_RC_FUNDER,
                                    SCHEMA_RC_EARMARK, SCHEMA_RC_TEXT};
    for (int k = 0; k < IR_N; k++) {
        ru->target[k] = mem_strdup(rv(x, tcols[k]));
        ru->target_col[k] = rcol(x, tcols[k]);
    }
    parse_conds(ru, x); /* none: the rule takes every row */
    if (parse_sign(rv(x, SCHEMA_RC_SIGN), &ru->sign) != 0)
        rerr(x, SCHEMA_RC_SIGN, "Tecken ska vara behåll, vänd eller tomt, inte \"%s\"",
             rv(x, SCHEMA_RC_SIGN));
    if (skip) {
        for (int k = 0; k < IR_N; k++)
            if (*ru->target[k]) {
                rerr(x, tcols[k], "en hoppa över-regel bokför inget; lämna "
                                  "%s tom",
                     schema_import_rules.cols[tcols[k]].name);
                break;
            }
    } else if (!*ru->target[IR_ACCOUNT]) {
        rerr(x, SCHEMA_RC_ACCOUNT, "regeln saknar Konto");
    }
}

/* After the rows: what a SIE extract implies, or what a CSV one needs. */
static void finish_settings(import_rules *r, const long *seen,
                            import_format fmt, const char *disp,
                            diag_list *dl)
{
    if (fmt != IMPORT_FMT_AUTO) {
        if (r->format != IMPORT_FMT_AUTO && r->format != fmt)
            diag_error(dl, disp, seen[setting_index("filformat")], 0,
                       "regelfilen är för %s men filen är en %s",
                       r->format == IMPORT_FMT_SIE ? "SIE-filer" : "CSV-filer",
                       fmt == IMPORT_FMT_SIE ? "SIE-fil" : "CSV-fil");
        r->format = fmt;
    }
    if (r->format != IMPORT_FMT_SIE) {
        if (!r->col[IC_AMOUNT] && !(r->col[IC_DEBIT] && r->col[IC_CREDIT]))
            diag_error(dl, disp, 0, 0,
                       "inställningen \"kolumn belopp\" (eller \"kolumn "
                       "debet\" och \"kolumn kredit\") saknas");
        if (r->col[IC_AMOUNT] && (r->col[IC_DEBIT] || r->col[IC_CREDIT]))
            diag_error(dl, disp, r->col_line[IC_AMOUNT], 0,
                       "ange antingen kolumn belopp eller kolumn debet och "
                       "kolumn kredit, inte båda");
        if (!r->col[IC_DATE] && r->fixed_date == DATE_NONE)
            diag_error(dl, disp, 0, 0,
                       "inställningen \"kolumn datum\" (eller ett fast "
                       "\"datum\") saknas");
        if (r->encoding == IMPORT_ENC_CP437)
            diag_error(dl, disp, seen[setting_index("kodning")], 0,
                       "kodning pc8 gäller SIE-filer; en CSV-fil är utf-8 "
                       "eller windows-1252");
        return;
    }
    /* SIE: the file's shape is the standard's, its columns are virtual. */
    static const char *const csv_only[] = {
        "kolumn debet", "kolumn kredit", "rubrikrad", "rubrik", "datumformat",
        "decimaltecken", "avgränsare"};
    for (size_t i = 0; i < sizeof csv_only / sizeof *csv_only; i++) {
        long line = seen[setting_index(csv_only[i])];
        if (line)
            diag_error(dl, disp, line, 0,
                       "inställningen \"%s\" gäller inte SIE-filer, vars "
                       "form standarden bestämmer (se docs/sie.md)",
                       csv_only[i]);
    }
    static const char *const defaults[IC_N] = {
        "Datum", "Belopp", NULL, NULL, "Text", "Verifikation"};
    for (int c = 0; c < IC_N; c++)
        if (!r->col[c] && defaults[c] &&
            (c != IC_DATE || r->fixed_date == DATE_NONE))
            r->col[c] = mem_strdup(defaults[c]);
    /* SIE writes debit positive: income is negative there, and the book
     * keeps it positive. */
    if (!seen[setting_index("tecken")])
        r->sign = IMPORT_FLIP_INCOME;
}

samla_err import_rules_read(import_rules *r, const char *path, diag_list *dl)
{
    return import_rules_read_as(r, path, IMPORT_FMT_AUTO, dl);
}

samla_err import_rules_read_as(import_rules *r, const char *path, import_format fmt,
                         diag_list *dl)
{
    memset(r, 0, sizeof *r);
    r->fixed_date = DATE_NONE;
    r->display = mem_strdup(path);
    size_t before = diag_errors(dl);
    csvio_table t;
    if (csvio_read_file(&t, path, path, NULL, dl) != SAMLA_OK) {
        csvio_free(&t);
        return SAMLA_EDATA;
    }
    rules_row x = {&t, NULL, {0}, dl};
    for (int c = 0; c < SCHEMA_RC_N; c++)
        x.idx[c] = -1;
    if (t.nrows == 0) {
        diag_error(dl, t.display, 0, 0, "filen är tom; rubrikraden saknas");
        csvio_free(&t);
        return SAMLA_EDATA;
    }
    const csvio_row *h = &t.rows[0];
    schema_map(&schema_import_rules, &t, h, x.idx, dl);
    if (diag_errors(dl) > before) {
        csvio_free(&t);
        return SAMLA_EDATA;
    }
    long seen[32] = {0};
    for (size_t i = 1; i < t.nrows; i++) {
        x.row = &t.rows[i];
        /* As strict as a book file: a row with more fields than the
         * header usually holds an unquoted ';' in a text, which would put
         * a value in the wrong column; one with fewer was cut short. */
        if (x.row->n != h->n) {
            long line, col;
            csvio_pos(&t, x.row, x.row->n > h->n ? h->n : x.row->n, &line,
                      &col);
            diag_error(dl, t.display, line ? line : x.row->line, col,
                       "raden har %zu fält men rubrikraden har %zu; citera "
                       "texter som innehåller ;",
                       x.row->n, h->n);
            continue;
        }
        const char *type = rv(&x, SCHEMA_RC_TYPE);
        if (ui_name_eq(type, "inställning"))
            read_setting(r, &x, seen);
        else if (ui_name_eq(type, "regel"))
            read_rule(r, &x, 0);
        else if (ui_name_eq(type, "hoppa över"))
            read_rule(r, &x, 1);
        else if (*type)
            rerr(&x, SCHEMA_RC_TYPE,
                 "okänd typ \"%s\"; ska vara inställning, regel eller hoppa "
                 "över",
                 type);
        /* A row without Typ is a comment row. */
    }
    finish_settings(r, seen, fmt, t.display, dl);
    if (r->nrules == 0)
        diag_error(dl, t.display, 0, 0, "regelfilen har inga regler");
    csvio_free(&t);
    return diag_errors(dl) > before ? SAMLA_EDATA : SAMLA_OK;
}

void import_rules_free(import_rules *r)
{
    for (size_t i = 0; i < r->nrules; i++) {
        import_rule *ru = &r->rules[i];
        for (size_t c = 0; c < ru->nconds; c++) {
            free(ru->conds[c].col);
            free(ru->conds[c].pattern);
        }
        free(ru->conds);
        for (int k = 0; k < IR_N; k++)
            free(ru->target[k]);
    }
    free(r->rules);
    for (size_t i = 0; i < r->nheader_names; i++)
        free(r->header_names[i]);
    free(r->header_names);
    for (int c = 0; c < IC_N; c++)
        free(r->col[c]);
    free(r->doc_prefix);
    free(r->display);
    memset(r, 0, sizeof *r);
}
