/*
 * cmd_allocate - `samla allocate`: splitting by population between the
 * municipalities, exactly to the öre (alloc.h, report_alloc.c).
 *
 *   samla allocate ÅR --per-capita BELOPP | --total BELOPP [--set-budget]
 *       each municipality's contribution per year and per quarter; with
 *       --set-budget written as the year's income budget lines (the budget
 *       code of budget_edit.c, one atomic write of budget.csv);
 *   samla allocate --amount BELOPP --account KONTO --activity KOD --text T
 *       a shared cost booked as one entry per municipality (its code in
 *       Finansiär), all in one atomic append, checked with the reader's
 *       rules first (book_append_entries);
 *   samla allocate population ÅR KOD ANTAL [--source TEXT]
 *       a municipality's population of a year in invanare.csv
 *       (book_write_populations).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "budget_edit.h"
#include "cmd.h"
#include "mem.h"
#include "render.h"
#include "reports.h"
#include "schema.h"

enum {
    O_PER_CAPITA = 256,
    O_TOTAL,
    O_SET_BUDGET,
    O_TEXT,
    O_AMOUNT,
    O_ACCOUNT,
    O_ACTIVITY,
    O_EARMARK,
    O_DATE,
    O_DOC,
    O_DRY,
    O_SOURCE,
    O_FORMAT,
    O_USER
};

static const char allocate_help[] =
    "Användning: samla allocate ÅR --per-capita BELOPP [--set-budget] [--text TEXT]\n"
    "       samla allocate ÅR --total BELOPP [--set-budget] [--text TEXT]\n"
    "       samla allocate --amount BELOPP --account KONTO --activity KOD\n"
    "                      --text TEXT [--date DATUM] [--earmark KOD]\n"
    "                      [--doc UNDERLAG] [--dry-run]\n"
    "       samla allocate population ÅR KOD ANTAL [--source TEXT]\n"
    "Fördelar efter invånare mellan kommunerna, exakt på öret. Invånarna\n"
    "per år står i invanare.csv (annars Invånare i finansiarer.csv).\n"
    "  --per-capita B  bidrag per invånare: varje kommuns bidrag per år\n"
    "                  (invånare × B) och per kvartal\n"
    "  --total B       ett årsbelopp fördelat efter invånare (största\n"
    "                  restmetoden: delarna summerar exakt)\n"
    "  --set-budget    spara bidragen som årets intäktsrader i budgeten\n"
    "                  (en rad per kommun, fyra lika kvartal)\n"
    "  --text T        budgetradens anteckning (standard: \"B kr per\n"
    "                  invånare\"), eller posternas text\n"
    "  --amount B      en gemensam kostnad, bokförd som en post per kommun\n"
    "                  med kommunen som finansiär, allt i en skrivning\n"
    "  --account, --activity, --earmark, --doc, --date  som för add\n"
    "                  (invånarna tas från datumets år)\n"
    "  --dry-run       visa posterna utan att spara\n"
    "  population ÅR KOD ANTAL  lägg in eller ändra en kommuns invånarantal\n"
    "                  (SCB:s siffra per 1 november året före); --source\n"
    "                  anger källan\n"
    "  --format F      term (standard), csv eller json\n"
    "  -f MAPP         boken; --user NAMN  vem som bokför\n";

static int parse_year(const char *s, int *year)
{
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return -1;
    *year = atoi(s);
    return *year >= 1900 ? 0 : -1;
}

/* Print report r in format fmt to ctx->out; takes ownership. */
static void show(cli_ctx *ctx, report *r, render_format fmt)
{
    render_opts ro = {DEC_KR, 2, 0, 0, 0};
    if (fmt == RENDER_JSON) {
        char *s = render_json(r, &ro);
        fputs(s, ctx->out);
        free(s);
    } else if (fmt == RENDER_CSV) {
        csvio_out co;
        csvio_out_init(&co, ';', 1);
        render_csv(r, &ro, &co);
        fwrite(co.buf, 1, co.len, ctx->out);
        csvio_out_free(&co);
    } else {
        render_term(r, &ro, ctx->out);
    }
    report_free(r);
}

