import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseRecord } from '../../src/core/cases/model.js';
import type { FakeEntra } from '../helpers/fake-entra.js';
import { seedCase } from '../helpers/store-seed.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../helpers/test-app.js';
import { SCHOOL_YAML, TEACHERS } from './fixtures.js';

/** The app with the fixture school (or `opts.school`), the given cases stored, and Teams chats known for both teachers. */
export async function startWorkspaceApp(
  env: Record<string, string>,
  cases: readonly CaseRecord[],
  opts: TestAppOptions & { readonly school?: string } = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'vangnet-school-'));
  const school = join(dir, 'school.yml');
  await writeFile(school, opts.school ?? SCHOOL_YAML);
  const app = await startTestApp({ VANGNET_SCHOOL_CONFIG: school, ...env }, opts);
  for (const c of cases) await seedCase(app.store, c);
  for (const t of Object.values(TEACHERS)) {
    await app.store.conversations.save({
      platform: 'teams',
      conversationId: `a:dm-${t.botId}`,
      kind: 'personal',
      userId: t.botId,
      aadObjectId: t.teams,
      reference: {},
      updatedAt: new Date().toISOString(),
    });
  }
  return {
    ...app,
    async cleanup() {
      await app.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Teams (Bot Framework) server whose tab tokens come from the fake Entra ID. */
export function teamsEnv(entra: FakeEntra): Record<string, string> {
  return {
    MicrosoftAppId: entra.appId,
    MicrosoftAppPassword: 'secret',
    MicrosoftAppTenantId: entra.tenantId,
    VANGNET_PUBLIC_URL: 'https://vangnet.school.example',
    VANGNET_ENTRA_JWKS_URL: entra.jwksUrl,
    VANGNET_ENTRA_ISSUER: entra.issuer,
  };
}
