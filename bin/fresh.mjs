// Is the compiled build in `distDir` current? Kept apart from bin/bragbot.mjs so a test can ask
// it about a build of its own. Costs one stat per source file (~220): a millisecond or two.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * True when `distDir`/build-info.json (written by scripts/build.mjs) exists and none of the
 * sources the build read (paths relative to `root`) is missing or was changed after the build
 * started: an edit, a `git checkout` or a rebase all make a source newer than its build.
 */
export function distIsFresh(root, distDir = join(root, 'dist')) {
  let info;
  try {
    info = JSON.parse(readFileSync(join(distDir, 'build-info.json'), 'utf8'));
  } catch {
    return false;
  }
  if (!Array.isArray(info.inputs) || typeof info.startedAtMs !== 'number') return false;
  for (const input of info.inputs) {
    try {
      if (statSync(join(root, input)).mtimeMs > info.startedAtMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}
