/**
 * Reading rendered reports back: DOCX through jszip (word/document.xml), PDF through poppler's
 * pdftotext/pdftoppm (Debian poppler-utils), HTML as text. Tests that need poppler skip with a
 * notice when it is absent, except under CI=true, where a missing tool is a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';

export function popplerAvailable(): boolean {
  const ok = spawnSync('pdftoppm', ['-v']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0;
  if (!ok) {
    if (process.env.CI === 'true') throw new Error('CI=true but pdftoppm/pdftotext are missing: apt-get install -y poppler-utils');
    process.stderr.write('[tests] pdftoppm/pdftotext not found (Debian poppler-utils): PDF page checks are skipped\n');
  }
  return ok;
}

/**
 * The PDF's text as poppler extracts it. `raw`: in content-stream order and without poppler's
 * de-hyphenation (which turns "self-⏎isolate" into "selfisolate"), for word-for-word comparisons.
 */
export function pdfText(pdf: Buffer, options: { raw?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'bragbot-pdf-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', [...(options.raw ? ['-raw'] : []), '-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders PDF pages to PNG files in `outDir` (created); returns their paths in page order. */
export function pdfToPngs(pdf: Buffer, outDir: string, dpi = 60): string[] {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.pdf'), pdf);
  execFileSync('pdftoppm', ['-png', '-r', String(dpi), join(outDir, 'report.pdf'), join(outDir, 'page')]);
  return readdirSync(outDir).filter((f) => f.startsWith('page') && f.endsWith('.png')).sort().map((f) => join(outDir, f));
}

export interface DocxParagraph {
  style: string | null;
  text: string;
}

const decodeXml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export async function openDocx(docx: Buffer) {
  const zip = await JSZip.loadAsync(docx);
  const documentXml = await zip.file('word/document.xml')!.async('string');
  const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
  const paragraphs: DocxParagraph[] = [...documentXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => {
    const xml = m[0];
    const style = /<w:pStyle w:val="([^"]+)"/.exec(xml)?.[1] ?? null;
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)].map((t) => (t[0] === '<w:br/>' ? '\n' : decodeXml(t[1] ?? ''))).join('');
    return { style, text };
  });
  return { zip, documentXml, media, paragraphs, text: paragraphs.map((p) => p.text).join('\n') };
}

export function htmlText(html: string): string {
  return decodeXml(html.replace(/<br>/g, '\n').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'"));
}

/**
 * Figures in a lead's text: counts, percentages (with the space some write before %), decimals
 * and ranges' ends, as written.
 */
export function figuresOf(text: string): string[] {
  return [...new Set(text.match(/\d+(?:[.,]\d+)*(?: ?%)?/g) ?? [])];
}

export const squash = (s: string) => s.replace(/\s+/g, ' ');
export const noSpace = (s: string) => s.replace(/\s+/g, '');

export function readFixture<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Where a test may leave rendered files for a person to look at (REPORT_OUT_DIR), if set. */
export function keepOutput(name: string, body: Buffer | string): void {
  const dir = process.env.REPORT_OUT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), body);
}
