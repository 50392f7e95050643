import { createHash } from 'node:crypto';
import { ConflictError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import type { KnowledgeBase, Tip } from '../knowledge/model.js';
import { errorFields, type Logger } from '../logger.js';
import { defaultEscalation, type SchoolConfig } from '../school/school.js';
import type { Store } from '../storage/store.js';
import type { ConversationKind, Outgoing, Platform } from '../types.js';
import { DEFAULT_FANOUT, type FanOutOptions, fanOut } from './fanout.js';
import { holidayDates, holidaysKnown, type RegionalHolidays } from './holidays.js';
import { subscriptionId, type TipSubscription, type WeekStatus } from './model.js';
import { DEFAULT_TIP_MOMENT, decide, isDayOff, thisWeeksMoment } from './schedule.js';

/** Posts a message into a subscribed conversation; throws PostError. Implemented per channel. */
export interface TipPoster {
  post(platform: Platform, conversationId: string, out: Outgoing): Promise<void>;
}

export interface TipServiceDeps {
  readonly store: Store;
  readonly kb: KnowledgeBase;
  readonly poster: TipPoster;
  readonly logger: Logger;
  readonly t: Translate;
  /** The school (level, time zone, tip moment, holidays); without one: all tips, Monday 08:30 Amsterdam time. */
  readonly school?: SchoolConfig;
  readonly now: () => Date;
  readonly fanOut?: FanOutOptions;
  /** The shipped regional holiday calendar; the school's `region` picks one. */
  readonly regional?: RegionalHolidays;
}

const KEEP_WEEKS = 60;

/**
 * Weekly tips: subscriptions, rotation without repeats per conversation, the weekly run (at most once a week per
 * conversation, even across crashes: a week is claimed in the store before its tip is posted), catch-up on the
 * same school day, holidays, and fan-out with rate limits.
 */
export class TipService {
  private running = false;
  private holidaySet?: Set<string>;
  private warnedWeek?: string;

  constructor(private readonly deps: TipServiceDeps) {}

  private get moment() {
    return this.deps.school?.tips ?? DEFAULT_TIP_MOMENT;
  }

  /** Tips for the school's level, in a fixed order. */
  tipsForSchool(): Tip[] {
    const level = this.deps.school?.level;
    return this.deps.kb.tips
      .filter((tip) => !level || tip.levels.includes(level))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The next tip for a conversation: the first unused one in an order of its own (channels differ). */
  nextTip(sub: Pick<TipSubscription, 'id' | 'used'>): Tip | undefined {
    const tips = this.tipsForSchool();
    if (tips.length === 0) return undefined;
    const used = new Set(sub.used);
    const offset = createHash('sha256').update(sub.id).digest().readUInt32BE(0) % tips.length;
    const ordered = [...tips.slice(offset), ...tips.slice(0, offset)];
    return ordered.find((tip) => !used.has(tip.id)) ?? ordered[0];
  }

  tipById(id: string): Tip | undefined {
    return this.deps.kb.tips.find((tip) => tip.id === id);
  }

  tipCard(tip: Tip): Outgoing {
    const { t } = this.deps;
    return {
      kind: 'card',
      template: 'tip',
      summary: `${t('tips.title')}: ${tip.title}`,
      data: {
        label: t('tips.title'),
        title: tip.title,
        text: tip.text,
        tipId: tip.id,
        slug: tip.article,
        labels: {
          useful: t('tips.useful'),
          yes: t('tips.yes'),
          no: t('tips.no'),
          readMore: t('tips.readMore'),
        },
      },
    };
  }

  whenText(): string {
    const { t } = this.deps;
    const m = this.moment;
    const time = `${String(Math.floor(m.minutes / 60)).padStart(2, '0')}:${String(m.minutes % 60).padStart(2, '0')}`;
    return t('tips.when', { day: t(`day.${m.day}` as Parameters<Translate>[0]), time });
  }

  async subscribe(
    platform: Platform,
    conversationId: string,
    kind: ConversationKind,
    userId: string,
  ): Promise<'on' | 'already'> {
    const id = subscriptionId(platform, conversationId);
    const changed = await this.change(id, (known) =>
      known?.active
        ? undefined
        : {
            id,
            platform,
            conversationId,
            kind,
            subscribedBy: userId,
            createdAt: this.deps.now().toISOString(),
            active: true,
            used: known?.used ?? [],
            // Keep the history: re-subscribing in a week that already had its tip must not post it twice.
            weeks: known?.weeks ?? {},
            version: known?.version ?? 0,
          },
    );
    if (!changed) return 'already';
    this.deps.logger.info('tips.subscribed', { platform });
    return 'on';
  }

  async unsubscribe(
    platform: Platform,
    conversationId: string,
    reason: 'unsubscribed' | 'removed' = 'unsubscribed',
  ): Promise<boolean> {
    const changed = await this.change(subscriptionId(platform, conversationId), (sub) =>
      sub?.active ? { ...sub, active: false, endedReason: reason } : undefined,
    );
    if (!changed) return false;
    this.deps.logger.info('tips.unsubscribed', { platform, reason });
    return true;
  }

  /**
   * Read, change, conditional write; again when another instance changed the subscription first. `fn` returns
   * undefined when there is nothing to change (then nothing is written and this returns undefined).
   */
  private async change(
    id: string,
    fn: (current: TipSubscription | undefined) => TipSubscription | undefined,
  ): Promise<TipSubscription | undefined> {
    for (let attempt = 0; ; attempt++) {
      const next = fn(await this.deps.store.subscriptions.get(id));
      if (!next) return undefined;
      try {
        return await this.deps.store.subscriptions.save(next);
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 8) throw err;
      }
    }
  }

  private holidays(): Set<string> {
    this.holidaySet ??= holidayDates(this.deps.school, this.deps.regional);
    return this.holidaySet;
  }

  /**
   * Says once a week when the school follows a region but the shipped table does not reach this week: tips then
   * go out as in a school week, and the table (knowledge/holidays.yml) needs the next school year.
   */
  private warnIfHolidaysUnknown(week: string, date: string): void {
    const region = this.deps.school?.region;
    if (!region || this.warnedWeek === week || holidaysKnown(this.deps.regional, region, date)) return;
    this.warnedWeek = week;
    this.deps.logger.warn('tips.holidays_unknown', {
      region,
      week,
      knownUntil: this.deps.regional?.coverage?.[region]?.to ?? 'none',
    });
  }

  /**
   * Records what happened to a subscription's week. A claim (`claimed`, or a skip) is only written when the week
   * has no entry yet — the conditional write makes sure of it across instances — and returns undefined when
   * another run got there first: then this run must not post.
   */
  private record(
    sub: TipSubscription,
    week: string,
    status: WeekStatus,
    tipId?: string,
  ): Promise<TipSubscription | undefined> {
    const claim = status !== 'sent' && status !== 'failed';
    return this.change(sub.id, (fresh) => {
      if (!fresh || (claim && fresh.weeks[week])) return undefined;
      const weeks = Object.fromEntries(
        Object.entries({ ...fresh.weeks, [week]: { status, tipId, at: this.deps.now().toISOString() } })
          .sort(([a], [b]) => a.localeCompare(b))
          .slice(-KEEP_WEEKS),
      );
      const rotationDone = tipId && status === 'claimed' ? [...fresh.used, tipId] : fresh.used;
      const all = this.tipsForSchool().length;
      const used = rotationDone.length >= all ? (tipId ? [tipId] : []) : rotationDone;
      return { ...fresh, weeks, used };
    });
  }

  /**
   * What the next run would post: for `vangnet tips preview`. `holiday` says this week's moment falls in a
   * holiday (or a closed day), so nothing will be posted.
   */
  async preview(): Promise<
    { sub: TipSubscription; tip?: Tip; week: string; status?: WeekStatus; holiday: boolean }[]
  > {
    const school = this.deps.school ?? defaultSchool();
    const due = thisWeeksMoment(school, this.deps.now(), this.moment);
    const holiday = isDayOff(school, this.holidays(), due.date);
    return (await this.deps.store.subscriptions.list())
      .filter((s) => s.active)
      .map((sub) => ({
        sub,
        tip: this.nextTip(sub),
        week: due.week,
        status: sub.weeks[due.week]?.status,
        holiday,
      }));
  }

  /**
   * One scheduler round. Due subscriptions are claimed for this week, then posted through the fan-out queue.
   * `force` posts now regardless of the moment (`vangnet tips send --now`), still at most once a week.
   */
  async run(
    force = false,
  ): Promise<{ sent: number; retried: number; failed: number; removed: number; skipped: number }> {
    const summary = { sent: 0, retried: 0, failed: 0, removed: 0, skipped: 0 };
    if (this.running) return summary;
    this.running = true;
    try {
      const now = this.deps.now();
      const school = this.deps.school ?? defaultSchool();
      const { action, due } = decide(school, now, this.holidays(), this.moment);
      this.warnIfHolidaysUnknown(due.week, due.date);
      const jobs: { sub: TipSubscription; out: Outgoing }[] = [];
      for (const sub of await this.deps.store.subscriptions.list()) {
        if (!sub.active || sub.weeks[due.week]) continue;
        const what = force ? 'send' : action;
        if (what === 'wait') continue;
        if (what === 'holiday' || what === 'missed') {
          if (await this.record(sub, due.week, what === 'holiday' ? 'skipped-holiday' : 'skipped-missed'))
            summary.skipped++;
          continue;
        }
        const tip = this.nextTip(sub);
        if (!tip) continue;
        // Claimed before posting: after a crash between the two, the week is not posted again; and only one
        // instance's claim succeeds, so no week is posted twice.
        const claimed = await this.record(sub, due.week, 'claimed', tip.id);
        if (claimed) jobs.push({ sub: claimed, out: this.tipCard(tip) });
      }
      if (jobs.length === 0) return summary;
      const result = await fanOut(
        jobs,
        (j) => j.sub.platform,
        (j) => this.deps.poster.post(j.sub.platform, j.sub.conversationId, j.out),
        this.deps.fanOut ?? DEFAULT_FANOUT,
      );
      for (const j of result.sent) await this.record(j.sub, due.week, 'sent', j.sub.weeks[due.week]?.tipId);
      for (const j of result.failed)
        await this.record(j.sub, due.week, 'failed', j.sub.weeks[due.week]?.tipId);
      for (const j of result.gone) await this.unsubscribe(j.sub.platform, j.sub.conversationId, 'removed');
      Object.assign(summary, {
        sent: result.sent.length,
        retried: result.retried,
        failed: result.failed.length,
        removed: result.gone.length,
      });
      this.deps.logger.info('tips.run', { week: due.week, ...summary });
      return summary;
    } catch (err) {
      this.deps.logger.error('tips.run_failed', errorFields(err));
      return summary;
    } finally {
      this.running = false;
    }
  }
}

/** Without a school config: Monday 08:30 Europe/Amsterdam, school day until 17:00. */
function defaultSchool(): SchoolConfig {
  return {
    name: '',
    level: 'vo',
    timezone: 'Europe/Amsterdam',
    crisisContact: '',
    crisisTeam: [],
    people: new Map(),
    roles: {},
    admins: [],
    hours: { days: [1, 2, 3, 4, 5], start: 8 * 60, end: 17 * 60 },
    closedDates: [],
    deadlines: { urgentMinutes: 15, normalNextSchoolDayAt: 12 * 60 },
    escalation: defaultEscalation(15),
    retentionDays: 365,
    routing: {},
    tips: DEFAULT_TIP_MOMENT,
    holidays: [],
  };
}
