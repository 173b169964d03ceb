/* render_term - a report as aligned columns on a terminal (see render.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define BOLD "\033[1m"
#define RED "\033[31m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* Columns between fields. */
#define GAP 2

/*
 * The width a terminal gives a UTF-8 string: one per code point, except
 * combining marks (U+0300..U+036F, U+20D0..U+20FF) and zero-width
 * characters (U+200B..U+200F, U+FEFF), which take none. Bytes are not
 * columns: "Lokalhyror" and "Öronmärkning" must line up alike.
 */
static size_t disp_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        size_t n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xE0) == 0xC0) {
            cp = *p & 0x1F;
            n = 2;
        } else if ((*p & 0xF0) == 0xE0) {
            cp = *p & 0x0F;
            n = 3;
        } else if ((*p & 0xF8) == 0xF0) {
            cp = *p & 0x07;
            n = 4;
        } else { /* a stray continuation byte: count it, move on */
            w++;
            p++;
            continue;
        }
        size_t i = 1;
        for (; i < n && (p[i] & 0xC0) == 0x80; i++)
            cp = (cp << 6) | (p[i] & 0x3F);
        p += i;
        if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
            (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF)
            continue;
        w++;
    }
    return w;
}

/*
 * Output of one line: padding is held back until more text follows, so no
 * line ends in spaces (an empty last column, a heading). Escape codes do
 * not release it: spaces show the same before or after a colour change.
 */
typedef struct {
    FILE *f;
    size_t pending;
} line_out;

static void pad(line_out *l, size_t n) { l->pending += n; }

static void put_text(line_out *l, const char *s)
{
    if (!*s)
        return;
    for (; l->pending; l->pending--)
        fputc(' ', l->f);
    fputs(s, l->f);
}

static void put_esc(line_out *l, const char *code) { fputs(code, l->f); }

static void end_line(line_out *l)
{
    l->pending = 0;
    fputc('\n', l->f);
}

/* Print s left- or right-aligned in a field of `width` display columns. */
static void put_field(line_out *l, const char *s, size_t width, int right)
{
    size_t w = disp_width(s);
    if (right)
        pad(l, width > w ? width - w : 0);
    put_text(l, s);
    if (!right)
        pad(l, width > w ? width - w : 0);
}

static int right_aligned(report_col_kind k)
{
    return k == REPORT_COL_AMOUNT || k == REPORT_COL_PERCENT ||
           k == REPORT_COL_INTEGER;
}

/* The text of a cell as shown (malloc'd; "" for empty). */
static char *cell_text(const report_cell *c, const render_opts *o)
{
    char buf[64];
    char *s;
    switch (c->kind) {
    case REPORT_CELL_AMOUNT:
        s = dec_format(&c->amount, o->unit, o->decimals, 0);
        break;
    case REPORT_CELL_PERCENT: {
        char *p = report_percent_format(&c->amount, &c->den, 1, 0);
        size_t n = strlen(p) + 8;
        s = malloc(n);
        if (s)
            snprintf(s, n, "%s %%", p);
        free(p);
        break;
    }
    case REPORT_CELL_TEXT:
        s = strdup(c->text ? c->text : "");
        break;
    case REPORT_CELL_DATE:
        date_format(c->date, buf);
        s = strdup(buf);
        break;
    case REPORT_CELL_INTEGER:
        snprintf(buf, sizeof buf, "%lld", c->integer);
        s = strdup(buf);
        break;
    default:
        s = strdup("");
    }
    if (!s)
        abort();
    return s;
}

static int has_cells(report_row_kind k)
{
    return k == REPORT_ROW_LINE || k == REPORT_ROW_SUBTOTAL ||
           k == REPORT_ROW_TOTAL;
}

/* The label as shown: indented two spaces per level. */
static char *label_text(const report_row *r)
{
    size_t ind = (size_t)(r->level > 0 ? r->level : 0) * 2;
    size_t n = strlen(r->label) + ind + 1;
    char *s = malloc(n);
    if (!s)
        abort();
    memset(s, ' ', ind);
    memcpy(s + ind, r->label, n - ind);
    return s;
}

