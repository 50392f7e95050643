import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { WorkspaceConfig } from '../../config.js';

/** Who a valid Teams tab token says the user is. */
export interface EntraUser {
  /** The Entra object id: what the school configuration calls `teams`. */
  readonly oid: string;
  readonly name?: string;
}

/** Why a token was refused; logged as a code, never with the token. */
export class TokenRefused extends Error {
  constructor(readonly code: string) {
    super(`token refused: ${code}`);
  }
}

/** The scope the tab asks for (Teams tab SSO: "access_as_user" on the app's API). */
const SCOPE = 'access_as_user';

/**
 * Checks the token a Teams tab gets from `authentication.getAuthToken()`: signed by one of Microsoft Entra ID's
 * published keys (JWKS, fetched and cached by jose), issued by the school's tenant, for this app, not expired,
 * with the tab's scope.
 */
export class EntraTokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;
  private readonly audiences: string[];

  constructor(
    private readonly entra: NonNullable<WorkspaceConfig['entra']>,
    /** The public origin: the app's Application ID URI is `api://<host>/<appId>`. */
    publicUrl: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = createRemoteJWKSet(new URL(entra.jwksUrl), {
      timeoutDuration: 5000,
      cooldownDuration: 30_000,
    });
    this.audiences = [entra.appId];
    if (publicUrl) this.audiences.push(`api://${new URL(publicUrl).host}/${entra.appId}`);
  }

  async verify(token: string): Promise<EntraUser> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ['RS256'],
        issuer: [...this.entra.issuers],
        audience: this.audiences,
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
        clockTolerance: 60,
        currentDate: this.now(),
      }));
    } catch (err) {
      throw new TokenRefused((err as { code?: string }).code ?? 'ERR_JWT_INVALID');
    }
    if (payload.tid !== this.entra.tenantId) throw new TokenRefused('wrong_tenant');
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(SCOPE)) throw new TokenRefused('wrong_scope');
    if (typeof payload.oid !== 'string') throw new TokenRefused('no_oid');
    return { oid: payload.oid, name: typeof payload.name === 'string' ? payload.name : undefined };
  }
}
