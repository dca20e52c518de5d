#!/usr/bin/env bash
# The realtime benchmark of issue 13: for each case a fresh Basalt (./basalt serve, SQLite unless --db is given) and
# the load generator bench/Realtime in a separate process: N SSE subscribers on one collection opened at 1,000/s, a
# warm-up create, then 50 creates one every 100 ms; latency from just before each create is sent to its arrival on
# each stream. Cases: 1,000, 5,000 and 10,000 guests (listRule ""), and 5,000 users each signed in as a different
# record (listRule "@request.auth.id != ''").
#   bench/realtime.sh [CASES...] [-- --db postgres://...]     CASES like 1000 5000 10000 users:5000
# Writes bench/results/<date>-realtime.md and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
CASES=()
while [[ $# -gt 0 && $1 != -- ]]; do CASES+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
DB_ARGS=("$@")
[[ ${#CASES[@]} -eq 0 ]] && CASES=(1000 5000 10000 users:5000)

# Two sockets per subscriber on this machine (the server's and the generator's end), plus the pools.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"   # a container may cap it (20,000 here: enough, each process holds one end)

EMAIL=bench@example.com
PASSWORD=bench-password-1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basalt-rtbench.XXXXXX")
SERVER_PID=""
cleanup() { [[ -n $SERVER_PID ]] && kill -TERM -- "-$SERVER_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

./basalt --help >/dev/null
dotnet build bench/Realtime -c Release -v q >/dev/null
LOADGEN=artifacts/bin/Realtime/release/Realtime

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

OUT=bench/results/$(date +%F)-realtime.md
{
  echo "# Realtime fan-out, $(date +%F)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB RAM;" \
    "database: ${DB_ARGS[*]:-SQLite (durable)}; the load generator runs on the same machine. Latency in ms from just before a" \
    "create is sent to its arrival on a stream, over every (create, subscriber) pair; RSS in MB; KB/subscriber is" \
    "(RSS subscribed - RSS idle) / N; open s is how long opening and subscribing all streams took."
  echo
  echo "| case | subscribers | p50 | p90 | p99 | max | out of order | missing | events/s | create p50 | create p99 | RSS idle | RSS subscribed | RSS after | KB/subscriber | open s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$OUT"

for case in "${CASES[@]}"; do
  users=0
  label=guests
  n=$case
  if [[ $case == users:* ]]; then users=${case#users:}; n=$users; label="signed-in users"; fi
  dir="$WORK/data-$case"
  mkdir -p "$dir"
  ./basalt superuser upsert "$EMAIL" "$PASSWORD" --dir "$dir" "${DB_ARGS[@]}" >/dev/null
  port=$(free_port)
  setsid ./basalt serve --http "127.0.0.1:$port" --dir "$dir" "${DB_ARGS[@]}" >"$WORK/server-$case.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
  pid=$(pgrep -f "Basalt.Cli.dll serve --http 127.0.0.1:$port" | head -n 1)
  "$LOADGEN" --url "http://127.0.0.1:$port" --email "$EMAIL" --password "$PASSWORD" --subscribers "$n" --users "$users" \
    --server-pid "${pid:-$SERVER_PID}" --label "$label" --warmup 200 | tee -a "$OUT"
  kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
done
echo
cat "$OUT"
