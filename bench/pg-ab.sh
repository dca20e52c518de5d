#!/usr/bin/env bash
# Basalt on PostgreSQL against the hand-written ASP.NET + Npgsql baseline (bench/Baseline) on the same cluster and data,
# interleaved in rounds (issue 16's first section): each round runs every workload against each server in turn (the
# first server rotating), so a change of load on this shared machine hits all alike. Prints every round and the medians of req/s, p99 and the
# ratio to the baseline, then the CPU each request cost the server process and the PostgreSQL cluster (user + system
# time over the run divided by the requests answered): on a shared machine throughput moves with the load of others,
# while the CPU a request costs moves much less, and it says on which side of the connection the cost is.
#
#   bench/pg-ab.sh
#
# Knobs (env): BENCH_ROUNDS (5), BENCH_CONNECTIONS (32), BENCH_DURATION (6s), BENCH_RECORDS (10000),
#   BENCH_WORKLOADS ("create view list filter"), BENCH_WARMUP (2s: each workload on each server before the rounds), BENCH_OTHER_DLL (the Basalt.Cli.dll of another build, measured as a
#   third server "other": publish it with `bench/publish.sh REV DIR`, which builds as ./basalt does (ReadyToRun), so
#   the two builds differ only in their code), BENCH_BASALT_DLL (a Basalt.Cli.dll to run as "basalt" instead of
#   ./basalt, e.g. to compare two older commits with each other).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init pg-ab

ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-6s}
RECORDS=${BENCH_RECORDS:-10000}
WORKLOADS=${BENCH_WORKLOADS:-create view list filter}
WARMUP=${BENCH_WARMUP:-2s}
COLLECTION=bench
bench_on_exit() { bench_postgres_stop; }

bench_need_wrk
bench_need_postgres
echo "machine: $(bench_machine); load average: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)$([[ -n $(git status --porcelain -- src) ]] && echo ' + uncommitted changes')"
dotnet build bench/Baseline -c Release --nologo -v quiet -p:ArtifactsPath="$WORK/baseline-art" >/dev/null
BASELINE_DLL=$(find "$WORK/baseline-art/bin" -name Baseline.dll | head -n 1)

bench_postgres_db bench
PG_CONN="Host=127.0.0.1;Port=$BENCH_PG_PORT;Username=postgres;Database=bench;Maximum Pool Size=100"
if [[ -n ${BENCH_BASALT_DLL:-} ]]; then
  dotnet "$BENCH_BASALT_DLL" superuser upsert "$BENCH_EMAIL" "$BENCH_PASSWORD" --dir "$WORK/basalt-data" --db "$BENCH_PG_URL" >"$WORK/upsert.log" 2>&1
  port=$(bench_free_port)
  BENCH_URL="http://127.0.0.1:$port"
  bench_spawn basalt "$WORK/basalt.log" dotnet "$BENCH_BASALT_DLL" serve --http "127.0.0.1:$port" --dir "$WORK/basalt-data" --db "$BENCH_PG_URL"
  bench_wait_http "$BENCH_URL" basalt "$WORK/basalt.log"
else
  bench_basalt basalt --db "$BENCH_PG_URL"
fi
declare -A URL=([basalt]=$BENCH_URL)
node bench/seed.mjs "$BENCH_URL" "$BENCH_EMAIL" "$BENCH_PASSWORD" "$COLLECTION" "$RECORDS" "$WORK/ids.txt"
SERVERS=(basalt baseline)
if [[ -n ${BENCH_OTHER_DLL:-} ]]; then
  port=$(bench_free_port)
  bench_spawn other "$WORK/other.log" dotnet "$BENCH_OTHER_DLL" serve --http "127.0.0.1:$port" --dir "$WORK/other-data" --db "$BENCH_PG_URL"
  bench_wait_http "http://127.0.0.1:$port" other "$WORK/other.log"
  URL[other]="http://127.0.0.1:$port"
  SERVERS=(basalt other baseline)
fi
port=$(bench_free_port)
bench_spawn baseline "$WORK/baseline.log" dotnet "$BASELINE_DLL" --urls "http://127.0.0.1:$port" --table "$COLLECTION" --postgres "$PG_CONN"
bench_wait_http "http://127.0.0.1:$port" baseline "$WORK/baseline.log"
URL[baseline]="http://127.0.0.1:$port"

