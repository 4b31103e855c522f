/**
 * Erasure (issue 18 pt 4): `bragbot people erase <person> --confirm` for someone who has left.
 * The record keeps its integrity — every status update, reply, report version and message stays,
 * with its counts, versions and dates — but the person in it becomes "Former officer N", the same
 * N everywhere, numbered per workspace in the order people are erased. Their contact details and
 * chat identities are removed, their roles, snoozes and links end, and the current actions they
 * owned are handed to their group's chair. Refused while any group they appear in is under a
 * legal hold. One transaction; each kind of change counted in the deletion log (never the name).
 *
 * What is rewritten: names bragbot recorded (StatusUpdate.actorName, SectionUpdate.authorName and a
 * section filed under their name, report requestedBy/publishedBy), and their full name wherever it
 * appears in stored report content, outbox messages, the plan's lead-officer cells, and free text
 * (notes, progress, evidence, replies: "Olu Owner to present in September"). A first name alone is
 * not replaced ("Olu to chase"): it cannot be told apart from anyone else's. Their email and chat
 * ids are replaced wherever bragbot copied them (messages, clicks and their keys, inbound keys,
 * update keys, imports' warnings, the audit), and their name in every other text column that can
 * hold it (placesIn below: each table's text columns, decided one by one; the rest hold no names).
 */
import { randomUUID } from 'node:crypto';
import { formerOfficer, nextFormerNumber, replaceName, replaceNameInJson } from '../core/erasure.js';
import { BragbotError } from '../core/errors.js';
import { Prisma, type Db, type Tx } from '../db/client.js';
import { recordAudit, type AuditActor } from './audit.js';
import { findPerson } from './people.js';

export interface ErasureResult {
  personId: string;
  pseudonym: string;
  formerNumber: number;
  alreadyErased: boolean;
  /** Current actions handed to the group's chair, and those whose group has no chair (left without an owner). */
  handed: { groupSlug: string; ref: string; to: string[] }[];
  unowned: { groupSlug: string; ref: string }[];
  counts: Record<string, number>;
}

/** Groups under a legal hold in which the person appears (member, owner, author of an update or a reply). */
async function heldGroupsOf(tx: Tx, personId: string): Promise<string[]> {
  const held = await tx.group.findMany({
    where: {
      legalHoldAt: { not: null },
      OR: [
        { members: { some: { personId } } },
        { actions: { some: { OR: [{ owners: { some: { personId } } }, { updates: { some: { personId } } }] } } },
        { meetings: { some: { threads: { some: { sections: { some: { personId } } } } } } },
      ],
    },
    select: { slug: true },
    orderBy: { slug: 'asc' },
  });
  return held.map((g) => g.slug);
}

