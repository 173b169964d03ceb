/*
 * xlsx_budget - "Budget och uppföljning YEAR", the coordination group's
 * budget workbook, all of it one computation (report_budget):
 *   Budget YEAR            the page the group reads (one landscape A4 at 8 pt
 *                          or more): the follow-up with comments, each
 *                          earmark, the surplus split, the warnings;
 *   Diagram YEAR           budget, outcome and forecast per activity;
 *   Utfall per kvartal Y   the follow-up with the outcome of every period
 *                          (tertial, månad with --at 2026T2 / --by);
 *   Om arbetsboken         definitions, formulas and exactness.
 * Totals, derived columns and results are live formulas written with their
 * exact values; the key rows have names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "mem.h"
#include "xlsx_priv.h"

void xlsx_opts_default(xlsx_opts *o)
{
    memset(o, 0, sizeof *o);
    o->unit = -1;
    o->journal_rows_per_sheet = 0;
    o->constant_memory = -1;
    o->report_date = DATE_NONE;
}

/* "Diagram YEAR": a sheet with a clustered column chart of the cost lines of
 * the budget sheet (Budget helår, Utfall hittills, Prognos helår per
 * activity). The chart reads the budget sheet's cells, so it follows any
 * change made there. On a sheet of its own it prints as one clean page. */
static void budget_chart(xlsx_wb *w, const xlsx_sheet *bs,
                         const report *r, const report_table *t,
                         const xlsx_placed *p, size_t costs, int year,
                         const char *doc_title)
{
    size_t first, last;
    if (costs == (size_t)-1 || !report_row_is_range(t, costs, &first, &last))
        return;
    static const char *const keys[] = {"budget", "to_date", "forecast"};
    static const lxw_color_t colors[] = {0x1F4E79, 0xED7D31, 0xA5A5A5};
    char name[64], title[128], sub[512];
    snprintf(name, sizeof name, "Diagram %d", year);
    snprintf(title, sizeof title,
             "Kostnader per verksamhet %d: budget, utfall och prognos", year);
    snprintf(sub, sizeof sub, "%s. Diagrammet hämtar sina värden från bladet "
                              "%s.",
             r->subtitle, bs->name);
    xlsx_sheet s;
    if (xlsx_sheet_open(&s, w, name, doc_title, 1, 0) != 0)
        return;
    worksheet_gridlines(s.ws, LXW_HIDE_ALL_GRIDLINES);
    xlsx_sheet_title(&s, title, sub, NULL);

    lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_COLUMN);
    if (!ch) {
        xlsx_fail(w, "kan inte skapa diagrammet");
        xlsx_sheet_close(&s);
        return;
    }
    char cats[400], vals[400], ref[300], a[32];
    xlsx_ref(ref, sizeof ref, bs->name, p->row_at[first], bs->label_col, 1);
    lxw_rowcol_to_cell_abs(a, p->row_at[last], bs->label_col, 1, 1);
    snprintf(cats, sizeof cats, "=%s:%s", ref, a);
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
        int j = xlsx_find_col(t, keys[k]);
        if (j < 0)
            continue;
        lxw_col_t c = p->col_at[j];
        xlsx_ref(ref, sizeof ref, bs->name, p->row_at[first], c, 1);
        lxw_rowcol_to_cell_abs(a, p->row_at[last], c, 1, 1);
        snprintf(vals, sizeof vals, "=%s:%s", ref, a);
        lxw_chart_series *se = chart_add_series(ch, cats, vals);
        xlsx_ref(ref, sizeof ref, bs->name, p->head_row, c, 1);
        snprintf(vals, sizeof vals, "=%s", ref);
        chart_series_set_name(se, vals);
        lxw_chart_fill fill = {.color = colors[k]};
        chart_series_set_fill(se, &fill);
        lxw_chart_line line = {.none = LXW_TRUE};
        chart_series_set_line(se, &line);
    }
    chart_title_off(ch);
    /* Columns, not horizontal bars: within an activity the columns stand
     * left to right in the legend's order in every viewer (a horizontal
     * bar chart lists its legend against the bars' order in LibreOffice
     * or in Excel, whichever way its axis runs). */
    chart_axis_set_name(ch->y_axis, w->unit == DEC_TKR    ? "tkr"
                                    : w->unit == DEC_MNKR ? "mnkr"
                                                          : "kr");
    chart_axis_set_num_format(ch->y_axis,
                              w->unit == DEC_TKR    ? "[$-41D]#,##0,"
                              : w->unit == DEC_MNKR ? "[$-41D]#,##0.0,,"
                                                    : "[$-41D]#,##0");
    lxw_chart_line grid = {.color = 0xD9D9D9};
    chart_axis_major_gridlines_set_visible(ch->y_axis, LXW_TRUE);
    chart_axis_major_gridlines_set_line(ch->y_axis, &grid);
    chart_axis_major_gridlines_set_visible(ch->x_axis, LXW_FALSE);
    lxw_chart_font axis_font = {.size = 10};
    chart_axis_set_num_font(ch->x_axis, &axis_font);
    chart_axis_set_num_font(ch->y_axis, &axis_font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_legend_set_font(ch, &axis_font);

    lxw_chart_options opt = {0};
    opt.x_scale = 2;
    opt.y_scale = 2;
    xlsx_check(w, worksheet_insert_chart_opt(s.ws, s.row, 0, ch, &opt),
               "diagrammet");
    /* Columns wide enough for the chart to fill a landscape page. */
    xlsx_sheet_want(&s, 0, 8);
    xlsx_sheet_close(&s);
}