/* The year's municipalities and populations; prints why there are none. */
static size_t populations(cli_ctx *ctx, const book *b, int year,
                          book_population **pop, int *fallback)
{
    size_t n = book_year_populations(b, year, pop, fallback);
    if (n == 0)
        fprintf(ctx->err,
                "samla allocate: invånarantal saknas för %d: ange dem med "
                "'samla allocate population %d KOD ANTAL' (invanare.csv)\n",
                year, year);
    return n;
}

/* The income budget line of municipality f in year: the line without an
 * account, else its only line, else a new one. */
static long budget_line_of(book *b, int year, int f, int *created)
{
    budget_key k;
    char err[160];
    int which;
    budget_key_make(b, KIND_INCOME, b->funders.v[f].code, NULL, &k, err,
                    sizeof err, &which);
    long i = budget_find(b, year, &k);
    if (i >= 0) {
        *created = 0;
        return i;
    }
    long only = -1;
    int count = 0;
    for (size_t j = 0; j < b->budget.n; j++)
        if (b->budget.v[j].year == year && b->budget.v[j].kind == KIND_INCOME &&
            b->budget.v[j].funder == f) {
            only = (long)j;
            count++;
        }
    if (count == 1) {
        *created = 0;
        return only;
    }
    return budget_get_or_add(b, year, &k, created);
}

/* ---- ÅR --per-capita / --total ------------------------------------------------ */

static int allocate_year(cli_ctx *ctx, int year, const dec_t *rate,
                         const dec_t *total, int set_budget, const char *text,
                         render_format fmt)
{
    book b;
    store_lock lock;
    int rc = set_budget ? cli_load_locked(ctx, &b, &lock) : cli_load(ctx, &b);
    if (rc != EXIT_OKAY) {
        book_free(&b);
        return rc;
    }
    book_population *pop = NULL;
    int fallback = 0;
    size_t n = populations(ctx, &b, year, &pop, &fallback);
    if (n == 0) {
        rc = EXIT_DATA;
        goto out;
    }
    report *r = report_allocation(&b, year, pop, n, fallback, rate, total, 1);
    if (!set_budget) {
        show(ctx, r, fmt);
        goto out;
    }
    if (book_year_closed(&b, year) >= 0) {
        fprintf(ctx->err, "samla allocate: år %d är stängt (bokslut); dess "
                          "budget ändras inte\n", year);
        report_free(r);
        rc = EXIT_DATA;
        goto out;
    }
    char deftext[96];
    if (rate) {
        char *s = dec_format(rate, DEC_KR, 2, 0);
        snprintf(deftext, sizeof deftext, "%s kr per invånare", s);
        free(s);
    } else {
        snprintf(deftext, sizeof deftext, "Fördelat efter invånare");
    }
    const report_table *t = r->tables[0];
    int c_q1 = -1;
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c].key, "q1"))
            c_q1 = c;
    for (size_t i = 0, row = 0; i < n; i++, row++) {
        while (t->rows[row].kind != REPORT_ROW_LINE)
            row++;
        int created;
        long li = budget_line_of(&b, year, pop[i].funder, &created);
        book_budget_line *l = &b.budget.v[li];
        fprintf(ctx->out, "Budgetrad %d intäkt %s%s:\n", year, l->code,
                created ? " (ny)" : "");
        if (!created)
            cmd_print_quarters(ctx->out, "  förut:", l->q);
        for (int k = 0; k < 4; k++)
            dec_set(&l->q[k], &report_cell_get(t, row, c_q1 + k)->amount);
        l->text = book_strdup(&b, text ? text : deftext);
        cmd_print_quarters(ctx->out, "  nu:   ", l->q);
    }
    report_free(r);
    diag_list dl;
    diag_init(&dl);
    static const char *const labels[SCHEMA_BU_N] = {[SCHEMA_BU_TEXT] =
                                                         "--text"};
    book_origin origin = {NULL, 0, labels};
    book_write_budget(&b, &origin, &dl);
    rc = cli_report(ctx, &dl);
    diag_free(&dl);
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla allocate: inget sparades\n");
    else
        fprintf(ctx->out, "Sparade %zu budgetrader i budget.csv.\n", n);
out:
    if (set_budget)
        cli_unlock(&lock);
    free(pop);
    book_free(&b);
    return rc;
}

/* ---- --amount: a shared cost --------------------------------------------------- */

typedef struct {
    const char *amount, *account, *activity, *earmark, *text, *doc, *date;
    int dry;
} shared_cost;

