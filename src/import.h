/*
 * import - ledger extracts from the host organisations' finance systems,
 * mapped to entries by a rules file (docs/import.md).
 *
 * Three steps, each reporting every problem with file:line:column:
 *
 *   1. import_rules_read: the rules file (CSV). Rows of Typ `inställning`
 *      say how to read the extract (header row, which columns hold date,
 *      amount, text and voucher, date format, decimal sign, sign
 *      convention, encoding, separator); rows of Typ `regel` map matching
 *      source rows to an account, activity, funder and earmark; rows of Typ
 *      `hoppa över` skip matching rows (a sum row, an opening balance).
 *      The first rule whose conditions all hold decides a row.
 *   2. import_source_read: the extract, decoded and parsed with csvio under
 *      the rules' settings; the header row is found and every column the
 *      rules name must exist in it.
 *   3. import_plan_build: every data row is mapped. A row that no rule
 *      decides is an error (the whole import stops: nothing is imported
 *      until every row is mapped or explicitly skipped). Each mapped row
 *      gets a fingerprint, SHA-256 of a canonical form of the source row
 *      (its fields by column name, without the file name, plus the row's
 *      occurrence number among identical rows of the file), and a row
 *      whose fingerprint is already in the journal is marked as imported
 *      before. import_plan_commit numbers the new entries and appends them
 *      all with one book_append_entries call.
 *
 * Källa of an imported entry is "import FILE:LINE" (FILE without its
 * folder), Fingeravtryck its fingerprint.
 */
#ifndef SAMLA_IMPORT_H
#define SAMLA_IMPORT_H

#include <stddef.h>

#include "book.h"
#include "csvio.h"
#include "sie.h"

typedef enum { IMPORT_KEEP = 0, IMPORT_FLIP_INCOME, IMPORT_FLIP_ALL } import_sign;
typedef enum {
    IMPORT_ENC_AUTO = 0, IMPORT_ENC_UTF8, IMPORT_ENC_CP1252,
    IMPORT_ENC_CP437 /* SIE's #FORMAT PC8 */
} import_enc;
/* What the extract is: a CSV file, or a SIE file whose transactions are
 * presented as rows with virtual columns (sie.h, docs/sie.md). */
typedef enum { IMPORT_FMT_AUTO = 0, IMPORT_FMT_CSV, IMPORT_FMT_SIE } import_format;
typedef enum {
    IMPORT_DATE_ISO = 0, /* 2025-10-31 */
    IMPORT_DATE_COMPACT, /* 20251031 */
    IMPORT_DATE_MONTH,   /* 2025-10: the month's last day */
    IMPORT_DATE_MONTH_COMPACT /* 202510 */
} import_datefmt;

/* One condition: the source column `col` matches the glob `pattern` (or
 * does not, when negate). */
typedef struct {
    char *col, *pattern;
    int negate;
    long colno;    /* column of the condition in the rules file */
    int field;     /* the column's index in the source (import_source_read) */
} import_cond;

/* Which target a rule sets. */
enum { IR_ACCOUNT, IR_ACTIVITY, IR_FUNDER, IR_EARMARK, IR_TEXT, IR_N };

typedef struct {
    int skip;               /* `hoppa över` */
    import_cond *conds;
    size_t nconds;
    char *target[IR_N];     /* templates; "" = not set */
    long target_col[IR_N];  /* their columns in the rules file */
    int sign;               /* 0 = the setting, 1 = keep, -1 = flip */
    long line;              /* line in the rules file */
    size_t used;            /* rows it decided (import_plan_build) */
} import_rule;

/* Column settings, in the order of import_rules.col[]. */
enum { IC_DATE, IC_AMOUNT, IC_DEBIT, IC_CREDIT, IC_TEXT, IC_VOUCHER, IC_N };

