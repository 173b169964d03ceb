/*
 * csvio.c - reading and writing CSV (see csvio.h).
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
 *     (scan_row) finds that the row ends inside a quoted field and where
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
#include "csvio.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "text.h"

/* The states of scan_row's tokenizer: the same as libcsv's state machine
 * (libcsv.c), which it mirrors so that its answers agree with the parser. */
enum {
    LIBCSV_ROW_NOT_BEGUN,
    LIBCSV_FIELD_NOT_BEGUN,
    LIBCSV_FIELD_BEGUN,
    LIBCSV_FIELD_MIGHT_HAVE_ENDED
};

#define CSVIO_MAX_FIELD_DEFAULT ((size_t)1 << 20)
#define CSVIO_MAX_FIELDS_DEFAULT 1000
#define CSVIO_ARENA_BLOCK ((size_t)1 << 20) /* field text block size */
#define CSVIO_FEED_CHUNK ((size_t)64 << 10) /* longest piece fed at once */
#define CSVIO_DETECT_LINES 20
#define CSVIO_DETECT_BYTES ((size_t)1 << 20)
#define CSVIO_MAX_REPEATS 20 /* errors of one kind reported per file */

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

/* Start a new block big enough for `need` bytes; -1 when out of memory. */
static int arena_refill(table_store *st, size_t need)
{
    size_t cap = need > CSVIO_ARENA_BLOCK ? need : CSVIO_ARENA_BLOCK;
    arena_block *b = malloc(sizeof(arena_block) + cap);

    if (b == NULL)
        return -1;
    b->next = st->arena;
    st->arena = b;
    st->acur = b->data;
    st->aend = b->data + cap;
    return 0;
}

/* A NUL-terminated copy of s in the arena, or NULL. Empty values share
 * one static "" - a journal has many empty columns. */
static inline const char *arena_put(table_store *st, const char *s, size_t len)
{
    char *p;

    if (len == 0)
        return "";
    if ((st->acur == NULL || (size_t)(st->aend - st->acur) <= len) &&
        arena_refill(st, len + 1) != 0)
        return NULL;
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

/* The array v (cap elements of size sz) with room for element n: v
 * itself, or a doubled copy; NULL when out of memory (v is kept). */
static void *grow(void *v, size_t *cap, size_t n, size_t sz)
{
    size_t nc;
    void *nv;

    if (n < *cap)
        return v;
    nc = *cap ? *cap * 2 : 64;
    if (nc > SIZE_MAX / sz)
        return NULL;
    nv = realloc(v, nc * sz);
    if (nv != NULL)
        *cap = nc;
    return nv;
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

/*
 * A cursor walks forward through a text keeping the line and column of
 * where it is, so placing several errors costs one pass in total, however
 * long the lines are.
 */
typedef struct {
    size_t pos; /* byte offset reached */
    long line;  /* 1-based line of pos */
    long col;   /* 1-based column of pos */
    int utf8;   /* columns count code points (else bytes: Windows-1252) */
} cursor;

static void cursor_init(cursor *c, size_t pos, long line, int utf8)
{
    c->pos = pos;
    c->line = line;
    c->col = 1;
    c->utf8 = utf8;
}

/* Advance to byte offset `to` (>= c->pos). */
static void cursor_advance(cursor *c, const char *s, size_t len, size_t to)
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
/* Decoding                                                            */
/* ------------------------------------------------------------------ */

/* UTF-8 validity and the Windows-1252 table live in text.c. */

/* Bytes that make a file unreadable, by kind. */
typedef enum { BAD_NUL, BAD_CP1252 } bad_kind;

/* Offset of the next bad byte at or after i, or len. NUL goes through
 * memchr because every file is checked for it. */
static size_t next_bad(const char *s, size_t i, size_t len, bad_kind kind)
{
    if (kind == BAD_NUL) {
        const char *z = memchr(s + i, 0, len - i);

        return z ? (size_t)(z - s) : len;
    }
    return text_cp1252_undefined(s, i, len);
}

/*
 * Report each bad byte of a kind with its line and column, up to
 * CSVIO_MAX_REPEATS of them and then one summary line: a binary file must
 * not turn into a million messages. Returns how many there were.
 */
static size_t report_bytes(const char *s, size_t len, int utf8, bad_kind kind,
                           const char *display, const char *msg, diag_list *dl)
{
    cursor c;
    size_t i, count = 0;

    cursor_init(&c, 0, 1, utf8);
    for (i = next_bad(s, 0, len, kind); i < len;
         i = next_bad(s, i + 1, len, kind)) {
        if (++count > CSVIO_MAX_REPEATS)
            continue;
        cursor_advance(&c, s, len, i);
        diag_error(dl, display, c.line, c.col, msg,
                   (unsigned)(unsigned char)s[i]);
    }
    if (count > CSVIO_MAX_REPEATS)
        diag_error(dl, display, 0, 0, "ytterligare %zu sådana fel i filen",
                   count - CSVIO_MAX_REPEATS);
    return count;
}

/* Whether any of the n bytes at s is not ASCII. */
static int memchr_high(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 0x80)
            return 1;
    return 0;
}

/*
 * UTF-16 (Excel's "Unicode text", Notepad's "Unicode"): by its byte-order
 * mark, or without one by NULs in every other byte of the first
 * characters (ASCII text, as every CSV header is). Returns the message, or
 * NULL. Checked before anything else: such a file would otherwise be
 * reported as a file full of NUL characters.
 */
static const char *utf16_message(const unsigned char *u, size_t len)
{
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) ||
                     (u[0] == 0xFE && u[1] == 0xFF)))
        return "filen är UTF-16 (den börjar med byte-ordningsmarkeringen "
               "för UTF-16); spara den som CSV UTF-8 (i Excel: \"CSV UTF-8 "
               "(kommaavgränsad)\")";
    size_t n = len < 256 ? len & ~(size_t)1 : 256, even = 0, odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        even += u[i] == 0 && u[i + 1] != 0;
        odd += u[i] != 0 && u[i + 1] == 0;
    }
    /* three quarters of the pairs (n / 2) have a zero on the same side */
    if (n >= 4 && (even * 8 >= n * 3 || odd * 8 >= n * 3))
        return "filen ser ut att vara UTF-16 utan byte-ordningsmarkering "
               "(varannan byte är noll); spara den som CSV UTF-8 (i Excel: "
               "\"CSV UTF-8 (kommaavgränsad)\")";
    return NULL;
}

