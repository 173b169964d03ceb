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
 * surplus holds; closed years are unchanged (their SHA-256 still matches).
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

/* Cross-file checks of a fully read book. Returns the errors added. */
size_t check_book(const book *b, diag_list *dl);

/* SHA-256 of the entries of `year`, as 64 lowercase hex digits into hex
 * (65 bytes), and their count. The hash covers each entry's canonical text
 * (see check.c), so any change to an entry of the year, or an entry added or
 * removed, changes it. */
void check_year_hash(const book *b, int year, char *hex, long *count);

/* Check new entries (not yet in b) before they are saved: every per-entry
 * rule plus closed years. Returns the errors added. */
size_t check_new_entries(const book *b, const book_entry *e, size_t n,
                         diag_list *dl);

#endif
