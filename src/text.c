/* text - see text.h. */
#include "text.h"
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------ */

/* ASCII is skipped 32 bytes at a time, which keeps this pass far faster
 * than parsing CSV (csvio runs it over every file it reads). */
size_t text_utf8_valid_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;

        if (c < 0x80) {
            while (i + 32 <= n) {
                uint64_t w0, w1, w2, w3;

                memcpy(&w0, s + i, 8);
                memcpy(&w1, s + i + 8, 8);
                memcpy(&w2, s + i + 16, 8);
                memcpy(&w3, s + i + 24, 8);
                if ((w0 | w1 | w2 | w3) & 0x8080808080808080ULL)
                    break;
                i += 32;
            }
            if (i < n && s[i] < 0x80)
                i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            if (c == 0xE0)
                lo = 0xA0; /* overlong */
            else if (c == 0xED)
                hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            if (c == 0xF0)
                lo = 0x90; /* overlong */
            else if (c == 0xF4)
                hi = 0x8F; /* above U+10FFFF */
        } else
            return i;
        if (n - i <= k)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        if (k >= 2 && (s[i + 2] & 0xC0) != 0x80)
            return i;
        if (k == 3 && (s[i + 3] & 0xC0) != 0x80)
            return i;
        i += k + 1;
    }
    return n;
}

int text_utf8_valid(const char *s, size_t n)
{
    return text_utf8_valid_prefix(s, n) == n;
}

size_t text_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

size_t text_prefix_bytes(const char *s, size_t max)
{
    size_t i = 0, c = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (c == max)
                break;
            c++;
        }
        i++;
    }
    return i;
}

const char *text_word(const char *s, const char **end)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return NULL;
    *end = s + strcspn(s, " ");
    return s;
}

unsigned text_next_char(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    unsigned c = s[0];
    if (c < 0x80) {
        *p += 1;
        return c;
    }
    if (c < 0xE0) {
        *p += 2;
        return ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    }
    if (c < 0xF0) {
        *p += 3;
        return ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    }
    *p += 4;
    return ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
           ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
}

size_t text_put_char(char *out, unsigned cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- Windows-1252 ------------------------------------------------------ */

/* 0x80..0x9F; 0 marks the five bytes the code page leaves undefined.
 * 0xA0..0xFF are the same code points as Latin-1. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

unsigned text_cp1252_char(unsigned char b)
{
    if (b < 0x80 || b >= 0xA0)
        return b;
    return cp1252_high[b - 0x80];
}

size_t text_cp1252_undefined(const char *s, size_t i, size_t len)
{
    for (; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b >= 0x80 && b < 0xA0 && cp1252_high[b - 0x80] == 0)
            break;
    }
    return i;
}

char *text_cp1252_to_utf8(const char *s, size_t len, size_t *outlen)
{
    size_t need = len, o = 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            need += 2; /* at most three bytes each */
    char *out = mem_alloc(need + 1);
    for (size_t i = 0; i < len; i++)
        o += text_put_char(out + o, text_cp1252_char((unsigned char)s[i]));
    out[o] = '\0';
    *outlen = o;
    return out;
}

/* ---- What a stored text may hold --------------------------------------- */

int text_is_control(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

int text_check(const char *s, size_t n, size_t max, int lines,
               text_fault *f)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t chars = 0;
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < n;) {
        unsigned char b = u[i];
        chars++;
        if (b >= 0x20 && b < 0x7F) { /* the common case */
            i++;
            continue;
        }
        if (b < 0x80) {
            if (lines && (b == '\n' || b == '\r')) {
                i++;
                continue;
            }
            f->kind = TEXT_CONTROL;
            f->at = chars;
            f->cp = b;
            return -1;
        }
        size_t ok = text_utf8_valid_prefix(s + i, n - i);
        if (ok == 0) {
            f->kind = TEXT_BAD_UTF8;
            f->at = chars;
            f->byte = b;
            return -1;
        }
        const char *p = s + i;
        unsigned cp = text_next_char(&p);
        if (text_is_control(cp)) {
            f->kind = TEXT_CONTROL;
            f->at = chars;
            f->cp = cp;
            return -1;
        }
        i = (size_t)(p - s);
    }
    if (max && chars > max) {
        f->kind = TEXT_TOO_LONG;
        f->at = chars;
        return -1;
    }
    return 0;
}

/* Swedish names of the control characters people actually meet. */
static const char *control_name(unsigned cp)
{
    switch (cp) {
    case 0x09: return "tabb";
    case 0x0A: return "radbrytning";
    case 0x0D: return "vagnretur";
    case 0x1B: return "ESC";
    case 0x00: return "NUL";
    case 0x7F: return "DEL";
    }
    return NULL;
}

