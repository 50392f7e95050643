import type { Overview, OverviewRange } from '../../core/cases/stats.js';
import type { Rights } from '../access.js';
import type { CaseDetail, CaseListItem as CaseItem } from '../case-json.js';

/** The workspace API as the web app calls it: JSON with the sign-in of this host (Teams token, or the CSRF token). */

export interface Me {
  readonly name: string;
  readonly platform: 'teams' | 'slack' | 'local';
  readonly via: 'teams' | 'session' | 'local';
  readonly rights: Rights;
  readonly csrf?: string;
  readonly school: string;
  readonly lang: 'nl' | 'en';
  readonly types: readonly { readonly id: string; readonly label: string }[];
}

/** The server's own shapes, imported as types only: nothing of the server goes into the bundle. */
export type { CaseDetail, CaseListItem as CaseItem } from '../case-json.js';

export interface OverviewAnswer {
  readonly range: OverviewRange;
  readonly schoolYear: OverviewRange;
  readonly overview: Overview;
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
