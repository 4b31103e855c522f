/**
 * The cycle plans group by group from the database (issue 16 pt 3): the loader reads a group
 * only when the planner asks for it, and the streamed plan is the plan of the whole snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planNudges } from '../../src/core/planner/plan.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { planCycle } from '../../src/scheduling/cycle.js';
import { loadPlanContext, loadPlanGroups, loadPlanSnapshot } from '../../src/scheduling/load-snapshot.js';
import { addMember } from '../../src/services/groups.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { createTestDatabaseUrl } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';

const NOW = new Date('2021-07-05T09:00:00Z'); // a Monday morning: digests, nudges and an update round

describe('streamed planning', () => {
  let database: Database;
  let drop: () => Promise<void>;
  let workspaceId: string;
  const statements: string[] = [];

  beforeAll(async () => {
    const made = await createTestDatabaseUrl('sqlite');
    drop = made.drop;
    database = await openDatabase(made.url, { onStatement: (sql) => statements.push(sql) });
    const db = database.db;
    workspaceId = await makeWorkspace(db, 'streamed');
    await makePerson(db, workspaceId, { name: 'Maya Manager' });
    // One owner with actions in all three groups: her nudge and her manager's digest span them.
    const owner = await makePerson(db, workspaceId, { name: 'Olu Owner', manager: 'Maya Manager' });
    for (const slug of ['alpha', 'bravo', 'charlie']) {
      const group = await makeGroup(db, workspaceId, { slug, name: `Group ${slug}`, cadence: 'monthly', cadenceAnchor: '2021-01-12' });
      const chair = await makePerson(db, workspaceId, { name: `Chair of ${slug}` });
      await addMember(db, group.id, chair.id, 'chair');
      for (let i = 1; i <= 4; i += 1) {
        const a = await makeAction(db, group.id, { ref: String(i), dueDate: i % 2 ? '2021-06-01' : '2021-07-07', brag: i === 3 ? 'red' : 'amber', ownerIds: [owner.id] });
        if (i === 4) await recordUpdate(db, { workspaceId, actionId: a.id, personId: owner.id, channel: 'cli', brag: 'red', note: 'Waiting on health', idempotencyKey: `red-${slug}`, now: new Date('2021-07-02T10:00:00Z') });
      }
    }
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('reads one group at a time, each only when the planner asks for the next', async () => {
    const options = { workspaceId, now: NOW };
    await loadPlanContext(database.db, options);
    const groups = loadPlanGroups(database.db, options);
    statements.length = 0;
    const first = await groups.next();
    expect(first.value?.slug).toBe('alpha');
    const afterFirst = statements.length;
    expect(afterFirst).toBeGreaterThan(0);
    // Nothing of bravo or charlie has been read yet: the next group's statements run only now.
    const second = await groups.next();
    expect(second.value?.slug).toBe('bravo');
    expect(statements.length).toBeGreaterThan(afterFirst);
    const rest = [];
    for await (const g of groups) rest.push(g.slug);
    expect(rest).toEqual(['charlie']);
  });

  it('plans the same messages, keys and recipients as planning the whole snapshot at once', async () => {
    const whole = planNudges(await loadPlanSnapshot(database.db, { workspaceId, now: NOW }), NOW);
    const streamed = await planCycle(database.db, { workspaceId, now: NOW });
    expect(whole.messages.length).toBeGreaterThan(3);
    // The owner's one nudge lists her actions from all three groups (overdue, or asked for in the open update round); Red turns escalate.
    expect(streamed.messages.find((m) => m.kind === 'overdue')?.actionIds).toHaveLength(12);
    expect(streamed.messages.some((m) => m.kind === 'escalation')).toBe(true);
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(whole));
  });
});
