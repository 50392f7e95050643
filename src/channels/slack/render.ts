import { randomUUID } from 'node:crypto';
import type { Translate } from '../../core/i18n/index.js';
import type { Outgoing } from '../../core/types.js';
import type { CardJson, CardRenderer } from '../../render/cards.js';
import { PAGE_NEXT_ACTION, PAGE_PREVIOUS_ACTION, VERB_SLACK_PAGE } from './action-ids.js';
import { adaptiveCardToBlocks, type Block, LIMITS, type TranslateOptions } from './blocks.js';
import { markdownToMrkdwn, truncate } from './mrkdwn.js';

/** One Slack message: the notification text and, for cards, the blocks. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks?: Block[];
}

/** A card template whose `items` Slack shows a page at a time. */
export const LIST_TEMPLATE = 'case-list';
/**
 * Items per page: each list item is up to three blocks (title, subtitle, button), so ten items, the title and the
 * page buttons stay well under Block Kit's 50 blocks a message.
 */
export const LIST_PAGE_SIZE = 10;
/** Longest typed text a page button repeats (its value must stay small). */
const MAX_LIST_QUERY = 200;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,30}$/;

/** Where a list came from, so its other pages can be made again: what the user typed (or the button's `q`). */
export interface ListSource {
  readonly query?: string;
  readonly page?: number;
}

/**
 * A case card for Slack: the reporter as a Slack mention of their user id, which Slack shows as the person's name
 * to everyone who can see it (a case from a DM carries no name otherwise). The mention goes in after translation,
 * as a random token, because translation escapes every `<`: no text a user typed can produce a mention.
 */
export function caseCardWithReporter(out: Outgoing): { out: Outgoing; mentions: Map<string, string> } {
  const mentions = new Map<string, string>();
  if (out.kind !== 'card' || out.template !== 'case') return { out, mentions };
  const reporter = out.data.reporter as { platform?: string; userId?: string; title?: string } | undefined;
  if (reporter?.platform !== 'slack' || !reporter.userId || !SLACK_USER_ID.test(reporter.userId))
    return { out, mentions };
  const token = `vangnetmention${randomUUID().replace(/-/g, '')}`;
  mentions.set(token, `<@${reporter.userId}>`);
  const facts = [...((out.data.facts as { title: string; value: string }[] | undefined) ?? [])];
  const at = facts.findIndex((f) => f.title === reporter.title);
  const fact = { title: String(reporter.title ?? ''), value: token };
  // Replace the stored name, or add the line after status and school when there was none.
  if (at >= 0) facts[at] = fact;
  else facts.splice(Math.min(2, facts.length), 0, fact);
  return { out: { ...out, data: { ...out.data, facts } }, mentions };
}

/** The page of a long list card, with its number and the count of pages. */
export function listPage(out: Outgoing, page: number): { out: Outgoing; page: number; pages: number } {
  if (out.kind !== 'card' || out.template !== LIST_TEMPLATE || !Array.isArray(out.data.items))
    return { out, page: 0, pages: 1 };
  const items = out.data.items as unknown[];
  const pages = Math.max(1, Math.ceil(items.length / LIST_PAGE_SIZE));
  const p = Math.min(Math.max(0, Math.trunc(page) || 0), pages - 1);
  const slice = items.slice(p * LIST_PAGE_SIZE, (p + 1) * LIST_PAGE_SIZE);
  return { out: { ...out, data: { ...out.data, items: slice } }, page: p, pages };
}

/** "Pagina 2 van 3" and the buttons to the neighbouring pages, which make the list again from `query`. */
export function pageNavigationBlocks(page: number, pages: number, query: string, t: Translate): Block[] {
  const button = (actionId: string, label: string, to: number) => ({
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label, emoji: true },
    value: JSON.stringify({ verb: VERB_SLACK_PAGE, q: query, page: to }),
  });
  const buttons = [
    ...(page > 0 ? [button(PAGE_PREVIOUS_ACTION, t('list.previous'), page - 1)] : []),
    ...(page < pages - 1 ? [button(PAGE_NEXT_ACTION, t('list.next'), page + 1)] : []),
  ];
  return [
    { type: 'context', elements: [{ type: 'mrkdwn', text: t('list.page', { page: page + 1, pages }) }] },
    ...(buttons.length ? [{ type: 'actions', elements: buttons }] : []),
  ];
}

/** Puts the mentions in place of their tokens (the tokens are alphanumeric, the mentions checked user ids). */
function withMentions(blocks: Block[], mentions: Map<string, string>): Block[] {
  if (!mentions.size) return blocks;
  let json = JSON.stringify(blocks);
  for (const [token, mention] of mentions) json = json.split(token).join(mention);
  return JSON.parse(json) as Block[];
}

/** Renders the core's replies as Slack messages. */
export class SlackRenderer {
  constructor(
    private readonly cards: CardRenderer,
    private readonly t: Translate,
    private readonly onTruncated: (inputs: readonly string[]) => void = () => {},
  ) {}

  /** The card of a reply, expanded (for modals built from its Action.ShowCard sub-cards). */
  card(out: Outgoing & { kind: 'card' }): CardJson {
    return this.cards.render(out.template, out.data);
  }

  /** One card (or text) as one message. */
  message(out: Outgoing, options: TranslateOptions = {}): SlackMessage {
    if (out.kind === 'text') return { text: truncate(markdownToMrkdwn(out.text), 3000) };
    const { out: withReporter, mentions } = caseCardWithReporter(out);
    const t = adaptiveCardToBlocks(this.card(withReporter as Outgoing & { kind: 'card' }), options);
    if (t.truncatedChoices.length) this.onTruncated(t.truncatedChoices);
    return { text: truncate(markdownToMrkdwn(out.summary), 3000), blocks: withMentions(t.blocks, mentions) };
  }

  /**
   * A reply as Slack messages. A long list is one page with "Vorige"/"Volgende" when it can be made again (from
   * what was typed), else every page as its own message: never silently cut at Block Kit's 50 blocks.
   */
  messages(out: Outgoing, source: ListSource = {}): SlackMessage[] {
    const first = listPage(out, source.page ?? 0);
    if (first.pages <= 1) return [this.message(out)];
    const query = source.query?.trim();
    if (query && query.length <= MAX_LIST_QUERY) {
      const m = this.message(first.out);
      const nav = pageNavigationBlocks(first.page, first.pages, query, this.t);
      // A page is far under the limit; should a card ever not be, the page buttons are what must stay.
      return [{ ...m, blocks: [...(m.blocks ?? []).slice(0, LIMITS.blocks - nav.length), ...nav] }];
    }
    return Array.from({ length: first.pages }, (_, p) => this.message(listPage(out, p).out));
  }
}
