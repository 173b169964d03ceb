/*
 * cmd_report - the report commands: balance, result, surplus, earmarks,
 * budget, activity, list. Each parses its options, loads the book, asks a
 * computation (reports.h) for the report and hands it to a renderer
 * (render.h). Nothing here computes a figure.
 *
 * Why one file of some 700 lines: seven commands of the same shape (options,
 * load, compute, render) read best side by side; each is short.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"
#include "mem.h"
#include "render.h"
#include "reports.h"

/* Long-only options. */
enum {
    O_FORMAT = 256,
    O_UNIT,
    O_USER,
    O_PERIOD,
    O_BY,
    O_PER_MUNICIPALITY,
    O_ROWS,
    O_DETAIL,
    O_AT,
    O_ACCOUNT,
    O_ACTIVITY,
    O_FUNDER,
    O_EARMARK,
    O_WIDE
};

/* The options every report command takes. */
#define REPORT_OPTS                                                         \
    {"format", required_argument, NULL, O_FORMAT},                          \
        {"unit", required_argument, NULL, O_UNIT},                          \
        {"output", required_argument, NULL, 'o'},                           \
        {"book", required_argument, NULL, 'f'},                             \
        {"user", required_argument, NULL, O_USER},                          \
        {"wide", no_argument, NULL, O_WIDE},                                \
        {"help", no_argument, NULL, 'h'}

#define REPORT_OPTS_HELP                                                    \
    "  --format F  term (standard), csv eller json\n"                       \
    "  -o FIL      skriv till FIL; formatet tas från .csv/.json om inte\n"  \
    "              --format anges\n"                                        \
    "  --unit U    kr (med öre, standard), tkr eller mnkr (en decimal)\n"   \
    "  --wide      alla kolumner, hur smal terminalen än är (annars\n"      \
    "              anpassas tabellerna till COLUMNS eller terminalen)\n"   \
    "  -f MAPP     boken\n"                                                 \
    "Slutstatus: 0 ok, 1 fel i data, 2 fel i anropet.\n"

/* How the report is to be shown, from the common options. */
typedef struct {
    render_format format;
    int format_given;
    const char *outfile;
    dec_unit unit;
    int unit_given;
    int wide;
} out_opts;

/* Handle one of the common options. Returns 1 when handled, 0 when it is
 * not a common option, -1 after a usage error was printed. */
static int common_opt(cli_ctx *ctx, const char *cmd, int c, const char *arg,
                      out_opts *oo)
{
    switch (c) {
    case O_FORMAT:
        if (render_format_parse(arg, &oo->format) != 0) {
            cli_usage_error(ctx, cmd, "okänt format \"%s\" (term, csv, json)",
                            arg);
            return -1;
        }
        oo->format_given = 1;
        return 1;
    case O_UNIT:
        if (render_unit_parse(arg, &oo->unit) != 0) {
            cli_usage_error(ctx, cmd, "okänd enhet \"%s\" (kr, tkr, mnkr)",
                            arg);
            return -1;
        }
        oo->unit_given = 1;
        return 1;
    case 'o': oo->outfile = arg; return 1;
    case O_WIDE: oo->wide = 1; return 1;
    case 'f': ctx->book_dir = arg; return 1;
    case O_USER: ctx->user = arg; return 1;
    default: return 0;
    }
}

/* A report command while its options are read. */
typedef struct {
    cli_ctx *ctx;
    const char *name; /* the command, for messages */
    const char *help;
    const struct option *opts; /* the command's own and REPORT_OPTS */
    int argc;
    char **argv;
    out_opts oo; /* the common options */
    int exit;    /* the exit code when next_opt returned OPT_EXIT */
} report_cmd;

enum { OPT_END = -1, OPT_EXIT = -2 };

