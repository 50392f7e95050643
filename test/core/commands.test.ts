import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Outgoing } from '../../src/core/types.js';
import { projectRoot } from '../../src/paths.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** What the bot does with each command it offers in Teams (manifest command list), in a private chat. */
const EXPECTED: Record<string, (r: Outgoing) => boolean> = {
  help: (r) => r.kind === 'card' && r.template === 'help',
  melding: (r) => r.kind === 'card' && r.template === 'flow-step',
  'vraag een expert': (r) => r.kind === 'card' && r.template === 'expert-question',
  'mijn meldingen': (r) => r.kind === 'card' && r.template === 'case-list',
  'open meldingen': (r) => r.kind === 'card' && r.template === 'case-list',
  tip: (r) => r.kind === 'card' && r.template === 'tip',
  // In a private chat weekly tips are explained, not switched on.
  'tips aan': (r) => r.kind === 'text' && /kanalen/.test(r.text),
  'tips uit': (r) => r.kind === 'text',
  instellingen: (r) => r.kind === 'card' && r.template === 'settings',
};

describe('commands offered in the Teams manifest', function () {
  this.timeout(20000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.cleanup());

  it('every command in the command list does what it says, none falls through to a search', async () => {
    const manifest = JSON.parse(
      readFileSync(join(projectRoot, 'manifest', 'teams', 'manifest.json'), 'utf8'),
    );
    const titles: string[] = manifest.bots[0].commandLists.flatMap((l: { commands: { title: string }[] }) =>
      l.commands.map((c) => c.title),
    );
    assert.deepEqual([...titles].sort(), Object.keys(EXPECTED).sort(), 'every command has an expectation');
    for (const title of titles) {
      const replies: Outgoing[] = [];
      await app.bot.handle({
        incoming: {
          type: 'message',
          text: title,
          addressed: true,
          // The local demo school: the local user holds every role and is an admin.
          actor: { id: 'local-user', name: 'Lokale gebruiker' },
          conversation: { platform: 'local', id: `c-${title}`, kind: 'personal' },
        },
        reply: async (o) => void replies.push(o),
      });
      const first = replies[0];
      assert.ok(first, `a reply to "${title}"`);
      assert.ok(EXPECTED[title]?.(first), `"${title}" → ${JSON.stringify(first).slice(0, 160)}`);
    }
  });
});
