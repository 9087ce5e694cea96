#!/usr/bin/env bash
# Builds motcua with its tests and benchmarks, and the web front end, and
# runs every test with CTest, twice: the Release build, then a Debug build
# under AddressSanitizer and UndefinedBehaviorSanitizer (memory errors and
# undefined behaviour fail the run). The front end's browser tests (web/tests,
# Chromium driven by playwright-core) run in both, against each build's motcua. Set MOTCUA_SKIP_SANITIZERS=1 for a quick local run of the first pass.
# Between the two, the libFuzzer targets run briefly (scripts/fuzz.sh).
# A PostgreSQL 15 server runs for the tests meanwhile (scripts/test_postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

# The C++ tree keeps to .clang-format (Google base, 100 columns): a file that
# does not fails the run before anything is built, naming the file and line.
echo "== clang-format =="
git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

jobs=$(nproc)
MOTCUA_BUILD_DIR=build scripts/build.sh -DMOTCUA_BUILD_TESTS=ON -DMOTCUA_BUILD_BENCHMARKS=ON
# The front end (web/dist), for the browser tests of both runs.
scripts/build_web.sh

# A real PostgreSQL server for the storage conformance suite, for both runs.
source scripts/test_postgres.sh
trap stop_test_postgres EXIT
start_test_postgres

if [ "${MOTCUA_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== building the tests under ASan and UBSan =="
  MOTCUA_BUILD_DIR=build-asan scripts/build.sh -DCMAKE_BUILD_TYPE=Debug -DMOTCUA_SANITIZE=ON \
    -DMOTCUA_BUILD_TESTS=ON -DMOTCUA_BUILD_BENCHMARKS=OFF
  echo "== tests under ASan and UBSan =="
  (cd build-asan &&
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --output-on-failure -j "$jobs" --timeout 600)
fi

# The fuzzers (fuzz/README.md): every file of the in-tree corpus replayed,
# then 20 s of each target, two at a time (about 3 minutes with the build on
# two cores); a crash, leak, timeout or out-of-memory input fails the run.
# MOTCUA_SKIP_FUZZ=1 leaves them out (MOTCUA_SKIP_SANITIZERS=1 does too).
if [ "${MOTCUA_SKIP_FUZZ:-${MOTCUA_SKIP_SANITIZERS:-0}}" != 1 ]; then
  echo "== fuzzers (libFuzzer under ASan and UBSan, 20 s per target) =="
  scripts/fuzz.sh 20
fi

echo "== tests (Release) =="
(cd build && ctest --output-on-failure -j "$jobs" --timeout 300)

# The soak's short variant (bench/soak.sh; 30 minutes is the documented long
# run): two minutes of mixed load on the Release build, no request may fail,
# the server must live and keep its open files.
echo "== soak, short (bench/soak.sh 2 10) =="
bench/soak.sh 2 10