export async function erasePerson(db: Db, req: { workspaceId: string; person: string; now: Date; by?: AuditActor }): Promise<ErasureResult> {
  return db.$transaction(async (tx) => {
    const person = await findPerson(tx, req.workspaceId, req.person);
    if (!person) throw new BragbotError('NOT_FOUND', `no person "${req.person}" (by name, email or chat id): \`bragbot people list\` shows who there is`);
    if (person.erasedAt && person.formerNumber !== null) {
      return { personId: person.id, pseudonym: person.name, formerNumber: person.formerNumber, alreadyErased: true, handed: [], unowned: [], counts: {} };
    }
    const held = await heldGroupsOf(tx, person.id);
    if (held.length > 0) {
      throw new BragbotError('FORBIDDEN', `${person.name} appears in ${held.join(', ')}, under a legal hold: nothing can be erased until it is lifted (bragbot groups hold ${held[0]} --off, when the hold's reason allows)`);
    }
    const given = await tx.person.findMany({ where: { workspaceId: req.workspaceId, formerNumber: { not: null } }, select: { formerNumber: true } });
    const formerNumber = nextFormerNumber(given.map((g) => g.formerNumber));
    const pseudonym = formerOfficer(formerNumber);
    const name = person.name;
    const inWorkspace = { group: { workspaceId: req.workspaceId } };

    // Their current actions go to the chair of the action's group (all its chairs, if several).
    const owned = await tx.actionOwner.findMany({ where: { personId: person.id }, select: { action: { select: { id: true, ref: true, archivedAt: true, groupId: true, group: { select: { slug: true } } } } } });
    const chairs = await tx.groupMember.findMany({
      where: { role: 'chair', personId: { not: person.id }, groupId: { in: [...new Set(owned.map((o) => o.action.groupId))] } },
      select: { groupId: true, personId: true, person: { select: { name: true } } },
    });
    const handed: ErasureResult['handed'] = [];
    const unowned: ErasureResult['unowned'] = [];
    for (const { action } of owned) {
      if (action.archivedAt) continue;
      const theirs = chairs.filter((c) => c.groupId === action.groupId);
      if (theirs.length === 0) {
        const others = await tx.actionOwner.count({ where: { actionId: action.id, personId: { not: person.id } } });
        if (others === 0) unowned.push({ groupSlug: action.group.slug, ref: action.ref });
        continue;
      }
      for (const c of theirs) await tx.actionOwner.upsert({ where: { actionId_personId: { actionId: action.id, personId: c.personId } }, create: { actionId: action.id, personId: c.personId }, update: {} });
      handed.push({ groupSlug: action.group.slug, ref: action.ref, to: theirs.map((c) => c.person.name) });
    }

    // Their email and chat ids, wherever bragbot copied them (messages, clicks, keys, the audit), go with the Person row's.
    const ids = identifiersOf(person);
    const scrub = scrubberOf(name, pseudonym, formerNumber, ids);
    const counts: Record<string, number> = {};
    counts.ownerships = (await tx.actionOwner.deleteMany({ where: { personId: person.id } })).count;
    counts.memberships = (await tx.groupMember.deleteMany({ where: { personId: person.id } })).count;
    counts.snoozes = (await tx.snooze.deleteMany({ where: { personId: person.id } })).count;
    counts['chat-conversations'] = (await tx.conversationRef.deleteMany({ where: { personId: person.id } })).count;
    counts.links = (await tx.signedLink.deleteMany({ where: { personId: person.id } })).count;
    counts['line-reports'] = (await tx.person.updateMany({ where: { managerId: person.id }, data: { managerId: null } })).count;

    // Names recorded in the history: by their id, and as written where no id was known (imports).
    counts['status-updates'] =
      (await tx.statusUpdate.updateMany({ where: { personId: person.id }, data: { actorName: pseudonym } })).count +
      (await tx.statusUpdate.updateMany({ where: { personId: null, actorName: name, action: inWorkspace }, data: { actorName: pseudonym } })).count;
    const replyScope = { thread: { meeting: inWorkspace } };
    counts['section-replies'] =
      (await tx.sectionUpdate.updateMany({ where: { personId: person.id }, data: { authorName: pseudonym } })).count +
      (await tx.sectionUpdate.updateMany({ where: { personId: null, authorName: name, ...replyScope }, data: { authorName: pseudonym } })).count;
    await tx.sectionUpdate.updateMany({ where: { section: name, ...replyScope }, data: { section: pseudonym } });

    // Their full name inside stored documents: report content, messages, the plan's lead cells.
    const reports = await tx.highlightReport.findMany({
      where: { ...inWorkspace, OR: [{ contentJson: { contains: name } }, { requestedBy: name }, { publishedBy: name }] },
      select: { id: true, contentJson: true, requestedBy: true, publishedBy: true },
    });
    for (const r of reports) {
      await tx.highlightReport.update({
        where: { id: r.id },
        data: { contentJson: replaceNameInJson(r.contentJson, name, pseudonym), requestedBy: r.requestedBy === name ? pseudonym : r.requestedBy, publishedBy: r.publishedBy === name ? pseudonym : r.publishedBy },
      });
    }
    counts['report-versions'] = reports.length;
    const people = await tx.person.findMany({ where: { workspaceId: req.workspaceId }, select: { id: true } });
    const groupIds = (await tx.group.findMany({ where: { workspaceId: req.workspaceId }, select: { id: true } })).map((g) => g.id);
    // The outbox has no workspace column: this workspace's messages are its people's and its groups'.
    const messages = await tx.outboxMessage.findMany({
      where: { payloadJson: { contains: name }, OR: [{ personId: { in: people.map((p) => p.id) } }, { groupId: { in: groupIds } }] },
      select: { id: true, payloadJson: true },
    });
    for (const m of messages) await tx.outboxMessage.update({ where: { id: m.id }, data: { payloadJson: replaceNameInJson(m.payloadJson, name, pseudonym) } });
    counts.outbox = messages.length;
    const actions = await tx.action.findMany({
      where: { groupId: { in: groupIds }, OR: [{ leadOfficer: { contains: name } }, { sourceJson: { contains: name } }] },
      select: { id: true, leadOfficer: true, sourceJson: true },
    });
    for (const a of actions) await tx.action.update({ where: { id: a.id }, data: { leadOfficer: replaceName(a.leadOfficer, name, pseudonym), sourceJson: replaceNameInJson(a.sourceJson, name, pseudonym) } });
    counts.actions = actions.length;

    // Their full name in free text others wrote (a note, a progress line, a reply): a full name is
    // theirs alone; a first name is not replaced (it cannot be told apart from anyone else's).
    let freeText = 0;
    const notes = await tx.statusUpdate.findMany({
      where: { action: inWorkspace, OR: (['note', 'evidence', 'fromProgress', 'toProgress'] as const).map((f) => ({ [f]: { contains: name } })) },
      select: { id: true, note: true, evidence: true, fromProgress: true, toProgress: true },
    });
    const swap = (v: string | null) => (v === null ? null : replaceName(v, name, pseudonym));
    for (const u of notes) await tx.statusUpdate.update({ where: { id: u.id }, data: { note: swap(u.note), evidence: swap(u.evidence), fromProgress: swap(u.fromProgress), toProgress: swap(u.toProgress) } });
    freeText += notes.length;
    const texts = await tx.sectionUpdate.findMany({ where: { text: { contains: name }, ...replyScope }, select: { id: true, text: true } });
    for (const x of texts) await tx.sectionUpdate.update({ where: { id: x.id }, data: { text: replaceName(x.text, name, pseudonym) } });
    freeText += texts.length;
    const progress = await tx.action.findMany({ where: { groupId: { in: groupIds }, OR: [{ progress: { contains: name } }, { evidence: { contains: name } }] }, select: { id: true, progress: true, evidence: true } });
    for (const a of progress) await tx.action.update({ where: { id: a.id }, data: { progress: replaceName(a.progress, name, pseudonym), evidence: replaceName(a.evidence, name, pseudonym) } });
    freeText += progress.length;
    counts['free-text'] = freeText;

    // Every other text column that can hold their name, email or a chat id (docs/data-protection.md, "Erasure"):
    // imports' warnings, partner trust changes, holds, clicks and their keys, messages' errors, keys of updates.
    for (const place of placesIn(req.workspaceId)) {
      const n = await scrubPlace(tx, place, scrub);
      if (n > 0) counts[`copies:${place.table}`] = n;
    }

    // The audit is append-only; the one change its trigger allows is this: the erased person's
    // name becoming their pseudonym (migration 0010_audit_erasure).
    const audit = await tx.auditEvent.findMany({
      where: {
        workspaceId: req.workspaceId,
        OR: [
          { personId: person.id }, { subjectPersonId: person.id }, { actorName: name }, { subjectName: name },
          ...[name, ...ids.map((i) => i.value)].flatMap((v) => [{ summary: { contains: v } }, { fromValue: { contains: v } }, { toValue: { contains: v } }]),
        ],
      },
      select: { id: true, personId: true, subjectPersonId: true, actorName: true, subjectName: true, summary: true, fromValue: true, toValue: true },
    });
    for (const e of audit) {
      const who = e.personId === person.id || e.actorName === name ? pseudonym : replaceName(e.actorName, name, pseudonym);
      const subject = e.subjectName === null ? null : e.subjectPersonId === person.id || e.subjectName === name ? pseudonym : replaceName(e.subjectName, name, pseudonym);
      // Their email and chat ids in a value or summary (a person-changed entry) become "Former officer N (email removed)": the trigger's pattern.
      const swapped = { actorName: who, subjectName: subject, summary: scrub.text(e.summary), fromValue: e.fromValue === null ? null : scrub.text(e.fromValue), toValue: e.toValue === null ? null : scrub.text(e.toValue) };
      if (Object.entries(swapped).some(([k, v]) => v !== e[k as keyof typeof swapped])) await tx.auditEvent.update({ where: { id: e.id }, data: swapped });
    }
    counts['audit-entries'] = audit.length;

    await tx.person.update({
      where: { id: person.id },
      data: { name: pseudonym, email: null, slackUserId: null, slackTeamId: null, teamsUserId: null, teamsTenantId: null, team: null, role: null, managerId: null, isAdmin: false, erasedAt: req.now, formerNumber },
    });
    counts['person-details'] = 1;

    const runId = randomUUID();
    const rule = 'erasure of a person who has left (people erase --confirm)';
    await tx.deletionLog.createMany({
      data: Object.entries(counts).filter(([, n]) => n > 0).map(([category, count]) => ({ workspaceId: req.workspaceId, runId, at: req.now, kind: 'erasure', category, count, rule })),
    });
    await recordAudit(tx, {
      workspaceId: req.workspaceId, groupId: null, at: req.now, kind: 'person-erased', by: req.by ?? { personId: null, name: 'cli', channel: 'cli' },
      subject: { personId: person.id, name: pseudonym }, to: pseudonym,
      summary: `${pseudonym} erased: contact details and chat ids removed${handed.length ? `, ${handed.length} action(s) handed to the chair` : ''}`,
    });
    return { personId: person.id, pseudonym, formerNumber, alreadyErased: false, handed, unowned, counts };
  });
}

