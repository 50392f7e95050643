import { randomBytes } from 'node:crypto';
import type { Request } from 'restify';
import type { Logger } from '../../core/logger.js';
import type { SchoolDirectory } from '../../core/school/directory.js';
import type { WorkspaceUser } from '../access.js';
import type { WorkspaceData } from '../data.js';
import type { EntraTokenVerifier } from './entra-token.js';
import { type SignIns, sameSecret } from './sign-ins.js';

/** The session cookie. `__Host-` makes browsers refuse it unless Secure, path `/` and set by this host. */
export const SESSION_COOKIE = '__Host-vangnet-session';
/** Local mode has no https, so no `__Host-` cookie; it has no sessions either (the local user is implicit). */
export const CSRF_HEADER = 'x-vangnet-csrf';

export interface Authenticated {
  readonly user: WorkspaceUser;
  /** How: a Teams tab token (sent by script only, so no CSRF risk), a session cookie, or local mode. */
  readonly via: 'teams' | 'session' | 'local';
  /** The token state-changing requests must echo in the CSRF header (sessions and local mode). */
  readonly csrf?: string;
  readonly sessionSecret?: string;
}

export interface AuthenticatorDeps {
  readonly localMode: boolean;
  readonly localUserId: string;
  readonly directory: SchoolDirectory;
  readonly data: WorkspaceData;
  readonly signIns: SignIns;
  readonly entra?: EntraTokenVerifier;
  readonly logger: Logger;
}

export function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** Who is asking: from a Teams tab token, a session cookie, or (local mode only) the local user. */
export class Authenticator {
  /** Local mode's CSRF token: handed out by `/app/api/me`, which a page on another origin cannot read. */
  private readonly localCsrf = randomBytes(32).toString('base64url');

  constructor(private readonly deps: AuthenticatorDeps) {}

  async authenticate(req: Request): Promise<Authenticated | undefined> {
    const { directory, data, signIns, entra, logger } = this.deps;
    const auth = req.headers.authorization;
    if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) {
      if (!entra) return undefined;
      try {
        const who = await entra.verify(auth.replace(/^Bearer\s+/i, ''));
        const person = directory.personOf('teams', { id: who.oid, aadObjectId: who.oid });
        const userId = (await data.chatUserId('teams', who.oid)) ?? who.oid;
        return {
          user: { platform: 'teams', userId, person, name: person?.name ?? who.name ?? '' },
          via: 'teams',
        };
      } catch (err) {
        logger.warn('workspace.token_refused', { code: (err as { code?: string }).code ?? 'invalid' });
        return undefined;
      }
    }
    const secret = cookie(req, SESSION_COOKIE);
    if (secret) {
      const session = await signIns.session(secret);
      if (session) {
        const person = directory.personOf(session.platform, { id: session.userId });
        return {
          user: { platform: session.platform, userId: session.userId, person, name: person?.name ?? '' },
          via: 'session',
          csrf: session.csrf,
          sessionSecret: secret,
        };
      }
    }
    // Local mode: the one local user — but only for requests to a loopback name, so a web page that rebinds its
    // own name to 127.0.0.1 cannot use it.
    if (this.deps.localMode && LOOPBACK_HOST.test(String(req.headers.host ?? ''))) {
      const person = directory.personOf('local', { id: this.deps.localUserId });
      return {
        user: { platform: 'local', userId: this.deps.localUserId, person, name: person?.name ?? '' },
        via: 'local',
        csrf: this.localCsrf,
      };
    }
    return undefined;
  }

  /**
   * A state-changing request must come from the workspace itself: its Origin (when the browser sends one) is this
   * server, and with a cookie or local mode it carries the CSRF token in a header no other site can set.
   */
  sameOrigin(req: Request, a: Authenticated, origin: string | undefined): boolean {
    const sent = req.headers.origin;
    const expected = origin ?? `http://${String(req.headers.host ?? '')}`;
    if (typeof sent === 'string' && sent !== expected) return false;
    if (a.via === 'teams') return true;
    const header = req.headers[CSRF_HEADER];
    return sameSecret(typeof header === 'string' ? header : undefined, a.csrf);
  }
}
