#!/usr/bin/env bash
# Retention benchmark, the reference products' published test in one command: sysbench
# oltp_read_write through HAProxy (port 6000) and the proxy nodes while, one after another with quiet
# time between, the fleet goes through every maintenance and failure scenario. For each one it counts
# the client connections on the nodes before and after, sysbench's errors and reconnects, the longest
# pause and the qps dip; prints the table, writes it as Markdown and draws qps over time with every
# event marked (gnuplot).
# Usage: retention.sh [--tables N] [--table-size N] [--threads N] [--time S] [--quiet S]
#   run by ./tether bench retention, with the fleet up (two nodes) and the environment below set.
#   --time S: the longest sysbench may run (default: as long as the scenarios take); --quiet S: the
#   quiet time after each scenario (default 12 s).
set -euo pipefail
TABLES=8 TABLE_SIZE=10000 THREADS=128 TIME=0 QUIET=12 KILL_AFTER_MS=500
while [ $# -gt 0 ]; do
  case "$1" in
    --tables) TABLES="$2"; shift 2 ;;
    --table-size) TABLE_SIZE="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --time) TIME="$2"; shift 2 ;;
    --quiet) QUIET="$2"; shift 2 ;;
    *) echo "usage: ./tether bench retention [--tables N] [--table-size N] [--threads N] [--time S] [--quiet S]" >&2; exit 2 ;;
  esac
done
: "${TETHER_LAUNCHER:?run through ./tether bench retention}" "${TETHER_WORK:?}"
LAUNCHER="$TETHER_LAUNCHER" RUN_DIR="$TETHER_WORK/run" DB_DIR="$TETHER_WORK/db"
TOKEN="${TETHER_TOKEN:-tether-local-test-token}"
LB_PORT=6000 PRIMARY_BASE=13305 NODE_HTTP_BASE=9032
STAMP="$(date -u +%Y%m%d-%H%M%S)"
OUT="$TETHER_WORK/bench/retention-$STAMP"
mkdir -p "$OUT"
LOG="$OUT/sysbench.log" EVENTS="$OUT/events.tsv" NOTES="$OUT/notes.tsv"
: >"$EVENTS"
: >"$NOTES"