/* A table of r by caption; NULL when there is none. */
static const report_table *table_of(const report *r, const char *caption,
                                    size_t *index)
{
    for (size_t i = 0; i < r->ntables; i++)
        if (r->tables[i]->caption && !strcmp(r->tables[i]->caption, caption)) {
            if (index)
                *index = i;
            return r->tables[i];
        }
    return NULL;
}

/* Place the columns `keys` (in that order) of table t in the sheet columns
 * `cols`; every other column of t is not shown. place has t->ncols
 * entries. */
static void place_keys(lxw_col_t *place, const report_table *t,
                       const char *const *keys, const lxw_col_t *cols,
                       size_t n)
{
    for (int j = 0; j < t->ncols; j++)
        place[j] = XLSX_SKIP;
    for (size_t k = 0; k < n; k++) {
        int j = xlsx_find_col(t, keys[k]);
        if (j >= 0)
            place[j] = cols[k];
    }
}

/* The board sheet's columns: A code, B label, C..I the figures, J the
 * comment (and an earmark's decision). */
enum { COL_C = 2, COL_TEXT = 9 };

static const char *const follow_keys[] = {
    "budget", "budget_to_date", "to_date", "deviation_to_date",
    "forecast", "deviation", "pct", "comment"};
static const lxw_col_t follow_cols[] = {2, 3, 4, 5, 6, 7, 8, COL_TEXT};
static const char *const earmark_keys[] = {"decided", "drawn_year", "drawn",
                                           "remaining", "decision"};
static const lxw_col_t earmark_cols[] = {2, 3, 4, 5, COL_TEXT};
static const char *const surplus_keys[] = {"amount"};
static const lxw_col_t surplus_cols[] = {2};

/* A name for row i of a placed table across sheet columns c1..c2. */
static void name_span(xlsx_wb *w, const xlsx_sheet *s, const xlsx_placed *p,
                      size_t i, lxw_col_t c1, lxw_col_t c2, const char *name)
{
    if (i == (size_t)-1 || i >= p->nrows)
        return;
    xlsx_define_name(w, name, s->name, p->row_at[i], c1, p->row_at[i], c2);
}

