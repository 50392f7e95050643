import { randomUUID } from 'node:crypto';
import { emergencyLines } from '../answers/answer-views.js';
import { type MessageSource, placeText } from '../cases/message-source.js';
import type { CaseRecord, FlowRecord, MessageRef, PlatformAddress } from '../cases/model.js';
import type { Notifier } from '../cases/notifier.js';
import type { CaseService } from '../cases/service.js';
import { formatDeadline } from '../cases/views.js';
import { ConflictError } from '../errors.js';
import type { StringKey, Translate } from '../i18n/index.js';
import { type KnowledgeBase, ROLE_IDS, type RoleId } from '../knowledge/model.js';
import { errorFields, type Logger } from '../logger.js';
import type { SchoolDirectory } from '../school/directory.js';
import type { Store } from '../storage/store.js';
import type { Incoming, IncomingAction, Lang, Outgoing, TurnContext } from '../types.js';
import type { IncidentCatalog } from './catalog.js';
import {
  cleanText,
  DRAFT_FLOW_DAYS,
  type FlowEvent,
  MAX_DESCRIPTION,
  type RejectReason,
  routeCase,
  startFlow,
  transition,
} from './flow.js';
import { flowStepCard, noticeCard, redirectCard } from './views.js';

export interface FlowHandlerDeps {
  readonly store: Store;
  readonly catalog: IncidentCatalog;
  readonly directory: SchoolDirectory;
  readonly cases: CaseService;
  readonly notifier: Notifier;
  readonly kb: KnowledgeBase;
  readonly logger: Logger;
  readonly now: () => Date;
}

/** Address of the person behind an incoming event, for private messages. */
export function addressOf(incoming: Incoming): PlatformAddress {
  return {
    platform: incoming.conversation.platform,
    userId: incoming.actor.id,
    aadObjectId: incoming.actor.aadObjectId,
    name: incoming.actor.name,
  };
}

/** Longest question to an expert, as on the form. */
export const MAX_QUESTION = 1000;

/**
 * A question as it may travel in a card to prefill the form: no control characters, no angle brackets (nothing
 * that could read as markup or a mention anywhere), not longer than the form takes.
 */
export function prefillText(text: string): string {
  return cleanText(text).replace(/[<>]/g, '').slice(0, MAX_QUESTION);
}

/**
 * Runs the teacher's escalation flow on top of the pure state machine: starts it privately, applies card
 * submissions, updates the step card in place, and hands submitted flows to the case service.
 */
export class FlowHandler {
  constructor(private readonly deps: FlowHandlerDeps) {}

  private view(t: Translate, lang: Lang) {
    return { catalog: this.deps.catalog, school: this.deps.directory.config, kb: this.deps.kb, t, lang };
  }

  /**
   * "melding" / "Melding maken": continue an unfinished flow or start one, always in a private chat. A report about a
   * message (`source`) always goes through the private chat: the action may come from any chat, even a 1:1 with a
   * colleague, and must leave no trace there.
   */
  async start(
    ctx: TurnContext,
    t: Translate,
    lang: Lang,
    suggestedSlug?: string,
    source?: MessageSource,
  ): Promise<void> {
    const { incoming } = ctx;
    const platform = incoming.conversation.platform;
    const suggestedType = suggestedSlug
      ? [...this.deps.catalog.types.values()].find((x) => x.article === suggestedSlug)?.id
      : undefined;
    const fresh = startFlow({
      id: randomUUID(),
      platform,
      reporterId: incoming.actor.id,
      reporterName: incoming.actor.name,
      reporterAad: incoming.actor.aadObjectId,
      lang: incoming.lang,
      suggestedType,
      source,
      now: this.deps.now(),
    });
    // At most one active flow per teacher: an unfinished one (also one started at the same moment) is resumed.
    let flow = await this.deps.store.flows.create({ ...fresh, version: 0 });
    const resumed = flow.id !== fresh.id;
    if (resumed && source && !flow.source) flow = (await this.patchFlow(flow.id, { source })) ?? flow;
    if (!resumed) this.deps.logger.info('flow.started', { platform, flowId: flow.id });
    const notice = resumed
      ? t('flow.resume')
      : source
        ? t('flow.fromMessage', { place: placeText(source, t) })
        : '';
    const card = flowStepCard(flow, this.view(t, lang), notice);
    if (incoming.conversation.kind === 'personal' && !source) {
      const id = await ctx.reply(card);
      if (id)
        await this.saveCardRef(flow.id, {
          platform,
          conversationId: incoming.conversation.id,
          activityId: id,
        });
      return;
    }
    // In a channel or group chat: a neutral card there, the flow itself privately.
    try {
      const ref = await this.deps.notifier.send(addressOf(incoming), card);
      await this.saveCardRef(flow.id, ref);
      await ctx.reply(redirectCard(t, false, incoming.privateChatUrl));
    } catch (err) {
      this.deps.logger.warn('flow.private_failed', { platform, ...errorFields(err) });
      await ctx.reply(redirectCard(t, true, incoming.privateChatUrl));
    }
  }

