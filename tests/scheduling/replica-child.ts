/**
 * One bragbot replica for tests/scheduling/replicas.test.ts, run as its own process
 * (`npx tsx tests/scheduling/replica-child.ts`): the real scheduler and dispatcher on the shared
 * PostgreSQL database, with a ChatPort that appends every delivery to a table the test counts.
 *
 * Environment: DATABASE_URL, INSTANCE_ID, WORKSPACE_ID, AS_OF (the planner's now), LEASE_MS,
 * HANG_AFTER (optional: after the platform has accepted its Nth message, record a mark and never
 * answer, so the test can SIGKILL it in the worst window: delivered but not yet marked sent).
 */
import pg from 'pg';
import { runningClock } from '../../src/clock.js';
import type { ChatAddress, ChatPort, OutboundMessage, SendContext, SendResult } from '../../src/core/chat.js';
import { openDatabase } from '../../src/db/client.js';
import { createLogger } from '../../src/logging.js';
import { startScheduler } from '../../src/scheduling/scheduler.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
const instance = env('INSTANCE_ID');
const hangAfter = Number(process.env.HANG_AFTER ?? '0');

const log = new pg.Client({ connectionString: env('DATABASE_URL') });
await log.connect();

/** A platform that remembers what it accepted, by idempotency key, like Slack message metadata would. */
class LoggingPort implements ChatPort {
  readonly platform = 'console' as const;
  private accepted = 0;

  async send(_to: ChatAddress, _message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    const key = context?.idempotencyKey ?? '(none)';
    if (context?.recovering) {
      const prior = await log.query<{ provider_id: string }>('SELECT provider_id FROM send_log WHERE key = $1 LIMIT 1', [key]);
      if (prior.rows[0]) {
        await log.query('INSERT INTO recoveries (key, instance, found) VALUES ($1, $2, true)', [key, instance]);
        return { providerMessageId: prior.rows[0].provider_id };
      }
      await log.query('INSERT INTO recoveries (key, instance, found) VALUES ($1, $2, false)', [key, instance]);
    }
    const providerId = `${instance}-${key}`;
    await log.query('INSERT INTO send_log (key, instance, provider_id) VALUES ($1, $2, $3)', [key, instance, providerId]);
    this.accepted += 1;
    if (hangAfter > 0 && this.accepted === hangAfter) {
      await log.query('INSERT INTO marks (instance, key) VALUES ($1, $2)', [instance, key]);
      await new Promise(() => undefined); // the platform has it; we never hear back
    }
    await new Promise((r) => setTimeout(r, 15)); // network time before the answer
    return { providerMessageId: providerId };
  }
}

const database = await openDatabase(env('DATABASE_URL'));
const asOf = new Date(env('AS_OF'));
const scheduler = startScheduler({
  db: database.db,
  provider: database.provider,
  config: { SCHEDULER_CRON: '* * * * * *', DISPATCH_INTERVAL_MS: 50, INSTANCE_ID: instance },
  logger: createLogger('warn'),
  ports: [new LoggingPort()],
  workspaceId: env('WORKSPACE_ID'),
  // Starts at AS_OF and runs: leases must expire for the survivors to take a killed replica's claims.
  clock: runningClock(asOf, new Date()),
  leaseMs: Number(process.env.LEASE_MS ?? '4000'),
  minGapMs: 0,
});
await scheduler.ready;
process.stdout.write(`ready ${instance}\n`);

process.on('SIGTERM', () => {
  void (async () => {
    await scheduler.stop();
    await database.close();
    await log.end();
    process.exit(0);
  })();
});
