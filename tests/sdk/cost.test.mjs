import { test } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, guest, createCollection } from './helpers.mjs';

// Issue 10: @rowid is insertion order on both databases, and the cost bounds answer clean 400s.

test('sort=@rowid lists records in insertion order, whatever their ids', async () => {
  const pb = await superuser();
  const c = await createCollection(pb, 'ordered', [{ name: 't', type: 'text' }], { listRule: '', viewRule: '' });
  const inserted = ['zzz000000000003', 'aaa000000000001', 'mmm000000000002'];
  for (const id of inserted) await pb.collection(c.name).create({ id, t: id });

  const asc = await guest().collection(c.name).getFullList({ sort: '@rowid' });
  assert.deepEqual(asc.map((r) => r.id), inserted);
  assert.ok(asc.every((r) => !('_rowid_' in r)));
  const desc = await guest().collection(c.name).getFullList({ sort: '-@rowid' });
  assert.deepEqual(desc.map((r) => r.id), [...inserted].reverse());
});

test('a dense six-level expand is refused with a 400, a one-level expand of the same page works', async () => {
  const pb = await superuser();
  const c = await createCollection(pb, 'mesh', [{ name: 'n', type: 'number' }], { listRule: '', viewRule: '' });
  await pb.collections.update(c.id, {
    fields: [...c.fields, { name: 'rel', type: 'relation', collectionId: c.id, maxSelect: 99 }],
  });
  const ids = [];
  for (let i = 0; i < 20; i++) ids.push((await pb.collection(c.name).create({ n: i })).id);
  for (const id of ids) await pb.collection(c.name).update(id, { rel: ids });

  const started = Date.now();
  await assert.rejects(
    guest().collection(c.name).getList(1, 500, { expand: 'rel.rel.rel.rel.rel.rel' }),
    (err) => err.status === 400 && /Too many records to expand/.test(err.response.message),
  );
  assert.ok(Date.now() - started < 1000, `answered after ${Date.now() - started} ms`);

  const page = await guest().collection(c.name).getList(1, 500, { expand: 'rel' });
  assert.equal(page.items.length, 20);
  assert.ok(page.items.every((r) => r.expand.rel.length === 20));
});
