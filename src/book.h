/*
 * book - the domain model of one organisation's ledger, and reading it.
 *
 * A book is a folder of CSV files (docs/file-formats.md). book_load reads
 * every file, resolves codes to indices, and runs every check (check.h), so
 * a loaded book without errors is consistent: each entry's account, activity,
 * funder and earmark exist, income has a funder, costs have none, voucher
 * numbers run 1, 2, 3 ... per year, closed years are unchanged.
 *
 * Everything a book owns (strings included) is freed by book_free. Strings
 * live in an arena (one allocation per 64 KiB, not per field), because a
 * large book has millions of them.
 */
#ifndef SAMLA_BOOK_H
#define SAMLA_BOOK_H

#include <stddef.h>

#include "date.h"
#include "dec.h"
#include "diag.h"
#include "schema.h"

/* The file names (BOOK_JOURNAL, ...) and columns are declared in schema.h. */

typedef enum { KIND_INCOME = 0, KIND_COST = 1 } book_kind;

typedef struct {
    const char *code, *name, *type; /* type: stat, region, kommun, övrig */
    unsigned long population;        /* 0 = not given */
    long line;
} book_funder;

/* One row of invanare.csv: a municipality's population in a year, the
 * weight of per-capita allocations (alloc.h). */
typedef struct {
    int year;
    int funder;               /* index into book.funders; a kommun */
    unsigned long population; /* > 0 */
    const char *source;       /* Källa, "" when not given */
    long line;                /* line in invanare.csv; 0 = finansiarer.csv */
} book_population;

typedef struct {
    const char *number, *name;
    book_kind kind;
    long line;
} book_account;

typedef struct {
    const char *code, *name;
    int specification; /* the annual accounts get a sheet for it */
    long line;
} book_activity;

/* One journal row (verifikation). Indices are into the book's arrays; -1 =
 * none. The amount is positive in the account's own direction. */
typedef struct {
    int year, ver;
    date_t date;
    int account, activity, funder, earmark;
    dec_t amount;
    const char *text, *doc;
    int corr_year, corr_ver; /* the voucher this one reverses; 0 = none */
    const char *registered, *user, *source, *fingerprint;
    long line; /* line in verifikationer.csv, 0 for a new entry */
} book_entry;

typedef enum { EARMARK_RESERVATION = 0, EARMARK_GRANT = 1 } book_earmark_kind;
typedef enum { EM_RESERVE = 0, EM_RELEASE, EM_CLOSE } book_earmark_event;

/* One row of oronmarkningar.csv. */
typedef struct {
    int earmark; /* index into book.earmarks */
    book_earmark_event event;
    dec_t amount; /* zero for EM_CLOSE */
    const char *body, *paragraph, *registered, *user;
    date_t date;
    long line;
} book_decision;

/* An earmark, as its first `reservera` row defines it. Its amounts are
 * computed from decisions and entries (report.h). */
typedef struct {
    const char *code, *purpose;
    book_earmark_kind kind;
    date_t valid_from, valid_to; /* DATE_NONE when not given */
    const char *body, *paragraph;
    date_t decided;
    long line;
} book_earmark;

typedef struct {
    int year;
    book_kind kind;
    const char *code; /* funder (income) or activity (cost) */
    int funder, activity, account; /* account -1 = any of the kind */
    dec_t q[4];
    int has_forecast;
    dec_t forecast;
    const char *text;
    /* The earmark that finances the line (budget.csv Öronmärkning): its
     * code, or NULL/"" for none. Entries entered for the line through
     * `samla quarter` (dialog, --from, web form) draw on it unless they
     * name another earmark or "-" (quarter.h). A code rather than an index,
     * so a line made with memset(0) has none. */
    const char *earmark;
    long line;
} book_budget_line;

typedef struct {
    int year;
    int closed; /* 1 = stängt, 0 = återöppnat */
    dec_t result, closing;
    long count;
    const char *hash; /* 64 hex digits */
    const char *registered, *user, *reason;
    long line;
} book_close;

/* One row of rapporterat.csv: the book's outcome is complete through
 * `date`. The last row is in force (book.reported). */
typedef struct {
    date_t date;
    const char *source;     /* hand, quarter 2026Q2, import FILE */
    const char *registered, *user, *reason;
    long line;
} book_reported;
/* One row of kommentarer.csv: a comment on a budget line of the follow-up
 * (docs/file-formats.md). The last row of a key is in force; an empty text
 * clears the comment. */
typedef struct {
    int year;
    const char *period;  /* "" = the year, else "2026Q3", "2026T2", "2026-03" */
    date_t from, to;     /* the period's days (the year's when period is "") */
    book_kind kind;
    const char *code;    /* funder (income) or activity (cost) */
    int funder, activity, account; /* account -1 = the line without one */
    const char *text;    /* "" = cleared */
    const char *registered, *user;
    long line;
} book_comment;

