/**
 * A channel as the shared decision suites drive it: present what a person would click (a nudge,
 * rendered as the channel sends it), click it as someone, and read back, in plain words, what
 * that person sees. Slack and Teams implement it through their real receivers; the web forms
 * (issue 14) become one more implementation in ./index.ts.
 */
import type { Db, DbProvider } from '../../../src/db/client.js';
import type { makeStandardGroup } from '../../support/factories.js';

export type World = Awaited<ReturnType<typeof makeStandardGroup>> & { db: Db };

/** Who clicks: the action's owner, the group's chair, a known person outside the group, someone the channel cannot map. */
export type Who = 'owner' | 'chair' | 'stranger' | 'unknown';

/** Something rendered for a person to click: opaque to the suite beyond the action it is for. */
export interface Surface {
  actionId: string;
}

export interface Delivery {
  /** What the person sees afterwards about it, as plain text (markup and icons removed). */
  seen: string;
  /** The exact same delivery again (the platform's retry, a replayed request): what they see then. */
  replay(): Promise<string>;
}

export interface ChannelRun {
  world: World;
  /** A nudge to the action's owner, as the outbox would send it now. */
  present(actionId: string): Promise<Surface>;
  /** The same surface with its button carrying another action id (a forged or stale payload). */
  forge(surface: Surface, actionId: string): Surface;
  /** Clicks the BRAG button `brag` on the surface, as `who`, through the channel's real receiver. */
  click(surface: Surface, brag: 'blue' | 'green' | 'amber' | 'red', who: Who): Promise<Delivery>;
  stop(): Promise<void>;
}

export interface SeamChannel {
  name: string;
  start(provider: DbProvider): Promise<ChannelRun>;
}

/** Plain words from a channel's markup: no emphasis, no emoji, single spaces. */
export function plainWords(text: string): string {
  return text
    .replace(/:[a-z0-9_+-]+:/g, '')
    .replace(/\p{Extended_Pictographic}\uFE0F?/gu, '')
    .replace(/\*\*|\*/g, '')
    .replace(/\\([\\*_`[\].+-])/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
