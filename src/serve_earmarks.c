/*
 * serve_earmarks - the page Öronmärkta medel: report_earmarks (the same
 * computation as `samla earmarks`), one card per earmark with its decision,
 * drawn and remaining amounts and a bar, then the table and the free
 * surplus.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "serve.h"

/* One <dt>/<dd> pair from a cell of row `row`, when the column exists and
 * the cell holds something. */
static void dl_cell(html_buf *h, const report_table *t, size_t row,
                    const char *key, const render_opts *o)
{
    int c = render_html_col(t, key);
    if (c < 0)
        return;
    const report_cell *cell = report_cell_get(t, row, c);
    if (cell->kind == REPORT_CELL_EMPTY)
        return;
    html_raw(h, "<dt>");
    html_esc(h, t->cols[c].heading);
    html_raw(h, cell->kind == REPORT_CELL_AMOUNT && dec_sgn(&cell->amount) < 0
                    ? "</dt><dd class=\"neg\">"
                    : "</dt><dd>");
    char buf[16];
    switch (cell->kind) {
    case REPORT_CELL_AMOUNT:
        html_amount(h, &cell->amount, o);
        html_raw(h, o->unit == DEC_KR ? "\xC2\xA0kr"
                    : o->unit == DEC_TKR ? "\xC2\xA0tkr" : "\xC2\xA0mnkr");
        break;
    case REPORT_CELL_PERCENT: {
        char *p = report_percent_format(&cell->amount, &cell->den, 1, 0);
        html_esc(h, p);
        html_raw(h, "\xC2\xA0%");
        free(p);
        break;
    }
    case REPORT_CELL_DATE:
        date_format(cell->date, buf);
        html_esc(h, buf);
        break;
    case REPORT_CELL_TEXT:
        html_esc(h, cell->text);
        break;
    case REPORT_CELL_INTEGER:
        html_rawf(h, "%lld", cell->integer);
        break;
    default:
        break;
    }
    html_raw(h, "</dd>");
}

static const dec_t *cell_amount(const report_table *t, size_t row,
                                const char *key)
{
    int c = render_html_col(t, key);
    if (c < 0)
        return NULL;
    const report_cell *cell = report_cell_get(t, row, c);
    return cell->kind == REPORT_CELL_AMOUNT ? &cell->amount : NULL;
}

static void card(html_buf *h, const report *r, const report_table *t,
                 size_t row, const render_opts *o)
{
    const report_row *rw = &t->rows[row];
    html_raw(h, "<article class=\"card\"><h3>");
    html_esc(h, rw->code);
    html_raw(h, " \xE2\x80\x93 ");
    html_esc(h, rw->label);
    html_raw(h, "</h3>\n");
    const dec_t *res = cell_amount(t, row, "reserved");
    const dec_t *drawn = cell_amount(t, row, "drawn");
    if (res && drawn) {
        char label[300];
        snprintf(label, sizeof label, "Förbrukat av beslutat belopp för %s",
                 rw->code ? rw->code : "");
        render_html_meter(h, drawn, res, label);
    }
    html_raw(h, "<dl>");
    static const char *const keys[] = {
        "type", "body", "decided", "paragraph", "valid_to", "reserved",
        "released", "drawn", "remaining", "pct_used", "status"};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        dl_cell(h, t, row, keys[k], o);
    html_raw(h, "</dl>\n");
    /* The report's warnings that name this earmark, at the card too. */
    for (size_t i = 0; rw->code && i < r->nnotes; i++) {
        const report_note *n = &r->notes[i];
        if (n->kind != REPORT_NOTE_WARNING || !n->text)
            continue;
        const char *p = strstr(n->text, rw->code);
        size_t len = strlen(rw->code);
        if (!p || (p[len] != ' ' && p[len] != ',' && p[len] != '\0'))
            continue;
        const char *text = n->text;
        if (strncmp(text, "Varning: ", 9) == 0)
            text += 9;
        html_raw(h, "<p class=\"warn\"><strong>Varning:</strong> ");
        html_esc(h, text);
        html_raw(h, "</p>\n");
    }
    html_raw(h, "</article>\n");
}

