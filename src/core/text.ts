/**
 * Text helpers every channel uses (the chat adapters, the interaction sentences, the web forms to
 * come): clamping, UK dates and times, plurals. Plain strings with no platform markup (escaping
 * is each adapter's own: Slack mrkdwn, Teams Markdown).
 */
import { BRAG_LABEL, BRAG_MEANING, type Brag } from './brag.js';

/** Cut to `max` characters (by code point, so an emoji is never split), ending with an ellipsis. */
export function clamp(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** One line: newlines folded, for titles, button labels and summaries. */
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** "Green (on track)": the word and its meaning, without the colour. */
export const bragPlain = (brag: Brag): string => `${BRAG_LABEL[brag]} (${BRAG_MEANING[brag]})`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** 'YYYY-MM-DD' → "30 Jun 2021", or "Wed 30 Jun 2021" (UK order, as the papers write it). */
export function ukDate(iso: string, withWeekday = false): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  const day = Number(d);
  const base = `${day} ${MONTHS[Number(mo) - 1] ?? mo} ${y}`;
  if (!withWeekday) return base;
  return `${WEEKDAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, day)).getUTCDay()]} ${base}`;
}

const timeFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** An instant in Europe/London: "14:02". */
export const londonTime = (at: Date): string => timeFmt.format(at);
/** An instant's London calendar day: "Thu 10 Dec 2026". */
export const londonDay = (at: Date): string => dayFmt.format(at).replace(/,/g, '');
/** An instant for people to read, as every surface says one: "Thu 10 Dec 2026 at 14:02 UK time". */
export const londonMoment = (at: Date): string => `${londonDay(at)} at ${londonTime(at)} UK time`;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
