import type { Lang } from '../types.js';
import { en } from './en.js';
import { nl, type StringKey } from './nl.js';

export type { StringKey };
export type Translate = (key: StringKey, params?: Readonly<Record<string, string | number>>) => string;

const TABLES: Record<Lang, Record<StringKey, string>> = { nl, en };

/** A translator for one language; `{name}` placeholders are filled from params. */
export function translator(lang: Lang): Translate {
  const table = TABLES[lang];
  return (key, params) => {
    const text = table[key] ?? nl[key];
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : text;
  };
}
