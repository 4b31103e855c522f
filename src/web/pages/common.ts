/** Pieces the link pages share: the caller a link stands for, a BRAG badge, an action's summary, a fresh link. */
import { BRAG_LABEL, BRAG_MEANING, type Brag } from '../../core/brag.js';
import type { ActionCard } from '../../core/chat.js';
import { formatDate } from '../../core/calendar.js';
import { overdueText } from '../../core/overdue.js';
import { personCaller, type Caller } from '../../services/access.js';
import { issueLink, linkUrl, type Link, type LinkScope } from '../../services/links.js';
import type { WebContext } from '../context.js';
import { html, type Html } from '../html.js';

/** The link's person: who the page acts for (the access module decides what they may do). */
export const callerOf = (link: Link): Caller => personCaller(link.personId, 'web');

/** A status in words first, colour second (never colour alone). */
export const bragBadge = (brag: Brag): Html => html`<span class="brag brag-${brag}">${BRAG_LABEL[brag]}</span> (${BRAG_MEANING[brag]})`;

/** The due date as a page shows it, with the working days overdue (and the unit) when it has passed. */
export function dueText(a: ActionCard): string {
  if (a.dueKind === 'ongoing') return 'Ongoing';
  if (!a.dueDate) return a.dueRaw || 'No due date';
  const when = a.dueKind === 'month' ? `${a.dueRaw} (end of month)` : formatDate(a.dueDate);
  return a.daysOverdue > 0 ? `${when}: ${overdueText(a.daysOverdue)}` : when;
}

export function actionSummary(a: ActionCard & { evidence?: string }): Html {
  const lead = a.ownerNames.length ? a.ownerNames.join(', ') : [a.leadAgency, a.leadOfficer].filter(Boolean).join(', ') || 'No owner';
  return html`<dl>
<dt>Group</dt><dd>${a.groupName}</dd>
<dt>Ref</dt><dd>${a.ref || '–'}</dd>
<dt>Activity</dt><dd>${a.activity}</dd>
<dt>Status</dt><dd>${bragBadge(a.brag)}</dd>
<dt>Due</dt><dd>${dueText(a)}</dd>
<dt>Lead</dt><dd>${lead}</dd>
<dt>Where are we now?</dt><dd>${a.progress || '–'}</dd>
${a.evidence !== undefined ? html`<dt>Evidence</dt><dd>${a.evidence || '–'}</dd>` : ''}
</dl>`;
}

/**
 * A new link for the same person and scope, shown on the page that confirms a write (the one
 * that was opened is used up): "make another change" without waiting for the next message.
 */
export async function followUpLink(ctx: WebContext, link: Link, scope: LinkScope, now: Date): Promise<string> {
  const { token } = await issueLink(ctx.db, ctx.signer, { workspaceId: link.workspaceId, personId: link.personId, scope, now, outboxKey: link.outboxKey ?? undefined, route: link.route ?? undefined });
  return linkUrl(ctx.publicBaseUrl, token);
}
