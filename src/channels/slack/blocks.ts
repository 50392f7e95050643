import type { CardJson } from '../../render/cards.js';
import { markdownToMrkdwn, truncate } from './mrkdwn.js';

/**
 * Adaptive Card → Block Kit, for the element subset the templates in `cards/` use (see cards/README.md).
 * Pure: the same card always gives the same blocks. Block Kit limits are respected with graceful truncation:
 * 50 blocks a message, 3000 characters a section text, 10 section fields of 2000, 75 characters a button label,
 * 2000 a button value, 255 an action id, 25 elements an actions block, 100 options a select.
 */

/** How a coloured Adaptive Card container shows in Block Kit, which has none. */
const CONTAINER_MARKS: Readonly<Record<string, string>> = { attention: '🚨 ', warning: '⚠️ ' };

export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  actionsPerBlock: 25,
  options: 100,
  optionText: 75,
  inputLabel: 2000,
} as const;

export type Block = Record<string, unknown>;

/** The action id prefix of buttons that open an Action.ShowCard's sub-card as a modal. */
export const SHOWCARD_PREFIX = 'showcard#';

/** Where each action id leads: the Action.Submit data, or the sub-card of an Action.ShowCard (opened as a modal). */
export interface ActionTarget {
  readonly data?: Record<string, unknown>;
  readonly showCard?: CardJson;
  readonly title: string;
}

export interface Translation {
  readonly blocks: Block[];
  /** Plain-text fallback (`text` of chat.postMessage): notifications and screen readers. */
  readonly text: string;
  /** Action id → what it does. Small data travels in the button value; everything is also available here. */
  readonly actions: ReadonlyMap<string, ActionTarget>;
  /** Whether the card had inputs (their values arrive in `state.values` when a button is pressed). */
  readonly hasInputs: boolean;
  /** Input ids whose choices were cut to Block Kit's 100 options (a message has no options source to search). */
  readonly truncatedChoices: readonly string[];
}

export interface TranslateOptions {
  /**
   * Choice sets over Block Kit's 100 options become searchable selects whose options Slack loads from the app
   * (`external_select`, answered by the channel's options handler). Only where the app can rebuild the choices
   * when asked: modals, whose private metadata says where they came from.
   */
  readonly externalSelects?: boolean;
}

/** The submit data of an Action.ShowCard's sub-card: what its modal sends, and what rebuilds the sub-card. */
export function showCardSubmitData(sub: CardJson | undefined): Record<string, unknown> | undefined {
  const submit = showCardSubmit(sub);
  const data = submit && actionData(submit);
  return data && typeof data === 'object' && !Array.isArray(data) ? data : undefined;
}

/** The action that submits a sub-card's inputs (`Action.Submit`, or `Action.Execute` in Universal Actions cards). */
export function showCardSubmit(sub: CardJson | undefined): Record<string, unknown> | undefined {
  return ((sub?.actions as Record<string, unknown>[] | undefined) ?? []).find(
    (x) => x.type === 'Action.Submit' || x.type === 'Action.Execute',
  );
}

export interface PlainText {
  readonly type: 'plain_text';
  readonly text: string;
  readonly emoji: boolean;
}

/** An option of a select, radio buttons or checkboxes. */
export interface BlockOption {
  readonly text: PlainText;
  readonly value: string;
}

const plain = (text: string, max: number): PlainText => ({
  type: 'plain_text',
  text: truncate(text || ' ', max),
  emoji: true,
});

/**
 * What a button sends: `Action.Submit` data as it is; an `Action.Execute` (Universal Actions) with its `verb` put in
 * front of its data, the shape the core receives from every channel.
 */
export function actionData(a: Record<string, unknown>): Record<string, unknown> | undefined {
  const data = a.data && typeof a.data === 'object' ? (a.data as Record<string, unknown>) : undefined;
  if (a.type === 'Action.Execute' && typeof a.verb === 'string') return { verb: a.verb, ...data };
  return data;
}

