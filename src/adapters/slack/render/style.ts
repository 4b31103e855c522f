/** How the interaction sentences read in Slack: mrkdwn, BRAG emoji, Slack's emoji codes. */
import type { SentenceStyle } from '../../../services/interactions/index.js';
import { bragMrkdwn, esc } from './text.js';

const ICONS = { done: ':white_check_mark: ', warning: ':warning: ', refused: ':no_entry: ', snoozed: ':zzz: ', handedBack: ':leftwards_arrow_with_hook: ' } as const;

export const SLACK_STYLE: SentenceStyle = {
  surface: 'this message',
  brag: bragMrkdwn,
  text: esc,
  strong: (s) => `*${s}*`,
  icon: (i) => ICONS[i],
  code: (s) => `\`${s}\``,
  listCommand: '`/brag`',
};
