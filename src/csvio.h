/*
 * csvio - reading and writing CSV as Swedish Excel and finance systems do.
 *
 * Reading is done with libcsv. Before parsing, the bytes are decoded: a
 * UTF-8 byte-order mark means UTF-8; otherwise valid UTF-8 is UTF-8; anything
 * else is taken as Windows-1252, converted to UTF-8, and a DIAG_NOTE says so.
 * NUL bytes are refused. The separator is ';', ',' or tab, detected from the
 * first lines unless given. CRLF and LF line ends, quoted fields with
 * separators, quotes ("") and newlines are handled. Empty lines are skipped.
 *
 * Every row remembers the line it starts on; the column of any field (as a
 * 1-based character column in its line, which is what an editor shows) is
 * computed on demand by csvio_col, so the fast path pays nothing for it.
 *
 * Writing produces what Swedish Excel opens directly: ';' separator, UTF-8
 * with BOM, CRLF, fields quoted only when needed.
 */
#ifndef SAMLA_CSVIO_H
#define SAMLA_CSVIO_H

#include <stddef.h>

#include "diag.h"

typedef enum { CSVIO_UTF8 = 0, CSVIO_UTF8_BOM, CSVIO_CP1252 } csvio_encoding;

typedef struct {
    const char *s; /* NUL-terminated UTF-8 (points into the table's storage) */
    size_t len;
} csvio_field;

typedef struct {
    csvio_field *f;
    size_t n;
    long line;        /* 1-based line where the row starts */
    size_t offset;    /* byte offset of the row's start in the decoded text */
} csvio_row;

typedef struct {
    char *display;  /* file name as shown in messages */
    char *text;     /* the decoded UTF-8 text (BOM removed) */
    size_t textlen;
    csvio_row *rows;
    size_t nrows;
    char sep;
    csvio_encoding encoding;
    void *priv;     /* storage of field values and arrays */
} csvio_table;

typedef struct {
    char sep;            /* 0 = detect among ';' ',' '\t' */
    size_t max_field;    /* longest field accepted, bytes (0 = 1 MiB) */
    size_t max_fields;   /* most fields in a row (0 = 1000) */
    int refuse_cp1252;   /* non-zero: Windows-1252 input is an error */
} csvio_opts;

/*
 * Read and parse a whole file. `display` is the name used in diagnostics
 * (NULL = path). Problems (unreadable file, directory, NUL byte, an
 * unterminated quote, a field or row over the limits) are added to dl as
 * errors with line and column. Returns SAMLA_OK, SAMLA_EIO (could not
 * read) or SAMLA_EDATA; on error the table is still safe to csvio_free.
 * opts may be NULL.
 */
samla_err csvio_read_file(csvio_table *t, const char *path, const char *display,
                    const csvio_opts *opts, diag_list *dl);

/* Same, from memory (len bytes of buf, which need not be NUL-terminated). */
samla_err csvio_read_mem(csvio_table *t, const char *buf, size_t len,
                   const char *display, const csvio_opts *opts, diag_list *dl);

/*
 * Row by row, for big files (the journal): like csvio_read_file, but each
 * row is handed to fn as soon as it is complete and then forgotten, so
 * memory holds the file's text and one row rather than every field of every
 * row. Inside fn, t->text, t->sep and csvio_col(t, row, ...) work as usual;
 * row->f is valid only during the call (copy what you keep). The first row
 * fn sees is the header. Afterwards t->rows is NULL and t->nrows 0. Returns
 * as csvio_read_file; free t with csvio_free.
 */
typedef void (*csvio_row_fn)(const csvio_table *t, const csvio_row *row,
                             void *arg);
samla_err csvio_read_file_rows(csvio_table *t, const char *path, const char *display,
                         const csvio_opts *opts, diag_list *dl,
                         csvio_row_fn fn, void *arg);

void csvio_free(csvio_table *t);

/* The 1-based character column where field `field` of row `row` starts
 * (for field >= row->n: the column just past the row's last field). */
long csvio_col(const csvio_table *t, const csvio_row *row, size_t field);

/* The same place as a 1-based line and column: a field after a quoted
 * line break lies on a later line than the row's first. Both 0 when the
 * table has no text. */
void csvio_pos(const csvio_table *t, const csvio_row *row, size_t field,
               long *line, long *col);

/* Output buffer for writing CSV. */
typedef struct csvio_out {
    char *buf;
    size_t len, cap;
    char sep;
    int at_line_start;
} csvio_out;

/* Start a buffer; with bom non-zero it begins with the UTF-8 BOM. */
void csvio_out_init(csvio_out *o, char sep, int bom);
/* Append one field, quoted if it holds the separator, a quote, CR or LF,
 * or leading/trailing spaces. */
void csvio_out_field(csvio_out *o, const char *s);
/* Same for len bytes. */
void csvio_out_fieldn(csvio_out *o, const char *s, size_t len);
/* End the row with CRLF. */
void csvio_out_endrow(csvio_out *o);
/* Append raw bytes (e.g. an existing file's contents). */
void csvio_out_raw(csvio_out *o, const char *s, size_t len);
void csvio_out_free(csvio_out *o);

#endif
