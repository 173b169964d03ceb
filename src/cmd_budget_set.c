/*
 * cmd_budget_set - entering the budget: `samla budget set`, `samla budget
 * import` (reached through `samla budget`, whose report lives in
 * cmd_report.c) and `samla forecast set`.
 *
 * Each takes the book's lock, loads the book, changes b->budget in memory
 * (budget_edit.h) and writes budget.csv once with book_write_budget, which
 * replaces the file atomically: an import of many lines is saved whole or
 * not at all, and bad input changes nothing.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "budget_edit.h"
#include "cmd.h"
#include "csvio.h"
#include "mem.h"
#include "schema.h"
#include "sie.h"
#include "uiutil.h"

static int parse_year(const char *s, int *year)
{
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return -1;
    *year = atoi(s);
    return *year >= 1900 ? 0 : -1;
}

/* A budget of a closed year belongs to its annual accounts: refuse. */
static int year_open(cli_ctx *ctx, const book *b, const char *cmd, int year)
{
    if (book_year_closed(b, year) < 0)
        return 1;
    fprintf(ctx->err,
            "samla %s: år %d är stängt (bokslut); dess budget och prognos "
            "ändras inte\n",
            cmd, year);
    return 0;
}

void cmd_print_quarters(FILE *o, const char *lead, const dec_t q[4])
{
    dec_t sum;
    dec_init(&sum);
    fputs(lead, o);
    for (int k = 0; k < 4; k++) {
        char *s = dec_format(&q[k], DEC_KR, 2, 0);
        fprintf(o, "  Q%d %s", k + 1, s);
        free(s);
        dec_add(&sum, &sum, &q[k]);
    }
    char *s = dec_format(&sum, DEC_KR, 2, DEC_FMT_UNIT);
    fprintf(o, "  helår %s\n", s);
    free(s);
    dec_clear(&sum);
}

/* ---- budget set ------------------------------------------------------------ */

static const char set_help[] =
    "Användning: samla budget set ÅR RAD [--q1 BELOPP] [--q2 BELOPP]\n"
    "                      [--q3 BELOPP] [--q4 BELOPP] [--type TYP] [--text TEXT]\n"
    "       samla budget set ÅR RAD --year BELOPP [--type TYP] [--text TEXT]\n"
    "Lägger in eller ändrar en budgetrad. RAD är en finansiärs kod\n"
    "(intäktsrad) eller en verksamhets kod (kostnadsrad), eventuellt med\n"
    "konto: SMM eller SMM/4610.\n"
    "  --q1..--q4  kvartalens budget; kvartal som inte anges behåller sitt\n"
    "              värde (en ny rad får 0)\n"
    "  --year      helårsbudget, fördelad lika på kvartalen så att delarna\n"
    "              summerar exakt (överblivna ören läggs på de första\n"
    "              kvartalen)\n"
    "  --type      intäkt eller kostnad, när koden är både finansiär och\n"
    "              verksamhet\n"
    "  --text      anteckning på raden\n"
    "  -f MAPP     boken\n";

