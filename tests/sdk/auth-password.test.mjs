// Password sign-in (email and username identities), authRefresh, the SDK's auth store, errors and the auth rate limit,
// on an auth collection of this file's own.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ClientResponseError } from 'pocketbase';
import { guest, superuser, rejection, uniqueEmail, uniqueName, createAuthCollection, claims, eventually } from './helpers.mjs';

const PASSWORD = 'member-password-1';
let members; // the collection model

before(async () => {
  const pb = await superuser();
  const name = uniqueName('members');
  members = await createAuthCollection(pb, 'members', {
    name,
    passwordAuth: { enabled: true, identityFields: ['email', 'username'] },
    indexes: [`CREATE UNIQUE INDEX idx_${name}_username ON ${name} (username) WHERE username != ''`],
  });
});

async function signUp(extra = {}) {
  const email = uniqueEmail('member');
  const username = `u${crypto.randomBytes(6).toString('hex')}`;
  const record = await guest()
    .collection(members.name)
    .create({ email, username, password: PASSWORD, passwordConfirm: PASSWORD, ...extra });
  return { email, username, record };
}

test('authWithPassword signs in by email and by username', async () => {
  const { email, username, record } = await signUp();

  const byEmail = guest();
  const auth = await byEmail.collection(members.name).authWithPassword(email, PASSWORD);
  assert.equal(auth.record.id, record.id);
  assert.equal(auth.record.email, email, 'the auth response always carries the own email');
  assert.equal(auth.record.password, undefined);
  assert.equal(auth.record.tokenKey, undefined);
  assert.equal(auth.meta, undefined, 'meta is only for OAuth2');
  assert.equal(claims(auth.token).collectionId, members.id);

  const byUsername = guest();
  const again = await byUsername.collection(members.name).authWithPassword(username, PASSWORD);
  assert.equal(again.record.id, record.id);
  assert.equal(byUsername.authStore.record.username, username);
});

test('listAuthMethods lists both identity fields', async () => {
  const methods = await guest().collection(members.name).listAuthMethods();
  assert.deepEqual(methods.password, { enabled: true, identityFields: ['email', 'username'] });
});

test('authRefresh returns a new token for the same record and keeps the store in sync', async () => {
  const { email, record } = await signUp();
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  const first = pb.authStore.token;
  // Tokens carry whole-second exp claims: let the clock pass the sign-in's second so the new token differs.
  const signedBy = Math.floor(Date.now() / 1000);
  await eventually(() => Math.floor(Date.now() / 1000) > signedBy, 'the next second');

  const refreshed = await pb.collection(members.name).authRefresh();
  assert.equal(refreshed.record.id, record.id);
  assert.equal(pb.authStore.token, refreshed.token);
  assert.notEqual(refreshed.token, first);
  assert.equal(claims(refreshed.token).refreshable, true);
  assert.ok(claims(refreshed.token).exp >= claims(first).exp);
});

test('the auth store: isValid, isSuperuser, record, onChange and clear', async () => {
  const { email, record } = await signUp();
  const pb = guest();
  const changes = [];
  const unsubscribe = pb.authStore.onChange((token, model) => changes.push({ token, id: model?.id ?? null }));
  assert.equal(pb.authStore.isValid, false);

  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  assert.equal(pb.authStore.isValid, true);
  assert.equal(pb.authStore.isSuperuser, false);
  assert.equal(pb.authStore.record.id, record.id);
  assert.equal(pb.authStore.record.collectionName, members.name);
  assert.deepEqual(changes.at(-1), { token: pb.authStore.token, id: record.id });

  pb.authStore.clear();
  assert.equal(pb.authStore.isValid, false);
  assert.equal(pb.authStore.token, '');
  assert.equal(pb.authStore.record, null);
  assert.deepEqual(changes.at(-1), { token: '', id: null });
  unsubscribe();

  const err = await rejection(() => pb.collection(members.name).getOne(record.id));
  assert.equal(err.status, 404, 'after logout the record is hidden by its viewRule');
});

