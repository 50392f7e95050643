import type { ConversationKind, Platform } from '../types.js';

/** What happened to a subscription's tip in one week. `claimed` is written before posting (at most once a week). */
export type WeekStatus = 'claimed' | 'sent' | 'failed' | 'skipped-holiday' | 'skipped-missed';

/** A conversation (channel, group chat) that gets the weekly tip. */
export interface TipSubscription {
  readonly id: string;
  readonly platform: Platform;
  readonly conversationId: string;
  readonly kind: ConversationKind;
  readonly subscribedBy: string;
  readonly createdAt: string;
  readonly active: boolean;
  /** `moved`: kept under a new key (see `migrateSubscriptionKeys`); the new record carries on. */
  readonly endedReason?: 'unsubscribed' | 'removed' | 'moved';
  /** Tip ids already posted in the current rotation (no repeats until all were used). */
  readonly used: readonly string[];
  /** Per ISO week (e.g. "2026-W48"): what happened, which tip, when. The last 60 weeks are kept. */
  readonly weeks: Readonly<
    Record<string, { readonly status: WeekStatus; readonly tipId?: string; readonly at: string }>
  >;
  /** Bumped by the store on every write; a write names the version it was decided on (0: new). */
  readonly version: number;
}

export function subscriptionId(platform: Platform, conversationId: string): string {
  return `${platform}:${conversationId}`;
}
