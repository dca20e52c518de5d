import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, guest, createCollection } from './helpers.mjs';

// authors <- posts.author (single) ; posts <- comments.post (single) ; posts.tags -> tags (multiple)
let pb;
let authors;
let posts;
let comments;
let tags;
let ann;
let post;
let tagA;
let tagB;

before(async () => {
  pb = await superuser();
  authors = await createCollection(pb, 'authors', [
    { name: 'name', type: 'text' },
    { name: 'bio', type: 'editor' },
  ], { listRule: '', viewRule: '' });
  tags = await createCollection(pb, 'tags', [{ name: 'label', type: 'text' }], { listRule: '', viewRule: '' });
  posts = await createCollection(pb, 'posts', [
    { name: 'title', type: 'text' },
    { name: 'author', type: 'relation', collectionId: authors.id, maxSelect: 1 },
    { name: 'tags', type: 'relation', collectionId: tags.id, maxSelect: 5 },
  ], { listRule: '', viewRule: '' });
  comments = await createCollection(pb, 'comments', [
    { name: 'text', type: 'text' },
    { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1, cascadeDelete: true },
    { name: 'by', type: 'relation', collectionId: authors.id, maxSelect: 1 },
  ], { listRule: '', viewRule: '' });

  ann = await pb.collection(authors.name).create({ name: 'Ann', bio: '<p>Ann writes <b>long</b> essays about rocks.</p>' });
  const bob = await pb.collection(authors.name).create({ name: 'Bob' });
  tagA = await pb.collection(tags.name).create({ label: 'a' });
  tagB = await pb.collection(tags.name).create({ label: 'b' });
  post = await pb.collection(posts.name).create({ title: 'Basalt', author: ann.id, tags: [tagA.id, tagB.id] });
  await pb.collection(comments.name).create({ text: 'first', post: post.id, by: bob.id });
  await pb.collection(comments.name).create({ text: 'second', post: post.id, by: ann.id });
});

test('expand a single relation gives an object', async () => {
  const rec = await guest().collection(posts.name).getOne(post.id, { expand: 'author' });
  assert.equal(rec.author, ann.id);
  assert.equal(rec.expand.author.id, ann.id);
  assert.equal(rec.expand.author.name, 'Ann');
  assert.equal(rec.expand.author.collectionName, authors.name);
});

test('expand a multiple relation gives an array in stored order', async () => {
  const rec = await guest().collection(posts.name).getOne(post.id, { expand: 'tags' });
  assert.deepEqual(rec.expand.tags.map((t) => t.label), ['a', 'b']);
});

test('expand a back-relation (x_via_y) gives an array', async () => {
  const rec = await guest().collection(posts.name).getOne(post.id, { expand: `${comments.name}_via_post` });
  const list = rec.expand[`${comments.name}_via_post`];
  assert.ok(Array.isArray(list));
  assert.deepEqual(list.map((c) => c.text).sort(), ['first', 'second']);
});

test('nested expand follows relations of related records', async () => {
  const rec = await guest().collection(comments.name).getFirstListItem('text = "first"', { expand: 'post.author,by' });
  assert.equal(rec.expand.post.id, post.id);
  assert.equal(rec.expand.post.expand.author.name, 'Ann');
  assert.equal(rec.expand.by.name, 'Bob');

  const deep = await guest().collection(posts.name).getOne(post.id, { expand: `${comments.name}_via_post.by` });
  const names = deep.expand[`${comments.name}_via_post`].map((c) => c.expand.by.name).sort();
  assert.deepEqual(names, ['Ann', 'Bob']);
});

test('expand works on list results too', async () => {
  const page = await guest().collection(posts.name).getList(1, 10, { expand: 'author,tags' });
  assert.equal(page.items.length, 1);
  assert.equal(page.items[0].expand.author.name, 'Ann');
  assert.equal(page.items[0].expand.tags.length, 2);
});

test('filter and sort through a relation', async () => {
  const rows = await guest().collection(comments.name).getFullList({ filter: 'by.name = "Ann"' });
  assert.deepEqual(rows.map((r) => r.text), ['second']);
  const sorted = await guest().collection(comments.name).getFullList({ sort: 'by.name' });
  assert.deepEqual(sorted.map((r) => r.text), ['second', 'first']);
  const viaTags = await guest().collection(posts.name).getFullList({ filter: 'tags.label ?= "b"' });
  assert.equal(viaTags.length, 1);
  const viaBack = await guest().collection(posts.name).getFullList({ filter: `${comments.name}_via_post.text ?= "second"` });
  assert.equal(viaBack.length, 1);
});

test('fields reaches into expand and :excerpt strips HTML', async () => {
  const rec = await guest().collection(posts.name).getOne(post.id, {
    expand: 'author',
    fields: 'id,title,expand.author.name,expand.author.bio:excerpt(15,true)',
  });
  assert.deepEqual(Object.keys(rec).sort(), ['expand', 'id', 'title']);
  assert.deepEqual(Object.keys(rec.expand.author).sort(), ['bio', 'name']);
  assert.equal(rec.expand.author.bio, 'Ann writes long...');
});

test('an unknown expand is left out, not an error', async () => {
  const rec = await guest().collection(posts.name).getOne(post.id, { expand: 'nosuchrelation' });
  assert.equal(rec.id, post.id);
});

test('deleting a post cascades to its comments', async () => {
  const p = await pb.collection(posts.name).create({ title: 'short-lived', author: ann.id });
  const c = await pb.collection(comments.name).create({ text: 'orphan-to-be', post: p.id });
  await pb.collection(posts.name).delete(p.id);
  const left = await pb.collection(comments.name).getFullList({ filter: pb.filter('id = {:id}', { id: c.id }) });
  assert.deepEqual(left, []);
});
