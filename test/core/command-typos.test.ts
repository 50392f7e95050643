import assert from 'node:assert/strict';
import { commandOf } from '../../src/core/commands/specs.js';

describe('typed commands with a slip in them', () => {
  const cases: [string, string][] = [
    ['meldng', 'melding'],
    ['melidng', 'melding'],
    ['mijn meldngen', 'mine'],
    ['open meldinge', 'open'],
    ['instelingen', 'settings'],
    ['instellignen', 'settings'],
    ['hepl', 'help'],
    ['my reprots', 'mine'],
    ['vraag een exprt', 'ask-expert'],
  ];
  for (const [typed, id] of cases)
    it(`"${typed}" is the command ${id}`, () => {
      const spec = commandOf(typed);
      assert.ok(spec, `"${typed}" is a command`);
      assert.equal(spec.id, commandOf(typedExact(id))?.id);
    });

  it('short questions that only look like a command stay questions', () => {
    for (const q of [
      'sexting',
      'meldcode',
      'meldplicht',
      'expertise',
      'meldingen',
      'pesten',
      'open',
      'hack',
      'groep',
      'tiktok',
      'help mij',
      'tips voor ouders',
    ])
      assert.equal(commandOf(q), undefined, `"${q}" is a question`);
  });
});

/** The exact words of a command id, to compare against. */
function typedExact(id: string): string {
  const words: Record<string, string> = {
    melding: 'melding',
    mine: 'mijn meldingen',
    open: 'open meldingen',
    settings: 'instellingen',
    help: 'help',
    'ask-expert': 'vraag een expert',
  };
  return words[id] ?? id;
}
