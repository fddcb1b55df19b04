#!/usr/bin/env bash
# Switchover benchmark: sysbench oltp_read_write through the load balancer (HAProxy -> proxy nodes)
# while two planned switchovers run, one in each mode: drain (BLOCK lets open transactions finish)
# and, on the way back, replay (BLOCK holds replayable transactions, which are replayed on the new
# primary). Prints connections kept, client errors, and per switchover the coordinator's phase
# report, the longest client-visible pause, the median and 90th percentile of every held session's
# pause, and the transactions replayed.
# Usage: switchover.sh [--threads N] [--time S] [--first drain|replay]   (run by ./tether bench switchover)
set -euo pipefail
THREADS=128 TIME=40 FIRST=drain
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --time) TIME="$2"; shift 2 ;;
    --first) FIRST="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$FIRST" in drain) SECOND=replay ;; replay) SECOND=drain ;; *) echo "--first drain|replay" >&2; exit 2 ;; esac
[ "$TIME" -ge 30 ] || { echo "--time must be at least 30 (switchovers at 10 s and 20 s)" >&2; exit 2; }
LB_PORT=6000 TABLES=8 TABLE_SIZE=10000
TOKEN="${TETHER_TOKEN:-tether-local-test-token}"
admin() { curl -sS -X "$1" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" ${3:+--data "$3"} "http://127.0.0.1:8033$2"; }
field() { sed -E "s/.*\"$1\":([0-9]+).*/\\1/" <<<"$2"; }
node_metric() { # the sum of one metric over the fleet's nodes
  local sum=0 port v
  for port in 9033 9034 9035 9036; do
    v=$(curl -s "http://127.0.0.1:$port/metrics" 2>/dev/null | awk -v m="$1" '$1 ~ "^"m"({|$)" {s+=$2} END {print s+0}') || v=0
    sum=$(awk -v a="$sum" -v b="${v:-0}" 'BEGIN {print a+b}')
  done
  echo "$sum"
}

# the fleet's switchover hold histogram: "le count" lines (cumulative), summed over the nodes
holds() {
  local port
  for port in 9033 9034 9035 9036; do curl -s "http://127.0.0.1:$port/metrics" 2>/dev/null || true; done \
    | sed -nE 's/^tether_proxy_session_hold_seconds_bucket\{reason="switchover",le="([^"]+)"\} ([0-9.]+)$/\1 \2/p' \
    | awk '{s[$1] += $2} END {for (le in s) print le, s[le]}' | sort -g
}
# sessions held between two hold snapshots, with their median and 90th percentile (bucket bounds, ms)
hold_spread() {
  awk 'NR == FNR {before[$1] = $2; next}
    {n = $2 - before[$1]; le[FNR] = $1; c[FNR] = n; if (n > total) total = n}
    END {
      if (total == 0) {print "no session held"; exit}
      for (i = 1; i <= FNR; i++) {
        if (m == "" && c[i] >= total / 2) {m = le[i]; m0 = i > 1 ? le[i - 1] : 0}
        if (p == "" && c[i] >= total * 0.9) {p = le[i]; p0 = i > 1 ? le[i - 1] : 0}
      }
      printf "%d sessions held; median %.0f-%.0f ms, 90th percentile %.0f-%.0f ms (histogram buckets)\n",
        total, m0 * 1000, m * 1000, p0 * 1000, p * 1000
    }' <(echo "$1") <(echo "$2")
}

# every label set of a counter over the fleet, as label=value pairs (since the nodes started)
labels() {
  local port
  for port in 9033 9034 9035 9036; do curl -s "http://127.0.0.1:$port/metrics" 2>/dev/null || true; done \
    | awk -v m="$1" 'index($1, m "{") == 1 && $2 > 0 {k = $1; sub(/^[^{]*/, "", k); s[k] += $2} END {for (k in s) printf "%s=%d ", k, s[k]}'
}

out=$(mktemp)
echo "sysbench oltp_read_write, $THREADS threads, ${TIME}s through 127.0.0.1:$LB_PORT;"
echo "switchover in $FIRST mode after 10 s, back in $SECOND mode after 20 s"
sysbench oltp_read_write --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=$LB_PORT --mysql-user=app \
  --mysql-password=app --mysql-db=sbtest --tables=$TABLES --table-size=$TABLE_SIZE --threads="$THREADS" \
  --time="$TIME" --report-interval=1 --rand-type=uniform run >"$out" 2>&1 &
bench=$!
sleep 8
before=$(admin GET /sessions)
sleep 2
from=$(admin GET /topology | sed -E 's/.*"primary":"([^"]+)".*/\1/')
replayed0=$(node_metric tether_proxy_transactions_replayed_total)
holds0=$(holds)
failed0=$(node_metric tether_proxy_transactions_replay_failures_total)
lost0=$(node_metric tether_proxy_statements_failed_by_loss_total)
first=$(admin POST /switchover "{\"mode\":\"$FIRST\"}")
replayed1=$(node_metric tether_proxy_transactions_replayed_total)
holds1=$(holds)
sleep 8
second=$(admin POST /switchover "{\"target\":\"$from\",\"mode\":\"$SECOND\"}")
replayed2=$(node_metric tether_proxy_transactions_replayed_total)
holds2=$(holds)
sleep 3
after=$(admin GET /sessions) # sampled while sysbench still runs
wait "$bench" || true

sessions() { sed -E 's/.*"sessions":([0-9]+),"inTransaction".*/\1/' <<<"$1"; }
echo
echo "connections before: $(sessions "$before")   kept after both: $(sessions "$after") (sysbench reconnects: $(awk '/reconnects:/ {print $2}' "$out"))"
echo "client errors: $(awk '/ignored errors:/ {print $3}' "$out") ignored by sysbench; fatal: $(grep -c 'FATAL' "$out" || true)"
echo "transactions: $(awk '/transactions:/ {print $2, $3, $4}' "$out")"
echo "longest stretch of seconds without a completed transaction: $(awk '/tps: / {if ($7+0 == 0) {run++; if (run>max) max=run} else run=0} END {print max+0}' "$out") s (1 s resolution)"
parts() { sed -nE "s/.*\"$1\":\\{([^}]*)\\}.*/\\1/p" <<<"$2" | tr -d '"' | sed 's/,/, /g; s/:/ /g'; } # a report's parts object
report() { # mode, report, replayed before, replayed after, holds before, holds after
  echo
  echo "switchover in $1 mode: $(sed -E 's/"acks":\[[^]]*\]/"acks":[…]/g' <<<"$2")"
  for phase in block promote switch restore; do
    printf '  %-8s %s ms\n' "$phase" "$(sed -E "s/.*\"$phase\":\\{\"millis\":([0-9]+).*/\\1/" <<<"$2")"
  done
  echo "  total    $(field totalMillis "$2") ms"
  echo "  the promotion, part by part: $(parts promoteParts "$2") (ms)"
  echo "  alongside SWITCH: $(parts switchParts "$2") (ms; the old primary follows the new one)"
  echo "  longest client-visible pause (a command held by a node): $(field longestHoldMillis "$2") ms"
  echo "  every held session's pause: $(hold_spread "$5" "$6")"
  echo "  transactions replayed by the nodes: $(awk -v a="$3" -v b="$4" 'BEGIN {print b-a}')"
}
report "$FIRST" "$first" "$replayed0" "$replayed1" "$holds0" "$holds1"
report "$SECOND" "$second" "$replayed1" "$replayed2" "$holds1" "$holds2"
echo
echo "replays refused or failed in both switchovers: $(awk -v a="$failed0" -v b="$(node_metric tether_proxy_transactions_replay_failures_total)" 'BEGIN {print b-a}')"
echo "statements the nodes failed for a lost connection: $(awk -v a="$lost0" -v b="$(node_metric tether_proxy_statements_failed_by_loss_total)" 'BEGIN {print b-a}')"
echo "  by reason, since the nodes started: $(labels tether_proxy_transactions_replay_failures_total)$(labels tether_proxy_statements_failed_by_loss_total)"
grep -E 'FATAL|error' "$out" | sort | uniq -c | sort -rn | head -5 || true
rm -f "$out"
