import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePayload } from '../../src/core/commands/payload.js';
import {
  COMMAND_SPECS,
  commandOf,
  KINDS,
  MESSAGE_ACTIONS,
  normaliseCommand,
  VERB_SPECS,
} from '../../src/core/commands/specs.js';
import type { ConversationKind, Outgoing } from '../../src/core/types.js';
import { cardsDir } from '../../src/paths.js';
import { CardRenderer } from '../../src/render/cards.js';
import { commandLists, TEAMS_SCOPES, type TeamsScope } from '../../src/tools/teams-manifest.js';
import { cardSamples } from '../helpers/card-samples.js';
import { cardTexts, FakeConnector } from '../helpers/fake-connector.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Every verb a card's buttons (and its refresh) send. */
function verbsOf(card: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(card)) for (const c of card) verbsOf(c, out);
  else if (card && typeof card === 'object') {
    const o = card as Record<string, unknown>;
    if (o.type === 'Action.Execute' && typeof o.verb === 'string') out.add(o.verb);
    if (o.type === 'Action.Submit') out.add(String((o.data as { verb?: unknown } | undefined)?.verb));
    for (const v of Object.values(o)) verbsOf(v, out);
  }
  return out;
}

const renderer = new CardRenderer(cardsDir);
/** The texts of a reply as the user sees them (the card rendered). */
const textsOf = (r: Outgoing | undefined) =>
  r?.kind === 'card' ? cardTexts(renderer.render(r.template, r.data)).join(' | ') : (r?.text ?? '');
const isCard = (r: Outgoing | undefined, template: string) => r?.kind === 'card' && r.template === template;
const isText = (r: Outgoing | undefined, pattern: RegExp) => r?.kind === 'text' && pattern.test(r.text);

/**
 * What each command answers where it does what it says. In a shared conversation a report and a question to an
 * expert leave a neutral card there and continue in the private chat.
 */
const HERE: Record<
  string,
  { personal: (r?: Outgoing) => boolean; shared?: (r?: Outgoing) => boolean; continuesPrivately?: boolean }
> = {
  help: { personal: (r) => isCard(r, 'help') },
  report: {
    personal: (r) => isCard(r, 'flow-step'),
    shared: (r) => isCard(r, 'redirect'),
    continuesPrivately: true,
  },
  askExpert: {
    personal: (r) => isCard(r, 'expert-question'),
    shared: (r) => isCard(r, 'redirect'),
    continuesPrivately: true,
  },
  mine: { personal: (r) => isCard(r, 'case-list') },
  queue: { personal: (r) => isCard(r, 'case-list') },
  tipNow: { personal: (r) => isCard(r, 'tip') },
  tipsOn: { personal: () => false, shared: (r) => isText(r, /elke week een tip/) },
  tipsOff: { personal: () => false, shared: (r) => isText(r, /geen wekelijkse tips|had geen wekelijkse/) },
  tipsList: { personal: (r) => isText(r, /kanaal heeft de wekelijkse tip|Abonnementen/) },
  settings: { personal: (r) => isCard(r, 'settings') },
};