export BENCH_IDS="$WORK/ids.txt" BENCH_RECORDS_PATH="/api/collections/$COLLECTION/records"
records="/api/collections/$COLLECTION/records"
fq=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' 'n >= 5000 && status = "b"')
declare -A SCRIPT=([create]=create.lua [view]=view.lua [list]=get.lua [filter]=get.lua)
declare -A PATHS=([create]=$records [view]=$records [list]="$records?page=1&perPage=30" [filter]="$records?page=1&perPage=30&filter=$fq&sort=-n")
# The server that seeded has run 10,000 creates; the others only this warm-up. At a load of 20 and more, 2 s left the
# others' tiered JIT unfinished: the seeding server then led whichever build it was (2026-12-07).
for w in $WORKLOADS; do for s in "${SERVERS[@]}"; do bench_wrk "$CONNECTIONS" "$WARMUP" "${SCRIPT[$w]}" "${URL[$s]}${PATHS[$w]}" >/dev/null; done; done

# CPU time in clock ticks: a process's own, and PostgreSQL's (the postmaster, its exited children and its live ones).
TICK_MS=$((1000 / $(getconf CLK_TCK)))
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local pm t c
  pm=$(head -n 1 "$BENCH_PG_DATA/postmaster.pid")
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for c in $(pgrep -P "$pm"); do t=$((t + $(proc_ticks "$c"))); done
  echo "$t"
}
seconds=$(awk -v d="$DURATION" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; print n }')
per_request() { awk -v t="$1" -v ms="$TICK_MS" -v r="$2" -v s="$seconds" 'BEGIN { printf "%.2f", (r > 0 ? t * ms / (r * s) : 0) }'; }

declare -A RPS P99 APPCPU PGCPU
for ((r = 1; r <= ROUNDS; r++)); do
  for w in $WORKLOADS; do
    line="round $r $w:"
    # Each round starts with the next server, so none always follows the same one.
    for ((k = 0; k < ${#SERVERS[@]}; k++)); do
      s=${SERVERS[(k + r) % ${#SERVERS[@]}]}
      app0=$(proc_ticks "${BENCH_PIDS[$s]}") pg0=$(pg_ticks)
      read -r rps _ p99 errors <<<"$(bench_wrk "$CONNECTIONS" "$DURATION" "${SCRIPT[$w]}" "${URL[$s]}${PATHS[$w]}")"
      app1=$(proc_ticks "${BENCH_PIDS[$s]}") pg1=$(pg_ticks)
      RPS[$s-$w]+="$rps "
      P99[$s-$w]+="$p99 "
      APPCPU[$s-$w]+="$(per_request $((app1 - app0)) "$rps") "
      PGCPU[$s-$w]+="$(per_request $((pg1 - pg0)) "$rps") "
      line+=" $s $rps req/s p99 $p99 ms$( ((errors)) && echo " ($errors errors)" || true),"
    done
    echo "${line%,}"
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratios() { local a=($1) b=($2) i; for i in "${!a[@]}"; do awk -v x="${a[i]}" -v y="${b[i]}" 'BEGIN { printf "%.2f ", (y > 0 ? x / y : 0) }'; done; }
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $CONNECTIONS connections, $DURATION x $ROUNDS rounds; medians"
echo
header="| workload |"; rule="|---|"
for s in "${SERVERS[@]}"; do header+=" $s req/s | p99 ms |"; rule+="---:|---:|"; done
for s in "${SERVERS[@]}"; do if [[ $s != baseline ]]; then header+=" $s/baseline (rounds) |"; rule+="---:|"; fi; done
echo "$header"; echo "$rule"
for w in $WORKLOADS; do
  row="| $w |"
  for s in "${SERVERS[@]}"; do row+=" $(median <<<"${RPS[$s-$w]}") | $(median <<<"${P99[$s-$w]}") |"; done
  for s in "${SERVERS[@]}"; do
    [[ $s == baseline ]] && continue
    rs=$(ratios "${RPS[$s-$w]}" "${RPS[baseline-$w]}")
    row+=" $(median <<<"$rs") ($(sed 's/ $//' <<<"$rs")) |"
  done
  echo "$row"
done
echo
echo "CPU per request, ms (medians; server process | PostgreSQL cluster)"
echo
header="| workload |"; rule="|---|"
for s in "${SERVERS[@]}"; do header+=" $s server | $s PostgreSQL |"; rule+="---:|---:|"; done
echo "$header"; echo "$rule"
for w in $WORKLOADS; do
  row="| $w |"
  for s in "${SERVERS[@]}"; do row+=" $(median <<<"${APPCPU[$s-$w]}") | $(median <<<"${PGCPU[$s-$w]}") |"; done
  echo "$row"
done
