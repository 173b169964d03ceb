/*
 * text - the small rules about text that several layers share: UTF-8
 * validity and length in characters, the code pages (the one Windows-1252
 * decoder, code page 437 for SIE), which
 * characters a stored text may hold, the formula-safe form of a text in a
 * book file, and text made safe for a terminal.
 *
 * Everything here works on bytes in memory and knows nothing of books or
 * files, so the CSV reader, the schema, the writer and the renderers can
 * all use the same rules (docs/file-formats.md, "Texts").
 */
#ifndef SAMLA_TEXT_H
#define SAMLA_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* ---- UTF-8 ---------------------------------------------------------------
 * Strict UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates
 * (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence. */

/* Bytes of the longest valid UTF-8 prefix of the n bytes at s. */
size_t text_utf8_valid_prefix(const char *s, size_t n);

/* Non-zero when the n bytes at s are valid UTF-8. */
int text_utf8_valid(const char *s, size_t n);

/* Characters (code points) in the first n bytes of valid UTF-8. */
size_t text_chars(const char *s, size_t n);

/* Bytes taken by the first `max` characters of the NUL-terminated valid
 * UTF-8 text s (all of it when it is shorter): a cut there never splits a
 * character. */
size_t text_prefix_bytes(const char *s, size_t max);

/* The next word of s, a word being a run of characters other than a
 * space (the words a text wraps at): its start, with *end just past it;
 * NULL when only spaces are left. */
const char *text_word(const char *s, const char **end);

/* Decode the character at *p (valid UTF-8) and advance *p past it. */
unsigned text_next_char(const char **p);

/* Write code point cp as UTF-8 into out (room for 4 bytes); returns the
 * number of bytes. */
size_t text_put_char(char *out, unsigned cp);

/* ---- Windows-1252 ----------------------------------------------------- */

/* The code point of a Windows-1252 byte; 0 for the five bytes the code page
 * leaves undefined (0x81 0x8D 0x8F 0x90 0x9D). */
unsigned text_cp1252_char(unsigned char b);

/* Offset of the first undefined Windows-1252 byte at or after i, or len. */
size_t text_cp1252_undefined(const char *s, size_t i, size_t len);

/* The len bytes of Windows-1252 at s as new NUL-terminated UTF-8 (malloc'd,
 * mem.h's policy), its length in *outlen. Undefined bytes must
 * have been refused before (text_cp1252_undefined). */
char *text_cp1252_to_utf8(const char *s, size_t len, size_t *outlen);

/* ---- Code page 437 ------------------------------------------------------
 * The IBM PC code page, which SIE files declare as #FORMAT PC8. */

/* The code point of a code page 437 byte (every byte has one). */
unsigned text_cp437_char(unsigned char b);

/* The code page 437 byte of code point cp, or -1 when it has none. */
int text_cp437_byte(unsigned cp);

/* ---- What a stored text may hold ----------------------------------------- */

/* Why a text is refused (text_check). */
typedef enum {
    TEXT_OK = 0,
    TEXT_BAD_UTF8,   /* byte `byte` at character `at` is not UTF-8 */
    TEXT_CONTROL,    /* control character `cp` at character `at` */
    TEXT_TOO_LONG    /* `at` characters, more than the limit */
} text_fault_kind;

typedef struct {
    text_fault_kind kind;
    size_t at;     /* 1-based character of the fault; TEXT_TOO_LONG: length */
    unsigned cp;   /* TEXT_CONTROL: the character */
    unsigned char byte; /* TEXT_BAD_UTF8: the first bad byte */
} text_fault;

/* Is cp a control character a stored text may not hold: C0 (U+0000..U+001F,
 * tab and line breaks included), DEL (U+007F) or C1 (U+0080..U+009F)? */
int text_is_control(unsigned cp);

/*
 * Check n bytes at s against the rules every stored text keeps: valid UTF-8,
 * no control character (text_is_control) - but line breaks (LF, CR) when
 * `lines` is non-zero -, at most `max` characters (0 = no limit). Returns
 * 0, or -1 with the first fault in *f.
 */
int text_check(const char *s, size_t n, size_t max, int lines,
               text_fault *f);

/* The fault as a Swedish phrase ("ogiltig UTF-8 (byte 0xF6 vid tecken
 * 2)"), written into buf. */
void text_fault_message(const text_fault *f, size_t max, char *buf,
                        size_t size);

/* ---- Formula-safe form -------------------------------------------------
 * A spreadsheet that opens a book file runs a cell that begins with = + - @
 * (and, in some, TAB or CR) as a formula. A text that begins with one of
 * those, or with an apostrophe, is stored with one apostrophe in front; a
 * stored text that begins with an apostrophe is read without it. The
 * mapping is reversible: every text reads back exactly as it was given. */

/* Does text s need the apostrophe when stored? */
int text_needs_escape(const char *s);

/* The stored field as read back: s without one leading apostrophe. */
const char *text_unescape(const char *s);

/* ---- Terminal -----------------------------------------------------------
 * Text shown on a terminal never carries a character that the terminal
 * would act on: control characters become their visible pictures (ESC is
 * "␛", TAB "␉", LF "␊", DEL "␡"), C1 controls and the bidirectional
 * embedding, override and isolate characters (U+202A..U+202E,
 * U+2066..U+2069) become "<U+202E>", and a byte that is not UTF-8 becomes
 * "<0xF6>". So an ESC sequence cannot move the cursor or hide a line, and
 * U+202E cannot reverse what follows it. */

/* Non-zero when s (NUL-terminated) would be shown unchanged. */
int text_term_plain(const char *s);

/* s as a terminal may show it (malloc'd). */
char *text_term(const char *s);

/* Write s to out as a terminal may show it. */
void text_term_put(FILE *out, const char *s);

/* A non-negative number in decimal into buf (room for its digits and a
 * NUL: 21 bytes hold any unsigned long); returns its length. Without
 * snprintf, for the hot loops that write numbers (the closed-year
 * manifests, the journal sheet's row numbers). */
size_t text_utoa(unsigned long v, char *buf);

#endif
