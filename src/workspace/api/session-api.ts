import type { Server } from 'restify';
import { SESSION_COOKIE } from '../auth/authenticate.js';
import { apiRoute, type WorkspaceContext } from '../context.js';

/** Who is signed in and what they may see; signing out. */
export function mountSessionApi(server: Server, ctx: WorkspaceContext): void {
  server.get(
    '/app/api/me',
    apiRoute(ctx, async (_req, res, a) => {
      const view = ctx.cases.viewContext();
      res.json(200, {
        name: a.user.name,
        platform: a.user.platform,
        via: a.via,
        rights: await ctx.access.rights(a.user),
        // Given only to the workspace's own pages: another site's script cannot read this answer.
        csrf: a.csrf,
        school: ctx.directory.config.name,
        lang: ctx.lang,
        types: [
          ...[...view.catalog.types.values()].map((t) => ({ id: t.id, label: t.label[ctx.lang] })),
          { id: 'vraag', label: view.t('question.type') },
        ],
      });
    }),
  );

  server.post(
    '/app/api/signout',
    apiRoute(
      ctx,
      async (_req, res, a) => {
        await ctx.signIns.endSession(a.sessionSecret);
        res.setHeader(
          'set-cookie',
          `${SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`,
        );
        res.json(200, { ok: true });
      },
      { changes: true },
    ),
  );
}
