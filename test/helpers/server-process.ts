import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly dataDir: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerProcessOptions {
  readonly env?: Record<string, string>;
  /** Keep data here (and do not delete it on stop), e.g. to restart on the same store. */
  readonly dataDir?: string;
  /** Start exactly as the README says (`npm start`: build, then run dist). Default: tsx on the sources. */
  readonly npmStart?: boolean;
}

/**
 * Starts the real bot as its own process on an ephemeral loopback port and waits for the line that names its
 * URL. The process runs in a process group of its own; stopping signals the whole group and waits until every
 * process in it has exited, so `npm start` (npm → sh → node) leaves nothing running either.
 */
export async function startServerProcess(opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const { env = {}, dataDir, npmStart = false } = opts;
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'vangnet-proc-')));
  const [cmd, args] = npmStart
    ? ['npm', ['start', '--silent']]
    : [process.execPath, ['--import', 'tsx', join(projectRoot, 'src', 'main.ts')]];
  const child = spawn(cmd, args, {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const started = new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    const timer = setTimeout(
      () => reject(new Error(`server did not start:\n${out}`)),
      npmStart ? 120000 : 60000,
    );
    const check = () => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  let url: string;
  try {
    url = await started;
  } catch (err) {
    // Nothing of a failed start may stay behind.
    await stopGroup(child, 'SIGKILL');
    if (!dataDir) await rm(dir, { recursive: true, force: true });
    throw err;
  }
  child.removeAllListeners('exit');
  return {
    url,
    child,
    dataDir: dir,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      await stopGroup(child, signal);
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Signals a process group (`detached` child) and resolves once none of its processes is left. */
export async function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) return;
  const signalGroup = (s: NodeJS.Signals) => {
    try {
      process.kill(-pgid, s);
    } catch {
      /* already gone */
    }
  };
  // The child's own exit is awaited too: until Node has reaped it, its pid still "exists" (a zombie), and the
  // data folder's lock would still look held.
  const exited =
    child.exitCode === null && child.signalCode === null
      ? new Promise<void>((resolve) => child.once('exit', () => resolve()))
      : Promise.resolve();
  if (!(await groupAlive(pgid))) return exited;
  signalGroup(signal);
  // A server shuts down in well under 15 s; one that hangs is killed, so no test leaves a process behind.
  const killAt = Date.now() + 15_000;
  while (await groupAlive(pgid)) {
    if (Date.now() > killAt) signalGroup('SIGKILL');
    await new Promise((r) => setTimeout(r, 25));
  }
  await exited;
}

/** Whether any live (not zombie) process is in the group; without /proc, whether the group can be signalled. */
async function groupAlive(pgid: number): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const pid of entries) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses, so parse after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}
