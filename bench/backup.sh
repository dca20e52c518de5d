#!/usr/bin/env bash
# Online backups (issue 15): write latency at 16 writers with and without a backup of a large database running, in
# the same run on the same server, and their ratio. PocketBase's backup holds the database for the whole copy, so its
# writers wait that long; Basalt's aim is a p99 under 50 ms while the backup runs.
#
#   bench/backup.sh     seeds the database to the size asked for, then: 16 writers alone (the baseline), then 16
#                       writers while POST /api/backups runs; prints p50/p99 of each and the ratios, and writes
#                       bench/results/<date>-backup.md
#
# Knobs (env): BENCH_BACKUP_MB (database size to seed, 1024 by default; 100 makes a quick run), BENCH_WRITERS (16),
# BENCH_BASELINE_SECONDS (20), BENCH_DB (a postgres:// URL; SQLite when empty), BENCH_DURABILITY (full or fast; SQLite).
# The seed is random text (incompressible, as most real data is once compressed) in 100 KB records, written through
# /api/batch. The writers create small records one after another, each waiting for its answer: a write is counted
# from its request to its acknowledgement.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_init backup
SIZE_MB=${BENCH_BACKUP_MB:-1024}
WRITERS=${BENCH_WRITERS:-16}
BASELINE=${BENCH_BASELINE_SECONDS:-20}
DB=${BENCH_DB:-}
DURABILITY=${BENCH_DURABILITY:-full}

if [[ -n $DB ]]; then bench_basalt server --db "$DB"; else bench_basalt server --durability "$DURABILITY"; fi

RESULT="$BENCH_ROOT/bench/results/$(date -u +%F)-backup.md"
BENCH_URL="$BENCH_URL" BENCH_EMAIL="$BENCH_EMAIL" BENCH_PASSWORD="$BENCH_PASSWORD" SIZE_MB="$SIZE_MB" WRITERS="$WRITERS" \
  BASELINE="$BASELINE" DB_NAME="${DB:+PostgreSQL}" DURABILITY="$DURABILITY" DATA="$BENCH_DATA" MACHINE="$(bench_machine)" \
  RESULT="$RESULT" node --input-type=module - <<'JS'
import { randomBytes } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { call, ok, signIn, openCollection } from './bench/lib.mjs';

const sizeMb = Number(process.env.SIZE_MB), writers = Number(process.env.WRITERS), baselineS = Number(process.env.BASELINE);
const token = await signIn({ batch: { enabled: true, maxRequests: 50, timeout: 60, maxBodySize: 0 } });
await openCollection(token, 'blobs', [{ name: 'body', type: 'editor', maxSize: 1 << 20 }]);
await openCollection(token, 'writes', [{ name: 'writer', type: 'number' }, { name: 'n', type: 'number' }, { name: 'note', type: 'text' }]);

// Seed: 100 KB records of random base64, 50 per batch.
const recordBytes = 100 * 1024, perBatch = 50;
const batches = Math.ceil((sizeMb * 1024 * 1024) / (recordBytes * perBatch));
const seedStarted = Date.now();
for (let b = 0; b < batches; b++) {
  const requests = Array.from({ length: perBatch }, () => ({
    method: 'POST', url: '/api/collections/blobs/records', body: { body: randomBytes((recordBytes * 3) / 4).toString('base64') },
  }));
  await ok(await call('POST', '/api/batch', { requests }, token), 'seed batch');
  if (b % 20 === 19) process.stderr.write(`\rseeded ${Math.round(((b + 1) * perBatch * recordBytes) / 1048576)} MB of ${sizeMb}`);
}
process.stderr.write(`\rseeded ${sizeMb} MB in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s\n`);
const dbFile = process.env.DB_NAME ? null : `${process.env.DATA}/data.db`;
const dbBytes = dbFile ? statSync(dbFile).size : null;

// Writers: each creates records one after another until told to stop; latencies are kept per phase.
let phase = null;
const latencies = { alone: [], backup: [] };
let stop = false;
async function writer(w) {
  for (let n = 0; !stop; n++) {
    const started = process.hrtime.bigint();
    const res = await call('POST', '/api/collections/writes/records', { writer: w, n, note: 'a small write' }, token);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!res.ok) { console.error('write failed', res.status, await res.text()); process.exit(1); }
    await res.arrayBuffer();
    if (phase) latencies[phase].push(ms);
  }
}
const running = Array.from({ length: writers }, (_, w) => writer(w));
await new Promise((r) => setTimeout(r, 2000)); // warm-up, not counted

phase = 'alone';
await new Promise((r) => setTimeout(r, baselineS * 1000));
phase = 'backup';
const backupStarted = Date.now();
await ok(await call('POST', '/api/backups', { name: 'bench_backup.zip' }, token), 'backup');
const backupMs = Date.now() - backupStarted;
phase = null;
stop = true;
await Promise.all(running);
const list = await ok(await call('GET', '/api/backups', undefined, token), 'list');
const archive = list.find((b) => b.key === 'bench_backup.zip');

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))]; };
const row = (name, xs, seconds) =>
  `| ${name} | ${xs.length} | ${(xs.length / seconds).toFixed(0)} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 99).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;
const db = process.env.DB_NAME || `SQLite, durability ${process.env.DURABILITY}`;
const lines = [
  `# Online backup: write latency with and without a backup running (${new Date().toISOString().slice(0, 10)})`,
  '',
  `Machine: ${process.env.MACHINE}. Database: ${db}, seeded with ${sizeMb} MB of random text${dbBytes ? ` (data.db ${(dbBytes / 1048576).toFixed(0)} MB)` : ''}.`,
  `${writers} writers, each creating small records one after another; baseline ${baselineS} s, then for as long as \`POST /api/backups\` ran.`,
  '',
  '| phase | writes | writes/s | p50 ms | p99 ms | max ms |',
  '|---|---:|---:|---:|---:|---:|',
  row('writers alone', latencies.alone, baselineS),
  row('writers during the backup', latencies.backup, backupMs / 1000),
  '',
  `Backup: ${(backupMs / 1000).toFixed(1)} s, archive ${archive ? (archive.size / 1048576).toFixed(0) : '?'} MB.`,
  `Ratio during / alone: p50 ${(pct(latencies.backup, 50) / pct(latencies.alone, 50)).toFixed(2)} x, p99 ${(pct(latencies.backup, 99) / pct(latencies.alone, 99)).toFixed(2)} x.`,
  `Every write during the backup was acknowledged (${latencies.backup.length} of them; a failed write stops the run).`,
];
console.log(lines.join('\n'));
writeFileSync(process.env.RESULT, lines.join('\n') + '\n');
JS
echo "wrote $RESULT"
