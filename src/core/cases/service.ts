import { randomUUID } from 'node:crypto';
import { ConflictError, StoreError } from '../errors.js';
import type { IncidentCatalog } from '../escalation/catalog.js';
import { noticeCard } from '../escalation/views.js';
import { type StringKey, translator } from '../i18n/index.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import { errorFields, type Logger } from '../logger.js';
import { isSchoolTime, takeUpDeadline } from '../school/calendar.js';
import type { SchoolDirectory } from '../school/directory.js';
import type { Person } from '../school/school.js';
import type { Store } from '../storage/store.js';
import type { Lang, Outgoing } from '../types.js';
import { renderAlert } from './alert-message.js';
import { type AlertChannels, type AlertRule, type AlertSender, withAlerts } from './alerts.js';
import {
  type CaseActor,
  type CaseCommand,
  type CasePolicy,
  decide,
  isExpert,
  type Notice,
  type Refusal,
} from './decide.js';
import { OutboxDispatcher } from './dispatcher.js';
import type { CaseRecord, FlowRecord, OutboxItem, PlatformAddress } from './model.js';
import {
  alarmCase,
  caseFromFlow,
  caseNumber,
  legalDeadline,
  questionCase,
  sequenceName,
} from './new-case.js';
import { renderNotice } from './notices.js';
import type { Notifier } from './notifier.js';
import { type CaseViewContext, caseCard, caseExportText, personName, targetLabel } from './views.js';

export interface CaseServiceDeps {
  readonly store: Store;
  readonly notifier: Notifier;
  readonly catalog: IncidentCatalog;
  readonly directory: SchoolDirectory;
  readonly logger: Logger;
  /** The language of the school: for people whose own language is not known. */
  readonly lang: Lang;
  readonly now: () => Date;
  /** Dates without school from the holiday calendar, on top of the school's own closed dates. */
  readonly closedDates?: () => ReadonlySet<string>;
  /** This process, as the owner of outbox claims (unique per instance). */
  readonly instanceId?: string;
  /** A question as it may be kept for knowledge editors: the same `gapText` the bot uses for its gaps. */
  readonly gapText: (question: string) => string;
  /** Urgent-case alerts outside chat (e-mail, webhook); off without. */
  readonly alerts?: CaseAlerts;
}

/** The alert channels that are on, what sends them, and the server's public address for the link. */
export interface CaseAlerts {
  readonly channels: AlertChannels;
  readonly sender: AlertSender;
  readonly publicUrl?: string;
}

/** An action from a card or the workspace, as it arrives (strings unchecked). */
export type CaseAction =
  | { readonly kind: 'take' }
  | { readonly kind: 'handover'; readonly target: string; readonly reason?: string }
  | { readonly kind: 'ask'; readonly question: string }
  | { readonly kind: 'answer'; readonly answer: string; readonly replyTo?: string }
  | { readonly kind: 'note'; readonly text: string }
  | { readonly kind: 'close'; readonly outcome: string; readonly note?: string }
  | { readonly kind: 'export' }
  | { readonly kind: 'show' };

export type ActResult =
  | {
      readonly ok: true;
      readonly message: string;
      readonly card?: Outgoing;
      readonly record?: CaseRecord;
      /** For "Exporteren voor dossier": the case as plain text for the pupil's file. */
      readonly exportText?: string;
    }
  | { readonly ok: false; readonly message: string; readonly reason: Refusal | 'unknown' };

/** Who acts: the person from the school config (experts) and their chat identity (reporters). */
export interface CaseWho {
  readonly person?: Person;
  readonly platform: string;
  readonly userId: string;
  readonly lang?: Lang;
}

const CASE_ID = /^[MV]-\d{4}-\d{4,6}$/;
const MAX_CONFLICT_RETRIES = 8;

