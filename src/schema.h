/*
 * schema - every CSV file samla reads or writes, declared once.
 *
 * A file's declaration lists its columns in samla's own order: the name in
 * the header row, whether the column is required, the kind of value and the
 * longest value in characters. The reader (book_read.c), the writer
 * (book_write.c) and the readers of input files (quarter --from, budget
 * import, the import rules, the closed-year manifests) all use it:
 *
 *   - schema_map is the one mapping of a header row onto a declaration:
 *     columns are found by name (case and surrounding spaces ignored) in any
 *     order; unknown, duplicate and missing required columns are errors that
 *     name file:line:column.
 *   - schema_sheet_* and the value readers (schema_text, schema_code, ...)
 *     read a field with the rules of its kind and report a bad one at its
 *     file:line:column; schema_check_value applies the same rules to a value
 *     a writer is about to store, without a place.
 *   - schema_layout_* give a file's own column order for writing.
 *
 * Adding a column or a file is one change here: add an X(...) line to the
 * file's list below (or a new list, a SCHEMA_DECLARE line and a
 * schema_file in schema.c) - the enum of column indices, the column table,
 * the mapping and the value rules follow. The code that gives the column
 * its meaning (reading it into the model, writing it) is then written in
 * the reader and the writer. See docs/design.md, "The schema".
 */
#ifndef SAMLA_SCHEMA_H
#define SAMLA_SCHEMA_H

#include <stddef.h>

#include "csvio.h"
#include "date.h"
#include "dec.h"
#include "diag.h"

/* File names inside a book folder. */
#define BOOK_ORGANISATION "organisation.csv"
#define BOOK_FUNDERS "finansiarer.csv"
#define BOOK_ACCOUNTS "konton.csv"
#define BOOK_ACTIVITIES "verksamheter.csv"
#define BOOK_JOURNAL "verifikationer.csv"
#define BOOK_BUDGET "budget.csv"
#define BOOK_EARMARKS "oronmarkningar.csv"
#define BOOK_CLOSES "bokslut.csv"
#define BOOK_REPORTED "rapporterat.csv"
#define BOOK_POPULATIONS "invanare.csv"
#define BOOK_COMMENTS "kommentarer.csv"

typedef enum {
    SCHEMA_TEXT,    /* free text on one line (text_check); stored
                       formula-safe */
    SCHEMA_NOTE,    /* free text that may hold line breaks; likewise */
    SCHEMA_CODE,    /* a new code: the code alphabet (schema_code_check) */
    SCHEMA_REF,     /* a code or number defined in another file */
    SCHEMA_AMOUNT,  /* an exact amount (dec_parse) */
    SCHEMA_SUM,     /* a sum samla computed: any length (dec_parse_sum) */
    SCHEMA_DATE,    /* ÅÅÅÅ-MM-DD */
    SCHEMA_INT,     /* a whole number, digits only */
    SCHEMA_WORD,    /* one of a few fixed words (intäkt/kostnad, ja/nej) */
    SCHEMA_VOUCHER, /* ÅR:NUMMER */
    SCHEMA_HASH,    /* hexadecimal digest */
    SCHEMA_TIME     /* a registration time, ÅÅÅÅ-MM-DDThh:mm:ssZ */
} schema_kind;

/* X(ID, "Header name", required, KIND, longest value in characters) */
#define SCHEMA_ORGANISATION(X)                                               \
    X(ORG_NAME, "Namn", 1, TEXT, 200)                                        \
    X(ORG_SHORT, "Kortnamn", 0, TEXT, 50)                                    \
    X(ORG_CURRENCY, "Valuta", 1, WORD, 3)                                    \
    X(ORG_START, "Startdatum", 1, DATE, 10)                                  \
    X(ORG_OPENING, "Ingående ackumulerat överskott", 1, AMOUNT, 40)          \
    X(ORG_SETTLEMENT, "Avräkningskonto", 0, INT, 10)                         \
    X(ORG_EQUITY, "Kapitalkonto", 0, INT, 10)

#define SCHEMA_FUNDERS(X)                                                    \
    X(FU_CODE, "Kod", 1, CODE, 40)                                           \
    X(FU_NAME, "Namn", 1, TEXT, 200)                                         \
    X(FU_TYPE, "Typ", 0, WORD, 20)                                           \
    X(FU_POPULATION, "Invånare", 0, INT, 9)

/* invanare.csv (optional): the municipalities' populations per year, the
 * weights of per-capita allocations (alloc.h). SCB's figure at 1 November
 * the year before; one row per year and municipality. */
