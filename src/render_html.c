/*
 * render_html - the HTML renderer of report tables (see html.h), the web
 * interface's counterpart of render_term/render_csv: it only reads the
 * report, every figure is a value of the table formatted for display.
 */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

int render_html_col(const report_table *t, const char *key)
{
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].key && strcmp(t->cols[c].key, key) == 0)
            return c;
    return -1;
}

static void cell_html(html_buf *h, const report_cell *c, const render_opts *o)
{
    char buf[16];
    switch (c->kind) {
    case REPORT_CELL_EMPTY:
        break;
    case REPORT_CELL_AMOUNT:
        html_amount(h, &c->amount, o);
        break;
    case REPORT_CELL_PERCENT: {
        char *p = report_percent_format(&c->amount, &c->den, 1, 0);
        html_esc(h, p);
        html_raw(h, "\xC2\xA0%");
        free(p);
        break;
    }
    case REPORT_CELL_TEXT:
        html_esc(h, c->text);
        break;
    case REPORT_CELL_DATE:
        if (c->date != DATE_NONE) {
            date_format(c->date, buf);
            html_raw(h, "<time>");
            html_esc(h, buf);
            html_raw(h, "</time>");
        }
        break;
    case REPORT_CELL_INTEGER:
        html_rawf(h, "%lld", c->integer);
        break;
    }
}

static const char *col_class(report_col_kind k)
{
    switch (k) {
    case REPORT_COL_AMOUNT:
    case REPORT_COL_PERCENT:
    case REPORT_COL_INTEGER:
        return "num";
    case REPORT_COL_DATE:
        return "date";
    case REPORT_COL_TEXT:
        return "text";
    }
    return "text";
}

static const char *row_class(const report_row *row)
{
    switch (row->kind) {
    case REPORT_ROW_SUBTOTAL: return "subtotal";
    case REPORT_ROW_TOTAL: return "total";
    case REPORT_ROW_HEADING: return "heading";
    case REPORT_ROW_NOTE: return "note";
    default: return "line";
    }
}

void render_html_table(html_buf *h, const report_table *t,
                       const render_opts *o)
{
    render_html_table_ex(h, t, NULL, -1, 0, NULL, o);
}

void render_html_table_ex(html_buf *h, const report_table *t, const int *cols,
                          int ncols, size_t max_lines, size_t *shown,
                          const render_opts *o)
{
    render_html_table_captioned(h, t, NULL, cols, ncols, max_lines, shown, o);
}

void render_html_table_captioned(html_buf *h, const report_table *t,
                                 const char *caption, const int *cols,
                                 int ncols, size_t max_lines, size_t *shown,
                                 const render_opts *o)
{
    int all[64];
    if (!cols || ncols < 0) {
        /* Every column, except a text column without any text (a comment
         * column no line has used): it would only take room. */
        ncols = 0;
        for (int c = 0; c < t->ncols && ncols < 64; c++) {
            int used = t->cols[c].kind != REPORT_COL_TEXT;
            for (size_t i = 0; i < t->nrows && !used; i++)
                used = !report_row_kind_cellless(t->rows[i].kind) &&
                       t->rows[i].cells[c].kind == REPORT_CELL_TEXT &&
                       t->rows[i].cells[c].text && *t->rows[i].cells[c].text;
            if (used)
                all[ncols++] = c;
        }
        cols = all;
    }
    int codes = t->code_heading != NULL || report_table_has_codes(t);
    int span = ncols + 1 + (codes ? 1 : 0);
    size_t lines = 0;
    if (!caption || !*caption)
        caption = t->caption && *t->caption ? t->caption : "Tabell";
    unsigned id = html_next_id(h);
    html_rawf(h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                 "aria-labelledby=\"tabell%u\"><table>\n<caption "
                 "id=\"tabell%u\">", id, id);
    html_esc(h, caption);
    html_raw(h, "</caption>\n");
    html_raw(h, "<thead><tr>");
    if (codes) {
        html_raw(h, "<th scope=\"col\" class=\"code\">");
        html_esc(h, t->code_heading ? t->code_heading : "Kod");
        html_raw(h, "</th>");
    }
    html_raw(h, "<th scope=\"col\" class=\"label\">");
    html_esc(h, t->label_heading ? t->label_heading : "");
    html_raw(h, "</th>");
    for (int k = 0; k < ncols; k++) {
        int c = cols[k];
        html_rawf(h, "<th scope=\"col\" class=\"%s\">",
                  col_class(t->cols[c].kind));
        html_esc(h, t->cols[c].heading);
        html_raw(h, "</th>");
    }
    html_raw(h, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < t->nrows; i++) {
        const report_row *row = &t->rows[i];
        int warn = (row->flags & REPORT_FLAG_WARN) != 0;
        if (row->kind == REPORT_ROW_LINE && max_lines && lines++ >= max_lines)
            continue;
        if (row->kind == REPORT_ROW_BLANK) {
            html_rawf(h, "<tr class=\"blank\"><td colspan=\"%d\"></td></tr>\n",
                      span);
            continue;
        }
        html_rawf(h, "<tr class=\"%s%s\">", row_class(row),
                  warn ? " warn" : "");
        if (row->kind == REPORT_ROW_HEADING || row->kind == REPORT_ROW_NOTE) {
            html_rawf(h, "<th scope=\"colgroup\" colspan=\"%d\">", span);
            html_esc(h, row->label);
            html_raw(h, "</th></tr>\n");
            continue;
        }
        if (codes) {
            html_raw(h, "<td class=\"code\">");
            html_esc(h, row->code);
            html_raw(h, "</td>");
        }
        html_rawf(h, "<th scope=\"row\" class=\"label level%d\">",
                  row->level < 0 ? 0 : row->level > 3 ? 3 : row->level);
        if (warn)
            html_raw(h, "<span class=\"warn-mark\" aria-hidden=\"true\">"
                        "\xE2\x9A\xA0 </span><span class=\"sr-only\">"
                        "Varning: </span>");
        html_esc(h, row->label);
        html_raw(h, "</th>");
        for (int k = 0; k < ncols; k++) {
            int c = cols[k];
            const report_cell *cell = &row->cells[c];
            int neg = cell->kind == REPORT_CELL_AMOUNT &&
                      dec_sgn(&cell->amount) < 0;
            html_rawf(h, "<td class=\"%s%s\">", col_class(t->cols[c].kind),
                      neg ? " neg" : "");
            cell_html(h, cell, o);
            html_raw(h, "</td>");
        }
        html_raw(h, "</tr>\n");
    }
    html_raw(h, "</tbody></table></div>\n");
    if (shown)
        *shown = max_lines && lines > max_lines ? max_lines : lines;
}

