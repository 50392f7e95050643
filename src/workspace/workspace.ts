import type { Server } from 'restify';
import type { Config } from '../config.js';
import type { CaseService } from '../core/cases/service.js';
import type { KnowledgeBase } from '../core/knowledge/model.js';
import type { Logger } from '../core/logger.js';
import type { SchoolDirectory } from '../core/school/directory.js';
import type { Store } from '../core/storage/store.js';
import { WorkspaceAccess } from './access.js';
import { mountCasesApi } from './api/cases-api.js';
import { mountKnowledgeApi } from './api/knowledge-api.js';
import { mountOverviewApi } from './api/overview-api.js';
import { mountSessionApi } from './api/session-api.js';
import { Authenticator } from './auth/authenticate.js';
import { EntraTokenVerifier } from './auth/entra-token.js';
import { SignIns } from './auth/sign-ins.js';
import type { WorkspaceContext } from './context.js';
import { StoreWorkspaceData } from './data.js';
import { ChatLinks, mountLinks } from './links.js';
import { mountWebApp } from './static.js';

export interface WorkspaceDeps {
  readonly config: Config;
  readonly store: Store;
  readonly cases: CaseService;
  readonly directory: SchoolDirectory;
  readonly kb: KnowledgeBase;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The local chat's user: in local mode, the workspace's user too. */
  readonly localUserId: string;
}

/**
 * The experts' workspace and the school's overview (`/app/`): a web app that is also a Teams personal tab, with
 * its sign-in per platform, its API and the one-time links chat hands out.
 */
export class Workspace {
  private readonly ctx: WorkspaceContext;
  /** Links the bot sends in chat: the dossier download and the Slack sign-in. */
  readonly links: ChatLinks;
  private localUrl?: string;

  constructor(deps: WorkspaceDeps) {
    const { config, store, cases, directory, kb, logger, now } = deps;
    const data = new StoreWorkspaceData(store);
    const signIns = new SignIns(data, now);
    const publicUrl = () => config.workspace.publicUrl ?? (config.localMode ? this.localUrl : undefined);
    const entra = config.workspace.entra
      ? new EntraTokenVerifier(config.workspace.entra, config.workspace.publicUrl, now)
      : undefined;
    this.ctx = {
      lang: config.lang,
      data,
      access: new WorkspaceAccess(cases, directory),
      auth: new Authenticator({
        localMode: config.localMode,
        localUserId: deps.localUserId,
        directory,
        data,
        signIns,
        entra,
        logger,
      }),
      signIns,
      cases,
      directory,
      kb,
      logger,
      now,
      publicUrl,
      teamsTab: !!entra,
    };
    this.links = new ChatLinks(this.ctx);
  }

  /** Adds the workspace's routes to the server. */
  mount(server: Server): void {
    mountWebApp(server, this.ctx);
    mountLinks(server, this.ctx);
    mountSessionApi(server, this.ctx);
    mountCasesApi(server, this.ctx);
    mountOverviewApi(server, this.ctx);
    mountKnowledgeApi(server, this.ctx);
  }

  /** Local mode: links point at the loopback address the server got. */
  listening(url: string): void {
    this.localUrl = url;
  }
}
