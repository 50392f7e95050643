import { randomUUID } from 'node:crypto';
import type { IncidentCatalog } from '../escalation/catalog.js';
import { cleanText, type FlowState, routeCase } from '../escalation/flow.js';
import { noticeCard } from '../escalation/views.js';
import type { Translate } from '../i18n/index.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import { errorFields, type Logger } from '../logger.js';
import { scrubPersonalData } from '../privacy.js';
import { escalationInterval, takeUpDeadline } from '../school/calendar.js';
import type { SchoolDirectory } from '../school/directory.js';
import type { Person } from '../school/school.js';
import type { Store } from '../storage/store.js';
import type { Lang, Outgoing } from '../types.js';
import {
  CASE_OUTCOMES,
  type CaseOutcome,
  type CaseRecord,
  type MessageRef,
  type OutboxItem,
  type OutboxKind,
  type PlatformAddress,
  type TimelineEntry,
} from './model.js';
import { DeliveryError, type Notifier } from './notifier.js';
import { type CaseViewContext, caseCard, caseExportText, personName } from './views.js';

export interface CaseServiceDeps {
  readonly store: Store;
  readonly notifier: Notifier;
  readonly catalog: IncidentCatalog;
  readonly directory: SchoolDirectory;
  readonly logger: Logger;
  readonly t: Translate;
  readonly lang: Lang;
  readonly now: () => Date;
  /** Dates without school from the holiday calendar, on top of the school's own closed dates. */
  readonly closedDates?: () => ReadonlySet<string>;
}

export type CaseAction =
  | { readonly kind: 'take' }
  | { readonly kind: 'handover'; readonly target: string }
  | { readonly kind: 'ask'; readonly question: string }
  | { readonly kind: 'answer'; readonly answer: string }
  | { readonly kind: 'close'; readonly outcome: string; readonly note?: string }
  | { readonly kind: 'export' }
  | { readonly kind: 'show' };

export type ActResult =
  | { readonly ok: true; readonly message: string; readonly card?: Outgoing; readonly exportText?: string }
  | { readonly ok: false; readonly message: string };

/** Retry delays for notifications that could not be delivered: 30 s, 1, 2, 4 … up to 30 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

const MAX_TEXT = 1000;

/**
 * Cases: created from a submitted flow, routed to role holders, delivered through an outbox that survives
 * restarts, acted on by authorised people only, escalated when nobody reacts, anonymised after retention.
 * A case is stored before anyone is notified; notifications are retried until they arrive.
 */
export class CaseService {
  private delivering = false;

  constructor(private readonly deps: CaseServiceDeps) {}

  private get school() {
    return this.deps.directory.config;
  }

  viewContext(): CaseViewContext {
    return { catalog: this.deps.catalog, school: this.school, t: this.deps.t, lang: this.deps.lang };
  }

  private entry(by: string, action: TimelineEntry['action'], note?: string): TimelineEntry {
    return { at: this.deps.now().toISOString(), by, action, note };
  }

  /** The next number: M-2026-0001 for incidents, V-2026-0001 for questions, each counted per year. */
  private async nextId(prefix: 'M' | 'V'): Promise<string> {
    const year = this.deps.now().getUTCFullYear();
    const seq = await this.deps.store.nextSequence(prefix === 'M' ? `case-${year}` : `question-${year}`);
    return `${prefix}-${year}-${String(seq).padStart(4, '0')}`;
  }

  /** The role holders; without any, their backups; without those, the schoolleiding. */
  private async recipientsFor(roles: readonly RoleId[]): Promise<string[]> {
    let recipients = await this.deps.directory.holders(roles);
    if (recipients.length === 0) recipients = await this.deps.directory.backups(roles);
    if (recipients.length === 0) recipients = await this.deps.directory.holders(['schoolleiding']);
    return recipients;
  }

  /** The case sent earlier from this flow or form by this person, if any. */
  private async sentFrom(formId: string, reporter: PlatformAddress): Promise<CaseRecord | undefined> {
    return (await this.deps.store.listCases()).find(
      (c) =>
        c.formId === formId &&
        c.reporter.platform === reporter.platform &&
        c.reporter.userId === reporter.userId,
    );
  }

