/*
 * csvio.c - reading CSV (see csvio.h): the table's storage, separator
 * detection and the libcsv parse. The other files of the module:
 * csvio_decode.c (bytes to UTF-8 text), csvio_pos.c (lines, columns, where
 * fields start), csvio_write.c (writing); csvio_priv.h joins them.
 *
 * Reading happens in three passes over the bytes:
 *
 *   1. decode   BOM / UTF-8 validation / Windows-1252 conversion, NUL check.
 *               The result is t->text: UTF-8 without BOM, NUL-terminated.
 *   2. detect   the separator, from the first lines (unless given).
 *   3. parse    libcsv, fed one physical line at a time so that every row
 *               knows the line it starts on without a per-byte cost on our
 *               side (memchr finds the line ends). Every byte goes through
 *               libcsv; test_same_rows_as_libcsv checks that feeding it line
 *               by line gives exactly the rows of one whole-text parse.
 *
 * Columns are never computed while parsing. csvio_col re-scans one row of
 * t->text with a tiny tokenizer that mirrors libcsv's state machine, which
 * is cheap because it only runs for rows that are being complained about.
 *
 * How libcsv is used, and its quirks that matter here:
 *
 *   - Non-strict mode. Strict mode rejects a lone quote inside an unquoted
 *     field (`24" skärm`), which real exports contain and Excel accepts.
 *     The one error strict mode would catch that matters - a quoted field
 *     that never ends - is detected here: after the last byte the parser
 *     is still inside a row after the last line, and the tokenizer
 *     (csvio_scan_row) finds that the row ends inside a quoted field and where
 *     that field's opening quote is, for the message.
 *     (CSV_STRICT_FINI only works together with CSV_STRICT.)
 *   - libcsv's default space handling is kept: spaces and tabs around an
 *     unquoted field are dropped (`  Kod ;` reads as "Kod"), which is the
 *     tolerant behaviour a reader of hand-edited files wants; the writer
 *     quotes fields with leading or trailing spaces so they survive.
 *   - Blank lines (also lines of only spaces) produce no row.
 *   - CR, LF and CRLF all end a row. A lone CR is therefore counted as a
 *     line break too, so line numbers agree with what libcsv saw.
 *   - Field text arrives in libcsv's own buffer, which is reused; it is
 *     copied into our arena at once. The buffer grows by a fixed block
 *     size; the block size is doubled as it fills so a long field costs
 *     O(n), not O(n^2).
 *   - The callbacks cannot stop the parser. On a limit error they set a
 *     flag and ignore everything after; the feeding loop then stops.
 *   - Only libcsv's public API is used (csv.h's functions; no field of
 *     struct csv_parser is read), so a libcsv update cannot change quote
 *     handling silently. What the parser's private state would tell - is
 *     a row under way, how long is the field being gathered - is tracked
 *     from what is fed and what the callbacks report (parse_ctx).
 */
#include "csvio_priv.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "store.h"

#define CSVIO_MAX_FIELD_DEFAULT ((size_t)1 << 20)
#define CSVIO_MAX_FIELDS_DEFAULT 1000
#define CSVIO_ARENA_BLOCK ((size_t)1 << 20) /* field text block size */
#define CSVIO_FEED_CHUNK ((size_t)64 << 10) /* longest piece fed at once */
#define CSVIO_DETECT_LINES 20
#define CSVIO_DETECT_BYTES ((size_t)1 << 20)

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */

/*
 * Field text lives in an arena: a chain of large blocks, each filled from
 * the front. Values never move once written (csvio_field.s points at
 * them), and the whole table is freed with a handful of free() calls
 * instead of one per field.
 */
typedef struct arena_block {
    struct arena_block *next;
    char data[];
} arena_block;

/*
 * The private part of a csvio_table (t->priv):
 *   textbuf  the allocation t->text points into (t->text may skip a BOM);
 *   fields   every field of every row, contiguous and in order; a row's
 *            f points at its first field, so rows need no arrays of their
 *            own and the array may be realloc'ed freely while parsing
 *            (row pointers are filled in once, at the end);
 *   arena    the blocks of field text, newest first; [acur, aend) is the
 *            free part of the newest block.
 */
typedef struct {
    char *textbuf;
    csvio_field *fields;
    size_t nfields, capfields;
    size_t caprows;
    arena_block *arena;
    char *acur, *aend;
    csvio_row_fn row_fn; /* csvio_read_file_rows: rows are handed over */
    void *row_arg;
} table_store;

