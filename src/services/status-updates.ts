/**
 * Recording what owners tell us. Every change to an action's BRAG, progress, evidence or
 * due date writes one append-only StatusUpdate in the same transaction as the change, keyed
 * by an idempotency key from the channel (Slack action id + message ts, Teams activity id,
 * the import run …): a retried request, a double click or a second replica records nothing new.
 */
import { type Brag } from '../core/brag.js';
import { parseDueDate } from '../core/due-date.js';
import { BragbotError } from '../core/errors.js';
import type { Db } from '../db/client.js';
import type { Role } from '../core/access.js';
import { decideOnAction, denialError, required } from './access.js';
import { actionAuditStatement, auditStatusUpdates } from './audit.js';
import { londonDay } from '../core/text.js';
import { isUniqueViolation } from '../db/errors.js';

export const UPDATE_CHANNELS = ['slack', 'teams', 'web', 'cli', 'import', 'system'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

export interface UpdateRequest {
  workspaceId: string;
  actionId: string;
  personId: string;
  channel: UpdateChannel;
  brag?: Brag | undefined;
  progress?: string | undefined;
  note?: string | undefined;
  evidence?: string | undefined;
  /** Revised due date as the owner typed it ("31/03/22", "Mar-22", "Ongoing"). */
  revisedDue?: string | undefined;
  /** The route of the message whose link this came through (the web page opened from an email). */
  route?: string | undefined;
  idempotencyKey: string;
  now: Date;
}

/**
 * Which of the texts the update changed: a form sends back its pre-filled progress and evidence,
 * so "given" is not "changed", and a confirmation must list only what differs.
 */
export interface UpdatedFields {
  progress: boolean;
  evidence: boolean;
  due: boolean;
  note: boolean;
}

export type UpdateOutcome =
  | { status: 'recorded'; updateId: string; fromBrag: Brag; toBrag: Brag; changed: UpdatedFields }
  /** The same key was recorded before (retry, double click): nothing new was written. Who recorded it, when, and what it changed. */
  | { status: 'duplicate'; updateId: string; fromBrag: Brag; toBrag: Brag; actorName: string; at: Date; changed: UpdatedFields }
  /** The request changes nothing (a stale button for the status it already has, no note). */
  | { status: 'unchanged'; brag: Brag };

export type Permission = Role;

/**
 * May this person change this action? Owners, the group's chairs and admins may (the matrix in
 * src/core/access.ts). The action id comes from a chat payload, so it is checked against the
 * workspace: an id from another council's plan is "not found", never a change.
 */
export async function authorizeActionChange(db: Db, workspaceId: string, actionId: string, personId: string): Promise<Permission> {
  return required(await decideOnAction(db, { workspaceId, caller: { kind: 'person', personId }, actionId, capability: 'action.update' })).role;
}

async function duplicateOf(db: Db, idempotencyKey: string): Promise<Extract<UpdateOutcome, { status: 'duplicate' }> | null> {
  const prior = await db.statusUpdate.findUnique({ where: { idempotencyKey } });
  if (!prior) return null;
  const changed = { progress: prior.toProgress !== null, evidence: prior.evidence !== null, due: prior.revisedDueRaw !== null, note: prior.note !== null };
  return { status: 'duplicate', updateId: prior.id, fromBrag: prior.fromBrag as Brag, toBrag: prior.toBrag as Brag, actorName: prior.actorName, at: prior.at, changed };
}

/** Authorises first (issue 10 pt 7: a duplicate key is never looked up for someone who may not change the action), then records. */
export async function recordUpdate(db: Db, req: UpdateRequest): Promise<UpdateOutcome> {
  await authorizeActionChange(db, req.workspaceId, req.actionId, req.personId);
  return recordAuthorizedUpdate(db, req);
}

/**
 * Records an update the caller has already authorised (src/services/interactions decides with
 * src/services/access.ts before calling this). Everything else is as recordUpdate.
 */
export async function recordAuthorizedUpdate(db: Db, req: UpdateRequest): Promise<UpdateOutcome> {
  const prior = await duplicateOf(db, req.idempotencyKey);
  if (prior) return prior;

  let revised: { raw: string; date: string | null; kind: string } | undefined;
  if (req.revisedDue !== undefined && req.revisedDue.trim() !== '') {
    const parsed = parseDueDate(req.revisedDue);
    if (!parsed.ok) throw new BragbotError('INPUT_INVALID', `Revised date: ${parsed.reason}. Use day/month/year, e.g. 31/03/2022.`);
    revised = { raw: parsed.due.raw, date: parsed.due.date, kind: parsed.due.kind };
  }

  try {
    return await db.$transaction(async (tx) => {
      const action = await tx.action.findUniqueOrThrow({ where: { id: req.actionId } });
      const person = await tx.person.findUniqueOrThrow({ where: { id: req.personId }, select: { name: true } });
      const fromBrag = action.brag as Brag;
      const toBrag = req.brag ?? fromBrag;
      const progressChanged = req.progress !== undefined && req.progress.trim() !== '' && req.progress.trim() !== action.progress;
      const evidenceChanged = req.evidence !== undefined && req.evidence.trim() !== '' && req.evidence.trim() !== action.evidence;
      const dueChanged = revised !== undefined && revised.raw !== action.dueRaw;
      const hasNote = req.note !== undefined && req.note.trim() !== '';
      if (toBrag === fromBrag && !progressChanged && !evidenceChanged && !dueChanged && !hasNote) {
        return { status: 'unchanged', brag: fromBrag } as const;
      }
      const update = await tx.statusUpdate.create({
        data: {
          actionId: action.id,
          personId: req.personId,
          actorName: person.name,
          at: req.now,
          kind: 'update',
          fromBrag,
          toBrag,
          fromProgress: progressChanged ? action.progress : null,
          toProgress: progressChanged ? req.progress!.trim() : null,
          note: hasNote ? req.note!.trim() : null,
          evidence: evidenceChanged ? req.evidence!.trim() : null,
          fromDueRaw: dueChanged ? action.dueRaw : null,
          revisedDueRaw: dueChanged ? revised!.raw : null,
          revisedDueDate: dueChanged ? revised!.date : null,
          channel: req.channel,
          route: req.route ?? null,
          idempotencyKey: req.idempotencyKey,
        },
      });
      await auditStatusUpdates(tx, [update.id]);
      await tx.action.update({
        where: { id: action.id },
        data: {
          brag: toBrag,
          lastUpdatedAt: req.now,
          ...(progressChanged ? { progress: req.progress!.trim() } : {}),
          ...(evidenceChanged ? { evidence: req.evidence!.trim() } : {}),
          ...(dueChanged ? { dueRaw: revised!.raw, dueDate: revised!.date, dueKind: revised!.kind } : {}),
        },
      });
      return { status: 'recorded', updateId: update.id, fromBrag, toBrag, changed: { progress: progressChanged, evidence: evidenceChanged, due: dueChanged, note: hasNote } } as const;
    });
  } catch (e) {
    // Two deliveries of the same request raced past the first check: the database kept one.
    if (isUniqueViolation(e)) {
      const winner = await duplicateOf(db, req.idempotencyKey);
      if (winner) return winner;
    }
    throw e;
  }
}

/**
 * "Remind me in a week": no nudges about this action to this person until then. `now` (the
 * deployment's clock) stamps when it was asked: the planner counts snoozes by that day, so the
 * database's own now() (the machine's clock, 2026 in the demo's 2021) must not stand in for it.
 */
export async function snooze(db: Db, workspaceId: string, actionId: string, personId: string, until: Date, now: Date, channel: UpdateChannel = 'cli') {
  required(await decideOnAction(db, { workspaceId, caller: { kind: 'person', personId }, actionId, capability: 'action.snooze' }));
  return snoozeAuthorized(db, actionId, personId, until, now, channel);
}

/**
 * The snooze itself, for callers that decided already. An upsert of "until": a repeat moves
 * nothing that matters. Audited in the same transaction (who asked, until when, through what).
 */
export async function snoozeAuthorized(db: Db, actionId: string, personId: string, until: Date, now: Date, channel: UpdateChannel) {
  // One batch transaction, no reads: the audit INSERT reads the action's group and the person's name itself.
  const [row] = await db.$transaction([
    db.snooze.upsert({
      where: { personId_actionId: { personId, actionId } },
      create: { personId, actionId, until, createdAt: now },
      update: { until, createdAt: now },
    }),
    actionAuditStatement(db, actionId, {
      at: now, kind: 'snooze', by: { personId, name: '', channel }, to: until.toISOString(),
      summary: `Reminders about this action to the person who asked snoozed until ${londonDay(until)}`,
    }),
  ]);
  return row;
}

export interface DisclaimRequest {
  workspaceId: string;
  actionId: string;
  personId: string;
  channel: UpdateChannel;
  note?: string | undefined;
  route?: string | undefined;
  idempotencyKey: string;
  now: Date;
}

export type DisclaimOutcome = { status: 'recorded' | 'duplicate'; updateId: string };

/**
 * "Not my action": the person stops owning it and the chair is told (the planner turns the
 * recorded 'not-mine' update into a message to the chair, once). Authorised first; once handed
 * back the person is no longer an owner, so a repeat of their own request is told it was done.
 */
export async function disclaim(db: Db, req: DisclaimRequest): Promise<DisclaimOutcome> {
  const d = await decideOnAction(db, { workspaceId: req.workspaceId, caller: { kind: 'person', personId: req.personId }, actionId: req.actionId, capability: 'action.not-mine' });
  if (!d.allowed) {
    const own = await ownEarlierUpdate(db, req.idempotencyKey, req.personId, req.actionId);
    if (own) return { status: 'duplicate', updateId: own };
    throw denialError(d);
  }
  return disclaimAuthorized(db, req);
}

/**
 * The id of the update recorded under this key, when it was this person's own on this action:
 * a repeat of something they did, which they may be told about even when they could not do it
 * again (after "not mine" they no longer own the action). Asked only after a decision.
 */
export async function ownEarlierUpdate(db: Db, idempotencyKey: string, personId: string, actionId: string): Promise<string | null> {
  const prior = await db.statusUpdate.findUnique({ where: { idempotencyKey }, select: { id: true, personId: true, actionId: true } });
  return prior && prior.personId === personId && prior.actionId === actionId ? prior.id : null;
}

/** The hand-back itself, for callers that decided already. */
export async function disclaimAuthorized(db: Db, req: DisclaimRequest): Promise<DisclaimOutcome> {
  const prior = await db.statusUpdate.findUnique({ where: { idempotencyKey: req.idempotencyKey } });
  if (prior) return { status: 'duplicate', updateId: prior.id };
  try {
    const out = await db.$transaction(async (tx) => {
      const action = await tx.action.findUniqueOrThrow({ where: { id: req.actionId }, select: { brag: true } });
      const person = await tx.person.findUniqueOrThrow({ where: { id: req.personId }, select: { name: true } });
      const removed = await tx.actionOwner.deleteMany({ where: { actionId: req.actionId, personId: req.personId } });
      // A second delivery racing the first: the first removed the owner (and holds the key).
      if (removed.count === 0) return null;
      const update = await tx.statusUpdate.create({
        data: {
          actionId: req.actionId, personId: req.personId, actorName: person.name, at: req.now, kind: 'not-mine',
          fromBrag: action.brag, toBrag: action.brag, note: req.note?.trim() || null, channel: req.channel, route: req.route ?? null, idempotencyKey: req.idempotencyKey,
        },
      });
      await auditStatusUpdates(tx, [update.id]);
      return { status: 'recorded' as const, updateId: update.id };
    });
    if (out) return out;
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
  }
  const winner = await db.statusUpdate.findUnique({ where: { idempotencyKey: req.idempotencyKey }, select: { id: true } });
  if (winner) return { status: 'duplicate', updateId: winner.id };
  throw new BragbotError('CONFLICT', 'You stopped owning this action just now (another request); nothing more to hand back.');
}

/** Inbound dedupe for events that are not status updates (thread replies, commands): true the first time only. */
export async function firstDelivery(db: Db, key: string, platform: string, now: Date): Promise<boolean> {
  try {
    await db.inboundEvent.create({ data: { key, platform, receivedAt: now } });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** Undoes firstDelivery when the work it guarded did not happen, so a later delivery may run. */
export async function forgetDelivery(db: Db, key: string): Promise<void> {
  await db.inboundEvent.deleteMany({ where: { key } });
}

// Reading the record back, for the chat adapters: who changed what, and when.

/** The action's most recent update (who last changed it, for "this changed since…"). */
export async function latestUpdateOf(db: Db, actionId: string) {
  return db.statusUpdate.findFirst({ where: { actionId }, orderBy: [{ at: 'desc' }, { id: 'desc' }], select: { actorName: true, at: true, toBrag: true, kind: true } });
}

/** The update recorded under an idempotency key, if any (a repeated click). */
export async function updateByKey(db: Db, idempotencyKey: string) {
  return db.statusUpdate.findUnique({ where: { idempotencyKey }, select: { actorName: true, at: true, toBrag: true, actionId: true } });
}

/** The action's last `take` updates, newest first (its history under Details). */
const HISTORY_SELECT = { actorName: true, at: true, kind: true, fromBrag: true, toBrag: true, note: true, toProgress: true, revisedDueRaw: true, channel: true } as const;
const HISTORY_ORDER = [{ at: 'desc' }, { id: 'desc' }] as const;

export async function recentUpdatesOf(db: Db, actionId: string, take: number) {
  return db.statusUpdate.findMany({ where: { actionId }, orderBy: [...HISTORY_ORDER], take, select: HISTORY_SELECT });
}

/**
 * The same for many actions in one query (a page listing a whole plan's histories asked once per
 * action): each action's latest `take`, newest first, as recentUpdatesOf orders them.
 */
export async function recentUpdatesByAction(db: Db, actionIds: readonly string[], take: number): Promise<Map<string, Awaited<ReturnType<typeof recentUpdatesOf>>>> {
  const out = new Map<string, Awaited<ReturnType<typeof recentUpdatesOf>>>();
  if (actionIds.length === 0) return out;
  const rows = await db.statusUpdate.findMany({ where: { actionId: { in: [...actionIds] } }, orderBy: [...HISTORY_ORDER], select: { ...HISTORY_SELECT, actionId: true } });
  for (const { actionId, ...u } of rows) {
    const list = out.get(actionId);
    if (!list) out.set(actionId, [u]);
    else if (list.length < take) list.push(u);
  }
  return out;
}
