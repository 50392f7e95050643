import assert from 'node:assert/strict';
import { blockTexts, type SlackCall } from '../helpers/fake-slack.js';
import { reportBullying, SlackTestBed } from '../helpers/slack-workspace.js';

describe('Slack: restarts and retries', function () {
  this.timeout(30000);
  let bed: SlackTestBed;
  beforeEach(async () => {
    bed = await SlackTestBed.start();
  });
  afterEach(() => bed.stop());

  /** UTEACH reports from their DM; resolves with the case card the expert got. */
  async function reportedCase(): Promise<SlackCall> {
    await bed.slack.dm('melding');
    await reportBullying(bed, await bed.slack.posted('DTEACH'));
    return bed.slack.posted('DEXPERT');
  }

  it('after a restart the case card buttons still open their modals, and "Overdragen aan…" hands over', async () => {
    const { api, slack } = bed;
    const caseMsg = await reportedCase();
    await bed.restart();

    for (const [label, field] of [
      ['Vraag de melder om informatie', /Je vraag aan de melder/],
      ['Afsluiten', /Uitkomst/],
      ['Overdragen aan…', /Overdragen aan/],
    ] as const) {
      const mark = api.calls.length;
      await slack.press('UEXPERT', caseMsg, label);
      const modal = await api.waitFor((c) => c.method === 'views.open' && api.calls.indexOf(c) >= mark);
      assert.match(blockTexts(modal.args.view.blocks), field, label);
    }
    const handover = api.calls.filter((c) => c.method === 'views.open').at(-1) as SlackCall;
    await slack.submit('UEXPERT', handover, {
      target: { target: { type: 'static_select', selected_option: { value: 'role:schoolleiding' } } },
      reason: { reason: { type: 'plain_text_input', value: 'Voor de schoolleiding' } },
    });
    await slack.posted('DLEAD');
    const stored = await bed.app.store.cases.get((await bed.app.store.cases.list())[0]?.id ?? '');
    assert.deepEqual(stored?.roles, ['schoolleiding']);
    assert.ok(
      !api.calls.some((c) => /werkt niet meer/.test(JSON.stringify(c.args))),
      'no "button no longer works"',
    );
  });

  it('a modal is only opened for someone who may act on the case', async () => {
    const { api, slack } = bed;
    const caseMsg = await reportedCase();
    // The same card in someone else's DM with Vangnet (as if it had reached them): they may not act on the case.
    const elsewhere = { ...caseMsg, args: { ...caseMsg.args, channel: 'DOUTSIDER' } };
    const mark = api.calls.length;
    await slack.press('UOUTSIDER', elsewhere, 'Overdragen aan…');
    const answer = await slack.posted('DOUTSIDER', mark);
    assert.match(String(answer.args.text), /niet behandelen/);
    assert.ok(!api.calls.slice(mark).some((c) => c.method === 'views.open'));
  });

  it('the same event delivered twice (a Slack retry) is answered once', async () => {
    const { api, slack, app } = bed;
    const event = {
      type: 'message',
      channel_type: 'im',
      channel: 'DTEACH',
      user: 'UTEACH',
      text: 'help',
      ts: '7.1',
    };
    await slack.event(event, { eventId: 'EvSAME' });
    await slack.posted('DTEACH');
    await slack.event(event, { eventId: 'EvSAME', retryNum: 1 });
    assert.equal((await app.waitForLog('slack.duplicate')).kind, 'event');
    assert.equal(api.calls.filter((c) => c.method === 'chat.postMessage').length, 1, 'one answer');
  });

  it('a click delivered twice takes the case up once; a retry after a restart is still recognised', async () => {
    const { api, slack } = bed;
    const caseMsg = await reportedCase();
    const mark = api.calls.length;
    const click = await slack.press('UEXPERT', caseMsg, 'Ik pak dit op');
    await api.waitFor(
      (c) => c.method === 'chat.update' && c.args.channel === 'DEXPERT' && api.calls.indexOf(c) >= mark,
    );
    await bed.restart();
    assert.equal((await slack.interaction(click)).status, 200);
    assert.equal((await bed.app.waitForLog('slack.duplicate')).kind, 'action');
    const stored = (await bed.app.store.cases.list())[0];
    assert.equal(stored?.timeline.filter((e) => e.action === 'taken').length, 1);
    assert.equal(
      api.calls.filter(
        (c) => c.args.channel === 'DTEACH' && /is opgepakt door/.test(blockTexts(c.args.blocks)),
      ).length,
      1,
      'the reporter is told once',
    );
  });
});
