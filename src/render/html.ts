/**
 * The highlight report as one self-contained, accessible HTML page: styles inline, the chart as a
 * data: URI, no script and no external resource (it is emailed and opened offline). Headings in
 * order, tables with captions and header scopes, BRAG colour always beside its word.
 */
import type { Brag } from '../core/brag.js';
import { longDate, longDateOf, longDateTime } from '../core/report/dates.js';
import type { HighlightReportContent, StatusMove } from '../core/report/types.js';
import {
  actionLabel,
  BRAG_COLOUR,
  BRAG_LABEL,
  BRAG_MEANING,
  chartAltText,
  dueText,
  glanceRows,
  metaLine,
  ownersText,
  PLAN_HEADING,
  textBlocks,
} from './common.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
const e = escapeHtml;

const badge = (b: Brag): string =>
  `<span class="brag brag-${b}"><span class="swatch" aria-hidden="true"></span>${BRAG_LABEL[b]}</span>`;
const badgeWithMeaning = (b: Brag): string => `${badge(b)} <span class="meaning">${BRAG_MEANING[b]}</span>`;

function blocks(text: string): string {
  return textBlocks(text)
    .map((b) => (b.kind === 'list'
      ? `<ul>${b.items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`
      : b.kind === 'subheading'
        ? `<h3>${e(b.text)}</h3>`
        : `<p>${b.lines.map(e).join('<br>')}</p>`))
    .join('\n');
}

/** Sections labelled by their heading, with ids unique within one page. */
function sections() {
  let n = 0;
  return (heading: string, level: 2 | 3 | 4, body: string): string => {
    n += 1;
    return `<section aria-labelledby="s${n}">\n<h${level} id="s${n}">${e(heading)}</h${level}>\n${body}\n</section>`;
  };
}

/**
 * A data table with its caption and header scopes, in a region that scrolls sideways on its own
 * when the screen is narrower than the table (WCAG 1.4.10 Reflow: the page never does). The region
 * is named by the caption and can take focus, so keyboard users can scroll it too.
 */
function table(id: string, caption: string, header: string[], rows: string[][], numeric: number[] = []): string {
  const th = header.map((h, i) => `<th scope="col"${numeric.includes(i) ? ' class="num"' : ''}>${h}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`)).join('')}</tr>`)
    .join('\n');
  return `<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0">\n<table>\n<caption id="${id}">${caption}</caption>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</div>`;
}

const moveItem = (m: StatusMove): string =>
  `<li><strong>${e(actionLabel(m))}</strong>: ${badgeWithMeaning(m.from)} → ${badgeWithMeaning(m.to)}${m.by ? ` <span class="by">(${e(m.by)}, ${e(longDateTime(m.at))})</span>` : ''}</li>`;

const STYLE = `
:root { color-scheme: light; }
body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; font-size: 1rem; line-height: 1.5; color: #0b0c0c; background: #fff; margin: 0; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid #0b0c0c; padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
.meta, .byline, .by { color: #484949; }
.byline { font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.2rem; font-size: .95rem; }
.table-wrap { overflow-x: auto; }
.table-wrap:focus { outline: 3px solid #ffdd00; outline-offset: 2px; box-shadow: 0 0 0 5px #0b0c0c; }
main { overflow-wrap: break-word; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
/* On a narrow screen the caption stays in view and wraps while its table scrolls under it. */
.table-wrap caption { position: sticky; left: 0; max-width: calc(100vw - 2.5rem); }
th, td { border: 1px solid #b1b4b6; padding: .35rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #f3f2f1; }
tbody th { font-weight: normal; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total th, tr.total td { font-weight: bold; }
.brag { display: inline-flex; align-items: center; gap: .35em; font-weight: bold; white-space: nowrap; }
.swatch { display: inline-block; width: .9em; height: .9em; border: 1px solid #0b0c0c; border-radius: 2px; }
${(Object.keys(BRAG_COLOUR) as Brag[]).map((b) => `.brag-${b} .swatch { background: ${BRAG_COLOUR[b].fill}; }`).join('\n')}
.meaning { color: #484949; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #b1b4b6; }
figcaption { color: #484949; font-size: .9rem; }
.signoff { margin-top: 2.5rem; border-top: 1px solid #b1b4b6; padding-top: 1rem; }
.signoff p { margin: 0; }
@media print { main { max-width: none; padding: 0; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
`;

export interface HtmlOptions {
  /** PNG of the BRAG chart (renderBragChart), embedded as a data: URI. */
  chartPng?: Buffer | undefined;
}

