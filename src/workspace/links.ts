import type { Request, Response, Server } from 'restify';
import { caseDossier } from '../core/cases/dossier.js';
import { translator } from '../core/i18n/index.js';
import { errorFields } from '../core/logger.js';
import type { Outgoing, Platform } from '../core/types.js';
import { SESSION_COOKIE } from './auth/authenticate.js';
import { SESSION_HOURS } from './auth/sign-ins.js';
import type { WorkspaceContext } from './context.js';
import { plainPage, sendHtml } from './pages.js';
import { workspaceStrings } from './web/strings.js';

/** A card with one link button: the dossier download, or the workspace sign-in. */
export function linkCard(title: string, text: string, button: string, url: string): Outgoing {
  return { kind: 'card', template: 'link', summary: title, data: { title, text, button, url } };
}

/**
 * One-time links that chat hands out: the Slack sign-in link and the dossier download link. Opening one shows a
 * page with a button; only pressing it (a POST) uses the link, so link previews and scanners never use it up.
 */
export function mountLinks(server: Server, ctx: WorkspaceContext): void {
  const t = translator(ctx.lang);
  const s = workspaceStrings(ctx.lang);
  const page = (
    res: Response,
    status: number,
    title: string,
    text: string,
    form?: { action: string; button: string },
  ) => sendHtml(res, status, plainPage(ctx.lang, title, text, form), ctx.teamsTab);
  const token = (req: Request) => String(req.params.token ?? '');
  const gone = (res: Response) => page(res, 410, s('link.gone'), s('link.gone.text'));

  server.get('/app/signin/:token', async (req: Request, res: Response) => {
    if (!(await ctx.signIns.signInPending(token(req)))) return gone(res);
    page(res, 200, t('workspace.link.title'), t('workspace.link.text'), {
      action: `/app/signin/${token(req)}`,
      button: t('workspace.link.button'),
    });
  });

  server.post('/app/signin/:token', async (req: Request, res: Response) => {
    const session = await ctx.signIns.startSession(token(req));
    if (!session) return gone(res);
    // HttpOnly: no script reads it; SameSite=Strict: no other site's request carries it; Secure always (sessions
    // exist only outside local mode, and browsers treat http://localhost as secure for tests).
    res.setHeader(
      'set-cookie',
      `${SESSION_COOKIE}=${session.secret}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}`,
    );
    res.setHeader('cache-control', 'no-store');
    res.setHeader('location', '/app/');
    res.writeHead(303);
    res.end();
  });

  server.get('/app/download/:token', async (req: Request, res: Response) => {
    if (!(await ctx.signIns.downloadPending(token(req)))) return gone(res);
    page(res, 200, t('dossier.confidential'), t('dossier.link.text'), {
      action: `/app/download/${token(req)}`,
      button: t('dossier.link.button'),
    });
  });

  server.post('/app/download/:token', async (req: Request, res: Response) => {
    try {
      const link = await ctx.signIns.redeemDownload(token(req));
      const c = link?.caseId ? await ctx.data.case(link.caseId) : undefined;
      const person = link?.personId ? ctx.directory.person(link.personId) : undefined;
      // Rights are checked again: the link's person may have lost the case since the export.
      if (!link || !c || c.anonymised || c.kind === 'question' || !(await ctx.cases.isExpert(c, person)))
        return gone(res);
      // pdfkit is loaded the first time someone downloads, not with every start of the bot or the CLI.
      const { dossierToPdf } = await import('../render/dossier-pdf.js');
      const pdf = await dossierToPdf(
        caseDossier(c, { catalog: ctx.cases.viewContext().catalog, school: ctx.directory.config }, ctx.now()),
      );
      ctx.logger.info('workspace.dossier_downloaded', { caseId: c.id });
      res.setHeader('content-type', 'application/pdf');
      res.setHeader('content-disposition', `attachment; filename="Vangnet-${c.id}-vertrouwelijk.pdf"`);
      res.setHeader('cache-control', 'no-store');
      res.setHeader('x-content-type-options', 'nosniff');
      res.writeHead(200);
      res.end(pdf);
    } catch (err) {
      ctx.logger.error('workspace.dossier_failed', errorFields(err));
      if (!res.headersSent) page(res, 500, s('app.error'), s('app.error'));
    }
  });
}

/** The chat side: links the bot sends privately. Undefined when this server has no public address. */
export class ChatLinks {
  constructor(private readonly ctx: WorkspaceContext) {}

  /** "Exporteren voor dossier" in chat: a one-time download link for the expert who pressed it. */
  async exportCard(
    caseId: string,
    who: { platform: Platform; userId: string; personId?: string },
  ): Promise<Outgoing | undefined> {
    const base = this.ctx.publicUrl();
    if (!base || !who.personId) return undefined;
    const secret = await this.ctx.signIns.downloadLink(caseId, { ...who, personId: who.personId });
    const t = translator(this.ctx.lang);
    return linkCard(
      t('dossier.link.title', { id: caseId }),
      t('dossier.link.text'),
      t('dossier.link.button'),
      `${base}/app/download/${secret}`,
    );
  }

  /** A one-time sign-in link to the workspace, for the chat user who asked (Slack App Home). */
  async signInCard(platform: Platform, userId: string): Promise<Outgoing> {
    const t = translator(this.ctx.lang);
    const base = this.ctx.publicUrl();
    if (!base) return { kind: 'text', text: t('workspace.link.unavailable') };
    const secret = await this.ctx.signIns.signInLink({ platform, userId });
    return linkCard(
      t('workspace.link.title'),
      t('workspace.link.text'),
      t('workspace.link.button'),
      `${base}/app/signin/${secret}`,
    );
  }
}
