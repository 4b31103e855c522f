/**
 * The composition root as `bragbot serve` / `npm run demo` run it, minus the chat platforms:
 * embedded SQLite, the demo plan, the scheduler planning as of a July 2021 morning, and the
 * console port delivering the demo owner's nudge exactly once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBragbot } from '../../src/app/serve.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logging.js';
import { DEMO_GROUP } from '../../src/services/demo.js';

describe('startBragbot', () => {
  it('loads the demo into an empty database, plans and sends through the console, and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bragbot-serve-'));
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'serve.db')}`, SCHEDULER_CRON: '0 0 1 1 *', DISPATCH_INTERVAL_MS: '100000', OPS_PORT: '0', OPS_HOST: '127.0.0.1' });
    const asOf = new Date('2021-07-01T08:00:00Z');
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    let jo: { id: string };
    const running = await startBragbot({ config, logger: silentLogger, demo: {}, clock: () => asOf });
    try {
      expect(running.ports.map((p) => p.platform)).toEqual(['console']);
      const report = await running.scheduler!.ready;
      expect(report).not.toBeNull();
      const db = running.database.db;
      expect(await db.action.count({ where: { group: { slug: DEMO_GROUP } } })).toBe(48);
      jo = await db.person.findFirstOrThrow({ where: { name: 'Jo Demo' } });
      const toJo = await db.outboxMessage.findMany({ where: { personId: jo.id } });
      expect(toJo.map((m) => m.kind)).toEqual(['overdue']);
      // Capture the console port's output while draining the outbox.
      process.stdout.write = ((chunk: string | Uint8Array) => (printed.push(String(chunk)), true)) as typeof process.stdout.write;
      try {
        await running.scheduler!.dispatcher.drain();
      } finally {
        process.stdout.write = write;
      }
      const sent = await db.outboxMessage.findUniqueOrThrow({ where: { id: toJo[0]!.id } });
      expect(sent.status).toBe('sent');
      expect(printed.join('')).toContain('Jo Demo');
      // A second start on the same database loads nothing again and plans nothing new for the same day.
      await running.stop();
      const again = await startBragbot({ config, logger: silentLogger, demo: {}, clock: () => asOf });
      try {
        await again.scheduler!.ready;
        expect(await again.database.db.action.count()).toBe(48);
        expect(await again.database.db.outboxMessage.count({ where: { personId: jo.id } })).toBe(1);
      } finally {
        await again.stop();
      }
    } finally {
      process.stdout.write = write;
      await running.stop().catch(() => undefined);
    }
  }, 60_000);
});
