/**
 * Routes per person (issue 14 pt 1): a message is planned on the person's first route that is
 * enabled and that they have (their own order, else Teams chat, Slack DM, email); when a route
 * fails for good at send time (Teams 403, Slack account_inactive / user_not_found, no chat id)
 * the dispatcher moves it to the next route and the row records which routes failed and which
 * carried it. Transient errors still retry on the same route; a message's own fault (invalid
 * blocks) fails without trying others.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PermanentSlackError } from '../../src/adapters/slack/errors.js';
import { PermanentTeamsError } from '../../src/adapters/teams/errors.js';
import { realClock } from '../../src/clock.js';
import { TransientChatError, type ChatAddress, type ChatPort, type OutboundMessage, type Platform, type SendContext } from '../../src/core/chat.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { writeOutbox } from '../../src/delivery/outbox.js';
import { parseRoutes } from '../../src/delivery/routes.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';
import { plannedNudge } from './support.js';

/** A port whose answer per attempt is scripted: an error to throw, or undefined to deliver. */
class ScriptedPort implements ChatPort {
  readonly sent: { to: ChatAddress; key: string }[] = [];
  calls = 0;
  constructor(readonly platform: Platform, private readonly answer: (to: ChatAddress, call: number) => Error | undefined = () => undefined) {}
  async send(to: ChatAddress, _m: OutboundMessage, context?: SendContext) {
    this.calls += 1;
    const e = this.answer(to, this.calls);
    if (e) throw e;
    this.sent.push({ to, key: context!.idempotencyKey });
    return { providerMessageId: `${this.platform}-${this.calls}`, conversationId: to.conversationId };
  }
}

const fast = { baseMs: 1, maxMs: 5 };

