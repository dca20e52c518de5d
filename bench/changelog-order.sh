#!/usr/bin/env bash
# What keeping the change log in commit order costs on PostgreSQL (issue 13): pgbench, 16 clients, each transaction one
# record insert plus its change-log entry, on a throwaway cluster with fsync and synchronous_commit on:
#   none      the record insert alone (no change log)
#   sequence  + an entry whose id is an identity (what Basalt does: the server tracks appends still open and its reader
#             stays below the oldest, so ids need not be handed out in commit order; see Storage/Changes/ChangeFeed.cs)
#   advisory  + pg_advisory_xact_lock, then the entry (ids in commit order by holding a lock through every commit)
#   counter   + a single-row counter updated in the transaction for the id (the other way to commit-ordered ids)
#   bench/changelog-order.sh [SECONDS]     (default 20 per variant; prints a Markdown table)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init changelog-order
SECONDS_PER=${1:-20}
PG="$WORK/pg"
mkdir -p "$PG"
if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$PG"; chmod 755 "$WORK"; RUN=(runuser -u postgres --); else RUN=(); fi
PORT=$(bench_free_port)
"${RUN[@]}" initdb -D "$PG/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
"${RUN[@]}" pg_ctl -D "$PG/data" -l "$PG/log" -w -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PG -c max_connections=100" start >/dev/null
bench_on_exit() { "${RUN[@]}" pg_ctl -D "$PG/data" -m immediate -w stop >/dev/null 2>&1 || true; }
psql() { command psql -h 127.0.0.1 -p "$PORT" -U postgres -q -v ON_ERROR_STOP=1 "$@"; }
psql -c 'CREATE TABLE posts (id text PRIMARY KEY, title text NOT NULL, n double precision NOT NULL)' \
     -c 'CREATE TABLE changes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, created bigint NOT NULL, collection text NOT NULL, record_id text NOT NULL, action text NOT NULL, record text NOT NULL)' \
     -c 'CREATE TABLE changes_counter (id bigint PRIMARY KEY, record_id text NOT NULL, record text NOT NULL)' \
     -c 'CREATE TABLE counter (v bigint NOT NULL); INSERT INTO counter VALUES (0)'

write_script() { # write_script NAME: the transaction of one variant
  local insert="INSERT INTO posts VALUES (md5(random()::text || clock_timestamp()::text), 'title', random());"
  local entry="INSERT INTO changes (created, collection, record_id, action, record) VALUES (0, 'posts', 'x', 'create', '{\"title\":\"title\",\"n\":1}');"
  {
    echo "BEGIN;"
    echo "$insert"
    case $1 in
      sequence) echo "$entry" ;;
      advisory) echo "SELECT pg_advisory_xact_lock(7283402);"; echo "$entry" ;;
      counter) echo "WITH n AS (UPDATE counter SET v = v + 1 RETURNING v) INSERT INTO changes_counter SELECT v, 'x', '{}' FROM n;" ;;
    esac
    echo "COMMIT;"
  } >"$WORK/$1.sql"
}

echo "Machine: $(bench_machine); PostgreSQL $(command psql --version | awk '{print $3}'), fsync and synchronous_commit on; 16 clients, ${SECONDS_PER} s each."
echo
echo "| variant | transactions/s | latency avg ms |"
echo "|---|---:|---:|"
for variant in none sequence advisory counter; do
  write_script "$variant"
  out=$(pgbench -h 127.0.0.1 -p "$PORT" -U postgres -n -c 16 -j 2 -T "$SECONDS_PER" -f "$WORK/$variant.sql" postgres 2>&1)
  tps=$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -n 1)
  lat=$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' <<<"$out")
  printf '| %s | %.0f | %s |\n' "$variant" "$tps" "$lat"
done
