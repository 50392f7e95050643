import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { build } from 'esbuild';
import { projectRoot } from '../paths.js';
import { WEB_DIR } from './static.js';

/**
 * Bundles the workspace's web app (React + Fluent UI + teams-js, no CDN) into `dist/web/`, with brotli and gzip
 * copies the server sends to browsers that take them. Run by `npm run build` (and so by `npm start`).
 */
export async function buildWebApp(outDir = WEB_DIR): Promise<{ bytes: number }> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(projectRoot, 'src', 'workspace', 'web', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    // teams-js is its own chunk, loaded only inside Teams.
    splitting: true,
    chunkNames: '[name]-[hash]',
    platform: 'browser',
    target: ['chrome109', 'edge109', 'firefox115', 'safari15'],
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  let bytes = 0;
  for (const file of await readdir(outDir)) {
    const data = await readFile(join(outDir, file));
    bytes += data.length;
    await writeFile(join(outDir, `${file}.gz`), await promisify(gzip)(data, { level: 9 }));
    await writeFile(
      join(outDir, `${file}.br`),
      await promisify(brotliCompress)(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }),
    );
  }
  return { bytes };
}

if (process.argv[1] && /build-web\.(ts|js)$/.test(process.argv[1])) {
  buildWebApp().then(
    ({ bytes }) => process.stdout.write(`workspace web app: ${Math.round(bytes / 1024)} KiB in ${WEB_DIR}\n`),
    (err) => {
      process.stderr.write(`workspace web app: build failed: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
