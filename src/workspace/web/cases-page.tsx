import {
  Body1,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Select,
  Spinner,
  Subtitle2,
  Tab,
  TabList,
  Title2,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { CaseItem } from './api.js';
import { CaseBadges } from './case-badges.js';
import { formatDateTime, useEnv } from './context.js';
import { useLoad } from './use-load.js';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    gap: tokens.spacingHorizontalL,
    marginBottom: tokens.spacingVerticalL,
  },
  views: { flexBasis: '100%' },
  filter: { minWidth: '12rem', '@media (max-width: 600px)': { minWidth: '0', flexGrow: 1 } },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalS },
  item: {
    display: 'grid',
    gridTemplateColumns: '9rem 1fr 12rem 11rem',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow2,
    color: tokens.colorNeutralForeground1,
    textDecorationLine: 'none',
    borderLeft: '4px solid transparent',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '2px' },
    '@media (max-width: 760px)': { gridTemplateColumns: '1fr', gap: tokens.spacingVerticalXS },
  },
  overdue: { borderLeftColor: tokens.colorPaletteRedBorder2 },
  id: { fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  badges: { display: 'flex', gap: tokens.spacingHorizontalXS, flexWrap: 'wrap', alignItems: 'center' },
  muted: { color: tokens.colorNeutralForeground3 },
  late: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

type View = 'queue' | 'mine' | 'all';

/** The case lists: cases I may act on, my own reports, and (schoolleiding) all of the school, with filters. */
export function CasesPage() {
  const styles = useStyles();
  const { api, me, s, lang } = useEnv();
  const views: View[] = [
    ...(me.rights.expert ? (['queue'] as const) : []),
    'mine',
    ...(me.rights.leadership ? (['all'] as const) : []),
  ];
  const [view, setView] = useState<View>(views[0] ?? 'mine');
  const [status, setStatus] = useState(view === 'queue' ? 'open' : '');
  const [type, setType] = useState('');
  const list = useLoad(() => api.cases(view, status, type), `${view}|${status}|${type}`);

  const row = (c: CaseItem) => (
    <li key={c.id}>
      <a href={`#/cases/${c.id}`} className={`${styles.item} ${c.overdue ? styles.overdue : ''}`}>
        <span className={styles.id}>{c.id}</span>
        <span className={styles.badges}>
          <Body1>{c.typeLabel}</Body1>
          <CaseBadges c={c} />
        </span>
        <Caption1>{c.statusText}</Caption1>
        <Caption1 className={c.overdue ? styles.late : styles.muted}>
          {c.deadlineAt
            ? `${s('cases.col.deadline')} ${formatDateTime(c.deadlineAt, lang)}`
            : `${s('cases.col.created')} ${formatDateTime(c.createdAt, lang)}`}
        </Caption1>
      </a>
    </li>
  );

  return (
    <section aria-labelledby="cases-title">
      <Title2 as="h1" id="cases-title">
        {s('nav.cases')}
      </Title2>
      <div className={styles.bar}>
        {views.length > 1 && (
          <TabList
            className={styles.views}
            size="small"
            selectedValue={view}
            onTabSelect={(_, d) => {
              setView(d.value as View);
              setStatus(d.value === 'queue' ? 'open' : '');
            }}
            aria-label={s('cases.view.label')}
          >
            {views.map((v) => (
              <Tab key={v} value={v}>
                {s(`cases.view.${v}`)}
              </Tab>
            ))}
          </TabList>
        )}
        <Field label={s('cases.filter.status')} className={styles.filter}>
          <Select value={status} onChange={(_, d) => setStatus(d.value)}>
            <option value="">{s('cases.filter.any')}</option>
            <option value="open">{s('cases.status.open')}</option>
            <option value="taken">{s('cases.status.taken')}</option>
            <option value="closed">{s('cases.status.closed')}</option>
          </Select>
        </Field>
        <Field label={s('cases.filter.type')} className={styles.filter}>
          <Select value={type} onChange={(_, d) => setType(d.value)}>
            <option value="">{s('cases.filter.any')}</option>
            {me.types.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {list.error ? (
        <MessageBar intent="error">
          <MessageBarBody>{s('app.error')}</MessageBarBody>
        </MessageBar>
      ) : !list.data ? (
        <Spinner label={s('app.loading')} />
      ) : list.data.items.length === 0 ? (
        <Body1>{s('cases.empty')}</Body1>
      ) : (
        <>
          <Subtitle2 as="h2" className={styles.muted} aria-live="polite">
            {list.data.total === 1 ? s('cases.count.one') : s('cases.count', { n: list.data.total })}
          </Subtitle2>
          <ul className={styles.list}>{list.data.items.map(row)}</ul>
        </>
      )}
    </section>
  );
}
