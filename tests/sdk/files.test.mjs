// File fields through the SDK exactly as an app uses them: FormData uploads, pb.files.getURL, pb.files.getToken.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { guest, superuser, rejection, uniqueEmail, createAuthCollection, createCollection, S3 } from './helpers.mjs';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PASSWORD = 'file-owner-password';
let su;
let docs;
let members;

before(async () => {
  su = await superuser();
  members = await createAuthCollection(su, 'file_members');
  docs = await createCollection(
    su,
    'docs',
    [
      { name: 'title', type: 'text' },
      { name: 'cover', type: 'file', maxSelect: 1, mimeTypes: ['image/png'] },
      { name: 'attachments', type: 'file', maxSelect: 5, maxSize: 1024 },
      { name: 'secret', type: 'file', protected: true },
      { name: 'owner', type: 'relation', collectionId: members.id, maxSelect: 1 },
    ],
    { listRule: '', viewRule: 'owner = @request.auth.id', createRule: '', updateRule: '', deleteRule: '' },
  );
});

function textFile(name, text) {
  return new File([text], name, { type: 'text/plain' });
}

test('uploads through FormData and plain objects, in the submitted order', async () => {
  const form = new FormData();
  form.append('title', 'with files');
  form.append('cover', new Blob([PNG], { type: 'image/png' }), 'Cover Image.PNG');
  form.append('attachments', textFile('first.txt', 'one'));
  form.append('attachments', textFile('second.txt', 'two'));
  const record = await su.collection(docs.name).create(form);
  assert.match(record.cover, /^cover_image_[a-z0-9]{10}\.png$/);
  assert.equal(record.attachments.length, 2);
  assert.match(record.attachments[0], /^first_[a-z0-9]{10}\.txt$/);
  assert.match(record.attachments[1], /^second_[a-z0-9]{10}\.txt$/);

  // The SDK turns an object holding File values into FormData by itself.
  const updated = await su.collection(docs.name).update(record.id, { 'attachments+': textFile('third.txt', 'three'), title: 'more' });
  assert.deepEqual(updated.attachments.slice(0, 2), record.attachments);
  assert.match(updated.attachments[2], /^third_[a-z0-9]{10}\.txt$/);
  assert.equal(updated.title, 'more');

  const removed = await su.collection(docs.name).update(record.id, { 'attachments-': [record.attachments[0]] });
  assert.deepEqual(removed.attachments, updated.attachments.slice(1));
  const gone = await fetch(su.files.getURL(record, record.attachments[0]));
  assert.equal(gone.status, 404, 'a removed file is no longer served');
});

test('getURL serves the file; download forces an attachment', async () => {
  const record = await su.collection(docs.name).create({ cover: new File([PNG], 'pic.png'), attachments: [textFile('notes.txt', 'hello')] });
  const url = su.files.getURL(record, record.cover);
  assert.ok(url.includes(`/api/files/${docs.id}/${record.id}/${record.cover}`), url);
  const image = await fetch(url);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get('content-type'), 'image/png');
  assert.match(image.headers.get('content-disposition'), /^inline/);
  assert.deepEqual(new Uint8Array(await image.arrayBuffer()), PNG);

  const download = await fetch(su.files.getURL(record, record.cover, { download: true }));
  assert.match(download.headers.get('content-disposition'), /^attachment/);

  // getUrl is the SDK's deprecated spelling of the same thing.
  assert.equal(su.files.getUrl(record, record.attachments[0]), su.files.getURL(record, record.attachments[0]));
  const text = await fetch(su.files.getURL(record, record.attachments[0]));
  assert.equal(await text.text(), 'hello');
});

test('field checks come back as ClientResponseError data', async () => {
  const mislabelled = await rejection(() => su.collection(docs.name).create({ cover: new File(['not a png'], 'fake.png', { type: 'image/png' }) }));
  assert.equal(mislabelled.status, 400);
  assert.equal(mislabelled.response.data.cover.code, 'validation_invalid_mime_type');

  const tooBig = await rejection(() => su.collection(docs.name).create({ attachments: [textFile('big.txt', 'x'.repeat(2000))] }));
  assert.equal(tooBig.response.data.attachments.code, 'validation_file_size_limit');
});