  /**
   * Creates the case of a submitted flow, queues its notifications and tries to deliver them at once. A flow that
   * already made its case returns that case.
   */
  async createFromFlow(flow: FlowState): Promise<CaseRecord> {
    const earlier = await this.sentFrom(flow.id, { platform: flow.platform, userId: flow.reporterId });
    if (earlier) return earlier;
    const now = this.deps.now();
    if (!flow.type) throw new Error('flow has no type');
    const route = routeCase(this.deps.catalog, flow.type, flow.involved, this.school.routing);
    const id = await this.nextId('M');
    const recipients = await this.recipientsFor(route.roles);
    const record: CaseRecord = {
      id,
      formId: flow.id,
      status: 'open',
      type: flow.type,
      involved: flow.involved,
      urgent: flow.urgent,
      danger: flow.danger === true,
      meldplicht: route.meldplicht,
      description: flow.description ?? '',
      checked: flow.checked,
      reporter: {
        platform: flow.platform,
        userId: flow.reporterId,
        aadObjectId: flow.reporterAad,
        name: flow.reporterName,
      },
      roles: route.roles,
      recipients,
      createdAt: now.toISOString(),
      deadlineAt: takeUpDeadline(this.school, now, flow.urgent, this.deps.closedDates?.()).toISOString(),
      escalation: 0,
      timeline: [this.entry('reporter', 'created')],
      cards: [],
      source: flow.source,
    };
    return this.open(record);
  }

  /**
   * A staff member's question to an expert: sent to the holders of the chosen role like a case, with the same
   * take-up deadline, reminders and escalation; the expert's answer is relayed to the asker. Sending the same
   * form twice returns the first question.
   */
  async createQuestion(input: {
    readonly reporter: PlatformAddress;
    readonly question: string;
    readonly role: RoleId;
    readonly formId: string;
  }): Promise<CaseRecord> {
    const earlier = await this.sentFrom(input.formId, input.reporter);
    if (earlier) return earlier;
    const now = this.deps.now();
    const question = clean(input.question);
    const recipients = await this.recipientsFor([input.role]);
    // For the knowledge editors (`vangnet kb gaps`): what staff ask people rather than Vangnet, scrubbed.
    await this.deps.store.addGap({
      at: now.toISOString(),
      reason: 'asked-expert',
      query: scrubPersonalData(question),
      platform: input.reporter.platform,
    });
    return this.open({
      id: await this.nextId('V'),
      kind: 'question',
      formId: input.formId,
      status: 'open',
      type: 'vraag',
      urgent: false,
      danger: false,
      meldplicht: false,
      description: question,
      checked: [],
      reporter: input.reporter,
      roles: [input.role],
      recipients,
      createdAt: now.toISOString(),
      deadlineAt: takeUpDeadline(this.school, now, false, this.deps.closedDates?.()).toISOString(),
      escalation: 0,
      timeline: [this.entry('reporter', 'created')],
      cards: [],
    });
  }

  /**
   * Stores a new case with its first notifications in one write, before anyone is notified: after a crash at any
   * point the case exists and the outbox still holds what must be delivered. Then tries to deliver at once.
   */
  private async open(record: CaseRecord): Promise<CaseRecord> {
    await this.deps.store.saveCase(
      record,
      record.recipients.map((to) => this.notice(record.id, 'case-card', to)),
    );
    this.deps.logger.info('case.created', {
      caseId: record.id,
      type: record.type,
      urgent: record.urgent,
      recipients: record.recipients.length,
    });
    await this.deliverDue();
    return (await this.deps.store.getCase(record.id)) ?? record;
  }

  /** "melding" or "vraag", for messages that speak of the case. */
  private noun(c: CaseRecord): string {
    return this.deps.t(c.kind === 'question' ? 'case.noun.question' : 'case.noun.incident');
  }

  /** Names of the people a case currently goes to, for the reporter's confirmation. */
  recipientNames(c: CaseRecord): string {
    const roles = c.roles.map((r) => this.deps.t(`role.${r}`)).join(', ');
    const names = c.recipients.map((p) => personName(this.school, p)).join(', ');
    return names ? `${roles} (${names})` : roles;
  }

