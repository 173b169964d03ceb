/* render_csv - a report as CSV for Swedish Excel (see render.h). */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "mem.h"

/*
 * A text that Excel would take for a formula (= + - @, or a leading tab or
 * CR that Excel strips before looking) is written with a leading ' so it
 * stays text: a report must never run code from an activity's name or an
 * entry's text (CSV injection).
 */
static void text_field(csvio_out *out, const char *s)
{
    if (!s)
        s = "";
    if (strchr("=+-@\t\r", s[0]) && s[0]) {
        size_t n = strlen(s);
        char *q = mem_alloc(n + 2);
        q[0] = '\'';
        memcpy(q + 1, s, n + 1);
        csvio_out_field(out, q);
        free(q);
    } else {
        csvio_out_field(out, s);
    }
}

/* A string we made (never user text) that may be freed. */
static void own_field(csvio_out *out, char *s)
{
    SAMLA_REQUIRE(s != NULL);
    csvio_out_field(out, s);
    free(s);
}

static void cell_field(csvio_out *out, const report_cell *c,
                       const render_opts *o)
{
    char buf[64];
    switch (c->kind) {
    case REPORT_CELL_AMOUNT:
        /* No thousands separator, '-' and a decimal comma: a number to
         * Swedish Excel. Exact kr with öre unless a unit was asked for. */
        if (o->unit_given)
            own_field(out, dec_format(&c->amount, o->unit, o->decimals,
                                      DEC_FMT_PLAIN));
        else
            own_field(out, dec_format(&c->amount, DEC_KR, 2, DEC_FMT_PLAIN));
        break;
    case REPORT_CELL_PERCENT:
        own_field(out, report_percent_format(&c->amount, &c->den, 1,
                                             DEC_FMT_PLAIN));
        break;
    case REPORT_CELL_TEXT:
        text_field(out, c->text);
        break;
    case REPORT_CELL_DATE:
        date_format(c->date, buf);
        csvio_out_field(out, buf);
        break;
    case REPORT_CELL_INTEGER:
        snprintf(buf, sizeof buf, "%lld", c->integer);
        csvio_out_field(out, buf);
        break;
    default:
        csvio_out_field(out, "");
    }
}

static void one_cell_row(csvio_out *out, const char *s)
{
    text_field(out, s);
    csvio_out_endrow(out);
}

void render_csv(const report *r, const render_opts *o, csvio_out *out)
{
    static const char *const unit_word[] = {"kr", "tkr", "mnkr"};
    one_cell_row(out, r->title);
    if (r->subtitle && *r->subtitle)
        one_cell_row(out, r->subtitle);
    char unit[32];
    snprintf(unit, sizeof unit, "Belopp i %s",
             unit_word[o->unit_given ? o->unit : DEC_KR]);
    one_cell_row(out, unit);
    for (size_t i = 0; i < r->ntables; i++) {
        const report_table *t = r->tables[i];
        int codes = report_table_has_codes(t) && t->code_heading;
        csvio_out_endrow(out);
        if (t->caption && *t->caption)
            one_cell_row(out, t->caption);
        if (codes)
            text_field(out, t->code_heading);
        text_field(out, t->label_heading);
        for (int c = 0; c < t->ncols; c++)
            text_field(out, t->cols[c].heading);
        csvio_out_endrow(out);
        for (size_t ri = 0; ri < t->nrows; ri++) {
            const report_row *row = &t->rows[ri];
            if (row->kind == REPORT_ROW_BLANK) {
                csvio_out_endrow(out);
                continue;
            }
            if (codes)
                text_field(out, row->code);
            text_field(out, row->label);
            if (row->kind != REPORT_ROW_HEADING &&
                row->kind != REPORT_ROW_NOTE)
                for (int c = 0; c < t->ncols; c++)
                    cell_field(out, &row->cells[c], o);
            csvio_out_endrow(out);
        }
    }
    int rounded = o->unit_given && o->unit != DEC_KR;
    if (r->nnotes || rounded)
        csvio_out_endrow(out);
    for (size_t i = 0; i < r->nnotes; i++)
        one_cell_row(out, r->notes[i].text);
    if (rounded)
        one_cell_row(out, "Avrundningsdifferenser kan förekomma.");
}
