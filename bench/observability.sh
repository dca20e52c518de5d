#!/usr/bin/env bash
# What request logging and metrics cost (issue 11): the list, view and create workloads against Basalt on SQLite in four
# configurations, each measured in the same run and reported as a ratio to the first:
#
#   a  request logs off (settings logs.maxDays = 0), metrics off      the reference
#   b  request logs on  (logs.maxDays = 5, PocketBase's default), metrics off
#   c  request logs off, metrics on (--metrics on, scraped every 5 s as Prometheus would)
#   d  request logs on,  metrics on
#
#   bench/observability.sh [NAME]    writes bench/results/<date>-<NAME>.md (NAME defaults to "observability")
#
# Request logging is switched through the settings API on the running server; metrics need a restart, so each round
# runs a and b on one server, then c and d on a server started with --metrics on, over the same seeded data. Rounds
# alternate the order within each pair, and each ratio is the median over rounds of the ratio measured in that round,
# so slow drift of a shared machine's load cancels out. The budget: request logging costs at most 10 % (b/a >= 90 %).
#
# Each server is warmed up first (every workload, request logs on, BENCH_SERVER_WARMUP each) so the JIT has tiered the
# code up before anything is measured: on a busy two-core machine that takes tens of seconds, and a cold server measured
# the JIT, not logging. Beside requests/s the table gives the server's CPU time per request (from /proc), which other
# load on the machine disturbs far less than throughput.
#
# Knobs (env): BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_SERVER_WARMUP (10s), BENCH_CONNECTIONS (32),
#   BENCH_RECORDS (10000), BENCH_ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

NAME=${1:-observability}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
SERVER_WARMUP=${BENCH_SERVER_WARMUP:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
RECORDS=${BENCH_RECORDS:-10000}
ROUNDS=${BENCH_ROUNDS:-3}
COLLECTION=bench
WRITES=bench_writes
EMAIL=bench@example.com
PASSWORD=bench-password-123
CONFIGS=(a b c d)
declare -A CONFIG_LABEL=(
  [a]="logs off, metrics off"
  [b]="logs on, metrics off"
  [c]="logs off, metrics on"
  [d]="logs on, metrics on"
)

# The server's own log at Warning: these runs measure the request log, not the console.
export BASALT_LOG_LEVEL=warn
export BENCH_LUA="$ROOT/bench/lua"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basalt-obs.XXXXXX")
PID=""
SCRAPER=""

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }

stop_server() {
  [[ -n $SCRAPER ]] && { kill "$SCRAPER" 2>/dev/null || true; wait "$SCRAPER" 2>/dev/null || true; SCRAPER=""; }
  [[ -z $PID ]] && return 0
  kill -TERM -- "-$PID" 2>/dev/null || kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
}

cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start_server() { # start_server [serve options...]: starts Basalt on $PORT over $DATA
  setsid ./basalt serve --http "127.0.0.1:$PORT" --dir "$DATA" "$@" >>"$WORK/server.log" 2>&1 &
  PID=$!
  node -e '
    const deadline = Date.now() + 180000;
    (async () => {
      while (Date.now() < deadline) {
        try { if ((await fetch(process.argv[1] + "/api/health")).ok) process.exit(0); } catch {}
        await new Promise(r => setTimeout(r, 200));
      }
      process.exit(1);
    })();' "http://127.0.0.1:$PORT" || { echo "Basalt did not come up:" >&2; tail -n 40 "$WORK/server.log" >&2; exit 1; }
}

# set_logs DAYS: request logs on (DAYS > 0) or off (0), through the settings API
set_logs() {
  node -e '
    const [base, email, password, days] = process.argv.slice(1);
    (async () => {
      const auth = await (await fetch(base + "/api/collections/_superusers/auth-with-password", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ identity: email, password }) })).json();
      const res = await fetch(base + "/api/settings", {
        method: "PATCH", headers: { "content-type": "application/json", authorization: auth.token },
        body: JSON.stringify({ logs: { maxDays: Number(days) } }) });
      if (!res.ok) { console.error(await res.text()); process.exit(1); }
    })();' "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$1"
}

