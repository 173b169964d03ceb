/*
 * manifest - what a closed year covers, and the check that it is unchanged.
 *
 * `samla close YEAR` writes the year's manifest, bokslut-YYYY.csv: one row
 * for everything dated in the year that its annual accounts rest on, each
 * with the SHA-256 of its canonical text -
 *
 *   bokslut       the close's own figures (result, closing surplus, count)
 *   verifikation  every entry of the year
 *   beslut        every earmark decision dated in the year
 *   budget        every budget line of the year (its quarters, forecast
 *                 and text)
 *
 * and bokslut.csv records the SHA-256 of the manifest file's bytes (the
 * close's Kontrollsumma). Every load of the book checks each closed year
 * against its manifest and names each row changed, added or removed by
 * hand. That hash lives in the folder and is not keyed, so it detects
 * accidents; against a deliberate forgery (manifest and bokslut.csv
 * rewritten to match), `close` prints the digest for the minutes and
 * `samla check --digest YEAR=HEX` compares the book with it.
 *
 * A manifest written before decisions and budget were covered (header
 * Ver;Datum;Konto;Belopp;Kontrollsumma: vouchers only) is still accepted and
 * its vouchers are checked as before; a note says what it does not cover
 * and that reopening and closing the year again upgrades it.
 * docs/file-formats.md describes both forms.
 */
#ifndef SAMLA_MANIFEST_H
#define SAMLA_MANIFEST_H

#include "book.h"

struct csvio_out;

/* The manifest's file name, "bokslut-2025.csv", into buf. */
void manifest_name(int year, char *buf, size_t size);

/* Build the manifest of `year` as it would be written now, with the close's
 * figures, into o (which this initialises); *count gets the number of
 * vouchers of the year. */
void manifest_build(const book *b, int year, const dec_t *result,
                    const dec_t *closing, struct csvio_out *o, long *count);

/* Check every closed year of b against its manifest (see above). Returns
 * the number of errors added. */
size_t manifest_check_closed_years(const book *b, diag_list *dl);

/* Compare closed year `year` with a digest kept outside the book (the
 * minutes): an error unless the year is closed and its recorded
 * Kontrollsumma is `hex` (64 hex digits, either case). Call it on a book
 * that loaded, i.e. whose manifests match their recorded checksums.
 * Returns 0 when it matches, else -1. */
int manifest_verify_digest(const book *b, int year, const char *hex,
                           diag_list *dl);

/* SHA-256 of len bytes, as 64 lowercase hex digits and a NUL into hex. */
void manifest_sha256_hex(const void *data, size_t len, char *hex);

/* SHA-256 of one entry's canonical text, into hex (65 bytes). */
void manifest_entry_hash(const book *b, const book_entry *e, char *hex);

#endif
