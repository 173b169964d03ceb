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

/* ---- Conventions every module follows ------------------------------------
 *
 * Errors: a public function that can fail returns samla_err (libxlsxwriter's
 * way): SAMLA_OK, or the kind of failure, with the details for the user -
 * file, line, column, Swedish message - added to the diag_list it was given.
 * Out of memory is not among them: mem.h has the one policy for it.
 *
 * Preconditions: what a caller can break (a NULL where an object is needed,
 * an index out of range, a zero divisor) is checked at function entry with
 * SAMLA_REQUIRE, which holds in every build (unlike assert, it does not
 * vanish under NDEBUG). A broken precondition is a bug in samla, not bad
 * input: the process prints where and aborts. Bad input is never checked
 * this way - it is reported through the diag_list.
 *
 * Tests: a function that only the unit tests need to reach is defined
 * STATIC (static, unless the file is built for the tests with
 * -DSAMLA_TESTING) and declared in its header's "For the unit tests"
 * section, instead of being made public. */

/* The error enum returned by calls that can fail (libxlsxwriter style). */
typedef enum {
    SAMLA_OK = 0,
    SAMLA_EDATA,   /* bad input data; details are in the diag_list */
    SAMLA_EUSAGE,  /* bad command-line usage */
    SAMLA_EIO,     /* a file could not be read or written */
    SAMLA_ELOCK,   /* the book is locked by another writer */
    SAMLA_ECLOSED, /* the change touches a closed (locked) year */
    SAMLA_ENOMEM   /* kept for library results; samla's own code exits (mem.h) */
} samla_err;

/* What an error code means, in Swedish ("fel i data", ...). Never NULL. */
const char *samla_strerror(samla_err err);

/* The system's error errnum (errno) in Swedish, for the errors a file or
 * network operation meets ("disken är full", "åtkomst nekad", ...); one
 * samla never meets falls back to the C library's strerror. Never NULL;
 * the text is static. Use it instead of strerror in every user message. */
const char *diag_errno_text(int errnum);

#ifdef SAMLA_TESTING
#define STATIC
#else
#define STATIC static
#endif

/* Abort with "samla: internt fel: ..." naming the condition and the place
 * when cond is false; in every build. */
#define SAMLA_REQUIRE(cond)                                                    \
    ((cond) ? (void)0 : diag_broken(#cond, __FILE__, __LINE__, __func__))
_Noreturn void diag_broken(const char *cond, const char *file, int line,
                           const char *func);

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
