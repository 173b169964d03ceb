/*
 * serve_journal - the page Verifikationer: report_list (the same
 * computation as `samla list`) filtered by period, activity and funder
 * through a GET form, so a filtered view is a link that can be kept.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "mem.h"
#include "serve.h"

/* A big book has a million entries; a page shows the first ones and says
 * how to narrow the choice (the totals below cover every matching entry). */
#define JOURNAL_MAX_ROWS 2000

/* A <select> of codes: "" = all, "-" = none, then each code. */
static void code_select(html_buf *h, const char *id, const char *label,
                        const char *none_label, const char *cur,
                        const char *const *codes, const char *const *names,
                        size_t n)
{
    html_rawf(h, "<div><label for=\"%s\">", id);
    html_esc(h, label);
    html_rawf(h, "</label><select id=\"%s\" name=\"%s\">", id, id);
    html_rawf(h, "<option value=\"\"%s>Alla</option>",
              !cur || !*cur ? " selected" : "");
    if (none_label) {
        html_rawf(h, "<option value=\"-\"%s>",
                  cur && strcmp(cur, "-") == 0 ? " selected" : "");
        html_esc(h, none_label);
        html_raw(h, "</option>");
    }
    for (size_t i = 0; i < n; i++) {
        html_raw(h, "<option value=\"");
        html_esc(h, codes[i]);
        html_rawf(h, "\"%s>", cur && strcmp(cur, codes[i]) == 0 ? " selected"
                                                                 : "");
        html_esc(h, codes[i]);
        html_raw(h, " \xE2\x80\x93 ");
        html_esc(h, names[i]);
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></div>\n");
}

/* Resolve a selected code: -1 any, CALC_NONE_CODE for "-", -3 unknown. */
static int pick(const char *v, int idx)
{
    if (!v || !*v)
        return CALC_ANY;
    if (strcmp(v, "-") == 0)
        return CALC_NONE_CODE;
    return idx >= 0 ? idx : -3;
}

int serve_page_journal(serve_req *rq, serve_resp *rs)
{
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    render_opts o;
    serve_render_opts(rq, &o);
    /* Without a choice the page shows this year: a book of many years can
     * hold a million entries. An empty field (submitted) means all. */
    const char *per = serve_query(rq, "period");
    char this_year[8];
    if (!per) {
        snprintf(this_year, sizeof this_year, "%d", date_year(date_today()));
        per = this_year;
    }
    const char *act = serve_query(rq, "verksamhet");
    const char *fun = serve_query(rq, "finansiar");

    calc_filter f;
    calc_filter_init(&f);
    const char *per_err = NULL;
    period_t p;
    int have_period = 0;
    if (per && *per) {
        if (period_parse(&p, per, &per_err) == 0) {
            f.from = p.from;
            f.to = p.to;
            have_period = 1;
        }
    }
    f.activity = pick(act, act ? book_activity_find(b, act) : -1);
    f.funder = pick(fun, fun ? book_funder_find(b, fun) : -1);
    int unknown = f.activity == -3 || f.funder == -3;

    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, "Verifikationer", "/verifikationer");
    html_raw(&h, "<form class=\"filters\" method=\"get\" "
                 "action=\"/verifikationer\">\n<div><label for=\"period\">"
                 "Period</label><input type=\"text\" id=\"period\" "
                 "name=\"period\" size=\"14\" aria-describedby=\"period-hint");
    if (per_err)
        html_raw(&h, " period-error\" aria-invalid=\"true");
    html_raw(&h, "\" value=\"");
    html_esc(&h, per ? per : "");
    html_raw(&h, "\"><span id=\"period-hint\" class=\"hint\">t.ex. 2025, "
                 "2025Q3, 2025T2, 2025-03 eller 2025-01-01..2025-06-30; "
                 "tomt = alla</span>");
    if (per_err) {
        html_raw(&h, "<span id=\"period-error\" class=\"field-error\">");
        html_esc(&h, per_err);
        html_raw(&h, "</span>");
    }
    html_raw(&h, "</div>\n");

    const char **codes =
        mem_alloc_array(b->activities.n + b->funders.n + 1, sizeof *codes);
    const char **names =
        mem_alloc_array(b->activities.n + b->funders.n + 1, sizeof *names);
    for (size_t i = 0; i < b->activities.n; i++) {
        codes[i] = b->activities.v[i].code;
        names[i] = b->activities.v[i].name;
    }
    code_select(&h, "verksamhet", "Verksamhet", "(ingen verksamhet)", act,
                codes, names, b->activities.n);
    for (size_t i = 0; i < b->funders.n; i++) {
        codes[i] = b->funders.v[i].code;
        names[i] = b->funders.v[i].name;
    }
    code_select(&h, "finansiar", "Finansiär", "(ingen finansiär)", fun, codes,
                names, b->funders.n);
    free(codes);
    free(names);
    serve_unit_select(&h, &o);
    html_raw(&h, "<div class=\"submit\"><button type=\"submit\">Visa</button></div>\n</form>\n");

    if (per_err || unknown) {
        html_raw(&h, "<p class=\"banner warn\" role=\"alert\">Urvalet kunde "
                     "inte användas; rätta det ovan.</p>\n");
    } else {
        report *r = report_list(b, &f, have_period ? p.label : NULL);
        report_rounding_notes(r, o.unit, o.decimals);
        const report_table *t = r->tables[0];
        size_t lines = 0, shown = 0;
        for (size_t i = 0; i < t->nrows; i++)
            lines += t->rows[i].kind == REPORT_ROW_LINE;
        html_rawf(&h, "<p class=\"subtitle\" role=\"status\">%zu %s.</p>\n",
                  lines, lines == 1 ? "verifikation" : "verifikationer");
        char cap[96];
        snprintf(cap, sizeof cap, "Verifikationer%s%s",
                 have_period ? " " : "", have_period ? p.label : "");
        render_html_table_captioned(&h, t, cap, NULL, -1, JOURNAL_MAX_ROWS,
                                    &shown, &o);
        if (shown < lines)
            html_rawf(&h, "<p class=\"banner warn\">Visar de första %zu av "
                          "%zu verifikationerna; summorna gäller alla. Välj "
                          "en kortare period för att se resten.</p>\n",
                      shown, lines);
        render_html_notes(&h, r, &o);
        report_free(r);
    }
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, per_err || unknown ? MHD_HTTP_BAD_REQUEST
                                                : MHD_HTTP_OK);
    return 0;
}
