// libcrypto.so.3, opened on first use (Sources/CLibraryLoader says how and why).
#include "CCrypto.h"

#include <CLibraryLoader.h>
#include <pthread.h>

static struct {
    unsigned char *(*sha1)(const unsigned char *d, size_t n, unsigned char *md);
    unsigned char *(*sha256)(const unsigned char *d, size_t n, unsigned char *md);
} crypto;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded;

static void load(void) {
    const struct wsa_symbol symbols[] = {
        {"SHA1", (void **)&crypto.sha1},
        {"SHA256", (void **)&crypto.sha256},
    };
    size_t count = sizeof symbols / sizeof symbols[0];
    if (!wsa_open_library("libcrypto.so.3", symbols, count, load_error, sizeof load_error)) {
        return;
    }
    loaded = 1;
}

const char *wsa_crypto_load(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_error;
}

unsigned char *wsa_sha1(const unsigned char *d, size_t n, unsigned char *md) {
    return wsa_crypto_load() == NULL ? crypto.sha1(d, n, md) : NULL;
}

unsigned char *wsa_sha256(const unsigned char *d, size_t n, unsigned char *md) {
    return wsa_crypto_load() == NULL ? crypto.sha256(d, n, md) : NULL;
}