test('a protected file needs a file token of a record the view rule admits', async () => {
  const email = uniqueEmail('owner');
  const owner = await su.collection(members.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  const record = await su.collection(docs.name).create({ owner: owner.id, secret: textFile('diary.txt', 'dear diary') });

  const anonymous = await fetch(su.files.getURL(record, record.secret));
  assert.equal(anonymous.status, 404);

  const pb = guest();
  assert.equal((await rejection(() => pb.files.getToken())).status, 401);
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  const token = await pb.files.getToken();
  const allowed = await fetch(pb.files.getURL(record, record.secret, { token }));
  assert.equal(allowed.status, 200);
  assert.equal(await allowed.text(), 'dear diary');

  const strangerEmail = uniqueEmail('stranger');
  await su.collection(members.name).create({ email: strangerEmail, password: PASSWORD, passwordConfirm: PASSWORD });
  const stranger = guest();
  await stranger.collection(members.name).authWithPassword(strangerEmail, PASSWORD);
  const refused = await fetch(stranger.files.getURL(record, record.secret, { token: await stranger.files.getToken() }));
  assert.equal(refused.status, 404);

  const superToken = await su.files.getToken();
  assert.equal((await fetch(su.files.getURL(record, record.secret, { token: superToken }))).status, 200);
});

test('deleting the record deletes its files', async () => {
  const record = await su.collection(docs.name).create({ attachments: [textFile('temp.txt', 'bye')] });
  const url = su.files.getURL(record, record.attachments[0]);
  assert.equal((await fetch(url)).status, 200);
  await su.collection(docs.name).delete(record.id);
  assert.equal((await fetch(url)).status, 404);
});

// A real RGB PNG of width x height, so the server has something to make a thumb of.
function makePng(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([x * 8, y * 8, 128], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('getURL with a thumb serves a listed size and the original for any other', async () => {
  const pics = await createCollection(su, 'thumbs', [{ name: 'pic', type: 'file', maxSelect: 1, thumbs: ['10x10', '0x10'] }], {
    listRule: '',
    viewRule: '',
    createRule: '',
  });
  const original = makePng(30, 20);
  const record = await su.collection(pics.name).create({ pic: new File([original], 'photo.png') });

  for (const [thumb, width, height] of [['10x10', 10, 10], ['0x10', 15, 10], ['100x100', 100, 100]]) {
    const response = await fetch(su.files.getURL(record, record.pic, { thumb }));
    assert.equal(response.status, 200, thumb);
    assert.equal(response.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [width, height], thumb);
  }

  const unlisted = await fetch(su.files.getURL(record, record.pic, { thumb: '7x7' }));
  assert.deepEqual(Buffer.from(await unlisted.arrayBuffer()), original);
});

test('files live where the s3 settings say, and settings.testS3 checks the bucket', async () => {
  const record = await su.collection(docs.name).create({ attachments: [textFile('where.txt', 'stored here')] });
  const settings = await su.settings.getAll();
  assert.equal(settings.s3.secret, '', 'the S3 secret is never read back');

  if (S3) {
    // Read straight from the bucket (s3rver serves anonymous reads): the key is COLLECTION_ID/RECORD_ID/NAME.
    const object = await fetch(`${S3.endpoint}/${S3.bucket}/${docs.id}/${record.id}/${record.attachments[0]}`);
    assert.equal(object.status, 200);
    assert.equal(await object.text(), 'stored here');
    assert.equal(settings.s3.enabled, true);
    assert.equal(await su.settings.testS3('storage'), true);
  } else {
    assert.equal(settings.s3.enabled, false);
    const refused = await rejection(() => su.settings.testS3('storage'));
    assert.equal(refused.status, 400);
    assert.match(refused.response.message, /not enabled/);
  }

  assert.equal(await (await fetch(su.files.getURL(record, record.attachments[0]))).text(), 'stored here');
  const invalid = await rejection(() => su.settings.testS3('nosuchfilesystem'));
  assert.equal(invalid.response.data.filesystem.code, 'validation_in_invalid');
});
