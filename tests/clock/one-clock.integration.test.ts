/**
 * One clock, every surface (issue 11). One deployment — `startBragbot` with Slack (the real Bolt
 * app against FakeSlack) and Teams (the real SDK behind Microsoft's Agents Playground) on one
 * database — runs on ONE injected clock, moved across a month end and both clock changes. At each
 * instant every surface must show the same London date and the same count, with its unit:
 * the planner's nudge, the Slack card redrawn after a click, /brag, Details and Snooze, the Teams
 * card after a click and "my actions", the highlight report, and the CLI (a separate process,
 * reading the deployment's clock from the database).
 *
 * The instants are chosen so that a surface reading another clock, or the UTC date, or London
 * with a fixed offset, shows a different number: 00:30 BST on Monday 29 March is still Sunday
 * 28 March in UTC; 00:30 BST on 1 July is 30 June in UTC; 23:30 GMT on 31 October would be
 * 1 November with BST's offset. The action is due on Friday 26 February 2021, so the counts are
 * working days after it in England (Good Friday 2 April, Easter Monday 5 April, the May and
 * August bank holidays excluded).
 */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../src/adapters/teams/playground.js';
import { startBragbot, type Running } from '../../src/app/serve.js';
import { loadConfig } from '../../src/config.js';
import { londonDate } from '../../src/core/calendar.js';
import type { OutboundMessage } from '../../src/core/chat.js';
import { silentLogger } from '../../src/logging.js';
import { renderText } from '../../src/delivery/render-text.js';
import { resolveAddress } from '../../src/delivery/outbox.js';
import { planCycle } from '../../src/scheduling/cycle.js';
import { getActionCard } from '../../src/services/actions.js';
import { DEMO_GROUP } from '../../src/services/demo.js';
import { generateReport, renderReport } from '../../src/services/reports.js';
import { FakeSlack, FAKE_TEAM_ID, type StoredMessage } from '../slack/fake-slack.js';
import { BOT_TOKEN, fixture, SIGNING_SECRET, signedPost } from '../slack/harness.js';
import { bragbotCli, ROOT, type BragbotCli } from '../support/cli.js';
import { createTestDatabaseUrl } from '../support/db.js';
import { makeAction } from '../support/factories.js';
import { actionsOf, inputsOf, textOf } from '../teams/support/cards.js';
import { cardOf, connectPlayground, type PlaygroundClient } from '../teams/support/stack.js';

const JO_SLACK = 'UJODEMO';

interface Instant {
  name: string;
  at: string;
  /** The London calendar date and time at `at`, as every surface must show them. */
  londonDate: string;
  longDate: string;
  hhmm: string;
  /** Working days overdue (England) of an action due on Friday 26 February 2021. */
  working: number;
  /** The working day the planner plans for at that instant (Sunday night plans Monday's nudges), and the count then. */
  plannedFor: string;
  plannedWorking: number;
  /** Snooze a week: the London day it ends, as the chat cards write it. */
  snoozedUntil: string;
  /** Details' history line day ("Mon 29 Mar 2021"). */
  day: string;
}

const INSTANTS: Instant[] = [
  { name: 'just after the spring clock change, 00:30 BST (still Sunday in UTC)', at: '2021-03-28T23:30:00Z', londonDate: '2021-03-29', longDate: '29 March 2021', hhmm: '00:30', working: 21, plannedFor: '2021-03-29', plannedWorking: 21, snoozedUntil: 'Mon 5 Apr 2021', day: 'Mon 29 Mar 2021' },
  { name: 'a new month in London, still June in UTC', at: '2021-06-30T23:30:00Z', londonDate: '2021-07-01', longDate: '1 July 2021', hhmm: '00:30', working: 85, plannedFor: '2021-07-01', plannedWorking: 85, snoozedUntil: 'Thu 8 Jul 2021', day: 'Thu 1 Jul 2021' },
  { name: 'after the autumn clock change, 23:30 GMT (BST’s offset would say November)', at: '2021-10-31T23:30:00Z', londonDate: '2021-10-31', longDate: '31 October 2021', hhmm: '23:30', working: 170, plannedFor: '2021-11-01', plannedWorking: 171, snoozedUntil: 'Sun 7 Nov 2021', day: 'Sun 31 Oct 2021' },
  { name: 'the Monday after, 09:00 GMT', at: '2021-11-01T09:00:00Z', londonDate: '2021-11-01', longDate: '1 November 2021', hhmm: '09:00', working: 171, plannedFor: '2021-11-01', plannedWorking: 171, snoozedUntil: 'Mon 8 Nov 2021', day: 'Mon 1 Nov 2021' },
];

