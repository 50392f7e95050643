import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request, Response, Server } from 'restify';
import { manifestDir, projectRoot } from '../paths.js';
import type { WorkspaceContext } from './context.js';
import { appShell, plainPage, securityHeaders, sendHtml } from './pages.js';

/** Where `npm run build` writes the web app (see build-web.ts). */
export const WEB_DIR = join(projectRoot, 'dist', 'web');

const TYPES: Record<string, string> = {
  js: 'application/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json',
  txt: 'text/plain; charset=utf-8',
};
const ASSET = /^[a-z0-9][a-z0-9._-]{0,80}\.(js|css|map|txt)$/i;

async function read(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/** The web app: its page (the same for every route of the app; it routes by the URL's #fragment) and its bundle. */
export function mountWebApp(server: Server, ctx: WorkspaceContext): void {
  server.get('/app', async (_req: Request, res: Response) => {
    res.setHeader('location', '/app/');
    res.writeHead(301);
    res.end();
  });

  server.get('/app/', async (_req: Request, res: Response) => {
    if (!(await read(join(WEB_DIR, 'app.js')))) {
      return sendHtml(
        res,
        503,
        plainPage(ctx.lang, 'Vangnet', 'The workspace is not built: run "npm run build" (or npm start).'),
        ctx.teamsTab,
      );
    }
    sendHtml(res, 200, appShell(ctx.lang), ctx.teamsTab);
  });

  server.get('/app/assets/icon.png', async (_req: Request, res: Response) => {
    securityHeaders(res, { teamsTab: ctx.teamsTab, cache: true });
    res.setHeader('content-type', 'image/png');
    res.writeHead(200);
    res.end(await readFile(join(manifestDir, 'teams', 'color.png')));
  });

  server.get('/app/assets/:file', async (req: Request, res: Response) => {
    const file = String(req.params.file ?? '');
    const ext = file.split('.').pop() ?? '';
    if (!ASSET.test(file)) {
      res.json(404, { code: 'NotFound' });
      return;
    }
    // Compressed at build time: brotli or gzip when the browser takes it.
    const accepts = String(req.headers['accept-encoding'] ?? '');
    let body: Buffer | undefined;
    let encoding: string | undefined;
    for (const [enc, suffix] of [
      ['br', '.br'],
      ['gzip', '.gz'],
    ] as const) {
      if (body || !new RegExp(`\\b${enc}\\b`).test(accepts)) continue;
      body = await read(join(WEB_DIR, `${file}${suffix}`));
      if (body) encoding = enc;
    }
    body ??= await read(join(WEB_DIR, file));
    if (!body) {
      res.json(404, { code: 'NotFound' });
      return;
    }
    securityHeaders(res, { teamsTab: ctx.teamsTab, cache: true });
    res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('vary', 'accept-encoding');
    if (encoding) res.setHeader('content-encoding', encoding);
    res.writeHead(200);
    res.end(body);
  });
}
