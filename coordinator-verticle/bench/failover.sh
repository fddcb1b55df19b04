#!/usr/bin/env bash
# Unplanned failover under load, and what the commit marker costs. Two parts, in one run:
#  1. marker cost: sysbench oltp_read_write through two stand-alone nodes that differ only in
#     proxy.transactions.commitMarker, alternating, same threads and time; qps and the ratio;
#  2. failover: sysbench oltp_read_write (128 threads) through HAProxy and the fleet's two nodes,
#     kill -9 of the primary's mariadbd; connections kept, client errors, the longest pause, and the
#     nodes' replays (done, failed by reason), commits resolved by the marker and statements failed.
# Usage: failover.sh [--threads N] [--tables N] [--table-size N] [--cost-time S] [--cost-threads N]
#   run by ./tether bench failover [--marker on|off], which starts the fleet with the marker as asked.
set -euo pipefail
THREADS=128 TABLES=8 TABLE_SIZE=10000 COST_TIME=30 COST_THREADS=16 BEFORE=20 AFTER=25
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --tables) TABLES="$2"; shift 2 ;;
    --table-size) TABLE_SIZE="$2"; shift 2 ;;
    --cost-time) COST_TIME="$2"; shift 2 ;;
    --cost-threads) COST_THREADS="$2"; shift 2 ;;
    *) echo "usage: ./tether bench failover [--marker on|off] [--threads N] [--tables N] [--table-size N] [--cost-time S] [--cost-threads N]" >&2; exit 2 ;;
  esac
done
: "${TETHER_LAUNCHER:?run through ./tether bench failover}" "${TETHER_WORK:?}" "${TETHER_MARKER:?}"
: "${TETHER_MARKER_OFF_PORT:?}" "${TETHER_MARKER_ON_PORT:?}"
DB_DIR="$TETHER_WORK/db" TOKEN="${TETHER_TOKEN:-tether-local-test-token}"
LB_PORT=6000 PRIMARY_BASE=13305 NODE_HTTP_BASE=9032
OUT="$TETHER_WORK/bench/failover-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
say() { printf '\033[1m[failover]\033[0m %s\n' "$*"; }
topology() { curl -s -m 5 -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8033/topology || echo '{}'; }
primary() { topology | jq -r '.primary // empty'; }
SB=(--db-driver=mysql --mysql-user=app --mysql-password=app --mysql-db=sbtest --tables="$TABLES" --table-size="$TABLE_SIZE")
# One metric of node i, summed over the label sets that match a filter (0 when absent).
metric() { curl -s -m 5 "http://127.0.0.1:$((NODE_HTTP_BASE + $1))/metrics" | awk -v m="$2" -v f="${3:-}" \
  '($1 == m || index($1, m "{") == 1) && index($1, f) {s += $2} END {printf "%d\n", s}'; }
fleet() { local total=0 i; for i in 1 2; do total=$((total + $(metric "$i" "$@"))); done; echo "$total"; }
labels() { local i; for i in 1 2; do curl -s -m 5 "http://127.0.0.1:$((NODE_HTTP_BASE + i))/metrics"; done \
  | awk -v m="$1" 'index($1, m "{") == 1 && $2 > 0 {k = $1; sub(/^[^{]*/, "", k); s[k] += $2} END {for (k in s) printf "%s=%d ", k, s[k]}'; }

