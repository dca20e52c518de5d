#!/usr/bin/env bash
# Issue 16: the four record workloads of bench/run.sh and the realtime fan-out of bench/realtime.sh with 1, 2 and 3
# Basalt nodes behind nginx on one PostgreSQL, plus one node without nginx (what the proxy itself costs).
#
#   bench/cluster.sh [NAME]      writes bench/results/<date>-<NAME>.md (NAME defaults to "cluster")
#
# For each set-up: a fresh database in one throwaway PostgreSQL cluster (stock durability: fsync and synchronous_commit
# on), N `./basalt serve --db` processes, Debian's nginx with docs/nginx-basalt.conf (only the ports replaced, the
# server lines of absent nodes removed), 10,000 seeded records, then wrk at $BENCH_CONNECTIONS connections through
# nginx (list page of 30, view by id, filtered + sorted list, create), then bench/Realtime with $BENCH_SUBSCRIBERS
# guests spread over 30 loopback addresses (nginx picks the realtime node by client address) and 50 creates through
# nginx. Every node, nginx, PostgreSQL and the load generators share the machine's cores: the figures show what the
# coordination costs, not what more machines would add.
#
# Knobs (env): BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_CONNECTIONS (32), BENCH_RECORDS (10000),
#   BENCH_SUBSCRIBERS (1000), BENCH_SETUPS ("direct 1 2 3").
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init cluster

NAME=${1:-cluster}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
RECORDS=${BENCH_RECORDS:-10000}
SUBSCRIBERS=${BENCH_SUBSCRIBERS:-1000}
SETUPS=${BENCH_SETUPS:-direct 1 2 3}
COLLECTION=bench
NGINX=/usr/sbin/nginx

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }

bench_on_exit() { bench_postgres_stop; }

step "Tools: wrk, PostgreSQL, nginx; building ./basalt and bench/Realtime"
bench_need_wrk
bench_need_postgres
if [[ ! -x $NGINX ]]; then
  info "nginx missing: installing Debian's nginx"
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
./basalt --help >/dev/null
dotnet build bench/Realtime -c Release -v q >/dev/null
LOADGEN=artifacts/bin/Realtime/release/Realtime
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
info "machine: $MACHINE; load average before: $LOAD_START; commit $COMMIT"

