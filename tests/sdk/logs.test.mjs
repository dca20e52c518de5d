import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser, BASE_URL } from './helpers.mjs';

async function waitForLogs(pb, filter, count) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const page = await pb.logs.getList(1, 50, { filter });
    if (page.items.length >= count) return page;
    if (Date.now() > deadline) assert.fail(`expected ${count} logs for ${filter}, got ${page.items.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('pb.logs lists, views and counts request logs', async () => {
  const pb = await superuser();
  const marker = `m${Date.now().toString(36)}${process.pid}`;
  await fetch(`${BASE_URL}/api/health?m=${marker}`);
  await fetch(`${BASE_URL}/api/collections/nope_${marker}/records`);

  const filter = pb.filter("message ~ {:m} && message !~ '/api/logs'", { m: marker });
  const page = await waitForLogs(pb, filter, 2);
  assert.equal(page.totalItems, 2);
  const missing = page.items.find((l) => l.data.status === 404);
  assert.ok(missing, 'the 404 is logged');
  assert.equal(missing.level, 4);
  assert.equal(missing.data.method, 'GET');
  assert.equal(missing.data.auth, 'guest');

  const one = await pb.logs.getOne(missing.id);
  assert.equal(one.message, missing.message);

  const stats = await pb.logs.getStats({ filter });
  assert.equal(stats.reduce((sum, s) => sum + s.total, 0), 2);
  assert.match(stats[0].date, /^\d{4}-\d\d-\d\d \d\d:00:00\.000Z$/);
});

test('pb.logs is for superusers only, and truncate empties it', async () => {
  await assert.rejects(guest().logs.getList(1, 1), (err) => err.status === 401);
  const pb = await superuser();
  assert.equal(await pb.logs.truncate(), true);
  const page = await pb.logs.getList(1, 50, { filter: "message !~ '/api/logs'" });
  assert.ok(page.items.every((l) => !l.message.includes('/api/health?m=')), 'older logs are gone');
});
