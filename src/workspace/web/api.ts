/** The workspace API as the web app calls it: JSON with the sign-in of this host (Teams token, or the CSRF token). */

export interface Me {
  readonly name: string;
  readonly platform: 'teams' | 'slack' | 'local';
  readonly via: 'teams' | 'session' | 'local';
  readonly rights: { readonly expert: boolean; readonly leadership: boolean; readonly editor: boolean };
  readonly csrf?: string;
  readonly school: string;
  readonly lang: 'nl' | 'en';
  readonly types: readonly { readonly id: string; readonly label: string }[];
}

export interface CaseItem {
  readonly id: string;
  readonly question: boolean;
  readonly type: string;
  readonly typeLabel: string;
  readonly status: 'open' | 'taken' | 'closed';
  readonly statusText: string;
  readonly urgent: boolean;
  readonly createdAt: string;
  readonly deadlineAt?: string;
  readonly overdue: boolean;
}

export interface Choice {
  readonly title: string;
  readonly value: string;
}

export interface CaseDetail extends CaseItem {
  readonly title: string;
  readonly sight: 'expert' | 'leadership' | 'reporter';
  readonly facts: readonly { readonly title: string; readonly value: string }[];
  readonly description: string;
  readonly checklist: readonly {
    readonly kind: 'do' | 'dont';
    readonly text: string;
    readonly done: boolean;
  }[];
  readonly timeline: readonly {
    readonly at: string;
    readonly when: string;
    readonly what: string;
    readonly who: string;
    readonly note?: string;
    readonly text?: string;
  }[];
  readonly actions?: {
    readonly canTake: boolean;
    readonly canAct: boolean;
    readonly canExport: boolean;
    readonly handoverTargets: readonly Choice[];
    readonly outcomes: readonly Choice[];
  };
}

export interface OverviewAnswer {
  readonly range: { readonly from: string; readonly to: string };
  readonly schoolYear: { readonly from: string; readonly to: string };
  readonly overview: {
    readonly months: readonly string[];
    readonly types: readonly string[];
    readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly incidents: number;
    readonly urgent: number;
    readonly takeUp: {
      readonly count: number;
      readonly medianMinutes?: number;
      readonly slowestMinutes?: number;
      readonly waiting: number;
    };
    readonly overdue: number;
    readonly overdueNow: number;
    readonly escalated: number;
    readonly questions: number;
    readonly questionsByTopic: readonly { readonly topic: string; readonly count: number }[];
  };
  readonly typeLabels: Readonly<Record<string, string>>;
  readonly topicLabels: Readonly<Record<string, string>>;
}

export interface KnowledgeAnswer {
  readonly gaps: readonly { reason: string; what: string; count: number; last: string; title?: string }[];
  readonly articles: readonly { slug: string; title: string; helpful: number; notHelpful: number }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly body?: unknown,
  ) {
    super(`${status} ${code}`);
  }
}

/** How requests prove who is asking: a fresh Teams token per call, or the session's CSRF token on changes. */
export interface Credentials {
  token?: () => Promise<string>;
  csrf?: string;
}

export class Api {
  constructor(readonly credentials: Credentials) {}

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credentials.token) headers.authorization = `Bearer ${await this.credentials.token()}`;
    if (method === 'POST') {
      headers['content-type'] = 'application/json';
      if (this.credentials.csrf) headers['x-vangnet-csrf'] = this.credentials.csrf;
    }
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
    const data = (await res.json().catch(() => ({}))) as { code?: string };
    if (!res.ok && res.status !== 409) throw new ApiError(res.status, data.code ?? 'Error', data);
    return data as T;
  }

  me() {
    return this.request<Me>('GET', '/app/api/me');
  }
  cases(view: string, status: string, type: string) {
    const q = new URLSearchParams({ view });
    if (status) q.set('status', status);
    if (type) q.set('type', type);
    return this.request<{ items: CaseItem[]; total: number }>('GET', `/app/api/cases?${q}`);
  }
  case(id: string) {
    return this.request<CaseDetail>('GET', `/app/api/cases/${encodeURIComponent(id)}`);
  }
  act(id: string, action: { kind: string; text?: string; target?: string; outcome?: string }) {
    return this.request<{ ok: boolean; message: string; case?: CaseDetail }>(
      'POST',
      `/app/api/cases/${encodeURIComponent(id)}/actions`,
      action,
    );
  }
  exportCase(id: string) {
    return this.request<{ ok: boolean; url?: string; message?: string }>(
      'POST',
      `/app/api/cases/${encodeURIComponent(id)}/export`,
    );
  }
  overview(from?: string, to?: string) {
    const q = from && to ? `?${new URLSearchParams({ from, to })}` : '';
    return this.request<OverviewAnswer>('GET', `/app/api/overview${q}`);
  }
  /** The CSV as a file the browser saves (a fetch, so the Teams token goes along). */
  async overviewCsv(from: string, to: string): Promise<Blob> {
    const headers: Record<string, string> = {};
    if (this.credentials.token) headers.authorization = `Bearer ${await this.credentials.token()}`;
    const res = await fetch(`/app/api/overview.csv?${new URLSearchParams({ from, to })}`, {
      headers,
      credentials: 'same-origin',
    });
    if (!res.ok) throw new ApiError(res.status, 'Error');
    return res.blob();
  }
  knowledge() {
    return this.request<KnowledgeAnswer>('GET', '/app/api/knowledge');
  }
  signOut() {
    return this.request<{ ok: boolean }>('POST', '/app/api/signout');
  }
}
