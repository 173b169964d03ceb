/*
 * csvio_priv - what the files of the csvio module share, and nothing else
 * includes: csvio.c reads (storage, separator, libcsv), csvio_decode.c
 * turns a file's bytes into UTF-8 text, csvio_pos.c finds lines, columns
 * and field starts, csvio_write.c writes CSV.
 */
#ifndef SAMLA_CSVIO_PRIV_H
#define SAMLA_CSVIO_PRIV_H

#include "csvio.h"

/* Errors of one kind reported per file before a summary line. */
#define CSVIO_MAX_REPEATS 20

/* Spaces and tabs around an unquoted field, which libcsv drops (a tab that
 * is the separator is not one). */
static inline int csvio_is_space(char c, char sep)
{
    return (c == ' ' || c == '\t') && c != sep;
}

/*
 * A cursor walks forward through a text keeping the line and column of
 * where it is, so placing several errors costs one pass in total, however
 * long the lines are. A line break is LF, CRLF or a lone CR - the same set
 * libcsv ends rows on.
 */
typedef struct {
    size_t pos; /* byte offset reached */
    long line;  /* 1-based line of pos */
    long col;   /* 1-based column of pos */
    int utf8;   /* columns count code points (else bytes: Windows-1252) */
} csvio_cursor;

void csvio_cursor_init(csvio_cursor *c, size_t pos, long line, int utf8);
/* Advance to byte offset `to` (>= c->pos). */
void csvio_cursor_advance(csvio_cursor *c, const char *s, size_t len,
                          size_t to);

/*
 * Where fields start, found by walking one row with libcsv's own state
 * machine (same states, same treatment of spaces and stray quotes), so
 * the answer agrees with what the parser did. A field "starts" at its
 * first character after any leading spaces - the opening quote of a
 * quoted field - or, when empty, at the separator or line end that ends
 * it.
 */
typedef struct {
    size_t start;   /* where the wanted field starts, or where the row ends */
    size_t last;    /* where the last field reached starts */
    int open_quote; /* the text ended inside a quoted field */
    size_t stray;   /* in the last field: a quote that looked like the
                       closing one but had text after it, which libcsv
                       (non-strict) keeps as part of the field; or
                       (size_t)-1 */
} csvio_row_scan;

/* Scan the row starting at byte off of s up to field `want` ((size_t)-1:
 * to the row's end). */
csvio_row_scan csvio_scan_row(const char *s, size_t len, size_t off, char sep,
                              size_t want);
/* Line and column of byte offset pos, counting from a row's start (byte
 * off, line `line`). */
void csvio_locate_pos(const char *s, size_t len, size_t off, long line,
                      size_t pos, long *out_line, long *out_col);
/* Line and column where field `field` of that row starts. */
void csvio_locate_field(const char *s, size_t len, char sep, size_t off,
                        long line, size_t field, long *out_line,
                        long *out_col);

/*
 * Pass 1 of reading: takes ownership of buf (len bytes, NUL-terminated,
 * malloc'd), decodes it (BOM, UTF-8, Windows-1252, refusing NUL, UTF-16
 * and undefined bytes with their line and column) and leaves the UTF-8
 * text without BOM in t->text and t->textlen, t->encoding set. *textbuf
 * receives the allocation t->text points into (the caller frees it).
 * Returns SAMLA_OK or SAMLA_EDATA.
 */
int csvio_decode(csvio_table *t, char **textbuf, char *buf, size_t len,
                 const csvio_opts *o, diag_list *dl);

#endif