int cmd_budget_set(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"q1", required_argument, NULL, '1'},
        {"q2", required_argument, NULL, '2'},
        {"q3", required_argument, NULL, '3'},
        {"q4", required_argument, NULL, '4'},
        {"year", required_argument, NULL, 'y'},
        {"type", required_argument, NULL, 't'},
        {"text", required_argument, NULL, 'x'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *qs[4] = {NULL, NULL, NULL, NULL}, *whole = NULL,
               *type = NULL, *text = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(set_help, ctx->out); return EXIT_OKAY;
        case '1': case '2': case '3': case '4': qs[c - '1'] = optarg; break;
        case 'y': whole = optarg; break;
        case 't': type = optarg; break;
        case 'x': text = optarg; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "budget set", argv, "f:h");
        }
    }
    int year;
    if (optind != argc - 2)
        return cli_usage_error(ctx, "budget set",
                               "ange år och budgetrad, t.ex. 2026 SMM");
    if (parse_year(argv[optind], &year) != 0)
        return cli_usage_error(ctx, "budget set", "ogiltigt år \"%s\"",
                               argv[optind]);
    int any_q = qs[0] || qs[1] || qs[2] || qs[3];
    if (whole && any_q)
        return cli_usage_error(ctx, "budget set",
                               "ange antingen --year eller --q1..--q4, inte "
                               "båda");
    if (!whole && !any_q && !text)
        return cli_usage_error(ctx, "budget set",
                               "ange --year BELOPP eller --q1..--q4");
    int forced = -1;
    if (type && (forced = budget_kind_parse(type)) < 0)
        return cli_usage_error(ctx, "budget set",
                               "--type ska vara intäkt eller kostnad");
    /* Amounts are checked before the book is touched. */
    dec_t q[4], w;
    int bad = 0;
    dec_init(&w);
    for (int k = 0; k < 4; k++)
        dec_init(&q[k]);
    if (whole) {
        bad = cli_amount(ctx, "--year", whole, &w) != 0;
        if (!bad)
            budget_spread_year(q, &w);
    }
    for (int k = 0; k < 4 && !bad; k++) {
        char opt[16]; /* "--q" and an int: room for gcc's -Wformat-truncation */
        snprintf(opt, sizeof opt, "--q%d", k + 1);
        if (qs[k])
            bad = cli_amount(ctx, opt, qs[k], &q[k]) != 0;
    }
    int rc = EXIT_DATA;
    book b;
    store_lock lock;
    if (bad) {
        book_init(&b);
        goto out;
    }
    rc = cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY)
        goto out;
    budget_key key;
    char err[256], label[160];
    if (budget_key_parse(&b, argv[optind + 1], forced, &key, err,
                         sizeof err) != 0) {
        fprintf(ctx->err, "samla budget set: %s\n", err);
        rc = EXIT_DATA;
    } else if (!year_open(ctx, &b, "budget set", year)) {
        rc = EXIT_DATA;
    } else {
        int created;
        long i = budget_get_or_add(&b, year, &key, &created);
        book_budget_line *l = &b.budget.v[i];
        budget_key_label(&b, &key, label, sizeof label);
        const char *kw = key.kind == KIND_INCOME ? "intäkt" : "kostnad";
        fprintf(ctx->out, "Budgetrad %d %s %s%s:\n", year, kw, label,
                created ? " (ny)" : "");
        if (!created)
            cmd_print_quarters(ctx->out, "  förut:", l->q);
        for (int k = 0; k < 4; k++)
            if (whole || qs[k])
                dec_set(&l->q[k], &q[k]);
        if (text)
            l->text = book_strdup(&b, text);
        cmd_print_quarters(ctx->out, "  nu:   ", l->q);
        diag_list dl;
        diag_init(&dl);
        static const char *const labels[SCHEMA_BU_N] = {
            [SCHEMA_BU_TEXT] = "--text"};
        book_origin origin = {NULL, 0, labels};
        book_write_budget(&b, &origin, &dl);
        rc = cli_report(ctx, &dl);
        diag_free(&dl);
        if (rc != EXIT_OKAY)
            fprintf(ctx->err, "samla budget set: inget sparades\n");
    }
    cli_unlock(&lock);
out:
    for (int k = 0; k < 4; k++)
        dec_clear(&q[k]);
    dec_clear(&w);
    book_free(&b);
    return rc;
}

/* ---- budget import ------------------------------------------------------------ */

static const char import_help[] =
    "Användning: samla budget import FIL.csv [--dry-run]\n"
    "       samla budget import FIL.se --rules REGLER.csv [--dry-run]\n"
    "Läser budgetrader med samma kolumner som budget.csv (År, Typ, Kod,\n"
    "Konto, Q1, Q2, Q3, Q4, Prognos, Text) och ersätter raderna med samma\n"
    "år, typ, kod och konto (eller lägger till dem). Saknas kolumnen\n"
    "Prognos eller Text behåller raderna sina värden. Allt eller inget: ett\n"
    "fel någonstans i filen ändrar ingenting.\n"
    "En SIE-fil (känns igen på sin #FLAGGA/#SIETYP, eller --format sie)\n"
    "läses med en regelfil som vid samla import: dess #PBUDGET-poster\n"
    "(per månad) och #BUDGET-poster (per år) blir budgetrader per\n"
    "finansiär eller verksamhet och kvartal (docs/sie.md).\n"
    "  --rules FIL  regelfilen för en SIE-fil\n"
    "  --format F   csv eller sie (standard: känns igen på filens början)\n"
    "  --dry-run   kontrollera och visa, spara inget\n";

/* The file has budget.csv's columns (schema.h, SCHEMA_BU_*). */

typedef struct {
    int year;
    budget_key key;
    dec_t q[4], fc;
    int has_fc;
    const char *text;
    const char *earmark; /* Öronmärkning, "" = none */
    long line;
} import_line;

/* Read and check every row of the file into lines[] (n of them). All
 * problems go to dl. */
