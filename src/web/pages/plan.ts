/**
 * The group's plan page (purpose 'group', issue 15 pt 3): read-only, for the group's members and
 * its board. The plan as it stands (each action's ref, activity, lead, due date, BRAG in words
 * beside its colour, working days overdue, progress and its history of updates) and every
 * stored version of the group's highlight report to download as Word or PDF: what a Teams bot
 * cannot attach, and what a partner outside the chat never gets otherwise.
 *
 * Who sees what is src/services/access.ts's, asked again on every request (a link outlives a
 * membership): the page and its downloads need 'report.read' (members and the board's viewers);
 * the plan itself needs 'plan.read' as well, so a board viewer gets the report versions only, as
 * the matrix says (docs/access.md: "the group's highlight reports only"). Nothing here writes, so
 * the link is not used up: it opens as often as its person likes until it expires.
 *
 * Downloads are GET /l/<token>/report/<report id>.<docx|pdf>, under the same signed link (the
 * token is the only thing in the path besides the version's id); a version of another group, or
 * of another workspace, is "not found" whatever id is put there.
 */
import type { Brag } from '../../core/brag.js';
import type { ActionCard } from '../../core/chat.js';
import { londonDate } from '../../core/calendar.js';
import { isBragbotError } from '../../core/errors.js';
import { clamp, londonDay, londonTime, oneLine, ukDate } from '../../core/text.js';
import { BRAG_ORDER } from '../../core/brag.js';
import { OVERDUE_UNIT } from '../../core/overdue.js';
import { decideOnGroup, type Decision, type GroupFacts } from '../../services/access.js';
import { listGroupActions } from '../../services/actions.js';
import { getReport, listReports, renderReport, type StoredReport } from '../../services/reports.js';
import { recentUpdatesByAction, type recentUpdatesOf } from '../../services/status-updates.js';
import { describeUpdateChange } from '../../services/interactions/history-line.js';
import { PLAIN } from '../../services/interactions/style.js';
import type { ReportFileFormat } from '../../services/report-service.js';
import { html, type Html } from '../html.js';
import type { PageContent } from '../layout.js';
import type { LinkDownload, LinkPage, LinkRequest } from '../link-page.js';
import { bragBadge, callerOf, dueText } from './common.js';

/** How much of each action's history the page lists, newest first (the audit export has it all). */
export const HISTORY_SHOWN = 20;

const notice = (text: string): Html => html`<div class="notice problem" role="alert"><p>${text}</p></div>`;

/** The one question asked on every request: may the link's person still open this group's plan, and see its actions? */
async function access(r: LinkRequest): Promise<{ page: Decision<{ group: GroupFacts }>; plan: boolean }> {
  const caller = callerOf(r.link);
  const group = { id: r.link.groupId ?? '' };
  const page = await decideOnGroup(r.ctx.db, { workspaceId: r.ctx.workspaceId, caller, group, capability: 'report.read' });
  if (!page.allowed) return { page, plan: false };
  const plan = await decideOnGroup(r.ctx.db, { workspaceId: r.ctx.workspaceId, caller, group, capability: 'plan.read' });
  return { page, plan: plan.allowed };
}

/** The page for a denial: what happened and what to do, with nothing of the plan in it. */
function refusal(d: Extract<Decision<unknown>, { allowed: false }>): PageContent {
  if (d.code === 'NOT_FOUND') {
    // decideOnGroup's sentence names what was asked for (here an id) and the person's other groups: neither is for this page.
    return { status: 404, title: 'This plan is not here any more', main: notice('The group this link was made for is not in your organisation’s plans (it may have been removed). Nothing of it can be shown. Ask the chair of your group for a new link.') };
  }
  return { status: 403, title: 'You cannot open this plan', main: notice(`${d.reason} This link was made for you while you had a place in the group; it opens nothing now, and nothing of the plan is shown.`) };
}

