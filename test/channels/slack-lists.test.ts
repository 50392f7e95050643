import assert from 'node:assert/strict';
import type { CaseRecord } from '../../src/core/cases/model.js';
import { sampleCase } from '../helpers/card-samples.js';
import { blockTexts, type SlackCall } from '../helpers/fake-slack.js';
import { SLACK_SCHOOL, SlackTestBed } from '../helpers/slack-workspace.js';
import { seedCase } from '../helpers/store-seed.js';

/** An open bullying case of UTEACH's for the expert, numbered `n`, a minute newer than case n − 1. */
function openCase(n: number): CaseRecord {
  return {
    ...sampleCase(),
    id: `M-2026-${String(n).padStart(4, '0')}`,
    type: 'online-pesten',
    involved: 'pupil',
    urgent: false,
    meldplicht: false,
    reporter: { platform: 'slack', userId: 'UTEACH' },
    roles: ['aanspreekpunt-pesten'],
    recipients: ['expert'],
    createdAt: new Date(Date.UTC(2026, 10, 23, 9, n)).toISOString(),
    deadlineAt: undefined,
  };
}

/** The case numbers a list message shows. */
const caseIds = (msg: SlackCall) => new Set(blockTexts(msg.args.blocks).match(/M-2026-\d{4}/g));

describe('Slack: long lists', function () {
  this.timeout(30000);
  let bed: SlackTestBed | undefined;
  afterEach(async () => {
    await bed?.stop();
    bed = undefined;
  });

  it('"open meldingen" with 20 cases shows ten at a time; "Volgende" and "Vorige" replace the list in place', async () => {
    bed = await SlackTestBed.start();
    const { api, slack, app } = bed;
    for (let n = 1; n <= 20; n++) await seedCase(app.store, openCase(n));
    await slack.dm('open meldingen', 'UEXPERT');
    const first = await slack.posted('DEXPERT');
    assert.ok((first.args.blocks as unknown[]).length <= 50);
    assert.equal(caseIds(first).size, 10);
    assert.match(blockTexts(first.args.blocks), /Pagina 1 van 2/);

    let mark = api.calls.length;
    await slack.press('UEXPERT', first, 'Volgende');
    const second = await slack.posted('DEXPERT', mark);
    assert.equal(second.method, 'chat.update', 'the list is replaced, not posted again');
    assert.equal(second.args.ts, first.ts);
    assert.match(blockTexts(second.args.blocks), /Pagina 2 van 2/);
    assert.equal(new Set([...caseIds(first), ...caseIds(second)]).size, 20, 'every case is on a page');

    mark = api.calls.length;
    await slack.press('UEXPERT', second, 'Vorige');
    assert.deepEqual(caseIds(await slack.posted('DEXPERT', mark)), caseIds(first));
  });

  it('hand-over in a school of 150 people is a searchable select whose options Vangnet loads', async () => {
    const people = Array.from(
      { length: 150 },
      (_, i) => `  - { id: p${i + 1}, name: "Persoon ${i + 1}", slack: UP${i + 1} }`,
    );
    bed = await SlackTestBed.start(SLACK_SCHOOL.replace('people:\n', `people:\n${people.join('\n')}\n`));
    const { api, slack, app } = bed;
    await seedCase(app.store, openCase(1));
    await slack.dm('open meldingen', 'UEXPERT');
    const list = await slack.posted('DEXPERT');
    let mark = api.calls.length;
    await slack.press('UEXPERT', list, 'Bekijken');
    const card = await slack.posted('DEXPERT', mark);
    mark = api.calls.length;
    await slack.press('UEXPERT', card, 'Overdragen aan…');
    const modal = await api.waitFor((c) => c.method === 'views.open' && api.calls.indexOf(c) >= mark);
    const input = (modal.args.view.blocks as { block_id: string; element: Record<string, unknown> }[]).find(
      (b) => b.block_id === 'target',
    );
    assert.equal(input?.element.type, 'external_select');
    assert.equal(input?.element.options, undefined, 'no list cut at 100 in the modal');

    /** Slack's options request while someone types in the select. */
    const suggest = async (user: string, value: string) => {
      const res = await slack.interaction({
        type: 'block_suggestion',
        user: { id: user },
        team: { id: 'T1' },
        container: { type: 'view', view_id: 'V1' },
        action_id: 'target',
        block_id: 'target',
        value,
        view: {
          id: 'V1',
          callback_id: modal.args.view.callback_id,
          private_metadata: modal.args.view.private_metadata,
        },
      });
      assert.equal(res.status, 200);
      return ((await res.json()) as { options: { text: { text: string }; value: string }[] }).options;
    };
    assert.deepEqual(
      (await suggest('UEXPERT', 'persoon 142')).map((o) => o.value),
      ['person:p142'],
    );
    assert.equal((await suggest('UEXPERT', '')).length, 100, 'the first hundred before anything is typed');
    assert.ok((await suggest('UEXPERT', 'Schoolleiding')).some((o) => o.value === 'role:schoolleiding'));
    assert.deepEqual(await suggest('UOUTSIDER', 'persoon'), [], 'nothing for someone who may not act');

    await slack.submit('UEXPERT', modal, {
      target: { target: { type: 'external_select', selected_option: { value: 'person:p142' } } },
      reason: { reason: { type: 'plain_text_input', value: 'Persoon 142 kent de klas' } },
    });
    // The new holder gets the case in their DM with Vangnet.
    await slack.posted('DP142');
    const stored = await app.store.cases.get('M-2026-0001');
    assert.ok(stored?.recipients.includes('p142'));
  });
});