interface Identifier { value: string; label: string }

/** The person's email and chat ids (each long enough to be told apart from other text). */
function identifiersOf(p: { email: string | null; slackUserId: string | null; teamsUserId: string | null }): Identifier[] {
  return [
    { value: p.email, label: 'email' },
    { value: p.slackUserId, label: 'Slack id' },
    { value: p.teamsUserId, label: 'Teams id' },
  ].filter((i): i is Identifier => typeof i.value === 'string' && i.value.trim().length >= 3);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Scrubber {
  /** Free text and names: their full name → pseudonym; an id → "Former officer N (Slack id removed)". */
  text(v: string): string;
  /** The same inside JSON (as JSON escapes them). */
  json(v: string): string;
  /** Inside an idempotency key: an id → former-officer-N (keys stay unique: one person, one token). */
  key(v: string): string;
  /** What to look for in SQL (a superset: LIKE's wildcards and case). */
  needles: string[];
}

function scrubberOf(name: string, pseudonym: string, n: number, ids: readonly Identifier[]): Scrubber {
  const swapIds = (v: string, to: (i: Identifier) => string, esc: (s: string) => string = (s) => s) =>
    ids.reduce((t, i) => t.replace(new RegExp(escapeRegExp(esc(i.value)), i.label === 'email' ? 'gi' : 'g'), esc(to(i))), v);
  const jsonEsc = (s: string) => JSON.stringify(s).slice(1, -1);
  return {
    text: (v) => swapIds(replaceName(v, name, pseudonym), (i) => `${pseudonym} (${i.label} removed)`),
    json: (v) => swapIds(replaceNameInJson(v, name, pseudonym), (i) => `${pseudonym} (${i.label} removed)`, jsonEsc),
    key: (v) => swapIds(v, () => `former-officer-${n}`),
    needles: [name, ...ids.map((i) => i.value)].filter((v) => v.trim().length >= 3),
  };
}

/** A table's text columns that can carry a copy of a person's name or ids, and the rows of one workspace. */
interface Place {
  table: string;
  /** The primary key column (a key column may itself be rewritten). */
  pk: string;
  columns: { name: string; as: 'text' | 'json' | 'key' }[];
  /** SQL restricting the rows to the workspace. */
  scope: Prisma.Sql;
}

/*
 * Every String column of prisma/schema.prisma, decided. Rewritten here or above: the ones listed
 * below, Person (the row itself), StatusUpdate.actorName, SectionUpdate.authorName/section,
 * HighlightReport.requestedBy/publishedBy, AuditEvent's names, values and summary. Deleted with the
 * person: ConversationRef, SignedLink, Snooze, GroupMember, ActionOwner. Holding no person's name,
 * address or chat id (left as they are): ids and slugs, Workspace/Group names and settings,
 * GroupPartner.name (an organisation), GroupChannel and UpdateThread (channel and thread ids),
 * SectionUpdate.platformMessageId (a message's ts), Meeting.date/time, Action ref/rowKey/dates/BRAG,
 * Person.routes (route names), StatusUpdate kind/BRAG/dates/channel/route, OutboxMessage
 * kind/platform/status/claimedBy (an instance)/providerMessageId/route, InboundInteraction
 * platform/kind/claimedBy/outcome, HighlightReport meetingDate/status/inputsHash, DeletionLog (never
 * names), AuditEvent kind/channel/actionRef, SchedulerState, DeploymentClock.
 */
function placesIn(workspaceId: string): Place[] {
  const groups = Prisma.sql`(SELECT "id" FROM "Group" WHERE "workspaceId" = ${workspaceId})`;
  const actions = Prisma.sql`(SELECT a."id" FROM "Action" a JOIN "Group" g ON g."id" = a."groupId" WHERE g."workspaceId" = ${workspaceId})`;
  const threads = Prisma.sql`(SELECT t."id" FROM "UpdateThread" t JOIN "Meeting" m ON m."id" = t."meetingId" JOIN "Group" g ON g."id" = m."groupId" WHERE g."workspaceId" = ${workspaceId})`;
  const people = Prisma.sql`(SELECT "id" FROM "Person" WHERE "workspaceId" = ${workspaceId})`;
  return [
    { table: 'Group', pk: 'id', columns: [{ name: 'legalHoldBy', as: 'text' }, { name: 'legalHoldReason', as: 'text' }], scope: Prisma.sql`"workspaceId" = ${workspaceId}` },
    { table: 'PartnerTrustChange', pk: 'id', columns: [{ name: 'by', as: 'text' }], scope: Prisma.sql`"groupId" IN ${groups}` },
    { table: 'Meeting', pk: 'id', columns: [{ name: 'title', as: 'text' }], scope: Prisma.sql`"groupId" IN ${groups}` },
    { table: 'ImportRun', pk: 'id', columns: [{ name: 'warningsJson', as: 'json' }, { name: 'fileName', as: 'text' }], scope: Prisma.sql`"groupId" IN ${groups}` },
    { table: 'Objective', pk: 'id', columns: [{ name: 'title', as: 'text' }, { name: 'description', as: 'text' }, { name: 'sourceJson', as: 'json' }], scope: Prisma.sql`"groupId" IN ${groups}` },
    {
      table: 'Action', pk: 'id', scope: Prisma.sql`"groupId" IN ${groups}`,
      columns: [{ name: 'activity', as: 'text' }, { name: 'progress', as: 'text' }, { name: 'evidence', as: 'text' }, { name: 'leadOfficer', as: 'text' }, { name: 'leadAgency', as: 'text' }, { name: 'extraJson', as: 'json' }, { name: 'sourceJson', as: 'json' }],
    },
    {
      table: 'StatusUpdate', pk: 'id', scope: Prisma.sql`"actionId" IN ${actions}`,
      columns: [{ name: 'note', as: 'text' }, { name: 'evidence', as: 'text' }, { name: 'fromProgress', as: 'text' }, { name: 'toProgress', as: 'text' }, { name: 'idempotencyKey', as: 'key' }],
    },
    { table: 'SectionUpdate', pk: 'id', columns: [{ name: 'text', as: 'text' }], scope: Prisma.sql`"threadId" IN ${threads}` },
    { table: 'HighlightReport', pk: 'id', columns: [{ name: 'contentJson', as: 'json' }], scope: Prisma.sql`"groupId" IN ${groups}` },
    // The outbox has no workspace column: this workspace's messages are its people's and its groups'.
    {
      table: 'OutboxMessage', pk: 'id', scope: Prisma.sql`("personId" IN ${people} OR "groupId" IN ${groups})`,
      columns: [{ name: 'payloadJson', as: 'json' }, { name: 'lastError', as: 'text' }, { name: 'fallbacksJson', as: 'json' }, { name: 'idempotencyKey', as: 'key' }],
    },
    {
      table: 'InboundInteraction', pk: 'key', scope: Prisma.sql`"workspaceId" = ${workspaceId}`,
      columns: [{ name: 'key', as: 'key' }, { name: 'inputJson', as: 'json' }, { name: 'replyJson', as: 'json' }, { name: 'lastError', as: 'text' }],
    },
    // Inbound keys carry no workspace; a key naming their chat id is theirs (ids are per platform account).
    { table: 'InboundEvent', pk: 'key', columns: [{ name: 'key', as: 'key' }], scope: Prisma.sql`1 = 1` },
  ];
}

/** Rewrites the place's rows that hold a copy; returns how many rows changed. */
async function scrubPlace(tx: Tx, place: Place, scrub: Scrubber): Promise<number> {
  if (scrub.needles.length === 0) return 0;
  const col = (c: string) => Prisma.raw(`"${c}"`);
  const matches = place.columns.flatMap((c) => scrub.needles.map((n) => Prisma.sql`lower(${col(c.name)}) LIKE ${`%${n.toLowerCase()}%`}`));
  const cols = Prisma.join([...new Set([place.pk, ...place.columns.map((c) => c.name)])].map(col));
  const rows = await tx.$queryRaw<Record<string, string | null>[]>`SELECT ${cols} FROM ${col(place.table)} WHERE ${place.scope} AND (${Prisma.join(matches, ' OR ')})`;
  let changed = 0;
  for (const row of rows) {
    const sets: Prisma.Sql[] = [];
    for (const c of place.columns) {
      const v = row[c.name];
      if (typeof v !== 'string') continue;
      const next = c.as === 'json' ? scrub.json(v) : c.as === 'key' ? scrub.key(v) : scrub.text(v);
      if (next !== v) sets.push(Prisma.sql`${col(c.name)} = ${next}`);
    }
    if (sets.length === 0) continue;
    await tx.$executeRaw`UPDATE ${col(place.table)} SET ${Prisma.join(sets)} WHERE ${col(place.pk)} = ${row[place.pk]}`;
    changed += 1;
  }
  return changed;
}
