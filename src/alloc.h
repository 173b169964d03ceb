/*
 * alloc - splitting an amount between parties exactly to the öre: the
 * municipalities' contributions per inhabitant (kr per invånare) and a cost
 * shared between them by population.
 *
 * Pure computation on exact amounts (dec.h); it knows nothing of a book.
 * The rules, the same wherever samla allocates (docs/reports.md,
 * "Allocation"):
 *
 *   - a split by weights (alloc_split) uses the largest remainder method:
 *     each part is first the exact share whole × w_i / Σw rounded toward
 *     zero to the öre; the öre left over (fewer than there are parts) go
 *     one each to the parts with the largest remainders. The parts add up
 *     to the whole exactly, and each lies within one öre of its exact
 *     share. Ties (equal remainders) go to the lower index first, so the
 *     caller decides the order; samla passes municipalities in the order of
 *     finansiarer.csv. A negative whole is split as its absolute value and
 *     negated, so a reversal splits into the exact opposites.
 *   - a contribution per inhabitant (alloc_per_capita) is rate ×
 *     population: exact, since the rate has whole öre and the population is
 *     a whole number; no rounding at all.
 *   - a year's amount over the four quarters (alloc_quarters) is a split by
 *     equal weights: equal quarters, the öre left over on the first
 *     quarters (the rule of `samla budget set --year`).
 */
#ifndef SAMLA_ALLOC_H
#define SAMLA_ALLOC_H

#include <stddef.h>

#include "dec.h"

/*
 * Split `whole` over n weights into parts[0..n-1] (initialised dec_t) by
 * the largest remainder method (above). `whole` may be one of the parts.
 * Returns 0, or -1 (parts unchanged) when n is 0 or the weights sum to 0.
 */
int alloc_split(dec_t *parts, const dec_t *whole, const unsigned long *weights,
                size_t n);

/* out = rate × population, exact. */
void alloc_per_capita(dec_t *out, const dec_t *rate, unsigned long population);

/* q[0..3] = `year` in four equal parts that add up to it exactly; the öre
 * left over go to the first quarters. */
void alloc_quarters(dec_t q[4], const dec_t *year);

/*
 * The exact share whole × weight / total as a fraction of öre: *num / *den
 * (den = total > 0), for showing and testing how far a rounded part lies
 * from it. num and den must be initialised GMP integers.
 */
void alloc_exact_share(mpz_t num, mpz_t den, const dec_t *whole,
                       unsigned long weight, unsigned long total);

#endif
