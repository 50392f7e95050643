import { startApp } from './app.js';
import { loadConfig } from './config.js';
import { VangnetError } from './core/errors.js';

/** `npm start`: run the bot until SIGINT/SIGTERM. */
export async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`vangnet: ${(err as Error).message}\n`);
    return 2;
  }
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config);
  } catch (err) {
    const msg =
      err instanceof VangnetError || (err as NodeJS.ErrnoException).code
        ? (err as Error).message
        : String(err);
    process.stderr.write(`vangnet: cannot start: ${msg}\n`);
    return 1;
  }
  process.stdout.write(
    config.localMode
      ? `Vangnet draait lokaal. Open ${app.url}/ in je browser om te chatten.\nVangnet is running locally: open ${app.url}/\n`
      : `Vangnet is running on ${app.url} (Bot Framework endpoint /api/messages)\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.stop();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`vangnet: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
