// OAuth2 through a real OpenID Connect provider on loopback: auth-methods, the manual code flow with PKCE, the SDK's
// all-in-one popup flow over realtime and /api/oauth2-redirect, external auth links, and the errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { EventSource } from 'eventsource';
import { guest, superuser, rejection, uniqueEmail, uniqueName, createAuthCollection, claims } from './helpers.mjs';
import { startOidcProvider } from './oidc-provider.mjs';

// Node 20 has no EventSource; the SDK's realtime service (used by authWithOAuth2) needs one.
globalThis.EventSource ??= EventSource;

const PASSWORD = 'member-password-1';
const APP_REDIRECT = 'http://app.basalt-sdk.test/oauth2-callback';
let provider;
let members;

before(async () => {
  provider = await startOidcProvider();
  const pb = await superuser();
  members = await createAuthCollection(pb, 'social', {
    oauth2: {
      enabled: true,
      mappedFields: { name: 'name' },
      providers: [provider.config('oidc')],
    },
  });
});

after(async () => {
  await provider?.close();
});

/** A user the provider knows, with a unique email; the hint selects it at /authorize. */
function providerUser(extra = {}) {
  const hint = uniqueName('hint');
  const user = provider.addUser(hint, { email: uniqueEmail('oidc'), name: `OIDC ${hint}`, ...extra });
  return { hint, user };
}

/** Plays the user's browser at the provider: follows authURL + redirect and returns the code and state it sends back. */
async function authorize(authURL, redirectURL, hint) {
  const res = await fetch(`${authURL}${encodeURIComponent(redirectURL)}&login_hint=${encodeURIComponent(hint)}`, {
    redirect: 'manual',
  });
  assert.equal(res.status, 302);
  const back = new URL(res.headers.get('location'));
  assert.equal(`${back.origin}${back.pathname}`, redirectURL);
  return { code: back.searchParams.get('code'), state: back.searchParams.get('state'), error: back.searchParams.get('error') };
}

async function oidcMethod(pb = guest()) {
  const methods = await pb.collection(members.name).listAuthMethods();
  const method = methods.oauth2.providers.find((p) => p.name === 'oidc');
  assert.ok(method, `oidc is listed: ${JSON.stringify(methods.oauth2)}`);
  return method;
}

test('listAuthMethods lists the provider with state and a PKCE challenge', async () => {
  const methods = await guest().collection(members.name).listAuthMethods();
  assert.equal(methods.oauth2.enabled, true);
  const method = await oidcMethod();
  assert.equal(method.displayName, 'Loopback OIDC');
  assert.equal(method.codeChallengeMethod, 'S256');
  assert.equal(method.codeChallenge, crypto.createHash('sha256').update(method.codeVerifier).digest('base64url'));
  assert.ok(method.state.length >= 30);
  assert.ok(method.authURL.startsWith(`${provider.issuer}/authorize?`));
  assert.ok(method.authURL.endsWith('&redirect_uri='), method.authURL);
  const query = new URL(method.authURL).searchParams;
  assert.equal(query.get('client_id'), 'basalt-sdk-client');
  assert.equal(query.get('response_type'), 'code');
  assert.equal(query.get('state'), method.state);
  assert.equal(query.get('code_challenge'), method.codeChallenge);

  const again = await oidcMethod();
  assert.notEqual(again.state, method.state, 'each call gets a new state');
  assert.notEqual(again.codeVerifier, method.codeVerifier);
});

test('the provider client secret is write-only', async () => {
  const pb = await superuser();
  const collection = await pb.collections.getOne(members.id);
  const oidc = collection.oauth2.providers.find((p) => p.name === 'oidc');
  assert.equal(oidc.clientId, 'basalt-sdk-client');
  assert.ok(!oidc.clientSecret, 'the client secret is never returned');
});

test('authWithOAuth2Code creates a verified record on first sign-in and finds it again', async () => {
  const { hint, user } = providerUser();
  const method = await oidcMethod();
  const { code, state } = await authorize(method.authURL, APP_REDIRECT, hint);
  assert.equal(state, method.state, 'the provider hands the state back for the client to check');

  const pb = guest();
  const auth = await pb.collection(members.name).authWithOAuth2Code('oidc', code, method.codeVerifier, APP_REDIRECT);
  assert.equal(auth.record.email, user.email);
  assert.equal(auth.record.verified, true, 'the provider verified the email');
  assert.equal(auth.record.name, user.name, 'mapped from the provider name');
  assert.equal(auth.meta.isNew, true);
  assert.equal(auth.meta.id, user.sub);
  assert.equal(auth.meta.email, user.email);
  assert.equal(typeof auth.meta.accessToken, 'string');
  assert.equal(auth.meta.rawUser.sub, user.sub);
  assert.ok(pb.authStore.isValid);
  assert.equal(claims(pb.authStore.token).collectionId, members.id);
  const exchange = provider.log.at(-1);
  assert.equal(exchange.ok, true);
  assert.equal(exchange.codeVerifier, method.codeVerifier, 'Basalt sent the PKCE verifier to the token endpoint');

  const next = await oidcMethod();
  const second = await authorize(next.authURL, APP_REDIRECT, hint);
  const again = await guest().collection(members.name).authWithOAuth2Code('oidc', second.code, next.codeVerifier, APP_REDIRECT);
  assert.equal(again.record.id, auth.record.id);
  assert.equal(again.meta.isNew, false);
});

