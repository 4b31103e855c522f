/**
 * Identifiers the Slack app registers and the values its buttons carry. The manifest test
 * (tests/slack/manifest.test.ts) checks manifests/slack/manifest.yml against these, so the
 * app a workspace admin installs and the code that runs can never disagree.
 */
import { z } from 'zod';

export const SLACK_COMMANDS = {
  highlightReport: '/highlight-report',
  brag: '/brag',
} as const;

/** Message events the app subscribes to (update-thread replies in public and private channels). */
export const SLACK_BOT_EVENTS = ['message.channels', 'message.groups'] as const;

/** Every bot scope the code needs, with the reason (the manifest must grant exactly these). */
export const SLACK_BOT_SCOPES = {
  'chat:write': 'nudges, escalations, digests, update threads, in-place updates',
  'im:write': 'conversations.open for DMs',
  'im:history': 'conversations.history to re-read a DM nudge after a modal update',
  commands: '/highlight-report and /brag',
  'users:read': 'users.lookupByEmail needs it beside users:read.email',
  'users:read.email': 'mapping people by email',
  'channels:history': 'update-thread replies in public channels (message.channels)',
  'groups:history': 'update-thread replies in private channels (message.groups)',
  'reactions:write': 'the ✅ on a captured reply',
  'files:write': 'highlight report download (files.uploadV2)',
} as const;

export const ACTION_IDS = {
  /** Followed by the BRAG: bragbot.brag.green */
  bragPrefix: 'bragbot.brag.',
  progress: 'bragbot.progress',
  snooze: 'bragbot.snooze',
  notMine: 'bragbot.not_mine',
  details: 'bragbot.details',
  bragPage: 'bragbot.brag_page',
  reportPublish: 'bragbot.report.publish',
  /** Followed by the format: bragbot.report.download.docx */
  reportDownloadPrefix: 'bragbot.report.download.',
} as const;

export const BRAG_BUTTON_PATTERN = /^bragbot\.brag\.(blue|green|amber|red)$/;
export const REPORT_DOWNLOAD_PATTERN = /^bragbot\.report\.download\.(docx|pdf)$/;

export const CALLBACK_IDS = {
  progressModal: 'bragbot.progress_modal',
} as const;

/** Block ids of an action's blocks in a message: lets an in-place update find and replace them. */
export const actionBlockId = (actionId: string, part: 'card' | 'buttons'): string => `act:${actionId}:${part}`;
export function actionIdOfBlock(blockId: string | undefined): { actionId: string; part: string } | null {
  const m = /^act:([^:]+):(card|buttons)$/.exec(blockId ?? '');
  return m ? { actionId: m[1]!, part: m[2]! } : null;
}

/**
 * What an action button carries: the action id and the version of the action the message was
 * rendered from (Action.updatedAt in ms, base 36). The version is what makes a click
 * idempotent and a stale button harmless (see idempotency.ts). Never trusted: the action id
 * is re-checked against the workspace and the clicker on every interaction.
 */
export const ActionButtonValue = z.object({
  a: z.string().min(1).max(64),
  v: z.string().max(20).optional(),
  /** The /brag page an ephemeral list was showing, so an update re-renders the same page. */
  p: z.number().int().min(0).max(1000).optional(),
});
export type ActionButtonValue = z.infer<typeof ActionButtonValue>;

export const encodeActionButton = (v: ActionButtonValue): string => JSON.stringify(v);

export { versionOf } from '../../services/actions.js';

/** /brag pages. */
export const BragPageValue = z.object({ p: z.number().int().min(0).max(1000) });

/** Report buttons: the report and the group it belongs to (both re-checked). */
export const ReportButtonValue = z.object({ r: z.string().min(1).max(64), g: z.string().min(1).max(100) });
export type ReportButtonValue = z.infer<typeof ReportButtonValue>;

/** Where the progress modal was opened from, so its submission can update that message. */
export const ProgressModalMeta = z.object({
  a: z.string().min(1).max(64),
  /** Channel and ts of a normal message (a DM nudge) … */
  c: z.string().optional(),
  t: z.string().optional(),
  /** … or the response_url of an ephemeral one (/brag). */
  u: z.string().url().optional(),
  /** /brag page the ephemeral list was showing. */
  p: z.number().int().min(0).optional(),
});
export type ProgressModalMeta = z.infer<typeof ProgressModalMeta>;

export function parseJson<T>(schema: z.ZodType<T>, text: string | undefined): T | null {
  try {
    const r = schema.safeParse(JSON.parse(text ?? ''));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
