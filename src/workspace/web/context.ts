import { createContext, useContext } from 'react';
import type { Api, Me } from './api.js';
import type { Strings } from './strings.js';

/** What every page needs: the API, who is signed in, and the texts in their language. */
export interface WorkspaceEnv {
  readonly api: Api;
  readonly me: Me;
  readonly s: Strings;
  readonly lang: 'nl' | 'en';
}

export const Env = createContext<WorkspaceEnv | undefined>(undefined);

export function useEnv(): WorkspaceEnv {
  const env = useContext(Env);
  if (!env) throw new Error('useEnv outside <Env.Provider>');
  return env;
}

/** A date and time as the school reads it (Europe/Amsterdam). */
export function formatDateTime(iso: string, lang: 'nl' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    timeZone: 'Europe/Amsterdam',
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** "2026-03" as "mrt 2026" / "Mar 2026". */
export function formatMonth(month: string, lang: 'nl' | 'en', style: 'short' | 'long' = 'short'): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    month: style,
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, 15)));
}