/* Start a new block big enough for `need` bytes. */
static void arena_refill(table_store *st, size_t need)
{
    size_t cap = need > CSVIO_ARENA_BLOCK ? need : CSVIO_ARENA_BLOCK;
    if (cap > SIZE_MAX - sizeof(arena_block))
        mem_fail(SIZE_MAX);
    arena_block *b = mem_alloc(sizeof(arena_block) + cap);

    b->next = st->arena;
    st->arena = b;
    st->acur = b->data;
    st->aend = b->data + cap;
}

/* A NUL-terminated copy of s in the arena. Empty values share one static
 * "" - a journal has many empty columns. */
static inline const char *arena_put(table_store *st, const char *s, size_t len)
{
    char *p;

    if (len == 0)
        return "";
    if (st->acur == NULL || (size_t)(st->aend - st->acur) <= len)
        arena_refill(st, len + 1);
    p = st->acur;
    memcpy(p, s, len);
    p[len] = '\0';
    st->acur += len + 1;
    return p;
}

static void store_free(table_store *st)
{
    arena_block *b, *next;

    if (st == NULL)
        return;
    for (b = st->arena; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(st->fields);
    free(st->textbuf);
    free(st);
}

void csvio_free(csvio_table *t)
{
    if (t == NULL)
        return;
    store_free(t->priv);
    free(t->display);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------ */
/* Separator detection                                                 */
/* ------------------------------------------------------------------ */

/*
 * Guess the separator from the first CSVIO_DETECT_LINES non-empty lines.
 * For each candidate, in the order of preference ';', tab, ',' (the
 * Swedish order of likelihood), count the lines it occurs on and its
 * occurrences, outside quoted fields. The winner occurs on the most
 * lines; among equals, the most often; among those, the preferred one.
 *
 * Lines first, because a real separator is on every record while a comma
 * in text is not: a ';' file whose rows hold decimal commas ("1,5;2,5")
 * or text like "Löner, arvoden, resor" can have more commas than
 * semicolons, but never on more lines (the heading has none). A title
 * block at the top of a finance export ("Huvudboksutdrag") has no
 * separators at all and so weighs nothing.
 *
 * A quote opens a quoted field only at the start of a field (after a
 * candidate separator or at the start of a line), as libcsv sees it; a
 * stray quote in text (24" skärm) must not hide the rest of the sample.
 */
static const char sep_candidates[3] = {';', '\t', ','};

static int sep_index(char c)
{
    return c == ';' ? 0 : c == '\t' ? 1 : c == ',' ? 2 : -1;
}

/* Counts per candidate while sampling; on_line marks the current line. */
typedef struct {
    size_t total[3], lines[3];
    int on_line[3];
    int content; /* the current line has something besides spaces */
    int nlines;  /* non-empty lines finished */
} sep_tally;

static void tally_end_line(sep_tally *t)
{
    int k;

    if (t->content) {
        for (k = 0; k < 3; k++)
            t->lines[k] += (size_t)t->on_line[k];
        t->nlines++;
    }
    memset(t->on_line, 0, sizeof t->on_line);
    t->content = 0;
}

static char detect_sep(const char *s, size_t len)
{
    size_t end = len < CSVIO_DETECT_BYTES ? len : CSVIO_DETECT_BYTES, i;
    sep_tally t;
    int quoted = 0, field_start = 1, k, best = 0;

    memset(&t, 0, sizeof t);
    for (i = 0; i < end && t.nlines < CSVIO_DETECT_LINES; i++) {
        char c = s[i];

        if (quoted) {
            if (c == '"') {
                if (i + 1 < end && s[i + 1] == '"')
                    i++; /* "" is a quote inside the field */
                else
                    quoted = 0;
            }
            continue;
        }
        if (c == '\n' || c == '\r') {
            tally_end_line(&t);
            field_start = 1;
            continue;
        }
        if (c == ' ')
            continue;
        t.content = 1;
        k = sep_index(c);
        if (k >= 0) {
            t.total[k]++;
            t.on_line[k] = 1;
        } else if (c == '"' && field_start)
            quoted = 1;
        field_start = k >= 0;
    }
    tally_end_line(&t); /* a last line without a line end */
    for (k = 1; k < 3; k++)
        if (t.lines[k] > t.lines[best] ||
            (t.lines[k] == t.lines[best] && t.total[k] > t.total[best]))
            best = k;
    return sep_candidates[best];
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

/*
 * State shared with the libcsv callbacks. A row is opened by its first
 * field; its line and offset are those of the first line fed while the
 * parser was between rows (libcsv skips blank lines, so that is the line
 * the row really starts on).
 */
typedef struct {
    csvio_table *t;
    table_store *st;
    diag_list *dl;
    size_t max_field, max_fields;
    long start_line;    /* where the next or current row starts */
    size_t start_off;
    int row_open;       /* a row has received fields but not ended */
    size_t row_n;       /* fields in the open row */
    int in_row;         /* libcsv is inside a row: a line that was not blank
                           was fed and no row has ended since */
    int row_ended;      /* on_row ran while the current line was fed */
    size_t unfinished;  /* bytes fed since libcsv last handed over a field
                           (an upper bound of the raw field being gathered) */
    size_t blk;         /* the block size last given to libcsv */
    int failed;         /* a limit or memory error; ignore the rest */
    int rc;
} parse_ctx;

static void fail(parse_ctx *c, int rc)
{
    c->failed = 1;
    c->rc = rc;
}

/* An error about field `field` of the current row, placed at its start. */
static void field_error(parse_ctx *c, size_t field, const char *fmt,
                        size_t arg)
{
    long line, col;

    csvio_locate_field(c->t->text, c->t->textlen, c->t->sep, c->start_off,
                 c->start_line, field, &line, &col);
    diag_error(c->dl, c->t->display, line, col, fmt, arg);
    fail(c, SAMLA_EDATA);
}

static void open_row(parse_ctx *c)
{
    csvio_table *t = c->t;
    csvio_row *r;

    mem_grow((void **)&t->rows, &c->st->caprows, t->nrows + 1, sizeof *r);
    r = &t->rows[t->nrows++];
    r->f = NULL; /* set in finish_rows, once the field array stops moving */
    r->n = 0;
    r->line = c->start_line;
    r->offset = c->start_off;
    c->row_open = 1;
    c->row_n = 0;
}

/*
 * Row-by-row mode (csvio_read_file_rows): the one row in the table goes to
 * the callback, then its fields and their text are dropped. The newest
 * arena block is kept for the next row and the rest freed, so memory stays
 * at one row however long the file is. A row cut short by an error is not
 * handed over.
 */
static void hand_over_row(parse_ctx *c)
{
    csvio_table *t = c->t;
    table_store *st = c->st;
    csvio_row *r = &t->rows[t->nrows - 1];

    if (!c->failed) {
        r->f = st->fields;
        st->row_fn(t, r, st->row_arg);
    }
    t->nrows = 0;
    st->nfields = 0;
    if (st->arena != NULL) {
        arena_block *b = st->arena->next, *next;

        for (; b != NULL; b = next) {
            next = b->next;
            free(b);
        }
        st->arena->next = NULL;
        st->acur = st->arena->data;
    }
}

/* The field count is stored once per row, not once per field. */
static void close_row(parse_ctx *c)
{
    if (c->row_open) {
        c->t->rows[c->t->nrows - 1].n = c->row_n;
        if (c->st->row_fn != NULL)
            hand_over_row(c);
    }
    c->row_open = 0;
    c->row_n = 0; /* a too-long first field of the next row is field 0 */
}

/* The slow part of on_field: limits, new rows, growing the array. */
static int field_prepare(parse_ctx *c, size_t len)
{
    table_store *st = c->st;

    if (!c->row_open)
        open_row(c);
    if (c->row_n >= c->max_fields) {
        field_error(c, c->row_n, "raden har fler än %zu fält", c->max_fields);
        return -1;
    }
    if (len > c->max_field) {
        field_error(c, c->row_n, "fältet är längre än %zu byte", c->max_field);
        return -1;
    }
    if (st->nfields == st->capfields)
        mem_grow((void **)&st->fields, &st->capfields, st->nfields + 1,
                 sizeof *st->fields);
    return 0;
}

/* libcsv's field callback; runs once per field, so it is kept lean. */
static void on_field(void *s, size_t len, void *data)
{
    parse_ctx *c = data;
    table_store *st = c->st;
    csvio_field *f;

    c->unfinished = 0;
    if (c->failed)
        return;
    if ((!c->row_open || c->row_n >= c->max_fields || len > c->max_field ||
         st->nfields == st->capfields) &&
        field_prepare(c, len) != 0)
        return;
    f = &st->fields[st->nfields];
    f->s = arena_put(st, s, len);
    f->len = len;
    st->nfields++;
    c->row_n++;
}

/* libcsv's end-of-row callback. */
static void on_row(int term, void *data)
{
    parse_ctx *c = data;

    (void)term;
    c->row_ended = 1;
    c->unfinished = 0;
    close_row(c);
}

/* Point every row at its fields, now that the field array is final. */
static void finish_rows(csvio_table *t, table_store *st)
{
    size_t i, k = 0;

    for (i = 0; i < t->nrows; i++) {
        t->rows[i].f = st->fields ? st->fields + k : NULL;
        k += t->rows[i].n;
    }
}

/* Offset just past the physical line starting at pos (a line break as
 * csvio_pos.c counts them: LF, CRLF or a lone CR). */
static size_t line_end(const char *s, size_t len, size_t pos)
{
    const char *nl = memchr(s + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - s) + 1 : len;
    const char *cr;

    /* A CR right before the LF is CRLF; any earlier CR is a lone one. A
     * second short memchr is cheaper than a byte loop over every line. */
    if (end - pos >= 2) {
        size_t body = nl ? end - pos - 2 : end - pos;

        cr = memchr(s + pos, '\r', body);
        if (cr != NULL)
            return (size_t)(cr - s) + 1;
    }
    return end;
}

/*
 * Feed one line, in pieces of at most CSVIO_FEED_CHUNK, so that a field
 * growing past max_field is caught after at most one piece more, and the
 * libcsv buffer grows geometrically.
 *
 * The field being gathered is never longer than the bytes fed since the
 * last callback, and a raw field of r bytes holds at least (r - 2) / 2
 * bytes of text (every quote doubled, two around it). So once more than
 * 2 * max_field + 2 bytes (plus the piece that the count may overstate,
 * since a callback inside a piece resets it) came without a callback, the
 * field is too long for certain; on_field catches every other case exactly.
 */
static void feed_line(parse_ctx *c, struct csv_parser *p, const char *s,
                      size_t len)
{
    while (len > 0 && !c->failed) {
        size_t n = len < CSVIO_FEED_CHUNK ? len : CSVIO_FEED_CHUNK;

        if (csv_parse(p, s, n, on_field, on_row, c) != n) {
            int e = csv_error(p);

            if (e == CSV_ENOMEM)
                mem_fail(0);
            else {
                diag_error(c->dl, c->t->display, c->start_line, 0,
                           "CSV-tolkningen misslyckades: %s", csv_strerror(e));
                fail(c, SAMLA_EDATA);
            }
            return;
        }
        c->unfinished += n;
        if (!c->failed &&
            c->unfinished > 2 * c->max_field + 2 + CSVIO_FEED_CHUNK)
            field_error(c, c->row_n, "fältet är längre än %zu byte",
                        c->max_field);
        if (csv_get_buffer_size(p) > c->blk) {
            c->blk = csv_get_buffer_size(p);
            csv_set_blk_size(p, c->blk);
        }
        s += n;
        len -= n;
    }
}

/* Does the physical line hold nothing but spaces and its line break? Such a
 * line between rows gives no row (libcsv skips it). */
static int line_blank(const char *s, size_t len, char sep)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (!csvio_is_space(s[i], sep) && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* The text ended inside a quoted field: name its opening quote. */
static void report_open_quote(parse_ctx *c)
{
    csvio_table *t = c->t;
    csvio_row_scan r = csvio_scan_row(t->text, t->textlen, c->start_off, t->sep,
                          (size_t)-1);
    long line, col;

    csvio_locate_pos(t->text, t->textlen, c->start_off, c->start_line, r.last, &line,
               &col);
    diag_error(c->dl, t->display, line, col,
               "citattecknet avslutas aldrig: filen tar slut inne i det "
               "citerade fältet som börjar här");
    if (r.stray != (size_t)-1) {
        /* The usual cause: "abc"def - say where, and how to write it. */
        csvio_locate_pos(t->text, t->textlen, c->start_off, c->start_line, r.stray,
                   &line, &col);
        diag_add(c->dl, DIAG_NOTE, t->display, line, col,
                 "citattecknet här avslutar inte fältet eftersom text följer "
                 "direkt efter; skriv \"\" för ett citattecken i ett citerat "
                 "fält");
    }
    fail(c, SAMLA_EDATA);
}

/* Pass 3. */
static int parse(csvio_table *t, table_store *st, const csvio_opts *o,
                 diag_list *dl)
{
    struct csv_parser p;
    parse_ctx c;
    size_t pos = 0;
    long line = 1;

    memset(&c, 0, sizeof c);
    c.t = t;
    c.st = st;
    c.dl = dl;
    c.max_field = o->max_field ? o->max_field : CSVIO_MAX_FIELD_DEFAULT;
    c.max_fields = o->max_fields ? o->max_fields : CSVIO_MAX_FIELDS_DEFAULT;
    c.rc = SAMLA_OK;
    c.start_line = 1;

    if (csv_init(&p, 0) != 0)
        mem_fail(0); /* libcsv's only failure: its buffer */
    csv_set_delim(&p, (unsigned char)t->sep);
    c.blk = 4096;
    csv_set_blk_size(&p, c.blk);

    /* A fed line holds at most one row end, at its line break (line_end
     * splits at every CR and LF; inside a quoted field they end no row). */
    while (pos < t->textlen && !c.failed) {
        size_t end = line_end(t->text, t->textlen, pos);

        if (!c.in_row) {
            c.start_line = line;
            c.start_off = pos;
            c.unfinished = 0;
        }
        c.row_ended = 0;
        feed_line(&c, &p, t->text + pos, end - pos);
        if (c.row_ended)
            c.in_row = 0;
        else if (!c.in_row)
            c.in_row = !line_blank(t->text + pos, end - pos, t->sep);
        pos = end;
        line++;
    }
    if (!c.failed) {
        /* Still inside a row: either the last line had no line break
         * (csv_fini ends the row) or a quoted field never ended. */
        if (c.in_row && csvio_scan_row(t->text, t->textlen, c.start_off, t->sep,
                                 (size_t)-1).open_quote)
            report_open_quote(&c);
        else
            csv_fini(&p, on_field, on_row, &c);
    }
    csv_free(&p);
    close_row(&c); /* a row cut short by an error */
    finish_rows(t, st);
    if (st->row_fn != NULL) { /* row by row: no rows are kept */
        free(t->rows);
        t->rows = NULL;
        st->caprows = 0;
    }
    return c.rc;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */
/* ------------------------------------------------------------------ */

static const csvio_opts default_opts = {0, 0, 0, 0};

/* Everything after the bytes are in memory; takes ownership of buf. */
static int read_owned(csvio_table *t, char *buf, size_t len,
                      const csvio_opts *o, diag_list *dl, csvio_row_fn fn,
                      void *arg)
{
    table_store *st = mem_calloc(1, sizeof *st);
    int rc;

    t->priv = st;
    st->row_fn = fn;
    st->row_arg = arg;
    rc = csvio_decode(t, &st->textbuf, buf, len, o, dl);
    if (rc != SAMLA_OK)
        return rc;
    t->sep = o->sep ? o->sep : detect_sep(t->text, t->textlen);
    return parse(t, st, o, dl);
}

static int begin(csvio_table *t, const char *name, diag_list *dl)
{
    memset(t, 0, sizeof *t);
    t->sep = ';';
    t->display = mem_strdup(name ? name : "");
    (void)dl;
    return SAMLA_OK;
}

static int read_file(csvio_table *t, const char *path, const char *display,
                     const csvio_opts *opts, diag_list *dl, csvio_row_fn fn,
                     void *arg)
{
    char *buf;
    size_t len;
    int rc = begin(t, display ? display : path, dl);

    if (rc != SAMLA_OK)
        return rc;
    /* store_read_file names the file by its path; we want the display
     * name, so collect its message and re-address it. */
    {
        diag_list tmp;
        size_t i;

        diag_init(&tmp);
        rc = store_read_file(path, &buf, &len, &tmp);
        for (i = 0; i < tmp.n; i++) {
            free(tmp.v[i].file);
            tmp.v[i].file = mem_strdup(t->display);
        }
        diag_take(dl, &tmp);
    }
    if (rc != SAMLA_OK)
        return rc;
    return read_owned(t, buf, len, opts ? opts : &default_opts, dl, fn, arg);
}

samla_err csvio_read_file(csvio_table *t, const char *path, const char *display,
                    const csvio_opts *opts, diag_list *dl)
{
    return read_file(t, path, display, opts, dl, NULL, NULL);
}

samla_err csvio_read_file_rows(csvio_table *t, const char *path, const char *display,
                         const csvio_opts *opts, diag_list *dl,
                         csvio_row_fn fn, void *arg)
{
    return read_file(t, path, display, opts, dl, fn, arg);
}

samla_err csvio_read_mem(csvio_table *t, const char *buf, size_t len,
                   const char *display, const csvio_opts *opts, diag_list *dl)
{
    char *copy;
    int rc = begin(t, display, dl);

    if (rc != SAMLA_OK)
        return rc;
    copy = mem_alloc(len + 1);
    if (len > 0) /* buf may be NULL when empty */
        memcpy(copy, buf, len);
    copy[len] = '\0';
    return read_owned(t, copy, len, opts ? opts : &default_opts, dl, NULL,
                      NULL);
}
