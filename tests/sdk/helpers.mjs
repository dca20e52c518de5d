// Shared set-up for the SDK suite: the server address and superuser come from the test command (./test).
import PocketBase from 'pocketbase';

export const BASE_URL = process.env.BASALT_URL ?? 'http://127.0.0.1:8090';
export const SUPERUSER_EMAIL = process.env.BASALT_SUPERUSER_EMAIL ?? 'sdk-root@example.com';
export const SUPERUSER_PASSWORD = process.env.BASALT_SUPERUSER_PASSWORD ?? 'sdk-password-123';

/**
 * The S3-compatible server (npm's s3rver, which ./test starts for the PostgreSQL pass) the suite stores files in, or
 * null for the data folder. s3rver knows one account, S3RVER/S3RVER.
 */
export const S3 = process.env.BASALT_S3_ENDPOINT
  ? {
      enabled: true,
      endpoint: process.env.BASALT_S3_ENDPOINT,
      bucket: process.env.BASALT_S3_BUCKET || 'basalt-sdk',
      region: 'us-east-1',
      accessKey: 'S3RVER',
      secret: 'S3RVER',
      forcePathStyle: true,
    }
  : null;

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
  // Auth endpoints are rate limited by default (`*:auth` 2 per 3 s per IP) and the test files start in parallel
  // processes, so the first sign-in of each file may be refused until the suite's settings below exclude loopback.
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      await pb.collection('_superusers').authWithPassword(SUPERUSER_EMAIL, SUPERUSER_PASSWORD);
      return pb;
    } catch (err) {
      if (err?.status !== 429 || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/**
 * Settings every file relies on, applied (idempotently) before any test of the file runs: loopback is excluded from
 * the default rate limits so the suite can sign in freely, X-Forwarded-For is a trusted proxy header so the
 * rate-limit test can act as other client IPs, and files go to the S3 bucket when the test command gave one.
 */
async function prepareServer() {
  const pb = await superuser();
  const settings = await pb.settings.getAll();
  const limits = settings.rateLimits ?? {};
  const proxy = settings.trustedProxy ?? {};
  const s3Ready = !S3 || (settings.s3?.enabled && settings.s3.endpoint === S3.endpoint && settings.s3.bucket === S3.bucket);
  // Another file may already have done it: write only when needed, so parallel files rarely PATCH at once.
  if ((limits.excludedIPs ?? []).includes('127.0.0.1') && (proxy.headers ?? []).includes('X-Forwarded-For') && s3Ready) return;
  const excluded = new Set([...(limits.excludedIPs ?? []), '127.0.0.1']);
  const headers = new Set([...(proxy.headers ?? []), 'X-Forwarded-For']);
  await pb.settings.update({
    rateLimits: { ...limits, excludedIPs: [...excluded] },
    trustedProxy: { ...proxy, headers: [...headers] },
    ...(S3 ? { s3: S3 } : {}),
  });
}


let counter = 0;

/** An email address no other test (or earlier run on the same database) uses. */
export function uniqueEmail(prefix = 'sdk') {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}${process.pid.toString(36)}${counter}@example.com`;
}

/** Creates an auth collection (the system fields are added by the server) with a username field and open rules. */
export async function createAuthCollection(pb, prefix, options = {}) {
  return pb.collections.create({
    name: uniqueName(prefix),
    type: 'auth',
    fields: [{ name: 'username', type: 'text' }, { name: 'name', type: 'text' }, ...autodates],
    createRule: '',
    listRule: 'id = @request.auth.id',
    viewRule: 'id = @request.auth.id',
    updateRule: 'id = @request.auth.id',
    deleteRule: 'id = @request.auth.id',
    ...options,
  });
}

/** Decodes a JWT's payload (no signature check: the SDK does the same client-side). */
export function claims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
}

/** Polls check() until it returns a truthy value or the deadline passes. */
export async function eventually(check, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

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

await prepareServer();