int serve_page_earmarks(serve_req *rq, serve_resp *rs)
{
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    render_opts o;
    serve_render_opts(rq, &o);
    /* As of the book's reported-through date (today while it records
     * none, and the page says so), unless ?per= names a date. */
    date_t at = serve_per_date(rq, report_default_date(b));
    const char *per = serve_query(rq, "per");
    report *r = report_earmarks(b, at);
    if (!(per && *per) && b->reported == DATE_NONE)
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Boken anger inget rapporterat t.o.m. (samla "
                        "reported): sidan är per dagens datum.");
    report_rounding_notes(r, o.unit, o.decimals);
    const report_table *t = r->tables[0];

    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, "Öronmärkta medel", "/oronmarkt");
    char d[11];
    date_format(at, d);
    html_raw(&h, "<p class=\"subtitle\">Utfall t.o.m. ");
    html_esc(&h, d);
    html_raw(&h, b->reported != DATE_NONE && at == b->reported
                     ? " (bokens rapporterat t.o.m.)</p>\n"
                     : "</p>\n");
    html_raw(&h, "<form class=\"filters\" method=\"get\" action=\"/oronmarkt\">"
                 "<div><label for=\"per\">Per datum</label><input "
                 "type=\"text\" id=\"per\" name=\"per\" size=\"12\" "
                 "inputmode=\"numeric\" aria-describedby=\"per-hint\" "
                 "value=\"");
    html_esc(&h, d);
    html_raw(&h, "\"><span id=\"per-hint\" class=\"hint\">ÅÅÅÅ-MM-DD; utan "
                 "datum bokens rapporterat t.o.m.</span>"
                 "</div>\n");
    serve_unit_select(&h, &o);
    html_raw(&h, "<div class=\"submit\"><button type=\"submit\">Visa</button></div></form>\n");

    if (r->ntables > 1) {
        const report_table *f = r->tables[1];
        size_t tot = serve_find_row(f, 0, REPORT_ROW_TOTAL);
        int c = render_html_col(f, "amount");
        if (tot < f->nrows && c >= 0) {
            html_raw(&h, "<ul class=\"keys\">");
            for (size_t i = 0; i < f->nrows; i++) {
                const report_cell *cell = report_cell_get(f, i, c);
                if (cell->kind != REPORT_CELL_AMOUNT)
                    continue;
                html_rawf(&h, "<li%s><span class=\"k\">",
                          dec_sgn(&cell->amount) < 0 ? " class=\"neg\"" : "");
                html_esc(&h, f->rows[i].label);
                html_raw(&h, "</span><span class=\"v\">");
                html_amount(&h, &cell->amount, &o);
                html_raw(&h, o.unit == DEC_KR ? "\xC2\xA0kr"
                             : o.unit == DEC_TKR ? "\xC2\xA0tkr"
                                                 : "\xC2\xA0mnkr");
                html_raw(&h, "</span></li>\n");
            }
            html_raw(&h, "</ul>\n");
        }
    }
    html_raw(&h, "<h2>Per öronmärkning</h2>\n<div class=\"cards\">\n");
    size_t n = 0;
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].kind == REPORT_ROW_LINE) {
            card(&h, r, t, i, &o);
            n++;
        }
    html_raw(&h, "</div>\n");
    if (n == 0)
        html_raw(&h, "<p>Inga öronmärkningar är beslutade per detta "
                     "datum.</p>\n");
    html_raw(&h, "<h2>Sammanställning</h2>\n");
    for (size_t i = 0; i < r->ntables; i++)
        render_html_table(&h, r->tables[i], &o);
    render_html_notes(&h, r, &o);
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, MHD_HTTP_OK);
    report_free(r);
    return 0;
}
