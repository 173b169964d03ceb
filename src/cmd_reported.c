/*
 * cmd_reported - `samla reported [PERIOD]`: the date through which the
 * book's outcome is complete (rapporterat t.o.m.).
 *
 * Without an argument it shows the date in force and every row of
 * rapporterat.csv (when, by whom, from what). With one it records a new
 * row, by hand: PERIOD is a date or a period whose last day is meant
 * (2026Q2 = 2026-06-30, 2026T2 = 2026-08-31, 2026-05, 2026). The follow-up
 * (budget, earmarks, surplus, export budget, the web pages) is then as of
 * that date by default. Registering a quarter moves it forward by itself
 * (quarter.c), and so may an import (--reported-through).
 *
 * Rules (book_append_reported): the date is not after today and not
 * before the book's start; it never moves backwards unless --backwards is
 * given together with --reason, which is recorded in the row.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { O_BACKWARDS = 256, O_REASON, O_USER };

static const char reported_help[] =
    "Användning: samla reported [PERIOD] [--backwards --reason TEXT]\n"
    "Rapporterat t.o.m.: det datum t.o.m. vilket bokens utfall är komplett.\n"
    "Uppföljningen (budget, earmarks, surplus, export budget, webbsidan)\n"
    "görs per det datumet, inte per dagens datum. Att registrera ett\n"
    "kvartal (samla quarter) flyttar det till kvartalets slut; en import\n"
    "kan flytta det (samla import --reported-through).\n"
    "Utan PERIOD visas datumet och dess historik.\n"
    "  PERIOD       ett datum eller en period vars sista dag avses:\n"
    "               2026Q2 (= 2026-06-30), 2026T2 (= 2026-08-31),\n"
    "               2026-05, 2026 eller 2026-06-30\n"
    "  --backwards  tillåt ett tidigare datum än det nuvarande\n"
    "  --reason T   motivering (krävs med --backwards); sparas i raden\n"
    "  -f MAPP      boken; --user NAMN  vem som ändrar\n"
    "Datumet får inte ligga efter dagens datum eller före bokens start.\n"
    "Ändringen sparas i rapporterat.csv med tid och användare.\n"
    "Slutstatus: 0 ok, 1 fel i data, 2 fel i anropet.\n";

static const char *const reported_labels[SCHEMA_RP_N] = {
    [SCHEMA_RP_DATE] = "PERIOD",
    [SCHEMA_RP_USER] = "--user",
    [SCHEMA_RP_REASON] = "--reason"};
static const book_origin reported_origin = {NULL, 0, reported_labels};

static void show_row(FILE *out, const book_reported *r)
{
    char d[11];
    date_format(r->date, d);
    fprintf(out, "  %s  %s", d, r->source);
    if (r->registered && *r->registered)
        fprintf(out, ", registrerat %s", r->registered);
    if (r->user && *r->user)
        fprintf(out, " av %s", r->user);
    if (r->reason && *r->reason)
        fprintf(out, " (motivering: %s)", r->reason);
    fputc('\n', out);
}

static int show(cli_ctx *ctx)
{
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY) {
        char d[11];
        if (b.reported == DATE_NONE) {
            date_format(date_today(), d);
            fprintf(ctx->out,
                    "Boken anger inget rapporterat t.o.m.; uppföljningen "
                    "görs per dagens datum (%s).\n"
                    "Ange det med t.ex. 'samla reported 2026Q2' (registrerade "
                    "kvartal anger det själva).\n",
                    d);
        } else {
            date_format(b.reported, d);
            fprintf(ctx->out, "Rapporterat t.o.m. %s.\nHistorik (%s):\n", d,
                    BOOK_REPORTED);
            for (size_t i = 0; i < b.reported_log.n; i++)
                show_row(ctx->out, &b.reported_log.v[i]);
        }
    }
    book_free(&b);
    return rc;
}

int cmd_reported(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"backwards", no_argument, NULL, O_BACKWARDS},
        {"reason", required_argument, NULL, O_REASON},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, O_USER},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    int backwards = 0, c;
    const char *reason = NULL;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(reported_help, ctx->out); return EXIT_OKAY;
        case O_BACKWARDS: backwards = 1; break;
        case O_REASON: reason = optarg; break;
        case 'f': ctx->book_dir = optarg; break;
        case O_USER: ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "reported", argv, "f:h");
        }
    }
    if (optind == argc) {
        if (backwards || reason)
            return cli_usage_error(ctx, "reported",
                                   "--backwards och --reason hör till ett "
                                   "nytt datum; ange PERIOD");
        return show(ctx);
    }
    if (optind != argc - 1)
        return cli_usage_error(ctx, "reported", "oväntat argument \"%s\"",
                               argv[optind + 1]);
    period_t p;
    const char *msg = NULL;
    if (period_parse(&p, argv[optind], &msg) != 0)
        return cli_usage_error(ctx, "reported",
                               "\"%s\": %s; ange ett datum eller en period, "
                               "t.ex. 2026Q2, 2026T2 eller 2026-06-30",
                               argv[optind], msg ? msg : "ogiltig period");
    size_t skip = reason ? strspn(reason, " \t") : 0;
    if (backwards && (!reason || !reason[skip]))
        return cli_usage_error(ctx, "reported",
                               "--backwards kräver --reason: varför flyttas "
                               "datumet bakåt?");
    char d[11], today[11];
    date_format(p.to, d);
    if (p.to > date_today()) {
        date_format(date_today(), today);
        fprintf(ctx->err,
                "samla reported: %s har inte kommit än (i dag är det %s); "
                "utfallet kan inte vara komplett t.o.m. ett datum i "
                "framtiden. Inget sparades.\n",
                d, today);
        return EXIT_DATA;
    }
    book b;
    store_lock lock = STORE_LOCK_NONE;
    int rc = cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY) {
        fprintf(ctx->err, "samla reported: inget sparades\n");
        book_free(&b);
        return rc;
    }
    date_t was = b.reported;
    if (was == p.to) {
        fprintf(ctx->out, "Boken är redan rapporterad t.o.m. %s; inget "
                          "ändrades.\n",
                d);
    } else {
        char stamp[32];
        date_now_utc(stamp, sizeof stamp);
        book_reported r;
        memset(&r, 0, sizeof r);
        r.date = p.to;
        r.source = "hand";
        r.registered = stamp;
        r.user = cli_user(ctx);
        r.reason = reason ? reason : "";
        diag_list dl;
        diag_init(&dl);
        book_append_reported(&b, &r, backwards, &reported_origin, &dl);
        rc = cli_report(ctx, &dl);
        diag_free(&dl);
        if (rc == EXIT_OKAY) {
            char w[11];
            if (was != DATE_NONE)
                date_format(was, w);
            fprintf(ctx->out,
                    "Rapporterat t.o.m. %s%s%s%s. Uppföljningen görs nu per "
                    "%s.\n",
                    d, was != DATE_NONE ? " (var " : "",
                    was != DATE_NONE ? w : "", was != DATE_NONE ? ")" : "",
                    d);
        } else {
            fprintf(ctx->err, "samla reported: inget sparades\n");
        }
    }
    cli_unlock(&lock);
    book_free(&b);
    return rc;
}
