import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser } from './helpers.mjs';

// The suite's files share one server and may run in parallel, so nothing here restores a backup over the data (the
// xunit tests do that on both databases); restore is exercised on a backup that is refused before anything changes.

test('pb.backups creates, lists, downloads with a file token, uploads and deletes', async () => {
  const pb = await superuser();
  const name = `sdk_${Date.now().toString(36)}_${process.pid}.zip`;
  await pb.backups.create(name);

  const list = await pb.backups.getFullList();
  const item = list.find((b) => b.key === name);
  assert.ok(item, 'the new backup is listed');
  assert.ok(item.size > 0);
  assert.match(item.modified, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);

  const token = await pb.files.getToken();
  const response = await fetch(pb.backups.getDownloadURL(token, name));
  assert.equal(response.status, 200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.equal(bytes.length, item.size);
  assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK');

  const copy = `copy_${name}`;
  await pb.backups.upload({ file: new File([bytes], copy, { type: 'application/zip' }) });
  assert.ok((await pb.backups.getFullList()).some((b) => b.key === copy), 'the uploaded copy is listed');

  await assert.rejects(
    pb.backups.upload({ file: new File([bytes.slice(0, bytes.length / 2)], `half_${name}`, { type: 'application/zip' }) }),
    (err) => err.status === 400,
  );

  await pb.backups.delete(copy);
  await pb.backups.delete(name);
  const after = await pb.backups.getFullList();
  assert.ok(!after.some((b) => b.key === name || b.key === copy));
});

test('pb.backups.restore refuses a missing or damaged backup with 400 and the data stays', async () => {
  const pb = await superuser();
  await assert.rejects(pb.backups.restore('no_such_backup.zip'), (err) => err.status === 400);
  const health = await pb.health.check();
  assert.equal(health.code, 200);
});

test('pb.backups and pb.crons are for superusers only', async () => {
  await assert.rejects(guest().backups.getFullList(), (err) => err.status === 401);
  await assert.rejects(guest().crons.getFullList(), (err) => err.status === 401);
  const download = await fetch(guest().backups.getDownloadURL('', 'any.zip'));
  assert.equal(download.status, 403);
});

test('pb.crons lists the built-in jobs and runs one', async () => {
  const pb = await superuser();
  const jobs = await pb.crons.getFullList();
  const ids = jobs.map((j) => j.id);
  for (const id of ['__pbLogsCleanup__', '__pbMFACleanup__', '__pbOTPCleanup__', '__pbFilesSweep__']) {
    assert.ok(ids.includes(id), `${id} is listed`);
  }

  assert.equal(jobs.find((j) => j.id === '__pbOTPCleanup__').expression, '0 * * * *');
  assert.equal(await pb.crons.run('__pbOTPCleanup__'), true);
  await assert.rejects(pb.crons.run('no_such_job'), (err) => err.status === 404);
});
