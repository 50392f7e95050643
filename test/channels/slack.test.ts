import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_SHORTCUT_ID } from '../../src/channels/slack/report-shortcut.js';
import { projectRoot } from '../../src/paths.js';
import { blockTexts, type FakeSlackApi, findButton, signedPost } from '../helpers/fake-slack.js';
import {
  reportBullying,
  SLACK_SECRET as SECRET,
  SlackTestBed,
  type SlackWorkspace,
} from '../helpers/slack-workspace.js';
import type { TestApp } from '../helpers/test-app.js';

describe('Slack channel (fake Slack Web API, signed requests)', function () {
  this.timeout(30000);
  let bed: SlackTestBed;
  let api: FakeSlackApi;
  let app: TestApp;
  let slack: SlackWorkspace;

  beforeEach(async () => {
    bed = await SlackTestBed.start();
    ({ api, app, slack } = bed);
  });
  afterEach(() => bed.stop());

  it('answers an @mention in the thread of the mention', async () => {
    await slack.event({
      type: 'app_mention',
      user: 'UTEACH',
      text: '<@UBOT> er gaat een naaktfoto rond in de klassenapp',
      channel: 'C1',
      ts: '111.222',
    });
    const reply = await slack.posted('C1');
    assert.equal(reply.args.thread_ts, '111.222');
    assert.match(blockTexts(reply.args.blocks), /Naaktbeelden van een leerling gaan rond/);
    assert.equal(reply.token, 'xoxb-test-token');
  });

  it('answers /vangnet <vraag> privately (ephemeral) to the person who typed it', async () => {
    const reply = await slack.responded(await slack.command('wat is sextortion', 'C1'));
    assert.equal(reply.args.response_type, 'ephemeral');
    assert.match(blockTexts(reply.args.blocks), /[Ss]extortion/);
    assert.ok(!api.calls.some((c) => c.args.channel === 'C1'), 'nothing posted with the bot token');
  });

  it('/vangnet tips aan subscribes the channel (answer only to the user)', async () => {
    const reply = await slack.responded(await slack.command('tips aan', 'C7'));
    assert.match(String(reply.args.text), /elke week een tip/);
    assert.equal((await app.store.subscriptions.get('slack:C7'))?.active, true);
  });

  it('weekly tips to Slack channels: 429 waits as told, 5xx is retried, a removed channel is unsubscribed', async () => {
    // The replies to the commands come after Slack's acknowledgement: wait for all three before injecting failures.
    for (const c of ['CA', 'CB', 'CC']) await slack.responded(await slack.command('tips aan', c));
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
    assert.equal((await app.store.subscriptions.get('slack:CC'))?.active, false);
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
    await slack.event({
      type: 'app_mention',
      user: 'UTEACH',
      text: '<@UBOT> melding',
      channel: 'C1',
      ts: '5.5',
    });
    const thread = await slack.posted('C1');
    assert.equal(thread.args.thread_ts, '5.5');
    assert.match(blockTexts(thread.args.blocks), /privégesprek/);
    const first = await slack.posted('DTEACH');
    assert.match(blockTexts(first.args.blocks), /Is er nu acuut gevaar/);
    const mark = api.calls.length;
    await slack.press('UTEACH', first, 'Nee');
    assert.equal(
      (await slack.posted('DTEACH', mark)).method,
      'chat.update',
      'the step card is updated in place',
    );

    const sent = await reportBullying(
      bed,
      first,
      'Groep 2: <!channel> <@U999> lacht P. uit, zie <https://evil.example|klik>',
    );
    assert.match(blockTexts(sent.args.blocks), /M-\d{4}-0001 is verstuurd/);

    const caseMsg = await slack.posted('DEXPERT');
    const text = blockTexts(caseMsg.args.blocks);
    assert.match(text, /Online pesten/);
    assert.ok(
      text.includes('&lt;!channel&gt;'),
      `the @channel the teacher typed is escaped: ${text.slice(0, 600)}`,
    );
    const raw = JSON.stringify(caseMsg.args.blocks);
    assert.ok(!raw.includes('<!channel>'), 'no raw <!channel>');
    assert.ok(!raw.includes('<@U999>'), 'no raw user mention');
    assert.ok(!raw.includes('<https://evil.example'), 'no link');

    const before = api.calls.length;
    await slack.press('UEXPERT', caseMsg, 'Ik pak dit op');
    const updated = await api.waitFor(
      (c) => c.method === 'chat.update' && c.args.channel === 'DEXPERT' && api.calls.indexOf(c) >= before,
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

  it('a case reported from a DM says who reported: the reporter as a Slack mention on the case card', async () => {
    await slack.dm('melding');
    await reportBullying(bed, await slack.posted('DTEACH'));
    const caseMsg = await slack.posted('DEXPERT');
    const fields = (caseMsg.args.blocks as { fields?: { text: string }[] }[]).flatMap((b) => b.fields ?? []);
    const reporter = fields.find((f) => f.text.startsWith('*Melder*'));
    assert.equal(reporter?.text, '*Melder*\n<@UTEACH>');
  });

  it('asks an expert from a DM: form, question to the expert, the confirmation replaces the form', async () => {
    await slack.dm('hoe laat begint de kerstvakantie');
    const unknown = await slack.posted('DTEACH');
    let mark = api.calls.length;
    await slack.press('UTEACH', unknown, 'Vraag een expert');
    const form = await slack.posted('DTEACH', mark);
    assert.match(blockTexts(form.args.blocks), /Vraag aan een expert/);
    mark = api.calls.length;
    await slack.press('UTEACH', form, 'Vraag versturen', {
      values: {
        question: {
          question: { type: 'plain_text_input', value: 'Mag ik <!channel> gebruiken voor een waarschuwing?' },
        },
        role: { role: { type: 'radio_buttons', selected_option: { value: 'aanspreekpunt-pesten' } } },
      },
    });
    const sent = await slack.posted('DTEACH', mark);
    assert.equal(sent.method, 'chat.update', 'the form is replaced by the confirmation');
    assert.match(blockTexts(sent.args.blocks), /V-\d{4}-0001 is verstuurd/);
    const question = await slack.posted('DEXPERT');
    const text = blockTexts(question.args.blocks);
    assert.match(text, /Vraag V-\d{4}-0001 van een collega/);
    assert.ok(text.includes('&lt;!channel&gt;'), 'what the teacher typed cannot ping anyone');
    assert.ok(!JSON.stringify(question.args.blocks).includes('<!channel>'));
  });

  it('opens a modal for "Overdragen aan…" and hands over on submit', async () => {
    await slack.dm('melding');
    await reportBullying(bed, await slack.posted('DTEACH'));
    const caseMsg = await slack.posted('DEXPERT');
    await slack.press('UEXPERT', caseMsg, 'Overdragen aan…');
    const modal = await api.waitFor((c) => c.method === 'views.open');
    assert.equal(modal.args.view.type, 'modal');
    assert.match(blockTexts(modal.args.view.blocks), /Overdragen aan/);
    await slack.submit('UEXPERT', modal, {
      target: { target: { type: 'static_select', selected_option: { value: 'role:schoolleiding' } } },
      reason: { reason: { type: 'plain_text_input', value: 'Dit moet de schoolleiding oppakken' } },
    });
    await api.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'DLEAD');
    const stored = await app.store.cases.get((await app.store.cases.list())[0]?.id ?? '');
    assert.deepEqual(stored?.roles, ['schoolleiding']);
  });

  it('"Melden bij Vangnet" on a message (shortcut): the report opens in the DM, only the reporter hears so', async () => {
    const manifest = readFileSync(join(projectRoot, 'manifest', 'slack', 'manifest.yml'), 'utf8');
    assert.match(
      manifest,
      new RegExp(`callback_id: ${REPORT_SHORTCUT_ID}\\b`),
      'the shortcut is in the Slack manifest',
    );
    const res = await slack.interaction({
      type: 'message_action',
      callback_id: REPORT_SHORTCUT_ID,
      trigger_id: 'trigger-2',
      response_url: api.responseUrl('shortcut-1'),
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
    const step = await slack.posted('DTEACH');
    assert.match(blockTexts(step.args.blocks), /Je meldt een bericht uit kanaal #klas-2b/);
    assert.match(blockTexts(step.args.blocks), /Is er nu acuut gevaar/);
    const told = await slack.responded('shortcut-1');
    assert.equal(told.args.response_type, 'ephemeral');
    assert.match(String(told.args.text), /Ik help je verder in een privégesprek/);
    assert.ok(
      !api.calls.some((c) => c.args.channel === 'CKLAS2B' && c.method.startsWith('chat.post')),
      'nothing is posted in the channel',
    );
    const flow = await app.store.flows.findActive('slack', 'UTEACH');
    assert.equal(flow?.source?.author, 'UPUPIL');
    assert.equal(flow?.source?.sentAt, '2023-11-14T22:15:00.000Z');
    const kept = JSON.stringify(flow?.source);
    for (const leak of ['Sanne', 'Boer', '12345678', 'x.example', 'foto.jpg', 'UOTHER'])
      assert.ok(!kept.includes(leak), leak);
  });

  it('publishes the App Home with "Melding maken", "Vraag een expert" and "Mijn meldingen"', async () => {
    await slack.event({ type: 'app_home_opened', user: 'UTEACH', channel: 'DTEACH', tab: 'home' });
    const home = await api.waitFor((c) => c.method === 'views.publish');
    assert.equal(home.args.user_id, 'UTEACH');
    assert.ok(findButton(home.args.view.blocks, 'Melding maken'));
    /** Presses a button on the Home tab; the answer comes in the user's DM. */
    const pressHome = async (label: string) => {
      const button = findButton(home.args.view.blocks, label);
      assert.ok(button, `button "${label}" on the Home tab`);
      const mark = api.calls.length;
      await slack.interaction({
        type: 'block_actions',
        user: { id: 'UTEACH' },
        team: { id: 'T1' },
        container: { type: 'view', view_id: 'V1' },
        trigger_id: `home-${label}`,
        actions: [{ type: 'button', action_id: button.action_id, value: button.value }],
      });
      return blockTexts((await slack.posted('DTEACH', mark)).args.blocks);
    };
    assert.match(await pressHome('Mijn meldingen'), /Mijn meldingen/);
    // "Vraag een expert" opens the question form in the DM.
    assert.match(await pressHome('Vraag een expert'), /Vraag aan een expert/);
  });
});
