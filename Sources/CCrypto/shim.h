// OpenSSL's libcrypto, which Debian's libcurl already loads: the client's only
// cryptography is the SHA-1 of the opening handshake (RFC 6455 §4.2.2), so it takes
// that from the system instead of linking a second crypto library.
#ifndef WSAUTH_CCRYPTO_SHIM_H
#define WSAUTH_CCRYPTO_SHIM_H

#include <openssl/sha.h>

#endif
