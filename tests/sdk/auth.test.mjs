import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser, rejection, SUPERUSER_EMAIL, SUPERUSER_PASSWORD } from './helpers.mjs';

test('superuser signs in with authWithPassword on _superusers', async () => {
  const pb = guest();
  const auth = await pb.collection('_superusers').authWithPassword(SUPERUSER_EMAIL, SUPERUSER_PASSWORD);
  assert.equal(typeof auth.token, 'string');
  assert.equal(auth.token.split('.').length, 3, 'a JWT has three parts');
  assert.equal(auth.record.email, SUPERUSER_EMAIL);
  assert.equal(auth.record.collectionName, '_superusers');
  assert.match(auth.record.id, /^[a-z0-9]{15}$/);
  assert.equal(auth.record.password, undefined, 'the password hash is never returned');
  assert.equal(auth.record.tokenKey, undefined, 'the token key is never returned');
  assert.ok(pb.authStore.isValid, 'the SDK accepts the token (exp in the future)');
  assert.ok(pb.authStore.isSuperuser, 'the SDK recognises a superuser token');
});

test('the token carries the PocketBase claims', async () => {
  const pb = await superuser();
  const payload = JSON.parse(Buffer.from(pb.authStore.token.split('.')[1], 'base64url').toString());
  assert.equal(payload.type, 'auth');
  assert.equal(payload.id, pb.authStore.record.id);
  assert.equal(payload.collectionId, pb.authStore.record.collectionId);
  assert.equal(payload.refreshable, true);
  assert.ok(payload.exp > Date.now() / 1000);
});

test('authRefresh returns a fresh token for the same superuser', async () => {
  const pb = await superuser();
  const before = pb.authStore.record.id;
  const refreshed = await pb.collection('_superusers').authRefresh();
  assert.equal(typeof refreshed.token, 'string');
  assert.equal(refreshed.record.id, before);
  assert.equal(pb.authStore.token, refreshed.token);
  assert.ok(pb.authStore.isSuperuser);
});

test('a wrong password is a 400 "Failed to authenticate."', async () => {
  const err = await rejection(() => guest().collection('_superusers').authWithPassword(SUPERUSER_EMAIL, 'wrong-password'));
  assert.equal(err.status, 400);
  assert.equal(err.response.status, 400);
  assert.equal(err.response.message, 'Failed to authenticate.');
});

test('authRefresh without a token is a 401', async () => {
  const err = await rejection(() => guest().collection('_superusers').authRefresh());
  assert.equal(err.status, 401);
});

test('an invalid token is treated as a guest', async () => {
  const pb = guest();
  pb.authStore.save('not-a-valid-token', null);
  const err = await rejection(() => pb.collections.getList(1, 1));
  assert.ok([401, 403].includes(err.status), `guest access to collections is refused (got ${err.status})`);
});

test('the superuser token grants access to the collections API', async () => {
  const pb = await superuser();
  const list = await pb.collections.getList(1, 50, { filter: 'name = "_superusers"' });
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].type, 'auth');
  assert.equal(list.items[0].system, true);
});
