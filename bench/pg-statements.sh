#!/usr/bin/env bash
# What one request sends to PostgreSQL: a private cluster logs every statement (log_statement = all), a Basalt seeds
# the benchmark collection, makes a few of the requests to warm its pool (prepared statements are planned once per
# connection), then one more whose statements are printed. "execute _pN" lines ran a prepared statement,
# "execute <unnamed>" an unprepared one, "statement:" lines the simple protocol (BEGIN, COMMIT).
#
#   bench/pg-statements.sh [DLL]     # DLL: a Basalt.Cli.dll to run instead of ./basalt (bench/publish.sh makes one)
#
# BENCH_REQUEST picks the request: create (the default), view (one record by id), list (page 1 of 30) or filter
# (pg-ab.sh's filtered and sorted page: n >= 5000 && status = "b", sort -n).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init pg-statements
bench_on_exit() { bench_postgres_stop; }
bench_need_postgres
bench_postgres_db bench
bench_postgres_sql bench "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
bench_postgres_sql bench "SELECT pg_reload_conf()" >/dev/null
if [[ -n ${1:-} ]]; then
  dotnet "$1" superuser upsert "$BENCH_EMAIL" "$BENCH_PASSWORD" --dir "$WORK/data" --db "$BENCH_PG_URL" >/dev/null 2>&1 || true
  port=$(bench_free_port)
  bench_spawn basalt "$WORK/basalt.log" dotnet "$1" serve --http "127.0.0.1:$port" --dir "$WORK/data" --db "$BENCH_PG_URL"
  BENCH_URL="http://127.0.0.1:$port"
  bench_wait_http "$BENCH_URL" basalt "$WORK/basalt.log"
else
  bench_basalt basalt --db "$BENCH_PG_URL"
fi
node bench/seed.mjs "$BENCH_URL" "$BENCH_EMAIL" "$BENCH_PASSWORD" bench "${BENCH_RECORDS:-50}" "$WORK/ids.txt" >/dev/null
records="$BENCH_URL/api/collections/bench/records"
fq=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' 'n >= 5000 && status = "b"')
request() {
  case ${BENCH_REQUEST:-create} in
    create) curl -fsS -o /dev/null -H 'content-type: application/json' -d '{"title":"t","n":1,"status":"a","body":"b"}' "$records" ;;
    view) curl -fsS -o /dev/null "$records/$(head -n 1 "$WORK/ids.txt")" ;;
    list) curl -fsS -o /dev/null "$records?page=1&perPage=30" ;;
    filter) curl -fsS -o /dev/null "$records?page=1&perPage=30&filter=$fq&sort=-n" ;;
    *) echo "BENCH_REQUEST: create, view, list or filter" >&2; exit 2 ;;
  esac
}
for _ in $(seq 1 20); do request; done
sleep 1
log="$WORK/pg/pg.log"
from=$(wc -l <"$log")
request
sleep 1
tail -n +"$((from + 1))" "$log" | grep -E '(LOG|DETAIL):  (statement|execute|parameters)' | sed -E 's/^.*(LOG|DETAIL):  //' | cut -c1-${BENCH_WIDTH:-160}
