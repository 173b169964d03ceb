/* render_term - a report as aligned columns on a terminal (see render.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "mem.h"
#include "text.h"

#define BOLD "\033[1m"
#define RED "\033[31m"
#define DIM "\033[2m"
#define RESET "\033[0m"

/* Columns between fields. */
#define GAP 2

/* Decode one UTF-8 code point at p; *n gets its length in bytes (a stray
 * byte counts as one code point of its own). */
static uint32_t next_cp(const unsigned char *p, size_t *n)
{
    uint32_t cp;
    size_t len;
    if (*p < 0x80) {
        *n = 1;
        return *p;
    } else if ((*p & 0xE0) == 0xC0) {
        cp = *p & 0x1F;
        len = 2;
    } else if ((*p & 0xF0) == 0xE0) {
        cp = *p & 0x0F;
        len = 3;
    } else if ((*p & 0xF8) == 0xF0) {
        cp = *p & 0x07;
        len = 4;
    } else {
        *n = 1;
        return 0xFFFD;
    }
    size_t i = 1;
    for (; i < len && (p[i] & 0xC0) == 0x80; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    *n = i;
    return cp;
}

/* Combining marks (U+0300..U+036F, U+20D0..U+20FF) and zero-width
 * characters (U+200B..U+200F, U+FEFF) take no column. */
static int zero_width(uint32_t cp)
{
    return (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0x200B && cp <= 0x200F) || cp == 0xFEFF;
}

/*
 * The width a terminal gives a UTF-8 string: one per code point, except
 * the zero-width ones. Bytes are not columns: "Lokalhyror" and
 * "Öronmärkning" must line up alike.
 */
size_t render_text_width(const char *s)
{
    size_t w = 0, n;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p += n)
        if (!zero_width(next_cp(p, &n)))
            w++;
    return w;
}

#define disp_width render_text_width

/* A copy of an optional text (NULL reads as ""). */
static char *dup_text(const char *s)
{
    return mem_strdup(s ? s : "");
}

char *render_text_fit(const char *s, size_t width)
{
    if (!s)
        s = "";
    if (render_text_width(s) <= width)
        return dup_text(s);
    /* Keep width − 1 columns (and the zero-width marks that belong to the
     * last kept character), then the ellipsis U+2026. */
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0, n, keep = 0;
    while (*p) {
        uint32_t cp = next_cp(p, &n);
        if (!zero_width(cp)) {
            if (w + 1 > (width ? width - 1 : 0))
                break;
            w++;
        }
        p += n;
        keep = (size_t)(p - (const unsigned char *)s);
    }
    /* No space before the ellipsis. */
    while (keep && s[keep - 1] == ' ')
        keep--;
    char *out = mem_alloc(keep + 4);
    memcpy(out, s, keep);
    if (width)
        memcpy(out + keep, "\xE2\x80\xA6", 4);
    else
        out[keep] = '\0';
    return out;
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
        s = mem_alloc(n);
        snprintf(s, n, "%s %%", p);
        free(p);
        break;
    }
    case REPORT_CELL_TEXT:
        /* A stored text may hold a line break or a bidi control: shown
         * as its picture, it cannot break or reorder the table. */
        s = text_term(c->text ? c->text : "");
        break;
    case REPORT_CELL_DATE:
        date_format(c->date, buf);
        s = mem_strdup(buf);
        break;
    case REPORT_CELL_INTEGER:
        snprintf(buf, sizeof buf, "%lld", c->integer);
        s = mem_strdup(buf);
        break;
    default:
        s = mem_strdup("");
    }
    return s;
}

static int has_cells(report_row_kind k)
{
    return k == REPORT_ROW_LINE || k == REPORT_ROW_SUBTOTAL ||
           k == REPORT_ROW_TOTAL;
}

/* The label as shown: indented two spaces per level, safe for a terminal
 * (text_term). */
static char *label_text(const report_row *r)
{
    size_t ind = (size_t)(r->level > 0 ? r->level : 0) * 2;
    char *t = text_term(r->label);
    size_t n = strlen(t) + ind + 1;
    char *s = mem_alloc(n);
    memset(s, ' ', ind);
    memcpy(s + ind, t, n - ind);
    free(t);
    return s;
}

/* Narrowest a fitted label column gets, and a fitted text column. */
#define LABEL_MIN 16
#define TEXT_MIN 10

/* A heading split onto two lines at the space that makes the wider line
 * narrowest; *w gets that width. Without a space, line 2 is empty. */