let now = new Date(INSTANTS[0]!.at);
const clock = () => new Date(now.getTime());

let fake: FakeSlack;
let running: Running;
let playground: Playground;
let teams: PlaygroundClient;
let dbUrl: string;
let drop: () => Promise<void>;
let actionId: string;
let joId: string;

beforeAll(async () => {
  ({ url: dbUrl, drop } = await createTestDatabaseUrl('sqlite'));
  bragbot = bragbotCli({ prefix: 'bragbot-one-clock-', databaseUrl: dbUrl, cwd: ROOT });
  fake = await new FakeSlack().start();
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    SLACK_MODE: 'http',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    TEAMS_MODE: 'on',
    TEAMS_DANGEROUSLY_ALLOW_UNAUTHENTICATED: 'true',
  });
  running = await startBragbot({ config, logger: silentLogger, clock, demo: { slackUserId: JO_SLACK }, scheduling: 'deferred', slackHttpPort: 0, teamsPort: 0 });
  const db = running.database.db;
  const group = await db.group.findFirstOrThrow({ where: { slug: DEMO_GROUP } });
  const jo = await db.person.findFirstOrThrow({ where: { name: 'Jo Demo' } });
  joId = jo.id;
  actionId = (await makeAction(db, group.id, { ref: 'CLK', activity: 'Clock check: one count everywhere', brag: 'green', dueDate: '2021-02-26', dueRaw: '26/02/21', ownerIds: [jo.id] })).id;
  playground = await startPlayground({ botEndpoint: `${running.teamsUrl}/api/messages`, port: 0 });
  teams = await connectPlayground(playground);
  const since = teams.events.length;
  await playground.install();
  await teams.waitFor((e) => e.action === 'createMessage' && textOf(cardOf(e)).includes('I will message you here'), { since });
}, 90_000);

afterAll(async () => {
  teams?.close();
  await playground?.stop();
  await running?.stop();
  await fake?.stop();
  await drop?.();
});

