/** Human-readable CLI output. --json output is built from the same data elsewhere. */
import { BRAG_LABEL, BRAGS } from '../core/brag.js';
import type { ActionCard } from '../core/chat.js';
import { overdueText } from '../core/overdue.js';
import type { ImportSummary } from '../services/import-plan.js';

type Out = (line: string) => void;

export function printImportSummary(out: Out, s: ImportSummary): void {
  const sheets = s.sheets.length > 1 ? ` [${s.sheets.length} sheets: ${s.sheets.join(', ')}]` : s.sheet ? ` [${s.sheet}]` : '';
  out(`${s.dryRun ? 'Dry run: nothing written. ' : ''}${s.file}${sheets} → group ${s.group}${s.groupCreated ? ` (new group "${s.groupName}"${s.dryRun ? '' : `; rename it with: bragbot groups set ${s.group} --name "…"`})` : ''}`);
  const under = s.objectives === 0 ? 'with no objectives' : `under ${count(s.objectives, 'objective')}`;
  out(`Layout: ${s.layout}. ${count(s.actions, 'action')} ${under}: ${BRAGS.map((b) => `${s.brag[b]} ${BRAG_LABEL[b]}`).join(', ')}.`);
  for (const k of s.skippedSheets) out(`  sheet "${k.sheet}" skipped: ${k.reason}`);
  out(`${s.dryRun ? 'Would create' : 'Created'} ${s.created.length}, ${s.dryRun ? 'would update' : 'updated'} ${s.updated.length}, unchanged ${s.unchanged}, ${s.dryRun ? 'would archive' : 'archived'} ${s.archived.length}.`);
  for (const u of s.updated) {
    out(`  ref ${u.ref} (row ${u.row}): ${u.changes.map((c) => `${c.field} ${JSON.stringify(short(c.from))} → ${JSON.stringify(short(c.to))}`).join('; ') || 'restored'}`);
  }
  for (const a of s.archived) out(`  ref ${a.ref}: no longer in the file, archived (history kept)`);
  if (s.warnings.length) {
    out(`${s.warnings.length} warning${s.warnings.length === 1 ? '' : 's'} (guesses to check):`);
    for (const w of s.warnings) out(`  ${w.sheet ? `sheet "${w.sheet}" ` : ''}row ${w.row}${w.column ? ` (${w.column})` : ''}: ${w.message}`);
  }
}

export function printActions(out: Out, cards: ActionCard[]): void {
  if (cards.length === 0) {
    out('No actions.');
    return;
  }
  for (const c of cards) {
    const overdue = c.daysOverdue > 0 ? ` — ${overdueText(c.daysOverdue).toUpperCase()}` : '';
    const lead = [c.leadAgency, c.leadOfficer].filter(Boolean).join(' / ');
    out(`${c.ref.padEnd(5)} ${BRAG_LABEL[c.brag].padEnd(9)} due ${(c.dueRaw || '—').padEnd(12)} ${short(c.activity, 70)}${lead ? ` [${lead}]` : ''}${overdue}`);
  }
}

/** "1 action", "2 actions". */
export const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const short = (s: string, n = 40): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
