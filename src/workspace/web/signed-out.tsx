import { Body1, makeStyles, Title2, tokens } from '@fluentui/react-components';
import type { Strings } from './strings.js';

const useStyles = makeStyles({
  main: {
    maxWidth: '36rem',
    margin: '12vh auto 0',
    padding: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
  },
});

/** Not signed in (or no longer): how to get back in on this platform. */
export function SignedOut({ s, teams, status }: { s: Strings; teams: boolean; status: number }) {
  const styles = useStyles();
  return (
    <main className={styles.main}>
      <Title2 as="h1">{status === 401 ? s('app.signedOut') : s('app.error')}</Title2>
      <Body1>{teams ? s('app.signedOut.teams') : s('app.signedOut.slack')}</Body1>
    </main>
  );
}
