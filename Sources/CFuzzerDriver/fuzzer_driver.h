#ifndef AGENTINDEX_FUZZER_DRIVER_H
#define AGENTINDEX_FUZZER_DRIVER_H
// libFuzzer's entry point for programs that keep their own main (header only).
// Weak, so the fuzz executables still link in a normal build (without -sanitize=fuzzer),
// where they say how to build them instead of fuzzing.
#include <stddef.h>
#include <stdint.h>

typedef int (*agentindex_fuzz_callback)(const uint8_t *data, size_t size);

__attribute__((weak)) int LLVMFuzzerRunDriver(int *argc, char ***argv, agentindex_fuzz_callback callback);

/// 1 when libFuzzer is linked in (built with -sanitize=fuzzer).
static inline int agentindex_fuzzer_linked(void) { return LLVMFuzzerRunDriver != 0; }

#endif