#define SCHEMA_POPULATIONS(X)                                                \
    X(PO_YEAR, "År", 1, INT, 4)                                              \
    X(PO_FUNDER, "Finansiär", 1, REF, 40)                                    \
    X(PO_COUNT, "Invånare", 1, INT, 9)                                       \
    X(PO_SOURCE, "Källa", 0, TEXT, 200)

#define SCHEMA_ACCOUNTS(X)                                                   \
    X(AC_NUMBER, "Konto", 1, INT, 8)                                         \
    X(AC_NAME, "Namn", 1, TEXT, 200)                                         \
    X(AC_TYPE, "Typ", 1, WORD, 20)

#define SCHEMA_ACTIVITIES(X)                                                 \
    X(AV_CODE, "Kod", 1, CODE, 40)                                           \
    X(AV_NAME, "Namn", 1, TEXT, 200)                                         \
    X(AV_SPECIFICATION, "Specifikation", 0, WORD, 3)

#define SCHEMA_JOURNAL(X)                                                    \
    X(JE_VER, "Ver", 1, INT, 8)                                              \
    X(JE_DATE, "Datum", 1, DATE, 10)                                         \
    X(JE_ACCOUNT, "Konto", 1, REF, 40)                                       \
    X(JE_ACTIVITY, "Verksamhet", 1, REF, 40)                                 \
    X(JE_FUNDER, "Finansiär", 1, REF, 40)                                    \
    X(JE_EARMARK, "Öronmärkning", 1, REF, 40)                                \
    X(JE_AMOUNT, "Belopp", 1, AMOUNT, 40)                                    \
    X(JE_TEXT, "Text", 1, NOTE, 500)                                         \
    X(JE_DOC, "Underlag", 0, TEXT, 200)                                      \
    X(JE_CORRECTS, "Rättar", 0, VOUCHER, 14)                                 \
    X(JE_REGISTERED, "Registrerad", 0, TIME, 40)                             \
    X(JE_USER, "Användare", 0, TEXT, 100)                                    \
    X(JE_SOURCE, "Källa", 0, TEXT, 300)                                      \
    X(JE_FINGERPRINT, "Fingeravtryck", 0, HASH, 64)

#define SCHEMA_BUDGET(X)                                                     \
    X(BU_YEAR, "År", 1, INT, 4)                                              \
    X(BU_TYPE, "Typ", 1, WORD, 20)                                           \
    X(BU_CODE, "Kod", 1, REF, 40)                                            \
    X(BU_ACCOUNT, "Konto", 0, REF, 40)                                       \
    X(BU_Q1, "Q1", 1, AMOUNT, 40)                                            \
    X(BU_Q2, "Q2", 1, AMOUNT, 40)                                            \
    X(BU_Q3, "Q3", 1, AMOUNT, 40)                                            \
    X(BU_Q4, "Q4", 1, AMOUNT, 40)                                            \
    X(BU_FORECAST, "Prognos", 0, AMOUNT, 40)                                 \
    X(BU_TEXT, "Text", 0, NOTE, 1000)                                        \
    X(BU_EARMARK, "Öronmärkning", 0, REF, 40)

#define SCHEMA_EARMARKS(X)                                                   \
    X(EM_CODE, "Kod", 1, CODE, 40)                                           \
    X(EM_EVENT, "Händelse", 1, WORD, 20)                                     \
    X(EM_TYPE, "Typ", 1, WORD, 20)                                           \
    X(EM_PURPOSE, "Ändamål", 1, NOTE, 1000)                                  \
    X(EM_AMOUNT, "Belopp", 1, AMOUNT, 40)                                    \
    X(EM_BODY, "Beslutsorgan", 1, TEXT, 200)                                 \
    X(EM_DATE, "Beslutsdatum", 1, DATE, 10)                                  \
    X(EM_PARAGRAPH, "Paragraf", 1, TEXT, 100)                                \
    X(EM_FROM, "Giltig från", 0, DATE, 10)                                   \
    X(EM_TO, "Giltig till", 0, DATE, 10)                                     \
    X(EM_REGISTERED, "Registrerad", 0, TIME, 40)                             \
    X(EM_USER, "Användare", 0, TEXT, 100)

