// libcrypto.so.3 opened with dlopen on first use, and each function taken from it once
// with dlsym: a libcrypto that lacks one fails here, with the loader's message. The
// flags are libcurl's (Sources/CCurl/CurlLibrary.c says why).
#include "CCrypto.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static struct {
    unsigned char *(*sha1)(const unsigned char *d, size_t n, unsigned char *md);
    unsigned char *(*sha256)(const unsigned char *d, size_t n, unsigned char *md);
} crypto;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded;

static void *resolve(void *library, const char *name) {
    void *function = dlsym(library, name);
    if (function == NULL && load_error[0] == '\0') {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why != NULL ? why : name);
    }
    return function;
}

static void load(void) {
    void *library = dlopen("libcrypto.so.3", RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why != NULL ? why : "libcrypto.so.3: cannot be opened");
        return;
    }
    crypto.sha1 = resolve(library, "SHA1");
    crypto.sha256 = resolve(library, "SHA256");
    if (load_error[0] != '\0') {
        dlclose(library);
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
