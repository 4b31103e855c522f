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
 * not replaced ("Olu to chase"): it cannot be told apart from anyone else's.
 */
import { randomUUID } from 'node:crypto';
import { formerOfficer, nextFormerNumber, replaceName, replaceNameInJson } from '../core/erasure.js';
import { BragbotError } from '../core/errors.js';
import type { Db, Tx } from '../db/client.js';
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

    // The audit is append-only; the one change its trigger allows is this: the erased person's
    // name becoming their pseudonym (migration 0010_audit_erasure).
    const audit = await tx.auditEvent.findMany({
      where: { workspaceId: req.workspaceId, OR: [{ personId: person.id }, { subjectPersonId: person.id }, { actorName: name }, { subjectName: name }, { summary: { contains: name } }, { fromValue: { contains: name } }, { toValue: { contains: name } }] },
      select: { id: true, personId: true, subjectPersonId: true, actorName: true, subjectName: true, summary: true, fromValue: true, toValue: true },
    });
    for (const e of audit) {
      const who = e.personId === person.id || e.actorName === name ? pseudonym : replaceName(e.actorName, name, pseudonym);
      const subject = e.subjectName === null ? null : e.subjectPersonId === person.id || e.subjectName === name ? pseudonym : replaceName(e.subjectName, name, pseudonym);
      const swapped = { actorName: who, subjectName: subject, summary: replaceName(e.summary, name, pseudonym), fromValue: e.fromValue === null ? null : replaceName(e.fromValue, name, pseudonym), toValue: e.toValue === null ? null : replaceName(e.toValue, name, pseudonym) };
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