type HistoryLines = Awaited<ReturnType<typeof recentUpdatesOf>>;

function historyOf(updates: HistoryLines): Html {
  if (updates.length === 0) return html`<p class="hint">No updates recorded yet.</p>`;
  const shown = updates.slice(0, HISTORY_SHOWN);
  return html`<details><summary>History: ${shown.length === 1 ? '1 update' : `${updates.length > HISTORY_SHOWN ? `latest ${HISTORY_SHOWN}` : shown.length} updates`}</summary>
<ol>${shown.map((u) => html`<li><time datetime="${u.at.toISOString()}">${londonDay(u.at)} ${londonTime(u.at)}</time>, ${u.actorName} (${u.channel}): ${describeUpdateChange(u, PLAIN, 400)}</li>`)}</ol>
</details>`;
}

/** The owners bragbot chases (with the plan's lead agency), else the lead as the plan wrote it. */
function leadOf(a: ActionCard): string {
  if (a.ownerNames.length) return `${a.ownerNames.join(', ')}${a.leadAgency ? ` (${a.leadAgency})` : ''}`;
  return [a.leadAgency, a.leadOfficer].filter(Boolean).join(', ') || 'No owner';
}

function actionItem(a: ActionCard, history: HistoryLines): Html {
  const heading = `${a.ref ? `${a.ref}: ` : ''}${clamp(oneLine(a.activity), 160)}`;
  return html`<li class="plan-action" aria-labelledby="action-${a.actionId}">
<h3 id="action-${a.actionId}">${heading}</h3>
<dl>
<dt>Ref</dt><dd>${a.ref || '–'}</dd>
<dt>Status</dt><dd>${bragBadge(a.brag)}</dd>
<dt>Due</dt><dd>${a.daysOverdue > 0 ? html`<strong>${dueText(a)}</strong>` : dueText(a)}</dd>
<dt>Lead</dt><dd>${leadOf(a)}</dd>
<dt>Activity</dt><dd>${a.activity}</dd>
<dt>Where are we now?</dt><dd>${a.progress || '–'}</dd>
</dl>
${historyOf(history)}
</li>`;
}

const FORMATS: { format: ReportFileFormat; label: string }[] = [
  { format: 'docx', label: 'Word' },
  { format: 'pdf', label: 'PDF' },
];

function versionLine(r: LinkRequest, v: StoredReport): Html {
  const state = v.status === 'published'
    ? `published${v.publishedAt ? ` ${londonDay(v.publishedAt)}` : ''}${v.publishedBy ? ` by ${v.publishedBy}` : ''}`
    : v.status === 'draft' ? `draft, generated ${londonDay(v.requestedAt)}` : `superseded draft of ${londonDay(v.requestedAt)}`;
  const label = `the report for ${ukDate(v.meetingDate)}, version ${v.version}`;
  return html`<li>Version ${v.version} (${state}): ${FORMATS.map((f, i) => html`${i > 0 ? ' · ' : ''}<a href="${r.action}/report/${v.id}.${f.format}" download aria-label="${f.label} file of ${label}">${f.label}</a>`)}</li>`;
}

function reportsPart(r: LinkRequest, versions: StoredReport[]): Html {
  if (versions.length === 0) return html`<p>No highlight report has been generated for this group yet. When the chair generates one, its versions are listed here.</p>`;
  const byMeeting = new Map<string, StoredReport[]>();
  for (const v of versions) byMeeting.set(v.meetingDate, [...(byMeeting.get(v.meetingDate) ?? []), v]);
  return html`<p>Every version stored, newest first. A published version is the one that was circulated; it never changes.</p>
<ul class="plan-reports">${[...byMeeting].map(([date, vs]) => html`<li>Meeting of ${ukDate(date, true)}<ul>${vs.map((v) => versionLine(r, v))}</ul></li>`)}</ul>`;
}

