import type { CaseRecord } from '../core/cases/model.js';
import type { CaseService } from '../core/cases/service.js';
import { ROLE_IDS } from '../core/knowledge/model.js';
import type { SchoolDirectory } from '../core/school/directory.js';
import type { Person } from '../core/school/school.js';
import type { Platform } from '../core/types.js';

/** A signed-in workspace user: their chat identity, and the school person they are (if any). */
export interface WorkspaceUser {
  readonly platform: Platform;
  /** The id their reports carry (Slack member id, Teams Bot Framework id, local chat id). */
  readonly userId: string;
  readonly person?: Person;
  readonly name: string;
}

/** How a user may see a case: all of it with the actions (expert), all of it (schoolleiding), or their own report. */
export type CaseSight = 'expert' | 'leadership' | 'reporter';

export interface Rights {
  /** Holds or backs up a role, or is an admin: has a "for me" list. */
  readonly expert: boolean;
  /** Schoolleiding (holders and backups) and admins: every case, the overview. */
  readonly leadership: boolean;
  /** Knowledge editors: schoolleiding and admins. */
  readonly editor: boolean;
}

/**
 * The workspace's rights, built on the same rules as the chat cards: `CaseService.isExpert` decides who may act on
 * a case, `CaseService.isReporter` whose report it is. On top, schoolleiding may read every case of the school.
 */
export class WorkspaceAccess {
  constructor(
    private readonly cases: CaseService,
    private readonly directory: SchoolDirectory,
  ) {}

  canAct(user: WorkspaceUser, c: CaseRecord): Promise<boolean> {
    return this.cases.isExpert(c, user.person);
  }

  async sight(user: WorkspaceUser, c: CaseRecord): Promise<CaseSight | undefined> {
    if (await this.cases.isExpert(c, user.person)) return 'expert';
    if ((await this.rights(user)).leadership) return 'leadership';
    if (this.cases.isReporter(c, user.platform, user.userId)) return 'reporter';
    return undefined;
  }

  isReporter(user: WorkspaceUser, c: CaseRecord): boolean {
    return this.cases.isReporter(c, user.platform, user.userId);
  }

  async rights(user: WorkspaceUser): Promise<Rights> {
    const id = user.person?.id;
    if (!id) return { expert: false, leadership: false, editor: false };
    const admin = this.directory.isAdmin(id);
    const lead = [
      ...(await this.directory.holders(['schoolleiding'])),
      ...(await this.directory.backups(['schoolleiding'])),
    ].includes(id);
    const roles = ROLE_IDS.filter((r) => r !== 'mentor');
    const expert =
      admin ||
      (await this.directory.holders(roles)).includes(id) ||
      (await this.directory.backups(roles)).includes(id);
    return { expert, leadership: admin || lead, editor: admin || lead };
  }
}
