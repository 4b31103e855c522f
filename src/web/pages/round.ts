/**
 * The update-round page (purpose 'round'): a lead writes their team's section of the highlight
 * report for one meeting. What they send enters the report exactly as a reply in the meeting's
 * update thread does: it goes through the same interaction (src/services/interactions/sections.ts,
 * who may write, the same limit and sentences) into the same capture (src/services/threads.ts: a
 * first line naming the section, or their team; newer versions win by time; a deletion is final).
 *
 * On the web the "thread" is an UpdateThread with platform 'web' for the meeting, and a person's
 * section is one "reply" in it (`web:<person id>`, numbered again after a deletion): saving again
 * is an edit of that reply, "Delete my update" its deletion.
 */
import { ukDate } from '../../core/text.js';
import { decideOnGroup } from '../../services/access.js';
import { captureSection, describeSection, PLAIN, TEXT_LIMITS } from '../../services/interactions/index.js';
import { html, type Html } from '../html.js';
import type { PageContent } from '../layout.js';
import type { LinkPage, LinkPost, LinkRequest } from '../link-page.js';
import { callerOf, followUpLink } from './common.js';

const notice = (kind: 'done' | 'problem', text: string): Html =>
  html`<div class="notice ${kind}" role="${kind === 'problem' ? 'alert' : 'status'}"><p>${text}</p></div>`;

/** The web thread of the link's meeting, created when first written to. */
async function webThread(r: LinkRequest, create: boolean) {
  const meetingId = r.link.meetingId ?? '';
  const where = { meetingId_platform: { meetingId, platform: 'web' } };
  if (!create) return r.ctx.db.updateThread.findUnique({ where });
  return r.ctx.db.updateThread.upsert({
    where,
    create: { meetingId, platform: 'web', conversationId: `group:${r.link.groupId ?? ''}`, threadId: `meeting:${meetingId}`, openedAt: r.now },
    update: {},
  });
}

/** The person's current "reply" on the page: the latest, unless deleted (then the next is a new one). */
async function currentReply(r: LinkRequest) {
  const thread = await webThread(r, false);
  const prefix = `web:${r.link.personId}`;
  const rows = thread
    ? await r.ctx.db.sectionUpdate.findMany({ where: { threadId: thread.id, platformMessageId: { startsWith: prefix } }, orderBy: [{ postedAt: 'desc' }, { id: 'desc' }] })
    : [];
  const latest = rows[0];
  const live = latest && latest.deletedAt === null ? latest : null;
  return { live, nextId: live ? live.platformMessageId : `${prefix}${rows.length ? `:${rows.length + 1}` : ''}` };
}

async function meetingFacts(r: LinkRequest) {
  const meeting = await r.ctx.db.meeting.findFirst({ where: { id: r.link.meetingId ?? '', groupId: r.link.groupId ?? '', group: { workspaceId: r.ctx.workspaceId } }, include: { group: { select: { id: true, name: true } } } });
  return meeting;
}

