#!/usr/bin/env bash
# The default list page with its total against the same page with skipTotal (issue 17: within 20 % at a million
# records), interleaved in rounds on one server so a change of load hits both alike; prints each round's ratio and
# the median.
#
#   bench/count-ab.sh
#
# Knobs (env): BENCH_RECORDS (1000000), BENCH_DATABASES ("sqlite postgres"), BENCH_ROUNDS (5), BENCH_CONNECTIONS (16),
#   BENCH_DURATION (5s). Records are written with SQL while the server is stopped, as bench/scale.sh does.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init count-ab

RECORDS=${BENCH_RECORDS:-1000000}
DATABASES=${BENCH_DATABASES:-sqlite postgres}
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
DURATION=${BENCH_DURATION:-5s}
COLLECTION=bench
bench_on_exit() { bench_postgres_stop; }

bench_need_wrk
[[ $DATABASES == *postgres* ]] && bench_need_postgres
echo "machine: $(bench_machine); load average: $(cut -d' ' -f1-3 /proc/loadavg); $RECORDS records"

for db in $DATABASES; do
  args=()
  if [[ $db == postgres ]]; then
    bench_postgres_db "ab_$RECORDS"
    args=(--db "$BENCH_PG_URL")
  fi
  bench_basalt "$db" "${args[@]}"
  node bench/seed.mjs "$BENCH_URL" "$BENCH_EMAIL" "$BENCH_PASSWORD" "$COLLECTION" 0 "" >/dev/null
  bench_stop "$db"
  forget="DELETE FROM _counts WHERE \"collectionId\" = (SELECT id FROM _collections WHERE name = '$COLLECTION')"
  if [[ $db == postgres ]]; then
    bench_postgres_sql "ab_$RECORDS" "INSERT INTO $COLLECTION (id, title, n, status, body, created, updated)
      SELECT 's' || lpad(i::text, 14, '0'), 'seed ' || i, i, (ARRAY['a','b','c'])[i % 3 + 1], 'lorem ipsum', '', '' FROM generate_series(0, $RECORDS - 1) AS i;
      $forget" >/dev/null
    bench_postgres_sql "ab_$RECORDS" "VACUUM ANALYZE" >/dev/null
  else
    sqlite3 "$BENCH_DATA/data.db" "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < $RECORDS - 1)
      INSERT INTO $COLLECTION (id, title, n, status, body, created, updated)
      SELECT printf('s%014d', i), 'seed ' || i, i, CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END, 'lorem ipsum', '', '' FROM s;
      $forget; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  fi
  bench_basalt "$db" "${args[@]}" --dir "$BENCH_DATA"
  base="$BENCH_URL/api/collections/$COLLECTION/records?page=1&perPage=30"
  bench_wrk "$CONNECTIONS" 3s get.lua "$base" >/dev/null
  bench_wrk "$CONNECTIONS" 3s get.lua "$base&skipTotal=1" >/dev/null
  ratios=()
  for ((r = 1; r <= ROUNDS; r++)); do
    read -r with _ <<<"$(bench_wrk "$CONNECTIONS" "$DURATION" get.lua "$base")"
    read -r without _ <<<"$(bench_wrk "$CONNECTIONS" "$DURATION" get.lua "$base&skipTotal=1")"
    ratio=$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
    ratios+=("$ratio")
    echo "$db round $r: with total $with req/s, skipTotal $without req/s, ratio $ratio"
  done
  echo "$db: median ratio with total / skipTotal: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
  bench_stop "$db"
done