static size_t read_budget_file(book *b, const csvio_table *t,
                               int idx[SCHEMA_BU_N], import_line *lines,
                               diag_list *dl)
{
    size_t n = 0;
    const csvio_row *h = &t->rows[0];
    for (size_t r = 1; r < t->nrows; r++) {
        const csvio_row *row = &t->rows[r];
        const char *v[SCHEMA_BU_N];
        long col[SCHEMA_BU_N];
        for (int c = 0; c < SCHEMA_BU_N; c++) {
            v[c] = idx[c] >= 0 && (size_t)idx[c] < row->n ? row->f[idx[c]].s
                                                          : "";
            col[c] = idx[c] >= 0 ? csvio_col(t, row, (size_t)idx[c]) : 0;
        }
        if (row->n != h->n) {
            diag_error(dl, t->display, row->line, 0,
                       "raden har %zu fält men rubrikraden har %zu", row->n,
                       h->n);
            continue;
        }
        import_line *l = &lines[n];
        memset(l, 0, sizeof *l);
        for (int k = 0; k < 4; k++)
            dec_init(&l->q[k]);
        dec_init(&l->fc);
        l->line = row->line;
        n++;
        int ok = 1;
        if (parse_year(v[SCHEMA_BU_YEAR], &l->year) != 0) {
            diag_error(dl, t->display, row->line, col[SCHEMA_BU_YEAR],
                       "ogiltigt år \"%s\"", v[SCHEMA_BU_YEAR]);
            ok = 0;
        }
        int kind = budget_kind_parse(v[SCHEMA_BU_TYPE]);
        if (kind < 0) {
            diag_error(dl, t->display, row->line, col[SCHEMA_BU_TYPE],
                       "ogiltig typ \"%s\"; ska vara intäkt eller kostnad",
                       v[SCHEMA_BU_TYPE]);
            ok = 0;
        } else {
            char err[256];
            int which;
            if (budget_key_make(b, (book_kind)kind, v[SCHEMA_BU_CODE],
                                v[SCHEMA_BU_ACCOUNT], &l->key, err,
                                sizeof err, &which) != 0) {
                diag_error(dl, t->display, row->line,
                           col[which ? SCHEMA_BU_ACCOUNT : SCHEMA_BU_CODE],
                           "%s", err);
                ok = 0;
            }
        }
        for (int k = 0; k < 4; k++) {
            dec_error e;
            const char *s = v[SCHEMA_BU_Q1 + k];
            if (dec_parse(&l->q[k], s, strlen(s), &e) != 0) {
                char why[96];
                diag_error(dl, t->display, row->line,
                           col[SCHEMA_BU_Q1 + k] + (long)e.col - 1,
                           "ogiltigt belopp \"%s\": %s", s,
                           dec_error_text(&e, why, sizeof why));
                ok = 0;
            }
        }
        l->has_fc = *v[SCHEMA_BU_FORECAST] != '\0';
        if (l->has_fc) {
            dec_error e;
            const char *fc = v[SCHEMA_BU_FORECAST];
            if (dec_parse(&l->fc, fc, strlen(fc), &e) != 0) {
                char why[96];
                diag_error(dl, t->display, row->line,
                           col[SCHEMA_BU_FORECAST] + (long)e.col - 1,
                           "ogiltigt belopp \"%s\": %s", fc,
                           dec_error_text(&e, why, sizeof why));
                ok = 0;
            }
        }
        l->text = v[SCHEMA_BU_TEXT];
        l->earmark = v[SCHEMA_BU_EARMARK];
        if (*l->earmark && book_earmark_find(b, l->earmark) < 0) {
            char hint[160];
            diag_error(dl, t->display, row->line, col[SCHEMA_BU_EARMARK],
                       "okänd öronmärkning \"%s\"%s", l->earmark,
                       book_code_hint(b, BOOK_CODE_EARMARK, l->earmark, hint,
                                      sizeof hint));
            ok = 0;
        }
        if (!ok)
            continue;
        if (book_year_closed(b, l->year) >= 0)
            diag_error(dl, t->display, row->line, col[SCHEMA_BU_YEAR],
                       "år %d är stängt (bokslut); dess budget ändras inte",
                       l->year);
        for (size_t j = 0; j + 1 < n; j++) {
            const import_line *o = &lines[j];
            if (o->year == l->year && o->key.kind == l->key.kind &&
                o->key.code && strcmp(o->key.code, l->key.code) == 0 &&
                o->key.account == l->key.account)
                diag_error(dl, t->display, row->line, col[SCHEMA_BU_CODE],
                           "budgetraden finns redan på rad %ld i filen",
                           o->line);
        }
    }
    return n;
}

