// Rate limits count the route a request reaches, not the text of its path: spelling a sign-in path in upper case or
// with a trailing slash must not give an attacker a fresh allowance of password guesses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { guest, rejection, SUPERUSER_EMAIL, superuser, createAuthCollection, uniqueEmail } from './helpers.mjs';

const admin = await superuser();
const members = await createAuthCollection(admin, 'rl_hardening');
const memberEmail = uniqueEmail('rl');
await admin.collection(members.name).create({ email: memberEmail, password: 'member-password-1', passwordConfirm: 'member-password-1' });

/** A client IP of its own (through the trusted X-Forwarded-For header), unique per run. */
function freshIp() {
  return `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
}

const spellings = [
  (c) => `/API/collections/${c}/auth-with-password`,
  (c) => `/api/collections/${c}/auth-with-password/`,
  (c) => `/Api/Collections/${c.toUpperCase()}/AUTH-WITH-PASSWORD/`,
];

for (const [collection, identity] of [['_superusers', SUPERUSER_EMAIL], [members.name, memberEmail]]) {
  for (const spell of spellings) {
    const path = spell(collection);
    test(`${path} shares the *:auth limit of the canonical path`, async () => {
      const headers = { 'X-Forwarded-For': freshIp() };
      const body = { identity, password: 'wrong-password' };
      // Two canonical attempts use up the default allowance (2 per 3 s); fired together so bcrypt's time cannot
      // stretch them past the window.
      const attempts = await Promise.all([
        rejection(() => guest().collection(collection).authWithPassword(identity, 'wrong-password', { headers })),
        rejection(() => guest().collection(collection).authWithPassword(identity, 'wrong-password', { headers })),
        ...Array.from({ length: 3 }, () => rejection(() => guest().send(path, { method: 'POST', body, headers }))),
      ]);
      const statuses = attempts.map((err) => err.status);
      assert.equal(statuses.filter((s) => s === 400).length, 2, `got ${statuses.join(', ')}`);
      assert.equal(statuses.filter((s) => s === 429).length, 3, `got ${statuses.join(', ')}`);
    });
  }
}

test('the default settings keep the brute-force guard on while the general rules are off', async () => {
  const { rateLimits } = await admin.settings.getAll();
  const labels = rateLimits.rules.map((r) => r.label);
  assert.ok(labels.includes('*:auth'), labels.join(', '));
  const headers = { 'X-Forwarded-For': freshIp() };
  // *:create (20 per 5 s) is one of the general rules: off by default, so 25 sign-ups at once all pass.
  const creates = await Promise.all(
    Array.from({ length: 25 }, () => {
      const password = 'signup-password-1';
      return guest()
        .collection(members.name)
        .create({ email: uniqueEmail('rlc'), password, passwordConfirm: password }, { headers })
        .then(() => 200, (err) => err.status);
    }),
  );
  assert.ok(creates.every((s) => s === 200), creates.join(', '));
  const burst = await Promise.all(
    Array.from({ length: 4 }, () =>
      rejection(() => guest().collection(members.name).authWithPassword(memberEmail, 'wrong', { headers }))),
  );
  assert.ok(burst.some((err) => err.status === 429), burst.map((e) => e.status).join(', '));
});
