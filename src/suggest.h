/*
 * suggest - "menade du …?": the valid codes nearest to a mistyped one.
 *
 * An unknown code in any path (an option, a CSV column, a form field, a
 * rules file) is named with the codes it most likely meant, so the user
 * need not look them up: `okänd verksamhet "PRC"; menade du PROC?`.
 *
 * Nearness is the optimal-string-alignment distance (insertions,
 * deletions, substitutions and swaps of two neighbours each cost one),
 * counted in characters and case-insensitively for ASCII letters. A code
 * is suggested when its distance is at most 2 and at most a third of the
 * longer of the two (at least 1), so "X" suggests nothing from "PROC".
 * Prefixes count too: "OM-SMM" suggests OM-SMM-2026.
 */
#ifndef SAMLA_SUGGEST_H
#define SAMLA_SUGGEST_H

#include <stddef.h>

#ifdef SAMLA_TESTING
/* For the unit tests (STATIC, diag.h): the number of characters differing
 * between a and b, as described above. */
size_t suggest_distance(const char *a, const char *b);
#endif

/*
 * Write "; menade du PROC?" (or "; menade du OM-SMM-2026 eller
 * OM-FACT-2026?") into buf when some of the n candidates are near `got`,
 * the nearest first (ties in candidate order), at most three; else write
 * "". Returns buf.
 */
char *suggest_phrase(const char *got, const char *const *candidates,
                     size_t n, char *buf, size_t size);

#endif