static const char *const entry_labels[SCHEMA_JE_N] = {
    [SCHEMA_JE_TEXT] = "--text", [SCHEMA_JE_DOC] = "--doc",
    [SCHEMA_JE_USER] = "--user"};

static int unknown(cli_ctx *ctx, const book *b, book_code_kind kind,
                   const char *what, const char *code)
{
    char hint[160];
    fprintf(ctx->err, "samla allocate: %s \"%s\"%s\n", what, code,
            book_code_hint(b, kind, code, hint, sizeof hint));
    return EXIT_DATA;
}

static int allocate_cost(cli_ctx *ctx, const shared_cost *sc,
                         render_format fmt)
{
    dec_t whole;
    dec_init(&whole);
    date_t date;
    if (cli_amount(ctx, "--amount", sc->amount, &whole) != 0 ||
        cli_date(ctx, "--date", sc->date, &date) != 0) {
        dec_clear(&whole);
        return EXIT_DATA;
    }
    book b;
    store_lock lock;
    int rc = sc->dry ? cli_load(ctx, &b) : cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY) {
        book_free(&b);
        dec_clear(&whole);
        return rc;
    }
    book_population *pop = NULL;
    book_entry *e = NULL;
    book_origin *origins = NULL;
    size_t n = 0, nb = 0;
    int account = book_account_find(&b, sc->account);
    int activity = book_activity_find(&b, sc->activity);
    int earmark = sc->earmark ? book_earmark_find(&b, sc->earmark) : -1;
    if (account < 0) {
        rc = unknown(ctx, &b, BOOK_CODE_ACCOUNT, "okänt konto", sc->account);
        goto out;
    }
    if (activity < 0) {
        rc = unknown(ctx, &b, BOOK_CODE_ACTIVITY, "okänd verksamhet",
                     sc->activity);
        goto out;
    }
    if (sc->earmark && earmark < 0) {
        rc = unknown(ctx, &b, BOOK_CODE_EARMARK, "okänd öronmärkning",
                     sc->earmark);
        goto out;
    }
    if (b.accounts.v[account].kind != KIND_COST) {
        fprintf(ctx->err, "samla allocate: konto %s är ett intäktskonto; "
                          "--amount fördelar en kostnad\n", sc->account);
        rc = EXIT_DATA;
        goto out;
    }
    int year = date_year(date), fallback;
    n = populations(ctx, &b, year, &pop, &fallback);
    if (n == 0) {
        rc = EXIT_DATA;
        goto out;
    }
    report *r = report_allocation(&b, year, pop, n, fallback, NULL, &whole, 0);
    const report_table *t = r->tables[0];
    int c_amount = -1;
    for (int c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c].key, "amount"))
            c_amount = c;
    unsigned long total = 0;
    for (size_t i = 0; i < n; i++)
        total += pop[i].population;
    char now[32];
    date_now_utc(now, sizeof now);
    e = mem_calloc(n, sizeof *e);
    origins = mem_calloc(n, sizeof *origins);
    int ver = book_next_ver(&b, year);
    for (size_t i = 0, row = 0; i < n; i++, row++) {
        while (t->rows[row].kind != REPORT_ROW_LINE)
            row++;
        const dec_t *part = &report_cell_get(t, row, c_amount)->amount;
        if (dec_is_zero(part))
            continue; /* an öre too few to reach every municipality */
        book_entry *x = &e[nb];
        dec_init(&x->amount);
        dec_set(&x->amount, part);
        x->date = date;
        x->year = year;
        x->ver = ver + (int)nb;
        x->account = account;
        x->activity = activity;
        x->funder = pop[i].funder;
        x->earmark = earmark;
        x->text = book_strdup(
            &b, sc->text); /* the share is in Finansiär and the amount */
        x->doc = sc->doc ? sc->doc : "";
        x->registered = now;
        x->user = cli_user(ctx);
        x->source = "allocate";
        x->fingerprint = "";
        origins[nb].labels = entry_labels;
        nb++;
    }
    if (nb == 0) {
        fprintf(ctx->err, "samla allocate: --amount är noll; inget att "
                          "fördela\n");
        report_free(r);
        rc = EXIT_DATA;
        goto out;
    }
    if (fmt != RENDER_TERM) {
        show(ctx, r, fmt);
    } else {
        report_free(r);
        char *w = dec_format(&whole, DEC_KR, 2, DEC_FMT_UNIT);
        fprintf(ctx->out, "%s fördelat efter invånare %d (%s, totalt %lu):\n",
                w, year, fallback ? "finansiarer.csv" : "invanare.csv", total);
        free(w);
    }
    for (size_t i = 0; fmt == RENDER_TERM && i < nb; i++) {
        char d[11];
        date_format(e[i].date, d);
        char *s = dec_format(&e[i].amount, DEC_KR, 2, DEC_FMT_UNIT);
        unsigned long p = 0;
        for (size_t j = 0; j < n; j++)
            if (pop[j].funder == e[i].funder)
                p = pop[j].population;
        fprintf(ctx->out, "  %d:%d  %s  %s  %s  %-10s %14s  (%lu invånare)\n",
                e[i].year, e[i].ver, d, b.accounts.v[account].number,
                b.activities.v[activity].code, b.funders.v[e[i].funder].code,
                s, p);
        free(s);
    }
    if (sc->dry) {
        if (fmt == RENDER_TERM)
            fprintf(ctx->out, "Inget sparades (--dry-run).\n");
        goto out;
    }
    diag_list dl;
    diag_init(&dl);
    book_append_entries(&b, e, nb, origins, &dl);
    rc = cli_report(ctx, &dl);
    diag_free(&dl);
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla allocate: inget sparades\n");
    else if (fmt == RENDER_TERM)
        fprintf(ctx->out, "Sparade verifikation %d:%d–%d:%d.\n", year, ver,
                year, ver + (int)nb - 1);
