#!/usr/bin/env bash
# Scale benchmark (issue 17): the same requests against one collection at growing sizes, on SQLite and PostgreSQL, to
# see how each cost grows with the data.
#
#   bench/scale.sh [NAME]        writes bench/results/<date>-<NAME>.md (NAME defaults to "scale")
#
# For each database and each size: a fresh server (durable defaults), the collection of bench/seed.mjs (with an extra
# index on n), its records, the size of the database, then each workload at $BENCH_CONNECTIONS connections after a
# warm-up. The records are written with SQL while the server is stopped (BENCH_SEED=sql, the default: a million
# records in seconds), the way an operator would load them: the collection's row of _counts is deleted with them, so
# the next start counts the table once; BENCH_SEED=api seeds through /api/batch instead (minutes per 100,000).
# The workloads:
#   list page of 30 with its total (what the SDK's getList asks for), the same page with skipTotal, a page sorted on
#   the indexed n, get by id, an indexed range filter (status and a range of n, about 1,000 rows, with the total), an
#   unindexed `title ~` filter (a scan; bounded by the read deadline), and creates without and with a client id
#   (alternated, two runs each, last so the reads see the seeded size).
#
# Knobs (env): BENCH_SIZES ("10000 1000000"), BENCH_DATABASES ("sqlite postgres"), BENCH_CONNECTIONS (16),
#   BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_SEED (sql or api), BENCH_SEED_BATCH (500 records per batch request).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init scale

NAME=${1:-scale}
SIZES=${BENCH_SIZES:-10000 1000000}
DATABASES=${BENCH_DATABASES:-sqlite postgres}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-2s}
SEED_BATCH=${BENCH_SEED_BATCH:-500}
SEED=${BENCH_SEED:-sql}
COLLECTION=bench
FILLER=$(printf 'lorem ipsum %.0s' 1 2 3 4 5 6 7 8)
STAMP='2026-01-01 00:00:00.000Z'

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
urlencode() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }
human() { awk -v b="$1" 'BEGIN { split("B KB MB GB", u); i = 1; while (b >= 1024 && i < 4) { b /= 1024; i++ } printf "%.1f %s", b, u[i] }'; }

bench_on_exit() { bench_postgres_stop; }

# measure LABEL SCRIPT URL: warm-up, then one measured run; sets RESULT_LINE to "rps p50 p99 errors"
measure() {
  local label=$1 script=$2 url=$3
  if [[ $WARMUP != 0 && $WARMUP != 0s ]]; then BENCH_ID_SEED=$RANDOM$RANDOM bench_wrk "$CONNECTIONS" "$WARMUP" "$script" "$url" >/dev/null; fi
  RESULT_LINE=$(BENCH_ID_SEED=$RANDOM$RANDOM bench_wrk "$CONNECTIONS" "$DURATION" "$script" "$url")
  read -r rps p50 p99 errors <<<"$RESULT_LINE"
  printf '    %-34s %8s req/s   p50 %8s ms   p99 %8s ms%s\n' "$label" "$rps" "$p50" "$p99" \
    "$([[ $errors -ne 0 ]] && echo "   ($errors errors)")"
}

step "Tools: wrk, node, sqlite3, PostgreSQL"
bench_need_wrk
if [[ $SEED == sql ]] && ! command -v sqlite3 >/dev/null; then
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  bench_as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 >/dev/null
fi
[[ $DATABASES == *postgres* ]] && bench_need_postgres
MACHINE=$(bench_machine)
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
info "machine: $MACHINE; load average before: $LOAD_START"

declare -a ROWS=()
declare -A RPS=()
declare -a LABELS=()

seed_sql() { # seed_sql sqlite|postgres SIZE: the records of seed.mjs, ids s00000000000000…, and no _counts row
  local db=$1 size=$2
  local forget="DELETE FROM _counts WHERE \"collectionId\" = (SELECT id FROM _collections WHERE name = '$COLLECTION')"
  if [[ $db == postgres ]]; then
    bench_postgres_sql "bench_$size" "INSERT INTO $COLLECTION (id, title, n, status, body, created, updated)
      SELECT 's' || lpad(i::text, 14, '0'), 'seed ' || i, i, (ARRAY['a','b','c'])[i % 3 + 1], '$FILLER', '$STAMP', '$STAMP'
      FROM generate_series(0, $size - 1) AS i; $forget" >/dev/null
  else
    sqlite3 "$BENCH_DATA/data.db" "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $size - 1)
      INSERT INTO $COLLECTION (id, title, n, status, body, created, updated)
      SELECT printf('s%014d', i), 'seed ' || i, i, CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END, '$FILLER', '$STAMP', '$STAMP'
      FROM s; $forget; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  fi
}

