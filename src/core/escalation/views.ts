import { VERB_ARTICLE } from '../actions.js';
import type { Translate } from '../i18n/index.js';
import type { KnowledgeBase } from '../knowledge/model.js';
import type { SchoolConfig } from '../school/school.js';
import type { Lang, Outgoing } from '../types.js';
import { INVOLVED, type IncidentCatalog } from './catalog.js';
import { type FlowState, firstSteps, routeCase, STEPS } from './flow.js';

export const VERB_FLOW = 'flow.step';

export interface FlowViewContext {
  readonly catalog: IncidentCatalog;
  readonly school: SchoolConfig;
  readonly kb: KnowledgeBase;
  readonly t: Translate;
  readonly lang: Lang;
}

type Action = { title: string; style: 'default' | 'positive' | 'destructive'; data: Record<string, unknown> };

/** The card for the flow's current step. Every button carries the flow id and revision. */
export function flowStepCard(flow: FlowState, ctx: FlowViewContext, notice = ''): Outgoing {
  const { t, catalog, lang } = ctx;
  const base = { verb: VERB_FLOW, flowId: flow.id, rev: flow.rev };
  const act = (title: string, event: string, style: Action['style'] = 'default', extra = {}): Action => ({
    title,
    style,
    data: { ...base, event, ...extra },
  });
  const back = act(t('flow.back'), 'back');
  // Not red: only "Ja, acuut gevaar" is, so the two never look alike.
  const cancel = act(t('flow.cancel'), 'stop');
  const type = flow.type ? catalog.types.get(flow.type) : undefined;
  const steps = firstSteps(catalog, flow.type, flow.involved);
  const meldplichtLabel = steps.meldplicht
    ? [
        {
          title: t('flow.meldplicht.label'),
          style: 'attention',
          lines: [{ text: t('flow.meldplicht.body') }],
        },
      ]
    : [];
  const data: Record<string, unknown> = {
    title: t('flow.title'),
    progress: t('flow.progress', { n: STEPS.indexOf(flow.step) + 1, total: STEPS.length }),
    notice,
    danger: flow.danger
      ? [t('flow.danger.help112'), t('flow.danger.helpCrisis', { contact: ctx.school.crisisContact })].map(
          (line) => ({ line }),
        )
      : [],
    question: '',
    hint: '',
    required: t('case.invalid'),
    sections: [],
    options: [],
    selected: '',
    checklist: [],
    checkedValue: '',
    showDescription: false,
    placeholder: '',
    description: flow.description ?? '',
    facts: [],
    links: [],
    privateNote: t('flow.privateNote'),
    actions: [],
  };
  if (flow.confirmingStop) {
    data.question = t('flow.stop.question');
    data.hint = t(flow.danger ? 'flow.stop.hintAlarm' : 'flow.stop.hint');
    data.actions = [
      act(t('flow.stop.resume'), 'resume', 'positive'),
      act(t('flow.stop.keep'), 'stop-confirmed', 'default', { value: 'keep' }),
      act(t('flow.stop.discard'), 'stop-confirmed', 'destructive', { value: 'discard' }),
    ];
    return { kind: 'card', template: 'flow-step', summary: t('flow.title'), data };
  }
  switch (flow.step) {
    case 'danger':
      data.question = t('flow.danger.question');
      data.actions = [
        act(t('flow.danger.yes'), 'danger', 'destructive', { value: 'yes' }),
        act(t('flow.danger.no'), 'danger', 'default', { value: 'no' }),
        cancel,
      ];
      break;
    case 'type':
      data.question = t('flow.type.question');
      data.options = [...catalog.types.values()].map((x) => ({ title: x.label[lang], value: x.id }));
      data.selected = flow.type ?? flow.suggestedType ?? '';
      data.required = t('flow.type.missing');
      data.actions = [act(t('flow.next'), 'type', 'positive'), back, cancel];
      break;
    case 'involved':
      data.question = t('flow.involved.question');
      data.hint = type?.sexual ? t('flow.involved.meldplicht') : '';
      data.options = INVOLVED.map((k) => ({ title: catalog.involved[k][lang], value: k }));
      data.selected = flow.involved ?? '';
      data.required = t('flow.involved.missing');
      data.actions = [act(t('flow.next'), 'involved', 'positive'), back, cancel];
      break;
    case 'checklist': {
      data.question = t('flow.checklist.question', { type: type?.label[lang] ?? '' });
      data.hint = t('flow.checklist.hint');
      // What to do is a checklist; what not to do is a warning, never a box to tick.
      data.checklist = steps.do.map((x, i) => ({ title: x[lang], value: `do-${i}` }));
      data.checkedValue = flow.checked.join(',');
      data.sections = [
        ...meldplichtLabel,
        ...(steps.dont.length
          ? [
              {
                title: t('flow.checklist.dont'),
                style: 'warning',
                lines: steps.dont.map((x) => ({ text: x[lang] })),
              },
            ]
          : []),
      ];
      const slug = steps.meldplicht ? catalog.meldplicht.article : type?.article;
      const article = slug ? ctx.kb.bySlug.get(slug) : undefined;
      data.links = article
        ? [
            {
              title: t('flow.checklist.article', { title: article.title }),
              data: { verb: VERB_ARTICLE, slug: article.slug },
            },
          ]
        : [];
      data.actions = [act(t('flow.next'), 'checklist', 'positive'), back, cancel];
      break;
    }
    case 'description':
      data.question = t('flow.description.question');
      data.hint = t('flow.description.hint');
      data.showDescription = true;
      data.placeholder = t('flow.description.placeholder');
      data.actions = [act(t('flow.next'), 'description', 'positive'), back, cancel];
      break;
    case 'review': {
      data.question = t('flow.review.question');
      const route = flow.type ? routeCase(catalog, flow.type, flow.involved, ctx.school.routing) : undefined;
      const done = steps.do.filter((_, i) => flow.checked.includes(`do-${i}`));
      data.sections = [
        ...meldplichtLabel,
        {
          title: t('flow.review.checked'),
          style: 'default',
          lines: done.length
            ? done.map((x) => ({ text: `✓ ${x[lang]}` }))
            : [{ text: t('flow.review.nothingChecked') }],
        },
        // Long text: a section of its own, not a fact squeezing the labels beside it.
        { title: t('flow.review.description'), style: 'default', lines: [{ text: flow.description ?? '' }] },
      ];
      data.facts = [
        { title: t('flow.review.type'), value: type?.label[lang] ?? '' },
        {
          title: t('flow.review.urgent'),
          value: t(flow.urgent ? 'flow.review.urgentYes' : 'flow.review.urgentNo'),
        },
        {
          title: t('flow.review.involved'),
          value: flow.involved ? catalog.involved[flow.involved][lang] : '',
        },
        { title: t('flow.review.to'), value: (route?.roles ?? []).map((r) => t(`role.${r}`)).join(', ') },
      ];
      data.actions = [act(t('flow.submit'), 'submit', 'positive'), back, cancel];
      break;
    }
  }
  return { kind: 'card', template: 'flow-step', summary: t('flow.title'), data };
}

/**
 * What the teacher sees in a channel or group: nothing about the incident. `chatUrl` opens their private chat with
 * the bot, where the platform has such a link (Teams).
 */
export function redirectCard(t: Translate, failed = false, chatUrl = ''): Outgoing {
  return {
    kind: 'card',
    template: 'redirect',
    summary: t('flow.redirect.title'),
    data: {
      title: t('flow.redirect.title'),
      body: t(failed ? 'flow.redirect.failed' : 'flow.redirect.body'),
      chatUrl,
      openChat: t('redirect.openChat'),
    },
  };
}

/** A simple notice card: title, lines, optional text input and buttons. */
export function noticeCard(
  title: string,
  lines: readonly string[],
  opts: { input?: string; placeholder?: string; actions?: readonly Action[]; urgent?: boolean } = {},
): Outgoing {
  return {
    kind: 'card',
    template: 'notice',
    summary: title,
    // Urgent notices (a reminder of an urgent case) ask the platform to alert the recipient.
    alert: opts.urgent === true,
    data: {
      title,
      lines: lines.map((text) => ({ text })),
      input: opts.input ?? '',
      placeholder: opts.placeholder ?? '',
      actions: opts.actions ?? [],
      urgent: opts.urgent ?? false,
    },
  };
}