  /** A notification to queue with the case change that causes it (saved in the same write). */
  private notice(caseId: string, kind: OutboxKind, to: string, text?: string): OutboxItem {
    const at = this.deps.now().toISOString();
    return { id: randomUUID(), caseId, kind, to, text, attempts: 0, nextAttemptAt: at, createdAt: at };
  }

  /** Delivers every queued notification that is due; failures are rescheduled with backoff. */
  async deliverDue(): Promise<{ sent: number; failed: number }> {
    if (this.delivering) return { sent: 0, failed: 0 };
    this.delivering = true;
    let sent = 0;
    let failed = 0;
    try {
      const now = this.deps.now();
      const due = (await this.deps.store.listOutbox())
        .filter((o) => o.nextAttemptAt <= now.toISOString())
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      for (const item of due) {
        if (await this.deliver(item)) sent++;
        else failed++;
      }
    } finally {
      this.delivering = false;
    }
    return { sent, failed };
  }

  private async deliver(item: OutboxItem): Promise<boolean> {
    const c = await this.deps.store.getCase(item.caseId);
    if (!c) {
      await this.deps.store.removeOutbox(item.id);
      return true;
    }
    const address = this.addressOf(c, item.to);
    try {
      if (!address) throw new DeliveryError('no-address', 'no address for recipient');
      const out = this.render(c, item);
      const ref = await this.deps.notifier.send(address, out);
      await this.deps.store.removeOutbox(item.id);
      if (
        item.kind === 'case-card' ||
        (item.kind === 'reporter-update' && !c.cards.some((x) => x.who === 'reporter'))
      ) {
        await this.saveCard(c.id, item.to, ref);
      }
      if (item.kind === 'case-card')
        await this.appendTimeline(c.id, this.entry('system', 'delivered', personName(this.school, item.to)));
      this.deps.logger.info('case.delivered', { caseId: c.id, kind: item.kind });
      return true;
    } catch (err) {
      const attempts = item.attempts + 1;
      const next = new Date(this.deps.now().getTime() + retryDelayMs(attempts)).toISOString();
      await this.deps.store.updateOutbox({ ...item, attempts, nextAttemptAt: next });
      this.deps.logger.warn('case.delivery_failed', {
        caseId: c.id,
        kind: item.kind,
        attempts,
        ...errorFields(err),
      });
      if (item.kind === 'case-card' && attempts === 1) {
        await this.appendTimeline(
          c.id,
          this.entry('system', 'delivery-failed', personName(this.school, item.to)),
        );
        // Tell the reporter once that the case is safe but has not reached someone yet.
        const reporter = this.addressOf(c, 'reporter');
        if (reporter) {
          const msg = this.deps.t('reporter.undelivered', {
            what: this.noun(c),
            id: c.id,
            to: personName(this.school, item.to),
          });
          await this.deps.notifier.send(reporter, noticeCard(msg, [])).catch(() => undefined);
        }
      }
      return false;
    }
  }

  private render(c: CaseRecord, item: OutboxItem): Outgoing {
    const { t } = this.deps;
    switch (item.kind) {
      case 'case-card':
        return caseCard(c, this.viewContext());
      case 'reminder':
        return noticeCard(t('case.reminder', { what: this.noun(c), id: c.id }), [], {
          actions: [{ title: t('cases.show'), style: 'default', data: { verb: 'case.show', caseId: c.id } }],
        });
      case 'reporter-update':
        return noticeCard(item.text ?? '', []);
      case 'relay-to-reporter':
        return noticeCard(
          t(c.kind === 'question' ? 'reporter.reply' : 'reporter.question', {
            id: c.id,
            name: personName(this.school, c.assignee ?? c.recipients[0]),
          }),
          [item.text ?? ''],
          {
            input: 'answer',
            placeholder: t('reporter.answer.placeholder'),
            actions: [
              {
                title: t('reporter.answer.submit'),
                style: 'positive',
                data: { verb: 'case.answer', caseId: c.id },
              },
            ],
          },
        );
      case 'relay-to-experts':
        return noticeCard(t('expert.answer', { id: c.id }), [item.text ?? ''], {
          actions: [{ title: t('cases.show'), style: 'default', data: { verb: 'case.show', caseId: c.id } }],
        });
    }
  }

