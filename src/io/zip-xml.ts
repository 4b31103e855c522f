/**
 * Reading the XML parts of an Office or OpenDocument package (XLSX, ODS, DOCX) under the import
 * limits. JSZip reads the zip's central directory, so the order of the parts in the file does not
 * matter (exceljs and openpyxl write worksheets before workbook.xml, which exceljs's own streaming
 * reader could not follow); each part is inflated as a stream into saxes, a maintained streaming XML
 * parser, so a large sheet is never one string in memory. Every byte inflated counts against the
 * unzip budget, and a timer ends a read that takes too long.
 */
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { BragbotError } from '../core/errors.js';
import { tooSlow, unzipsTooBig, type ReadLimits } from './limits.js';

export interface XmlHandlers {
  open?: (name: string, attrs: Record<string, string>) => void;
  close?: (name: string) => void;
  text?: (text: string) => void;
}

/** "x:row" and "row" alike: some generators prefix every element. */
export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

export class ZipPackage {
  private unzipped = 0;
  private expired = false;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly zip: JSZip,
    readonly fileName: string,
    readonly limits: ReadLimits,
  ) {
    // A timer, not the clock: the read stops at its next chunk once the budget has run out.
    this.timer = setTimeout(() => (this.expired = true), limits.maxReadMs);
    this.timer.unref();
  }

  static async open(path: string, fileName: string, limits: ReadLimits, kind: string): Promise<ZipPackage> {
    const bytes = await readFile(path);
    if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
      throw new BragbotError('IMPORT_UNREADABLE', `${fileName} is not ${kind} (the file is damaged or is another format renamed)`);
    }
    try {
      return new ZipPackage(await JSZip.loadAsync(bytes), fileName, limits);
    } catch (e) {
      throw new BragbotError('IMPORT_UNREADABLE', `${fileName} could not be read as ${kind}: the file is damaged (${(e as Error).message}). Open it and save it again.`);
    }
  }

  close(): void {
    clearTimeout(this.timer);
  }

  has(name: string): boolean {
    return this.zip.file(name) !== null;
  }

  /** Part names, for finding parts by pattern. */
  names(): string[] {
    return Object.keys(this.zip.files).filter((n) => !this.zip.files[n]!.dir);
  }

  checkTime(): void {
    if (this.expired) throw tooSlow(this.fileName, this.limits);
  }

  /** Streams one part through a SAX parser. Missing part: false. */
  async parse(name: string, handlers: XmlHandlers): Promise<boolean> {
    const entry = this.zip.file(name);
    if (!entry) return false;
    const parser = new SaxesParser({ position: false });
    let failure: unknown;
    parser.on('error', (e) => {
      failure ??= e;
    });
    if (handlers.open) {
      const open = handlers.open;
      parser.on('opentag', (tag) => open(localName(tag.name), tag.attributes as Record<string, string>));
    }
    if (handlers.close) {
      const close = handlers.close;
      parser.on('closetag', (tag) => close(localName(tag.name)));
    }
    if (handlers.text) {
      parser.on('text', handlers.text);
      parser.on('cdata', handlers.text);
    }
    const decoder = new TextDecoder('utf-8');
    // JSZip's internal stream, handled chunk by chunk as it is inflated: the SAX handlers are
    // synchronous, so nothing is buffered and a zip bomb is stopped at the budget, not after it.
    // (Its nodeStream() ignores back-pressure once wrapped: a 40 MB sheet sat in memory whole.)
    const stream = (entry as unknown as { internalStream(type: 'uint8array'): JSZip.JSZipStreamHelper<Uint8Array> }).internalStream('uint8array');
    await new Promise<void>((resolve) => {
      const stop = (e: unknown) => {
        failure ??= e;
        stream.pause();
        resolve();
      };
      stream
        .on('data', (chunk) => {
          if (failure) return;
          try {
            this.unzipped += chunk.length;
            if (this.unzipped > this.limits.maxUnzippedBytes) throw unzipsTooBig(this.fileName, this.limits);
            this.checkTime();
            parser.write(decoder.decode(chunk, { stream: true }));
            if (failure) stop(failure);
          } catch (e) {
            stop(e);
          }
        })
        .on('error', stop)
        .on('end', () => {
          if (!failure) {
            try {
              parser.write(decoder.decode()).close();
            } catch (e) {
              failure ??= e;
            }
          }
          resolve();
        })
        .resume();
    });
    if (failure) {
      if (failure instanceof BragbotError) throw failure;
      throw new BragbotError('IMPORT_UNREADABLE', `${this.fileName} could not be read: its part ${name} is damaged (${String((failure as Error).message ?? failure).split('\n')[0]}). Open it and save it again.`);
    }
    return true;
  }
}

/** Relationship targets of a .rels part: Id → part name, resolved against the part's folder. */
export async function readRelationships(pkg: ZipPackage, relsPath: string, baseDir: string): Promise<Map<string, { target: string; type: string }>> {
  const rels = new Map<string, { target: string; type: string }>();
  await pkg.parse(relsPath, {
    open: (name, a) => {
      if (name !== 'Relationship' || !a.Id || !a.Target || a.TargetMode === 'External') return;
      rels.set(a.Id, { target: resolvePart(baseDir, a.Target), type: a.Type ?? '' });
    },
  });
  return rels;
}

export function resolvePart(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${baseDir}${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}
