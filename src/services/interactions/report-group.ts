/**
 * Which group a highlight-report command is about, from any channel: the one named, else the
 * group whose channel it was typed in, else the person's only group. Only the person's own
 * groups are ever named back to them (issue 10 pt 11: a stranger never learns the workspace's
 * group slugs); whether they may see a named group is the report service's decision
 * (generateReport asks the access module, and answers "not found" for a group they cannot see).
 */
import type { Db } from '../../db/client.js';
import { refusalSentence } from '../../core/access.js';
import { decideOnGroup, groupsAllowed, notAPerson } from '../access.js';
import { groupOfChannel } from '../groups.js';
import { describeRefusal, refused } from './common.js';
import { PLAIN, type SentenceStyle } from './style.js';
import type { InteractionInput, Refused } from './types.js';

export type ReportGroupChoice =
  | { kind: 'group'; slug: string }
  /** Ask which: the person's groups they may have a report of (maybe none). */
  | { kind: 'which'; yours: string[]; text: string }
  | Refused;

export async function chooseReportGroup(
  db: Db,
  input: InteractionInput & { named?: string | undefined; conversation?: { platform: 'slack' | 'teams'; id: string } | undefined },
): Promise<ReportGroupChoice> {
  if (input.caller.kind !== 'person') return refused(notAPerson(input.caller), false);
  if (input.named) return { kind: 'group', slug: input.named };
  const here = input.conversation ? await groupOfChannel(db, input.workspaceId, input.conversation.platform, input.conversation.id) : null;
  if (here) {
    // Asked in the group's own channel: its name is no secret there, so a refusal says why.
    const d = await decideOnGroup(db, { workspaceId: input.workspaceId, caller: input.caller, group: { slug: here }, capability: 'report.generate' });
    if (!d.allowed && d.code !== 'NOT_FOUND') return refused(d, false);
    if (!d.allowed) {
      const g = await db.group.findFirstOrThrow({ where: { workspaceId: input.workspaceId, slug: here }, select: { name: true } });
      return refused({ allowed: false, code: 'FORBIDDEN', reason: refusalSentence('report.generate', g.name) }, false);
    }
    return { kind: 'group', slug: here };
  }
  const yours = (await groupsAllowed(db, input.workspaceId, input.caller.personId, 'report.generate')).map((g) => g.slug);
  if (yours.length === 1) return { kind: 'group', slug: yours[0]! };
  const which = { kind: 'which' as const, yours, text: '' };
  which.text = describeReportGroupChoice(which, PLAIN);
  return which;
}

export function describeReportGroupChoice(o: ReportGroupChoice, s: SentenceStyle): string {
  if (o.kind === 'refused') return describeRefusal(o, s, false);
  if (o.kind === 'group') return s.code(o.slug);
  return o.yours.length ? `Which group? Yours: ${o.yours.map((g) => s.code(s.text(g))).join(', ')}.` : 'Which group? You are not in a group with a highlight report yet: ask its chair to add you.';
}

/** A group of the person's to put in an example ("highlight-report ops dd/mm/yyyy"); null when they have none. */
export async function exampleGroupOf(db: Db, input: Pick<InteractionInput, 'workspaceId' | 'caller'>): Promise<string | null> {
  if (input.caller.kind !== 'person') return null;
  return (await groupsAllowed(db, input.workspaceId, input.caller.personId, 'report.generate'))[0]?.slug ?? null;
}
