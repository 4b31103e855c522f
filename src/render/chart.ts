/**
 * The BRAG distribution as a PNG: actions by status now, beside the same counts at the last
 * report. Drawn by Chart.js on an @napi-rs/canvas canvas (prebuilt, no system Cairo, nothing
 * downloaded). Each bar carries its number and each category its word, so the chart reads
 * without colour.
 */
import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Title, type ChartConfiguration, type Plugin } from 'chart.js';
import { BRAG_LABEL, BRAG_MEANING, BRAG_ORDER } from '../core/brag.js';
import { longDate } from '../core/report/dates.js';
import type { HighlightReportContent } from '../core/report/types.js';
import { BRAG_COLOUR } from './common.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Title);

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

/** Prints each bar's value above it. */
const barValues: Plugin<'bar'> = {
  id: 'barValues',
  afterDatasetsDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = '#0b0c0c';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.font = `bold 26px "${chartFont()}"`;
    chart.data.datasets.forEach((ds, i) => {
      chart.getDatasetMeta(i).data.forEach((bar, j) => {
        const value = ds.data[j];
        if (typeof value === 'number') ctx.fillText(String(value), bar.x, bar.y - 6);
      });
    });
    ctx.restore();
  },
};

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
      borderColor: BRAG_ORDER.map((b) => BRAG_COLOUR[b].fill),
      borderWidth: 3,
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
        x: { ticks: { color: '#0b0c0c', font: { family, size: 24 } }, grid: { display: false } },
        y: {
          beginAtZero: true,
          suggestedMax: Math.ceil(max * 1.15),
          ticks: { precision: 0, color: '#0b0c0c', font: { family, size: 22 } },
          title: { display: true, text: 'Number of actions', color: '#0b0c0c', font: { family, size: 24 } },
        },
      },
      plugins: {
        title: { display: true, text: `${report.group.name}: actions by status`, color: '#0b0c0c', font: { family, size: 30, weight: 'bold' } },
        legend: {
          display: true,
          position: 'bottom',
          labels: {
            color: '#0b0c0c',
            font: { family, size: 24 },
            // Neutral swatches: the legend tells "then" (outlined, pale) from "now" (solid), not colours.
            generateLabels: (chart) => chart.data.datasets.map((ds, i) => {
              const pale = cmp !== null && i === 0;
              return {
                text: ds.label ?? '',
                fillStyle: pale ? 'rgba(120,120,120,0.3)' : '#505a5f',
                strokeStyle: pale ? '#505a5f' : '#0b0c0c',
                lineWidth: pale ? 3 : 2,
                datasetIndex: i,
                hidden: false,
              };
            }),
          },
        },
      },
    },
    plugins: [background, barValues],
  };
  // Chart.js draws through a 2D context; @napi-rs/canvas provides a compatible one.
  const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
  try {
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}
