#!/usr/bin/env node
// bragbot runs the JavaScript compiled at install time (dist/, scripts/build.mjs) while it is as
// new as the sources it was built from: a command then starts in well under a second. When
// dist/ is missing or older than any of them (sources edited, a checkout moved), it runs the
// TypeScript sources through tsx, as it always could, and says so on stderr.
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './fresh.mjs';

if (distIsFresh(fileURLToPath(new URL('../', import.meta.url)))) {
  await import('../dist/cli.js');
} else {
  process.stderr.write('bragbot: dist/ is missing or older than src/, so running the TypeScript sources (slower start; `npm run build` compiles them)\n');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/index.ts');
}
