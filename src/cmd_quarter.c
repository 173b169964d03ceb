/*
 * cmd_quarter - `samla quarter 2026Q1`: enter a quarter's amounts per
 * budget line, see them against the budget, confirm once, save them all as
 * one batch.
 *
 * The amounts come from a dialog on stdin (a terminal, or answers piped in)
 * or from a CSV file (--from). The book is read without the lock while the
 * user answers, because a dialog may take minutes and must not block the
 * web page or another writer; the save then takes the lock, loads the book
 * again and saves through quarter_save (quarter.h), which re-validates
 * everything against the book as it is now and numbers the vouchers then.
 *
 * Why one file of some 900 lines: the dialog (rows per budget line, the
 * review, reopening a line) is one conversation with the user; the rules
 * it shares with --from and the web form live in quarter.c.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "mem.h"
#include "text.h"
#include "csvio.h"
#include "quarter.h"
#include "schema.h"
#include "uiutil.h"

static const char quarter_help[] =
    "Användning: samla quarter ÅÅÅÅQn [--from FIL.csv] [--dry-run] [--yes]\n"
    "                     [--date DATUM] [--account KONTO]\n"
    "                     [--income-account KONTO] [--allow-overlap]\n"
    "Registrerar ett kvartals kostnader (och intäkter) per budgetrad i ett\n"
    "svep: visar varje rad med kvartalets budget och vad som redan är\n"
    "bokfört och frågar efter en eller flera rader (belopp, konto, text,\n"
    "underlag, öronmärkning; tomt belopp = inga fler). Förslagen kommer\n"
    "från radens egen historik. En budgetrad som finansieras av en\n"
    "öronmärkning (budget.csv Öronmärkning) drar på den om inget annat\n"
    "anges (\"-\" = ingen). Dialogen slutar i en granskning där varje\n"
    "budgetrad kan öppnas igen med sitt nummer; sedan en sammanställning\n"
    "mot budgeten och en bekräftelse, och allt sparas som en sats.\n"
    "Alla poster får Källa \"quarter ÅÅÅÅQn\".\n"
    "  --from FIL   läs beloppen från en CSV-fil med kolumnerna Verksamhet,\n"
    "               Finansiär (intäkter), Konto, Belopp, Text, Underlag,\n"
    "               Öronmärkning\n"
    "  --dry-run    visa vad som skulle sparas, spara inget\n"
    "  --yes        fråga inte (för skript); ett redan registrerat kvartal\n"
    "               kompletteras då utan fråga\n"
    "  --date       posternas datum (standard: kvartalets sista dag)\n"
    "  --account    konto för kostnadsrader utan eget konto\n"
    "  --income-account  konto för intäktsrader utan eget konto\n"
    "  --allow-overlap  spara även när samma kvartal, konto och verksamhet\n"
    "               (finansiär) redan har poster från samla import; de\n"
    "               visas alltid först, och utan flaggan sparas inget\n"
    "Utan dessa får en rad utan konto det konto där koden har störst\n"
    "bokförd summa; i dialogen föreslås det och kan ändras.\n"
    "  -f MAPP      boken; --user NAMN  vem som bokför\n";

/* The inputs collected so far, and strings they borrow that we own. */
typedef struct {
    quarter_input *v;
    size_t n, cap;
    char **owned;
    size_t nowned, capowned;
} input_list;

static quarter_input *input_push(input_list *l)
{
    mem_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    quarter_input *in = &l->v[l->n++];
    quarter_input_init(in);
    return in;
}

static const char *input_own(input_list *l, char *s)
{
    mem_grow((void **)&l->owned, &l->capowned, l->nowned + 1,
             sizeof *l->owned);
    l->owned[l->nowned++] = s;
    return s;
}

static void input_list_free(input_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        quarter_input_clear(&l->v[i]);
    for (size_t i = 0; i < l->nowned; i++)
        free(l->owned[i]);
    free(l->v);
    free(l->owned);
}

static char *amount_text(const dec_t *a)
{
    return dec_format(a, DEC_KR, 2, 0);
}

static void line_label(const book *b, const quarter_line *l, char *buf,
                       size_t size)
{
    if (l->account >= 0)
        snprintf(buf, size, "%s/%s", l->code, b->accounts.v[l->account].number);
    else
        snprintf(buf, size, "%s", l->code);
}

