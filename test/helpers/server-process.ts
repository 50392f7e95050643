import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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
 * URL. Stopping signals the server process itself (its pid is in its listening log line), so it also works with
 * `npm start` in between.
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
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
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
  child.removeAllListeners('exit');
  return {
    url,
    child,
    dataDir: dir,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        const pid = Number(/"event":"server\.listening"[^\n]*"pid":(\d+)/.exec(out)?.[1]);
        try {
          if (pid) process.kill(pid, signal);
          else child.kill(signal);
        } catch {
          child.kill(signal);
        }
        await exited;
      }
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
