/**
 * What `serve` tells Prometheus (GET /metrics on OPS_PORT). One registry per running bot, so
 * tests can run several in one process; every series carries `replica` (INSTANCE_ID), which is
 * how "who claimed the tick" and "who sent it" read across replicas.
 *
 * Counters are this process's own events (planned = rows this replica wrote to the outbox;
 * sent/failed/retried = attempts this replica's dispatcher made). The outbox gauges are read
 * from the database at scrape time, so every replica reports the same, shared outbox.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/client.js';
import type { DeliveryEvent } from '../delivery/dispatcher.js';
import type { CycleReport } from '../scheduling/cycle.js';

export interface Metrics {
  registry: Registry;
  planned(report: CycleReport): void;
  delivery(e: DeliveryEvent): void;
  acked(platform: 'slack' | 'teams', kind: string, seconds: number): void;
  tick(result: 'planned' | 'skipped' | 'failed', trigger: string): void;
}

export interface MetricSources {
  db: Db;
  clock: () => Date;
  /** Acknowledged work still running, per platform (Slack's post-ack queue; Teams' activities in hand). */
  inFlight: () => Partial<Record<'slack' | 'teams', number>>;
  ready: () => boolean;
  /** Clicks written to the inbox (acknowledged) and not finished yet: the post-ack queue. */
  inboxDepth?: () => number;
}

/** Slack allows 3 s for an acknowledgement; a person sees nothing before it. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];

export function createMetrics(replica: string, sources: MetricSources): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ replica });
  collectDefaultMetrics({ register: registry, prefix: 'bragbot_' });

  const planned = new Counter({ name: 'bragbot_messages_planned_total', help: 'Messages this replica planned and wrote to the outbox, by kind (undeliverable ones are also counted as failed).', labelNames: ['kind'], registers: [registry] });
  const undeliverable = new Counter({ name: 'bragbot_messages_undeliverable_total', help: 'Planned messages nobody can receive (no chat id, no channel), stored as failed at once.', labelNames: ['kind'], registers: [registry] });
  const sent = new Counter({ name: 'bragbot_messages_sent_total', help: 'Messages delivered, by route (platform) and kind; recovering=true when an earlier attempt may have arrived and the port looked first.', labelNames: ['platform', 'kind', 'recovering'], registers: [registry] });
  const failed = new Counter({ name: 'bragbot_messages_failed_total', help: 'Messages that failed for good (a permanent platform answer, or retries exhausted), by route and kind.', labelNames: ['platform', 'kind'], registers: [registry] });
  const retried = new Counter({ name: 'bragbot_messages_retried_total', help: 'Attempts put back for later, by route and reason (rate-limited, transient, timeout, database, unrecorded).', labelNames: ['platform', 'reason'], registers: [registry] });
  const acks = new Histogram({ name: 'bragbot_ack_seconds', help: 'From receiving a Slack request (or Teams activity) to acknowledging it, by platform and kind.', labelNames: ['platform', 'kind'], buckets: ACK_BUCKETS, registers: [registry] });
  const ticks = new Counter({ name: 'bragbot_scheduler_ticks_total', help: 'Scheduler ticks on this replica: planned (this replica claimed the tick), skipped (another replica had it), failed.', labelNames: ['result', 'trigger'], registers: [registry] });
  const lastPlanned = new Gauge({ name: 'bragbot_scheduler_last_planned_timestamp_seconds', help: 'When this replica last claimed a tick and planned (Unix time).', registers: [registry] });

  new Gauge({
    name: 'bragbot_post_ack_in_flight',
    help: 'Acknowledged work still running (Slack: clicks acknowledged and being recorded; Teams: activities being answered).',
    labelNames: ['platform'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [platform, n] of Object.entries(sources.inFlight())) this.set({ platform }, n ?? 0);
    },
  });
  new Gauge({
    name: 'bragbot_inbox_depth',
    help: 'Clicks written to the inbox and acknowledged that this replica has not finished yet (the post-ack queue; what a crash leaves is finished by the next process).',
    registers: [registry],
    collect() {
      this.set(sources.inboxDepth?.() ?? 0);
    },
  });
  new Gauge({
    name: 'bragbot_ready',
    help: '1 when /readyz would answer 200 (database, migrations and chat adapters checked at the last probe), 0 while starting or shutting down.',
    registers: [registry],
    collect() {
      this.set(sources.ready() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'bragbot_outbox_messages',
    help: 'Outbox rows waiting (pending), being sent (sending) or failed, by route: the outbox depth is pending + sending.',
    labelNames: ['platform', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      // The database down must not take /metrics down with it: the series are missing, bragbot_ready says why.
      const rows = await sources.db.outboxMessage.groupBy({ by: ['platform', 'status'], where: { status: { in: ['pending', 'sending', 'failed'] } }, _count: { _all: true } }).catch(() => []);
      for (const r of rows) this.set({ platform: r.platform, status: r.status }, r._count._all);
    },
  });
  new Gauge({
    name: 'bragbot_outbox_oldest_due_seconds',
    help: 'How long the oldest message that is due (its quiet hours over) has been waiting, by route; 0 when none is due.',
    labelNames: ['platform'],
    registers: [registry],
    async collect() {
      const now = sources.clock();
      this.reset();
      const rows = await sources.db.outboxMessage.groupBy({ by: ['platform'], where: { status: { in: ['pending', 'sending'] }, notBefore: { lte: now } }, _min: { notBefore: true } }).catch(() => []);
      for (const r of rows) this.set({ platform: r.platform }, r._min.notBefore ? Math.max(0, (now.getTime() - r._min.notBefore.getTime()) / 1000) : 0);
    },
  });

  return {
    registry,
    planned(report) {
      const kinds = new Map(report.plan.messages.map((m) => [m.idempotencyKey, m.kind]));
      for (const key of report.written.inserted) planned.inc({ kind: kinds.get(key) ?? 'unknown' });
      for (const key of report.written.undeliverable) {
        planned.inc({ kind: kinds.get(key) ?? 'unknown' });
        undeliverable.inc({ kind: kinds.get(key) ?? 'unknown' });
      }
    },
    delivery(e) {
      if (e.outcome === 'sent') sent.inc({ platform: e.platform, kind: e.kind, recovering: String(e.recovering ?? false) });
      else if (e.outcome === 'failed') failed.inc({ platform: e.platform, kind: e.kind });
      else retried.inc({ platform: e.platform, reason: e.reason ?? 'transient' });
    },
    acked(platform, kind, seconds) {
      acks.observe({ platform, kind }, seconds);
    },
    tick(result, trigger) {
      ticks.inc({ result, trigger });
      if (result === 'planned') lastPlanned.set(sources.clock().getTime() / 1000);
    },
  };
}
