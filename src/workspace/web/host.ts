/** Where the app runs: as a Teams tab (the manifest's URL says `?host=teams`) or in a browser. */
export interface Host {
  readonly teams: boolean;
  /** 'light' | 'dark' | 'contrast' */
  theme: Theme;
  /** The language Teams is set to, when it is Dutch or English. */
  readonly lang?: 'nl' | 'en';
  onThemeChange(listener: (theme: Theme) => void): void;
  /** A token for this app (Teams tab SSO); undefined outside Teams. */
  readonly token?: () => Promise<string>;
}

export type Theme = 'light' | 'dark' | 'contrast';

const teamsTheme = (t: string | undefined): Theme =>
  t === 'dark' ? 'dark' : t === 'contrast' ? 'contrast' : 'light';

/** Connects to Teams when the app is its tab; elsewhere follows the system's light or dark setting. */
export async function connectHost(): Promise<Host> {
  const inTeams = new URLSearchParams(location.search).get('host') === 'teams';
  if (inTeams) {
    // Loaded only in Teams: teams-js reaches out to Microsoft as soon as it loads, which a browser tab has no need for.
    const { app, authentication } = await import('@microsoft/teams-js');
    await app.initialize();
    const context = await app.getContext();
    const locale = context.app.locale?.toLowerCase() ?? '';
    const host: Host = {
      teams: true,
      theme: teamsTheme(context.app.theme),
      lang: locale.startsWith('en') ? 'en' : locale.startsWith('nl') ? 'nl' : undefined,
      onThemeChange: (listener) => app.registerOnThemeChangeHandler((t) => listener(teamsTheme(t))),
      // Teams caches the token and renews it before it expires.
      token: () => authentication.getAuthToken(),
    };
    app.notifySuccess();
    return host;
  }
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  return {
    teams: false,
    theme: dark.matches ? 'dark' : 'light',
    onThemeChange: (listener) =>
      dark.addEventListener('change', (e) => listener(e.matches ? 'dark' : 'light')),
  };
}
