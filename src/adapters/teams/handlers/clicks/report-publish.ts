/** "Publish" on a highlight report card: freezes the version (the report service checks who may) and posts it to the group's channel. */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { isBragbotError } from '../../../../core/errors.js';
import { londonTime, md } from '../../cards/text.js';
import { renderReportCard } from '../../cards/report.js';
import { groupChannelOf } from '../../data.js';
import type { HandlerDeps } from '../../deps.js';
import { VERBS } from '../../ids.js';
import { parseReference } from '../../references.js';
import { need, type ClickHandler } from './click.js';

export const verb = VERBS.reportPublish;

export const handle: ClickHandler = async (c) => {
  const reportId = need(c.click.data.r, 'report');
  const groupSlug = need(c.click.data.g, 'group');
  const person = c.who.person;
  let preview;
  try {
    preview = await c.deps.reports.publish({ workspaceId: c.deps.workspaceId, reportId, groupSlug, by: person.name, byPersonId: person.id, now: c.now });
  } catch (e) {
    // Refused (or not a version one can publish): the preview stays, with the reason on it (issue 10 pt 11).
    if (!isBragbotError(e)) throw e;
    const kept = await c.deps.reports.previewOf({ workspaceId: c.deps.workspaceId, reportId, personId: person.id }).catch(() => null);
    if (!kept) throw e;
    const refused = e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND';
    c.log.warn({ refused, code: e.code, reportId }, 'teams: report not published');
    return { card: renderReportCard(kept, { status: { text: `${refused ? '⛔' : '⚠️'} ${md(e.message)} Nothing was published.`, tone: refused ? 'attention' : 'warning' } }), outcome: refused ? 'refused' : 'rejected' };
  }
  c.log.info({ reportId, version: preview.version }, 'teams: report published');
  const posted = await postToGroupChannel(c.deps, groupSlug, renderReportCard(preview, { published: true }), `Highlight report: ${groupSlug}`);
  const where = posted ? ' and posted to the group’s channel' : '';
  return { card: renderReportCard(preview, { published: true, status: { text: `✅ Published by ${md(person.name)} at ${londonTime(c.now)}${where}.`, tone: 'good' } }), outcome: 'published' };
};

/** Posts a card to the group's Teams channel, if it has one; false when it has none. */
async function postToGroupChannel(deps: HandlerDeps, groupSlug: string, c: IAdaptiveCard, summary: string): Promise<boolean> {
  const group = await deps.db.group.findUnique({ where: { workspaceId_slug: { workspaceId: deps.workspaceId, slug: groupSlug } }, select: { id: true } });
  if (!group) return false;
  const channel = await groupChannelOf(deps.db, group.id);
  if (!channel) return false;
  const ref = await deps.db.conversationRef.findUnique({ where: { platform_conversationId: { platform: 'teams', conversationId: channel.conversationId } } });
  const stored = parseReference(ref?.referenceJson);
  await deps.connector.post(
    { serviceUrl: channel.serviceUrl ?? stored.serviceUrl ?? deps.defaultServiceUrl, conversationId: channel.conversationId, ...(stored.bot ? { bot: stored.bot } : {}) },
    { card: c, summary },
  );
  return true;
}
