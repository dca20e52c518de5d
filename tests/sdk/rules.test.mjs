import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, guest, rejection, createCollection, uniqueName } from './helpers.mjs';

let pb;
let locked;
let open;
let filtered;
let lockedRec;
let publicRec;
let hiddenRec;

before(async () => {
  pb = await superuser();
  // All rules null: superusers only.
  locked = await createCollection(pb, 'locked', [{ name: 'title', type: 'text' }]);
  // Everyone may do everything.
  open = await createCollection(pb, 'open', [{ name: 'title', type: 'text' }], {
    listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
  });
  // Only published rows are visible; guests may create only drafts with a title.
  filtered = await createCollection(pb, 'filtered', [
    { name: 'title', type: 'text' },
    { name: 'published', type: 'bool' },
  ], {
    listRule: 'published = true',
    viewRule: 'published = true',
    createRule: 'published = false && title != ""',
    updateRule: 'published = true',
    deleteRule: 'published = true',
  });
  lockedRec = await pb.collection(locked.name).create({ title: 'secret' });
  publicRec = await pb.collection(filtered.name).create({ title: 'public', published: true });
  hiddenRec = await pb.collection(filtered.name).create({ title: 'draft', published: false });
});

test('a null rule refuses guests with 403 and the superusers-only message', async () => {
  const g = guest().collection(locked.name);
  for (const call of [
    () => g.getList(1, 10),
    () => g.getOne(lockedRec.id),
    () => g.create({ title: 'x' }),
    () => g.update(lockedRec.id, { title: 'x' }),
    () => g.delete(lockedRec.id),
  ]) {
    const err = await rejection(call);
    assert.equal(err.status, 403);
    assert.equal(err.response.status, 403);
    assert.equal(err.response.message, 'Only superusers can perform this action.');
    assert.deepEqual(err.response.data, {});
  }
});

test('a null rule is checked before the record is looked up', async () => {
  const err = await rejection(() => guest().collection(locked.name).getOne('doesnotexist123'));
  assert.equal(err.status, 403);
});

test('superusers bypass every rule', async () => {
  const s = pb.collection(locked.name);
  assert.equal((await s.getList(1, 10)).totalItems, 1);
  assert.equal((await s.getOne(lockedRec.id)).title, 'secret');
  const hidden = await pb.collection(filtered.name).getOne(hiddenRec.id);
  assert.equal(hidden.title, 'draft');
});

test('an empty rule lets guests do everything', async () => {
  const g = guest().collection(open.name);
  const rec = await g.create({ title: 'by a guest' });
  assert.equal((await g.getOne(rec.id)).title, 'by a guest');
  assert.equal((await g.update(rec.id, { title: 'edited' })).title, 'edited');
  assert.ok((await g.getList(1, 10)).totalItems >= 1);
  assert.equal(await g.delete(rec.id), true);
});

test('a failing listRule filters the list (200, not an error)', async () => {
  const page = await guest().collection(filtered.name).getList(1, 10);
  assert.deepEqual(page.items.map((r) => r.title), ['public']);
  assert.equal(page.totalItems, 1);
  const none = await guest().collection(filtered.name).getList(1, 10, { filter: 'title = "draft"' });
  assert.equal(none.totalItems, 0);
});

test('a failing viewRule is a 404', async () => {
  const g = guest().collection(filtered.name);
  assert.equal((await g.getOne(publicRec.id)).title, 'public');
  const err = await rejection(() => g.getOne(hiddenRec.id));
  assert.equal(err.status, 404);
  assert.equal(err.response.message, "The requested resource wasn't found.");
});

test('a failing createRule is a 400 with empty data', async () => {
  const g = guest().collection(filtered.name);
  const ok = await g.create({ title: 'a guest draft' });
  assert.equal(ok.published, false);
  const err = await rejection(() => g.create({ title: 'sneaky', published: true }));
  assert.equal(err.status, 400);
  assert.equal(err.response.message, 'Failed to create record.');
  assert.deepEqual(err.response.data, {});
  const blank = await rejection(() => g.create({ title: '' }));
  assert.equal(blank.status, 400);
});

