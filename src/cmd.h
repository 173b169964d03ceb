/*
 * cmd - the subcommands. Each takes the shared context and its own argv
 * (argv[0] is the command's name) and returns the exit code (cli.h).
 */
#ifndef SAMLA_CMD_H
#define SAMLA_CMD_H

#include "cli.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_add(cli_ctx *ctx, int argc, char **argv);
int cmd_reverse(cli_ctx *ctx, int argc, char **argv);
int cmd_check(cli_ctx *ctx, int argc, char **argv);
int cmd_list(cli_ctx *ctx, int argc, char **argv);

#endif
