/**
 * Mocha root hooks (loaded through `.mocharc.json` "require"): a run must end by itself. Mocha no longer forces
 * the process to exit after the last test, so a server, socket, pool, child process or timer a test forgot keeps
 * the process alive. Instead of hanging, the run then fails after a grace period, naming what is still open and,
 * for servers, where they were started.
 */
import net from 'node:net';

const GRACE_MS = 15_000;

// Remember where each server was started, to name the test that forgot to close it.
const listen = net.Server.prototype.listen;
let currentTest = '';
net.Server.prototype.listen = function (this: net.Server & { startedBy?: string }, ...args: unknown[]) {
  this.startedBy = currentTest;
  return listen.apply(this, args as Parameters<typeof listen>);
} as typeof listen;

interface Handle {
  constructor?: { name?: string };
  startedBy?: string;
  address?: () => unknown;
  localPort?: number;
  remoteAddress?: string;
  remotePort?: number;
  pid?: number;
  spawnargs?: string[];
  _onTimeout?: unknown;
  _idleTimeout?: number;
  hasRef?: () => boolean;
}

function describeHandle(h: Handle): string | undefined {
  const kind = h.constructor?.name ?? typeof h;
  switch (kind) {
    case 'Server':
      return `server ${JSON.stringify(h.address?.())} started in "${h.startedBy ?? '?'}"`;
    case 'Socket':
      return h.remotePort
        ? `socket :${h.localPort} → ${h.remoteAddress}:${h.remotePort}`
        : 'socket or pipe (a child process still running, or a stream left open)';
    case 'ChildProcess':
      return `child process ${h.pid}: ${h.spawnargs?.join(' ')}`;
    case 'Timeout':
      if (h.hasRef && !h.hasRef()) return undefined;
      return `timer (${h._idleTimeout} ms): ${String(h._onTimeout).replace(/\s+/g, ' ').slice(0, 160)}`;
    default:
      return kind;
  }
}

export const mochaHooks = {
  beforeEach(this: Mocha.Context) {
    currentTest = this.currentTest?.fullTitle() ?? '';
  },
  afterAll() {
    currentTest = '(after the last test)';
    const timer = setTimeout(() => {
      const open = (process as unknown as { _getActiveHandles(): Handle[] })
        ._getActiveHandles()
        .filter((h) => h !== timer && h !== process.stdout && h !== process.stderr && h !== process.stdin)
        .map(describeHandle)
        .filter((d): d is string => Boolean(d));
      const resources = process
        .getActiveResourcesInfo()
        .filter((r) => r !== 'TTYWrap')
        .reduce((m, r) => m.set(r, (m.get(r) ?? 0) + 1), new Map<string, number>());
      process.stderr.write(
        `\nThe test run did not end by itself ${GRACE_MS / 1000} s after the last test; still open:\n` +
          `${open.map((d) => `  - ${d}`).join('\n')}\n` +
          `  (active resources: ${[...resources].map(([r, n]) => `${r}×${n}`).join(', ')})\n` +
          'Stop or close it in the test that started it (an after/afterEach hook), or unref a timer that must not ' +
          'keep the process alive.\n',
      );
      // Mocha sets the exit code (its failure count) in its own 'exit' listener; this one runs after it.
      process.on('exit', () => {
        process.exitCode = 1;
      });
      process.exit(1);
    }, GRACE_MS);
    // Only a leak keeps the process alive long enough for this to fire.
    timer.unref();
  },
};
