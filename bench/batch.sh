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
source "$(dirname "$0")/lib.sh"
bench_init batch
ROUNDS=${BENCH_BATCH_ROUNDS:-20}
DB=${BENCH_DB:-}
DURABILITY=${BENCH_DURABILITY:-full}

if [[ -n $DB ]]; then bench_basalt server --db "$DB"; else bench_basalt server --durability "$DURABILITY"; fi

BENCH_URL="$BENCH_URL" BENCH_EMAIL="$BENCH_EMAIL" BENCH_PASSWORD="$BENCH_PASSWORD" ROUNDS="$ROUNDS" \
  DB_NAME="${DB:+PostgreSQL}" DURABILITY="$DURABILITY" node --input-type=module - <<'JS'
import { call, ok, signIn, openCollection, median, time } from './bench/lib.mjs';
const rounds = Number(process.env.ROUNDS), size = 50;

const token = await signIn({ batch: { enabled: true, maxRequests: size, timeout: 30, maxBodySize: 0 } });
await openCollection(token, 'posts', [{ name: 'title', type: 'text' }, { name: 'n', type: 'number' }, { name: 'body', type: 'text' }]);

const url = '/api/collections/posts/records';
const record = (i) => ({ title: `post ${i}`, n: i, body: 'x'.repeat(200) });
async function singles() {
  for (let i = 0; i < size; i++) await ok(await call('POST', url, record(i)), 'create');
}
async function batch() {
  const requests = Array.from({ length: size }, (_, i) => ({ method: 'POST', url, body: record(i) }));
  const results = await ok(await call('POST', '/api/batch', { requests }), 'batch');
  if (results.length !== size) { console.error('batch answered', results.length); process.exit(1); }
}

for (let i = 0; i < 3; i++) { await singles(); await batch(); }
const ms = { singles: [], batch: [] };
for (let i = 0; i < rounds; i++) { ms.singles.push((await time(singles)).ms); ms.batch.push((await time(batch)).ms); }

const db = process.env.DB_NAME || `SQLite, durability ${process.env.DURABILITY}`;
console.log(`${size} creates, one client, ${rounds} rounds each, interleaved (${db})`);
for (const [name, label] of [['singles', `${size} single POSTs`], ['batch', `1 batch of ${size}`]]) {
  const m = median(ms[name]);
  console.log(`${label.padEnd(16)} median ${m.toFixed(1).padStart(8)} ms   ${(size * 1000 / m).toFixed(0).padStart(6)} records/s`);
}
console.log(`ratio single / batch: ${(median(ms.singles) / median(ms.batch)).toFixed(2)} x`);
JS
