// The libraries wsauth opens on first use (libcurl, libcrypto, libedit: docs/choices.md)
// are opened here, and each function we call is taken once with dlsym: a library that
// lacks one fails at that moment, with the loader's message, and not at the first call.
// RTLD_LAZY: each library binds as its own flags say, as when it was linked (Debian's
// libcurl binds at once anyway); RTLD_NOW would bind all ~40 of libcurl's libraries
// eagerly, 3.9 M more instructions for every command that connects (docs/ARCHITECTURE.md,
// "Lean start-up"). RTLD_LOCAL: their symbols stay out of the global scope, where
// nothing else of ours looks for them.
#include "CLibraryLoader.h"

#include <dlfcn.h>
#include <stdio.h>

int wsa_open_library(const char *soname, const struct wsa_symbol *symbols, size_t count, char *error,
                     size_t error_size) {
    void *library = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(error, error_size, "%s", why != NULL ? why : soname);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        void *function = dlsym(library, symbols[i].name);
        if (function == NULL) {
            const char *why = dlerror();
            snprintf(error, error_size, "%s", why != NULL ? why : symbols[i].name);
            dlclose(library);
            return 0;
        }
        *symbols[i].slot = function;
    }
    return 1;
}