/* A growable array; see book_vec_push in book.c. */
#define BOOK_VEC(T) struct { T *v; size_t n, cap; }

typedef struct {
    char *dir;
    const char *name, *short_name, *currency;
    date_t start;
    dec_t opening;
    /* SIE export's balance-sheet accounts (docs/sie.md): "" = 1930, 2010 */
    const char *settlement_account, *equity_account;

    BOOK_VEC(book_funder) funders;
    BOOK_VEC(book_account) accounts;
    BOOK_VEC(book_activity) activities;
    BOOK_VEC(book_entry) entries;
    BOOK_VEC(book_earmark) earmarks;
    BOOK_VEC(book_decision) decisions;
    BOOK_VEC(book_budget_line) budget;
    BOOK_VEC(book_close) closes;
    BOOK_VEC(book_reported) reported_log;
    /* Reported through (rapporterat t.o.m.): the date of the last row of
     * rapporterat.csv, DATE_NONE when the book records none. */
    date_t reported;
    BOOK_VEC(book_population) populations; /* invanare.csv, file order */
    BOOK_VEC(book_comment) comments; /* every row, in file order */

    void *priv; /* arena, code indexes, raw file contents */
} book;

/* An empty book (for init and tests). */
void book_init(book *b);
void book_free(book *b);

/*
 * Read the book in folder `dir` and check it. Every problem is added to dl
 * (as file:line:column with the file's name as "DIR/FILE"). Returns SAMLA_OK,
 * SAMLA_EDATA (the book has errors; it is still safe to book_free, and
 * readable parts may be used for diagnostics only) or SAMLA_EIO.
 */
samla_err book_load(book *b, const char *dir, diag_list *dl);

/* Look up by code; -1 when unknown. Constant time (hash index). */
int book_funder_find(const book *b, const char *code);
int book_account_find(const book *b, const char *number);
int book_activity_find(const book *b, const char *code);
int book_earmark_find(const book *b, const char *code);
/* The date of the (first) close decision of earmark em, or DATE_NONE. */
date_t book_earmark_closed_on(const book *b, int em);
/* The index of entry YEAR:VER, or -1. */
long book_entry_find(const book *b, int year, int ver);

/* Which code list an unknown code was looked up in. */
typedef enum {
    BOOK_CODE_FUNDER,
    BOOK_CODE_ACCOUNT,
    BOOK_CODE_ACTIVITY,
    BOOK_CODE_EARMARK
} book_code_kind;

/* "; menade du PROC?" when valid codes of the kind are near `got`
 * (suggest.h), else "": for appending to a message about an unknown code.
 * Returns buf. */
char *book_code_hint(const book *b, book_code_kind kind, const char *got,
                     char *buf, size_t size);

/* Is funder f a municipality (Typ kommun in finansiarer.csv)? Only a
 * municipality has a population and may stand on a cost (the share of a
 * cost that is that municipality's, docs/file-formats.md). */
int book_funder_is_municipality(const book *b, int f);

/*
 * The municipalities that share per-capita allocations in `year`, with
 * their populations, in the order of finansiarer.csv (the order that
 * breaks ties, alloc.h): the rows of invanare.csv for that year when it
 * has any; for a book without invanare.csv (no rows at all), as a
 * fallback, every municipality with an Invånare in finansiarer.csv
 * (*fallback set to 1). A book with invanare.csv gives none for a year it
 * lacks: a stale figure is never used silently. *out is malloc'd (free it; NULL
 * when none). Returns how many.
 */
size_t book_year_populations(const book *b, int year, book_population **out,
                             int *fallback);

/* The row of b->populations for (year, funder), added (population 0,
 * source "") when there is none; for a writer that then calls
 * book_write_populations. */
book_population *book_population_row(book *b, int year, int funder,
                                     int *created);

/* Parse a voucher reference "2025:17". Returns 0, or -1 when malformed. */
int book_parse_voucher(const char *s, int *year, int *ver);

/* Copy a string into the book's arena; the copy lives as long as b. */
const char *book_strdup(book *b, const char *s);

/* The next free voucher number of a year (1 for a year without entries). */
int book_next_ver(const book *b, int year);

/* The account kind of an entry. */
book_kind book_entry_kind(const book *b, const book_entry *e);

/* Index of the year-close record in force for `year` (the last row for it,
 * if that row closes it), or -1 when the year is open. */
int book_year_closed(const book *b, int year);

/*
 * The comment in force on a follow-up line of `year` (kind, code, account -1
 * for a line without one) in a follow-up per date `at`: of the comments in
 * force (the last row of each key, not cleared) whose period holds `at`,
 * the one with the shortest period (a quarter's before the year's); among
 * equal ones the later row. NULL when there is none.
 */
const book_comment *book_comment_at(const book *b, int year, book_kind kind,
                                    const char *code, int account, date_t at);
