import {
  Button,
  Caption1,
  makeStyles,
  type SelectTabData,
  Subtitle1,
  Tab,
  TabList,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { CaseDetailPage } from './case-detail.js';
import { CasesPage } from './cases-page.js';
import { useEnv } from './context.js';
import { KnowledgePage } from './knowledge-page.js';
import { OverviewPage } from './overview-page.js';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  brand: { display: 'flex', flexDirection: 'column', marginRight: 'auto' },
  user: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  nav: { paddingLeft: tokens.spacingHorizontalS, overflowX: 'auto' },
  main: {
    maxWidth: '1120px',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    '@media (max-width: 600px)': { padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalS}` },
  },
  page: { backgroundColor: tokens.colorNeutralBackground2, minHeight: '100vh' },
});

type Route = { page: 'cases' } | { page: 'case'; id: string } | { page: 'overview' } | { page: 'knowledge' };

function routeOf(hash: string): Route {
  const m = /^#\/cases\/([MV]-\d{4}-\d{4,6})$/.exec(hash);
  if (m?.[1]) return { page: 'case', id: m[1] };
  if (hash === '#/overview') return { page: 'overview' };
  if (hash === '#/knowledge') return { page: 'knowledge' };
  return { page: 'cases' };
}

/** The workspace: a header, the sections this user may see, and the page of the URL's #fragment. */
export function App({ teams }: { teams: boolean }) {
  const styles = useStyles();
  const { me, s, api } = useEnv();
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const section = route.page === 'case' ? 'cases' : route.page;
  const go = (_: unknown, d: SelectTabData) => {
    location.hash = `#/${String(d.value)}`;
  };
  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    location.reload();
  };
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        {/* In Teams the tab already says "Vangnet": the header then only names the school. */}
        <div className={styles.brand}>
          {!teams && <Subtitle1 as="p">{s('app.title')}</Subtitle1>}
          <Caption1>{me.school}</Caption1>
        </div>
        <div className={styles.user}>
          <Caption1>{me.name}</Caption1>
          {me.via === 'session' && (
            <Button size="small" appearance="subtle" onClick={signOut}>
              {s('app.signOut')}
            </Button>
          )}
        </div>
      </header>
      <nav className={styles.nav} aria-label={s('nav.label')}>
        <TabList selectedValue={section} onTabSelect={go}>
          <Tab value="cases">{s('nav.cases')}</Tab>
          {me.rights.leadership && <Tab value="overview">{s('nav.overview')}</Tab>}
          {me.rights.editor && <Tab value="knowledge">{s('nav.knowledge')}</Tab>}
        </TabList>
      </nav>
      <main className={styles.main}>
        {route.page === 'case' ? (
          <CaseDetailPage id={route.id} />
        ) : route.page === 'overview' && me.rights.leadership ? (
          <OverviewPage />
        ) : route.page === 'knowledge' && me.rights.editor ? (
          <KnowledgePage />
        ) : (
          <CasesPage />
        )}
      </main>
    </div>
  );
}
