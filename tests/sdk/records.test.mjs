import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, rejection, createCollection } from './helpers.mjs';

const DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/;

test('create, view, update and delete a record', async () => {
  const pb = await superuser();
  const col = await createCollection(pb, 'crud', [
    { name: 'title', type: 'text', required: true },
    { name: 'views', type: 'number' },
    { name: 'published', type: 'bool' },
    { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    { name: 'meta', type: 'json' },
    { name: 'due', type: 'date' },
  ]);
  const posts = pb.collection(col.name);

  const created = await posts.create({ title: 'Hello', views: 3, tags: ['a', 'b'], meta: { k: [1, 2] }, due: '2024-01-02 03:04:05.678Z' });
  assert.match(created.id, /^[a-z0-9]{15}$/);
  assert.equal(created.collectionId, col.id);
  assert.equal(created.collectionName, col.name);
  assert.equal(created.title, 'Hello');
  assert.equal(created.views, 3);
  assert.equal(created.published, false, 'an unset bool is false, not null');
  assert.deepEqual(created.tags, ['a', 'b']);
  assert.deepEqual(created.meta, { k: [1, 2] });
  assert.equal(created.due, '2024-01-02 03:04:05.678Z');
  assert.match(created.created, DATE);
  assert.match(created.updated, DATE);

  const viewed = await posts.getOne(created.id);
  assert.deepEqual(viewed, created);

  const updated = await posts.update(created.id, { title: 'Hello again', 'views+': 2, 'tags-': 'a', published: true });
  assert.equal(updated.title, 'Hello again');
  assert.equal(updated.views, 5, 'the views+ modifier adds');
  assert.deepEqual(updated.tags, ['b'], 'the tags- modifier removes');
  assert.equal(updated.published, true);
  assert.equal(updated.created, created.created);

  assert.equal(await posts.delete(created.id), true);
  const gone = await rejection(() => posts.getOne(created.id));
  assert.equal(gone.status, 404);
});

test('a client-chosen id is kept; a duplicate id is a 400', async () => {
  const pb = await superuser();
  const col = await createCollection(pb, 'ownid', [{ name: 'a', type: 'text' }]);
  const rec = await pb.collection(col.name).create({ id: 'myownid12345678', a: 'x' });
  assert.equal(rec.id, 'myownid12345678');
  const err = await rejection(() => pb.collection(col.name).create({ id: 'myownid12345678', a: 'y' }));
  assert.equal(err.status, 400);
  assert.match(err.response.data.id.code, /^validation_/);
});

test('records can be created from FormData (multipart)', async () => {
  const pb = await superuser();
  const col = await createCollection(pb, 'multipart', [
    { name: 'title', type: 'text' },
    { name: 'n', type: 'number' },
    { name: 'meta', type: 'json' },
  ]);
  const form = new FormData();
  form.append('title', 'from a form');
  form.append('n', '42');
  form.append('meta', '{"a":1}');
  const rec = await pb.collection(col.name).create(form);
  assert.equal(rec.title, 'from a form');
  assert.equal(rec.n, 42);
  assert.deepEqual(rec.meta, { a: 1 });
});

// Paging, filter and sort share one collection of 25 rows, seeded once.
let pb;
let nums;
before(async () => {
  pb = await superuser();
  const col = await createCollection(pb, 'paging', [
    { name: 'n', type: 'number' },
    { name: 'label', type: 'text' },
    { name: 'even', type: 'bool' },
    { name: 'when', type: 'date' },
  ]);
  nums = pb.collection(col.name);
  for (let n = 1; n <= 25; n++) {
    await nums.create({
      n,
      label: `item ${String(n).padStart(2, '0')}${n === 7 ? ' "quoted" & it\'s' : ''}`,
      even: n % 2 === 0,
      when: new Date(Date.UTC(2024, 0, n)).toISOString().replace('T', ' '),
    });
  }
});

test('getList returns the paging object', async () => {
  const page = await nums.getList(2, 10, { sort: 'n' });
  assert.equal(page.page, 2);
  assert.equal(page.perPage, 10);
  assert.equal(page.totalItems, 25);
  assert.equal(page.totalPages, 3);
  assert.deepEqual(page.items.map((r) => r.n), [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  const last = await nums.getList(3, 10, { sort: 'n' });
  assert.deepEqual(last.items.map((r) => r.n), [21, 22, 23, 24, 25]);
  const beyond = await nums.getList(9, 10, { sort: 'n' });
  assert.deepEqual(beyond.items, []);
});

test('the default page size is 30', async () => {
  const page = await nums.getList();
  assert.equal(page.perPage, 30);
  assert.equal(page.items.length, 25);
});

test('skipTotal gives -1 totals', async () => {
  const page = await nums.getList(1, 5, { sort: 'n', skipTotal: true });
  assert.equal(page.totalItems, -1);
  assert.equal(page.totalPages, -1);
  assert.equal(page.items.length, 5);
});

test('getFullList walks every page', async () => {
  const all = await nums.getFullList({ batch: 7, sort: '-n' });
  assert.equal(all.length, 25);
  assert.equal(all[0].n, 25);
  assert.equal(all[24].n, 1);
});

test('getFirstListItem finds one record, or a 404', async () => {
  const rec = await nums.getFirstListItem(pb.filter('n = {:n}', { n: 13 }));
  assert.equal(rec.n, 13);
  const err = await rejection(() => nums.getFirstListItem('n > 1000'));
  assert.equal(err.status, 404);
});

test('pb.filter() parameters are quoted safely', async () => {
  const label = 'item 07 "quoted" & it\'s';
  const found = await nums.getFullList({ filter: pb.filter('label = {:label}', { label }) });
  assert.deepEqual(found.map((r) => r.n), [7]);
  const hostile = await nums.getFullList({ filter: pb.filter('label = {:label}', { label: "x' OR 1=1 --" }) });
  assert.deepEqual(hostile, []);
});

test('filter operators: comparisons, &&, ||, ~, dates and bools', async () => {
  const cases = [
    ['n > 20', [21, 22, 23, 24, 25]],
    ['n >= 5 && n < 8', [5, 6, 7]],
    ['n = 1 || n = 25', [1, 25]],
    ['n <= 3 || (n > 10 && n < 13)', [1, 2, 3, 11, 12]],
    ['label ~ "item 1"', [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]],
    ['label !~ "item" ', []],
    ['even = true && n < 7', [2, 4, 6]],
    ['n != 1 && n < 4', [2, 3]],
  ];
  for (const [filter, expected] of cases) {
    const rows = await nums.getFullList({ filter, sort: 'n' });
    assert.deepEqual(rows.map((r) => r.n), expected, filter);
  }
  const since = await nums.getFullList({ filter: pb.filter('when >= {:d}', { d: new Date(Date.UTC(2024, 0, 23)) }), sort: 'n' });
  assert.deepEqual(since.map((r) => r.n), [23, 24, 25]);
});

test('sort by several keys, ascending and descending', async () => {
  const rows = await nums.getList(1, 6, { sort: '-even,n' });
  assert.deepEqual(rows.items.map((r) => r.n), [2, 4, 6, 8, 10, 12]);
  const desc = await nums.getList(1, 3, { sort: '-n' });
  assert.deepEqual(desc.items.map((r) => r.n), [25, 24, 23]);
  const random = await nums.getList(1, 25, { sort: '@random' });
  assert.equal(random.items.length, 25);
});

test('a bad filter or sort is a 400, never a 500', async () => {
  for (const options of [
    { filter: 'n >' },
    { filter: 'nosuchfield = 1' },
    { filter: "n = 1'; DROP TABLE x; --" },
    { sort: 'nosuchfield' },
    { sort: 'n; DROP TABLE x' },
  ]) {
    const err = await rejection(() => nums.getList(1, 10, options));
    assert.equal(err.status, 400, JSON.stringify(options));
    assert.equal(err.response.status, 400);
  }
  assert.equal((await nums.getList(1, 1)).totalItems, 25, 'the table is still there');
});

test('fields picks keys and :excerpt shortens text', async () => {
  const rec = await nums.getFirstListItem('n = 7', { fields: 'id,label:excerpt(7,true)' });
  assert.deepEqual(Object.keys(rec).sort(), ['id', 'label']);
  assert.equal(rec.label, 'item 07...');
  const page = await nums.getList(1, 2, { sort: 'n', fields: 'n' });
  assert.deepEqual(page.items, [{ n: 1 }, { n: 2 }]);
  assert.equal(page.totalItems, 25, 'fields applies inside items only');
});
