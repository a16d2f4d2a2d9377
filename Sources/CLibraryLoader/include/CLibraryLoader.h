#ifndef WSAUTH_CLIBRARYLOADER_H
#define WSAUTH_CLIBRARYLOADER_H

#include <stddef.h>

/// One function to take from a library: its name, and where its pointer goes.
struct wsa_symbol {
    const char *name;
    void **slot;
};

/// Opens `soname` and fills every slot; returns 1. Or returns 0 with the loader's reason
/// in `error` (the first missing function's, if the library opened), the library closed
/// again. Called once per library, under its `pthread_once`.
int wsa_open_library(const char *soname, const struct wsa_symbol *symbols, size_t count, char *error,
                     size_t error_size);

#endif
