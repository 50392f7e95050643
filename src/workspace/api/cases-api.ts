import type { Request, Response, Server } from 'restify';
import type { CaseRecord } from '../../core/cases/model.js';
import type { CaseAction } from '../../core/cases/service.js';
import type { WorkspaceUser } from '../access.js';
import { caseDetail, caseListItem, isOverdue } from '../case-json.js';
import { apiRoute, fail, queryParam, type WorkspaceContext } from '../context.js';

const VIEWS = ['mine', 'queue', 'all'] as const;
const STATUSES = ['open', 'taken', 'closed'] as const;
const ACTIONS = ['take', 'note', 'handover', 'ask', 'close'] as const;
/** Longer texts are refused, not cut: the case keeps at most 1000 characters of a text anyway. */
const MAX_TEXT = 4000;
const MAX_LIST = 500;

const who = (u: WorkspaceUser) => ({ person: u.person, platform: u.platform, userId: u.userId });

/**
 * The workspace's action as the core's command. Texts travel as `text` (the hand-over reason, the note), next to
 * the fields the chat cards send; the case domain decides what it keeps.
 */
function toCaseAction(body: Record<string, unknown>): CaseAction | undefined {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const text = str('text');
  switch (body.kind) {
    case 'take':
      return { kind: 'take' };
    case 'handover':
      return { kind: 'handover', target: str('target'), reason: text };
    case 'ask':
      return { kind: 'ask', question: text };
    case 'close':
      return { kind: 'close', outcome: str('outcome'), note: text || undefined };
    case 'note':
      return { kind: 'note', text };
    default:
      return undefined;
  }
}

function newestFirst(a: CaseRecord, b: CaseRecord): number {
  return b.createdAt.localeCompare(a.createdAt);
}

/** Cases: lists per view with filters, the detail, actions through `CaseService.act`, the dossier export. */
export function mountCasesApi(server: Server, ctx: WorkspaceContext): void {
  const { access, cases, data } = ctx;

  /** The case, when this user may see it; otherwise 404, the same for a case that does not exist. */
  const visible = async (req: Request, res: Response, user: WorkspaceUser) => {
    const c = await data.case(String(req.params.id ?? ''));
    const sight = c ? await access.sight(user, c) : undefined;
    if (!c || !sight) {
      fail(res, 404, 'NotFound');
      return undefined;
    }
    return { c, sight };
  };

  server.get(
    '/app/api/cases',
    apiRoute(ctx, async (req, res, { user }) => {
      const view = queryParam(req, 'view') ?? 'mine';
      const status = queryParam(req, 'status');
      const type = queryParam(req, 'type');
      if (!(VIEWS as readonly string[]).includes(view)) return fail(res, 400, 'BadView');
      if (status && !(STATUSES as readonly string[]).includes(status)) return fail(res, 400, 'BadStatus');
      if (type && !/^[a-z0-9-]{1,40}$/.test(type)) return fail(res, 400, 'BadType');
      const rights = await access.rights(user);
      if (view === 'all' && !rights.leadership) return fail(res, 403, 'Forbidden');
      const all = await data.allCases();
      const chosen: CaseRecord[] = [];
      for (const c of all) {
        if (status && c.status !== status) continue;
        if (type && c.type !== type) continue;
        const ok =
          view === 'mine'
            ? access.isReporter(user, c)
            : view === 'queue'
              ? await access.canAct(user, c)
              : true;
        if (ok) chosen.push(c);
      }
      const now = ctx.now();
      // What needs someone first: overdue, then urgent and open, then the newest.
      chosen.sort(
        (a, b) =>
          Number(isOverdue(b, now)) - Number(isOverdue(a, now)) ||
          Number(b.urgent && b.status !== 'closed') - Number(a.urgent && a.status !== 'closed') ||
          newestFirst(a, b),
      );
      const view$ = cases.viewContext();
      res.json(200, {
        items: chosen.slice(0, MAX_LIST).map((c) => caseListItem(c, view$, now)),
        total: chosen.length,
      });
    }),
  );

  server.get(
    '/app/api/cases/:id',
    apiRoute(ctx, async (req, res, { user }) => {
      const found = await visible(req, res, user);
      if (!found) return;
      res.json(200, caseDetail(found.c, cases.viewContext(), found.sight, ctx.now()));
    }),
  );

  server.post(
    '/app/api/cases/:id/actions',
    apiRoute(
      ctx,
      async (req, res, { user }) => {
        const found = await visible(req, res, user);
        if (!found) return;
        if (found.sight !== 'expert') return fail(res, 403, 'Forbidden');
        const body = (req.body ?? {}) as Record<string, unknown>;
        if (typeof body !== 'object' || !(ACTIONS as readonly unknown[]).includes(body.kind))
          return fail(res, 400, 'BadAction');
        for (const k of ['text', 'target', 'outcome'])
          if (body[k] !== undefined && (typeof body[k] !== 'string' || (body[k] as string).length > MAX_TEXT))
            return fail(res, 400, 'BadField');
        const action = toCaseAction(body);
        if (!action) return fail(res, 400, 'BadAction');
        const result = await cases.act(found.c.id, who(user), action);
        const after = await data.case(found.c.id);
        const sight = after ? await access.sight(user, after) : undefined;
        res.json(result.ok ? 200 : 409, {
          ok: result.ok,
          message: result.message,
          case: after && sight ? caseDetail(after, cases.viewContext(), sight, ctx.now()) : undefined,
        });
      },
      { changes: true },
    ),
  );

  server.post(
    '/app/api/cases/:id/export',
    apiRoute(
      ctx,
      async (req, res, { user }) => {
        const found = await visible(req, res, user);
        if (!found) return;
        if (found.sight !== 'expert' || !user.person) return fail(res, 403, 'Forbidden');
        const result = await cases.act(found.c.id, who(user), { kind: 'export' });
        if (!result.ok) return res.json(409, { ok: false, message: result.message });
        const secret = await ctx.signIns.downloadLink(found.c.id, {
          platform: user.platform,
          userId: user.userId,
          personId: user.person.id,
        });
        res.json(200, { ok: true, url: `/app/download/${secret}` });
      },
      { changes: true },
    ),
  );
}