let seq = 0;
const slackEvents = () => `${running.slackUrl}/slack/events`;
const form = (fields: Record<string, string>) => signedPost(slackEvents(), new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
const interaction = (payload: unknown) => signedPost(slackEvents(), `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded');
const responsesTo = (url: string) => fake.responses.filter((r) => fake.responseUrl(r.id) === url);

function press(message: StoredMessage, blockId: string, buttonActionId: string) {
  seq += 1;
  const blocks = message.blocks as KnownBlock[];
  const block = blocks.find((b) => b.block_id === blockId)!;
  const elements = block.type === 'actions' ? (block as ActionsBlock).elements : [(block as SectionBlock).accessory];
  const button = elements.find((e) => e && 'action_id' in e && e.action_id === buttonActionId) as Button;
  const actionTs = `1800002000.${String(seq).padStart(6, '0')}`;
  return fixture<{ response_url: string } & Record<string, unknown>>('block-actions-button.json', {
    USER_ID: JO_SLACK, TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: message.ts, CHANNEL_ID: message.channel, TRIGGER_ID: `t-${actionTs}`, MESSAGE_TEXT: message.text,
    MESSAGE_BLOCKS: blocks, RESPONSE_URL: fake.responseUrl(`r-${actionTs}`), ACTION_ID: buttonActionId, BLOCK_ID: block.block_id, BUTTON_TEXT: button.text.text,
    VALUE: button.value, ACTION_TS: actionTs,
  });
}

async function slackSend(message: OutboundMessage): Promise<StoredMessage> {
  const port = running.ports.find((p) => p.platform === 'slack')!;
  const sent = await port.send({ platform: 'slack', conversationId: JO_SLACK }, message);
  return fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
}

const sectionText = (message: StoredMessage, id: string) => ((message.blocks as KnownBlock[]).find((b) => b.block_id === `act:${id}:card`) as SectionBlock).text!.text;

/** The CLI on the serving bot's database (made in beforeAll). */
let bragbot: BragbotCli;
const cli = (...args: string[]) => bragbot.stdoutOf(...args);

describe.each(INSTANTS)('one clock: $name', (instant) => {
  const unit = () => `${instant.working} working days overdue`;

  beforeAll(async () => {
    now = new Date(instant.at);
    // The CLI is another process: it reads the deployment's clock from the database, as it does on the demo's.
    await running.database.db.deploymentClock.upsert({
      where: { id: 'deployment' },
      create: { id: 'deployment', startsAt: now, realStartedAt: new Date() },
      update: { startsAt: now, realStartedAt: new Date() },
    });
  });

  it('the planner’s nudge counts the same working days, and says so', async () => {
    const plan = await planCycle(running.database.db, { workspaceId: running.workspaceId, now: clock() });
    const group = plan.groups.find((g) => g.slug === DEMO_GROUP)!;
    // A plan is for the working day its messages go out (Sunday night plans Monday's), and counts to it.
    expect(group.today).toBe(instant.plannedFor);
    expect(londonDate(group.sendAt)).toBe(instant.plannedFor);
    const planned = group.overdue.find((a) => a.actionId === actionId)!;
    expect(planned.daysOverdue).toBe(instant.plannedWorking);
    // As the nudge (and the console, and `nudges plan`) words the card the planner made. Whether Jo
    // is nudged today depends on the clicks and snooze of the previous instant; the count does not.
    expect(renderText({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo Demo', actions: [planned] })).toContain(`was due Friday 26 February 2021, ${instant.plannedWorking} working days overdue`);
  });

  it('Slack: the nudge, the card redrawn after a click, Details, /brag and Snooze agree', async () => {
    const card = (await getActionCard(running.database.db, running.workspaceId, actionId, instant.londonDate))!;
    const message = await slackSend({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo Demo', actions: [card] });
    expect(sectionText(message, actionId)).toContain(`*${unit()}*`);

    const brag = seq % 2 === 0 ? 'amber' : 'red';
    await interaction(press(message, `act:${actionId}:buttons`, `bragbot.brag.${brag}`));
    const redrawn = await fake.waitFor(() => {
      const m = fake.messages.get(`${message.channel}:${message.ts}`)!;
      return sectionText(m, actionId).includes('Recorded') ? m : undefined;
    });
    expect(sectionText(redrawn, actionId)).toContain(`*${unit()}*`);
    expect(sectionText(redrawn, actionId)).toContain(`by Jo Demo at ${instant.hhmm}`);
    const recorded = await running.database.db.statusUpdate.findFirstOrThrow({ where: { actionId, channel: 'slack' }, orderBy: { at: 'desc' } });
    expect(recorded.at.toISOString()).toBe(new Date(instant.at).toISOString());

    const escalation = await slackSend({ kind: 'escalation', recipientName: 'Jo Demo', reason: 'red', ownerName: 'Jo Demo', actions: [card] });
    const details = press(escalation, `act:${actionId}:card`, 'bragbot.details');
    await interaction(details);
    const shown = JSON.stringify((await fake.waitFor(() => responsesTo(details.response_url)[0])).body.blocks);
    expect(shown).toContain(unit());
    expect(shown).toContain(`${instant.day} ${instant.hhmm}, Jo Demo (slack)`);

    seq += 1;
    const list = fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'DJODEMO', USER_ID: JO_SLACK, COMMAND: '/brag', TEXT: '', RESPONSE_URL: fake.responseUrl(`brag-${seq}`), TRIGGER_ID: `trigger-brag-${seq}`,
    });
    await form(list);
    const bragList = await fake.waitFor(() => responsesTo(list.response_url!)[0]);
    expect(JSON.stringify(bragList.body.blocks)).toContain(`*${unit()}*`);

    const snoozeOn = await slackSend({ kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo Demo', actions: [(await getActionCard(running.database.db, running.workspaceId, actionId, instant.londonDate))!] });
    await interaction(press(snoozeOn, `act:${actionId}:buttons`, 'bragbot.snooze'));
    const snoozed = await fake.waitFor(() => {
      const m = fake.messages.get(`${snoozeOn.channel}:${snoozeOn.ts}`)!;
      return sectionText(m, actionId).includes('Snoozed') ? m : undefined;
    });
    expect(sectionText(snoozed, actionId)).toContain(`Snoozed until ${instant.snoozedUntil}`);
  }, 30_000);

  it('Teams: the nudge card after a click and "my actions" agree', async () => {
    const card = (await getActionCard(running.database.db, running.workspaceId, actionId, instant.londonDate))!;
    const port = running.ports.find((p) => p.platform === 'teams')!;
    const to = await resolveAddress(running.database.db, { personId: joId, groupId: null, platform: 'teams' });
    const since = teams.events.length;
    const sent = await port.send(to, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo Demo', actions: [card] });
    const arrived = cardOf(await teams.waitFor((e) => e.action === 'createMessage' && e.message?.messageId === sent.providerMessageId, { since }));
    expect(textOf(arrived)).toContain(`**${unit()}**`);
    const current = (await running.database.db.action.findUniqueOrThrow({ where: { id: actionId } })).brag;
    const button = actionsOf(arrived).find((x) => x.verb === 'brag' && x.data?.a === actionId && x.data?.b === (current === 'amber' ? 'red' : 'amber'))!;
    const scope = inputsOf(arrived).find((i) => i.id === 'bb_scope')!;
    const res = await teams.invoke(sent.providerMessageId, { verb: button.verb!, data: { ...button.data, bb_scope: scope.value } });
    expect(textOf(res.value)).toContain(`**${unit()}**`);
    expect(textOf(res.value)).toContain(`by Jo Demo at ${instant.hhmm}`);

    const before = teams.events.length;
    await teams.say('my actions');
    const mine = textOf(cardOf(await teams.waitFor((e) => e.action === 'createMessage' && textOf(cardOf(e)).includes('Your open actions'), { since: before })));
    expect(mine).toMatch(new RegExp(`\\*\\*CLK\\*\\* · Clock check: one count everywhere\\n.* · Due 26 Feb 2021 · \\*\\*${unit()}\\*\\*`));
  }, 30_000);

  it('the highlight report is as at the same London date, with the same count', async () => {
    const { report } = await generateReport(running.database.db, { workspaceId: running.workspaceId, groupSlug: DEMO_GROUP, requestedBy: 'test', now: clock() });
    expect(report.content.asOfDate).toBe(instant.londonDate);
    expect(report.content.plan.overdue.find((o) => o.ref === 'CLK')?.daysOverdue).toBe(instant.working);
    const md = (await renderReport(report, 'md')).body as string;
    expect(md).toContain(`as at ${instant.longDate}`);
    expect(md).toMatch(new RegExp(`\\| CLK \\| Clock check: one count everywhere \\| Jo Demo \\| 26/02/21 \\| ${instant.working} \\|`));
  });

  it('the CLI, another process, reads the deployment’s clock: same date, same count', async () => {
    const list = JSON.parse(await cli('actions', '--group', DEMO_GROUP, '--overdue', '--json')) as { asOf: string; actions: { ref: string; daysOverdue: number }[] };
    expect(list.asOf).toBe(instant.londonDate);
    expect(list.actions.find((a) => a.ref === 'CLK')?.daysOverdue).toBe(instant.working);
    expect(await cli('actions', '--group', DEMO_GROUP, '--overdue')).toMatch(new RegExp(`CLK .*${unit().toUpperCase()}`));
  }, 30_000);
});
