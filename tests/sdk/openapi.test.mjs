// /api/openapi.json read by a superuser through the SDK and checked against the OpenAPI 3.1 schema with a maintained
// validator (@seriousme/openapi-schema-validator), with collections of every field type and an auth collection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { superuser, guest, createCollection, createAuthCollection } from './helpers.mjs';

test('the live OpenAPI document validates against the OpenAPI 3.1 schema', async () => {
  const pb = await superuser();
  const users = await pb.collections.getOne('users');
  const posts = await createCollection(pb, 'openapi', [
    { name: 'title', type: 'text', required: true, max: 200, pattern: '^[^<>]*$' },
    { name: 'rating', type: 'number', onlyInt: true, min: 1, max: 5 },
    { name: 'done', type: 'bool' },
    { name: 'contact', type: 'email', required: true },
    { name: 'site', type: 'url' },
    { name: 'body', type: 'editor' },
    { name: 'due', type: 'date' },
    { name: 'status', type: 'select', values: ['draft', 'live'], maxSelect: 1 },
    { name: 'tags', type: 'select', values: ['a', 'b'], maxSelect: 2 },
    { name: 'meta', type: 'json' },
    { name: 'files', type: 'file', maxSelect: 3, mimeTypes: ['image/png'], thumbs: ['100x100'], protected: true },
    { name: 'owner', type: 'relation', collectionId: users.id, maxSelect: 1 },
    { name: 'spot', type: 'geoPoint' },
    { name: 'secret', type: 'text', hidden: true },
  ], { listRule: '', viewRule: 'owner = @request.auth.id || @request.auth.id != ""', createRule: '@request.auth.id != ""' });
  await createAuthCollection(pb, 'openapimembers', { mfa: { enabled: false }, otp: { enabled: true } });

  const doc = await pb.send('/api/openapi.json', {});
  const validator = new Validator();
  const result = await validator.validate(doc);

  assert.equal(validator.version, '3.1');
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
  assert.ok(doc.paths[`/api/collections/${posts.name}/records`].get);
  assert.equal(doc.components.schemas[`records.${posts.name}`].properties.rating.type, 'integer');
});

test('a guest cannot read the document unless the server allows it', async () => {
  await assert.rejects(guest().send('/api/openapi.json', {}), (e) => e.status === 401);
});