void render_html_notes(html_buf *h, const report *r, const render_opts *o)
{
    int rounded = o->unit != DEC_KR || o->decimals < 2;
    if (r->nnotes == 0 && !rounded)
        return;
    html_raw(h, "<ul class=\"notes\">\n");
    for (size_t i = 0; i < r->nnotes; i++) {
        const report_note *n = &r->notes[i];
        const char *text = n->text ? n->text : "";
        if (n->kind == REPORT_NOTE_WARNING) {
            html_raw(h, "<li class=\"warn\"><strong>Varning:</strong> ");
            /* Some computations write the word themselves. */
            if (strncmp(text, "Varning: ", 9) == 0)
                text += 9;
        } else {
            html_raw(h, "<li>");
        }
        html_esc(h, text);
        html_raw(h, "</li>\n");
    }
    if (rounded)
        html_raw(h, "<li>Avrundningsdifferenser kan förekomma.</li>\n");
    html_raw(h, "</ul>\n");
}

void render_html(html_buf *h, const report *r, const render_opts *o)
{
    html_raw(h, "<section class=\"report\">\n<h2>");
    html_esc(h, r->title);
    html_raw(h, "</h2>\n");
    if (r->subtitle && *r->subtitle) {
        html_raw(h, "<p class=\"subtitle\">");
        html_esc(h, r->subtitle);
        html_raw(h, "</p>\n");
    }
    for (size_t i = 0; i < r->ntables; i++)
        render_html_table(h, r->tables[i], o);
    render_html_notes(h, r, o);
    html_raw(h, "</section>\n");
}

/* ---- Charts ---------------------------------------------------------------
 * A chart is an HTML list: each line's label and figures are text (so they
 * follow the browser's zoom and are read by screen readers), and its bar is
 * a small inline SVG, 1000 user units wide, stretched to the width of the
 * page (preserveAspectRatio="none": lengths are fractions of the width). */

enum { BAR_MAX = 1000 };

/* The amount of a cell, or NULL when it holds none. */
static const dec_t *cell_amount(const report_table *t, size_t row, int col)
{
    if (col < 0 || col >= t->ncols)
        return NULL;
    const report_cell *c = &t->rows[row].cells[col];
    return c->kind == REPORT_CELL_AMOUNT ? &c->amount : NULL;
}

/* length = v * full / max rounded down, 0 for v <= 0; exact integers. */
static long bar_len(const dec_t *v, const dec_t *max, long full)
{
    if (!v || dec_sgn(v) <= 0 || dec_sgn(max) <= 0)
        return 0;
    dec_t x;
    dec_init(&x);
    dec_mul_ratio_ul(&x, v, (unsigned long)full, 1); /* exact */
    long len = dec_div_floor(&x, max);
    dec_clear(&x);
    return len > full ? full : len;
}

static int chart_row(const report_row *row, int with_totals)
{
    return row->kind == REPORT_ROW_LINE ||
           (with_totals && (row->kind == REPORT_ROW_SUBTOTAL ||
                            row->kind == REPORT_ROW_TOTAL));
}