/* Start reading the options of a report command. */
static void report_cmd_start(report_cmd *cmd, cli_ctx *ctx, const char *name,
                             const char *help, const struct option *opts,
                             int argc, char **argv)
{
    *cmd = (report_cmd){.ctx = ctx,
                        .name = name,
                        .help = help,
                        .opts = opts,
                        .argc = argc,
                        .argv = argv};
    optind = 0;
    opterr = 0;
}

/* The command's next option of its own: the common options (common_opt)
 * go into cmd->oo, --help is printed, an unknown option or a missing value
 * is a usage error. Returns the option; OPT_END after the last (optind at
 * the first argument); OPT_EXIT when the command is to return cmd->exit
 * (the help was printed, or a usage error). */
static int next_opt(report_cmd *cmd)
{
    int c;
    while ((c = getopt_long(cmd->argc, cmd->argv, "f:o:h", cmd->opts,
                            NULL)) != -1) {
        int k = common_opt(cmd->ctx, cmd->name, c, optarg, &cmd->oo);
        if (k < 0) {
            cmd->exit = EXIT_USAGE;
            return OPT_EXIT;
        }
        if (k)
            continue;
        if (c == 'h') {
            fputs(cmd->help, cmd->ctx->out);
            cmd->exit = EXIT_OKAY;
            return OPT_EXIT;
        }
        if (c == '?') {
            cmd->exit = cli_bad_option(cmd->ctx, cmd->name, cmd->argv,
                                       "f:o:h");
            return OPT_EXIT;
        }
        return c;
    }
    return OPT_END;
}


static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Colour only for a terminal, and never when NO_COLOR is set to anything
 * non-empty (no-color.org). */
static int want_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    return isatty(fileno(f)) && !(nc && *nc);
}

/* The width terminal output is fitted to: $COLUMNS when set to a number,
 * else the terminal's own width when f is a terminal, else 0 (any: a pipe
 * or a file gets every column). */
static size_t term_width(FILE *f)
{
    const char *c = getenv("COLUMNS");
    if (c && *c) {
        char *end;
        long n = strtol(c, &end, 10);
        if (!*end && n >= 20 && n <= 100000)
            return (size_t)n;
    }
    struct winsize ws;
    if (isatty(fileno(f)) && ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col >= 20)
        return ws.ws_col;
    return 0;
}

/* Render r as the common options ask and write it to stdout or the file.
 * Returns the exit code. Takes ownership of r. */
static int emit(report_cmd *cmd, report *r)
{
    cli_ctx *ctx = cmd->ctx;
    out_opts *oo = &cmd->oo;
    if (!oo->format_given && oo->outfile) {
        if (ends_with(oo->outfile, ".csv"))
            oo->format = RENDER_CSV;
        else if (ends_with(oo->outfile, ".json"))
            oo->format = RENDER_JSON;
    }
    render_opts ro;
    ro.unit = oo->unit_given ? oo->unit : DEC_KR;
    ro.decimals = render_decimals(ro.unit);
    ro.unit_given = oo->unit_given;
    ro.color = oo->format == RENDER_TERM && !oo->outfile && want_color(ctx->out);
    ro.width = oo->format == RENDER_TERM && !oo->outfile && !oo->wide
                   ? term_width(ctx->out)
                   : 0;
    /* Rounded figures get the notes on where rounding shows; JSON and CSV
     * without --unit are exact and need none. */
    if (oo->format == RENDER_TERM ||
        (oo->format == RENDER_CSV && oo->unit_given))
        report_rounding_notes(r, ro.unit, ro.decimals);

    char *data = NULL;
    size_t len = 0;
    csvio_out co;
    int rc = EXIT_OKAY;
    switch (oo->format) {
    case RENDER_CSV:
        csvio_out_init(&co, ';', 1);
        render_csv(r, &ro, &co);
        data = co.buf;
        len = co.len;
        co.buf = NULL;
        csvio_out_free(&co);
        break;
    case RENDER_JSON:
        data = render_json(r, &ro);
        len = strlen(data);
        break;
    default:
        if (!oo->outfile) {
            rc = render_term(r, &ro, ctx->out) == 0 ? EXIT_OKAY : EXIT_DATA;
            report_free(r);
            return rc;
        }
        FILE *mem = open_memstream(&data, &len);
        if (!mem)
            mem_fail(0);
        render_term(r, &ro, mem);
        fclose(mem);
    }
    report_free(r);
    if (oo->outfile) {
        diag_list dl;
        diag_init(&dl);
        if (store_write_atomic(oo->outfile, data, len, &dl) != SAMLA_OK)
            rc = EXIT_DATA;
        cli_report(ctx, &dl);
        diag_free(&dl);
        if (rc == EXIT_OKAY)
            fprintf(ctx->err, "Skrev %s.\n", oo->outfile);
    } else if (fwrite(data, 1, len, ctx->out) != len) {
        rc = EXIT_DATA;
    }
    free(data);
    return rc;
}

