/**
 * `bragbot nudges plan|run` as a chair runs it: the real binary on York's imported plan.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { addMember, getGroupBySlug } from '../../src/services/groups.js';
import { setOwners, upsertPerson } from '../../src/services/people.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { bragbotCli, ROOT } from '../support/cli.js';

const cli = bragbotCli({ prefix: 'bragbot-nudges-cli-', env: { BRAGBOT_WORKSPACE: 'york' } });
const { dir, databaseUrl: url } = cli;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bragbot = cli.stdoutOf;

interface PlanJson {
  asOf: string;
  groups: { slug: string; today: string; overdue: { ref: string; workingDaysOverdue: number; owners: string[] }[] }[];
  messages: { idempotencyKey: string; kind: string; to: { name?: string }; platform: string; alreadyPlanned: boolean; actions: { ref: string | null; reasons: string[] }[]; text: string }[];
  unrouted: { ref: string | null; reason: string }[];
}

const YORK_OVERDUE_2021_07_01 = ['1', '2', '9', '21', '22', '25', '29', '30', '31', '35', '36', '37', '44', '45', '46', '47'];

describe('bragbot nudges', () => {
  it('lists York’s overdue actions as of 1 July 2021, then runs one cycle through the console exactly once', async () => {
    await bragbot('import', join(ROOT, 'tests', 'fixtures', 'plans', 'york-2021.csv'), '--group', 'york-ops', '--json');
    const plan = JSON.parse(await bragbot('nudges', 'plan', '--as-of', '2021-07-01T09:00:00+01:00', '--json')) as PlanJson;
    expect(plan.asOf).toBe('2021-07-01T08:00:00.000Z');
    expect(plan.groups.map((g) => [g.slug, g.today])).toEqual([['york-ops', '2021-07-01']]);
    expect(plan.groups[0]!.overdue.map((a) => a.ref)).toEqual(YORK_OVERDUE_2021_07_01);
    // York names agencies, not people, for these: nobody to nudge, and the plan says so.
    expect(plan.messages).toEqual([]);
    expect(plan.unrouted.filter((u) => u.reason === 'overdue').map((u) => u.ref)).toEqual(YORK_OVERDUE_2021_07_01);

    // A chair and an owner for ref 1, as `bragbot people` / `groups member` would add them.
    const database = await openDatabase(url);
    try {
      const ws = await database.db.workspace.findUniqueOrThrow({ where: { slug: 'york' } });
      const group = await getGroupBySlug(database.db, ws.id, 'york-ops');
      const chair = await upsertPerson(database.db, ws.id, { name: 'Asha Chair' });
      const owner = await upsertPerson(database.db, ws.id, { name: 'Olu Owner' });
      await addMember(database.db, group.id, chair.id, 'chair');
      const ref1 = await database.db.action.findFirstOrThrow({ where: { groupId: group.id, ref: '1' } });
      await setOwners(database.db, ref1.id, [owner.id]);
    } finally {
      await database.close();
    }

    const ran = JSON.parse(await bragbot('nudges', 'run', '--as-of', '2021-07-01T09:00:00+01:00', '--json')) as Record<string, unknown>;
    expect(ran).toMatchObject({ planned: 1, inserted: 1, alreadyPlanned: 0, undeliverable: 0, sent: 1, failed: 0, waiting: 0 });

    // A week later the nudge is due again (5 working days); the run's message is history, not repeated today.
    const later = JSON.parse(await bragbot('nudges', 'plan', '--as-of', '2021-07-08T09:00:00+01:00', '--json')) as PlanJson;
    expect(later.messages.map((m) => [m.idempotencyKey.split(':')[0], m.kind, m.to.name, m.platform, m.alreadyPlanned, m.actions.map((a) => [a.ref, a.reasons])])).toEqual([
      ['nudge', 'overdue', 'Olu Owner', 'console', false, [['1', ['overdue']]]],
    ]);
    expect(later.messages[0]!.text).toContain('6 working days overdue');
    expect(later.groups[0]!.overdue[0]).toMatchObject({ ref: '1', workingDaysOverdue: 6, owners: ['Olu Owner'] });
  }, 60_000);

  it('plan --as-of shows the plan as it stood then: a later click does not take an action off that day', async () => {
    const database = await openDatabase(url);
    try {
      const ws = await database.db.workspace.findUniqueOrThrow({ where: { slug: 'york' } });
      const officer = await upsertPerson(database.db, ws.id, { name: 'Asha Officer', isAdmin: true });
      const action = await database.db.action.findFirstOrThrow({ where: { ref: '29', group: { slug: 'york-ops' } } });
      await recordUpdate(database.db, { workspaceId: ws.id, actionId: action.id, personId: officer.id, channel: 'teams', brag: 'blue', note: 'Signed off', idempotencyKey: 'as-of-29', now: new Date('2021-07-05T10:00:00Z') });
    } finally {
      await database.close();
    }
    const then = JSON.parse(await bragbot('nudges', 'plan', '--as-of', '2021-07-01T09:00:00+01:00', '--json')) as PlanJson;
    expect(then.groups[0]!.overdue.map((a) => a.ref)).toEqual(YORK_OVERDUE_2021_07_01);
    const after = JSON.parse(await bragbot('nudges', 'plan', '--as-of', '2021-07-06', '--json')) as PlanJson;
    expect(after.groups[0]!.overdue.map((a) => a.ref)).not.toContain('29');
  });

  it('run refuses, saying why, when Slack is configured, and writes nothing', async () => {
    const slackEnv = { SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'signing-secret-for-tests' };
    const attempt = (...args: string[]) => cli.bragbotWith(slackEnv, 'nudges', 'run', ...args);
    const countOutbox = async () => {
      const database = await openDatabase(url);
      try {
        return await database.db.outboxMessage.count();
      } finally {
        await database.close();
      }
    };
    const before = await countOutbox();
    const asOf = await attempt('--as-of', '2021-07-01T09:00');
    expect(asOf.code).toBe(2);
    expect(asOf.stderr).toContain('sends nothing while Slack or Teams is configured');
    expect(asOf.stderr).toContain('bragbot nudges plan --as-of 2021-07-01T09:00');
    const now = await attempt();
    expect(now.code).toBe(2);
    expect(now.stderr).toContain('sent by `bragbot serve`');
    expect(await countOutbox()).toBe(before);
  });
});
