/**
 * Text for Adaptive Cards: length clamping, BRAG labels and UK dates. A TextBlock renders a
 * small Markdown subset (bold, italics, lists, links); text from a plan or a person is escaped
 * so a ref like "1." or an activity starting with "-" is shown as written, not as a list.
 */
import { BRAG_LABEL, BRAG_MEANING, type Brag } from '../../../core/brag.js';
import type { ActionCard } from '../../../core/chat.js';

/** Cut to `max` characters (by code point, so an emoji is never split), ending with an ellipsis. */
export function clamp(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** One line: newlines folded, for titles and labels. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Markdown a TextBlock would interpret, escaped: * _ ` [ ] and a leading list marker. */
export function md(text: string): string {
  return text
    .replace(/([\\*_`[\]])/g, '\\$1')
    .replace(/^(\s*)(\d+)\.(\s)/gm, '$1$2\\.$3')
    .replace(/^(\s*)([-+])(\s)/gm, '$1\\$2$3');
}

/** Circles read by screen readers as "large green circle": the word always follows (accessibility). */
export const BRAG_ICON: Record<Brag, string> = {
  blue: '🔵',
  red: '🔴',
  amber: '🟠',
  green: '🟢',
  unrated: '⚪',
};

/** "🟢 **Green** (on track)": the word and its meaning always travel with the colour. */
export const bragMd = (brag: Brag): string => `${BRAG_ICON[brag]} **${BRAG_LABEL[brag]}** (${BRAG_MEANING[brag]})`;
export const bragPlain = (brag: Brag): string => `${BRAG_LABEL[brag]} (${BRAG_MEANING[brag]})`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** 'YYYY-MM-DD' → "30 Jun 2021" (UK order, as the papers write it). */
export function ukDate(iso: string, withWeekday = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  const day = Number(d);
  const base = `${day} ${MONTHS[Number(mo) - 1] ?? mo} ${y}`;
  if (!withWeekday) return base;
  return `${WEEKDAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, day)).getUTCDay()]} ${base}`;
}

/** 'YYYY-MM-DD' → '30/06/2021', what recordUpdate's date parser reads (UK day-first). */
export function ukSlashDate(iso: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  return m ? `${m[3]}/${m[2]}/${m[1]}` : null;
}

const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
export const londonTime = (at: Date): string => timeFmt.format(at);
export const londonDay = (at: Date): string => dayFmt.format(at).replace(/,/g, '');

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function dueText(card: Pick<ActionCard, 'dueKind' | 'dueDate' | 'dueRaw'>): string {
  if (card.dueKind === 'date' && card.dueDate) return ukDate(card.dueDate);
  if (card.dueKind === 'month') return card.dueRaw || (card.dueDate ? ukDate(card.dueDate) : 'no date');
  if (card.dueKind === 'ongoing') return 'Ongoing';
  return card.dueRaw ? clamp(oneLine(card.dueRaw), 60) : 'no date';
}

export function ownersText(card: Pick<ActionCard, 'ownerNames' | 'leadOfficer' | 'leadAgency'>): string {
  if (card.ownerNames.length) return card.ownerNames.join(', ');
  return [card.leadOfficer, card.leadAgency].filter(Boolean).join(', ') || 'no owner';
}