async function renderPage(r: LinkRequest, top: Html | null, typed?: string): Promise<PageContent> {
  const meeting = await meetingFacts(r);
  if (!meeting) return { status: 404, title: 'This meeting is not in the plans', main: html`${top}${notice('problem', 'That meeting is not in your workspace’s plans (it may have been removed). Nothing was saved.')}` };
  const d = await decideOnGroup(r.ctx.db, { workspaceId: r.ctx.workspaceId, caller: callerOf(r.link), group: { id: meeting.group.id }, capability: 'section.write' });
  if (!d.allowed) return { status: 403, title: 'You cannot write a section of this report', main: html`${top}${notice('problem', d.reason)}` };
  const person = await r.ctx.db.person.findUnique({ where: { id: r.link.personId }, select: { team: true, name: true } });
  const { live } = await currentReply(r);
  const prefill = typed ?? (live ? (live.headed ? `${live.section}:\n${live.text}` : live.text) : '');
  const filedUnder = person?.team ?? person?.name ?? 'your name';
  const main = html`${top}
<p>The ${meeting.group.name} meets on ${ukDate(meeting.date, true)}. Write your team’s update for its highlight report: it goes into the board paper in your own words, as a reply in the meeting’s update thread would.</p>
${live ? html`<p>Your update is saved as the <strong>${live.section}</strong> section. Change it below and save, or delete it.</p>` : ''}
<form method="post" action="${r.action}">
${r.formFields()}<input type="hidden" name="verb" value="section">
<label for="section-text">Your update</label>
<span class="hint" id="section-hint">Start with your section’s name on a line of its own (for example “Fostering Service:”), or leave it out to file it under ${filedUnder}. Keep key figures as you would write them. At most ${TEXT_LIMITS.sectionReply.toLocaleString('en-GB')} characters.</span>
<textarea id="section-text" name="text" rows="12" maxlength="${TEXT_LIMITS.sectionReply}" aria-describedby="section-hint">${prefill}</textarea>
<button type="submit">Save my update</button>
</form>
${live ? html`<form method="post" action="${r.action}">${r.formFields()}<input type="hidden" name="verb" value="delete"><button type="submit" class="warning">Delete my update</button></form>` : ''}`;
  return { title: `Your update for ${meeting.group.name}`, main };
}

async function post(r: LinkPost): Promise<PageContent & { wrote: boolean }> {
  const meeting = await meetingFacts(r);
  if (!meeting) return { wrote: false, ...(await renderPage(r, null)) };
  const again = async () => html`<p><a href="${await followUpLink(r.ctx, r.link, { purpose: 'round', meetingId: meeting.id, groupId: meeting.group.id }, r.now)}">Change or delete your update</a> (a new link: the one you opened has been used).</p>`;
  const { live, nextId } = await currentReply(r);
  const deleting = r.form.verb === 'delete';
  if (deleting && !live) return { wrote: false, ...(await renderPage(r, notice('problem', 'You have no update saved for this meeting. Nothing was deleted.'))) };
  const text = r.form.text ?? '';
  if (!deleting && text.trim() === '') return { wrote: false, ...(await renderPage(r, notice('problem', 'Your update is empty. Write it in the box, then save. Nothing was saved.'))) };
  const thread = await webThread(r, true);
  const person = await r.ctx.db.person.findUnique({ where: { id: r.link.personId }, select: { name: true } });
  const o = await captureSection(r.ctx.db, {
    workspaceId: r.ctx.workspaceId, caller: callerOf(r.link), platform: 'web', conversationId: thread!.conversationId, threadId: thread!.threadId,
    messageId: nextId, userId: r.link.personId, displayName: person?.name, at: r.now, now: r.now, deliveryKey: r.key,
    event: deleting ? { kind: 'deleted' } : live ? { kind: 'edited', text, postedAt: live.postedAt } : { kind: 'posted', text },
  });
  switch (o.kind) {
    case 'captured':
    case 'updated':
      return { wrote: true, title: 'Your update is saved', main: html`${notice('done', describeSection(o, PLAIN, person?.name ?? null))}${await again()}` };
    case 'deleted':
      return { wrote: true, title: 'Your update is deleted', main: html`${notice('done', `Your update is no longer in the ${meeting.group.name} highlight report for ${ukDate(meeting.date)}.`)}${await again()}` };
    case 'refused':
    case 'too-long':
      return { wrote: false, ...(await renderPage(r, notice('problem', o.text), text)) };
    case 'retry':
      // This very form again (a resubmit): it was taken the first time.
      return { wrote: false, title: 'Your update is saved', main: html`${notice('done', 'Already saved: this form was sent before, and your update from it is in the report. Nothing more was changed.')}` };
    case 'ignored':
      return { wrote: false, ...(await renderPage(r, notice('problem', 'That is what your update already says: nothing changed.'), text)) };
    default:
      return { wrote: false, ...(await renderPage(r, notice('problem', 'Your update could not be saved just now. Nothing was saved; try again.'), text)) };
  }
}

export const roundPage: LinkPage = { purpose: 'round', get: (r) => renderPage(r, null), post };
