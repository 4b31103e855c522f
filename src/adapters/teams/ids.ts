/**
 * What the Teams app registers and what its cards carry. The manifest test
 * (tests/teams/manifest.test.ts) checks manifests/teams/manifest.json against TEAMS_COMMANDS,
 * so the command menu a tenant installs and the code that answers can never disagree.
 */
import { z } from 'zod';

/** Bot commands (Teams has no slash commands): the manifest's personal commandList, in this order. */
export const TEAMS_COMMANDS = [
  { title: 'my actions', description: 'Your open actions, with buttons to record Blue, Green, Amber or Red and update progress' },
  { title: 'highlight-report', description: 'The highlight report for a group’s meeting: highlight-report [group] [date]' },
  { title: 'help', description: 'What bragbot does and how to use it' },
] as const;

/** In a team or group chat (with an @mention): the same, and choosing the group's channel. */
export const TEAMS_CHANNEL_COMMANDS = [
  ...TEAMS_COMMANDS,
  { title: 'set-channel', description: 'Chairs: open this group’s update rounds in this channel: set-channel [group]' },
] as const;

/** The resource-specific consent that lets the bot read channel replies without an @mention. */
export const TEAMS_RSC_PERMISSIONS = [
  { name: 'ChannelMessage.Read.Group', type: 'Application' },
  // Shared channels (issue 15): membership of the channel, direct and through shared-with teams,
  // as Microsoft's guide for shared-channel apps asks of a bot that acts on channel members.
  { name: 'ChannelMember.Read.Group', type: 'Application' },
] as const;

/** Action.Execute verbs (and the `verb` field of the Action.Submit fallbacks). */
export const VERBS = {
  brag: 'brag',
  progressOpen: 'progress.open',
  progressSave: 'progress.save',
  back: 'back',
  snooze: 'snooze',
  notMineAsk: 'notmine.ask',
  notMine: 'notmine',
  page: 'list.page',
  details: 'details',
  reportPublish: 'report.publish',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];
const VERB_VALUES = Object.values(VERBS) as [Verb, ...Verb[]];

/**
 * What a button carries (Action.Execute `data`; the Action.Submit fallback adds `verb`).
 * Short keys: a nudge has seven buttons per action and the whole card must stay under
 * Teams' ~28 KB. Never trusted: ids are re-checked against the workspace and the person.
 */
export const CardData = z.object({
  /** Marks our Action.Submit payloads among anything else a message's `value` might hold. */
  bb: z.literal(1),
  verb: z.enum(VERB_VALUES).optional(),
  /** Action id. */
  a: z.string().min(1).max(64).optional(),
  /** The BRAG a status button sets. */
  b: z.enum(['blue', 'green', 'amber', 'red']).optional(),
  /** The action's version (updatedAt, base 36) when the card was rendered: see idempotency.ts. */
  v: z.string().max(20).optional(),
  /** List page. */
  p: z.number().int().min(0).max(1000).optional(),
  /** Report id and group slug (report buttons). */
  r: z.string().min(1).max(64).optional(),
  g: z.string().min(1).max(100).optional(),
});
export type CardData = z.infer<typeof CardData>;

/** Ids of the inputs a card can hold; the handlers read them back from the invoke's data. */
export const INPUTS = {
  /** Hidden: the card's scope (which actions it shows), so any click can re-render it whole. */
  scope: 'bb_scope',
  status: 'bb_status',
  progress: 'bb_progress',
  evidence: 'bb_evidence',
  revisedDue: 'bb_revised',
  note: 'bb_note',
} as const;

/** Most actions a card lists with buttons; more are summarised (Teams' message size). */
export const MAX_ACTIONS_WITH_BUTTONS = 8;
/** Most action ids a card's scope remembers (shown ones first). */
export const MAX_SCOPE_IDS = 60;

/**
 * What a card shows, carried in a hidden input so that a click anywhere on it can re-render
 * the whole card from the database (Teams sends only the clicked button's data, not the card).
 */
const Ids = z.array(z.string().min(1).max(64)).max(MAX_SCOPE_IDS);
const Name = z.string().max(200);
export const CardScope = z.discriminatedUnion('k', [
  /** A nudge as sent: recipient's name, reasons, meeting (group name, date). */
  z.object({
    k: z.literal('nudge'),
    ids: Ids,
    n: Name.optional(),
    r: z.array(z.enum(['overdue', 'due-soon', 'stale', 'update-round', 'catch-up'])).max(5).optional(),
    m: z.object({ g: z.string().max(300), d: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).optional(),
  }),
  /** "my actions", page p. */
  z.object({ k: z.literal('list'), ids: Ids, p: z.number().int().min(0).max(1000).optional() }),
  /** An escalation: recipient, owner, why. */
  z.object({ k: z.literal('escalation'), ids: Ids, n: Name, o: Name, x: z.enum(['red', 'unanswered']) }),
  /** A digest: recipient, period label. */
  z.object({ k: z.literal('digest'), ids: Ids, n: Name, l: z.string().max(200) }),
  /** "Not theirs": recipient (the chair), who handed it back. */
  z.object({ k: z.literal('not-mine'), ids: Ids, n: Name, f: Name }),
]);
export type CardScope = z.infer<typeof CardScope>;

export function parseJsonWith<T>(schema: z.ZodType<T>, text: unknown): T | null {
  if (typeof text !== 'string') return null;
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** The action's version token: one scheme for both adapters. */
export { versionOf } from '../../services/actions.js';