int cmd_budget_import(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"rules", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'F'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    int dry = 0, c;
    const char *rules = NULL, *format = NULL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(import_help, ctx->out); return EXIT_OKAY;
        case 'n': dry = 1; break;
        case 'r': rules = optarg; break;
        case 'F': format = optarg; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "budget import", argv, "f:h");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(ctx, "budget import", "ange en CSV-fil");
    const char *path = argv[optind];
    if (format && strcmp(format, "csv") && strcmp(format, "sie"))
        return cli_usage_error(ctx, "budget import",
                               "--format ska vara csv eller sie");
    int sie = format ? !strcmp(format, "sie") : sie_sniff_file(path);
    if (sie && !rules)
        return cli_usage_error(ctx, "budget import",
                               "en SIE-fil läses med --rules REGLER.csv");
    if (!sie && rules)
        return cli_usage_error(ctx, "budget import",
                               "--rules gäller SIE-filer; en CSV-fil har "
                               "budget.csv:s kolumner");
    if (sie)
        return cmd_budget_import_sie(ctx, path, rules, dry);
    diag_list dl;
    diag_init(&dl);
    csvio_table t;
    int rc = EXIT_DATA;
    if (csvio_read_file(&t, path, path, NULL, &dl) != SAMLA_OK ||
        t.nrows == 0) {
        if (diag_errors(&dl) == 0)
            diag_error(&dl, path, 0, 0, "filen är tom; rubrikraden saknas");
        cli_report(ctx, &dl);
        fprintf(ctx->err, "samla budget import: inget sparades\n");
        diag_free(&dl);
        csvio_free(&t);
        return EXIT_DATA;
    }
    int idx[SCHEMA_BU_N];
    schema_map(&schema_budget, &t, &t.rows[0], idx, &dl);
    book b;
    store_lock lock;
    import_line *lines = NULL;
    size_t n = 0;
    if (diag_errors(&dl)) {
        book_init(&b);
        lock.fd = -1;
        goto report;
    }
    if (cli_load_locked(ctx, &b, &lock) != EXIT_OKAY)
        goto report;
    lines = mem_calloc(t.nrows, sizeof *lines);
    n = read_budget_file(&b, &t, idx, lines, &dl);
    if (diag_errors(&dl))
        goto report;
    size_t added = 0, replaced = 0;
    for (size_t i = 0; i < n; i++) {
        import_line *l = &lines[i];
        int created;
        long j = budget_get_or_add(&b, l->year, &l->key, &created);
        book_budget_line *bl = &b.budget.v[j];
        for (int k = 0; k < 4; k++)
            dec_set(&bl->q[k], &l->q[k]);
        if (idx[SCHEMA_BU_FORECAST] >= 0) {
            bl->has_forecast = l->has_fc;
            dec_set(&bl->forecast, &l->fc);
        }
        if (idx[SCHEMA_BU_TEXT] >= 0)
            bl->text = book_strdup(&b, l->text);
        if (idx[SCHEMA_BU_EARMARK] >= 0)
            bl->earmark = book_strdup(&b, l->earmark);
        char label[160], lead[200];
        budget_key_label(&b, &l->key, label, sizeof label);
        snprintf(lead, sizeof lead, "%s %d %s %s:", created ? "ny    " : "ersatt",
                 l->year, l->key.kind == KIND_INCOME ? "intäkt " : "kostnad",
                 label);
        cmd_print_quarters(ctx->out, lead, bl->q);
        if (created)
            added++;
        else
            replaced++;
    }
    if (dry) {
        fprintf(ctx->out, "Torrkörning: %zu rader skulle ersättas och %zu "
                          "läggas till; inget sparades.\n",
                replaced, added);
        rc = EXIT_OKAY;
        goto report;
    }
    book_origin origin = {path, 0, NULL};
    if (book_write_budget(&b, &origin, &dl) == SAMLA_OK) {
        fprintf(ctx->out, "Budgeten sparades: %zu rader ersattes, %zu nya.\n",
                replaced, added);
        rc = EXIT_OKAY;
    }
report:
    if (cli_report(ctx, &dl) != EXIT_OKAY) {
        rc = EXIT_DATA;
        fprintf(ctx->err, "samla budget import: inget sparades\n");
    }
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 4; k++)
            dec_clear(&lines[i].q[k]);
        dec_clear(&lines[i].fc);
    }
    free(lines);
    cli_unlock(&lock);
    book_free(&b);
    csvio_free(&t);
    diag_free(&dl);
    return rc;
}