  private addressOf(c: CaseRecord, who: string): PlatformAddress | undefined {
    if (who === 'reporter') return c.reporter;
    return this.deps.directory.address(who, c.reporter.platform);
  }

  private async saveCard(caseId: string, who: string, ref: MessageRef): Promise<void> {
    const c = await this.deps.store.getCase(caseId);
    if (!c) return;
    await this.deps.store.saveCase({ ...c, cards: [...c.cards.filter((x) => x.who !== who), { who, ref }] });
  }

  private async appendTimeline(caseId: string, e: TimelineEntry): Promise<void> {
    const c = await this.deps.store.getCase(caseId);
    if (c) await this.deps.store.saveCase({ ...c, timeline: [...c.timeline, e] });
  }

  /** May this person act on this case as an expert? */
  async isExpert(c: CaseRecord, person: Person | undefined): Promise<boolean> {
    if (!person) return false;
    if (this.deps.directory.isAdmin(person.id)) return true;
    if (c.assignee === person.id || c.recipients.includes(person.id)) return true;
    const holders = await this.deps.directory.holders(c.roles);
    const backups = await this.deps.directory.backups(c.roles);
    return holders.includes(person.id) || backups.includes(person.id);
  }

  /**
   * The case card as it is now, for one viewer: what a refresh or the pressed copy of a card shows, with an optional
   * line on what just happened. Undefined for an unknown case and for anyone who may not see it.
   */
  async cardFor(caseId: string, viewer: { person?: Person }, notice = ''): Promise<Outgoing | undefined> {
    const c = /^[MV]-\d{4}-\d{4,6}$/.test(caseId) ? await this.deps.store.getCase(caseId) : undefined;
    if (!c || !(await this.isExpert(c, viewer.person))) return undefined;
    return caseCard(c, this.viewContext(), notice);
  }

  isReporter(c: CaseRecord, platform: string, userId: string): boolean {
    return c.reporter.platform === platform && c.reporter.userId === userId;
  }