/* A year argument: four digits, 1900..9999. */
static int parse_year(const char *s, int *year)
{
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return -1;
    *year = atoi(s);
    return *year >= 1900 ? 0 : -1;
}

/* The arguments after the options: none, or (year not NULL) an optional
 * ÅR, *year keeping its default without one. Prints the usage error. */
static int take_args(report_cmd *cmd, int *year)
{
    if (year && optind < cmd->argc &&
        parse_year(cmd->argv[optind++], year) != 0) {
        cli_usage_error(cmd->ctx, cmd->name, "ogiltigt år \"%s\"",
                        cmd->argv[optind - 1]);
        return -1;
    }
    if (optind != cmd->argc) {
        cli_usage_error(cmd->ctx, cmd->name, "oväntat argument \"%s\"",
                        cmd->argv[optind]);
        return -1;
    }
    return 0;
}

/* A --period (or --at) value; prints a usage error. */
static int parse_period(cli_ctx *ctx, const char *cmd, const char *opt,
                        const char *s, period_t *p)
{
    const char *msg = NULL;
    if (period_parse(p, s, &msg) == 0)
        return 0;
    cli_usage_error(ctx, cmd, "%s \"%s\": %s", opt, s,
                    msg ? msg : "ogiltig period");
    return -1;
}

/* --by of the reports that take every division (month, quarter, tertial,
 * year); prints the usage error and returns -1 for anything else, as
 * parse_period does for --period. */
static int parse_by(cli_ctx *ctx, const char *cmd, const char *s,
                    period_by *by)
{
    if (period_by_parse(by, s) == 0)
        return 0;
    cli_usage_error(ctx, cmd, "--by ska vara month, quarter, tertial eller "
                              "year");
    return -1;
}

/* The current calendar year as a period (the default of --period). */
static void this_year(period_t *p)
{
    period_year(p, date_year(date_today()));
}

/* ---- balance ------------------------------------------------------------ */

static const char balance_help[] =
    "Användning: samla balance [--rows account|activity|funder]\n"
    "                    [--period P] [--by month|quarter|tertial|year]\n"
    "Belopp per konto, verksamhet eller finansiär och period, med summor\n"
    "per rad och kolumn: intäkter, kostnader och resultat.\n"
    "  --rows R    raderna: account (konto, standard), activity\n"
    "              (verksamhet) eller funder (finansiär)\n"
    "  --period P  2026, 2026Q1, 2026T2, 2026-03 eller\n"
    "              2025-07-01..2026-06-30 (standard: innevarande år)\n"
    "  --by B      en kolumn per month, quarter, tertial eller year\n"
    "              (standard: en kolumn för hela perioden)\n" REPORT_OPTS_HELP;