out:
    if (!sc->dry)
        cli_unlock(&lock);
    for (size_t i = 0; i < nb; i++)
        dec_clear(&e[i].amount);
    free(e);
    free(origins);
    free(pop);
    book_free(&b);
    dec_clear(&whole);
    return rc;
}

/* ---- population ÅR KOD ANTAL ---------------------------------------------------- */

static int set_population(cli_ctx *ctx, const char *ys, const char *code,
                          const char *count, const char *source)
{
    int year;
    if (parse_year(ys, &year) != 0)
        return cli_usage_error(ctx, "allocate", "ogiltigt år \"%s\"", ys);
    size_t len = strlen(count);
    if (len == 0 || len > 9 || strspn(count, "0123456789") != len ||
        strtoul(count, NULL, 10) == 0)
        return cli_usage_error(ctx, "allocate",
                               "invånarantalet ska vara ett heltal större än "
                               "noll, inte \"%s\"", count);
    unsigned long pop = strtoul(count, NULL, 10);
    book b;
    store_lock lock;
    int rc = cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY)
        return rc;
    int f = book_funder_find(&b, code);
    if (f < 0) {
        rc = unknown(ctx, &b, BOOK_CODE_FUNDER, "okänd finansiär", code);
        goto out;
    }
    if (!book_funder_is_municipality(&b, f)) {
        fprintf(ctx->err, "samla allocate: finansiären %s är inte en kommun; "
                          "invånare anges bara för kommuner\n", code);
        rc = EXIT_DATA;
        goto out;
    }
    int created;
    book_population *p = book_population_row(&b, year, f, &created);
    if (!created)
        fprintf(ctx->out, "Invånare %d %s: %lu -> %lu\n", year, code,
                p->population, pop);
    else
        fprintf(ctx->out, "Invånare %d %s: %lu (ny rad)\n", year, code, pop);
    p->population = pop;
    if (source)
        p->source = book_strdup(&b, source);
    diag_list dl;
    diag_init(&dl);
    static const char *const labels[SCHEMA_PO_N] = {[SCHEMA_PO_SOURCE] =
                                                         "--source"};
    book_origin origin = {NULL, 0, labels};
    book_write_populations(&b, &origin, &dl);
    rc = cli_report(ctx, &dl);
    diag_free(&dl);
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla allocate: inget sparades\n");
out:
    cli_unlock(&lock);
    book_free(&b);
    return rc;
}