/*
 * "Budget YEAR", the page the coordination group reads: per line Budget
 * helår, Budget t.o.m., Utfall t.o.m., Avvikelse t.o.m., Prognos helår,
 * Avvikelse helår, Utfall % and Kommentar (the outcome per period is on
 * the next sheet); each earmark (decided, drawn this year and in total,
 * remaining, the decision in the comment's column); the accumulated
 * surplus split into earmarked, bound grants and free; the warnings. One
 * landscape A4 page when it fits at a readable size. *fp gets where the
 * follow-up table went (for the chart).
 */
static int board_sheet(xlsx_wb *w, const report *r, int year,
                       const char *title, xlsx_sheet *s, xlsx_placed *fp)
{
    char name[32], unitline[256], dn[64];
    snprintf(name, sizeof name, "Budget %d", year);
    if (xlsx_sheet_open(s, w, name, title, 1, 1) != 0)
        return -1;
    xlsx_sheet_library_cells(s); /* the chart reads them */
    snprintf(unitline, sizeof unitline,
             "Belopp i %s. Avvikelse: positiv är gynnsam, negativ (röd) "
             "ogynnsam.%s Utfall per period och om arbetsboken: bladen "
             "efter diagrammet.",
             w->unit == DEC_TKR ? "tkr" : "kr",
             w->unit == DEC_TKR ? " Avrundningsdifferenser kan förekomma."
                                : "");
    xlsx_sheet_title(s, title, r->subtitle, unitline);

    size_t fi = 0, ei = 0, si = 0;
    const report_table *ft = table_of(r, "Budgetuppföljning", &fi);
    const report_table *et = table_of(r, "Öronmärkta medel", &ei);
    const report_table *st = table_of(r, "Ackumulerat överskott", &si);
    if (!ft)
        return -1;
    lxw_col_t *fpl = mem_calloc((size_t)ft->ncols + 1, sizeof *fpl);
    lxw_col_t *epl = mem_calloc(et ? (size_t)et->ncols + 1 : 1, sizeof *epl);
    lxw_col_t *spl = mem_calloc(st ? (size_t)st->ncols + 1 : 1, sizeof *spl);
    place_keys(fpl, ft, follow_keys, follow_cols, 8);
    if (et)
        place_keys(epl, et, earmark_keys, earmark_cols, 5);
    if (st)
        place_keys(spl, st, surplus_keys, surplus_cols, 1);
    xlsx_table_measure_at(s, ft, fpl);
    if (et)
        xlsx_table_measure_at(s, et, epl);
    if (st)
        xlsx_table_measure_at(s, st, spl);
    xlsx_sheet_fit(s);

    int rc = xlsx_table_write_at(s, ft, fpl, fp);
    xlsx_placed ep, sp;
    memset(&ep, 0, sizeof ep);
    memset(&sp, 0, sizeof sp);
    if (et && !w->failed) {
        xlsx_sheet_gap(s);
        rc |= xlsx_table_write_at(s, et, epl, &ep);
    }
    if (st && !w->failed) {
        xlsx_sheet_gap(s);
        rc |= xlsx_table_write_at(s, st, spl, &sp);
    }
    /* Warnings belong on the page; explanations go to "Om arbetsboken". */
    int first = 1;
    for (size_t i = 0; i < r->nnotes && !w->failed; i++) {
        if (r->notes[i].kind != REPORT_NOTE_WARNING)
            continue;
        if (first)
            xlsx_sheet_gap(s);
        first = 0;
        xlsx_sheet_lines(s, r->notes[i].text, w->st.warn);
    }

    /* Names: the key rows across the figures (C..I), the table, and the
     * surplus split. */
    if (!w->failed) {
        size_t res = xlsx_find_result(ft);
        if (res != (size_t)-1) {
            name_span(w, s, fp, ft->rows[res].terms[0].row, COL_C, 8,
                      "Intakter_totalt");
            name_span(w, s, fp, ft->rows[res].terms[1].row, COL_C, 8,
                      "Kostnader_totalt");
            snprintf(dn, sizeof dn, "Resultat_%d", year);
            name_span(w, s, fp, res, COL_C, 8, dn);
        }
        snprintf(dn, sizeof dn, "Budget_%d", year);
        if (ft->nrows)
            xlsx_define_name(w, dn, s->name, fp->head_row, 0,
                             fp->row_at[ft->nrows - 1], COL_TEXT);
        if (st && st->nrows >= 4) {
            name_span(w, s, &sp, 0, COL_C, COL_C, "Overskott_ackumulerat");
            name_span(w, s, &sp, 1, COL_C, COL_C, "Oronmarkt");
            name_span(w, s, &sp, 2, COL_C, COL_C, "Bundna_bidrag");
            name_span(w, s, &sp, st->nrows - 1, COL_C, COL_C, "Ej_oronmarkt");
        }
    }
    xlsx_placed_free(&ep);
    xlsx_placed_free(&sp);
    free(fpl);
    free(epl);
    free(spl);
    xlsx_sheet_one_page(s);
    xlsx_sheet_close(s);
    worksheet_activate(s->ws);
    return rc;
}

