/**
 * Teams refuses a message larger than about 28 KB (the whole activity, card included). A card
 * is rendered with as many actions as fit under CARD_BYTE_LIMIT (the rest summarised in a
 * compact list), and text is cut harder if even one does not fit.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { cardBytes } from './elements.js';

/** Teams' documented message limit is ~28 KB; leave room for the activity envelope. */
export const TEAMS_MESSAGE_LIMIT = 28 * 1024;
export const CARD_BYTE_LIMIT = 26 * 1024;

/**
 * Builds with `shown` items (most first) and shorter titles until the card fits. `build` must
 * summarise what it does not show. The last resort (one item, short titles) is returned even if
 * still too large, so the caller can refuse it with a clear error rather than loop.
 */
export function fitCard(maxShown: number, build: (shown: number, titleMax: number) => IAdaptiveCard): IAdaptiveCard {
  for (const titleMax of [400, 160]) {
    for (let shown = maxShown; shown >= Math.min(1, maxShown); shown--) {
      const c = build(shown, titleMax);
      if (cardBytes(c) <= CARD_BYTE_LIMIT) return c;
      if (shown === 0) break;
    }
  }
  return build(Math.min(1, maxShown), 80);
}
