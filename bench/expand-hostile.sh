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
source "$(dirname "$0")/lib.sh"
bench_init expand
ROUNDS=${BENCH_EXPAND_ROUNDS:-30}
DB=${BENCH_DB:-}

if [[ -n $DB ]]; then bench_basalt server --db "$DB"; else bench_basalt server; fi

BENCH_URL="$BENCH_URL" BENCH_EMAIL="$BENCH_EMAIL" BENCH_PASSWORD="$BENCH_PASSWORD" ROUNDS="$ROUNDS" node --input-type=module - <<'JS'
import { base, call, ok, signIn, median } from './bench/lib.mjs';
const rounds = Number(process.env.ROUNDS);

const t = await signIn();
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

const plain = median(results["plain list"]);
console.log(`GET ${list}, 50 records linking to all 50, ${rounds} rounds each, interleaved (${process.env.BENCH_DB ? "PostgreSQL" : "SQLite"})`);
for (const [name] of cases) {
  const m = median(results[name]);
  console.log(`${name.padEnd(16)} median ${m.toFixed(2).padStart(8)} ms   ${(m / plain).toFixed(2).padStart(6)} x plain   status ${last[name].status}, ${last[name].bytes} bytes`);
}
JS