static void render_table(const report_table *t, const render_opts *o, FILE *f)
{
    int codes = report_table_has_codes(t) && t->code_heading;
    int nc = t->ncols;
    /* texts[row][col], col -2 = code, -1 = label, computed once. */
    size_t stride = (size_t)nc + 2;
    char **texts = calloc(t->nrows * stride + 1, sizeof *texts);
    size_t *width = calloc(stride, sizeof *width);
    if (!texts || !width)
        abort();
    width[0] = codes ? disp_width(t->code_heading) : 0;
    width[1] = disp_width(t->label_heading);
    for (int c = 0; c < nc; c++)
        width[c + 2] = disp_width(t->cols[c].heading);
    for (size_t r = 0; r < t->nrows; r++) {
        const report_row *row = &t->rows[r];
        char **tx = texts + r * stride;
        tx[0] = strdup(row->code ? row->code : "");
        tx[1] = label_text(row);
        if (!tx[0])
            abort();
        if (codes && disp_width(tx[0]) > width[0])
            width[0] = disp_width(tx[0]);
        /* Headings and notes may run past the label column. */
        if (has_cells(row->kind) && disp_width(tx[1]) > width[1])
            width[1] = disp_width(tx[1]);
        for (int c = 0; c < nc; c++) {
            tx[c + 2] = has_cells(row->kind) ? cell_text(&row->cells[c], o)
                                             : strdup("");
            if (!tx[c + 2])
                abort();
            size_t w = disp_width(tx[c + 2]);
            if (w > width[c + 2])
                width[c + 2] = w;
        }
    }

    line_out lo = {f, 0}, *l = &lo;
    if (t->caption && *t->caption) {
        if (o->color)
            put_esc(l, BOLD);
        put_text(l, t->caption);
        if (o->color)
            put_esc(l, RESET);
        end_line(l);
    }
    /* Heading line and rule. */
    size_t total = 0;
    if (o->color)
        put_esc(l, BOLD);
    if (codes) {
        put_field(l, t->code_heading, width[0], 0);
        pad(l, GAP);
        total += width[0] + GAP;
    }
    put_field(l, t->label_heading, width[1], 0);
    total += width[1];
    for (int c = 0; c < nc; c++) {
        pad(l, GAP);
        put_field(l, t->cols[c].heading, width[c + 2],
                  right_aligned(t->cols[c].kind));
        total += GAP + width[c + 2];
    }
    if (o->color)
        put_esc(l, RESET);
    end_line(l);
    for (size_t i = 0; i < total; i++)
        put_text(l, "\xE2\x94\x80"); /* U+2500 BOX DRAWINGS LIGHT HORIZONTAL */
    end_line(l);

    for (size_t r = 0; r < t->nrows; r++) {
        const report_row *row = &t->rows[r];
        char **tx = texts + r * stride;
        int bold = row->kind == REPORT_ROW_HEADING ||
                   row->kind == REPORT_ROW_SUBTOTAL ||
                   row->kind == REPORT_ROW_TOTAL;
        int warn = (row->flags & REPORT_FLAG_WARN) != 0;
        int styled = o->color && (bold || warn);
        if (row->kind == REPORT_ROW_BLANK) {
            end_line(l);
            continue;
        }
        if (styled) {
            if (bold)
                put_esc(l, BOLD);
            if (warn)
                put_esc(l, RED);
        }
        if (row->kind == REPORT_ROW_HEADING || row->kind == REPORT_ROW_NOTE) {
            if (codes && row->kind == REPORT_ROW_NOTE)
                pad(l, width[0] + GAP);
            put_text(l, tx[1]);
            if (styled)
                put_esc(l, RESET);
            end_line(l);
            continue;
        }
        if (codes) {
            put_field(l, tx[0], width[0], 0);
            pad(l, GAP);
        }
        put_field(l, tx[1], width[1], 0);
        for (int c = 0; c < nc; c++) {
            pad(l, GAP);
            /* Red for what is shown negative (never for a −0,4 kr that
             * rounds to 0 in mnkr: dec_format writes no "−0"). */
            int neg = o->color && !warn &&
                      row->cells[c].kind != REPORT_CELL_TEXT &&
                      strncmp(tx[c + 2], "\xE2\x88\x92", 3) == 0;
            if (neg)
                put_esc(l, RED);
            put_field(l, tx[c + 2], width[c + 2],
                      right_aligned(t->cols[c].kind));
            if (neg) {
                put_esc(l, RESET);
                if (bold)
                    put_esc(l, BOLD);
            }
        }
        if (styled)
            put_esc(l, RESET);
        end_line(l);
    }
    for (size_t i = 0; i < t->nrows * stride; i++)
        free(texts[i]);
    free(texts);
    free(width);
}

int render_term(const report *r, const render_opts *o, FILE *f)
{
    static const char *const unit_word[] = {"kr", "tkr", "mnkr"};
    fprintf(f, "%s%s%s\n", o->color ? BOLD : "", r->title,
            o->color ? RESET : "");
    if (r->subtitle && *r->subtitle)
        fprintf(f, "%s\n", r->subtitle);
    fprintf(f, "Belopp i %s\n\n", unit_word[o->unit]);
    for (size_t i = 0; i < r->ntables; i++) {
        if (i)
            fputc('\n', f);
        render_table(r->tables[i], o, f);
    }
    int notes = r->nnotes > 0 || o->unit != DEC_KR;
    if (notes)
        fputc('\n', f);
    for (size_t i = 0; i < r->nnotes; i++) {
        int warn = r->notes[i].kind == REPORT_NOTE_WARNING;
        fprintf(f, "%s%s%s\n", o->color && warn ? RED : "", r->notes[i].text,
                o->color && warn ? RESET : "");
    }
    if (o->unit != DEC_KR)
        fputs("Avrundningsdifferenser kan förekomma.\n", f);
    fflush(f);
    return ferror(f) ? -1 : 0;
}
