import type { Request, Response } from 'restify';
import type { CaseService } from '../core/cases/service.js';
import type { KnowledgeBase } from '../core/knowledge/model.js';
import { errorFields, type Logger } from '../core/logger.js';
import type { SchoolDirectory } from '../core/school/directory.js';
import type { Lang } from '../core/types.js';
import type { WorkspaceAccess } from './access.js';
import type { Authenticated, Authenticator } from './auth/authenticate.js';
import type { SignIns } from './auth/sign-ins.js';
import type { WorkspaceData } from './data.js';
import { securityHeaders } from './pages.js';

/** What the workspace's routes share. */
export interface WorkspaceContext {
  readonly lang: Lang;
  readonly data: WorkspaceData;
  readonly access: WorkspaceAccess;
  readonly auth: Authenticator;
  readonly signIns: SignIns;
  readonly cases: CaseService;
  readonly directory: SchoolDirectory;
  readonly kb: KnowledgeBase;
  readonly logger: Logger;
  readonly now: () => Date;
  /** The public origin (links in chat, the Origin check); local mode: its loopback URL once listening. */
  readonly publicUrl: () => string | undefined;
  /** Whether Teams may frame the pages (the tab is set up). */
  readonly teamsTab: boolean;
}

export type ApiHandler = (req: Request, res: Response, a: Authenticated) => Promise<void>;

/** A JSON error: a code and a short message, never case content. */
export function fail(res: Response, status: number, code: string): void {
  res.json(status, { code });
}

/**
 * Wraps an API route: security headers, sign-in (401 without), the same-origin and CSRF check for changes (403),
 * and errors answered as a bare 500 and logged by code only.
 */
export function apiRoute(ctx: WorkspaceContext, handler: ApiHandler, opts: { changes?: boolean } = {}) {
  return async (req: Request, res: Response) => {
    securityHeaders(res, { teamsTab: ctx.teamsTab });
    try {
      const a = await ctx.auth.authenticate(req);
      if (!a) return fail(res, 401, 'Unauthenticated');
      if (opts.changes && !ctx.auth.sameOrigin(req, a, ctx.publicUrl())) return fail(res, 403, 'Forbidden');
      await handler(req, res, a);
    } catch (err) {
      ctx.logger.error('workspace.api_failed', {
        route: req.getRoute?.()?.path?.toString(),
        ...errorFields(err),
      });
      if (!res.headersSent) fail(res, 500, 'Internal');
    }
  };
}

/** A query parameter as a string, or undefined. */
export function queryParam(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}
