// Shared by the node parts of the bench scripts: the server bench/lib.sh started (BENCH_URL) and its superuser
// (BENCH_EMAIL, BENCH_PASSWORD), JSON calls that stop the run on an unexpected answer, and the statistics.
export const base = process.env.BENCH_URL;

export const call = (method, path, body, token) => fetch(base + path, {
  method,
  headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
  body: body === undefined ? undefined : JSON.stringify(body),
});

/** The JSON of a 2xx answer; anything else ends the run with the answer printed. */
export async function ok(res, what) {
  if (!res.ok) {
    console.error(what, res.status, await res.text());
    process.exit(1);
  }
  return res.status === 204 ? null : res.json();
}

/**
 * Signs in as the superuser and turns the rate limits off (wrk and these loops run from one IP; PocketBase, the
 * comparison, has them off by default), plus any other settings given. Loopback is also excluded, because the rules
 * that guard against brute force (`*:auth`) stay enforced while the others are off. Returns the superuser's token.
 */
export async function signIn(settings = {}) {
  const root = await ok(await call('POST', '/api/collections/_superusers/auth-with-password',
    { identity: process.env.BENCH_EMAIL, password: process.env.BENCH_PASSWORD }), 'sign-in');
  await ok(await call('PATCH', '/api/settings', { rateLimits: { enabled: false, excludedIPs: ['127.0.0.1'] }, ...settings }, root.token), 'settings');
  return root.token;
}

/** A base collection with every rule open, so the load runs as a guest. */
export async function openCollection(token, name, fields) {
  const rules = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };
  return ok(await call('POST', '/api/collections', { name, type: 'base', fields, ...rules }, token), `collection ${name}`);
}

export const median = (xs) => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

export const mean = (xs) => xs.reduce((x, y) => x + y, 0) / xs.length;

export async function time(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}
