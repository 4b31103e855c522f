/**
 * One line of an action's history ("Recent updates" under Details in Slack and Teams, "History" on
 * the web plan page): who changed what, when, through which channel. Worded once, here — the three
 * surfaces had each written their own and drifted (Slack dropped the new date when there was a
 * note and never said the progress changed; Teams and the web did).
 */
import type { Brag } from '../../core/brag.js';
import { BRAG_LABEL } from '../../core/brag.js';
import { clamp, londonDay, londonTime, oneLine } from '../../core/text.js';
import type { SentenceStyle } from './style.js';

/** A StatusUpdate as the history lists it (recentUpdatesOf's select). */
export interface HistoryUpdate {
  actorName: string;
  at: Date;
  /** update | import | not-mine */
  kind: string;
  fromBrag: string;
  toBrag: string;
  note: string | null;
  toProgress: string | null;
  revisedDueRaw: string | null;
  channel: string;
}

const label = (b: string): string => BRAG_LABEL[b as Brag] ?? b;

/**
 * What the update did: "Green to **Amber**; progress updated, new date March 2027: “note”".
 * `noteChars`: how much of the note the surface shows (on one line).
 */
export function describeUpdateChange(u: HistoryUpdate, s: Pick<SentenceStyle, 'text' | 'strong'>, noteChars: number): string {
  const note = u.note ? `: “${s.text(clamp(oneLine(u.note), noteChars))}”` : '';
  if (u.kind === 'not-mine') return `said it is not theirs${note}`;
  const what = u.fromBrag !== u.toBrag ? `${s.text(label(u.fromBrag))} to ${s.strong(s.text(label(u.toBrag)))}` : u.kind === 'import' ? 'imported' : 'updated';
  const details = [u.toProgress !== null ? 'progress updated' : '', u.revisedDueRaw ? `new date ${s.text(u.revisedDueRaw)}` : ''].filter(Boolean);
  // "updated; progress updated" says one thing twice: the details alone when the status stayed.
  const head = details.length && what === 'updated' ? details.join(', ') : [what, details.join(', ')].filter(Boolean).join('; ');
  return `${head}${note}`;
}

/** "1 Dec 2026 10:04, Asha Patel (slack)": when (UK time) and who, through which channel. */
export function describeUpdateWho(u: Pick<HistoryUpdate, 'at' | 'actorName' | 'channel'>, s: Pick<SentenceStyle, 'text'>): string {
  return `${londonDay(u.at)} ${londonTime(u.at)}, ${s.text(u.actorName)} (${u.channel})`;
}
