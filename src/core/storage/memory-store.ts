import type { CaseRecord, FlowRecord, MessageRef, OutboxItem } from '../cases/model.js';
import type { RoleId } from '../knowledge/model.js';
import type { RoleAssignment } from '../school/school.js';
import type { TipSubscription } from '../tips/model.js';
import type { Platform } from '../types.js';
import {
  type AuthRecord,
  type ConversationRecord,
  conversationKey,
  type FeedbackRecord,
  type GapRecord,
  latest,
  latestPersonal,
  MAX_FORM_CARDS,
  MAX_LOG_RECORDS,
  type Store,
} from './store.js';

/** An in-memory `Store`, for tests and for the CLI where nothing needs to persist. */
export class MemoryStore implements Store {
  private readonly conversations = new Map<string, ConversationRecord>();
  private gaps: GapRecord[] = [];
  private feedback: FeedbackRecord[] = [];

  async saveConversation(record: ConversationRecord): Promise<void> {
    this.conversations.set(conversationKey(record.platform, record.conversationId), structuredClone(record));
  }

  async getConversation(platform: ConversationRecord['platform'], id: string) {
    const rec = this.conversations.get(conversationKey(platform, id));
    return rec && structuredClone(rec);
  }

  async findPersonalConversation(platform: ConversationRecord['platform'], userId: string) {
    const found = latestPersonal(this.conversations.values(), platform, userId);
    return found && structuredClone(found);
  }

  async findAnyConversation(platform: ConversationRecord['platform']) {
    const found = latest(this.conversations.values(), (r) => r.platform === platform);
    return found && structuredClone(found);
  }

  async addGap(gap: GapRecord): Promise<void> {
    this.gaps = [...this.gaps, gap].slice(-MAX_LOG_RECORDS);
  }

  async listGaps() {
    return [...this.gaps];
  }

  async addFeedback(feedback: FeedbackRecord): Promise<void> {
    this.feedback = [...this.feedback, feedback].slice(-MAX_LOG_RECORDS);
  }

  async listFeedback() {
    return [...this.feedback];
  }

  private readonly flows = new Map<string, FlowRecord>();
  private readonly forms = new Map<string, MessageRef>();
  private readonly cases = new Map<string, CaseRecord>();
  private readonly sequences = new Map<string, number>();
  private readonly outbox = new Map<string, OutboxItem>();
  private roleOverrides: Partial<Record<RoleId, RoleAssignment>> = {};

  async saveFlow(flow: FlowRecord) {
    this.flows.set(flow.id, structuredClone(flow));
  }
  async getFlow(id: string) {
    const f = this.flows.get(id);
    return f && structuredClone(f);
  }
  async findActiveFlow(platform: Platform, reporterId: string) {
    const f = [...this.flows.values()].find(
      (x) => x.status === 'active' && x.platform === platform && x.reporterId === reporterId,
    );
    return f && structuredClone(f);
  }
  async saveFormCard(formId: string, ref: MessageRef) {
    this.forms.set(formId, structuredClone(ref));
    for (const old of [...this.forms.keys()].slice(0, Math.max(0, this.forms.size - MAX_FORM_CARDS)))
      this.forms.delete(old);
  }
  async takeFormCard(formId: string) {
    const ref = this.forms.get(formId);
    this.forms.delete(formId);
    return ref;
  }
  async saveCase(record: CaseRecord, outbox: readonly OutboxItem[] = []) {
    this.cases.set(record.id, structuredClone(record));
    for (const item of outbox) this.outbox.set(item.id, structuredClone(item));
  }
  async getCase(id: string) {
    const c = this.cases.get(id);
    return c && structuredClone(c);
  }
  async listCases() {
    return [...this.cases.values()].map((c) => structuredClone(c));
  }
  async nextSequence(name: string) {
    const n = (this.sequences.get(name) ?? 0) + 1;
    this.sequences.set(name, n);
    return n;
  }
  async listOutbox() {
    return [...this.outbox.values()].map((o) => structuredClone(o));
  }
  async updateOutbox(item: OutboxItem) {
    if (this.outbox.has(item.id)) this.outbox.set(item.id, structuredClone(item));
  }
  async removeOutbox(id: string) {
    this.outbox.delete(id);
  }
  async getRoleOverrides() {
    return structuredClone(this.roleOverrides);
  }
  async setRoleOverride(role: RoleId, assignment: RoleAssignment) {
    this.roleOverrides = { ...this.roleOverrides, [role]: structuredClone(assignment) };
  }

  private readonly auth = new Map<string, AuthRecord>();
  async saveAuth(record: AuthRecord) {
    for (const [k, r] of this.auth) if (r.expiresAt <= record.createdAt) this.auth.delete(k);
    this.auth.set(record.key, structuredClone(record));
  }
  async getAuth(key: string) {
    const r = this.auth.get(key);
    return r && structuredClone(r);
  }
  async takeAuth(key: string) {
    const r = this.auth.get(key);
    this.auth.delete(key);
    return r;
  }

  private readonly subscriptions = new Map<string, TipSubscription>();
  async saveSubscription(sub: TipSubscription) {
    this.subscriptions.set(sub.id, structuredClone(sub));
  }
  async getSubscription(id: string) {
    const s = this.subscriptions.get(id);
    return s && structuredClone(s);
  }
  async listSubscriptions() {
    return [...this.subscriptions.values()].map((s) => structuredClone(s));
  }

  async close(): Promise<void> {}
}
