/**
 * The operations endpoints of `serve`, on their own port (OPS_PORT) so that probes and the
 * Prometheus scraper never go through the public reverse proxy, and the proxy never exposes them:
 *
 * - GET /healthz: alive (the event loop answers). 200 until the process exits, draining included:
 *   a liveness probe that failed during a drain would have the process killed mid-drain.
 * - GET /readyz: ready for traffic. 200 when the database answers, every migration this code
 *   knows is applied, and each configured chat adapter is connected; 503 with the failing checks
 *   otherwise, and from the moment a shutdown starts (the load balancer stops sending first).
 * - GET /metrics: Prometheus text format (src/app/metrics.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { BragbotError } from '../core/errors.js';
import { trackRequests } from '../http/graceful.js';
import type { Logger } from '../logging.js';

export interface CheckResult {
  ok: boolean;
  /** What is wrong, or a useful fact (the provider, the mode); never a secret. */
  detail?: string;
}

export type ReadinessCheck = () => Promise<CheckResult> | CheckResult;

export interface Readiness {
  ready: boolean;
  draining: boolean;
  checks: Record<string, CheckResult>;
}

/** Runs every check at once, each with a time limit: a hung database is "not ready", not a hung probe. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, draining: boolean, timeoutMs = 2_000): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        const result = await Promise.race([Promise.resolve().then(check), timeout]);
        return [name, result];
      } catch (e) {
        return [name, { ok: false, detail: e instanceof Error ? e.message.split('\n').filter(Boolean).at(-1) ?? e.name : String(e) }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { ready: !draining && entries.every(([, r]) => r.ok), draining, checks: results };
}

export interface OpsServerOptions {
  host: string;
  port: number;
  logger: Logger;
  registry: Registry;
  readiness: () => Promise<Readiness>;
}

export interface OpsServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const log = o.logger.child({ component: 'ops-http' });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only\n');
    if (path === '/healthz') return send(res, 200, 'application/json', `${JSON.stringify({ ok: true })}\n`);
    if (path === '/readyz') {
      const r = await o.readiness();
      return send(res, r.ready ? 200 : 503, 'application/json', `${JSON.stringify(r)}\n`);
    }
    if (path === '/metrics') return send(res, 200, o.registry.contentType, await o.registry.metrics());
    return send(res, 404, 'text/plain', 'not found: /healthz, /readyz, /metrics\n');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error({ err }, 'ops endpoint failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'error\n');
      else res.end();
    });
  });
  const requests = trackRequests(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new BragbotError('CONFIG_INVALID', `cannot listen on ${o.host}:${o.port} for /healthz, /readyz and /metrics (${e.message}): set OPS_PORT to a free port.`)));
    server.listen(o.port, o.host, () => {
      server.removeAllListeners('error');
      server.on('error', (err) => log.error({ err }, 'ops server error'));
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host}:${port}`;
  log.info({ port, host: o.host }, 'ops: /healthz, /readyz and /metrics listening');
  return { url, server, stop: async () => void (await requests.close(2_000)) };
}
