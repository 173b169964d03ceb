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

/* The code pages are text.h's (text_cp437_char, text_cp1252_char): one
 * table of each in the program. */

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