int cmd_balance(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rows", required_argument, NULL, O_ROWS},
        {"period", required_argument, NULL, O_PERIOD},
        {"by", required_argument, NULL, O_BY},
        REPORT_OPTS,
        {0, 0, 0, 0}};
    report_cmd cmd;
    report_cmd_start(&cmd, ctx, "balance", balance_help, opts, argc, argv);
    report_rows rows = REPORT_ROWS_ACCOUNT;
    period_by by = PERIOD_BY_NONE;
    period_t p;
    this_year(&p);
    int c;
    while ((c = next_opt(&cmd)) != OPT_END) {
        switch (c) {
        case OPT_EXIT: return cmd.exit;
        case O_ROWS:
            if (report_rows_parse(optarg, &rows) != 0)
                return cli_usage_error(ctx, "balance",
                                       "--rows ska vara account, activity "
                                       "eller funder");
            break;
        case O_PERIOD:
            if (parse_period(ctx, "balance", "--period", optarg, &p) != 0)
                return EXIT_USAGE;
            break;
        case O_BY:
            if (parse_by(ctx, "balance", optarg, &by) != 0)
                return EXIT_USAGE;
            break;
        }
    }
    if (take_args(&cmd, NULL) != 0)
        return EXIT_USAGE;
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY)
        rc = emit(&cmd, report_balance(&b, &p, by, rows));
    book_free(&b);
    return rc;
}

/* ---- result ---------------------------------------------------------------- */

static const char result_help[] =
    "Användning: samla result [ÅR] [--detail] [--at DATUM]\n"
    "Resultaträkningen för ÅR (standard: innevarande år), per ÅR-12-31:\n"
    "intäkter per finansiär, kostnader per verksamhet, årets resultat,\n"
    "ingående och utgående ackumulerat överskott; med budget, utfall,\n"
    "avvikelse (positiv är gynnsam) och föregående års utfall.\n"
    "  --detail    kostnaderna per konto inom varje verksamhet (utan budget)\n"
    "  --at DATUM  utfallet t.o.m. DATUM i stället för hela året\n"
    REPORT_OPTS_HELP;

int cmd_result(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"detail", no_argument, NULL, O_DETAIL},
        {"at", required_argument, NULL, O_AT},
        REPORT_OPTS,
        {0, 0, 0, 0}};
    report_cmd cmd;
    report_cmd_start(&cmd, ctx, "result", result_help, opts, argc, argv);
    int detail = 0, c;
    date_t to = DATE_NONE;
    period_t p;
    while ((c = next_opt(&cmd)) != OPT_END) {
        switch (c) {
        case OPT_EXIT: return cmd.exit;
        case O_DETAIL: detail = 1; break;
        case O_AT:
            if (parse_period(ctx, "result", "--at", optarg, &p) != 0)
                return EXIT_USAGE;
            to = p.to;
            break;
        }
    }
    int year = date_year(date_today());
    if (take_args(&cmd, &year) != 0)
        return EXIT_USAGE;
    if (to != DATE_NONE && date_year(to) != year)
        return cli_usage_error(ctx, "result",
                               "--at ska ligga i året %d", year);
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY)
        rc = emit(&cmd, report_result(&b, year, detail, to));
    book_free(&b);
    return rc;
}

/* ---- surplus ---------------------------------------------------------------- */

static const char surplus_help[] =
    "Användning: samla surplus [--at DATUM]\n"
    "Ackumulerat överskott per år: ingående, årets resultat, utgående,\n"
    "varav öronmärkt och ej öronmärkt.\n"
    "  --at DATUM  till och med DATUM (standard: bokens rapporterat t.o.m.,\n"
    "              se samla reported; i dag om boken inte anger det); också\n"
    "              en period, t.ex. 2025 = per 2025-12-31\n" REPORT_OPTS_HELP;

/* A report per the default date: say where the date came from when the
 * book records no reported-through date (the follow-up is then as of
 * today). */
static void note_default_date(report *r, const book *b)
{
    if (b->reported == DATE_NONE)
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Boken anger inget rapporterat t.o.m. (samla "
                        "reported): rapporten är per dagens datum.");
}

/* The two reports that take only --at DATE (surplus, earmarks) share their
 * option handling; `build` computes the report for the loaded book. */
