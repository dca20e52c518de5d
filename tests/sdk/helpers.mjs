// Shared set-up for the SDK suite: the server address and superuser come from the test command (./test).
import PocketBase from 'pocketbase';

export const BASE_URL = process.env.BASALT_URL ?? 'http://127.0.0.1:8090';
export const SUPERUSER_EMAIL = process.env.BASALT_SUPERUSER_EMAIL ?? 'sdk-root@example.com';
export const SUPERUSER_PASSWORD = process.env.BASALT_SUPERUSER_PASSWORD ?? 'sdk-password-123';

/** A client with no credentials, as a visitor's browser would have. */
export function guest() {
  const pb = new PocketBase(BASE_URL);
  // Tests fire several identical requests in a row; the SDK would otherwise cancel the earlier ones.
  pb.autoCancellation(false);
  return pb;
}

/** A client signed in as the superuser the test command created. */
export async function superuser() {
  const pb = guest();
  await pb.collection('_superusers').authWithPassword(SUPERUSER_EMAIL, SUPERUSER_PASSWORD);
  return pb;
}

let counter = 0;

/** A collection name no other test (or earlier run on the same database) uses. */
export function uniqueName(prefix) {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
}

/** Runs fn and returns the ClientResponseError it throws; fails if it does not throw. */
export async function rejection(fn) {
  try {
    await fn();
  } catch (err) {
    if (err?.name === 'ClientResponseError' || typeof err?.status === 'number') {
      return err;
    }
    throw err;
  }
  throw new Error('expected the request to fail, but it succeeded');
}

/** Fields a base collection usually carries: what the admin UI adds to every new collection. */
export const autodates = [
  { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
  { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
];

/** Creates a base collection with the given fields (plus created/updated) and rules. */
export async function createCollection(pb, prefix, fields, rules = {}) {
  return pb.collections.create({
    name: uniqueName(prefix),
    type: 'base',
    fields: [...fields, ...autodates],
    ...rules,
  });
}
