import {
  Body1,
  Button,
  Caption1,
  Card,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Link,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Select,
  Spinner,
  Subtitle1,
  Textarea,
  Title2,
  tokens,
} from '@fluentui/react-components';
import { type FormEvent, useState } from 'react';
import { ApiError, type CaseDetail } from './api.js';
import { CaseBadges } from './case-badges.js';
import { useEnv } from './context.js';
import type { WorkspaceKey } from './strings.js';
import { useLoad } from './use-load.js';

const useStyles = makeStyles({
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 2fr) minmax(16rem, 1fr)',
    gap: tokens.spacingHorizontalL,
    marginTop: tokens.spacingVerticalL,
    '@media (max-width: 760px)': { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  column: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  dd: { margin: 0, overflowWrap: 'anywhere' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: 'grid', gap: tokens.spacingVerticalXS },
  timeline: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: tokens.spacingVerticalM },
  entry: { borderLeft: `3px solid ${tokens.colorBrandStroke1}`, paddingLeft: tokens.spacingHorizontalM },
  quote: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    padding: tokens.spacingHorizontalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  back: { display: 'inline-block', marginBottom: tokens.spacingVerticalS },
});

type Form = 'note' | 'handover' | 'ask' | 'close';

/** One case: its facts, description, first steps and full history, with the same actions as the chat card. */
export function CaseDetailPage({ id }: { id: string }) {
  const styles = useStyles();
  const { api, s } = useEnv();
  const loaded = useLoad(() => api.case(id), id);
  const [form, setForm] = useState<Form | undefined>();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: string } | undefined>();
  const [download, setDownload] = useState<string | undefined>();

  if (loaded.error) {
    const missing =
      loaded.error instanceof ApiError && (loaded.error.status === 404 || loaded.error.status === 403);
    return (
      <>
        <Link href="#/cases" className={styles.back}>
          ← {s('case.back')}
        </Link>
        <MessageBar intent={missing ? 'warning' : 'error'}>
          <MessageBarBody>{missing ? s('case.notFound') : s('app.error')}</MessageBarBody>
        </MessageBar>
      </>
    );
  }
  const c = loaded.data;
  if (!c) return <Spinner label={s('app.loading')} />;

  const act = async (action: { kind: string; text?: string; target?: string; outcome?: string }) => {
    setBusy(true);
    setDownload(undefined);
    try {
      const r = await api.act(c.id, action);
      setResult({ ok: r.ok, message: r.message || s(r.ok ? 'action.done' : 'app.error') });
      if (r.case) loaded.set(r.case);
      if (r.ok) setForm(undefined);
    } catch {
      setResult({ ok: false, message: s('app.error') });
    } finally {
      setBusy(false);
    }
  };

  const exportFile = async () => {
    setBusy(true);
    try {
      const r = await api.exportCase(c.id);
      if (r.ok && r.url) {
        setDownload(r.url);
        setResult(undefined);
      } else setResult({ ok: false, message: r.message ?? s('app.error') });
    } catch {
      setResult({ ok: false, message: s('app.error') });
    } finally {
      setBusy(false);
    }
  };

  const a = c.actions;
  return (
    <article aria-labelledby="case-title">
      <Link href="#/cases" className={styles.back}>
        ← {s('case.back')}
      </Link>
      <div className={styles.head}>
        <Title2 as="h1" id="case-title">
          {c.title}
        </Title2>
        <CaseBadges c={c} />
      </div>
      <Body1 block>{c.statusText}</Body1>

      <div aria-live="polite">
        {result && (
          <MessageBar
            intent={result.ok ? 'success' : 'warning'}
            style={{ marginTop: tokens.spacingVerticalM }}
          >
            <MessageBarBody>{result.message}</MessageBarBody>
          </MessageBar>
        )}
        {download && (
          <MessageBar intent="info" style={{ marginTop: tokens.spacingVerticalM }}>
            <MessageBarBody>
              {s('action.export.ready')}{' '}
              <form method="post" action={download} style={{ display: 'inline' }}>
                <Button type="submit" appearance="primary" size="small">
                  {s('action.export.download')}
                </Button>
              </form>
            </MessageBarBody>
          </MessageBar>
        )}
      </div>

      <div className={styles.grid}>
        <div className={styles.column}>
          <Card>
            <Subtitle1 as="h2">{s('case.description')}</Subtitle1>
            <Body1 block className={styles.text}>
              {c.description}
            </Body1>
          </Card>
          {c.checklist.length > 0 && (
            <Card>
              <Subtitle1 as="h2">{s('case.checklist')}</Subtitle1>
              <ul className={styles.list}>
                {c.checklist.map((x) => (
                  <li key={`${x.kind}-${x.text}`}>
                    <Body1>
                      {x.text}{' '}
                      <Caption1>({s(x.done ? 'case.checklist.done' : 'case.checklist.open')})</Caption1>
                    </Body1>
                  </li>
                ))}
              </ul>
            </Card>
          )}
          <Card>
            <Subtitle1 as="h2">{s('case.timeline')}</Subtitle1>
            <ol className={styles.timeline}>
              {c.timeline.map((e, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at the end
                <li key={i} className={styles.entry}>
                  <Caption1 block>
                    <time dateTime={e.at}>{e.when}</time> · {e.who}
                  </Caption1>
                  <Body1 as="p" block style={{ margin: 0 }}>
                    <strong>{e.what}</strong>
                    {e.note ? `: ${e.note}` : ''}
                  </Body1>
                  {e.text && <blockquote className={styles.quote}>{e.text}</blockquote>}
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div className={styles.column}>
          <Card>
            <Subtitle1 as="h2">{s('case.facts')}</Subtitle1>
            <dl className={styles.facts}>
              {c.facts.map((f) => (
                <div key={f.title} style={{ display: 'contents' }}>
                  <dt className={styles.term}>{f.title}</dt>
                  <dd className={styles.dd}>{f.value}</dd>
                </div>
              ))}
            </dl>
          </Card>
          <Card>
            <Subtitle1 as="h2">{s('case.actions')}</Subtitle1>
            {!a ? (
              <Body1>{c.sight === 'reporter' ? s('case.reporterView') : s('case.readOnly')}</Body1>
            ) : (
              <div className={styles.actions}>
                {a.canTake && (
                  <Button appearance="primary" disabled={busy} onClick={() => act({ kind: 'take' })}>
                    {s('action.take')}
                  </Button>
                )}
                {a.canAct && (
                  <>
                    <Button disabled={busy} onClick={() => setForm('ask')}>
                      {s(c.question ? 'action.answer' : 'action.ask')}
                    </Button>
                    <Button disabled={busy} onClick={() => setForm('note')}>
                      {s('action.note')}
                    </Button>
                    <Button disabled={busy} onClick={() => setForm('handover')}>
                      {s('action.handover')}
                    </Button>
                    <Button disabled={busy} onClick={() => setForm('close')}>
                      {s('action.close')}
                    </Button>
                  </>
                )}
                {a.canExport && (
                  <Button disabled={busy} onClick={exportFile}>
                    {s('action.export')}
                  </Button>
                )}
              </div>
            )}
          </Card>
        </div>
      </div>
      {form && a && (
        <ActionDialog form={form} c={c} busy={busy} onCancel={() => setForm(undefined)} onSubmit={act} />
      )}
    </article>
  );
}

const TITLES: Record<Form, WorkspaceKey> = {
  note: 'action.note',
  handover: 'action.handover',
  ask: 'action.ask',
  close: 'action.close',
};

/** The form of one action, in a dialog: what the card's ShowCard asks, with the text that goes with it. */
function ActionDialog(props: {
  form: Form;
  c: CaseDetail;
  busy: boolean;
  onCancel: () => void;
  onSubmit: (a: { kind: string; text?: string; target?: string; outcome?: string }) => void;
}) {
  const { form, c, busy, onCancel, onSubmit } = props;
  const styles = useStyles();
  const { s } = useEnv();
  const [text, setText] = useState('');
  const [choice, setChoice] = useState(
    form === 'handover'
      ? (c.actions?.handoverTargets[0]?.value ?? '')
      : (c.actions?.outcomes[0]?.value ?? ''),
  );
  const [missing, setMissing] = useState(false);
  const needsText = form === 'note' || form === 'ask';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (needsText && !text.trim()) {
      setMissing(true);
      return;
    }
    onSubmit(
      form === 'handover'
        ? { kind: 'handover', target: choice, text }
        : form === 'close'
          ? { kind: 'close', outcome: choice, text }
          : { kind: form, text },
    );
  };
  const textLabel: WorkspaceKey =
    form === 'note'
      ? 'action.note.label'
      : form === 'ask'
        ? 'action.ask.label'
        : form === 'handover'
          ? 'action.handover.reason'
          : 'action.close.note';
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onCancel()}>
      <DialogSurface>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{s(form === 'ask' && c.question ? 'action.answer' : TITLES[form])}</DialogTitle>
            <DialogContent className={styles.form}>
              {(form === 'handover' || form === 'close') && (
                <Field label={s(form === 'handover' ? 'action.handover.to' : 'action.close.outcome')}>
                  <Select value={choice} onChange={(_, d) => setChoice(d.value)}>
                    {(form === 'handover'
                      ? (c.actions?.handoverTargets ?? [])
                      : (c.actions?.outcomes ?? [])
                    ).map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.title}
                      </option>
                    ))}
                  </Select>
                </Field>
              )}
              <Field
                label={s(textLabel)}
                required={needsText}
                validationMessage={missing ? s('action.required') : undefined}
              >
                <Textarea
                  value={text}
                  onChange={(_, d) => setText(d.value)}
                  maxLength={1000}
                  resize="vertical"
                  rows={4}
                />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onCancel}>
                {s('action.cancel')}
              </Button>
              <Button appearance="primary" type="submit" disabled={busy}>
                {s('action.submit')}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