describe.each(await providers())('routes and fallbacks on %s', (provider) => {
  let t: TestDatabase;
  let std: Awaited<ReturnType<typeof makeStandardGroup>>;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    std = await makeStandardGroup(t.db);
    await t.db.conversationRef.create({ data: { personId: std.owner.id, platform: 'teams', conversationId: 'a:owner', referenceJson: '{}' } });
  });
  afterAll(async () => t?.destroy());
  beforeEach(async () => {
    await t.db.outboxMessage.deleteMany({});
    await t.db.person.updateMany({ data: { routes: null } });
  });

  const row = (key: string) => t.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: key } });
  const drain = (ports: ChatPort[]) => new Dispatcher({ db: t.db, provider, ports, instanceId: 'd', backoff: fast, clock: realClock }).drain({ maxWaitMs: 200, timeoutMs: 10_000 });

  it('Teams 403, then Slack account_inactive: the message goes by email, and the row says which routes failed and which carried it', async () => {
    await writeOutbox(t.db, [plannedNudge('f:1', std.owner)], { platforms: ['teams', 'slack', 'email'], now: realClock() });
    expect(await row('f:1')).toMatchObject({ platform: 'teams', route: 'teams-chat' });
    const teams = new ScriptedPort('teams', () => new PermanentTeamsError(403, 'Teams refused sending a nudge: HTTP 403'));
    const slack = new ScriptedPort('slack', () => new PermanentSlackError('account_inactive', 'Slack refused chat.postMessage: account_inactive'));
    const email = new ScriptedPort('email');
    const report = await drain([teams, slack, email]);
    expect(report.sent).toBe(1);
    const r = await row('f:1');
    expect(r).toMatchObject({ status: 'sent', platform: 'email', route: 'email' });
    expect(JSON.parse(r.fallbacksJson!)).toEqual([
      { route: 'teams-chat', error: 'Teams refused sending a nudge: HTTP 403' },
      { route: 'slack-dm', error: 'Slack refused chat.postMessage: account_inactive' },
    ]);
    expect(email.sent).toEqual([{ to: { platform: 'email', conversationId: 'olu@example.gov.uk', personId: std.owner.id }, key: 'f:1' }]);
  });

  it('a transient error retries on the same route; it never falls back', async () => {
    await writeOutbox(t.db, [plannedNudge('f:2', std.manager)], { platforms: ['teams', 'slack', 'email'], now: realClock() });
    const slack = new ScriptedPort('slack', (_to, call) => (call <= 2 ? new TransientChatError('Slack answered HTTP 503 to chat.postMessage') : undefined));
    const email = new ScriptedPort('email');
    await drain([slack, email]);
    expect(await row('f:2')).toMatchObject({ status: 'sent', route: 'slack-dm', fallbacksJson: null });
    expect([slack.calls, email.calls]).toEqual([3, 0]);
  });

  it('a fault of the message itself (invalid_blocks) fails it without trying other routes', async () => {
    await writeOutbox(t.db, [plannedNudge('f:3', std.manager)], { platforms: ['slack', 'email'], now: realClock() });
    const email = new ScriptedPort('email');
    await drain([new ScriptedPort('slack', () => new PermanentSlackError('invalid_blocks', 'Slack refused chat.postMessage: invalid_blocks')), email]);
    expect(await row('f:3')).toMatchObject({ status: 'failed', route: 'slack-dm', lastError: 'Slack refused chat.postMessage: invalid_blocks' });
    expect(email.calls).toBe(0);
  });

  it('a person’s own order is used, and only it: preferred first, then their fallbacks', async () => {
    await t.db.person.update({ where: { id: std.owner.id }, data: { routes: parseRoutes('email, slack-dm').join(',') } });
    await writeOutbox(t.db, [plannedNudge('f:4', std.owner)], { platforms: ['teams', 'slack', 'email'], now: realClock() });
    expect(await row('f:4')).toMatchObject({ platform: 'email', route: 'email' });
    const teams = new ScriptedPort('teams');
    const slack = new ScriptedPort('slack');
    await drain([teams, slack, new ScriptedPort('email', () => Object.assign(new Error('the mail server refused the address: SMTP 550'), { routeUnavailable: true }))]);
    expect(await row('f:4')).toMatchObject({ status: 'sent', route: 'slack-dm' });
    expect(teams.calls).toBe(0); // not in their list
    // Their list used up: failed, with the last route's reason.
    await t.db.person.update({ where: { id: std.owner.id }, data: { routes: 'slack-dm' } });
    await writeOutbox(t.db, [plannedNudge('f:5', std.owner)], { platforms: ['teams', 'slack', 'email'], now: realClock() });
    await drain([teams, new ScriptedPort('slack', () => new PermanentSlackError('user_not_found', 'Slack refused conversations.open: user_not_found'))]);
    expect(await row('f:5')).toMatchObject({ status: 'failed', lastError: 'Slack refused conversations.open: user_not_found' });
  });

  it('no chat id at send time (the Slack id was removed after planning) falls back too', async () => {
    await writeOutbox(t.db, [plannedNudge('f:6', std.chair)], { platforms: ['slack', 'email'], now: realClock() });
    await t.db.person.update({ where: { id: std.chair.id }, data: { slackUserId: null } });
    const email = new ScriptedPort('email');
    await drain([new ScriptedPort('slack'), email]);
    const r = await row('f:6');
    expect(r).toMatchObject({ status: 'sent', route: 'email' });
    expect(JSON.parse(r.fallbacksJson!)).toEqual([{ route: 'slack-dm', error: 'Asha Chair has no Slack member id' }]);
  });

  it('someone with only an email address is planned on email when email is on, and said to be unreachable when it is not', async () => {
    const only = await t.db.person.create({ data: { workspaceId: std.workspaceId, name: 'Hana Health', email: 'hana@nhs.example' } });
    await writeOutbox(t.db, [plannedNudge('f:7', only)], { platforms: ['slack', 'email'], now: realClock() });
    expect(await row('f:7')).toMatchObject({ platform: 'email', route: 'email', status: 'pending' });
    await writeOutbox(t.db, [plannedNudge('f:8', only)], { platforms: ['slack', 'teams'], now: realClock() });
    expect(await row('f:8')).toMatchObject({ status: 'failed', lastError: expect.stringContaining('Hana Health cannot be reached by') });
  });

  it('parseRoutes names what is wrong', () => {
    expect(() => parseRoutes('email,fax')).toThrow(/not a route: fax\. Give routes in order, preferred first, from: teams-chat, slack-dm, email/);
    expect(parseRoutes('slack-dm email slack-dm')).toEqual(['slack-dm', 'email']);
  });
});