test('updating the signed-in record updates the store; deleting it clears the store', async () => {
  const { email, record } = await signUp();
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  const token = pb.authStore.token;

  await pb.collection(members.name).update(record.id, { name: 'Renamed' });
  assert.equal(pb.authStore.record.name, 'Renamed');
  assert.equal(pb.authStore.token, token, 'an update keeps the token');

  await pb.collection(members.name).delete(record.id);
  assert.equal(pb.authStore.isValid, false);
  assert.equal(pb.authStore.record, null);
  const err = await rejection(() => guest().collection(members.name).authWithPassword(email, PASSWORD));
  assert.equal(err.status, 400);
});

test('changing the password signs out the old token', async () => {
  const { email, record } = await signUp();
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  const stale = guest();
  stale.authStore.save(pb.authStore.token, pb.authStore.record);

  const missing = await rejection(() =>
    pb.collection(members.name).update(record.id, { password: 'new-password-12', passwordConfirm: 'new-password-12' }),
  );
  assert.equal(missing.status, 400);
  assert.ok(missing.response.data.oldPassword, 'the old password is required to change it');

  await pb.collection(members.name).update(record.id, {
    oldPassword: PASSWORD,
    password: 'new-password-12',
    passwordConfirm: 'new-password-12',
  });
  const err = await rejection(() => stale.collection(members.name).authRefresh());
  assert.equal(err.status, 401, 'a token signed with the old tokenKey is a guest');
  const fresh = await guest().collection(members.name).authWithPassword(email, 'new-password-12');
  assert.equal(fresh.record.id, record.id);
});

test('a wrong password and an unknown identity give the same 400', async () => {
  const { email } = await signUp();
  const wrong = await rejection(() => guest().collection(members.name).authWithPassword(email, 'not-the-password'));
  assert.ok(wrong instanceof ClientResponseError);
  assert.equal(wrong.status, 400);
  assert.equal(wrong.message, 'Failed to authenticate.');
  assert.deepEqual(wrong.response, { status: 400, message: 'Failed to authenticate.', data: {} });
  const unknown = await rejection(() => guest().collection(members.name).authWithPassword(uniqueEmail('nobody'), PASSWORD));
  assert.deepEqual(unknown.response, wrong.response);
});

test('a token of one auth collection does not authenticate another', async () => {
  const { email } = await signUp();
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);

  const refresh = await rejection(() => pb.collection('users').authRefresh());
  assert.equal(refresh.status, 403, 'auth-refresh of another collection');
  const superOnly = await rejection(() => pb.collections.getList(1, 1));
  assert.equal(superOnly.status, 403, 'a member is not a superuser');
  const asSuper = await rejection(() => pb.collection('_superusers').authRefresh());
  assert.equal(asSuper.status, 403);
});

