#!/usr/bin/env bash
# What sharing one PostgreSQL costs per request, measured with pgbench on a throwaway cluster (fsync on): a rate-limit
# hit (one UPSERT on the unlogged _rateLimits table), the realtime horizon's statements (max id + a fresh xid, then
# the oldest running xid), a NOTIFY after commit, and a plain durable insert into the change log for scale.
# Usage: bench/cluster-costs.sh [clients] [seconds]. Prints transactions/s and mean latency per workload.
set -euo pipefail
clients=${1:-16}
seconds=${2:-10}
work=$(mktemp -d)
trap 'runuser -u postgres -- pg_ctl -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
chown postgres "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
runuser -u postgres -- initdb -D "$work/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
runuser -u postgres -- pg_ctl -D "$work/data" -l "$work/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$work -c max_connections=200" start >/dev/null
psql=(psql -h 127.0.0.1 -p "$port" -U postgres -q -v ON_ERROR_STOP=1)
"${psql[@]}" -c 'CREATE UNLOGGED TABLE "_rateLimits" ("key" TEXT PRIMARY KEY, "ends" BIGINT NOT NULL, "count" INTEGER NOT NULL)'
"${psql[@]}" -c 'CREATE TABLE "_changes" ("id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "created" BIGINT NOT NULL, "collectionId" TEXT NOT NULL, "recordId" TEXT NOT NULL, "action" TEXT NOT NULL, "record" TEXT NOT NULL)'
cat >"$work/ratelimit.sql" <<'SQL'
\set ip random(1, 1000)
INSERT INTO "_rateLimits" AS r ("key", "ends", "count") VALUES ('posts:list@' || CAST(:ip AS text), CAST(extract(epoch from now()) AS bigint) * 1000 + 60000, 1) ON CONFLICT ("key") DO UPDATE SET "count" = CASE WHEN r."ends" <= CAST(extract(epoch from now()) AS bigint) * 1000 THEN 1 ELSE r."count" + 1 END RETURNING "count";
SQL
cat >"$work/horizon.sql" <<'SQL'
SELECT COALESCE(MAX("id"), 0), pg_current_xact_id()::text FROM "_changes";
SELECT pg_snapshot_xmin(pg_current_snapshot())::text;
SQL
cat >"$work/notify.sql" <<'SQL'
SELECT pg_notify('basalt_changes', 'node-1 12345');
SQL
cat >"$work/append.sql" <<'SQL'
INSERT INTO "_changes" ("created", "collectionId", "recordId", "action", "record") VALUES (0, 'c', 'r', 'create', '{"id":"r","title":"hello"}') RETURNING "id";
SQL
printf '| workload | clients | tx/s | mean ms |\n|---|---:|---:|---:|\n'
for w in ratelimit horizon notify append; do
  out=$(pgbench -h 127.0.0.1 -p "$port" -U postgres -n -M simple -c "$clients" -j 2 -T "$seconds" -f "$work/$w.sql" postgres 2>&1)
  tps=$(grep -oP 'tps = \K[0-9.]+' <<<"$out" | head -1)
  lat=$(grep -oP 'latency average = \K[0-9.]+' <<<"$out")
  [[ -n "$tps" ]] || { echo "$out" >&2; exit 1; }
  printf "| %s | %s | %.0f | %s |\n" "$w" "$clients" "$tps" "$lat"
done
