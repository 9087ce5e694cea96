#!/usr/bin/env bash
# ThreadSanitizer over the concurrent parts (issue 18): the store's writer
# thread with group commit, its completion thread and read pool (storage), the
# credential cache and rate limiters (services), the HTTP server's threads,
# the statistics' worker and background count, and the dossier API's
# concurrent actions, submissions and two servers on one database (app).
# Not part of scripts/test.sh: a third full build (TSan, RelWithDebInfo: about
# 8 minutes on a 2-core machine with a cold ccache, then 95 tests in 75 s)
# would take CI's margin beside the Release and ASan passes. A data race fails the run with its two
# stacks. PostgreSQL tests run against a server started here, as in test.sh.
#
# usage: scripts/tsan.sh [ctest -R regex]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
MOTCUA_BUILD_DIR=build-tsan scripts/build.sh -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMOTCUA_TSAN=ON \
  -DMOTCUA_BUILD_TESTS=ON -DMOTCUA_BUILD_BENCHMARKS=OFF -DMOTCUA_WEB_TESTS=OFF

source scripts/test_postgres.sh
trap stop_test_postgres EXIT
start_test_postgres

# The concurrent parts, by test name.
default='BatchingStore|StoreConformance|AuthCache|RateLimiter|SlidingWindow|Server|Stats|'
default+='Concurrent|NumbersAreUnique|TwoServers|Statistics|UntilTheFigures|OfTwoOfficers'
cd build-tsan
# halt_on_error: the first race fails the test that ran into it.
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" \
  ctest --output-on-failure -j "$(nproc)" --timeout 900 -R "${1:-$default}"