/* ---- The dialog ---------------------------------------------------------- */

enum { ASK_OK = 0, ASK_ABORT = 1, ASK_EMPTY = 2 };

/* One answer of the dialog, read the one way every question reads it:
 * ASK_ABORT for "avbryt" or the end of input, ASK_EMPTY for a bare Enter,
 * else ASK_OK with the answer in *out (malloc'd, the caller frees it). */
static int ask_answer(cli_ctx *ctx, const char *prompt, char **out)
{
    char *a = ui_ask(ctx->out, prompt);
    if (!a || strcmp(a, "avbryt") == 0) {
        free(a);
        return ASK_ABORT;
    }
    if (*a == '\0') {
        free(a);
        return ASK_EMPTY;
    }
    *out = a;
    return ASK_OK;
}

/* Ask for one row's amount until it is valid or empty. Returns ASK_OK
 * with *has set when an amount (non-zero) was given. */
static int ask_amount(cli_ctx *ctx, const char *prompt, dec_t *amount,
                      int *has)
{
    *has = 0;
    for (;;) {
        char *a;
        int k = ask_answer(ctx, prompt, &a);
        if (k != ASK_OK)
            return k == ASK_EMPTY ? ASK_OK : ASK_ABORT;
        dec_error err;
        int bad = dec_parse(amount, a, strlen(a), &err);
        free(a);
        if (!bad) {
            *has = !dec_is_zero(amount);
            if (*has)
                return ASK_OK;
            fprintf(ctx->out, "      0 är inget belopp; lämna tomt för "
                              "att gå vidare.\n");
            continue;
        }
        char why[96];
        fprintf(ctx->out,
                "      Fel: %s. Försök igen (tomt = inget, \"avbryt\" "
                "avbryter).\n",
                dec_error_text(&err, why, sizeof why));
    }
}

/* Ask which account an amount goes on, suggesting `def` (-1 = none).
 * Returns the account's number (owned by the list) or NULL at the end of
 * input. */
static const char *ask_account(cli_ctx *ctx, const book *b, book_kind kind,
                               int def, input_list *l)
{
    char prompt[256];
    if (def >= 0)
        snprintf(prompt, sizeof prompt, "      Konto [%s %s]: ",
                 b->accounts.v[def].number, b->accounts.v[def].name);
    else
        snprintf(prompt, sizeof prompt, "      Konto: ");
    for (;;) {
        char *a;
        int k = ask_answer(ctx, prompt, &a);
        if (k == ASK_ABORT)
            return NULL;
        if (k == ASK_EMPTY) {
            if (def >= 0)
                return b->accounts.v[def].number;
            fprintf(ctx->out, "      Ange ett konto.\n");
            continue;
        }
        int acc = book_account_find(b, a);
        if (acc < 0) {
            char hint[160];
            fprintf(ctx->out, "      Okänt konto \"%s\"%s. Försök igen.\n", a,
                    book_code_hint(b, BOOK_CODE_ACCOUNT, a, hint,
                                   sizeof hint));
        } else if (b->accounts.v[acc].kind != kind) {
            fprintf(ctx->out,
                    "      Konto %s är ett %skonto; ange ett %skonto.\n", a,
                    kind == KIND_COST ? "intäkts" : "kostnads",
                    kind == KIND_COST ? "kostnads" : "intäkts");
        } else {
            return input_own(l, a);
        }
        free(a);
    }
}

/* Ask for a free text with a suggestion `def` (Enter takes it). The
 * journal's rules for the column are applied at once. Sets *out (owned by
 * the list, or def) and returns ASK_OK, or ASK_ABORT. */
static int ask_text(cli_ctx *ctx, const char *label, int col, const char *def,
                    input_list *l, const char **out)
{
    char prompt[700];
    if (def && *def)
        snprintf(prompt, sizeof prompt, "      %s [%s]: ", label, def);
    else
        snprintf(prompt, sizeof prompt, "      %s: ", label);
    for (;;) {
        char *a;
        int k = ask_answer(ctx, prompt, &a);
        if (k == ASK_ABORT)
            return ASK_ABORT;
        if (k == ASK_EMPTY) {
            *out = def;
            return ASK_OK;
        }
        char msg[600];
        if (schema_check_value(&schema_journal, col, a, msg, sizeof msg) ==
            0) {
            *out = input_own(l, a);
            return ASK_OK;
        }
        fprintf(ctx->out, "      Fel: %s. Försök igen.\n", msg);
        free(a);
    }
}

