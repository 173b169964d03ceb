/*
 * xlsx_sheet - one worksheet laid out as a printed report: page setup,
 * header and footer, title rows, frozen headings, column widths, notes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "text.h"
#include "xlsx_priv.h"

/* Page margins in hundredths of an inch: narrow at the sides, where the
 * columns need the room; the header and footer (HF_MARGIN, in inches) sit
 * in the top and bottom margins: 0.25" + one 8-10 pt line fits in 0.5",
 * which leaves the budget page room for its earmark sums (a year with
 * reservations and a bound grant, per 2026Q4, on one page at 8 pt). */
#define SIDE_MARGIN 30
#define TOP_MARGIN 50
#define HF_MARGIN 0.25

unsigned xlsx_utf8_width(const char *s)
{
    unsigned n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

/* Copy at most `max` code points of s into buf (size bytes), replacing
 * the characters Excel forbids in sheet names. */
static void sheet_name(char *buf, size_t size, const char *s, unsigned max)
{
    size_t o = 0;
    unsigned cps = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int start = (*p & 0xC0) != 0x80;
        if (start && ++cps > max)
            break;
        if (o + 1 >= size)
            break;
        unsigned char ch = *p;
        if (strchr("[]:*?/\\", ch) && ch)
            ch = '-';
        buf[o++] = (char)ch;
    }
    buf[o] = '\0';
    /* Excel refuses a name that begins or ends with an apostrophe. */
    if (buf[0] == '\'')
        buf[0] = '-';
    if (o && buf[o - 1] == '\'')
        buf[o - 1] = '-';
}

/* Append s to the header/footer text; `text` doubles '&' (a code there). */
static void hf_add(char *buf, size_t size, const char *s, int text)
{
    size_t o = strlen(buf);
    for (; *s && o + 2 < size; s++) {
        if (text && *s == '&')
            buf[o++] = '&';
        buf[o++] = *s;
    }
    buf[o] = '\0';
}

int xlsx_sheet_open(xlsx_sheet *s, xlsx_wb *w, const char *name,
                    const char *doc_title, int landscape, int has_code)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->has_code = has_code;
    s->label_col = has_code ? 1 : 0;
    s->data_col = s->label_col + 1;

    /* At most 31 characters; unique within the workbook. */
    char want[128];
    sheet_name(want, sizeof want, name, 31);
    snprintf(s->name, sizeof s->name, "%s", want);
    for (int i = 2; workbook_get_worksheet_by_name(w->wb, s->name); i++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, " %d", i);
        sheet_name(want, sizeof want, name, 31 - (unsigned)strlen(suffix));
        snprintf(s->name, sizeof s->name, "%s%s", want, suffix);
    }
    s->ws = workbook_add_worksheet(w->wb, s->name);
    if (!s->ws) {
        xlsx_fail(w, "kan inte lägga till bladet %s", s->name);
        return -1;
    }

    lxw_worksheet *ws = s->ws;
    /* Its cells are samla's, written at close (xlsx_cells.c), unless the
     * caller gives them back to libxlsxwriter. */
    xlsx_wb_cells_own(w, ws, s->name, 1);
    s->landscape = landscape;
    worksheet_set_paper(ws, 9); /* A4 */
    if (landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0); /* one page wide, as long as needed */
    worksheet_center_horizontally(ws);
    worksheet_set_margins(ws, xlsx_hundredths(SIDE_MARGIN),
                          xlsx_hundredths(SIDE_MARGIN),
                          xlsx_hundredths(TOP_MARGIN),
                          xlsx_hundredths(TOP_MARGIN));
    worksheet_set_default_row(ws, xlsx_hundredths(XLSX_ROW_CPT), LXW_FALSE);

    /* Header: organisation | document title | report date (ISO). Footer:
     * sheet name | page n of N. In the text's size (&10): the page's scale
     * applies to them too. */
    char hf[1024] = "", date[16] = "";
    if (w->report_date != DATE_NONE)
        date_format(w->report_date, date);
    hf_add(hf, sizeof hf, "&L&10", 0);
    hf_add(hf, sizeof hf, w->b->name ? w->b->name : "", 1);
    hf_add(hf, sizeof hf, "&C&10&\"-,Bold\"", 0);
    hf_add(hf, sizeof hf, doc_title ? doc_title : "", 1);
    hf_add(hf, sizeof hf, "&R&10Rapportdatum ", 0);
    hf_add(hf, sizeof hf, date, 0);
    if (strlen(hf) > 255) { /* Excel's limit: keep the date, cut the rest */
        hf[0] = '\0';
        hf_add(hf, 200, "&L&10", 0);
        hf_add(hf, 200, w->b->name ? w->b->name : "", 1);
        hf_add(hf, sizeof hf, "&R&10Rapportdatum ", 0);
        hf_add(hf, sizeof hf, date, 0);
    }
    lxw_header_footer_options hfo = {.margin = HF_MARGIN};
    xlsx_check(w, worksheet_set_header_opt(ws, hf, &hfo), "sidhuvudet");
    xlsx_check(w, worksheet_set_footer_opt(ws, "&L&10&A&R&10Sida &P av &N",
                                           &hfo),
               "sidfoten");
    return 0;
}

