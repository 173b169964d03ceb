/*
 * sie_priv - what the parts of the sie module share (not for other
 * modules): the string arena, the code-page tables, the line tokenizer.
 */
#ifndef SAMLA_SIE_PRIV_H
#define SAMLA_SIE_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"
#include "sie.h"
#include "strmap.h"

/* Grow a SIE_VEC by one element and return it (zeroed). */
#define SIE_PUSH(vec)                                                        \
    (mem_grow((void **)&(vec).v, &(vec).cap, (vec).n + 1, sizeof *(vec).v), \
     memset(&(vec).v[(vec).n], 0, sizeof *(vec).v), &(vec).v[(vec).n++])

/* ---- Strings: an arena of 64 KiB blocks, freed with the file ------------- */
typedef struct sie_arena sie_arena;
sie_arena *sie_arena_new(void);
void sie_arena_free(sie_arena *a);
char *sie_arena_alloc(sie_arena *a, size_t n);
const char *sie_arena_strndup(sie_arena *a, const char *s, size_t n);

/* The code pages (437 for #FORMAT PC8, Windows-1252) are text.h's. */

/* ---- Tokens of one record ------------------------------------------------ */

typedef enum { SIE_TK_WORD, SIE_TK_OPEN, SIE_TK_CLOSE } sie_tk_kind;

typedef struct {
    sie_tk_kind kind;
    size_t val, len; /* the value's bytes (unescaped, undecoded) in buf */
    long col;        /* 1-based character column where the token starts */
    int quoted;
} sie_tok;

typedef struct {
    sie_tok *v;
    size_t n, cap;
    char *buf; /* values, each NUL-terminated */
    size_t blen, bcap;
} sie_toks;

/* The value of token i (NUL-terminated bytes as in the file). */
#define SIE_TOKV(t, i) ((t)->buf + (t)->v[i].val)

/*
 * Split one line (n bytes at s, without its line break) into tokens:
 * words separated by spaces or tabs, "quoted strings" (\" is a quote and
 * \\ a backslash inside), { and }. `utf8` says whether columns count
 * characters of UTF-8 (else bytes). Faults (an unterminated string, a
 * control character) go to dl; returns 0 or -1.
 */
int sie_lex_line(const char *s, size_t n, int utf8, long line,
                 const char *display, sie_toks *out, diag_list *dl);
void sie_toks_free(sie_toks *t);

/* The character column of byte offset `off` of a line. */
long sie_col(const char *line, size_t off, int utf8);

/* ---- Reading (sie_read.c, sie_record.c) ---------------------------------- */

/* Faults listed one by one before the rest are only counted. */
#define SIE_MAX_ERRORS 100

typedef struct sie_reader {
    sie_file *f;
    sie_arena *arena;
    const char *display;
    diag_list *dl;
    size_t nerr;
    int utf8;            /* columns count UTF-8 characters */
    sie_encoding dec;    /* how values are decoded */
    long line;
    const char *ls;      /* the current line and its length */
    size_t ln;
    sie_toks tk;
    int first_seen;      /* a record was read (the first must be #FLAGGA) */
    int crc_state;       /* 0 no #KSUMMA yet, 1 summing, 2 closed */
    uint32_t crc;
    long crc_line;
    int block;           /* 0 outside, 1 after #VER (awaiting {), 2 inside */
    long block_line;     /* the #VER's line */
    long open_col;       /* column of its { */
    size_t rtrans;       /* 1 + index of an #RTRANS awaiting its #TRANS */
    strmap accounts;     /* number -> index in f->accounts */
    strmap objects;      /* "DIM\x1fCODE" -> index in f->objects */
    char *key;           /* scratch for object keys */
    size_t keycap;
} sie_reader;

/* A fault at line:col (counted; only the first SIE_MAX_ERRORS listed). */
void sie_err(sie_reader *r, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* One record: the current line's tokens, its label first. */
void sie_record(sie_reader *r);
/* The #VER block just closed: its rows must sum to zero. */
void sie_close_voucher(sie_reader *r);
/* The index of object CODE of dimension DIM in f->objects, or -1 (a hash
 * lookup: a file may declare thousands of objects, customers, invoices). */
int sie_object_index(sie_reader *r, int dim, const char *code);

#endif