# run_wrk DURATION SCRIPT URL: prints "rps p50 p99 errors"
run_wrk() {
  local line
  line=$(wrk -t2 -c"$CONNECTIONS" -d"$1" --timeout 10s -s "$BENCH_LUA/$2" "$3" | grep '^RESULT ') || { echo "0 0 0 1"; return; }
  read -r _ requests duration p50 p99 bad socket <<<"$line"
  awk -v r="$requests" -v d="$duration" -v p50="$p50" -v p99="$p99" -v e=$((bad + socket)) \
    'BEGIN { printf "%.0f %.2f %.2f %d\n", r / (d / 1e6), p50, p99, e }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", 100 * a / b; else print "0" }'; }

declare -A RPS=() P99=() CPU=() ERRORS=()
WORKLOADS=(list view create)
declare -A WORKLOAD_LABEL=([list]="list page of 30" [view]="view by id" [create]="create")
declare -A WORKLOAD_SCRIPT=([list]=get.lua [view]=view.lua [create]=create.lua)

url_of() { # url_of WORKLOAD
  case $1 in
    list) echo "http://127.0.0.1:$PORT/api/collections/$COLLECTION/records?page=1&perPage=30" ;;
    view) echo "http://127.0.0.1:$PORT/api/collections/$COLLECTION/records" ;;
    create) echo "http://127.0.0.1:$PORT/api/collections/$WRITES/records" ;;
  esac
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }

# warm_server: every workload with request logs on, so every path the measurements take has been tiered up by the JIT
warm_server() {
  local workload
  set_logs 5
  for workload in "${WORKLOADS[@]}"; do run_wrk "$SERVER_WARMUP" "${WORKLOAD_SCRIPT[$workload]}" "$(url_of "$workload")" >/dev/null; done
}

# measure CONFIG ROUND WORKLOAD
measure() {
  local config=$1 round=$2 workload=$3 url before after requests
  url=$(url_of "$workload")
  if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then run_wrk "$WARMUP" "${WORKLOAD_SCRIPT[$workload]}" "$url" >/dev/null; fi
  before=$(cpu_ticks)
  read -r rps _ p99 errors <<<"$(run_wrk "$DURATION" "${WORKLOAD_SCRIPT[$workload]}" "$url")"
  after=$(cpu_ticks)
  requests=$(awk -v r="$rps" -v d="${DURATION%s}" 'BEGIN { printf "%.0f", r * d }')
  RPS[$config-$workload-$round]=$rps
  P99[$config-$workload-$round]=$p99
  # clock ticks are 10 ms: CPU ms per 1,000 requests
  CPU[$config-$workload-$round]=$(awk -v t=$((after - before)) -v n="$requests" 'BEGIN { if (n > 0) printf "%.1f", t * 10 * 1000 / n; else print 0 }')
  ERRORS[$config-$workload]=$(( ${ERRORS[$config-$workload]:-0} + errors ))
  printf '    round %d  %-24s %-16s %8s req/s   p99 %7s ms   CPU %6s ms/1k req%s\n' "$round" "${CONFIG_LABEL[$config]}" "${WORKLOAD_LABEL[$workload]}" \
    "$rps" "$p99" "${CPU[$config-$workload-$round]}" "$([[ $errors -ne 0 ]] && echo "   ($errors errors)")"
}

# pair ROUND FIRST SECOND: for each workload, FIRST then SECOND (or the other way round on even rounds), back to back
pair() {
  local round=$1 first=$2 second=$3 workload config
  [[ $((round % 2)) -eq 0 ]] && { first=$3; second=$2; }
  for workload in "${WORKLOADS[@]}"; do
    for config in "$first" "$second"; do
      if [[ $config == a || $config == c ]]; then set_logs 0; else set_logs 5; fi
      measure "$config" "$round" "$workload"
    done
  done
}

# ---------------------------------------------------------------------------------------------------------------------
step "Tools: wrk, node"
if ! command -v wrk >/dev/null; then
  info "wrk missing: installing Debian's wrk"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq wrk >/dev/null; else sudo -n apt-get install -y -qq wrk >/dev/null; fi
fi
CPU=$(lscpu 2>/dev/null | sed -nE 's/^Model name: *//p' | head -n 1)
MACHINE="$(nproc) cores ($CPU), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
info "machine: $MACHINE; load average before the run: $LOAD_START; commit $COMMIT"

