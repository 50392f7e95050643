import type { Response } from 'restify';
import type { Lang } from '../core/types.js';

/** Where a Teams tab may be framed: the Teams clients (web, desktop, mobile) and Microsoft 365. */
const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.teams.microsoft.us',
  'https://*.skype.com',
  'https://*.office.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
];

/**
 * Headers of every workspace response: no caching of case data, no referrer (links carry one-time secrets in their
 * path), scripts only from this server, framing only by Teams (when the tab is set up).
 */
export function securityHeaders(res: Response, opts: { teamsTab: boolean; cache?: boolean }): void {
  const frames = opts.teamsTab ? TEAMS_FRAME_ANCESTORS.join(' ') : "'none'";
  // In Teams, teams-js fetches Microsoft's list of Teams host domains.
  const connect = opts.teamsTab ? "'self' https://res.cdn.office.net" : "'self'";
  res.setHeader(
    'content-security-policy',
    // Fluent UI writes its styles at run time (Griffel): styles inline, scripts never.
    `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${frames}`,
  );
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cache-control', opts.cache ? 'public, max-age=300' : 'no-store');
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The web app's page: the bundle does the rest. */
export function appShell(lang: Lang): string {
  const title = lang === 'nl' ? 'Vangnet werkruimte' : 'Vangnet workspace';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<link rel="icon" href="/app/assets/icon.png">
<style>html,body{margin:0;min-height:100%}body{font-family:"Segoe UI","Segoe UI Web (West European)",system-ui,sans-serif}</style>
</head>
<body>
<div id="root"></div>
<noscript>${lang === 'nl' ? 'Zet JavaScript aan om de werkruimte te gebruiken.' : 'Turn on JavaScript to use the workspace.'}</noscript>
<script type="module" src="/app/assets/app.js"></script>
</body>
</html>`;
}

/**
 * A small page without scripts: the step before a one-time link is used (a button that posts, so link previews
 * and scanners that only fetch never use it up), or a message.
 */
export function plainPage(
  lang: Lang,
  title: string,
  text: string,
  form?: { action: string; button: string },
): string {
  const button = form
    ? `<form method="post" action="${escapeHtml(form.action)}"><button type="submit">${escapeHtml(form.button)}</button></form>`
    : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font-family:"Segoe UI",system-ui,sans-serif;background:#f5f5f5;color:#242424}
main{max-width:32rem;margin:12vh auto;padding:24px;background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.12)}
h1{font-size:20px;margin:0 0 12px}p{line-height:1.5}
button{font:inherit;font-weight:600;padding:8px 20px;border:0;border-radius:4px;background:#5b5fc7;color:#fff;cursor:pointer}
button:focus-visible{outline:2px solid #242424;outline-offset:2px}
@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#fff}main{background:#292929}button{background:#7f85f5;color:#000}}
</style>
</head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${button}</main></body>
</html>`;
}

export function sendHtml(res: Response, status: number, html: string, teamsTab: boolean): void {
  securityHeaders(res, { teamsTab });
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.writeHead(status);
  res.end(html);
}