/** Translates an expanded Adaptive Card (after templating) to Block Kit. */
export function adaptiveCardToBlocks(card: CardJson, options: TranslateOptions = {}): Translation {
  const blocks: Block[] = [];
  const actions = new Map<string, ActionTarget>();
  const texts: string[] = [];
  const truncatedChoices: string[] = [];
  let hasInputs = false;
  let seq = 0;

  const button = (a: Record<string, unknown>): Block | undefined => {
    const title = String(a.title ?? '');
    if (a.type !== 'Action.Submit' && a.type !== 'Action.ShowCard' && a.type !== 'Action.Execute')
      return undefined;
    seq += 1;
    const data = a.type === 'Action.ShowCard' ? undefined : actionData(a);
    const verb =
      typeof data?.verb === 'string' ? data.verb : a.type === 'Action.ShowCard' ? 'showcard' : 'action';
    const actionId = truncate(`${verb}#${seq}`, LIMITS.actionId);
    actions.set(actionId, {
      title,
      data,
      showCard: a.type === 'Action.ShowCard' ? (a.card as CardJson) : undefined,
    });
    // A show-card button carries its sub-card's submit data (the case id): enough to rebuild the modal at any
    // time, also after a restart.
    const value = data
      ? JSON.stringify(data)
      : a.type === 'Action.ShowCard'
        ? JSON.stringify(showCardSubmitData(a.card as CardJson) ?? {})
        : '';
    const b: Block = { type: 'button', action_id: actionId, text: plain(title, LIMITS.buttonText) };
    // Data too large for a button value is looked up by action id instead (the channel keeps the card).
    if (value && value.length <= LIMITS.buttonValue) b.value = value;
    if (a.style === 'positive') b.style = 'primary';
    if (a.style === 'destructive') b.style = 'danger';
    return b;
  };

  const pushActions = (list: unknown) => {
    const elements = (Array.isArray(list) ? list : [])
      .map((a) => button(a as Record<string, unknown>))
      .filter((b): b is Block => !!b);
    for (let i = 0; i < elements.length; i += LIMITS.actionsPerBlock) {
      blocks.push({ type: 'actions', elements: elements.slice(i, i + LIMITS.actionsPerBlock) });
    }
  };

  const section = (text: string) => {
    if (!text.trim()) return;
    texts.push(text);
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(markdownToMrkdwn(text), LIMITS.sectionText) },
    });
  };

  /** `mark`: Block Kit has no coloured containers, so an emergency or warning container marks its lines. */
  const walk = (elements: unknown, mark = '') => {
    for (const raw of Array.isArray(elements) ? elements : []) {
      const el = raw as Record<string, unknown>;
      switch (el.type) {
        case 'TextBlock': {
          const text = String(el.text ?? '');
          const strong = el.weight === 'Bolder' || el.size === 'Medium' || el.size === 'Large';
          if (strong && !text.includes('\n')) section(`${mark}**${text.replace(/\*\*/g, '')}**`);
          else section(`${mark}${text}`);
          break;
        }
        case 'FactSet': {
          const facts = (Array.isArray(el.facts) ? el.facts : []) as { title?: string; value?: string }[];
          for (let i = 0; i < facts.length; i += LIMITS.fields) {
            const fields = facts.slice(i, i + LIMITS.fields).map((f) => ({
              type: 'mrkdwn',
              text: truncate(markdownToMrkdwn(`**${f.title ?? ''}**\n${f.value ?? ''}`), LIMITS.field),
            }));
            texts.push(...facts.slice(i, i + LIMITS.fields).map((f) => `${f.title}: ${f.value}`));
            blocks.push({ type: 'section', fields });
          }
          break;
        }
        case 'Container':
          walk(el.items, CONTAINER_MARKS[String(el.style)] ?? mark);
          break;
        case 'ColumnSet':
          for (const col of (Array.isArray(el.columns) ? el.columns : []) as Record<string, unknown>[])
            walk(col.items, mark);
          break;
        case 'ActionSet':
          pushActions(el.actions);
          break;
        case 'Image':
          if (typeof el.url === 'string' && /^https:\/\//.test(el.url)) {
            blocks.push({
              type: 'image',
              image_url: el.url,
              alt_text: truncate(String(el.altText ?? ''), 2000) || ' ',
            });
          }
          break;
        case 'Input.Text': {
          hasInputs = true;
          const element: Block = {
            type: 'plain_text_input',
            action_id: String(el.id),
            multiline: el.isMultiline === true,
          };
          if (typeof el.maxLength === 'number') element.max_length = Math.min(el.maxLength, 3000);
          if (typeof el.value === 'string' && el.value) element.initial_value = truncate(el.value, 3000);
          if (typeof el.placeholder === 'string' && el.placeholder)
            element.placeholder = plain(el.placeholder, 150);
          blocks.push({
            type: 'input',
            block_id: String(el.id),
            optional: el.isRequired !== true,
            label: plain(String(el.label ?? el.placeholder ?? el.id), LIMITS.inputLabel),
            element,
          });
          break;
        }
        case 'Input.ChoiceSet': {
          hasInputs = true;
          const all = choiceOptions(el);
          const external = options.externalSelects === true && all.length > LIMITS.options;
          if (all.length > LIMITS.options && !external) truncatedChoices.push(String(el.id));
          const choices = all.slice(0, LIMITS.options);
          const selected = new Set(
            String(el.value ?? '')
              .split(',')
              .filter(Boolean),
          );
          const initial = choices.filter((o) => selected.has(o.value));
          const multi = el.isMultiSelect === true;
          const kind = external
            ? multi
              ? 'multi_external_select'
              : 'external_select'
            : multi
              ? choices.length <= 10
                ? 'checkboxes'
                : 'multi_static_select'
              : choices.length <= 10
                ? 'radio_buttons'
                : 'static_select';
          const element: Block = { type: kind, action_id: String(el.id) };
          // A searchable select shows its first options before anything is typed.
          if (external) element.min_query_length = 0;
          else element.options = choices;
          if (initial.length)
            element[multi ? 'initial_options' : 'initial_option'] = multi ? initial : initial[0];
          if (kind === 'static_select' || external) element.placeholder = plain(String(el.label ?? '…'), 150);
          blocks.push({
            type: 'input',
            block_id: String(el.id),
            optional: el.isRequired !== true,
            label: plain(String(el.label ?? '…'), LIMITS.inputLabel),
            element,
          });
          break;
        }
        default:
          break;
      }
    }
  };

  walk(card.body);
  pushActions(card.actions);

  let out = blocks;
  if (out.length > LIMITS.blocks) {
    // Keep the head and the last actions block; say that the rest is in the full card elsewhere.
    const lastActions = [...out].reverse().find((b) => b.type === 'actions');
    out = [
      ...out.slice(0, LIMITS.blocks - 2),
      { type: 'context', elements: [{ type: 'mrkdwn', text: '…' }] },
    ];
    if (lastActions) out.push(lastActions);
  }
  return { blocks: out, text: truncate(texts[0] ?? '', 3000), actions, hasInputs, truncatedChoices };
}

