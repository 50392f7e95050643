import assert from 'node:assert/strict';
import { DEFAULT_POLICY, decide } from '../../../src/core/answers/decision.js';
import type { Article } from '../../../src/core/knowledge/model.js';
import type { SearchHit } from '../../../src/core/knowledge/search.js';

const article = { slug: 'x' } as Article;
/** A hit with a score (0..1) and a relevance; relevance is what "close" is measured on. */
const hit = (slug: string, score: number, relevance: number): SearchHit => ({
  slug,
  title: slug,
  score,
  relevance,
  coverage: 1,
  article: { ...article, slug },
});

describe('decide: confident or asking', () => {
  it('a special case of the best article that says nothing more is no rival; when it says more it is', () => {
    const broad = hit('naaktbeelden', 0.86, 37);
    const narrow = (coverage: number): SearchHit => ({
      ...hit('deepfake', 0.85, 33),
      coverage,
      article: { ...article, slug: 'deepfake', narrows: ['naaktbeelden'] },
    });
    const plain = decide({
      results: [{ ...broad, coverage: 0.6 }, narrow(0.6), hit('c', 0.7, 20)],
      offTopic: 0,
    });
    assert.equal(plain.kind === 'answer' && plain.hit.slug, 'naaktbeelden');
    // Matching more of the question (the word "deepfake"), it competes again: ask.
    const more = decide({
      results: [{ ...broad, coverage: 0.6 }, narrow(0.8), hit('c', 0.7, 20)],
      offTopic: 0,
    });
    assert.equal(more.kind, 'choices');
    // An unrelated close runner-up still makes the bot ask.
    const unrelated = decide({ results: [broad, hit('other', 0.85, 33)], offTopic: 0 });
    assert.equal(unrelated.kind, 'choices');
  });

  it('answers when the best article is good and clearly ahead of the runner-up', () => {
    const d = decide({ results: [hit('a', 0.9, 40), hit('b', 0.8, 20)], offTopic: 0 });
    assert.equal(d.kind === 'answer' && d.hit.slug, 'a');
  });

  it('asks when two or three are close, however high the best one scores', () => {
    const d = decide({
      results: [hit('a', 0.95, 40), hit('b', 0.94, 38), hit('c', 0.9, 30), hit('d', 0.5, 5)],
      offTopic: 0,
    });
    assert.ok(d.kind === 'choices');
    assert.deepEqual(
      d.hits.map((h) => h.slug),
      ['a', 'b', 'c'],
    );
  });

  it('asks (one choice is fine) when the best is plausible but not good enough to answer', () => {
    const d = decide({ results: [hit('a', 0.75, 18), hit('b', 0.2, 1)], offTopic: 0 });
    assert.ok(d.kind === 'choices');
    assert.deepEqual(
      d.hits.map((h) => h.slug),
      ['a'],
    );
  });

  it('says nothing fits when the best is weak, and off-topic when the out-of-scope examples fit better', () => {
    assert.equal(decide({ results: [hit('a', 0.2, 1)], offTopic: 0 }).kind, 'none');
    assert.equal(decide({ results: [], offTopic: 0 }).kind, 'none');
    assert.equal(decide({ results: [hit('a', 0.9, 40)], offTopic: 30 }).kind, 'off-topic');
    assert.equal(decide({ results: [], offTopic: 3 }).kind, 'off-topic');
  });

  it('never offers more than the policy allows', () => {
    const many = [0, 1, 2, 3, 4].map((i) => hit(`a${i}`, 0.9, 40 - i));
    const d = decide({ results: many, offTopic: 0 });
    assert.ok(d.kind === 'choices' && d.hits.length === DEFAULT_POLICY.maxChoices);
  });
});
