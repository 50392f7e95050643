import { prefillText } from '../escalation/flow-handler.js';
import type { StringKey, Translate } from '../i18n/index.js';
import type { AcuteConcern, EmergencyLine } from '../knowledge/acute.js';
import type { Article, KnowledgeBase, RoleId } from '../knowledge/model.js';
import { inlineToPlain } from '../knowledge/parse.js';
import type { SchoolDirectory } from '../school/directory.js';
import type { Outgoing } from '../types.js';
import type { SmallTalk } from './small-talk.js';

/**
 * The cards of the answer path: an answer, "Bedoel je …?", "ik weet het niet", "daar help ik niet mee" and small
 * talk. Data only; the templates in `cards/` decide the layout and carry the verbs of `actions.ts`.
 */
export interface AnswerViewContext {
  readonly t: Translate;
  readonly kb: KnowledgeBase;
  /** Who holds which role; absent without a school configuration (the card then names roles only). */
  readonly directory?: SchoolDirectory;
  /** The question was English or the user reads English: say that the guidance is Dutch. */
  readonly dutchNote?: boolean;
}

const MAX_STEPS = 3;
const MAX_DONTS = 2;
/** Roles named under "Wie schakel je in": the article's first few, the teacher's own role (mentor) left out. */
const MAX_ROLES = 3;

/** Every emergency line, in the order the "don't know" card shows them. */
const ALL_LINES: readonly EmergencyLine[] = ['112', '113', 'veilig-thuis'];

/** The emergency lines in the reader's language, one text each (112, 113, Veilig Thuis). */
export function emergencyLines(lines: readonly EmergencyLine[], t: Translate): string[] {
  return lines.map((l) => t(`acute.line.${l}` as StringKey));
}

export function emergencyText(lines: readonly EmergencyLine[], t: Translate): string {
  return emergencyLines(lines, t).join('\n\n');
}

/** The labels every knowledge card uses (answer, article, choices, don't know). */
export function cardLabels(t: Translate) {
  const keys: Record<string, StringKey> = {
    firstSteps: 'answer.firstSteps',
    dontSteps: 'answer.dontSteps',
    who: 'answer.who',
    related: 'answer.related',
    readMore: 'answer.readMore',
    helpful: 'answer.helpful',
    yes: 'answer.yes',
    no: 'answer.no',
    askExpert: 'answer.askExpert',
    report: 'answer.report',
    otherMatches: 'answer.otherMatches',
    help: 'article.backToHelp',
    acute: 'acute.title',
  };
  return Object.fromEntries(Object.entries(keys).map(([k, key]) => [k, t(key)]));
}

/**
 * "Wie schakel je in": the roles with the names of who holds them in this school ("Bij jullie: M. El Amrani,
 * vertrouwenspersoon"); without a school configuration, the role names only.
 */
export async function whoToInvolve(
  roles: readonly RoleId[],
  directory: SchoolDirectory | undefined,
  t: Translate,
): Promise<string> {
  const shown = roles.filter((r) => r !== 'mentor').slice(0, MAX_ROLES);
  const roleName = (r: RoleId) => t(`role.${r}` as StringKey);
  if (!directory) return shown.map(roleName).join(', ');
  const named: string[] = [];
  const unnamed: string[] = [];
  for (const r of shown) {
    const names = (await directory.holders([r])).map((id) => directory.person(id)?.name).filter(Boolean);
    if (names.length) named.push(`${names.join(', ')}, ${roleName(r)}`);
    else unnamed.push(roleName(r));
  }
  const here = named.length ? t('answer.whoHere', { names: named.join('; ') }) : '';
  return [here, unnamed.join(', ')].filter(Boolean).join('\n\n');
}

/** The role "Vraag een expert" preselects: the first asked role someone holds here. */
async function expertRole(
  roles: readonly RoleId[] | undefined,
  directory: SchoolDirectory | undefined,
): Promise<RoleId | undefined> {
  if (!roles?.length) return undefined;
  for (const r of roles) if (!directory || (await directory.holders([r])).length) return r;
  return roles[0];
}

function related(article: Article, extra: readonly Article[], kb: KnowledgeBase) {
  // The editor's choice first, then what the search found next to it.
  return [...new Set([...article.related, ...extra.map((a) => a.slug)])]
    .filter((s) => s !== article.slug)
    .map((s) => kb.bySlug.get(s))
    .filter((a): a is Article => Boolean(a))
    .slice(0, 2)
    .map((a) => ({ slug: a.slug, title: a.title }));
}

