// A real SMTP server on loopback (smtp-server) that keeps every delivered message, parsed with mailparser, so tests can
// read the mail Basalt sent and follow its link or code. It requires SMTP AUTH, so the settings' credentials are exercised.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export const SMTP_USERNAME = 'basalt-mailer';
export const SMTP_PASSWORD = 'mailer-secret-1';

/** Starts the server on a free loopback port; `close()` stops it. */
export async function startMailbox() {
  const messages = [];
  const waiters = new Set();

  const server = new SMTPServer({
    // Basalt uses STARTTLS whenever the server offers it; the loopback test server offers plain SMTP only.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USERNAME && auth.password === SMTP_PASSWORD) {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const message = {
            envelopeFrom: session.envelope.mailFrom?.address ?? '',
            envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            user: session.user,
            from: parsed.from?.value?.[0] ?? null,
            to: (parsed.to?.value ?? []).map((a) => a.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          };
          messages.push(message);
          for (const waiter of [...waiters]) waiter();
          callback();
        })
        .catch(callback);
    },
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = server.server.address().port;

  /** Resolves with the first message to `address` (after the first `skip` ones) that matches `filter`, or times out. */
  function waitFor(address, { skip = 0, filter = () => true, timeoutMs = 15000 } = {}) {
    const to = address.toLowerCase();
    const find = () => messages.filter((m) => m.envelopeTo.includes(to) && filter(m))[skip];
    return new Promise((resolve, reject) => {
      const found = find();
      if (found) {
        resolve(found);
        return;
      }
      const waiter = () => {
        const message = find();
        if (message) {
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(message);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no mail to ${address} within ${timeoutMs} ms (mailbox has ${messages.length} messages)`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  /** Every message delivered to `address` so far. */
  function to(address) {
    return messages.filter((m) => m.envelopeTo.includes(address.toLowerCase()));
  }

  function close() {
    return new Promise((resolve) => server.close(resolve));
  }

  return { port, waitFor, to, close };
}

/** A filter for mails that carry a default-template action link (`confirm-verification`, `confirm-password-reset`, …). */
export function withLink(action) {
  return (message) => `${message.html}\n${message.text}`.includes(`/_/#/auth/${action}/`);
}

/** The token at the end of a default-template action link such as `{APP_URL}/_/#/auth/confirm-verification/{TOKEN}`. */
export function linkToken(message, action) {
  const pattern = new RegExp(`/_/#/auth/${action}/([A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+)`);
  const match = pattern.exec(message.html) ?? pattern.exec(message.text);
  if (!match) throw new Error(`no ${action} link in the mail: ${message.text || message.html}`);
  return match[1];
}
