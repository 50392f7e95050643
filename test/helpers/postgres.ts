import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * PostgreSQL for tests: a real server (CI starts one on 127.0.0.1:5432; `VANGNET_TEST_PG` points elsewhere), a
 * fresh database per use, dropped afterwards. Without a server the PostgreSQL tests are skipped with a message on
 * a developer's machine, and fail in CI.
 */
export const ADMIN_URL = process.env.VANGNET_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The admin URL as shown in messages: without its password (CI sets one). */
const SHOWN_URL = ADMIN_URL.replace(/:\/\/([^:@/]+):[^@/]*@/, '://$1:***@');

let available: Promise<string | undefined> | undefined;

/** Undefined when the server answers; otherwise why not. */
export function postgresProblem(): Promise<string | undefined> {
  available ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      return `${(err as Error).message} (${SHOWN_URL})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return available;
}

/**
 * Call in a `before` hook: skips the suite (loudly) when PostgreSQL is not there — except in CI, where that is a
 * failure, never a silent skip.
 */
export async function requirePostgres(ctx: Mocha.Context): Promise<void> {
  const problem = await postgresProblem();
  if (!problem) return;
  if (process.env.CI) throw new Error(`PostgreSQL is required in CI: ${problem}`);
  process.stderr.write(`\n  ⚠ PostgreSQL tests SKIPPED: no server at ${SHOWN_URL} (${problem}).\n`);
  ctx.skip();
}

/** A new, empty database; `drop()` removes it (closing other sessions first). */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `vangnet_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
