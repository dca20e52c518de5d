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
source "$(dirname "$0")/lib.sh"
bench_init enum
ROUNDS=${BENCH_AUTH_ROUNDS:-200}
DB=${BENCH_DB:-}

if [[ -n $DB ]]; then bench_basalt server --db "$DB"; else bench_basalt server; fi

BENCH_URL="$BENCH_URL" BENCH_EMAIL="$BENCH_EMAIL" BENCH_PASSWORD="$BENCH_PASSWORD" ROUNDS="$ROUNDS" node --input-type=module - <<'JS'
import { base, signIn, median, mean } from './bench/lib.mjs';
const rounds = Number(process.env.ROUNDS);
const post = (path, body, token) => fetch(base + path, {
  method: body === undefined ? "GET" : "POST",
  headers: { "content-type": "application/json", ...(token ? { authorization: token } : {}) },
  body: body === undefined ? undefined : JSON.stringify(body),
});

// Rate limits would answer 429 long before the measurement ends; they are not what is measured.
const token = await signIn();
const user = { email: "known@example.com", password: "known-password-1", passwordConfirm: "known-password-1" };
const created = await post("/api/collections/users/records", user, token);
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

const row = (name, xs) => `${name.padEnd(16)} median ${median(xs).toFixed(2)} ms   mean ${mean(xs).toFixed(2)} ms`;
console.log(`auth-with-password, ${rounds} of each, interleaved (${process.env.BENCH_DB ? "PostgreSQL" : "SQLite"})`);
console.log(row("unknown identity", unknown));
console.log(row("wrong password", wrong));
console.log(`ratio unknown/wrong: median ${(median(unknown) / median(wrong)).toFixed(2)}   mean ${(mean(unknown) / mean(wrong)).toFixed(2)}`);
console.log(`distinct answer bodies: ${bodies.size} (1 expected)`);
JS