/* Ask for the earmark a row draws on; Enter takes the line's (`def`, ""
 * = none), "-" or "ingen" is none. Sets *out to NULL (the line's),
 * QUARTER_NO_EARMARK or a code owned by the list. */
static int ask_earmark(cli_ctx *ctx, const book *b, const char *def,
                       input_list *l, const char **out)
{
    char prompt[160];
    if (def && *def)
        snprintf(prompt, sizeof prompt,
                 "      Öronmärkning [%s] (- = ingen): ", def);
    else
        snprintf(prompt, sizeof prompt, "      Öronmärkning [ingen]: ");
    for (;;) {
        char *a;
        int k = ask_answer(ctx, prompt, &a);
        if (k == ASK_ABORT)
            return ASK_ABORT;
        if (k == ASK_EMPTY) {
            *out = NULL;
            return ASK_OK;
        }
        if (strcmp(a, "-") == 0 || strcmp(a, "ingen") == 0) {
            free(a);
            *out = QUARTER_NO_EARMARK;
            return ASK_OK;
        }
        if (book_earmark_find(b, a) >= 0) {
            *out = input_own(l, a);
            return ASK_OK;
        }
        char hint[160];
        fprintf(ctx->out, "      Okänd öronmärkning \"%s\"%s. Försök igen.\n",
                a, book_code_hint(b, BOOK_CODE_EARMARK, a, hint, sizeof hint));
        free(a);
    }
}

/* One budget line's rows in the dialog. */
typedef struct {
    quarter_input *v;
    size_t n, cap;
} dline;

static void dline_clear(dline *d)
{
    for (size_t i = 0; i < d->n; i++)
        quarter_input_clear(&d->v[i]);
    d->n = 0;
}

/* Ask for the rows of line l (index i of n): amount, account, text,
 * Underlag and earmark per row, until an empty amount. */
static int ask_line(cli_ctx *ctx, const book *b, const quarter_opts *o,
                    const quarter_line *l, size_t i, size_t n, dline *d,
                    input_list *own)
{
    int q = date_quarter(o->period.from);
    char label[128];
    line_label(b, l, label, sizeof label);
    char *bq = amount_text(&l->budget), *bk = amount_text(&l->booked);
    fprintf(ctx->out,
            "[%zu/%zu] %s  %s\n      Budget Q%d: %s kr   Bokfört i "
            "kvartalet: %s kr\n",
            i + 1, n, label, l->name, q, bq, bk);
    free(bq);
    free(bk);
    quarter_suggestion *sg;
    size_t ns = quarter_suggest(b, o, l, &sg);
    const char *opt = l->kind == KIND_COST ? o->cost_account
                                           : o->income_account;
    int rc = ASK_OK;
    dline_clear(d);
    for (size_t k = 0; rc == ASK_OK; k++) {
        char prompt[64];
        snprintf(prompt, sizeof prompt, "      Rad %zu, belopp: ", k + 1);
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 4;
            d->v = mem_realloc_array(d->v, d->cap, sizeof *d->v);
        }
        quarter_input *x = &d->v[d->n];
        quarter_input_init(x);
        x->kind = l->kind;
        x->code = l->code;
        int has;
        if (ask_amount(ctx, prompt, &x->amount, &has) != ASK_OK) {
            quarter_input_clear(x);
            rc = ASK_ABORT;
            break;
        }
        if (!has) {
            quarter_input_clear(x);
            break;
        }
        d->n++;
        /* The k-th suggestion of the line's history, else its first. */
        const quarter_suggestion *s = ns ? &sg[k < ns ? k : 0] : NULL;
        int acc = -1;
        if (l->account >= 0) {
            x->account = b->accounts.v[l->account].number;
            acc = l->account;
        } else if (!(opt && *opt)) {
            x->account = ask_account(ctx, b, l->kind,
                                     s ? s->account : l->usual_account, own);
            if (!x->account) {
                rc = ASK_ABORT;
                break;
            }
            acc = book_account_find(b, x->account);
        }
        /* The text the history gave this account, else the default. */
        const char *deftext = NULL;
        for (size_t m = 0; m < ns; m++)
            if (sg[m].account == acc && sg[m].text) {
                deftext = sg[m].text;
                break;
            }
        char *gen = NULL;
        if (!deftext)
            deftext = gen = mem_printf("%s %s", l->name, o->period.label);
        const char *t;
        rc = ask_text(ctx, "Text", SCHEMA_JE_TEXT, deftext, own, &t);
        if (rc == ASK_OK)
            x->text = t == deftext ? input_own(own, mem_strdup(t)) : t;
        free(gen);
        if (rc == ASK_OK)
            rc = ask_text(ctx, "Underlag", SCHEMA_JE_DOC, NULL, own, &x->doc);
        if (rc == ASK_OK) {
            int a = acc >= 0 ? acc : l->usual_account;
            const char *def = a >= 0 ? quarter_line_earmark(
                                           b, date_year(o->period.from),
                                           l->kind, l->code, a)
                                     : l->earmark;
            rc = ask_earmark(ctx, b, def, own, &x->earmark);
        }
    }
    quarter_suggestions_free(sg, ns);
    return rc;
}

