/*
 * csvio_decode.c - the encoding part of reading CSV (see csvio.h): a file's
 * bytes become UTF-8 text. A UTF-8 byte-order mark means UTF-8; otherwise
 * valid UTF-8 is UTF-8; a file with valid multi-byte UTF-8 before a broken
 * byte is a damaged UTF-8 file (refused at that byte, not misread); the
 * rest is Windows-1252, converted, with a note. NUL bytes, UTF-16 and the
 * five bytes Windows-1252 leaves undefined are refused with their line and
 * column. UTF-8 validity and the Windows-1252 table live in text.c.
 */
#include "csvio_priv.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

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
    csvio_cursor c;
    size_t i, count = 0;

    csvio_cursor_init(&c, 0, 1, utf8);
    for (i = next_bad(s, 0, len, kind); i < len;
         i = next_bad(s, i + 1, len, kind)) {
        if (++count > CSVIO_MAX_REPEATS)
            continue;
        csvio_cursor_advance(&c, s, len, i);
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

/* The first UTF-8 byte-order mark in s[0..n), or NULL. memchr for its
 * first byte (rare in text) rather than memmem, which callgrind showed at
 * 5.5 instructions per byte of a 124 MB journal. */
static const char *find_bom(const char *s, size_t n)
{
    const char *end = s + n;
    while ((s = memchr(s, 0xEF, (size_t)(end - s))) != NULL) {
        if (end - s >= 3 && (unsigned char)s[1] == 0xBB &&
            (unsigned char)s[2] == 0xBF)
            return s;
        s++;
    }
    return NULL;
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

int csvio_decode(csvio_table *t, char **textbuf, char *buf, size_t len,
                 const csvio_opts *o, diag_list *dl)
{
    const unsigned char *u = (const unsigned char *)buf;
    size_t skip = 0, valid;
    int bom = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
    int utf8_seen;

    *textbuf = buf;
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
        csvio_cursor c;

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
            const char *mid = find_bom(t->text, t->textlen);
            if (mid == NULL)
                return SAMLA_OK;
            csvio_cursor_init(&c, 0, 1, 1);
            csvio_cursor_advance(&c, t->text, t->textlen, (size_t)(mid - t->text));
            diag_error(dl, t->display, c.line, c.col,
                       "UTF-8-markering (BOM) mitt i filen; den hör bara "
                       "hemma först i en fil (har två filer satts ihop?): "
                       "ta bort den");
            return SAMLA_EDATA;
        }
        csvio_cursor_init(&c, 0, 1, 1);
        csvio_cursor_advance(&c, t->text, t->textlen, valid - skip);
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
    *textbuf = t->text;
    diag_add(dl, DIAG_NOTE, t->display, 0, 0,
             "filen är inte UTF-8; den lästes som Windows-1252 och "
             "konverterades");
    return SAMLA_OK;
}
