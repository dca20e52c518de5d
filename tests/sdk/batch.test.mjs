import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, rejection, createCollection } from './helpers.mjs';

// The SDK's batch sends one multipart POST /api/batch with the requests in @jsonPayload; batch is off by default.
before(async () => {
  const pb = await superuser();
  await pb.settings.update({ batch: { enabled: true, maxRequests: 50, timeout: 3, maxBodySize: 0 } });
});

test('pb.createBatch() runs create, update, upsert and delete in one request', async () => {
  const pb = await superuser();
  const col = await createCollection(pb, 'batch', [{ name: 'title', type: 'text', required: true }]);
  const posts = pb.collection(col.name);
  const toUpdate = await posts.create({ title: 'before' });
  const toDelete = await posts.create({ title: 'doomed' });

  const batch = pb.createBatch();
  batch.collection(col.name).create({ title: 'created' }, { fields: 'id,title' });
  batch.collection(col.name).update(toUpdate.id, { title: 'after' });
  batch.collection(col.name).upsert({ id: 'sdkupsert000001', title: 'upsert created' });
  batch.collection(col.name).upsert({ id: toUpdate.id, title: 'after upsert' });
  batch.collection(col.name).delete(toDelete.id);
  const results = await batch.send();

  assert.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 204]);
  assert.deepEqual(Object.keys(results[0].body).sort(), ['id', 'title']);
  assert.equal(results[0].body.title, 'created');
  assert.equal(results[1].body.title, 'after');
  assert.equal(results[2].body.id, 'sdkupsert000001');
  assert.equal(results[3].body.title, 'after upsert');
  assert.equal(results[4].body, null);

  assert.equal((await posts.getOne(toUpdate.id)).title, 'after upsert');
  assert.equal((await posts.getOne('sdkupsert000001')).title, 'upsert created');
  assert.equal((await rejection(() => posts.getOne(toDelete.id))).status, 404);
});

test('a failing request fails the whole batch with its index and applies nothing', async () => {
  const pb = await superuser();
  const col = await createCollection(pb, 'batchfail', [{ name: 'title', type: 'text', required: true }]);
  const posts = pb.collection(col.name);
  const kept = await posts.create({ title: 'kept' });

  const batch = pb.createBatch();
  batch.collection(col.name).create({ title: 'rolled back' });
  batch.collection(col.name).update(kept.id, { title: 'changed' });
  batch.collection(col.name).create({ title: '' });
  const err = await rejection(() => batch.send());

  assert.equal(err.status, 400);
  assert.equal(err.response.message, 'Batch transaction failed.');
  assert.deepEqual(Object.keys(err.response.data.requests), ['2']);
  const failed = err.response.data.requests['2'];
  assert.equal(failed.code, 'batch_request_failed');
  assert.equal(failed.response.status, 400);
  assert.equal(failed.response.data.title.code, 'validation_required');

  const all = await posts.getFullList();
  assert.deepEqual(all.map((r) => r.title), ['kept']);
});

test('files in a batch: File and Blob values are stored with their records and served after the commit', async () => {
  const pb = await superuser();
  const col = await createCollection(pb, 'batchfiles', [
    { name: 'title', type: 'text', required: true },
    { name: 'doc', type: 'file', maxSelect: 1 },
    { name: 'docs', type: 'file', maxSelect: 3 },
  ]);

  const batch = pb.createBatch();
  batch.collection(col.name).create({ title: 'one', doc: new File(['hello'], 'hello.txt', { type: 'text/plain' }) });
  batch.collection(col.name).create({ title: 'two', docs: [new File(['first'], 'first.txt'), new Blob(['second'])] });
  const results = await batch.send();

  assert.deepEqual(results.map((r) => r.status), [200, 200]);
  const [one, two] = results.map((r) => r.body);
  assert.match(one.doc, /^hello_[a-z0-9]{10}\.txt$/);
  assert.equal(two.docs.length, 2);
  assert.match(two.docs[0], /^first_[a-z0-9]{10}\.txt$/);
  const text = async (record, name) => (await fetch(pb.files.getURL(record, name))).text();
  assert.equal(await text(one, one.doc), 'hello');
  assert.equal(await text(two, two.docs[0]), 'first');
  assert.equal(await text(two, two.docs[1]), 'second');

  // A mixed array keeps the names it lists and appends the new files (the SDK sends them as `docs+`).
  const update = pb.createBatch();
  update.collection(col.name).update(two.id, { docs: [two.docs[0], new File(['third'], 'third.txt')] });
  const [updated] = await update.send();
  assert.equal(updated.status, 200);
  assert.equal(updated.body.docs.length, 2);
  assert.equal(updated.body.docs[0], two.docs[0]);
  assert.match(updated.body.docs[1], /^third_[a-z0-9]{10}\.txt$/);
  assert.equal(await text(updated.body, updated.body.docs[1]), 'third');
  assert.equal((await fetch(pb.files.getURL(two, two.docs[1]))).status, 404);
});

test('a failing batch with files applies nothing and keeps the files it would have replaced', async () => {
  const pb = await superuser();
  const col = await createCollection(pb, 'batchfilesfail', [
    { name: 'title', type: 'text', required: true },
    { name: 'doc', type: 'file', maxSelect: 1 },
  ]);
  const posts = pb.collection(col.name);
  const kept = await posts.create({ title: 'kept', doc: new File(['original'], 'original.txt') });

  const batch = pb.createBatch();
  batch.collection(col.name).update(kept.id, { doc: new File(['replacement'], 'replacement.txt') });
  batch.collection(col.name).create({ title: 'rolled back', doc: new File(['new'], 'new.txt') });
  batch.collection(col.name).create({ title: '' });
  const err = await rejection(() => batch.send());

  assert.equal(err.status, 400);
  assert.deepEqual(Object.keys(err.response.data.requests), ['2']);
  const all = await posts.getFullList();
  assert.deepEqual(all.map((r) => r.title), ['kept']);
  assert.equal(all[0].doc, kept.doc);
  assert.equal(await (await fetch(pb.files.getURL(kept, kept.doc))).text(), 'original');
});
