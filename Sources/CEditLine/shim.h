// libedit's readline-compatible interface, used in callback mode so that the
// REPL's line editor is driven by the same poll(2) loop as the socket.
#ifndef WSAUTH_CEDITLINE_SHIM_H
#define WSAUTH_CEDITLINE_SHIM_H

// readline.h uses FILE without including stdio.h.
#include <stdio.h>
#include <editline/readline.h>

// Swift 6 refuses to touch C globals directly (shared mutable state); the
// REPL is single-threaded, so a function that reads one is safe.
static inline int wsa_rl_line_length(void) { return rl_end; }

#endif
