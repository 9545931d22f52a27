/**
 * Bundles the lab server (server/main.ts and everything it imports from this repository) into
 * dist/server.mjs for the server image, which then runs on plain node without tsx or TypeScript.
 * npm packages stay external: the image installs them with `npm ci --omit=dev`.
 *
 * Source files find their neighbours through `import.meta.url` (the images/ folder, dist/web);
 * in one bundle that URL would be the bundle's own, so each file's `import.meta.url` is
 * rewritten to its original location relative to the bundle. The image keeps the source tree's
 * layout (/app/images, /app/dist/web), so those paths resolve as they do under tsx.
 */
import * as esbuild from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_BUNDLE = `${root}dist/server.mjs`;

const sourceLocation: esbuild.Plugin = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const fromBundle = relative(dirname(SERVER_BUNDLE), args.path).split(sep).join('/');
      const url = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

const result = await esbuild.build({
  entryPoints: [`${root}server/main.ts`],
  outfile: SERVER_BUNDLE,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [sourceLocation],
});
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`server bundled into dist/server.mjs (${Math.round(bytes / 1024)} KiB with source map)`);
