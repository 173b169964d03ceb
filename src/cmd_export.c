/*
 * cmd_export - `samla export budget|annual`: the Excel workbooks (xlsx.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "render.h"
#include "reports.h"
#include "sie.h"
#include "store.h"
#include "xlsx.h"

enum { O_AT = 256, O_BY, O_UNIT, O_USER, O_ROWS, O_MEMORY, O_RULES };

static const char export_help[] =
    "Användning: samla export budget [ÅR] [--at PERIOD] [--by B] [-o FIL.xlsx]\n"
    "            samla export annual [ÅR] [-o FIL.xlsx]\n"
    "            samla export sie [ÅR] [-o FIL.se] [--rules REGLER.csv]\n"
    "Skriver en Excel-arbetsbok eller en SIE-fil.\n"
    "  budget   \"Budget och uppföljning ÅR\" för samordningsgruppen: intäkter\n"
    "           per finansiär och kostnader per verksamhet med budget helår,\n"
    "           utfall per kvartal eller tertial, budget och utfall t.o.m.,\n"
    "           prognos helår, avvikelser, utfall % och kommentar; varje\n"
    "           öronmärkning; ackumulerat överskott: öronmärkt, bundna bidrag\n"
    "           och fritt; ett diagram. ÅR: standard året för bokens\n"
    "           rapporterat t.o.m. (samla reported), annars innevarande år.\n"
    "  annual   \"Årsbokslut ÅR\": resultaträkning, kvartal, finansiärer,\n"
    "           verksamheter, eget kapital och öronmärkta medel, en\n"
    "           specifikation per verksamhet med Specifikation=ja och alla\n"
    "           verifikationer. ÅR: standard förra året.\n"
    "  sie      SIE 4 (PC8, #KSUMMA) för revisorer och värdkommunens\n"
    "           ekonomisystem: konton, verksamheter, finansiärer och\n"
    "           öronmärkningar som objekt, #IB/#UB/#RES, en balanserad #VER\n"
    "           per verifikation med motraden på avräkningskontot\n"
    "           (docs/sie.md). ÅR: standard förra året.\n"
    "  --rules FIL  sie: skriv också regelfilen som importerar filen\n"
    "               (samla import FIL.se --rules FIL)\n"
    "  -o FIL       arbetsboken (standard budget-ÅR.xlsx / arsbokslut-ÅR.xlsx)\n"
    "  --at P       budget: utfall t.o.m. slutet av P, t.ex. 2026Q2 eller\n"
    "               2026T2 (standard: bokens rapporterat t.o.m., eller\n"
    "               dagens datum om boken inte anger det)\n"
    "  --by B       budget: utfallskolumner per quarter, tertial eller month\n"
    "  --unit U     visningsenhet kr, tkr eller mnkr (budget: tkr, annual:\n"
    "               kr); cellerna innehåller alltid exakta belopp i kr\n"
    "  --rows-per-sheet N   annual: högst N verifikationer per blad\n"
    "  --constant-memory on|off|auto   libxlsxwriters minnessnåla läge\n"
    "               (auto: på för fler än 50 000 verifikationer)\n"
    "  -f MAPP      boken\n"
    "Summor, prognos, avvikelse och resultat skrivs som formler med sina\n"
    "exakta värden. Med SOURCE_DATE_EPOCH blir filen byte för byte lika.\n"
    "Slutstatus: 0 ok, 1 fel i data, 2 fel i anropet.\n";

static int parse_year(const char *s, int *year)
{
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return -1;
    *year = atoi(s);
    return *year >= 1900 ? 0 : -1;
}

/* The #GEN date: $SOURCE_DATE_EPOCH's day (UTC) when set, as the
 * workbooks' creation time, else today. */
static int generated(cli_ctx *ctx, date_t *out)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    *out = date_today();
    if (!env || !*env)
        return 0;
    char *end;
    long long v = strtoll(env, &end, 10);
    if (*end || v <= 0) {
        fprintf(ctx->err, "samla export: SOURCE_DATE_EPOCH=\"%s\" är inte ett "
                          "antal sekunder\n",
                env);
        return -1;
    }
    *out = (date_t)(v / 86400);
    return 0;
}

static int export_sie(cli_ctx *ctx, int year, const char *out,
                      const char *rules)
{
    date_t gen;
    if (generated(ctx, &gen) != 0)
        return EXIT_USAGE;
    book b;
    int rc = cli_load(ctx, &b);
    if (rc != EXIT_OKAY)
        return rc;
    diag_list dl;
    diag_init(&dl);
    sie_write_opts o = {"0.1", gen, NULL};
    char *buf = NULL, *rbuf = NULL;
    size_t len = 0, rlen = 0;
    if (sie_write_year(&b, year, &o, &buf, &len, &dl) == SAMLA_OK &&
        store_write_atomic(out, buf, len, &dl) == SAMLA_OK && rules &&
        sie_write_rules(&b, &rbuf, &rlen) == SAMLA_OK)
        store_write_atomic(rules, rbuf, rlen, &dl);
    rc = cli_report(ctx, &dl);
    if (rc == EXIT_OKAY) {
        fprintf(ctx->err, "Skrev %s.\n", out);
        if (rules)
            fprintf(ctx->err, "Skrev %s (importera med samla import %s "
                              "--rules %s).\n",
                    rules, out, rules);
    }
    free(buf);
    free(rbuf);
    diag_free(&dl);
    book_free(&b);
    return rc;
}

