/*
 * xlsx_style - the look of the workbooks: one set of formats per workbook.
 *
 * Number formats are Excel's locale-independent codes: "#,##0.00" shows as
 * 1 234,56 to a Swedish reader (the viewer supplies the separators). A
 * literal "# ##0,00" would be wrong. In tkr the trailing comma of
 * "#,##0," divides the shown value by 1 000 while the cell keeps the exact
 * amount in kr, so formulas and totals stay exact. Negative amounts are
 * shown with a minus sign and in red.
 */
#include "xlsx_priv.h"

#define COLOR_INK 0x1F3864     /* titles, section headings */
#define COLOR_HEAD 0x1F4E79    /* the column heading band */
#define COLOR_SUB 0xF2F2F2     /* subtotal rows */
#define COLOR_TOTAL 0xDDEBF7   /* total and result rows */
#define COLOR_RULE 0x808080    /* the rule above subtotals */
#define COLOR_GREY 0x595959    /* subtitles, notes */
#define COLOR_WARN 0xC00000

/* [$-41D] is the Swedish locale tag: LibreOffice then shows Swedish
 * separators whatever its own locale; Excel keeps using the reader's. */
#define FMT_KR "[$-41D]#,##0.00;[Red]-#,##0.00"
/* In tkr and mnkr a small negative amount would show as "-0" (-312 kr is
 * -0,312 tkr): the negative section is kept for amounts that show as at
 * least 1 (0,1 mnkr) once rounded, and everything between shows as 0,
 * as the terminal does. A conditional section shows the minus itself. */
#define FMT_TKR "[$-41D][Red][<=-500]#,##0,;[>=500]#,##0,;#,##0,"
#define FMT_MNKR                                                           \
    "[$-41D][Red][<=-50000]#,##0.0,,;[>=50000]#,##0.0,,;#,##0.0,,"
#define FMT_PCT "[$-41D]0.0%;[Red]-0.0%"
#define FMT_DATE "yyyy-mm-dd"
#define FMT_INT "0"

static const char *amount_format(dec_unit u)
{
    return u == DEC_TKR ? FMT_TKR : u == DEC_MNKR ? FMT_MNKR : FMT_KR;
}

static lxw_format *base(lxw_workbook *wb)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, "Calibri");
    format_set_font_size(f, XLSX_FONT_PT);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

/* One cell format for a row style and a cell kind. */
static lxw_format *cell_format(xlsx_wb *w, xlsx_rowstyle rs, xlsx_cellstyle cs)
{
    lxw_format *f = base(w->wb);
    switch (cs) {
    case XC_AMOUNT:
        format_set_num_format(f, amount_format(w->unit));
        break;
    case XC_PERCENT:
        format_set_num_format(f, FMT_PCT);
        break;
    case XC_DATE:
        format_set_num_format(f, FMT_DATE);
        format_set_align(f, LXW_ALIGN_CENTER);
        break;
    case XC_INTEGER:
        format_set_num_format(f, FMT_INT);
        break;
    case XC_CODE:
        format_set_align(f, LXW_ALIGN_LEFT);
        break;
    case XC_TEXT:
        /* Text after a right-aligned number needs air; long texts wrap
         * (the row grows) instead of running into the next column. */
        format_set_indent(f, 1);
        format_set_text_wrap(f);
        break;
    case XC_LABEL:
        format_set_text_wrap(f);
        break;
    case XC_NCELL:
        break;
    }
    switch (rs) {
    case XS_SUB:
        format_set_bold(f);
        format_set_top(f, LXW_BORDER_THIN);
        format_set_top_color(f, COLOR_RULE);
        format_set_bg_color(f, COLOR_SUB);
        break;
    case XS_TOTAL:
        format_set_bold(f);
        format_set_top(f, LXW_BORDER_THIN);
        format_set_bg_color(f, COLOR_TOTAL);
        break;
    case XS_RESULT:
        format_set_bold(f);
        format_set_top(f, LXW_BORDER_THIN);
        format_set_bottom(f, LXW_BORDER_DOUBLE);
        format_set_bg_color(f, COLOR_TOTAL);
        break;
    case XS_LINE:
    case XS_NROW:
        break;
    }
    return f;
}

