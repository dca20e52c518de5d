// The default users collection, auth-methods and impersonation, driven through the SDK as an app would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser, rejection } from './helpers.mjs';

const PASSWORD = 'member-password-1';

function uniqueEmail() {
  return `sdk-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.com`;
}

test('a users auth collection exists, with the PocketBase id and owner rules', async () => {
  const pb = await superuser();
  const users = await pb.collections.getOne('users');
  assert.equal(users.id, '_pb_users_auth_');
  assert.equal(users.type, 'auth');
  assert.equal(users.createRule, '');
  assert.equal(users.viewRule, 'id = @request.auth.id');
  assert.deepEqual(users.oauth2.mappedFields.avatarURL, 'avatar');
  assert.ok(users.fields.some((f) => f.name === 'name' && f.type === 'text'));
  assert.ok(users.fields.some((f) => f.name === 'avatar' && f.type === 'file'));
});

test('a visitor signs up in users and signs in with authWithPassword', async () => {
  const email = uniqueEmail();
  const created = await guest().collection('users').create({ email, password: PASSWORD, passwordConfirm: PASSWORD, name: 'Ann' });
  assert.equal(created.name, 'Ann');
  const pb = guest();
  const auth = await pb.collection('users').authWithPassword(email, PASSWORD);
  assert.equal(auth.record.id, created.id);
  assert.equal(pb.authStore.record.collectionName, 'users');
  assert.ok(pb.authStore.isValid);
  assert.equal(pb.authStore.isSuperuser, false);
});

test('listAuthMethods reports password by email and nothing else by default', async () => {
  const methods = await guest().collection('users').listAuthMethods();
  assert.deepEqual(methods.password, { enabled: true, identityFields: ['email'] });
  assert.deepEqual(methods.oauth2, { enabled: false, providers: [] });
  assert.deepEqual(methods.mfa, { enabled: false, duration: 0 });
  assert.deepEqual(methods.otp, { enabled: false, duration: 0 });
  assert.equal(methods.emailPassword, undefined, 'the SDK asks only for mfa,otp,password,oauth2');
});

test('listAuthMethods on a base collection is a 404', async () => {
  const pb = await superuser();
  const name = `plain_${Date.now().toString(36)}`;
  await pb.collections.create({ name, type: 'base', fields: [] });
  const err = await rejection(() => guest().collection(name).listAuthMethods());
  assert.equal(err.status, 404);
  assert.equal(err.response.message, 'Missing or invalid auth collection context.');
});

test('impersonate returns a client signed in as the user with a non-refreshable token', async () => {
  const email = uniqueEmail();
  const pb = await superuser();
  const user = await pb.collection('users').create({ email, password: PASSWORD, passwordConfirm: PASSWORD });

  const client = await pb.collection('users').impersonate(user.id, 3600);
  assert.equal(client.authStore.record.id, user.id);
  assert.equal(client.authStore.record.email, email);
  assert.equal(client.authStore.isSuperuser, false);
  assert.ok(client.authStore.isValid);
  const payload = JSON.parse(Buffer.from(client.authStore.token.split('.')[1], 'base64url').toString());
  assert.equal(payload.refreshable, false);
  assert.ok(Math.abs(payload.exp - (Date.now() / 1000 + 3600)) < 60);
  assert.ok(pb.authStore.isSuperuser, 'the superuser client keeps its own auth');

  const own = await client.collection('users').getOne(user.id);
  assert.equal(own.email, email);
  const before = client.authStore.token;
  await client.collection('users').authRefresh();
  assert.equal(client.authStore.token, before, 'auth-refresh hands a non-refreshable token back unchanged');
});

test('impersonate is for superusers only', async () => {
  const email = uniqueEmail();
  const pb = await superuser();
  const user = await pb.collection('users').create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  const asGuest = await rejection(() => guest().collection('users').impersonate(user.id, 0));
  assert.equal(asGuest.status, 401);
  const member = guest();
  await member.collection('users').authWithPassword(email, PASSWORD);
  const asUser = await rejection(() => member.collection('users').impersonate(user.id, 0));
  assert.equal(asUser.status, 403);
  const missing = await rejection(() => pb.collection('users').impersonate('abcdefghijklmno', 0));
  assert.equal(missing.status, 404);
});
