// Request bodies read as PocketBase reads them: mistyped values coerced (as Go's cast does), emails checked with
// validation_is_email, the default users collection requiring an email, and odd JSON bodies answered with its envelope.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { superuser, guest, rejection, createCollection, uniqueEmail, BASE_URL } from './helpers.mjs';

let col;

before(async () => {
  const pb = await superuser();
  col = await createCollection(pb, 'coerced', [
    { name: 'n', type: 'number' },
    { name: 'b', type: 'bool' },
    { name: 'd', type: 'date' },
    { name: 'tx', type: 'text' },
    { name: 's', type: 'select', values: ['a', 'b', 'c'], maxSelect: 1 },
    { name: 'ms', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    { name: 'e', type: 'email' },
  ], { listRule: '', viewRule: '', createRule: '', updateRule: '' });
});

/** A raw request, for bodies the SDK would never send. */
async function post(body) {
  const response = await fetch(`${BASE_URL}/api/collections/${col.name}/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, json: await response.json() };
}

test('mistyped values are coerced as PocketBase coerces them, never refused', async () => {
  const cases = [
    [{ n: 'abc' }, 'n', 0],
    [{ n: '1e5' }, 'n', 100000],
    [{ n: true }, 'n', 1],
    [{ b: '1' }, 'b', true],
    [{ b: 'T' }, 'b', true],
    [{ b: 'True' }, 'b', true],
    [{ b: 'yes' }, 'b', false],
    [{ b: 2 }, 'b', true],
    [{ d: 'yesterday' }, 'd', ''],
    [{ d: 1700000000 }, 'd', ''],
    [{ tx: 5 }, 'tx', '5'],
    [{ tx: { a: 1 } }, 'tx', ''],
    [{ s: ['a', 'b'] }, 's', 'b'],
    [{ ms: ['a', ['b'], { x: 1 }, 'c'] }, 'ms', ['a', 'c']],
  ];
  for (const [body, field, expected] of cases) {
    const record = await guest().collection(col.name).create(body);
    assert.deepEqual(record[field], expected, JSON.stringify(body));
  }
});

test('an invalid email is validation_is_email, and users requires one', async () => {
  let err = await rejection(() => guest().collection(col.name).create({ e: 'not-an-email' }));
  assert.equal(err.status, 400);
  assert.equal(err.response.data.e.code, 'validation_is_email');

  err = await rejection(() => guest().collection('users').create({ email: 'nope', password: '12345678', passwordConfirm: '12345678' }));
  assert.equal(err.response.data.email.code, 'validation_is_email');

  err = await rejection(() => guest().collection('users').create({ password: '12345678', passwordConfirm: '12345678' }));
  assert.equal(err.status, 400);
  assert.equal(err.response.data.email.code, 'validation_required');

  const email = uniqueEmail('body');
  const user = await guest().collection('users').create({ email, password: '12345678', passwordConfirm: '12345678' });
  assert.ok(user.id);
});

test('a malformed or non-object JSON body is the generic 400 with empty data; null is an empty object', async () => {
  for (const body of ['{"tx": ', '[1,2]', '"text"', '{"n":1e400}']) {
    const { status, json } = await post(body);
    assert.equal(status, 400, body);
    assert.equal(json.message, 'Something went wrong while processing your request.', body);
    assert.deepEqual(json.data, {}, body);
  }

  const { status, json } = await post('null');
  assert.equal(status, 200);
  assert.equal(json.tx, '');
});

test('a lone surrogate escape is stored as U+FFFD, as Go decodes it', async () => {
  const { status, json } = await post('{"tx":"a\\ud800b"}');
  assert.equal(status, 200);
  assert.equal(json.tx, 'a\ufffdb');
  const again = await guest().collection(col.name).getOne(json.id);
  assert.equal(again.tx, 'a\ufffdb');
});