#define SCHEMA_CLOSES(X)                                                     \
    X(CL_YEAR, "År", 1, INT, 4)                                              \
    X(CL_EVENT, "Händelse", 1, WORD, 20)                                     \
    X(CL_RESULT, "Resultat", 1, SUM, 40)                                  \
    X(CL_CLOSING, "Utgående ackumulerat överskott", 1, SUM, 40)           \
    X(CL_COUNT, "Antal verifikationer", 1, INT, 10)                          \
    X(CL_HASH, "Kontrollsumma", 1, HASH, 64)                                 \
    X(CL_REGISTERED, "Registrerad", 0, TIME, 40)                             \
    X(CL_USER, "Användare", 0, TEXT, 100)                                    \
    X(CL_REASON, "Motivering", 0, NOTE, 1000)

/* rapporterat.csv (optional): through which date the book's outcome is
 * complete. Append-only; the last row is in force. Källa says what set it
 * ("hand", "quarter 2026Q2", "import FILE"); Motivering is required for a
 * row that moves the date backwards. */
#define SCHEMA_REPORTED(X)                                                   \
    X(RP_DATE, "Datum", 1, DATE, 10)                                         \
    X(RP_SOURCE, "Källa", 1, TEXT, 300)                                      \
    X(RP_REGISTERED, "Registrerad", 0, TIME, 40)                             \
    X(RP_USER, "Användare", 0, TEXT, 100)                                    \
    X(RP_REASON, "Motivering", 0, NOTE, 1000)

/* kommentarer.csv (optional): a comment per budget line of the follow-up,
 * for the year (Period empty) or for a quarter, tertial or month of it.
 * Append-only: the last row of a key (År, Period, Typ, Kod, Konto) is in
 * force, an empty Kommentar clears it, and earlier rows stay as the audit
 * trail. */
#define SCHEMA_COMMENTS(X)                                                   \
    X(CM_YEAR, "År", 1, INT, 4)                                              \
    X(CM_PERIOD, "Period", 0, WORD, 10)                                      \
    X(CM_TYPE, "Typ", 1, WORD, 20)                                           \
    X(CM_CODE, "Kod", 1, REF, 40)                                            \
    X(CM_ACCOUNT, "Konto", 0, REF, 40)                                       \
    X(CM_TEXT, "Kommentar", 0, NOTE, 1000)                                   \
    X(CM_REGISTERED, "Registrerad", 0, TIME, 40)                             \
    X(CM_USER, "Användare", 0, TEXT, 100)

/* bokslut-ÅÅÅÅ.csv: what a closed year holds (manifest.c): one row per
 * voucher, earmark decision and budget line of the year, and a summary. */
#define SCHEMA_MANIFEST(X)                                                   \
    X(MF_TYPE, "Typ", 1, WORD, 20)                                           \
    X(MF_KEY, "Nyckel", 1, TEXT, 200)                                        \
    X(MF_DATE, "Datum", 1, DATE, 10)                                         \
    X(MF_ACCOUNT, "Konto", 1, REF, 40)                                       \
    X(MF_AMOUNT, "Belopp", 1, SUM, 40)                                       \
    X(MF_HASH, "Kontrollsumma", 1, HASH, 64)

/* The first form of bokslut-ÅÅÅÅ.csv: the vouchers only. */
#define SCHEMA_MANIFEST_LEGACY(X)                                            \
    X(MFL_VER, "Ver", 1, INT, 8)                                             \
    X(MFL_DATE, "Datum", 1, DATE, 10)                                        \
    X(MFL_ACCOUNT, "Konto", 1, REF, 40)                                      \
    X(MFL_AMOUNT, "Belopp", 1, SUM, 40)                                      \
    X(MFL_HASH, "Kontrollsumma", 1, HASH, 64)

/* The file of `samla quarter --from`: one amount per row. Verksamhet or
 * Finansiär must be there (cmd_quarter.c checks that). */
#define SCHEMA_QUARTER_INPUT(X)                                              \
    X(QI_ACTIVITY, "Verksamhet", 0, REF, 40)                                 \
    X(QI_FUNDER, "Finansiär", 0, REF, 40)                                    \
    X(QI_ACCOUNT, "Konto", 0, REF, 40)                                       \
    X(QI_AMOUNT, "Belopp", 1, AMOUNT, 40)                                    \
    X(QI_TEXT, "Text", 0, NOTE, 500)                                         \
    X(QI_DOC, "Underlag", 0, TEXT, 200)                                      \
    X(QI_EARMARK, "Öronmärkning", 0, REF, 40)

