/**
 * A graceful close for a node:http server: stop accepting connections, let the requests already
 * being handled finish (up to a grace period), answer any that still arrive on an open
 * keep-alive connection with `Connection: close`, and only then cut what is left. A Teams click
 * (Action.Execute) is answered only when its handler has recorded it, so cutting connections at
 * once, as server.closeAllConnections() did, could drop a click in the middle of being recorded.
 */
import type { Server } from 'node:http';

export interface TrackedServer {
  /** Requests being handled now. */
  readonly active: number;
  /** Resolves true if every request finished within graceMs, false if some were cut. */
  close(graceMs: number): Promise<boolean>;
}

export function trackRequests(server: Server): TrackedServer {
  let active = 0;
  let closing = false;
  let waiters: (() => void)[] = [];
  server.on('request', (_req, res) => {
    active += 1;
    if (closing && !res.headersSent) res.setHeader('connection', 'close');
    res.once('close', () => {
      active -= 1;
      if (!closing) return;
      server.closeIdleConnections();
      if (active === 0) for (const w of waiters.splice(0)) w();
    });
  });
  return {
    get active() {
      return active;
    },
    async close(graceMs: number): Promise<boolean> {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const finished =
        active === 0 ||
        (await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), graceMs);
          waiters.push(() => {
            clearTimeout(timer);
            resolve(true);
          });
        }));
      waiters = [];
      server.closeAllConnections();
      await closed;
      return finished;
    },
  };
}
