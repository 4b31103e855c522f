/**
 * `highlight-report [group] [meeting date]`: the report's chat summary as a card, with a
 * Publish button for a draft. The group may be left out in a group's channel, or when the
 * person belongs to one group only.
 */
import type { App } from '@microsoft/teams.apps';
import { splitThreadId } from '../activity.js';
import { stopwatch } from '../../../clock.js';
import { renderReportCard } from '../cards/report.js';
import { chooseReportGroup, describeReportGroupChoice, exampleGroupOf } from '../../../services/interactions/index.js';
import { TEAMS_STYLE } from '../cards/style.js';
import type { HandlerDeps } from '../deps.js';
import { parseReportArgs, reportUsage } from './commands.js';
import { onCommand, runCommand, type CommandOutcome } from './command-runner.js';
import { BragbotError } from '../../../core/errors.js';
import { isPersonal, type Turn } from './turn.js';

export async function handleHighlightReport(deps: HandlerDeps, turn: Turn, args: string): Promise<CommandOutcome> {
  return runCommand(deps, turn, 'highlight-report', async (person) => {
    const base = { workspaceId: deps.workspaceId, caller: { kind: 'person' as const, personId: person.id }, channel: 'teams' as const, now: deps.clock() };
    const usage = reportUsage(await exampleGroupOf(deps.db, base));
    const parsed = parseReportArgs(args, usage);
    if (parsed.error) throw new BragbotError('INPUT_INVALID', parsed.error);
    const channel = splitThreadId(turn.activity.conversation?.id ?? '').base;
    const choice = await chooseReportGroup(deps.db, { ...base, named: parsed.groupSlug, conversation: { platform: 'teams', id: channel } });
    if (choice.kind === 'refused') throw new BragbotError(choice.code === 'NOT_FOUND' ? 'NOT_FOUND' : 'FORBIDDEN', choice.reason);
    if (choice.kind === 'which') throw new BragbotError('INPUT_INVALID', `${describeReportGroupChoice(choice, TEAMS_STYLE)} ${usage}`);
    const elapsed = stopwatch();
    const preview = await deps.reports.generate({
      workspaceId: deps.workspaceId, groupSlug: choice.slug, meetingDate: parsed.meetingDate, requestedBy: person.name, requesterPersonId: person.id, now: deps.clock(), platform: 'teams',
    });
    turn.log.info({ group: choice.slug, reportId: preview.reportId, version: preview.version, ms: Math.round(elapsed()) }, 'teams: highlight report previewed');
    // The link is the person's own: given in their personal chat only, never posted where others read it.
    const personal = isPersonal(turn.activity);
    const planUrl = personal && deps.planLink ? await deps.planLink(person.id, choice.slug) : null;
    await turn.reply({ card: renderReportCard(preview, { papers: planUrl ? { url: planUrl } : deps.planLink ? 'ask-in-chat' : undefined }), summary: `Highlight report: ${choice.slug}` });
  });
}

export function register(app: App, deps: HandlerDeps): void {
  onCommand(app, deps, 'highlight-report', (turn, args) => handleHighlightReport(deps, turn, args));
}
