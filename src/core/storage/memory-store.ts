import {
  type ConversationRecord,
  conversationKey,
  type FeedbackRecord,
  type GapRecord,
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
    for (const rec of this.conversations.values()) {
      if (rec.platform === platform && rec.kind === 'personal' && rec.userId === userId)
        return structuredClone(rec);
    }
    return undefined;
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

  async close(): Promise<void> {}
}