run_size() { # run_size sqlite|postgres SIZE
  local db=$1 size=$2 key="$1-$2" args=() bytes
  if [[ $db == postgres ]]; then
    bench_postgres_db "bench_$size"
    args=(--db "$BENCH_PG_URL")
  fi
  step "$db, $size records"
  bench_basalt "$key" "${args[@]}"
  if [[ $SEED == api ]]; then
    SEED_BATCH=$SEED_BATCH SEED_INDEX_N=1 node bench/seed.mjs "$BENCH_URL" "$BENCH_EMAIL" "$BENCH_PASSWORD" "$COLLECTION" "$size" "$WORK/ids-$key.txt" | sed 's/^/    /'
  else
    SEED_INDEX_N=1 node bench/seed.mjs "$BENCH_URL" "$BENCH_EMAIL" "$BENCH_PASSWORD" "$COLLECTION" 0 "" >/dev/null
    bench_stop "$key"
    local started=$SECONDS
    seed_sql "$db" "$size"
    info "seeded $size records with SQL in $((SECONDS - started)) s"
    seq 0 $((size - 1)) | awk '{ printf "s%014d\n", $1 }' >"$WORK/ids-$key.txt"
    bench_basalt "$key" "${args[@]}" --dir "$BENCH_DATA"
  fi
  if [[ $db == postgres ]]; then
    bench_postgres_sql "bench_$size" "VACUUM ANALYZE" >/dev/null
    bytes=$(bench_postgres_sql "bench_$size" "SELECT pg_database_size(current_database())")
  else
    bytes=$(du -cb "$BENCH_DATA"/data.db* | tail -n 1 | cut -f1)
  fi
  info "database size: $(human "$bytes")"

  export BENCH_IDS="$WORK/ids-$key.txt" BENCH_RECORDS_PATH="/api/collections/$COLLECTION/records"
  local base="$BENCH_URL/api/collections/$COLLECTION/records" middle=$((size / 2))
  local range title
  range=$(urlencode "status = \"b\" && n >= $middle && n < $((middle + 3000))")
  title=$(urlencode 'title ~ "seed 4242"')
  local -a workloads=(
    "list page of 30, with total|get.lua|$base?page=1&perPage=30"
    "list page of 30, skipTotal|get.lua|$base?page=1&perPage=30&skipTotal=1"
    "sort on indexed n, with total|get.lua|$base?page=1&perPage=30&sort=-n"
    "get by id|view.lua|$base"
    "indexed range filter, with total|get.lua|$base?page=1&perPage=30&filter=$range"
    "unindexed ~ filter, with total|get.lua|$base?page=1&perPage=30&filter=$title"
    "create|create.lua|$base"
    "create with id|create-id.lua|$base"
    "create (2nd run)|create.lua|$base"
    "create with id (2nd run)|create-id.lua|$base"
  )
  local w label script url
  # One warm-up pass over the reads first: the runtime's tiered JIT would otherwise make whichever workload runs first
  # look slower than the others. Not the ~ filter: its requests go on in the server up to the read deadline after wrk
  # stops, and would slow the first measurement.
  for w in "${workloads[@]:0:5}"; do
    IFS='|' read -r label script url <<<"$w"
    bench_wrk "$CONNECTIONS" "$WARMUP" "$script" "$url" >/dev/null
  done
  for w in "${workloads[@]}"; do
    IFS='|' read -r label script url <<<"$w"
    measure "$label" "$script" "$url"
    read -r rps p50 p99 errors <<<"$RESULT_LINE"
    ROWS+=("| $db | $size | $(human "$bytes") | $label | $rps | $p50 | $p99 | $errors |")
    RPS[$db|$size|$label]=$rps
    [[ " ${LABELS[*]} " == *" $label "* ]] || LABELS+=("$label")
  done
  bench_stop "$key"
}

DATE=$(date -u +%Y-%m-%d)
mkdir -p bench/results
OUT="bench/results/$DATE-$NAME.md"
read -r -a SIZE_LIST <<<"$SIZES"
FIRST=${SIZE_LIST[0]}
LAST=${SIZE_LIST[${#SIZE_LIST[@]}-1]}

# Written again after each size, so a run cut short still leaves what it measured.
write_results() {
local db label line
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Basalt scale benchmark: $NAME ($DATE)"
  echo
  echo "- Machine: $MACHINE"
  echo "- Commit: $COMMIT; Release build through \`./basalt serve\`, durable defaults; wrk on the same machine"
  echo "- $CONNECTIONS connections, $WARMUP warm-up then $DURATION per workload; sizes: $SIZES"
  echo "- Load average (1/5/15 min) before: $LOAD_START; after: $LOAD_END"
  echo
  echo "| database | records | database size | workload | req/s | p50 ms | p99 ms | errors |"
  echo "|---|---:|---:|---|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "## Growth: req/s at $LAST records as a share of req/s at $FIRST"
  echo
  echo "| workload | $(for db in $DATABASES; do printf '%s | ' "$db"; done | sed 's/ | $//') |"
  echo "|---|$(for _ in $DATABASES; do printf -- '---:|'; done)"
  for label in "${LABELS[@]}"; do
    line="| $label |"
    for db in $DATABASES; do
      line+=" $(awk -v a="${RPS[$db|$LAST|$label]:-0}" -v b="${RPS[$db|$FIRST|$label]:-0}" 'BEGIN { if (b > 0) printf "%.0f %%", 100 * a / b; else print "n/a" }') |"
    done
    echo "$line"
  done
} >"$OUT"
}

for db in $DATABASES; do
  for size in $SIZES; do
    run_size "$db" "$size"
    write_results
  done
done

step "Results (also in $OUT)"
cat "$OUT"
