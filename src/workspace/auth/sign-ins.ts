import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthRecord } from '../../core/storage/store.js';
import type { Platform } from '../../core/types.js';

/** Where sessions and one-time links are kept: the Store, so every instance sees them. */
export interface AuthRecords {
  saveAuth(record: AuthRecord): Promise<void>;
  getAuth(key: string): Promise<AuthRecord | undefined>;
  takeAuth(key: string): Promise<AuthRecord | undefined>;
}

/** A one-time link is good for 10 minutes; a session for a working day. */
export const LINK_MINUTES = 10;
export const SESSION_HOURS = 10;

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const secret = () => randomBytes(32).toString('base64url');
/** Secrets are 43 base64url characters; anything else is not looked up. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** Compares two strings in constant time (CSRF tokens). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/**
 * Workspace sign-ins: one-time sign-in links (Slack), sessions, and one-time download links for the dossier file.
 * Only hashes of the secrets are stored; one-time links are taken from the store in one step, so each works once.
 */
export class SignIns {
  constructor(
    private readonly records: AuthRecords,
    private readonly now: () => Date,
  ) {}

  private async issue(
    kind: AuthRecord['kind'],
    who: { platform: Platform; userId: string },
    minutes: number,
    extra: Partial<AuthRecord> = {},
  ): Promise<string> {
    const s = secret();
    const now = this.now();
    await this.records.saveAuth({
      key: hash(s),
      kind,
      platform: who.platform,
      userId: who.userId,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + minutes * 60_000).toISOString(),
      ...extra,
    });
    return s;
  }

  /** Takes a one-time record: gone after this, whether it was still valid or not. */
  private async redeem(kind: AuthRecord['kind'], s: string): Promise<AuthRecord | undefined> {
    if (!SECRET.test(s)) return undefined;
    const r = await this.records.takeAuth(hash(s));
    return r && r.kind === kind && r.expiresAt > this.now().toISOString() ? r : undefined;
  }

  /** A sign-in link's secret for a chat user (sent to them privately). */
  signInLink(who: { platform: Platform; userId: string }): Promise<string> {
    return this.issue('signin', who, LINK_MINUTES);
  }

  /** Turns a sign-in link into a session: the session secret (for the cookie) and its CSRF token. */
  async startSession(link: string): Promise<{ secret: string; record: AuthRecord } | undefined> {
    const r = await this.redeem('signin', link);
    if (!r) return undefined;
    const csrf = secret();
    const s = await this.issue('session', r, SESSION_HOURS * 60, { csrf });
    const record = await this.records.getAuth(hash(s));
    return record && { secret: s, record };
  }

  async session(s: string | undefined): Promise<AuthRecord | undefined> {
    if (!s || !SECRET.test(s)) return undefined;
    const r = await this.records.getAuth(hash(s));
    return r && r.kind === 'session' && r.expiresAt > this.now().toISOString() ? r : undefined;
  }

  async endSession(s: string | undefined): Promise<void> {
    if (s && SECRET.test(s)) await this.records.takeAuth(hash(s));
  }

  /** A download link's secret for the dossier file of a case, for the expert who exported it. */
  downloadLink(
    caseId: string,
    who: { platform: Platform; userId: string; personId: string },
  ): Promise<string> {
    return this.issue('download', who, LINK_MINUTES, { caseId, personId: who.personId });
  }

  redeemDownload(s: string): Promise<AuthRecord | undefined> {
    return this.redeem('download', s);
  }

  /** Whether a download link is still good, without using it (the page before the download). */
  async downloadPending(s: string): Promise<boolean> {
    if (!SECRET.test(s)) return false;
    const r = await this.records.getAuth(hash(s));
    return !!r && r.kind === 'download' && r.expiresAt > this.now().toISOString();
  }

  async signInPending(s: string): Promise<boolean> {
    if (!SECRET.test(s)) return false;
    const r = await this.records.getAuth(hash(s));
    return !!r && r.kind === 'signin' && r.expiresAt > this.now().toISOString();
  }
}
