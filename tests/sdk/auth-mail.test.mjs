// Every flow that goes through a mailed link or code: verification, password reset, email change, OTP and MFA.
// The SMTP settings are global, so all mail tests live in this one file: it starts a real SMTP server on loopback,
// points Basalt's settings at it, and tells messages apart by recipient.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser, rejection, uniqueEmail, createAuthCollection, claims, eventually } from './helpers.mjs';
import { startMailbox, linkToken, withLink, SMTP_USERNAME, SMTP_PASSWORD } from './mailbox.mjs';

const PASSWORD = 'member-password-1';
const SENDER = 'noreply@basalt-sdk.test';
let mailbox;
let members; // password auth only
let otpMembers; // password + OTP
let mfaMembers; // password + OTP + MFA

before(async () => {
  mailbox = await startMailbox();
  const pb = await superuser();
  const smtpSettings = {
    meta: { appName: 'Basalt SDK', appURL: 'http://app.basalt-sdk.test', senderName: 'Basalt SDK', senderAddress: SENDER },
    smtp: {
      enabled: true,
      host: '127.0.0.1',
      port: mailbox.port,
      username: SMTP_USERNAME,
      password: SMTP_PASSWORD,
      authMethod: 'PLAIN',
      tls: false,
    },
  };
  // Other files may PATCH the (global) settings at the same moment; make sure this file's SMTP server is the one set.
  await eventually(async () => {
    await pb.settings.update(smtpSettings);
    return (await pb.settings.getAll()).smtp.port === mailbox.port;
  }, 'the SMTP settings to stick');
  members = await createAuthCollection(pb, 'mailed');
  otpMembers = await createAuthCollection(pb, 'otp', { otp: { enabled: true, duration: 180, length: 8 } });
  mfaMembers = await createAuthCollection(pb, 'mfa', {
    otp: { enabled: true, duration: 180, length: 6 },
    mfa: { enabled: true, duration: 600, rule: '' },
  });
});

after(async () => {
  // Other files must not try to deliver login alerts to a server that is gone.
  const pb = await superuser();
  await pb.settings.update({ smtp: { enabled: false } });
  await mailbox?.close();
});

async function signUp(collection) {
  const email = uniqueEmail('mail');
  const record = await guest().collection(collection.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  return { email, record };
}

/** The default OTP template's subject is `OTP for {APP_NAME}`. */
const isOtpMail = (message) => message.subject.startsWith('OTP');

/** The one-time code in an OTP mail (the default template shows it in bold). */
function otpCode(message, length) {
  const match = new RegExp(`\\b(\\d{${length}})\\b`).exec(message.text || message.html.replace(/<[^>]+>/g, ' '));
  assert.ok(match, `no ${length}-digit code in: ${message.text || message.html}`);
  return match[1];
}

test('the SMTP settings are kept with the password write-only', async () => {
  const pb = await superuser();
  const settings = await pb.settings.getAll();
  assert.equal(settings.smtp.enabled, true);
  assert.equal(settings.smtp.host, '127.0.0.1');
  assert.equal(settings.smtp.port, mailbox.port);
  assert.equal(settings.smtp.username, SMTP_USERNAME);
  assert.ok(!settings.smtp.password, 'the SMTP password is never returned');
  assert.equal(settings.meta.senderAddress, SENDER);
});

test('settings.testEmail sends a template of a collection through the SMTP server', async () => {
  const pb = await superuser();
  const to = uniqueEmail('probe');
  assert.equal(await pb.settings.testEmail(members.name, to, 'password-reset'), true);
  const mail = await mailbox.waitFor(to, { filter: withLink('confirm-password-reset') });
  assert.equal(mail.from.address, SENDER);
  assert.equal(mail.from.name, 'Basalt SDK');
});

test('verification: requestVerification mails a link whose token confirmVerification accepts', async () => {
  const { email, record } = await signUp(members);
  assert.equal(record.verified, false);
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);
  assert.equal(pb.authStore.record.verified, false);

  assert.equal(await guest().collection(members.name).requestVerification(email), true);
  const mail = await mailbox.waitFor(email, { filter: withLink('confirm-verification') });
  assert.equal(mail.from.address, SENDER);
  assert.equal(mail.user, SMTP_USERNAME, 'Basalt signed in to the SMTP server with the settings credentials');
  assert.ok(mail.html.includes('http://app.basalt-sdk.test/_/#/auth/confirm-verification/'));
  const token = linkToken(mail, 'confirm-verification');
  assert.equal(claims(token).type, 'verification');
  assert.equal(claims(token).email, email);

  assert.equal(await pb.collection(members.name).confirmVerification(token), true);
  assert.equal(pb.authStore.record.verified, true, 'the SDK marks its own record verified');
  const fresh = await guest().collection(members.name).authWithPassword(email, PASSWORD);
  assert.equal(fresh.record.verified, true);

  await guest().collection(members.name).requestVerification(email);
  const err = await rejection(() => guest().collection(members.name).confirmVerification('not-a-token'));
  assert.equal(err.status, 400);
});

