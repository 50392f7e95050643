import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCredentials, PasswordServiceClientCredentialFactory } from 'botframework-connector';
import { CallLog } from './call-log.js';

/** The issuer of tokens the Bot Framework channels (Teams) send to a bot. */
const CHANNEL_ISSUER = 'https://api.botframework.com';

/** A token request the bot made to the fake Entra ID token endpoint. */
export interface TokenCall {
  readonly tenant: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope: string;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A JWT signed RS256 with `key`, as Entra ID and the Bot Framework sign theirs. */
function jwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const head = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, x5t: kid }))}.${base64url(JSON.stringify(claims))}`;
  return `${head}.${base64url(sign('sha256', Buffer.from(head), key))}`;
}

/**
 * The Microsoft side of Bot Framework authentication, on loopback:
 * - the channel's OpenID metadata and signing keys (JWKS, with Teams endorsements) that botbuilder fetches to check
 *   tokens on incoming activities — point botbuilder at `openIdMetadataUrl` through `ToBotFromChannelOpenIdMetadataUrl`
 *   (what it reads from `https://login.botframework.com/v1/.well-known/openidconfiguration` in production);
 * - an Entra ID client-credentials token endpoint, for the bot's own replies (see `credentialsFactory`);
 * - tokens as Teams would send them, signed with the published key or with a key nobody published.
 */
export class FakeBotFrameworkAuth {
  readonly kid = 'fake-teams-key-1';
  private readonly published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly log = new CallLog<TokenCall>('a token request');
  readonly tokenCalls = this.log.calls;
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo | null)?.port ?? 0}`;
  }

  /** Where botbuilder reads the channel's OpenID configuration. */
  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    const jwk = this.published.publicKey.export({ format: 'jwk' });
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const path = (req.url ?? '').replace(/\?.*$/, '');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/v1/.well-known/openidconfiguration') {
        return json(200, {
          issuer: CHANNEL_ISSUER,
          authorization_endpoint: `${this.url}/v1/authorize`,
          jwks_uri: `${this.url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (path === '/v1/.well-known/keys') {
        return json(200, {
          keys: [{ ...jwk, kid: this.kid, use: 'sig', x5t: this.kid, endorsements: ['msteams'] }],
        });
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
      if (req.method === 'POST' && token) {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (form.get('grant_type') !== 'client_credentials')
          return json(400, { error: 'unsupported_grant_type' });
        this.log.record({
          tenant: decodeURIComponent(token[1] ?? ''),
          clientId: form.get('client_id') ?? '',
          clientSecret: form.get('client_secret') ?? '',
          scope: form.get('scope') ?? '',
        });
        const now = Math.floor(Date.now() / 1000);
        return json(200, {
          token_type: 'Bearer',
          expires_in: 3600,
          access_token: jwt(this.published.privateKey, this.kid, {
            aud: CHANNEL_ISSUER,
            appid: form.get('client_id'),
            iat: now,
            exp: now + 3600,
          }),
        });
      }
      json(404, { error: 'not_found' });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return this;
  }

  /**
   * A token as Teams puts in `Authorization: Bearer …` for an activity to the bot. `forged`: signed with a key that
   * is not in the published set, under the published key id.
   */
  channelToken(opts: { appId: string; serviceUrl: string; forged?: boolean; expired?: boolean }): string {
    const now = Math.floor(Date.now() / 1000);
    const exp = opts.expired ? now - 3600 : now + 3600;
    const key = opts.forged ? this.unpublished.privateKey : this.published.privateKey;
    return jwt(key, this.kid, {
      iss: CHANNEL_ISSUER,
      aud: opts.appId,
      serviceurl: opts.serviceUrl,
      nbf: exp - 7200,
      iat: exp - 7200,
      exp,
    });
  }

  /**
   * botbuilder's credentials factory, but the bot's token for its replies comes from this server's token endpoint
   * (client credentials over loopback). The real one goes through MSAL, which only accepts https authorities on
   * Microsoft's hosts; this seam is botbuilder's own (`ConfigurationBotFrameworkAuthentication`'s second argument).
   */
  credentialsFactory(
    appId: string,
    password: string,
    tenantId: string,
  ): PasswordServiceClientCredentialFactory {
    const tokenUrl = `${this.url}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    return new (class extends PasswordServiceClientCredentialFactory {
      override async createCredentials(
        forAppId: string,
        audience: string,
      ): ReturnType<PasswordServiceClientCredentialFactory['createCredentials']> {
        if (!(await this.isValidAppId(forAppId))) throw new Error('Invalid appId.');
        return new LoopbackAppCredentials(forAppId, password, audience, tokenUrl);
      }
    })(appId, password, tenantId);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** App credentials that get every token from a client-credentials endpoint (no cache: tests see each request). */
class LoopbackAppCredentials extends AppCredentials {
  constructor(
    appId: string,
    private readonly password: string,
    scope: string,
    private readonly tokenUrl: string,
  ) {
    super(appId, undefined, scope);
  }

  override async getToken(): Promise<string> {
    return (await this.refreshToken()).accessToken;
  }

  protected override async refreshToken(): Promise<{ accessToken: string; expiresOn: Date }> {
    const res = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.appId,
        client_secret: this.password,
        scope: `${this.oAuthScope}/.default`,
      }),
    });
    const body = (await res.json()) as { access_token: string; expires_in: number };
    return { accessToken: body.access_token, expiresOn: new Date(Date.now() + body.expires_in * 1000) };
  }
}
