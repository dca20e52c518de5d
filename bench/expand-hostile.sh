#!/usr/bin/env bash
# Cost of a hostile nested expand (issue 10, item 9): fifty records of a self-relation, each linking to all fifty, listed
# with perPage=500 and expand=rel.rel.rel.rel.rel.rel (50^7 records if nothing bounded it), against a plain list of the
# same page and a one-level expand (2,500 expanded records, a legitimate heavy page).
#
#   bench/expand-hostile.sh      prints the median latency of each and the ratio hostile / plain
#
# Knobs (env): BENCH_EXPAND_ROUNDS (30 of each, interleaved), BENCH_DB (a postgres:// URL; SQLite when empty).
# Basalt refuses the hostile request (400, more than 10,000 expanded records) before loading its third level, so the
# ratio stays near that of the one-level expand; the machine is noisy, so the ratio is the figure to watch.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${BENCH_EXPAND_ROUNDS:-30}
DB=${BENCH_DB:-}
EMAIL=bench-root@example.com
PASSWORD=bench-password-123
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basalt-expand.XXXXXX")
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
[[ -n $DB ]] && DB_ARGS+=(--db "$DB")
"$ROOT/basalt" superuser upsert "$EMAIL" "$PASSWORD" "${DB_ARGS[@]}" --log-level warn >/dev/null
"$ROOT/basalt" serve --http "127.0.0.1:$port" "${DB_ARGS[@]}" >"$WORK/server.log" 2>&1 &
PID=$!

BASE="http://127.0.0.1:$port" ROUNDS="$ROUNDS" EMAIL="$EMAIL" PASSWORD="$PASSWORD" node --input-type=module - <<'JS'
const base = process.env.BASE, rounds = Number(process.env.ROUNDS);
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

const root = await (await call("POST", "/api/collections/_superusers/auth-with-password", { identity: process.env.EMAIL, password: process.env.PASSWORD })).json();
const t = root.token;
const ok = async (res, what) => { if (!res.ok) { console.error(what, res.status, await res.text()); process.exit(1); } return res.json(); };
await ok(await call("PATCH", "/api/settings", { rateLimits: { enabled: false } }, t), "settings");
const rules = { listRule: "", viewRule: "", createRule: "", updateRule: "", deleteRule: "" };
const mesh = await ok(await call("POST", "/api/collections", { name: "mesh", type: "base", fields: [{ name: "n", type: "number" }], ...rules }, t), "collection");
await ok(await call("PATCH", `/api/collections/${mesh.id}`, { fields: [{ name: "n", type: "number" }, { name: "rel", type: "relation", collectionId: mesh.id, maxSelect: 99 }] }, t), "relation field");
const ids = [];
for (let i = 0; i < 50; i++) ids.push((await ok(await call("POST", "/api/collections/mesh/records", { n: i }, t), "record")).id);
for (const id of ids) await ok(await call("PATCH", `/api/collections/mesh/records/${id}`, { rel: ids }, t), "link");

const list = "/api/collections/mesh/records?perPage=500";
async function time(query) {
  const started = process.hrtime.bigint();
  const res = await fetch(base + list + query);
  const text = await res.text();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, status: res.status, bytes: text.length };
}

const cases = [["plain list", ""], ["expand=rel", "&expand=rel"], ["expand=rel x6", "&expand=rel.rel.rel.rel.rel.rel"]];
for (let i = 0; i < 3; i++) for (const [, q] of cases) await time(q);
const results = Object.fromEntries(cases.map(([name]) => [name, []]));
const last = {};
for (let i = 0; i < rounds; i++) for (const [name, q] of cases) { const r = await time(q); results[name].push(r.ms); last[name] = r; }

const median = xs => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const plain = median(results["plain list"]);
console.log(`GET ${list}, 50 records linking to all 50, ${rounds} rounds each, interleaved (${process.env.BENCH_DB ? "PostgreSQL" : "SQLite"})`);
for (const [name] of cases) {
  const m = median(results[name]);
  console.log(`${name.padEnd(16)} median ${m.toFixed(2).padStart(8)} ms   ${(m / plain).toFixed(2).padStart(6)} x plain   status ${last[name].status}, ${last[name].bytes} bytes`);
}
JS
