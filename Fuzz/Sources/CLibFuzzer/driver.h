// libFuzzer's entry for programs that have a main of their own. SwiftPM gives every
// executable target a main (it renames the module's entry point and aliases main to
// it), which wins over the one libFuzzer links in, so each target's main.swift hands
// control to libFuzzer here. Nothing to link: -sanitize=fuzzer brings libFuzzer.
#ifndef WSAUTH_FUZZ_DRIVER_H
#define WSAUTH_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
