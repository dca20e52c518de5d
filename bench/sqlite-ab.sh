#!/usr/bin/env bash
# Two builds of Basalt on SQLite, interleaved in rounds: each round runs every workload against A and B in turn (the
# first one alternating), so a change of load on this shared machine hits both alike. Each server has its own data
# folder, seeded the same way (bench/seed.mjs). Prints every round, then the medians of req/s and p99 and B/A per round.
# With "create-id" (sequential client ids) or "create-rid" (random client ids) among the workloads, each build's creates
# with a client id are also set against its creates without one. CPU per request is the server process's CPU time
# (user + system) over the run divided by its requests: the figure other load on the machine disturbs least.
#
#   BENCH_A=DIR_A/Basalt.Cli BENCH_B=DIR_B/Basalt.Cli bench/sqlite-ab.sh
#
# Build each with `dotnet publish src/Basalt.Cli/Basalt.Cli.csproj -c Release -a amd64 -p:PublishAot=true -o DIR`
# from a `git archive` of the commit (what ./basalt builds), so the two differ only in their code.
# Knobs (env): BENCH_ROUNDS (5), BENCH_CONNECTIONS (32), BENCH_DURATION (6s), BENCH_RECORDS (10000),
#   BENCH_WORKLOADS ("view list filter create create-id"; also "create-rid").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init sqlite-ab

: "${BENCH_A:?BENCH_A: the executable of build A}" "${BENCH_B:?BENCH_B: the executable of build B}"
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-6s}
RECORDS=${BENCH_RECORDS:-10000}
WORKLOADS=${BENCH_WORKLOADS:-view list filter create create-id}
COLLECTION=bench
SERVERS=(A B)
declare -A BIN=([A]=$BENCH_A [B]=$BENCH_B) URL

bench_need_wrk
echo "machine: $(bench_machine); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for s in "${SERVERS[@]}"; do
  "${BIN[$s]}" superuser upsert "$BENCH_EMAIL" "$BENCH_PASSWORD" --dir "$WORK/$s-data" >"$WORK/$s-upsert.log" 2>&1
  port=$(bench_free_port)
  URL[$s]="http://127.0.0.1:$port"
  bench_spawn "$s" "$WORK/$s.log" "${BIN[$s]}" serve --http "127.0.0.1:$port" --dir "$WORK/$s-data"
  bench_wait_http "${URL[$s]}" "$s" "$WORK/$s.log"
  SEED_BATCH=500 node bench/seed.mjs "${URL[$s]}" "$BENCH_EMAIL" "$BENCH_PASSWORD" "$COLLECTION" "$RECORDS" "$WORK/$s-ids.txt" | sed "s/^/$s: /"
done

records="/api/collections/$COLLECTION/records"
fq=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' 'n >= 5000 && status = "b"')
declare -A SCRIPT=([create]=create.lua [create-id]=create-id.lua [create-rid]=create-rid.lua [view]=view.lua [list]=get.lua [filter]=get.lua)
declare -A PATHS=([create]=$records [create-id]=$records [create-rid]=$records [view]=$records [list]="$records?page=1&perPage=30" [filter]="$records?page=1&perPage=30&filter=$fq&sort=-n")
export BENCH_RECORDS_PATH=$records
run() { # run SERVER WORKLOAD DURATION: prints "req/s p50 p99 errors"
  BENCH_IDS="$WORK/$1-ids.txt" BENCH_ID_SEED=$RANDOM bench_wrk "$CONNECTIONS" "$3" "${SCRIPT[$2]}" "${URL[$1]}${PATHS[$2]}"
}
for w in $WORKLOADS; do for s in "${SERVERS[@]}"; do run "$s" "$w" 2s >/dev/null; done; done

TICK_MS=$((1000 / $(getconf CLK_TCK)))
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
seconds=$(awk -v d="$DURATION" 'BEGIN { n = d + 0; if (d ~ /m$/) n *= 60; print n }')
per_request_us() { awk -v t="$1" -v ms="$TICK_MS" -v r="$2" -v s="$seconds" 'BEGIN { printf "%.0f", (r > 0 ? t * ms * 1000 / (r * s) : 0) }'; }

declare -A RPS P99 CPU
for ((r = 1; r <= ROUNDS; r++)); do
  for w in $WORKLOADS; do
    line="round $r $w:"
    for ((k = 0; k < 2; k++)); do
      s=${SERVERS[(k + r) % 2]}
      t0=$(proc_ticks "${BENCH_PIDS[$s]}")
      read -r rps _ p99 errors <<<"$(run "$s" "$w" "$DURATION")"
      cpu=$(per_request_us $(($(proc_ticks "${BENCH_PIDS[$s]}") - t0)) "$rps")
      RPS[$s-$w]+="$rps "
      P99[$s-$w]+="$p99 "
      CPU[$s-$w]+="$cpu "
      line+=" $s $rps req/s p99 $p99 ms cpu $cpu us$( ((errors)) && echo " ($errors errors)" || true),"
    done
    echo "${line%,}"
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratios() { local a=($1) b=($2) i; for i in "${!a[@]}"; do awk -v x="${a[i]}" -v y="${b[i]}" 'BEGIN { printf "%.2f ", (y > 0 ? x / y : 0) }'; done; }
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $CONNECTIONS connections, $DURATION x $ROUNDS rounds; medians"
echo
echo "| workload | A req/s | A p99 ms | A CPU µs/req | B req/s | B p99 ms | B CPU µs/req | B/A req/s (rounds) | B/A CPU (rounds) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for w in $WORKLOADS; do
  rs=$(ratios "${RPS[B-$w]}" "${RPS[A-$w]}")
  cs=$(ratios "${CPU[B-$w]}" "${CPU[A-$w]}")
  echo "| $w | $(median <<<"${RPS[A-$w]}") | $(median <<<"${P99[A-$w]}") | $(median <<<"${CPU[A-$w]}") | $(median <<<"${RPS[B-$w]}") | $(median <<<"${P99[B-$w]}") | $(median <<<"${CPU[B-$w]}") | $(median <<<"$rs") ($(sed 's/ $//' <<<"$rs")) | $(median <<<"$cs") ($(sed 's/ $//' <<<"$cs")) |"
done
for with in create-id create-rid; do
  if [[ " $WORKLOADS " == *" create "* && " $WORKLOADS " == *" $with "* ]]; then
    echo
    for s in "${SERVERS[@]}"; do
      rs=$(ratios "${RPS[$s-$with]}" "${RPS[$s-create]}")
      echo "$s: creates with a client id ($with) / without, by round: $(sed 's/ $//' <<<"$rs"); median $(median <<<"$rs")"
    done
  fi
done
