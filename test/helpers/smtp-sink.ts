import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { CallLog } from './call-log.js';

/** One message as the SMTP server received it: the envelope and the raw bytes (headers and body). */
export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
  readonly user?: string;
}

/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it accepts. No STARTTLS (loopback only);
 * with `credentials`, a login is required and checked.
 */
export class SmtpSink {
  private readonly log = new CallLog<ReceivedMail>('an e-mail');
  readonly mails = this.log.calls;
  private server?: SMTPServer;
  port = 0;
  /** Refuse every recipient (550), as a server does for an unknown mailbox. */
  refuseRecipients = false;

  constructor(private readonly credentials?: { user: string; pass: string }) {}

  /** Listens on `port` (0: a free one; a port used before: the same server back after a "restart"). */
  async start(port = this.port): Promise<this> {
    const creds = this.credentials;
    this.server = new SMTPServer({
      logger: false,
      disabledCommands: creds ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      authOptional: !creds,
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        if (creds && auth.username === creds.user && auth.password === creds.pass)
          return cb(null, { user: auth.username });
        cb(new Error('Invalid username or password'));
      },
      onRcptTo: (_address, _session, cb) => {
        if (this.refuseRecipients)
          return cb(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const env = session.envelope;
          this.log.record({
            from: env.mailFrom ? env.mailFrom.address : '',
            to: env.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: typeof session.user === 'string' ? session.user : undefined,
          });
          cb();
        });
      },
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    const c = this.credentials;
    const auth = c ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.pass)}@` : '';
    return `smtp://${auth}127.0.0.1:${this.port}`;
  }

  waitFor(pred: (m: ReceivedMail) => boolean = () => true, ms?: number): Promise<ReceivedMail> {
    return this.log.waitFor(pred, ms);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
