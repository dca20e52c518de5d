import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, guest, rejection, createCollection, BASE_URL } from './helpers.mjs';

let pb;
let col;
let target;

before(async () => {
  pb = await superuser();
  target = await createCollection(pb, 'targets', [{ name: 'a', type: 'text' }]);
  col = await createCollection(pb, 'strict', [
    { name: 'title', type: 'text', required: true, max: 10 },
    { name: 'mail', type: 'email' },
    { name: 'kind', type: 'select', values: ['x', 'y'], maxSelect: 1 },
    { name: 'count', type: 'number', min: 0, max: 5, onlyInt: true },
    { name: 'ref', type: 'relation', collectionId: target.id, maxSelect: 1 },
  ], { listRule: '', viewRule: '', createRule: '', updateRule: '' });
});

test('the validation envelope names each bad field with a code', async () => {
  const err = await rejection(() => pb.collection(col.name).create({
    title: '',
    mail: 'not-an-email',
    kind: 'z',
    count: 9,
  }));
  assert.equal(err.status, 400);
  assert.equal(err.response.status, 400);
  assert.equal(err.response.message, 'Failed to create record.');
  const data = err.response.data;
  assert.equal(data.title.code, 'validation_required');
  assert.equal(typeof data.title.message, 'string');
  for (const field of ['mail', 'kind', 'count']) {
    assert.match(data[field]?.code ?? '', /^validation_/, `data.${field}.code`);
  }
});

test('a missing relation id is validation_missing_rel_records', async () => {
  const err = await rejection(() => pb.collection(col.name).create({ title: 'ok', ref: 'missingrecord12' }));
  assert.equal(err.status, 400);
  assert.equal(err.response.data.ref.code, 'validation_missing_rel_records');
});

// PocketBase validates every field in one pass, so a missing relation is reported beside the other errors.
test('a missing relation is reported together with other field errors', async () => {
  const err = await rejection(() => pb.collection(col.name).create({ title: '', ref: 'missingrecord12' }));
  assert.equal(err.response.data.title.code, 'validation_required');
  assert.equal(err.response.data.ref?.code, 'validation_missing_rel_records');
});

test('too long text is a validation error', async () => {
  const err = await rejection(() => pb.collection(col.name).create({ title: 'far too long for ten' }));
  assert.equal(err.status, 400);
  assert.equal(err.response.data.title.code, 'validation_max_text_constraint');
});

test('nothing is written when validation fails', async () => {
  await rejection(() => pb.collection(col.name).create({ title: 'half', count: 99 }));
  const rows = await pb.collection(col.name).getFullList({ filter: 'title = "half"' });
  assert.deepEqual(rows, []);
});

test('update validates too and names the field', async () => {
  const rec = await guest().collection(col.name).create({ title: 'ok' });
  const err = await rejection(() => guest().collection(col.name).update(rec.id, { kind: 'nope' }));
  assert.equal(err.status, 400);
  assert.equal(err.response.message, 'Failed to update record.');
  assert.match(err.response.data.kind.code, /^validation_/);
});

test('an unknown collection is a 404 envelope', async () => {
  const err = await rejection(() => guest().collection('no_such_collection_xyz').getList(1, 1));
  assert.equal(err.status, 404);
  assert.equal(err.response.status, 404);
  assert.equal(typeof err.response.message, 'string');
  assert.deepEqual(err.response.data, {});
});

test('an unknown record id is a 404', async () => {
  const err = await rejection(() => guest().collection(col.name).getOne('abcdefghijklmno'));
  assert.equal(err.status, 404);
});

test('malformed JSON is a 400 envelope, not a 500', async () => {
  const res = await fetch(`${BASE_URL}/api/collections/${col.name}/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"title": "unterminated',
  });
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.equal(body.status, 400);
  assert.equal(typeof body.message, 'string');
  assert.equal(typeof body.data, 'object');
});

test('hostile collection and field names are rejected, not executed', async () => {
  for (const name of ['x"; DROP TABLE _collections; --', "x'); --", 'a b']) {
    const err = await rejection(() => guest().collection(name).getList(1, 1));
    assert.ok([400, 404].includes(err.status), `${name}: ${err.status}`);
  }
  const err = await rejection(() => pb.collections.create({
    name: 'safe_name_but_bad_field',
    type: 'base',
    fields: [{ name: 'x"; DROP TABLE _collections; --', type: 'text' }],
  }));
  assert.equal(err.status, 400);
  assert.ok((await pb.collections.getList(1, 1)).totalItems > 0, 'the collections table is intact');
});

test('expand and fields with junk are harmless', async () => {
  const rec = await guest().collection(col.name).create({ title: 'junk' });
  try {
    const viewed = await guest().collection(col.name).getOne(rec.id, { expand: '"; DROP TABLE x', fields: 'id,"; --' });
    assert.equal(viewed.id, rec.id);
  } catch (err) {
    assert.equal(err.status, 400, 'junk is either ignored or a 400 envelope, never a 500');
    assert.equal(err.response.status, 400);
  }
  assert.equal((await guest().collection(col.name).getOne(rec.id)).title, 'junk');
});
