#!/usr/bin/env bash
# Start-up benchmark (issue 11, item 11): milliseconds from exec of `./basalt serve` to its first 200 on /api/health,
# on an existing SQLite data folder with 10,000 records.
#
#   bench/startup.sh            about two minutes after the builds; prints a table (median, p90, min, max, CPU)
#
# Each scenario starts the server BENCH_STARTS times (10), the way ./basalt serve runs it, and ends it before the next
# start: with SIGKILL (the issue's case: a crashed server comes back), with SIGKILL right after a write (so the next
# start opens a database whose WAL holds a commit no checkpoint copied back), or with SIGTERM (a graceful stop). The
# same is measured for Basalt's executable without the launcher and for bench/Baseline (a hand-written ASP.NET minimal API on
# the same database file) as the floor an ASP.NET server starts from on this machine.
#
# Knobs (env): BENCH_STARTS (10), BENCH_RECORDS (10000), BENCH_PRIORITY (normal | rt: run each server at real-time
#   priority, chrt -f 10, as root, which approximates an idle machine when other work shares the cores),
#   BENCH_POCKETBASE (path to a pocketbase binary: adds its start on an empty data folder, for comparison).
# The poller (bench/startup-probe.c, built with cc) connects to 127.0.0.1 every 2 ms; every start gives up after 60 s.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init startup

STARTS=${BENCH_STARTS:-10}
RECORDS=${BENCH_RECORDS:-10000}
PRIORITY=${BENCH_PRIORITY:-normal}

step() { printf '\n==> %s\n' "$*"; }
free_port() { bench_free_port; }

if ! command -v cc >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y -qq gcc >/dev/null; else echo "bench/startup.sh needs cc (apt-get install gcc)" >&2; exit 1; fi
fi
cc -O2 -o "$WORK/startup-probe" bench/startup-probe.c

PROBE=("$WORK/startup-probe")
if [[ $PRIORITY == rt ]]; then
  [[ $(id -u) -eq 0 ]] || { echo "BENCH_PRIORITY=rt needs root (chrt -f)" >&2; exit 1; }
  PROBE=(chrt -f 10 "$WORK/startup-probe")
fi

step "Building: Basalt (./basalt, as a start after a source change does) and bench/Baseline"
build_started=$(date +%s%N)
./basalt --help >/dev/null
printf '    ./basalt built in %.1f s\n' "$(( $(date +%s%N) - build_started ))e-9"
dotnet build bench/Baseline -c Release --nologo -v quiet -p:ArtifactsPath="$WORK/baseline-art" >/dev/null
BASELINE_DLL=$(find "$WORK/baseline-art/bin" -name Baseline.dll | head -n 1)
BASALT_BIN=$BENCH_ROOT/artifacts/basalt/Basalt.Cli  # where ./basalt publishes it (Native AOT, or ReadyToRun's apphost)
read -r BASALT_KIND <"$BENCH_ROOT/artifacts/basalt/.build"
[[ -f $BASELINE_DLL && -x $BASALT_BIN ]] || { echo "a build did not produce its dll or executable" >&2; exit 1; }
echo "    Basalt build: $BASALT_KIND"

step "Seeding $RECORDS records into a data folder"
DATA=$WORK/data
bench_basalt seed --dir "$DATA"
node bench/seed.mjs "$BENCH_URL" "$BENCH_EMAIL" "$BENCH_PASSWORD" bench "$RECORDS" "" | sed 's/^/    /'
bench_stop seed

declare -a ROWS=()
# scenario LABEL MODE COMMAND...: one start to warm the page cache, then $STARTS measured starts
scenario() {
  local label=$1 mode=$2 port result; shift 2
  port=$(free_port)
  local -a cmd=()
  for arg in "$@"; do cmd+=("${arg//PORT/$port}"); done
  "${PROBE[@]}" "$port" 1 "$mode" "$WORK/server.log" -- "${cmd[@]}" >/dev/null
  result=$("${PROBE[@]}" "$port" "$STARTS" "$mode" "$WORK/server.log" -- "${cmd[@]}" | tee "$WORK/last.txt" | grep '^RESULT') || {
    echo "    $label: failed; the server's log:" >&2; tail -n 30 "$WORK/server.log" >&2; exit 1; }
  read -r _ median p90 min max cpu <<<"$result"
  printf '    %-44s median %5s ms   p90 %5s ms   (min %s, max %s, CPU %s ms)\n' "$label" "$median" "$p90" "$min" "$max" "$cpu"
  ROWS+=("| $label | $median | $p90 | $min | $max | $cpu |")
}

step "Starts ($STARTS each, priority: $PRIORITY, load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
scenario "./basalt serve, after SIGKILL" kill ./basalt serve --http 127.0.0.1:PORT --dir "$DATA"
scenario "./basalt serve, after SIGKILL with a WAL" kill-wal ./basalt serve --http 127.0.0.1:PORT --dir "$DATA"
scenario "./basalt serve, after a graceful stop" term ./basalt serve --http 127.0.0.1:PORT --dir "$DATA"
scenario "Basalt.Cli serve (no launcher)" kill "$BASALT_BIN" serve --http 127.0.0.1:PORT --dir "$DATA"
scenario "bench/Baseline (ASP.NET minimal API, same db)" kill dotnet "$BASELINE_DLL" --urls http://127.0.0.1:PORT \
  --table bench --sqlite "$DATA/data.db"
if [[ -n ${BENCH_POCKETBASE:-} ]]; then
  mkdir -p "$WORK/pb"
  scenario "PocketBase ($("$BENCH_POCKETBASE" --version 2>/dev/null | awk '{print $NF}'), empty folder)" kill \
    "$BENCH_POCKETBASE" serve --http 127.0.0.1:PORT --dir "$WORK/pb"
fi

printf '\n| start | median ms | p90 ms | min | max | CPU ms |\n|---|---:|---:|---:|---:|---:|\n'
printf '%s\n' "${ROWS[@]}"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
