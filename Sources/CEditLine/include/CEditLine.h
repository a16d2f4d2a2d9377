// libedit's readline-compatible interface, used in callback mode so that the REPL's
// line editor is driven by the same poll(2) loop as the socket. Only the REPL on a
// terminal needs it, so libedit.so.2 is opened with dlopen by wsa_editline_load and
// not at start-up (docs/ARCHITECTURE.md, "Lean start-up"). Each function the REPL
// calls keeps its readline name here, as an inline call through the loaded pointer;
// editline/readline.h is therefore not included, and its prototypes are copied.
#ifndef WSAUTH_CEDITLINE_H
#define WSAUTH_CEDITLINE_H

typedef void wsa_rl_line_handler(char *line);
typedef int wsa_rl_command(int count, int key);

struct wsa_editline_functions {
    int (*rl_initialize)(void);
    void (*stifle_history)(int max);
    int (*rl_parse_and_bind)(const char *line);
    int (*rl_add_defun)(const char *name, wsa_rl_command *command, int key);
    void (*rl_callback_read_char)(void);
    void (*rl_callback_handler_install)(const char *prompt, wsa_rl_line_handler *handler);
    void (*rl_callback_handler_remove)(void);
    int (*rl_set_prompt)(const char *prompt);
    void (*rl_forced_update_display)(void);
    int (*rl_insert)(int count, int key);
    int (*add_history)(const char *line);
    int (*read_history)(const char *path);
    int (*write_history)(const char *path);
    int *rl_end;
};

// Filled by wsa_editline_load; the REPL is single-threaded.
extern struct wsa_editline_functions wsa_editline;

// Opens libedit.so.2 once; NULL when it is ready, else why not (the loader's words).
const char *wsa_editline_load(void);

// The calls below require a successful wsa_editline_load.
static inline int rl_initialize(void) { return wsa_editline.rl_initialize(); }
static inline void stifle_history(int max) { wsa_editline.stifle_history(max); }
static inline int rl_parse_and_bind(const char *line) { return wsa_editline.rl_parse_and_bind(line); }
static inline int rl_add_defun(const char *name, wsa_rl_command *command, int key) {
    return wsa_editline.rl_add_defun(name, command, key);
}
static inline void rl_callback_read_char(void) { wsa_editline.rl_callback_read_char(); }
static inline void rl_callback_handler_install(const char *prompt, wsa_rl_line_handler *handler) {
    wsa_editline.rl_callback_handler_install(prompt, handler);
}
static inline void rl_callback_handler_remove(void) { wsa_editline.rl_callback_handler_remove(); }
static inline int rl_set_prompt(const char *prompt) { return wsa_editline.rl_set_prompt(prompt); }
static inline void rl_forced_update_display(void) { wsa_editline.rl_forced_update_display(); }
static inline int rl_insert(int count, int key) { return wsa_editline.rl_insert(count, key); }
static inline int add_history(const char *line) { return wsa_editline.add_history(line); }
static inline int read_history(const char *path) { return wsa_editline.read_history(path); }
static inline int write_history(const char *path) { return wsa_editline.write_history(path); }

// Swift 6 refuses to touch C globals directly (shared mutable state); the
// REPL is single-threaded, so a function that reads one is safe.
static inline int wsa_rl_line_length(void) { return *wsa_editline.rl_end; }

#endif
