// An OpenID Connect provider on loopback, written with node's http and crypto, speaking the real protocol:
// /authorize redirects back with code + state, /token checks the client secret and the PKCE S256 code_verifier and
// returns an RS256-signed id_token, /userinfo answers for the access token, /jwks publishes the signing key.
// Users are registered with addUser(); /authorize signs in the one named by its `login_hint` query parameter.
import http from 'node:http';
import crypto from 'node:crypto';

export const CLIENT_ID = 'basalt-sdk-client';
export const CLIENT_SECRET = 'basalt-sdk-client-secret';

const base64url = (buffer) => Buffer.from(buffer).toString('base64url');

/** Starts the provider on a free loopback port; `close()` stops it. */
export async function startOidcProvider() {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = crypto.randomBytes(8).toString('hex');
  const users = new Map(); // login hint -> claims
  const codes = new Map(); // code -> { user, redirectUri, challenge, method, used }
  const accessTokens = new Map(); // access token -> user
  const log = []; // every token request, for assertions

  let issuer = '';

  function signIdToken(user, nonce) {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const payload = { iss: issuer, aud: CLIENT_ID, sub: user.sub, iat: now, exp: now + 600, ...user };
    if (nonce) payload.nonce = nonce;
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    return `${input}.${base64url(crypto.sign('RSA-SHA256', Buffer.from(input), privateKey))}`;
  }

  function send(res, status, body, headers = {}) {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString()));
      req.on('error', reject);
    });
  }

  function authorize(url, res) {
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== CLIENT_ID || !redirectUri) {
      send(res, 400, { error: 'invalid_request', error_description: 'unknown client_id or missing redirect_uri' });
      return;
    }
    const back = new URL(redirectUri);
    if (q.get('state') !== null) back.searchParams.set('state', q.get('state'));
    const user = users.get(q.get('login_hint') ?? '');
    if (q.get('response_type') !== 'code' || !user) {
      back.searchParams.set('error', user ? 'unsupported_response_type' : 'access_denied');
    } else {
      const code = crypto.randomBytes(24).toString('base64url');
      codes.set(code, {
        user,
        redirectUri,
        challenge: q.get('code_challenge'),
        method: q.get('code_challenge_method'),
        nonce: q.get('nonce'),
        used: false,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { Location: back.toString() });
    res.end();
  }

  async function token(req, res) {
    const form = new URLSearchParams(await readBody(req));
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
      clientId = id;
      clientSecret = secret;
    }
    const entry = { clientId, grantType: form.get('grant_type'), codeVerifier: form.get('code_verifier'), ok: false };
    log.push(entry);
    if (clientId !== CLIENT_ID || clientSecret !== CLIENT_SECRET) {
      send(res, 401, { error: 'invalid_client' });
      return;
    }
    const grant = codes.get(form.get('code') ?? '');
    if (form.get('grant_type') !== 'authorization_code' || !grant || grant.used || grant.redirectUri !== form.get('redirect_uri')) {
      send(res, 400, { error: 'invalid_grant' });
      return;
    }
    grant.used = true;
    if (grant.challenge) {
      const verifier = form.get('code_verifier') ?? '';
      const computed = base64url(crypto.createHash('sha256').update(verifier).digest());
      if (grant.method !== 'S256' || computed !== grant.challenge) {
        send(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        return;
      }
    }
    entry.ok = true;
    const accessToken = crypto.randomBytes(24).toString('base64url');
    accessTokens.set(accessToken, grant.user);
    send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: crypto.randomBytes(24).toString('base64url'),
      scope: 'openid profile email',
      id_token: signIdToken(grant.user, grant.nonce),
    });
  }

  function userinfo(req, res) {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    const user = bearer && accessTokens.get(bearer[1]);
    if (!user) {
      send(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      return;
    }
    send(res, 200, user);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, issuer);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /authorize') return authorize(url, res);
    if (route === 'POST /token') return token(req, res).catch(() => send(res, 500, { error: 'server_error' }));
    if (route === 'GET /userinfo' || route === 'POST /userinfo') return userinfo(req, res);
    if (route === 'GET /jwks') {
      return send(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    }
    if (route === 'GET /.well-known/openid-configuration') {
      return send(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    return send(res, 404, { error: 'not_found' });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  issuer = `http://127.0.0.1:${server.address().port}`;

  return {
    issuer,
    log,
    /** Registers a user the provider can sign in (by `login_hint=<hint>`); returns its claims. */
    addUser(hint, claims) {
      const user = { sub: crypto.randomBytes(8).toString('hex'), email_verified: true, ...claims };
      users.set(hint, user);
      return user;
    },
    /** The provider entry for an auth collection's `oauth2.providers`. */
    config(name = 'oidc', overrides = {}) {
      return {
        name,
        displayName: 'Loopback OIDC',
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authURL: `${issuer}/authorize`,
        tokenURL: `${issuer}/token`,
        userInfoURL: `${issuer}/userinfo`,
        pkce: true,
        extra: { jwksURL: `${issuer}/jwks`, issuers: [issuer] },
        ...overrides,
      };
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
