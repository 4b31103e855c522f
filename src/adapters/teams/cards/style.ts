/** How the interaction sentences read in Teams: card Markdown, BRAG circles, emoji. */
import type { SentenceStyle } from '../../../services/interactions/index.js';
import { bragMd, md } from './text.js';

const ICONS = { done: '✅ ', warning: '⚠️ ', refused: '⛔ ', snoozed: '💤 ', handedBack: '↩️ ' } as const;

export const TEAMS_STYLE: SentenceStyle = {
  surface: 'this card',
  brag: bragMd,
  text: md,
  strong: (s) => `**${s}**`,
  icon: (i) => ICONS[i],
  code: (s) => `**${md(s)}**`,
  listCommand: '**my actions**',
};
