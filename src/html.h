/*
 * html - building HTML pages for the web interface (samla serve): a
 * growable byte buffer with escaping, and the HTML renderer of report
 * tables (render_html.c) with its inline SVG bar charts.
 *
 * Every piece of text that comes from the book or from a request goes
 * through html_esc/html_escf, never html_raw: the book is data typed by
 * people, and a purpose such as "<script>" must show as text.
 */
#ifndef SAMLA_HTML_H
#define SAMLA_HTML_H

#include <stddef.h>

#include "render.h"
#include "report.h"

typedef struct {
    char *data;
    size_t len, cap;
    unsigned ids; /* element ids handed out (html_next_id) */
} html_buf;

/* A page-unique number for an element id ("tabell3"). */
unsigned html_next_id(html_buf *h);

void html_init(html_buf *h);
void html_free(html_buf *h);
/* Hand the bytes over to the caller (who frees them); h is left empty. */
char *html_take(html_buf *h, size_t *len);

/* Append bytes as they are (markup written by the program itself). */
void html_raw(html_buf *h, const char *s);
void html_rawn(html_buf *h, const char *s, size_t n);
/* printf into the buffer, unescaped: only for markup and numbers. */
void html_rawf(html_buf *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append text escaped for element content and attribute values
 * (& < > " ' are replaced); NULL appends nothing. Invalid UTF-8 bytes are
 * replaced by U+FFFD so a broken byte never reaches the browser's parser. */
void html_esc(html_buf *h, const char *s);
void html_escn(html_buf *h, const char *s, size_t n);
/* printf, then escape the result. */
void html_escf(html_buf *h, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s percent-encoded for a URL query value. */
void html_url(html_buf *h, const char *s);

/* An amount formatted with o (unit, decimals), escaped, in a <data> element
 * whose value attribute is the exact amount ("-1234.50"), so tests and
 * scripts can read exact figures from any page. */
void html_amount(html_buf *h, const dec_t *v, const render_opts *o);

/* ---- render_html.c ------------------------------------------------------ */

/* One report table as an accessible <table> (caption, scoped headings,
 * numbers right-aligned, totals and warnings marked by class and text, not
 * colour alone). The table sits in a box that scrolls sideways when the
 * table is wider than the page: a region named by the caption that the
 * keyboard can reach (tabindex 0), so its hidden columns can be scrolled
 * to without a mouse. */
void render_html_table(html_buf *h, const report_table *t,
                       const render_opts *o);
/* The same with only the columns cols[0..ncols) (NULL: all) and at most
 * max_lines LINE rows (0: all; the other rows, totals included, are always
 * shown). *shown (may be NULL) gets the number of LINE rows shown. */
void render_html_table_ex(html_buf *h, const report_table *t, const int *cols,
                          int ncols, size_t max_lines, size_t *shown,
                          const render_opts *o);
/* The same with a caption of the caller's (for a table that has none). */
void render_html_table_captioned(html_buf *h, const report_table *t,
                                 const char *caption, const int *cols,
                                 int ncols, size_t max_lines, size_t *shown,
                                 const render_opts *o);

/* The whole report: title as <h2> (the page owns <h1>), subtitle, every
 * table, and the footnotes (warnings marked as such). */
void render_html(html_buf *h, const report *r, const render_opts *o);

/* The footnotes alone. */
void render_html_notes(html_buf *h, const report *r, const render_opts *o);

/*
 * A horizontal bar chart: a <figure> with one list item per LINE row of
 * table t among rows first..last (SUBTOTAL/TOTAL rows too when
 * with_totals): the row's label and figures as text, and a bar as inline
 * SVG of column `col` and, when `ref_col` >= 0, behind it a lighter bar of
 * that column (e.g. the budget). Lengths are computed from the exact
 * amounts with integer arithmetic (no floating point): length = value *
 * 1000 / max, rounded down, in SVG units stretched to the page's width.
 * Negative values get no bar (their figure is shown). `title` names the
 * chart for screen readers.
 */
void render_html_bars(html_buf *h, const report_table *t, size_t first,
                      size_t last, int col, int ref_col, int with_totals,
                      const char *title, const render_opts *o);

/* A single bar: part of whole (e.g. drawn of an earmark) as inline SVG;
 * over-full parts are drawn full and marked. */
void render_html_meter(html_buf *h, const dec_t *part, const dec_t *whole,
                       const char *label);

/* The column index of the column with `key` in t, or -1. */
int render_html_col(const report_table *t, const char *key);

#endif
