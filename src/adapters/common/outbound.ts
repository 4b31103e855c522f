/**
 * Wording both adapters put on outbound messages (nudge headlines, BRAG counts). Each adapter
 * passes its own BRAG icons (Slack emoji codes, Unicode circles for Teams); the rest is the same.
 */
import { BRAG_LABEL, BRAG_ORDER, type Brag } from '../../core/brag.js';
import type { ActionCard, NudgeReason } from '../../core/chat.js';

export const REASON_HEADLINE: Record<NudgeReason, string> = {
  overdue: 'Overdue actions need an update',
  'due-soon': 'Actions due soon',
  stale: 'No update for a while',
  'update-round': 'Update round before the meeting',
  'catch-up': 'Catching up on your actions',
};

/** "🔴 Red 2 · 🟢 Green 5": how many of the cards have each BRAG, in report order, zeros left out. */
export function bragCounts(cards: readonly ActionCard[], icons: Record<Brag, string>): string {
  const counts = new Map<Brag, number>();
  for (const c of cards) counts.set(c.brag, (counts.get(c.brag) ?? 0) + 1);
  return BRAG_ORDER.filter((b) => counts.get(b)).map((b) => `${icons[b]} ${BRAG_LABEL[b]} ${counts.get(b)}`).join(' · ');
}
