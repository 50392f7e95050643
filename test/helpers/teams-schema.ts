import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
const Ajv = (require('ajv') as { default: typeof AjvClass }).default;

/** The official Teams schemas, kept in test/fixtures (source and version in its README). */
export const TEAMS_SCHEMA_VERSION = '1.29';

function load(file: string): ValidateFunction {
  const schema = JSON.parse(
    readFileSync(fileURLToPath(new URL(`../fixtures/${file}`, import.meta.url)), 'utf8'),
  );
  // Draft-04 schemas: ajv 8 compiles them once the meta-schema reference is dropped (they use no draft-04-only
  // keywords). Their patterns are written for JavaScript without the `u` flag, which ajv adds by default.
  delete schema.$schema;
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
    logger: false,
    code: { regExp: Object.assign((pattern: string) => new RegExp(pattern), { code: 'new RegExp' }) },
  });
  return ajv.compile(schema);
}

let manifest: ValidateFunction | undefined;
let localization: ValidateFunction | undefined;

const errors = (v: ValidateFunction, data: unknown) =>
  v(data)
    ? []
    : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);

/** Problems of a Teams app manifest against the official schema of version 1.29. */
export function manifestSchemaErrors(data: unknown): string[] {
  manifest ??= load(`teams-manifest-${TEAMS_SCHEMA_VERSION}.schema.json`);
  return errors(manifest, data);
}

/** Problems of a Teams localisation file against the official schema. */
export function localizationSchemaErrors(data: unknown): string[] {
  localization ??= load(`teams-localization-${TEAMS_SCHEMA_VERSION}.schema.json`);
  return errors(localization, data);
}