static int at_report(cli_ctx *ctx, int argc, char **argv, const char *name,
                     const char *help, report *(*build)(const book *, date_t))
{
    static const struct option opts[] = {
        {"at", required_argument, NULL, O_AT}, REPORT_OPTS, {0, 0, 0, 0}};
    report_cmd cmd;
    report_cmd_start(&cmd, ctx, name, help, opts, argc, argv);
    date_t at = DATE_NONE;
    period_t p;
    int c;
    while ((c = next_opt(&cmd)) != OPT_END) {
        switch (c) {
        case OPT_EXIT: return cmd.exit;
        case O_AT:
            if (parse_period(ctx, name, "--at", optarg, &p) != 0)
                return EXIT_USAGE;
            at = p.to;
            break;
        }
    }
    if (take_args(&cmd, NULL) != 0)
        return EXIT_USAGE;
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY) {
        int defaulted = at == DATE_NONE;
        report *r = build(&b, defaulted ? report_default_date(&b) : at);
        if (defaulted)
            note_default_date(r, &b);
        rc = emit(&cmd, r);
    }
    book_free(&b);
    return rc;
}

int cmd_surplus(cli_ctx *ctx, int argc, char **argv)
{
    return at_report(ctx, argc, argv, "surplus", surplus_help, report_surplus);
}

/* ---- earmarks ---------------------------------------------------------------- */

static const char earmarks_help[] =
    "Användning: samla earmarks [--at DATUM]\n"
    "Öronmärkta medel per DATUM: per öronmärkning beslutat belopp, beslut\n"
    "(organ, datum, paragraf), förbrukat, återstår, förbrukat i procent och\n"
    "status (aktiv, förbrukad, överdragen, utgången, avslutad), med\n"
    "varningar; därtill det fria (ej öronmärkta) överskottet.\n"
    "  --at DATUM  per DATUM (standard: bokens rapporterat t.o.m., se samla\n"
    "              reported; i dag om boken inte anger det); också en\n"
    "              period, t.ex. 2025 = per 2025-12-31\n" REPORT_OPTS_HELP;

int cmd_earmarks(cli_ctx *ctx, int argc, char **argv)
{
    return at_report(ctx, argc, argv, "earmarks", earmarks_help,
                     report_earmarks);
}

/* ---- budget ---------------------------------------------------------------- */

static const char budget_help[] =
    "Användning: samla budget [ÅR] [--at PERIOD] [--by quarter|tertial|month]\n"
    "       samla budget set|import ...  (ändra budgeten; se deras --help)\n"
    "Budgetuppföljning för ÅR (standard: året för bokens rapporterat\n"
    "t.o.m., se samla reported; annars innevarande år): per budgetrad\n"
    "budget helår, utfall per kvartal (eller tertial), budget t.o.m., utfall\n"
    "t.o.m. och deras avvikelse, prognos helår och avvikelse helår, utfall i\n"
    "procent av budget; intäkter, kostnader och resultat; öronmärkta medel;\n"
    "ackumulerat överskott: öronmärkt, bundna bidrag och fritt.\n"
    "Avvikelse är positiv när den är gynnsam: intäkter utfall − budget,\n"
    "kostnader budget − utfall. Prognos helår = utfall t.o.m. + budgeten\n"
    "för kvartalen efter datumet, om inte raden har en inlagd prognos.\n"
    "  --at P      utfall t.o.m. slutet av P: 2026Q1, 2026T2, 2026-05 eller\n"
    "              ett datum (standard: bokens rapporterat t.o.m., eller\n"
    "              dagens datum om boken inte anger det)\n"
    "  --by B      utfallskolumner per quarter (kvartal), tertial eller\n"
    "              month (standard: tertial för --at 2026T2, annars kvartal)\n"
    "  --wide      skriv alla kolumner även om terminalen är smalare\n"
    REPORT_OPTS_HELP;

