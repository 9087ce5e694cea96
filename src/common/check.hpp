// MOTCUA_CHECK: invariants of our own code. Never use it on user input: that
// is what Result is for. A failed check is a bug; it logs and aborts.
#pragma once

#include <cstdio>
#include <cstdlib>

#define MOTCUA_CHECK(cond)                                                            \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "CHECK failed: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                   \
    }                                                                                 \
  } while (0)
