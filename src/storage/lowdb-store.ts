import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import { JSONFilePreset } from 'lowdb/node';
import { StoreError } from '../core/errors.js';
import {
  type ConversationRecord,
  conversationKey,
  type FeedbackRecord,
  type GapRecord,
  MAX_LOG_RECORDS,
  type Store,
} from '../core/storage/store.js';
import type { Platform } from '../core/types.js';

interface Data {
  version: 1;
  conversations: Record<string, ConversationRecord>;
  gaps: GapRecord[];
  feedback: FeedbackRecord[];
}

const EMPTY: Data = { version: 1, conversations: {}, gaps: [], feedback: [] };

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
    return Object.values(this.db.data.conversations).find(
      (c) => c.platform === platform && c.kind === 'personal' && c.userId === userId,
    );
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

  async close(): Promise<void> {
    await this.write();
  }
}
