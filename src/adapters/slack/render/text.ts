/**
 * Text for Block Kit: mrkdwn escaping and BRAG emoji; clamping, dates and plurals are shared
 * with Teams (../../common/text.ts) and re-exported here.
 * Plans carry long multi-sentence cells and characters Slack treats as markup (&, <, >):
 * everything that came from a plan or a person goes through `esc` and `clamp`.
 */
import { BRAG_LABEL, BRAG_MEANING, type Brag } from '../../../core/brag.js';

export { bragPlain, clamp, londonDay, londonTime, oneLine, plural, ukDate } from '../../common/text.js';

/** Slack mrkdwn control characters; everything else is shown as typed. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

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
