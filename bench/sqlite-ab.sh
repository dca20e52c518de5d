#!/usr/bin/env bash
# Two builds of Basalt on SQLite, interleaved in rounds: each round runs every workload against A and B in turn (the
# first one alternating), so a change of load on this shared machine hits both alike. Each server has its own data
# folder, seeded the same way (bench/seed.mjs). Prints every round, then the medians of req/s and p99 and B/A per round.
# With "create-id" among the workloads, B's creates with a client id are also set against its creates without one.
#
#   BENCH_A=DIR_A/Basalt.Cli BENCH_B=DIR_B/Basalt.Cli bench/sqlite-ab.sh
#
# Build each with `dotnet publish src/Basalt.Cli/Basalt.Cli.csproj -c Release -a amd64 -p:PublishAot=true -o DIR`
# from a `git archive` of the commit (what ./basalt builds), so the two differ only in their code.
# Knobs (env): BENCH_ROUNDS (5), BENCH_CONNECTIONS (32), BENCH_DURATION (6s), BENCH_RECORDS (10000),
#   BENCH_WORKLOADS ("view list filter create create-id").
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
declare -A SCRIPT=([create]=create.lua [create-id]=create-id.lua [view]=view.lua [list]=get.lua [filter]=get.lua)
declare -A PATHS=([create]=$records [create-id]=$records [view]=$records [list]="$records?page=1&perPage=30" [filter]="$records?page=1&perPage=30&filter=$fq&sort=-n")
export BENCH_RECORDS_PATH=$records
run() { # run SERVER WORKLOAD DURATION: prints "req/s p50 p99 errors"
  BENCH_IDS="$WORK/$1-ids.txt" BENCH_ID_SEED=$RANDOM bench_wrk "$CONNECTIONS" "$3" "${SCRIPT[$2]}" "${URL[$1]}${PATHS[$2]}"
}
for w in $WORKLOADS; do for s in "${SERVERS[@]}"; do run "$s" "$w" 2s >/dev/null; done; done

declare -A RPS P99
for ((r = 1; r <= ROUNDS; r++)); do
  for w in $WORKLOADS; do
    line="round $r $w:"
    for ((k = 0; k < 2; k++)); do
      s=${SERVERS[(k + r) % 2]}
      read -r rps _ p99 errors <<<"$(run "$s" "$w" "$DURATION")"
      RPS[$s-$w]+="$rps "
      P99[$s-$w]+="$p99 "
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
echo "| workload | A req/s | A p99 ms | B req/s | B p99 ms | B/A (rounds) |"
echo "|---|---:|---:|---:|---:|---:|"
for w in $WORKLOADS; do
  rs=$(ratios "${RPS[B-$w]}" "${RPS[A-$w]}")
  echo "| $w | $(median <<<"${RPS[A-$w]}") | $(median <<<"${P99[A-$w]}") | $(median <<<"${RPS[B-$w]}") | $(median <<<"${P99[B-$w]}") | $(median <<<"$rs") ($(sed 's/ $//' <<<"$rs")) |"
done
if [[ " $WORKLOADS " == *" create "* && " $WORKLOADS " == *" create-id "* ]]; then
  echo
  for s in "${SERVERS[@]}"; do
    rs=$(ratios "${RPS[$s-create-id]}" "${RPS[$s-create]}")
    echo "$s: creates with a client id / without, by round: $(sed 's/ $//' <<<"$rs"); median $(median <<<"$rs")"
  done
fi
