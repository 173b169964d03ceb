/*
 * sie - SIE 4 files (SIE-gruppen, "SIE filformat ver 4B"): reading what
 * Swedish finance systems export, and writing a book's year for auditors
 * and the host municipality (docs/sie.md).
 *
 * Reading (sie_read.c, sie_lex.c) is strict: the whole file is checked
 * and every fault is reported as file:line:column - an unterminated
 * string, an unbalanced brace, an object list that is not pairs, a
 * dimension or object not declared by #DIM/#UNDERDIM/#OBJEKT, a #VER
 * whose #TRANS rows do not sum to zero, an #RTRANS not followed by its
 * identical #TRANS, a #KSUMMA that does not match. Records the standard
 * adds in later versions (unknown labels) and fields after the known ones
 * are ignored, as the standard asks. The text is decoded from code page
 * 437 (#FORMAT PC8), or recognised as UTF-8 or Windows-1252 (with a note),
 * or as the caller insists.
 *
 * A read file is presented to the import as a table (sie_view.c): one row
 * per transaction (or budget record) with virtual columns - Datum, Konto,
 * Belopp, Text, Serie, Verifikation, Objekt:N ... - so that the import's
 * one mapping engine (import.h) maps CSV rows and SIE transactions alike.
 *
 * Writing (sie_write.c) produces SIE 4 of one year of a book: accounts,
 * activities/funders/earmarks as objects, #IB/#UB/#RES, one balanced #VER
 * per entry (the counter row on the book's settlement account), in code
 * page 437 with #FORMAT PC8 and #KSUMMA.
 */
#ifndef SAMLA_SIE_H
#define SAMLA_SIE_H

#include <stddef.h>
#include <stdint.h>

#include "book.h"
#include "csvio.h"
#include "date.h"
#include "dec.h"
#include "diag.h"

typedef enum {
    SIE_ENC_AUTO = 0, /* #FORMAT PC8 = code page 437; UTF-8 and
                         Windows-1252 recognised (with a note) */
    SIE_ENC_UTF8,     /* must be UTF-8 */
    SIE_ENC_CP1252,   /* Windows-1252 whatever the file says */
    SIE_ENC_CP437     /* code page 437 whatever the file says */
} sie_encoding;

#define SIE_VEC(T) struct { T *v; size_t n, cap; }

/* #RAR: year index 0 (this year), -1 (the year before), ... */
typedef struct {
    int index;
    date_t from, to;
    long line;
} sie_year;

/* #DIM / #UNDERDIM */
typedef struct {
    int number;
    const char *name;
    int super; /* #UNDERDIM: the dimension above, else 0 */
    long line;
} sie_dim;

/* #OBJEKT */
typedef struct {
    int dim;
    const char *code, *name;
    long line;
} sie_object;

/* #KONTO with its #KTYP (T, S, K, I; "" when not given) */
typedef struct {
    const char *number, *name, *type;
    long line;
} sie_account;

/* One dimension-object pair of an object list {1 "51200" 6 "SAMLA"}. */
typedef struct {
    int dim;
    const char *code;
    long line, col;
} sie_objref;

typedef enum {
    SIE_IB, SIE_UB, SIE_RES, SIE_OIB, SIE_OUB, SIE_PSALDO, SIE_PBUDGET,
    SIE_BUDGET
} sie_balance_kind;

/* #IB #UB #RES #OIB #OUB #PSALDO #PBUDGET #BUDGET */
typedef struct {
    sie_balance_kind kind;
    int year;          /* #RAR index */
    int period;        /* YYYYMM (#PSALDO, #PBUDGET), else 0 */
    const char *account;
    size_t obj0, nobj; /* into objrefs */
    dec_t amount;
    const char *source; /* the record as written, for messages */
    long line, col_period, col_account, col_amount;
} sie_balance;

typedef enum { SIE_TRANS = 0, SIE_RTRANS, SIE_BTRANS } sie_trans_kind;

/* #TRANS #RTRANS #BTRANS. An #RTRANS (an added row) and the identical
 * #TRANS the standard puts after it are one row here: the #RTRANS, with
 * `twin` the line of the #TRANS. A #BTRANS (a removed row) is kept but is
 * no transaction any more. */
typedef struct {
    sie_trans_kind kind;
    const char *account;
    size_t obj0, nobj;
    dec_t amount;
    date_t date;       /* DATE_NONE: the voucher's date */
    const char *text;  /* "" when none */
    const char *source;
    long line, twin;
    long col_account, col_objects, col_amount, col_date, col_text;
} sie_trans;

/* #VER with its rows trans[trans0 .. trans0 + ntrans). */
typedef struct {
    const char *series, *number, *text, *sign;
    date_t date, registered; /* registered: DATE_NONE when not given */
    size_t trans0, ntrans;
    long line, col_series, col_number, col_date, col_text;
} sie_voucher;

typedef struct {
    char *display;
    sie_encoding encoding;  /* how the text was read */
    int flag;               /* #FLAGGA */
    int type;               /* #SIETYP (1..4), 0 when not given */
    const char *program, *format, *company, *orgnr, *currency;
    date_t generated;
    int has_checksum;       /* #KSUMMA present (and verified) */
    uint32_t checksum;
    SIE_VEC(sie_year) years;
    SIE_VEC(sie_dim) dims;
    SIE_VEC(sie_object) objects;
    SIE_VEC(sie_account) accounts;
    SIE_VEC(sie_objref) objrefs;
    SIE_VEC(sie_balance) balances;
    SIE_VEC(sie_voucher) vouchers;
    SIE_VEC(sie_trans) trans;
    void *priv; /* string arena */
} sie_file;

