// A tiny SMTP server for tests, on a loopback port (node:net only).
//
//   const sink = await startSmtpSink();
//   ... BEACON_SMTP_URL: sink.url ...
//   const msg = await sink.waitFor((m) => m.to.includes('a@example.com'), 10000);
//   msg.headers.subject, msg.subject (RFC 2047 decoded), msg.text (body decoded)
//   await sink.close();
//
// Speaks EHLO/HELO, MAIL FROM, RCPT TO, DATA (with dot-unstuffing), RSET,
// NOOP, QUIT. It never offers STARTTLS. With the auth option ({user, pass})
// it offers AUTH PLAIN and LOGIN and refuses mail before a successful one;
// sink.logins lists the user names that signed in. sink.failNext(n)
// (or the failFirst option) answers the next n message attempts with a 451
// at the end of DATA, so a client's retry can be tested; failCode and
// failAt ('data' or 'rcpt') change how.
import { createServer } from 'node:net';

const MAX_LINE = 1024 * 1024;

/** Undo quoted-printable (RFC 2045 6.7) into bytes. */
function decodeQuotedPrintable(s) {
  const joined = s.replace(/=\r\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(joined.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** Decode RFC 2047 encoded words (B and Q) in a header value. */
export function decodeWords(value) {
  const words = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  // Whitespace between two encoded words is not part of the text.
  const squeezed = value.replace(/\?=\s+=\?/g, '?==?');
  return squeezed.replace(words, (_, charset, enc, text) => {
    const buf =
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : decodeQuotedPrintable(text.replace(/_/g, ' '));
    return buf.toString(/utf-?8/i.test(charset) ? 'utf8' : 'latin1');
  });
}

/** Split raw message bytes (a latin1 string) into headers and a decoded text body. */
function parseMessage(raw) {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end + 4);
  const headers = {};
  const unfolded = Buffer.from(head, 'latin1').toString('utf8').replace(/\r\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  const cte = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
  const bytes =
    cte === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : cte === 'base64'
        ? Buffer.from(body, 'base64')
        : Buffer.from(body, 'latin1');
  return {
    headers,
    subject: decodeWords(headers.subject || ''),
    text: bytes.toString('utf8'),
  };
}

/**
 * Start the sink. Options: port (0 = any free one), failFirst (answer the
 * first n attempts with failCode), failCode (451), failAt ('data' | 'rcpt'),
 * auth ({user, pass}: require AUTH).
 */
export function startSmtpSink({ port = 0, failFirst = 0, failCode = 451, failAt = 'data', auth = null } = {}) {
  const messages = [];
  const waiters = [];
  const sockets = new Set();
  const sink = {
    messages,
    /** Message attempts seen (DATA ends, or RCPTs with failAt 'rcpt'), failed ones included. */
    attempts: 0,
    /** Connections accepted. */
    connections: 0,
    /** Replies the sink sent with failCode. */
    failures: 0,
    /** User names that authenticated, and failed AUTH attempts. */
    logins: [],
    badLogins: 0,
    url: '',
    port: 0,
    failNext(n) {
      toFail = n;
    },
    /** Resolve with the first message (already received or coming) that matches, or fail after ms. */
    waitFor(predicate = () => true, ms = 10000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { predicate, resolve };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching message within ${ms} ms (${messages.length} received, ` +
            `${sink.attempts} attempts, ${sink.failures} refused)`));
        }, ms);
        w.resolve = (m) => {
          clearTimeout(timer);
          resolve(m);
        };
        waiters.push(w);
      });
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
  let toFail = failFirst;

  function deliver(m) {
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.predicate(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }

  /** Consume one attempt; true when it must be refused. */
  function refuse() {
    sink.attempts++;
    if (toFail > 0) {
      toFail--;
      sink.failures++;
      return true;
    }
    return false;
  }

  const server = createServer((sock) => {
    sink.connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    sock.setEncoding('latin1');
    const reply = (text) => sock.write(text + '\r\n');
    let greeted = false;
    let authed = !auth;
    let authStep = null; // what the next line answers during AUTH
    let authUser = '';
    let from = null;
    let to = [];
    let inData = false;
    let data = [];
    let pending = '';

    const reset = () => {
      from = null;
      to = [];
      inData = false;
      data = [];
    };

    const b64 = (t) => Buffer.from(t, 'base64').toString('utf8');
    const login = (user, pass) => {
      if (user === auth.user && pass === auth.pass) {
        authed = true;
        sink.logins.push(user);
        return reply('235 2.7.0 authenticated');
      }
      sink.badLogins++;
      reply('535 5.7.8 authentication failed');
    };
    const plain = (resp) => {
      const [, user = '', pass = ''] = b64(resp).split('\0');
      login(user, pass);
    };

    const authLine = (line) => {
      const step = authStep;
      authStep = null;
      if (line === '*') return reply('501 5.7.0 authentication cancelled');
      if (step === 'plain') return plain(line);
      if (step === 'login-user') {
        authUser = b64(line);
        authStep = 'login-pass';
        return reply('334 UGFzc3dvcmQ6');
      }
      login(authUser, b64(line));
    };

    const command = (line) => {
      const upper = line.toUpperCase();
      const verb = upper.split(' ')[0];
      if (verb === 'EHLO') {
        greeted = true;
        reset();
        sock.write('250-sink greets you\r\n250-8BITMIME\r\n' +
          (auth ? '250-AUTH PLAIN LOGIN\r\n' : '') + '250 SIZE 10485760\r\n');
      } else if (verb === 'AUTH' && auth) {
        const [, mech = '', initial] = line.split(' ');
        if (mech.toUpperCase() === 'PLAIN') {
          if (initial) return plain(initial);
          authStep = 'plain';
          return reply('334 ');
        }
        if (mech.toUpperCase() === 'LOGIN') {
          if (initial) {
            authUser = b64(initial);
            authStep = 'login-pass';
            return reply('334 UGFzc3dvcmQ6');
          }
          authStep = 'login-user';
          return reply('334 VXNlcm5hbWU6');
        }
        reply('504 5.5.4 mechanism not supported');
      } else if (verb === 'HELO') {
        greeted = true;
        reset();
        reply('250 sink');
      } else if (upper.startsWith('MAIL FROM:')) {
        if (!greeted) return reply('503 5.5.1 EHLO first');
        if (!authed) return reply('530 5.7.0 authentication required');
        const m = /^MAIL FROM:\s*<([^>]*)>/i.exec(line);
        if (!m) return reply('501 5.1.7 bad sender');
        reset();
        from = m[1];
        reply('250 2.1.0 sender ok');
      } else if (upper.startsWith('RCPT TO:')) {
        if (from === null) return reply('503 5.5.1 MAIL first');
        const m = /^RCPT TO:\s*<([^>]+)>/i.exec(line);
        if (!m) return reply('501 5.1.3 bad recipient');
        if (failAt === 'rcpt' && refuse()) return reply(`${failCode} 4.3.0 try again later`);
        to.push(m[1]);
        reply('250 2.1.5 recipient ok');
      } else if (verb === 'DATA') {
        if (to.length === 0) return reply('503 5.5.1 RCPT first');
        inData = true;
        data = [];
        reply('354 end with <CRLF>.<CRLF>');
      } else if (verb === 'RSET') {
        reset();
        reply('250 2.0.0 reset');
      } else if (verb === 'NOOP') {
        reply('250 2.0.0 ok');
      } else if (verb === 'QUIT') {
        reply('221 2.0.0 bye');
        sock.end();
      } else {
        reply('500 5.5.2 unknown command');
      }
    };

    const dataLine = (line) => {
      if (line !== '.') {
        data.push(line.startsWith('.') ? line.slice(1) : line);
        return;
      }
      inData = false;
      const raw = data.length ? data.join('\r\n') + '\r\n' : '';
      if (failAt === 'data' && refuse()) {
        reply(`${failCode} 4.3.0 try again later`);
      } else {
        const parsed = parseMessage(raw);
        deliver({
          from,
          to: [...to],
          data: Buffer.from(raw, 'latin1').toString('utf8'),
          raw: Buffer.from(raw, 'latin1'),
          ...parsed,
        });
        reply(`250 2.0.0 queued as ${messages.length}`);
      }
      from = null;
      to = [];
    };

    sock.on('data', (chunk) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 2);
        if (inData) dataLine(line);
        else if (authStep) authLine(line);
        else command(line);
      }
      if (pending.length > MAX_LINE) {
        reply('500 5.5.6 line too long');
        sock.destroy();
      }
    });
    reply('220 sink ESMTP test server');
  });

  return new Promise((ok, fail) => {
    server.on('error', fail);
    server.listen(port, '127.0.0.1', () => {
      sink.port = server.address().port;
      sink.url = `smtp://127.0.0.1:${sink.port}`;
      ok(sink);
    });
  });
}
