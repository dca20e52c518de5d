import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, guest, createCollection, rejection } from './helpers.mjs';

// items.tags is a multiple select; items.owner a single relation to people; people.posts a multiple relation to items.
let pb;
let items;
let people;
let ann;

before(async () => {
  pb = await superuser();
  people = await createCollection(pb, 'people', [{ name: 'name', type: 'text' }], { listRule: '', viewRule: '' });
  items = await createCollection(pb, 'items', [
    { name: 'title', type: 'text' },
    { name: 'tags', type: 'select', maxSelect: 4, values: ['alpha', 'beta', 'café', 'say "hi"'] },
    { name: 'owner', type: 'relation', collectionId: people.id, maxSelect: 1 },
  ], { listRule: 'title != "secret"', viewRule: '' });
  ann = await pb.collection(people.name).create({ name: 'Ann' });
  await pb.collection(items.name).create({ title: 'one', tags: ['alpha', 'beta'], owner: ann.id });
  await pb.collection(items.name).create({ title: 'two', tags: ['beta'] });
  await pb.collection(items.name).create({ title: 'three', tags: ['café', 'say "hi"'] });
  await pb.collection(items.name).create({ title: 'four' });
});

async function titles(filter) {
  const list = await guest().collection(items.name).getFullList({ filter, sort: 'title' });
  return list.map((r) => r.title).join(',');
}

test('a plain multi-value field compares as its compact JSON text (§5.1)', async () => {
  assert.equal(await titles('tags ~ "alpha"'), 'one');
  assert.equal(await titles('tags ~ "a"'), 'one,three,two');
  assert.equal(await titles('tags = "beta"'), '');
  assert.equal(await titles('tags ?= "beta"'), '');
  assert.equal(await titles('tags = \'["beta"]\''), 'two');
  assert.equal(await titles('tags = \'["alpha","beta"]\''), 'one');
  assert.equal(await titles('tags = \'["café","say \\"hi\\""]\''), 'three');
  assert.equal(await titles('tags = "[]"'), 'four');
  assert.equal(await titles('tags ~ "café"'), 'three');
});

test(':each matches item by item, :length counts, both also accepted on single values', async () => {
  assert.equal(await titles('tags:each ?= "beta"'), 'one,two');
  assert.equal(await titles('tags:each = "beta"'), 'two');
  assert.equal(await titles('tags:each != "beta"'), 'four,three');
  assert.equal(await titles('tags:length = 2'), 'one,three');
  assert.equal(await titles('owner:length = 1'), 'one');
  assert.equal(await titles('owner:each = "' + ann.id + '"'), 'one');
  assert.equal(await titles('title:each = "two"'), 'two');
  assert.equal(await titles('tags:lower ~ "ALPHA"'), 'one');
});

test('non-numeric page, perPage and skipTotal are 400 with empty data', async () => {
  const path = `/api/collections/${items.name}/records`;
  for (const query of [{ page: 'abc' }, { perPage: '1.5' }, { skipTotal: 'abc' }]) {
    const err = await rejection(() => guest().send(path, { query }));
    assert.equal(err.status, 400, JSON.stringify(query));
    assert.deepEqual(err.response.data, {}, JSON.stringify(query));
  }

  const skipped = await guest().collection(items.name).getList(1, 1, { skipTotal: true });
  assert.equal(skipped.totalItems, -1);
});

test('an expand value that cannot name a relation is ignored; spaces are dropped as PocketBase does', async () => {
  for (const expand of ["x'; DROP TABLE y; --", 'own-er', 'ä', 'owner!']) {
    const list = await guest().collection(items.name).getList(1, 10, { expand, filter: 'title = "one"' });
    assert.equal(list.items.length, 1, expand);
    assert.equal(list.items[0].expand, undefined, expand);
  }

  const mixed = await guest().collection(items.name).getList(1, 10, { expand: 'no pe!, own er', filter: 'title = "one"' });
  assert.equal(mixed.items[0].expand.owner.name, 'Ann');
});

test('a non-superuser filter or sort with @collection. or @request. is 403 naming the first found', async () => {
  const cases = [
    [{ filter: '@request.auth.id = ""' }, '@request.'],
    [{ filter: '@collection.people.name = "Ann"' }, '@collection.'],
    [{ filter: 'title = "@request." || title = "@collection."' }, '@collection.'],
    [{ sort: '@request.auth.id' }, '@request.'],
    [{ filter: 'title = "@request."', sort: '@collection.people.name' }, '@request.'],
    [{ filter: 'title = (', sort: '@collection.x' }, '@collection.'],
  ];
  for (const [options, named] of cases) {
    const err = await rejection(() => guest().collection(items.name).getList(1, 10, options));
    assert.equal(err.status, 403, JSON.stringify(options));
    assert.equal(err.response.message, `Only superusers can filter by ${named}`, JSON.stringify(options));
  }

  const list = await pb.collection(items.name).getList(1, 10, { filter: '@request.auth.id != ""', sort: '-title' });
  assert.equal(list.totalItems, 4);
});

test('an empty filtered list for a guest still answers 200 with no items, however often it is asked', async () => {
  for (let i = 0; i < 5; i += 1) {
    const list = await guest().collection(items.name).getList(1, 10, { filter: 'title = "nothing"' });
    assert.deepEqual(list.items, []);
    assert.equal(list.totalItems, 0);
  }
});
