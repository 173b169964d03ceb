/*
 * cmd_overlap - the overlap guard's face on the command line, shared by
 * `samla quarter` and `samla import` (overlap.h): the entries already
 * booked for the same period and line are shown as a table, and the save
 * goes on only with --allow-overlap.
 */
#include <stdlib.h>

#include "cmd.h"
#include "render.h"
#include "text.h"
#include "uiutil.h"

void cmd_entry_head(FILE *o, size_t amount_width)
{
    ui_pad(o, "Datum", 12, 0);
    ui_pad(o, "Konto", 7, 0);
    ui_pad(o, "Verks.", 9, 0);
    ui_pad(o, "Finans.", 10, 0);
    ui_pad(o, "Öronm.", 14, 0);
    ui_pad(o, "Belopp", amount_width, 1);
    fputs("  Text\n", o);
}

void cmd_entry_line(FILE *o, const book *b, const book_entry *e,
                    const char *amount, size_t amount_width)
{
    char d[11];
    date_format(e->date, d);
    ui_pad(o, d, 12, 0);
    ui_pad(o, b->accounts.v[e->account].number, 7, 0);
    ui_pad(o, e->activity >= 0 ? b->activities.v[e->activity].code : "", 9,
           0);
    ui_pad(o, e->funder >= 0 ? b->funders.v[e->funder].code : "", 10, 0);
    ui_pad(o, e->earmark >= 0 ? b->earmarks.v[e->earmark].code : "", 14, 0);
    ui_pad(o, amount, amount_width, 1);
    fputs("  ", o);
    text_term_put(o, e->text);
    fputc('\n', o);
}

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
