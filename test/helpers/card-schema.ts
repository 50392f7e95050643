import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as AC from 'adaptivecards';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
const draft06 = require('ajv/dist/refs/json-schema-draft-06.json');
const Ajv = (require('ajv') as { default: typeof AjvClass }).default;
// The lib/ build of adaptivecards has extension-less ESM imports; the UMD bundle loads in Node.
const adaptiveCards = require('adaptivecards/dist/adaptivecards.js') as typeof AC;

let validate: ValidateFunction | undefined;

/** Validates an expanded card against the public Adaptive Card 1.5 schema; returns error texts. */
export function schemaErrors(card: unknown): string[] {
  if (!validate) {
    const schema = JSON.parse(
      readFileSync(
        fileURLToPath(new URL('../fixtures/adaptive-card-1.5.schema.json', import.meta.url)),
        'utf8',
      ),
    );
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    ajv.addMetaSchema(draft06);
    validate = ajv.compile(schema);
  }
  const check: ValidateFunction = validate;
  return check(card) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** Parses a card with the Adaptive Cards SDK itself; returns its validation failures. */
export function sdkErrors(card: unknown): string[] {
  const c = new adaptiveCards.AdaptiveCard();
  const ctx = new adaptiveCards.SerializationContext();
  c.parse(card, ctx);
  const problems: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) {
    const e = ctx.getEventAt(i);
    if (e.phase !== undefined) problems.push(e.message);
  }
  for (const e of c.validateProperties().validationEvents) problems.push(e.message);
  return problems;
}
