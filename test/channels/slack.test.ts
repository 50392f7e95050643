import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPORT_SHORTCUT_ID } from '../../src/channels/slack/report-shortcut.js';
import { projectRoot } from '../../src/paths.js';
import { blockTexts, FakeSlackApi, findButton, type SlackCall, signedPost } from '../helpers/fake-slack.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const SECRET = 'test-signing-secret';
const SCHOOL = `
school: { name: Slackschool, level: mbo, crisisContact: "010-2" }
people:
  - { id: expert, name: "E. Xpert", slack: UEXPERT }
  - { id: lead, name: "L. Eiding", slack: ULEAD }
roles:
  aanspreekpunt-pesten: { holders: [expert] }
  schoolleiding: { holders: [lead] }
admins: [lead]
`;

describe('Slack channel (fake Slack Web API, signed requests)', function () {
  this.timeout(30000);
  let api: FakeSlackApi;
  let app: TestApp;
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slack-'));
    await writeFile(join(dir, 'school.yml'), SCHOOL);
    api = await new FakeSlackApi().start();
    app = await startTestApp({
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: api.url,
      VANGNET_SCHOOL_CONFIG: join(dir, 'school.yml'),
    });
  });
  afterEach(async () => {
    await app.cleanup();
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const event = (ev: Record<string, unknown>) =>
    signedPost(
      app.url,
      SECRET,
      JSON.stringify({
        type: 'event_callback',
        team_id: 'T1',
        api_app_id: 'A1',
        event_id: `Ev${Math.random()}`,
        event_time: 1,
        event: ev,
      }),
      'application/json',
    );
  const interaction = (payload: Record<string, unknown>) =>
    signedPost(
      app.url,
      SECRET,
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  /** `/vangnet <text>` typed by UTEACH in `channel`, signed as Slack sends it (form-encoded). */
  const command = (text: string, channel: string) =>
    signedPost(
      app.url,
      SECRET,
      new URLSearchParams({
        command: '/vangnet',
        text,
        user_id: 'UTEACH',
        user_name: 't',
        channel_id: channel,
        team_id: 'T1',
        trigger_id: 'x',
      }).toString(),
      'application/x-www-form-urlencoded',
    );
  const posted = (channel: string, after = 0) =>
    api.waitFor(
      (c) =>
        (c.method === 'chat.postMessage' || c.method === 'chat.update') &&
        c.args.channel === channel &&
        api.calls.indexOf(c) >= after,
    );
  const press = async (user: string, msg: SlackCall, label: string, values: Record<string, unknown> = {}) => {
    const button = findButton(msg.args.blocks, label);
    assert.ok(button, `button "${label}"`);
    const res = await interaction({
      type: 'block_actions',
      user: { id: user, name: user },
      team: { id: 'T1' },
      channel: { id: msg.args.channel },
      message: { ts: msg.method === 'chat.update' ? msg.args.ts : tsOf(msg) },
      container: {
        type: 'message',
        channel_id: msg.args.channel,
        message_ts: msg.method === 'chat.update' ? msg.args.ts : tsOf(msg),
      },
      trigger_id: 'trigger-1',
      actions: [{ type: 'button', action_id: button.action_id, value: button.value, block_id: 'b' }],
      state: { values },
    });
    assert.equal(res.status, 200);
  };
  /** A direct message from UTEACH to the bot. */
  const dm = (text: string, ts: string) =>
    event({ type: 'message', channel_type: 'im', channel: 'DTEACH', user: 'UTEACH', text, ts });
  /** The ts the fake API gave a posted message (its position in the call log). */
  const tsOf = (msg: SlackCall) => `1700000000.${String(api.calls.indexOf(msg) + 1).padStart(6, '0')}`;

  it('answers an @mention in the thread of the mention', async () => {
    const res = await event({
      type: 'app_mention',
      user: 'UTEACH',
      text: '<@UBOT> er gaat een naaktfoto rond in de klassenapp',
      channel: 'C1',
      ts: '111.222',
    });
    assert.equal(res.status, 200);
    const reply = await posted('C1');
    assert.equal(reply.args.thread_ts, '111.222');
    assert.match(blockTexts(reply.args.blocks), /Naaktbeelden van een leerling gaan rond/);
    assert.equal(reply.token, 'xoxb-test-token');
  });

  it('answers /vangnet <vraag> privately (ephemeral) to the person who typed it', async () => {
    const res = await command('wat is sextortion', 'C1');
    assert.equal(res.status, 200);
    const reply = await api.waitFor((c) => c.method === 'chat.postEphemeral');
    assert.equal(reply.args.user, 'UTEACH');
    assert.match(blockTexts(reply.args.blocks), /[Ss]extortion/);
  });

  it('/vangnet tips aan subscribes the channel (answer only to the user)', async () => {
    await command('tips aan', 'C7');
    const reply = await api.waitFor((c) => c.method === 'chat.postEphemeral');
    assert.match(String(reply.args.text), /elke week een tip/);
    assert.equal((await app.store.getSubscription('slack:C7'))?.active, true);
  });

  it('weekly tips to Slack channels: 429 waits as told, 5xx is retried, a removed channel is unsubscribed', async () => {
    for (const c of ['CA', 'CB', 'CC']) {
      await command('tips aan', c);
    }
    // The replies to the commands come after Slack's acknowledgement: wait for all three before injecting failures.
    for (const ch of ['CA', 'CB', 'CC'])
      await api.waitFor((c) => c.method === 'chat.postEphemeral' && c.args.channel === ch);
    api.failuresFor.set('CA', [429]);
    api.failuresFor.set('CB', [503]);
    api.failuresFor.set('CC', ['channel_not_found']);
    const r = await app.tips.run(true);
    assert.deepEqual(
      { sent: r.sent, removed: r.removed, failed: r.failed },
      { sent: 2, removed: 1, failed: 0 },
    );
    assert.ok(r.retried >= 2, JSON.stringify(r));
    assert.ok(api.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === 'CA'));
    assert.ok(api.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === 'CB'));
    assert.equal((await app.store.getSubscription('slack:CC'))?.active, false);
  });

  it('refuses requests with a bad or old signature (401) and does nothing', async () => {
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T1',
      event: { type: 'app_mention', user: 'U1', text: 'hoi', channel: 'C1', ts: '1.1' },
    });
    const bad = await signedPost(app.url, SECRET, body, 'application/json', { badSignature: true });
    assert.equal(bad.status, 401);
    const old = await signedPost(app.url, SECRET, body, 'application/json', {
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });
    assert.equal(old.status, 401);
    const none = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(none.status, 401);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(api.calls.filter((c) => c.method.startsWith('chat.')).length, 0);
  });

  it('answers Slack url_verification', async () => {
    const res = await signedPost(
      app.url,
      SECRET,
      JSON.stringify({ type: 'url_verification', challenge: 'abc' }),
      'application/json',
    );
    assert.deepEqual(await res.json(), { challenge: 'abc' });
  });

  it('runs the whole escalation: mention → thread reply → DM steps → expert DM → take up → reporter DM; mentions in text are neutralised', async () => {
    await event({ type: 'app_mention', user: 'UTEACH', text: '<@UBOT> melding', channel: 'C1', ts: '5.5' });
    const thread = await posted('C1');
    assert.equal(thread.args.thread_ts, '5.5');
    assert.match(blockTexts(thread.args.blocks), /privégesprek/);
    let msg = await posted('DTEACH');
    assert.match(blockTexts(msg.args.blocks), /Is er nu acuut gevaar/);

    const step = async (label: string, values: Record<string, unknown> = {}) => {
      const mark = api.calls.length;
      await press('UTEACH', msg, label, values);
      msg = await posted('DTEACH', mark);
    };
    await step('Nee');
    assert.equal(msg.method, 'chat.update', 'the step card is updated in place');
    await step('Volgende', {
      value: { value: { type: 'radio_buttons', selected_option: { value: 'online-pesten' } } },
    });
    await step('Volgende', {
      value: { value: { type: 'radio_buttons', selected_option: { value: 'pupil' } } },
    });
    await step('Volgende', {
      checked: { checked: { type: 'checkboxes', selected_options: [{ value: 'do-0' }] } },
    });
    await step('Volgende', {
      description: {
        description: {
          type: 'plain_text_input',
          value: 'Groep 2: <!channel> <@U999> lacht P. uit, zie <https://evil.example|klik>',
        },
      },
    });
    await step('Versturen');
    assert.match(blockTexts(msg.args.blocks), /M-2026-0001 is verstuurd|M-\d{4}-0001 is verstuurd/);

    const caseMsg = await posted('DEXPERT');
    const text = blockTexts(caseMsg.args.blocks);
    assert.match(text, /Online pesten/);
    assert.ok(
      text.includes('&lt;!channel&gt;'),
      `the @channel the teacher typed is escaped: ${text.slice(0, 600)}`,
    );
    assert.ok(!JSON.stringify(caseMsg.args.blocks).includes('<!channel>'), 'no raw <!channel>');
    assert.ok(!JSON.stringify(caseMsg.args.blocks).includes('<@U999>'), 'no raw user mention');
    assert.ok(!JSON.stringify(caseMsg.args.blocks).includes('<https://evil.example'), 'no link');

    const mark = api.calls.length;
    await press('UEXPERT', caseMsg, 'Ik pak dit op');
    const updated = await api.waitFor(
      (c) => c.method === 'chat.update' && c.args.channel === 'DEXPERT' && api.calls.indexOf(c) >= mark,
    );
    assert.match(blockTexts(updated.args.blocks), /Opgepakt door E\. Xpert/);
    const notice = await api.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.args.channel === 'DTEACH' &&
        /opgepakt door E\. Xpert/.test(blockTexts(c.args.blocks)),
    );
    assert.ok(notice);
    // Nothing about the case went to the channel.
    assert.ok(!api.calls.some((c) => c.args.channel === 'C1' && /Groep 2|M-20/.test(JSON.stringify(c.args))));
  });

  it('asks an expert from a DM: form, question to the expert, the confirmation replaces the form', async () => {
    await dm('hoe laat begint de kerstvakantie', '8.8');
    const unknown = await posted('DTEACH');
    let mark = api.calls.length;
    await press('UTEACH', unknown, 'Vraag een expert');
    const form = await posted('DTEACH', mark);
    assert.match(blockTexts(form.args.blocks), /Vraag aan een expert/);
    mark = api.calls.length;
    await press('UTEACH', form, 'Vraag versturen', {
      question: {
        question: { type: 'plain_text_input', value: 'Mag ik <!channel> gebruiken voor een waarschuwing?' },
      },
      role: { role: { type: 'radio_buttons', selected_option: { value: 'aanspreekpunt-pesten' } } },
    });
    const sent = await posted('DTEACH', mark);
    assert.equal(sent.method, 'chat.update', 'the form is replaced by the confirmation');
    assert.match(blockTexts(sent.args.blocks), /V-2026-0001 is verstuurd|V-\d{4}-0001 is verstuurd/);
    const question = await posted('DEXPERT');
    const text = blockTexts(question.args.blocks);
    assert.match(text, /Vraag V-\d{4}-0001 van een collega/);
    assert.ok(text.includes('&lt;!channel&gt;'), 'what the teacher typed cannot ping anyone');
    assert.ok(!JSON.stringify(question.args.blocks).includes('<!channel>'));
  });

  it('opens a modal for "Overdragen aan…" and hands over on submit', async () => {
    await dm('melding', '9.9');
    let msg = await posted('DTEACH');
    const steps: [string, Record<string, unknown>][] = [
      ['Nee', {}],
      ['Volgende', { value: { value: { selected_option: { value: 'online-pesten' } } } }],
      ['Volgende', { value: { value: { selected_option: { value: 'pupil' } } } }],
      ['Volgende', {}],
      ['Volgende', { description: { description: { value: 'Korte beschrijving van het incident.' } } }],
      ['Versturen', {}],
    ];
    for (const [label, values] of steps) {
      const mark = api.calls.length;
      await press('UTEACH', msg, label, values);
      msg = await posted('DTEACH', mark);
    }
    const caseMsg = await posted('DEXPERT');
    await press('UEXPERT', caseMsg, 'Overdragen aan…');
    const modal = await api.waitFor((c) => c.method === 'views.open');
    assert.equal(modal.args.view.type, 'modal');
    assert.match(blockTexts(modal.args.view.blocks), /Overdragen aan/);
    const res = await interaction({
      type: 'view_submission',
      user: { id: 'UEXPERT', name: 'e' },
      team: { id: 'T1' },
      view: {
        callback_id: 'vangnet.modal',
        private_metadata: modal.args.view.private_metadata,
        state: {
          values: {
            target: { target: { type: 'static_select', selected_option: { value: 'role:schoolleiding' } } },
          },
        },
      },
    });
    assert.equal(res.status, 200);
    await api.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DLEAD');
    const stored = await app.store.getCase((await app.store.listCases())[0]?.id ?? '');
    assert.deepEqual(stored?.roles, ['schoolleiding']);
  });

  it('"Melden bij Vangnet" on a message (shortcut): the report opens in the DM, only the reporter hears so', async () => {
    const manifest = readFileSync(join(projectRoot, 'manifest', 'slack', 'manifest.yml'), 'utf8');
    assert.match(
      manifest,
      new RegExp(`callback_id: ${REPORT_SHORTCUT_ID}\\b`),
      'the shortcut is in the Slack manifest',
    );
    const responseUrl = `${api.url.replace(/api\/$/, '')}respond/T1/1/abc`;
    const res = await interaction({
      type: 'message_action',
      callback_id: REPORT_SHORTCUT_ID,
      trigger_id: 'trigger-2',
      response_url: responseUrl,
      team: { id: 'T1', domain: 'school' },
      channel: { id: 'CKLAS2B', name: 'klas-2b' },
      user: { id: 'UTEACH', name: 't' },
      message_ts: '1700000100.000200',
      message: {
        type: 'message',
        user: 'UPUPIL',
        ts: '1700000100.000200',
        text: 'kijk wat <@UOTHER> van Sanne de Boer kreeg <https://x.example/a|hier> 06-12345678',
        files: [{ id: 'F1', name: 'foto.jpg', url_private: 'https://files.slack.com/foto.jpg' }],
      },
    });
    assert.equal(res.status, 200);
    const step = await posted('DTEACH');
    assert.match(blockTexts(step.args.blocks), /Je meldt een bericht uit kanaal #klas-2b/);
    assert.match(blockTexts(step.args.blocks), /Is er nu acuut gevaar/);
    const told = await api.waitFor((c) => c.method.includes('respond/'));
    assert.equal(told.args.response_type, 'ephemeral');
    assert.match(String(told.args.text), /Ik help je verder in een privégesprek/);
    assert.ok(
      !api.calls.some((c) => c.args.channel === 'CKLAS2B' && c.method.startsWith('chat.post')),
      'nothing is posted in the channel',
    );
    const flow = await app.store.findActiveFlow('slack', 'UTEACH');
    assert.equal(flow?.source?.author, 'UPUPIL');
    assert.equal(flow?.source?.sentAt, '2023-11-14T22:15:00.000Z');
    const kept = JSON.stringify(flow?.source);
    for (const leak of ['Sanne', 'Boer', '12345678', 'x.example', 'foto.jpg', 'UOTHER'])
      assert.ok(!kept.includes(leak), leak);
  });

  it('publishes the App Home with "Melding maken", "Vraag een expert" and "Mijn meldingen"', async () => {
    await event({ type: 'app_home_opened', user: 'UTEACH', channel: 'DTEACH', tab: 'home' });
    const home = await api.waitFor((c) => c.method === 'views.publish');
    assert.equal(home.args.user_id, 'UTEACH');
    assert.ok(findButton(home.args.view.blocks, 'Melding maken'));
    /** Presses a button on the Home tab; the answer comes in the user's DM. */
    const pressHome = async (label: string) => {
      const button = findButton(home.args.view.blocks, label);
      assert.ok(button, `button "${label}" on the Home tab`);
      const mark = api.calls.length;
      await interaction({
        type: 'block_actions',
        user: { id: 'UTEACH' },
        team: { id: 'T1' },
        container: { type: 'view', view_id: 'V1' },
        trigger_id: 't',
        actions: [{ type: 'button', action_id: button.action_id, value: button.value }],
      });
      return blockTexts((await posted('DTEACH', mark)).args.blocks);
    };
    assert.match(await pressHome('Mijn meldingen'), /Mijn meldingen/);
    // "Vraag een expert" opens the question form in the DM.
    assert.match(await pressHome('Vraag een expert'), /Vraag aan een expert/);
  });
});
