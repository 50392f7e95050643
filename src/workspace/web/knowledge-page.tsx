import {
  Body1,
  Card,
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
  tokens,
} from '@fluentui/react-components';
import { formatDateTime, useEnv } from './context.js';
import type { WorkspaceKey } from './strings.js';
import { useLoad } from './use-load.js';

const useStyles = makeStyles({
  sections: { display: 'grid', gap: tokens.spacingVerticalL, marginTop: tokens.spacingVerticalM },
  scroll: { overflowX: 'auto' },
  // Left, like the column headers above them (Fluent's header cells do not align right).
  num: { fontVariantNumeric: 'tabular-nums' },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** For knowledge editors: what teachers asked that the articles lack (as `vangnet kb gaps`), and feedback. */
export function KnowledgePage() {
  const styles = useStyles();
  const { api, s, lang } = useEnv();
  const loaded = useLoad(() => api.knowledge(), 'knowledge');
  if (loaded.error)
    return (
      <MessageBar intent="error">
        <MessageBarBody>{s('app.error')}</MessageBarBody>
      </MessageBar>
    );
  const d = loaded.data;
  if (!d) return <Spinner label={s('app.loading')} />;
  return (
    <section aria-labelledby="knowledge-title">
      <Title2 as="h1" id="knowledge-title">
        {s('knowledge.title')}
      </Title2>
      <Body1 as="p" block className={styles.muted}>
        {s('knowledge.intro')}
      </Body1>
      <div className={styles.sections}>
        <Card>
          <Subtitle1 as="h2">{s('knowledge.gaps')}</Subtitle1>
          {d.gaps.length === 0 ? (
            <Body1>{s('knowledge.none')}</Body1>
          ) : (
            <div className={styles.scroll}>
              <Table size="small" aria-label={s('knowledge.gaps')}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{s('knowledge.col.count')}</TableHeaderCell>
                    <TableHeaderCell>{s('knowledge.col.reason')}</TableHeaderCell>
                    <TableHeaderCell>{s('knowledge.col.what')}</TableHeaderCell>
                    <TableHeaderCell>{s('knowledge.col.last')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {d.gaps.map((g) => (
                    <TableRow key={`${g.reason}-${g.what}`}>
                      <TableCell className={styles.num}>{g.count}</TableCell>
                      <TableCell>{s(`knowledge.reason.${g.reason}` as WorkspaceKey)}</TableCell>
                      <TableCell>{g.title ?? g.what}</TableCell>
                      <TableCell>{formatDateTime(g.last, lang)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </Card>
        <Card>
          <Subtitle1 as="h2">{s('knowledge.articles')}</Subtitle1>
          {d.articles.length === 0 ? (
            <Body1>{s('knowledge.none')}</Body1>
          ) : (
            <div className={styles.scroll}>
              <Table size="small" aria-label={s('knowledge.articles')}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{s('knowledge.col.article')}</TableHeaderCell>
                    <TableHeaderCell>{s('knowledge.col.helpful')}</TableHeaderCell>
                    <TableHeaderCell>{s('knowledge.col.notHelpful')}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {d.articles.map((a) => (
                    <TableRow key={a.slug}>
                      <TableCell>{a.title}</TableCell>
                      <TableCell className={styles.num}>{a.helpful}</TableCell>
                      <TableCell className={styles.num}>{a.notHelpful}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </Card>
      </div>
    </section>
  );
}
