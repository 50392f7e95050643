import type { Translate } from '../i18n/index.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import type { Logger } from '../logger.js';
import type { SchoolDirectory } from '../school/directory.js';
import type { Store } from '../storage/store.js';
import type { IncomingAction, Outgoing, Platform, TurnContext } from '../types.js';
import type { CaseRecord } from './model.js';
import type { CaseAction, CaseService } from './service.js';
import { caseListCard, settingsCard } from './views.js';

export const CASE_VERBS = [
  'case.take',
  'case.handover',
  'case.ask',
  'case.answer',
  'case.close',
  'case.export',
  'case.show',
] as const;
export const VERB_SETTINGS_SAVE = 'settings.save';

export interface CaseHandlerDeps {
  readonly store: Store;
  readonly cases: CaseService;
  readonly directory: SchoolDirectory;
  readonly logger: Logger;
  /**
   * "Exporteren voor dossier": a card with a one-time download link to the PDF (the workspace makes it). Without
   * it, or when the server has no public address, the export is the plain-text block.
   */
  readonly dossierLink?: (
    caseId: string,
    who: { platform: Platform; userId: string; personId?: string },
  ) => Promise<Outgoing | undefined>;
}

/** Chat side of cases: expert buttons, "mijn meldingen", "open meldingen", and the admins' settings card. */
export class CaseHandler {
  constructor(private readonly deps: CaseHandlerDeps) {}

  private who(ctx: TurnContext) {
    const { incoming } = ctx;
    const platform = incoming.conversation.platform;
    return {
      person: this.deps.directory.personOf(platform, incoming.actor),
      platform,
      userId: incoming.actor.id,
    };
  }

  async onAction(ctx: TurnContext & { incoming: IncomingAction }, t: Translate): Promise<void> {
    const { data, verb } = ctx.incoming;
    const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : '');
    const caseId = str('caseId');
    const action: CaseAction | undefined =
      verb === 'case.take'
        ? { kind: 'take' }
        : verb === 'case.handover'
          ? { kind: 'handover', target: str('target') }
          : verb === 'case.ask'
            ? { kind: 'ask', question: str('question') }
            : verb === 'case.answer'
              ? { kind: 'answer', answer: str('answer') }
              : verb === 'case.close'
                ? { kind: 'close', outcome: str('outcome'), note: str('note') }
                : verb === 'case.export'
                  ? { kind: 'export' }
                  : verb === 'case.show'
                    ? { kind: 'show' }
                    : undefined;
    if (!action) return;
    // Case details never go to a shared conversation, whoever asks.
    if (ctx.incoming.conversation.kind !== 'personal') {
      await ctx.reply({ kind: 'text', text: t('case.refused') });
      return;
    }
    const who = this.who(ctx);
    const result = await this.deps.cases.act(caseId, who, action);
    if (result.ok && result.card) await ctx.reply(result.card);
    if (result.ok && result.exportText) {
      const link = await this.deps.dossierLink?.(caseId, { ...who, personId: who.person?.id });
      await ctx.reply(link ?? { kind: 'text', text: `\`\`\`\n${result.exportText}\n\`\`\`` });
    }
    if (result.message) await ctx.reply({ kind: 'text', text: result.message });
  }

  /** The reporter's own cases. */
  async mine(ctx: TurnContext, t: Translate): Promise<void> {
    const { platform, userId } = this.who(ctx);
    const mine = (await this.deps.store.listCases())
      .filter((c) => this.deps.cases.isReporter(c, platform, userId))
      .sort(newestFirst);
    await ctx.reply(caseListCard(t('cases.mine.title'), mine, this.deps.cases.viewContext(), false));
  }

  /** An expert's queue: open and taken cases they may act on. */
  async queue(ctx: TurnContext, t: Translate): Promise<void> {
    const { person } = this.who(ctx);
    if (!person) {
      await ctx.reply({ kind: 'text', text: t('cases.open.notExpert') });
      return;
    }
    const all = (await this.deps.store.listCases()).filter((c) => c.status !== 'closed');
    const mine: CaseRecord[] = [];
    for (const c of all) if (await this.deps.cases.isExpert(c, person)) mine.push(c);
    mine.sort((a, b) => Number(b.urgent) - Number(a.urgent) || newestFirst(a, b));
    await ctx.reply(caseListCard(t('cases.open.title'), mine, this.deps.cases.viewContext(), true));
  }

  async settings(ctx: TurnContext, t: Translate): Promise<void> {
    const { person } = this.who(ctx);
    if (!person || !this.deps.directory.isAdmin(person.id)) {
      await ctx.reply({ kind: 'text', text: t('settings.notAdmin') });
      return;
    }
    const assignments: Partial<Record<RoleId, { holders: readonly string[] }>> = {};
    for (const r of ROLE_IDS) assignments[r] = await this.deps.directory.assignment(r);
    await ctx.reply(settingsCard(this.deps.cases.viewContext(), assignments));
  }

  async saveSettings(ctx: TurnContext & { incoming: IncomingAction }, t: Translate): Promise<void> {
    const { person } = this.who(ctx);
    if (!person || !this.deps.directory.isAdmin(person.id) || ctx.incoming.conversation.kind !== 'personal') {
      await ctx.reply({ kind: 'text', text: t('settings.notAdmin') });
      return;
    }
    const { data } = ctx.incoming;
    const role = typeof data.role === 'string' ? (data.role as RoleId) : undefined;
    const raw = data.holders;
    const ids = (Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',') : []).map(
      (x) => x.trim(),
    );
    const valid = ids.length > 0 && ids.every((id) => this.deps.directory.person(id));
    if (!role || !ROLE_IDS.includes(role) || role === 'mentor' || !valid) {
      await ctx.reply({ kind: 'text', text: t('case.invalid') });
      return;
    }
    const current = await this.deps.directory.assignment(role);
    await this.deps.store.setRoleOverride(role, { holders: [...new Set(ids)], backup: current.backup });
    this.deps.logger.info('settings.role_changed', { role, holders: ids.length });
    const names = ids.map((id) => this.deps.directory.person(id)?.name ?? id).join(', ');
    await ctx.reply({ kind: 'text', text: t('settings.saved', { role: t(`role.${role}`), names }) });
  }
}

function newestFirst(a: CaseRecord, b: CaseRecord): number {
  return b.createdAt.localeCompare(a.createdAt);
}
