import type { Server } from 'restify';
import { feedbackPerArticle, summarizeGaps } from '../../core/knowledge/gaps.js';
import { apiRoute, fail, type WorkspaceContext } from '../context.js';

const MAX_ROWS = 200;

/** For knowledge editors: the same gaps as `vangnet kb gaps`, and "Hielp dit?" answers per article. */
export function mountKnowledgeApi(server: Server, ctx: WorkspaceContext): void {
  server.get(
    '/app/api/knowledge',
    apiRoute(ctx, async (_req, res, { user }) => {
      if (!(await ctx.access.rights(user)).editor) return fail(res, 403, 'Forbidden');
      const { gaps, feedback } = await ctx.data.knowledgeGaps();
      const title = (slug: string) => ctx.kb.bySlug.get(slug)?.title ?? slug;
      res.json(200, {
        gaps: summarizeGaps(gaps)
          .slice(0, MAX_ROWS)
          .map((g) => ({ ...g, title: g.reason === 'not-helpful' ? title(g.what) : undefined })),
        articles: feedbackPerArticle(feedback)
          .slice(0, MAX_ROWS)
          .map((a) => ({ ...a, title: title(a.slug) })),
      });
    }),
  );
}
