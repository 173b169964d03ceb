/*
 * csvio_pos.c - places in a CSV text (see csvio.h): the line and column
 * of a byte offset, and where each field of a row starts. Columns are
 * never computed while parsing; a row is re-scanned here only when a
 * message needs one of its places, so loading pays nothing for them.
 */
#include "csvio_priv.h"

#include <string.h>

/* The states of scan_row's tokenizer: the same as libcsv's state machine
 * (libcsv.c), which it mirrors so that its answers agree with the parser. */
enum {
    LIBCSV_ROW_NOT_BEGUN,
    LIBCSV_FIELD_NOT_BEGUN,
    LIBCSV_FIELD_BEGUN,
    LIBCSV_FIELD_MIGHT_HAVE_ENDED
};

/* ------------------------------------------------------------------ */
/* Positions                                                           */
/* ------------------------------------------------------------------ */

/*
 * A line break is LF, CRLF or a lone CR - the same set libcsv ends rows
 * on. Returns the length of the break starting at s[i] (0 if none).
 */
static size_t line_break_at(const char *s, size_t len, size_t i)
{
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
    return 0;
}

void csvio_cursor_init(csvio_cursor *c, size_t pos, long line, int utf8)
{
    c->pos = pos;
    c->line = line;
    c->col = 1;
    c->utf8 = utf8;
}

void csvio_cursor_advance(csvio_cursor *c, const char *s, size_t len,
                          size_t to)
{
    size_t i = c->pos;

    while (i < to) {
        unsigned char b = (unsigned char)s[i];
        size_t k = line_break_at(s, len, i);

        if (k == 0) {
            if (!c->utf8 || (b & 0xC0) != 0x80)
                c->col++; /* continuation bytes add nothing */
            i++;
            continue;
        }
        if (i + k > to) { /* `to` is the LF of a CRLF: the CR's line */
            c->col++;
            break;
        }
        i += k;
        c->line++;
        c->col = 1;
    }
    c->pos = to;
}

/* ------------------------------------------------------------------ */
/* Row tokenizer (for columns)                                         */
/* ------------------------------------------------------------------ */

/*
 * Where fields start, found by walking one row with libcsv's own state
 * machine (same states, same treatment of spaces and stray quotes), so
 * the answer agrees with what the parser did. A field "starts" at its
 * first character after any leading spaces - the opening quote of a
 * quoted field - or, when empty, at the separator or line end that ends
 * it.
 */
csvio_row_scan csvio_scan_row(const char *s, size_t len, size_t off, char sep,
                              size_t want)
{
    csvio_row_scan r = {len, off, 0, (size_t)-1};
    int state = LIBCSV_ROW_NOT_BEGUN, quoted = 0;
    size_t fi = 0, spaces = 0, quote_at = 0, i;

    for (i = off; i < len; i++) {
        char c = s[i];
        int term = c == '\r' || c == '\n';

        switch (state) {
        case LIBCSV_ROW_NOT_BEGUN:
        case LIBCSV_FIELD_NOT_BEGUN:
            if (csvio_is_space(c, sep))
                continue;
            if (term && state == LIBCSV_ROW_NOT_BEGUN)
                continue; /* blank line before the row */
            r.last = i;
            r.stray = (size_t)-1;
            if (fi == want || term) {
                r.start = i;
                return r;
            }
            if (c == sep) {
                fi++;
                state = LIBCSV_FIELD_NOT_BEGUN;
            } else {
                state = LIBCSV_FIELD_BEGUN;
                quoted = c == '"';
            }
            break;
        case LIBCSV_FIELD_BEGUN:
            if (c == '"' && quoted) {
                state = LIBCSV_FIELD_MIGHT_HAVE_ENDED;
                spaces = 0;
                quote_at = i;
            } else if (!quoted && c == sep) {
                fi++;
                state = LIBCSV_FIELD_NOT_BEGUN;
            } else if (!quoted && term) {
                r.start = i;
                return r;
            }
            break;
        case LIBCSV_FIELD_MIGHT_HAVE_ENDED:
            if (c == sep) {
                fi++;
                state = LIBCSV_FIELD_NOT_BEGUN;
            } else if (term) {
                r.start = i;
                return r;
            } else if (c == ' ' || c == '\t') {
                spaces++;
            } else if (c == '"' && spaces == 0) {
                state = LIBCSV_FIELD_BEGUN; /* "" inside quotes */
            } else {
                /* Text, or a quote after spaces, follows what looked like
                 * the closing quote: libcsv keeps both and reads on. A
                 * quote stays in this state; text goes back to the field. */
                if (r.stray == (size_t)-1)
                    r.stray = quote_at;
                if (c == '"')
                    quote_at = i;
                else
                    state = LIBCSV_FIELD_BEGUN;
                spaces = 0;
            }
            break;
        }
    }
    r.open_quote = state == LIBCSV_FIELD_BEGUN && quoted;
    return r;
}

void csvio_locate_pos(const char *s, size_t len, size_t off, long line,
                      size_t pos, long *out_line, long *out_col)
{
    csvio_cursor c;

    csvio_cursor_init(&c, off, line, 1);
    csvio_cursor_advance(&c, s, len, pos);
    *out_line = c.line;
    *out_col = c.col;
}

void csvio_locate_field(const char *s, size_t len, char sep, size_t off,
                        long line, size_t field, long *out_line,
                        long *out_col)
{
    csvio_row_scan r = csvio_scan_row(s, len, off, sep, field);

    csvio_locate_pos(s, len, off, line, r.start, out_line, out_col);
}

long csvio_col(const csvio_table *t, const csvio_row *row, size_t field)
{
    long line, col;

    if (t->text == NULL || row->offset > t->textlen)
        return 0;
    csvio_locate_field(t->text, t->textlen, t->sep, row->offset, row->line, field,
                 &line, &col);
    return col;
}

void csvio_pos(const csvio_table *t, const csvio_row *row, size_t field,
               long *line, long *col)
{
    *line = *col = 0;
    if (t->text == NULL || row->offset > t->textlen)
        return;
    csvio_locate_field(t->text, t->textlen, t->sep, row->offset, row->line, field,
                 line, col);
}