/* The review: every line with its rows, numbered. */
static void print_review(cli_ctx *ctx, const book *b, const quarter_opts *o,
                         const quarter_line *lines, const dline *d, size_t n)
{
    FILE *out = ctx->out;
    fprintf(out, "\nGranskning av %s (inget är sparat ännu):\n",
            o->period.label);
    for (size_t i = 0; i < n; i++) {
        const quarter_line *l = &lines[i];
        char label[128];
        line_label(b, l, label, sizeof label);
        dec_t sum;
        dec_init(&sum);
        for (size_t k = 0; k < d[i].n; k++)
            dec_add(&sum, &sum, &d[i].v[k].amount);
        char *s = amount_text(&sum);
        if (d[i].n)
            fprintf(out, "%3zu  %s  %s: %zu %s, %s kr\n", i + 1, label,
                    l->name, d[i].n, d[i].n == 1 ? "rad" : "rader", s);
        else
            fprintf(out, "%3zu  %s  %s: inget\n", i + 1, label, l->name);
        free(s);
        dec_clear(&sum);
        for (size_t k = 0; k < d[i].n; k++) {
            const quarter_input *x = &d[i].v[k];
            char *a = amount_text(&x->amount);
            const char *em = x->earmark ? x->earmark : "";
            if (!x->earmark) {
                int acc = x->account ? book_account_find(b, x->account) : -1;
                em = acc >= 0 ? quarter_line_earmark(
                                    b, date_year(o->period.from), l->kind,
                                    l->code, acc)
                              : l->earmark;
            } else if (strcmp(em, QUARTER_NO_EARMARK) == 0) {
                em = "";
            }
            fprintf(out, "       ");
            ui_pad(out, x->account ? x->account : "(standard)", 11, 0);
            ui_pad(out, a, 15, 1);
            fprintf(out, "  %s", x->text ? x->text : "");
            if (x->doc && *x->doc)
                fprintf(out, "  [Underlag: %s]", x->doc);
            if (*em)
                fprintf(out, "  [%s]", em);
            fputc('\n', out);
            free(a);
        }
    }
}

