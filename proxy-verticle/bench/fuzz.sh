#!/usr/bin/env bash
# Fuzzes every Jazzer target of the proxy (protocol decoders, command reading, response tracking,
# SQL text) in turn, each for the maxDuration its @FuzzTest names, and prints per target the inputs
# executed and the coverage libFuzzer reached. A crash fails the run; Jazzer keeps the crashing
# input under src/test/resources/.../<Class>Inputs/<target>/, where the normal test run replays it.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LOGS="$ROOT/proxy-verticle/target/fuzz"
mkdir -p "$LOGS"
TARGETS=(
  protocol.ProtocolFuzzTest#frameDecoder
  protocol.ProtocolFuzzTest#commandReading
  protocol.ProtocolFuzzTest#responseTracker
  protocol.ProtocolFuzzTest#handshakeParsers
  protocol.ProtocolFuzzTest#okErrAndStateChangeDecoders
  session.SessionFuzzTest#sqlText
  session.SessionFuzzTest#stateLearner
)
failed=0
printf '%-50s %12s %8s %8s %s\n' target executions cov features result
for target in "${TARGETS[@]}"; do
  log="$LOGS/${target//[#.]/_}.log"
  (cd "$ROOT" && JAZZER_FUZZ=1 mvn -B test -pl proxy-verticle -am -Dtest="dev.tether.proxy.$target" \
    -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1)
  status=$?
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)"
  runs="$(sed -nE 's/^Done ([0-9]+) runs.*/\1/p' "$log" | tail -1)"
  cov="$(sed -nE 's/.* cov: ([0-9]+) .*/\1/p' <<<"$done_line")"
  ft="$(sed -nE 's/.* ft: ([0-9]+) .*/\1/p' <<<"$done_line")"
  result=ok
  if [ "$status" -ne 0 ] || grep -q "== Java Exception" "$log"; then
    result="FINDING (see $log)"
    failed=1
  fi
  printf '%-50s %12s %8s %8s %s\n' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit "$failed"
