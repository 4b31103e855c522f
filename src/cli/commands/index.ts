/**
 * Every command, one module each. A module declares its options and lazy-loads its
 * implementation, so `bragbot --help` does not load Slack, Teams or the renderers.
 */
import type { Command } from 'commander';
import { register as registerActions } from './actions.js';
import { register as registerDb } from './db.js';
import { register as registerExport } from './export.js';
import { register as registerGroups } from './groups.js';
import { register as registerImport } from './import.js';
import { register as registerPeople } from './people.js';
import { register as registerNudges } from './nudges.js';
import { register as registerReport } from './report.js';
import { register as registerAudit } from './audit.js';
import { register as registerServe } from './serve.js';
import { register as registerDemo } from './demo.js';

export function registerCommands(program: Command): void {
  registerDb(program);
  registerImport(program);
  registerExport(program);
  registerActions(program);
  registerGroups(program);
  registerPeople(program);
  registerNudges(program);
  registerReport(program);
  registerAudit(program);
  registerServe(program);
  registerDemo(program);
}
