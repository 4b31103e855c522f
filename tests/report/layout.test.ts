/**
 * Layout a chair would otherwise fix by hand: PDF tables wrap and never cut ("…residential pr…"),
 * never break a date ("30/11/202" / "0"), repeat their header on the next page; the chart has no
 * legend swatch that matches no bar; every paper format prints an action's text in full.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { assembleReport } from '../../src/core/report/assemble.js';
import type { ActionInput, HighlightReportContent, ReportInputs } from '../../src/core/report/types.js';
import { renderBragChart } from '../../src/render/chart.js';
import { renderReportContent } from '../../src/render/index.js';
import { htmlText, noSpace, openDocx, pdfText, popplerAvailable } from './support.js';

const NOW = new Date('2021-01-13T12:00:00Z');
const LONG = 'Updated Sufficiency Strategy in place and which outlines strategies to increase the number of foster carers for CYPIC and also plans to increase residential provision and supported accommodation provision, reviewed each quarter by the Strategic Partnership';

function action(i: number, extra: Partial<ActionInput> = {}): ActionInput {
  return {
    id: `a${i}`, ref: String(i), position: i, objective: null, progress: '', brag: i % 5 === 0 ? 'amber' : 'green',
    activity: `${LONG} (action ${i})`, dueKind: 'date', dueDate: '2020-11-30', dueRaw: '30/11/2020',
    leadAgency: "Safeguarding Children's Partnership", leadOfficer: '', ownerNames: [], firstSeenAt: new Date('2020-01-01T00:00:00Z'), archivedAt: null, ...extra,
  };
}

function report(actions: ActionInput[], previousMeetingDate: string | null = null): HighlightReportContent {
  const inputs: ReportInputs = {
    group: { slug: 'cicp', name: 'Strategic Partnership', reportsToName: 'Corporate Parenting Board' },
    meeting: { date: '2021-01-13', title: null },
    previousMeetingDate,
    previousReport: null,
    settings: {},
    sections: [],
    actions,
    updates: [],
    asked: [],
    signOff: { name: 'Simon Fisher', role: 'Group Manager' },
    convenorPersonIds: [],
    region: 'ENG',
  };
  return assembleReport(inputs, NOW);
}

describe.runIf(popplerAvailable())('PDF tables', () => {
  const many = report(Array.from({ length: 40 }, (_, i) => action(i + 1)));

  it('print every action in full, wrapped, and never break a date', async () => {
    const pdf = (await renderReportContent(many, 'pdf')).body as Buffer;
    const flat = noSpace(pdfText(pdf, { raw: true }));
    for (const a of many.plan.overdue) expect(flat).toContain(noSpace(a.activity));
    expect(flat).not.toContain('…');
    const lines = pdfText(pdf, { raw: true }).split('\n');
    const dates = lines.filter((l) => l.includes('30/11/20'));
    expect(dates.length).toBeGreaterThanOrEqual(40);
    // Each date whole on its line: no "30/11/202" with its "0" on the next.
    for (const l of dates) expect(l).toMatch(/30\/11\/2020/);
    expect(lines.some((l) => /30\/11\/202$/.test(l.trim()))).toBe(false);
  });

  it('repeat the header row at the top of each page the table runs onto', async () => {
    const pdf = (await renderReportContent(many, 'pdf')).body as Buffer;
    // In drawing order (raw), a page's header row comes before its first row of the table.
    const pages = pdfText(pdf, { raw: true }).split('\f').filter((p) => p.trim() !== '');
    const withRows = pages.filter((p) => p.includes('30/11/2020'));
    expect(withRows.length).toBeGreaterThan(2);
    for (const p of withRows) {
      const beforeFirstRow = p.slice(0, p.search(/^\d+ /m));
      expect(beforeFirstRow.replace(/\s+/g, ' '), p.slice(0, 200)).toMatch(/Ref Action Owner Due Working days overdue Status/);
    }
  });
});

describe('every paper format prints an action in full', () => {
  const one = report([action(1)]);
  it.each(['md', 'html', 'docx'] as const)('%s', async (format) => {
    const file = await renderReportContent(one, format);
    const text = format === 'docx' ? (await openDocx(file.body as Buffer)).text : format === 'html' ? htmlText(file.body as string) : (file.body as string);
    expect(noSpace(text)).toContain(noSpace(one.plan.overdue[0]!.activity));
  });
});

describe('the chart', () => {
  /** How many pixels of the PNG are (within a little) this colour. */
  async function pixels(png: Buffer, hex: string): Promise<number> {
    const img = await loadImage(png);
    const canvas = createCanvas(img.width, img.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r!) < 6 && Math.abs(data[i + 1]! - g!) < 6 && Math.abs(data[i + 2]! - b!) < 6) n += 1;
    return n;
  }

  it.each([
    ['now only', null],
    ['now and then', '2020-11-11'],
  ] as const)('%s: no legend swatch that matches no bar; every status drawn in its colour', async (_n, previous) => {
    const c = report([action(1, { brag: 'red' }), action(2, { brag: 'amber' }), action(3), action(4, { brag: 'blue' }), action(5, { brag: 'unrated' })], previous);
    const png = await renderBragChart(c);
    // The old legend's swatches were grey (#505A5F), matching none of the five coloured bars.
    expect(await pixels(png, '#505A5F')).toBe(0);
    for (const fill of ['#C00000', '#FFC000', '#00B050', '#0070C0']) expect(await pixels(png, fill), fill).toBeGreaterThan(500);
  });
});
