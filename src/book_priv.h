/*
 * book_priv - the parts of a book that only the book modules see: the
 * string arena, the code indexes and the voucher index.
 */
#ifndef SAMLA_BOOK_PRIV_H
#define SAMLA_BOOK_PRIV_H

#include "book.h"
#include "schema.h"
#include "strmap.h"
#include "csvio.h"

/* Strings are bump-allocated from 64 KiB blocks and freed all at once. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
} arena_block;

/* A voucher recorded beyond the dense part of its year's index. */
typedef struct {
    int ver;
    long i;
} far_voucher;

/*
 * Voucher index of one year, bounded by the number of vouchers recorded,
 * not by their values: numbers 1..n in the dense array (entry index of
 * voucher v at idx[v - 1], -1 for a gap), and a number that would stretch
 * the dense array far beyond the count (one mistyped 99999999) in `far`,
 * ascending, as is every number after it.
 */
typedef struct {
    int year;
    long *idx;
    size_t n, cap;
    far_voucher *far;
    size_t nfar, capfar;
    size_t count; /* vouchers recorded */
    int last;     /* the highest voucher recorded, 0 for none */
} year_index;

typedef struct {
    arena_block *arena;
    strmap funders, accounts, activities, earmarks;
    year_index *years;
    size_t nyears, capyears;
    int from_snapshot; /* book_load took the journal from book_snap.c */
} book_priv;

book_priv *book_priv_of(const book *b);
/* Record voucher year:ver as entry i (-1: a row that could not be read, so
 * the number is taken but has no entry). Numbers past the end leave gaps
 * (-1); a number already taken is ignored (check.c reports it). */
void book_index_voucher(book *b, int year, int ver, long i);
/* Forget entry i again if it is the last voucher of its year (an entry
 * that was added and then not saved). */
void book_unindex_voucher(book *b, int year, long i);
/* Add a full block of texts to the book's arena (it is freed with b). */
void book_arena_link(book *b, arena_block *blk);

/* ---- The snapshot of the journal (book_snap.c) ----------------------------
 * book_snap_key: the key of the book in folder dir as it is now (SHA-256 of
 * every *.csv file and of samla's build); 0, or -1 when none can be made.
 * book_snap_load: the journal (entries, voucher index) and the diagnostics
 * of reading it and of check_book, from the snapshot with that key; 1 when
 * loaded, 0 when there is none that matches (b unchanged).
 * book_snap_save: write the snapshot of a book that loaded without errors;
 * a failure only means there is none. */
int book_snap_key(const char *dir, unsigned char key[32]);
int book_snap_load(book *b, const unsigned char key[32], diag_list *journal_dl,
                   diag_list *check_dl);
void book_snap_save(const book *b, const unsigned char key[32],
                    const diag_list *journal_dl, const diag_list *check_dl);

/* Grow a BOOK_VEC by one element and return a pointer to it (zeroed). */
void *book_vec_push_raw(void **v, size_t *n, size_t *cap, size_t size);
#define book_vec_push(vec) \
    book_vec_push_raw((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof *(vec).v)

/*
 * One row of a book file into the model, without adding it to the book: the
 * reader's rules, shared by loading (book_read.c) and by the read-back of
 * new rows before they are saved (book_write.c). Strings go into b's arena;
 * amounts are initialised (the caller clears them, also after a failure).
 * Each returns 1, or 0 with errors added. Rules across rows (voucher
 * sequence, duplicates, earmark history) are the loader's and check.c's.
 */
/* prev: the entry read before (its Användare and Källa are shared). */
int book_decode_entry(book *b, const schema_sheet *s, const csvio_row *r,
                      const book_entry *prev, book_entry *e, diag_list *dl);
/* def: the earmark as this row would define it; d->earmark is -1. */
int book_decode_decision(book *b, const schema_sheet *s, const csvio_row *r,
                         book_earmark *def, book_decision *d, diag_list *dl);
int book_decode_budget(book *b, const schema_sheet *s, const csvio_row *r,
                       book_budget_line *l, diag_list *dl);
/* A row of invanare.csv: a known municipality, a population above zero.
 * (One row per year and municipality is the loader's rule.) */
int book_decode_population(book *b, const schema_sheet *s, const csvio_row *r,
                           book_population *p, diag_list *dl);
int book_decode_close(book *b, const schema_sheet *s, const csvio_row *r,
                      book_close *c, diag_list *dl);
int book_decode_reported(book *b, const schema_sheet *s, const csvio_row *r,
                         book_reported *rp, diag_list *dl);
/* May rp follow prev (NULL = the first row)? A date earlier than prev's
 * needs a reason (Motivering). */
int book_reported_back_ok(const book_reported *prev, const book_reported *rp);
int book_decode_comment(book *b, const schema_sheet *s, const csvio_row *r,
                        book_comment *c, diag_list *dl);

/* ---- Writing: book_write.c's four steps, shared by book_append.c and
 * book_rewrite.c ------------------------------------------------------- */

/* How book_write_rows writes: the new rows after the file's current
 * contents, or the whole file (its header and the new rows). */
enum { BOOK_WRITE_APPEND, BOOK_WRITE_REPLACE };

/* Decode row k of the read-back (the reader's own code) and compare it with
 * what was meant; add errors to dl. */
typedef int (*book_decode_fn)(book *b, const schema_sheet *s,
                              const csvio_row *r, size_t k, const void *meant,
                              diag_list *dl);

/* Values of new rows, formatted as the files store them (in the book's
 * arena: a write adds a few rows); book_value_str maps NULL to "". */
const char *book_value_amount(book *b, const dec_t *a);
const char *book_value_date(book *b, date_t d);
const char *book_value_int(book *b, long n);
const char *book_value_str(const char *s);

/* Step 1: every value of nrows rows (f->ncols values each) with the
 * reader's rules; a refused value is named by its origin (NULL, one for
 * all rows when one_origin, or one per row). */
void book_check_values(const schema_file *f, const char *const *rows,
                       size_t nrows, const book_origin *origins,
                       int one_origin, diag_list *dl);

/*
 * Steps 1-4: write nrows new rows (values per column of f, row after row)
 * to f's file, appended (BOOK_WRITE_APPEND) or as the whole file
 * (BOOK_WRITE_REPLACE), each read back with `decode` against `meant`.
 * Returns SAMLA_OK, SAMLA_EDATA (a value refused; nothing written) or
 * SAMLA_EIO.
 */
samla_err book_write_rows(book *b, const schema_file *f, int mode,
                          const char *const *rows, size_t nrows,
                          const book_origin *origins, int one_origin,
                          book_decode_fn decode, const void *meant,
                          diag_list *dl);

#endif
