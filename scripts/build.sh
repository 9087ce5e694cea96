#!/usr/bin/env bash
# Configures and builds motcua in Release into build/ (or $MOTCUA_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${MOTCUA_BUILD_DIR:-build}
jobs=${MOTCUA_JOBS:-$(nproc)}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths inside the project are hashed relative to it, so a fresh clone in
# another folder (CI) still hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
