import type { PlatformAddress } from '../cases/model.js';
import type { RoleId } from '../knowledge/model.js';
import type { Store } from '../storage/store.js';
import type { Actor, Platform } from '../types.js';
import { type Person, personOf, type RoleAssignment, type SchoolConfig } from './school.js';

/** Who holds which role right now: the school config file, with admins' changes from chat on top. */
export class SchoolDirectory {
  constructor(
    readonly config: SchoolConfig,
    private readonly store: Store,
  ) {}

  async assignment(role: RoleId): Promise<RoleAssignment> {
    const overrides = await this.store.roles.all();
    return overrides[role] ?? this.config.roles[role] ?? { holders: [], backup: [] };
  }

  async holders(roles: readonly RoleId[]): Promise<string[]> {
    const out = new Set<string>();
    for (const r of roles) for (const p of (await this.assignment(r)).holders) out.add(p);
    return [...out];
  }

  async backups(roles: readonly RoleId[]): Promise<string[]> {
    const out = new Set<string>();
    for (const r of roles) for (const p of (await this.assignment(r)).backup) out.add(p);
    return [...out];
  }

  person(id: string): Person | undefined {
    return this.config.people.get(id);
  }

  personOf(platform: Platform, actor: Actor): Person | undefined {
    return personOf(this.config, platform, actor);
  }

  isAdmin(personId: string): boolean {
    return this.config.admins.includes(personId);
  }

  /** How to reach a person: on the preferred platform when they are there, else any platform they have. */
  address(personId: string, prefer: Platform): PlatformAddress | undefined {
    const p = this.person(personId);
    if (!p) return undefined;
    const options: PlatformAddress[] = [];
    const { name, lang } = p;
    if (p.teams) options.push({ platform: 'teams', aadObjectId: p.teams, name, lang });
    if (p.slack) options.push({ platform: 'slack', userId: p.slack, name, lang });
    if (p.local) options.push({ platform: 'local', userId: p.local, name, lang });
    return options.find((o) => o.platform === prefer) ?? options[0];
  }
}
