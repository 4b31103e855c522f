// Compiles bragbot's TypeScript to JavaScript in dist/ (run by `npm install` after the Prisma
// clients are generated, and by `npm run build`). Why: running the sources through tsx
// transpiles every module on every start (~3 s a command); the compiled build starts in a
// fraction of that. esbuild, offline, in about a second.
//
// One bundle per lazily imported command (splitting): `bragbot groups list` loads only the
// chunks it imports, never Slack, Teams or the renderers. npm packages stay external (loaded
// from node_modules as they are). Every output file sits directly in dist/, one level below the
// root like src/paths.ts, so paths to the project's own files are right in both (src/paths.ts).
//
// dist/build-info.json lists the sources the build read with the time it started:
// bin/bragbot.mjs runs dist/ only while none of them is newer (else the sources, through tsx).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `outdir` must be one level below the root (dist/ normally; a test builds into a directory of its own). */
export async function buildDist({ outdir = 'dist' } = {}) {
  const dist = join(root, outdir);
  if (dirname(dist) !== root) throw new Error(`build: ${outdir} must be a directory directly in ${root}`);
  const startedAtMs = Date.now();
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { cli: 'src/cli/index.ts' },
    outdir,
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  writeFileSync(join(dist, 'build-info.json'), JSON.stringify({ startedAtMs, inputs }, null, 2) + '\n');
  return { inputs: inputs.length, ms: Date.now() - startedAtMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { inputs, ms } = await buildDist();
  process.stdout.write(`bragbot: compiled ${inputs} sources to dist/ in ${(ms / 1000).toFixed(1)} s\n`);
}