function glance(cards: ActionCard[]): Html {
  const count = (b: Brag) => cards.filter((c) => c.brag === b).length;
  const overdue = cards.filter((c) => c.daysOverdue > 0).length;
  return html`<table class="plan-glance">
<caption>The plan at a glance: ${cards.length} current ${cards.length === 1 ? 'action' : 'actions'}</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
<tbody>${BRAG_ORDER.map((b) => html`<tr><th scope="row">${bragBadge(b)}</th><td>${count(b)}</td></tr>`)}
<tr><th scope="row">Overdue (due date passed, not Blue)</th><td>${overdue}</td></tr></tbody>
</table>`;
}

async function renderPlan(r: LinkRequest): Promise<PageContent> {
  const { page, plan } = await access(r);
  if (!page.allowed) return refusal(page);
  const g = page.group;
  const versions = await listReports(r.ctx.db, g.id);
  const today = londonDate(r.now);
  let planPart: Html;
  if (plan) {
    const cards = await listGroupActions(r.ctx.db, g.id, today);
    // Every action's history in one query (HISTORY_SHOWN + 1 each: the page says when there are more).
    const histories = await recentUpdatesByAction(r.ctx.db, cards.map((c) => c.actionId), HISTORY_SHOWN + 1);
    const items = cards.map((a) => actionItem(a, histories.get(a.actionId) ?? []));
    planPart = html`<section class="part" aria-labelledby="plan">
<h2 id="plan">The action plan</h2>
<p>As it stands on ${ukDate(today, true)}. Overdue is counted in ${OVERDUE_UNIT} (the group’s calendar, bank holidays excluded), from the day after the due date; Ongoing actions are never overdue.</p>
${glance(cards)}
${cards.length ? html`<ol class="plan-actions">${items}</ol>` : html`<p>The plan has no current actions.</p>`}
</section>`;
  } else {
    planPart = html`<section class="part" aria-labelledby="plan">
<h2 id="plan">The action plan</h2>
<p>The plan itself, action by action, is for the group’s members. Its status at a glance (how many actions are Blue, Green, Amber and Red, and which are overdue) is in each report below.</p>
</section>`;
  }
  const main = html`<p>This page shows ${g.name}’s action plan and its highlight reports. It is read-only: to update an action, use the link in your reminder, or Slack or Teams.</p>
${planPart}
<section class="part" aria-labelledby="reports">
<h2 id="reports">Highlight reports</h2>
${reportsPart(r, versions)}
</section>`;
  return { title: `${g.name}: the plan and its papers`, main };
}

/** A file name a browser keeps as it is: the stored name with anything but letters, digits, dot, dash and underscore replaced. */
const safeFileName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, '-');

const REPORT_FILE = /^([A-Za-z0-9_-]{1,64})\.(docx|pdf)$/;

async function download(r: LinkRequest, file: string): Promise<LinkDownload | PageContent> {
  const notFound: PageContent = { status: 404, title: 'This report is not here', main: notice('There is no such version of this group’s highlight report. Open the plan page again from your link and choose a version from its list.') };
  const { page } = await access(r);
  if (!page.allowed) return refusal(page);
  const m = REPORT_FILE.exec(file);
  if (!m) return notFound;
  let report: StoredReport;
  try {
    report = await getReport(r.ctx.db, r.ctx.workspaceId, m[1]!);
  } catch (e) {
    if (isBragbotError(e) && e.code === 'NOT_FOUND') return notFound;
    throw e;
  }
  // Only this group's versions: the link is scoped to one group, whatever id is put after it.
  if (report.groupId !== page.group.id) return notFound;
  const rendered = await renderReport(report, m[2] as ReportFileFormat);
  return { filename: safeFileName(rendered.filename), mimeType: rendered.mimeType, body: typeof rendered.body === 'string' ? Buffer.from(rendered.body) : rendered.body };
}

export const planPage: LinkPage = { purpose: 'group', get: renderPlan, download };
