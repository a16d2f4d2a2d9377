// libedit.so.2, opened when the REPL starts (Sources/CLibraryLoader says how and why).
#include "CEditLine.h"

#include <CLibraryLoader.h>
#include <pthread.h>

struct wsa_editline_functions wsa_editline;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_error[512];
static int loaded;

static void load(void) {
    const struct wsa_symbol symbols[] = {
        {"rl_initialize", (void **)&wsa_editline.rl_initialize},
        {"stifle_history", (void **)&wsa_editline.stifle_history},
        {"rl_parse_and_bind", (void **)&wsa_editline.rl_parse_and_bind},
        {"rl_add_defun", (void **)&wsa_editline.rl_add_defun},
        {"rl_callback_read_char", (void **)&wsa_editline.rl_callback_read_char},
        {"rl_callback_handler_install", (void **)&wsa_editline.rl_callback_handler_install},
        {"rl_callback_handler_remove", (void **)&wsa_editline.rl_callback_handler_remove},
        {"rl_set_prompt", (void **)&wsa_editline.rl_set_prompt},
        {"rl_forced_update_display", (void **)&wsa_editline.rl_forced_update_display},
        {"rl_insert", (void **)&wsa_editline.rl_insert},
        {"add_history", (void **)&wsa_editline.add_history},
        {"read_history", (void **)&wsa_editline.read_history},
        {"write_history", (void **)&wsa_editline.write_history},
        {"rl_end", (void **)&wsa_editline.rl_end},
    };
    size_t count = sizeof symbols / sizeof symbols[0];
    if (!wsa_open_library("libedit.so.2", symbols, count, load_error, sizeof load_error)) {
        return;
    }
    loaded = 1;
}

const char *wsa_editline_load(void) {
    pthread_once(&load_once, load);
    return loaded ? NULL : load_error;
}
