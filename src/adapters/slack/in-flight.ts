/**
 * Work still running after Slack was acknowledged (a click is acked first, recorded after).
 * A shutdown waits for it, so a deploy or a Ctrl-C never drops a click that Slack was told
 * we received. Counted in a global middleware: Bolt's `next()` resolves when the listeners finish.
 */
import type { App } from '@slack/bolt';

export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  track(app: App): void {
    app.use(async ({ next }) => {
      this.count += 1;
      try {
        await next();
      } finally {
        this.count -= 1;
        if (this.count === 0) for (const w of this.waiters.splice(0)) w();
      }
    });
  }

  /** Resolves true when nothing is running, or false after timeoutMs with work still running. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}
