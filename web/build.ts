/**
 * Bundles the browser app into dist/web (esbuild): one script, one stylesheet, the page.
 * `npm run build:web`; `npm start` runs it first. `--watch` rebuilds on change.
 */
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WEB_OUT = `${root}dist/web`;

const options: esbuild.BuildOptions = {
  entryPoints: { app: `${root}web/src/main.ts` },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['chrome110', 'firefox115', 'safari16'],
  outdir: WEB_OUT,
  logLevel: 'warning',
  metafile: true,
};

export async function buildWeb(): Promise<{ bytes: number }> {
  await mkdir(WEB_OUT, { recursive: true });
  await Promise.all(['index.html', 'favicon.svg'].map((f) => copyFile(`${root}web/${f}`, `${WEB_OUT}/${f}`)));
  const result = await esbuild.build(options);
  const bytes = Object.values(result.metafile!.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--watch')) {
    const context = await esbuild.context(options);
    await context.watch();
    console.log(`watching web/ → ${WEB_OUT}`);
  } else {
    const { bytes } = await buildWeb();
    console.log(`web app built into dist/web (${Math.round(bytes / 1024)} KiB with source maps)`);
  }
}