typedef struct {
    char *display;           /* the rules file's name in messages */
    long header_line;        /* `rubrikrad`, 0 = find it */
    char **header_names;     /* `rubrik`: names the header row contains */
    size_t nheader_names;
    char *col[IC_N];         /* source column names, NULL = not used */
    long col_line[IC_N];     /* where each was set (for messages) */
    import_datefmt datefmt;
    date_t fixed_date;       /* `datum`, DATE_NONE = from a column */
    char decimal;            /* ',' or '.', 0 = either (dec_parse) */
    import_sign sign;
    import_enc encoding;
    char sep;                /* 0 = detect */
    char *doc_prefix;        /* `underlag` */
    import_format format;    /* `filformat` (or the caller's) */
    int budget_by_account;   /* `budgetrad`: kod och konto */
    import_rule *rules;
    size_t nrules;
} import_rules;

samla_err import_rules_read(import_rules *r, const char *path, diag_list *dl);
/* The same for an extract known to be of format `fmt` (IMPORT_FMT_AUTO:
 * as the rules say, CSV by default). For SIE the column settings default to
 * the virtual columns (Datum, Belopp, Text, Verifikation) and the sign to
 * `vänd intäkter` (SIE writes debit positive); settings about a CSV file's
 * shape are refused. */
samla_err import_rules_read_as(import_rules *r, const char *path, import_format fmt,
                         diag_list *dl);
void import_rules_free(import_rules *r);

/* The extract, read under the rules' settings. */
typedef struct {
    csvio_table t;     /* for SIE: the view's table (owned by sie) */
    char *base;        /* the file's name without folders, for Källa */
    size_t header;     /* index of the header row in t.rows */
    int col[IC_N];     /* field index of each column setting, -1 = none */
    sie_file *siefile; /* a SIE extract: the file and its rows (else NULL) */
    sie_view *sie;
} import_source;

/* Read the extract and find its header row; resolves the columns of the
 * settings and of every rule's conditions (r is updated with the field
 * indices). Returns SAMLA_OK or an error (all problems in dl). */
samla_err import_source_read(import_source *s, import_rules *r, const char *path,
                       diag_list *dl);
void import_source_free(import_source *s);
/* A SIE file's #PBUDGET and #BUDGET records as the rows, for `samla budget
 * import` (the rules must be for SIE). */
samla_err import_source_read_budget(import_source *s, import_rules *r,
                              const char *path, diag_list *dl);

typedef enum {
    IMPORT_ROW_NEW = 0,  /* becomes an entry */
    IMPORT_ROW_SKIP,     /* a `hoppa över` rule */
    IMPORT_ROW_DONE      /* its fingerprint is already in the journal */
} import_row_status;

typedef struct {
    long line;               /* in the extract */
    size_t src;              /* index of its row in the source's table */
    import_row_status status;
    int rule;                /* index into rules */
    book_entry e;            /* NEW and DONE; ver assigned at commit */
    long done_entry;         /* DONE: the entry index that has it */
} import_row;

typedef struct {
    import_row *rows;
    size_t n;
    size_t nnew, nskip, ndone;
    const char *display; /* the extract's name (borrowed from the source) */
} import_plan;

/*
 * Map every data row of s by the rules against book b. Unmapped rows and
 * rows that cannot become a valid entry are errors naming file:line (and
 * column), with the row's text for an unmapped row; then the plan holds
 * nothing to commit and SAMLA_EDATA is returned. Strings of the planned
 * entries live in b's arena.
 */
samla_err import_plan_build(book *b, import_rules *r, const import_source *s,
                      import_plan *p, diag_list *dl);

/* Number the plan's new entries (next free voucher per year, in the
 * extract's order) and append them with one book_append_entries call,
 * stamped with user and registration time. The caller holds the lock and
 * built the plan on b loaded under it. */
samla_err import_plan_commit(book *b, import_plan *p, const char *user,
                       const char *registered, diag_list *dl);
void import_plan_free(import_plan *p);

/* ---- For the unit tests (STATIC, diag.h) ---- */
#ifdef SAMLA_TESTING
/* The fingerprint of a row: SHA-256 (hex, 65 bytes with NUL) of the
 * canonical form described above. `names` and `values` are the header's
 * and the row's fields (n of each; missing trailing fields are empty),
 * `occurrence` is 1 for the first row of the file with this content, 2 for
 * the second identical one, ... */
void import_fingerprint(const char *const *names, const char *const *values,
                        size_t n, unsigned occurrence, char *hex);
#endif

#endif
