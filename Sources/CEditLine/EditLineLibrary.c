// libedit.so.2 opened with dlopen when the REPL starts, and each function taken from it
// once with dlsym: a libedit that lacks one fails here, with the loader's message. The
// flags are libcurl's (Sources/CCurl/CurlLibrary.c says why).
#include "CEditLine.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

struct wsa_editline_functions wsa_editline;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded;

static void *resolve(void *library, const char *name) {
    void *symbol = dlsym(library, name);
    if (symbol == NULL && load_error[0] == '\0') {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why != NULL ? why : name);
    }
    return symbol;
}

static void load(void) {
    void *library = dlopen("libedit.so.2", RTLD_LAZY | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why != NULL ? why : "libedit.so.2: cannot be opened");
        return;
    }
    wsa_editline.rl_initialize = resolve(library, "rl_initialize");
    wsa_editline.stifle_history = resolve(library, "stifle_history");
    wsa_editline.rl_parse_and_bind = resolve(library, "rl_parse_and_bind");
    wsa_editline.rl_add_defun = resolve(library, "rl_add_defun");
    wsa_editline.rl_callback_read_char = resolve(library, "rl_callback_read_char");
    wsa_editline.rl_callback_handler_install = resolve(library, "rl_callback_handler_install");
    wsa_editline.rl_callback_handler_remove = resolve(library, "rl_callback_handler_remove");
    wsa_editline.rl_set_prompt = resolve(library, "rl_set_prompt");
    wsa_editline.rl_forced_update_display = resolve(library, "rl_forced_update_display");
    wsa_editline.rl_insert = resolve(library, "rl_insert");
    wsa_editline.add_history = resolve(library, "add_history");
    wsa_editline.read_history = resolve(library, "read_history");
    wsa_editline.write_history = resolve(library, "write_history");
    wsa_editline.rl_end = resolve(library, "rl_end");
    if (load_error[0] != '\0') {
        dlclose(library);
        return;
    }
    loaded = 1;
}

const char *wsa_editline_load(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_error;
}
