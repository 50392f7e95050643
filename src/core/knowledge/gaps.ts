import type { FeedbackRecord, GapRecord } from '../storage/store.js';

/** One line of the knowledge editors' list: a question (or an article) and how often it came up. */
export interface GapSummary {
  readonly reason: GapRecord['reason'];
  /** The scrubbed question, or for "not helpful" the article's slug. */
  readonly what: string;
  readonly count: number;
  /** When it last came up (ISO time). */
  readonly last: string;
}

/**
 * What teachers asked that the knowledge base lacks, grouped (questions case-insensitively, "not helpful" per
 * article), most frequent first. `vangnet kb gaps` and the workspace's knowledge page both show this.
 */
export function summarizeGaps(gaps: readonly GapRecord[]): GapSummary[] {
  const groups = new Map<
    string,
    { reason: GapRecord['reason']; what: string; count: number; last: string }
  >();
  for (const g of gaps) {
    const what = g.slug ?? g.query.toLowerCase();
    const key = `${g.reason}\u0000${what}`;
    const s = groups.get(key) ?? { reason: g.reason, what, count: 0, last: g.at };
    s.count += 1;
    if (g.at > s.last) s.last = g.at;
    groups.set(key, s);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** "Hielp dit?" answers per article (and per tip), the most "no" first. */
export interface ArticleFeedback {
  readonly slug: string;
  readonly helpful: number;
  readonly notHelpful: number;
}

export function feedbackPerArticle(feedback: readonly FeedbackRecord[]): ArticleFeedback[] {
  const per = new Map<string, { slug: string; helpful: number; notHelpful: number }>();
  for (const f of feedback) {
    const s = per.get(f.slug) ?? { slug: f.slug, helpful: 0, notHelpful: 0 };
    if (f.helpful) s.helpful += 1;
    else s.notHelpful += 1;
    per.set(f.slug, s);
  }
  return [...per.values()].sort((a, b) => b.notHelpful - a.notHelpful || a.slug.localeCompare(b.slug));
}