export interface AnswerCardInput {
  readonly article: Article;
  readonly runnersUp?: readonly Article[];
  /** Acute danger: the emergency lines go first, styled as a warning. */
  readonly acute?: AcuteConcern;
  /** A who-question: these roles (with names) instead of the article's, and "Vraag een expert" preselects one. */
  readonly roles?: readonly RoleId[];
}

/** The answer card: what to do now, what not to do, whom to involve, then more. */
export async function answerCard(input: AnswerCardInput, ctx: AnswerViewContext): Promise<Outgoing> {
  const { article, acute, roles } = input;
  const { t, kb, directory } = ctx;
  const who = await whoToInvolve(roles ?? article.roles, directory, t);
  const role = await expertRole(roles, directory);
  return {
    kind: 'card',
    template: 'answer',
    summary: t('answer.summary', { title: article.title }),
    data: {
      slug: article.slug,
      title: article.title,
      summary: article.summary,
      // A report is offered for incidents, and always in acute danger.
      incident: article.incident || Boolean(acute),
      emergency: acute ? emergencyText(acute.lines, t) : '',
      note: ctx.dutchNote ? t('answer.dutchNote') : '',
      // One TextBlock holds each list: separate blocks would each start numbering at 1.
      steps: article.firstSteps
        .slice(0, MAX_STEPS)
        .map((s, i) => `${i + 1}. ${s}`)
        .join('\n'),
      donts: article.dontSteps
        .slice(0, MAX_DONTS)
        .map((s) => `- ${s}`)
        .join('\n'),
      who: who || (roles && !directory ? t('answer.whoNoSchool') : ''),
      // "Vraag een expert" preselects this role (empty: the form's own default).
      role: role ?? '',
      related: related(article, input.runnersUp ?? [], kb),
      labels: cardLabels(t),
    },
  };
}

/** "Bedoel je …?": the close candidates as buttons, each opening that article's answer card. */
/** "Lees meer": the whole article, its sections as the card's text, and the editor's related articles. */
export function articleCard(article: Article, ctx: Pick<AnswerViewContext, 't' | 'kb'>): Outgoing {
  const { t, kb } = ctx;
  return {
    kind: 'card',
    template: 'article',
    summary: t('article.summary', { title: article.title }),
    data: {
      slug: article.slug,
      title: article.title,
      summary: article.summary,
      incident: article.incident,
      sections: article.sections.map((s) => ({ heading: s.heading, text: articleMarkdown(s.text) })),
      related: related(article, [], kb),
      labels: cardLabels(t),
    },
  };
}

/** Article markdown for a card TextBlock: links to sibling articles become plain labels (buttons cover them). */
function articleMarkdown(text: string): string {
  return text.replace(/\[([^\]]+)\]\(([a-z0-9-]+\.md)\)/g, '$1').replace(/^\s*\|.*\|\s*$/gm, (row) =>
    inlineToPlain(
      row
        .split('|')
        .map((c) => c.trim())
        .filter((c) => c && !/^-+$/.test(c))
        .join(' · '),
    ),
  );
}

export function choicesCard(choices: readonly Article[], question: string, ctx: AnswerViewContext): Outgoing {
  const { t } = ctx;
  return {
    kind: 'card',
    template: 'choices',
    summary: t('choices.summary'),
    data: {
      title: t('choices.title'),
      intro: t('choices.intro'),
      choices: choices.map((a) => ({ slug: a.slug, title: a.title })),
      question: prefillText(question),
      labels: cardLabels(t),
    },
  };
}

/**
 * "Ik weet het niet" — never a dead end: the emergency lines, "Melding maken" first, then a person. `offTopic`
 * says "daar help ik niet mee" instead, without the promise to keep the question.
 */
export function unknownCard(question: string, ctx: AnswerViewContext, offTopic = false): Outgoing {
  const { t } = ctx;
  return {
    kind: 'card',
    template: 'unknown',
    summary: t(offTopic ? 'offTopic.summary' : 'unknown.summary'),
    data: {
      title: t(offTopic ? 'offTopic.title' : 'unknown.title'),
      body: t(offTopic ? 'offTopic.body' : 'unknown.body'),
      emergency: offTopic ? '' : emergencyText(ALL_LINES, t),
      // Prefills "ask an expert": the asker's own words, back to the asker only.
      question: prefillText(question),
      labels: cardLabels(t),
    },
  };
}

export function smallTalkReply(talk: SmallTalk, t: Translate): Outgoing {
  const key: Record<SmallTalk, StringKey> = {
    thanks: 'smallTalk.thanks',
    bye: 'smallTalk.bye',
    stop: 'smallTalk.stop',
  };
  return { kind: 'text', text: t(key[talk]) };
}