int cmd_allocate(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"per-capita", required_argument, NULL, O_PER_CAPITA},
        {"total", required_argument, NULL, O_TOTAL},
        {"set-budget", no_argument, NULL, O_SET_BUDGET},
        {"text", required_argument, NULL, O_TEXT},
        {"amount", required_argument, NULL, O_AMOUNT},
        {"account", required_argument, NULL, O_ACCOUNT},
        {"activity", required_argument, NULL, O_ACTIVITY},
        {"earmark", required_argument, NULL, O_EARMARK},
        {"date", required_argument, NULL, O_DATE},
        {"doc", required_argument, NULL, O_DOC},
        {"dry-run", no_argument, NULL, O_DRY},
        {"source", required_argument, NULL, O_SOURCE},
        {"format", required_argument, NULL, O_FORMAT},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, O_USER},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *rate_s = NULL, *total_s = NULL, *text = NULL, *source = NULL;
    shared_cost sc;
    memset(&sc, 0, sizeof sc);
    int set_budget = 0, c;
    render_format fmt = RENDER_TERM;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(allocate_help, ctx->out); return EXIT_OKAY;
        case O_PER_CAPITA: rate_s = optarg; break;
        case O_TOTAL: total_s = optarg; break;
        case O_SET_BUDGET: set_budget = 1; break;
        case O_TEXT: text = optarg; break;
        case O_AMOUNT: sc.amount = optarg; break;
        case O_ACCOUNT: sc.account = optarg; break;
        case O_ACTIVITY: sc.activity = optarg; break;
        case O_EARMARK: sc.earmark = optarg; break;
        case O_DATE: sc.date = optarg; break;
        case O_DOC: sc.doc = optarg; break;
        case O_DRY: sc.dry = 1; break;
        case O_SOURCE: source = optarg; break;
        case O_FORMAT:
            if (render_format_parse(optarg, &fmt) != 0)
                return cli_usage_error(ctx, "allocate",
                                       "--format ska vara term, csv eller "
                                       "json");
            break;
        case 'f': ctx->book_dir = optarg; break;
        case O_USER: ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "allocate", argv, "f:h");
        }
    }
    int npos = argc - optind;
    if (npos >= 1 && !strcmp(argv[optind], "population")) {
        if (npos != 4)
            return cli_usage_error(ctx, "allocate",
                                   "ange år, kommunens kod och antal, t.ex. "
                                   "population 2027 LERUM 43800");
        return set_population(ctx, argv[optind + 1], argv[optind + 2],
                              argv[optind + 3], source);
    }
    if (sc.amount || sc.account || sc.activity) {
        if (npos != 0)
            return cli_usage_error(ctx, "allocate",
                                   "oväntat argument \"%s\" (med --amount "
                                   "tas året från --date)", argv[optind]);
        if (rate_s || total_s || set_budget)
            return cli_usage_error(ctx, "allocate",
                                   "--amount går inte ihop med --per-capita, "
                                   "--total eller --set-budget");
        const char *opt[4] = {"--amount", "--account", "--activity",
                              "--text"};
        const char *val[4] = {sc.amount, sc.account, sc.activity, text};
        char miss[96] = "";
        int nmiss = 0;
        for (int k = 0; k < 4; k++)
            if (!val[k])
                nmiss++;
        for (int k = 0, j = 0; k < 4; k++) {
            if (val[k])
                continue;
            j++;
            size_t u = strlen(miss);
            snprintf(miss + u, sizeof miss - u, "%s%s",
                     j == 1 ? "" : j == nmiss ? " och " : ", ", opt[k]);
        }
        if (nmiss)
            return cli_usage_error(ctx, "allocate", "%s saknas", miss);
        sc.text = text;
        return allocate_cost(ctx, &sc, fmt);
    }
    if (npos != 1)
        return cli_usage_error(ctx, "allocate",
                               "ange ett år och --per-capita eller --total, "
                               "t.ex. 2026 --per-capita 15,50");
    int year;
    if (parse_year(argv[optind], &year) != 0)
        return cli_usage_error(ctx, "allocate", "ogiltigt år \"%s\"",
                               argv[optind]);
    if (!rate_s == !total_s)
        return cli_usage_error(ctx, "allocate",
                               "ange antingen --per-capita eller --total");
    dec_t v;
    dec_init(&v);
    int rc = cli_amount(ctx, rate_s ? "--per-capita" : "--total",
                        rate_s ? rate_s : total_s, &v);
    if (rc == 0)
        rc = allocate_year(ctx, year, rate_s ? &v : NULL,
                           rate_s ? NULL : &v, set_budget, text, fmt);
    else
        rc = EXIT_DATA;
    dec_clear(&v);
    return rc;
}
