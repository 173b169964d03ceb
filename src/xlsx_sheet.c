/*
 * xlsx_sheet - one worksheet laid out as a printed report: page setup,
 * header and footer, title rows, frozen headings, column widths, notes.
 */
#include <stdio.h>
#include <string.h>

#include "xlsx_priv.h"

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
    worksheet_set_paper(ws, 9); /* A4 */
    if (landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0); /* one page wide, as long as needed */
    worksheet_center_horizontally(ws);

    /* Header: organisation | document title | report date (ISO). Footer:
     * sheet name | page n of N. Sizes in points (&8). */
    char hf[1024] = "", date[16] = "";
    if (w->report_date != DATE_NONE)
        date_format(w->report_date, date);
    hf_add(hf, sizeof hf, "&L&8", 0);
    hf_add(hf, sizeof hf, w->b->name ? w->b->name : "", 1);
    hf_add(hf, sizeof hf, "&C&8&\"-,Bold\"", 0);
    hf_add(hf, sizeof hf, doc_title ? doc_title : "", 1);
    hf_add(hf, sizeof hf, "&R&8Rapportdatum ", 0);
    hf_add(hf, sizeof hf, date, 0);
    if (strlen(hf) > 255) { /* Excel's limit: keep the date, cut the rest */
        hf[0] = '\0';
        hf_add(hf, 200, "&L&8", 0);
        hf_add(hf, 200, w->b->name ? w->b->name : "", 1);
        hf_add(hf, sizeof hf, "&R&8Rapportdatum ", 0);
        hf_add(hf, sizeof hf, date, 0);
    }
    xlsx_check(w, worksheet_set_header(ws, hf), "sidhuvudet");
    xlsx_check(w, worksheet_set_footer(ws, "&L&8&A&R&8Sida &P av &N"),
               "sidfoten");
    return 0;
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

void xlsx_sheet_title(xlsx_sheet *s, const char *title, const char *subtitle,
                      const char *unitline)
{
    if (title && *title) {
        worksheet_set_row(s->ws, s->row, 22, NULL);
        xlsx_sheet_text(s, title, s->w->st.title);
    }
    if (subtitle && *subtitle)
        xlsx_sheet_text(s, subtitle, s->w->st.subtitle);
    if (unitline && *unitline)
        xlsx_sheet_text(s, unitline, s->w->st.unitline);
    xlsx_sheet_skip(s, 1);
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

void xlsx_sheet_notes(xlsx_sheet *s, const report *r)
{
    if (r->nnotes == 0)
        return;
    xlsx_sheet_skip(s, 1);
    for (size_t i = 0; i < r->nnotes; i++)
        xlsx_sheet_text(s, r->notes[i].text,
                        r->notes[i].kind == REPORT_NOTE_WARNING
                            ? s->w->st.warn
                            : s->w->st.note);
}

unsigned xlsx_sheet_colwidth(const xlsx_sheet *s, lxw_col_t c)
{
    unsigned wdt = c < XLSX_MAX_COLS && s->width[c] ? s->width[c] : 8;
    /* Room for the cell padding; no column wider than 62. */
    wdt += 2;
    return wdt > 62 ? 62 : wdt;
}

unsigned xlsx_wrap_lines(const char *text, unsigned width)
{
    /* Greedy word wrap, as a spreadsheet does it, counting code points:
     * good enough to size a row (neither viewer grows rows by itself when
     * it opens a file). */
    if (!text || !*text || width < 4)
        return 1;
    /* Width units are characters of the 11-point default font; the cells'
     * 10-point text fits about 6/5 as many (measured in LibreOffice with
     * Carlito, Calibri's metric twin). */
    width = width * 6 / 5;
    unsigned lines = 1, col = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        unsigned wl = 0;
        for (const char *q = p; q < e; q++)
            if ((*q & 0xC0) != 0x80)
                wl++;
        if (col && col + 1 + wl > width) {
            lines++;
            col = 0;
        }
        col += (col ? 1 : 0) + wl;
        while (col > width) { /* a word longer than the line */
            lines++;
            col -= width;
        }
        p = e;
    }
    return lines;
}

void xlsx_sheet_row_lines(xlsx_sheet *s, lxw_row_t r, unsigned lines)
{
    if (lines > 1)
        worksheet_set_row(s->ws, r, 13 * lines + 2, NULL);
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
