/**
 * Subject access (issue 18 pt 3): everything bragbot holds about one person, as a zip a council
 * can hand over within the month UK GDPR allows — readable files (Markdown and CSV, formula
 * characters defused by src/render/csv.ts) and the same data as JSON, with a README saying what
 * each file is. `bragbot people export <person> --out FILE.zip`.
 *
 * "About a person": their profile and chat identities, their roles in groups, the actions they
 * own, every update they made, the replies captured from them, every message bragbot sent them
 * (the outbox), their snoozes, the links sent to them, and the audit entries that name them (as
 * who changed something, or as whom a change was about).
 */
import JSZip from 'jszip';
import { BragbotError } from '../core/errors.js';
import type { Db } from '../db/client.js';
import { decodePayload } from '../delivery/outbox.js';
import { renderText } from '../delivery/render-text.js';
import { renderCsv } from '../render/csv.js';
import { findPerson } from './people.js';

const iso = (d: Date | null | undefined): string => (d ? d.toISOString() : '');

export interface SubjectAccessExport {
  person: { id: string; name: string };
  /** The zip file's bytes. */
  zip: Buffer;
  /** How many records of each category it holds (also in its README). */
  counts: Record<string, number>;
}

/** Reads everything held about the person (by name, email or chat id) and packs it. */
export async function exportSubjectAccess(db: Db, req: { workspaceId: string; person: string; now: Date }): Promise<SubjectAccessExport> {
  const found = await findPerson(db, req.workspaceId, req.person);
  if (!found) throw new BragbotError('NOT_FOUND', `no person "${req.person}" (by name, email or chat id): \`bragbot people list\` shows who there is`);
  const id = found.id;
  const [person, memberships, owned, updates, replies, outbox, snoozes, conversations, links, aboutTheirActions] = await Promise.all([
    db.person.findUniqueOrThrow({ where: { id }, include: { manager: { select: { name: true } }, reports: { select: { name: true } } } }),
    db.groupMember.findMany({ where: { personId: id }, include: { group: { select: { slug: true, name: true } } }, orderBy: [{ group: { slug: 'asc' } }, { role: 'asc' }] }),
    db.actionOwner.findMany({ where: { personId: id }, include: { action: { include: { group: { select: { slug: true } } } } }, orderBy: { action: { position: 'asc' } } }),
    db.statusUpdate.findMany({ where: { personId: id }, include: { action: { select: { ref: true, activity: true, group: { select: { slug: true } } } } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
    db.sectionUpdate.findMany({ where: { personId: id }, include: { thread: { select: { platform: true, meeting: { select: { date: true, group: { select: { slug: true, name: true } } } } } } }, orderBy: [{ postedAt: 'asc' }, { id: 'asc' }] }),
    db.outboxMessage.findMany({ where: { personId: id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    db.snooze.findMany({ where: { personId: id }, include: { action: { select: { ref: true, group: { select: { slug: true } } } } }, orderBy: { createdAt: 'asc' } }),
    db.conversationRef.findMany({ where: { personId: id }, select: { platform: true, conversationId: true, tenantId: true, updatedAt: true } }),
    db.signedLink.findMany({ where: { personId: id }, select: { purpose: true, actionId: true, groupId: true, meetingId: true, createdAt: true, expiresAt: true, usedAt: true }, orderBy: { createdAt: 'asc' } }),
    // Changes others made to the actions they own: part of the audit that concerns them.
    db.statusUpdate.findMany({
      where: { action: { owners: { some: { personId: id } } }, NOT: { personId: id } },
      include: { action: { select: { ref: true, group: { select: { slug: true } } } } },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
    }),
  ]);

  // When they were added, on the deployment's clock: the audit's entry (the row's own createdAt is the database's time).
  const added = await db.auditEvent.findFirst({ where: { workspaceId: req.workspaceId, subjectPersonId: id, kind: 'person-added' }, orderBy: { at: 'asc' }, select: { at: true } });
  const profile = {
    name: person.name, email: person.email, team: person.team, jobTitle: person.role, slackUserId: person.slackUserId, slackWorkspace: person.slackTeamId, teamsUserId: person.teamsUserId, teamsTenant: person.teamsTenantId,
    lineManager: person.manager?.name ?? null, lineManages: person.reports.map((r) => r.name), workspaceAdmin: person.isAdmin,
    addedAt: iso(added?.at) || null, erasedAt: iso(person.erasedAt) || null,
    chatConversations: conversations.map((c) => ({ platform: c.platform, conversationId: c.conversationId, tenantId: c.tenantId, updatedAt: iso(c.updatedAt) })),
  };
  const data = {
    exportedAt: iso(req.now),
    profile,
    memberships: memberships.map((m) => ({ group: m.group.slug, groupName: m.group.name, role: m.role })),
    ownedActions: owned.map((o) => ({ group: o.action.group.slug, ref: o.action.ref, activity: o.action.activity, brag: o.action.brag, due: o.action.dueRaw, progress: o.action.progress, archived: o.action.archivedAt !== null })),
    updates: updates.map((u) => ({
      at: iso(u.at), group: u.action.group.slug, ref: u.action.ref, activity: u.action.activity, kind: u.kind, channel: u.channel, fromBrag: u.fromBrag, toBrag: u.toBrag,
      fromProgress: u.fromProgress, toProgress: u.toProgress, note: u.note, evidence: u.evidence, revisedDue: u.revisedDueRaw, nameRecorded: u.actorName,
    })),
    replies: replies.map((r) => ({
      postedAt: iso(r.postedAt), editedAt: iso(r.editedAt) || null, deletedAt: iso(r.deletedAt) || null, group: r.thread.meeting.group.slug, meeting: r.thread.meeting.date,
      platform: r.thread.platform, section: r.section, text: r.text, nameRecorded: r.authorName,
    })),
    messages: outbox.map((m) => {
      const payload = decodePayload(m.payloadJson);
      return { createdAt: iso(m.createdAt), kind: m.kind, platform: m.platform, status: m.status, sentAt: iso(m.sentAt) || null, text: payload ? renderText(payload.message) : null };
    }),
    snoozes: snoozes.map((s) => {
      const at = iso(s.createdAt); // written from the clock (status-updates.ts snoozeAuthorized)
      return { group: s.action.group.slug, ref: s.action.ref, until: iso(s.until), at };
    }),
    links: links.map((l) => ({ purpose: l.purpose, createdAt: iso(l.createdAt), expiresAt: iso(l.expiresAt), usedAt: iso(l.usedAt) || null })),
    audit: [
      ...updates.map((u) => ({ at: iso(u.at), role: 'made the change', group: u.action.group.slug, ref: u.action.ref, kind: u.kind, change: `${u.fromBrag} → ${u.toBrag}`, by: u.actorName, channel: u.channel })),
      ...aboutTheirActions.map((u) => ({ at: iso(u.at), role: 'owner of the action changed', group: u.action.group.slug, ref: u.action.ref, kind: u.kind, change: `${u.fromBrag} → ${u.toBrag}`, by: u.actorName, channel: u.channel })),
    ].sort((a, b) => a.at.localeCompare(b.at)),
  };
  const counts = {
    memberships: data.memberships.length, ownedActions: data.ownedActions.length, updates: data.updates.length, replies: data.replies.length,
    messages: data.messages.length, snoozes: data.snoozes.length, links: data.links.length, audit: data.audit.length,
  };

  const zip = new JSZip();
  // Files dated by the deployment's clock, not the machine's: the same export twice is the same zip.
  const add = (name: string, body: string) => zip.file(name, body, { date: req.now });
  const csv = <T extends Record<string, unknown>>(rows: T[], columns: (keyof T & string)[]) => renderCsv([columns, ...rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))))]);
  add('README.md', readme(person.name, req.now, counts));
  add('data.json', `${JSON.stringify(data, null, 2)}\n`);
  add('profile.md', profileMarkdown(profile, data.memberships));
  add('memberships.csv', csv(data.memberships, ['group', 'groupName', 'role']));
  add('owned-actions.csv', csv(data.ownedActions, ['group', 'ref', 'activity', 'brag', 'due', 'progress', 'archived']));
  add('updates.csv', csv(data.updates, ['at', 'group', 'ref', 'activity', 'kind', 'channel', 'fromBrag', 'toBrag', 'fromProgress', 'toProgress', 'note', 'evidence', 'revisedDue', 'nameRecorded']));
  add('replies.md', repliesMarkdown(data.replies));
  add('messages.csv', csv(data.messages, ['createdAt', 'kind', 'platform', 'status', 'sentAt', 'text']));
  add('snoozes.csv', csv(data.snoozes, ['at', 'group', 'ref', 'until']));
  add('links.csv', csv(data.links, ['createdAt', 'purpose', 'expiresAt', 'usedAt']));
  add('audit.csv', csv(data.audit, ['at', 'role', 'group', 'ref', 'kind', 'change', 'by', 'channel']));
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { person: { id: person.id, name: person.name }, zip: bytes, counts };
}

function readme(name: string, now: Date, counts: Record<string, number>): string {
  return `# What bragbot holds about ${name}

Exported ${now.toISOString()} for a subject access request (UK GDPR Article 15).
bragbot chases the action plans of partnership groups in Slack and Microsoft Teams; this is every
record it holds that is about this person. The same data is in \`data.json\` for machines.

| file | what it is | records |
| --- | --- | --- |
| profile.md | name, email, team, job title, Slack and Teams ids, line manager, the chats bragbot can reach them in, the groups they are in | 1 |
| memberships.csv | their roles in groups (chair, manager, member, board viewer, auditor, admin) | ${counts.memberships} |
| owned-actions.csv | the plan actions they own, as they stand | ${counts.ownedActions} |
| updates.csv | every status or progress update they made, with their note and evidence | ${counts.updates} |
| replies.md | their replies captured from update threads (their sections of highlight reports) | ${counts.replies} |
| messages.csv | every message bragbot sent or planned to send them (nudges, escalations, digests) still kept | ${counts.messages} |
| snoozes.csv | reminders they snoozed | ${counts.snoozes} |
| links.csv | signed web links sent to them (the links themselves are never stored) | ${counts.links} |
| audit.csv | audit entries naming them: changes they made, and changes others made to actions they own | ${counts.audit} |
| data.json | all of the above as JSON | |

Highlight reports quote replies and name action owners; the report versions themselves are the
group's records and are not copied here (the replies they quote are in replies.md).
Sent messages are deleted after the deployment's OUTBOX_RETENTION_DAYS (400 days unless set), so older ones are no longer held.
CSV cells that start with = + - @ have a leading apostrophe so a spreadsheet does not run them.
`;
}

function profileMarkdown(profile: Record<string, unknown> & { chatConversations: { platform: string; conversationId: string }[] }, memberships: { group: string; role: string }[]): string {
  const line = (label: string, v: unknown) => `- **${label}**: ${v === null || v === undefined || v === '' ? '—' : Array.isArray(v) ? v.join(', ') || '—' : String(v)}`;
  return [
    `# ${String(profile.name)}`,
    '',
    line('Email', profile.email), line('Team or service', profile.team), line('Job title', profile.jobTitle), line('Slack member id', profile.slackUserId),
    line('Teams user id', profile.teamsUserId), line('Line manager', profile.lineManager), line('Line manages', profile.lineManages), line('Workspace admin', profile.workspaceAdmin ? 'yes' : 'no'),
    line('Added', profile.addedAt), line('Erased', profile.erasedAt),
    '',
    '## Chats bragbot can reach them in',
    '',
    ...(profile.chatConversations.length ? profile.chatConversations.map((c) => `- ${c.platform}: ${c.conversationId}`) : ['- none']),
    '',
    '## Groups',
    '',
    ...(memberships.length ? memberships.map((m) => `- ${m.group}: ${m.role}`) : ['- none']),
    '',
  ].join('\n');
}

function repliesMarkdown(replies: { postedAt: string; group: string; meeting: string; section: string; text: string; deletedAt: string | null }[]): string {
  if (replies.length === 0) return '# Replies captured from update threads\n\nNone.\n';
  return `# Replies captured from update threads\n\n${replies
    .map((r) => `## ${r.group}, meeting of ${r.meeting}: ${r.section}\n\nPosted ${r.postedAt}${r.deletedAt ? ` (deleted in chat ${r.deletedAt})` : ''}\n\n${r.text}\n`)
    .join('\n')}`;
}
