/*
 * sha256 - SHA-256, for the snapshot key, the year-close manifests and the
 * import fingerprints.
 *
 * OpenSSL's SHA-256 underneath (its block function uses the CPU's SHA
 * extensions where there are some), called through the plain SHA256_*
 * functions rather than EVP: EVP's first use loads OpenSSL's providers and
 * configuration, about 7.5 M instructions, more than hashing a small book
 * costs. samla links these few functions of libcrypto statically, so a
 * command does not load libcrypto at start (docs/performance.md).
 */
#ifndef SAMLA_SHA256_H
#define SAMLA_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* A running hash. Room for OpenSSL's SHA256_CTX (sha256.c asserts it). */
typedef struct {
    uint64_t opaque[16];
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* The digest, 32 bytes, into out; c may be initialised again after. */
void sha256_final(sha256_ctx *c, unsigned char out[32]);

/* The digest of one buffer. */
void sha256(const void *data, size_t len, unsigned char out[32]);

#endif
