import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv as AjvClass } from 'ajv';
import { parse } from 'yaml';
import { SLASH_COMMAND } from '../../src/channels/slack/payload.js';
import { manifestDir, projectRoot } from '../../src/paths.js';

const Ajv = (createRequire(import.meta.url)('ajv') as { default: typeof AjvClass }).default;
// biome-ignore lint/suspicious/noExplicitAny: a parsed YAML document, read field by field
type Manifest = any;

describe('Slack app manifest (manifest/slack/manifest.yml)', () => {
  const manifest: Manifest = parse(readFileSync(join(manifestDir, 'slack', 'manifest.yml'), 'utf8'));

  it("validates against Slack's published app manifest schema", () => {
    // test/fixtures/README.md says where the schema comes from.
    const schema = JSON.parse(
      readFileSync(join(projectRoot, 'test', 'fixtures', 'slack-app-manifest.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ strict: false, allErrors: true, logger: false }).compile(schema);
    const valid = validate(manifest);
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  });

  it('sends events, the command, interactions and options requests to /slack/events', () => {
    const urls = [
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
      // Searchable selects (hand-over to more than 100 people) load their options from the app.
      manifest.settings.interactivity.message_menu_options_url,
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
    ];
    for (const url of urls) assert.equal(url, 'https://vangnet.example.org/slack/events');
    assert.equal(manifest.settings.interactivity.is_enabled, true);
  });

  it('asks for what the code uses: its command, its events and the scopes of its Web API calls', () => {
    assert.deepEqual(
      manifest.features.slash_commands.map((c: { command: string }) => c.command),
      [SLASH_COMMAND],
    );
    assert.deepEqual([...manifest.settings.event_subscriptions.bot_events].sort(), [
      'app_home_opened',
      'app_mention',
      'message.im',
    ]);
    // app_mentions:read and im:history for the events, chat:write to post and update, im:write for
    // conversations.open, commands for /vangnet. views.open/publish and response_url need no scope.
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [
      'app_mentions:read',
      'chat:write',
      'commands',
      'im:history',
      'im:write',
    ]);
    assert.equal(manifest.features.app_home.home_tab_enabled, true);
  });
});