int cmd_budget(cli_ctx *ctx, int argc, char **argv)
{
    /* `samla budget set|import ...` edit the budget (cmd_budget_set.c). */
    if (argc > 1 && !strcmp(argv[1], "set"))
        return cmd_budget_set(ctx, argc - 1, argv + 1);
    if (argc > 1 && !strcmp(argv[1], "import"))
        return cmd_budget_import(ctx, argc - 1, argv + 1);

    static const struct option opts[] = {
        {"at", required_argument, NULL, O_AT},
        {"by", required_argument, NULL, O_BY},
        REPORT_OPTS,
        {0, 0, 0, 0}};
    report_cmd cmd;
    report_cmd_start(&cmd, ctx, "budget", budget_help, opts, argc, argv);
    const char *at_s = NULL;
    period_by by = PERIOD_BY_NONE;
    int c;
    while ((c = next_opt(&cmd)) != OPT_END) {
        switch (c) {
        case OPT_EXIT: return cmd.exit;
        case O_AT: at_s = optarg; break;
        case O_BY:
            if (period_by_parse(&by, optarg) != 0 ||
                (by != PERIOD_BY_QUARTER && by != PERIOD_BY_TERTIAL &&
                 by != PERIOD_BY_MONTH))
                return cli_usage_error(ctx, "budget",
                                       "--by ska vara quarter, tertial "
                                       "eller month");
            break;
        }
    }
    int year = 0; /* 0 = the year of the book's reported-through date */
    if (take_args(&cmd, &year) != 0)
        return EXIT_USAGE;
    period_t p;
    if (at_s && parse_period(ctx, "budget", "--at", at_s, &p) != 0)
        return EXIT_USAGE;
    if (by == PERIOD_BY_NONE)
        by = report_budget_by(at_s ? &p : NULL);
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY) {
        if (!year)
            year = at_s ? date_year(p.to) : report_default_year(&b);
        rc = emit(&cmd,
                  report_budget(&b, year,
                                at_s ? p.to : report_default_at(&b, year), by));
    }
    book_free(&b);
    return rc;
}

/* ---- activity ---------------------------------------------------------------- */

static const char activity_help[] =
    "Användning: samla activity KOD [--period P] [--by B | --per-municipality]\n"
    "Specifikation av en verksamhet: kostnader per konto, intäkter som hör\n"
    "till verksamheten per finansiär, och nettokostnaden.\n"
    "  --period P  som för balance (standard: innevarande år)\n"
    "  --by B      en kolumn per month, quarter, tertial eller year\n"
    "  --per-municipality\n"
    "              en kolumn per kommun: poster med kommunen som finansiär\n"
    "              räknas helt till den, resten fördelas efter invånare\n"
    "              (invanare.csv) så att varje rad summerar exakt\n"
    REPORT_OPTS_HELP;

int cmd_activity(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, O_PERIOD},
        {"by", required_argument, NULL, O_BY},
        {"per-municipality", no_argument, NULL, O_PER_MUNICIPALITY},
        REPORT_OPTS,
        {0, 0, 0, 0}};
    report_cmd cmd;
    report_cmd_start(&cmd, ctx, "activity", activity_help, opts, argc, argv);
    period_by by = PERIOD_BY_NONE;
    int per_municipality = 0;
    period_t p;
    this_year(&p);
    int c;
    while ((c = next_opt(&cmd)) != OPT_END) {
        switch (c) {
        case OPT_EXIT: return cmd.exit;
        case O_PERIOD:
            if (parse_period(ctx, "activity", "--period", optarg, &p) != 0)
                return EXIT_USAGE;
            break;
        case O_PER_MUNICIPALITY: per_municipality = 1; break;
        case O_BY:
            if (parse_by(ctx, "activity", optarg, &by) != 0)
                return EXIT_USAGE;
            break;
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(ctx, "activity",
                               "ange en verksamhets kod, t.ex. SMM");
    const char *code = argv[optind];
    if (per_municipality && by != PERIOD_BY_NONE)
        return cli_usage_error(ctx, "activity",
                               "--per-municipality går inte ihop med --by");
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY) {
        int a = book_activity_find(&b, code);
        if (a < 0) {
            fprintf(ctx->err, "samla activity: okänd verksamhet \"%s\"\n",
                    code);
            rc = EXIT_DATA;
        } else if (per_municipality) {
            diag_list dl;
            diag_init(&dl);
            report *r = report_activity_municipal(&b, a, &p, &dl);
            rc = cli_report(ctx, &dl);
            diag_free(&dl);
            if (r)
                rc = emit(&cmd, r);
            else
                rc = EXIT_DATA;
        } else {
            rc = emit(&cmd, report_activity(&b, a, &p, by));
        }
    }
    book_free(&b);
    return rc;
}