test('listExternalAuths shows the link and unlinkExternalAuth removes it', async () => {
  const { hint, user } = providerUser();
  const method = await oidcMethod();
  const { code } = await authorize(method.authURL, APP_REDIRECT, hint);
  const pb = guest();
  const auth = await pb.collection(members.name).authWithOAuth2Code('oidc', code, method.codeVerifier, APP_REDIRECT);

  const links = await pb.collection(members.name).listExternalAuths(auth.record.id);
  assert.equal(links.length, 1);
  assert.equal(links[0].provider, 'oidc');
  assert.equal(links[0].providerId, user.sub);
  assert.equal(links[0].recordRef, auth.record.id);
  assert.equal(links[0].collectionRef, members.id);

  const stranger = guest();
  const hidden = await stranger.collection(members.name).listExternalAuths(auth.record.id);
  assert.deepEqual(hidden, [], 'a guest sees no one else’s links');

  assert.equal(await pb.collection(members.name).unlinkExternalAuth(auth.record.id, 'oidc'), true);
  assert.deepEqual(await pb.collection(members.name).listExternalAuths(auth.record.id), []);
});

test('signing in with OAuth2 while signed in links the provider to the current record', async () => {
  const email = uniqueEmail('linker');
  const pb = guest();
  const record = await pb.collection(members.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  await pb.collection(members.name).authWithPassword(email, PASSWORD);

  const { hint, user } = providerUser();
  const method = await oidcMethod(pb);
  const { code } = await authorize(method.authURL, APP_REDIRECT, hint);
  const auth = await pb.collection(members.name).authWithOAuth2Code('oidc', code, method.codeVerifier, APP_REDIRECT);
  assert.equal(auth.record.id, record.id, 'linked, not a new record');
  assert.equal(auth.record.email, email, 'the current email is kept');
  const links = await pb.collection(members.name).listExternalAuths(record.id);
  assert.deepEqual(links.map((l) => [l.provider, l.providerId]), [['oidc', user.sub]]);
});

test('a wrong PKCE verifier or a reused code is refused with 400', async () => {
  const { hint } = providerUser();
  const method = await oidcMethod();
  const { code } = await authorize(method.authURL, APP_REDIRECT, hint);
  const other = await oidcMethod();
  const wrongVerifier = await rejection(() =>
    guest().collection(members.name).authWithOAuth2Code('oidc', code, other.codeVerifier, APP_REDIRECT),
  );
  assert.equal(wrongVerifier.status, 400);
  assert.equal(provider.log.at(-1).ok, false, 'the provider refused the exchange');

  const reused = await rejection(() =>
    guest().collection(members.name).authWithOAuth2Code('oidc', code, method.codeVerifier, APP_REDIRECT),
  );
  assert.equal(reused.status, 400);

  const unknown = await rejection(() =>
    guest().collection(members.name).authWithOAuth2Code('nosuchprovider', 'x', method.codeVerifier, APP_REDIRECT),
  );
  assert.equal(unknown.status, 400);
});

test('authWithOAuth2 (the SDK popup flow) gets the code over realtime from /api/oauth2-redirect', async () => {
  const { hint, user } = providerUser();
  const pb = guest();
  let visited = null;
  const auth = await pb.collection(members.name).authWithOAuth2({
    provider: 'oidc',
    // The "popup": a browser following the provider's redirect back to Basalt's /api/oauth2-redirect.
    urlCallback: async (url) => {
      visited = new URL(url);
      const res = await fetch(`${url}&login_hint=${encodeURIComponent(hint)}`);
      await res.arrayBuffer();
    },
  });
  assert.equal(visited.searchParams.get('redirect_uri'), pb.buildURL('/api/oauth2-redirect'));
  assert.equal(visited.searchParams.get('state').length, 40, 'the state is the realtime clientId');
  assert.equal(auth.record.email, user.email);
  assert.equal(auth.meta.isNew, true);
  assert.ok(pb.authStore.isValid);
  assert.equal(pb.authStore.record.id, auth.record.id);
});

test('/api/oauth2-redirect with an unknown state does not sign anyone in', async () => {
  const res = await fetch(`${guest().buildURL('/api/oauth2-redirect')}?state=${'x'.repeat(40)}&code=abc`, { redirect: 'manual' });
  assert.ok(res.status !== 404 && res.status < 500, `got ${res.status}`);
  if (res.status >= 300 && res.status < 400) {
    assert.match(res.headers.get('location') ?? '', /failure/);
  }
});

test('an OIDC provider without a userinfo URL is read from the RS256 id_token checked against the JWKS', async () => {
  const pb = await superuser();
  const tokenOnly = await createAuthCollection(pb, 'idtoken', {
    oauth2: { enabled: true, providers: [provider.config('oidc', { userInfoURL: '' })] },
  });
  const { hint, user } = providerUser();
  const methods = await guest().collection(tokenOnly.name).listAuthMethods();
  const method = methods.oauth2.providers.find((p) => p.name === 'oidc');
  assert.ok(method, `oidc is listed: ${JSON.stringify(methods.oauth2)}`);
  const { code } = await authorize(method.authURL, APP_REDIRECT, hint);
  const auth = await guest().collection(tokenOnly.name).authWithOAuth2Code('oidc', code, method.codeVerifier, APP_REDIRECT);
  assert.equal(auth.record.email, user.email);
  assert.equal(auth.meta.id, user.sub);
});

test('authWithOAuth2 rejects when the provider redirects back with an error', async () => {
  const pb = guest();
  const err = await rejection(() =>
    pb.collection(members.name).authWithOAuth2({
      provider: 'oidc',
      // No login_hint: the provider answers error=access_denied to /api/oauth2-redirect.
      urlCallback: async (url) => {
        const res = await fetch(url);
        await res.arrayBuffer();
      },
    }),
  );
  assert.match(String(err.originalError?.message ?? err.message), /access_denied|missing code/i);
  assert.equal(pb.authStore.isValid, false);
});

test('MFA: a password sign-in is completed by OAuth2 with the mfaId', async () => {
  const su = await superuser();
  const guarded = await createAuthCollection(su, 'mfaoauth', {
    mfa: { enabled: true, duration: 600, rule: '' },
    oauth2: { enabled: true, providers: [provider.config('oidc')] },
  });
  const { hint, user } = providerUser();
  const record = await guest()
    .collection(guarded.name)
    .create({ email: user.email, password: PASSWORD, passwordConfirm: PASSWORD });

  const pb = guest();
  const challenge = await rejection(() => pb.collection(guarded.name).authWithPassword(user.email, PASSWORD));
  assert.equal(challenge.status, 401);
  const { mfaId } = challenge.response;
  assert.ok(mfaId);

  const methods = await pb.collection(guarded.name).listAuthMethods();
  const method = methods.oauth2.providers.find((p) => p.name === 'oidc');
  const { code } = await authorize(method.authURL, APP_REDIRECT, hint);
  const auth = await pb
    .collection(guarded.name)
    .authWithOAuth2Code('oidc', code, method.codeVerifier, APP_REDIRECT, {}, { mfaId });
  assert.equal(auth.record.id, record.id, 'the verified provider email matches the record');
  assert.ok(pb.authStore.isValid);
});

test('an id_token that fails the JWKS signature or issuer check is refused', async () => {
  const stranger = await startOidcProvider(); // publishes a JWKS with a different key
  try {
    const su = await superuser();
    const cases = [
      ['a key from another JWKS', { extra: { jwksURL: `${stranger.issuer}/jwks`, issuers: [provider.issuer] } }],
      ['another issuer', { extra: { jwksURL: `${provider.issuer}/jwks`, issuers: [stranger.issuer] } }],
    ];
    for (const [what, overrides] of cases) {
      const strict = await createAuthCollection(su, 'strict', {
        oauth2: { enabled: true, providers: [provider.config('oidc', overrides)] },
      });
      const { hint } = providerUser();
      const methods = await guest().collection(strict.name).listAuthMethods();
      const method = methods.oauth2.providers.find((p) => p.name === 'oidc');
      const { code } = await authorize(method.authURL, APP_REDIRECT, hint);
      const err = await rejection(() =>
        guest().collection(strict.name).authWithOAuth2Code('oidc', code, method.codeVerifier, APP_REDIRECT),
      );
      assert.equal(err.status, 400, what);
      assert.equal((await su.collection(strict.name).getList(1, 1)).totalItems, 0, `${what}: no record was created`);
    }
  } finally {
    await stranger.close();
  }
});