/* The rules file of `samla import` (docs/import.md). */
#define SCHEMA_IMPORT_RULES(X)                                               \
    X(RC_TYPE, "Typ", 1, WORD, 20)                                           \
    X(RC_SETTING, "Inställning", 0, TEXT, 100)                               \
    X(RC_VALUE, "Värde", 0, TEXT, 1000)                                      \
    X(RC_COND, "Villkor", 0, TEXT, 1000)                                     \
    X(RC_ACCOUNT, "Konto", 0, TEXT, 200)                                     \
    X(RC_ACTIVITY, "Verksamhet", 0, TEXT, 200)                               \
    X(RC_FUNDER, "Finansiär", 0, TEXT, 200)                                  \
    X(RC_EARMARK, "Öronmärkning", 0, TEXT, 200)                              \
    X(RC_SIGN, "Tecken", 0, WORD, 20)                                        \
    X(RC_TEXT, "Text", 0, TEXT, 500)                                         \
    X(RC_COMMENT, "Kommentar", 0, NOTE, 1000)

/* One enum of column indices per file: SCHEMA_JE_TEXT, ..., SCHEMA_JE_N. */
#define SCHEMA_ID(id, name, req, kind, max) SCHEMA_##id,
#define SCHEMA_DECLARE(list, n) enum { list(SCHEMA_ID) n };
SCHEMA_DECLARE(SCHEMA_ORGANISATION, SCHEMA_ORG_N)
SCHEMA_DECLARE(SCHEMA_FUNDERS, SCHEMA_FU_N)
SCHEMA_DECLARE(SCHEMA_POPULATIONS, SCHEMA_PO_N)
SCHEMA_DECLARE(SCHEMA_ACCOUNTS, SCHEMA_AC_N)
SCHEMA_DECLARE(SCHEMA_ACTIVITIES, SCHEMA_AV_N)
SCHEMA_DECLARE(SCHEMA_JOURNAL, SCHEMA_JE_N)
SCHEMA_DECLARE(SCHEMA_BUDGET, SCHEMA_BU_N)
SCHEMA_DECLARE(SCHEMA_EARMARKS, SCHEMA_EM_N)
SCHEMA_DECLARE(SCHEMA_CLOSES, SCHEMA_CL_N)
SCHEMA_DECLARE(SCHEMA_REPORTED, SCHEMA_RP_N)
SCHEMA_DECLARE(SCHEMA_COMMENTS, SCHEMA_CM_N)
SCHEMA_DECLARE(SCHEMA_MANIFEST, SCHEMA_MF_N)
SCHEMA_DECLARE(SCHEMA_MANIFEST_LEGACY, SCHEMA_MFL_N)
SCHEMA_DECLARE(SCHEMA_QUARTER_INPUT, SCHEMA_QI_N)
SCHEMA_DECLARE(SCHEMA_IMPORT_RULES, SCHEMA_RC_N)

/* The most columns a declared file has. */
#define SCHEMA_MAX_COLS 24

typedef struct {
    const char *name;      /* as in the header row */
    unsigned char required;
    unsigned char kind;    /* schema_kind */
    unsigned short max;    /* longest value in characters */
} schema_col;

typedef struct {
    const char *file;      /* its name in the book folder, or what it is */
    const schema_col *cols;
    int ncols;
    int book_file;         /* 1: a book file; its texts are stored in the
                              formula-safe form (text.h) */
} schema_file;

extern const schema_file schema_organisation, schema_funders, schema_accounts,
    schema_activities, schema_journal, schema_budget, schema_earmarks,
    schema_closes, schema_reported, schema_manifest, schema_manifest_legacy,
    schema_quarter_input, schema_import_rules, schema_populations,
    schema_comments;

/* ---- Mapping a header row ------------------------------------------------ */

/*
 * Map header row h of table t onto f: idx[c] = the field index of column c,
 * -1 when the file lacks it. Every unknown column, duplicate column and
 * missing required column is an error naming t's file, h's line and the
 * column's character position. Returns 0, or -1 when there were errors.
 */
int schema_map(const schema_file *f, const csvio_table *t, const csvio_row *h,
               int *idx, diag_list *dl);

/* ---- Value rules ----------------------------------------------------------- */

/*
 * The code alphabet: A-Z a-z 0-9 and the Swedish letters Å Ä Ö É Ü å ä ö é
 * ü (precomposed), then also '-', '_' and '.'; the first character is a
 * letter or a digit. Nothing from other scripts (no Cyrillic "А" that looks
 * like a Latin "A", no combining marks), no spaces. Returns 0, or -1 with
 * the 1-based character of the first bad one in *at (0 = empty).
 */
int schema_code_check(const char *s, size_t *at);

/* The code rule in words, for messages. */
#define SCHEMA_CODE_RULE                                                     \
    "en kod består av A–Z, a–z, 0–9, Å Ä Ö É Ü, - _ och . och börjar med "  \
    "en bokstav eller siffra"

