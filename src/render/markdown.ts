/** The highlight report as Markdown (CommonMark + GFM tables): for wikis, email and review. */
import { longDateOf, longDateTime } from '../core/report/dates.js';
import type { HighlightReportContent, StatusMove } from '../core/report/types.js';
import {
  actionLabel,
  bragText,
  BRAG_LABEL,
  dueText,
  glanceRows,
  metaLine,
  ownersText,
  PLAN_HEADING,
  textBlocks,
} from './common.js';

/**
 * Escapes only what would change meaning in Markdown (emphasis, links, HTML, a heading or
 * numbered-list marker at the start of a line), so figures and wording stay as written.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]<>|])/g, '\\$1')
    .replace(/^(#{1,6}\s)/, '\\$1')
    .replace(/^(\d+)([.)]\s)/, '$1\\$2');
}

const cell = (text: string): string => escapeMarkdown(text.replace(/\s+/g, ' ').trim());

function table(header: string[], rows: string[][], align?: ('l' | 'r')[]): string[] {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [`| ${header.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function blocks(text: string): string[] {
  const out: string[] = [];
  for (const b of textBlocks(text)) {
    if (b.kind === 'list') out.push(b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n'));
    else if (b.kind === 'subheading') out.push(`### ${cell(b.text)}`);
    // A hard line break (two spaces) keeps a lead's single line breaks.
    else out.push(b.lines.map(escapeMarkdown).join('  \n'));
  }
  return out;
}

function moveLine(m: StatusMove): string {
  return `- **${cell(actionLabel(m))}**: ${bragText(m.from)} → ${bragText(m.to)}${m.by ? ` (${cell(m.by)}, ${longDateTime(m.at)})` : ''}`;
}

export function renderMarkdown(report: HighlightReportContent, options: { chartFileName?: string } = {}): string {
  const out: string[] = [`# ${cell(report.title)}`, '', `_${metaLine(report)}_`, '', '## Introduction', ''];
  for (const p of report.introduction) out.push(...blocks(p).flatMap((b) => [b, '']));

  for (const s of report.sections) {
    out.push(`## ${cell(s.heading)}`, '');
    for (const b of blocks(s.text)) out.push(b, '');
  }

  const plan = report.plan;
  const cmp = plan.comparison;
  out.push(`## ${PLAN_HEADING}`, '', `### At a glance`, '');
  const glance = glanceRows(report);
  const header = cmp ? ['Status', 'Meaning', 'Now', `At ${cell(cmp.label)}`, 'Change'] : ['Status', 'Meaning', 'Now'];
  const rows = glance.rows.map((r) => (cmp ? [r.label, r.meaning, String(r.now), String(r.before), r.change ?? ''] : [r.label, r.meaning, String(r.now)]));
  rows.push(cmp ? ['**Total**', '', `**${glance.total.now}**`, `**${glance.total.before}**`, `**${glance.total.change}**`] : ['**Total**', '', `**${glance.total.now}**`]);
  out.push(...table(header, rows, cmp ? ['l', 'l', 'r', 'r', 'r'] : ['l', 'l', 'r']), '');
  if (options.chartFileName) out.push(`![Actions by status, now and at the last report](${options.chartFileName})`, '');

  if (!cmp) {
    out.push('### Changes', '', 'There is no earlier report or meeting to compare with: this is the first report for the group.', '');
  } else {
    out.push(`### Changes since ${cell(cmp.label)}`, '');
    const none = cmp.completions.length + cmp.moves.length + cmp.newActions.length + cmp.redated.length === 0;
    if (none) out.push('No action changed status or date, and no action was added.', '');
    if (cmp.completions.length > 0) out.push(`#### Completed (now Blue): ${cmp.completions.length}`, '', ...cmp.completions.map(moveLine), '');
    if (cmp.moves.length > 0) out.push(`#### Status changes: ${cmp.moves.length}`, '', ...cmp.moves.map(moveLine), '');
    if (cmp.newActions.length > 0) {
      out.push(`#### New actions: ${cmp.newActions.length}`, '', ...cmp.newActions.map((a) => `- **${cell(actionLabel(a))}**: ${bragText(a.brag)}, due ${cell(dueText(a))}, ${cell(ownersText(a))}`), '');
    }
    if (cmp.redated.length > 0) {
      out.push(`#### Re-dated actions: ${cmp.redated.length}`, '');
      for (const r of cmp.redated) {
        out.push(`- **${cell(actionLabel(r))}**: due ${cell(r.fromDueRaw || 'no date')} → ${cell(r.toDueRaw || 'no date')}${r.by ? ` (${cell(r.by)}, ${longDateTime(r.at)})` : ''}${r.note ? `: “${cell(r.note)}”` : ''}`);
      }
      out.push('');
    }
  }

  out.push(`### Overdue actions: ${plan.overdue.length}`, '');
  if (plan.overdue.length === 0) out.push('No action is overdue.', '');
  else {
    out.push(...table(
      ['Ref', 'Action', 'Owner', 'Due', 'Working days overdue', 'Status'],
      plan.overdue.map((o) => [cell(o.ref), cell(actionLabel({ ref: '', activity: o.activity })), cell(ownersText(o)), cell(dueText(o)), String(o.daysOverdue), BRAG_LABEL[o.brag]]),
      ['l', 'l', 'l', 'l', 'r', 'l'],
    ), '');
  }

  out.push(`### Red and Amber actions: ${plan.redAmber.length}`, '');
  if (plan.redAmber.length === 0) out.push('No action is Red or Amber.', '');
  for (const f of plan.redAmber) {
    const note = f.latestNote
      ? `Latest note (${cell(f.latestNote.by)}, ${longDateOf(f.latestNote.at)}): “${cell(f.latestNote.text)}”`
      : f.progress ? `Where we are: ${cell(f.progress)}` : 'No note yet.';
    out.push(`- **${bragText(f.brag)}: ${cell(actionLabel(f))}** (${cell(ownersText(f))}, due ${cell(dueText(f))}). ${note}`);
  }
  if (plan.redAmber.length > 0) out.push('');

  if (report.signOff) {
    out.push('---', '', cell(report.signOff.name) + (report.signOff.role ? '  ' : ''));
    if (report.signOff.role) out.push(cell(report.signOff.role));
    out.push('');
  }
  return out.join('\n');
}
