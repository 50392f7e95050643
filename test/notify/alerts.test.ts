import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseRecord } from '../../src/core/cases/model.js';
import { type FlowState, startFlow } from '../../src/core/escalation/flow.js';
import { verifyWebhook } from '../../src/notify/webhook-alerts.js';
import { SmtpSink } from '../helpers/smtp-sink.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';

const AAD = {
  teacher: '00000000-0000-0000-0000-0000000000a1',
  lead: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a04',
  director: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a05',
  apc: '6f1c3a9e-0d4b-4a51-9d0e-2b7c8e4f1a01',
};

// Threats go to the schoolleiding: two holders, one without an e-mail address.
const SCHOOL = `
school: { name: Testcollege, level: vo, crisisContact: "Schoolleiding 010-1234567" }
people:
  - { id: jdevries, name: "J. de Vries", teams: "${AAD.lead}", email: jdevries@school.example }
  - { id: pjansen, name: "P. Jansen", teams: "${AAD.director}" }
  - { id: sbakker, name: "S. Bakker", teams: "${AAD.apc}", email: sbakker@school.example }
roles:
  schoolleiding: { holders: [jdevries, pjansen] }
  aanspreekpunt-pesten: { holders: [sbakker] }
admins: [pjansen]
deadlines: { urgentMinutes: 15 }
`;

// Distinctive strings: none of them may appear in an e-mail, a webhook call or a log line.
const DESCRIPTION = 'Quirijn Qwertyuiop stuurt dreigberichten over Zoë-Xanthe Yzerbeek naar klas 3C.';
const REPORTER = 'Marieke Meldster-Uniek';
const SECRETS = [
  'Quirijn',
  'Qwertyuiop',
  'dreigberichten',
  'Xanthe',
  'Yzerbeek',
  'Marieke',
  'Meldster',
  'klas 3C',
];
const SMTP_USER = 'vangnet-alerts';
const SMTP_PASS = 'p@ss:w0rd/with%odd&chars';
const WEBHOOK_SECRET = 'whsec-test-0123456789abcdef';
const PUBLIC_URL = 'https://vangnet.school.example';