test('password auth can be switched off: authWithPassword is then refused', async () => {
  const su = await superuser();
  const closed = await createAuthCollection(su, 'closed', { passwordAuth: { enabled: false } });
  const email = uniqueEmail('closed');
  await su.collection(closed.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  const err = await rejection(() => guest().collection(closed.name).authWithPassword(email, PASSWORD));
  assert.ok([400, 403].includes(err.status), `got ${err.status}`);
  const methods = await guest().collection(closed.name).listAuthMethods();
  assert.equal(methods.password.enabled, false);
});

test('sign-in attempts beyond the *:auth rate limit answer 429 with the envelope', async () => {
  const { email } = await signUp();
  // A client IP of its own (through the trusted X-Forwarded-For header), unique per run.
  const ip = `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
  const headers = { 'X-Forwarded-For': ip };
  // The window opens at the first attempt, so firing them together keeps them inside it however slow bcrypt is here.
  const started = Date.now();
  const burst = await Promise.all(
    Array.from({ length: 5 }, () =>
      rejection(() => guest().collection(members.name).authWithPassword(email, 'wrong-password', { headers }))),
  );
  const statuses = burst.map((err) => err.status);
  const limited = burst.find((err) => err.status === 429);
  assert.ok(limited, `expected a 429 among 5 attempts from ${ip}, got ${statuses.join(', ')}`);
  assert.ok(statuses.every((s) => s === 400 || s === 429), `got ${statuses.join(', ')}`);
  assert.equal(limited.response.status, 429);
  assert.equal(typeof limited.response.message, 'string');
  assert.ok(limited.response.message.length > 0);
  assert.deepEqual(limited.response.data, {});

  const right = await guest()
    .collection(members.name)
    .authWithPassword(email, PASSWORD, { headers })
    .then(() => 200, (err) => err.status);
  if (right !== 429) {
    assert.ok(Date.now() - started >= 3000, `the right password got ${right} while the 3 s window was still open`);
  }
  const other = await guest()
    .collection(members.name)
    .authWithPassword(email, PASSWORD, { headers: { 'X-Forwarded-For': `10.${crypto.randomInt(256)}.0.1` } });
  assert.equal(other.record.email, email, 'another client IP is not limited');
  const loopback = await guest().collection(members.name).authWithPassword(email, PASSWORD);
  assert.equal(loopback.record.email, email, 'loopback is excluded by the suite settings');
});

test('a forged token (alg none, or signed with another key) is a guest', async () => {
  const { email, record } = await signUp();
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  const [, payload] = pb.authStore.token.split('.');
  const header = (h) => Buffer.from(JSON.stringify(h)).toString('base64url');

  const unsigned = `${header({ alg: 'none', typ: 'JWT' })}.${payload}.`;
  const otherKey = `${header({ alg: 'HS256', typ: 'JWT' })}.${payload}`;
  const forged = `${otherKey}.${crypto.createHmac('sha256', 'not-the-key').update(otherKey).digest('base64url')}`;
  for (const token of [unsigned, forged]) {
    const client = guest();
    client.authStore.save(token, record);
    const err = await rejection(() => client.collection(members.name).getOne(record.id));
    assert.equal(err.status, 404, 'the viewRule sees a guest');
    const refresh = await rejection(() => client.collection(members.name).authRefresh());
    assert.equal(refresh.status, 401);
  }
});

test('a user cannot verify itself or change its email through update', async () => {
  const { email, record } = await signUp();
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);

  const verify = await rejection(() => pb.collection(members.name).update(record.id, { verified: true }));
  assert.equal(verify.status, 400);
  assert.ok(verify.response.data.verified, JSON.stringify(verify.response));
  const rename = await rejection(() => pb.collection(members.name).update(record.id, { email: uniqueEmail('taken') }));
  assert.equal(rename.status, 400);
  assert.ok(rename.response.data.email, JSON.stringify(rename.response));

  const after = await pb.collection(members.name).getOne(record.id);
  assert.equal(after.verified, false);
  assert.equal(after.email, email);
  const again = await pb.collection(members.name).authRefresh();
  assert.equal(again.record.id, record.id, 'the session is untouched');
});

test('a manager (manageRule) changes another user’s email and password without the old one', async () => {
  const su = await superuser();
  const managers = await createAuthCollection(su, 'managers');
  const managed = await createAuthCollection(su, 'managed', {
    listRule: `@request.auth.collectionName = '${managers.name}'`,
    viewRule: `@request.auth.collectionName = '${managers.name}'`,
    updateRule: `@request.auth.collectionName = '${managers.name}'`,
    manageRule: `@request.auth.collectionName = '${managers.name}'`,
  });
  const managerEmail = uniqueEmail('manager');
  await su.collection(managers.name).create({ email: managerEmail, password: PASSWORD, passwordConfirm: PASSWORD });
  const email = uniqueEmail('managed');
  const member = await su.collection(managed.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });

  const manager = guest();
  await manager.collection(managers.name).authWithPassword(managerEmail, PASSWORD);
  const newEmail = uniqueEmail('moved');
  const updated = await manager
    .collection(managed.name)
    .update(member.id, { email: newEmail, password: 'set-by-manager-1', passwordConfirm: 'set-by-manager-1' });
  assert.equal(updated.email, newEmail, 'a manager sees the email');

  const signedIn = await guest().collection(managed.name).authWithPassword(newEmail, 'set-by-manager-1');
  assert.equal(signedIn.record.id, member.id);
  const old = await rejection(() => guest().collection(managed.name).authWithPassword(email, PASSWORD));
  assert.equal(old.status, 400);
});
