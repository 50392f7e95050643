import {
  FluentProvider,
  type Theme as FluentTheme,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Api, ApiError, type Me } from './api.js';
import { App } from './app.js';
import { Env } from './context.js';
import { connectHost, type Host, type Theme } from './host.js';
import { SignedOut } from './signed-out.js';
import { type WorkspaceLang, workspaceStrings } from './strings.js';

function fluentTheme(host: Host, theme: Theme): FluentTheme {
  if (host.teams)
    return theme === 'dark'
      ? teamsDarkTheme
      : theme === 'contrast'
        ? teamsHighContrastTheme
        : teamsLightTheme;
  return theme === 'dark' ? webDarkTheme : webLightTheme;
}

function Root({ host, api, me, failure }: { host: Host; api: Api; me?: Me; failure?: number }) {
  const [theme, setTheme] = useState(host.theme);
  useEffect(() => host.onThemeChange(setTheme), [host]);
  const lang: WorkspaceLang = host.lang ?? me?.lang ?? (navigator.language.startsWith('en') ? 'en' : 'nl');
  const s = workspaceStrings(lang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = s('app.title');
  }, [lang, s]);
  return (
    <FluentProvider theme={fluentTheme(host, theme)} style={{ minHeight: '100vh' }}>
      {me ? (
        <Env.Provider value={{ api: new Api({ ...api.credentials, csrf: me.csrf }), me, s, lang }}>
          <App teams={host.teams} />
        </Env.Provider>
      ) : (
        <SignedOut s={s} teams={host.teams} status={failure ?? 401} />
      )}
    </FluentProvider>
  );
}

async function start() {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  let host: Host;
  try {
    host = await connectHost();
  } catch {
    host = { teams: false, theme: 'light', onThemeChange: () => undefined };
  }
  const api = new Api({ token: host.token });
  let me: Me | undefined;
  let failure: number | undefined;
  try {
    me = await api.me();
  } catch (err) {
    failure = err instanceof ApiError ? err.status : 0;
  }
  root.render(
    <StrictMode>
      <Root host={host} api={api} me={me} failure={failure} />
    </StrictMode>,
  );
}

void start();
