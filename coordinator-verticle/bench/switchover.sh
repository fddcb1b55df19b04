#!/usr/bin/env bash
# Switchover benchmark: sysbench oltp_read_write through the load balancer (HAProxy -> proxy nodes)
# while a planned switchover runs, then the way back. Prints connections kept, client errors, the
# per-phase report of the coordinator and the longest stretch without a completed transaction.
# Usage: switchover.sh [--threads N] [--time S]   (run by ./tether bench switchover)
set -euo pipefail
THREADS=128 TIME=30
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --time) TIME="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
LB_PORT=6000 TABLES=8 TABLE_SIZE=10000
TOKEN="${TETHER_TOKEN:-tether-local-test-token}"
admin() { curl -sS -X "$1" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" ${3:+--data "$3"} "http://127.0.0.1:8033$2"; }

out=$(mktemp)
echo "sysbench oltp_read_write, $THREADS threads, ${TIME}s through 127.0.0.1:$LB_PORT; switchover after 10 s"
sysbench oltp_read_write --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port=$LB_PORT --mysql-user=app \
  --mysql-password=app --mysql-db=sbtest --tables=$TABLES --table-size=$TABLE_SIZE --threads="$THREADS" \
  --time="$TIME" --report-interval=1 --rand-type=uniform run >"$out" 2>&1 &
bench=$!
sleep 8
before=$(admin GET /sessions)
sleep 2
from=$(admin GET /topology | sed -E 's/.*"primary":"([^"]+)".*/\1/')
report=$(admin POST /switchover '{}')
sleep 3
after=$(admin GET /sessions) # sampled while sysbench still runs on the new primary
wait "$bench" || true

sessions() { sed -E 's/.*"sessions":([0-9]+),"inTransaction".*/\1/' <<<"$1"; }
echo
echo "connections before: $(sessions "$before")   kept after: $(sessions "$after") (sysbench reconnects: $(awk '/reconnects:/ {print $2}' "$out"))"
echo "client errors: $(awk '/ignored errors:/ {print $3}' "$out") ignored by sysbench; fatal: $(grep -c 'FATAL' "$out" || true)"
echo "transactions: $(awk '/transactions:/ {print $2, $3, $4}' "$out")"
echo "longest stretch of seconds without a completed transaction: $(awk '/tps: / {if ($7+0 == 0) {run++; if (run>max) max=run} else run=0} END {print max+0}' "$out") s (1 s resolution)"
echo "switchover report: $report" | sed -E 's/"acks":\[[^]]*\]/"acks":[…]/g'
for phase in block promote switch restore; do
  printf '  %-8s %s ms\n' "$phase" "$(sed -E "s/.*\"$phase\":\\{\"millis\":([0-9]+).*/\\1/" <<<"$report")"
done
echo "  total    $(sed -E 's/.*"totalMillis":([0-9]+).*/\1/' <<<"$report") ms"
echo "longest client-visible pause (a command held by a node): $(sed -E 's/.*"longestHoldMillis":([0-9]+).*/\1/' <<<"$report") ms"
echo "switching back to $from"
admin POST /switchover "{\"target\":\"$from\"}" >/dev/null
rm -f "$out"
