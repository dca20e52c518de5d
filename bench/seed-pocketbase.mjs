// Makes PocketBase 0.22.20 hold what bench/seed.mjs gives Basalt: its first admin, the collection (same fields, rules ""
// so wrk runs as a guest, the (status, n) index) and the same seeded records, through its own API (0.22's shapes:
// /api/admins, `schema` with `options`; created/updated are its system fields).
//   node bench/seed-pocketbase.mjs URL COLLECTION COUNT IDS_FILE
import { writeFileSync } from 'node:fs';

const [url, name, countText, idsFile] = process.argv.slice(2);
const count = Number(countText);
const admin = { email: 'bench-admin@example.com', password: 'bench-admin-123' };

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

await call('POST', '/api/admins', { ...admin, passwordConfirm: admin.password });
const { token } = await call('POST', '/api/admins/auth-with-password', { identity: admin.email, password: admin.password });
await call('POST', '/api/collections', {
  name,
  type: 'base',
  listRule: '',
  viewRule: '',
  createRule: '',
  schema: [
    { name: 'title', type: 'text' },
    { name: 'n', type: 'number' },
    { name: 'status', type: 'select', options: { maxSelect: 1, values: ['a', 'b', 'c'] } },
    { name: 'body', type: 'text' },
  ],
  indexes: [`CREATE INDEX \`idx_${name}_status_n\` ON \`${name}\` (\`status\`, \`n\`)`],
}, token);

const ids = new Array(count);
const statuses = ['a', 'b', 'c'];
const filler = 'lorem ipsum '.repeat(8);
let next = 0;
async function worker() {
  while (next < count) {
    const i = next++;
    ids[i] = (await call('POST', `/api/collections/${name}/records`, { title: `seed ${i}`, n: i, status: statuses[i % 3], body: filler }, token)).id;
  }
}
const started = Date.now();
await Promise.all(Array.from({ length: 16 }, worker));
writeFileSync(idsFile, ids.join('\n') + '\n');
console.log(`seeded ${count} records into PocketBase's ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
