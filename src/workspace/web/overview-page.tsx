import {
  Body1,
  Button,
  Caption1,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
  Title3,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { StackedBars } from './chart.js';
import { formatMonth, useEnv } from './context.js';
import type { Strings } from './strings.js';
import { useLoad } from './use-load.js';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalM,
    margin: `${tokens.spacingVerticalM} 0`,
  },
  kpis: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(11rem, 1fr))',
    gap: tokens.spacingHorizontalM,
    marginBottom: tokens.spacingVerticalL,
  },
  kpi: { display: 'flex', flexDirection: 'column-reverse', gap: tokens.spacingVerticalXS },
  sections: { display: 'grid', gap: tokens.spacingVerticalL },
  scroll: { overflowX: 'auto' },
  // Left, like the column headers above them (Fluent's header cells do not align right).
  num: { fontVariantNumeric: 'tabular-nums' },
  muted: { color: tokens.colorNeutralForeground3 },
});

function duration(minutes: number | undefined, s: Strings, lang: 'nl' | 'en'): string {
  if (minutes === undefined) return s('overview.none');
  const n = (x: number) =>
    new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 1 }).format(x);
  if (minutes < 90) return s('overview.minutes', { n: n(Math.round(minutes)) });
  if (minutes < 48 * 60) return s('overview.hours', { n: n(minutes / 60) });
  return s('overview.days', { n: n(minutes / 1440) });
}

/** For schoolleiding: incidents per type per month, take-up times, overdue and escalated, questions by topic. */
export function OverviewPage() {
  const styles = useStyles();
  const { api, s, lang } = useEnv();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const loaded = useLoad(() => api.overview(range.from, range.to), `${range.from}|${range.to}`);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');

  if (loaded.error)
    return (
      <MessageBar intent="error">
        <MessageBarBody>{s('app.error')}</MessageBarBody>
      </MessageBar>
    );
  const d = loaded.data;
  if (!d) return <Spinner label={s('app.loading')} />;
  const o = d.overview;
  const label = (t: string) => d.typeLabels[t] ?? t;
  const apply = () => {
    if (/^\d{4}-\d{2}$/.test(from) && /^\d{4}-\d{2}$/.test(to) && from <= to) setRange({ from, to });
  };
  const downloadCsv = async () => {
    const blob = await api.overviewCsv(d.range.from, d.range.to);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `vangnet-overzicht-${d.range.from}-${d.range.to}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const kpis: [string, string][] = [
    [s('overview.kpi.incidents'), String(o.incidents)],
    [s('overview.kpi.urgent'), String(o.urgent)],
    [s('overview.kpi.medianTakeUp'), duration(o.takeUp.medianMinutes, s, lang)],
    [s('overview.kpi.slowestTakeUp'), duration(o.takeUp.slowestMinutes, s, lang)],
    [s('overview.kpi.waiting'), String(o.takeUp.waiting)],
    [s('overview.kpi.overdue'), String(o.overdue)],
    [s('overview.kpi.overdueNow'), String(o.overdueNow)],
    [s('overview.kpi.escalated'), String(o.escalated)],
    [s('overview.kpi.questions'), String(o.questions)],
  ];
  const period = `${formatMonth(d.range.from, lang, 'long')} – ${formatMonth(d.range.to, lang, 'long')}`;

  return (
    <section aria-labelledby="overview-title">
      <Title2 as="h1" id="overview-title">
        {s('overview.title')}
      </Title2>
      <Body1 as="p" block className={styles.muted}>
        {s('overview.intro')} {period}.
      </Body1>
      <div className={styles.bar}>
        <Field label={s('overview.from')}>
          <Input type="month" value={from || d.range.from} onChange={(_, v) => setFrom(v.value)} />
        </Field>
        <Field label={s('overview.to')}>
          <Input type="month" value={to || d.range.to} onChange={(_, v) => setTo(v.value)} />
        </Field>
        <Button onClick={apply}>OK</Button>
        <Button appearance="subtle" onClick={() => setRange({})}>
          {s('overview.schoolYear')}
        </Button>
        <Button appearance="primary" onClick={downloadCsv}>
          {s('overview.csv')}
        </Button>
      </div>
      <ul
        className={styles.kpis}
        style={{ listStyle: 'none', padding: 0, margin: `0 0 ${tokens.spacingVerticalL}` }}
      >
        {kpis.map(([k, v]) => (
          <li key={k}>
            <Card className={styles.kpi}>
              <Caption1>{k}</Caption1>
              <Title3 as="p" block style={{ margin: 0 }}>
                {v}
              </Title3>
            </Card>
          </li>
        ))}
      </ul>
      <div className={styles.sections}>
        <Card>
          <Subtitle1 as="h2">{s('overview.chart')}</Subtitle1>
          {o.incidents === 0 ? (
            <Body1>{s('overview.empty')}</Body1>
          ) : (
            <>
              <StackedBars
                months={o.months}
                types={o.types}
                counts={o.counts}
                label={label}
                lang={lang}
                summary={s('overview.chart.summary', {
                  n: o.incidents,
                  from: formatMonth(d.range.from, lang, 'long'),
                  to: formatMonth(d.range.to, lang, 'long'),
                })}
              />
              <div className={styles.scroll}>
                <Table size="small" aria-label={s('overview.chart')}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>{s('overview.table.month')}</TableHeaderCell>
                      {o.types.map((t) => (
                        <TableHeaderCell key={t}>{label(t)}</TableHeaderCell>
                      ))}
                      <TableHeaderCell>{s('overview.table.total')}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {o.months.map((m) => (
                      <TableRow key={m}>
                        <TableCell>{formatMonth(m, lang)}</TableCell>
                        {o.types.map((t) => (
                          <TableCell key={t} className={styles.num}>
                            {o.counts[m]?.[t] ?? 0}
                          </TableCell>
                        ))}
                        <TableCell className={styles.num}>
                          {o.types.reduce((n, t) => n + (o.counts[m]?.[t] ?? 0), 0)}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            </>
          )}
        </Card>
        <Card>
          <Subtitle1 as="h2">{s('overview.topics')}</Subtitle1>
          {o.questionsByTopic.length === 0 ? (
            <Body1>{s('overview.topics.none')}</Body1>
          ) : (
            <Table size="small" aria-label={s('overview.topics')}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{s('overview.topic')}</TableHeaderCell>
                  <TableHeaderCell>{s('knowledge.col.count')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {o.questionsByTopic.map((q) => (
                  <TableRow key={q.topic}>
                    <TableCell>{d.topicLabels[q.topic] ?? q.topic}</TableCell>
                    <TableCell className={styles.num}>{q.count}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </Card>
      </div>
    </section>
  );
}