say() { printf '\033[1m[retention]\033[0m %s\n' "$*"; }
now() { echo "$EPOCHREALTIME"; }
admin() { curl -sS -m 60 -X "$1" -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" ${3:+--data "$3"} "http://127.0.0.1:8033$2"; }
topology() { admin GET /topology 2>/dev/null || echo '{}'; }
primary() { topology | jq -r '.primary // empty'; }
node_of() { echo $(( ${1##*:} - PRIMARY_BASE )); }            # 127.0.0.1:13307 -> 2
server_pid() { cat "$DB_DIR/node$(node_of "$1")/mariadbd.pid" 2>/dev/null || true; }
alive() { [ -n "$1" ] && [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != "Z" ]; }

# The proxy nodes now running: their numbers (node i: MySQL 6032+i, HTTP 9032+i).
proxies() { for f in "$RUN_DIR"/proxy[0-9]*.pid; do [ -e "$f" ] || continue; alive "$(cat "$f")" && basename "$f" .pid | tr -dc 0-9 && echo; done | sort -n; }
# One metric of node i summed over its label sets (0 when absent).
metric() { curl -s -m 5 "http://127.0.0.1:$((NODE_HTTP_BASE + $1))/metrics" 2>/dev/null | awk -v m="$2" '$1 == m || index($1, m "{") == 1 {s += $2} END {printf "%d\n", s}'; }
# node:connections:accepted:transaction_lost:outcome_unknown:result_interrupted for every running node
snapshot() {
  local i page
  for i in $(proxies); do
    page="$(curl -s -m 5 "http://127.0.0.1:$((NODE_HTTP_BASE + i))/metrics" 2>/dev/null || true)"
    awk -v i="$i" '
      $1 == "tether_proxy_client_connections" {c = $2}
      $1 == "tether_proxy_client_accepted_total" {a = $2}
      index($1, "tether_proxy_statements_failed_by_loss_total{") == 1 {
        if ($1 ~ /transaction_lost/) t += $2; else if ($1 ~ /outcome_unknown/) u += $2; else if ($1 ~ /result_interrupted/) r += $2 }
      END {printf "%s:%d:%d:%d:%d:%d ", i, c, a, t, u, r}' <<<"$page"
  done
  echo
}
wait_for() { # seconds, then a command; true once the command succeeds
  local seconds="$1"; shift
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do "$@" && return 0; sleep 0.5; done
  return 1
}
is_replica() { topology | jq -e --arg s "$1" '(.replicas | index($s)) != null and .phase == "STABLE"' >/dev/null; }
caught_up() { topology | jq -e --arg s "$1" '(.replicas | index($s)) != null and .phase == "STABLE" and ([.servers[]? | select(.server == $s or .address == $s) | (.replicating == true and ((.lagSeconds // 0) <= 1))] | all)' >/dev/null; }
stable() { topology | jq -e '.phase == "STABLE" and (.primary // "") != ""' >/dev/null; }
note() { printf '%s\t%s\n' "$1" "$2" >>"$NOTES"; }
hold_of() { jq -r '.longestHoldMillis // empty' <<<"$1" 2>/dev/null || true; }
outcome_of() { jq -r 'if .error then "failed: \(.error)" else "done in \(.totalMillis // "?") ms (block \(.block.millis // "?"), promote \(.promote.millis // "?"), switch \(.switch.millis // "?"), restore \(.restore.millis // "?"))" end' <<<"$1" 2>/dev/null || echo "no report: $1"; }

# Runs one scenario: snapshot, the action (a function), quiet time, snapshot; one line in events.tsv:
# name, start, action end, window end, snapshot before, snapshot after, hold ms, drained node.
DRAINED_NODE="" HOLD=""
scenario() {
  local name="$1" fn="$2" before after t0 t1 t2
  before="$(snapshot)"
  t0="$(now)"
  say "$name"
  DRAINED_NODE="" HOLD=""
  "$fn" || note "$name" "the action failed (exit $?)"
  t1="$(now)"
  sleep "$QUIET"
  after="$(snapshot)"
  t2="$(now)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$t0" "$t1" "$t2" "$before" "$after" "${HOLD:--}" "${DRAINED_NODE:--}" >>"$EVENTS"   # "-": empty (read would merge empty tab-separated fields)
}

switch_to() { # target ("" = the most advanced replica); sets REPORT
  if [ -n "$1" ]; then REPORT="$(admin POST /switchover "{\"target\":\"$1\"}" || true)"; else REPORT="$(admin POST /switchover '{}' || true)"; fi
  echo "$REPORT" >>"$OUT/switchovers.json"
}
max_hold() { local a="${1:-}" b="${2:-}"; [ -z "$a" ] && { echo "$b"; return; }; [ -z "$b" ] && { echo "$a"; return; }; [ "$a" -ge "$b" ] && echo "$a" || echo "$b"; }

ORIGINAL=""
planned_switchover() {
  ORIGINAL="$(primary)"
  switch_to ""
  HOLD="$(hold_of "$REPORT")"
  note "planned switchover" "$ORIGINAL -> $(primary): $(outcome_of "$REPORT")"
}
switchover_back() {
  local from; from="$(primary)"
  switch_to "$ORIGINAL"
  HOLD="$(hold_of "$REPORT")"
  note "switchover back" "$from -> $(primary): $(outcome_of "$REPORT")"
}

# A restart of the primary (a minor-version upgrade, a parameter that needs a restart) is driven as a
# switchover to a replica, a clean restart of the old primary, and a switchover back once it has
# caught up: the sessions only ever see two planned switchovers (no open transaction is lost), where
# riding out a restart in place would roll back every transaction open at the shutdown (1213 for
# each) and hold every session for the length of the restart.
restart_primary() { # name, extra mariadbd options
  local name="$1" options="${2:-}" old h1 h2 pid
  old="$(primary)"
  switch_to ""; h1="$(hold_of "$REPORT")"
  local away; away="$(primary)"
  pid="$(server_pid "$old")"
  kill -TERM "$pid" 2>/dev/null || true
  wait_for 60 bash -c "! { [ -r /proc/$pid/stat ] && [ \"\$(awk '{print \$3}' /proc/$pid/stat)\" != Z ]; }" || note "$name" "$old did not stop within 60 s"
  local started; started="$(now)"
  TETHER_MARIADBD_OPTIONS="$options" "$LAUNCHER" db start >>"$OUT/launcher.log" 2>&1 || note "$name" "db start failed"
  wait_for 90 caught_up "$old" || note "$name" "$old not caught up as a replica within 90 s"
  local back; back="$(awk -v a="$started" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}')"
  switch_to "$old"; h2="$(hold_of "$REPORT")"
  HOLD="$(max_hold "$h1" "$h2")"
  local check=""
  if [ -n "$options" ]; then
    check="; on the restarted server: $(mariadb --no-defaults -h127.0.0.1 -P"${old##*:}" -u"${TETHER_ADMIN_USER:-tether_admin}" -p"${TETHER_ADMIN_PASSWORD:-tether_admin}" -N -B -e 'SELECT CONCAT("back_log=", @@back_log, " max_connections=", @@max_connections)' 2>/dev/null || echo '?')"
  fi
  note "$name" "$old -> $away, $old restarted${options:+ with $options} and caught up in ${back} s, -> $(primary): holds ${h1:-?} and ${h2:-?} ms$check"
}
restart_in_place() { restart_primary "primary restart in place" ""; }
restart_with_parameter() { restart_primary "restart with a changed parameter" "--back-log=300 --max-connections=1200"; }

unplanned_failover() {
  local old pid t0 new
  old="$(primary)"; pid="$(server_pid "$old")"
  t0="$(now)"
  kill -9 "$pid"
  wait_for 60 bash -c "[ \"\$(curl -s -m 5 -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:8033/topology | jq -r '.primary + \" \" + .phase')\" != '$old STABLE' ] && [ \"\$(curl -s -m 5 -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:8033/topology | jq -r .phase)\" = STABLE ]" || true
  new="$(primary)"
  local took; took="$(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}')"
  sleep 3
  "$LAUNCHER" db start >>"$OUT/launcher.log" 2>&1 || note "unplanned failover" "db start failed"
  local fate
  if wait_for 60 is_replica "$old"; then
    fate="rejoined as a replica of $new"
  else
    fate="kept detached: $(topology | jq -c --arg s "$old" '[.detached[]? | select(.server == $s) | {reason, detail, extraTransactions}]')"
  fi
  note "unplanned failover" "kill -9 of $old; $new serving after ${took} s (polled); the restarted $old: $fate"
}

scale_out() { "$LAUNCHER" scale --proxies 3 2>&1 | tee -a "$OUT/launcher.log" | sed -n 's/.*\(proxy 3 .*ready.*\)/\1/p' | while read -r l; do note "proxy scale-out" "$l"; done; }
scale_in() {
  DRAINED_NODE=3
  "$LAUNCHER" scale --proxies 2 2>&1 | tee -a "$OUT/launcher.log" | sed -n 's/.*\(proxy 3 drained.*\)/\1/p' | while read -r l; do note "proxy scale-in" "$l"; done
}
replica_remove_add() {
  local r; r="$(topology | jq -r '.replicas[0] // empty')"
  [ -n "$r" ] || { note "replica removed and added" "no replica to remove"; return 1; }
  "$LAUNCHER" replica remove "$r" >>"$OUT/launcher.log" 2>&1
  sleep 5
  local during; during="$(topology | jq -c --arg s "$r" '{replicas, detached: [.detached[]? | select(.server == $s) | .reason]}')"
  "$LAUNCHER" replica add "$r" >>"$OUT/launcher.log" 2>&1
  if wait_for 60 is_replica "$r"; then note "replica removed and added" "$r removed ($during), added back"; else note "replica removed and added" "$r not back within 60 s"; fi
}
coordinator_killed() {
  local active from nodeid pid standby
  nodeid="$(admin GET /health | jq -r .nodeId)"
  active="${nodeid##*-}"
  pid="$(cat "$RUN_DIR/coordinator$active.pid")"
  from="$(primary)"
  (admin POST /switchover '{}' >"$OUT/killed-switchover.json" 2>&1 || true) &
  local posted=$!
  sleep "$(awk -v ms="$KILL_AFTER_MS" 'BEGIN {print ms / 1000}')"
  local phase; phase="$(topology | jq -r .phase)"
  kill -9 "$pid"
  wait "$posted" 2>/dev/null || true
  wait_for 60 bash -c "curl -s -m 2 -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:8033/health | grep -q active" || true
  standby="$(admin GET /health 2>/dev/null | jq -r '.nodeId // "none"')"
  wait_for 60 stable || true
  local to; to="$(primary)"
  local how="rolled back (primary still $from)"
  [ "$to" != "$from" ] && how="finished by the standby ($from -> $to)"
  note "coordinator killed mid-switchover" "kill -9 of $nodeid ${KILL_AFTER_MS} ms into the switchover (phase $phase); $standby took over; switchover $how; topology $(topology | jq -r .phase) at epoch $(topology | jq -r .epoch)"
}

# ---- the run ----------------------------------------------------------------------------------

wait_for 120 stable || { echo "no stable topology on the admin API" >&2; exit 1; }
P="$(primary)"
have="$(mariadb --no-defaults -h127.0.0.1 -P"${P##*:}" -uapp -papp -N -B -e "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='sbtest' AND TABLE_NAME LIKE 'sbtest%'" 2>/dev/null || echo 0)"
rows="$(mariadb --no-defaults -h127.0.0.1 -P"${P##*:}" -uapp -papp -N -B -e "SELECT COUNT(*) FROM sbtest.sbtest$TABLES" 2>/dev/null || echo 0)"
SB=(--db-driver=mysql --mysql-user=app --mysql-password=app --mysql-db=sbtest --tables="$TABLES" --table-size="$TABLE_SIZE")
if [ "$have" != "$TABLES" ] || [ "$rows" != "$TABLE_SIZE" ]; then
  say "preparing $TABLES tables x $TABLE_SIZE rows on the primary $P"
  mariadb --no-defaults -h127.0.0.1 -P"${P##*:}" -uapp -papp -e "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest"
  sysbench oltp_read_write "${SB[@]}" --mysql-host=127.0.0.1 --mysql-port="${P##*:}" --threads=4 prepare >"$OUT/prepare.log" 2>&1
fi
# the replicas must have the tables before the first switchover
for s in $(topology | jq -r '.replicas[]'); do wait_for 300 caught_up "$s" || say "replica $s still behind"; done

# The errors the proxy documents for a lost connection or transaction (1213 transaction lost, 1105
# outcome unknown / backend unreachable, 1317 result interrupted, 1053 node draining), the client's
# own lost-connection codes (2013, 2006: sysbench reconnects), and sysbench's defaults (1020, 1205).
# Never 1290 (read-only): sysbench 1.0.20 retries it forever and ignores --time.
IGNORE=1213,1020,1205,1105,1317,1053,2013,2006
RUN_TIME="$TIME"; [ "$RUN_TIME" -gt 0 ] || RUN_TIME=3600
say "sysbench oltp_read_write, $THREADS threads, $TABLES x $TABLE_SIZE rows, through 127.0.0.1:$LB_PORT; output in $OUT"
START="$(now)"
stamp() { while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }
sysbench oltp_read_write "${SB[@]}" --mysql-host=127.0.0.1 --mysql-port=$LB_PORT --threads="$THREADS" \
  --time="$RUN_TIME" --report-interval=1 --rand-type=uniform --mysql-ignore-errors="$IGNORE" run \
  > >(stamp >"$LOG") 2>&1 &
BENCH=$!
sleep 20   # every thread connected, and a baseline

scenario "planned switchover" planned_switchover
scenario "switchover back" switchover_back
scenario "primary restart in place" restart_in_place
scenario "restart with a changed parameter" restart_with_parameter
scenario "unplanned failover" unplanned_failover
scenario "proxy scale-out" scale_out
scenario "proxy scale-in" scale_in
scenario "replica removed and added" replica_remove_add
scenario "coordinator killed mid-switchover" coordinator_killed

if [ "$TIME" -gt 0 ]; then
  wait "$BENCH" || true
else
  kill -TERM "$BENCH" 2>/dev/null || true   # (a background job ignores SIGINT)
  wait "$BENCH" || true
fi
sleep 1   # the time stamper writes the last lines
END="$(now)"

# ---- the table --------------------------------------------------------------------------------

# Per-second samples: seconds since the start, qps, err/s, reconn/s, threads
awk -v s="$START" '/\[ [0-9]+s \]/ {for (i = 1; i <= NF; i++) {if ($i == "qps:") q = $(i+1); if ($i == "err/s:") e = $(i+1); if ($i == "reconn/s:") r = $(i+1); if ($i == "thds:") t = $(i+1)}
  printf "%.3f %s %s %s %s\n", $1 - s, q, e, r, t}' "$LOG" >"$OUT/qps.dat"

TABLE="$OUT/retention.md"
{
  echo "sysbench oltp_read_write, $THREADS threads, $TABLES tables x $TABLE_SIZE rows, through HAProxy and the proxy nodes; quiet time ${QUIET} s after each scenario ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "| scenario | connections before | retained | client errors | longest pause (ms) | qps dip |"
  echo "|---|---|---|---|---|---|"
} >"$TABLE"
: >"$OUT/marks.dat"
n=0
while IFS=$'\t' read -r name t0 t1 t2 before after hold drained; do
  n=$((n + 1))
  [ "$hold" = "-" ] && hold=""
  [ "$drained" = "-" ] && drained=""
  printf '%s %s %s %s\n' "$n" "$(awk -v a="$t0" -v s="$START" 'BEGIN {printf "%.1f", a - s}')" "$(awk -v a="$t2" -v s="$START" 'BEGIN {printf "%.1f", a - s}')" "$name" >>"$OUT/marks.dat"
  awk -v name="$name" -v n="$n" -v t0="$t0" -v t2="$t2" -v s="$START" -v before="$before" -v after="$after" -v hold="$hold" -v drained="$drained" '
    function split_snap(snap, conn, acc, lost,   parts, k, f) {
      k = split(snap, parts, " ")
      for (; k > 0; k--) { split(parts[k], f, ":"); conn[f[1]] = f[2]; acc[f[1]] = f[3]; lost[f[1]] = f[4] + f[5] + f[6]; tl[f[1]] = f[4]; ou[f[1]] = f[5]; ri[f[1]] = f[6] } }
    BEGIN { split_snap(before, c0, a0, l0); }
    { t = $1 + s; if (t < t0 && t >= t0 - 10) base[++nb] = $2
      if (t >= t0 && t <= t2) { if (!seen++ || $2 < low) low = $2; err += $3; rec += $4; if ($2 + 0 == 0) { run++; if (run > zero) zero = run } else run = 0 } }
    END {
      for (k in c0) total += c0[k]
      gone = (drained != "" && (drained in c0)) ? c0[drained] : 0
      for (k in tl) { tl0[k] = tl[k]; ou0[k] = ou[k]; ri0[k] = ri[k] }
      delete tl; delete ou; delete ri
      split_snap(after, c1, a1, l1)
      for (k in a1) { accepted += a1[k] - ((k in a0) ? a0[k] : 0); ktl += tl[k] - ((k in tl0) ? tl0[k] : 0); kou += ou[k] - ((k in ou0) ? ou0[k] : 0); kri += ri[k] - ((k in ri0) ? ri0[k] : 0) }
      for (k in c1) now += c1[k]
      staying = total - gone
      lost = accepted - gone; if (lost < 0) lost = 0
      if (rec - gone > lost) lost = rec - gone   # sysbench reconnects, when more than the nodes saw
      kept = staying - lost
      pct = staying > 0 ? 100 * kept / staying : 100
      # baseline: median qps of the 10 s before
      for (i = 1; i <= nb; i++) for (j = i + 1; j <= nb; j++) if (base[j] < base[i]) { x = base[i]; base[i] = base[j]; base[j] = x }
      med = nb ? (nb % 2 ? base[(nb + 1) / 2] : (base[nb / 2] + base[nb / 2 + 1]) / 2) : 0
      dip = med > 0 ? 100 * (med - low) / med : 0
      pause = hold != "" ? hold : (zero > 0 ? zero * 1000 " (" zero " s without a transaction)" : "< 1000 (no second without a transaction)")
      if (hold != "" && zero > 0) pause = pause " (sysbench: " zero " s at 0 tps)"
      ret = sprintf("%d / %d (%.0f%%)", kept, staying, pct)
      if (drained != "") ret = ret sprintf("; drained: %d", gone)
      errs = sprintf("%d", err + 0.5)
      if (ktl + kou + kri > 0) errs = errs sprintf(" (nodes: %d transaction lost 1213, %d outcome unknown 1105, %d result interrupted 1317)", ktl, kou, kri)
      printf "| %d. %s | %d | %s | %s | %s | %.0f%% (%.0f vs median %.0f) |\n", n, name, total, ret, errs, pause, -dip, low, med
    }' "$OUT/qps.dat" >>"$TABLE"
done <"$EVENTS"
{
  echo
  echo "What happened in each scenario:"
  echo
  n=0
  while IFS=$'\t' read -r name _; do
    n=$((n + 1))
    grep -F "$name"$'\t' "$NOTES" | cut -f2- | sed "s/^/- $n. $name: /"
  done <"$EVENTS"
  total_err="$(awk '{e += $3} END {printf "%d", e + 0.5}' "$OUT/qps.dat")"
  total_rec="$(awk '{r += $4} END {printf "%d", r + 0.5}' "$OUT/qps.dat")"
  echo
  echo "Whole run: $(awk 'END {printf "%.0f", $1}' "$OUT/qps.dat") s, $total_err client errors and $total_rec reconnects reported by sysbench; threads at the end: $(awk 'END {print $5}' "$OUT/qps.dat"). Fatal sysbench errors: $(grep -c FATAL "$LOG" || true)."
} >>"$TABLE"

# ---- the chart --------------------------------------------------------------------------------

PNG="$OUT/retention.png"
{
  echo "set terminal pngcairo size 1600,700 font 'DejaVu Sans,10'"
  echo "set output '$PNG'"
  echo "set title 'sysbench oltp\\_read\\_write, $THREADS threads through HAProxy and Tether: qps per second, each scenario shaded and numbered'"
  echo "set xlabel 'seconds since sysbench started'"
  echo "set ylabel 'queries per second'"
  echo "set y2label 'client errors per second'"
  echo "set ytics nomirror"
  echo "set y2tics"
  echo "set yrange [0:*]"
  echo "set y2range [0:*]"
  echo "set grid ytics"
  echo "set key below"
  while read -r n a b label; do
    echo "set object $n rect from $a, graph 0 to $b, graph 1 back fc rgb '#$( [ $((n % 2)) -eq 0 ] && echo e6eef8 || echo f3f3e0)' fs solid noborder"
    echo "set arrow $n from $a, graph 0 to $a, graph 1 nohead lc rgb '#888888' dt 2"
    echo "set label $n '$n. $label' at $a, graph 0.98 rotate by -90 offset 0.6,0 font 'DejaVu Sans,9' tc rgb '#333333'"
  done <"$OUT/marks.dat"
  echo "plot '$OUT/qps.dat' using 1:2 with lines lw 1.5 lc rgb '#1f5fbf' title 'qps', '' using 1:3 axes x1y2 with impulses lw 2 lc rgb '#d62728' title 'errors/s (right axis)'"
} >"$OUT/retention.gp"
gnuplot "$OUT/retention.gp" 2>"$OUT/gnuplot.log" || say "gnuplot failed: $(cat "$OUT/gnuplot.log")"

cp "$TABLE" "$TETHER_WORK/bench/retention.md"
[ -f "$PNG" ] && cp "$PNG" "$TETHER_WORK/bench/retention.png"
echo
cat "$TABLE"
echo
say "table: $TETHER_WORK/bench/retention.md, chart: $TETHER_WORK/bench/retention.png (this run: $OUT)"
