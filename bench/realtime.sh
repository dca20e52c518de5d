#!/usr/bin/env bash
# The realtime benchmark of issue 13: for each case a fresh Basalt (./basalt serve, SQLite unless --db is given) and
# the load generator bench/Realtime in a separate process: N SSE subscribers on one collection opened at 1,000/s, a
# warm-up create, then 50 creates one every 100 ms; latency from just before each create is sent to its arrival on
# each stream. Before the timed run the generator warms the server (200 events to 100 streams on another collection),
# so the figures are those of a running server, not of the JIT compiling the fan-out.
#   bench/realtime.sh [CASES...] [-- serve args, e.g. --db postgres://...]
# CASES (default: 1000 5000 10000 users:5000):
#   N          N guests, listRule ""
#   users:N    N users, each signed in as a different record, listRule "@request.auth.id != ''"
#   ws:N       N guests with the server on the workstation GC (DOTNET_gcServer=0), for the memory per subscriber
# Writes bench/results/<date>-realtime.md and prints it. Needs about 2 x N open files per process: ulimit -n is raised
# to the hard limit (20,000 in this container, enough for 10,000 subscribers: each process holds one end).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init realtime
CASES=()
while [[ $# -gt 0 && $1 != -- ]]; do CASES+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
SERVE_ARGS=("$@")
[[ ${#CASES[@]} -eq 0 ]] && CASES=(1000 5000 10000 users:5000)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

./basalt --help >/dev/null
dotnet build bench/Realtime -c Release -v q >/dev/null
LOADGEN=artifacts/bin/Realtime/release/Realtime

OUT=bench/results/$(date +%F)-realtime.md
{
  echo "# Realtime fan-out, $(date +%F)"
  echo
  echo "Machine: $(bench_machine); database: ${SERVE_ARGS[*]:-SQLite (durable)}; the load generator runs on the same" \
    "machine. Latency in ms from just before a create is sent to its arrival on a stream, over every (create, subscriber)" \
    "pair; events/s delivered while the creates ran; create latency in ms; RSS in MB (idle: after the warm-up;" \
    "subscribed: 3 s after the last subscribe; after: once every event arrived); KB/subscriber = (subscribed - idle) / N;" \
    "open s: how long opening and subscribing every stream took; CPU µs/event: CPU time of each process while the creates ran (from /proc), per event delivered (less disturbed by the other work on the machine than the latencies are)."
  echo
  echo "| case | subscribers | p50 | p90 | p99 | max | out of order | missing | events/s | create p50 | create p99 | RSS idle | RSS subscribed | RSS after | KB/subscriber | open s | server CPU µs/event | generator CPU µs/event |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$OUT"

for case in "${CASES[@]}"; do
  users=0 label=guests n=$case gc=""
  case $case in
    users:*) users=${case#users:} n=$users label="signed-in users" ;;
    ws:*) n=${case#ws:} label="guests, workstation GC" gc=0 ;;
  esac
  key="case-${case//:/-}"
  if [[ -n $gc ]]; then export DOTNET_gcServer=0; else unset DOTNET_gcServer; fi
  bench_basalt "$key" "${SERVE_ARGS[@]}"
  unset DOTNET_gcServer
  "$LOADGEN" --url "$BENCH_URL" --email "$BENCH_EMAIL" --password "$BENCH_PASSWORD" --subscribers "$n" --users "$users" \
    --server-pid "${BENCH_PIDS[$key]}" --label "$label" --warmup 200 | tee -a "$OUT"
  bench_stop "$key"
done
echo
cat "$OUT"
