import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { stopGroup } from './server-process.js';

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one of Vangnet's entry points (`src/main.ts`, `src/cli.ts`) as its own process, the way an operator would,
 * and resolves when it has exited. A process that is still running after `timeoutMs` is killed (with anything it
 * started) and the promise rejects: no test leaves a process behind.
 */
export function runEntry(
  entry: 'main' | 'cli',
  args: readonly string[] = [],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<ProcessResult> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(projectRoot, 'src', `${entry}.ts`), ...args],
    {
      cwd: projectRoot,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopGroup(child, 'SIGKILL').then(() =>
        reject(new Error(`${entry} ${args.join(' ')} still ran after ${timeoutMs} ms:\n${stdout}${stderr}`)),
      );
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file in a folder (recursively) with its bytes' hash: "byte-identical" means this does not change. */
export async function fingerprint(dir: string, prefix = ''): Promise<string> {
  const names = (await readdir(join(dir, prefix))).sort();
  const parts: string[] = [];
  for (const n of names) {
    const rel = join(prefix, n);
    const s = await stat(join(dir, rel)).catch(() => undefined);
    if (!s) continue;
    if (s.isDirectory()) parts.push(`${rel}/`, await fingerprint(dir, rel));
    else
      parts.push(
        `${rel}:${createHash('sha256')
          .update(await readFile(join(dir, rel)))
          .digest('hex')}`,
      );
  }
  return parts.filter(Boolean).join('\n');
}
