import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookAlertBody } from '../../src/core/cases/alerts.js';
import { AlertError } from '../../src/notify/alert-error.js';
import { EmailAlertSender } from '../../src/notify/email-alerts.js';
import { WebhookAlertSender } from '../../src/notify/webhook-alerts.js';
import { SmtpSink } from '../helpers/smtp-sink.js';

const BODY: WebhookAlertBody = {
  id: 'a1',
  event: 'case.urgent',
  reason: 'case',
  caseId: 'M-2026-0001',
  type: 'bedreiging',
  typeLabel: 'Bedreiging',
  urgent: true,
  deadlineAt: null,
  link: null,
  recipients: ['p'],
  sentAt: '2026-11-23T09:00:00.000Z',
};

/** An HTTP server on loopback with one handler; resolves with its URL. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, server };
}
async function close(server: Server) {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
const code = (expected: string) => (err: unknown) => {
  assert.ok(err instanceof AlertError);
  assert.equal(err.code, expected);
  return true;
};

describe('alert senders at the edge', () => {
  it('webhook: a receiver that does not answer in time fails the send (retried by the outbox)', async () => {
    let arrived!: () => void;
    const held = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const { url, server } = await serve(() => arrived()); // never answers
    try {
      const sender = new WebhookAlertSender({ url, secret: 'x'.repeat(16) }, undefined, 300);
      await Promise.all([
        assert.rejects(sender.send({ channel: 'webhook', body: BODY }), code('webhook_timeout')),
        held,
      ]);
    } finally {
      await close(server);
    }
  });

  it('webhook: a redirect is not followed; it counts as a failure', async () => {
    const { url, server } = await serve((_req, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://127.0.0.1:9/elsewhere');
      res.end();
    });
    try {
      const sender = new WebhookAlertSender({ url, secret: 'x'.repeat(16) });
      await assert.rejects(sender.send({ channel: 'webhook', body: BODY }), code('webhook_http_302'));
    } finally {
      await close(server);
    }
  });

  it('e-mail: a recipient the server refuses fails the send with a code, not the address', async () => {
    const refusing = await new SmtpSink().start();
    refusing.refuseRecipients = true;
    const sender = new EmailAlertSender({
      host: '127.0.0.1',
      port: refusing.port,
      secure: false,
      from: 'v@school.example',
    });
    try {
      await assert.rejects(
        sender.send({
          channel: 'email',
          personId: 'p',
          to: 'nobody@school.example',
          subject: 's',
          text: 't',
        }),
        (err: unknown) => {
          assert.ok(err instanceof AlertError);
          assert.match(err.code, /^smtp_/);
          assert.ok(!err.message.includes('nobody@'), 'the message holds no address');
          return true;
        },
      );
      assert.equal(refusing.mails.length, 0);
    } finally {
      sender.close();
      await refusing.stop();
    }
  });
});
