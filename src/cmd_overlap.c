/*
 * cmd_overlap - the overlap guard's face on the command line, shared by
 * `samla quarter` and `samla import` (overlap.h): the entries already
 * booked for the same period and line are shown as a table, and the save
 * goes on only with --allow-overlap.
 */
#include <stdlib.h>

#include "cmd.h"
#include "render.h"

int cmd_overlap_gate(cli_ctx *ctx, const book *b,
                     const overlap_list *ov, int allow, int dry)
{
    if (ov->n == 0)
        return 0;
    fputc('\n', ctx->out);
    report *r = overlap_report(b, ov);
    render_opts o = {DEC_KR, 2, 0, 0, 0};
    render_term(r, &o, ctx->out);
    report_free(r);
    if (allow) {
        fprintf(ctx->out, "Sparas ändå (--allow-overlap).\n");
        return 0;
    }
    if (dry) {
        fprintf(ctx->out, "Att spara kräver --allow-overlap.\n");
        return 0;
    }
    diag_list dl;
    diag_init(&dl);
    overlap_refuse(b, ov, "--allow-overlap", &dl);
    cli_report(ctx, &dl);
    diag_free(&dl);
    return -1;
}