  /**
   * An expert's or reporter's action on a case. Unknown cases, unauthorised people and actions that do not fit
   * the case's state are refused with a message and change nothing.
   */
  async act(
    caseId: string,
    who: { person?: Person; platform: string; userId: string },
    action: CaseAction,
  ): Promise<ActResult> {
    const { t } = this.deps;
    const c = /^[MV]-\d{4}-\d{4,6}$/.test(caseId) ? await this.deps.store.getCase(caseId) : undefined;
    if (!c) return { ok: false, message: t('case.unknown') };

    if (action.kind === 'answer') {
      if (!this.isReporter(c, who.platform, who.userId)) return this.refuse(c);
      const answer = clean(action.answer);
      if (!answer) return { ok: false, message: t('case.invalid') };
      await this.saveAndUpdate(
        { ...c, timeline: [...c.timeline, this.entry('reporter', 'answer')] },
        (c.assignee ? [c.assignee] : c.recipients).map((p) =>
          this.notice(c.id, 'relay-to-experts', p, answer),
        ),
      );
      await this.deliverDue();
      return { ok: true, message: t('case.answered.you') };
    }

    if (!(await this.isExpert(c, who.person))) return this.refuse(c);
    const me = who.person?.id ?? '';
    if (action.kind === 'show') return { ok: true, message: '', card: caseCard(c, this.viewContext()) };
    if (action.kind === 'export') {
      if (c.anonymised) return { ok: false, message: t('case.unknown') };
      if (c.kind === 'question') return { ok: false, message: t('case.invalid') };
      await this.saveAndUpdate({ ...c, timeline: [...c.timeline, this.entry(me, 'exported')] });
      return { ok: true, message: '', exportText: caseExportText(c, this.viewContext()) };
    }
    if (c.status === 'closed') return { ok: false, message: t('case.alreadyClosed') };

    switch (action.kind) {
      case 'take': {
        if (c.status === 'taken')
          return {
            ok: false,
            message: t('case.alreadyTaken', { name: personName(this.school, c.assignee) }),
          };
        const next: CaseRecord = {
          ...c,
          status: 'taken',
          assignee: me,
          deadlineAt: undefined,
          timeline: [...c.timeline, this.entry(me, 'taken')],
        };
        await this.saveAndUpdate(next, [
          this.toReporter(
            c,
            t('reporter.taken', { what: this.noun(c), id: c.id, name: personName(this.school, me) }),
          ),
        ]);
        await this.deliverDue();
        return { ok: true, message: t('case.taken.you', { id: c.id }) };
      }
      case 'handover': {
        const m = /^(role|person):([a-z0-9._-]+)$/i.exec(action.target);
        if (!m) return { ok: false, message: t('case.invalid') };
        const now = this.deps.now();
        let next: CaseRecord;
        let toLabel: string;
        let newRecipients: string[];
        if (m[1] === 'role') {
          const role = m[2] as RoleId;
          if (!ROLE_IDS.includes(role)) return { ok: false, message: t('case.invalid') };
          newRecipients = await this.deps.directory.holders([role]);
          if (newRecipients.length === 0) newRecipients = await this.deps.directory.backups([role]);
          if (newRecipients.length === 0) return { ok: false, message: t('case.invalid') };
          toLabel = t(`role.${role}`);
          next = {
            ...c,
            status: 'open',
            assignee: undefined,
            roles: [role],
            recipients: [...new Set([...c.recipients, ...newRecipients])],
            deadlineAt: takeUpDeadline(this.school, now, c.urgent, this.deps.closedDates?.()).toISOString(),
            escalation: 0,
            timeline: [...c.timeline, this.entry(me, 'handed-over', toLabel)],
          };
        } else {
          const person = this.deps.directory.person(m[2] ?? '');
          if (!person) return { ok: false, message: t('case.invalid') };
          newRecipients = [person.id];
          toLabel = person.name;
          next = {
            ...c,
            status: 'taken',
            assignee: person.id,
            recipients: [...new Set([...c.recipients, person.id])],
            deadlineAt: undefined,
            timeline: [...c.timeline, this.entry(me, 'handed-over', toLabel)],
          };
        }
        await this.saveAndUpdate(next, [
          ...newRecipients
            .filter((p) => !c.cards.some((x) => x.who === p))
            .map((p) => this.notice(c.id, 'case-card', p)),
          this.toReporter(c, t('reporter.handedOver', { what: this.noun(c), id: c.id, to: toLabel })),
        ]);
        await this.deliverDue();
        return { ok: true, message: t('case.handedOver.you', { id: c.id, to: toLabel }) };
      }
      case 'ask': {
        const question = clean(action.question);
        if (!question) return { ok: false, message: t('case.invalid') };
        const next: CaseRecord = {
          ...c,
          assignee: c.assignee ?? me,
          status: c.status === 'open' ? 'taken' : c.status,
          deadlineAt: c.status === 'open' ? undefined : c.deadlineAt,
          timeline: [...c.timeline, this.entry(me, 'question')],
        };
        await this.saveAndUpdate(next, [this.notice(c.id, 'relay-to-reporter', 'reporter', question)]);
        await this.deliverDue();
        return { ok: true, message: t(c.kind === 'question' ? 'question.answered.you' : 'case.asked.you') };
      }
      case 'close': {
        if (!CASE_OUTCOMES.includes(action.outcome as CaseOutcome))
          return { ok: false, message: t('case.invalid') };
        const outcome = action.outcome as CaseOutcome;
        const note = action.note ? clean(action.note).slice(0, 500) : undefined;
        const next: CaseRecord = {
          ...c,
          status: 'closed',
          outcome,
          assignee: c.assignee ?? me,
          deadlineAt: undefined,
          closedAt: this.deps.now().toISOString(),
          timeline: [...c.timeline, this.entry(me, 'closed', note)],
        };
        await this.saveAndUpdate(next, [
          this.toReporter(
            c,
            t('reporter.closed', { what: this.noun(c), id: c.id, outcome: t(`case.outcome.${outcome}`) }),
          ),
        ]);
        await this.deliverDue();
        return { ok: true, message: t('case.closed.you', { id: c.id }) };
      }
    }
  }

  private refuse(c: CaseRecord): ActResult {
    this.deps.logger.warn('case.refused', { caseId: c.id });
    return { ok: false, message: this.deps.t('case.refused') };
  }

  private toReporter(c: CaseRecord, text: string): OutboxItem {
    return this.notice(c.id, 'reporter-update', 'reporter', text);
  }

