/*
 * serve_overview - the pages Översikt and Budget. Both show report_budget
 * (the same computation as `samla budget` and the budget workbook): the
 * overview a few of its columns with key figures and charts, the budget
 * page the whole report.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "serve.h"

/* One key figure: a label and an exact amount (negative ones marked). */
static void key_figure(html_buf *h, const char *label, const dec_t *v,
                       const render_opts *o)
{
    html_rawf(h, "<li%s><span class=\"k\">", dec_sgn(v) < 0 ? " class=\"neg\""
                                                              : "");
    html_esc(h, label);
    html_raw(h, "</span><span class=\"v\">");
    html_amount(h, v, o);
    html_raw(h, "\xC2\xA0");
    html_esc(h, o->unit == DEC_KR ? "kr" : o->unit == DEC_TKR ? "tkr" : "mnkr");
    html_raw(h, "</span></li>\n");
}

/* The amount of a cell; `zero` when the cell holds none. */
static const dec_t *amount_at(const report_table *t, size_t row, int col,
                              const dec_t *zero)
{
    if (row >= t->nrows || col < 0)
        return zero;
    const report_cell *c = report_cell_get(t, row, col);
    return c->kind == REPORT_CELL_AMOUNT ? &c->amount : zero;
}

/* The period form of both pages: year, unit (and for the budget page the
 * follow-up date). */
static void period_form(html_buf *h, const char *action, const book *b,
                        int year, date_t at, const render_opts *o,
                        const serve_req *rq, int with_per)
{
    html_rawf(h, "<form class=\"filters\" method=\"get\" action=\"%s\">\n",
              action);
    serve_year_select(h, b, year);
    if (with_per) {
        /* The period as asked (2026T2 keeps its tertial columns), else the
         * date the follow-up is per. */
        char d[40];
        date_format(at, d);
        const char *per = serve_query(rq, "per");
        period_t p;
        const char *err;
        if (per && *per && period_parse(&p, per, &err) == 0 && p.to == at)
            snprintf(d, sizeof d, "%s", p.label);
        html_raw(h, "<div><label for=\"per\">Utfall t.o.m.</label>"
                    "<input type=\"text\" id=\"per\" name=\"per\" "
                    "inputmode=\"numeric\" size=\"12\" "
                    "aria-describedby=\"per-hint\" value=\"");
        html_esc(h, d);
        html_raw(h, "\"><span id=\"per-hint\" class=\"hint\">datum "
                    "ÅÅÅÅ-MM-DD, kvartal (2026Q1) eller tertial (2026T2); "
                    "utan datum bokens rapporterat t.o.m.</span></div>\n");
    }
    serve_unit_select(h, o);
    html_raw(h, "<div class=\"submit\"><button type=\"submit\">Visa</button></div>\n</form>\n");
}

/* The budget follow-up a request asks for (?ar=, ?per=, ?enhet=): the
 * one report of the overview and of the budget page, with its display
 * options, year and as-of date. The caller frees it (report_free). */
static report *followup(serve_req *rq, const book *b, render_opts *o,
                        int *year, date_t *at)
{
    serve_render_opts(rq, o);
    *year = serve_followup_year(rq, b);
    *at = serve_as_of(rq, b, *year);
    report *r = report_budget(b, *year, *at, serve_budget_by(rq));
    report_rounding_notes(r, o->unit, o->decimals);
    return r;
}

/* A heading and the bars of one section of the budget table (the lines
 * between its heading row and its subtotal), the same for income and
 * costs. */
static void bars(html_buf *h, const report_table *t, const char *title,
                 size_t heading, size_t subtotal, int c_to, int c_bud,
                 const char *label, const render_opts *o)
{
    html_raw(h, "<h2>");
    html_raw(h, title);
    html_raw(h, "</h2>\n");
    if (heading + 1 < subtotal)
        render_html_bars(h, t, heading + 1, subtotal - 1, c_to, c_bud, 0,
                         label, o);
}