/* "Utfall per kvartal YEAR" (tertial, månad): the whole follow-up table
 * with the outcome of every period; the comments are on the first sheet. */
static int period_sheet(xlsx_wb *w, const report *r, int year, period_by by,
                        const char *title)
{
    const report_table *ft = table_of(r, "Budgetuppföljning", NULL);
    if (!ft)
        return -1;
    const char *per = by == PERIOD_BY_TERTIAL ? "tertial"
                      : by == PERIOD_BY_MONTH ? "månad"
                                              : "kvartal";
    char name[48], head[96];
    snprintf(name, sizeof name, "Utfall per %s %d", per, year);
    snprintf(head, sizeof head, "Budget och utfall per %s %d", per, year);
    xlsx_sheet s;
    if (xlsx_sheet_open(&s, w, name, title, 1, 1) != 0)
        return -1;
    xlsx_sheet_title(&s, head, r->subtitle,
                     w->unit == DEC_TKR
                         ? "Belopp i tkr. Avrundningsdifferenser kan "
                           "förekomma."
                         : "Belopp i kr.");
    lxw_col_t *pl = mem_calloc((size_t)ft->ncols + 1, sizeof *pl);
    for (int j = 0; j < ft->ncols; j++)
        pl[j] = s.data_col + (lxw_col_t)j;
    int cj = xlsx_find_col(ft, "comment");
    if (cj >= 0)
        pl[cj] = XLSX_SKIP;
    xlsx_table_measure_at(&s, ft, pl);
    xlsx_sheet_fit(&s);
    int rc = xlsx_table_write_at(&s, ft, pl, NULL);
    free(pl);
    xlsx_sheet_close(&s);
    return rc;
}

/* "Om arbetsboken": what the sheets' figures are and how they are made
 * (the formulas, the exactness), kept off the page the group reads. */
