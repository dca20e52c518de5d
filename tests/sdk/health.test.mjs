import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, BASE_URL } from './helpers.mjs';

test('health check answers 200 with a message', async () => {
  const result = await guest().health.check();
  assert.equal(result.code, 200);
  assert.equal(typeof result.message, 'string');
});

test('HEAD /api/health answers 200', async () => {
  const res = await fetch(`${BASE_URL}/api/health`, { method: 'HEAD' });
  assert.equal(res.status, 200);
});

test('responses carry the security headers', async () => {
  const res = await fetch(`${BASE_URL}/api/health`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
});

test('an unknown route gives the 404 envelope', async () => {
  const res = await fetch(`${BASE_URL}/api/no-such-route`);
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.status, 404);
  assert.equal(typeof body.message, 'string');
  assert.deepEqual(body.data, {});
});
