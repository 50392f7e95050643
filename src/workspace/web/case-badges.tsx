import { Badge } from '@fluentui/react-components';
import type { CaseItem } from './api.js';
import { useEnv } from './context.js';

/** "Urgent" and "Te laat", the same in the list and on the case. */
export function CaseBadges({ c }: { c: Pick<CaseItem, 'urgent' | 'overdue'> }) {
  const { s } = useEnv();
  return (
    <>
      {c.urgent && (
        <Badge color="danger" appearance="filled">
          {s('cases.urgent')}
        </Badge>
      )}
      {c.overdue && (
        <Badge color="danger" appearance="tint">
          {s('cases.overdue')}
        </Badge>
      )}
    </>
  );
}