describe('command and verb registry', function () {
  this.timeout(30000);

  it('links every verb on every card (templates and the cards the bot builds) to a handler', async () => {
    const app = await startTestApp();
    try {
      const inTemplates = new Set<string>();
      for (const file of readdirSync(cardsDir).filter((f) => f.endsWith('.json'))) {
        const source = readFileSync(join(cardsDir, file), 'utf8');
        for (const m of source.matchAll(/"verb": "([^"$]+)"/g)) inTemplates.add(m[1] ?? '');
      }
      // Verbs bound from data (`${data.verb}`) show up in the rendered samples.
      const rendered = new Set<string>();
      for (const [name, out] of Object.entries(await cardSamples()))
        verbsOf(renderer.render(name, out.data), rendered);
      assert.ok(inTemplates.size >= 10 && rendered.size >= 10, 'the scan finds the verbs');
      for (const verb of [...inTemplates, ...rendered]) {
        assert.ok(Object.hasOwn(VERB_SPECS, verb), `"${verb}" is declared in the registry`);
        assert.ok(app.bot.registry.handlesVerb(verb), `"${verb}" has a handler`);
      }
      for (const verb of Object.keys(VERB_SPECS)) assert.ok(app.bot.registry.handlesVerb(verb), verb);
      for (const a of MESSAGE_ACTIONS) assert.ok(app.bot.registry.handlesVerb(a.verb), a.id);
      for (const c of COMMAND_SPECS) assert.ok(app.bot.registry.handlesCommand(c.id), c.id);
    } finally {
      await app.cleanup();
    }
  });

  it('links every command of the Teams command lists, in both languages, to a command offered in that scope', () => {
    for (const lang of ['nl', 'en'] as const)
      for (const list of commandLists(lang))
        for (const c of list.commands) {
          const spec = commandOf(c.title);
          assert.ok(spec, `"${c.title}" is a command`);
          for (const scope of list.scopes)
            assert.equal(spec.where[TEAMS_SCOPES[scope as TeamsScope]], 'here');
        }
  });

  it('gives every word to one command only, and every command words in Dutch and English', () => {
    const seen = new Map<string, string>();
    for (const c of COMMAND_SPECS) {
      assert.ok(c.words.nl.length > 0 && c.words.en.length > 0, c.id);
      for (const w of [...c.words.nl, ...c.words.en]) {
        const owner = seen.get(normaliseCommand(w));
        assert.ok(!owner || owner === c.id, `"${w}" belongs to ${owner} and ${c.id}`);
        seen.set(normaliseCommand(w), c.id);
      }
      // No dead ends: every kind of conversation has a defined behaviour, explained where the command has none.
      for (const kind of KINDS) assert.ok(c.where[kind], `${c.id} in ${kind}`);
      if (Object.values(c.where).includes('explain')) assert.ok('explain' in c && c.explain, c.id);
    }
    assert.equal(commandOf('Tips aan!')?.id, 'tipsOn');
    assert.equal(commandOf('  MIJN   meldingen. ')?.id, 'mine');
    assert.equal(commandOf('?')?.id, 'help');
    assert.equal(commandOf('mijn meldingen over pesten'), undefined, 'a question is no command');
  });

  it('checks card data against the verb schema: wrong types, extra keys and prototype keys never reach a handler', () => {
    const schema = VERB_SPECS['case.close'].schema;
    assert.deepEqual(parsePayload(schema, { caseId: 'M-2026-0001', outcome: 'opgelost', extra: 'x' }), {
      caseId: 'M-2026-0001',
      outcome: 'opgelost',
      note: undefined,
    });
    assert.equal(parsePayload(schema, { caseId: 42 }), undefined);
    assert.equal(parsePayload(schema, JSON.parse('{"__proto__": {"caseId": "x"}}')), undefined);
    assert.equal(parsePayload(VERB_SPECS['kb.feedback'].schema, { slug: 'a', helpful: 'yes' }), undefined);
    assert.deepEqual(
      parsePayload(VERB_SPECS['flow.step'].schema, { flowId: 'f', event: 'x', rev: '3', checked: 'a, b' }),
      {
        flowId: 'f',
        rev: 3,
        event: 'x',
        value: undefined,
        checked: ['a', 'b'],
        description: undefined,
      },
    );
  });

  describe('every command in every kind of conversation (local demo school: one user with every role)', () => {
    let app: TestApp;
    let connector: FakeConnector;
    const DM = 'dm-local-user';

    before(async () => {
      connector = await new FakeConnector().start();
      app = await startTestApp();
      // The user's private chat, reachable through the fake connector.
      await app.store.conversations.save({
        platform: 'local',
        conversationId: DM,
        kind: 'personal',
        userId: 'local-user',
        reference: {
          serviceUrl: connector.url,
          channelId: 'directline',
          conversation: { id: DM },
          bot: { id: 'vangnet', name: 'Vangnet' },
          user: { id: 'local-user' },
        },
        updatedAt: new Date().toISOString(),
      });
    });
    after(async () => {
      await app.cleanup();
      await connector.stop();
    });

    const say = async (text: string, kind: ConversationKind) => {
      const replies: Outgoing[] = [];
      await app.bot.handle({
        incoming: {
          type: 'message',
          text,
          addressed: true,
          actor: { id: 'local-user', name: 'Lokale gebruiker' },
          conversation: { platform: 'local', id: `c-${kind}`, kind },
        },
        reply: async (o) => void replies.push(o),
      });
      return replies;
    };

    it('works where it is offered, goes to the private chat or explains where it is not; never falls through to a search', async () => {
      for (const spec of COMMAND_SPECS) {
        for (const kind of KINDS) {
          const word = spec.words.nl[0] ?? '';
          const mark = connector.calls.length;
          const [first, ...more] = await say(word, kind);
          const where = `"${word}" in ${kind}`;
          assert.ok(first, `${where}: an answer`);
          assert.ok(!isCard(first, 'answer') && !isCard(first, 'unknown'), `${where}: no search`);
          const mode = spec.where[kind];
          if (mode === 'explain') {
            assert.ok(isText(first, /voor kanalen en groepschats/), `${where}: says where it works`);
          } else if (mode === 'private') {
            assert.ok(isCard(first, 'redirect'), `${where}: a neutral card here`);
            assert.match(textsOf(first), /Ik heb je het antwoord privé gestuurd/);
            const sent = await connector.waitFor(
              (c) => c.conversationId === DM && connector.calls.indexOf(c) >= mark,
            );
            assert.ok(sent, `${where}: the answer in the private chat`);
          } else {
            const expect = HERE[spec.id];
            assert.ok(expect, `${spec.id} has an expectation`);
            const ok =
              kind === 'personal' ? expect.personal(first) : (expect.shared ?? expect.personal)(first);
            assert.ok(ok, `${where} → ${JSON.stringify(first).slice(0, 200)}`);
            if (kind !== 'personal' && expect.continuesPrivately)
              await connector
                .waitFor((c) => c.conversationId === DM && connector.calls.indexOf(c) >= mark)
                .catch(() => assert.fail(`${where}: ${textsOf(first)} but nothing in the private chat`));
          }
          assert.equal(more.length, 0, `${where}: one answer`);
        }
      }
    });

    it('help in a channel lists the channel commands, not the private ones', async () => {
      const [help] = await say('help', 'channel');
      const texts = textsOf(help);
      assert.match(texts, /tips aan/);
      assert.doesNotMatch(texts, /mijn meldingen/);
      assert.match(texts, /@Vangnet/);
    });

    it('"mijn meldingen" in a channel when no private message can be sent: says truthfully where to type it', async () => {
      connector.failuresFor.set(DM, [403]);
      const [reply] = await say('mijn meldingen', 'channel');
      assert.ok(isCard(reply, 'redirect'));
      assert.match(textsOf(reply), /Open je chat met Vangnet en typ daar \*\*mijn meldingen\*\*/);
    });
  });
});
