#!/usr/bin/env bash
# Builds the libFuzzer targets (ABI decoder, card decoder, ERC-8004 registration files, off-chain
# documents: CAR/dag-pb/UnixFS/CIDs, URLs, JCS, A2A card JSON and signatures; eth_getLogs answers
# read with and without the sieve) with -sanitize=fuzzer in .build-fuzz and
# runs each for SECONDS (default 600) from the corpus in Fuzz/corpus. New inputs go to
# .build-fuzz/corpus (the repository's corpus stays as committed); a crash leaves its input in
# .build-fuzz/crashes and makes this script fail.
#   scripts/fuzz.sh 15      # the smoke run `make test` does
#   scripts/fuzz.sh 3600    # a long run
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
build=.build-fuzz
mkdir -p "$build/crashes"
for product in abi-decoder-fuzz card-decoder-fuzz registration-fuzz document-fuzz logs-answer-fuzz; do
  swift build --build-path "$build" --product "$product" -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld >"$build/build.log" 2>&1 \
    || { cat "$build/build.log"; echo "fuzz build failed" >&2; exit 1; }
done
status=0
for pair in "abi-decoder-fuzz:abi" "card-decoder-fuzz:card" "registration-fuzz:registration" "document-fuzz:document" "logs-answer-fuzz:logs"; do
  target="${pair%%:*}"; corpus="${pair##*:}"
  work="$build/corpus/$corpus"
  mkdir -p "$work"
  log="$build/$target.log"
  if SWIFT_BACKTRACE=enable=no "$build/debug/$target" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$build/crashes/$target-" "$work" "Fuzz/corpus/$corpus" >"$log" 2>&1; then
    outcome="no crash"
  else
    outcome="CRASH (see $log and $build/crashes)"; status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  echo "{\"event\":\"fuzzed\",\"target\":\"$target\",\"seconds\":$seconds,\"executions\":${runs:-0},\"coverage\":\"${cov#cov: }\",\"outcome\":\"$outcome\"}"
done
exit $status
