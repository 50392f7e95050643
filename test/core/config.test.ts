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

  describe('urgent-case alerts', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return '';
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.message;
      }
    };

    it('are off unless configured', () => {
      assert.deepEqual(loadConfig({}).alerts, { email: undefined, webhook: undefined });
    });

    it('e-mail: an smtp(s) URL with optional credentials, and a sender', () => {
      const c = loadConfig({
        VANGNET_SMTP_URL: 'smtps://alerts%40school.nl:p%40ss%3Aword@smtp.school.nl:465',
        VANGNET_ALERT_FROM: 'Vangnet <vangnet@school.nl>',
      });
      assert.deepEqual(c.alerts.email, {
        host: 'smtp.school.nl',
        port: 465,
        secure: true,
        user: 'alerts@school.nl',
        password: 'p@ss:word',
        from: 'Vangnet <vangnet@school.nl>',
      });
      const plain = loadConfig({
        VANGNET_SMTP_URL: 'smtp://relay.school.nl',
        VANGNET_ALERT_FROM: 'v@school.nl',
      });
      assert.deepEqual(plain.alerts.email, {
        host: 'relay.school.nl',
        port: undefined,
        secure: false,
        user: undefined,
        password: undefined,
        from: 'v@school.nl',
      });
    });

    it('e-mail: names what is wrong, without repeating a value that may hold a password', () => {
      const bad = problems({ VANGNET_SMTP_URL: 'https://user:hunter2@smtp.school.nl/send?x=1' });
      assert.match(bad, /VANGNET_SMTP_URL must be smtp:\/\/\[user:password@\]host\[:port\]/);
      assert.match(bad, /VANGNET_ALERT_FROM is required when VANGNET_SMTP_URL is set/);
      assert.ok(!bad.includes('hunter2'), 'the password is not echoed');
      assert.match(
        problems({ VANGNET_SMTP_URL: 'smtp://h.school.nl/path', VANGNET_ALERT_FROM: 'v@school.nl' }),
        /VANGNET_SMTP_URL must be/,
      );
      assert.match(
        problems({ VANGNET_SMTP_URL: 'smtp://h.school.nl', VANGNET_ALERT_FROM: 'a@x.nl, b@x.nl' }),
        /VANGNET_ALERT_FROM must be one address/,
      );
      assert.match(
        problems({ VANGNET_ALERT_FROM: 'v@school.nl' }),
        /VANGNET_SMTP_URL is not: set both or neither/,
      );
    });

    it('webhook: an https URL and a shared secret of at least 16 characters', () => {
      const url = 'https://sms.example.nl/hooks/vangnet?token=abc';
      const c = loadConfig({ VANGNET_ALERT_WEBHOOK_URL: url, VANGNET_ALERT_WEBHOOK_SECRET: 'x'.repeat(16) });
      assert.deepEqual(c.alerts.webhook, { url, secret: 'x'.repeat(16) });
      assert.match(
        problems({ VANGNET_ALERT_WEBHOOK_URL: url }),
        /VANGNET_ALERT_WEBHOOK_SECRET is required when VANGNET_ALERT_WEBHOOK_URL is set/,
      );
      const short = problems({ VANGNET_ALERT_WEBHOOK_URL: url, VANGNET_ALERT_WEBHOOK_SECRET: 'geheim-1234' });
      assert.match(short, /VANGNET_ALERT_WEBHOOK_SECRET must be at least 16 characters, got 11/);
      assert.ok(!short.includes('geheim'), 'the secret is not echoed');
      const plainHttp = problems({
        VANGNET_ALERT_WEBHOOK_URL: 'http://sms.example.nl/hook?token=s3cr3t',
        VANGNET_ALERT_WEBHOOK_SECRET: 'x'.repeat(20),
      });
      assert.match(plainHttp, /VANGNET_ALERT_WEBHOOK_URL must be an https URL/);
      assert.ok(!plainHttp.includes('s3cr3t'), 'a token in the URL is not echoed');
      assert.match(
        problems({ VANGNET_ALERT_WEBHOOK_SECRET: 'x'.repeat(20) }),
        /VANGNET_ALERT_WEBHOOK_URL is not: set both or neither/,
      );
    });
  });
});