P="$(primary)"
[ -n "$P" ] || { echo "no primary on the admin API" >&2; exit 1; }
# the tables and their size: a run with another --table-size prepares them again
have="$(mariadb --no-defaults -h127.0.0.1 -P"${P##*:}" -uapp -papp -N -B -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='sbtest'" 2>/dev/null || echo 0)"
rows="$(mariadb --no-defaults -h127.0.0.1 -P"${P##*:}" -uapp -papp -N -B -e "SELECT MAX(id) FROM sbtest.sbtest1" 2>/dev/null || echo 0)"
if [ "$have" != "$TABLES" ] || [ "$rows" != "$TABLE_SIZE" ]; then
  say "preparing $TABLES tables x $TABLE_SIZE rows on $P"
  mariadb --no-defaults -h127.0.0.1 -P"${P##*:}" -uapp -papp -e "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest"
  sysbench oltp_read_write "${SB[@]}" --mysql-host=127.0.0.1 --mysql-port="${P##*:}" --threads=4 prepare >"$OUT/prepare.log" 2>&1
fi
for s in $(topology | jq -r '.replicas[]'); do
  for _ in $(seq 300); do
    topology | jq -e --arg s "$s" '[.servers[]? | select(.server == $s or .address == $s) | ((.lagSeconds // 0) <= 1)] | all' >/dev/null && break
    sleep 1
  done
done

# ---- 1. what the marker costs ------------------------------------------------------------------
qps() { sysbench oltp_read_write "${SB[@]}" --mysql-host=127.0.0.1 --mysql-port="$1" --threads="$COST_THREADS" \
  --time="$COST_TIME" --report-interval=0 run 2>&1 | tee -a "$OUT/cost.log" | awk '/queries:/ {gsub(/[()]/, "", $3); print $3}'; }
say "marker cost: oltp_read_write, $COST_THREADS threads, $COST_TIME s through a node with the marker off (:$TETHER_MARKER_OFF_PORT) and on (:$TETHER_MARKER_ON_PORT)"
qps "$TETHER_MARKER_OFF_PORT" >/dev/null   # warm-up, both
off="$(qps "$TETHER_MARKER_OFF_PORT")"
on="$(qps "$TETHER_MARKER_ON_PORT")"
COST="$(awk -v a="$off" -v b="$on" 'BEGIN {printf "marker off %.0f qps, on %.0f qps: ratio %.3f (%+.1f%%)", a, b, b / a, 100 * (b - a) / a}')"
say "$COST"

# ---- 2. the failover ---------------------------------------------------------------------------
IGNORE=1213,1020,1205,1105,1317,2013,2006
say "sysbench oltp_read_write, $THREADS threads through HAProxy :$LB_PORT (fleet marker: $TETHER_MARKER); kill -9 of $P after $BEFORE s"
stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }
sysbench oltp_read_write "${SB[@]}" --mysql-host=127.0.0.1 --mysql-port=$LB_PORT --threads="$THREADS" \
  --time=$((BEFORE + AFTER + 15)) --report-interval=1 --rand-type=uniform --mysql-ignore-errors="$IGNORE" run \
  > >(stamp >"$OUT/sysbench.log") 2>&1 &
BENCH=$!
sleep "$BEFORE"
conn_before="$(fleet tether_proxy_client_connections)"
accepted_before="$(fleet tether_proxy_client_accepted_total)"
replayed_before="$(fleet tether_proxy_transactions_replayed_total)"
node=$(( ${P##*:} - PRIMARY_BASE ))
pid="$(cat "$DB_DIR/node$node/mariadbd.pid")"
killed_at="$EPOCHREALTIME"
kill -9 "$pid"
for _ in $(seq 120); do
  now="$(primary)"
  [ -n "$now" ] && [ "$now" != "$P" ] && [ "$(topology | jq -r .phase)" = STABLE ] && break
  sleep 0.5
done
new="$(primary)"
serving="$(awk -v a="$killed_at" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')"
sleep "$AFTER"
conn_after="$(fleet tether_proxy_client_connections)"
accepted_after="$(fleet tether_proxy_client_accepted_total)"
wait "$BENCH" || true
sleep 1
"$TETHER_LAUNCHER" db start >"$OUT/db-start.log" 2>&1 || say "db start failed: see $OUT/db-start.log"

awk -v k="$killed_at" '/\[ [0-9]+s \]/ {for (i = 1; i <= NF; i++) {if ($i == "tps:") t = $(i+1); if ($i == "err/s:") e = $(i+1); if ($i == "reconn/s:") r = $(i+1)}
  printf "%.3f %s %s %s\n", $1 - k, t, e, r}' "$OUT/sysbench.log" >"$OUT/tps.dat"
errors="$(awk '{e += $3} END {printf "%d", e + 0.5}' "$OUT/tps.dat")"
reconnects="$(awk '{r += $4} END {printf "%d", r + 0.5}' "$OUT/tps.dat")"
zero="$(awk '$1 > -1 {if ($2 + 0 == 0) {run++; if (run > z) z = run} else run = 0} END {print z + 0}' "$OUT/tps.dat")"
# the client-visible pause of a failover: how long the nodes held sessions while reconnecting them
# (no BLOCK precedes a failover, so the switchover hold the admin API reports stays 0); the timer's
# max is a recent-window max, read well inside its two minutes
hold="$(for i in 1 2; do curl -s -m 5 "http://127.0.0.1:$((NODE_HTTP_BASE + i))/metrics"; done \
  | awk '/^tether_proxy_session_hold_seconds_max\{reason="reconnect"\}/ {if ($2 > m) m = $2}
         /^tether_proxy_session_hold_seconds_(sum|count)\{reason="reconnect"\}/ {if ($1 ~ /_sum/) s += $2; else c += $2}
         END {printf "%.0f ms longest, %.0f ms mean over %d sessions (all reconnects since the node started)", 1000 * m, c ? 1000 * s / c : 0, c}')"
lost=$(( accepted_after - accepted_before ))
{
  echo "failover under load ($(date -u '+%Y-%m-%d %H:%M UTC')): sysbench oltp_read_write, $THREADS threads, $TABLES x $TABLE_SIZE rows, through HAProxy and two nodes; commit marker $TETHER_MARKER"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| kill -9 of | $P; $new primary (STABLE) after $serving s (polled) |"
  echo "| connections before / after | $conn_before / $conn_after (new connections accepted meanwhile: $lost) |"
  echo "| client errors (sysbench) | $errors; reconnects $reconnects; fatal: $(grep -c FATAL "$OUT/sysbench.log" || true) |"
  echo "| pause (sessions held while reconnecting) | $hold; $zero s at 0 tps in sysbench's per-second report |"
  echo "| transactions replayed | $(( $(fleet tether_proxy_transactions_replayed_total) - replayed_before )) |"
  echo "| replay failures by reason | $(labels tether_proxy_transactions_replay_failures_total) |"
  echo "| commits resolved by the marker | $(labels tether_proxy_transactions_commits_resolved_total) |"
  echo "| statements failed by the loss | $(labels tether_proxy_statements_failed_by_loss_total) |"
  echo "| marker cost | $COST |"
} | tee "$OUT/failover.md"
cp "$OUT/failover.md" "$TETHER_WORK/bench/failover.md"
say "table: $TETHER_WORK/bench/failover.md (this run: $OUT)"
