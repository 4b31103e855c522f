/**
 * "Publish" on a highlight report card: the report service decides (who may, which channel:
 * always the group's own, never the chat the card is in) and freezes the version; this handler
 * posts the card to that channel and redraws the clicked one with what happened.
 */
import { isBragbotError } from '../../../../core/errors.js';
import { describeNoChannel } from '../../../../services/report-service.js';
import { londonTime, md } from '../../cards/text.js';
import { renderReportCard } from '../../cards/report.js';
import { TEAMS_STYLE } from '../../cards/style.js';
import { parseReference } from '../../references.js';
import { VERBS } from '../../ids.js';
import { need, type ClickHandler } from './click.js';

export const verb = VERBS.reportPublish;

export const handle: ClickHandler = async (c) => {
  const reportId = need(c.click.data.r, 'report');
  const person = c.who.person;
  let out;
  try {
    out = await c.deps.reports.publish({ workspaceId: c.deps.workspaceId, reportId, by: person.name, byPersonId: person.id, now: c.now, platform: 'teams' });
  } catch (e) {
    // Refused (or not a version one can publish): the preview stays, with the reason on it (issue 10 pt 11).
    if (!isBragbotError(e)) throw e;
    const kept = await c.deps.reports.previewOf({ workspaceId: c.deps.workspaceId, reportId, personId: person.id }).catch(() => null);
    if (!kept) throw e;
    const refused = e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND';
    c.log.warn({ refused, code: e.code, reportId }, 'teams: report not published');
    return { card: renderReportCard(kept, { status: { text: `${refused ? '⛔' : '⚠️'} ${md(e.message)} Nothing was published.`, tone: refused ? 'attention' : 'warning' } }), outcome: refused ? 'refused' : 'rejected' };
  }
  if (out.kind === 'no-channel') {
    c.log.warn({ reportId, version: out.preview.version }, 'teams: report not published: the group has no Teams channel');
    return { card: renderReportCard(out.preview, { status: { text: describeNoChannel(out, TEAMS_STYLE), tone: 'warning' } }), outcome: 'no-channel' };
  }
  const { preview, channel } = out;
  const ref = await c.deps.db.conversationRef.findUnique({ where: { platform_conversationId: { platform: 'teams', conversationId: channel.conversationId } } });
  const stored = parseReference(ref?.referenceJson);
  await c.deps.connector.post(
    { serviceUrl: channel.serviceUrl ?? stored.serviceUrl ?? c.deps.defaultServiceUrl, conversationId: channel.conversationId, ...(stored.bot ? { bot: stored.bot } : {}) },
    { card: renderReportCard(preview, { published: true }), summary: `Highlight report: ${preview.groupSlug}` },
  );
  c.log.info({ reportId, version: preview.version, channel: channel.conversationId }, 'teams: report published');
  return { card: renderReportCard(preview, { published: true, status: { text: `✅ Published by ${md(person.name)} at ${londonTime(c.now)} and posted to the group’s channel.`, tone: 'good' } }), outcome: 'published' };
};
