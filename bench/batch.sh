#!/usr/bin/env bash
# Batch API (issue 12): 50 creates sent as one POST /api/batch against the same 50 creates sent one by one, one
# client, interleaved in the same run on the same server.
#
#   bench/batch.sh      prints the median time of each way and the ratio single / batch
#
# Knobs (env): BENCH_BATCH_ROUNDS (20 of each, interleaved), BENCH_DB (a postgres:// URL; SQLite when empty),
# BENCH_DURABILITY (full, Basalt's default, or fast; SQLite only).
# Fifty single creates pay fifty HTTP round trips and fifty commits (fsyncs in durable mode); a batch pays one of
# each, so the ratio grows with the cost of a commit. The machine is shared and noisy: the ratio is the figure to watch.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${BENCH_BATCH_ROUNDS:-20}
DB=${BENCH_DB:-}
DURABILITY=${BENCH_DURABILITY:-full}
EMAIL=bench-root@example.com
PASSWORD=bench-password-123
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basalt-batch.XXXXXX")
PID=""

cleanup() {
  if [[ -n $PID ]]; then
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=""
for _ in $(seq 1 200); do
  candidate=$((20000 + RANDOM % 30000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[[ -n $port ]] || { echo "no free port" >&2; exit 1; }

DB_ARGS=(--dir "$WORK/data")
if [[ -n $DB ]]; then DB_ARGS+=(--db "$DB"); else DB_ARGS+=(--durability "$DURABILITY"); fi
"$ROOT/basalt" superuser upsert "$EMAIL" "$PASSWORD" "${DB_ARGS[@]}" >/dev/null
"$ROOT/basalt" serve --http "127.0.0.1:$port" "${DB_ARGS[@]}" >"$WORK/server.log" 2>&1 &
PID=$!

BASE="http://127.0.0.1:$port" ROUNDS="$ROUNDS" EMAIL="$EMAIL" PASSWORD="$PASSWORD" DB_NAME="${DB:+PostgreSQL}" DURABILITY="$DURABILITY" \
  node --input-type=module - <<'JS'
const base = process.env.BASE, rounds = Number(process.env.ROUNDS), size = 50;
const call = (method, path, body, token) => fetch(base + path, {
  method,
  headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) },
  body: body === undefined ? undefined : JSON.stringify(body),
});

const deadline = Date.now() + 300000;
for (;;) {
  try { if ((await fetch(base + "/api/health")).ok) break; } catch {}
  if (Date.now() > deadline) { console.error("server did not come up"); process.exit(1); }
  await new Promise(r => setTimeout(r, 200));
}

const ok = async (res, what) => { if (!res.ok) { console.error(what, res.status, await res.text()); process.exit(1); } return res.json(); };
const root = await ok(await call("POST", "/api/collections/_superusers/auth-with-password", { identity: process.env.EMAIL, password: process.env.PASSWORD }), "sign-in");
const t = root.token;
await ok(await call("PATCH", "/api/settings", {
  rateLimits: { enabled: false },
  batch: { enabled: true, maxRequests: size, timeout: 30, maxBodySize: 0 },
}, t), "settings");
const rules = { listRule: "", viewRule: "", createRule: "", updateRule: "", deleteRule: "" };
const fields = [{ name: "title", type: "text" }, { name: "n", type: "number" }, { name: "body", type: "text" }];
await ok(await call("POST", "/api/collections", { name: "posts", type: "base", fields, ...rules }, t), "collection");

const url = "/api/collections/posts/records";
const record = (i) => ({ title: `post ${i}`, n: i, body: "x".repeat(200) });
async function singles() {
  for (let i = 0; i < size; i++) await ok(await call("POST", url, record(i)), "create");
}
async function batch() {
  const requests = Array.from({ length: size }, (_, i) => ({ method: "POST", url, body: record(i) }));
  const results = await ok(await call("POST", "/api/batch", { requests }), "batch");
  if (results.length !== size) { console.error("batch answered", results.length); process.exit(1); }
}
async function time(fn) {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

for (let i = 0; i < 3; i++) { await singles(); await batch(); }
const ms = { singles: [], batch: [] };
for (let i = 0; i < rounds; i++) { ms.singles.push(await time(singles)); ms.batch.push(await time(batch)); }

const median = xs => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const db = process.env.DB_NAME || `SQLite, durability ${process.env.DURABILITY}`;
console.log(`${size} creates, one client, ${rounds} rounds each, interleaved (${db})`);
for (const [name, label] of [["singles", `${size} single POSTs`], ["batch", `1 batch of ${size}`]]) {
  const m = median(ms[name]);
  console.log(`${label.padEnd(16)} median ${m.toFixed(1).padStart(8)} ms   ${(size * 1000 / m).toFixed(0).padStart(6)} records/s`);
}
console.log(`ratio single / batch: ${(median(ms.singles) / median(ms.batch)).toFixed(2)} x`);
JS
