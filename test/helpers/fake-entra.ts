import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/**
 * A fake Microsoft Entra ID on loopback: publishes a signing key as a JWKS (as login.microsoftonline.com does) and
 * signs tokens the way Teams tab SSO gets them. A second key, never published, signs forgeries.
 */
export class FakeEntra {
  private server?: Server;
  private key?: Key;
  private foreign?: Key;
  readonly tenantId = '11111111-2222-4333-8444-555555555555';
  readonly appId = '0a0b0c0d-1111-4222-8333-944445555666';
  fetches = 0;

  get jwksUrl(): string {
    return `${this.origin}/${this.tenantId}/discovery/v2.0/keys`;
  }
  get issuer(): string {
    return `${this.origin}/${this.tenantId}/v2.0`;
  }
  private get origin(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo | null)?.port ?? 0}`;
  }

  async start(): Promise<this> {
    const pair = await generateKeyPair('RS256', { extractable: true });
    this.key = pair.privateKey;
    this.foreign = (await generateKeyPair('RS256', { extractable: true })).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', use: 'sig', alg: 'RS256' };
    this.server = createServer((req, res) => {
      if (req.url === new URL(this.jwksUrl).pathname) {
        this.fetches += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [jwk] }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return this;
  }

  /** A tab token for a user (their Entra object id); `claims` and `opts` make it wrong in one way. */
  async token(
    oid: string,
    claims: JWTPayload = {},
    opts: { audience?: string; issuer?: string; expiresIn?: string | number; foreignKey?: boolean } = {},
  ): Promise<string> {
    const key = opts.foreignKey ? this.foreign : this.key;
    if (!key) throw new Error('FakeEntra not started');
    return new SignJWT({ tid: this.tenantId, oid, scp: 'access_as_user', name: 'Tab user', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1', typ: 'JWT' })
      .setIssuedAt(Math.floor(Date.now() / 1000) - 60)
      .setIssuer(opts.issuer ?? this.issuer)
      .setAudience(opts.audience ?? this.appId)
      .setExpirationTime(opts.expiresIn ?? '1h')
      .sign(key);
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
