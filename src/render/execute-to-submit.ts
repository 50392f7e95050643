import type { CardJson } from './cards.js';

/**
 * The same card with Universal Actions (`Action.Execute`) as plain `Action.Submit` buttons whose data carries the
 * verb, and without `refresh`: for hosts that render Adaptive Cards but send only submits. Microsoft Web Chat is one:
 * it draws an `Action.Execute` button but ignores a click on it. The result is a new object; the input, which may be
 * a shared cached render, is not changed.
 */
export function executeToSubmit(card: CardJson): CardJson {
  const convert = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(convert);
    if (!node || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) {
      if (k === 'refresh') continue;
      out[k] = convert(v);
    }
    if (o.type === 'Action.Execute') {
      const data = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
      const { verb: _verb, ...rest } = out;
      return { ...rest, type: 'Action.Submit', data: { verb: o.verb, ...data } };
    }
    return out;
  };
  return convert(card) as CardJson;
}
