import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './call-log.js';

/** One call as it arrived: headers and the exact body bytes (what a signature is checked against). */
export interface WebhookCall {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly status: number;
}

/** An HTTP receiver on loopback that records every call and answers 204, or the statuses queued in `failures`. */
export class WebhookReceiver {
  private readonly log = new CallLog<WebhookCall>('a webhook call');
  readonly calls = this.log.calls;
  /** Statuses to answer for the next calls, in order, instead of 204. */
  readonly failures: number[] = [];
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.failures.shift() ?? 204;
        res.statusCode = status;
        res.end();
        this.log.record({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8'), status });
      });
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | undefined;
    return `http://127.0.0.1:${addr?.port}/hooks/vangnet`;
  }

  waitFor(pred: (c: WebhookCall) => boolean = () => true, ms?: number): Promise<WebhookCall> {
    return this.log.waitFor(pred, ms);
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