void xlsx_styles_init(xlsx_wb *w)
{
    xlsx_styles *s = &w->st;
    lxw_workbook *wb = w->wb;
    for (int rs = 0; rs < XS_NROW; rs++)
        for (int cs = 0; cs < XC_NCELL; cs++)
            s->cell[rs][cs] =
                cell_format(w, (xlsx_rowstyle)rs, (xlsx_cellstyle)cs);
    for (int l = 0; l <= XLSX_MAX_LEVEL; l++) {
        s->label_level[l] = base(wb);
        format_set_indent(s->label_level[l], (uint8_t)l);
        format_set_text_wrap(s->label_level[l]);
    }

    s->title = base(wb);
    format_set_bold(s->title);
    format_set_font_size(s->title, 15);
    format_set_font_color(s->title, COLOR_INK);

    s->subtitle = base(wb);
    format_set_font_size(s->subtitle, 10);
    format_set_font_color(s->subtitle, COLOR_GREY);

    s->unitline = base(wb);
    format_set_italic(s->unitline);
    format_set_font_color(s->unitline, COLOR_GREY);

    s->caption = base(wb);
    format_set_bold(s->caption);
    format_set_font_size(s->caption, 11);
    format_set_font_color(s->caption, COLOR_INK);

    s->head = base(wb);
    format_set_bold(s->head);
    format_set_font_color(s->head, LXW_COLOR_WHITE);
    format_set_bg_color(s->head, COLOR_HEAD);
    format_set_text_wrap(s->head);
    format_set_align(s->head, LXW_ALIGN_LEFT);
    format_set_align(s->head, LXW_ALIGN_VERTICAL_CENTER);

    s->head_text = base(wb);
    format_set_bold(s->head_text);
    format_set_font_color(s->head_text, LXW_COLOR_WHITE);
    format_set_bg_color(s->head_text, COLOR_HEAD);
    format_set_text_wrap(s->head_text);
    format_set_indent(s->head_text, 1);
    format_set_align(s->head_text, LXW_ALIGN_VERTICAL_CENTER);

    s->head_center = base(wb);
    format_set_bold(s->head_center);
    format_set_font_color(s->head_center, LXW_COLOR_WHITE);
    format_set_bg_color(s->head_center, COLOR_HEAD);
    format_set_text_wrap(s->head_center);
    format_set_align(s->head_center, LXW_ALIGN_CENTER);
    format_set_align(s->head_center, LXW_ALIGN_VERTICAL_CENTER);

    s->head_num = base(wb);
    format_set_bold(s->head_num);
    format_set_font_color(s->head_num, LXW_COLOR_WHITE);
    format_set_bg_color(s->head_num, COLOR_HEAD);
    format_set_text_wrap(s->head_num);
    format_set_align(s->head_num, LXW_ALIGN_RIGHT);
    format_set_align(s->head_num, LXW_ALIGN_VERTICAL_CENTER);

    s->section = base(wb);
    format_set_bold(s->section);
    format_set_font_color(s->section, COLOR_INK);

    s->note = base(wb);
    format_set_italic(s->note);
    format_set_font_color(s->note, COLOR_GREY);

    s->warn = base(wb);
    format_set_bold(s->warn);
    format_set_font_color(s->warn, COLOR_WARN);

    s->warn_label = base(wb);
    format_set_font_color(s->warn_label, COLOR_WARN);

    s->amount_plain = base(wb);
    format_set_num_format(s->amount_plain, amount_format(w->unit));

    /* Some of these formats are alike (a text cell of a line and a label
     * of level 1, say). libxlsxwriter gives a format alike an earlier one
     * that one's index but does not remember it, so it hashes the format
     * again for every cell written with it: three times per row of a
     * million-row journal. Resolving every format once, here, and keeping
     * the index it resolved to, writes the same workbook without that. */
    lxw_format *f;
    STAILQ_FOREACH(f, wb->formats, list_pointers) {
        int32_t idx = lxw_format_get_xf_index(f);
        if (f->xf_index == LXW_PROPERTY_UNSET)
            f->xf_index = idx;
    }
}
