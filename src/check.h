/*
 * check - the rules a book must keep (validation), beyond the shape of each
 * field which book_read.c checks while reading.
 *
 * Per entry (check_entry_row, also used for new entries before they are
 * saved): income has a funder, a cost has none and has an activity; the
 * voucher number is the next of its year; the date is not before the book's
 * start; a correction names an earlier voucher; a new entry may not go into
 * a closed year.
 * Per book (check_book): earmarks never reserve more than the accumulated
 * surplus holds; closed years are unchanged (manifest.h: everything dated
 * in a closed year is in its manifest, and what was changed, added or
 * removed by hand is named). Warnings (not errors): costs that draw an
 * earmark beyond what remains, or draw a closed earmark.
 */
#ifndef SAMLA_CHECK_H
#define SAMLA_CHECK_H

#include "book.h"

/* Check one entry against the book as read so far. `file` is the journal's
 * display name, used with e->line (0 for a new entry: messages then name
 * no place). Returns the number of errors added. */
size_t check_entry_row(const book *b, const book_entry *e, const char *file,
                       diag_list *dl);

/* The voucher-number rule alone: e->ver must be the next of e->year. */
size_t check_voucher_number(const book *b, const book_entry *e,
                            const char *file, long line, diag_list *dl);

/* Cross-file checks of a fully read book: check_book_rules plus the
 * earmark warnings (check_earmark_draws). Returns the errors added. */
size_t check_book(const book *b, diag_list *dl);

/* Only the rules whose breach is an error (earmark cover, closed years).
 * For re-checking a book after an in-memory change, where the warnings were
 * already shown when it was loaded. Returns the errors added. */
size_t check_book_rules(const book *b, diag_list *dl);

/*
 * Warnings about costs tagged with an earmark: drawing more than remains
 * (the remaining amount goes below zero), drawing a closed earmark or
 * drawing before the earmark was decided, and income tagged with a
 * reservation (only a grant takes income). Entries are taken in date order.
 * When first_new < b->entries.n, only entries from index first_new on (the
 * ones just added) are warned about, each one that leaves its earmark
 * overdrawn; otherwise every entry that takes an earmark below zero is.
 * Returns the number of warnings added.
 */
size_t check_earmark_draws(const book *b, size_t first_new, diag_list *dl);

/* Check new entries (not yet in b) before they are saved: not into a
 * closed year, and the audit trail filled in (Registrerad, Användare,
 * Källa). The per-entry rules are check_entry_row. Returns the errors
 * added. */
size_t check_new_entries(const book *b, const book_entry *e, size_t n,
                         diag_list *dl);

#endif