/** A choice set's choices as Block Kit options (all of them; the caller applies the limit). */
export function choiceOptions(el: Record<string, unknown>): BlockOption[] {
  return ((Array.isArray(el.choices) ? el.choices : []) as { title?: string; value?: string }[]).map((c) => ({
    text: plain(String(c.title ?? ''), LIMITS.optionText),
    value: String(c.value ?? ''),
  }));
}

/** The Input.ChoiceSet with this id anywhere in a card, for answering a searchable select's options request. */
export function findChoiceSet(card: CardJson, id: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (n: unknown) => {
    if (found) return;
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'Input.ChoiceSet' && o.id === id) found = o;
      else for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return found;
}

/**
 * The data a pressed button submits, as Adaptive Cards would: the button's data merged with the values of the
 * card's inputs (from Slack's `state.values`), multi-selects as comma-separated values.
 */
export function submittedData(
  buttonValue: string | undefined,
  state: Record<string, Record<string, Record<string, unknown>>> | undefined,
): Record<string, unknown> | undefined {
  let data: Record<string, unknown>;
  try {
    const parsed = buttonValue ? (JSON.parse(buttonValue) as unknown) : undefined;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    data = { ...(parsed as Record<string, unknown>) };
  } catch {
    return undefined;
  }
  for (const block of Object.values(state ?? {})) {
    for (const [id, v] of Object.entries(block ?? {})) {
      if (!/^[a-z][a-z0-9_]{0,40}$/i.test(id) || id === 'verb') continue;
      if (typeof v.value === 'string') data[id] = v.value;
      else if (v.selected_option && typeof v.selected_option === 'object')
        data[id] = (v.selected_option as { value: string }).value;
      else if (Array.isArray(v.selected_options))
        data[id] = (v.selected_options as { value: string }[]).map((o) => o.value).join(',');
    }
  }
  return data;
}