/** What each refusal says to the person who tried. */
const REFUSAL_TEXT: Record<Refusal | 'unknown', StringKey> = {
  unknown: 'case.unknown',
  'not-allowed': 'case.refused',
  closed: 'case.alreadyClosed',
  'already-taken': 'case.alreadyTaken',
  invalid: 'case.invalid',
  'empty-text': 'case.emptyText',
  'no-open-question': 'case.noOpenQuestion',
  'already-answered': 'case.alreadyAnswered',
  'not-exportable': 'case.invalid',
  'not-due': 'case.invalid',
};

/**
 * The command layer for cases: reads a case, lets the pure `decide()` say what changes, and writes the change
 * with its notifications in one conditional write, retrying when someone else changed the case in between. The
 * outbox dispatcher then delivers, each notification in its recipient's language.
 */
export class CaseService {
  readonly dispatcher: OutboxDispatcher;
  /** Which alerts a change brings (see `alertNotices`); undefined when alerts are off. */
  private readonly alertRule?: AlertRule;

  constructor(private readonly deps: CaseServiceDeps) {
    const alerts = deps.alerts;
    this.dispatcher = new OutboxDispatcher({
      store: deps.store,
      notifier: deps.notifier,
      logger: deps.logger,
      now: deps.now,
      owner: deps.instanceId ?? randomUUID(),
      addressOf: (c, who) => this.addressOf(c, who),
      render: (c, item, to) => renderNotice(c, item, this.viewContext(to.lang)),
      record: (caseId, command, write) => this.record(caseId, command, write),
      alerts: alerts && {
        sender: alerts.sender,
        render: (c, item) =>
          renderAlert(c, item, {
            ...alerts,
            now: deps.now(),
            person: (id) => deps.directory.person(id),
            view: (lang) => this.viewContext(lang),
          }),
      },
    });
    this.alertRule = alerts && {
      channels: alerts.channels,
      hasEmail: (id) => Boolean(deps.directory.person(id)?.email),
    };
  }

  private get school() {
    return this.deps.directory.config;
  }

  viewContext(lang: Lang = this.deps.lang): CaseViewContext {
    return { catalog: this.deps.catalog, school: this.school, t: translator(lang), lang, now: this.deps.now };
  }

  /** The school's rules as data, with the role holders admins set in chat. */
  async policy(): Promise<CasePolicy> {
    const { directory } = this.deps;
    const roles: Partial<Record<RoleId, { holders: readonly string[]; backup: readonly string[] }>> = {};
    for (const r of ROLE_IDS) roles[r] = await directory.assignment(r);
    const school = this.school;
    const closed = this.deps.closedDates?.();
    return {
      roles,
      admins: school.admins,
      isPerson: (id) => school.people.has(id),
      takeUpDeadline: (now, urgent) => takeUpDeadline(school, now, urgent, closed),
      stepInterval: (urgent) =>
        (urgent ? school.escalation.urgentIntervalMinutes : school.escalation.normalIntervalMinutes) * 60_000,
      ladder: school.escalation.steps,
    };
  }

  /** The outbox rows of a change: its notices, with the alerts they bring for an urgent case (every path). */
  private outboxItems(
    c: Pick<CaseRecord, 'id' | 'urgent' | 'status'>,
    notices: readonly Notice[],
  ): OutboxItem[] {
    const at = this.deps.now().toISOString();
    return withAlerts(c, notices, this.alertRule).map((n) => ({
      id: randomUUID(),
      caseId: c.id,
      ...n,
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
    }));
  }

  /**
   * "Ja, acuut gevaar": an urgent case goes to the schoolleiding and the crisis team at once, written together with
   * the flow (which stays active: the teacher goes on to fill it in). Pressing it again finds the same case.
   */
  async raiseAlarm(flow: FlowRecord): Promise<{ record: CaseRecord; created: boolean }> {
    const now = this.deps.now();
    const { draft, notices } = alarmCase(flow, this.school.crisisTeam, await this.policy(), now);
    const result = await this.create('incident', draft, notices, now, flow);
    if (result.created) this.deps.logger.info('case.alarm', { caseId: result.record.id });
    return result;
  }