/* ---- list ---------------------------------------------------------------- */

static const char list_help[] =
    "Användning: samla list [--period P] [--account KONTO]\n"
    "                 [--activity KOD] [--funder KOD] [--earmark KOD]\n"
    "Verifikationslistan, en rad per verifikation (Ver som ÅR:NUMMER,\n"
    "datum, konto, verksamhet, finansiär, öronmärkning, belopp, text,\n"
    "rättar), med summor för intäkter och kostnader.\n"
    "  --period P    bara verifikationer i P (standard: alla)\n"
    "  --account K   bara konto K\n"
    "  --activity K  bara verksamhet K\n"
    "  --funder K    bara finansiär K\n"
    "  --earmark K   bara öronmärkning K\n" REPORT_OPTS_HELP;

/* Resolve a filter code; prints the error. */
static int filter_code(cli_ctx *ctx, int idx, const char *what,
                       const char *code)
{
    if (idx < 0)
        fprintf(ctx->err, "samla list: okänd %s \"%s\"\n", what, code);
    return idx;
}

int cmd_list(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, O_PERIOD},
        {"account", required_argument, NULL, O_ACCOUNT},
        {"activity", required_argument, NULL, O_ACTIVITY},
        {"funder", required_argument, NULL, O_FUNDER},
        {"earmark", required_argument, NULL, O_EARMARK},
        REPORT_OPTS,
        {0, 0, 0, 0}};
    report_cmd cmd;
    report_cmd_start(&cmd, ctx, "list", list_help, opts, argc, argv);
    const char *account = NULL, *activity = NULL, *funder = NULL,
               *earmark = NULL;
    period_t p;
    int has_period = 0, c;
    while ((c = next_opt(&cmd)) != OPT_END) {
        switch (c) {
        case OPT_EXIT: return cmd.exit;
        case O_PERIOD:
            if (parse_period(ctx, "list", "--period", optarg, &p) != 0)
                return EXIT_USAGE;
            has_period = 1;
            break;
        case O_ACCOUNT: account = optarg; break;
        case O_ACTIVITY: activity = optarg; break;
        case O_FUNDER: funder = optarg; break;
        case O_EARMARK: earmark = optarg; break;
        }
    }
    if (take_args(&cmd, NULL) != 0)
        return EXIT_USAGE;
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY) {
        calc_filter f;
        calc_filter_init(&f);
        if (has_period) {
            f.from = p.from;
            f.to = p.to;
        }
        if ((account && (f.account = filter_code(ctx,
                                                 book_account_find(&b, account),
                                                 "konto", account)) < 0) ||
            (activity &&
             (f.activity = filter_code(ctx, book_activity_find(&b, activity),
                                       "verksamhet", activity)) < 0) ||
            (funder && (f.funder = filter_code(ctx, book_funder_find(&b, funder),
                                               "finansiär", funder)) < 0) ||
            (earmark &&
             (f.earmark = filter_code(ctx, book_earmark_find(&b, earmark),
                                      "öronmärkning", earmark)) < 0))
            rc = EXIT_DATA;
        else
            rc = emit(&cmd, report_list(&b, &f, has_period ? p.label : NULL));
    }
    book_free(&b);
    return rc;
}