/*
 * Pass 1. Takes ownership of buf (len bytes, NUL-terminated, malloc'd)
 * and leaves the UTF-8 text in t->text (inside st->textbuf).
 */
static int decode(csvio_table *t, table_store *st, char *buf, size_t len,
                  const csvio_opts *o, diag_list *dl)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t skip = 0, valid;
    int bom = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
    int utf8_seen;

    st->textbuf = buf;
    const char *utf16 = utf16_message(u, len);
    if (utf16) {
        diag_error(dl, t->display, 1, 1, "%s", utf16);
        return SAMLA_EDATA;
    }
    if (bom)
        skip = 3;
    valid = skip + text_utf8_valid_prefix(buf + skip, len - skip);
    /* Valid multi-byte UTF-8 before the first invalid byte ("ä" as C3 A4)
     * means a UTF-8 file with a damaged byte, not Windows-1252 text, where
     * such pairs ("Ã¤") do not occur: reading it as Windows-1252 would
     * turn every "ä" of the file into "Ã¤". */
    utf8_seen = memchr_high(u + skip, valid - skip);
    if (valid == len || bom || o->refuse_cp1252 || utf8_seen) {
        cursor c;

        t->text = buf + skip;
        t->textlen = len - skip;
        t->encoding = bom ? CSVIO_UTF8_BOM : CSVIO_UTF8;
        if (report_bytes(t->text, t->textlen, 1, BAD_NUL, t->display,
                         "NUL-tecken i filen", dl) > 0)
            return SAMLA_EDATA;
        if (valid == len) {
            /* A byte-order mark after the start: two files joined (a
             * copy with `cat`, an export appended to another). As U+FEFF
             * it would end up invisibly inside a field. */
            const char *mid = memmem(t->text, t->textlen, "\xEF\xBB\xBF", 3);
            if (mid == NULL)
                return SAMLA_OK;
            cursor_init(&c, 0, 1, 1);
            cursor_advance(&c, t->text, t->textlen, (size_t)(mid - t->text));
            diag_error(dl, t->display, c.line, c.col,
                       "UTF-8-markering (BOM) mitt i filen; den hör bara "
                       "hemma först i en fil (har två filer satts ihop?): "
                       "ta bort den");
            return SAMLA_EDATA;
        }
        cursor_init(&c, 0, 1, 1);
        cursor_advance(&c, t->text, t->textlen, valid - skip);
        diag_error(dl, t->display, c.line, c.col,
                   bom ? "ogiltig UTF-8 (byte 0x%02X) fast filen börjar med "
                         "UTF-8-markering (BOM)"
                   : utf8_seen
                       ? "ogiltig UTF-8 (byte 0x%02X) i en fil som i övrigt "
                         "är UTF-8"
                       : "filen är inte UTF-8 (byte 0x%02X); spara den som "
                         "CSV UTF-8",
                   (unsigned)u[valid]);
        return SAMLA_EDATA;
    }

    /* Windows-1252: one byte is one character, so columns are bytes. */
    t->encoding = CSVIO_CP1252;
    t->text = buf;
    t->textlen = len;
    if (report_bytes(buf, len, 0, BAD_NUL, t->display, "NUL-tecken i filen",
                     dl) +
            report_bytes(buf, len, 0, BAD_CP1252, t->display,
                         "byte 0x%02X finns inte i Windows-1252; filen är "
                         "varken UTF-8 eller Windows-1252",
                         dl) >
        0)
        return SAMLA_EDATA;
    t->text = text_cp1252_to_utf8(buf, len, &t->textlen);
    free(buf);
    st->textbuf = t->text;
    if (t->text == NULL) {
        t->textlen = 0;
        diag_error(dl, t->display, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
    diag_add(dl, DIAG_NOTE, t->display, 0, 0,
             "filen är inte UTF-8; den lästes som Windows-1252 och "
             "konverterades");
    return SAMLA_OK;
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
typedef struct {
    size_t start;   /* where the wanted field starts, or where the row ends */
    size_t last;    /* where the last field reached starts */
    int open_quote; /* the text ended inside a quoted field */
    size_t stray;   /* in the last field: a quote that looked like the
                       closing one but had text after it, which libcsv
                       (non-strict) keeps as part of the field; or
                       (size_t)-1 */
} row_scan;

static int is_csv_space(char c, char sep)
{
    return (c == ' ' || c == '\t') && c != sep;
}

static row_scan scan_row(const char *s, size_t len, size_t off, char sep,
                         size_t want)
{
    row_scan r = {len, off, 0, (size_t)-1};
    int state = LIBCSV_ROW_NOT_BEGUN, quoted = 0;
    size_t fi = 0, spaces = 0, quote_at = 0, i;

    for (i = off; i < len; i++) {
        char c = s[i];
        int term = c == '\r' || c == '\n';

        switch (state) {
        case LIBCSV_ROW_NOT_BEGUN:
        case LIBCSV_FIELD_NOT_BEGUN:
            if (is_csv_space(c, sep))
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

/* Line and column of byte offset pos, counting from a row's start. */
static void locate_pos(const char *s, size_t len, size_t off, long line,
                       size_t pos, long *out_line, long *out_col)
{
    cursor c;

    cursor_init(&c, off, line, 1);
    cursor_advance(&c, s, len, pos);
    *out_line = c.line;
    *out_col = c.col;
}

static void locate_field(const char *s, size_t len, char sep, size_t off,
                         long line, size_t field, long *out_line,
                         long *out_col)
{
    row_scan r = scan_row(s, len, off, sep, field);

    locate_pos(s, len, off, line, r.start, out_line, out_col);
}

long csvio_col(const csvio_table *t, const csvio_row *row, size_t field)
{
    long line, col;

    if (t->text == NULL || row->offset > t->textlen)
        return 0;
    locate_field(t->text, t->textlen, t->sep, row->offset, row->line, field,
                 &line, &col);
    return col;
}

void csvio_pos(const csvio_table *t, const csvio_row *row, size_t field,
               long *line, long *col)
{
    *line = *col = 0;
    if (t->text == NULL || row->offset > t->textlen)
        return;
    locate_field(t->text, t->textlen, t->sep, row->offset, row->line, field,
                 line, col);
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

static void fail_nomem(parse_ctx *c)
{
    diag_error(c->dl, c->t->display, 0, 0, "slut på minne");
    fail(c, SAMLA_ENOMEM);
}

/* An error about field `field` of the current row, placed at its start. */
static void field_error(parse_ctx *c, size_t field, const char *fmt,
                        size_t arg)
{
    long line, col;

    locate_field(c->t->text, c->t->textlen, c->t->sep, c->start_off,
                 c->start_line, field, &line, &col);
    diag_error(c->dl, c->t->display, line, col, fmt, arg);
    fail(c, SAMLA_EDATA);
}

static int open_row(parse_ctx *c)
{
    csvio_table *t = c->t;
    csvio_row *r = grow(t->rows, &c->st->caprows, t->nrows, sizeof *r);

    if (r == NULL)
        return -1;
    t->rows = r;
    r = &t->rows[t->nrows++];
    r->f = NULL; /* set in finish_rows, once the field array stops moving */
    r->n = 0;
    r->line = c->start_line;
    r->offset = c->start_off;
    c->row_open = 1;
    c->row_n = 0;
    return 0;
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

    if (!c->row_open && open_row(c) != 0) {
        fail_nomem(c);
        return -1;
    }
    if (c->row_n >= c->max_fields) {
        field_error(c, c->row_n, "raden har fler än %zu fält", c->max_fields);
        return -1;
    }
    if (len > c->max_field) {
        field_error(c, c->row_n, "fältet är längre än %zu byte", c->max_field);
        return -1;
    }
    if (st->nfields == st->capfields) {
        csvio_field *f = grow(st->fields, &st->capfields, st->nfields,
                              sizeof *f);

        if (f == NULL) {
            fail_nomem(c);
            return -1;
        }
        st->fields = f;
    }
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
    if (f->s == NULL) {
        fail_nomem(c);
        return;
    }
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

/* Offset just past the physical line starting at pos (see line_break_at). */
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
                fail_nomem(c);
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
        if (!is_csv_space(s[i], sep) && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* The text ended inside a quoted field: name its opening quote. */
static void report_open_quote(parse_ctx *c)
{
    csvio_table *t = c->t;
    row_scan r = scan_row(t->text, t->textlen, c->start_off, t->sep,
                          (size_t)-1);
    long line, col;

    locate_pos(t->text, t->textlen, c->start_off, c->start_line, r.last, &line,
               &col);
    diag_error(c->dl, t->display, line, col,
               "citattecknet avslutas aldrig: filen tar slut inne i det "
               "citerade fältet som börjar här");
    if (r.stray != (size_t)-1) {
        /* The usual cause: "abc"def - say where, and how to write it. */
        locate_pos(t->text, t->textlen, c->start_off, c->start_line, r.stray,
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

    if (csv_init(&p, 0) != 0) {
        diag_error(dl, t->display, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
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
        if (c.in_row && scan_row(t->text, t->textlen, c.start_off, t->sep,
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
    table_store *st = calloc(1, sizeof *st);
    int rc;

    if (st == NULL) {
        free(buf);
        diag_error(dl, t->display, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
    t->priv = st;
    st->row_fn = fn;
    st->row_arg = arg;
    rc = decode(t, st, buf, len, o, dl);
    if (rc != SAMLA_OK)
        return rc;
    t->sep = o->sep ? o->sep : detect_sep(t->text, t->textlen);
    return parse(t, st, o, dl);
}

static int begin(csvio_table *t, const char *name, diag_list *dl)
{
    memset(t, 0, sizeof *t);
    t->sep = ';';
    t->display = strdup(name ? name : "");
    if (t->display == NULL) {
        diag_error(dl, name, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
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
            tmp.v[i].file = strdup(t->display);
        }
        diag_take(dl, &tmp);
    }
    if (rc != SAMLA_OK)
        return rc;
    return read_owned(t, buf, len, opts ? opts : &default_opts, dl, fn, arg);
}

int csvio_read_file(csvio_table *t, const char *path, const char *display,
                    const csvio_opts *opts, diag_list *dl)
{
    return read_file(t, path, display, opts, dl, NULL, NULL);
}

int csvio_read_file_rows(csvio_table *t, const char *path, const char *display,
                         const csvio_opts *opts, diag_list *dl,
                         csvio_row_fn fn, void *arg)
{
    return read_file(t, path, display, opts, dl, fn, arg);
}

int csvio_read_mem(csvio_table *t, const char *buf, size_t len,
                   const char *display, const csvio_opts *opts, diag_list *dl)
{
    char *copy;
    int rc = begin(t, display, dl);

    if (rc != SAMLA_OK)
        return rc;
    copy = malloc(len + 1);
    if (copy == NULL) {
        diag_error(dl, t->display, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
    if (len > 0) /* buf may be NULL when empty */
        memcpy(copy, buf, len);
    copy[len] = '\0';
    return read_owned(t, copy, len, opts ? opts : &default_opts, dl, NULL,
                      NULL);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

/*
 * at_line_start has three values here: 1 nothing written on this row yet,
 * 0 fields written, -1 exactly one empty field written. The last matters
 * because a row holding one empty field would come out as an empty line,
 * which readers skip; csvio_out_endrow writes it as "" instead.
 *
 * The output functions return nothing, so running out of memory cannot be
 * reported; a silently truncated buffer could be written over a book, so
 * we stop the program instead.
 */
static void out_reserve(csvio_out *o, size_t more)
{
    size_t cap;
    char *nb;

    if (o->cap - o->len >= more)
        return;
    cap = o->cap ? o->cap : 256;
    while (cap - o->len < more) {
        if (cap > SIZE_MAX / 2)
            goto oom;
        cap *= 2;
    }
    nb = realloc(o->buf, cap);
    if (nb == NULL)
        goto oom;
    o->buf = nb;
    o->cap = cap;
    return;
oom:
    fputs("samla: slut på minne\n", stderr);
    abort();
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
        abort();
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