static int dialog(cli_ctx *ctx, const book *b, const quarter_opts *o,
                  input_list *in)
{
    quarter_line *lines;
    size_t n = quarter_lines(b, o, NULL, 0, &lines);
    int rc = ASK_OK;
    if (n == 0) {
        fprintf(ctx->err,
                "samla quarter: budgeten för %d har inga rader; lägg in "
                "budgeten med 'samla budget set' eller använd --from FIL\n",
                date_year(o->period.from));
        quarter_lines_free(lines, n);
        return ASK_ABORT;
    }
    fprintf(ctx->out,
            "Kvartal %s. Ange kvartalets belopp för varje budgetrad, en rad\n"
            "per konto eller underlag (t.ex. 12 500,50). Tomt belopp = inga "
            "fler rader,\n\"avbryt\" avbryter utan att spara. Förslagen inom "
            "[ ] tas med Enter.\n",
            o->period.label);
    dline *d = mem_calloc(n, sizeof *d);
    for (size_t i = 0; i < n && rc == ASK_OK; i++) {
        if (i == 0 || lines[i - 1].kind != lines[i].kind)
            fprintf(ctx->out, "\n%s\n",
                    lines[i].kind == KIND_COST ? "Kostnader" : "Intäkter");
        rc = ask_line(ctx, b, o, &lines[i], i, n, &d[i], in);
    }
    /* The review: any line can be opened again before the one question
     * that saves. */
    while (rc == ASK_OK) {
        print_review(ctx, b, o, lines, d, n);
        char *a;
        int ans = ask_answer(ctx,
                             "Ange numret på en budgetrad för att ändra den, "
                             "eller tomt för att gå vidare: ",
                             &a);
        if (ans == ASK_ABORT) {
            rc = ASK_ABORT;
            break;
        }
        if (ans == ASK_EMPTY)
            break;
        char *end;
        long k = strtol(a, &end, 10);
        if (*end || k < 1 || (size_t)k > n)
            fprintf(ctx->out, "      \"%s\" är inget radnummer (1–%zu).\n",
                    a, n);
        else
            rc = ask_line(ctx, b, o, &lines[k - 1], (size_t)k - 1, n,
                          &d[k - 1], in);
        free(a);
    }
    /* The inputs in the lines' order, whatever order they were answered. */
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < d[i].n; k++) {
            if (rc == ASK_OK) {
                quarter_input *x = input_push(in);
                dec_t keep = x->amount; /* initialised by input_push */
                *x = d[i].v[k];
                x->amount = keep;
                dec_set(&x->amount, &d[i].v[k].amount);
            }
        }
        dline_clear(&d[i]);
        free(d[i].v);
    }
    free(d);
    quarter_lines_free(lines, n);
    return rc;
}

/* ---- --from FILE ---------------------------------------------------------- */

/* Read the amounts of a CSV file into inputs that borrow the table's
 * strings (so t must outlive them). Every problem goes to dl. Returns -1
 * when the file or its header cannot be used at all, else 0 (rows with
 * errors are left out of the inputs). */
static int read_from(csvio_table *t, const char *path, input_list *in,
                     diag_list *dl)
{
    if (csvio_read_file(t, path, path, NULL, dl) != SAMLA_OK)
        return -1;
    if (t->nrows == 0) {
        diag_error(dl, t->display, 0, 0, "filen är tom; rubrikraden saknas");
        return -1;
    }
    int idx[SCHEMA_QI_N];
    const csvio_row *h = &t->rows[0];
    size_t before = diag_errors(dl);
    schema_map(&schema_quarter_input, t, h, idx, dl);
    if (idx[SCHEMA_QI_ACTIVITY] < 0 && idx[SCHEMA_QI_FUNDER] < 0)
        diag_error(dl, t->display, h->line, 0,
                   "kolumnen \"Verksamhet\" (kostnader) eller \"Finansiär\" "
                   "(intäkter) saknas");
    if (diag_errors(dl) > before)
        return -1;
    for (size_t r = 1; r < t->nrows; r++) {
        const csvio_row *row = &t->rows[r];
        const char *v[SCHEMA_QI_N];
        long col[SCHEMA_QI_N];
        for (int c = 0; c < SCHEMA_QI_N; c++) {
            v[c] = idx[c] >= 0 && (size_t)idx[c] < row->n ? row->f[idx[c]].s
                                                          : "";
            col[c] = csvio_col(t, row, idx[c] >= 0 ? (size_t)idx[c] : row->n);
        }
        if (row->n != h->n) {
            diag_error(dl, t->display, row->line, 0,
                       "raden har %zu fält men rubrikraden har %zu", row->n,
                       h->n);
            continue;
        }
        const char *amt = v[SCHEMA_QI_AMOUNT];
        if (!*amt) /* an empty amount is nothing, as in the dialog */
            continue;
        quarter_input *x = input_push(in);
        dec_error err;
        if (dec_parse(&x->amount, amt, strlen(amt), &err) != 0) {
            char why[96];
            diag_error(dl, t->display, row->line,
                       col[SCHEMA_QI_AMOUNT] + (long)err.col - 1,
                       "ogiltigt belopp \"%s\": %s", amt,
                       dec_error_text(&err, why, sizeof why));
            quarter_input_clear(x);
            in->n--;
            continue;
        }
        x->file = t->display;
        x->line = row->line;
        if (*v[SCHEMA_QI_FUNDER]) {
            x->kind = KIND_INCOME;
            x->code = v[SCHEMA_QI_FUNDER];
            x->col_code = col[SCHEMA_QI_FUNDER];
            x->activity = v[SCHEMA_QI_ACTIVITY];
            x->col_activity = col[SCHEMA_QI_ACTIVITY];
        } else if (*v[SCHEMA_QI_ACTIVITY]) {
            x->kind = KIND_COST;
            x->code = v[SCHEMA_QI_ACTIVITY];
            x->col_code = col[SCHEMA_QI_ACTIVITY];
        } else {
            diag_error(dl, t->display, row->line,
                       col[idx[SCHEMA_QI_ACTIVITY] >= 0 ? SCHEMA_QI_ACTIVITY
                                                        : SCHEMA_QI_FUNDER],
                       "ange Verksamhet (kostnad) eller Finansiär (intäkt)");
            quarter_input_clear(x);
            in->n--;
            continue;
        }
        x->account = v[SCHEMA_QI_ACCOUNT];
        x->col_account = col[SCHEMA_QI_ACCOUNT];
        x->text = v[SCHEMA_QI_TEXT];
        x->doc = v[SCHEMA_QI_DOC];
        x->earmark = v[SCHEMA_QI_EARMARK];
        x->col_earmark = col[SCHEMA_QI_EARMARK];
    }
    return 0;
}