static int about_sheet(xlsx_wb *w, const book *b, const report *r,
                       const char *title, date_t at, int at_given)
{
    xlsx_sheet s;
    if (xlsx_sheet_open(&s, w, "Om arbetsboken", title, 0, 0) != 0)
        return -1;
    xlsx_sheet_want(&s, 0, 92);
    xlsx_sheet_title(&s, "Om arbetsboken", r->subtitle, NULL);
    char d[11], buf[512];
    date_format(at, d);
    snprintf(buf, sizeof buf,
             "Utfallet räknas t.o.m. %s, %s.",
             d,
             at_given ? "det datum som angavs när arbetsboken skapades"
             : b->reported != DATE_NONE
                 ? "bokens rapporterat t.o.m. (samla reported)"
                 : "dagens datum när arbetsboken skapades, eftersom boken "
                   "inte anger något rapporterat t.o.m. (samla reported)");
    xlsx_sheet_lines(&s, buf, NULL);
    for (size_t i = 0; i < r->nnotes; i++)
        if (r->notes[i].kind == REPORT_NOTE_INFO)
            xlsx_sheet_lines(&s, r->notes[i].text, NULL);
    static const char *const notes[] = {
        "Cellerna innehåller exakta belopp i kronor och ören, direkt ur "
        "boken; visningen i tkr avrundar bara det som syns. En cell rymmer "
        "15 värdesiffror, så belopp upp till 9 999 999 999 999,99 kr är "
        "exakta till öret.",
        "Summor, utfall t.o.m., avvikelser, prognos, resultat och det fria "
        "överskottet är formler: de räknas om om en siffra ändras. Varje "
        "formel är sparad tillsammans med sitt exakta värde, så ett program "
        "som inte räknar om visar samma siffror.",
        "Bladet med budgeten visar inte utfallet per period; det gör bladet "
        "Utfall per kvartal (eller tertial). Där är Utfall t.o.m. summan av "
        "periodernas utfall; på det första bladet är det samma värde, "
        "skrivet som tal.",
        "Diagrammet hämtar sina värden från det första bladet."};
    for (size_t i = 0; i < sizeof notes / sizeof *notes; i++) {
        xlsx_sheet_skip(&s, 1);
        xlsx_sheet_lines(&s, notes[i], NULL);
    }
    xlsx_sheet_close(&s);
    return 0;
}

samla_err xlsx_export_budget_opt(const book *b, int year, const period_t *at_p,
                           const char *path, const xlsx_opts *o_in,
                           diag_list *dl)
{
    xlsx_opts o;
    if (o_in)
        o = *o_in;
    else
        xlsx_opts_default(&o);
    date_t at = at_p ? at_p->to : report_default_at(b, year);
    period_by by = o.by != PERIOD_BY_NONE ? o.by : report_budget_by(at_p);
    if (by != PERIOD_BY_TERTIAL && by != PERIOD_BY_MONTH)
        by = PERIOD_BY_QUARTER;
    date_t today = o.report_date != DATE_NONE ? o.report_date : date_today();
    dec_unit unit = o.unit < 0 ? DEC_TKR : (dec_unit)o.unit;

    char title[96], subject[160];
    snprintf(title, sizeof title, "Budget och uppföljning %d", year);
    snprintf(subject, sizeof subject,
             "Budget, utfall, prognos och avvikelse %d för samordningsgruppen",
             year);

    report *r = report_budget(b, year, at, by);
    xlsx_wb w;
    if (xlsx_wb_open(&w, b, path, title, subject, o.constant_memory > 0,
                     unit, today, dl) != 0) {
        report_free(r);
        return SAMLA_EIO;
    }
    xlsx_sheet s;
    xlsx_placed fp;
    memset(&fp, 0, sizeof fp);
    if (board_sheet(&w, r, year, title, &s, &fp) == 0 && !w.failed) {
        const report_table *ft = table_of(r, "Budgetuppföljning", NULL);
        size_t res = xlsx_find_result(ft);
        size_t costs = res != (size_t)-1 ? ft->rows[res].terms[1].row
                                         : (size_t)-1;
        /* Every sheet is written top to bottom, one after the other
         * (constant-memory mode allows nothing else). */
        budget_chart(&w, &s, r, ft, &fp, costs, year, title);
        if (!w.failed)
            period_sheet(&w, r, year, by, title);
        if (!w.failed)
            about_sheet(&w, b, r, title, at, at_p != NULL);
    }
    xlsx_placed_free(&fp);
    report_free(r);
    return xlsx_wb_close(&w);
}

samla_err xlsx_export_budget(const book *b, int year, const period_t *at,
                       const char *path, diag_list *dl)
{
    return xlsx_export_budget_opt(b, year, at, path, NULL, dl);
}
