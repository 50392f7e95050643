import { type ConnectorCall, cardTexts, FakeConnector } from './fake-connector.js';
import type { InvokeAnswer, TeamsUser } from './teams-user.js';

/** Everything a card or message says, for assertions. */
export function callText(c: ConnectorCall): string {
  return cardTexts(FakeConnector.card(c)).join(' | ') + (c.body.text ?? '');
}

/** What Teams shows the presser from an invoke's answer (Action.Execute): the card's texts, or the message. */
export function answerText(answer: InvokeAnswer | undefined): string {
  if (!answer) return '';
  return answer.type === 'application/vnd.microsoft.activity.message'
    ? answer.value
    : cardTexts(answer.value).join(' | ');
}

/** The case number a call names (the first one), if any. */
export function caseIdIn(c: ConnectorCall): string | undefined {
  return /[MV]-\d{4}-\d{4,6}/.exec(callText(c))?.[0];
}

export interface ReportOptions {
  readonly danger?: boolean;
  readonly type?: string;
  readonly description?: string;
  /** How long to wait for each answer of the bot. */
  readonly ms?: number;
}

/**
 * A teacher walks the private report flow in their 1:1 chat up to the review card ("Versturen"), the way Teams
 * delivers their clicks. Returns the review card; pressing "Versturen" on it sends the report.
 */
export async function reportUntilReview(
  teacher: TeamsUser,
  connector: FakeConnector,
  opts: ReportOptions = {},
): Promise<ConnectorCall> {
  const ms = opts.ms ?? 10_000;
  const next = (after: number) =>
    connector.waitFor((c) => c.conversationId === teacher.dm && connector.calls.indexOf(c) >= after, ms);
  let mark = connector.calls.length;
  await teacher.say('melding');
  let card = await next(mark);
  const steps: [string, Record<string, unknown>][] = [
    [opts.danger ? 'Ja, acuut gevaar' : 'Nee', {}],
    ['Volgende', { value: opts.type ?? 'online-pesten' }],
    ['Volgende', { value: 'pupil' }],
    ['Volgende', { checked: 'do-0' }],
    ['Volgende', { description: opts.description ?? 'A.B. wordt gepest in de groepsapp van klas 2B.' }],
  ];
  for (const [label, inputs] of steps) {
    mark = connector.calls.length;
    await teacher.press(card, label, inputs);
    card = await next(mark);
  }
  return card;
}

/**
 * A whole report: the flow, then "Versturen". Resolves with the acknowledged case number ("Melding … is
 * verstuurd"), or undefined when the bot did not acknowledge it.
 */
export async function report(
  teacher: TeamsUser,
  connector: FakeConnector,
  opts: ReportOptions = {},
): Promise<string | undefined> {
  const review = await reportUntilReview(teacher, connector, opts);
  const mark = connector.calls.length;
  await teacher.press(review, 'Versturen');
  const sent = await connector.waitFor(
    (c) => c.conversationId === teacher.dm && connector.calls.indexOf(c) >= mark,
    opts.ms ?? 10_000,
  );
  return /Melding (M-\d{4}-\d{4,6}) is verstuurd/.exec(callText(sent))?.[1];
}