  /** Remembers where the flow's card is (screen state: the latest write wins, whatever the flow's version). */
  private async saveCardRef(flowId: string, card: MessageRef): Promise<void> {
    await this.patchFlow(flowId, { card });
  }

  /** A change that does not depend on the flow's state: re-read and write again when someone else came first. */
  private async patchFlow(flowId: string, patch: Partial<FlowRecord>): Promise<FlowRecord | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const flow = await this.deps.store.flows.get(flowId);
      if (!flow) return undefined;
      try {
        return await this.deps.store.flows.update({ ...flow, ...patch });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return undefined;
  }

  /**
   * "Vraag een expert": a short form (the question, prefilled when known, and to whom — `role` preselected when
   * someone holds it) in a private chat; from a channel a neutral card there says the rest happens privately.
   */
  async startQuestion(
    ctx: TurnContext,
    t: Translate,
    opts: { slug?: string; question?: string; role?: RoleId } = {},
  ): Promise<void> {
    const { incoming } = ctx;
    const roles = await this.questionRoles();
    const suggested = opts.slug
      ? [...this.deps.catalog.types.values()].find((x) => x.article === opts.slug)
      : undefined;
    const preferred = suggested
      ? routeCase(this.deps.catalog, suggested.id, undefined, this.deps.directory.config.routing).roles
      : [];
    // A role asked for by name ("wie is de vertrouwenspersoon") first, then the article's incident routing.
    const role =
      [...(opts.role ? [opts.role] : []), ...preferred, 'aanspreekpunt-pesten' as const].find((r) =>
        roles.includes(r),
      ) ??
      roles[0] ??
      'schoolleiding';
    const card: Outgoing = {
      kind: 'card',
      template: 'expert-question',
      summary: t('question.title'),
      data: {
        formId: randomUUID(),
        title: t('question.title'),
        intro: t('question.intro'),
        placeholder: t('question.placeholder'),
        question: prefillText(opts.question ?? ''),
        role,
        roles: roles.map((r) => ({ title: t(`role.${r}`), value: r })),
        privacy: t('question.privacy'),
        labels: {
          question: t('question.label'),
          role: t('question.role'),
          send: t('question.send'),
          report: t('answer.report'),
        },
      },
    };
    const formId = String(card.data.formId);
    if (incoming.conversation.kind === 'personal') {
      const id = await ctx.reply(card);
      const { platform, id: conversationId } = incoming.conversation;
      if (id) await this.deps.store.forms.save(formId, { platform, conversationId, activityId: id });
      return;
    }
    try {
      await this.deps.store.forms.save(formId, await this.deps.notifier.send(addressOf(incoming), card));
      await ctx.reply(redirectCard(t, false, incoming.privateChatUrl));
    } catch (err) {
      this.deps.logger.warn('question.private_failed', {
        platform: incoming.conversation.platform,
        ...errorFields(err),
      });
      await ctx.reply(redirectCard(t, true, incoming.privateChatUrl));
    }
  }

