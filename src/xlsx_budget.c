/*
 * xlsx_budget - "Budget och uppföljning YEAR", the coordination group's
 * budget sheet: the budget report (report_budget) on one sheet, with live
 * formulas and names for its key rows; then a sheet with a chart of
 * budget, outcome and forecast per activity.
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

/* The row `i` of a placed table across its data columns as a name. */
static void name_row(xlsx_wb *w, const xlsx_sheet *s, const report_table *t,
                     const xlsx_placed *p, size_t i, const char *name)
{
    if (i == (size_t)-1 || t->ncols == 0)
        return;
    xlsx_define_name(w, name, s->name, p->row_at[i], p->col_at[0],
                     p->row_at[i], p->col_at[t->ncols - 1]);
}

/* "Diagram YEAR": a sheet with a clustered bar chart of the cost lines of
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

    lxw_chart *ch = workbook_add_chart(w->wb, LXW_CHART_BAR);
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
    /* In a bar chart the x axis is the horizontal value axis and the y
     * axis the categories: list the activities top-down in the table's
     * order, and show values in the sheet's unit. */
    chart_axis_set_reverse(ch->y_axis);
    chart_axis_set_name(ch->x_axis, w->unit == DEC_TKR    ? "tkr"
                                    : w->unit == DEC_MNKR ? "mnkr"
                                                          : "kr");
    chart_axis_set_num_format(ch->x_axis,
                              w->unit == DEC_TKR    ? "[$-41D]#,##0,"
                              : w->unit == DEC_MNKR ? "[$-41D]#,##0.0,,"
                                                    : "[$-41D]#,##0");
    /* With the categories reversed the value axis would move to the top;
     * crossing at the last category keeps it at the bottom. */
    chart_axis_set_crossing_max(ch->y_axis);
    lxw_chart_line grid = {.color = 0xD9D9D9};
    chart_axis_major_gridlines_set_visible(ch->x_axis, LXW_TRUE);
    chart_axis_major_gridlines_set_line(ch->x_axis, &grid);
    chart_axis_major_gridlines_set_visible(ch->y_axis, LXW_FALSE);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);

    lxw_chart_options opt = {0};
    opt.x_scale = 2;
    opt.y_scale = 2;
    xlsx_check(w, worksheet_insert_chart_opt(s.ws, s.row, 0, ch, &opt),
               "diagrammet");
    /* Columns wide enough for the chart to fill a landscape page. */
    xlsx_sheet_want(&s, 0, 8);
    xlsx_sheet_close(&s);
}

int xlsx_export_budget_opt(const book *b, int year, const period_t *at_p,
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
    date_t today = o.report_date != DATE_NONE ? o.report_date : date_today();
    dec_unit unit = o.unit < 0 ? DEC_TKR : (dec_unit)o.unit;

    char title[96], subject[160], sheetname[32], dn[64];
    snprintf(title, sizeof title, "Budget och uppföljning %d", year);
    snprintf(subject, sizeof subject,
             "Budget, utfall, prognos och avvikelse %d för samordningsgruppen",
             year);
    snprintf(sheetname, sizeof sheetname, "Budget %d", year);

    report *r = report_budget(b, year, at, by);
    xlsx_wb w;
    if (xlsx_wb_open(&w, b, path, title, subject, o.constant_memory > 0,
                     unit, today, dl) != 0) {
        report_free(r);
        return SAMLA_EIO;
    }

    xlsx_sheet s;
    if (xlsx_sheet_open(&s, &w, sheetname, title, 1, 1) == 0) {
        char unitline[256];
        snprintf(unitline, sizeof unitline,
                 "Belopp i %s. Cellerna innehåller exakta belopp i kr; "
                 "summor, utfall hittills, prognos, avvikelse och resultat "
                 "är formler.%s",
                 unit == DEC_TKR ? "tkr" : "kr",
                 unit == DEC_TKR ? " Avrundningsdifferenser kan förekomma."
                                 : "");
        xlsx_sheet_title(&s, title, r->subtitle, unitline);

        size_t nt = r->ntables;
        xlsx_placed *placed = mem_calloc(nt ? nt : 1, sizeof *placed);
        xlsx_report_write(&s, r, placed);
        size_t costs = (size_t)-1;

        /* Names for the key rows of the budget table, and the surplus. */
        if (nt >= 1 && !w.failed) {
            const report_table *t = r->tables[0];
            size_t res = xlsx_find_result(t);
            if (res != (size_t)-1) {
                name_row(&w, &s, t, &placed[0], t->rows[res].terms[0].row,
                         "Intakter_totalt");
                name_row(&w, &s, t, &placed[0], t->rows[res].terms[1].row,
                         "Kostnader_totalt");
                snprintf(dn, sizeof dn, "Resultat_%d", year);
                name_row(&w, &s, t, &placed[0], res, dn);
            }
            snprintf(dn, sizeof dn, "Budget_%d", year);
            if (t->nrows)
                xlsx_define_name(&w, dn, s.name, placed[0].head_row, 0,
                                 placed[0].row_at[t->nrows - 1],
                                 placed[0].col_at[t->ncols - 1]);
            /* The surplus split: accumulated, earmarked, bound grants,
             * free (= the first minus the other two). */
            for (size_t k = 1; k < nt; k++) {
                const report_table *u = r->tables[k];
                if (!u->caption ||
                    strcmp(u->caption, "Ackumulerat överskott") != 0 ||
                    u->nrows < 4)
                    continue;
                name_row(&w, &s, u, &placed[k], 0, "Overskott_ackumulerat");
                name_row(&w, &s, u, &placed[k], 1, "Oronmarkt");
                name_row(&w, &s, u, &placed[k], 2, "Bundna_bidrag");
                name_row(&w, &s, u, &placed[k], u->nrows - 1, "Ej_oronmarkt");
            }
            costs = res != (size_t)-1 ? t->rows[res].terms[1].row
                                      : (size_t)-1;
        }
        xlsx_sheet_close(&s);
        worksheet_activate(s.ws);
        /* The chart's sheet comes after: every sheet is written top to
         * bottom, one after the other (constant-memory mode allows that). */
        if (nt >= 1 && !w.failed)
            budget_chart(&w, &s, r, r->tables[0], &placed[0], costs, year,
                         title);
        for (size_t i = 0; i < nt; i++)
            xlsx_placed_free(&placed[i]);
        free(placed);
    }
    report_free(r);
    return xlsx_wb_close(&w);
}

int xlsx_export_budget(const book *b, int year, const period_t *at,
                       const char *path, diag_list *dl)
{
    return xlsx_export_budget_opt(b, year, at, path, NULL, dl);
}
