#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, build-fuzz/, clang-19 with ASan and
# UBSan) and runs each for SECONDS (default 600: the long run of
# fuzz/README.md), two at a time (the reference machine has two cores).
# Before fuzzing, every file of the in-tree corpus is replayed once as a
# regression test.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (targets: fuzz/*_fuzzer.cpp; default all)
#
# The in-tree corpus (fuzz/corpus/TARGET) is only read: what a run finds goes
# to build-fuzz/corpus/TARGET, which later runs start from (remove it to start
# over). A crash, leak, timeout or out-of-memory input is written to
# build-fuzz/artifacts/ and fails the script, which names the target and the
# file; reproduce with build-fuzz/fuzz/TARGET_fuzzer FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
build_dir=build-fuzz
if (($#)); then
  targets=("$@")
else
  targets=()
  for f in fuzz/*_fuzzer.cpp; do
    name=$(basename "$f" _fuzzer.cpp)
    targets+=("$name")
  done
fi

# Longest input per target: a little more than the largest real input each
# reads, so that the limits in the code are reached (http_request: past the
# server's 16 KiB header limit; pdf_verify: the 36 KiB signed seed and
# room to grow), without spending the run on megabytes of noise.
max_len() {
  case "$1" in
    http_request) echo 20000 ;;
    pdf_verify) echo 40000 ;;
    json_body | workflow | procedure_json) echo 16384 ;;
    config) echo 4096 ;;
    *) echo 8192 ;;
  esac
}

echo "== building the fuzzers (clang-19, $build_dir) =="
MOTCUA_BUILD_DIR=$build_dir scripts/build.sh \
  -DCMAKE_CXX_COMPILER=clang++-19 -DMOTCUA_FUZZ=ON
mkdir -p "$build_dir/artifacts" "$build_dir/logs"

# Every crash is fatal at once, with a stack; leaks are checked at the end of
# each input (libFuzzer's default under ASan).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
common=(-rss_limit_mb=2048 -timeout=10)

echo "== replaying the in-tree corpus =="
for t in "${targets[@]}"; do
  bin=$build_dir/fuzz/${t}_fuzzer
  if ! "$bin" "${common[@]}" -artifact_prefix="$build_dir/artifacts/$t-" fuzz/corpus/"$t"/* \
      >"$build_dir/logs/$t.replay.log" 2>&1; then
    tail -n 40 "$build_dir/logs/$t.replay.log" >&2
    echo "fuzz: $t fails on its in-tree corpus ($build_dir/logs/$t.replay.log)" >&2
    exit 1
  fi
  echo "$t: $(find fuzz/corpus/"$t" -type f | wc -l) files replayed"
done

echo "== fuzzing, ${seconds} s per target, two at a time =="
run() {
  local t=$1
  local work=$build_dir/corpus/$t
  mkdir -p "$work"
  local rc=0
  # New inputs go to the first folder (the work copy); the in-tree one is read.
  "$build_dir/fuzz/${t}_fuzzer" "${common[@]}" -max_total_time="$seconds" \
    -max_len="$(max_len "$t")" -dict=fuzz/dict/"$t".dict -print_final_stats=1 \
    -artifact_prefix="$build_dir/artifacts/$t-" "$work" fuzz/corpus/"$t" \
    >"$build_dir/logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$build_dir/logs/$t.rc"
}
for t in "${targets[@]}"; do
  rm -f "$build_dir/logs/$t.rc"
  run "$t" &
  while (($(jobs -rp | wc -l) >= 2)); do wait -n || true; done
done
wait

failed=0
for t in "${targets[@]}"; do
  log=$build_dir/logs/$t.log
  rc=$(cat "$build_dir/logs/$t.rc" 2>/dev/null || echo 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  units=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -n 1)
  echo "$t: ${execs:-?} executions, ${units:-?} new inputs in ${seconds} s" \
    "($(find "$build_dir/corpus/$t" -type f | wc -l) in $build_dir/corpus/$t)"
  if [ "$rc" != 0 ]; then
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    grep -m 1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log" >&2 ||
      true
    echo "fuzz: $t FAILED (exit $rc): ${artifact:-no artifact}; log $log" >&2
  fi
done
exit $failed