# start_nginx NODES PORT...: nginx on a free port in front of the given node ports; sets PROXY_URL
start_nginx() {
  local nodes=$1; shift
  local dir="$WORK/nginx-$nodes" port i
  mkdir -p "$dir"
  port=$(bench_free_port)
  sed "s/listen 80;/listen 127.0.0.1:$port;/" docs/nginx-basalt.conf >"$dir/basalt.conf"
  for i in 1 2 3; do
    if [[ $i -le $# ]]; then
      sed -i "s/127\.0\.0\.1:809$i /127.0.0.1:${!i} /" "$dir/basalt.conf"
    else
      sed -i "/127\.0\.0\.1:809$i /d" "$dir/basalt.conf"
    fi
  done
  cat >"$dir/nginx.conf" <<EOF
daemon off;
master_process off;
pid $dir/nginx.pid;
worker_rlimit_nofile 65536;
error_log $dir/error.log warn;
events { worker_connections 16384; }
http {
    access_log off;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    include $dir/basalt.conf;
}
EOF
  bench_spawn "nginx-$nodes" "$dir/out.log" "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  PROXY_URL="http://127.0.0.1:$port"
  bench_wait_http "$PROXY_URL" "nginx-$nodes" "$dir/error.log"
}

declare -a ROWS=()
declare -a RT_ROWS=()

run_setup() { # run_setup direct|1|2|3
  local setup=$1 nodes=$1 label url db i port
  if [[ $setup == direct ]]; then nodes=1; fi
  db="bench_$setup"
  bench_postgres_db "$db"
  local -a ports=()
  ./basalt superuser upsert "$BENCH_EMAIL" "$BENCH_PASSWORD" --dir "$WORK/$setup-node1" --db "$BENCH_PG_URL" >"$WORK/$setup-upsert.log" 2>&1 ||
    { cat "$WORK/$setup-upsert.log" >&2; exit 1; }
  for ((i = 1; i <= nodes; i++)); do
    port=$(bench_free_port)
    ports+=("$port")
    bench_spawn "$setup-node$i" "$WORK/$setup-node$i.log" ./basalt serve --http "127.0.0.1:$port" --dir "$WORK/$setup-node$i" --db "$BENCH_PG_URL"
    bench_wait_http "http://127.0.0.1:$port" "$setup-node$i" "$WORK/$setup-node$i.log"
  done
  if [[ $setup == direct ]]; then
    url="http://127.0.0.1:${ports[0]}"
    label="1 node, no nginx"
  else
    start_nginx "$setup" "${ports[@]}"
    url=$PROXY_URL
    label="$nodes node$(if [[ $nodes -gt 1 ]]; then echo s; fi) behind nginx"
  fi
  step "$label: seed $RECORDS records, then $CONNECTIONS connections, $DURATION per workload"
  SEED_BATCH=200 node bench/seed.mjs "$url" "$BENCH_EMAIL" "$BENCH_PASSWORD" "$COLLECTION" "$RECORDS" "$WORK/$setup-ids.txt" | sed 's/^/    /'

  export BENCH_IDS="$WORK/$setup-ids.txt" BENCH_RECORDS_PATH="/api/collections/$COLLECTION/records"
  local fq
  fq=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' 'n >= 5000 && status = "b"')
  local -a workloads=(
    "list page of 30|get.lua|/api/collections/$COLLECTION/records?page=1&perPage=30"
    "view by id|view.lua|/api/collections/$COLLECTION/records"
    "filtered + sorted list|get.lua|/api/collections/$COLLECTION/records?page=1&perPage=30&filter=$fq&sort=-n"
    "create|create.lua|/api/collections/$COLLECTION/records"
  )
  local row="| $label"
  for w in "${workloads[@]}"; do
    IFS='|' read -r wlabel script path <<<"$w"
    if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then bench_wrk "$CONNECTIONS" "$WARMUP" "$script" "$url$path" >/dev/null; fi
    read -r rps p50 p99 errors <<<"$(bench_wrk "$CONNECTIONS" "$DURATION" "$script" "$url$path")"
    printf '    %-24s %8s req/s   p50 %7s ms   p99 %7s ms   %s errors\n' "$wlabel" "$rps" "$p50" "$p99" "$errors"
    row+=" | $rps | $p50 | $p99"
    if [[ $errors -ne 0 ]]; then row+=" ($errors errors)"; fi
  done
  ROWS+=("$row |")

  step "$label: realtime fan-out, $SUBSCRIBERS guests over 30 loopback addresses, 50 creates one every 100 ms"
  local line
  line=$("$LOADGEN" --url "$url" --email "$BENCH_EMAIL" --password "$BENCH_PASSWORD" --subscribers "$SUBSCRIBERS" --sources 30 \
    --label "$label" --warmup 200 | tail -n 1)
  echo "    $line"
  # The generator's row: case, subscribers, p50, p90, p99, max, out of order, missing, events/s, create p50/p99, then
  # per-process memory and CPU, which it reads for one server pid and which do not apply to several nodes.
  RT_ROWS+=("$(awk -F'|' '{ printf "|"; for (i = 2; i <= 12; i++) printf "%s|", $i; printf "%s|\n", $17 }' <<<"$line")")

  for ((i = 1; i <= nodes; i++)); do bench_stop "$setup-node$i"; done
  if [[ $setup != direct ]]; then bench_stop "nginx-$setup"; fi
}

for setup in $SETUPS; do run_setup "$setup"; done

DATE=$(date -u +%Y-%m-%d)
mkdir -p bench/results
OUT="bench/results/$DATE-$NAME.md"
{
  echo "# Several nodes behind nginx: $NAME ($DATE)"
  echo
  echo "- Machine: $MACHINE; every node, nginx (one process), PostgreSQL and the load generators share its cores"
  echo "- Commit: $COMMIT; Basalt Release build through \`./basalt serve --db\`; nginx with docs/nginx-basalt.conf"
  echo "- PostgreSQL: a throwaway local cluster, stock durability (fsync on, synchronous_commit on), a fresh database per set-up"
  echo "- Load average (1/5/15 min) before: $LOAD_START; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "## Record workloads: wrk, $CONNECTIONS connections, $RECORDS seeded records, $DURATION each ($WARMUP warm-up)"
  echo
  echo "| set-up | list req/s | p50 ms | p99 ms | view req/s | p50 ms | p99 ms | filter req/s | p50 ms | p99 ms | create req/s | p50 ms | p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "## Realtime fan-out: $SUBSCRIBERS guests, 50 creates one every 100 ms (latency in ms from just before a create is sent to its arrival on a stream)"
  echo
  echo "| set-up | subscribers | p50 | p90 | p99 | max | out of order | missing | events/s | create p50 | create p99 | open s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${RT_ROWS[@]}"
} >"$OUT"

step "Results (also in $OUT)"
cat "$OUT"
