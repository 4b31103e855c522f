/**
 * The purge (issue 18 pt 2): asks the pure planner (src/core/retention.ts) what is due, then
 * deletes it here and only here, each step in one transaction with its line of the deletion log
 * (what kind of record, how many, when, under which rule — never the content). A dry run counts
 * the same rows and deletes nothing. Closing a plan and legal holds are set here too.
 */
import { randomUUID } from 'node:crypto';
import { londonDate } from '../core/calendar.js';
import { BragbotError } from '../core/errors.js';
import { planPurge, type PurgeCategory, type PurgePlan, type PurgeStep, type RetentionPolicy } from '../core/retention.js';
import { parseGroupSettings } from '../core/settings.js';
import type { Db, Tx } from '../db/client.js';
import { recordAudit, SYSTEM, type AuditActor } from './audit.js';
import { getGroupBySlug } from './groups.js';

export interface PurgeResult {
  runId: string;
  at: Date;
  dryRun: boolean;
  plan: PurgePlan;
  /** One per step: how many rows it deleted (or, in a dry run, would delete). */
  deleted: { category: PurgeCategory; groupSlug: string | null; rule: string; count: number }[];
}

/** The facts the planner needs, for every group of the workspace. */
export async function loadRetentionGroups(db: Db | Tx, workspaceId: string) {
  const groups = await db.group.findMany({ where: { workspaceId }, select: { id: true, slug: true, closedAt: true, legalHoldAt: true, settingsJson: true } });
  return groups.map((g) => ({ id: g.id, slug: g.slug, closedAt: g.closedAt, legalHoldAt: g.legalHoldAt, retention: parseGroupSettings(g.settingsJson).settings.retention }));
}

/** Counts (dry run) or deletes the rows of one step. */
async function runStep(tx: Tx, step: PurgeStep, dryRun: boolean): Promise<number> {
  switch (step.category) {
    case 'status-updates': {
      const where = { action: { groupId: step.groupId } };
      return dryRun ? tx.statusUpdate.count({ where }) : (await tx.statusUpdate.deleteMany({ where })).count;
    }
    case 'section-replies': {
      const where = { thread: { meeting: { groupId: step.groupId } } };
      return dryRun ? tx.sectionUpdate.count({ where }) : (await tx.sectionUpdate.deleteMany({ where })).count;
    }
    case 'report-versions': {
      const where = { groupId: step.groupId };
      return dryRun ? tx.highlightReport.count({ where }) : (await tx.highlightReport.deleteMany({ where })).count;
    }
    case 'outbox': {
      // Pending and in-flight messages are never purged: only what is finished with.
      const where = {
        status: { in: ['sent', 'failed'] },
        createdAt: { lt: step.before },
        ...(step.exceptGroupIds.length ? { OR: [{ groupId: null }, { groupId: { notIn: step.exceptGroupIds } }] } : {}),
      };
      return dryRun ? tx.outboxMessage.count({ where }) : (await tx.outboxMessage.deleteMany({ where })).count;
    }
    case 'inbound-events': {
      const where = { receivedAt: { lt: step.before } };
      return dryRun ? tx.inboundEvent.count({ where }) : (await tx.inboundEvent.deleteMany({ where })).count;
    }
    case 'inbound-interactions': {
      const where = { doneAt: { not: null }, receivedAt: { lt: step.before } };
      return dryRun ? tx.inboundInteraction.count({ where }) : (await tx.inboundInteraction.deleteMany({ where })).count;
    }
  }
}

