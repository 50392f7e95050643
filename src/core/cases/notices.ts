import { noticeCard } from '../escalation/views.js';
import type { StringKey } from '../i18n/index.js';
import type { Outgoing } from '../types.js';
import type { CaseRecord, OutboxItem } from './model.js';
import { type CaseViewContext, caseCard, personName, targetLabel } from './views.js';

/**
 * Renders a queued notification for its recipient, in the recipient's language, from the case as it is now.
 * Returns undefined when the notification no longer makes sense (a reminder for a case that was taken up in the
 * meantime, anything for an anonymised case): the dispatcher then drops it.
 */
export function renderNotice(c: CaseRecord, item: OutboxItem, ctx: CaseViewContext): Outgoing | undefined {
  const { t } = ctx;
  if (c.anonymised) return undefined;
  const what = t(c.kind === 'question' ? 'case.noun.question' : 'case.noun.incident');
  const show = {
    title: t('cases.show'),
    style: 'default' as const,
    data: { verb: 'case.show', caseId: c.id },
  };
  switch (item.kind) {
    case 'case-card':
      return caseCard(c, ctx);
    case 'reminder':
      if (c.status !== 'open') return undefined;
      return noticeCard(t(c.urgent ? 'case.reminder.urgent' : 'case.reminder', { what, id: c.id }), [], {
        actions: [
          { title: t('case.take'), style: 'positive', data: { verb: 'case.take', caseId: c.id } },
          show,
        ],
        urgent: c.urgent,
      });
    case 'reporter-update':
      return noticeCard(reporterUpdateText(c, item, ctx, what), []);
    case 'relay-to-reporter': {
      if (c.status === 'closed') return undefined;
      const ref = String(item.message?.params?.ref ?? '');
      return noticeCard(
        t(c.kind === 'question' ? 'reporter.reply' : 'reporter.question', {
          id: c.id,
          name: personName(ctx.school, c.assignee ?? c.recipients[0]),
        }),
        [item.text ?? ''],
        {
          input: 'answer',
          placeholder: t('reporter.answer.placeholder'),
          actions: [
            {
              title: t('reporter.answer.submit'),
              style: 'positive',
              data: { verb: 'case.answer', caseId: c.id, replyTo: ref },
            },
          ],
        },
      );
    }
    case 'relay-to-experts':
      return noticeCard(t('expert.answer', { id: c.id }), [item.text ?? ''], { actions: [show] });
    case 'alert':
      // Not a chat message: the dispatcher hands alerts to the alert sender (alert-message.ts says what they say).
      return undefined;
  }
}

/** The reporter's update, from its message key and parameters. */
function reporterUpdateText(c: CaseRecord, item: OutboxItem, ctx: CaseViewContext, what: string): string {
  const { t } = ctx;
  const p = item.message?.params ?? {};
  const key = (item.message?.key ?? '') as StringKey;
  // Updates queued before messages had keys carry their text.
  if (!item.message) return item.text ?? '';
  return t(key, {
    what,
    id: c.id,
    name: personName(ctx.school, String(p.person ?? '')),
    to: targetLabel(String(p.target ?? ''), ctx),
    outcome: p.outcome ? t(`case.outcome.${p.outcome}` as StringKey) : '',
  });
}
