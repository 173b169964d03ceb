/*
 * dec_priv - the representation of dec_t, shared by dec.c (arithmetic,
 * parsing) and dec_round.c (rounding, ratios, formatting, allocation).
 * Nothing outside the dec module includes this.
 *
 * A value lives in d->small_ while it fits in an int64 and d->big_ is NULL;
 * a value outside the int64 range lives in *d->big_ (and only such a value,
 * so each value has one form and comparisons need no GMP for small ones).
 * The fast paths work in 64 or 128 bits, where a product of two int64 or
 * an int64 and an unsigned long cannot overflow; anything else goes
 * through GMP, and every result is normalised back with dec_put_z.
 */
#ifndef SAMLA_DEC_PRIV_H
#define SAMLA_DEC_PRIV_H

#include "dec.h"

#ifndef __SIZEOF_INT128__
#error "dec needs a compiler with 128-bit integers (gcc, clang)"
#endif

typedef __int128 dec_i128;
typedef unsigned __int128 dec_u128;

/* Store a 64-bit value, freeing any GMP part. */
void dec_set_small(dec_t *d, int64_t v);

/* Store the value of z (which may be modified: it is swapped in, not
 * copied). z must not be d's own GMP part. */
void dec_put_z(dec_t *d, mpz_t z);

/* Store sign * m exactly (m up to 2^128 - 1). */
void dec_put_u128(dec_t *d, int neg, dec_u128 m);

/* The value of a as a GMP integer: a's own when it has one, else tmp
 * (initialised by the caller) set to it. */
mpz_srcptr dec_z(const dec_t *a, mpz_t tmp);

/* z = v, z = sign * m (z initialised). */
void dec_z_set_i64(mpz_t z, int64_t v);
void dec_z_set_u128(mpz_t z, int neg, dec_u128 m);

/* |v| as an unsigned 64-bit number (also for INT64_MIN). */
static inline uint64_t dec_abs64(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

#endif
