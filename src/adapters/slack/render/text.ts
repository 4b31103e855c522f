/**
 * Text for Block Kit: mrkdwn escaping, length clamping, BRAG labels and UK dates.
 * Plans carry long multi-sentence cells and characters Slack treats as markup (&, <, >):
 * everything that came from a plan or a person goes through `esc` and `clamp`.
 */
import { BRAG_LABEL, BRAG_MEANING, type Brag } from '../../../core/brag.js';

/** Slack mrkdwn control characters; everything else is shown as typed. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut to `max` characters (by code point, so an emoji is never split), ending with an ellipsis. */
export function clamp(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** One line: newlines folded, for titles and button labels. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export const BRAG_EMOJI: Record<Brag, string> = {
  blue: ':large_blue_circle:',
  red: ':red_circle:',
  amber: ':large_orange_circle:',
  green: ':large_green_circle:',
  unrated: ':white_circle:',
};

/** "🟢 *Green* (on track)": the word and its meaning always travel with the colour (accessibility). */
export function bragMrkdwn(brag: Brag): string {
  return `${BRAG_EMOJI[brag]} *${BRAG_LABEL[brag]}* (${BRAG_MEANING[brag]})`;
}

export function bragPlain(brag: Brag): string {
  return `${BRAG_LABEL[brag]} (${BRAG_MEANING[brag]})`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** 'YYYY-MM-DD' → "Wed 30 Jun 2021" (UK order, as the papers write it). */
export function ukDate(iso: string, withWeekday = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  const day = Number(d);
  const month = MONTHS[Number(mo) - 1] ?? mo;
  const base = `${day} ${month} ${y}`;
  if (!withWeekday) return base;
  const wd = WEEKDAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, day)).getUTCDay()];
  return `${wd} ${base}`;
}

const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** An instant in Europe/London: "14:02". */
export const londonTime = (at: Date): string => timeFmt.format(at);
/** An instant's London calendar day: "Thu 10 Dec 2026". */
export const londonDay = (at: Date): string => dayFmt.format(at).replace(/,/g, '');

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
