/**
 * What a person may read in chat: an action's details and history ("Details"), their own open
 * actions ("/brag", "my actions"), and the actions a card shows (re-rendered after a click).
 * Access first: an action the person may not read is never read for them.
 */
import type { ActionCard } from '../../core/chat.js';
import { londonDate } from '../../core/calendar.js';
import type { Db } from '../../db/client.js';
import { ACTION_NOT_FOUND, actionsAllowed, decideOnAction, notAPerson } from '../access.js';
import { getActionCard, listPersonActions, versionsOf } from '../actions.js';
import { recentUpdatesOf } from '../status-updates.js';
import { refused } from './common.js';
import type { InteractionInput, Refused } from './types.js';

export type HistoryLine = Awaited<ReturnType<typeof recentUpdatesOf>>[number];

export type DetailsOutcome = { kind: 'details'; action: ActionCard & { evidence: string }; history: HistoryLine[] } | Refused;

export async function actionDetails(db: Db, input: InteractionInput & { actionId: string; historyLimit: number }): Promise<DetailsOutcome> {
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId: input.actionId, capability: 'action.read' });
  if (!d.allowed) return refused(d, false);
  const card = await getActionCard(db, input.workspaceId, input.actionId, londonDate(input.now));
  if (!card) return refused({ allowed: false, code: 'NOT_FOUND', reason: ACTION_NOT_FOUND }, false);
  const { evidence } = await db.action.findUniqueOrThrow({ where: { id: input.actionId }, select: { evidence: true } });
  return { kind: 'details', action: { ...card, evidence }, history: await recentUpdatesOf(db, input.actionId, input.historyLimit) };
}

/** Cards with what a channel needs to draw their buttons: each action's version, and which the person may change. */
export interface ActionList {
  cards: ActionCard[];
  versions: Map<string, string>;
  changeable: Set<string>;
}

async function listOf(db: Db, workspaceId: string, personId: string, cards: ActionCard[]): Promise<ActionList> {
  const ids = cards.map((c) => c.actionId);
  return { cards, versions: await versionsOf(db, workspaceId, ids), changeable: await actionsAllowed(db, workspaceId, personId, ids, 'action.update') };
}

export type MyActionsOutcome = ({ kind: 'list' } & ActionList) | Refused;

/** The person's own open actions (not Blue), across the workspace's groups. */
export async function myActions(db: Db, input: InteractionInput): Promise<MyActionsOutcome> {
  if (input.caller.kind !== 'person') return refused(notAPerson(input.caller), false);
  const cards = await listPersonActions(db, input.workspaceId, input.caller.personId, londonDate(input.now));
  return { kind: 'list', ...(await listOf(db, input.workspaceId, input.caller.personId, cards)) };
}

/** Of these actions (a card's scope), the ones the person may read, in the order given. */
export async function visibleActions(db: Db, input: InteractionInput & { ids: readonly string[] }): Promise<ActionList> {
  if (input.caller.kind !== 'person' || input.ids.length === 0) return { cards: [], versions: new Map(), changeable: new Set() };
  const personId = input.caller.personId;
  const readable = await actionsAllowed(db, input.workspaceId, personId, input.ids, 'action.read');
  const today = londonDate(input.now);
  const cards: ActionCard[] = [];
  for (const id of input.ids) {
    if (!readable.has(id)) continue;
    const c = await getActionCard(db, input.workspaceId, id, today);
    if (c) cards.push(c);
  }
  return listOf(db, input.workspaceId, personId, cards);
}