  /** Roles someone can be asked: those with a holder or a backup. */
  private async questionRoles(): Promise<RoleId[]> {
    const out: RoleId[] = [];
    for (const r of ROLE_IDS) {
      if (r === 'mentor') continue;
      const { directory } = this.deps;
      if ((await directory.holders([r])).length || (await directory.backups([r])).length) out.push(r);
    }
    return out;
  }

  /** The submitted "ask an expert" form: checked, sent as a question case, confirmed in place of the form. */
  async submitQuestion(ctx: TurnContext & { incoming: IncomingAction }, t: Translate): Promise<void> {
    const { incoming } = ctx;
    const { data } = incoming;
    const formId = typeof data.formId === 'string' ? data.formId : '';
    // The form is only ever sent in a private chat; anything else is not one of ours.
    if (incoming.conversation.kind !== 'personal' || !/^[0-9a-f-]{36}$/.test(formId)) {
      await ctx.reply({ kind: 'text', text: t('error.unknownAction') });
      return;
    }
    const raw = typeof data.question === 'string' ? data.question : '';
    const question = cleanText(raw);
    if (!question) {
      await ctx.reply({ kind: 'text', text: t('question.empty') });
      return;
    }
    if (question.length > MAX_QUESTION) {
      await ctx.reply({ kind: 'text', text: t('question.tooLong', { max: MAX_QUESTION }) });
      return;
    }
    const role = typeof data.role === 'string' ? data.role : '';
    if (!(await this.questionRoles()).includes(role as RoleId)) {
      await ctx.reply({ kind: 'text', text: t('case.invalid') });
      return;
    }
    const created = await this.deps.cases.createQuestion({
      reporter: { ...addressOf(incoming), lang: incoming.lang },
      question,
      role: role as RoleId,
      formId,
    });
    const sent = noticeCard(t('question.sent.title', { id: created.id }), [
      t('question.sent.body', { to: this.deps.cases.recipientNames(created) }),
    ]);
    await this.replaceForm(ctx, formId, sent);
  }

  /**
   * The confirmation in place of the form: the clicked card where the platform says which it was, else the place
   * remembered when the form was sent; only when neither works, a new message.
   */
  private async replaceForm(ctx: TurnContext, formId: string, out: Outgoing): Promise<void> {
    const ref = await this.deps.store.forms.take(formId);
    if (ctx.updateSource && (await ctx.updateSource(out))) return;
    if (ref) {
      try {
        await this.deps.notifier.update(ref, out);
        return;
      } catch (err) {
        this.deps.logger.debug('question.update_failed', errorFields(err));
      }
    }
    await ctx.reply(out);
  }

