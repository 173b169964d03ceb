/*
 * csvio_write.c - the writing part of csvio (see csvio.h): what Swedish
 * Excel opens directly - ';' separator, UTF-8 with BOM, CRLF line ends,
 * fields quoted only when a reader would otherwise split, merge or trim
 * them (quoting by libcsv's csv_write2).
 */
#include "csvio_priv.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
/*
 * at_line_start has three values here: 1 nothing written on this row yet,
 * 0 fields written, -1 exactly one empty field written. The last matters
 * because a row holding one empty field would come out as an empty line,
 * which readers skip; csvio_out_endrow writes it as "" instead.
 *
 * Memory comes from mem.h, whose out-of-memory policy ends the program, so
 * a buffer is never silently cut short (it could be written over a book).
 */
static void out_reserve(csvio_out *o, size_t more)
{
    if (more > SIZE_MAX - o->len)
        mem_fail(SIZE_MAX);
    mem_grow((void **)&o->buf, &o->cap, o->len + more, 1);
}

static void out_bytes(csvio_out *o, const char *s, size_t len)
{
    if (len == 0)
        return; /* o->buf may still be NULL */
    out_reserve(o, len);
    memcpy(o->buf + o->len, s, len);
    o->len += len;
}

void csvio_out_init(csvio_out *o, char sep, int bom)
{
    o->buf = NULL;
    o->len = 0;
    o->cap = 0;
    o->sep = sep ? sep : ';';
    o->at_line_start = 1;
    if (bom)
        out_bytes(o, "\xEF\xBB\xBF", 3);
}

/* Quote when a reader would otherwise split, merge or trim the field. */
static int needs_quotes(const char *s, size_t len, char sep)
{
    size_t i;

    if (len == 0)
        return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
        s[len - 1] == '\t')
        return 1;
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (c == sep || c == '"' || c == '\r' || c == '\n')
            return 1;
    }
    return 0;
}

void csvio_out_fieldn(csvio_out *o, const char *s, size_t len)
{
    if (o->at_line_start != 1)
        out_bytes(o, &o->sep, 1);
    o->at_line_start = (o->at_line_start == 1 && len == 0) ? -1 : 0;
    if (!needs_quotes(s, len, o->sep)) {
        out_bytes(o, s, len);
        return;
    }
    /* libcsv quotes the field and doubles its quotes; at most 2·len + 2. */
    if (len > (SIZE_MAX - 2) / 2)
        mem_fail(SIZE_MAX);
    out_reserve(o, 2 * len + 2);
    o->len += csv_write2(o->buf + o->len, o->cap - o->len, s, len, '"');
}

void csvio_out_field(csvio_out *o, const char *s)
{
    csvio_out_fieldn(o, s ? s : "", s ? strlen(s) : 0);
}

void csvio_out_endrow(csvio_out *o)
{
    if (o->at_line_start == -1)
        out_bytes(o, "\"\"", 2);
    out_bytes(o, "\r\n", 2);
    o->at_line_start = 1;
}

void csvio_out_raw(csvio_out *o, const char *s, size_t len)
{
    if (len == 0)
        return;
    out_bytes(o, s, len);
    o->at_line_start = s[len - 1] == '\n' ? 1 : 0;
}

void csvio_out_free(csvio_out *o)
{
    free(o->buf);
    o->buf = NULL;
    o->len = o->cap = 0;
}
