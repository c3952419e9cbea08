import { createServer, type Server } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: number;
  messageId: string | undefined;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | undefined;
  receivedAt: string;
  /** The message's own `X-…` headers (lower-case names), e.g. the outbox's `x-woms-key`. */
  xHeaders?: Record<string, string>;
  /** When the catcher answered the DATA command (the sender's "250 accepted"); unset while a delayed reply waits. */
  repliedAt?: string;
}

export interface MailCatcher {
  smtpPort: number;
  webUrl?: string;
  messages: CaughtMail[];
  /** Milliseconds the catcher waits, after it has kept a message, before it answers the DATA command (a slow
   *  SMTP server: the fault drills kill a sender while a message is in flight). Settable while it runs. */
  delayMs: number;
  /** SMTP connections opened to it so far. */
  readonly connections: number;
  /** Closes every open SMTP connection (an idle timeout, a restart of the server): senders must connect again. */
  dropConnections(): void;
  /** Resolves with the first message (already caught or arriving) that matches. */
  waitFor(match: (m: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  stop(): Promise<void>;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A real SMTP server that keeps what it receives: the embedded default's mail catcher (with a web view of
 * sent mail) and the tests' SMTP peer. Loopback only, no authentication, nothing relayed.
 */
export async function startMailCatcher(opts: {
  smtpPort: number;
  webPort?: number;
  host?: string;
  /** See MailCatcher.delayMs (default 0: answer at once). */
  delayMs?: number;
}): Promise<MailCatcher> {
  const host = opts.host ?? '127.0.0.1';
  let delayMs = opts.delayMs ?? 0;
  let connections = 0;
  const messages: CaughtMail[] = [];
  const waiters = new Set<{ match: (m: CaughtMail) => boolean; resolve: (m: CaughtMail) => void }>();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CaughtMail = {
            id: messages.length + 1,
            messageId: parsed.messageId,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : undefined,
            receivedAt: new Date().toISOString(),
            xHeaders: Object.fromEntries(
              [...parsed.headers].filter(
                (h): h is [string, string] => h[0].startsWith('x-') && typeof h[1] === 'string',
              ),
            ),
          };
          messages.push(mail);
          for (const w of waiters) {
            if (w.match(mail)) {
              waiters.delete(w);
              w.resolve(mail);
            }
          }
          const reply = () => {
            mail.repliedAt = new Date().toISOString();
            callback();
          };
          if (delayMs > 0) setTimeout(reply, delayMs);
          else reply();
        })
        .catch((e) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(opts.smtpPort, host, () => resolve());
  });

  let web: Server | undefined;
  if (opts.webPort !== undefined) {
    web = createServer((req, res) => {
      if (req.url?.startsWith('/api/messages')) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(messages));
        return;
      }
      const rows = [...messages]
        .reverse()
        .map(
          (m) =>
            `<tr><td>${esc(m.receivedAt)}</td><td>${esc(m.to.join(', '))}</td><td>${esc(m.subject)}</td><td><pre>${esc(m.text)}</pre></td></tr>`,
        )
        .join('');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>WOMS — Thư đã gửi / Sent mail</title>
<style>body{font-family:sans-serif;margin:1rem}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top;text-align:left}pre{white-space:pre-wrap;margin:0}</style></head>
<body><h1>Thư đã gửi / Sent mail (${messages.length})</h1><table><thead><tr><th>Thời điểm / At</th><th>Người nhận / To</th><th>Tiêu đề / Subject</th><th>Nội dung / Body</th></tr></thead><tbody>${rows}</tbody></table></body></html>`);
    });
    await new Promise<void>((resolve, reject) => {
      web!.once('error', reject);
      web!.listen(opts.webPort, host, () => resolve());
    });
  }
  const webAddr = web?.address();
  return {
    smtpPort: (smtp.server.address() as { port: number }).port,
    webUrl: webAddr && typeof webAddr === 'object' ? `http://${host}:${webAddr.port}` : undefined,
    messages,
    get delayMs() {
      return delayMs;
    },
    set delayMs(ms: number) {
      delayMs = ms;
    },
    get connections() {
      return connections;
    },
    dropConnections() {
      // smtp-server keeps its open connections in `connections` (not in its typings)
      for (const c of (smtp as unknown as { connections: Set<{ close(): void }> }).connections) c.close();
    },
    waitFor(match, timeoutMs = 30_000) {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = { match, resolve };
        waiters.add(w);
        setTimeout(() => {
          if (waiters.delete(w))
            reject(new Error(`no matching mail within ${timeoutMs} ms (caught ${messages.length})`));
        }, timeoutMs).unref();
      });
    },
    async stop() {
      await new Promise<void>((r) => smtp.close(() => r()));
      if (web) await new Promise<void>((r) => web!.close(() => r()));
    },
  };
}