/* ---- Showing what will be saved -------------------------------------------- */

static void print_entries(cli_ctx *ctx, const book *b, const book_entry *e,
                          size_t n)
{
    FILE *o = ctx->out;
    fprintf(o, "\nVerifikationer som sparas (numren är preliminära):\n");
    ui_pad(o, "Ver", 10, 0);
    cmd_entry_head(o, 16);
    for (size_t i = 0; i < n; i++) {
        char ver[32];
        snprintf(ver, sizeof ver, "%d:%d", e[i].year, e[i].ver);
        char *a = amount_text(&e[i].amount);
        ui_pad(o, ver, 10, 0);
        cmd_entry_line(o, b, &e[i], a, 16);
        free(a);
    }
}

static void print_row(FILE *o, const char *label, const dec_t *v[5])
{
    fputs("  ", o);
    ui_pad(o, label, 32, 0);
    for (int k = 0; k < 5; k++) {
        char *s = amount_text(v[k]);
        ui_pad(o, s, 15, 1);
        free(s);
    }
    fputc('\n', o);
}

/* The summary against the budget: per line budget of the quarter, entered
 * now, booked before, outcome (booked + entered) and deviation (budget −
 * outcome, as in the budget report), with totals per kind. */
static void print_summary(cli_ctx *ctx, const book *b, const quarter_opts *qo,
                          const book_entry *e, size_t n)
{
    FILE *o = ctx->out;
    quarter_line *l;
    size_t nl = quarter_lines(b, qo, e, n, &l);
    int q = date_quarter(qo->period.from);
    char h[5][32];
    snprintf(h[0], sizeof h[0], "Budget Q%d", q);
    snprintf(h[1], sizeof h[1], "Inmatat");
    snprintf(h[2], sizeof h[2], "Bokfört förut");
    snprintf(h[3], sizeof h[3], "Utfall Q%d", q);
    snprintf(h[4], sizeof h[4], "Avvikelse");
    fprintf(o, "\nSammanställning mot budgeten %s (kr):\n  ", qo->period.label);
    ui_pad(o, "Budgetrad", 32, 0);
    for (int k = 0; k < 5; k++)
        ui_pad(o, h[k], 15, 1);
    fputc('\n', o);
    dec_t out, dev, tot[2][5];
    dec_init(&out);
    dec_init(&dev);
    for (int k = 0; k < 2; k++)
        for (int c = 0; c < 5; c++)
            dec_init(&tot[k][c]);
    for (size_t i = 0; i < nl; i++) {
        const quarter_line *x = &l[i];
        int k = x->kind == KIND_COST ? 0 : 1;
        if (i == 0 || l[i - 1].kind != x->kind)
            fprintf(o, "%s\n", k == 0 ? "Kostnader" : "Intäkter");
        dec_add(&out, &x->booked, &x->entered);
        dec_sub(&dev, &x->budget, &out);
        const dec_t *v[5] = {&x->budget, &x->entered, &x->booked, &out, &dev};
        for (int c = 0; c < 5; c++)
            dec_add(&tot[k][c], &tot[k][c], v[c]);
        char label[160], code[96];
        line_label(b, x, code, sizeof code);
        snprintf(label, sizeof label, "%s%s", code,
                 x->budget_index < 0 ? " (ingen budget)" : "");
        print_row(o, label, v);
        if (i + 1 == nl || l[i + 1].kind != x->kind) {
            const dec_t *t[5] = {&tot[k][0], &tot[k][1], &tot[k][2],
                                 &tot[k][3], &tot[k][4]};
            print_row(o, k == 0 ? "Summa kostnader" : "Summa intäkter", t);
        }
    }
    /* The quarter's result, when both kinds are shown: income − costs in
     * every column (so its deviation is the budget's result − outcome's). */
    if (nl && l[0].kind != l[nl - 1].kind) {
        dec_t r[5];
        const dec_t *v[5];
        for (int c = 0; c < 5; c++) {
            dec_init(&r[c]);
            dec_sub(&r[c], &tot[1][c], &tot[0][c]);
            v[c] = &r[c];
        }
        print_row(o, "Resultat (intäkter − kostnader)", v);
        for (int c = 0; c < 5; c++)
            dec_clear(&r[c]);
    }
    dec_clear(&out);
    dec_clear(&dev);
    for (int k = 0; k < 2; k++)
        for (int c = 0; c < 5; c++)
            dec_clear(&tot[k][c]);
    quarter_lines_free(l, nl);
}