test('password reset: the mailed token sets a new password once', async () => {
  const { email, record } = await signUp(members);
  const old = guest();
  await old.collection(members.name).authWithPassword(email, PASSWORD);

  assert.equal(await guest().collection(members.name).requestPasswordReset(email), true);
  const token = linkToken(await mailbox.waitFor(email, { filter: withLink('confirm-password-reset') }), 'confirm-password-reset');
  assert.equal(claims(token).type, 'passwordReset');

  const mismatch = await rejection(() =>
    guest().collection(members.name).confirmPasswordReset(token, 'new-password-1', 'other-password-1'),
  );
  assert.equal(mismatch.status, 400);
  assert.ok(mismatch.response.data.passwordConfirm);

  assert.equal(await guest().collection(members.name).confirmPasswordReset(token, 'new-password-1', 'new-password-1'), true);
  const signedIn = await guest().collection(members.name).authWithPassword(email, 'new-password-1');
  assert.equal(signedIn.record.id, record.id);
  const wrong = await rejection(() => guest().collection(members.name).authWithPassword(email, PASSWORD));
  assert.equal(wrong.status, 400, 'the old password no longer works');
  const stale = await rejection(() => old.collection(members.name).authRefresh());
  assert.equal(stale.status, 401, 'the reset signed out the old session');
  const reused = await rejection(() =>
    guest().collection(members.name).confirmPasswordReset(token, 'third-password-1', 'third-password-1'),
  );
  assert.equal(reused.status, 400, 'a reset token works once');
});

test('password reset for an unknown email answers the same and sends nothing', async () => {
  const email = uniqueEmail('ghost');
  assert.equal(await guest().collection(members.name).requestPasswordReset(email), true);
  const { email: known } = await signUp(members);
  await guest().collection(members.name).requestPasswordReset(known);
  await mailbox.waitFor(known, { filter: withLink('confirm-password-reset') });
  assert.equal(mailbox.to(email).length, 0);
});

test('email change: the token mailed to the new address confirms it with the current password', async () => {
  const { email, record } = await signUp(members);
  const newEmail = uniqueEmail('changed');
  const pb = guest();
  await pb.collection(members.name).authWithPassword(email, PASSWORD);

  const anonymous = await rejection(() => guest().collection(members.name).requestEmailChange(newEmail));
  assert.equal(anonymous.status, 401);
  assert.equal(await pb.collection(members.name).requestEmailChange(newEmail), true);
  const mail = await mailbox.waitFor(newEmail, { filter: withLink('confirm-email-change') });
  const token = linkToken(mail, 'confirm-email-change');
  assert.equal(claims(token).newEmail, newEmail);

  const badPassword = await rejection(() => guest().collection(members.name).confirmEmailChange(token, 'wrong-password'));
  assert.equal(badPassword.status, 400);
  assert.equal(await pb.collection(members.name).confirmEmailChange(token, PASSWORD), true);
  assert.equal(pb.authStore.isValid, false, 'the SDK clears the store of the changed record');

  const signedIn = await guest().collection(members.name).authWithPassword(newEmail, PASSWORD);
  assert.equal(signedIn.record.id, record.id);
  assert.equal(signedIn.record.email, newEmail);
  assert.equal(signedIn.record.verified, true);
  const oldEmail = await rejection(() => guest().collection(members.name).authWithPassword(email, PASSWORD));
  assert.equal(oldEmail.status, 400);
});

test('OTP: requestOTP mails a code that authWithOTP accepts once', async () => {
  const { email, record } = await signUp(otpMembers);
  const methods = await guest().collection(otpMembers.name).listAuthMethods();
  assert.deepEqual(methods.otp, { enabled: true, duration: 180 });

  const pb = guest();
  const { otpId } = await pb.collection(otpMembers.name).requestOTP(email);
  assert.equal(typeof otpId, 'string');
  const code = otpCode(await mailbox.waitFor(email, { filter: isOtpMail }), 8);

  const wrong = await rejection(() => pb.collection(otpMembers.name).authWithOTP(otpId, code === '00000000' ? '11111111' : '00000000'));
  assert.equal(wrong.status, 400);

  const auth = await pb.collection(otpMembers.name).authWithOTP(otpId, code);
  assert.equal(auth.record.id, record.id);
  assert.equal(pb.authStore.record.id, record.id);
  assert.ok(pb.authStore.isValid);
  assert.equal(auth.record.verified, true, 'an OTP sent to the record email verifies it');

  const reused = await rejection(() => guest().collection(otpMembers.name).authWithOTP(otpId, code));
  assert.equal(reused.status, 400, 'an OTP is deleted after use');
});

