import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { translator } from '../../core/i18n/index.js';
import type { Actor, Conversation, Outgoing } from '../../core/types.js';
import type { CardJson } from '../../render/cards.js';
import { MODAL_CALLBACK_ID, VERB_CASE_SHOW } from './action-ids.js';
import {
  adaptiveCardToBlocks,
  choiceOptions,
  findChoiceSet,
  LIMITS,
  showCardSubmit,
  showCardSubmitData,
  submittedData,
} from './blocks.js';
import { truncate } from './mrkdwn.js';
import type { SlackBody } from './payload.js';
import type { SlackRenderer } from './render.js';
import type { SlackTurns } from './turns.js';

/** What a modal carries in its private_metadata: where its button was, and what its submit sends. */
export interface ModalMetadata {
  readonly channel: string;
  readonly ts?: string;
  readonly data: Record<string, unknown>;
}

/** The sub-card behind a show-card button, or the answer to show instead (a refusal, an unknown case). */
export type SubCard = { readonly card: CardJson } | { readonly instead?: Outgoing };

const CASE_ID = /^[A-Z]-\d{4}-\d{4,6}$/;

/**
 * Action.ShowCard sub-cards as modals ("Overdragen aan…", "Vraag stellen", "Afsluiten" on a case card). Nothing is
 * kept in memory: the button carries the sub-card's submit data (verb and case id), and the modal's sub-card is
 * made again from the case each time — after a restart too, and with the case's current state and choices. The
 * core checks on the way that the person may act on the case.
 */
export class SlackModals {
  constructor(
    private readonly turns: SlackTurns,
    private readonly renderer: SlackRenderer,
    private readonly client: WebClient,
  ) {}

  /** The sub-card whose submit sends `submit` (verb and case id), made again from the case. */
  async subCard(submit: Record<string, unknown>, actor: Actor, conversation: Conversation): Promise<SubCard> {
    const caseId = submit.caseId;
    if (typeof submit.verb !== 'string' || typeof caseId !== 'string' || !CASE_ID.test(caseId)) return {};
    const answers = await this.turns.capture({
      type: 'action',
      verb: VERB_CASE_SHOW,
      data: { caseId },
      actor,
      conversation,
      lang: this.turns.lang,
    });
    const caseCard = answers.find((o) => o.kind === 'card' && o.template === 'case');
    if (caseCard?.kind !== 'card') return { instead: answers[0] };
    const card = this.renderer.card(caseCard);
    const sub = ((card.actions as Record<string, unknown>[] | undefined) ?? [])
      .filter((a) => a.type === 'Action.ShowCard')
      .map((a) => a.card as CardJson)
      .find((c) => showCardSubmitData(c)?.verb === submit.verb);
    return sub ? { card: sub } : {};
  }

  /** Opens the modal of a show-card button. */
  async open(opts: {
    triggerId: string;
    title: string;
    sub: CardJson;
    metadata: ModalMetadata;
  }): Promise<void> {
    const { sub, metadata } = opts;
    const submit = showCardSubmit(sub);
    // Choice lists longer than Block Kit's 100 options (hand-over to every person in school) become searchable.
    const t = adaptiveCardToBlocks({ ...sub, actions: [] }, { externalSelects: true });
    await this.client.views.open({
      trigger_id: opts.triggerId,
      view: {
        type: 'modal',
        callback_id: MODAL_CALLBACK_ID,
        title: { type: 'plain_text', text: truncate(opts.title, 24) },
        submit: { type: 'plain_text', text: truncate(String(submit?.title ?? 'OK'), 24) },
        close: { type: 'plain_text', text: truncate(translator(this.turns.lang)('flow.cancel'), 24) },
        private_metadata: JSON.stringify(metadata),
        blocks: t.blocks as never,
      },
    });
  }

  register(app: App): void {
    // A submitted modal: its submit data with the values of its inputs, answered in the conversation of its button.
    app.view(MODAL_CALLBACK_ID, async ({ ack, body, view }) => {
      await ack();
      const meta = parseMetadata(view.private_metadata);
      if (!meta) return;
      const data = submittedData(JSON.stringify(meta.data), view.state?.values as never);
      if (!data || typeof data.verb !== 'string') return;
      const { verb, ...rest } = data;
      await this.turns.dispatch(
        {
          type: 'action',
          verb,
          data: rest,
          actor: { id: body.user.id, name: body.user.name },
          conversation: this.turns.conversation(meta.channel, body.team?.id, true),
          lang: this.turns.lang,
          sourceMessageId: meta.ts,
        },
        { channel: meta.channel, source: { ts: meta.ts, ephemeral: false } },
      );
    });

    // A searchable select in a modal asks for its options: filter the choices of the sub-card, made again.
    app.options(/.*/, async ({ ack, body }) => {
      const b = body as SlackBody;
      const meta = parseMetadata(b.view?.private_metadata);
      const user = String(b.user?.id ?? '');
      if (!meta || !user) return ack({ options: [] });
      const sub = await this.subCard(
        meta.data,
        { id: user, name: b.user?.name },
        this.turns.conversation(meta.channel, b.team?.id, true),
      );
      const choices = 'card' in sub ? findChoiceSet(sub.card, String(b.action_id ?? '')) : undefined;
      await ack({ options: matchingOptions(choices ? choiceOptions(choices) : [], String(b.value ?? '')) });
    });
  }
}

/** The options whose label contains every word typed (case and accents ignored), at most Block Kit's 100. */
export function matchingOptions<T extends { text: { text?: unknown } }>(
  options: readonly T[],
  query: string,
): T[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const words = fold(query).split(/\s+/).filter(Boolean);
  return options
    .filter((o) => {
      const label = fold(String(o.text.text ?? ''));
      return words.every((w) => label.includes(w));
    })
    .slice(0, LIMITS.options);
}

function parseMetadata(raw: unknown): ModalMetadata | undefined {
  try {
    const meta = JSON.parse(typeof raw === 'string' && raw ? raw : '{}') as Partial<ModalMetadata>;
    if (typeof meta.channel !== 'string' || !meta.data || typeof meta.data !== 'object') return undefined;
    return { channel: meta.channel, ts: typeof meta.ts === 'string' ? meta.ts : undefined, data: meta.data };
  } catch {
    return undefined;
  }
}
