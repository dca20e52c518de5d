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
