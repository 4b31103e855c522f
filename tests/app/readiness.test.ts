/**
 * Readiness as a function of its checks: every check must pass, a check that hangs or throws
 * makes the bot not ready (saying which and why) instead of hanging the probe, and a bot that
 * is shutting down is not ready whatever its checks say.
 */
import { describe, expect, it } from 'vitest';
import { checkReadiness } from '../../src/app/ops-server.js';

describe('checkReadiness', () => {
  it('is ready when every check passes', async () => {
    expect(await checkReadiness({ database: () => ({ ok: true, detail: 'sqlite' }), slack: async () => ({ ok: true }) }, false)).toEqual({
      ready: true,
      draining: false,
      checks: { database: { ok: true, detail: 'sqlite' }, slack: { ok: true } },
    });
  });

  it('names a failing, throwing or hanging check, within the time limit', async () => {
    const r = await checkReadiness(
      {
        database: () => Promise.reject(new Error('Invalid `prisma.$queryRawUnsafe()` invocation:\n\nCan\'t reach database server at 10.0.0.5:5432')),
        migrations: () => ({ ok: false, detail: 'not applied: 0002_audit' }),
        teams: () => new Promise(() => undefined),
        slack: () => ({ ok: true }),
      },
      false,
      100,
    );
    expect(r).toEqual({
      ready: false,
      draining: false,
      checks: {
        database: { ok: false, detail: "Can't reach database server at 10.0.0.5:5432" },
        migrations: { ok: false, detail: 'not applied: 0002_audit' },
        teams: { ok: false, detail: 'no answer within 100 ms' },
        slack: { ok: true },
      },
    });
  });

  it('is not ready while draining, even with every check passing', async () => {
    expect(await checkReadiness({ database: () => ({ ok: true }) }, true)).toMatchObject({ ready: false, draining: true, checks: { database: { ok: true } } });
  });
});
