/* sie_lex - the pieces under the SIE reader and writer: the string arena,
 * code page 437 (and Windows-1252), CRC-32 and the tokenizer of a record
 * line. See sie.h and sie_priv.h. */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sie_priv.h"

/* ---- Arena ------------------------------------------------------------------ */

#define SIE_BLOCK 65536

struct sie_arena {
    struct sie_block {
        struct sie_block *next;
        size_t used, size;
        char data[];
    } *head;
};

sie_arena *sie_arena_new(void)
{
    return mem_calloc(1, sizeof(sie_arena));
}

void sie_arena_free(sie_arena *a)
{
    if (!a)
        return;
    while (a->head) {
        struct sie_block *n = a->head->next;
        free(a->head);
        a->head = n;
    }
    free(a);
}

char *sie_arena_alloc(sie_arena *a, size_t n)
{
    if (!a->head || a->head->size - a->head->used < n) {
        size_t size = n > SIE_BLOCK ? n : SIE_BLOCK;
        struct sie_block *b = mem_alloc(sizeof *b + size);
        b->next = a->head;
        b->used = 0;
        b->size = size;
        a->head = b;
    }
    char *p = a->head->data + a->head->used;
    a->head->used += n;
    return p;
}

const char *sie_arena_strndup(sie_arena *a, const char *s, size_t n)
{
    char *p = sie_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- Code pages ----------------------------------------------------------- */

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

unsigned sie_cp437_char(unsigned char b)
{
    return b < 0x80 ? b : cp437_high[b - 0x80];
}

int sie_cp437_byte(unsigned cp)
{
    if (cp < 0x80)
        return (int)cp;
    for (int i = 0; i < 128; i++)
        if (cp437_high[i] == cp)
            return 0x80 + i;
    return -1;
}

/* Windows-1252 is text.h's (text_cp1252_char): one table in the program. */

/* ---- CRC-32 --------------------------------------------------------------- */

uint32_t sie_crc32(uint32_t crc, const void *p, size_t n)
{
    /* Bitwise (no table to build or share): #KSUMMA covers a file once. */
    const unsigned char *s = p;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= s[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* ---- Tokens ---------------------------------------------------------------- */

long sie_col(const char *line, size_t off, int utf8)
{
    if (!utf8)
        return (long)off + 1;
    long c = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            c++;
    return c;
}

static size_t put_bytes(sie_toks *t, const char *s, size_t n)
{
    mem_grow((void **)&t->buf, &t->bcap, t->blen + n + 1, 1);
    size_t at = t->blen;
    memcpy(t->buf + at, s, n);
    t->blen += n;
    return at;
}

static sie_tok *push_tok(sie_toks *t, sie_tk_kind kind, long col)
{
    mem_grow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v);
    sie_tok *k = &t->v[t->n++];
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->col = col;
    k->val = t->blen;
    return k;
}

static void end_value(sie_toks *t, sie_tok *k)
{
    k->len = t->blen - k->val;
    mem_grow((void **)&t->buf, &t->bcap, t->blen + 1, 1);
    t->buf[t->blen++] = '\0';
}

int sie_lex_line(const char *s, size_t n, int utf8, long line,
                 const char *display, sie_toks *out, diag_list *dl)
{
    out->n = 0;
    out->blen = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t') {
            i++;
            continue;
        }
        long col = sie_col(s, i, utf8);
        if (c < 0x20 || c == 0x7F) {
            diag_error(dl, display, line, col,
                       "styrtecken 0x%02X i raden; en SIE-fil är text", c);
            return -1;
        }
        if (c == '{' || c == '}') {
            sie_tok *k = push_tok(out, c == '{' ? SIE_TK_OPEN : SIE_TK_CLOSE,
                                  col);
            end_value(out, k);
            i++;
            continue;
        }
        if (c == '"') {
            size_t ki = out->n;
            push_tok(out, SIE_TK_WORD, col)->quoted = 1;
            i++;
            for (;;) {
                if (i >= n) {
                    diag_error(dl, display, line, col,
                               "citattecknet öppnas men stängs aldrig på "
                               "raden (skriv \\\" för ett citattecken i en "
                               "text)");
                    return -1;
                }
                unsigned char d = (unsigned char)s[i];
                if (d == '"')
                    break;
                if (d < 0x20 || d == 0x7F) {
                    if (d == '\t') { /* kept: the decoder makes it a space */
                        put_bytes(out, s + i, 1);
                        i++;
                        continue;
                    }
                    diag_error(dl, display, line, sie_col(s, i, utf8),
                               "styrtecken 0x%02X i en text", d);
                    return -1;
                }
                if (d == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\')) {
                    put_bytes(out, s + i + 1, 1);
                    i += 2;
                    continue;
                }
                put_bytes(out, s + i, 1);
                i++;
            }
            i++; /* the closing quote */
            end_value(out, &out->v[ki]);
            if (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '{' &&
                s[i] != '}') {
                diag_error(dl, display, line, sie_col(s, i, utf8),
                           "mellanslag saknas efter citattecknet");
                return -1;
            }
            continue;
        }
        size_t ki = out->n;
        push_tok(out, SIE_TK_WORD, col);
        size_t start = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '{' &&
               s[i] != '}') {
            unsigned char d = (unsigned char)s[i];
            if (d < 0x20 || d == 0x7F) {
                diag_error(dl, display, line, sie_col(s, i, utf8),
                           "styrtecken 0x%02X i raden; en SIE-fil är text", d);
                return -1;
            }
            if (d == '"') {
                diag_error(dl, display, line, sie_col(s, i, utf8),
                           "citattecken mitt i ett fält; citera hela fältet "
                           "och skriv \\\" för citattecknet");
                return -1;
            }
            i++;
        }
        put_bytes(out, s + start, i - start);
        end_value(out, &out->v[ki]);
    }
    return 0;
}

void sie_toks_free(sie_toks *t)
{
    free(t->v);
    free(t->buf);
    memset(t, 0, sizeof *t);
}
