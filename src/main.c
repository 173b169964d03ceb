/*
 * samla - the budget ledger of a collaboration body.
 *
 * main only picks the subcommand (cli_main: global options -f/--book DIR,
 * --user NAME before the command); each lives in a cmd_*.c file. The web
 * page's two commands, `serve` and `passwd`, are a program of their own
 * beside this one (main_serve.c): see start_web.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "diag.h"
#include "mem.h"

/* `samla serve` and `samla passwd` run samla-serve, the program installed
 * beside samla that holds the web page and its users. Only it links the web
 * server's libraries (libmicrohttpd and, through it, GnuTLS and eight more;
 * libcrypt's password hashing): loading them cost every command about 2 ms
 * at start, a fifth of the 10 ms a small book's command may take
 * (docs/performance.md). The book and user chosen by the global options are
 * passed on, the command and its options as given. */
static int start_web(cli_ctx *ctx, int argc, char **argv)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 16);
    if (n <= 0) {
        fprintf(ctx->err, "samla %s: hittar inte programmet samla-serve: %s\n",
                argv[0], diag_errno_text(errno));
        return EXIT_DATA;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    strcpy(slash ? slash + 1 : self, "samla-serve");

    char **args = mem_calloc((size_t)argc + 6, sizeof *args);
    int k = 0;
    args[k++] = self;
    if (ctx->book_dir) {
        args[k++] = (char *)"-f";
        args[k++] = (char *)ctx->book_dir;
    }
    if (ctx->user) {
        args[k++] = (char *)"--user";
        args[k++] = (char *)ctx->user;
    }
    for (int i = 0; i < argc; i++)
        args[k++] = argv[i];
    args[k] = NULL;
    fflush(NULL);
    execv(self, args);
    fprintf(ctx->err, "samla %s: kan inte starta %s: %s\n", argv[0], self,
            diag_errno_text(errno));
    free(args);
    return EXIT_DATA;
}

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
    {"serve", start_web, "webbsidan: översikt, kvartal, öronmärkta medel"},
    {"passwd", start_web, "användare och lösenord för webbsidan"},
};

int main(int argc, char **argv)
{
    return cli_main(argc, argv, commands, sizeof commands / sizeof *commands);
}
