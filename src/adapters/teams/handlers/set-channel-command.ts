/**
 * `@bragbot set-channel [group]` in a team channel: the group's update rounds open here.
 * Chairs and admins only; the channel, its team and service URL are stored as the group's
 * Teams channel (GroupChannel), which is how the outbox reaches it.
 */
import type { App } from '@microsoft/teams.apps';
import { BragbotError } from '../../../core/errors.js';
import { decideOnGroup, groupsAllowed, required } from '../../../services/access.js';
import { setGroupChannel } from '../../../services/groups.js';
import { conversationKind, splitThreadId } from '../activity.js';
import { renderNotice } from '../cards/interactive.js';
import { md } from '../cards/text.js';
import type { HandlerDeps } from '../deps.js';
import { onCommand, runCommand, type CommandOutcome } from './command-runner.js';
import type { Turn } from './turn.js';

export async function handleSetChannel(deps: HandlerDeps, turn: Turn, args: string): Promise<CommandOutcome> {
  return runCommand(deps, turn, 'set-channel', async (person) => {
    const a = turn.activity;
    if (conversationKind(a) !== 'channel') throw new BragbotError('INPUT_INVALID', 'Use **@bragbot set-channel <group>** in the team channel where the group’s update rounds should open.');
    let slug = args.split(/\s+/).filter(Boolean)[0]?.toLowerCase();
    if (!slug) {
      const slugs = (await groupsAllowed(deps.db, deps.workspaceId, person.id, 'group.manage')).map((g) => g.slug);
      if (slugs.length !== 1) throw new BragbotError('INPUT_INVALID', slugs.length ? `Which group? You chair: ${slugs.join(', ')}.` : 'Which group? Give its short name, e.g. **@bragbot set-channel <group>**.');
      slug = slugs[0]!;
    }
    const { group } = required(await decideOnGroup(deps.db, { workspaceId: deps.workspaceId, caller: { kind: 'person', personId: person.id }, group: { slug }, capability: 'group.manage' }));
    const channelId = a.channelData?.channel?.id || splitThreadId(a.conversation?.id ?? '').base;
    await setGroupChannel(deps.db, group.id, {
      platform: 'teams',
      conversationId: channelId,
      ...(a.channelData?.team?.id ? { teamId: a.channelData.team.id } : {}),
      ...(a.serviceUrl ? { serviceUrl: a.serviceUrl.replace(/\/+$/, '') } : {}),
    }, { by: { personId: person.id, name: person.name, channel: 'teams' }, at: deps.clock() });
    turn.log.info({ group: group.slug }, 'teams: group channel set');
    await turn.reply({ card: renderNotice('Channel set', `✅ Update rounds for **${md(group.name)}** will open in this channel, and published highlight reports are posted here.`, 'good') });
  });
}

export function register(app: App, deps: HandlerDeps): void {
  onCommand(app, deps, 'set-channel', (turn, args) => handleSetChannel(deps, turn, args));
}