static void split_heading(const char *h, char **l1, char **l2, size_t *w)
{
    size_t best = disp_width(h), at = 0;
    for (const char *sp = strchr(h, ' '); sp; sp = strchr(sp + 1, ' ')) {
        char *a = mem_strndup(h, (size_t)(sp - h));
        size_t wa = disp_width(a), wb = disp_width(sp + 1);
        free(a);
        size_t m = wa > wb ? wa : wb;
        if (m < best) {
            best = m;
            at = (size_t)(sp - h);
        }
    }
    if (at) {
        *l1 = mem_strndup(h, at);
        *l2 = mem_strdup(h + at + 1);
    } else {
        *l1 = dup_text(h);
        *l2 = dup_text("");
    }
    *w = best;
}

/* The columns of one table as laid out for the terminal. */
typedef struct {
    int nc, codes, two_lines;
    size_t code_w, label_w, label_nat;
    size_t *val_w;   /* widest value per data column */
    size_t *head1_w; /* heading on one line */
    size_t *head2_w; /* heading on two lines */
    size_t *text_w;  /* a TEXT column's width when shortened (0 = not) */
    int *show;
    int *unused;     /* a TEXT column no row has a text in: not shown, and
                        not named as left out */
} layout;

static size_t col_w(const layout *L, int c)
{
    size_t h = L->two_lines && L->head2_w[c] < L->head1_w[c] ? L->head2_w[c]
                                                            : L->head1_w[c];
    size_t v = L->text_w[c] ? L->text_w[c] : L->val_w[c];
    return v > h ? v : h;
}

/* Width of everything but the label column. */
static size_t others_w(const layout *L)
{
    size_t w = L->codes ? L->code_w + GAP : 0;
    for (int c = 0; c < L->nc; c++)
        if (L->show[c])
            w += GAP + col_w(L, c);
    return w;
}

/* Give the label what is left of `width`, between LABEL_MIN (or its
 * natural width, if narrower) and its natural width. */
static void fit_label(layout *L, size_t width)
{
    size_t o = others_w(L);
    size_t room = width > o ? width - o : 0;
    size_t min = L->label_nat < LABEL_MIN ? L->label_nat : LABEL_MIN;
    L->label_w = room < min ? min : room > L->label_nat ? L->label_nat : room;
}

static size_t total_w(const layout *L)
{
    return others_w(L) + L->label_w;
}

/* The code column is left out after the columns of priority 2 and up and
 * before those of priority 1 (in doubled units: priority p is 2p). */
#define CODE_PRIORITY 3

/* Fit the table into `width` columns (see render_term in render.h): two-
 * line headings and a shorter label first, then leave out the columns a
 * report marks as least needed (and the codes, see CODE_PRIORITY), then
 * shorten texts. */
static void fit(layout *L, const report_table *t, size_t width)
{
    L->label_w = L->label_nat;
    if (!width || total_w(L) <= width)
        return;
    L->two_lines = 1;
    fit_label(L, width);
    while (total_w(L) > width) {
        int drop = -1, best = 0;
        for (int c = 0; c < L->nc; c++)
            if (L->show[c] && t->cols[c].priority > 0 &&
                2 * t->cols[c].priority >= best) {
                drop = c;
                best = 2 * t->cols[c].priority;
            }
        if (L->codes && CODE_PRIORITY > best) {
            L->codes = 0;
        } else if (drop >= 0 && t->cols[drop].kind == REPORT_COL_TEXT &&
                   !L->text_w[drop] && L->val_w[drop] > TEXT_MIN) {
            /* A text (a comment) is shortened to what fits before it is
             * left out. */
            size_t over = total_w(L) - width;
            L->text_w[drop] = L->val_w[drop] > over + TEXT_MIN
                                  ? L->val_w[drop] - over
                                  : TEXT_MIN;
        } else if (drop >= 0) {
            L->show[drop] = 0;
        } else {
            break;
        }
        fit_label(L, width);
    }
    for (int c = 0; c < L->nc && total_w(L) > width; c++)
        if (L->show[c] && t->cols[c].kind == REPORT_COL_TEXT &&
            L->val_w[c] > TEXT_MIN) {
            L->text_w[c] = TEXT_MIN;
            fit_label(L, width);
        }
    /* Whatever is still too wide, the terminal wraps. */
}

/* Does column c show its heading on two lines? Only when fitting asked for
 * it and the heading is what makes the column wide. */