/** The body of a raw single-part message, decoded (quoted-printable or base64) to text. */
function mailText(raw: string): { headers: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  let body = raw.slice(split + 4);
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'quoted-printable') {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`);
    body = decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'));
  } else if (encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  return { headers, body: body.replace(/\r\n/g, '\n') };
}

describe('urgent cases outside chat: e-mail (SMTP) and a signed webhook, on loopback', function () {
  this.timeout(30000);
  let dir: string;
  let app: TestApp | undefined;
  let smtp: SmtpSink;
  let hook: WebhookReceiver;
  let clock: Date;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alerts-'));
    await writeFile(join(dir, 'school.yml'), SCHOOL);
    clock = new Date('2026-11-23T09:00:00Z'); // a Monday, 10:00 in Amsterdam
    smtp = await new SmtpSink({ user: SMTP_USER, pass: SMTP_PASS }).start();
    hook = await new WebhookReceiver().start();
  });
  afterEach(async () => {
    await app?.cleanup();
    app = undefined;
    await smtp.stop();
    await hook.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    app = await startTestApp(
      { VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml'), VANGNET_PUBLIC_URL: PUBLIC_URL, ...env },
      { now: () => clock },
    );
    return app;
  };
  const emailOn = () => ({
    VANGNET_SMTP_URL: smtp.url,
    VANGNET_ALERT_FROM: 'Vangnet <vangnet@school.example>',
  });
  const webhookOn = () => ({
    VANGNET_ALERT_WEBHOOK_URL: hook.url,
    VANGNET_ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });

  let flows = 0;
  /** A teacher's submitted report, sent through the app's case service; resolves once delivery was tried. */
  async function report(a: TestApp, over: Partial<FlowState> = {}): Promise<CaseRecord> {
    const f: FlowState = {
      ...startFlow({
        id: `flow-${++flows}`,
        platform: 'teams',
        reporterId: '29:teacher-1',
        reporterAad: AAD.teacher,
        reporterName: REPORTER,
        now: clock,
      }),
      status: 'submitted',
      step: 'review',
      type: 'bedreiging',
      involved: 'pupil',
      danger: false,
      urgent: true,
      checked: ['do-0'],
      description: DESCRIPTION,
      ...over,
    };
    const stored = await a.store.flows.create({ ...f, status: 'active', version: 0 });
    const { record } = await (a.cases as NonNullable<TestApp['cases']>).createFromFlow({
      ...f,
      version: stored.version,
    });
    await a.cases?.dispatcher.idle();
    return record;
  }
  /** The log line of the first failed alert delivery on this channel (delivery was already tried). */
  const alertFailure = (a: TestApp, channel: string) =>
    a.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === 'case.delivery_failed' && l.channel === channel);
  const alertItems = async (a: TestApp) => (await a.store.outbox.list()).filter((i) => i.kind === 'alert');
  const assertNothingLeaks = (text: string, where: string) => {
    for (const s of SECRETS) assert.ok(!text.includes(s), `${where} must not contain "${s}"`);
  };

  it('an urgent case e-mails each role holder with an address: number, type, deadline, link; no description or names', async () => {
    const a = await start(emailOn());
    const c = await report(a);
    const mail = await smtp.waitFor();
    assert.deepEqual(mail.to, ['jdevries@school.example'], 'P. Jansen has no address');
    assert.equal(mail.from, 'vangnet@school.example');
    assert.equal(mail.user, SMTP_USER, 'logged in with the credentials from VANGNET_SMTP_URL');
    const { headers, body } = mailText(mail.raw);
    assert.match(headers, new RegExp(`^Subject: Vangnet: urgente melding ${c.id}$`, 'm'));
    assert.match(headers, /^Auto-Submitted: auto-generated$/m);
    for (const part of [
      `Melding: ${c.id}`,
      'Soort: Bedreiging',
      'Urgent: ja',
      'Oppakken: uiterlijk vandaag 10:15',
      `${PUBLIC_URL}/app/#/cases/${c.id}`,
    ])
      assert.ok(body.includes(part), `the e-mail says "${part}"`);
    assertNothingLeaks(mail.raw, 'the raw message');
    assertNothingLeaks(body, 'the decoded text');
    assert.ok(!body.includes('screenshot'), 'nor the checklist');

    const stored = await a.store.cases.get(c.id);
    assert.ok(stored?.timeline.some((e) => e.action === 'delivered' && e.note === 'email:jdevries'));
    const logs = a.logs.join('');
    assertNothingLeaks(logs, 'the log');
    for (const s of [SMTP_PASS, 'jdevries@school.example', 'Vangnet: urgente'])
      assert.ok(!logs.includes(s), `the log must not contain "${s}"`);
    assert.equal(smtp.mails.length, 1);
  });

  it('a normal case sends no e-mail and queues no alert', async () => {
    const a = await start({ ...emailOn(), ...webhookOn() });
    const c = await report(a, { type: 'online-pesten', urgent: false });
    assert.equal(c.urgent, false);
    assert.deepEqual(await alertItems(a), []);
    // Delivery of the case has been tried (dispatcher idle): had an alert been queued, it would have been sent.
    assert.ok(
      a.logs.some((l) => l.includes('"event":"case.delivery_failed"') || l.includes('case.delivered')),
    );
    assert.equal(smtp.mails.length, 0);
    assert.equal(hook.calls.length, 0);
  });

  it('SMTP down: the e-mail waits in the outbox and goes out once the server is back', async () => {
    const port = smtp.port;
    await smtp.stop();
    const a = await start(emailOn());
    const c = await report(a);
    const [waiting] = await alertItems(a);
    assert.equal(waiting?.attempts, 1, 'tried once and rescheduled');
    assert.match(String(alertFailure(a, 'email')?.errorCode), /^smtp_/);
    assert.ok(
      (await a.store.cases.get(c.id))?.timeline.some(
        (e) => e.action === 'delivery-failed' && e.note === 'email:jdevries',
      ),
    );

    await smtp.start(port);
    await a.cases?.deliverDue();
    assert.equal(smtp.mails.length, 0, 'not before its retry time');
    clock = new Date(clock.getTime() + 31_000);
    await a.cases?.deliverDue();
    const mail = await smtp.waitFor();
    assert.deepEqual(mail.to, ['jdevries@school.example']);
    assert.deepEqual(await alertItems(a), []);
    assert.ok(!a.logs.join('').includes(SMTP_PASS));
  });

  it('the webhook gets one signed call per batch: verifiable with the secret, tampering detected, no case text', async () => {
    const a = await start(webhookOn());
    const c = await report(a);
    const call = await hook.waitFor();
    const timestamp = String(call.headers['x-vangnet-timestamp']);
    const signature = String(call.headers['x-vangnet-signature']);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.equal(call.headers['content-type'], 'application/json');

    // What a receiver does, written out with node:crypto only.
    const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${call.rawBody}`).digest('hex')}`;
    assert.ok(timingSafeEqual(Buffer.from(signature), Buffer.from(expected)), 'the signature verifies');
    assert.ok(Math.abs(Date.now() / 1000 - Number(timestamp)) < 60, 'stamped with the wall clock');
    const verify = (over: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({
        secret: WEBHOOK_SECRET,
        timestamp,
        signature,
        rawBody: call.rawBody,
        now: new Date(),
        ...over,
      });
    assert.equal(verify({}), true);
    assert.equal(verify({ rawBody: call.rawBody.replace(c.id, 'M-2026-0999') }), false, 'tampered body');
    assert.equal(
      verify({ rawBody: call.rawBody.replace('"jdevries"', '"mallory"') }),
      false,
      'tampered recipients',
    );
    assert.equal(verify({ secret: 'another-secret-0123456789' }), false, 'wrong secret');
    assert.equal(verify({ timestamp: String(Number(timestamp) + 1) }), false, 'other timestamp');
    assert.equal(verify({ now: new Date(Date.now() + 10 * 60_000) }), false, 'replayed 10 minutes later');

    const body = JSON.parse(call.rawBody) as { id: string };
    assert.match(body.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(body, {
      id: body.id,
      event: 'case.urgent',
      reason: 'case',
      caseId: c.id,
      type: 'bedreiging',
      typeLabel: 'Bedreiging',
      urgent: true,
      deadlineAt: '2026-11-23T09:15:00.000Z',
      link: `${PUBLIC_URL}/app/#/cases/${c.id}`,
      recipients: ['jdevries', 'pjansen'],
      sentAt: clock.toISOString(),
    });
    assertNothingLeaks(call.rawBody, 'the webhook body');
    assert.equal(hook.calls.length, 1, 'one call for the batch');
    assert.ok((await a.store.cases.get(c.id))?.timeline.some((e) => e.note === ':webhook'));
  });

  it('a 500 from the webhook receiver is retried with backoff until it answers 2xx', async () => {
    hook.failures.push(500);
    const a = await start(webhookOn());
    await report(a);
    assert.equal(hook.calls[0]?.status, 500);
    assert.equal(alertFailure(a, 'webhook')?.errorCode, 'webhook_http_500');
    const [waiting] = await alertItems(a);
    assert.equal(waiting?.attempts, 1);
    await a.cases?.deliverDue();
    assert.equal(hook.calls.length, 1, 'not before its retry time');
    clock = new Date(clock.getTime() + 31_000);
    await a.cases?.deliverDue();
    assert.equal(hook.calls.length, 2);
    assert.equal(hook.calls[1]?.status, 204);
    const ids = hook.calls.map((h) => (JSON.parse(h.rawBody) as { id: string }).id);
    assert.equal(ids[0], ids[1], 'a retry carries the same id, so the receiver can drop a repeat');
    assert.deepEqual(await alertItems(a), []);
  });

  it('with neither channel configured, an urgent case queues no alert at all', async () => {
    const a = await start({});
    await report(a);
    assert.deepEqual(await alertItems(a), []);
    assert.ok(!a.logs.some((l) => l.includes('alerts.configured')));
  });
});