  /**
   * Saves a case with the notifications its change brings (one write), then updates its cards in place for
   * everyone who received one.
   */
  private async saveAndUpdate(c: CaseRecord, outbox: readonly OutboxItem[] = []): Promise<void> {
    await this.deps.store.saveCase(c, outbox);
    const card = caseCard(c, this.viewContext());
    for (const { who, ref } of c.cards) {
      if (who === 'reporter') continue;
      await this.deps.notifier.update(ref, card).catch((err) => {
        this.deps.logger.warn('case.update_failed', { caseId: c.id, ...errorFields(err) });
      });
    }
  }

  /** Reminders and escalation for cases nobody took up in time. Driven by the clock; safe to run repeatedly. */
  async checkDeadlines(): Promise<number> {
    const now = this.deps.now();
    let changed = 0;
    for (const c of await this.deps.store.listCases()) {
      if (c.status !== 'open' || !c.deadlineAt || c.deadlineAt > now.toISOString()) continue;
      const interval = escalationInterval(this.school, c.urgent);
      const nextDeadline = new Date(now.getTime() + interval).toISOString();
      if (c.escalation === 0) {
        await this.deps.store.saveCase(
          {
            ...c,
            escalation: 1,
            deadlineAt: nextDeadline,
            timeline: [...c.timeline, this.entry('system', 'reminder')],
          },
          c.recipients.map((p) => this.notice(c.id, 'reminder', p)),
        );
      } else if (c.escalation === 1) {
        const backups = (await this.deps.directory.backups(c.roles)).filter((p) => !c.recipients.includes(p));
        if (backups.length) {
          const names = backups.map((p) => personName(this.school, p)).join(', ');
          await this.escalateTo(c, backups, 2, nextDeadline, names);
        } else {
          await this.escalateToLeadership(c, nextDeadline);
        }
      } else if (c.escalation === 2) {
        await this.escalateToLeadership(c, undefined);
      } else {
        await this.deps.store.saveCase({ ...c, deadlineAt: undefined });
      }
      changed++;
    }
    if (changed) await this.deliverDue();
    return changed;
  }

  private async escalateToLeadership(c: CaseRecord, deadline: string | undefined): Promise<void> {
    const leaders = (await this.deps.directory.holders(['schoolleiding'])).filter(
      (p) => !c.recipients.includes(p),
    );
    await this.escalateTo(c, leaders, 3, deadline, this.deps.t('role.schoolleiding'));
  }

  /** One escalation step: the case card to more people, recorded on the case with its next deadline. */
  private async escalateTo(
    c: CaseRecord,
    people: readonly string[],
    level: 2 | 3,
    deadline: string | undefined,
    note: string,
  ): Promise<void> {
    await this.deps.store.saveCase(
      {
        ...c,
        escalation: level,
        recipients: [...c.recipients, ...people],
        deadlineAt: deadline,
        timeline: [...c.timeline, this.entry('system', 'escalated', note)],
      },
      people.map((p) => this.notice(c.id, 'case-card', p)),
    );
  }

  /** Closed cases past the retention period lose their description, reporter and notes; facts for statistics stay. */
  async applyRetention(): Promise<number> {
    const cutoff = new Date(this.deps.now().getTime() - this.school.retentionDays * 86_400_000).toISOString();
    let n = 0;
    for (const c of await this.deps.store.listCases()) {
      if (c.status !== 'closed' || c.anonymised || !c.closedAt || c.closedAt > cutoff) continue;
      await this.deps.store.saveCase({
        ...c,
        description: '',
        reporter: { platform: c.reporter.platform },
        checked: [],
        cards: [],
        source: undefined,
        anonymised: true,
        timeline: [
          ...c.timeline.map(({ at, action }) => ({ at, action, by: 'system' })),
          this.entry('system', 'anonymised'),
        ],
      });
      n++;
    }
    if (n) this.deps.logger.info('case.retention', { anonymised: n });
    return n;
  }

  /** One scheduler round: deliver, escalate, apply retention. */
  async tick(): Promise<void> {
    await this.deliverDue();
    await this.checkDeadlines();
    await this.applyRetention();
  }
}

function clean(text: string): string {
  return cleanText(text).slice(0, MAX_TEXT);
}
