import { noticeCard } from '../escalation/views.js';
import type { Translate } from '../i18n/index.js';
import { ROLE_IDS, type RoleId } from '../knowledge/model.js';
import type { Logger } from '../logger.js';
import type { SchoolDirectory } from '../school/directory.js';
import type { Store } from '../storage/store.js';
import { newestFirst } from '../storage/store.js';
import type { IncomingAction, Outgoing, Platform, TurnContext } from '../types.js';
import { isExpert } from './decide.js';
import type { CaseAction, CaseService } from './service.js';
import { caseListCard, settingsCard } from './views.js';

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
      lang: incoming.lang,
    };
  }

  /**
   * An action on a case from a button. The pressed copy of the card then shows the case as it is now, with what
   * happened on top, in place of a chat message; where the platform cannot update it, the answer is a message.
   * "Bekijken" always brings a new copy, and an export comes as a message to copy from.
   */
  async act(ctx: TurnContext, caseId: string, action: CaseAction): Promise<void> {
    const who = this.who(ctx);
    const result = await this.deps.cases.act(caseId, who, action);
    if (action.kind === 'show' && result.ok && result.card) {
      await ctx.reply(result.card);
      return;
    }
    const exportText = result.ok ? result.exportText : undefined;
    // The export: a one-time link to the dossier PDF where the workspace can make one, else the text to copy.
    const exported = async () => {
      if (!exportText) return;
      const link = await this.deps.dossierLink?.(caseId, { ...who, personId: who.person?.id });
      await ctx.reply(link ?? { kind: 'text', text: `\`\`\`\n${exportText}\n\`\`\`` });
    };
    const current = await this.deps.cases.cardFor(caseId, who, exportText ? '' : result.message);
    if (current && ctx.updateSource && (await ctx.updateSource(current))) {
      await exported();
      return;
    }
    if (result.ok && result.card) await ctx.reply(result.card);
    await exported();
    if (result.message) await ctx.reply({ kind: 'text', text: result.message });
  }

  /**
   * What a refresh shows the person looking at a copy of a case card: the case as it is now, or, for someone who may
   * not see it (any more), a card that says so. Never a chat message.
   */
  async refresh(ctx: TurnContext, caseId: string, t: Translate): Promise<void> {
    const current = await this.deps.cases.cardFor(caseId, this.who(ctx));
    await ctx.updateForActor?.(current ?? noticeCard(t('case.unavailable'), []));
  }

  /** The reporter's own cases. */
  async mine(ctx: TurnContext, t: Translate): Promise<void> {
    const { platform, userId } = this.who(ctx);
    const mine = await this.deps.store.cases.list({ reporter: { platform, userId } });
    await ctx.reply(caseListCard(t('cases.mine.title'), mine, this.deps.cases.viewContext(), false));
  }

  /** An expert's queue: open and taken cases they may act on. */
  async queue(ctx: TurnContext, t: Translate): Promise<void> {
    const { person } = this.who(ctx);
    if (!person) {
      await ctx.reply({ kind: 'text', text: t('cases.open.notExpert') });
      return;
    }
    const open = await this.deps.store.cases.list({ status: ['open', 'taken'] });
    const policy = await this.deps.cases.policy();
    const mine = open
      .filter((c) => isExpert(c, person.id, policy))
      .sort((a, b) => Number(b.urgent) - Number(a.urgent) || newestFirst(a, b));
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
    await this.deps.store.roles.set(role, { holders: [...new Set(ids)], backup: current.backup });
    this.deps.logger.info('settings.role_changed', { role, holders: ids.length });
    const names = ids.map((id) => this.deps.directory.person(id)?.name ?? id).join(', ');
    await ctx.reply({ kind: 'text', text: t('settings.saved', { role: t(`role.${role}`), names }) });
  }
}