test('OTP brute force: after 5 wrong codes even the right one is refused with 429', async () => {
  const { email } = await signUp(otpMembers);
  const { otpId } = await guest().collection(otpMembers.name).requestOTP(email);
  const code = otpCode(await mailbox.waitFor(email, { filter: isOtpMail }), 8);
  const wrongCode = code === '00000000' ? '11111111' : '00000000';
  const statuses = [];
  for (let i = 0; i < 5; i++) {
    statuses.push((await rejection(() => guest().collection(otpMembers.name).authWithOTP(otpId, wrongCode))).status);
  }
  assert.deepEqual(statuses, [400, 400, 400, 400, 400]);
  const blocked = await rejection(() => guest().collection(otpMembers.name).authWithOTP(otpId, code));
  assert.equal(blocked.status, 429);
  assert.equal(blocked.response.status, 429);
  assert.equal(typeof blocked.response.message, 'string');
});

test('OTP for an unknown email gives an otpId but no mail', async () => {
  const email = uniqueEmail('ghost');
  const { otpId } = await guest().collection(otpMembers.name).requestOTP(email);
  assert.equal(typeof otpId, 'string');
  assert.ok(otpId.length > 0);
  const { email: known } = await signUp(otpMembers);
  await guest().collection(otpMembers.name).requestOTP(known);
  await mailbox.waitFor(known, { filter: isOtpMail });
  assert.equal(mailbox.to(email).length, 0);
  const err = await rejection(() => guest().collection(otpMembers.name).authWithOTP(otpId, '12345678'));
  assert.equal(err.status, 400);
});

test('OTP is refused where it is not enabled', async () => {
  const { email } = await signUp(members);
  const err = await rejection(() => guest().collection(members.name).requestOTP(email));
  assert.ok([400, 403].includes(err.status), `got ${err.status}`);
});

test('MFA: a password sign-in answers 401 with mfaId, and an OTP with that mfaId completes it', async () => {
  const { email, record } = await signUp(mfaMembers);
  const methods = await guest().collection(mfaMembers.name).listAuthMethods();
  assert.deepEqual(methods.mfa, { enabled: true, duration: 600 });

  const pb = guest();
  const challenge = await rejection(() => pb.collection(mfaMembers.name).authWithPassword(email, PASSWORD));
  assert.equal(challenge.status, 401);
  const mfaId = challenge.response.mfaId;
  assert.equal(typeof mfaId, 'string');
  assert.ok(mfaId.length > 0);
  assert.equal(pb.authStore.isValid, false, 'no token before the second factor');

  const same = await rejection(() => pb.collection(mfaMembers.name).authWithPassword(email, PASSWORD, { mfaId }));
  assert.equal(same.status, 400, 'the second factor must be a different method');

  const { otpId } = await pb.collection(mfaMembers.name).requestOTP(email);
  const code = otpCode(await mailbox.waitFor(email, { filter: isOtpMail }), 6);
  const auth = await pb.collection(mfaMembers.name).authWithOTP(otpId, code, { mfaId });
  assert.equal(auth.record.id, record.id);
  assert.ok(pb.authStore.isValid);
  assert.equal(claims(pb.authStore.token).collectionId, mfaMembers.id);
});

test('MFA: an unknown mfaId is refused', async () => {
  const { email } = await signUp(mfaMembers);
  const { otpId } = await guest().collection(mfaMembers.name).requestOTP(email);
  const code = otpCode(await mailbox.waitFor(email, { filter: isOtpMail }), 6);
  const err = await rejection(() =>
    guest().collection(mfaMembers.name).authWithOTP(otpId, code, { mfaId: 'abcdefghijklmno' }),
  );
  assert.equal(err.status, 400);
});

test('a sign-in from a new device mails a login alert; the first sign-in and a known device do not', async () => {
  const { email } = await signUp(members);
  const isAlert = (message) => message.subject.startsWith('Login from a new location');
  const device = (userAgent) => ({ headers: { 'User-Agent': userAgent } });

  await guest().collection(members.name).authWithPassword(email, PASSWORD, device('SdkPhone/1.0'));
  await guest().collection(members.name).authWithPassword(email, PASSWORD, device('SdkPhone/1.0'));
  await guest().collection(members.name).authWithPassword(email, PASSWORD, device('SdkLaptop/2.0'));
  const alert = await mailbox.waitFor(email, { filter: isAlert });
  assert.ok(alert.html.includes('SdkLaptop/2.0') || alert.text.includes('SdkLaptop/2.0'), alert.text || alert.html);

  // Only the new device was reported: a mail requested after the sign-ins marks the point by which any other alert
  // (sent in the background after each sign-in) would have been delivered too.
  await guest().collection(members.name).requestPasswordReset(email);
  await mailbox.waitFor(email, { filter: withLink('confirm-password-reset') });
  assert.equal(mailbox.to(email).filter(isAlert).length, 1);
});
