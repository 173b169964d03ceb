/*
 * overlap - the guard against booking the same costs twice by two paths.
 *
 * A quarter's costs and income reach the book either by `samla quarter`
 * (the dialog, --from or the web form; Källa "quarter 2026Q1", dated in the
 * quarter, usually its last day) or by `samla import` (a finance system's
 * extract; Källa "import FILE:LINE", the transaction's own date, and a
 * fingerprint of the source row). Both are right on their own; together
 * they count the same invoices twice. A re-import of the same rows is
 * recognised by its fingerprints (import.h) and adds nothing; this module
 * finds the rest before anything is saved:
 *
 *   An entry already in the book overlaps a new one when one of the two
 *   was booked by `quarter` and the other by `import`, or both by imports
 *   (with other fingerprints), and they are of the same kind, on the same
 *   account and the same activity (costs) or funder (income), in the same
 *   period:
 *     - the same calendar quarter between `quarter` and `import` (a
 *       quarter's entries stand for the whole quarter);
 *     - the same day between two imports (an import carries each
 *       transaction's own date: the same rows exported again in another
 *       form, or after a change, have other fingerprints but the same
 *       dates; monthly extracts of one quarter do not overlap).
 *   Two runs of `quarter` for one quarter are not an overlap here: the
 *   quarter's own guard asks before anything is added to a quarter that is
 *   already registered (quarter.h, allow_repeat).
 *   Not counted: corrections (Rättar) and entries a correction reversed
 *   (they net to nothing), entries added by hand (`add`, Källa "add"), and
 *   the entries the caller names as known (an import's rows recognised by
 *   fingerprint: the very same rows, not an overlap).
 *
 * The callers (quarter_save, cmd_quarter, cmd_import, the web form) show
 * the overlapping entries and save only when the user allows it
 * explicitly (--allow-overlap, or the tick box of the web form).
 */
#ifndef SAMLA_OVERLAP_H
#define SAMLA_OVERLAP_H

#include <stddef.h>

#include "book.h"
#include "report.h"

/* One existing entry that new entries overlap. */
typedef struct {
    long entry;  /* index into b->entries */
    size_t news; /* the first new entry (index into the caller's array) it
                    overlaps */
} overlap_hit;

typedef struct {
    overlap_hit *v; /* in journal order */
    size_t n;
} overlap_list;

void overlap_list_init(overlap_list *l);
void overlap_list_free(overlap_list *l);

/*
 * The entries of b that the n new entries news[0..n-1] (not yet in b)
 * overlap, by the rule above, into *out (emptied first). known (nknown
 * indices into b->entries, may be NULL) are never counted. The new
 * entries' Källa says their path ("quarter …" or "import …"); a new entry
 * of any other source overlaps nothing. Returns out->n.
 */
size_t overlap_find(const book *b, const book_entry *const *news, size_t n,
                    const long *known, size_t nknown, overlap_list *out);

/* The same for a plain array of new entries (a quarter's), none known. */
size_t overlap_find_entries(const book *b, const book_entry *news, size_t n,
                            overlap_list *out);

/* The overlapping entries as a report of one table (Ver, Datum, Konto,
 * Verksamhet/finansiär, Belopp, Text, Källa), for the terminal and the
 * web page alike. Free with report_free. */
report *overlap_report(const book *b, const overlap_list *l);

/* The refusal as one error in dl, naming the vouchers: nothing is saved
 * unless the overlap is allowed (`how` says how, e.g. "--allow-overlap"). */
void overlap_refuse(const book *b, const overlap_list *l, const char *how,
                    diag_list *dl);

#endif
