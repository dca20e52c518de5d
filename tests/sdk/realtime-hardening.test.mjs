// Realtime options as an app passes them to subscribe(): `fields` picks from the record, and `filter` is a client
// filter with the subscriber's own privileges, so it cannot probe what the subscriber may not list.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { EventSource } from 'eventsource';
import { guest, superuser, uniqueEmail, createAuthCollection, createCollection, eventually, SUPERUSER_EMAIL } from './helpers.mjs';

// Node 20 has no EventSource; the SDK's realtime service needs one.
globalThis.EventSource ??= EventSource;

const PASSWORD = 'member-password-1';
let members;
let posts;

before(async () => {
  const pb = await superuser();
  members = await createAuthCollection(pb, 'rthmembers', {
    fields: [{ name: 'username', type: 'text' }, { name: 'secret', type: 'text', hidden: true }],
  });
  posts = await createCollection(pb, 'rthposts', [{ name: 'title', type: 'text' }, { name: 'body', type: 'text' }], {
    listRule: '',
    viewRule: '',
  });
});

async function signedIn() {
  const email = uniqueEmail('rth');
  await guest().collection(members.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  return pb;
}

test('fields picks from the record, not from the {action, record} envelope', async () => {
  const admin = await superuser();
  const visitor = guest();
  const seen = [];
  const unsubscribe = await visitor.collection(posts.name).subscribe('*', (e) => seen.push(e), { fields: 'id,title' });
  try {
    const created = await admin.collection(posts.name).create({ title: 'picked', body: 'left out' });
    await eventually(() => seen.length > 0, 'the create event');
    assert.equal(seen[0].action, 'create');
    assert.deepEqual(seen[0].record, { id: created.id, title: 'picked' });
  } finally {
    await unsubscribe();
  }
});

test('a probe filter gets no event; a plain filter on visible fields does', async () => {
  const member = await signedIn();
  const id = member.authStore.record.id;
  const admin = await superuser();
  await admin.collection(members.name).update(id, { secret: 'hunter2' });
  const probes = [
    `@collection._superusers.email ?= '${SUPERUSER_EMAIL}'`,
    "@request.auth.id != ''",
    "secret = 'hunter2'",
    "tokenKey != ''",
  ];
  const probed = [];
  const plain = [];
  const offs = [];
  for (const filter of probes) {
    offs.push(await member.collection(members.name).subscribe(id, (e) => probed.push([filter, e]), { filter }));
  }
  offs.push(await member.collection(members.name).subscribe(id, (e) => plain.push(e), { filter: "username = 'touched'" }));
  try {
    await member.collection(members.name).update(id, { username: 'touched' });
    await eventually(() => plain.length > 0, 'the event of the plain filter');
    // One client's events of one write are queued together, the probes' (subscribed first) before the plain one's.
    assert.equal(plain[0].record.id, id);
    assert.deepEqual(probed.map(([filter]) => filter), [], 'no probe filter was answered');
  } finally {
    for (const off of offs) await off();
  }
});
