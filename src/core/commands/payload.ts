import { MAX_ACTION_FIELD } from '../actions.js';

/**
 * The payload schema of a card action: which fields its data may carry, of which type. Card data comes from the
 * client (Teams, Slack, the browser) and can be forged, so every verb's data is checked against its schema before
 * its handler runs; the handler gets only the declared fields.
 */
export type FieldSpec =
  | { readonly type: 'string'; readonly max?: number; readonly pattern?: RegExp; readonly optional?: boolean }
  | { readonly type: 'boolean'; readonly optional?: boolean }
  /** A number, or a string of digits (Slack and Web Chat send some numbers as text). */
  | { readonly type: 'integer'; readonly optional?: boolean }
  /** Several values: an array of strings or one comma-separated string (multi-selects differ per client). */
  | { readonly type: 'list'; readonly max?: number; readonly optional?: boolean };

export type PayloadSchema = Readonly<Record<string, FieldSpec>>;

type FieldValue<F extends FieldSpec> = F extends { type: 'boolean' }
  ? boolean
  : F extends { type: 'integer' }
    ? number
    : F extends { type: 'list' }
      ? readonly string[]
      : string;

/** The typed data a handler receives for a schema: optional fields may be undefined. */
export type Payload<S extends PayloadSchema> = {
  readonly [K in keyof S]: S[K] extends { optional: true } ? FieldValue<S[K]> | undefined : FieldValue<S[K]>;
};

/** Ids that are safe to look up: lowercase words with dashes. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const MAX_LIST = 50;

function field(spec: FieldSpec, raw: unknown): { ok: true; value: unknown } | { ok: false } {
  if (raw === undefined || raw === null || raw === '') {
    if (spec.optional) return { ok: true, value: spec.type === 'list' ? [] : undefined };
    // An empty multi-select is a valid answer ("nothing ticked").
    if (spec.type === 'list' && raw === '') return { ok: true, value: [] };
    return { ok: false };
  }
  switch (spec.type) {
    case 'string': {
      if (typeof raw !== 'string' || raw.length > (spec.max ?? MAX_ACTION_FIELD)) return { ok: false };
      if (spec.pattern && !spec.pattern.test(raw)) return { ok: false };
      return { ok: true, value: raw };
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      // Input.Toggle and Slack send booleans as text.
      if (raw === 'true' || raw === 'false') return { ok: true, value: raw === 'true' };
      return { ok: false };
    case 'integer': {
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
      return Number.isSafeInteger(n) && n >= 0 ? { ok: true, value: n } : { ok: false };
    }
    case 'list': {
      const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
      if (!items || items.length > MAX_LIST) return { ok: false };
      const out: string[] = [];
      for (const item of items) {
        if (typeof item !== 'string' || item.length > (spec.max ?? MAX_ACTION_FIELD)) return { ok: false };
        if (item.trim()) out.push(item.trim());
      }
      return { ok: true, value: out };
    }
  }
}

/**
 * Checks card data against a schema. Returns only the declared fields (never the prototype or extra keys), or
 * undefined when a field is missing, of the wrong type or too long.
 */
export function parsePayload<S extends PayloadSchema>(
  schema: S,
  data: Readonly<Record<string, unknown>>,
): Payload<S> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const raw = Object.hasOwn(data, key) ? data[key] : undefined;
    const r = field(spec, raw);
    if (!r.ok) return undefined;
    out[key] = r.value;
  }
  return out as Payload<S>;
}
