/**
 * The BRAG distribution as a PNG: actions by status now, beside the same counts at the last
 * report. Drawn by Chart.js on an @napi-rs/canvas canvas (prebuilt, no system Cairo, nothing
 * downloaded). Each bar carries its number, its date ("11 Nov" / "13 Jan") and each category its
 * word, so the chart reads without colour and without a legend: a legend's swatch would have to
 * match five colours at once, and a grey one matched no bar at all.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, SubTitle, Title, type ChartConfiguration, type Plugin } from 'chart.js';
import { BRAG_LABEL, BRAG_MEANING, BRAG_ORDER } from '../core/brag.js';
import { longDate } from '../core/report/dates.js';
import type { HighlightReportContent } from '../core/report/types.js';
import { BRAG_COLOUR } from './common.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title, SubTitle);

/** DejaVu Sans (Debian fonts-dejavu-core) where the system has it; otherwise the canvas default. */
const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];
let fontFamily: string | undefined;
function chartFont(): string {
  if (fontFamily !== undefined) return fontFamily;
  fontFamily = 'sans-serif';
  for (const file of FONT_FILES) {
    if (existsSync(file) && GlobalFonts.registerFromPath(file, 'DejaVu Sans')) fontFamily = 'DejaVu Sans';
  }
  return fontFamily;
}

const withAlpha = (hex: string, alpha: number): string => {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
};

/** Prints each bar's value above it and, when two periods are compared, the bar's date above that. */
function barLabels(periods: string[] | null): Plugin<'bar'> {
  return {
    id: 'barLabels',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.textAlign = 'center';
      ctx.textBaseline = 'bottom';
      chart.data.datasets.forEach((ds, i) => {
        chart.getDatasetMeta(i).data.forEach((bar, j) => {
          const value = ds.data[j];
          if (typeof value !== 'number') return;
          ctx.fillStyle = '#0b0c0c';
          ctx.font = `bold 28px "${chartFont()}"`;
          ctx.fillText(String(value), bar.x, bar.y - 6);
          const period = periods?.[i];
          if (period) {
            ctx.fillStyle = '#484949';
            ctx.font = `22px "${chartFont()}"`;
            ctx.fillText(period, bar.x, bar.y - 40);
          }
        });
      });
      ctx.restore();
    },
  };
}

/** '2020-11-11' → '11 Nov': short enough to sit above a bar. */
const shortDay = (date: string) => longDate(date).split(' ').slice(0, 2).map((w, i) => (i === 1 ? w.slice(0, 3) : w)).join(' ');

/** White background: a transparent PNG shows black in some Word and PDF viewers. */
const background: Plugin<'bar'> = {
  id: 'background',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

export const CHART_WIDTH = 1600;
export const CHART_HEIGHT = 800;

export async function renderBragChart(report: HighlightReportContent): Promise<Buffer> {
  const family = chartFont();
  const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const labels = BRAG_ORDER.map((b) => (b === 'unrated' ? [BRAG_LABEL[b]] : [BRAG_LABEL[b], BRAG_MEANING[b]]));
  const now = BRAG_ORDER.map((b) => report.plan.counts[b]);
  const cmp = report.plan.comparison;
  const datasets: ChartConfiguration<'bar'>['data']['datasets'] = [];
  if (cmp) {
    datasets.push({
      label: `At ${cmp.kind === 'report' ? 'the last report' : 'the previous meeting'} (${longDate(cmp.sinceDate)})`,
      data: BRAG_ORDER.map((b) => cmp.counts[b]),
      backgroundColor: BRAG_ORDER.map((b) => withAlpha(BRAG_COLOUR[b].fill, 0.3)),
      // A dark outline: a pale amber or green bar on white needs it to stand out (WCAG 1.4.11, 3:1).
      borderColor: '#0b0c0c',
      borderWidth: 2,
    });
  }
  datasets.push({
    label: `Now (${longDate(report.asOfDate)})`,
    data: now,
    backgroundColor: BRAG_ORDER.map((b) => BRAG_COLOUR[b].fill),
    borderColor: '#0b0c0c',
    borderWidth: 2,
  });
  const max = Math.max(1, ...now, ...(cmp ? BRAG_ORDER.map((b) => cmp.counts[b]) : []));
  const periods = cmp ? [shortDay(cmp.sinceDate), shortDay(report.asOfDate)] : null;
  const subtitle = cmp
    ? `Pale bars: ${cmp.kind === 'report' ? 'at the last report' : 'at the previous meeting'} (${longDate(cmp.sinceDate)}). Solid bars: now (${longDate(report.asOfDate)}).`
    : `As at ${longDate(report.asOfDate)}.`;
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: { top: 10, right: 30, bottom: 10, left: 20 } },
      font: { family, size: 24 },
      scales: {
        x: { ticks: { color: '#0b0c0c', font: { family, size: 26 } }, grid: { display: false } },
        y: {
          beginAtZero: true,
          // Room above the tallest bar for its number and its date.
          suggestedMax: Math.ceil(max * (cmp ? 1.3 : 1.15)),
          ticks: { precision: 0, color: '#0b0c0c', font: { family, size: 22 } },
          title: { display: true, text: 'Number of actions', color: '#0b0c0c', font: { family, size: 24 } },
        },
      },
      plugins: {
        title: { display: true, text: `${report.group.name}: actions by status`, color: '#0b0c0c', font: { family, size: 32, weight: 'bold' } },
        subtitle: { display: true, text: subtitle, color: '#484949', font: { family, size: 26 }, padding: { bottom: 16 } },
        legend: { display: false },
      },
    },
    plugins: [background, barLabels(periods)],
  };
  // Chart.js draws through a 2D context; @napi-rs/canvas provides a compatible one.
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