/* ---- Fitting the page ------------------------------------------------------
 * Lengths in whole hundredths of a point (cpt): A4 in hundredths of an inch
 * (72 pt an inch), and a column's printed width: the width in characters of
 * the default font that libxlsxwriter writes (chars + 0.71) times 5.8 pt,
 * as LibreOffice prints it with Carlito (Calibri's metric twin; measured on
 * the annual workbook's sheets: 5.54-5.60 pt a unit). FIT_PCT leaves a
 * margin over XLSX_MIN_PT / XLSX_FONT_PT (80 %) for the measurement and for
 * LibreOffice's whole-percent scales. */
#define A4_SHORT 827
#define A4_LONG 1169
#define FIT_PCT (100 * XLSX_MIN_PT / XLSX_FONT_PT + 4)

static long col_cpt(unsigned chars)
{
    return ((long)chars * 100 + 71) * 58 / 10;
}

/* The printable width and height of the sheet's page. */
static void printable(const xlsx_sheet *s, long *w, long *h)
{
    long pw = s->landscape ? A4_LONG : A4_SHORT;
    long ph = s->landscape ? A4_SHORT : A4_LONG;
    *w = (pw - 2 * SIDE_MARGIN) * 72;
    *h = (ph - 2 * TOP_MARGIN) * 72;
}

static long sheet_width_cpt(const xlsx_sheet *s)
{
    long t = 0;
    for (lxw_col_t c = 0; c < s->ncols && c < XLSX_MAX_COLS; c++)
        t += col_cpt(xlsx_sheet_colwidth(s, c));
    return t;
}

void xlsx_sheet_wraps(xlsx_sheet *s, lxw_col_t c, unsigned chars)
{
    if (c >= XLSX_MAX_COLS)
        return;
    if (chars < 4)
        chars = 4;
    if (chars > s->minw[c])
        s->minw[c] = chars;
}

void xlsx_sheet_fit(xlsx_sheet *s)
{
    long pw, ph;
    printable(s, &pw, &ph);
    long most = pw * 100 / FIT_PCT; /* the widest that prints large enough */
    while (sheet_width_cpt(s) > most) {
        /* Narrow the wrapping column with the most room to give. */
        lxw_col_t best = XLSX_MAX_COLS;
        unsigned room = 0;
        for (lxw_col_t c = 0; c < s->ncols && c < XLSX_MAX_COLS; c++) {
            unsigned wd = xlsx_sheet_colwidth(s, c) - 1;
            if (s->minw[c] && wd > s->minw[c] && wd - s->minw[c] > room) {
                room = wd - s->minw[c];
                best = c;
            }
        }
        if (best == XLSX_MAX_COLS)
            break; /* nothing more to narrow: it prints smaller */
        s->width[best] = xlsx_sheet_colwidth(s, best) - 2;
    }
}

void xlsx_sheet_library_cells(xlsx_sheet *s)
{
    xlsx_wb_cells_own(s->w, s->ws, s->name, 0);
}

void xlsx_sheet_row_height(xlsx_sheet *s, lxw_row_t r, long cpt)
{
    xlsx_cells *cs = xlsx_wb_cells_of(s->w, s->ws);
    if (cs)
        xlsx_cells_height(cs, r, cpt);
    else
        worksheet_set_row(s->ws, r, xlsx_hundredths(cpt), NULL);
    s->extra_cpt += cpt - XLSX_ROW_CPT;
}

void xlsx_sheet_one_page(xlsx_sheet *s)
{
    long pw, ph;
    printable(s, &pw, &ph);
    long t = sheet_width_cpt(s);
    long height = (long)s->row * XLSX_ROW_CPT + s->extra_cpt;
    /* One page when that needs no scale below XLSX_MIN_PT / XLSX_FONT_PT
     * (and a little margin; the page then shrinks to its height if that is
     * the tighter): both the width's scale pw / t (at most 1) and the
     * height's ph / height at least 82 %. The header and footer sit in the
     * top and bottom margins, as LibreOffice prints them. */
    long least = 100 * XLSX_MIN_PT / XLSX_FONT_PT + 2;
    int wide_ok = t <= pw || pw * 100 >= least * t;
    int high_ok = height <= 0 || ph * 100 >= least * height;
    if (wide_ok && high_ok)
        worksheet_fit_to_pages(s->ws, 1, 1);
}

void xlsx_sheet_want(xlsx_sheet *s, lxw_col_t c, unsigned chars)
{
    if (c >= XLSX_MAX_COLS)
        return;
    if (chars > s->width[c])
        s->width[c] = chars;
    if (c + 1 > s->ncols)
        s->ncols = c + 1;
}

void xlsx_sheet_text(xlsx_sheet *s, const char *text, lxw_format *f)
{
    xlsx_put_text(s->w, s->ws, s->name, s->row, 0, text,
                  f ? f : s->w->st.note);
    s->row++;
}

void xlsx_sheet_skip(xlsx_sheet *s, unsigned n)
{
    s->row += n;
}