test('a failing updateRule or deleteRule is a 404', async () => {
  const g = guest().collection(filtered.name);
  const upd = await rejection(() => g.update(hiddenRec.id, { title: 'hacked' }));
  assert.equal(upd.status, 404);
  const del = await rejection(() => g.delete(hiddenRec.id));
  assert.equal(del.status, 404);
  assert.equal((await pb.collection(filtered.name).getOne(hiddenRec.id)).title, 'draft', 'nothing changed');
});

test('a createRule can read @request.body with :isset', async () => {
  const col = await createCollection(pb, 'bodyrule', [
    { name: 'title', type: 'text' },
    { name: 'role', type: 'text' },
  ], { createRule: '@request.body.role:isset = false && @request.body.title != ""' });
  const g = guest().collection(col.name);
  assert.equal((await g.create({ title: 'plain' })).title, 'plain');
  const withRole = await rejection(() => g.create({ title: 'sneaky', role: 'admin' }));
  assert.equal(withRole.status, 400);
  const untitled = await rejection(() => g.create({ role: '' }));
  assert.equal(untitled.status, 400);
});

test('guests may not filter by @request or @collection', async () => {
  const err = await rejection(() => guest().collection(open.name).getList(1, 10, { filter: '@request.auth.id = ""' }));
  assert.equal(err.status, 403);
});

test('rules can use @request.auth: superuser-authored records', async () => {
  const owned = await createCollection(pb, 'owned', [{ name: 'title', type: 'text' }], {
    listRule: '@request.auth.id != ""',
    viewRule: '@request.auth.collectionName = "_superusers"',
  });
  await pb.collection(owned.name).create({ title: 'mine' });
  assert.equal((await guest().collection(owned.name).getList(1, 10)).totalItems, 0);
  assert.equal((await pb.collection(owned.name).getList(1, 10)).totalItems, 1);
});

test('an auth collection user sees and edits only their own records', async () => {
  const users = await pb.collections.create({
    name: uniqueName('members'),
    type: 'auth',
    listRule: 'id = @request.auth.id',
    viewRule: 'id = @request.auth.id',
    createRule: '',
    fields: [{ name: 'name', type: 'text' }],
  });
  const notes = await createCollection(pb, 'notes', [
    { name: 'text', type: 'text' },
    { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
  ], {
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: '@request.auth.id != "" && owner = @request.auth.id',
    updateRule: 'owner = @request.auth.id',
  });
  const signUp = async (email) => {
    await guest().collection(users.name).create({ email, password: 'password-123', passwordConfirm: 'password-123', name: email });
    const client = guest();
    const auth = await client.collection(users.name).authWithPassword(email, 'password-123');
    assert.equal(auth.record.email, email);
    assert.equal(client.authStore.isSuperuser, false);
    return client;
  };
  const alice = await signUp(`alice-${users.name}@example.com`);
  const bob = await signUp(`bob-${users.name}@example.com`);
  const aliceId = alice.authStore.record.id;

  const note = await alice.collection(notes.name).create({ text: 'hers', owner: aliceId });
  const forged = await rejection(() => bob.collection(notes.name).create({ text: 'forged', owner: aliceId }));
  assert.equal(forged.status, 400);
  const guestCreate = await rejection(() => guest().collection(notes.name).create({ text: 'anon', owner: aliceId }));
  assert.equal(guestCreate.status, 400);

  assert.deepEqual((await alice.collection(notes.name).getFullList()).map((n) => n.text), ['hers']);
  assert.deepEqual(await bob.collection(notes.name).getFullList(), []);
  assert.equal((await rejection(() => bob.collection(notes.name).getOne(note.id))).status, 404);
  assert.equal((await rejection(() => bob.collection(notes.name).update(note.id, { text: 'bob was here' }))).status, 404);
  assert.equal((await alice.collection(notes.name).update(note.id, { text: 'still hers' })).text, 'still hers');

  const refreshed = await alice.collection(users.name).authRefresh();
  assert.equal(refreshed.record.id, aliceId);
  assert.deepEqual((await alice.collection(users.name).getFullList()).map((u) => u.id), [aliceId]);
});