/* ---- forecast set ------------------------------------------------------------- */

static const char forecast_help[] =
    "Användning: samla forecast set ÅR RAD BELOPP [--type TYP]\n"
    "       samla forecast set ÅR RAD --clear\n"
    "Lägger in en prognos för helåret på en budgetrad (RAD = KOD eller\n"
    "KOD/KONTO). Prognosen ersätter den beräknade (utfall hittills + budget\n"
    "för resten av året) i budgetuppföljningen. --clear tar bort den, så\n"
    "att prognosen åter beräknas. Skriv -- före ett negativt belopp.\n";

int cmd_forecast(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"clear", no_argument, NULL, 'c'},
        {"type", required_argument, NULL, 't'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    if (argc >= 2 && cli_is_help(argv[1])) {
        fputs(forecast_help, ctx->out);
        return EXIT_OKAY;
    }
    if (argc < 2 || strcmp(argv[1], "set") != 0)
        return cli_usage_error(ctx, "forecast",
                               "ange 'forecast set ÅR RAD BELOPP' eller "
                               "'forecast set ÅR RAD --clear'");
    argc--;
    argv++;
    int clear = 0, forced = -1, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(forecast_help, ctx->out); return EXIT_OKAY;
        case 'c': clear = 1; break;
        case 't':
            if ((forced = budget_kind_parse(optarg)) < 0)
                return cli_usage_error(ctx, "forecast",
                                       "--type ska vara intäkt eller kostnad");
            break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "forecast", argv, "f:h");
        }
    }
    int year;
    if (optind != argc - (clear ? 2 : 3))
        return cli_usage_error(ctx, "forecast",
                               clear ? "ange år och budgetrad"
                                     : "ange år, budgetrad och belopp (eller "
                                       "--clear)");
    if (parse_year(argv[optind], &year) != 0)
        return cli_usage_error(ctx, "forecast", "ogiltigt år \"%s\"",
                               argv[optind]);
    dec_t a;
    dec_init(&a);
    if (!clear && cli_amount(ctx, "prognos", argv[optind + 2], &a) != 0) {
        dec_clear(&a);
        return EXIT_DATA;
    }
    book b;
    store_lock lock;
    int rc = cli_load_locked(ctx, &b, &lock);
    if (rc == EXIT_OKAY) {
        budget_key key;
        char err[256], label[160];
        long i = -1;
        if (budget_key_parse(&b, argv[optind + 1], forced, &key, err,
                             sizeof err) != 0) {
            fprintf(ctx->err, "samla forecast: %s\n", err);
            rc = EXIT_DATA;
        } else if (!year_open(ctx, &b, "forecast", year)) {
            rc = EXIT_DATA;
        } else if ((i = budget_find(&b, year, &key)) < 0) {
            budget_key_label(&b, &key, label, sizeof label);
            fprintf(ctx->err,
                    "samla forecast: budgetraden %d %s finns inte; lägg in "
                    "den med 'samla budget set %d %s'\n",
                    year, label, year, label);
            rc = EXIT_DATA;
        }
        if (rc == EXIT_OKAY) {
            book_budget_line *l = &b.budget.v[i];
            budget_key_label(&b, &key, label, sizeof label);
            char *old = l->has_forecast
                            ? dec_format(&l->forecast, DEC_KR, 2, DEC_FMT_UNIT)
                            : NULL;
            l->has_forecast = !clear;
            dec_set(&l->forecast, &a);
            diag_list dl;
            diag_init(&dl);
            book_write_budget(&b, NULL, &dl);
            rc = cli_report(ctx, &dl);
            diag_free(&dl);
            if (rc == EXIT_OKAY) {
                char *now = dec_format(&a, DEC_KR, 2, DEC_FMT_UNIT);
                if (clear)
                    fprintf(ctx->out,
                            "Prognosen för %d %s togs bort (var %s); den "
                            "beräknas nu.\n",
                            year, label, old ? old : "ingen");
                else
                    fprintf(ctx->out, "Prognos helår %d %s: %s (förut %s).\n",
                            year, label, now, old ? old : "beräknad");
                free(now);
            } else {
                fprintf(ctx->err, "samla forecast: inget sparades\n");
            }
            free(old);
        }
        cli_unlock(&lock);
    }
    dec_clear(&a);
    book_free(&b);
    return rc;
}
