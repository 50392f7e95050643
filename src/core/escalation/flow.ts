import type { MessageSource } from '../cases/message-source.js';
import type { RoleId } from '../knowledge/model.js';
import type { Lang, Platform } from '../types.js';
import { INVOLVED, type IncidentCatalog, type IncidentType, type Involved, type Text } from './catalog.js';

/**
 * The teacher's escalation flow as a pure state machine: `transition(state, input, ctx)` returns the next state
 * and the effects to run (render a card, create the case). No I/O, no clock: time comes in through `ctx.now`.
 */

export const STEPS = ['danger', 'type', 'involved', 'checklist', 'description', 'review'] as const;
export type Step = (typeof STEPS)[number];

/** How long an unfinished report is kept as a draft ("Stoppen en bewaren") before retention removes it. */
export const DRAFT_FLOW_DAYS = 30;

/** Longest accepted description; cards and Slack modals enforce it too. */
export const MAX_DESCRIPTION = 1000;

export interface FlowState {
  readonly id: string;
  readonly platform: Platform;
  readonly reporterId: string;
  readonly reporterName?: string;
  readonly reporterAad?: string;
  /** The reporter's language, for the notices the case brings them. */
  readonly lang?: Lang;
  readonly status: 'active' | 'submitted' | 'cancelled';
  readonly step: Step;
  /** Bumped on every change; each card carries it, so a click on an outdated card is recognised. */
  readonly rev: number;
  readonly danger?: boolean;
  readonly urgent: boolean;
  readonly type?: string;
  readonly involved?: Involved;
  /** First steps already done, as keys `do-0`, `do-1`, … of the steps that apply (see `firstSteps`). */
  readonly checked: readonly string[];
  /** "Stoppen" was pressed: the card asks whether to stop (keeping a draft) or throw the report away. */
  readonly confirmingStop?: boolean;
  readonly description?: string;
  /** The article the teacher came from ("Melding maken" on an answer card), to preselect the type. */
  readonly suggestedType?: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Set once submitted. */
  readonly caseId?: string;
  /** The message the report is about, when it was started from one ("Melden bij Vangnet"). */
  readonly source?: MessageSource;
}

export type FlowEvent =
  | { readonly kind: 'danger'; readonly value: boolean }
  | { readonly kind: 'type'; readonly value: string }
  | { readonly kind: 'involved'; readonly value: string }
  | { readonly kind: 'checklist'; readonly checked: readonly string[] }
  | { readonly kind: 'description'; readonly text: string }
  | { readonly kind: 'submit' }
  | { readonly kind: 'back' }
  /** "Stoppen": asks first. */
  | { readonly kind: 'stop' }
  /** The answer to "Stoppen?": keep a draft, throw it away, or go on. */
  | { readonly kind: 'stop-confirmed'; readonly keepDraft: boolean }
  | { readonly kind: 'resume' };

export type RejectReason =
  | 'stale'
  | 'invalid'
  | 'closed'
  | 'missing-type'
  | 'missing-involved'
  | 'empty-description'
  | 'too-long';

export type FlowEffect =
  | { readonly kind: 'show-step' }
  /** Acute danger: an urgent case goes out now, before the teacher fills in the rest. */
  | { readonly kind: 'raise-alarm' }
  | { readonly kind: 'create-case' }
  /** Stopped with a draft kept: `melding` resumes it. */
  | { readonly kind: 'paused' }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'rejected'; readonly reason: RejectReason };

export interface FlowContext {
  readonly catalog: IncidentCatalog;
  readonly now: Date;
}

export interface FlowResult {
  readonly state: FlowState;
  readonly effects: readonly FlowEffect[];
}

export function startFlow(init: {
  id: string;
  platform: Platform;
  reporterId: string;
  reporterName?: string;
  reporterAad?: string;
  lang?: Lang;
  suggestedType?: string;
  source?: MessageSource;
  now: Date;
}): FlowState {
  const at = init.now.toISOString();
  return {
    id: init.id,
    platform: init.platform,
    reporterId: init.reporterId,
    reporterName: init.reporterName,
    reporterAad: init.reporterAad,
    lang: init.lang,
    status: 'active',
    step: 'danger',
    rev: 1,
    urgent: false,
    checked: [],
    suggestedType: init.suggestedType,
    source: init.source,
    startedAt: at,
    updatedAt: at,
  };
}

/** The meldplicht: a staff member involved in a sexual matter (possible sexual abuse of a pupil by staff). */
export function isMeldplicht(type: IncidentType, involved: Involved | undefined): boolean {
  return type.sexual && involved === 'staff';
}

/**
 * The first steps that apply to a report: the meldplicht path's own when a staff member is involved in a sexual
 * matter, otherwise the type's. `do` is a checklist (keys `do-0…`), `dont` are warnings.
 */
export function firstSteps(
  catalog: IncidentCatalog,
  typeId: string | undefined,
  involved: Involved | undefined,
): { do: readonly Text[]; dont: readonly Text[]; meldplicht: boolean } {
  const type = typeId ? catalog.types.get(typeId) : undefined;
  if (!type) return { do: [], dont: [], meldplicht: false };
  if (isMeldplicht(type, involved))
    return { do: catalog.meldplicht.do, dont: catalog.meldplicht.dont, meldplicht: true };
  return { do: type.do, dont: type.dont, meldplicht: false };
}

/** Keys of the steps the teacher can tick as done: `do-0…`. */
export function checklistKeys(
  catalog: IncidentCatalog,
  typeId: string | undefined,
  involved?: Involved,
): string[] {
  return firstSteps(catalog, typeId, involved).do.map((_, i) => `do-${i}`);
}

