import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser, rejection, uniqueName, autodates } from './helpers.mjs';

test('create a base collection with every simple field type', async () => {
  const pb = await superuser();
  const name = uniqueName('kinds');
  const col = await pb.collections.create({
    name,
    type: 'base',
    listRule: '',
    viewRule: '',
    fields: [
      { name: 'title', type: 'text', required: true, max: 100 },
      { name: 'count', type: 'number', onlyInt: true },
      { name: 'done', type: 'bool' },
      { name: 'contact', type: 'email' },
      { name: 'site', type: 'url' },
      { name: 'body', type: 'editor' },
      { name: 'due', type: 'date' },
      { name: 'status', type: 'select', values: ['draft', 'published'], maxSelect: 1 },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
      { name: 'meta', type: 'json' },
      { name: 'where', type: 'geoPoint' },
      ...autodates,
    ],
  });
  assert.equal(col.name, name);
  assert.equal(col.type, 'base');
  assert.match(col.id, /^\w+$/);
  assert.equal(col.listRule, '');
  assert.equal(col.createRule, null, 'rules default to null (superusers only)');
  const byName = Object.fromEntries(col.fields.map((f) => [f.name, f]));
  assert.equal(byName.id.primaryKey, true, 'the id field is added');
  assert.equal(byName.title.type, 'text');
  assert.equal(byName.title.required, true);
  assert.equal(byName.tags.maxSelect, 3);
  assert.deepEqual(byName.status.values, ['draft', 'published']);
  for (const f of col.fields) {
    assert.equal(typeof f.id, 'string', `field ${f.name} has an id`);
  }
  assert.match(col.created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('getOne finds a collection by id and by name (case-insensitively)', async () => {
  const pb = await superuser();
  const col = await pb.collections.create({ name: uniqueName('lookup'), type: 'base', fields: [{ name: 'a', type: 'text' }] });
  assert.equal((await pb.collections.getOne(col.id)).name, col.name);
  assert.equal((await pb.collections.getOne(col.name)).id, col.id);
  assert.equal((await pb.collections.getOne(col.name.toUpperCase())).id, col.id);
});

test('getList filters, sorts and pages collections', async () => {
  const pb = await superuser();
  const prefix = uniqueName('listing');
  for (const suffix of ['c', 'a', 'b']) {
    await pb.collections.create({ name: `${prefix}_${suffix}`, type: 'base', fields: [] });
  }
  const list = await pb.collections.getList(1, 2, { filter: pb.filter('name ~ {:p}', { p: prefix }), sort: '-name' });
  assert.equal(list.page, 1);
  assert.equal(list.perPage, 2);
  assert.equal(list.totalItems, 3);
  assert.equal(list.totalPages, 2);
  assert.deepEqual(list.items.map((c) => c.name), [`${prefix}_c`, `${prefix}_b`]);
  const all = await pb.collections.getFullList({ filter: pb.filter('name ~ {:p}', { p: prefix }), sort: 'name' });
  assert.deepEqual(all.map((c) => c.name), [`${prefix}_a`, `${prefix}_b`, `${prefix}_c`]);
});

test('update adds and renames fields and keeps the rows', async () => {
  const pb = await superuser();
  const col = await pb.collections.create({
    name: uniqueName('evolve'),
    type: 'base',
    fields: [{ name: 'title', type: 'text' }],
  });
  const rec = await pb.collection(col.name).create({ title: 'kept' });
  const fields = col.fields.map((f) => (f.name === 'title' ? { ...f, name: 'headline' } : f));
  fields.push({ name: 'score', type: 'number' });
  const updated = await pb.collections.update(col.id, { fields, listRule: '' });
  assert.equal(updated.listRule, '');
  assert.ok(updated.fields.some((f) => f.name === 'headline'));
  assert.ok(updated.fields.some((f) => f.name === 'score'));
  assert.equal(updated.fields.find((f) => f.name === 'headline').id, col.fields.find((f) => f.name === 'title').id,
    'a renamed field keeps its id');
  const again = await pb.collection(col.name).getOne(rec.id);
  assert.equal(again.headline, 'kept', 'the renamed column keeps its value');
  assert.equal(again.score, 0, 'a new number field reads as 0');
  assert.equal(again.title, undefined);
});

test('delete removes the collection; it is then a 404', async () => {
  const pb = await superuser();
  const col = await pb.collections.create({ name: uniqueName('doomed'), type: 'base', fields: [{ name: 'a', type: 'text' }] });
  assert.equal(await pb.collections.delete(col.id), true);
  const err = await rejection(() => pb.collections.getOne(col.id));
  assert.equal(err.status, 404);
  assert.equal(err.response.status, 404);
});

test('a system collection cannot be deleted', async () => {
  const pb = await superuser();
  const err = await rejection(() => pb.collections.delete('_superusers'));
  assert.equal(err.status, 400);
});

test('invalid and duplicate names give 400 with data.name.code', async () => {
  const pb = await superuser();
  const bad = await rejection(() => pb.collections.create({ name: 'not valid!', type: 'base', fields: [] }));
  assert.equal(bad.status, 400);
  assert.equal(bad.response.message, 'Failed to create collection.');
  assert.match(bad.response.data.name.code, /^validation_/);
  assert.equal(typeof bad.response.data.name.message, 'string');

  const name = uniqueName('dupe');
  await pb.collections.create({ name, type: 'base', fields: [] });
  const dupe = await rejection(() => pb.collections.create({ name, type: 'base', fields: [] }));
  assert.equal(dupe.status, 400);
  assert.match(dupe.response.data.name.code, /^validation_/);
});

test('an invalid field is reported under data.fields.<index>', async () => {
  const pb = await superuser();
  const err = await rejection(() => pb.collections.create({
    name: uniqueName('badfield'),
    type: 'base',
    fields: [{ name: 'ok', type: 'text' }, { name: 'bad name', type: 'text' }],
  }));
  assert.equal(err.status, 400);
  // The index counts the id field, which the server puts first when the body leaves it out (as PocketBase does).
  const entries = Object.values(err.response.data.fields ?? {});
  assert.equal(entries.length, 1, JSON.stringify(err.response.data));
  assert.match(entries[0].name.code, /^validation_/);
});

test('guests cannot use the collections API', async () => {
  const err = await rejection(() => guest().collections.getList(1, 10));
  assert.ok([401, 403].includes(err.status), `got ${err.status}`);
  assert.equal(err.response.status, err.status);
});

test('getScaffolds returns base, auth and view templates', async () => {
  const pb = await superuser();
  const scaffolds = await pb.collections.getScaffolds();
  assert.equal(scaffolds.base.type, 'base');
  assert.equal(scaffolds.auth.type, 'auth');
  assert.equal(scaffolds.view.type, 'view');
});

test('truncate deletes every record of a collection', async () => {
  const pb = await superuser();
  const col = await pb.collections.create({ name: uniqueName('trunc'), type: 'base', fields: [{ name: 'a', type: 'text' }] });
  await pb.collection(col.name).create({ a: '1' });
  await pb.collection(col.name).create({ a: '2' });
  await pb.collections.truncate(col.name);
  const list = await pb.collection(col.name).getList(1, 10);
  assert.equal(list.totalItems, 0);
});

test('a view collection lists rows from its SELECT', async () => {
  const pb = await superuser();
  const src = await pb.collections.create({
    name: uniqueName('viewsrc'),
    type: 'base',
    fields: [{ name: 'title', type: 'text' }, { name: 'n', type: 'number' }],
  });
  await pb.collection(src.name).create({ title: 'big', n: 10 });
  await pb.collection(src.name).create({ title: 'small', n: 1 });
  const view = await pb.collections.create({
    name: uniqueName('bigones'),
    type: 'view',
    listRule: '',
    viewQuery: `SELECT id, title, n FROM ${src.name} WHERE n > 5`,
  });
  assert.equal(view.type, 'view');
  assert.ok(view.fields.some((f) => f.name === 'title'));
  const rows = await guest().collection(view.name).getFullList();
  assert.deepEqual(rows.map((r) => r.title), ['big']);
  const err = await rejection(() => pb.collection(view.name).create({ title: 'x' }));
  assert.equal(err.status, 400, 'view records are read-only');
});
