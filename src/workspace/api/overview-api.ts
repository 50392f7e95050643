import type { Request, Response, Server } from 'restify';
import { isMonth, type OverviewRange, overview, schoolYearOf } from '../../core/cases/stats.js';
import { translator } from '../../core/i18n/index.js';
import { zonedTime } from '../../core/school/calendar.js';
import { apiRoute, fail, queryParam, type WorkspaceContext } from '../context.js';
import { overviewCsv } from '../overview-csv.js';
import { workspaceStrings } from '../web/strings.js';

/** The overview for schoolleiding (and admins): JSON for the page, CSV for the annual report. */
export function mountOverviewApi(server: Server, ctx: WorkspaceContext): void {
  const school = () => ctx.directory.config;

  /** The requested months (default: this school year), or a 400. */
  const rangeOf = (req: Request, res: Response): OverviewRange | undefined => {
    const from = queryParam(req, 'from');
    const to = queryParam(req, 'to');
    if (!from && !to) return schoolYearOf(ctx.now(), school().timezone);
    if (!isMonth(from) || !isMonth(to) || to < from) {
      fail(res, 400, 'BadRange');
      return undefined;
    }
    return { from, to };
  };

  /** The overview of a range, from the cases reported in it (a day's margin for the time zone). */
  const compute = async (range: OverviewRange) => {
    const tz = school().timezone;
    const [fy, fm] = range.from.split('-').map(Number) as [number, number];
    const [ty, tm] = range.to.split('-').map(Number) as [number, number];
    const start = zonedTime(fy, fm, 1, 0, tz);
    const end = zonedTime(ty, tm + 1, 1, 0, tz);
    const cases = await ctx.data.casesReportedBetween(start.toISOString(), end.toISOString());
    return overview(cases, range, tz, ctx.now());
  };

  const labels = (lang: 'nl' | 'en') => {
    const t = translator(lang);
    return {
      type: (id: string) => ctx.cases.viewContext().catalog.types.get(id)?.label[lang] ?? id,
      topic: (role: string) => t(`role.${role}` as Parameters<typeof t>[0]),
    };
  };

  server.get(
    '/app/api/overview',
    apiRoute(ctx, async (req, res, { user }) => {
      if (!(await ctx.access.rights(user)).leadership) return fail(res, 403, 'Forbidden');
      const range = rangeOf(req, res);
      if (!range) return;
      const o = await compute(range);
      const l = labels(ctx.lang);
      res.json(200, {
        range,
        schoolYear: schoolYearOf(ctx.now(), school().timezone),
        overview: o,
        typeLabels: Object.fromEntries(o.types.map((t) => [t, l.type(t)])),
        topicLabels: Object.fromEntries(o.questionsByTopic.map((q) => [q.topic, l.topic(q.topic)])),
      });
    }),
  );

  server.get(
    '/app/api/overview.csv',
    apiRoute(ctx, async (req, res, { user }) => {
      if (!(await ctx.access.rights(user)).leadership) return fail(res, 403, 'Forbidden');
      const range = rangeOf(req, res);
      if (!range) return;
      const csv = overviewCsv(
        await compute(range),
        range,
        school().name,
        workspaceStrings(ctx.lang),
        labels(ctx.lang),
      );
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader(
        'content-disposition',
        `attachment; filename="vangnet-overzicht-${range.from}-${range.to}.csv"`,
      );
      res.writeHead(200);
      res.end(csv);
    }),
  );
}
