import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import { JSONFilePreset } from 'lowdb/node';
import type { CaseRecord, FlowRecord, MessageRef, OutboxItem } from '../core/cases/model.js';
import { StoreError } from '../core/errors.js';
import type { RoleId } from '../core/knowledge/model.js';
import type { RoleAssignment } from '../core/school/school.js';
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
} from '../core/storage/store.js';
import type { TipSubscription } from '../core/tips/model.js';
import type { Platform } from '../core/types.js';

interface Data {
  version: 1;
  conversations: Record<string, ConversationRecord>;
  gaps: GapRecord[];
  feedback: FeedbackRecord[];
  flows: Record<string, FlowRecord>;
  forms: Record<string, MessageRef>;
  cases: Record<string, CaseRecord>;
  sequences: Record<string, number>;
  outbox: Record<string, OutboxItem>;
  roleOverrides: Partial<Record<RoleId, RoleAssignment>>;
  subscriptions: Record<string, TipSubscription>;
  auth: Record<string, AuthRecord>;
}

const EMPTY: Data = {
  version: 1,
  conversations: {},
  gaps: [],
  feedback: [],
  flows: {},
  forms: {},
  cases: {},
  sequences: {},
  outbox: {},
  roleOverrides: {},
  subscriptions: {},
  auth: {},
};

/**
 * The embedded store: one JSON file (`vangnet.json`) in `DATA_DIR`. lowdb writes through steno, which writes a
 * temporary file and renames it, so a crash never leaves a half-written file behind.
 */
export class LowdbStore implements Store {
  private constructor(private readonly db: Low<Data>) {}

  static async open(dataDir: string): Promise<LowdbStore> {
    try {
      await mkdir(dataDir, { recursive: true });
      const db = await JSONFilePreset<Data>(join(dataDir, 'vangnet.json'), structuredClone(EMPTY));
      db.data = { ...structuredClone(EMPTY), ...db.data };
      return new LowdbStore(db);
    } catch (err) {
      throw new StoreError(`Cannot open the data store in ${dataDir}`, err);
    }
  }

  private async write(): Promise<void> {
    try {
      await this.db.write();
    } catch (err) {
      throw new StoreError('Cannot write the data store', err);
    }
  }

  async saveConversation(record: ConversationRecord): Promise<void> {
    this.db.data.conversations[conversationKey(record.platform, record.conversationId)] = record;
    await this.write();
  }

  async getConversation(platform: Platform, conversationId: string) {
    return this.db.data.conversations[conversationKey(platform, conversationId)];
  }

  async findPersonalConversation(platform: Platform, userId: string) {
    return latestPersonal(Object.values(this.db.data.conversations), platform, userId);
  }

  async findAnyConversation(platform: Platform) {
    return latest(Object.values(this.db.data.conversations), (c) => c.platform === platform);
  }

  async addGap(gap: GapRecord): Promise<void> {
    this.db.data.gaps.push(gap);
    this.db.data.gaps = this.db.data.gaps.slice(-MAX_LOG_RECORDS);
    await this.write();
  }

  async listGaps() {
    return [...this.db.data.gaps];
  }

  async addFeedback(feedback: FeedbackRecord): Promise<void> {
    this.db.data.feedback.push(feedback);
    this.db.data.feedback = this.db.data.feedback.slice(-MAX_LOG_RECORDS);
    await this.write();
  }

  async listFeedback() {
    return [...this.db.data.feedback];
  }

  async saveFlow(flow: FlowRecord) {
    this.db.data.flows[flow.id] = flow;
    await this.write();
  }
  async getFlow(id: string) {
    return Object.hasOwn(this.db.data.flows, id) ? this.db.data.flows[id] : undefined;
  }
  async findActiveFlow(platform: Platform, reporterId: string) {
    return Object.values(this.db.data.flows).find(
      (f) => f.status === 'active' && f.platform === platform && f.reporterId === reporterId,
    );
  }
  async saveFormCard(formId: string, ref: MessageRef) {
    const forms = this.db.data.forms;
    forms[formId] = ref;
    const ids = Object.keys(forms);
    for (const old of ids.slice(0, Math.max(0, ids.length - MAX_FORM_CARDS))) delete forms[old];
  }
  async takeFormCard(formId: string) {
    if (!Object.hasOwn(this.db.data.forms, formId)) return undefined;
    const ref = this.db.data.forms[formId];
    delete this.db.data.forms[formId];
    return ref;
  }
  async saveCase(record: CaseRecord, outbox: readonly OutboxItem[] = []) {
    this.db.data.cases[record.id] = record;
    for (const item of outbox) this.db.data.outbox[item.id] = item;
    await this.write();
  }
  async getCase(id: string) {
    return Object.hasOwn(this.db.data.cases, id) ? this.db.data.cases[id] : undefined;
  }
  async listCases() {
    return Object.values(this.db.data.cases);
  }
  async nextSequence(name: string) {
    const n = (this.db.data.sequences[name] ?? 0) + 1;
    this.db.data.sequences[name] = n;
    await this.write();
    return n;
  }
  async listOutbox() {
    return Object.values(this.db.data.outbox);
  }
  async updateOutbox(item: OutboxItem) {
    if (!Object.hasOwn(this.db.data.outbox, item.id)) return;
    this.db.data.outbox[item.id] = item;
    await this.write();
  }
  async removeOutbox(id: string) {
    delete this.db.data.outbox[id];
    await this.write();
  }
  async getRoleOverrides() {
    return this.db.data.roleOverrides;
  }
  async setRoleOverride(role: RoleId, assignment: RoleAssignment) {
    this.db.data.roleOverrides[role] = assignment;
    await this.write();
  }

  async saveAuth(record: AuthRecord) {
    const auth = this.db.data.auth;
    for (const [k, r] of Object.entries(auth)) if (r.expiresAt <= record.createdAt) delete auth[k];
    auth[record.key] = record;
    await this.write();
  }
  async getAuth(key: string) {
    return Object.hasOwn(this.db.data.auth, key) ? this.db.data.auth[key] : undefined;
  }
  async takeAuth(key: string) {
    if (!Object.hasOwn(this.db.data.auth, key)) return undefined;
    const r = this.db.data.auth[key];
    delete this.db.data.auth[key];
    await this.write();
    return r;
  }

  async saveSubscription(sub: TipSubscription) {
    this.db.data.subscriptions[sub.id] = sub;
    await this.write();
  }
  async getSubscription(id: string) {
    return Object.hasOwn(this.db.data.subscriptions, id) ? this.db.data.subscriptions[id] : undefined;
  }
  async listSubscriptions() {
    return Object.values(this.db.data.subscriptions);
  }

  async close(): Promise<void> {
    await this.write();
  }
}
