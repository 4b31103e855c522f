/**
 * The demo plan for a first run: York's real delivery plan, a chair, a manager, an owner in chat
 * and a partner's owner known only by email (the NHS trust's nurse, on no Slack or Teams of the
 * council's), loaded only into an empty workspace so it never touches real data.
 */
import type { Db } from '../db/client.js';
import { projectPath } from '../paths.js';
import { addMeeting, addMember, upsertGroup } from './groups.js';
import { importPlan } from './import-plan.js';
import { upsertPerson } from './people.js';

export const DEMO_GROUP = 'york-cypic-partnership';
export const DEMO_PLAN = projectPath('demo', 'york-delivery-plan-2021.csv');
/** The demo's owner with no chat account: only an email address. */
export const DEMO_EMAIL_OWNER = { name: 'Priya Shah', email: 'health@demo.bragbot.invalid' } as const;

export interface DemoIdentity {
  /** Chat ids of the demo owner, so the person clicking in the Playground / Slack is an owner. */
  teamsUserId?: string;
  slackUserId?: string;
}

/** Returns true when it loaded the demo, false when the workspace already had groups. */
export async function loadDemoIfEmpty(db: Db, workspaceId: string, now: Date, who: DemoIdentity = {}): Promise<boolean> {
  if ((await db.group.count({ where: { workspaceId } })) > 0) return false;
  await importPlan(db, { workspaceId, groupSlug: DEMO_GROUP, path: DEMO_PLAN, now });
  const group = await upsertGroup(db, workspaceId, { slug: DEMO_GROUP, name: 'Children in Care and Care Leavers Strategic Partnership', cadence: 'bimonthly', cadenceAnchor: '2021-01-13' });
  const chair = await upsertPerson(db, workspaceId, { name: 'Alex Morgan', role: 'Assistant Director, Children’s Social Care', email: 'chair@demo.bragbot.invalid' });
  const manager = await upsertPerson(db, workspaceId, { name: 'Sam Patel', role: 'Group Manager – Achieving Permanence', email: 'manager@demo.bragbot.invalid' });
  const owner = await upsertPerson(db, workspaceId, {
    name: 'Jo Demo', role: 'Team Manager', team: 'Leaving Care / Pathway Team', email: 'owner@demo.bragbot.invalid', manager: 'Sam Patel',
    ...(who.teamsUserId ? { teamsUserId: who.teamsUserId } : {}), ...(who.slackUserId ? { slackUserId: who.slackUserId } : {}),
  });
  // A partner bragbot can reach only by email: her nudges go to the demo mailbox (`bragbot demo`).
  const health = await upsertPerson(db, workspaceId, { name: DEMO_EMAIL_OWNER.name, role: 'Designated Nurse for Children in Care', team: 'Health', email: DEMO_EMAIL_OWNER.email });
  await addMember(db, group.id, chair.id, 'chair');
  await addMember(db, group.id, manager.id, 'manager');
  await addMember(db, group.id, owner.id, 'member');
  await addMember(db, group.id, health.id, 'member');
  // The demo owner owns the Pathway Team's actions, so a nudge has something in it.
  const pathway = await db.action.findMany({ where: { groupId: group.id, leadAgency: { contains: 'Pathway' } }, select: { id: true } });
  for (const a of pathway) {
    await db.actionOwner.upsert({ where: { actionId_personId: { actionId: a.id, personId: owner.id } }, create: { actionId: a.id, personId: owner.id }, update: {} });
  }
  // She owns the actions Health leads without the Pathway Team.
  const healthLed = await db.action.findMany({ where: { groupId: group.id, leadAgency: { contains: 'Health' }, NOT: { leadAgency: { contains: 'Pathway' } } }, select: { id: true } });
  for (const a of healthLed) {
    await db.actionOwner.upsert({ where: { actionId_personId: { actionId: a.id, personId: health.id } }, create: { actionId: a.id, personId: health.id }, update: {} });
  }
  await addMeeting(db, group.id, '2021-01-13', 'Strategic Partnership');
  return true;
}