  /**
   * Creates the case of a submitted flow with its first notifications, and marks the flow as sent, in one write.
   * A flow makes at most one case: a second submit (double click, retry after a crash, another instance) gets the
   * first case back, whatever the timing. A flow that raised the alarm completes that case instead.
   */
  async createFromFlow(flow: FlowRecord): Promise<{ record: CaseRecord; created: boolean }> {
    const now = this.deps.now();
    const policy = await this.policy();
    const { draft, notices } = caseFromFlow(flow, this.deps.catalog, this.school, policy, now);
    const sent: FlowRecord = {
      ...flow,
      status: 'submitted',
      description: undefined,
      updatedAt: now.toISOString(),
    };
    const made = await this.create('incident', draft, notices, now, sent);
    if (made.created) return made;
    // The flow has a case already: sent before (a second click), or raised as an alarm that these details complete
    // (whatever the danger answer says now).
    const alarm = made.record;
    const { type, involved, meldplicht, description, checked, roles } = draft;
    // The school knew when the alarm went out: a legal clock runs from then.
    const legalDeadlineAt = legalDeadline(this.deps.catalog, type, new Date(alarm.createdAt));
    const details = { type, involved, meldplicht, legalDeadlineAt, description, checked, roles };
    const result = alarm.pending
      ? await this.change(alarm.id, { kind: 'reporter' }, { kind: 'details', details })
      : undefined;
    const record = result?.ok ? result.record : alarm;
    if (result?.ok) await this.refreshCards(record);
    await this.markSent(sent);
    return { record, created: false };
  }

  /**
   * The teacher threw away a report after its alarm went out: the alarm case stays (someone must still act on it) and
   * says that no details will follow.
   */
  async withdrawDetails(flowId: string): Promise<CaseRecord | undefined> {
    const alarm = await this.deps.store.cases.findByForm(flowId);
    if (!alarm?.pending) return alarm;
    const result = await this.change(alarm.id, { kind: 'reporter' }, { kind: 'details-withdrawn' });
    if (!result.ok) return alarm;
    await this.refreshCards(result.record);
    return result.record;
  }

