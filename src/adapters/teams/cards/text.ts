/**
 * Text for Adaptive Cards: Markdown escaping, BRAG icons, due dates and owners (clamping, UK
 * dates and plurals are shared with Slack: ../../common/text.ts). A TextBlock renders a
 * small Markdown subset (bold, italics, lists, links); text from a plan or a person is escaped
 * so a ref like "1." or an activity starting with "-" is shown as written, not as a list.
 */
import { BRAG_LABEL, BRAG_MEANING, type Brag } from '../../../core/brag.js';
import type { ActionCard } from '../../../core/chat.js';
import { clamp, oneLine, ukDate } from '../../common/text.js';

export { bragPlain, clamp, londonDay, londonTime, oneLine, plural, ukDate } from '../../common/text.js';

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

/** 'YYYY-MM-DD' → '30/06/2021', what recordUpdate's date parser reads (UK day-first). */
export function ukSlashDate(iso: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  return m ? `${m[3]}/${m[2]}/${m[1]}` : null;
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