static int split_col(const layout *L, int c)
{
    size_t v = L->text_w[c] ? L->text_w[c] : L->val_w[c];
    return L->two_lines && L->head2_w[c] < L->head1_w[c] && L->head1_w[c] > v;
}

/* Print text word-wrapped at `width` (0 = one line). */
static void put_wrapped(FILE *f, const char *text, size_t width)
{
    if (!width) {
        fprintf(f, "%s\n", text);
        return;
    }
    size_t col = 0;
    const char *e;
    for (const char *p = text_word(text, &e); p; p = text_word(e, &e)) {
        char *word = mem_strndup(p, (size_t)(e - p));
        size_t ww = disp_width(word);
        if (col && col + 1 + ww > width) {
            fputc('\n', f);
            col = 0;
        }
        if (col) {
            fputc(' ', f);
            col++;
        }
        fputs(word, f);
        col += ww;
        free(word);
    }
    fputc('\n', f);
}

static void render_table(const report_table *t, const render_opts *o, FILE *f)
{
    int nc = t->ncols;
    size_t ncs = nc ? (size_t)nc : 1;
    layout L;
    memset(&L, 0, sizeof L);
    L.nc = nc;
    L.codes = report_table_has_codes(t) && t->code_heading;
    L.val_w = mem_calloc(ncs, sizeof *L.val_w);
    L.head1_w = mem_calloc(ncs, sizeof *L.head1_w);
    L.head2_w = mem_calloc(ncs, sizeof *L.head2_w);
    L.text_w = mem_calloc(ncs, sizeof *L.text_w);
    L.show = mem_calloc(ncs, sizeof *L.show);
    L.unused = mem_calloc(ncs, sizeof *L.unused);
    char **h1 = mem_calloc(ncs, sizeof *h1), **h2 = mem_calloc(ncs, sizeof *h2);
    /* texts[row][col], col -2 = code, -1 = label, computed once. */
    size_t stride = (size_t)nc + 2;
    char **texts = mem_calloc(t->nrows * stride + 1, sizeof *texts);
    L.code_w = L.codes ? disp_width(t->code_heading) : 0;
    L.label_nat = disp_width(t->label_heading);
    for (int c = 0; c < nc; c++) {
        L.show[c] = 1;
        L.head1_w[c] = disp_width(t->cols[c].heading);
        split_heading(t->cols[c].heading, &h1[c], &h2[c], &L.head2_w[c]);
    }
    for (size_t r = 0; r < t->nrows; r++) {
        const report_row *row = &t->rows[r];
        char **tx = texts + r * stride;
        tx[0] = dup_text(row->code);
        tx[1] = label_text(row);
        if (L.codes && disp_width(tx[0]) > L.code_w)
            L.code_w = disp_width(tx[0]);
        /* Headings and notes may run past the label column. */
        if (has_cells(row->kind) && disp_width(tx[1]) > L.label_nat)
            L.label_nat = disp_width(tx[1]);
        for (int c = 0; c < nc; c++) {
            tx[c + 2] = has_cells(row->kind) ? cell_text(&row->cells[c], o)
                                             : dup_text("");
            size_t w = disp_width(tx[c + 2]);
            if (w > L.val_w[c])
                L.val_w[c] = w;
        }
    }
    for (int c = 0; c < nc; c++)
        if (t->cols[c].kind == REPORT_COL_TEXT && L.val_w[c] == 0)
            L.show[c] = 0, L.unused[c] = 1;
    fit(&L, t, o->width);

    line_out lo = {f, 0}, *l = &lo;
    if (t->caption && *t->caption) {
        char *cap = o->width ? render_text_fit(t->caption, o->width)
                             : dup_text(t->caption);
        if (o->color)
            put_esc(l, BOLD);
        put_text(l, cap);
        if (o->color)
            put_esc(l, RESET);
        end_line(l);
        free(cap);
    }
    /* Heading line(s) and rule. */
    int nlines = 1;
    for (int c = 0; c < nc; c++)
        if (L.show[c] && split_col(&L, c))
            nlines = 2;
    for (int line = 0; line < nlines; line++) {
        int last = line == nlines - 1;
        if (o->color)
            put_esc(l, BOLD);
        if (L.codes) {
            put_field(l, last ? t->code_heading : "", L.code_w, 0);
            pad(l, GAP);
        }
        char *lh = render_text_fit(last ? t->label_heading : "", L.label_w);
        put_field(l, lh, L.label_w, 0);
        free(lh);
        for (int c = 0; c < nc; c++) {
            if (!L.show[c])
                continue;
            const char *h = !split_col(&L, c) ? (last ? t->cols[c].heading
                                                       : "")
                            : line ? h2[c]
                                   : h1[c];
            pad(l, GAP);
            put_field(l, h, col_w(&L, c), right_aligned(t->cols[c].kind));
        }
        if (o->color)
            put_esc(l, RESET);
        end_line(l);
    }
    size_t total = total_w(&L);
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
            size_t ind = L.codes && row->kind == REPORT_ROW_NOTE
                             ? L.code_w + GAP
                             : 0;
            pad(l, ind);
            char *s = o->width && o->width > ind
                          ? render_text_fit(tx[1], o->width - ind)
                          : dup_text(tx[1]);
            put_text(l, s);
            free(s);
            if (styled)
                put_esc(l, RESET);
            end_line(l);
            continue;
        }
        if (L.codes) {
            put_field(l, tx[0], L.code_w, 0);
            pad(l, GAP);
        }
        char *lab = render_text_fit(tx[1], L.label_w);
        put_field(l, lab, L.label_w, 0);
        free(lab);
        for (int c = 0; c < nc; c++) {
            if (!L.show[c])
                continue;
            pad(l, GAP);
            /* Red for what is shown negative (never for a −0,4 kr that
             * rounds to 0 in mnkr: dec_format writes no "−0"): a negative
             * deviation is an unfavourable one. */
            int neg = o->color && !warn &&
                      row->cells[c].kind != REPORT_CELL_TEXT &&
                      strncmp(tx[c + 2], "\xE2\x88\x92", 3) == 0;
            if (neg)
                put_esc(l, RED);
            char *v = L.text_w[c] ? render_text_fit(tx[c + 2], L.text_w[c])
                                  : dup_text(tx[c + 2]);
            put_field(l, v, col_w(&L, c), right_aligned(t->cols[c].kind));
            free(v);
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

    /* Say what was left out, and how to see it. */
    char *left = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&left, &len);
    if (!m)
        mem_fail(0);
    int nleft = 0;
    if (!L.codes && report_table_has_codes(t) && t->code_heading)
        fprintf(m, "%s%s", nleft++ ? ", " : "", t->code_heading);
    for (int c = 0; c < nc; c++)
        if (!L.show[c] && !L.unused[c])
            fprintf(m, "%s%s", nleft++ ? ", " : "", t->cols[c].heading);
    fclose(m);
    if (nleft) {
        char *msg = NULL;
        size_t mlen = 0;
        FILE *mm = open_memstream(&msg, &mlen);
        if (!mm)
            mem_fail(0);
        fprintf(mm, "Utelämnat för terminalens bredd (%zu tecken): %s. "
                    "Alla kolumner: --wide.",
                o->width, left);
        fclose(mm);
        if (o->color)
            fputs(DIM, f);
        put_wrapped(f, msg, o->width);
        if (o->color)
            fputs(RESET, f);
        free(msg);
    }
    free(left);

    for (size_t i = 0; i < t->nrows * stride; i++)
        free(texts[i]);
    for (int c = 0; c < nc; c++) {
        free(h1[c]);
        free(h2[c]);
    }
    free(texts);
    free(h1);
    free(h2);
    free(L.val_w);
    free(L.head1_w);
    free(L.head2_w);
    free(L.text_w);
    free(L.show);
    free(L.unused);
}

int render_term(const report *r, const render_opts *o, FILE *f)
{
    static const char *const unit_word[] = {"kr", "tkr", "mnkr"};
    /* Titles and notes may quote the book's own texts (the organisation's
     * name, an earmark's purpose): shown through text_term too. */
    fputs(o->color ? BOLD : "", f);
    text_term_put(f, r->title);
    fprintf(f, "%s\n", o->color ? RESET : "");
    if (r->subtitle && *r->subtitle) {
        text_term_put(f, r->subtitle);
        fputc('\n', f);
    }
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
        if (o->color && warn)
            fputs(RED, f);
        char *note = text_term(r->notes[i].text);
        put_wrapped(f, note, o->width);
        free(note);
        if (o->color && warn)
            fputs(RESET, f);
    }
    if (o->unit != DEC_KR)
        fputs("Avrundningsdifferenser kan förekomma.\n", f);
    fflush(f);
    return ferror(f) ? -1 : 0;
}
