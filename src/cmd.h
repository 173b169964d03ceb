/*
 * cmd - the subcommands. Each takes the shared context and its own argv
 * (argv[0] is the command's name) and returns the exit code (cli.h).
 */
#ifndef SAMLA_CMD_H
#define SAMLA_CMD_H

#include "cli.h"
#include "overlap.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_add(cli_ctx *ctx, int argc, char **argv);
int cmd_reverse(cli_ctx *ctx, int argc, char **argv);
int cmd_check(cli_ctx *ctx, int argc, char **argv);
int cmd_list(cli_ctx *ctx, int argc, char **argv);

/* Reports (issue 3): cmd_report.c. cmd_list above is there too. */
int cmd_balance(cli_ctx *ctx, int argc, char **argv);
int cmd_result(cli_ctx *ctx, int argc, char **argv);
int cmd_surplus(cli_ctx *ctx, int argc, char **argv);
int cmd_earmarks(cli_ctx *ctx, int argc, char **argv);
int cmd_budget(cli_ctx *ctx, int argc, char **argv);
int cmd_activity(cli_ctx *ctx, int argc, char **argv);

/* Everyday work (issue 5): cmd_quarter.c, cmd_import.c, cmd_budget_set.c.
 * cmd_budget_set and cmd_budget_import are reached through `samla budget
 * set|import` (the budget report's command dispatches to them). */
int cmd_quarter(cli_ctx *ctx, int argc, char **argv);
int cmd_import(cli_ctx *ctx, int argc, char **argv);
int cmd_budget_set(cli_ctx *ctx, int argc, char **argv);
/* The overlap guard's face (cmd_overlap.c, overlap.h): show the entries ov
 * names, then 0 = go on (none, allowed, or a dry run that saves nothing),
 * -1 = refused (the error printed; the caller says nothing was saved). */
int cmd_overlap_gate(cli_ctx *ctx, const book *b,
                     const overlap_list *ov, int allow, int dry);
/* The table of new entries that `quarter` and `import` show before saving
 * (cmd_overlap.c): the header from Datum on, then one line per entry from
 * its date on, its amount (as the caller formats it) right-aligned in
 * amount_width characters. The caller prints the column before Datum. */
void cmd_entry_head(FILE *o, size_t amount_width);
void cmd_entry_line(FILE *o, const book *b, const book_entry *e,
                    const char *amount, size_t amount_width);
int cmd_budget_import(cli_ctx *ctx, int argc, char **argv);
/* The budget records of a SIE file, mapped by a rules file:
 * cmd_budget_sie.c. */
int cmd_budget_import_sie(cli_ctx *ctx, const char *path, const char *rules,
                          int dry);
int cmd_forecast(cli_ctx *ctx, int argc, char **argv);
/* Comments on the budget follow-up (issue 13): cmd_comment.c. */
int cmd_comment(cli_ctx *ctx, int argc, char **argv);

/* Earmark decisions, year close, audit trail (issue 5): cmd_earmark.c,
 * cmd_close.c (close and reopen), cmd_log.c. */
int cmd_earmark(cli_ctx *ctx, int argc, char **argv);
int cmd_close(cli_ctx *ctx, int argc, char **argv);
int cmd_reopen(cli_ctx *ctx, int argc, char **argv);
int cmd_log(cli_ctx *ctx, int argc, char **argv);
/* The date through which the outcome is complete: cmd_reported.c. */
int cmd_reported(cli_ctx *ctx, int argc, char **argv);

/* Splitting by population between the municipalities (issue 12):
 * cmd_allocate.c. */
int cmd_allocate(cli_ctx *ctx, int argc, char **argv);

/* The Excel workbooks (issue 4): cmd_export.c. */
int cmd_export(cli_ctx *ctx, int argc, char **argv);

/* The local web page (issue 8): cmd_serve.c. */
int cmd_serve(cli_ctx *ctx, int argc, char **argv);
/* Users of the web page's password file: cmd_passwd.c. */
int cmd_passwd(cli_ctx *ctx, int argc, char **argv);

/* Shared by the commands that change budget lines (cmd_budget_set.c,
 * cmd_allocate.c): "LEAD  Q1 x  Q2 x  Q3 x  Q4 x  helår x kr" on one line. */
void cmd_print_quarters(FILE *o, const char *lead, const dec_t q[4]);

#endif
