#include "sha256.h"

/* SHA256_Init and friends are marked deprecated in OpenSSL 3 in favour of
 * EVP; they remain part of its API, and they are the way to hash without
 * starting the provider machinery (sha256.h). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(sha256_ctx),
               "sha256_ctx holds OpenSSL's SHA256_CTX");
_Static_assert(_Alignof(SHA256_CTX) <= _Alignof(sha256_ctx),
               "sha256_ctx is aligned for OpenSSL's SHA256_CTX");

void sha256_init(sha256_ctx *c)
{
    SHA256_Init((SHA256_CTX *)c);
}

void sha256_update(sha256_ctx *c, const void *data, size_t len)
{
    SHA256_Update((SHA256_CTX *)c, data, len);
}

void sha256_final(sha256_ctx *c, unsigned char out[32])
{
    SHA256_Final(out, (SHA256_CTX *)c);
}

void sha256(const void *data, size_t len, unsigned char out[32])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, len);
    sha256_final(&c, out);
}
