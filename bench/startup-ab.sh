#!/usr/bin/env bash
# Interleaved A/B of server starts: each round starts every variant once, in turn, so a change in the machine's load
# hits all of them alike; prints each variant's median and the median of its per-round differences to the first one.
#
#   bench/startup-ab.sh ROUNDS 'label=command with PORT' 'label=command with PORT' ...
#   BENCH_PRIORITY=rt bench/startup-ab.sh 20 'before=dotnet /tmp/a/Basalt.Cli.dll serve --http 127.0.0.1:PORT --dir /tmp/d' \
#                                           'after=dotnet /tmp/b/Basalt.Cli.dll serve --http 127.0.0.1:PORT --dir /tmp/d'
#
# A command is split on spaces (no quoting); PORT is replaced by a free port for each start. Every start is timed from
# exec to its first 200 on /api/health by bench/startup-probe.c and ended with SIGKILL. A round in which any start took
# over 2 s (the rare stall under real-time priority, see bench/README.md) is left out of the differences.
# BENCH_PRIORITY=rt (as root) runs each start under chrt -f 10, as bench/startup.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
(($# >= 2)) || { sed -n '2,14p' "$0" >&2; exit 2; }
ROUNDS=$1
shift
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basalt-startup-ab.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/probe" bench/startup-probe.c
PROBE=("$WORK/probe")
[[ ${BENCH_PRIORITY:-normal} == rt ]] && PROBE=(chrt -f 10 "$WORK/probe")

free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

for ((round = 1; round <= ROUNDS; round++)); do
  for i in $(seq 0 $(($# - 1))); do
    spec=${*:$((i + 1)):1}
    port=$(free_port)
    read -r -a cmd <<<"${spec#*=}"
    cmd=("${cmd[@]//PORT/$port}")
    ms=$("${PROBE[@]}" "$port" 1 kill "$WORK/server.log" -- "${cmd[@]}" | awk '/^RESULT/ {print $2}') || ms=""
    echo "$round $i ${ms:-fail}" >>"$WORK/times"
  done
  printf '\r    round %d of %d' "$round" "$ROUNDS" >&2
done
echo >&2

labels=()
for spec in "$@"; do labels+=("${spec%%=*}"); done
python3 - "$WORK/times" "${labels[@]}" <<'PY'
import statistics, sys
from collections import defaultdict
rounds = defaultdict(dict)
for line in open(sys.argv[1]):
    r, i, ms = line.split()
    if ms != "fail":
        rounds[r][int(i)] = float(ms)
labels = sys.argv[2:]
clean = [t for t in rounds.values() if len(t) == len(labels) and max(t.values()) < 2000]
print(f"| variant | median ms | vs {labels[0]} (median of per-round differences) |")
print("|---|---:|---:|")
for i, label in enumerate(labels):
    values = [t[i] for t in rounds.values() if i in t]
    diffs = [t[i] - t[0] for t in clean]
    diff = f"{statistics.median(diffs):+.1f} ms" if diffs else "n/a"
    print(f"| {label} | {statistics.median(values):.0f} | {diff} |")
print(f"\n{len(clean)} of {len(rounds)} rounds complete and without a stall; load average {open('/proc/loadavg').read().split()[0]}")
PY