/* Does the text look like a SIE file: its first record #FLAGGA, or a
 * #SIETYP among its first lines (after an optional UTF-8 BOM)? */
int sie_sniff(const char *buf, size_t len);
/* The same for a file's head; 0 when it cannot be read. */
int sie_sniff_file(const char *path);

/*
 * Read and check a whole SIE file. `display` names it in messages (NULL =
 * path). Every fault goes to dl with line and column; notes tell how the
 * text was decoded when that was not what it declared. Returns SAMLA_OK,
 * SAMLA_EIO or SAMLA_EDATA; the file is safe to sie_free either way.
 */
samla_err sie_read_file(sie_file *f, const char *path, const char *display,
                  sie_encoding enc, diag_list *dl);
samla_err sie_read_mem(sie_file *f, const char *buf, size_t len,
                 const char *display, sie_encoding enc, diag_list *dl);
void sie_free(sie_file *f);

/* The calendar year of #RAR index `index` (the year its last day is in);
 * -1 when the file has no such #RAR. */
int sie_year_of(const sie_file *f, int index);
/* The name of dimension `number`, NULL when undeclared. */
const sie_dim *sie_dim_find(const sie_file *f, int number);

/* CRC-32 as the standard's #KSUMMA uses it (ISO 3309: polynomial
 * 0xEDB88320 reflected, start 0xFFFFFFFF, final complement): pass 0 to
 * start, then the previous value to continue. */
uint32_t sie_crc32(uint32_t crc, const void *p, size_t n);

/* ---- The file as rows for the import (sie_view.c) ------------------------ */

typedef enum {
    SIE_VIEW_TRANSACTIONS, /* #TRANS rows (with #RTRANS), voucher by voucher */
    SIE_VIEW_BUDGET        /* #PBUDGET and #BUDGET records */
} sie_view_kind;

/*
 * A csvio_table whose first row is the header of virtual column names and
 * whose other rows are the records, each with the line it stands on. The
 * table has no text, so csvio_col cannot place its fields: sie_view_col
 * does, and sie_view_source gives the record as written.
 *
 * Transactions: Datum (ISO; the row's date, else the voucher's), Konto,
 * Belopp (canonical: -1234.50), Text (the row's text, else the voucher's),
 * Serie, Verifikation ("SERIE NUMMER"), Vertext, Transtext, then Objekt:N
 * for every declared dimension N (the object code, "" when none).
 * Budget: År (the calendar year), Period (YYYY-MM, "" for #BUDGET), Datum
 * (the period's last day), Konto, Belopp, Post (PBUDGET or BUDGET), Text
 * and Verifikation (empty), Objekt:N.
 */
typedef struct {
    csvio_table t;
    size_t ncols;
    long *cols;          /* cols[(row - 1) * ncols + field] */
    const char **source; /* source[row - 1] */
    const char *kind;    /* "transaktioner" / "budgetposter", for messages */
    void *priv[2];       /* strings and fields */
} sie_view;

int sie_view_build(sie_view *v, const sie_file *f, sie_view_kind kind);
void sie_view_free(sie_view *v);
/* The column of a field of a row of v (0 when the value is not written on
 * the row's line). */
long sie_view_col(const sie_view *v, const csvio_row *row, size_t field);
/* The record a row stands for, as written in the file (UTF-8). */
const char *sie_view_source(const sie_view *v, const csvio_row *row);
/* Is column name `name` one whose empty value is left out of a row's
 * fingerprint (Objekt:N), so that a file declaring one dimension more
 * gives the same fingerprints? */
int sie_view_sparse_column(const char *name);

/* ---- Writing (sie_write.c) ------------------------------------------------ */

/* The dimensions samla writes its codes in (docs/sie.md). */
#define SIE_DIM_ACTIVITY 1 /* Verksamhet (reserved 1: cost centre) */
#define SIE_DIM_FUNDER 20  /* Finansiär (20.. are free for use) */
#define SIE_DIM_EARMARK 21 /* Öronmärkning */

typedef struct {
    const char *program_version; /* #PROGRAM "samla" VERSION */
    date_t generated;            /* #GEN (SOURCE_DATE_EPOCH or today) */
    const char *user;            /* #GEN's signature, may be NULL */
} sie_write_opts;

/*
 * SIE 4 of `year` of book b, in code page 437, into a malloc'd buffer.
 * Characters code page 437 lacks are written as their nearest ASCII form
 * (– as -, “ as ") or as ?, each kind once noted in dl. Fails (with a
 * message) when the book's settlement or equity account collides with one
 * of its own accounts, or the year has no entries and no opening balance
 * to tell.
 */
samla_err sie_write_year(const book *b, int year, const sie_write_opts *o,
                   char **out, size_t *len, diag_list *dl);

/* The rules file (import.h) that imports such a file into a book with the
 * same accounts, activities, funders and earmarks, as CSV text. */
samla_err sie_write_rules(const book *b, char **out, size_t *len);

#endif
