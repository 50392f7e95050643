import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/core/errors.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

describe('config', () => {
  it('defaults to local mode on 127.0.0.1:3978 with ./data', () => {
    const c = loadConfig({}, '/srv/vangnet');
    assert.equal(c.localMode, true);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 3978);
    assert.equal(c.dataDir, '/srv/vangnet/data');
    assert.equal(c.lang, 'nl');
  });

  it('refuses to listen beyond loopback without credentials', () => {
    assert.throws(
      () => loadConfig({ HOST: '0.0.0.0' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /HOST=0\.0\.0\.0 is not allowed in local mode/);
        return true;
      },
    );
  });

  it('with credentials binds to 0.0.0.0 by default and needs password and tenant', () => {
    const c = loadConfig({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's', MicrosoftAppTenantId: TENANT });
    assert.equal(c.localMode, false);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.microsoft?.appType, 'SingleTenant');
    assert.throws(
      () => loadConfig({ MicrosoftAppId: APP_ID }),
      /MicrosoftAppPassword is required[\s\S]*MicrosoftAppTenantId is required/,
    );
  });

  it('names every bad variable in one message', () => {
    try {
      loadConfig({
        PORT: 'abc',
        VANGNET_LANG: 'de',
        LOG_LEVEL: 'loud',
        MicrosoftAppId: 'not-a-guid',
        MicrosoftAppType: 'X',
        MicrosoftAppPassword: 'p',
      });
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      for (const name of ['PORT', 'VANGNET_LANG', 'LOG_LEVEL', 'MicrosoftAppId', 'MicrosoftAppType']) {
        assert.ok(
          e.problems.some((p) => p.startsWith(name)),
          `mentions ${name}`,
        );
      }
    }
  });

  it('rejects half-set credentials and out-of-range numbers', () => {
    assert.throws(() => loadConfig({ MicrosoftAppPassword: 'x' }), /MicrosoftAppId is not/);
    assert.throws(() => loadConfig({ PORT: '70000' }), /PORT must be a whole number from 0 to 65535/);
  });
});
