/*
 * samla-serve - the web page (`samla serve`) and its users (`samla passwd`),
 * a program of its own.
 *
 * samla executes this program from its own folder with the same options
 * (main.c's start_web), so it is started as `samla-serve [-f BOK] [--user
 * NAMN] serve|passwd [flaggor]`. It is the only program that links the web
 * server's libraries (libmicrohttpd, GnuTLS) and libcrypt: every other
 * command starts without loading them.
 */
#include "cmd.h"

static const cli_command commands[] = {
    {"serve", cmd_serve, "webbsidan: översikt, kvartal, öronmärkta medel"},
    {"passwd", cmd_passwd, "användare och lösenord för webbsidan"},
};

int main(int argc, char **argv)
{
    return cli_main(argc, argv, commands, sizeof commands / sizeof *commands);
}
