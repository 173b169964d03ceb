/*
 * diag - diagnostics: errors and warnings that name a place in a file.
 *
 * Every layer of samla reports problems as values, never by printing or
 * exiting. A diag names the file, the 1-based line and column (0 when not
 * known) and carries a Swedish message for the user. Loading a book collects
 * *all* problems into one diag_list, so the user sees every fault at once.
 */
#ifndef SAMLA_DIAG_H
#define SAMLA_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* The error enum returned by calls that can fail (libxlsxwriter style). */
typedef enum {
    SAMLA_OK = 0,
    SAMLA_EDATA,   /* bad input data; details are in the diag_list */
    SAMLA_EUSAGE,  /* bad command-line usage */
    SAMLA_EIO,     /* a file could not be read or written */
    SAMLA_ELOCK,   /* the book is locked by another writer */
    SAMLA_ECLOSED, /* the change touches a closed (locked) year */
    SAMLA_ENOMEM
} samla_err;

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct {
    diag_level level;
    char *file; /* as shown to the user, may be NULL */
    long line;  /* 1-based, 0 = whole file */
    long col;   /* 1-based character column, 0 = whole line */
    char *msg;  /* Swedish, no trailing newline */
} diag;

typedef struct {
    diag *v;
    size_t n, cap;
    size_t nerrors;
} diag_list;

void diag_init(diag_list *dl);
void diag_free(diag_list *dl);

/* Append a diagnostic; the message is printf-formatted. */
void diag_add(diag_list *dl, diag_level level, const char *file, long line,
              long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void diag_vadd(diag_list *dl, diag_level level, const char *file, long line,
               long col, const char *fmt, va_list ap);

/* Shorthand for diag_add(dl, DIAG_ERROR, ...). */
void diag_error(diag_list *dl, const char *file, long line, long col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag_warn(diag_list *dl, const char *file, long line, long col,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Number of DIAG_ERROR entries. */
size_t diag_errors(const diag_list *dl);

/*
 * Print every diagnostic as "file:line:col: fel: message" (or "varning:",
 * "not:"), one per line, in the order they were added. Parts that are not
 * known are left out ("file: fel: ...").
 */
void diag_print(const diag_list *dl, FILE *out);

/* Move all diagnostics of src to the end of dst; src is left empty. */
void diag_take(diag_list *dst, diag_list *src);

#endif
