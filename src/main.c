/*
 * samla - the budget ledger of a collaboration body.
 *
 * main only picks the subcommand; each lives in a cmd_*.c file. Global
 * options before the command: -f/--book DIR, --user NAME.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

#include <getopt.h>

static const cli_command commands[] = {
    {"init", cmd_init, "skapa en ny, tom bok"},
    {"add", cmd_add, "bokför en verifikation"},
    {"reverse", cmd_reverse, "rätta en verifikation med en omvänd post"},
    {"check", cmd_check, "kontrollera hela boken"},
    {"list", cmd_list, "visa verifikationer (filtrerade) med summor"},
    {"balance", cmd_balance, "belopp per konto, verksamhet eller finansiär"},
    {"result", cmd_result, "resultaträkning för ett år"},
    {"surplus", cmd_surplus, "ackumulerat överskott per år"},
    {"earmarks", cmd_earmarks, "öronmärkta medel och fritt överskott"},
    {"budget", cmd_budget, "budget, utfall, prognos och avvikelse"},
    {"activity", cmd_activity, "specifikation av en verksamhet"},
    {"allocate", cmd_allocate, "fördela efter invånare mellan kommunerna"},
    {"export", cmd_export, "Excel-arbetsböcker: budget och årsbokslut"},
    {"earmark", cmd_earmark, "beslut om öronmärkta medel (add, release, close, show)"},
    {"close", cmd_close, "årsbokslut: stäng och lås ett år"},
    {"reopen", cmd_reopen, "återöppna ett stängt år (med motivering)"},
    {"log", cmd_log, "revisionsspåret: vem sparade vad, när och hur"},
    {"quarter", cmd_quarter, "registrera ett kvartals belopp per budgetrad"},
    {"reported", cmd_reported, "rapporterat t.o.m.: uppföljningens datum"},
    {"import", cmd_import, "importera ett huvudboksutdrag med regler"},
    {"forecast", cmd_forecast, "lägg in eller ta bort en prognos på en budgetrad"},
    {"comment", cmd_comment, "kommentar på en rad i budgetuppföljningen"},
    {"serve", cmd_serve, "webbsidan: översikt, kvartal, öronmärkta medel"},
    {"passwd", cmd_passwd, "användare och lösenord för webbsidan"},
};

static void usage(FILE *f)
{
    fprintf(f, "Användning: samla [-f BOK] [--user NAMN] KOMMANDO [flaggor]\n\n"
               "Kommandon:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nBoken väljs med -f MAPP, annars $SAMLA_BOOK, annars den enda "
               "boken under ./ledgers/.\n"
               "'samla KOMMANDO --help' visar ett kommandos flaggor.\n"
               "Slutstatus: 0 ok, 1 fel i data, 2 fel i anropet.\n");
}

int main(int argc, char **argv)
{
    cli_ctx ctx = {NULL, NULL, stdout, stderr, 0};
    int i = 1;
    opterr = 0; /* getopt's messages are English: cli_bad_option speaks */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (cli_is_help(argv[i])) {
            usage(stdout);
            return EXIT_OKAY;
        } else if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--book")) &&
                   i + 1 < argc) {
            ctx.book_dir = argv[++i];
        } else if (!strcmp(argv[i], "--user") && i + 1 < argc) {
            ctx.user = argv[++i];
        } else if (!strcmp(argv[i], "--version")) {
            printf("samla 0.1\n");
            return EXIT_OKAY;
        } else {
            fprintf(stderr, "samla: okänd flagga %s\n\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[i], "help")) {
        usage(stdout);
        return EXIT_OKAY;
    }
    for (size_t c = 0; c < sizeof commands / sizeof *commands; c++)
        if (!strcmp(argv[i], commands[c].name))
            return commands[c].run(&ctx, argc - i, argv + i);
    fprintf(stderr, "samla: okänt kommando '%s'\n\n", argv[i]);
    usage(stderr);
    return EXIT_USAGE;
}
