#!/usr/bin/env bash
# What keeping a collection's row count costs concurrent creates on PostgreSQL (issue 17, after issue 13 took the
# change log's order lock away): pgbench, 16 clients creating in ONE collection, each transaction a record insert and
# its change-log entry, on a throwaway cluster with fsync and synchronous_commit on:
#   none    no kept count (the floor)
#   single  + one count row per collection, updated in the transaction (Basalt before: the row stays locked through
#           the commit's WAL flush, so the collection's creates commit one at a time)
#   slots   + one of 32 slot rows per collection, the first no open transaction holds from the client's own slot on
#           (FOR UPDATE SKIP LOCKED, the statement of PostgresDialect.AppendAddToRowCount: what Basalt does)
# Variants alternate in ROUNDS rounds (the machine is shared; one variant's figures do not all fall in a busy minute).
#   bench/rowcount-slots.sh [SECONDS] [ROUNDS]     (default 10 s, 3 rounds; prints a Markdown table of medians)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init rowcount-slots
SECONDS_PER=${1:-10}
ROUNDS=${2:-3}
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
     -c 'CREATE TABLE single (collection text PRIMARY KEY, count bigint NOT NULL); INSERT INTO single VALUES ('"'posts'"', 0)' \
     -c 'CREATE TABLE slots (collection text NOT NULL, slot integer NOT NULL, count bigint NOT NULL, PRIMARY KEY (collection, slot)); INSERT INTO slots SELECT '"'posts'"', s, 0 FROM generate_series(0, 31) s'

write_script() { # write_script NAME: the transaction of one variant
  {
    echo "BEGIN;"
    echo "INSERT INTO posts VALUES (md5(random()::text || clock_timestamp()::text), '$1', random());"
    case $1 in
      single) echo "UPDATE single SET count = count + 1 WHERE collection = 'posts';" ;;
      # From a slot of the client's own up, then below it, as PostgresCountSlots gives each of a node's writers.
      slots) echo "WITH up AS (SELECT slot FROM slots WHERE collection = 'posts' AND slot >= :client_id % 32 ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED), down AS (SELECT slot FROM slots WHERE collection = 'posts' AND slot < :client_id % 32 ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE slots SET count = count + 1 WHERE collection = 'posts' AND slot = COALESCE((SELECT slot FROM up), (SELECT slot FROM down), pg_backend_pid() % 32);" ;;
    esac
    echo "INSERT INTO changes (created, collection, record_id, action, record) VALUES (0, 'posts', 'x', 'create', '{\"title\":\"title\",\"n\":1}');"
    echo "COMMIT;"
  } >"$WORK/$1.sql"
}

VARIANTS=(none single slots)
for variant in "${VARIANTS[@]}"; do write_script "$variant"; done
declare -A TPS LAT
for ((round = 1; round <= ROUNDS; round++)); do
  for variant in "${VARIANTS[@]}"; do
    out=$(pgbench -h 127.0.0.1 -p "$PORT" -U postgres -n -c 16 -j 2 -T "$SECONDS_PER" -f "$WORK/$variant.sql" postgres 2>&1)
    TPS[$variant]+="$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -n 1) "
    LAT[$variant]+="$(sed -nE 's/^latency average = ([0-9.]+) ms/\1/p' <<<"$out") "
  done
done
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

single_rows=$(psql -Atc "SELECT count(*) FROM posts WHERE title = 'single'")
slots_rows=$(psql -Atc "SELECT count(*) FROM posts WHERE title = 'slots'")
single=$(psql -Atc "SELECT count FROM single")
slots=$(psql -Atc "SELECT sum(count) FROM slots")
used=$(psql -Atc "SELECT count(*) FROM slots WHERE count > 0")
echo "Machine: $(bench_machine); PostgreSQL $(command psql --version | awk '{print $3}'), fsync and synchronous_commit on; 16 clients, one collection, ${SECONDS_PER} s x ${ROUNDS} rounds per variant (medians; every round in brackets)."
echo
echo "| variant | transactions/s | latency avg ms |"
echo "|---|---:|---:|"
for variant in "${VARIANTS[@]}"; do
  printf '| %s | %.0f (%s) | %s |\n' "$variant" "$(median <<<"${TPS[$variant]}")" "$(for t in ${TPS[$variant]}; do printf '%.0f ' "$t"; done | sed 's/ $//')" "$(median <<<"${LAT[$variant]}")"
done
echo
echo "Exact: the single row holds $single for $single_rows records of its variant, the slots sum to $slots for $slots_rows records of theirs ($used of 32 slots used)."
