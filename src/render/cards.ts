import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { ErrorCode, TemplateError } from '../core/errors.js';

export type CardJson = Record<string, unknown>;

/**
 * The card templates of `cards/*.json` (Adaptive Card 1.5 with `${…}` bindings), loaded once and expanded per
 * reply with adaptivecards-templating. Template data is bound as data, never re-parsed as template, so user
 * text containing `${…}` stays literal.
 */
export class CardRenderer {
  private readonly templates = new Map<string, CardJson>();

  constructor(dir: string) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const name = basename(file, '.json');
      try {
        this.templates.set(name, JSON.parse(readFileSync(join(dir, file), 'utf8')) as CardJson);
      } catch (err) {
        throw new TemplateError(ErrorCode.TemplateInvalid, `cards/${file} is not valid JSON`, err);
      }
    }
  }

  names(): string[] {
    return [...this.templates.keys()].sort();
  }

  /**
   * Expands a template. Identical renders (the same tip to thousands of channels) come from a small cache; the
   * result is shared, so callers must not change it.
   */
  render(name: string, data: Readonly<Record<string, unknown>>): CardJson {
    const template = this.templates.get(name);
    if (!template) throw new TemplateError(ErrorCode.TemplateMissing, `No card template "${name}"`);
    const key = `${name}\u0000${JSON.stringify(data)}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const expanded = new ACData.Template(template).expand({ $root: data }) as CardJson;
    this.cache.set(key, expanded);
    if (this.cache.size > 200) this.cache.delete(this.cache.keys().next().value as string);
    return expanded;
  }

  private readonly cache = new Map<string, CardJson>();
}
