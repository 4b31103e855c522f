/**
 * Every channel the shared decision suites run through. The web forms (issue 14) are added
 * here by one more entry implementing SeamChannel (./types.ts); the cases do not change.
 */
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import type { SeamChannel } from './types.js';

export const CHANNELS: readonly SeamChannel[] = [slackChannel, teamsChannel];
export type { ChannelRun, Delivery, SeamChannel, Surface, Who, World } from './types.js';
