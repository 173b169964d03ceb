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
 * surplus holds; closed years are unchanged: each closed year has a
 * manifest, bokslut-YYYY.csv, with the SHA-256 of every voucher of the year,
 * and bokslut.csv holds the SHA-256 of that manifest; a voucher changed,
 * added or removed by hand is named. Warnings (not errors): costs that draw
 * an earmark beyond what remains, or draw a closed earmark.
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

/* SHA-256 of the entries of `year`, as 64 lowercase hex digits into hex
 * (65 bytes), and their count. The hash covers each entry's canonical text
 * (see check.c), so any change to an entry of the year, or an entry added or
 * removed, changes it. */
void check_year_hash(const book *b, int year, char *hex, long *count);

/* Check new entries (not yet in b) before they are saved: not into a
 * closed year, and the audit trail filled in (Registrerad, Användare,
 * Källa). The per-entry rules are check_entry_row. Returns the errors
 * added. */
size_t check_new_entries(const book *b, const book_entry *e, size_t n,
                         diag_list *dl);

/* ---- Year-close manifests -------------------------------------------------
 * The manifest of a closed year, bokslut-YYYY.csv, lists each voucher of the
 * year (Ver;Datum;Konto;Belopp;Kontrollsumma), Kontrollsumma being the
 * SHA-256 of the voucher's canonical text (check_entry_hash). bokslut.csv's
 * Kontrollsumma for the close is the SHA-256 of the manifest file's bytes.
 * See docs/file-formats.md. */

/* The manifest's file name, "bokslut-2025.csv", into buf. */
void check_manifest_name(int year, char *buf, size_t size);

/* Build the manifest of `year` (as it would be written now) into o, which
 * this initialises; *count gets the number of vouchers. */
struct csvio_out;
void check_manifest_build(const book *b, int year, struct csvio_out *o,
                          long *count);

/* SHA-256 of len bytes, as 64 lowercase hex digits and a NUL into hex. */
void check_sha256_hex(const void *data, size_t len, char *hex);

/* SHA-256 of one entry's canonical text, into hex (65 bytes). */
void check_entry_hash(const book *b, const book_entry *e, char *hex);

#endif
