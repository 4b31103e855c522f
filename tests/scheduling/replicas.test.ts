/**
 * Three replicas (child processes: tests/scheduling/replica-child.ts) run the same schedule
 * against one PostgreSQL database; one is killed with SIGKILL after the platform accepted a
 * message and before it recorded "sent", and is restarted. Every planned message must be
 * delivered exactly once. PostgreSQL only: it is the replicated set-up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { RECOVERED_PREFIX } from '../../src/delivery/dispatcher.js';
import { planCycle } from '../../src/scheduling/cycle.js';
import { addMeeting, addMember, setGroupChannel } from '../../src/services/groups.js';
import { createTestDatabaseUrl, postgresAvailable } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHILD = join(import.meta.dirname, 'replica-child.ts');
const AS_OF = DateTime.fromISO('2021-07-01T10:00', { zone: 'Europe/London' }).toJSDate();
const OWNERS = 30;

const children: ChildProcess[] = [];
const signal = (c: ChildProcess, sig: NodeJS.Signals) => {
  try {
    process.kill(-c.pid!, sig);
  } catch {
    // already gone
  }
};
afterAll(() => {
  for (const c of children) signal(c, 'SIGKILL');
});

function spawnReplica(url: string, workspaceId: string, instance: string, extra: Record<string, string> = {}): ChildProcess {
  const child = spawn('npx', ['tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, INSTANCE_ID: instance, WORKSPACE_ID: workspaceId, AS_OF: AS_OF.toISOString(), LEASE_MS: '3000', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: `npx` starts node as a child, and a signal must reach the replica itself.
    detached: true,
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') process.stderr.write(`[replica ${instance}] exited ${code}: ${err.slice(-2000)}\n`);
  });
  children.push(child);
  return child;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (c: ChildProcess) => new Promise<void>((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve() : c.once('exit', () => resolve())));

describe.skipIf(!(await postgresAvailable()))('three replicas on one PostgreSQL, one killed mid-dispatch', () => {
  it('delivers every planned message exactly once', async () => {
    const { url, drop } = await createTestDatabaseUrl('postgresql');
    const database = await openDatabase(url);
    const log = new pg.Client({ connectionString: url });
    await log.connect();
    try {
      const db = database.db;
      const workspaceId = await makeWorkspace(db);
      const group = await makeGroup(db, workspaceId, { slug: 'ops' });
      const chair = await makePerson(db, workspaceId, { name: 'Asha Chair' });
      await addMember(db, group.id, chair.id, 'chair');
      // A meeting next week: every owner is asked for an update too, and the group's thread opens.
      await addMeeting(db, group.id, '2021-07-06');
      await setGroupChannel(db, group.id, { platform: 'slack', conversationId: 'CGROUP' });
      for (let i = 0; i < OWNERS; i += 1) {
        const owner = await makePerson(db, workspaceId, { name: `Owner ${String(i).padStart(2, '0')}` });
        await makeAction(db, group.id, { dueDate: '2021-06-30', ownerIds: [owner.id], lastUpdatedAt: new Date('2021-06-01T10:00:00Z') });
      }
      await log.query('CREATE TABLE send_log (id serial PRIMARY KEY, key text NOT NULL, instance text NOT NULL, provider_id text NOT NULL, at timestamptz NOT NULL DEFAULT now())');
      await log.query('CREATE TABLE recoveries (key text NOT NULL, instance text NOT NULL, found boolean NOT NULL)');
      await log.query('CREATE TABLE marks (instance text NOT NULL, key text NOT NULL)');

      // What the plan is, computed here with the same pure planner the replicas run.
      const expected = (await planCycle(db, { workspaceId, now: AS_OF })).messages.map((m) => m.idempotencyKey).sort();
      expect(expected).toHaveLength(OWNERS + 1); // a nudge per owner and the thread-open

      const doomed = spawnReplica(url, workspaceId, 'r1', { HANG_AFTER: '3' });
      const hung = await until('r1 to hang after a delivery', async () => (await log.query<{ key: string }>('SELECT key FROM marks')).rows[0]?.key, 30_000);
      const others = [spawnReplica(url, workspaceId, 'r2'), spawnReplica(url, workspaceId, 'r3')];
      signal(doomed, 'SIGKILL');
      await exited(doomed);
      const restarted = spawnReplica(url, workspaceId, 'r1b');

      await until(
        'every outbox row to be sent',
        async () => {
          const rows = await db.outboxMessage.groupBy({ by: ['status'], _count: true });
          const sent = rows.find((r) => r.status === 'sent')?._count ?? 0;
          return sent === expected.length && rows.every((r) => r.status === 'sent');
        },
        45_000,
      );
      const live = [...others, restarted];
      live.forEach((c) => signal(c, 'SIGTERM'));
      await Promise.all(live.map(exited));

      const outbox = await db.outboxMessage.findMany({ orderBy: { idempotencyKey: 'asc' } });
      expect(outbox.map((r) => r.idempotencyKey)).toEqual(expected);
      const deliveries = (await log.query<{ key: string; n: number }>('SELECT key, count(*)::int AS n FROM send_log GROUP BY key ORDER BY key')).rows;
      expect(deliveries.map((d) => d.key)).toEqual(expected);
      expect(deliveries.filter((d) => d.n !== 1)).toEqual([]);
      // Each row records the delivery the platform has.
      const providerIds = new Map((await log.query<{ key: string; provider_id: string }>('SELECT key, provider_id FROM send_log')).rows.map((r) => [r.key, r.provider_id]));
      expect(outbox.filter((r) => r.providerMessageId !== providerIds.get(r.idempotencyKey))).toEqual([]);

      // The kill landed where it hurts: the hung message was delivered, then taken over as a possible repeat
      // and found already delivered rather than posted again.
      const hungRow = outbox.find((r) => r.idempotencyKey === hung)!;
      expect(hungRow.lastError?.startsWith(`${RECOVERED_PREFIX}previous claim r1#`)).toBe(true);
      const recoveries = (await log.query<{ key: string; found: boolean }>('SELECT key, found FROM recoveries')).rows;
      expect(recoveries.filter((r) => r.key === hung)).toEqual([{ key: hung, found: true }]);
      // Several replicas did the work.
      const instances = (await log.query<{ instance: string }>('SELECT DISTINCT instance FROM send_log')).rows.map((r) => r.instance);
      expect(instances.length).toBeGreaterThanOrEqual(2);
    } finally {
      await log.end();
      await database.close();
      await drop();
    }
  }, 90_000);
});