int cmd_export(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"at", required_argument, NULL, O_AT},
        {"by", required_argument, NULL, O_BY},
        {"unit", required_argument, NULL, O_UNIT},
        {"output", required_argument, NULL, 'o'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, O_USER},
        {"rows-per-sheet", required_argument, NULL, O_ROWS},
        {"constant-memory", required_argument, NULL, O_MEMORY},
        {"rules", required_argument, NULL, O_RULES},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    if (argc > 1 && cli_is_help(argv[1])) {
        fputs(export_help, ctx->out);
        return EXIT_OKAY;
    }
    if (argc < 2)
        return cli_usage_error(ctx, "export", "ange budget, annual eller sie");
    const char *what = argv[1];
    int is_budget = !strcmp(what, "budget"), is_sie = !strcmp(what, "sie");
    if (!is_budget && !is_sie && strcmp(what, "annual") != 0)
        return cli_usage_error(ctx, "export",
                               "okänd export \"%s\" (budget, annual, sie)",
                               what);
    const char *rules = NULL;

    xlsx_opts xo;
    xlsx_opts_default(&xo);
    const char *out = NULL, *at_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    /* Options after the workbook's name (argv[1]). */
    while ((c = getopt_long(argc - 1, argv + 1, "f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(export_help, ctx->out); return EXIT_OKAY;
        case 'o': out = optarg; break;
        case 'f': ctx->book_dir = optarg; break;
        case O_USER: ctx->user = optarg; break;
        case O_RULES:
            if (!is_sie)
                return cli_usage_error(ctx, "export",
                                       "--rules gäller bara export sie");
            rules = optarg;
            break;
        case O_AT:
            if (!is_budget)
                return cli_usage_error(ctx, "export",
                                       "--at gäller bara export budget");
            at_s = optarg;
            break;
        case O_BY:
            if (!is_budget)
                return cli_usage_error(ctx, "export",
                                       "--by gäller bara export budget");
            if (period_by_parse(&xo.by, optarg) != 0 ||
                (xo.by != PERIOD_BY_QUARTER && xo.by != PERIOD_BY_TERTIAL &&
                 xo.by != PERIOD_BY_MONTH))
                return cli_usage_error(ctx, "export",
                                       "--by ska vara quarter, tertial "
                                       "eller month");
            break;
        case O_UNIT: {
            dec_unit u;
            if (render_unit_parse(optarg, &u) != 0)
                return cli_usage_error(ctx, "export",
                                       "okänd enhet \"%s\" (kr, tkr, mnkr)",
                                       optarg);
            xo.unit = (int)u;
            break;
        }
        case O_ROWS: {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1)
                return cli_usage_error(ctx, "export",
                                       "--rows-per-sheet vill ha ett "
                                       "positivt heltal");
            xo.journal_rows_per_sheet = (size_t)n;
            break;
        }
        case O_MEMORY:
            if (!strcmp(optarg, "on"))
                xo.constant_memory = 1;
            else if (!strcmp(optarg, "off"))
                xo.constant_memory = 0;
            else if (!strcmp(optarg, "auto"))
                xo.constant_memory = -1;
            else
                return cli_usage_error(ctx, "export",
                                       "--constant-memory on, off eller auto");
            break;
        default: return cli_bad_option(ctx, "export", argv + 1, "f:o:h");
        }
    }
    int idx = optind + 1; /* back to argv's numbering */
    /* budget: 0 = the year of the book's reported-through date (or of
     * --at), known once the book is read */
    int year = is_budget ? 0 : date_year(date_today()) - 1;
    if (idx < argc && parse_year(argv[idx++], &year) != 0)
        return cli_usage_error(ctx, "export", "ogiltigt år \"%s\"",
                               argv[idx - 1]);
    if (idx != argc)
        return cli_usage_error(ctx, "export", "oväntat argument \"%s\"",
                               argv[idx]);
    period_t at;
    if (at_s) {
        const char *msg = NULL;
        if (period_parse(&at, at_s, &msg) != 0)
            return cli_usage_error(ctx, "export", "--at \"%s\": %s", at_s,
                                   msg ? msg : "ogiltig period");
    }
    char defname[64];
    if (is_sie) {
        if (!out) {
            snprintf(defname, sizeof defname, "sie-%d.se", year);
            out = defname;
        }
        return export_sie(ctx, year, out, rules);
    }

    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY && !year)
        year = at_s ? date_year(at.to) : report_default_year(&b);
    if (rc == EXIT_OKAY && !out) {
        snprintf(defname, sizeof defname, "%s-%d.xlsx",
                 is_budget ? "budget" : "arsbokslut", year);
        out = defname;
    }
    if (rc == EXIT_OKAY) {
        diag_list dl;
        diag_init(&dl);
        int r = is_budget
                    ? xlsx_export_budget_opt(&b, year, at_s ? &at : NULL, out,
                                             &xo, &dl)
                    : xlsx_export_annual_opt(&b, year, out, &xo, &dl);
        cli_report(ctx, &dl);
        diag_free(&dl);
        if (r == SAMLA_OK)
            fprintf(ctx->err, "Skrev %s.\n", out);
        else
            rc = EXIT_DATA;
    }
    book_free(&b);
    return rc;
}
