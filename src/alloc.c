/* alloc - see alloc.h and docs/reports.md ("Allocation"). */
#include "alloc.h"

#include "diag.h"

int alloc_split(dec_t *parts, const dec_t *whole, const unsigned long *weights,
                size_t n)
{
    if (n == 0)
        return -1;
    /* dec_allocate is the one largest-remainder split of the amount
     * module: floors toward zero, the öre left over by largest remainder,
     * ties to the lower index. */
    return dec_allocate(parts, whole, weights, n);
}

void alloc_per_capita(dec_t *out, const dec_t *rate, unsigned long population)
{
    /* × population / 1: the ratio is whole, so nothing is rounded. */
    dec_mul_ratio_ul(out, rate, population, 1);
}

void alloc_quarters(dec_t q[4], const dec_t *year)
{
    static const unsigned long equal[4] = {1, 1, 1, 1};
    alloc_split(q, year, equal, 4);
}

void alloc_exact_share(mpz_t num, mpz_t den, const dec_t *whole,
                       unsigned long weight, unsigned long total)
{
    SAMLA_REQUIRE(total > 0);
    dec_get_mpz(num, whole);
    mpz_mul_ui(num, num, weight);
    mpz_set_ui(den, total);
}
