// Realtime subscriptions carry the subscriber's auth: record events are filtered by the listRule with @request.auth.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { guest, superuser, uniqueEmail, createAuthCollection, createCollection, eventually } from './helpers.mjs';

// Node 20 has no EventSource; the SDK's realtime service needs one.
globalThis.EventSource ??= EventSource;

const PASSWORD = 'member-password-1';
let members;
let notes;

before(async () => {
  const pb = await superuser();
  members = await createAuthCollection(pb, 'rtmembers');
  notes = await createCollection(pb, 'rtnotes', [{ name: 'owner', type: 'text' }, { name: 'body', type: 'text' }], {
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: "@request.auth.id != '' && owner = @request.auth.id",
    updateRule: 'owner = @request.auth.id',
  });
});

async function signedIn() {
  const email = uniqueEmail('rt');
  await guest().collection(members.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  return pb;
}

test('a subscriber gets events for its own records only, as its listRule decides', async () => {
  const alice = await signedIn();
  const bob = await signedIn();
  const seen = [];
  const unsubscribe = await alice.collection(notes.name).subscribe('*', (e) => seen.push(e));
  try {
    await bob.collection(notes.name).create({ owner: bob.authStore.record.id, body: 'bob' });
    const own = await alice.collection(notes.name).create({ owner: alice.authStore.record.id, body: 'alice' });
    await eventually(() => seen.some((e) => e.record.id === own.id), 'the event of alice’s own note');
    assert.deepEqual(
      seen.map((e) => [e.action, e.record.body]),
      [['create', 'alice']],
      'bob’s note, created first, was not sent to alice',
    );
    await alice.collection(notes.name).update(own.id, { body: 'edited' });
    await eventually(() => seen.some((e) => e.action === 'update' && e.record.body === 'edited'), 'the update event');
  } finally {
    await unsubscribe();
  }
});

test('a guest subscriber gets nothing from a rule that needs auth', async () => {
  const visitor = guest();
  const member = await signedIn();
  const seenByGuest = [];
  const seenByMember = [];
  const offGuest = await visitor.collection(notes.name).subscribe('*', (e) => seenByGuest.push(e));
  const offMember = await member.collection(notes.name).subscribe('*', (e) => seenByMember.push(e));
  try {
    const note = await member.collection(notes.name).create({ owner: member.authStore.record.id, body: 'private' });
    await eventually(() => seenByMember.some((e) => e.record.id === note.id), 'the member’s event');
    assert.deepEqual(seenByGuest, []);
  } finally {
    await offGuest();
    await offMember();
  }
});