/** Control characters out, whitespace folded at the ends; newlines kept. */
export function cleanText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim();
}

/**
 * Applies one event. `rev` is the revision the card showed; an event from an older card is rejected as stale
 * and the current step is shown again, so the teacher never acts on something they no longer see.
 */
export function transition(
  state: FlowState,
  input: { event: FlowEvent; rev: number },
  ctx: FlowContext,
): FlowResult {
  const reject = (reason: RejectReason): FlowResult => ({
    state,
    effects: [{ kind: 'rejected', reason }, { kind: 'show-step' }],
  });
  if (state.status !== 'active') return { state, effects: [{ kind: 'rejected', reason: 'closed' }] };
  if (input.rev !== state.rev) return reject('stale');
  const { event } = input;
  const next = (patch: Partial<FlowState>, extra: FlowEffect[] = []): FlowResult => ({
    state: { ...state, ...patch, rev: state.rev + 1, updatedAt: ctx.now.toISOString() },
    effects: [...extra, { kind: 'show-step' }],
  });
  const index = STEPS.indexOf(state.step);

  if (event.kind === 'stop') return next({ confirmingStop: true });
  if (event.kind === 'resume') return next({ confirmingStop: false });
  if (event.kind === 'stop-confirmed') {
    if (!state.confirmingStop) return reject('invalid');
    if (event.keepDraft)
      return {
        state: { ...state, confirmingStop: false, rev: state.rev + 1, updatedAt: ctx.now.toISOString() },
        effects: [{ kind: 'paused' }],
      };
    // A report thrown away keeps nothing of what the teacher wrote.
    return {
      state: {
        ...state,
        status: 'cancelled',
        confirmingStop: false,
        description: undefined,
        rev: state.rev + 1,
        updatedAt: ctx.now.toISOString(),
      },
      effects: [{ kind: 'cancelled' }],
    };
  }
  if (state.confirmingStop) return reject('invalid');
  if (event.kind === 'back') return index > 0 ? next({ step: STEPS[index - 1] as Step }) : reject('invalid');

  switch (state.step) {
    case 'danger':
      if (event.kind !== 'danger') return reject('invalid');
      return next(
        // Once the alarm went out it stays out: a later "Nee" does not make the report less urgent.
        {
          danger: state.danger === true || event.value,
          urgent: state.danger === true || event.value || isUrgentType(ctx, state.type),
          step: 'type',
        },
        event.value ? [{ kind: 'raise-alarm' }] : [],
      );
    case 'type': {
      if (event.kind !== 'type') return reject('invalid');
      if (!event.value) return reject('missing-type');
      if (!ctx.catalog.types.has(event.value)) return reject('invalid');
      // A different type has different checklist items: drop ticks that belonged to the old one.
      const checked = event.value === state.type ? state.checked : [];
      return next({
        type: event.value,
        urgent: state.danger === true || isUrgentType(ctx, event.value),
        checked,
        step: 'involved',
      });
    }
    case 'involved': {
      if (event.kind !== 'involved') return reject('invalid');
      if (!event.value) return reject('missing-involved');
      if (!INVOLVED.includes(event.value as Involved)) return reject('invalid');
      const involved = event.value as Involved;
      // Other people involved can mean other first steps (the meldplicht path): ticks no longer fit.
      const checked = involved === state.involved ? state.checked : [];
      return next({ involved, checked, step: 'checklist' });
    }
    case 'checklist': {
      if (event.kind !== 'checklist') return reject('invalid');
      const valid = new Set(checklistKeys(ctx.catalog, state.type, state.involved));
      if (event.checked.some((k) => !valid.has(k))) return reject('invalid');
      return next({ checked: [...new Set(event.checked)], step: 'description' });
    }
    case 'description': {
      if (event.kind !== 'description') return reject('invalid');
      const text = cleanText(event.text);
      if (text.length < 3) return reject('empty-description');
      if (text.length > MAX_DESCRIPTION) return reject('too-long');
      return next({ description: text, step: 'review' });
    }
    case 'review':
      if (event.kind !== 'submit') return reject('invalid');
      return {
        state: { ...state, status: 'submitted', rev: state.rev + 1, updatedAt: ctx.now.toISOString() },
        effects: [{ kind: 'create-case' }],
      };
  }
}

function isUrgentType(ctx: FlowContext, type: string | undefined): boolean {
  return type ? ctx.catalog.types.get(type)?.urgent === true : false;
}

/**
 * Which roles receive a case: a staff member involved in a sexual matter takes the meldplicht path (bevoegd
 * gezag); otherwise the school's override for the type, or the catalog's routing, with the schoolleiding added
 * whenever a staff member is involved (`staffAlsoRoutes`).
 */
export function routeCase(
  catalog: IncidentCatalog,
  typeId: string,
  involved: Involved | undefined,
  overrides: Readonly<Record<string, readonly RoleId[]>> = {},
): { roles: readonly RoleId[]; meldplicht: boolean } {
  const type = catalog.types.get(typeId);
  if (type && isMeldplicht(type, involved)) return { roles: catalog.meldplicht.routing, meldplicht: true };
  const roles = overrides[typeId] ?? type?.routing ?? ['schoolleiding'];
  const extra = involved === 'staff' ? catalog.staffAlsoRoutes.filter((r) => !roles.includes(r)) : [];
  return { roles: [...roles, ...extra], meldplicht: false };
}
