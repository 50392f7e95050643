/**
 * The workspace as a Teams personal tab, for the app package: a static tab that opens `/app/` with `?host=teams`
 * (so the app uses teams-js), and `webApplicationInfo`, which lets the tab get a token for the bot's Entra app
 * without a sign-in prompt (tab SSO). Kept apart from the rest of the manifest so it can be read on its own.
 */
export interface WorkspaceTab {
  readonly staticTabs: readonly Record<string, unknown>[];
  readonly webApplicationInfo: { readonly id: string; readonly resource: string };
  /** The workspace's host: Teams only loads tab pages from the package's valid domains. */
  readonly validDomain: string;
}

export function workspaceTab(appId: string, publicUrl: string): WorkspaceTab {
  const url = new URL(publicUrl);
  return {
    staticTabs: [
      {
        entityId: 'vangnet-workspace',
        name: 'Werkruimte',
        contentUrl: `${url.origin}/app/?host=teams`,
        websiteUrl: `${url.origin}/app/`,
        scopes: ['personal'],
      },
      // Keeps the chat with the bot next to the tab.
      { entityId: 'conversations', scopes: ['personal'] },
    ],
    webApplicationInfo: { id: appId, resource: `api://${url.host}/${appId}` },
    validDomain: url.host,
  };
}

/** What Teams checks on upload for the tab and SSO parts; returns the problems found. */
export function workspaceTabProblems(manifest: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const tabs = manifest.staticTabs as { entityId?: string; name?: string; contentUrl?: string }[] | undefined;
  if (!tabs) return problems;
  for (const t of tabs) {
    if (!t.entityId || t.entityId.length > 64) problems.push('staticTabs: entityId is 1–64 characters');
    if (t.contentUrl && !t.contentUrl.startsWith('https://'))
      problems.push('staticTabs: contentUrl must be https');
    if (t.name && t.name.length > 128) problems.push('staticTabs: name is at most 128 characters');
  }
  const info = manifest.webApplicationInfo as { id?: string; resource?: string } | undefined;
  if (!info?.id || !/^api:\/\/[^/]+\/[0-9a-f-]{36}$/i.test(info.resource ?? ''))
    problems.push('webApplicationInfo needs the app id and resource api://<host>/<app id>');
  return problems;
}
