/**
 * How a channel writes the sentences the interactions return. The wording is decided once,
 * here and in the interaction modules; each channel supplies its markup (Slack mrkdwn, Teams
 * Markdown, plain text for the web and the logs).
 */
import { bragPlain } from '../../core/text.js';
import type { Brag } from '../../core/brag.js';

export type Icon = 'done' | 'warning' | 'refused' | 'snoozed' | 'handedBack';

export interface SentenceStyle {
  /** What the person clicked on: "this message", "this card", "this page". */
  surface: string;
  /** A status with its meaning: "🟢 **Green** (on track)". */
  brag(brag: Brag): string;
  /** Text that came from a person or a plan, escaped for the channel. */
  text(s: string): string;
  /** Emphasis for a name the person should notice (a section heading, a ref). */
  strong(s: string): string;
  /** An icon and its trailing space, or '' where the channel has none. */
  icon(icon: Icon): string;
  /** A name as typed in a command (a group's short name): "`ops`". */
  code(s: string): string;
  /** How the person lists their own actions in this channel: "`/brag`", "**my actions**". */
  listCommand: string;
}

export const PLAIN: SentenceStyle = {
  surface: 'this page',
  brag: bragPlain,
  text: (s) => s,
  strong: (s) => s,
  icon: () => '',
  code: (s) => s,
  listCommand: 'your list of actions',
};
