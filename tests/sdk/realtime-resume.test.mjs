// Resumable subscriptions (issue 13) through the official SDK, with the few lines of client code docs/realtime.md shows.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser, createCollection, eventually } from './helpers.mjs';
import { useResumingEventSource } from './resuming-event-source.mjs';

let lastEventId = null;
useResumingEventSource({ load: () => lastEventId, save: (id) => { lastEventId = id; } });

let posts;
let admin;

before(async () => {
  admin = await superuser();
  posts = await createCollection(admin, 'rtresume', [{ name: 'title', type: 'text' }], { listRule: '', viewRule: '' });
});

const create = (title) => admin.collection(posts.name).create({ title });

test('a client that reconnects gets the events it missed, in order, then the live ones', async () => {
  const pb = guest();
  const seen = [];
  const listen = (e) => seen.push(`${e.action} ${e.record.title}`);

  await pb.collection(posts.name).subscribe('*', listen);
  await create('a');
  await eventually(() => seen.length === 1, 'the first event');
  assert.match(lastEventId, /^\d+$/, 'the SSE id of a record event is its change-log id');

  // Disconnected (a network change, a laptop lid): writes go on meanwhile.
  await pb.realtime.unsubscribe();
  await create('b');
  await create('c');

  await pb.collection(posts.name).subscribe('*', listen);
  await create('d');
  await eventually(() => seen.length === 4, 'the missed and the live events');
  assert.deepEqual(seen, ['create a', 'create b', 'create c', 'create d']);
  await pb.realtime.unsubscribe();
});

test('a client resuming from an id the server no longer keeps is told to reload', async () => {
  const pb = guest();
  const resets = [];
  lastEventId = '1';
  await admin.settings.update({ realtime: { retentionEvents: 1 } });
  try {
    await create('pruned away');
    await create('and this');
    // The change log is pruned every 10 s: until entry 2 is gone a resume from 1 is a replay, after it a PB_RESET.
    const deadline = Date.now() + 40000;
    while (resets.length === 0 && Date.now() < deadline) {
      lastEventId = '1';
      await pb.realtime.subscribe('PB_RESET', (e) => resets.push(e));
      await pb.collection(posts.name).subscribe('*', () => {});
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await pb.realtime.unsubscribe();
    }

    assert.ok(resets.length > 0, 'PB_RESET');
    assert.equal(resets[0].lastEventId, '1');
  } finally {
    await admin.settings.update({ realtime: { retentionEvents: 100000 } });
  }
});