void text_fault_message(const text_fault *f, size_t max, char *buf,
                        size_t size)
{
    const char *name;
    switch (f->kind) {
    case TEXT_BAD_UTF8:
        snprintf(buf, size, "ogiltig UTF-8 (byte 0x%02X vid tecken %zu); "
                            "texten ska vara UTF-8",
                 (unsigned)f->byte, f->at);
        break;
    case TEXT_CONTROL:
        name = control_name(f->cp);
        if (name)
            snprintf(buf, size, "styrtecknet U+%04X (%s) vid tecken %zu är "
                                "inte tillåtet i en text",
                     f->cp, name, f->at);
        else
            snprintf(buf, size, "styrtecknet U+%04X vid tecken %zu är inte "
                                "tillåtet i en text",
                     f->cp, f->at);
        break;
    case TEXT_TOO_LONG:
        snprintf(buf, size, "för lång: %zu tecken, högst %zu", f->at, max);
        break;
    default:
        snprintf(buf, size, "ogiltig text");
    }
}

/* ---- Code page 437 ------------------------------------------------------ */

/* Code page 437, bytes 0x80..0xFF (IBM PC; what #FORMAT PC8 means). */
static const unsigned short cp437_high[128] = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7,
    0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE, 0x00EC, 0x00C4, 0x00C5,
    0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9,
    0x00FF, 0x00D6, 0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192,
    0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA, 0x00BA,
    0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
    0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
    0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
    0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229,
    0x2261, 0x00B1, 0x2265, 0x2264, 0x2320, 0x2321, 0x00F7, 0x2248,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

unsigned text_cp437_char(unsigned char b)
{
    return b < 0x80 ? b : cp437_high[b - 0x80];
}

int text_cp437_byte(unsigned cp)
{
    if (cp < 0x80)
        return (int)cp;
    for (int i = 0; i < 128; i++)
        if (cp437_high[i] == cp)
            return 0x80 + i;
    return -1;
}

/* ---- Formula-safe form --------------------------------------------------- */

int text_needs_escape(const char *s)
{
    return s[0] && strchr("=+-@\t\r'", s[0]) != NULL;
}

const char *text_unescape(const char *s)
{
    return s[0] == '\'' ? s + 1 : s;
}

/* ---- Terminal ------------------------------------------------------------ */

static int is_bidi_control(unsigned cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The text shown for the character at *p (advanced past it), or NULL when
 * it is shown as it is. buf holds the replacement. */
static const char *term_replacement(const char **p, const char *end,
                                    char buf[16])
{
    const unsigned char *u = (const unsigned char *)*p;
    if (*u >= 0x20 && *u < 0x7F) {
        (*p)++;
        return NULL;
    }
    if (*u < 0x20 || *u == 0x7F) {
        /* U+2400..U+241F are the pictures of C0; U+2421 is DEL's. */
        unsigned pic = *u == 0x7F ? 0x2421 : 0x2400u + *u;
        buf[text_put_char(buf, pic)] = '\0';
        (*p)++;
        return buf;
    }
    size_t ok = text_utf8_valid_prefix(*p, (size_t)(end - *p));
    if (ok == 0) {
        snprintf(buf, 16, "<0x%02X>", (unsigned)*u);
        (*p)++;
        return buf;
    }
    unsigned cp = text_next_char(p);
    if (text_is_control(cp) || is_bidi_control(cp)) {
        snprintf(buf, 16, "<U+%04X>", cp);
        return buf;
    }
    return NULL;
}

int text_term_plain(const char *s)
{
    const char *p = s, *end = s + strlen(s);
    char buf[16];
    while (p < end)
        if (term_replacement(&p, end, buf))
            return 0;
    return 1;
}

char *text_term(const char *s)
{
    size_t len = strlen(s), cap = len + 1, n = 0;
    char *out = mem_alloc(cap);
    const char *p = s, *end = s + len;
    char buf[16];
    while (p < end) {
        const char *start = p;
        const char *rep = term_replacement(&p, end, buf);
        size_t add = rep ? strlen(rep) : (size_t)(p - start);
        if (n + add + 1 > cap) {
            cap = (n + add + 1) * 2;
            out = mem_realloc_array(out, cap, 1);
        }
        memcpy(out + n, rep ? rep : start, add);
        n += add;
    }
    out[n] = '\0';
    return out;
}

void text_term_put(FILE *out, const char *s)
{
    if (text_term_plain(s)) {
        fputs(s, out);
        return;
    }
    char *t = text_term(s);
    fputs(t, out);
    free(t);
}

size_t text_utoa(unsigned long v, char *buf)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}
