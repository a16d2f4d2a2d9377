// OpenSSL's libcrypto, which Debian's libcurl loads for every connection: the client's
// only cryptography is the SHA-1 of the opening handshake (RFC 6455 §4.2.2) and the
// SHA-256 of PKCE (RFC 7636 §4.2), so it takes them from the system instead of linking
// a second crypto library. Commands that connect nowhere need neither, so libcrypto.so.3
// is opened with dlopen on first use and not at start-up (docs/ARCHITECTURE.md, "Lean
// start-up"). SHA1 and SHA256 keep OpenSSL's names and signatures, as inline calls
// through the loaded pointers; openssl/sha.h is therefore not included.
#ifndef WSAUTH_CCRYPTO_H
#define WSAUTH_CCRYPTO_H

#include <stddef.h>

#define SHA_DIGEST_LENGTH 20
#define SHA256_DIGEST_LENGTH 32

// Opens libcrypto.so.3 once per process (thread-safe); NULL when it is ready, else why
// not (the loader's words). Callers that can report a failure call it first (the first
// libcurl handle, the authorization-code login); the digests below call it themselves.
const char *wsa_crypto_load(void);

// NULL, and `md` untouched, when libcrypto cannot be loaded.
unsigned char *wsa_sha1(const unsigned char *d, size_t n, unsigned char *md);
unsigned char *wsa_sha256(const unsigned char *d, size_t n, unsigned char *md);

static inline unsigned char *SHA1(const unsigned char *d, size_t n, unsigned char *md) { return wsa_sha1(d, n, md); }
static inline unsigned char *SHA256(const unsigned char *d, size_t n, unsigned char *md) {
    return wsa_sha256(d, n, md);
}

#endif
