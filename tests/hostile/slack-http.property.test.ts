/**
 * Hostile input over Slack's HTTP endpoint (/slack/events on the real Bolt receiver, real
 * database, FakeSlack for the Web API), with fast-check: malformed JSON and forms, wrong content
 * types, huge bodies, stale timestamps, forged signatures, and well-signed clicks on another
 * workspace's actions. Never a 5xx and never a crash (the receiver still answers afterwards);
 * a refused request is a 4xx with a log line; a signed click that must be refused is acknowledged
 * (Slack shows an error for anything else), records nothing, and tells the person why.
 */
import { pino } from 'pino';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type SlackRuntime } from '../../src/adapters/slack/index.js';
import { loadConfig } from '../../src/config.js';
import { FakeSlack, FAKE_TEAM_ID } from '../slack/fake-slack.js';
import { sign, signedPost } from '../slack/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeStandardGroup, makeWorkspace } from '../support/factories.js';

const SECRET = 'hostile-signing-secret-0123';
const NOW = new Date('2026-12-01T10:00:00Z');

describe('Slack /slack/events under hostile input', () => {
  let t: TestDatabase;
  let fake: FakeSlack;
  let slack: SlackRuntime;
  let url: string;
  let world: Awaited<ReturnType<typeof makeStandardGroup>>;
  let foreignActionId: string;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    world = await makeStandardGroup(t.db);
    // Another council's workspace, group and action in the same database.
    const otherWs = await makeWorkspace(t.db, 'other-council');
    const otherGroup = await makeGroup(t.db, otherWs, { slug: 'theirs' });
    const otherOwner = await makePerson(t.db, otherWs, { name: 'Olu Owner', slackUserId: 'UOWNER' });
    foreignActionId = (await makeAction(t.db, otherGroup.id, { brag: 'amber', ownerIds: [otherOwner.id] })).id;
    fake = await new FakeSlack().start();
    const config = loadConfig({ DATABASE_URL: t.url, SLACK_MODE: 'http', SLACK_BOT_TOKEN: 'xoxb-hostile', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl });
    const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
    slack = await startSlack({ config, db: t.db, workspaceId: world.workspaceId, logger, clock: () => NOW, httpPort: 0 });
    url = `${slack.url}/slack/events`;
  });
  afterAll(async () => {
    await slack?.stop();
    await fake?.stop();
    await t?.destroy();
  });

  const counts = async () => ({ updates: await t.db.statusUpdate.count(), actions: await t.db.action.count(), events: await t.db.inboundEvent.count() });
  const alive = async () => (await fetch(`${slack.url}/slack/healthz`)).status === 200;

  async function refusedWithLog(send: () => Promise<{ status: number }>, expected: (status: number) => boolean): Promise<void> {
    const before = lines.length;
    const res = await send();
    expect(res.status).toBeLessThan(500);
    expect(expected(res.status)).toBe(true);
    if (res.status >= 400) expect(lines.length).toBeGreaterThan(before);
  }

  const contentTypes = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-8', '');
  // Bodies that are not what Slack sends: they fail to parse (400) at once.
  const junk = fc.oneof(
    fc.string().filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }),
    fc.json({ maxDepth: 2 }).map((j) => j.slice(0, Math.max(0, j.length - 1))).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } }), // truncated JSON
    fc.string().filter((s) => s.length > 0 && !s.startsWith('%')).map((s) => `payload=${encodeURIComponent(`{${s}`)}`),
    fc.constantFrom('{', '{"type":', 'payload=%7B', '\u0000\u0001', 'a=1&a=2&payload=%5B', '<xml/>'),
  );
  // Bodies that parse but mean nothing to bragbot. Bolt alone left them unanswered (a 404 after
  // its 3-second timer), and a signed JSON `null` or `payload=null` got no answer at all; the
  // guard in front of it (src/adapters/slack/http-guard.ts) refuses them with a 400 at once.
  const meaningless = ['null', 'payload=null', '{}', '[]', '"text"', '42', 'true', '', '{"type":"block_actions"}', '{"type":"event_callback","event":{}}', 'payload=%7B%7D', 'payload=%5B%5D', 'token=x&command=%2Fbrag', 'a=1&a=2'];

  it('forged signatures and stale timestamps: 401 and a log line, nothing recorded', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(junk, contentTypes, fc.constantFrom('forged', 'wrong-secret', 'stale', 'missing'), async (body, type, how) => {
        const now = Math.floor(Date.now() / 1000);
        const o =
          how === 'forged' ? { signature: `v0=${'ab'.repeat(32)}` }
          : how === 'wrong-secret' ? { secret: 'not-the-secret-at-all' }
          : how === 'stale' ? { timestamp: now - 600, signature: sign(body, now - 600, SECRET) }
          : { headers: { 'x-slack-signature': '' } };
        await refusedWithLog(() => signedPost(url, body, type || 'application/octet-stream', { secret: SECRET, ...o }), (s) => s === 401);
      }),
      { numRuns: 60 },
    );
    expect(await counts()).toEqual(before);
    expect(await alive()).toBe(true);
  });

  it('well-signed malformed bodies and wrong content types: 4xx with a log line, never a 5xx', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(junk, contentTypes, async (raw, type) => {
        // Any string is a valid form, so a form body carries its junk in the payload field, as Slack's do.
        const body = type === 'application/x-www-form-urlencoded' && !raw.startsWith('payload=') ? `payload=${encodeURIComponent(`{${raw}`)}` : raw;
        await refusedWithLog(() => signedPost(url, body, type || 'application/octet-stream', { secret: SECRET }), (s) => s >= 400);
      }),
      { numRuns: 60 },
    );
    const sample = await signedPost(url, '{"type":', 'application/json', { secret: SECRET });
    expect(sample.status).toBe(400);
    expect(lines.some((l) => l.includes('request refused before Bolt') && l.includes('body is not JSON'))).toBe(true);
    // Parseable nonsense: every one a 400 (Bolt's own answer was a 404 after 3 s, or nothing).
    const answers = await Promise.all(meaningless.flatMap((body) => ['application/json', 'application/x-www-form-urlencoded'].map(async (type) => ({ body, type, status: (await signedPost(url, body, type, { secret: SECRET })).status }))));
    expect(answers.filter((a) => a.status !== 400)).toEqual([]);
    expect(await counts()).toEqual(before);
    expect(await alive()).toBe(true);
  }, 30_000);

  it('a huge body is refused without bringing the receiver down', async () => {
    const big = `payload=${'x'.repeat(8 * 1024 * 1024)}`;
    const res = await signedPost(url, big, 'application/x-www-form-urlencoded', { secret: SECRET });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await alive()).toBe(true);
  });

  it("clicks on another workspace's actions, or from another Slack team: acknowledged, refused, nothing recorded, logged", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('foreign-action', 'foreign-team', 'unknown-action', 'garbage-value'),
        fc.constantFrom('green', 'amber', 'red', 'blue'),
        fc.nat(1_000_000),
        async (kind, brag, n) => {
          const value = kind === 'foreign-action' || kind === 'foreign-team' ? JSON.stringify({ a: foreignActionId }) : kind === 'unknown-action' ? JSON.stringify({ a: `c${n}nosuchaction` }) : `{"a":${n}`;
          const team = kind === 'foreign-team' ? 'T0OTHER' : FAKE_TEAM_ID;
          const payload = {
            type: 'block_actions', user: { id: 'UOWNER', team_id: team }, team: { id: team }, trigger_id: `t${n}`,
            container: { type: 'message', message_ts: '1800000000.000001', channel_id: 'DOWNER', is_ephemeral: false }, channel: { id: 'DOWNER' },
            message: { type: 'message', ts: '1800000000.000001', text: 'nudge', blocks: [] }, response_url: fake.responseUrl(`hostile-${n}`),
            actions: [{ action_id: `bragbot.brag.${brag}`, block_id: 'b', value, type: 'button', action_ts: `1800000400.${n}` }],
          };
          const logged = lines.length;
          const res = await signedPost(url, `payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded', { secret: SECRET });
          expect(res.status).toBe(200);
          await expect.poll(() => lines.length > logged, { timeout: 3000 }).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
    expect(await counts()).toEqual(before);
    expect((await t.db.action.findUniqueOrThrow({ where: { id: foreignActionId } })).brag).toBe('amber');
    expect(await alive()).toBe(true);
  }, 60_000);
});