export function renderHtml(report: HighlightReportContent, options: HtmlOptions = {}): string {
  let tables = 0;
  const tableId = () => `t${(tables += 1)}`;
  const section = sections();
  const parts: string[] = [];
  parts.push(section('Introduction', 2, report.introduction.map(blocks).join('\n')));
  for (const s of report.sections) {
    parts.push(section(s.heading, 2, blocks(s.text)));
  }

  const plan = report.plan;
  const cmp = plan.comparison;
  const glance = glanceRows(report);
  const header = cmp ? ['Status', 'Now', `At ${e(cmp.label)}`, 'Change'] : ['Status', 'Now'];
  const rows = glance.rows.map((r) => (cmp ? [badgeWithMeaning(r.brag), String(r.now), String(r.before), e(r.change ?? '')] : [badgeWithMeaning(r.brag), String(r.now)]));
  let glanceTable = table(tableId(), `Actions by status as at ${e(longDate(report.asOfDate))}`, header, rows, cmp ? [1, 2, 3] : [1]);
  const totalRow = cmp
    ? `<tr class="total"><th scope="row">Total</th><td class="num">${glance.total.now}</td><td class="num">${glance.total.before}</td><td class="num">${e(glance.total.change ?? '')}</td></tr>`
    : `<tr class="total"><th scope="row">Total</th><td class="num">${glance.total.now}</td></tr>`;
  glanceTable = glanceTable.replace('</tbody>', `${totalRow}\n</tbody>`);
  const chart = options.chartPng
    ? `<figure>\n<img src="data:image/png;base64,${options.chartPng.toString('base64')}" alt="${e(chartAltText(report))}" width="800" height="400">\n<figcaption>Actions by status${cmp ? `, now and at ${e(cmp.label)}` : ''}. The table above gives the same figures.</figcaption>\n</figure>`
    : '';
  const planParts = [section('At a glance', 3, `${glanceTable}\n${chart}`)];

  if (!cmp) {
    planParts.push(section('Changes', 3, '<p>There is no earlier report or meeting to compare with: this is the first report for the group.</p>'));
  } else {
    const sub: string[] = [];
    if (cmp.completions.length + cmp.moves.length + cmp.newActions.length + cmp.redated.length === 0) {
      sub.push('<p>No action changed status or date, and no action was added.</p>');
    }
    if (cmp.completions.length > 0) sub.push(section(`Completed (now Blue): ${cmp.completions.length}`, 4, `<ul>${cmp.completions.map(moveItem).join('\n')}</ul>`));
    if (cmp.moves.length > 0) sub.push(section(`Status changes: ${cmp.moves.length}`, 4, `<ul>${cmp.moves.map(moveItem).join('\n')}</ul>`));
    if (cmp.newActions.length > 0) {
      sub.push(section(`New actions: ${cmp.newActions.length}`, 4, `<ul>${cmp.newActions
        .map((a) => `<li><strong>${e(actionLabel(a))}</strong>: ${badgeWithMeaning(a.brag)}, due ${e(dueText(a))}, ${e(ownersText(a))}</li>`)
        .join('\n')}</ul>`));
    }
    if (cmp.redated.length > 0) {
      sub.push(section(`Re-dated actions: ${cmp.redated.length}`, 4, `<ul>${cmp.redated
        .map((r) => `<li><strong>${e(actionLabel(r))}</strong>: due ${e(r.fromDueRaw || 'no date')} → ${e(r.toDueRaw || 'no date')}${r.by ? ` <span class="by">(${e(r.by)}, ${e(longDateTime(r.at))})</span>` : ''}${r.note ? `: “${e(r.note)}”` : ''}</li>`)
        .join('\n')}</ul>`));
    }
    planParts.push(section(`Changes since ${cmp.label}`, 3, sub.join('\n')));
  }

  planParts.push(section(`Overdue actions: ${plan.overdue.length}`, 3, plan.overdue.length === 0
    ? '<p>No action is overdue.</p>'
    : table(
      tableId(),
      `Overdue actions as at ${e(longDate(report.asOfDate))}, longest overdue first`,
      ['Ref', 'Action', 'Owner', 'Due', 'Working days overdue', 'Status'],
      plan.overdue.map((o) => [e(o.ref), e(actionLabel({ ref: '', activity: o.activity })), e(ownersText(o)), e(dueText(o)), String(o.daysOverdue), badge(o.brag)]),
      [4],
    )));

  planParts.push(section(`Red and Amber actions: ${plan.redAmber.length}`, 3, plan.redAmber.length === 0
    ? '<p>No action is Red or Amber.</p>'
    : table(
      tableId(),
      'Red and Amber actions with their latest note',
      ['Ref', 'Action', 'Status', 'Owner', 'Latest note'],
      plan.redAmber.map((f) => [
        e(f.ref),
        e(actionLabel({ ref: '', activity: f.activity })),
        badgeWithMeaning(f.brag),
        e(ownersText(f)),
        f.latestNote ? `${e(f.latestNote.text)} <span class="by">(${e(f.latestNote.by)}, ${e(longDateOf(f.latestNote.at))})</span>` : f.progress ? e(f.progress) : 'No note yet.',
      ]),
    )));

  parts.push(section(PLAN_HEADING, 2, planParts.join('\n')));

  const signOff = report.signOff
    ? `<footer class="signoff">\n<p><strong>${e(report.signOff.name)}</strong></p>${report.signOff.role ? `\n<p>${e(report.signOff.role)}</p>` : ''}\n</footer>`
    : '';

  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(report.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${e(report.title)}</h1>
<p class="meta">${e(metaLine(report))}</p>
${parts.join('\n')}
${signOff}
</main>
</body>
</html>
`;
}
