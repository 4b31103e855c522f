/**
 * Every channel the shared decision suites run through: Slack, Teams and the web pages, each
 * one entry implementing SeamChannel (./types.ts); the cases do not change.
 */
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import type { SeamChannel } from './types.js';
import { webChannel } from './web.js';

export const CHANNELS: readonly SeamChannel[] = [slackChannel, teamsChannel, webChannel];
export type { ChannelRun, Delivery, SeamChannel, Surface, Who, World } from './types.js';