/* The period of a comment on `year`: "" (the year itself), or a quarter
 * (2026Q3), tertial (2026T2) or month (2026-03) of that year; *p gets its
 * days and canonical label. Returns 0, or -1 with a Swedish message. */
int book_comment_period(int year, const char *s, period_t *p, char *err,
                        size_t errsize);
/* Is row i of b->comments the last row of its key (the one in force)? */
int book_comment_current(const book *b, size_t i);

/* Insert a zeroed budget line at index `at` (0..b->budget.n) of b->budget
 * and return it; the lines from `at` on move one up. The caller fills it
 * (dec_init its amounts). */
book_budget_line *book_budget_insert(book *b, size_t at);

/* Full path of a file in the book folder (malloc'd). */
char *book_path(const book *b, const char *file);

/* ---- Writing (book_write.c) ----------------------------------------------
 * The caller holds the book's lock (store.h) and loaded b under it, so the
 * files on disk are the ones b was read from. Each call checks every value
 * it adds with the reader's own rules (schema.h), writes the new rows in
 * the column order of the file's own header, reads them back with the
 * reader's code, and only then replaces one file atomically; on any error
 * nothing is written and b is unchanged. Every string given is copied into
 * the book (the caller keeps ownership of its own). */

/*
 * Where the values of new rows came from, so that a refused value is named
 * the way the user gave it: the place (a file and line, or NULL) and, per
 * column of the file written (schema.h, e.g. SCHEMA_JE_TEXT), a label such
 * as "--text" or "fältet Underlag". A NULL labels array, or a NULL label,
 * names the column by its header name.
 */
typedef struct {
    const char *file;
    long line;
    const char *const *labels;
} book_origin;

/* Append entries to the journal (and to b). Voucher numbers must already be
 * assigned (book_next_ver). origins: NULL or one per entry. The entries'
 * strings and amounts are copied. */
samla_err book_append_entries(book *b, const book_entry *e, size_t n,
                        const book_origin *origins, diag_list *dl);

/* Append earmark decisions to oronmarkningar.csv (and to b). A decision for
 * a new earmark code carries the earmark's definition in `def`. Both are
 * copied, strings included. origin may be NULL. */
samla_err book_append_decision(book *b, const book_earmark *def,
                         const book_decision *d, const book_origin *origin,
                         diag_list *dl);

/* Rewrite budget.csv from b->budget (in the file's own column order).
 * origin (may be NULL) names the values' source for every line. */
samla_err book_write_budget(book *b, const book_origin *origin, diag_list *dl);

/* Rewrite invanare.csv from b->populations (in the file's own column
 * order), checked with the reader's rules (a known municipality, a
 * population above zero, one row per year and municipality) and read
 * back before it is committed. origin may be NULL. */
samla_err book_write_populations(book *b, const book_origin *origin,
                           diag_list *dl);

/* Append a year-close row to bokslut.csv (and to b). For a close
 * (c->closed), first writes the year's voucher manifest bokslut-YYYY.csv
 * (check.h) and records its SHA-256 and the voucher count (c->hash and
 * c->count are then ignored); a reopening row keeps c->hash (the close it
 * reopens). Refuses to close a closed year or reopen an open one. */
samla_err book_append_close(book *b, const book_close *c, const book_origin *origin,
                      diag_list *dl);

/*
 * Record that the outcome is complete through r->date: one row appended to
 * rapporterat.csv (created when missing) and to b, b->reported moved. A
 * date earlier than b->reported is refused unless `backwards` is set and
 * r->reason is given; a date before the book's start is refused. Strings
 * are copied. Returns SAMLA_OK, SAMLA_EDATA (refused; nothing written) or
 * SAMLA_EIO.
 */
samla_err book_append_reported(book *b, const book_reported *r, int backwards,
                         const book_origin *origin, diag_list *dl);

/*
 * Move the reported-through date forward to `to` after a save that
 * completes the outcome through it (a registered quarter, an import): only
 * when `to` is later than b->reported and not after today (date_today).
 * Returns 1 when a row was written (a note in dl says so), 0 when the
 * date stays (a note in dl
 * says why when `to` is in the future), -1 when the write failed: the
 * save before it stands, so its causes are added to dl as warnings, never
 * errors.
 */
int book_reported_advance(book *b, date_t to, const char *source,
                          const char *user, const char *registered,
                          diag_list *dl);
/* Append a comment row to kommentarer.csv (and to b); the file is created
 * when the book has none. c's strings are copied. origin may be NULL. */
samla_err book_append_comment(book *b, const book_comment *c,
                        const book_origin *origin, diag_list *dl);

/* Create a new, empty book folder with all its files (for `samla init`).
 * origin (may be NULL) labels the organisation.csv columns. */
samla_err book_create(const char *dir, const char *name, const char *short_name,
                date_t start, const dec_t *opening, const book_origin *origin,
                diag_list *dl);

#endif
