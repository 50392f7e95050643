import assert from 'node:assert/strict';
import { blockTexts } from '../helpers/fake-slack.js';
import { SlackTestBed } from '../helpers/slack-workspace.js';

describe('Slack: answers to one person stay with that person', function () {
  this.timeout(30000);
  let bed: SlackTestBed;
  beforeEach(async () => {
    bed = await SlackTestBed.start();
  });
  afterEach(() => bed.stop());

  /** Every call that would show something in `channel` with the bot token. */
  const inChannel = (channel: string) =>
    bed.api.calls.filter((c) => c.method.startsWith('chat.') && c.args.channel === channel);

  it('buttons on an "only visible to you" answer are answered through its response_url, never in the channel', async () => {
    const { api, slack } = bed;
    const asked = await slack.command('er gaat een naaktfoto rond in de klassenapp', 'C1');
    const answer = await slack.responded(asked);
    assert.equal(answer.args.response_type, 'ephemeral');
    const ephemeral = { channel: 'C1', responseUrl: asked };

    // "Lees meer": the whole article, to this teacher only.
    let mark = api.calls.length;
    await slack.press('UTEACH', answer, 'Lees meer', { ephemeral });
    const article = await slack.responded(asked, mark);
    assert.equal(article.args.response_type, 'ephemeral');
    assert.match(blockTexts(article.args.blocks), /[Nn]aakt/);

    // "Melding maken": the report continues in the DM with Vangnet; the channel learns nothing.
    mark = api.calls.length;
    await slack.press('UTEACH', answer, 'Melding maken', { ephemeral });
    const redirect = await slack.responded(asked, mark);
    assert.equal(redirect.args.response_type, 'ephemeral');
    assert.match(blockTexts(redirect.args.blocks), /privégesprek/);
    assert.match(blockTexts((await slack.posted('DTEACH', mark)).args.blocks), /Is er nu acuut gevaar/);

    // "Hielp dit?": thanks, to this teacher only.
    mark = api.calls.length;
    await slack.press('UTEACH', answer, 'Ja', { ephemeral });
    assert.equal((await slack.responded(asked, mark)).args.response_type, 'ephemeral');

    assert.deepEqual(inChannel('C1'), [], 'nothing was posted or updated in the channel');
  });

  it('a button on a public answer in a channel is answered only to the person who pressed it', async () => {
    const { api, slack } = bed;
    await slack.event({
      type: 'app_mention',
      user: 'UTEACH',
      text: '<@UBOT> sextortion',
      channel: 'C1',
      ts: '3.3',
    });
    const answer = await slack.posted('C1');
    const mark = api.calls.length;
    await slack.press('UCOLLEAGUE', answer, 'Melding maken', { responseUrl: 'public-click' });
    const redirect = await slack.responded('public-click', mark);
    assert.equal(redirect.args.response_type, 'ephemeral');
    assert.equal(redirect.args.replace_original, false, 'the public answer stays as it is');
    assert.match(blockTexts((await slack.posted('DCOLLEAGUE', mark)).args.blocks), /Is er nu acuut gevaar/);
    assert.deepEqual(inChannel('C1').slice(1), [], 'only the answer to the mention is in the channel');
  });

  it('/vangnet in a DM between two people answers through response_url; a report continues in the DM with Vangnet', async () => {
    const { api, slack } = bed;
    const asked = await slack.command('wat is sextortion', 'DTEACHOTHER');
    assert.match(blockTexts((await slack.responded(asked)).args.blocks), /[Ss]extortion/);

    const mark = api.calls.length;
    const report = await slack.command('melding', 'DTEACHOTHER');
    assert.match(blockTexts((await slack.responded(report)).args.blocks), /privégesprek/);
    assert.match(blockTexts((await slack.posted('DTEACH', mark)).args.blocks), /Is er nu acuut gevaar/);

    // "mijn meldingen" names cases: not in a conversation with someone else.
    const mine = await slack.command('mijn meldingen', 'DTEACHOTHER');
    assert.doesNotMatch(blockTexts((await slack.responded(mine)).args), /Mijn meldingen/);
    assert.deepEqual(inChannel('DTEACHOTHER'), [], 'nothing posted with the bot token in that DM');
  });

  it('/vangnet in a channel Vangnet is not in answers through response_url; in the DM with Vangnet it answers there', async () => {
    const { api, slack } = bed;
    // Slack refuses the bot token in a channel the bot is not a member of.
    api.failuresFor.set('CNOTIN', ['not_in_channel', 'not_in_channel']);
    const asked = await slack.command('bedreiging op tiktok', 'CNOTIN');
    assert.match(blockTexts((await slack.responded(asked)).args.blocks), /[Bb]edreiging/);

    const mark = api.calls.length;
    await slack.command('mijn meldingen', 'DTEACH');
    const mine = await slack.posted('DTEACH', mark);
    assert.match(blockTexts(mine.args.blocks), /Mijn meldingen/);
  });
});