  /** The flow marked as sent (its description dropped: the case holds it now), whatever changed it meanwhile. */
  private async markSent(sent: FlowRecord): Promise<void> {
    for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      const current = await this.deps.store.flows.get(sent.id);
      if (!current || current.status !== 'active') return;
      try {
        await this.deps.store.flows.update({ ...sent, card: current.card, version: current.version });
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
  }

  /**
   * A staff member's question to an expert: sent to the holders of the chosen role like a case, with the same
   * take-up deadline, reminders and escalation. Sending the same form twice returns the first question.
   */
  async createQuestion(input: {
    readonly reporter: PlatformAddress;
    readonly question: string;
    readonly role: RoleId;
    readonly formId: string;
  }): Promise<CaseRecord> {
    const now = this.deps.now();
    const { draft, notices } = questionCase(input, await this.policy(), now);
    const result = await this.create('question', draft, notices, now);
    if (result.created) {
      // For the knowledge editors (`vangnet kb gaps`): what staff ask people rather than Vangnet, in known words only.
      await this.deps.store.gaps.add({
        at: now.toISOString(),
        reason: 'asked-expert',
        query: this.deps.gapText(input.question),
        platform: input.reporter.platform,
      });
    }
    return result.record;
  }

  private async create(
    kind: 'incident' | 'question',
    draft: Omit<CaseRecord, 'id' | 'version'>,
    notices: readonly Notice[],
    now: Date,
    /** The flow as it must be written with the case (conditional on its version). */
    flow?: FlowRecord,
  ): Promise<{ record: CaseRecord; created: boolean }> {
    const year = now.getUTCFullYear();
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.deps.store.cases.create({
          sequence: sequenceName(kind, year),
          formId: draft.formId ?? randomUUID(),
          flow,
          build: (seq) => {
            const id = caseNumber(kind, year, seq);
            return { record: { ...draft, id }, outbox: this.outboxItems({ ...draft, id }, notices) };
          },
        });
        if (result.created) {
          const r = result.record;
          this.deps.logger.info('case.created', {
            caseId: r.id,
            type: r.type,
            urgent: r.urgent,
            recipients: r.recipients.length,
          });
          this.dispatcher.kick();
        }
        return result;
      } catch (err) {
        // The flow changed under us (a click on another card): the case, if any, is what counts.
        if (!(err instanceof ConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw err;
        if (flow) {
          const current = await this.deps.store.flows.get(flow.id);
          if (!current) throw err;
          flow = { ...current, ...flow, version: current.version };
        }
      }
    }
  }

  /** Whether `at` is in school hours, holidays from the calendar counted (the same days deadlines skip). */
  isSchoolTime(at: Date): boolean {
    return isSchoolTime(this.school, at, this.deps.closedDates?.());
  }

  /** The case a flow or form made, if any. */
  findByFlow(formId: string): Promise<CaseRecord | undefined> {
    return this.deps.store.cases.findByForm(formId);
  }

  /** Names of the people a case currently goes to, for the reporter's confirmation. */
  recipientNames(c: CaseRecord, lang: Lang = this.deps.lang): string {
    const t = translator(lang);
    const roles = c.roles.map((r) => t(`role.${r}`)).join(', ');
    const names = c.recipients.map((p) => personName(this.school, p)).join(', ');
    return names ? `${roles} (${names})` : roles;
  }

  /** May this person act on this case as an expert? */
  async isExpert(c: CaseRecord, person: Person | undefined): Promise<boolean> {
    return isExpert(c, person?.id, await this.policy());
  }

  isReporter(c: CaseRecord, platform: string, userId: string): boolean {
    return c.reporter.platform === platform && c.reporter.userId === userId;
  }

  /** How to reach a case's reporter or one of its people, in their language. */
  private addressOf(c: CaseRecord, who: string): PlatformAddress | undefined {
    if (who === 'reporter') return c.reporter;
    const address = this.deps.directory.address(who, c.reporter.platform);
    return address && { ...address, lang: address.lang ?? this.deps.lang };
  }

  /**
   * Reads, decides, writes; again when someone else changed the case first. `write` persists the decision (by
   * default a conditional case update with its notifications).
   */
  private async change(
    caseId: string,
    actor: CaseActor,
    command: CaseCommand,
  ): Promise<{ ok: true; record: CaseRecord } | { ok: false; reason: Refusal | 'unknown' }> {
    for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      const c = await this.deps.store.cases.get(caseId);
      if (!c) return { ok: false, reason: 'unknown' };
      const d = decide(c, command, actor, await this.policy(), this.deps.now(), randomUUID);
      if (!d.ok) return d;
      try {
        const stored = await this.deps.store.cases.update(d.next, this.outboxItems(d.next, d.notices), {
          dropOutbox: command.kind === 'anonymise',
        });
        if (d.notices.length) this.dispatcher.kick();
        return { ok: true, record: stored };
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new StoreError(`Case ${caseId} keeps changing; gave up after ${MAX_CONFLICT_RETRIES} tries`);
  }

  /** The dispatcher's way to record a delivery: the same decide loop, written with the outbox change. */
  private async record(
    caseId: string,
    command: CaseCommand,
    write: (next: CaseRecord | undefined, more: readonly OutboxItem[]) => Promise<boolean>,
  ): Promise<void> {
    for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
      const c = await this.deps.store.cases.get(caseId);
      const d = c
        ? decide(c, command, { kind: 'system' }, await this.policy(), this.deps.now(), randomUUID)
        : undefined;
      const changed = d?.ok && d.next !== c ? d.next : undefined;
      try {
        await write(changed, d?.ok && c ? this.outboxItems(d.next, d.notices) : []);
        return;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    throw new StoreError(`Case ${caseId} keeps changing; gave up recording a delivery`);
  }

  /**
   * An expert's or reporter's action on a case. Unknown cases, unauthorised people and actions that do not fit
   * the case's state (a late press on a closed case, a second answer to one question) are refused with a message
   * in the actor's language and change nothing.
   */
  async act(caseId: string, who: CaseWho, action: CaseAction): Promise<ActResult> {
    const lang = who.lang ?? this.deps.lang;
    const ctx = this.viewContext(lang);
    const { t } = ctx;
    const refused = (reason: Refusal | 'unknown', c?: CaseRecord): ActResult => {
      if (reason === 'not-allowed') this.deps.logger.warn('case.refused', { caseId: c?.id ?? '' });
      return {
        ok: false,
        reason,
        // An empty hand-over means a missing reason; any other empty text is just empty.
        message: t(
          reason === 'empty-text' && action.kind === 'handover' ? 'case.emptyReason' : REFUSAL_TEXT[reason],
          {
            name: personName(this.school, c?.assignee),
          },
        ),
      };
    };
    const c = CASE_ID.test(caseId) ? await this.deps.store.cases.get(caseId) : undefined;
    if (!c) return refused('unknown');
    const reporter = this.isReporter(c, who.platform, who.userId);
    const expert = isExpert(c, who.person?.id, await this.policy());
    if (action.kind === 'show') {
      if (!expert || c.anonymised) return refused(c.anonymised ? 'unknown' : 'not-allowed', c);
      return { ok: true, message: '', card: caseCard(c, ctx), record: c };
    }
    const actor: CaseActor =
      action.kind === 'answer'
        ? reporter
          ? { kind: 'reporter' }
          : { kind: 'expert', personId: '' }
        : expert && who.person
          ? { kind: 'expert', personId: who.person.id }
          : { kind: 'expert', personId: '' };
    if (actor.kind === 'expert' && !actor.personId) return refused('not-allowed', c);
    const command = toCommand(action);
    const result = await this.change(caseId, actor, command);
    if (!result.ok) {
      const current = await this.deps.store.cases.get(caseId);
      return refused(result.reason, current ?? c);
    }
    const next = result.record;
    await this.refreshCards(next);
    if (action.kind === 'answer') await this.closeAnsweredForm(next);
    const done: Record<Exclude<CaseAction['kind'], 'show'>, string> = {
      take: t('case.taken.you', { id: c.id }),
      handover: t('case.handedOver.you', { id: c.id, to: handoverLabel(next, ctx) }),
      ask: t(c.kind === 'question' ? 'question.answered.you' : 'case.asked.you'),
      answer: t('case.answered.you'),
      note: t('case.noted.you', { id: c.id }),
      close: t('case.closed.you', { id: c.id }),
      export: '',
    };
    const exportText = action.kind === 'export' ? caseExportText(next, ctx) : undefined;
    return { ok: true, message: done[action.kind], record: next, exportText };
  }

  /**
   * The case card as it is now, for one viewer: what a refresh or the pressed copy of a card shows (Universal
   * Actions, "Bekijken"), with an optional line on what just happened. Undefined for an unknown case and for anyone
   * who may not see it.
   */
  async cardFor(
    caseId: string,
    who: Pick<CaseWho, 'person' | 'lang'>,
    notice = '',
  ): Promise<Outgoing | undefined> {
    const c = CASE_ID.test(caseId) ? await this.deps.store.cases.get(caseId) : undefined;
    if (!c || c.anonymised || !isExpert(c, who.person?.id, await this.policy())) return undefined;
    return caseCard(c, this.viewContext(who.lang), notice);
  }

  /** Every expert's copy of the case card shows the case as it is now (best effort; Teams also refreshes). */
  private async refreshCards(c: CaseRecord): Promise<void> {
    const policy = await this.policy();
    for (const { who, ref } of c.cards) {
      if (who === 'reporter' || who.startsWith('question:')) continue;
      const lang = this.deps.directory.address(who, ref.platform)?.lang ?? this.deps.lang;
      const ctx = this.viewContext(lang);
      // Someone the case no longer goes to (the crisis team once it turned out a meldplicht case) keeps no details.
      const card = isExpert(c, who, policy)
        ? caseCard(c, ctx)
        : noticeCard(ctx.t('case.noLongerYours', { id: c.id }), []);
      await this.deps.notifier.update(ref, card).catch((err) => {
        this.deps.logger.warn('case.update_failed', { caseId: c.id, ...errorFields(err) });
      });
    }
  }

  /** The reporter's answered form becomes a plain notice: it cannot be sent twice. */
  private async closeAnsweredForm(c: CaseRecord): Promise<void> {
    const answer = c.timeline.at(-1);
    const card = c.cards.find((x) => x.who === `question:${answer?.ref}`);
    if (!card) return;
    const t = translator(c.reporter.lang ?? this.deps.lang);
    await this.deps.notifier
      .update(card.ref, noticeCard(t('reporter.answered.title', { id: c.id }), [answer?.text ?? '']))
      .catch((err) => this.deps.logger.debug('case.form_update_failed', errorFields(err)));
  }

  /** Delivers every queued notification that is due; failures are rescheduled with backoff. */
  deliverDue(): Promise<{ sent: number; failed: number }> {
    return this.dispatcher.run();
  }

  /** Reminders and escalation for cases nobody took up in time; safe to run on several instances at once. */
  async checkDeadlines(): Promise<number> {
    const due = await this.deps.store.cases.list({ dueBy: this.deps.now().toISOString() });
    let changed = 0;
    for (const c of due)
      if ((await this.change(c.id, { kind: 'system' }, { kind: 'deadline' })).ok) changed++;
    return changed;
  }

  /** Closed cases past the retention period lose every text about people; facts for statistics stay. */
  async applyRetention(): Promise<number> {
    const cutoff = new Date(this.deps.now().getTime() - this.school.retentionDays * 86_400_000).toISOString();
    let n = 0;
    for (const c of await this.deps.store.cases.list({ closedBefore: cutoff }))
      if ((await this.change(c.id, { kind: 'system' }, { kind: 'anonymise' })).ok) n++;
    if (n) this.deps.logger.info('case.retention', { anonymised: n });
    return n;
  }

  /** One scheduler round: deliver, escalate, apply retention. */
  async tick(): Promise<void> {
    await this.deliverDue();
    await this.checkDeadlines();
    await this.applyRetention();
    await this.deliverDue();
  }
}

function toCommand(action: Exclude<CaseAction, { kind: 'show' }>): CaseCommand {
  switch (action.kind) {
    case 'take':
      return { kind: 'take' };
    case 'handover':
      return { kind: 'handover', target: action.target, reason: action.reason ?? '' };
    case 'ask':
      return { kind: 'ask', text: action.question };
    case 'answer':
      return { kind: 'answer', text: action.answer, replyTo: action.replyTo || undefined };
    case 'note':
      return { kind: 'note', text: action.text };
    case 'close':
      return { kind: 'close', outcome: action.outcome, note: action.note };
    case 'export':
      return { kind: 'export' };
  }
}

/** Whom the case was just handed to, for the expert's confirmation. */
function handoverLabel(c: CaseRecord, ctx: CaseViewContext): string {
  return targetLabel([...c.timeline].reverse().find((e) => e.action === 'handed-over')?.note ?? '', ctx);
}

export { retryDelayMs } from './dispatcher.js';
