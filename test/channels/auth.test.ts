import assert from 'node:assert/strict';
import { FakeConnector } from '../helpers/fake-connector.js';
import { postActivity, startTestApp, teamsActivity } from '../helpers/test-app.js';

describe('server modes', () => {
  it('local mode listens on 127.0.0.1 only and serves the local chat', async () => {
    const app = await startTestApp();
    try {
      assert.match(app.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal((await fetch(`${app.url}/`)).status, 200);
    } finally {
      await app.cleanup();
    }
  });

  it('with credentials, refuses Bot Framework requests without a valid token and changes nothing', async () => {
    const connector = await new FakeConnector().start();
    const app = await startTestApp({
      HOST: '127.0.0.1',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppPassword: 'not-used-in-this-test',
      MicrosoftAppTenantId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    });
    try {
      const activity = teamsActivity(connector.url, { text: 'help' });
      const noToken = await postActivity(app.url, activity);
      assert.equal(noToken.status, 401);
      const forged = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJhdWQiOiJ4In0.',
        },
        body: JSON.stringify(activity),
      });
      assert.equal(forged.status, 401);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(connector.calls.length, 0, 'the bot said nothing');
      assert.equal(
        await app.store.conversations.get('teams', 'a:personal-chat-1'),
        undefined,
        'nothing stored',
      );
      assert.equal((await fetch(`${app.url}/`)).status, 404, 'no local chat with credentials');
      assert.equal((await fetch(`${app.url}/v3/directline/conversations`, { method: 'POST' })).status, 404);
    } finally {
      await app.cleanup();
      await connector.stop();
    }
  });
});