  /**
   * A click or submission on a step card. Two clicks at once (a double click, two devices): the first one's change
   * wins, the other is decided again on the new state (usually: "this card is out of date").
   */
  async onAction(ctx: TurnContext & { incoming: IncomingAction }, t: Translate, lang: Lang): Promise<void> {
    const { incoming } = ctx;
    const { data } = incoming;
    const flowId = typeof data.flowId === 'string' && /^[0-9a-f-]{36}$/.test(data.flowId) ? data.flowId : '';
    for (let attempt = 0; attempt < 5; attempt++) {
      const flow = flowId ? await this.deps.store.flows.get(flowId) : undefined;
      // Unknown flow, or somebody else's: answer as for an outdated card, revealing nothing.
      if (
        !flow ||
        flow.reporterId !== incoming.actor.id ||
        flow.platform !== incoming.conversation.platform
      ) {
        await ctx.reply({ kind: 'text', text: t('error.unknownAction') });
        return;
      }
      try {
        await this.apply(ctx, flow, t, lang);
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    await ctx.reply({ kind: 'text', text: t('error.generic') });
  }

  private async apply(
    ctx: TurnContext & { incoming: IncomingAction },
    flow: FlowRecord,
    t: Translate,
    lang: Lang,
  ): Promise<void> {
    const { data } = ctx.incoming;
    if (flow.status === 'submitted') {
      // Sent already (a second click, or a retry after a crash): show what was sent, never a second case.
      const sent = await this.deps.cases.findByFlow(flow.id);
      if (sent) {
        await this.show(ctx, this.sentCard(sent, t, lang), flow.id);
        return;
      }
    }
    const event = parseEvent(data);
    const rev = typeof data.rev === 'number' ? data.rev : Number(data.rev);
    if (!event || !Number.isInteger(rev)) {
      await this.show(ctx, flowStepCard(flow, this.view(t, lang), t('flow.stale')), flow.id);
      return;
    }
    const result = transition(flow, { event, rev }, { catalog: this.deps.catalog, now: this.deps.now() });
    const state: FlowRecord = { ...result.state, card: flow.card, version: flow.version };
    let notice = '';
    let written = result.state === flow;
    for (const effect of result.effects) {
      if (effect.kind === 'rejected') {
        notice = t(REJECTION_TEXT[effect.reason], { max: MAX_DESCRIPTION });
        if (effect.reason === 'closed') await ctx.reply({ kind: 'text', text: notice });
      } else if (effect.kind === 'raise-alarm') {
        notice = await this.raiseAlarm(state, t, lang);
        written = true;
      } else if (effect.kind === 'cancelled' || effect.kind === 'paused') {
        await this.deps.store.flows.update(state);
        // After an alarm the case stays: the teacher is told so, and the experts that no details will come.
        const alarm = state.danger
          ? effect.kind === 'cancelled'
            ? await this.deps.cases.withdrawDetails(flow.id)
            : await this.deps.cases.findByFlow(flow.id)
          : undefined;
        const params = { id: alarm?.id ?? '', days: DRAFT_FLOW_DAYS };
        const text =
          effect.kind === 'cancelled'
            ? t(alarm ? 'flow.cancelled.alarm' : 'flow.cancelled', params)
            : t(alarm ? 'flow.paused.alarm' : 'flow.paused', params);
        await this.show(ctx, noticeCard(text, []), flow.id);
        this.deps.logger.info(effect.kind === 'cancelled' ? 'flow.cancelled' : 'flow.paused', {
          flowId: flow.id,
        });
        return;
      } else if (effect.kind === 'create-case') {
        // The case and the flow marked as sent are one write: a flow makes one case, whatever the timing.
        const { record } = await this.deps.cases.createFromFlow(state);
        await this.show(ctx, this.sentCard(record, t, lang), flow.id);
        return;
      } else if (effect.kind === 'show-step') {
        if (!written) await this.deps.store.flows.update(state);
        await this.show(ctx, flowStepCard(state, this.view(t, lang), notice), flow.id);
      }
    }
  }

  /**
   * Acute danger: the urgent case goes out now, written with the flow; the notice on the next card says to whom.
   * Should that fail, the teacher is told to call (the flow is kept, and the case is made when they send it).
   */
  private async raiseAlarm(state: FlowRecord, t: Translate, lang: Lang): Promise<string> {
    try {
      const { record, created } = await this.deps.cases.raiseAlarm(state);
      // Pressed again after going back: the case exists, the flow still has to be written.
      if (!created) {
        await this.deps.store.flows.update(state);
        return t('flow.alarm.already', { id: record.id });
      }
      return t('flow.alarm.sent', { id: record.id, to: this.deps.cases.recipientNames(record, lang) });
    } catch (err) {
      if (err instanceof ConflictError) throw err;
      this.deps.logger.error('flow.alarm_failed', { flowId: state.id, ...errorFields(err) });
      await this.deps.store.flows.update(state);
      return t('flow.alarm.failed');
    }
  }

  /**
   * The confirmation that replaces the review card: to whom it went, by when someone takes it up, and whom to call
   * when the chat is not enough (out of school hours, acute danger).
   */
  private sentCard(c: CaseRecord, t: Translate, lang: Lang): Outgoing {
    const school = this.deps.directory.config;
    const now = this.deps.now();
    const lines = [t('flow.sent.body', { to: this.deps.cases.recipientNames(c, lang) })];
    if (c.danger && c.timeline.some((e) => e.action === 'details')) lines.unshift(t('flow.sent.updated'));
    if (c.status === 'open' && c.deadlineAt)
      lines.push(t('flow.sent.deadline', { when: formatDeadline(c.deadlineAt, now, school, t, lang) }));
    else if (c.urgent) lines.push(t('flow.sent.urgent', { minutes: school.deadlines.urgentMinutes }));
    // A report about an acute concern (suicide, a threat, a missing pupil) repeats that concern's emergency lines.
    const article = this.deps.catalog.types.get(c.type)?.article;
    const concern = this.deps.kb.acute.find((x) => x.article === article);
    lines.push(...emergencyLines(concern?.lines ?? [], t));
    if (c.urgent || !this.deps.cases.isSchoolTime(now))
      lines.push(t('flow.sent.afterHours', { contact: school.crisisContact }));
    return noticeCard(t('flow.sent.title', { id: c.id }), lines, { urgent: c.urgent });
  }

  /**
   * Update the step card in place: the clicked message where the platform says which it was, else the flow's
   * own card; only when neither works, a new message (which becomes the flow's card).
   */
  private async show(ctx: TurnContext, out: Outgoing, flowId: string): Promise<void> {
    if (ctx.updateSource && (await ctx.updateSource(out))) return;
    const flow = await this.deps.store.flows.get(flowId);
    if (flow?.card) {
      try {
        await this.deps.notifier.update(flow.card, out);
        return;
      } catch (err) {
        this.deps.logger.debug('flow.update_failed', errorFields(err));
      }
    }
    const id = await ctx.reply(out);
    if (flow && id) {
      const { platform, id: conversationId } = ctx.incoming.conversation;
      await this.saveCardRef(flow.id, { platform, conversationId, activityId: id });
    }
  }
}

const REJECTION_TEXT: Record<RejectReason, StringKey> = {
  stale: 'flow.stale',
  invalid: 'case.invalid',
  closed: 'flow.none',
  'missing-type': 'flow.type.missing',
  'missing-involved': 'flow.involved.missing',
  'empty-description': 'flow.description.empty',
  'too-long': 'flow.description.tooLong',
};

function parseEvent(data: Readonly<Record<string, unknown>>): FlowEvent | undefined {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  switch (data.event) {
    case 'danger':
      return data.value === 'yes' || data.value === 'no'
        ? { kind: 'danger', value: data.value === 'yes' }
        : undefined;
    case 'type':
      return { kind: 'type', value: str(data.value) };
    case 'involved':
      return { kind: 'involved', value: str(data.value) };
    case 'checklist': {
      const raw = data.checked;
      const list = Array.isArray(raw) ? raw.map(String) : str(raw).split(',');
      return {
        kind: 'checklist',
        checked: list
          .map((x) => x.trim())
          .filter(Boolean)
          .slice(0, 50),
      };
    }
    case 'description':
      return { kind: 'description', text: str(data.description).slice(0, 5000) };
    case 'submit':
      return { kind: 'submit' };
    case 'back':
      return { kind: 'back' };
    // 'cancel': "Stoppen" on cards sent before it asked for confirmation.
    case 'stop':
    case 'cancel':
      return { kind: 'stop' };
    case 'resume':
      return { kind: 'resume' };
    case 'stop-confirmed':
      return data.value === 'keep' || data.value === 'discard'
        ? { kind: 'stop-confirmed', keepDraft: data.value === 'keep' }
        : undefined;
    default:
      return undefined;
  }
}
