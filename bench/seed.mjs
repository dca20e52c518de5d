// Creates the benchmark collection through Basalt's API and seeds it with records.
//   node bench/seed.mjs URL EMAIL PASSWORD COLLECTION COUNT IDS_FILE
// Rules are "" so wrk can drive the records API as a guest; the (status, n) index serves the filtered workload.
// SEED_BATCH=K (env) sends the records K at a time through /api/batch (millions of records in minutes, not an hour);
// SEED_INDEX_N=1 adds an index on n alone, for a sort on an indexed field.
import { writeFileSync } from 'node:fs';

const [url, email, password, name, countText, idsFile] = process.argv.slice(2);
const count = Number(countText);

async function call(method, path, body, token) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
  }
  return text ? JSON.parse(text) : {};
}

const { token } = await call('POST', '/api/collections/_superusers/auth-with-password', { identity: email, password });
// wrk drives everything from one IP; the default rate limits (/api/ 300 per 10 s) would answer 429, and PocketBase,
// the comparison, has them off by default.
await call('PATCH', '/api/settings', { rateLimits: { enabled: false } }, token);
const collection = {
  name,
  type: 'base',
  listRule: '',
  viewRule: '',
  createRule: '',
  fields: [
    { name: 'title', type: 'text' },
    { name: 'n', type: 'number' },
    { name: 'status', type: 'select', values: ['a', 'b', 'c'], maxSelect: 1 },
    { name: 'body', type: 'text' },
    { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
    { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
  ],
  indexes: [`CREATE INDEX \`idx_${name}_status_n\` ON \`${name}\` (\`status\`, \`n\`)`],
};
if (process.env.SEED_INDEX_N === '1') {
  collection.indexes.push(`CREATE INDEX \`idx_${name}_n\` ON \`${name}\` (\`n\`)`);
}
const batchSize = Number(process.env.SEED_BATCH || 0);
if (batchSize > 0) {
  await call('PATCH', '/api/settings', { batch: { enabled: true, maxRequests: batchSize, timeout: 120, maxBodySize: 0 } }, token);
}
try {
  await call('POST', '/api/collections', collection, token);
} catch (err) {
  console.error(`creating the collection with its index failed (${err.message}); creating it without the index`);
  await call('POST', '/api/collections', { ...collection, indexes: [] }, token);
}

const ids = new Array(count);
const statuses = ['a', 'b', 'c'];
const filler = 'lorem ipsum '.repeat(8);
let next = 0;
const seedRecord = (i) => ({ title: `seed ${i}`, n: i, status: statuses[i % 3], body: filler });
async function worker() {
  while (next < count) {
    const i = next++;
    const rec = await call('POST', `/api/collections/${name}/records`, seedRecord(i), token);
    ids[i] = rec.id;
  }
}
async function batchWorker() {
  while (next < count) {
    const from = next;
    next = Math.min(count, from + batchSize);
    const requests = [];
    for (let i = from; i < next; i++) {
      requests.push({ method: 'POST', url: `/api/collections/${name}/records?fields=id`, body: seedRecord(i) });
    }
    const results = await call('POST', '/api/batch', { requests }, token);
    results.forEach((r, k) => { ids[from + k] = r.body.id; });
  }
}
const started = Date.now();
await Promise.all(Array.from({ length: batchSize > 0 ? 2 : 16 }, batchSize > 0 ? batchWorker : worker));
if (idsFile) {
  writeFileSync(idsFile, ids.join('\n') + '\n');
}
console.log(`seeded ${count} records into ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
