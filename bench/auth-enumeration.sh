#!/usr/bin/env bash
# Timing side channel check for auth-with-password (issue 3, "no user enumeration"): an unknown identity must cost about
# as much as a known identity with a wrong password, since both run one bcrypt verification.
#
#   bench/auth-enumeration.sh            prints the median and mean latency of each and their ratio (unknown / wrong)
#
# Knobs (env): BENCH_AUTH_ROUNDS (200 of each, interleaved), BENCH_DB (a postgres:// URL; SQLite when empty).
# A ratio near 1.00 (say 0.85-1.15 on a quiet machine) means the answer time does not tell whether an account exists.
# Timing is measured here rather than in xunit, where a shared, loaded machine would make the assertion flaky.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${BENCH_AUTH_ROUNDS:-200}
DB=${BENCH_DB:-}
EMAIL=bench-root@example.com
PASSWORD=bench-password-123
WORK=$(mktemp -d "${TMPDIR:-/tmp}/basalt-enum.XXXXXX")
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
const post = (path, body, token) => fetch(base + path, {
  method: body === undefined ? "GET" : path.startsWith("/api/settings") ? "PATCH" : "POST",
  headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) },
  body: body === undefined ? undefined : JSON.stringify(body),
});

const deadline = Date.now() + 120000;
for (;;) {
  try { if ((await fetch(base + "/api/health")).ok) break; } catch {}
  if (Date.now() > deadline) { console.error("server did not come up"); process.exit(1); }
  await new Promise(r => setTimeout(r, 200));
}

const root = await (await post("/api/collections/_superusers/auth-with-password", { identity: process.env.EMAIL, password: process.env.PASSWORD })).json();
// Rate limits would answer 429 long before the measurement ends; they are not what is measured.
const off = await post("/api/settings", { rateLimits: { enabled: false } }, root.token);
if (!off.ok) { console.error("could not turn rate limits off:", await off.text()); process.exit(1); }
const user = { email: "known@example.com", password: "known-password-1", passwordConfirm: "known-password-1" };
const created = await post("/api/collections/users/records", user, root.token);
if (!created.ok) { console.error("could not create the user:", await created.text()); process.exit(1); }

async function time(identity) {
  const started = process.hrtime.bigint();
  const res = await post("/api/collections/users/auth-with-password", { identity, password: "wrong-password-9" });
  const text = await res.text();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 400) { console.error("unexpected answer", res.status, text); process.exit(1); }
  return { ms, text };
}

for (let i = 0; i < 10; i++) { await time("known@example.com"); await time(`warm${i}@example.com`); }
const unknown = [], wrong = [], bodies = new Set();
for (let i = 0; i < rounds; i++) {
  // Alternate which goes first so neither always runs on a warmer cache.
  const first = i % 2 === 0;
  const u = first ? await time(`nobody${i}@example.com`) : null;
  const w = await time("known@example.com");
  const u2 = u ?? await time(`nobody${i}@example.com`);
  unknown.push(u2.ms); wrong.push(w.ms); bodies.add(u2.text); bodies.add(w.text);
}

const median = xs => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const mean = xs => xs.reduce((x, y) => x + y, 0) / xs.length;
const row = (name, xs) => `${name.padEnd(16)} median ${median(xs).toFixed(2)} ms   mean ${mean(xs).toFixed(2)} ms`;
console.log(`auth-with-password, ${rounds} of each, interleaved (${process.env.BENCH_DB ? "PostgreSQL" : "SQLite"})`);
console.log(row("unknown identity", unknown));
console.log(row("wrong password", wrong));
console.log(`ratio unknown/wrong: median ${(median(unknown) / median(wrong)).toFixed(2)}   mean ${(mean(unknown) / mean(wrong)).toFixed(2)}`);
console.log(`distinct answer bodies: ${bodies.size} (1 expected)`);
JS