void xlsx_sheet_gap(xlsx_sheet *s)
{
    xlsx_sheet_row_height(s, s->row, 800);
    s->row++;
}

void xlsx_sheet_title(xlsx_sheet *s, const char *title, const char *subtitle,
                      const char *unitline)
{
    xlsx_sheet_title_warn(s, title, subtitle, unitline, NULL);
}

void xlsx_sheet_title_warn(xlsx_sheet *s, const char *title,
                           const char *subtitle, const char *unitline,
                           const char *warning)
{
    if (title && *title) {
        xlsx_sheet_row_height(s, s->row, 2200);
        xlsx_sheet_text(s, title, s->w->st.title);
    }
    if (subtitle && *subtitle)
        xlsx_sheet_text(s, subtitle, s->w->st.subtitle);
    if (unitline && *unitline)
        xlsx_sheet_text(s, unitline, s->w->st.unitline);
    if (warning && *warning)
        xlsx_sheet_text(s, warning, s->w->st.warn);
    xlsx_sheet_gap(s);
}

void xlsx_sheet_freeze(xlsx_sheet *s, lxw_row_t first, lxw_row_t head)
{
    if (s->frozen)
        return;
    s->frozen = 1;
    worksheet_freeze_panes(s->ws, head + 1, s->data_col);
    xlsx_check(s->w, worksheet_repeat_rows(s->ws, first, head),
               "rubrikraderna");
}

void xlsx_sheet_lines(xlsx_sheet *s, const char *text, lxw_format *f)
{
    /* A line of text runs on over the empty cells to its right, and a
     * printed page is as wide as the text that runs on: so a long text is
     * broken into rows no wider than the sheet's columns. */
    unsigned width = 0;
    for (lxw_col_t c = 0; c < s->ncols && c < XLSX_MAX_COLS; c++)
        width += xlsx_sheet_colwidth(s, c) + 1;
    if (width < 40)
        width = 40;
    const char *p = text;
    char *line = mem_alloc(strlen(text) + 1);
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t n = 0;
        unsigned col = 0;
        const char *q = p, *cut = NULL;
        while (*q) {
            if (*q == ' ')
                cut = q;
            if ((*q & 0xC0) != 0x80 && ++col > width && cut)
                break;
            q++;
        }
        if (!*q)
            cut = q;
        n = (size_t)(cut - p);
        memcpy(line, p, n);
        line[n] = '\0';
        xlsx_sheet_text(s, line, f);
        p = cut;
    }
    free(line);
}

void xlsx_sheet_notes(xlsx_sheet *s, const report *r)
{
    if (r->nnotes == 0)
        return;
    xlsx_sheet_skip(s, 1);
    for (size_t i = 0; i < r->nnotes; i++)
        xlsx_sheet_lines(s, r->notes[i].text,
                         r->notes[i].kind == REPORT_NOTE_WARNING
                             ? s->w->st.warn
                             : s->w->st.note);
}

unsigned xlsx_sheet_colwidth(const xlsx_sheet *s, lxw_col_t c)
{
    unsigned wdt = c < XLSX_MAX_COLS && s->width[c] ? s->width[c] : 8;
    /* A character of air between columns; no column wider than 100 (a
     * table's labels and texts wrap well before that). */
    wdt += 1;
    return wdt > 100 ? 100 : wdt;
}

unsigned xlsx_wrap_lines(const char *text, unsigned width)
{
    /* Greedy word wrap, as a spreadsheet does it, counting code points:
     * good enough to size a row (neither viewer grows rows by itself when
     * it opens a file). */
    if (!text || !*text || width < 4)
        return 1;
    /* Width units are characters of the 11-point default font; the cells'
     * 10-point text fits about 5/4 as many (measured in LibreOffice with
     * Carlito, Calibri's metric twin: 1,25–1,3). */
    width = width * 5 / 4;
    unsigned lines = 1, col = 0;
    const char *e;
    for (const char *p = text_word(text, &e); p; p = text_word(e, &e)) {
        unsigned wl = (unsigned)text_chars(p, (size_t)(e - p));
        if (col && col + 1 + wl > width) {
            lines++;
            col = 0;
        }
        col += (col ? 1 : 0) + wl;
        while (col > width) { /* a word longer than the line */
            lines++;
            col -= width;
        }
    }
    return lines;
}

long xlsx_row_lines_cpt(unsigned lines)
{
    return lines > 1 ? 1250 * (long)lines + 200 : 0;
}

void xlsx_sheet_row_lines(xlsx_sheet *s, lxw_row_t r, unsigned lines)
{
    if (lines > 1)
        xlsx_sheet_row_height(s, r, xlsx_row_lines_cpt(lines));
}

void xlsx_sheet_close(xlsx_sheet *s)
{
    if (!s->ws)
        return;
    for (lxw_col_t c = 0; c < s->ncols && c < XLSX_MAX_COLS; c++)
        xlsx_check(s->w,
                   worksheet_set_column(s->ws, c, c, xlsx_sheet_colwidth(s, c),
                                        NULL),
                   "kolumnbredden");
}