/* ---- The command ---------------------------------------------------------- */

int cmd_quarter(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'F'},
        {"dry-run", no_argument, NULL, 'n'},
        {"yes", no_argument, NULL, 'y'},
        {"date", required_argument, NULL, 'd'},
        {"account", required_argument, NULL, 'a'},
        {"income-account", required_argument, NULL, 'i'},
        {"allow-overlap", no_argument, NULL, 'O'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *from = NULL, *date = NULL, *cost_acc = NULL, *inc_acc = NULL;
    int dry = 0, yes = 0, allow_overlap = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:hy", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(quarter_help, ctx->out); return EXIT_OKAY;
        case 'F': from = optarg; break;
        case 'n': dry = 1; break;
        case 'y': yes = 1; break;
        case 'd': date = optarg; break;
        case 'a': cost_acc = optarg; break;
        case 'i': inc_acc = optarg; break;
        case 'O': allow_overlap = 1; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "quarter", argv, "f:hy");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(ctx, "quarter",
                               "ange ett kvartal, t.ex. 2026Q1");
    period_t p;
    const char *perr;
    if (quarter_parse_period(argv[optind], &p, &perr) != 0)
        return cli_usage_error(ctx, "quarter", "\"%s\": %s", argv[optind],
                               perr);
    quarter_opts qo;
    quarter_opts_init(&qo, &p);
    if (date && cli_date(ctx, "--date", date, &qo.date) != 0)
        return EXIT_DATA;
    qo.cost_account = cost_acc;
    qo.income_account = inc_acc;
    qo.allow_overlap = allow_overlap;
    qo.user = cli_user(ctx);
    char now[32];
    date_now_utc(now, sizeof now);
    qo.registered = now;

    book b;
    int rc = cli_load(ctx, &b);
    if (rc != EXIT_OKAY)
        return rc;
    input_list in = {0};
    csvio_table t;
    memset(&t, 0, sizeof t);
    diag_list dl;
    diag_init(&dl);
    book_entry *e = NULL;
    size_t ne = 0;
    /* Someone can answer questions: in the dialog (answers come from
     * stdin, terminal or pipe) or at a terminal. A script that pipes a
     * file in with --from cannot, so it must say --yes. */
    int can_ask = !from || ui_stdin_is_tty();
    long first, last;
    size_t had = quarter_existing(&b, &p, &first, &last);
    if (had) {
        const book_entry *a = &b.entries.v[first], *z = &b.entries.v[last];
        fprintf(ctx->err,
                "samla quarter: varning: kvartalet %s är redan registrerat: "
                "%zu verifikationer (%d:%d–%d:%d), sparade %s av %s\n",
                p.label, had, a->year, a->ver, z->year, z->ver, a->registered,
                a->user);
        if (!dry && !yes) {
            if (!can_ask) {
                fprintf(ctx->err,
                        "samla quarter: inget sparades; kör med --yes för att "
                        "ändå lägga till fler poster för %s\n",
                        p.label);
                rc = EXIT_DATA;
                goto done;
            }
            char prompt[128];
            snprintf(prompt, sizeof prompt,
                     "Registrera fler poster för %s ändå? [j/N] ", p.label);
            if (!ui_ask_yes(ctx->out, prompt)) {
                fprintf(ctx->out, "Inget sparades.\n");
                rc = EXIT_DATA;
                goto done;
            }
        }
        qo.allow_repeat = 1;
    }
    if (from) {
        /* A file's rows are all checked, those that could be read also
         * against the book, so every problem is reported at once. */
        if (read_from(&t, from, &in, &dl) != 0) {
            cli_report(ctx, &dl);
            fprintf(ctx->err, "samla quarter: inget sparades\n");
            rc = EXIT_DATA;
            goto done;
        }
    } else if (dialog(ctx, &b, &qo, &in) != ASK_OK) {
        fprintf(ctx->out, "Avbrutet; inget sparades.\n");
        rc = EXIT_DATA;
        goto done;
    }
    ne = quarter_build(&b, &qo, in.v, in.n, &e, &dl);
    rc = cli_report(ctx, &dl);
    if (rc != EXIT_OKAY) {
        fprintf(ctx->err, "samla quarter: inget sparades\n");
        goto done;
    }
    if (ne == 0) {
        fprintf(ctx->out, "Inga belopp angavs; inget sparades.\n");
        goto done;
    }
    print_entries(ctx, &b, e, ne);
    print_summary(ctx, &b, &qo, e, ne);
    {
        overlap_list ov;
        overlap_list_init(&ov);
        overlap_find_entries(&b, e, ne, &ov);
        int go = cmd_overlap_gate(ctx, &b, &ov, allow_overlap, dry);
        overlap_list_free(&ov);
        if (go != 0) {
            fprintf(ctx->err, "samla quarter: inget sparades\n");
            rc = EXIT_DATA;
            goto done;
        }
    }
    if (dry) {
        fprintf(ctx->out, "\nTorrkörning: inget sparades.\n");
        goto done;
    }
    if (!yes && !ui_ask_yes(ctx->out, "\nSpara? [j/N] ")) {
        fprintf(ctx->out, "Inget sparades.\n");
        rc = EXIT_DATA;
        goto done;
    }
    {
        book b2;
        store_lock lock;
        rc = cli_load_locked(ctx, &b2, &lock);
        if (rc == EXIT_OKAY) {
            size_t saved;
            long f;
            diag_free(&dl);
            diag_init(&dl);
            quarter_save(&b2, &qo, in.v, in.n, &saved, &f, &dl);
            rc = cli_report(ctx, &dl);
            if (rc == EXIT_OKAY && saved) {
                const book_entry *a = &b2.entries.v[f];
                const book_entry *z = &b2.entries.v[f + (long)saved - 1];
                fprintf(ctx->out,
                        "Sparade %zu verifikationer för %s: %d:%d–%d:%d.\n",
                        saved, p.label, a->year, a->ver, z->year, z->ver);
            } else if (rc != EXIT_OKAY) {
                fprintf(ctx->err, "samla quarter: inget sparades\n");
            }
            cli_unlock(&lock);
        }
        book_free(&b2);
    }
done:
    quarter_entries_free(e, ne);
    diag_free(&dl);
    input_list_free(&in);
    csvio_free(&t);
    book_free(&b);
    return rc;
}