step "Seeding $RECORDS records (SQLite, durable mode)"
DATA="$WORK/data"
PORT=$(free_port)
./basalt superuser upsert "$EMAIL" "$PASSWORD" --dir "$DATA" >/dev/null
start_server
node bench/seed.mjs "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$COLLECTION" "$RECORDS" "$WORK/ids.txt" | sed 's/^/    /'
# Creates go to a collection of their own, so the list's COUNT and the views read the same table in every configuration.
node bench/seed.mjs "http://127.0.0.1:$PORT" "$EMAIL" "$PASSWORD" "$WRITES" 0 "" >/dev/null
stop_server
export BENCH_IDS="$WORK/ids.txt" BENCH_RECORDS_PATH="/api/collections/$COLLECTION/records"

for round in $(seq 1 "$ROUNDS"); do
  step "Round $round of $ROUNDS: $CONNECTIONS connections, $DURATION per measurement after $WARMUP of warm-up"
  start_server
  warm_server
  pair "$round" a b
  stop_server
  start_server --metrics on
  (while sleep 5; do curl -s -o /dev/null "http://127.0.0.1:$PORT/metrics" || true; done) &
  SCRAPER=$!
  warm_server
  pair "$round" c d
  stop_server
done

# ---------------------------------------------------------------------------------------------------------------------
declare -a ROWS=()
verdict=""
for workload in "${WORKLOADS[@]}"; do
  for config in "${CONFIGS[@]}"; do
    rates=() p99s=() ratios=() cpus=() cpu_ratios=()
    for round in $(seq 1 "$ROUNDS"); do
      rates+=("${RPS[$config-$workload-$round]}")
      p99s+=("${P99[$config-$workload-$round]}")
      cpus+=("${CPU[$config-$workload-$round]}")
      ratios+=("$(percent "${RPS[$config-$workload-$round]}" "${RPS[a-$workload-$round]}")")
      cpu_ratios+=("$(percent "${CPU[$config-$workload-$round]}" "${CPU[a-$workload-$round]}")")
    done
    ratio=$(median "${ratios[@]}")
    note=""
    [[ ${ERRORS[$config-$workload]} -ne 0 ]] && note=" ${ERRORS[$config-$workload]} errors"
    ROWS+=("| ${WORKLOAD_LABEL[$workload]} | ${CONFIG_LABEL[$config]} | $(median "${rates[@]}") | $(median "${p99s[@]}") | $ratio % | ${ratios[*]} | $(median "${cpus[@]}") | $(median "${cpu_ratios[@]}") % |$note")
    if [[ $config == b ]] && awk -v r="$ratio" 'BEGIN { exit !(r < 90) }'; then
      verdict+=" ${WORKLOAD_LABEL[$workload]} ($ratio %)"
    fi
  done
done

DATE=$(date -u +%Y-%m-%d)
mkdir -p bench/results
OUT="bench/results/$DATE-$NAME.md"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Basalt observability cost: $NAME ($DATE)"
  echo
  echo "- Machine: $MACHINE"
  echo "- Commit: $COMMIT; Basalt Release build through \`./basalt serve\` on SQLite (durable), $RECORDS seeded records"
  echo "- Load: wrk, 2 threads, $CONNECTIONS connections from 127.0.0.1; each server warmed up with every workload ($SERVER_WARMUP each), then $WARMUP warm-up and $DURATION per measurement; $ROUNDS rounds"
  echo "- Load average (1/5/15 min) before: $LOAD_START; after: $LOAD_END"
  echo
  echo "req/s, p99 (ms) and the server's CPU time per 1,000 requests are medians over the rounds; each \"vs a\" is the median"
  echo "of the rounds' ratios to configuration a (for CPU, above 100 % means more CPU per request)."
  echo
  echo "| workload | configuration | req/s | p99 ms | req/s vs a | per round (%) | CPU ms / 1k req | CPU vs a |"
  echo "|---|---|---:|---:|---:|---|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  if [[ -z $verdict ]]; then
    echo "Request logging (b vs a) is within the 10 % budget on every workload."
  else
    echo "Request logging (b vs a) is over the 10 % budget on:$verdict."
  fi
} >"$OUT"

step "Results (also in $OUT)"
sed -n '/^|/p;/budget/p' "$OUT"