int serve_page_overview(serve_req *rq, serve_resp *rs)
{
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    render_opts o;
    int year;
    date_t at;
    report *r = followup(rq, b, &o, &year, &at);
    const report_table *t = r->tables[0];
    /* The follow-up, the earmarks, the accumulated surplus (last). */
    const report_table *s = r->ntables > 1 ? r->tables[r->ntables - 1] : NULL;
    int c_bud = render_html_col(t, "budget"), c_to = render_html_col(t, "to_date");
    int c_pct = render_html_col(t, "pct");

    /* Sections of the budget table: heading, lines, subtotal. */
    size_t h_inc = serve_find_row(t, 0, REPORT_ROW_HEADING);
    size_t s_inc = serve_find_row(t, h_inc, REPORT_ROW_SUBTOTAL);
    size_t h_cost = serve_find_row(t, s_inc, REPORT_ROW_HEADING);
    size_t s_cost = serve_find_row(t, h_cost, REPORT_ROW_SUBTOTAL);
    size_t res = serve_find_row(t, s_cost, REPORT_ROW_TOTAL);

    html_buf h;
    html_init(&h);
    char title[64], d[11];
    snprintf(title, sizeof title, "Översikt %d", year);
    date_format(at, d);
    serve_page_begin(&h, rq, title, "/");
    html_raw(&h, "<p class=\"subtitle\">Utfall t.o.m. ");
    html_esc(&h, d);
    html_raw(&h, " mot budget t.o.m. samma dag och för helåret.</p>\n");
    period_form(&h, "/", b, year, at, &o, rq, 0);

    html_raw(&h, "<h2 id=\"nyckeltal\">Nyckeltal</h2>\n"
                 "<ul class=\"keys\" aria-labelledby=\"nyckeltal\">\n");
    dec_t zero;
    dec_init(&zero);
    key_figure(&h, "Intäkter hittills", amount_at(t, s_inc, c_to, &zero), &o);
    key_figure(&h, "Kostnader hittills", amount_at(t, s_cost, c_to, &zero),
               &o);
    key_figure(&h, "Resultat hittills", amount_at(t, res, c_to, &zero), &o);
    if (s && s->nrows >= 4) {
        int c = render_html_col(s, "amount");
        key_figure(&h, "Ackumulerat överskott", amount_at(s, 0, c, &zero), &o);
        key_figure(&h, "Öronmärkt", amount_at(s, 1, c, &zero), &o);
        key_figure(&h, "Bundna bidrag", amount_at(s, 2, c, &zero), &o);
        key_figure(&h, "Ej öronmärkt (fritt)",
                   amount_at(s, s->nrows - 1, c, &zero), &o);
    }
    dec_clear(&zero);
    html_raw(&h, "</ul>\n");

    bars(&h, t, "Intäkter per finansiär", h_inc, s_inc, c_to, c_bud,
         "Intäkter per finansiär: utfall hittills och budget helår", &o);
    bars(&h, t, "Kostnader per verksamhet mot budget", h_cost, s_cost, c_to,
         c_bud, "Kostnader per verksamhet: utfall hittills och budget helår",
         &o);

    html_raw(&h, "<h2>Budget och utfall t.o.m. ");
    html_esc(&h, d);
    html_raw(&h, "</h2>\n");
    int cols[8] = {c_bud,
                   render_html_col(t, "budget_to_date"),
                   c_to,
                   render_html_col(t, "deviation_to_date"),
                   render_html_col(t, "forecast"),
                   render_html_col(t, "deviation"),
                   c_pct,
                   render_html_col(t, "comment")};
    /* The comments (kommentarer.csv) when a line has one. */
    int ncols = 7;
    for (size_t i = 0; cols[7] >= 0 && i < t->nrows && ncols == 7; i++) {
        const report_cell *cc = report_cell_get(t, i, cols[7]);
        if (!report_row_kind_cellless(t->rows[i].kind) &&
            cc->kind == REPORT_CELL_TEXT && cc->text && *cc->text)
            ncols = 8;
    }
    render_html_table_ex(&h, t, cols, ncols, 0, NULL, &o);
    for (size_t i = 1; i < r->ntables; i++)
        render_html_table(&h, r->tables[i], &o);
    render_html_notes(&h, r, &o);
    html_rawf(&h, "<p><a href=\"/budget?ar=%d\">Hela budgetuppföljningen "
                  "med kvartal, prognos och avvikelse</a> · <a "
                  "href=\"/budget?ar=%d#kommentarer\">Kommentera en "
                  "budgetrad</a></p>\n",
              year, year);
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, MHD_HTTP_OK);
    report_free(r);
    return 0;
}

void serve_budget_page(serve_req *rq, serve_resp *rs, const book *b,
                       const serve_comment_form *f, unsigned status)
{
    render_opts o;
    int year;
    date_t at;
    report *r = followup(rq, b, &o, &year, &at);

    html_buf h;
    html_init(&h);
    char title[64];
    snprintf(title, sizeof title, "Budget %d", year);
    serve_page_begin(&h, rq, title, "/budget");
    const char *saved = serve_query(rq, "kommentar");
    if (!f && saved && strcmp(saved, "sparad") == 0)
        html_raw(&h, "<div class=\"banner\" role=\"status\" tabindex=\"-1\" "
                     "autofocus><p><strong>Kommentaren är sparad.</strong> "
                     "Den visas i kolumnen Kommentar.</p></div>\n");
    else if (!f && saved && strcmp(saved, "borttagen") == 0)
        html_raw(&h, "<div class=\"banner\" role=\"status\" tabindex=\"-1\" "
                     "autofocus><p><strong>Kommentaren är borttagen."
                     "</strong></p></div>\n");
    period_form(&h, "/budget", b, year, at, &o, rq, 1);
    html_raw(&h, "<div class=\"budget-page\">\n");
    render_html(&h, r, &o);
    html_raw(&h, "</div>\n");
    serve_comment_form_html(&h, rq, b, year, f);
    html_rawf(&h, "<p><a href=\"/ladda-ned/budget.xlsx?ar=%d\">Ladda ned "
                  "budgetarbetsboken för %d (Excel)</a></p>\n",
              year, year);
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, status);
    report_free(r);
}

int serve_page_budget(serve_req *rq, serve_resp *rs)
{
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    serve_budget_page(rq, rs, b, NULL, MHD_HTTP_OK);
    return 0;
}