export async function purge(db: Db, req: { workspaceId: string; now: Date; policy: RetentionPolicy; dryRun?: boolean; by?: AuditActor }): Promise<PurgeResult> {
  const dryRun = req.dryRun ?? false;
  const plan = planPurge({ groups: await loadRetentionGroups(db, req.workspaceId), policy: req.policy }, req.now);
  const runId = randomUUID();
  const deleted: PurgeResult['deleted'] = [];
  for (const step of plan.steps) {
    const groupSlug = 'groupSlug' in step ? step.groupSlug : null;
    const count = await db.$transaction(async (tx) => {
      // A hold set since the plan was made wins: re-check it inside the step's transaction.
      if ('groupId' in step) {
        const g = await tx.group.findUnique({ where: { id: step.groupId }, select: { legalHoldAt: true } });
        if (!g || g.legalHoldAt) return 0;
      }
      const n = await runStep(tx, step, dryRun);
      if (n > 0 && !dryRun) {
        await recordAudit(tx, { workspaceId: req.workspaceId, groupId: 'groupId' in step ? step.groupId : null, at: req.now, kind: 'purged', by: req.by ?? SYSTEM, to: String(n), summary: `${n} ${step.category} deleted: ${step.rule}` });
        await tx.deletionLog.create({
          data: { workspaceId: req.workspaceId, runId, at: req.now, kind: 'purge', category: step.category, count: n, rule: step.rule, groupId: 'groupId' in step ? step.groupId : null, groupSlug },
        });
      }
      return n;
    });
    deleted.push({ category: step.category, groupSlug, rule: step.rule, count });
  }
  return { runId, at: req.now, dryRun, plan, deleted };
}

/** Records that a group's plan closed on `closedAt` (null: reopened): its retention runs from then. */
export async function closeGroup(db: Db, req: { workspaceId: string; slug: string; closedAt: Date | null; by?: AuditActor; now: Date }) {
  const group = await getGroupBySlug(db, req.workspaceId, req.slug);
  return db.$transaction(async (tx) => {
    const before = await tx.group.findUniqueOrThrow({ where: { id: group.id }, select: { closedAt: true } });
    const after = await tx.group.update({ where: { id: group.id }, data: { closedAt: req.closedAt }, select: { slug: true, closedAt: true, legalHoldAt: true } });
    // London dates, as the CLI says them (a close is stored as London midnight: the day before in UTC in summer).
    const day = (d: Date | null) => (d ? londonDate(d) : null);
    if (day(before.closedAt) !== day(after.closedAt)) {
      await recordAudit(tx, {
        workspaceId: req.workspaceId, groupId: group.id, at: req.now, kind: 'plan-closed', by: req.by ?? SYSTEM, from: day(before.closedAt), to: day(after.closedAt),
        summary: after.closedAt ? `Plan closed on ${day(after.closedAt)}` : 'Plan reopened',
      });
    }
    return after;
  });
}

/**
 * Sets or lifts a legal hold. `by` is who did it: kept on the group while the hold is set, and
 * the change written to the audit (kind legal-hold) in the same transaction.
 */
export async function setLegalHold(db: Db, req: { workspaceId: string; slug: string; on: boolean; by: string; actor?: AuditActor; reason?: string | undefined; now: Date }) {
  const group = await getGroupBySlug(db, req.workspaceId, req.slug);
  if (req.on && !req.reason) throw new BragbotError('INPUT_INVALID', 'a legal hold needs a reason (--reason "…", e.g. the case or request it is for)');
  return db.$transaction(async (tx) => {
    const before = await tx.group.findUniqueOrThrow({ where: { id: group.id }, select: { legalHoldAt: true, legalHoldBy: true, legalHoldReason: true } });
    const after = await tx.group.update({
      where: { id: group.id },
      data: req.on ? { legalHoldAt: before.legalHoldAt ?? req.now, legalHoldBy: req.by, legalHoldReason: req.reason ?? null } : { legalHoldAt: null, legalHoldBy: null, legalHoldReason: null },
      select: { id: true, slug: true, legalHoldAt: true, legalHoldBy: true, legalHoldReason: true },
    });
    const changed = (before.legalHoldAt !== null) !== req.on || (req.on && before.legalHoldReason !== (req.reason ?? null));
    if (changed) {
      await recordAudit(tx, {
        workspaceId: req.workspaceId, groupId: group.id, at: req.now, kind: 'legal-hold', by: req.actor ?? { personId: null, name: req.by, channel: 'cli' },
        from: before.legalHoldAt ? `on: ${before.legalHoldReason ?? ''}` : 'off', to: req.on ? `on: ${req.reason ?? ''}` : 'off',
        summary: req.on ? `Legal hold set: ${req.reason ?? ''}` : 'Legal hold lifted',
      });
    }
    return { group: after, changed };
  });
}
