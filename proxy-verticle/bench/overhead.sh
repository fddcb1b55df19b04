#!/usr/bin/env bash
# Proxy overhead: sysbench directly against the primary and through one proxy node, alternating, in
# one invocation on the same machine, reported as qps, p95 latency and the proxy/direct ratio.
# Usage: overhead.sh [--time SECONDS] [--threads N] [--rounds N]
set -euo pipefail

TIME=30 THREADS=16 ROUNDS=1
DIRECT_PORT="${TETHER_DIRECT_PORT:-13306}"  # the launcher passes the current primary
PROXY_PORT="${TETHER_PROXY_PORT:-6033}"
PLAIN_PORT="${TETHER_PLAIN_PROXY_PORT:-}"      # a stand-alone node with session.persistent=false
TRACKED_PORT="${TETHER_TRACKED_PROXY_PORT:-}"  # its twin with persistence on: the tracking cost is between the two
LB_PORT="${TETHER_LB_PORT:-}"  # HAProxy in front of the node, when the launcher runs one
TABLES=8 TABLE_SIZE=10000
while [ $# -gt 0 ]; do
  case "$1" in
    --time) TIME="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

sb() {
  local workload="$1" port="$2" seconds="$3" threads="$4" action="${5:-run}"
  sysbench "$workload" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port" --mysql-user=app \
    --mysql-password=app --mysql-db=sbtest --tables=$TABLES --table-size=$TABLE_SIZE --threads="$threads" \
    --time="$seconds" --report-interval=0 "$action"
}

# Local test database: prepare the sbtest tables once (8 x 10,000 rows, as the baseline).
have=$(mariadb --no-defaults -h127.0.0.1 -P"$DIRECT_PORT" -uapp -papp -N -B -e \
  "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='sbtest' AND TABLE_NAME LIKE 'sbtest%'")
if [ "$have" -lt "$TABLES" ]; then
  echo "preparing sbtest: $TABLES tables x $TABLE_SIZE rows"
  mariadb --no-defaults -h127.0.0.1 -P"$DIRECT_PORT" -uapp -papp -e "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest"
  sb oltp_read_write "$DIRECT_PORT" 0 4 prepare >/dev/null
fi

echo "warming up the proxy (10 s)"
sb oltp_point_select "$PROXY_PORT" 10 "$THREADS" >/dev/null
[ -n "$PLAIN_PORT" ] && sb oltp_point_select "$PLAIN_PORT" 10 "$THREADS" >/dev/null
[ -n "$TRACKED_PORT" ] && sb oltp_point_select "$TRACKED_PORT" 10 "$THREADS" >/dev/null

declare -A QPS P95
measure() {
  local workload="$1" route="$2" port="$3" round="$4" out
  out=$(sb "$workload" "$port" "$TIME" "$THREADS")
  local qps p95 errors
  qps=$(awk '/queries:/ {gsub(/\(/, "", $3); print $3}' <<<"$out")
  p95=$(awk '/95th percentile:/ {print $3}' <<<"$out")
  errors=$(awk '/ignored errors:/ {print $3}' <<<"$out")
  printf '  %-18s %-7s round %d: %10s qps  p95 %7s ms  errors %s\n' "$workload" "$route" "$round" "$qps" "$p95" "$errors"
  QPS[$workload.$route]=$(awk -v a="${QPS[$workload.$route]:-0}" -v b="$qps" 'BEGIN {print a + b}')
  P95[$workload.$route]=$(awk -v a="${P95[$workload.$route]:-0}" -v b="$p95" 'BEGIN {print a + b}')
}

echo "sysbench, $THREADS threads, $TIME s per run, $ROUNDS round(s), direct :$DIRECT_PORT vs proxy :$PROXY_PORT"
for workload in oltp_point_select oltp_read_only; do
  for round in $(seq "$ROUNDS"); do
    measure "$workload" direct "$DIRECT_PORT" "$round"
    measure "$workload" proxy "$PROXY_PORT" "$round"
    if [ -n "$PLAIN_PORT" ] && [ -n "$TRACKED_PORT" ]; then
      twins=("untracked $PLAIN_PORT" "tracked $TRACKED_PORT")
      # the twins take turns going first, so neither gains from running after the other
      [ $((round % 2)) -eq 0 ] && twins=("${twins[1]}" "${twins[0]}")
      for twin in "${twins[@]}"; do
        # shellcheck disable=SC2086 # route and port, split on purpose
        measure "$workload" $twin "$round"
      done
    fi
  done
done

echo
echo "proxy = the fleet's node (clustered, persistent sessions); untracked / tracked = two stand-alone twin nodes,"
echo "session.persistent=false / true, started alike: what state tracking costs is tracked against untracked"
printf '%-18s | %12s | %12s | %9s | %12s | %12s\n' workload "direct qps" "proxy qps" ratio "direct p95" "proxy p95"
printf -- '-------------------+--------------+--------------+-----------+--------------+-------------\n'
# one row of the table: label, route, and optionally the route whose qps the cost is against
row() {
  awk -v w="$1" -v r="$ROUNDS" -v dq="${QPS[$workload.direct]}" -v pq="${QPS[$workload.$2]}" \
      -v dp="${P95[$workload.direct]}" -v pp="${P95[$workload.$2]}" -v bq="${3:+${QPS[$workload.$3]}}" \
      'BEGIN {printf "%-18s | %12.0f | %12.0f | %9.3f | %9.2f ms | %9.2f ms", w, dq/r, pq/r, pq/dq, dp/r, pp/r
              if (bq != "") printf "   tracking costs %.1f%% of qps", 100*(1-pq/bq); print ""}'
}
for workload in oltp_point_select oltp_read_only; do
  row "$workload" proxy
  if [ -n "$PLAIN_PORT" ] && [ -n "$TRACKED_PORT" ]; then
    row "$workload (untracked)" untracked
    row "$workload (tracked)" tracked untracked
  fi
done

# Connect latency and connects per second: direct, through the node, through HAProxy to the node.
echo
py=python3
python3 -c 'import pymysql' 2>/dev/null || py=/usr/bin/python3  # apt's python3-pymysql
routes=("direct:$DIRECT_PORT" "node:$PROXY_PORT")
[ -n "$LB_PORT" ] && routes+=("haproxy-node:$LB_PORT")
"$py" "$(dirname "$0")/connect.py" "${routes[@]}" || echo "connect benchmark failed (is python3-pymysql installed?)"
