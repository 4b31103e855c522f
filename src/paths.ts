/**
 * Where the project's own files are (migrations, the demo plan, the Teams manifest), from one
 * module. Why one place: the compiled build bundles the sources into dist/*.js, so a path taken
 * from each module's own location would be wrong there. This file is one level below the root
 * as src/paths.ts and as every dist/*.js chunk it is bundled into, so one `..` is right in both.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A path inside the project, e.g. projectPath('prisma', 'migrations'). */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}