static void legend_swatch(html_buf *h, const char *cls, const char *text)
{
    html_rawf(h, "<span class=\"legend-item\"><svg class=\"swatch\" "
                 "viewBox=\"0 0 20 12\" aria-hidden=\"true\" "
                 "xmlns=\"http://www.w3.org/2000/svg\"><rect class=\"%s "
                 "legend\" width=\"20\" height=\"12\"/></svg>",
              cls);
    html_esc(h, text);
    html_raw(h, "</span>");
}

void render_html_bars(html_buf *h, const report_table *t, size_t first,
                      size_t last, int col, int ref_col, int with_totals,
                      const char *title, const render_opts *o)
{
    if (col < 0 || t->nrows == 0)
        return;
    if (last >= t->nrows)
        last = t->nrows - 1;
    dec_t max;
    dec_init(&max);
    size_t n = 0;
    for (size_t i = first; i <= last; i++) {
        if (!chart_row(&t->rows[i], with_totals))
            continue;
        n++;
        const dec_t *v = cell_amount(t, i, col);
        const dec_t *r = cell_amount(t, i, ref_col);
        if (v && dec_cmp(v, &max) > 0)
            dec_set(&max, v);
        if (r && dec_cmp(r, &max) > 0)
            dec_set(&max, r);
    }
    if (n == 0) {
        dec_clear(&max);
        return;
    }
    html_raw(h, "<figure class=\"chart\"><figcaption><span class=\"sr-only\">");
    html_esc(h, title);
    html_raw(h, "</span>");
    if (ref_col >= 0) {
        legend_swatch(h, "bar-val", t->cols[col].heading);
        legend_swatch(h, "bar-ref", t->cols[ref_col].heading);
    }
    html_raw(h, "</figcaption>\n<ul class=\"bars\">\n");
    for (size_t i = first; i <= last; i++) {
        const report_row *row = &t->rows[i];
        if (!chart_row(row, with_totals))
            continue;
        const dec_t *v = cell_amount(t, i, col);
        const dec_t *r = cell_amount(t, i, ref_col);
        long lv = bar_len(v, &max, BAR_MAX), lr = bar_len(r, &max, BAR_MAX);
        int over = v && r && dec_cmp(v, r) > 0;
        html_raw(h, "<li><span class=\"bar-label\">");
        html_esc(h, row->label);
        html_raw(h, "</span> <span class=\"bar-figure\">");
        if (v) {
            /* "utfall av budget": the reference figure beside the bar
             * too, so the chart reads without the table. */
            char *s = dec_format(v, o->unit, o->decimals,
                                 r ? 0 : DEC_FMT_UNIT);
            html_esc(h, s);
            free(s);
            if (r) {
                s = dec_format(r, o->unit, o->decimals, DEC_FMT_UNIT);
                html_raw(h, " av ");
                html_esc(h, s);
                free(s);
            }
        }
        if (over)
            html_raw(h, " <strong class=\"over-mark\">(över)</strong>");
        html_rawf(h, "</span>\n<svg class=\"bar\" viewBox=\"0 0 %d 24\" "
                     "preserveAspectRatio=\"none\" aria-hidden=\"true\" "
                     "xmlns=\"http://www.w3.org/2000/svg\">",
                  BAR_MAX);
        if (r)
            html_rawf(h, "<rect class=\"bar-ref\" x=\"0\" y=\"0\" "
                         "width=\"%ld\" height=\"24\"/>",
                      lr);
        html_rawf(h, "<rect class=\"bar-val%s\" x=\"0\" y=\"%d\" "
                     "width=\"%ld\" height=\"%d\"/></svg></li>\n",
                  over ? " over" : "", r ? 6 : 0, lv, r ? 12 : 24);
    }
    html_raw(h, "</ul></figure>\n");
    dec_clear(&max);
}

void render_html_meter(html_buf *h, const dec_t *part, const dec_t *whole,
                       const char *label)
{
    enum { W = 300 };
    long len = 0;
    int over = 0;
    if (dec_sgn(whole) > 0) {
        over = dec_cmp(part, whole) > 0;
        len = over ? W : bar_len(part, whole, W);
    } else if (dec_sgn(part) > 0) {
        over = 1;
        len = W;
    }
    html_rawf(h, "<svg class=\"meter\" role=\"img\" viewBox=\"0 0 %d 20\" "
                 "preserveAspectRatio=\"none\" xmlns=\"http://www.w3.org/2000/svg\"><title>",
              W);
    html_esc(h, label);
    html_rawf(h, "</title><rect class=\"meter-bg\" x=\"0\" y=\"0\" "
                 "width=\"%d\" height=\"20\"/><rect class=\"meter-fill%s\" "
                 "x=\"0\" y=\"0\" width=\"%ld\" height=\"20\"/></svg>",
              W, over ? " over" : "", len);
}
