// The bench's SMTP peer: a real SMTP server on loopback (smtp-server, as the mail catcher) that accepts every
// message and keeps only a count — mail leaves the system there, as it leaves for the province's relay, which is
// outside the system. Without a peer the worker's mail sender retried every notification against a closed port
// for the whole run: a connect, a transaction and a row update on the worker's main thread each time, about
// seven times a mail over an hour at scale 1 (30 s, 1, 2, 4 … minutes apart), work no deployment does.
import { SMTPServer } from 'smtp-server';

export interface MailSink {
  port: number;
  /** Messages accepted so far. */
  received(): number;
  stop(): Promise<void>;
}

export async function startMailSink(port: number): Promise<MailSink> {
  let received = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.on('error', (e) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    received: () => received,
    stop: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
