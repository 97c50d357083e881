// Bundles the Electron main process and the preload (the renderer is built by Vite).
// - main: every package.json dependency stays external (native addons, dynamic requires) and ships in
//   node_modules inside the asar; our own sources are bundled into one CJS file.
// - preload: a sandboxed preload may only require('electron'), so everything else is bundled in.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.env.NODE_ENV !== 'development';

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  sourcemap: production ? false : 'inline',
  legalComments: 'none',
  logLevel: 'warning',
  // import.meta is empty in CJS output: fail the build rather than ship a main process that breaks at run time.
  logOverride: { 'empty-import-meta': 'error' },
  metafile: true,
  absWorkingDir: root,
};

// Code that locates a sibling file (worker entries, see src/main/lib/worker-pool.ts) uses import.meta.url; in
// the CJS bundles it is the bundle's own file URL.
const importMetaUrl = {
  define: { 'import.meta.url': '__rukun_import_meta_url' },
  // The bundle's own "use strict" would come after the banner and stop being a directive: repeat it first.
  banner: {
    js: '"use strict";\nconst __rukun_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
  },
};

const main = await build({
  ...common,
  ...importMetaUrl,
  entryPoints: ['src/main/app/main.ts'],
  outfile: 'dist/main/app.cjs',
  packages: 'external',
  external: ['electron'],
});

// Worker-thread entries, each bundled beside app.cjs as dist/main/<file name>.cjs (workerEntry() finds them).
const WORKERS = [
  'src/main/db/read-worker.ts',
  'src/main/billing/import-worker.ts',
  'src/main/printing/pdf-worker.ts',
];
const workers = [];
for (const entry of WORKERS) {
  const name = entry.split('/').at(-1).replace(/\.ts$/, '');
  workers.push(
    await build({
      ...common,
      ...importMetaUrl,
      entryPoints: [entry],
      outfile: `dist/main/${name}.cjs`,
      packages: 'external',
      external: ['electron'],
    }),
  );
}

const preload = await build({
  ...common,
  entryPoints: ['src/preload/index.ts'],
  outfile: 'dist/preload/index.cjs',
  external: ['electron'],
});

// Guard the sandbox rule: the preload bundle must import nothing but electron.
const preloadImports = new Set(
  Object.values(preload.metafile.outputs).flatMap((o) =>
    o.imports.filter((i) => i.external).map((i) => i.path),
  ),
);
const forbidden = [...preloadImports].filter((p) => p !== 'electron');
if (forbidden.length > 0) {
  console.error(`preload must only require 'electron', found: ${forbidden.join(', ')}`);
  process.exit(1);
}

// Every external of the main bundle must be shipped: a dependency, a Node built-in, or electron.
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
const shipped = new Set(Object.keys(pkg.dependencies ?? {}));
const { builtinModules } = await import('node:module');
const builtins = new Set(builtinModules);
const missing = new Set();
for (const output of [main, ...workers].flatMap((b) => Object.values(b.metafile.outputs))) {
  for (const i of output.imports) {
    if (!i.external || i.path === 'electron') continue;
    const bare = i.path.replace(/^node:/, '');
    if (builtins.has(bare) || builtins.has(bare.split('/')[0])) continue;
    const name = i.path.startsWith('@') ? i.path.split('/').slice(0, 2).join('/') : i.path.split('/')[0];
    if (!shipped.has(name)) missing.add(name);
  }
}
if (missing.size > 0) {
  console.error(`main imports packages that are not runtime dependencies: ${[...missing].join(', ')}`);
  process.exit(1);
}

console.log('built dist/main/app.cjs and dist/preload/index.cjs');