/*
 * Check value v of column col of f with the rules the reader applies to
 * that column's kind: every kind is UTF-8 without control characters and at
 * most the column's length; a CODE keeps the code alphabet; an AMOUNT, SUM,
 * DATE or INT must parse. An empty value passes (required columns are
 * the reader's and writer's own business). Returns 0, or -1 with a Swedish
 * phrase (no place, no column name) in msg.
 */
int schema_check_value(const schema_file *f, int col, const char *v,
                       char *msg, size_t size);

/* ---- Reading a file: the sheet ------------------------------------------ */

/* One file being read: its table, the declaration and the mapping. */
typedef struct {
    const schema_file *f;
    csvio_table t;
    const char *disp;          /* the file's name in messages */
    int idx[SCHEMA_MAX_COLS];  /* column -> field index, -1 = absent */
    size_t nfields;            /* fields of the header row */
} schema_sheet;

/*
 * Read file f->file of folder dir and map its header. Returns 0 when rows
 * can be read (t.rows[1...]), -1 when the file is missing (for optional
 * files, without a message), empty or its header unusable (errors added).
 * Free with schema_sheet_free either way.
 */
int schema_sheet_open(schema_sheet *s, const schema_file *f, const char *dir,
                      int optional, diag_list *dl);
/* Map header row h of s->t (for a table read row by row). */
int schema_sheet_header(schema_sheet *s, const schema_file *f,
                        const csvio_row *h, diag_list *dl);
void schema_sheet_free(schema_sheet *s);

/* Does data row r have as many fields as the header? (Error if not.) */
int schema_row_shape(const schema_sheet *s, const csvio_row *r, diag_list *dl);

/* Column col of row r as it stands in the file ("" when absent). */
const char *schema_raw(const schema_sheet *s, const csvio_row *r, int col);
/* The line and character column of column col of row r, for messages. */
long schema_line(const schema_sheet *s, const csvio_row *r, int col);
long schema_colno(const schema_sheet *s, const csvio_row *r, int col);

/* Error "WHAT saknas" at column col of r unless it has a value. Returns 1
 * when there is a value. */
int schema_need(const schema_sheet *s, const csvio_row *r, int col,
                const char *what, diag_list *dl);

/* The value readers: each returns 1 and the value, or 0 after adding an
 * error at the field's place. */

/* A text: the value rules of its column; from a book file, read back from
 * the formula-safe form. *out points into the table ("" when empty). */
int schema_text(const schema_sheet *s, const csvio_row *r, int col,
                const char **out, diag_list *dl);
/* A code (the code alphabet); "WHAT saknas" when empty. */
int schema_code(const schema_sheet *s, const csvio_row *r, int col,
                const char *what, diag_list *dl);
int schema_amount(const schema_sheet *s, const csvio_row *r, int col,
                  dec_t *out, diag_list *dl);
/* A sum samla computed (a close's result): any length a book produces. */
int schema_sum(const schema_sheet *s, const csvio_row *r, int col,
               dec_t *out, diag_list *dl);
/* optional: an empty field is DATE_NONE. */
int schema_date(const schema_sheet *s, const csvio_row *r, int col,
                int optional, date_t *out, diag_list *dl);
/* Digits only, min..max; "WHAT saknas" when empty. */
int schema_int(const schema_sheet *s, const csvio_row *r, int col,
               const char *what, long min, long max, long *out,
               diag_list *dl);

/* ---- Writing a file: its own column order -------------------------------- */

/*
 * The columns of a file as its header has them: order[i] is the column of
 * the i-th field. A file written by samla has f's order; a file a person
 * rearranged keeps theirs, and new rows follow it.
 */
typedef struct {
    int order[SCHEMA_MAX_COLS];
    int n;
} schema_layout;

/* f's own order, every column. */
void schema_layout_default(schema_layout *l, const schema_file *f);
/* The order of a mapped header (idx from schema_map, nfields fields). */
void schema_layout_from_map(schema_layout *l, const int *idx, size_t nfields,
                            const schema_file *f);
/* Does the layout have column col? */
int schema_layout_has(const schema_layout *l, int col);
/* Add column col at the end. */
void schema_layout_add(schema_layout *l, int col);

/* Write the header row of layout l. */
void schema_out_header(csvio_out *o, const schema_file *f,
                       const schema_layout *l);
/* Write one row: vals[c] is column c's value (NULL = empty), in l's order;
 * texts of a book file in the formula-safe form. */
void schema_out_row(csvio_out *o, const schema_file *f, const schema_layout *l,
                    const char *const *vals);

#endif
