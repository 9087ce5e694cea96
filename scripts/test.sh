#!/usr/bin/env bash
# Builds motcua with its tests and benchmarks and runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
MOTCUA_BUILD_DIR=build scripts/build.sh -DMOTCUA_BUILD_TESTS=ON -DMOTCUA_BUILD_BENCHMARKS=ON
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 300
